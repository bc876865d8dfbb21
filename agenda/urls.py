from django.urls import path

from .views import agenda, exports, index, time_plan

app_name = "agenda"

meeting = "meetings/<int:meeting_pk>/"

urlpatterns = [
    path("agendas/", index.index, name="index"),
    # Agenda
    path(f"{meeting}agenda/", agenda.agenda_current, name="agenda"),
    path(f"{meeting}agenda/v<int:number>/", agenda.agenda_version, name="agenda_version"),
    path(f"{meeting}agenda/v<int:number>.pdf", exports.agenda_pdf, name="agenda_pdf"),
    path(f"{meeting}agenda/draft/", agenda.agenda_draft, name="agenda_draft"),
    path(f"{meeting}agenda/draft.pdf", exports.agenda_draft_pdf, name="agenda_draft_pdf"),
    path(f"{meeting}agenda/compare/", agenda.agenda_compare, name="agenda_compare"),
    path(f"{meeting}agenda/publish/", agenda.agenda_publish, name="agenda_publish"),
    path(f"{meeting}agenda/outline/", agenda.agenda_outline, name="agenda_outline"),
    path(f"{meeting}agenda/items/add/", agenda.agenda_item_add, name="agenda_item_add"),
    path(f"{meeting}agenda/items/<int:pk>/edit/", agenda.agenda_item_edit, name="agenda_item_edit"),
    path(f"{meeting}agenda/items/<int:pk>/delete/", agenda.agenda_item_delete, name="agenda_item_delete"),
    path(f"{meeting}agenda/items/<int:pk>/shift/", agenda.agenda_item_shift, name="agenda_item_shift"),
    path(f"{meeting}agenda/items/<int:pk>/move/", agenda.agenda_item_move, name="agenda_item_move"),
    # Time plan
    path(f"{meeting}time-plan/", time_plan.time_plan_current, name="time_plan"),
    path(f"{meeting}time-plan/v<int:number>/", time_plan.time_plan_version, name="time_plan_version"),
    path(f"{meeting}time-plan/v<int:number>.pdf", exports.time_plan_pdf, name="time_plan_pdf"),
    path(f"{meeting}time-plan/draft/", time_plan.time_plan_draft, name="time_plan_draft"),
    path(f"{meeting}time-plan/draft.pdf", exports.time_plan_draft_pdf, name="time_plan_draft_pdf"),
    path(f"{meeting}time-plan/compare/", time_plan.time_plan_compare, name="time_plan_compare"),
    path(f"{meeting}time-plan/publish/", time_plan.time_plan_publish, name="time_plan_publish"),
    path(f"{meeting}time-plan/sessions/add/", time_plan.session_add, name="session_add"),
    path(f"{meeting}time-plan/sessions/<int:pk>/edit/", time_plan.session_edit, name="session_edit"),
    path(f"{meeting}time-plan/sessions/<int:pk>/delete/", time_plan.session_delete, name="session_delete"),
    path(f"{meeting}time-plan.ics", exports.time_plan_ics, name="time_plan_ics"),
    path("calendars/<str:token>/time-plan.ics", exports.calendar_feed, name="calendar_feed"),
    path("calendars/replace/", exports.replace_calendar_links_view, name="replace_calendar_links"),
]
