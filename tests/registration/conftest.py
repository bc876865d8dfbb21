"""The registration tests use the shared fixtures of tests/conftest.py (meeting, entity, focal_point, member …)."""
