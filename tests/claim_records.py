"""Comparing extracted claims with expected (entity, metric, period, value, unit, kind, qualifier) rows."""

import pytest

FIELDS = ("entity", "metric", "period", "value", "unit", "kind", "qualifier")


def assert_claims(claims, expected):
    """The claims are exactly the expected rows, in any order; values compare approximately."""
    got = sorted(tuple(getattr(c, f) for f in FIELDS) for c in claims)
    assert len(got) == len(expected), got
    for g, e in zip(got, sorted(expected)):
        assert g[:3] == e[:3] and g[4:] == e[4:], (g, e)
        assert g[3] == pytest.approx(e[3]), (g, e)
