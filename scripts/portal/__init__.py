"""Baltic circular-economy portal: records in data/ -> validated -> pages in docs/<lang>/ -> site.

The folders read as the pipeline:
model/ (load YAML with positions -> validate against the schema) -> render/ (templates per page
kind and language) and export/ (open data, feeds, charts), which do not import each other: what both
need is here (escape.py encodes record text, history.py dates records) or in model/ -> write.py
(atomic, only what changed) -> site/ (the site generator: MkDocs). pipeline.py runs the first
three once per change of input; commands/ is the command line; languages.py the language registry;
paths.py where pages live.
Nothing outside site/ imports MkDocs, so the site generator can be replaced without touching
records, the model or the templates.
"""
