"""``{% fragment_cache %}``: a stored fragment with forms, served with each request's own CSRF token."""

import re

import pytest
from django.conf import settings
from django.middleware.csrf import CsrfViewMiddleware
from django.template import Context, RequestContext, Template
from django.test import RequestFactory

from sg17portal.fragments import TOKEN_PLACEHOLDER

TEMPLATE = Template(
    "{% load fragments %}{% fragment_cache seconds form name %}<form method='post'>{% csrf_token %}{{ name }}</form>"
    "{% endfragment_cache %}"
)
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def render(seconds: int, name: str) -> tuple[str, str]:
    """The HTML and the request's CSRF secret (what its cookie would hold)."""
    request = RequestFactory().get("/")
    html = TEMPLATE.render(RequestContext(request, {"seconds": seconds, "name": name}))
    return html, request.META["CSRF_COOKIE"]


def accepted(token: str, secret: str) -> bool:
    """Django's CSRF check of a form sent with ``token`` by a browser whose cookie holds ``secret``."""
    request = RequestFactory().post("/", {"csrfmiddlewaretoken": token}, secure=False)
    request.COOKIES[settings.CSRF_COOKIE_NAME] = secret
    return CsrfViewMiddleware(lambda r: None).process_view(request, lambda r: None, (), {}) is None


def test_each_request_gets_the_stored_fragment_with_its_own_token():
    first, first_secret = render(600, "Hana")
    second, second_secret = render(600, "Hana")  # from the cache
    assert first_secret != second_secret
    assert TOKEN_PLACEHOLDER not in first + second
    assert accepted(TOKEN.search(first).group(1), first_secret)
    assert accepted(TOKEN.search(second).group(1), second_secret)
    assert not accepted(TOKEN.search(first).group(1), second_secret)


def test_the_fragment_is_stored_once_for_the_same_values():
    render(600, "Hana")
    again = Template("{% load fragments %}{% fragment_cache 600 form name %}changed{% endfragment_cache %}").render(
        Context({"name": "Hana"})
    )
    assert "<form" in again


def test_no_time_means_rendered_each_time_and_never_kept():
    assert "Otto" in render(0, "Otto")[0]
    fresh = Template("{% load fragments %}{% fragment_cache 0 form name %}changed{% endfragment_cache %}").render(
        Context({"name": "Otto"})
    )
    assert fresh == "changed"


@pytest.mark.parametrize("arguments", ["", "600"])
def test_a_fragment_needs_a_time_and_a_name(arguments):
    from django.template import TemplateSyntaxError

    with pytest.raises(TemplateSyntaxError):
        Template(f"{{% load fragments %}}{{% fragment_cache {arguments} %}}x{{% endfragment_cache %}}")


def test_the_address_is_each_requests_own_and_empty_without_a_request():
    template = Template(
        "{% load fragments %}{% fragment_cache 600 addressed %}"
        '<input value="{% current_path %}">{% endfragment_cache %}'
    )
    first = template.render(RequestContext(RequestFactory().get("/meetings/", {"q": "<x>"})))
    second = template.render(RequestContext(RequestFactory().get("/meetings/", {"page": "2"})))  # from the cache
    assert first == '<input value="/meetings/?q=%3Cx%3E">'
    assert second == '<input value="/meetings/?page=2">'
    assert template.render(Context({})) == '<input value="">'
