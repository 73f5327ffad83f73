"""Live preview: `mkdocs serve` on the generated pages, and generation on every save of a record.

MkDocs watches docs/ and rebuilds when a generated page changes. The record files, templates and
interface strings are watched here instead of by MkDocs, so that one save means one generation and
one rebuild (MkDocs watching data/ would rebuild once for the record and again for the pages the
generation writes), and so that a record that does not validate never reaches MkDocs: its errors
are printed here and the preview keeps showing the last good site.
"""
from __future__ import annotations

import sys
import threading
from pathlib import Path

from watchdog.events import FileSystemEventHandler
from watchdog.observers import Observer

from .. import pipeline
from ..model.errors import report
from . import build

WATCHED = ("data", "scripts/templates", "scripts/locales")
QUIET_SECONDS = 0.2  # editors save in bursts (temp file, rename): wait until the burst is over


class _Changed(FileSystemEventHandler):
    def __init__(self, wake: threading.Event):
        self.wake = wake

    def on_any_event(self, event):
        if not event.is_directory:
            self.wake.set()


_LAST_FAILED = {"fingerprint": None}  # the errors of one input state are printed once


def regenerate(root: Path, stream=sys.stderr) -> bool:
    """Generate if the inputs changed; on invalid records print the errors and keep the pages."""
    if pipeline.input_fingerprint(root) == _LAST_FAILED["fingerprint"]:
        return False
    try:
        result = pipeline.ensure_generated(root)
    except pipeline.ValidationFailed as failed:
        _LAST_FAILED["fingerprint"] = pipeline.input_fingerprint(root)
        report(failed.problems, stream)
        print("The preview keeps showing the last valid version until this is fixed.", file=stream)
        return False
    _LAST_FAILED["fingerprint"] = None
    if result is not None:
        print(f"Generated pages: {result.report.summary()}.", file=stream)
    return True


def serve(root: Path, addr: str) -> int:
    regenerate(root)
    wake = threading.Event()
    observer = Observer()
    for folder in WATCHED:
        if (root / folder).is_dir():
            observer.schedule(_Changed(wake), str(root / folder), recursive=True)
    observer.start()
    server = build.mkdocs_serve(root, addr)
    try:
        while server.poll() is None:
            if wake.wait(timeout=1.0):
                while wake.is_set():  # let a burst of events settle before generating
                    wake.clear()
                    wake.wait(timeout=QUIET_SECONDS)
                regenerate(root)
    except KeyboardInterrupt:
        server.terminate()
    finally:
        observer.stop()
        observer.join()
    return server.wait()
