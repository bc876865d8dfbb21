from django.urls import path

from .views import posting, reading, td_queue

app_name = "documents"

urlpatterns = [
    path("documents/", reading.index, name="index"),
    path("meetings/<int:meeting_pk>/documents/", reading.document_list, name="list"),
    path(
        "meetings/<int:meeting_pk>/contributions/",
        reading.document_list,
        {"which": "contributions"},
        name="contributions",
    ),
    path("meetings/<int:meeting_pk>/tds/", reading.document_list, {"which": "tds"}, name="tds"),
    path("meetings/<int:meeting_pk>/documents.zip", reading.meeting_zip, name="zip"),
    path("meetings/<int:meeting_pk>/td-template.docx", reading.td_template_download, name="td_template"),
    path("meetings/<int:meeting_pk>/documents/digest/", reading.toggle_digest, name="digest"),
    path("meetings/<int:meeting_pk>/contributions/new/", posting.post_contribution, name="post_contribution"),
    path("meetings/<int:meeting_pk>/tds/new/", posting.post_td, name="post_td"),
    path("meetings/<int:meeting_pk>/tds/draft/", td_queue.submit_td_draft, name="submit_td_draft"),
    path("documents/<int:pk>/", reading.document_detail, name="detail"),
    path("documents/<int:pk>/revise/", posting.revise_document, name="revise"),
    path("documents/<int:pk>/withdraw/", posting.withdraw_document, name="withdraw"),
    path("documents/files/<int:pk>/<str:name>", reading.document_file, name="file"),
    path("secretariat/td-queue/", td_queue.queue, name="td_queue"),
    path("td-drafts/<int:pk>/", td_queue.draft_detail, name="td_draft"),
    path("td-drafts/<int:pk>/decline/", td_queue.decline_draft, name="td_draft_decline"),
    path("td-drafts/files/<int:pk>/", td_queue.draft_file, name="td_draft_file"),
    path("td-drafts/confirm/<str:token>/", td_queue.confirm_td_draft, name="td_draft_confirm"),
]
