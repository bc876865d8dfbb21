"""A request reads the cache's versions once, and the answers kept about its viewer in one entry
(``sg17portal.pagecache``): a signed-in page makes a handful of round trips to Redis, not one per thing it keeps.
What the request changes itself it sees at once; what another request changes, the next request sees."""

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from redis.client import Pipeline

from registration import services
from registration.fragments import NAME as REGISTRATIONS
from registration.models import Registration
from registration.queries import registration_of
from sg17portal import pagecache
from sg17portal.request_cache import request_scope
from tests.clients import signed_in
from tests.factories import RegistrationFactory, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def version_writes(monkeypatch):
    """The writes of the cache's versions, as the keys each round trip wrote (Django's ``set_many`` is a pipeline)."""
    trips = []
    execute = Pipeline.execute

    def counted(self, *args, **options):
        keys = [str(key) for command, _options in self.command_stack for key in command[1::2] if command[0] == "MSET"]
        if any(":pagecache:version" in key for key in keys):
            trips.append(sorted(key.split(":", 2)[2] for key in keys))
        return execute(self, *args, **options)

    monkeypatch.setattr(Pipeline, "execute", counted)
    return trips


def test_a_signed_in_page_reads_the_versions_once_and_its_viewers_answers_in_one_entry(
    on_redis, member, meeting, redis_commands
):
    client = signed_in(member)
    url = reverse("meetings:detail", args=[meeting.pk])
    client.get(url)
    client.get(url)
    redis_commands.clear()
    assert client.get(url).status_code == 200

    reads = [command for command in redis_commands if command[0] in ("GET", "MGET")]
    shared = [command for command in reads if any(key.endswith(":pagecache:version") for key in command[1:])]
    assert len(shared) == 1, shared  # every version the page needs, in one round trip
    own = f":pagecache:version:{REGISTRATIONS}:own:{member.pk}"
    person = [command for command in reads if any(":pagecache:person:" in key for key in command[1:])]
    assert len(person) == 1, person  # the member's groups, registration, membership and digest, together
    assert any(key.endswith(own) for key in person[0]), person  # with the member's own version they are kept under
    assert len([command for command in reads if any(":pagecache:version" in key for key in command[1:])]) == 2
    assert not [command for command in redis_commands if command[0] not in ("GET", "MGET")]  # nothing written
    # The session with the versions, the meeting with the viewer's answers and the header, the page's own fragments
    # together.
    assert len(reads) == 3, reads
    assert [key.split(".")[-2] for key in reads[2][1:]] == ["meeting_cards", "meeting_facts"], reads


@pytest.mark.parametrize("page", ["meetings:detail", "documents:list", "agenda:agenda", "documents:post_contribution"])
def test_the_session_comes_with_the_versions_and_the_viewers_answers_and_header_with_the_first_entry(
    on_redis, member, meeting, redis_commands, page
):
    client = signed_in(member)
    url = reverse(page, args=[meeting.pk])
    client.get(url)
    redis_commands.clear()
    assert client.get(url).status_code == 200

    reads = [command[1:] for command in redis_commands if command[0] in ("GET", "MGET")]
    first, second = reads[0], reads[1]
    assert any("sessions" in key for key in first), reads
    assert any(key.endswith(":pagecache:version:meetings") for key in first), reads
    assert any(key.endswith(f":meetings:meeting:{meeting.pk}:en") for key in second), reads
    assert any(key.endswith(f":pagecache:person:{member.pk}") for key in second), reads
    assert any(".portal_header." in key for key in second), reads  # the header's two fragments
    assert any(".portal_header_end." in key for key in second), reads
    assert not any(
        "sessions" in key or ":pagecache:person:" in key or ".portal_header." in key
        for read in reads[2:]
        for key in read
    ), reads


