"""Rendering on every core: at 10,000 records the pages take about a minute of one core's time.

The work is cut into tasks in the serial order (per language: each producer, the record pages in
shares of RECORD_SHARE; then per language each of the producers `after`, the pipeline's exports);
forked workers render them from the parent's Site (nothing is pickled on the way in; a kept page
comes back as its path, dependencies.for_parent) and the pages are put back in task order, so the
result is the serial one, byte for byte. The exports are handed out first: each reads every
record, the longest tasks, which would otherwise leave one worker at the end while the other waits.
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
from .. import dependencies
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


def render_all(site: Site, producers, workers: int, after=()) -> list[Page]:
    """Every page of every producer in every language, then those of the producers `after` (the
    exports, handed in by the pipeline) in every language, rendered by `workers` forked processes."""
    global _SITE
    tasks = _tasks(site, producers) + [(lang, len(producers) + index, None, None)
                                       for lang in languages.registry().codes
                                       for index in range(len(after))]
    # The exports first (each reads every record: the longest tasks), so that no worker is left
    # with one at the end while the other waits; the pages are put back in task order.
    order = list(range(len(tasks) - len(after) * len(languages.registry().codes), len(tasks)))
    order += range(len(tasks) - len(order))
    _prepare(site)
    _SITE = site
    frozen = gc.get_freeze_count()  # (what the caller froze stays so: pipeline.long_lived)
    gc.collect()
    gc.freeze()  # the workers share the catalogue's memory: their collector must not touch it
    try:
        with multiprocessing.get_context("fork").Pool(workers, initargs=(tuple(producers) + tuple(after),),
                                                      initializer=_init) as pool:
            results: list = [None] * len(tasks)
            for index, result in pool.imap_unordered(_run, [(i, tasks[i]) for i in order], chunksize=1):
                results[index] = result
    finally:
        _SITE = None
        if not frozen:
            gc.unfreeze()
    out: list[Page] = []
    for result in results:  # the first failure in task order, as one process would meet it
        if isinstance(result, _Failure):
            raise result.error()
        if isinstance(result, BaseException):
            raise result
        out.extend(dependencies.from_worker(result))
    return out


def _tasks(site: Site, producers) -> list[tuple]:
    """(lang, producer index, kind, slugs) in the serial order; the record pages in shares."""
    from .records import record_pages
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
    return tasks


def _prepare(site: Site) -> None:
    """What every task reads, computed once in the parent rather than once per worker."""
    from ...history import record_dates
    from .status import translation_report
    record_dates(site)
    for kind in S.KINDS:
        site.sorted_slugs(kind)
    translation_report(site)  # every language's status page shows it


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


def _run(numbered: tuple):
    from .records import record_pages_of
    number, (lang, index, kind, slugs) = numbered
    try:
        if kind is not None:
            return number, dependencies.for_parent(list(record_pages_of(_SITE, lang, kind, slugs)))
        return number, dependencies.for_parent(list(_PRODUCERS[index](_SITE, lang)))
    except RenderError as err:
        return number, _Failure(err)
    except Exception as exc:  # (not a RenderError: a bug) raised by the parent in task order
        return number, exc
