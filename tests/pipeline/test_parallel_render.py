"""Rendering on several cores (render/pages/parallel.py) gives the serial pages, in the serial order,
and a page that cannot be rendered is reported exactly as in one process."""
from __future__ import annotations

import pytest

from portal import pipeline
from portal.model.validate import validate
from portal.render import RenderError
from portal.render.pages import PRODUCERS, all_pages, parallel
from portal.render.site import Site


@pytest.fixture
def small_shares(monkeypatch):
    # The fixture data set is small: make it take the parallel road with several record tasks.
    monkeypatch.setattr(parallel, "MIN_PAGES", 0)
    monkeypatch.setattr(parallel, "RECORD_SHARE", 2)
    monkeypatch.setenv("PORTAL_BUILD_JOBS", "2")


def test_parallel_pages_are_the_serial_pages(repo, monkeypatch, small_shares):
    site = Site(validate(repo), repo)
    together = parallel.render_all(site, PRODUCERS, 2)
    monkeypatch.setenv("PORTAL_BUILD_JOBS", "1")
    alone = all_pages(Site(validate(repo), repo))
    assert [(p.path, p.text) for p in together] == [(p.path, p.text) for p in alone]


def test_a_render_error_in_a_worker_names_the_record_as_in_one_process(repo, monkeypatch, small_shares,
                                                                        unrenderable_event):
    # The generation takes the parallel road whatever the machine (one core, threads left by other
    # tests), so this cannot pass by rendering in one process.
    monkeypatch.setattr(parallel, "jobs", lambda site: 2)
    with pytest.raises(pipeline.ValidationFailed) as failed:
        pipeline.generate(repo)
    [problem] = failed.value.problems
    assert str(problem).startswith("data/events/meeting-2019.yml:1:1: could not be turned into the page ")
    assert "ValueError: year 0 is out of range" in str(problem)
    assert not any((repo / "docs").rglob("*.md"))
    with pytest.raises(RenderError):
        parallel.render_all(Site(validate(repo), repo), PRODUCERS, 2)


def test_the_exports_rendered_with_the_pages_are_the_serial_ones(repo, monkeypatch, small_shares):
    # The pipeline hands the exports in (`after`): the workers take them first, the pages come back
    # in task order all the same.
    site = Site(validate(repo), repo)
    together = parallel.render_all(site, PRODUCERS, 2, after=pipeline.export_producers())
    monkeypatch.setenv("PORTAL_BUILD_JOBS", "1")
    alone = all_pages(Site(validate(repo), repo), after=pipeline.export_producers())
    assert [(p.path, p.text) for p in together] == [(p.path, p.text) for p in alone]
    assert any(p.path.endswith(".xlsx") for p in alone)
