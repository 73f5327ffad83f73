"""Open data, feeds, statistics and the map (issue 10): derived once from the validated catalogue.

Nothing here registers itself. The pipeline calls PRODUCERS (below) once per language, after the
record pages (with them on every core when the catalogue is large); each is a plain function
`xxx_pages(site, lang) -> Iterable[Page]`. A data file is written only when what it is made of
changed (`site.file_page`, keyed by its rows). Everything they
share (table rows, counts) is computed once per build in `model.py` and reused; the records' dates,
which the record pages show too, in `../history.py`. Nothing here imports render/ (nor render/ this):
the page helpers come from the Site they are handed (`site.page_context`, `site.render`).
"""
from __future__ import annotations

from .atom import feed_pages
from .datapackage import data_pages
from .map import map_pages
from .stats import statistics_pages
from .tables import data_files

PRODUCERS = (data_files, data_pages, feed_pages, statistics_pages, map_pages)
