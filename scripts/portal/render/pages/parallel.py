"""Rendering on every core: at 10,000 records the pages take about a minute of one core's time.

The work is cut into tasks in the serial order (per language: each producer, the record pages in
shares of RECORD_SHARE); forked workers render them from the parent's Site (nothing is pickled on
the way in) and the pages come back in task order, so the result is the serial one, byte for byte.
Used only where forking is safe and pays: a single-threaded process (`portal generate`, `portal
build`; never the live preview, whose server runs threads), more than one core, and enough pages.
PORTAL_BUILD_JOBS caps the number of workers, as it does for the MkDocs builds.
"""
from __future__ import annotations

import gc
import multiprocessing
import os
import threading

from ... import languages
from ...model import schema as S
from ..site import Page, RenderError, Site

MIN_PAGES = 1500  # below this (today's 60 records: ~450 pages) the serial loop is as fast
RECORD_SHARE = 250  # records per task: small enough to keep both cores busy to the end

_SITE: Site | None = None  # the Site being rendered, inherited by the forked workers


def jobs(site: Site) -> int:
    """How many workers to use for this site (1: render in this process)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 1
    try:
        cap = int(os.environ.get("PORTAL_BUILD_JOBS") or cores)
    except ValueError:
        cap = cores
    records = sum(len(recs) for recs in site.cat.records.values())
    if (cap < 2 or cores < 2 or records * len(languages.registry().codes) < MIN_PAGES
            or threading.active_count() > 1 or "fork" not in multiprocessing.get_all_start_methods()):
        return 1
    return min(cap, cores)


def render_all(site: Site, producers, workers: int) -> list[Page]:
    """Every page of every producer in every language, rendered by `workers` forked processes."""
    from .records import record_pages
    global _SITE
    tasks: list[tuple] = []
    for lang in languages.registry().codes:
        for index, produce in enumerate(producers):
            if produce is record_pages:
                for kind in S.KINDS:
                    slugs = site.sorted_slugs(kind)
                    tasks += [(lang, index, kind, slugs[i:i + RECORD_SHARE])
                              for i in range(0, len(slugs), RECORD_SHARE)]
            else:
                tasks.append((lang, index, None, None))
    _prepare(site)
    _SITE = site
    gc.collect()
    gc.freeze()  # the workers share the catalogue's memory: their collector must not touch it
    try:
        with multiprocessing.get_context("fork").Pool(workers, initargs=(producers,),
                                                      initializer=_init) as pool:
            out: list[Page] = []
            for result in pool.imap(_run, tasks, chunksize=1):
                if isinstance(result, _Failure):
                    raise result.error()
                out.extend(result)
    finally:
        _SITE = None
        gc.unfreeze()
    return out


def _prepare(site: Site) -> None:
    """What every task reads, computed once in the parent rather than once per worker."""
    from ...history import record_dates
    record_dates(site)
    for kind in S.KINDS:
        site.sorted_slugs(kind)


_PRODUCERS: tuple = ()


def _init(producers) -> None:
    global _PRODUCERS
    _PRODUCERS = producers


class _Failure:
    """A RenderError, carried back to the parent as plain text (its cause may not pickle)."""

    def __init__(self, err: RenderError):
        self.source, self.page = err.source, err.page
        self.cause_type, self.cause_text = type(err.cause).__name__, str(err.cause)

    def error(self) -> RenderError:
        cause = type(self.cause_type, (Exception,), {})(self.cause_text)
        return RenderError(self.source, self.page, cause)


def _run(task: tuple):
    from .records import record_pages_of
    lang, index, kind, slugs = task
    try:
        if kind is not None:
            return list(record_pages_of(_SITE, lang, kind, slugs))
        return list(_PRODUCERS[index](_SITE, lang))
    except RenderError as err:
        return _Failure(err)
