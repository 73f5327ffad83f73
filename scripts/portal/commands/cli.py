"""The portal's commands: check records, generate the pages, build and preview the site.

Every command is in this one table, and `python -m portal --help` lists them.
Click (pinned, a dependency of MkDocs) parses the arguments. Exit codes are the same for every
command: 0 done, 1 the input has problems (each printed as file:line:col: field: message),
2 the command was called wrongly or has nothing to work on.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parents[3]
OK, PROBLEMS, USAGE = 0, 1, 2
EXIT_CODES = "Exit codes: 0 done; 1 problems found (printed as file:line:col); 2 wrong call."


class _Commands(click.Group):
    def format_epilog(self, ctx, formatter):
        formatter.write_paragraph()
        formatter.write_text(EXIT_CODES)


@click.group(cls=_Commands, help=__doc__.splitlines()[0],
             context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    # Before any command reads docs/: what an interrupted generation left is finished or undone.
    from ..write import recover  # (not pipeline: every command would import the renderer)
    for line in recover(ROOT / "docs"):
        print(f"docs/: {line}.", file=sys.stderr)


def _validate():
    from ..model.validate import validate
    return validate(ROOT)


@main.command()
def validate() -> None:
    """Check every record; errors as file:line:col: field: message."""
    sys.exit(_check(_validate()))


def _check(cat) -> int:
    """Report on a validated catalogue as `portal validate` does; the exit code."""
    from ..model import json_schema, terminology
    from ..model.errors import Problem, report
    problems = list(cat.problems)
    if not problems:
        # The exported JSON Schema files are derived: report them when stale, never rewrite them here.
        for name in json_schema.stale_files(cat.context(), ROOT / "schemas"):
            problems.append(Problem(f"schemas/{name}", 1, 1, "", "is out of date with the schema or the "
                                    "vocabularies; run `make schemas` and commit the result"))
    terminology.report(ROOT, sys.stderr)
    from ..export import places  # organizations' cities that the map cannot place: warnings
    places.report(cat, sys.stderr)
    if problems:
        report(problems, sys.stderr)
        return PROBLEMS
    counts = ", ".join(f"{len(v)} {k}s" for k, v in cat.records.items())
    print(f"All records are valid: {counts}, {len(cat.vocab)} vocabularies.")
    return OK


def _prepare() -> int:
    """What `portal build` does before MkDocs: validate, then generate what changed. The records
    are read and validated once; the generation uses that catalogue (with the input stats taken
    before it was read, so a save meanwhile is still noticed)."""
    from .. import pipeline
    from ..phases import phase
    with pipeline.long_lived():
        with phase("read inputs"):
            inputs = pipeline.read_inputs(ROOT)  # once: everything after hands it on
            current = pipeline.is_current(ROOT, inputs)
        with phase("validate"):
            cat = _validate()
    with phase("generate"):
        if current:
            return _check(cat) or _generate(inputs)
        return _check(cat) or _generate(inputs, cat)


def _generate(inputs=None, cat=None) -> int:
    from .. import pipeline
    from ..model.errors import report
    try:
        # Nothing is validated, rendered or written when the inputs are those of the last generation.
        result = pipeline.ensure_generated(ROOT, (inputs, cat) if inputs else None)
    except pipeline.ValidationFailed as failed:
        report(failed.problems, sys.stderr)
        print("Nothing under docs/ was changed.", file=sys.stderr)
        return PROBLEMS
    if result is None:
        print("Generated pages are current: nothing to do, nothing written.")
    else:
        print(f"Generated pages: {result.report.summary()} ({result.rendered} rendered, "
              f"{result.kept} kept as they were, {result.always} made every time).")
    return OK


def _in_child(work) -> int:
    """Run work() in a forked process and return its exit code. Validating and generating 10,000
    records holds ≈ 1 GB that Python does not give back to the system; in a child it is gone before
    the MkDocs builds start, so the build's peak is the larger of the two, not their sum."""
    import multiprocessing
    if "fork" not in multiprocessing.get_all_start_methods():
        return work() or OK
    child = multiprocessing.get_context("fork").Process(target=lambda: sys.exit(work() or OK))
    child.start()
    child.join()
    if child.exitcode < 0:  # killed (out of memory, a signal): say so rather than end in silence
        print(f"Validation and generation were stopped by signal {-child.exitcode}; "
              "nothing was built.", file=sys.stderr)
        return PROBLEMS
    return child.exitcode


@main.command()
def generate() -> None:
    """Validate, then write the pages under docs/<lang>/ (only what changed)."""
    sys.exit(_generate())


@main.command()
@click.option("--check", is_flag=True, help="only report stale files (exit 1), write nothing")
def schemas(check: bool) -> None:
    """Export the JSON Schema files for editors to schemas/."""
    from ..model import json_schema
    cat = _validate()
    if check:
        stale = list(json_schema.stale_files(cat.context(), ROOT / "schemas"))
        print(f"JSON Schema files: {len(stale)} out of date" + (f" ({', '.join(stale)})" if stale else ""))
        sys.exit(PROBLEMS if stale else OK)
    written = json_schema.write_schemas(cat.context(), ROOT / "schemas")
    print(f"JSON Schema files: {len(written)} rewritten" + (f" ({', '.join(written)})" if written else ""))


