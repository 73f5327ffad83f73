"""Step marks for benchmarks/timeline.py (portal/phases.py): printed only when asked for."""
from __future__ import annotations

import re

from portal import phases


def test_no_mark_without_the_variable(monkeypatch, capsys):
    monkeypatch.delenv(phases.ENV, raising=False)
    with phases.phase("validate"):
        pass
    monkeypatch.setenv(phases.ENV, "0")
    with phases.phase("validate"):
        pass
    assert capsys.readouterr() == ("", "")


def test_start_and_end_even_when_the_step_fails(monkeypatch, capsys):
    monkeypatch.setenv(phases.ENV, "1")
    try:
        with phases.phase("MkDocs en"):
            raise KeyError("x")
    except KeyError:
        pass
    out, err = capsys.readouterr()
    assert out == ""
    assert re.fullmatch(r"phase: MkDocs en …\nphase: MkDocs en done in \d+\.\d s\n", err)
