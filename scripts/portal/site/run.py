"""Run MkDocs on the site's configuration (site/config.py): `python -m portal.site.run build DIR`
(every language, one after the other, as mkdocs-static-i18n does), `build-language LANG=DIR` (one
language, site/build.py runs them in parallel) or `python -m portal.site.run serve ADDR`. A process of its own, so that one build's state (MkDocs,
the theme, the i18n plugin) never leaks into the next."""
from __future__ import annotations

import logging
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def main(argv: list[str]) -> int:
    from mkdocs.commands.build import build
    from mkdocs.commands.serve import serve
    from mkdocs.exceptions import Abort, BuildError, ConfigurationError

    from . import config
    # The log lines MkDocs' own command line prints ("WARNING -  …"), warnings included.
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logging.getLogger("mkdocs").addHandler(handler)
    logging.getLogger("mkdocs").setLevel(logging.INFO)
    command, arg = argv
    try:
        if command == "build":
            build(config.load(ROOT, site_dir=arg, strict=True))
        elif command == "build-language":  # one language of a parallel build (site/build.py)
            language, site_dir = arg.split("=", 1)
            build(config.load(ROOT, language=language, site_dir=site_dir, strict=True))
        elif command == "serve":
            # The preview reloads the browser on save; its pages come from scripts/portal/site/serve.py.
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
