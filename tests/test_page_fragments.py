"""``{% cache %}`` from ``{% load fragments %}``: a page's fragments read from the cache in one round trip
(``sg17portal.fragments.PageFragmentNode``), each as fresh as Django's own tag keeps it."""

import re
from pathlib import Path

import pytest
from django.core.cache import cache, caches
from django.core.cache.utils import make_template_fragment_key
from django.template import Context, Template, TemplateSyntaxError

from sg17portal.request_cache import request_scope

pytestmark = pytest.mark.usefixtures("on_redis")

PAGE = Template(
    "{% load fragments %}"
    "{% cache 600 first version %}first {{ version }}{% endcache %}|"
    "{% block body %}{% cache 600 second version %}second {{ version }}{% endcache %}{% endblock %}|"
    "{% if show %}{% fragment_cache 600 third version %}third {{ version }}{% endfragment_cache %}{% endif %}"
)


def reads(commands) -> list[list[str]]:
    return [[key.split(".")[-2] for key in command[1:]] for command in commands if command[0] in ("GET", "MGET")]


def render(template, **values) -> str:
    with request_scope():
        return template.render(Context(values))


def test_the_fragments_of_a_page_are_read_in_one_round_trip(redis_commands):
    assert render(PAGE, version=1, show=True) == "first 1|second 1|third 1"
    assert reads(redis_commands) == [["first", "second", "third"]]  # none there yet: each rendered and stored

    redis_commands.clear()
    assert render(PAGE, version=1, show=True) == "first 1|second 1|third 1"
    assert reads(redis_commands) == [["first", "second", "third"]]
    assert not [command for command in redis_commands if command[0] not in ("GET", "MGET")]  # nothing written


def test_each_fragment_read_together_is_what_its_own_key_holds(redis_commands):
    render(PAGE, version=1, show=True)
    assert render(PAGE, version=2, show=True) == "first 2|second 2|third 2"
    cache.delete(make_template_fragment_key("second", [1]))
    redis_commands.clear()
    assert render(PAGE, version=1, show=True) == "first 1|second 1|third 1"
    assert reads(redis_commands) == [["first", "second", "third"]]
    assert [command[0] for command in redis_commands] == ["MGET", "SET"]  # the missing one rendered and stored


def test_a_fragment_keyed_by_a_value_set_after_the_first_reads_itself(redis_commands):
    template = Template(
        "{% load fragments %}{% cache 600 before version %}a{{ version }}{% endcache %}"
        "{% with later=version|add:1 %}{% cache 600 after later %}b{{ later }}{% endcache %}{% endwith %}"
    )
    assert render(template, version=1) == "a1b2"
    redis_commands.clear()
    assert render(template, version=1) == "a1b2"
    # The first read asked for the second fragment without ``later`` (not there yet), which the second does not take.
    assert len(reads(redis_commands)) == 2, redis_commands


def test_outside_a_request_each_fragment_reads_itself(redis_commands):
    assert PAGE.render(Context({"version": 3, "show": True})) == "first 3|second 3|third 3"
    redis_commands.clear()
    assert PAGE.render(Context({"version": 3, "show": True})) == "first 3|second 3|third 3"
    assert reads(redis_commands) == [["first"], ["second"], ["third"]]


def test_no_time_renders_each_time_and_another_cache_is_djangos(settings):
    settings.CACHES = {**settings.CACHES, "other": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    template = Template(
        "{% load fragments %}{% cache 0 never version %}{{ version }}{% endcache %}"
        '{% cache 600 elsewhere version using="other" %}{{ version }}{% endcache %}'
    )
    assert render(template, version=1) == "11"
    assert render(template, version=1) == "11"
    assert cache.get(make_template_fragment_key("never", [1])) is None
    assert len(caches["other"]._cache) == 1  # noqa: SLF001


@pytest.mark.parametrize("time", ["soon", "missing"])
def test_a_bad_time_is_refused_as_djangos_tag_refuses_it(time):
    template = Template(f"{{% load fragments %}}{{% cache {time} name %}}x{{% endcache %}}")
    with pytest.raises(TemplateSyntaxError):
        render(template, soon="soon")


def test_every_cached_fragment_of_the_portal_is_read_with_the_others():
    """A template that loaded Django's ``cache`` library would read each of its fragments on its own."""
    root = Path(__file__).resolve().parents[1]
    templates = [
        path
        for path in root.glob("**/templates/**/*.html")
        if not any(part.startswith(".") for part in path.relative_to(root).parts)
    ]
    using = [path for path in templates if "{% cache " in path.read_text()]
    assert len(using) >= 6
    djangos = [path.name for path in templates if any(" cache " in f" {load} " for load in _loads(path))]
    assert djangos == []
    assert all("fragments" in " ".join(_loads(path)) for path in using)


def _loads(path: Path) -> list[str]:
    return re.findall(r"{% load ([^%]+)%}", path.read_text())
