from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from accounts import views as account_views

from . import views

# Pages exist in the six languages: English at the bare address (/meetings/12/), the others under their prefix
# (/fr/meetings/12/), so that a page's address says its language and can be bookmarked, shared and cached.
# Machine addresses (health, the API, calendar feeds) and the admin stay outside the prefixes.
urlpatterns = [
    path("health/", views.health, name="health"),
    path("language/", account_views.set_language, name="set_language"),
    path("", include("api.urls")),
    path("admin/", admin.site.urls),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("accounts/login/", account_views.login, name="account_login"),
    path("accounts/reauthenticate/", account_views.reauthenticate, name="account_reauthenticate"),
    path("accounts/", include("allauth.urls")),
    path("profile/", include("accounts.urls")),
    path("", include("meetings.urls")),
    path("", include("registration.urls")),
    path("", include("documents.urls")),
    path("", include("agenda.urls")),
    prefix_default_language=False,
)

handler403 = "sg17portal.views.permission_denied"
handler404 = "sg17portal.views.page_not_found"
handler500 = "sg17portal.views.server_error"
