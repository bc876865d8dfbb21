"""The yardstick of ``http_bench``: a Django project of one view that answers "Hello, world", nothing else.

Served by gunicorn exactly as the portal is (same workers, same machine, same run), it gives the req/s a page of
the portal is compared with: ``gunicorn --chdir bench hello_wsgi:application``.
"""

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY="hello-world-benchmark-only-" + "x" * 40,
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    USE_I18N=False,
)


def hello(request):
    return HttpResponse("Hello, world", content_type="text/plain")


urlpatterns = [path("", hello)]

application = get_wsgi_application()
