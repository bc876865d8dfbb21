"""The message catalogs of the six languages, under ``locale/``.

    python -m sg17portal.catalogs compile   writes each catalog's .mo next to its .po (pure Python: no GNU gettext
                                            needed to install or run the portal)
    python -m sg17portal.catalogs update    refreshes the .po files from the source (``makemessages``; needs GNU
                                            gettext): new strings arrive untranslated, changed ones fuzzy
    python -m sg17portal.catalogs check     update, then fail on any untranslated or fuzzy entry, naming them

``make install`` compiles; ``make lint`` checks; ``make messages`` updates.
"""

import os
import pathlib
import sys

import polib

ROOT = pathlib.Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale"
IGNORED = [".venv*", "bench/*", "tests/*", "var/*", "staticfiles/*", "media/*", "build/*"]


def catalogs() -> list[pathlib.Path]:
    return sorted(LOCALE.glob("*/LC_MESSAGES/django.po"))


def compile_all() -> None:
    for po_path in catalogs():
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))


def update() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sg17portal.settings")
    os.environ.setdefault("DJANGO_ENV", "test")
    import django
    from django.conf import settings
    from django.core.management import call_command
    from django.utils.translation import to_locale

    django.setup()
    os.chdir(ROOT)
    languages = [to_locale(code) for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
    call_command(
        "makemessages", locale=languages, no_obsolete=True, no_location=True, ignore_patterns=IGNORED, verbosity=0
    )


def check() -> int:
    update()
    problems = 0
    for po_path in catalogs():
        catalog = polib.pofile(str(po_path))
        missing = catalog.untranslated_entries() + catalog.fuzzy_entries()
        for entry in missing:
            state = "fuzzy" if entry.fuzzy else "untranslated"
            print(f"{po_path.relative_to(ROOT)}: {state}: {entry.msgid[:100]!r}")
        problems += len(missing)
    if problems:
        print(f"{problems} entries need a translation: edit the .po files above (`make messages` refreshes them).")
    return 1 if problems else 0


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "compile":
        compile_all()
    elif command == "update":
        update()
    elif command == "check":
        sys.exit(check())
    else:
        sys.exit(__doc__)
