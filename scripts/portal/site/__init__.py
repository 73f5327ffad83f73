"""The site generator side (MkDocs + Material + mkdocs-static-i18n): building, serving, the hooks,
and what runs after a build. Replacing the generator means replacing this folder, mkdocs.yml and
overrides/, not the records, the model or the renderer."""
from . import engine

# Before any module here imports mkdocs: MkDocs itself, or ProperDocs answering for it (engine.py).
engine.activate()
