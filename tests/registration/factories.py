"""Factories of the registration tests, next to the shared ones in tests/factories.py."""

from tests.factories import open_meeting


def upcoming_meeting(**kwargs):
    """An announced hybrid meeting in about three months: registration, fellowships and visas all open."""
    return open_meeting(**{"format": "hybrid", "venue": "ITU headquarters, Geneva", **kwargs})
