"""Baltic circular-economy portal: records in data/ -> validated -> pages in docs/<lang>/.

The pipeline reads top to bottom in this folder:
load.py (YAML with positions) -> validate.py (against schema.py) -> render.py (templates per page
kind and language) -> write.py (atomic, only what changed) -> build.py (the site generator).
Nothing before build.py imports MkDocs, so the site generator can be replaced without touching
records or templates.
"""