def test_a_warm_documents_list_reads_its_mark_with_the_meeting_and_then_its_two_fragments_together(
    on_redis, member, meeting, redis_commands
):
    """The plain list's mark (``documents.queries.meeting_documents_mark``) comes along with the meeting: the
    session, the meeting with the mark, then the filter form and the table in one read
    (``sg17portal.fragments.PageFragmentNode``); no query and nothing written."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = signed_in(member)
    url = reverse("documents:list", args=[meeting.pk])
    client.get(url)
    redis_commands.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200

    reads = [command[1:] for command in redis_commands if command[0] in ("GET", "MGET")]
    assert any(key.endswith(f":documents:mark:{meeting.pk}::number:1") for key in reads[1]), reads
    assert any(key.endswith(f":meetings:meeting:{meeting.pk}:en") for key in reads[1]), reads
    assert len(reads) == 3, reads
    assert [key.split(".")[-2] for key in reads[2]] == ["documents_filters", "documents_table"], reads
    assert not [command for command in redis_commands if command[0] not in ("GET", "MGET")]
    assert not queries.captured_queries


def test_a_warm_meeting_page_reads_its_documents_counts_with_the_meeting(
    on_redis, member, entity, meeting, media_root, redis_commands
):
    """The documents section names its entry (``meetings.extensions``): the page reads the meeting's counts along
    with the meeting, and reads no count from the database."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from documents import services
    from tests.documents.factories import upload
    from tests.documents.test_meeting_counts import COUNTS_QUERY

    services.post_contribution(meeting, entity=entity, title="Counted", files=[upload()], by=member)
    client = signed_in(member)
    url = reverse("meetings:detail", args=[meeting.pk])
    client.get(url)
    redis_commands.clear()
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()

    assert ">Contributions</a> (1)" in page
    assert not any(COUNTS_QUERY.search(query["sql"]) for query in queries.captured_queries)
    reads = [command[1:] for command in redis_commands if command[0] in ("GET", "MGET")]
    with_counts = [keys for keys in reads if any(key.endswith(f":documents:counts:{meeting.pk}") for key in keys)]
    assert len(with_counts) == 1, reads
    assert any(key.endswith(f":meetings:meeting:{meeting.pk}:en") for key in with_counts[0]), reads


@pytest.mark.django_db(transaction=True)
def test_a_posting_replaces_each_version_once_now_and_all_of_them_in_one_write_at_the_commit(
    on_redis, member, entity, meeting, media_root, version_writes
):
    """A posting saves its series' next number, the document and its revision 0: three changes of the content
    version, one of the counts'. Each version is written once as the request goes (its own later reads see it), and
    both once more together when the transaction commits."""
    from documents.queries import COUNTS
    from tests.documents.factories import upload

    client = signed_in(member)
    url = reverse("documents:post_contribution", args=[meeting.pk])
    version_writes.clear()
    response = client.post(url, {"entity": entity.pk, "title": "Written once", "files": upload()})

    assert response.status_code == 302, response.content.decode()
    counts = pagecache.fragments_key(COUNTS)
    now, at_commit = [[pagecache.VERSION_KEY], [counts]], [sorted([pagecache.VERSION_KEY, counts])]
    assert version_writes == now + at_commit, version_writes


def test_each_request_in_a_transaction_that_never_commits_writes_its_changes_at_once(
    on_redis, member, entity, meeting, media_root, version_writes
):
    """Inside one transaction (a test's), each request's first change of a version is written at once: the next
    request sees it even though the commit never comes."""
    from tests.documents.factories import upload

    client = signed_in(member)
    url = reverse("documents:post_contribution", args=[meeting.pk])
    for title in ("First", "Second"):
        version_writes.clear()
        response = client.post(url, {"entity": entity.pk, "title": title, "files": upload()})
        assert response.status_code == 302
        assert [pagecache.VERSION_KEY] in version_writes


def test_others_registrations_leave_a_delegates_kept_answers_alone(on_redis, member, meeting, redis_commands):
    """A delegate who decides no registration keeps his menu's answers while others register and are decided on:
    his next page writes nothing back to his entry."""
    others = RegistrationFactory(meeting=meeting)
    client = signed_in(member)
    url = reverse("documents:contributions", args=[meeting.pk])
    client.get(url)
    others.state = others.State.APPROVED
    others.save()  # a decision on someone else's registration: replaces the registrations' version
    redis_commands.clear()

    assert client.get(url).status_code == 200
    written = [command for command in redis_commands if command[0] == "SET"]
    assert not [command for command in written if command[1].endswith(f"pagecache:person:{member.pk}")], written


def test_a_person_answer_brought_along_is_still_computed_again_after_a_change(member, meeting):
    """What comes along with the first entry is held to the same versions as what the person's answers are read
    for: a change made before the request is seen, the answer kept before it is not used."""
    with request_scope():
        assert registration_of(member, meeting) is None  # kept among the member's answers
    RegistrationFactory(delegate=member, meeting=meeting)
    with request_scope():
        pagecache.expect_person(member.pk)
        pagecache.kept("probe", [pagecache.MEETINGS_VERSION_KEY], lambda: 1, 60)  # brings the answers along
        assert registration_of(member, meeting) is not None


