"""Run MkDocs on the site's configuration (site/config.py): `python -m portal.site.run build DIR`
(every language, one after the other, as mkdocs-static-i18n does), `build-language LANG=DIR` (one
language, site/build.py runs them in parallel) or `python -m portal.site.run serve ADDR`. A process of its own, so that one build's state (MkDocs,
the theme, the i18n plugin) never leaks into the next."""
from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


TRIGGER_ENV = "PORTAL_SERVE_TRIGGER"  # set by site/serve.py: the folder it signals rebuilds in
FULL = "full"  # the trigger file's text when a dirty rebuild would not do (site/serve.py)


def _serve(addr: str, trigger: Path) -> None:
    """`mkdocs serve`, except that it rebuilds when site/serve.py says so, and how.

    MkDocs' own serve polls docs/ and starts rebuilding while a generation is still writing, then
    rebuilds again for the rest (two full builds of every language per save). Here it watches only
    the trigger folder, which site/serve.py writes once the pages are written, and a rebuild is
    dirty (only pages whose source is newer than their HTML) unless a request says "full": a
    record's pages are not in the sidebar, so nothing else shows them; a hand-written page (a nav
    title), mkdocs.yml or a removed page needs the full build.
    """
    import shutil
    import signal
    import tempfile
    from urllib.parse import urlsplit

    from mkdocs.commands.build import build
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.utils.yaml import yaml_load

    from . import config as site_config
    from . import engine, serve_hooks
    # site/serve.py stops this process with SIGTERM: without a handler Python dies at once and the
    # `finally` below never removes the site and template folders (they piled up in /tmp).
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    site_dir = tempfile.mkdtemp(prefix="mkdocs_")
    # MkDocs warns on every dirty build, which strict mode turns into a failed build; the warning's
    # point (the sidebar of unchanged pages) is why a hand-written page asks for a full build.
    engine.logger("commands.build").addFilter(
        lambda record: not record.getMessage().startswith("A 'dirty' build is being performed"))

    # (not in the trigger folder: MkDocs watches that one)
    os.environ[serve_hooks.CACHE_ENV] = templates = tempfile.mkdtemp(prefix="mkdocs-templates-")
    with open(ROOT / "mkdocs.yml", encoding="utf-8") as handle:
        hooks = [*(yaml_load(handle).get("hooks") or []), serve_hooks.__file__]

    def get_config():
        return site_config.load(ROOT, site_dir=site_dir, dev_addr=addr, hooks=hooks)

    cfg = get_config()
    cfg.plugins.on_startup(command="serve", dirty=True)
    host, port = cfg.dev_addr
    mount_path = urlsplit(cfg.site_url or "/").path
    serve_url = f"http://{host}:{port}{mount_path}"

    seen = {"requests": 0}
    workers: list = []  # the languages' dirty-rebuild processes (site/serve_workers.py), once started

    def builder(cfg=None):
        # site/serve.py appends one line per request; a full one among the new lines wins.
        try:
            requests = (trigger / "rebuild").read_text(encoding="utf-8").split()
        except OSError:
            requests = []
        new, seen["requests"] = requests[seen["requests"]:], len(requests)
        dirty = cfg is None and bool(new) and FULL not in new
        if dirty and workers and workers[0].rebuild():
            return
        if dirty and workers:
            engine.logger().warning("A language's rebuild failed: building everything again.")
            dirty = False
        cfg = cfg or get_config()
        cfg.site_url = serve_url
        # mkdocs-static-i18n builds the other languages with dirty=True only when it reads
        # --dirty on the command line.
        argv, sys.argv = sys.argv, sys.argv + (["--dirty"] if dirty else [])
        try:
            build(cfg, serve_url=serve_url, dirty=dirty)
        finally:
            sys.argv = argv

    # It watches one small trigger folder, so it can look often: MkDocs' default (0.5 s, made for
    # a whole docs/ tree) was a quarter of the time from a save to the reloaded page.
    server = LiveReloadServer(builder=builder, host=host, port=port, root=site_dir, mount_path=mount_path,
                              polling_interval=0.05)

    def error_page(code):
        page = Path(site_dir, f"{code}.html")
        return page.read_bytes() if code in (404, 500) and page.is_file() else None

    server.error_handler = error_page
    # The trigger file is written once, after the pages: no burst of changes to wait out (MkDocs
    # waits 0.1 s for more by default).
    server.build_delay = 0.01
    try:
        builder(cfg)
        from .serve_workers import LanguageWorkers
        workers.append(LanguageWorkers(ROOT, site_dir, serve_url, addr, hooks))
        server.watch(str(trigger))
        server = cfg.plugins.on_serve(server, config=cfg, builder=builder)
        try:
            server.serve()
        except KeyboardInterrupt:
            engine.logger().info("Shutting down...")
        finally:
            server.shutdown()
    finally:
        for pool in workers:
            pool.stop()
        cfg.plugins.on_shutdown()
        shutil.rmtree(site_dir, ignore_errors=True)
        shutil.rmtree(templates, ignore_errors=True)


def main(argv: list[str]) -> int:
    from mkdocs.commands.build import build
    from mkdocs.commands.serve import serve
    from mkdocs.exceptions import Abort, BuildError, ConfigurationError

    from . import config, engine, shards
    # The log lines MkDocs' own command line prints ("WARNING -  …"), warnings included.
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    engine.logger().addHandler(handler)
    engine.logger().setLevel(logging.INFO)
    command, arg, *rest = argv
    try:
        if command == "build":
            build(config.load(ROOT, site_dir=arg, strict=True))
        elif command == "build-language":  # one language (or shard K/N of it) of a parallel build
            # build-language LANG=DIR [K/N] [--only PAGES.json] [--report REPORT.json]
            language, site_dir = arg.split("=", 1)
            shard, options, args = None, {}, list(rest)
            while args:
                word = args.pop(0)
                if word.startswith("--"):
                    options[word] = args.pop(0)
                else:
                    shard = tuple(int(n) for n in word.split("/"))
            only = None
            if "--only" in options:  # the pages an incremental build renders (site/incremental.py)
                import json
                only = json.loads(Path(options["--only"]).read_text(encoding="utf-8"))
            if shard or only is not None:  # a link to a page not built here is as good as any; MkDocs says INFO for each
                engine.logger("structure.pages").addFilter(
                    lambda record: shards.EXCLUDED_LINK not in record.getMessage())
            build(config.load(ROOT, language=language, shard=shard, only=only,
                              report=options.get("--report"), site_dir=site_dir, strict=True))
            from .. import faults
            faults.point("mkdocs")
        elif command == "serve-language":  # a worker of the preview's dirty rebuilds
            from .serve_workers import serve_language
            site_dir, serve_url, addr, hooks = rest
            return serve_language(ROOT, arg, site_dir, serve_url, addr, hooks.split(os.pathsep))
        elif command == "serve":
            # The preview reloads the browser on save; its pages come from scripts/portal/site/serve.py.
            trigger = os.environ.get(TRIGGER_ENV)
            if trigger:
                _serve(arg, Path(trigger))
            else:  # run on its own: MkDocs' serve, watching docs/
                serve(str(ROOT / "mkdocs.yml"), dev_addr=arg, livereload=True,
                      plugins=config.plugins(ROOT))
        else:
            print(f"unknown command {command!r}", file=sys.stderr)
            return 2
    except (Abort, BuildError, ConfigurationError) as exc:
        print(f"{type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
