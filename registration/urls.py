from django.urls import path

from .views import delegate, focal_point, secretariat

app_name = "registration"

urlpatterns = [
    # the delegate
    path("registration/", delegate.my_registrations, name="mine"),
    path("registration/<int:pk>/", delegate.registration_detail, name="detail"),
    path("registration/<int:pk>/cancel/", delegate.cancel, name="cancel"),
    path("registration/<int:pk>/edit/", delegate.edit, name="edit"),
    path("registration/affiliations/request/", delegate.request_affiliation, name="request_affiliation"),
    path("meetings/<int:meeting_pk>/register/", delegate.register, name="register"),
    # the focal point (and the secretariat)
    path("registration/queue/", focal_point.queue, name="queue"),
    path("registration/<int:pk>/approve/", focal_point.approve, name="approve"),
    path("registration/<int:pk>/reject/", focal_point.reject, name="reject"),
    path("registration/affiliations/<int:pk>/confirm/", focal_point.confirm_affiliation, name="confirm_affiliation"),
    path("registration/affiliations/<int:pk>/decline/", focal_point.decline_affiliation, name="decline_affiliation"),
    path("registration/entities/<int:pk>/", focal_point.entity_detail, name="entity"),
    path("registration/entities/<int:pk>/auto-approval/", focal_point.auto_approval, name="auto_approval"),
    path("registration/entities/<int:pk>/meetings/<int:meeting_pk>/", focal_point.delegation, name="delegation"),
    # the secretariat
    path("registration/entities/", secretariat.entity_list, name="entities"),
    path("registration/entities/new/", secretariat.entity_create, name="entity_create"),
    path("registration/entities/<int:pk>/edit/", secretariat.entity_edit, name="entity_edit"),
    path("registration/entities/import/", secretariat.entity_import, name="entity_import"),
    path("registration/<int:pk>/visa-letter.pdf", secretariat.visa_letter_pdf, name="visa_letter"),
    path("meetings/<int:meeting_pk>/registrations/", secretariat.meeting_registrations, name="meeting_registrations"),
    path("meetings/<int:meeting_pk>/registrations.csv", secretariat.meeting_registrations_csv, name="meeting_csv"),
    path("meetings/<int:meeting_pk>/participants-pdf/", secretariat.participants_pdf, name="participants_pdf"),
    path("meetings/<int:meeting_pk>/registrations/add/", secretariat.register_someone, name="register_someone"),
]
