import os

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.utils import translation
from redis.client import Redis

from meetings.rules import chair_group_name
from registration.models import Affiliation
from tests.factories import AffiliationFactory, MemberEntityFactory, UserFactory, member_of, open_meeting

RUN_ON_POSTGRESQL = (
    "The test suite runs on PostgreSQL only: run `make test`, "
    "or set DATABASE_URL=postgres://postgres@127.0.0.1:5432/sg17portal (and REDIS_URL) before pytest."
)


def pytest_configure(config):
    """A bare ``pytest`` would otherwise run on the embedded SQLite default, where full-text search and row
    locks do not behave as in production: stop before collecting anything."""
    from django.db import connection

    if connection.vendor != "postgresql":
        raise pytest.UsageError(RUN_ON_POSTGRESQL)


# Playwright runs its own event loop in the test thread; the ORM calls the tests make there are synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and cached pages must not leak from one test into the next."""
    cache.clear()


@pytest.fixture(autouse=True)
def _english_to_begin_with():
    """Each request activates its page's language and leaves it active in the thread, as Django does: every test
    starts in English, so that ``reverse()`` gives bare (English) addresses unless the test asks for another."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def secretariat_group(db):
    group, _ = Group.objects.get_or_create(name=settings.SECRETARIAT_GROUP)
    return group


@pytest.fixture
def secretariat(secretariat_group):
    user = UserFactory(email="secretariat@example.org", given_name="Sofia", family_name="Martin", is_staff=True)
    user.groups.add(secretariat_group)
    return user


@pytest.fixture
def delegate(db):
    return UserFactory(email="delegate@example.org", given_name="Daniel", family_name="Okafor")


# The people and entities the apps' tests share: a name means the same thing in every app's tests.


@pytest.fixture
def meeting(db):
    """An announced hybrid SG17 meeting in Geneva, in about three months: every deadline is still open."""
    return open_meeting(format="hybrid", venue="ITU headquarters, Geneva")


@pytest.fixture
def focal_point(db):
    """Hana Kim, the focal point of ``entity`` (and a confirmed member of it, once ``entity`` exists)."""
    return UserFactory(email="focal.point@example.org", given_name="Hana", family_name="Kim")


@pytest.fixture
def entity(focal_point):
    """The Administration of the Republic of Korea, with ``focal_point`` as its focal point."""
    entity = MemberEntityFactory(name="Republic of Korea", country="KR", focal_points=[focal_point])
    AffiliationFactory(user=focal_point, entity=entity)
    return entity


@pytest.fixture
def member(delegate, entity):
    """The delegate, a confirmed member of ``entity`` (an approved affiliation)."""
    AffiliationFactory(user=delegate, entity=entity, state=Affiliation.State.APPROVED)
    return delegate


@pytest.fixture
def other_focal_point(db):
    """Otto Brandt, the focal point of ``other_entity``."""
    return UserFactory(email="other.focal@example.org", given_name="Otto", family_name="Brandt")


@pytest.fixture
def other_entity(other_focal_point):
    """The Administration of Germany, with ``other_focal_point`` as its focal point: none of ``entity``'s business."""
    entity = MemberEntityFactory(name="Federal Republic of Germany", country="DE", focal_points=[other_focal_point])
    AffiliationFactory(user=other_focal_point, entity=entity)
    return entity


@pytest.fixture
def other_member(other_entity):
    """A confirmed member of ``other_entity``."""
    return member_of(other_entity, email="other.member@example.org", given_name="Li", family_name="Wei")


@pytest.fixture
def chair(db):
    """The chair of SG17, the study group of the factories' meetings (a member of the group "SG17 chairs"); a
    member of no entity."""
    return chair_of(17, email="chair@example.org", given_name="Heung-Youl", family_name="Youm")


@pytest.fixture
def chair_of_another_study_group(db):
    """The chair of SG16: SG17's drafts are none of his business."""
    return chair_of(16, email="sg16.chair@example.org", given_name="Noah", family_name="Taylor")


def chair_of(study_group_number, **kwargs):
    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get_or_create(name=chair_group_name(study_group_number))[0])
    return user


@pytest.fixture
def media_root(settings, tmp_path):
    """Files the test stores go to its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def redis_commands(monkeypatch):
    """The commands sent to Redis, each as the list of its name and keys (the values are left out)."""
    sent = []
    send = Redis.execute_command

    def counted(self, *args, **options):
        name = str(args[0]).upper()
        keys = [str(a) for a in args[1:]] if name in ("GET", "MGET") else [str(args[1])] if len(args) > 1 else []
        sent.append([name, *keys])
        return send(self, *args, **options)

    monkeypatch.setattr(Redis, "execute_command", counted)
    return sent


@pytest.fixture
def on_redis():
    if not isinstance(caches["default"], RedisCache):
        pytest.fail("These tests count round trips to Redis: run them with REDIS_URL set, as `make test` does.")
