import os

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.utils import translation

from meetings.rules import chair_group_name
from tests.factories import UserFactory

RUN_ON_POSTGRESQL = (
    "The test suite runs on PostgreSQL only: run `make test`, "
    "or set DATABASE_URL=postgres://postgres@127.0.0.1:5432/sg17portal (and REDIS_URL) before pytest."
)


def pytest_configure(config):
    """A bare ``pytest`` would otherwise run on the embedded SQLite default, where full-text search and row
    locks do not behave as in production: stop before collecting anything."""
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
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
