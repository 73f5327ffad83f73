"""Fixtures of the pipeline tests."""
from __future__ import annotations

import pytest


@pytest.fixture
def unrenderable_event(monkeypatch):
    """A gap in validation: the fixture's event of 2019-10-25 validates but cannot be rendered (its
    date fails in the renderer). The pipeline must name the record, not end in a traceback."""
    from portal.render import context as render
    real = render.PageContext.date

    def broken(self, value):
        if value == "2019-10-25":
            raise ValueError("year 0 is out of range")
        return real(self, value)
    monkeypatch.setattr(render.PageContext, "date", broken)
