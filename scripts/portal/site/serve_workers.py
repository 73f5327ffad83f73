"""The preview's dirty rebuilds, one process per language, side by side.

mkdocs-static-i18n rebuilds the languages one after the other in one process, and about a third
of a language's rebuild is fixed cost whatever changed (MkDocs lists the theme's 14,500 files, the
plugin re-sorts every file into languages): with three languages a saved record waited over a
second for MkDocs alone. As `portal build` does (site/build.py), each language here is built by a
process of its own with the plugin's documented build_only_locale option, into its folder of the
preview's site (the source language at the root, the others under <lang>/); the processes are
started once, with everything imported, and wait for a request on their standard input.

Only dirty rebuilds go here: a full one (a hand-written page, mkdocs.yml, a removed page) cleans the
whole site folder, and stays the single-process build of site/run.py.

Protocol: the preview writes "dirty" on a line; the worker builds and answers "ok" or "failed".
End of input: the worker exits (so it never outlives the preview).
"""
from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .. import languages

OK, FAILED = "ok", "failed"


class LanguageWorkers:
    """One `run.py serve-language` process per language of the registry."""

    def __init__(self, root: Path, site_dir: str, serve_url: str, addr: str, hooks: list[str]):
        registry = languages.registry()
        env = dict(os.environ, PYTHONPATH=str(root / "scripts"), NO_MKDOCS_2_WARNING="1")

        def start(code: str) -> subprocess.Popen:
            out = os.path.join(site_dir, registry.prefix(code).strip("/"))
            return subprocess.Popen(
                [sys.executable, "-m", "portal.site.run", "serve-language", code, out, serve_url, addr,
                 os.pathsep.join(hooks)],
                cwd=root, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)

        self.start = start
        self.procs: dict[str, subprocess.Popen] = {code: start(code) for code in registry.codes}
        self.pool = ThreadPoolExecutor(max_workers=len(self.procs))
        # A first rebuild with nothing to do, now: a worker's first build compiles and caches what
        # every later one reuses, which made the first save slower than the others (2.0 s vs 1.3 s).
        self.warming = [self.pool.submit(self._ask, proc) for proc in self.procs.values()]

    def rebuild(self) -> bool:
        """A dirty rebuild of every language at once; True when every one succeeded. False when a
        worker failed or had died: the caller builds everything instead, and a dead worker is
        replaced for the next save."""
        for warm in self.warming:  # (its answer is read before the next question is asked)
            warm.result()
        self.warming = []
        ok = all(self.pool.map(self._ask, self.procs.values()))
        for code, proc in self.procs.items():
            if proc.poll() is not None:
                self.procs[code] = self.start(code)
        return ok

    @staticmethod
    def _ask(proc: subprocess.Popen) -> bool:
        if proc.poll() is not None:
            return False
        try:
            proc.stdin.write("dirty\n")
            proc.stdin.flush()
            return proc.stdout.readline().strip() == OK
        except OSError:
            return False

    def alive(self) -> bool:
        return all(proc.poll() is None for proc in self.procs.values())

    def stop(self) -> None:
        for proc in self.procs.values():
            try:
                proc.stdin.close()
            except OSError:
                pass
        for proc in self.procs.values():
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        self.pool.shutdown()


def serve_language(root: Path, code: str, site_dir: str, serve_url: str, addr: str, hooks: list[str]) -> int:
    """The worker: a dirty build of one language per request line on standard input."""
    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    from . import config as site_config
    from . import engine
    # As in site/run.py: the warning every dirty build logs is the reason full builds exist.
    engine.logger("commands.build").addFilter(
        lambda record: not record.getMessage().startswith("A 'dirty' build is being performed"))
    # The answers go on stdout; MkDocs' log must not.
    answers, sys.stdout = sys.stdout, sys.stderr
    prefix = languages.registry().prefix(code)
    started = False
    for request in sys.stdin:
        if request.strip() != "dirty":
            continue
        try:
            cfg = site_config.load(root, language=code, site_dir=site_dir, dev_addr=addr, hooks=hooks,
                                   site_url=serve_url)
            if not started:  # once, as `mkdocs serve` does (plugins and hooks outlive a rebuild)
                cfg.plugins.on_startup(command="serve", dirty=True)
                started = True
            build(cfg, serve_url=serve_url + prefix, dirty=True)
            answer = OK
        except (MkDocsException, OSError) as exc:
            print(f"ERROR   -  [{code}] {type(exc).__name__}: {exc}", file=sys.stderr)
            answer = FAILED
        answers.write(answer + "\n")
        answers.flush()
    return 0
