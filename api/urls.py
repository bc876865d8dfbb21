from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from .views import agenda, base, documents, meetings, registrations, tokens, webhooks

app_name = "api"

meeting = "api/v1/meetings/<int:pk>/"

urlpatterns = [
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "api/v1/docs/",
        # The split view loads its start-up script from a URL, not inline: the CSP forbids inline scripts.
        SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/swagger_ui.html"),
        name="docs",
    ),
    path("api/v1/study-groups/", meetings.StudyGroupList.as_view(), name="study-group-list"),
    path("api/v1/questions/", meetings.QuestionList.as_view(), name="question-list"),
    path("api/v1/meetings/", meetings.MeetingList.as_view(), name="meeting-list"),
    path(meeting, meetings.MeetingDetail.as_view(), name="meeting-detail"),
    path(f"{meeting}deadlines/", meetings.DeadlineList.as_view(), name="deadline-list"),
    path(f"{meeting}side-events/", meetings.SideEventList.as_view(), name="side-event-list"),
    path(f"{meeting}letter/", meetings.CollectiveLetter.as_view(), name="letter"),
    path(f"{meeting}documents/", documents.MeetingDocumentList.as_view(), name="document-list"),
    path(f"{meeting}agenda/", agenda.AgendaVersionList.as_view(), name="agenda-list"),
    path(f"{meeting}agenda/<int:number>/", agenda.AgendaVersionDetail.as_view(), name="agenda-version"),
    path(f"{meeting}time-plan/", agenda.TimePlanVersionList.as_view(), name="time-plan-list"),
    path(f"{meeting}time-plan/<int:number>/", agenda.TimePlanVersionDetail.as_view(), name="time-plan-version"),
    path(f"{meeting}registration-statistics/", registrations.MeetingStatistics.as_view(), name="statistics"),
    path("api/v1/documents/<int:pk>/", documents.DocumentDetail.as_view(), name="document-detail"),
    path("api/v1/registrations/", registrations.RegistrationList.as_view(), name="registration-list"),
    path("api/v1/registrations/decisions/", registrations.BulkDecision.as_view(), name="registration-decisions"),
    path("api/v1/registrations/<int:pk>/", registrations.RegistrationDetail.as_view(), name="registration-detail"),
    path("api/v1/registrations/<int:pk>/approve/", registrations.Approve.as_view(), name="registration-approve"),
    path("api/v1/registrations/<int:pk>/reject/", registrations.Reject.as_view(), name="registration-reject"),
    path("api/v1/webhooks/", webhooks.WebhookList.as_view(), name="webhook-list"),
    path("api/v1/webhooks/<int:pk>/", webhooks.WebhookDetail.as_view(), name="webhook-detail"),
    path("api/v1/webhooks/<int:pk>/deliveries/", webhooks.WebhookDeliveryList.as_view(), name="webhook-deliveries"),
    path("profile/tokens/", tokens.tokens, name="tokens"),
    path("profile/tokens/<int:pk>/revoke/", tokens.revoke, name="token_revoke"),
    path("api/v1/<path:rest>", base.not_found, name="not-found"),
]
