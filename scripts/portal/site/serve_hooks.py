"""MkDocs hooks of the live preview only (site/run.py adds this file to mkdocs.yml's hooks).

Every rebuild of the preview makes a new theme environment per language, which compiled every
template of Material and overrides/ again: half of a dirty rebuild. Compiled templates are kept in a
bytecode cache on disk for the preview's lifetime; Jinja keys each by the template's source, so an
edited template is compiled again.
"""
from __future__ import annotations

import os

import jinja2

CACHE_ENV = "PORTAL_SERVE_TEMPLATE_CACHE"  # a folder of the preview's own (site/run.py)


def on_env(env, **kwargs):
    folder = os.environ.get(CACHE_ENV)
    if folder:
        env.bytecode_cache = jinja2.FileSystemBytecodeCache(folder)
    return env
