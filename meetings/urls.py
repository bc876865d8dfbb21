from django.urls import path

from .views import pdf_jobs, public, secretariat

app_name = "meetings"

urlpatterns = [
    # Public pages; other apps link to "study_group" and "detail": keep their names and addresses.
    path("meetings/", public.index, name="index"),
    path("sg<int:number>/", public.study_group, name="study_group"),
    path("meetings/<int:pk>/", public.meeting_detail, name="detail"),
    path("meetings/<int:pk>/letter/", public.meeting_letter, name="letter"),
    path("meetings/<int:pk>/letter.pdf", public.meeting_letter_pdf, name="letter_pdf"),
    path("meetings/<int:pk>/letter/addendum-<int:number>/", public.meeting_addendum, name="addendum"),
    path("meetings/<int:pk>/letter/addendum-<int:number>.pdf", public.meeting_addendum_pdf, name="addendum_pdf"),
    path("meetings/<int:pk>/calendar.ics", public.meeting_ics, name="calendar"),
    # PDFs rendered by a worker: progress, then the file.
    path("pdf-jobs/<int:pk>/", pdf_jobs.pdf_job, name="pdf_job"),
    path("pdf-jobs/<int:pk>/file/", pdf_jobs.pdf_job_file, name="pdf_job_file"),
    # The secretariat's pages.
    path("meetings/manage/", secretariat.MeetingList.as_view(), name="manage_list"),
    path("meetings/new/", secretariat.MeetingCreate.as_view(), name="create"),
    path("meetings/<int:pk>/manage/", secretariat.MeetingManage.as_view(), name="manage"),
    path("meetings/<int:pk>/edit/", secretariat.MeetingEdit.as_view(), name="edit"),
    path("meetings/<int:pk>/texts/<str:language>/", secretariat.MeetingTexts.as_view(), name="texts"),
    path("meetings/<int:pk>/clone/", secretariat.MeetingClone.as_view(), name="clone"),
    path("meetings/<int:pk>/announce/", secretariat.MeetingAnnounce.as_view(), name="announce"),
    path("meetings/<int:pk>/deadlines/<slug:kind>/", secretariat.DeadlineOverride.as_view(), name="deadline_override"),
    path("meetings/<int:pk>/deadlines/<slug:kind>/reset/", secretariat.DeadlineReset.as_view(), name="deadline_reset"),
    path("meetings/<int:pk>/side-events/new/", secretariat.SideEventCreate.as_view(), name="side_event_create"),
    path(
        "meetings/<int:pk>/side-events/<int:event_pk>/edit/",
        secretariat.SideEventEdit.as_view(),
        name="side_event_edit",
    ),
    path(
        "meetings/<int:pk>/side-events/<int:event_pk>/delete/",
        secretariat.SideEventDelete.as_view(),
        name="side_event_delete",
    ),
]
