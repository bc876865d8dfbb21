"""The draft of an agenda or a time plan, locked for one write and checked against the revision it was read at."""

from django.utils import timezone

from .errors import StaleDraft


def lock_draft(model, meeting, *, revision: int):
    """Returns the meeting's draft locked for this transaction, created if there is none yet.

    Raises ``StaleDraft`` when its revision is not ``revision`` (the one the editor's page was built on).
    """
    draft, _created = model.objects.get_or_create(meeting=meeting, number=None)
    draft = model.objects.select_for_update(of=("self",)).select_related("changed_by").get(pk=draft.pk)
    draft.meeting = meeting
    if draft.revision != revision:
        raise StaleDraft(draft)
    return draft


def touch_draft(draft, *, by) -> None:
    """Records a change: the revision goes up, so every page opened before it is stale."""
    draft.revision += 1
    draft.changed_by = by
    draft.changed_at = timezone.now()
    draft.save(update_fields=["revision", "changed_by", "changed_at"])
