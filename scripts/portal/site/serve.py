"""Live preview: MkDocs' live-reload server on the generated pages, and generation on every save.

Everything is watched here, not by MkDocs: records, templates and interface strings (a save means
one generation), the hand-written pages under docs/ and mkdocs.yml. When the pages are written,
MkDocs is told to rebuild once (site/run.py, through a trigger file), so one save means one rebuild:
MkDocs polling docs/ itself started building while the generation was still writing and then built
everything again. A rebuild after a generation is dirty (only the pages whose Markdown changed); a
hand-written page, mkdocs.yml or a removed page asks for a full one. A record that does not
validate never reaches MkDocs: its errors are printed here and the preview keeps the last good site.
"""
from __future__ import annotations

import os
import shutil
import signal
import sys
import tempfile
import threading
from pathlib import Path

from watchdog.events import (FileCreatedEvent, FileDeletedEvent, FileModifiedEvent, FileMovedEvent,
                             FileSystemEventHandler)
from watchdog.observers import Observer

from .. import pipeline
from ..model.errors import report
from . import build
from .run import FULL, TRIGGER_ENV

WATCHED = ("data", "scripts/templates", "scripts/locales", "docs")
QUIET_SECONDS = 0.1  # editors save in bursts (temp file, rename): wait until the burst is over
# Only writes are asked of inotify: by default every open and read of a watched file is an event too,
# and the generation's own reads of docs/ and data/ (about 1,600 opens) kept the observer thread
# busy with events it drops, slowing the generation down by half through the GIL.
EVENTS = [FileCreatedEvent, FileModifiedEvent, FileDeletedEvent, FileMovedEvent]


class _Changed(FileSystemEventHandler):
    def __init__(self, wake: threading.Event, paths: set[str], lock: threading.Lock):
        self.wake, self.paths, self.lock = wake, paths, lock

    def on_any_event(self, event):
        if event.is_directory:
            return
        with self.lock:
            self.paths.update(p for p in (event.src_path, getattr(event, "dest_path", "")) if p)
        self.wake.set()


_LAST_FAILED = {"fingerprint": None}  # the errors of one input state are printed once


def regenerate(root: Path, stream=sys.stderr) -> pipeline.Result | None:
    """Generate if the inputs changed; on invalid records print the errors and keep the pages.
    Returns what was generated (None: nothing to do, or the records are not valid)."""
    if _LAST_FAILED["fingerprint"] and pipeline.input_fingerprint(root) == _LAST_FAILED["fingerprint"]:
        return None  # (the inputs are hashed only while an error is being shown)
    try:
        result = pipeline.ensure_generated(root)
    except pipeline.ValidationFailed as failed:
        _LAST_FAILED["fingerprint"] = pipeline.input_fingerprint(root)
        report(failed.problems, stream)
        print("The preview keeps showing the last valid version until this is fixed.", file=stream)
        return None
    _LAST_FAILED["fingerprint"] = None
    if result is not None:
        print(f"Generated pages: {result.report.summary()} ({result.rendered} rendered, "
              f"{result.kept} kept as they were, {result.always} made every time).", file=stream)
    return result


def rebuild_needed(root: Path, changed: set[str], result: pipeline.Result | None,
                   generated: set[str]) -> str:
    """"" (nothing for MkDocs to do), "dirty" or FULL, from the files that changed and what the
    generation wrote; `generated` holds every page (docs-relative) a generation wrote this session,
    whose own write events are not edits."""
    how = ""
    if result is not None and (result.report.written or result.report.removed):
        how = FULL if result.report.removed else "dirty"
    docs = os.path.join(root, "docs", "")
    for path in changed:
        if path == os.path.join(root, "mkdocs.yml"):
            return FULL
        if path.startswith(docs):
            rel = path[len(docs):].replace(os.sep, "/")
            if not Path(rel).name.startswith(".") and rel not in generated:
                return FULL  # a hand-written page: its title may be in every page's sidebar
    return how


def serve(root: Path, addr: str) -> int:
    regenerate(root)
    generated = set(pipeline.previous_pages(root))
    wake, lock, changed = threading.Event(), threading.Lock(), set()
    observer = Observer()
    handler = _Changed(wake, changed, lock)
    for folder in WATCHED:
        if (root / folder).is_dir():
            observer.schedule(handler, str(root / folder), recursive=True, event_filter=EVENTS)
    observer.schedule(handler, str(root), recursive=False, event_filter=EVENTS)  # mkdocs.yml
    observer.start()
    trigger = Path(tempfile.mkdtemp(prefix="portal-serve-"))
    os.environ[TRIGGER_ENV] = str(trigger)  # read by site/run.py in the MkDocs process
    server = build.mkdocs_serve(root, addr)
    # Stopped with SIGTERM (a test, a process manager): stop the MkDocs process too, never orphan it.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    try:
        while server.poll() is None:
            if wake.wait(timeout=1.0):
                while wake.is_set():  # let a burst of events settle before generating
                    wake.clear()
                    wake.wait(timeout=QUIET_SECONDS)
                with lock:
                    paths = set(changed)
                    changed.clear()
                result = regenerate(root)
                generated |= pipeline.previous_pages(root)
                how = rebuild_needed(root, paths, result, generated)
                if how:
                    with open(trigger / "rebuild", "a", encoding="utf-8") as fh:
                        fh.write(how + "\n")  # appended: a full request is never overwritten
    except KeyboardInterrupt:
        server.terminate()
    finally:
        if server.poll() is None and sys.exc_info()[0] is not None:
            server.terminate()
            server.wait(timeout=30)
        observer.stop()
        observer.join()
        shutil.rmtree(trigger, ignore_errors=True)  # on SIGTERM too (SystemExit passes here)
    return server.wait()
