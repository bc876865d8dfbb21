from django.contrib import admin
from django.urls import include, path

from accounts import views as account_views

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("accounts/login/", account_views.login, name="account_login"),
    path("accounts/reauthenticate/", account_views.reauthenticate, name="account_reauthenticate"),
    path("accounts/", include("allauth.urls")),
    path("profile/", include("accounts.urls")),
    path("", include("meetings.urls")),
    path("", include("registration.urls")),
    path("", include("documents.urls")),
    path("", include("agenda.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "sg17portal.views.permission_denied"
handler404 = "sg17portal.views.page_not_found"
handler500 = "sg17portal.views.server_error"
