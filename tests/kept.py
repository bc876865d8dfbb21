"""For the tests that count a page's queries: what is kept per person between requests, forgotten."""

from accounts.rules import GROUPS
from registration.fragments import NAME as REGISTRATIONS
from sg17portal.pagecache import bump_fragments


def forget_kept_answers() -> None:
    """The next request reads the person's groups, entities and approvals from the database again (and the
    registration pages' fragments), as the first request after any change of them does."""
    bump_fragments(GROUPS)
    bump_fragments(REGISTRATIONS)
