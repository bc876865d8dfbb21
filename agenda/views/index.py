from django.core.exceptions import PermissionDenied
from django.db.models import Max, OuterRef, Subquery
from django.shortcuts import render

from .. import queries
from ..models import AgendaVersion, TimePlanVersion


def _latest(model):
    return Subquery(
        model.objects.filter(meeting=OuterRef("pk"), number__isnull=False)
        .values("meeting")
        .annotate(latest=Max("number"))
        .values("latest")
    )


def index(request):
    """The meetings with their current agenda and time plan versions."""
    if not request.user.has_perm("agenda.view_published", None):
        raise PermissionDenied
    meetings = queries.meetings_with_agendas(request.user).annotate(
        agenda_version=_latest(AgendaVersion), time_plan_version=_latest(TimePlanVersion)
    )
    return render(request, "agenda/index.html", {"meetings": meetings})
