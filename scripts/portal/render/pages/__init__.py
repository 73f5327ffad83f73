"""Every page the generator writes, listed in one place: a producer yields the pages of one kind
in one language. To add a page kind: a template in scripts/templates/, a module here, one line below."""
from __future__ import annotations

from ... import languages
from ..site import Page, Site
from . import parallel
from .catalogue import catalogue_pages
from .facets import facet_pages
from .fallbacks import fallback_pages
from .funding import funding_pages
from .newest import newest_snippet
from .records import record_pages
from .redirects import redirect_pages
from .status import status_pages

PRODUCERS = (record_pages, catalogue_pages, facet_pages, newest_snippet, redirect_pages,
             status_pages, funding_pages, fallback_pages)


def all_pages(site: Site, after=()) -> list[Page]:
    """Every page in every language, rendered in memory (nothing is written here), then the pages of
    the producers `after` (the pipeline's exports, which render/ does not import) in every language;
    on every core when the catalogue is large (parallel.py), in the same order and with the same bytes."""
    workers = parallel.jobs(site)
    if workers > 1:
        return parallel.render_all(site, PRODUCERS, workers, after)
    return [page for producers in (PRODUCERS, after) for lang in languages.registry().codes
            for produce in producers for page in produce(site, lang)]
