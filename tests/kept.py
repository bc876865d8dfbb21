"""For the tests that count a page's queries: what is kept between requests, forgotten."""

from accounts.kept_user import PEOPLE
from accounts.rules import GROUPS
from documents.queries import COUNTS, DIGESTS
from registration.fragments import AFFILIATIONS
from registration.fragments import NAME as REGISTRATIONS
from sg17portal.pagecache import bump_content_version, bump_fragments


def forget_kept_answers() -> None:
    """The next request reads the person's row, groups, entities, approvals, registrations, digest subscriptions and
    the meetings' counts of documents from the database again (and the registration pages' fragments), and the
    meetings (``meetings.queries.kept_meeting``), as the first request after any change of them does."""
    bump_fragments(PEOPLE)
    bump_fragments(GROUPS)
    bump_fragments(REGISTRATIONS, AFFILIATIONS)
    bump_fragments(DIGESTS, COUNTS)
    bump_content_version()
