from django.contrib.staticfiles.finders import AppDirectoriesFinder


class LinkedAppDirectoriesFinder(AppDirectoriesFinder):
    """The static files of the installed apps, less those no page links to: ``collectstatic`` leaves them out.

    Every file collected is one more entry WhiteNoise keeps in each web worker's memory (with its compressed and
    hashed copies, four entries): of about 1,900 files collected, fewer than half were ever served. Left out:
    Bootstrap's unused builds (the pages link ``bootstrap.min.css``, ``bootstrap.rtl.min.css`` and
    ``bootstrap.bundle.min.js``; their source maps stay, as the manifest storage follows the links to them),
    django-countries' flags, the static files of the browsable API (the API answers JSON only) and ReDoc (the API
    documentation is Swagger UI), and the admin's Select2, which only ``autocomplete_fields`` use (no admin of the
    portal has them; one that does needs ``select2`` taken off this list).
    """

    ignore_patterns = [
        "bootstrap/css/bootstrap-*",
        "bootstrap/css/bootstrap.css*",
        "bootstrap/css/bootstrap.rtl.css*",
        "bootstrap/js/bootstrap.js*",
        "bootstrap/js/bootstrap.min.js*",
        "bootstrap/js/bootstrap.esm*",
        "bootstrap/js/bootstrap.bundle.js*",
        "bootstrap/js/jquery*",
        "flags",
        "rest_framework",
        "redoc",
        "select2",
    ]

    def list(self, ignore_patterns):
        return super().list([*(ignore_patterns or []), *self.ignore_patterns])