def _engine_option(command):
    """--engine: which MkDocs builds (site/engine.py); it reaches every build process through
    PORTAL_ENGINE, which is also its default."""
    def choose(ctx, param, value):
        if value:
            os.environ["PORTAL_ENGINE"] = value
        return value
    return click.option("--engine", type=click.Choice(["mkdocs", "properdocs"]), callback=choose,
                        expose_value=False, is_eager=True,
                        help="mkdocs 1.6.1, or properdocs, its continuation (README: the exit "
                             "from MkDocs); default: $PORTAL_ENGINE, else mkdocs")(command)


@main.command()
@_engine_option
@click.pass_context
def build(ctx) -> None:
    """Validate, generate and build the site into site/ (strict; site/ is replaced only on success)."""
    from ..site import build as site_build
    sys.exit(_in_child(_prepare) or site_build.mkdocs_build(ROOT))


@main.command("build-language")
@_engine_option
@click.argument("language")
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@click.pass_context
def build_language(ctx, language: str, out: Path) -> None:
    """Validate, generate and build one language into OUT (one job of the publish workflow's
    language matrix; `portal assemble` puts the parts together)."""
    from .. import languages
    from ..site import build as site_build
    codes = languages.registry().codes
    if language not in codes:
        print(f"Unknown language {language!r}: scripts/locales/languages.yml has {', '.join(codes)}.",
              file=sys.stderr)
        sys.exit(2)
    sys.exit(_in_child(_prepare)
             or (0 if site_build.build_language(ROOT, language, out.resolve()) else 1))


@main.command("languages")
def list_languages() -> None:
    """The registry's language codes as a JSON list (the publish workflow's build matrix)."""
    import json
    from .. import languages
    print(json.dumps(list(languages.registry().codes)))


@main.command()
@click.argument("parts", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("site", type=click.Path(file_okay=False, path_type=Path))
@click.option("--keep-state", is_flag=True,
              help="keep the parts as the build state in .portal-cache/ (the next build's start)")
def assemble(parts: Path, site: Path, keep_state: bool) -> None:
    """Put the languages built into PARTS/<lang>/ together as SITE, with the sitemap and the search
    index (the publish workflow's last step; `portal build` does all of it in one go)."""
    from ..site import build as site_build
    if site.exists():
        print(f"{site}/ exists already; give a new folder.", file=sys.stderr)
        sys.exit(2)
    done = (site_build.assemble_keeping_state(ROOT, parts.resolve(), site.resolve()) if keep_state
            else site_build.assemble(parts.resolve(), site.resolve()))
    sys.exit(0 if done else 1)


@main.command()
@_engine_option
@click.option("--addr", default="127.0.0.1:8000", show_default=True, help="address to serve on")
def serve(addr: str) -> None:
    """Live preview: saving a record regenerates its pages and reloads the browser."""
    from ..site import serve as site_serve
    sys.exit(site_serve.serve(ROOT, addr))


@main.command()
@click.argument("kind", required=False, default="")
@click.argument("slug", required=False, default="")
def new(kind: str, slug: str) -> None:
    """Write a commented template for a new record: new <kind> <slug>."""
    from . import new_record
    sys.exit(new_record.run(kind, slug, ROOT))


@main.command()
def status() -> None:
    """Translation status: per language, what still falls back to English."""
    from ..model.translations import build_report
    cat = _validate()
    if cat.problems:
        print(f"Note: {len(cat.problems)} validation errors (see `make validate`); "
              "the report covers the records that could be read.", file=sys.stderr)
    print("\n".join(build_report(cat, ROOT).lines()))


@main.command(name="check-links")
@click.option("--site", "site_dir", type=click.Path(path_type=Path), default=ROOT / "site",
              help="built site folder (default: site/)")
@click.option("--base-path", default=None, help="URL path the site is served under (default: from site_url)")
@click.option("--external", is_flag=True, help="check links to the outside world instead (scheduled job)")
@click.option("--report", "report_path", type=click.Path(path_type=Path), default=None,
              help="with --external: write a Markdown report here")
def check_links(site_dir: Path, base_path: str | None, external: bool, report_path: Path | None) -> None:
    """Check the built site's internal links and anchors (--external: links to the outside world)."""
    from . import check_links as links
    sys.exit(links.run(site_dir, base_path, external, report_path))


def run(argv: list[str] | None = None) -> int:
    """Run a command as `python -m portal` would; returns its exit code (for tests and __main__)."""
    from ..model.errors import InvalidInput, report
    try:
        main.main(args=argv, prog_name="portal", standalone_mode=False)
    except InvalidInput as broken:  # the language registry or an interface strings file
        report(broken.problems, sys.stderr)
        print("Nothing was generated or built.", file=sys.stderr)
        return PROBLEMS
    except SystemExit as done:
        return int(done.code or 0)
    except click.UsageError as exc:
        exc.show()
        return USAGE
    except click.exceptions.Abort:
        return PROBLEMS
    return OK