def test_a_change_the_request_makes_is_seen_by_the_rest_of_it(member, meeting):
    with request_scope():
        before = pagecache.fragments_version(REGISTRATIONS)
        assert registration_of(member, meeting) is None
        registration = RegistrationFactory(delegate=member, meeting=meeting)  # replaces the registrations' version
        assert pagecache.fragments_version(REGISTRATIONS) != before
        assert registration_of(member, meeting) == registration


def test_every_change_in_a_transaction_is_seen_by_the_rest_of_the_request(on_redis, member, meeting, version_writes):
    """A second change of a version in the same request and transaction is not written to the cache (the commit
    writes it), yet what the request kept between the two changes is read again after the second."""
    registrations = pagecache.fragments_key(REGISTRATIONS)
    with request_scope(), transaction.atomic():
        RegistrationFactory(meeting=meeting)  # someone else's: the first change, written at once
        assert registration_of(member, meeting) is None  # kept under the version of the moment
        registration = RegistrationFactory(delegate=member, meeting=meeting)  # the second change
        assert registration_of(member, meeting) == registration
    assert len([keys for keys in version_writes if registrations in keys]) == 1, version_writes


def test_a_change_another_request_makes_is_seen_from_the_next_request_on(member, meeting):
    with request_scope():
        before = pagecache.fragments_version(REGISTRATIONS)
        with request_scope():  # another request, at the same time
            pagecache.bump_fragments(REGISTRATIONS)
            changed = pagecache.fragments_version(REGISTRATIONS)
        assert changed != before
        assert pagecache.fragments_version(REGISTRATIONS) == before  # read at the start of this one
    with request_scope():
        assert pagecache.fragments_version(REGISTRATIONS) == changed


def test_each_call_gets_an_answer_of_its_own(member, meeting):
    registration = RegistrationFactory(delegate=member, meeting=meeting)
    registration_of(member, meeting)  # kept
    with request_scope():
        first, second = registration_of(member, meeting), registration_of(member, meeting)
    assert first == second == registration
    assert first is not second
    first.passport_number = "changed by the one that asked first"
    with request_scope():
        assert registration_of(member, meeting).passport_number == registration.passport_number


def test_a_decision_reaches_the_delegates_page_on_the_next_request(member, meeting, secretariat):
    client = signed_in(member)
    url = reverse("meetings:detail", args=[meeting.pk])
    registration = RegistrationFactory(delegate=member, meeting=meeting)
    client.get(url)
    services.approve_registration(registration, by=secretariat)
    assert "Approved" in client.get(url).content.decode()


def test_a_persons_answers_live_at_most_an_hour(member, meeting, entity, monkeypatch):
    assert registration_of(member, meeting) is None
    registration = RegistrationFactory.build(delegate=member, meeting=meeting, entity=entity)
    # Stored without a signal, so no version changes: only the age of the kept answer makes it read again.
    type(registration).objects.bulk_create([registration])
    assert registration_of(member, meeting) is None
    now = pagecache.time.time()
    monkeypatch.setattr(pagecache.time, "time", lambda: now + pagecache.PERSON_SECONDS + 1)
    assert registration_of(member, meeting) is not None


def _person_entry_written(commands, person) -> list:
    return [c for c in commands if c[0] == "SET" and c[1].endswith(f"pagecache:person:{person.pk}")]


def test_others_registrations_leave_a_delegates_own_registration_alone(
    on_redis, member, meeting, entity, secretariat, redis_commands
):
    """A delegate's registration is kept under his own version of the registrations: others registering and being
    decided on (as fifty delegates do in the first minute of a crunch) leave it alone, and his next meeting page
    writes nothing back to his entry."""
    RegistrationFactory(delegate=member, meeting=meeting, entity=entity)
    first, second = member_of(entity), member_of(entity)  # as the crunch's delegates: confirmed members
    others = RegistrationFactory(meeting=meeting, entity=entity, delegate=first)
    client = signed_in(member)
    url = reverse("meetings:detail", args=[meeting.pk])
    client.get(url)
    services.approve_registration(others, by=secretariat)  # an update, no signal
    RegistrationFactory(meeting=meeting, entity=entity, delegate=second)  # a save, with its signal
    redis_commands.clear()

    assert client.get(url).status_code == 200
    assert not _person_entry_written(redis_commands, member), redis_commands


