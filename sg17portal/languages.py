"""The six ITU languages: which one a request is served in, and which one a person reads.

A page's address says its language: English at the bare address, the others under their prefix (``/fr/…``). A
visitor who arrives at a bare address and prefers another language (their profile when signed in, else the choice
they made with the switcher, else the browser's Accept-Language) is sent to that language's address, so a page
served from a bare address is always English and a cache keyed on the address never mixes languages.
"""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.middleware.locale import LocaleMiddleware
from django.urls import is_valid_path
from django.utils import translation
from django.utils.cache import patch_vary_headers

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def supported(code: str | None) -> str | None:
    """``code`` as one of the portal's languages (``zh-Hans`` → ``zh-hans``), or None."""
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


def preferred_language(request) -> str:
    """The language this person asked for: profile, then the switcher's cookie, then the browser."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and (chosen := supported(user.language)):
        return chosen
    # Django reads the switcher's cookie first, then Accept-Language.
    return translation.get_language_from_request(request, check_path=False)


class PortalLocaleMiddleware(LocaleMiddleware):
    """Django's locale middleware, plus the first-visit redirect from a bare address to the preferred language.

    Only GET and HEAD are redirected, and only to an address that exists in that language.
    """

    def process_request(self, request):
        super().process_request(request)
        if request.method not in ("GET", "HEAD") or translation.get_language_from_path(request.path_info):
            return None
        language = preferred_language(request)
        if language == settings.LANGUAGE_CODE:
            return None
        urlconf = getattr(request, "urlconf", None)
        prefixed = f"/{language}{request.path_info}"
        with translation.override(language):  # the prefix patterns match the active language's prefix only
            if not is_valid_path(prefixed, urlconf):
                return None
        response = HttpResponseRedirect(request.get_full_path().replace(request.path_info, prefixed, 1))
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response

    def process_response(self, request, response):
        response = super().process_response(request, response)
        if not translation.get_language_from_path(request.path_info):
            # The same bare address answers English or a redirect, depending on who asks.
            patch_vary_headers(response, ("Cookie",))
        return response