def _bulk_approve(registration, secretariat):
    services.approve_registrations([registration.pk], by=secretariat)


def _change(registration, secretariat):
    services.change_registration(registration, by=secretariat, participation=Registration.Participation.IN_PERSON)


CHANGES_OF_ONES_OWN = {
    "approved": lambda registration, by: services.approve_registration(registration, by=by),
    "rejected": lambda registration, by: services.reject_registration(registration, by=by, reason="Not a member."),
    "cancelled": lambda registration, by: services.cancel_registration(registration, by=by),
    "approved in bulk": _bulk_approve,
    "changed": _change,
    "deleted": lambda registration, by: registration.delete(),
}


@pytest.mark.parametrize("change", CHANGES_OF_ONES_OWN)
def test_each_change_of_a_delegates_registration_is_seen_on_his_next_request(
    member, meeting, entity, secretariat, change
):
    """Every way a registration changes, by a signal or by a service's update without one, replaces its
    delegate's own version: the answer kept before it is not served after it."""
    registration = RegistrationFactory(delegate=member, meeting=meeting, entity=entity)
    with request_scope():
        pagecache.expect_person(member.pk)
        assert registration_of(member, meeting) == registration  # kept under his own version
    CHANGES_OF_ONES_OWN[change](registration, secretariat)

    with request_scope():
        pagecache.expect_person(member.pk)
        pagecache.kept("probe", [pagecache.MEETINGS_VERSION_KEY], lambda: 1, 60)  # brings his entry along
        seen = registration_of(member, meeting)
    now = Registration.objects.filter(pk=registration.pk).first()
    shown = None if seen is None else (seen.state, seen.participation)
    assert shown == (None if now is None else (now.state, now.participation))
    assert shown != (registration.state, registration.participation)  # the change did change what is shown


def test_a_registration_approved_as_it_is_made_is_seen_on_the_next_request(member, meeting, entity):
    entity.auto_approval = True
    entity.save()
    with request_scope():
        assert registration_of(member, meeting) is None  # kept
    services.register(meeting, delegate=member, entity=entity, by=member)
    with request_scope():
        assert registration_of(member, meeting).state == Registration.State.APPROVED


def test_a_persons_own_version_gone_from_the_cache_serves_nothing_kept_under_it(on_redis, member, meeting, entity):
    """Evicted, a person's own version falls back to the shared one, which the change that made it replaced: what
    was kept under either is computed again."""
    registration = RegistrationFactory(delegate=member, meeting=meeting, entity=entity)
    assert cache.get(pagecache.own_version_key(REGISTRATIONS, member.pk)) is not None
    assert registration_of(member, meeting) == registration  # kept under his own version
    Registration.objects.filter(pk=registration.pk).update(state=Registration.State.CANCELLED)  # nothing replaced
    assert registration_of(member, meeting).state == Registration.State.PENDING  # so still the one kept
    cache.delete(pagecache.own_version_key(REGISTRATIONS, member.pk))
    assert registration_of(member, meeting).state == Registration.State.CANCELLED


def test_a_person_without_an_own_version_has_the_shared_one_stand_for_it(member, meeting, entity):
    """Someone whose registrations never changed has no own version: his answer is kept under the shared one, and
    any change of registrations makes it be read again (his first registration among them)."""
    assert cache.get(pagecache.own_version_key(REGISTRATIONS, member.pk)) is None
    assert registration_of(member, meeting) is None  # kept under the shared version
    pagecache.bump_fragments(REGISTRATIONS)  # someone else's change, with no own version of his
    registration = RegistrationFactory.build(delegate=member, meeting=meeting, entity=entity)
    Registration.objects.bulk_create([registration])  # no signal: only the shared version's change tells
    assert registration_of(member, meeting) is not None


def test_an_answer_under_own_versions_alone_is_refused():
    """A release replaces the shared versions, not every person's own: an answer kept under own versions alone
    would outlive the release whose templates and fields it was computed for."""
    with pytest.raises(ValueError, match="shared one too"):
        pagecache.kept_per_person(own=(REGISTRATIONS,))
