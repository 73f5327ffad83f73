"""Benchmark: our full build against Hugo + Pagefind on the same pages (issue 21: at 1,000 extra
records, our wall time ≤ 3× that of Hugo + Pagefind with minimal layouts).

    PYTHONPATH=scripts:tests .venv/bin/python benchmarks/hugo_compare.py [SIZE ...] [--repeat 2]
        [--json results.json] [--keep DIR]

Needs `hugo` on PATH (Debian's package: `apt-get install -y hugo`; 0.111.3 was measured). It is a
benchmark, not part of CI. For each SIZE (extra records; default 1000) it makes the scaled fixture
(tests/portal_testing.py::make_scaled_repo) once, runs `portal schemas` and `portal generate` there
(their time is reported: what our build spends before MkDocs), and lays the Markdown pages of
docs/<lang>/ out as one Hugo site (not timed):

- Hugo's multilingual layout by content folder: content/en, content/ru, content/fi, one language
  each, built by ONE `hugo` run. One run is what Hugo does best: it renders every language's pages
  on all cores in one process (Go), so one process per language would only repeat its start-up and
  template parsing. The source language at the root, the others under /<code>/
  (defaultContentLanguageInSubdir = false), pretty URLs: x.md is /x/, ru/x.md /ru/x/, as on our site;
  a folder's index.md becomes _index.md (Hugo's section page; an index.md would make its folder a
  leaf bundle and hide the pages in it);
- the front matter byte for byte: Hugo 0.111.3 accepts every key the pages carry (title,
  description, tags, hide, redirect, portal, jsonld); `tags` is a taxonomy in Hugo, and its term
  pages are turned off (our site has no tag pages), with the RSS feeds (generate writes feed.xml);
- Goldmark with raw HTML (`renderer.unsafe`, for the pages' <div markdown> and <p> blocks) and
  attributes on headings and blocks (the pages' `{ #list-projects }`); the pymdownx snippets
  (`--8<-- "…"`, only the home pages') put in from the language's own folder, as our build's
  base_path does; the other files of docs/ (feeds, open data) as Hugo's static files, at the same
  paths; dot folders (.generated/) left out, as MkDocs leaves them out;
- a minimal layout: baseof (<html lang>, <title>), single and list (the content in a
  <div data-pagefind-body>), no theme, navigation or sidebar; and a link render hook, the Hugo
  counterpart of MkDocs' link resolution, so that `../x.md` links become the pages' URLs (without
  it every link of the Hugo site points to a .md file that is not there; unresolved links are
  Hugo warnings, counted).

Then --repeat rounds, each stack once per round, the order alternating (ours first in even rounds):
- ours: `portal build` on a fresh copy of the fixture, as CI runs it and as benchmarks/scaling.py
  times it (validate, generate every page, exports, every language's MkDocs build, Pagefind): wall
  time, CPU time of its whole process tree, peak summed PSS of the tree, load average at its start;
- Hugo: `hugo` into an empty public/, then Pagefind, the binary of the pinned pagefind_bin wheel
  our build runs, once per language on that language's pages (`--glob`) into a bundle of its own,
  as site/search.py runs it: the same four figures over the four commands.
Reported: the medians, wall ours/Hugo and CPU ours/Hugo (the wall ratio depends on the load: both
stacks use both cores), and per language the pages of each output (Markdown pages laid out, HTML
files written, pages Pagefind indexed) so that a reader sees the two sites are comparable.

What our build does and this Hugo site does not: validation and generation from the YAML records
(the Hugo side starts from the generated Markdown), the open-data exports, the Material theme
(navigation, header, language switcher, admonitions), our hooks, the search's fixed order and
recompression, sitemaps per language as ours writes them. Times are wall-clock and noisy on a
shared machine: compare within one run, and read the loads beside them.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "scripts"), str(ROOT / "tests"), str(ROOT / "benchmarks")]

from portal_testing import make_scaled_repo  # noqa: E402
from scaling import checked, machine, run, tree_memory  # noqa: E402

HUGO_INSTALL = ("hugo is not on PATH; this benchmark needs it: `apt-get install -y hugo` (Debian's "
                "0.111.3 was measured) or a release from https://github.com/gohugoio/hugo/releases")
SNIPPET = re.compile(r'^[ \t]*--8<--[ \t]+"([^"]+)"[ \t]*$', re.M)

HUGO_CONFIG = """# benchmarks/hugo_compare.py: the portal's generated pages as a minimal Hugo site
baseURL = {base_url}
defaultContentLanguage = {source}
defaultContentLanguageInSubdir = false
disableKinds = ["taxonomy", "term", "RSS"]
{languages}
[markup.goldmark.renderer]
unsafe = true
[markup.goldmark.parser.attribute]
block = true
title = true
"""

BASEOF = """<!DOCTYPE html>
<html lang="{{ .Site.Language.Lang }}">
<head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body>{{ block "main" . }}{{ end }}</body>
</html>
"""
CONTENT = '{{ define "main" }}<div data-pagefind-body>{{ .Content }}</div>{{ end }}\n'
# `../x.md#y` → the URL of that page (GetPage resolves paths relative to the page's own folder;
# a folder's index.md is _index.md here).
RENDER_LINK = """{{- $u := urls.Parse .Destination -}}
{{- $href := .Destination -}}
{{- if and (not $u.IsAbs) (strings.HasSuffix $u.Path ".md") -}}
{{- with .Page.GetPage (replaceRE "(^|/)index[.]md$" "${1}_index.md" $u.Path) -}}
{{- $href = .RelPermalink }}{{ with $u.Fragment }}{{ $href = printf "%s#%s" $href . }}{{ end -}}
{{- else }}{{ warnf "unresolved link %s in %s" $u.Path $.Page.File.Path }}{{ end -}}
{{- end -}}
<a href="{{ $href | safeURL }}"{{ with .Title }} title="{{ . }}"{{ end }}>{{ .Text | safeHTML }}</a>
"""


# ----------------------------------------------------------------------------- processes


def run_argv(argv: list[str], cwd: Path) -> dict:
    """scaling.run for any command: wall time, CPU time of its process tree (waited-for children),
    load average at its start, peak summed PSS of its tree, exit code, output tail."""
    load = os.getloadavg()[0]
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak, done = {"pss": 0}, threading.Event()

    def sample():
        while not done.is_set():
            peak["pss"] = max(peak["pss"], tree_memory(proc.pid))
            done.wait(0.25)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output = proc.stdout.read()
    proc.wait()
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    done.set()
    sampler.join()
    cpu = (after.ru_utime - used.ru_utime) + (after.ru_stime - used.ru_stime)
    return {"seconds": seconds, "cpu_s": cpu, "load": load, "peak_mib": peak["pss"] / 2**20,
            "code": proc.returncode, "timed_out": False, "output": output[-4000:],
            "warnings": len(re.findall(r"^WARN", output, re.M))}


def hugo_executable() -> str:
    found = shutil.which("hugo")
    if not found:
        raise SystemExit(HUGO_INSTALL)
    return found


def version(argv: list[str]) -> str:
    done = subprocess.run(argv, capture_output=True, text=True)
    return (done.stdout or done.stderr).strip().splitlines()[0] if done.returncode == 0 else "?"


def pagefind_executable() -> str:
    import pagefind_bin  # the pinned wheel of requirements.txt, the binary our build runs
    return str(pagefind_bin.get_executable())


# ----------------------------------------------------------------------------- the Hugo site


def languages(repo: Path) -> tuple[str, list[str]]:
    """(source language, every language code) from the fixture's own registry."""
    import yaml
    registry = yaml.safe_load((repo / "scripts/locales/languages.yml").read_text(encoding="utf-8"))
    return registry["source"], [entry["code"] for entry in registry["languages"]]


def prefix(code: str, source: str) -> str:
    return "" if code == source else f"{code}/"


def hugo_config(repo: Path, source: str, codes: list[str]) -> str:
    from mkdocs.utils.yaml import yaml_load
    with open(repo / "mkdocs.yml", encoding="utf-8") as fh:
        site_url = yaml_load(fh).get("site_url") or "https://example.invalid/"
    blocks = "\n".join(f"[languages.{code}]\ncontentDir = {json.dumps('content/' + code)}\nweight = {i + 1}"
                       for i, code in enumerate(codes))
    return HUGO_CONFIG.format(base_url=json.dumps(site_url), source=json.dumps(source), languages=blocks)


def inline_snippets(text: str, base: Path, depth: int = 0) -> str:
    """pymdownx.snippets' `--8<-- "path"` lines replaced by the file (from the language's folder)."""
    def replace(match: re.Match) -> str:
        path = base / match.group(1)
        if depth > 3 or not path.is_file():
            return match.group(0)
        return inline_snippets(path.read_text(encoding="utf-8"), base, depth + 1).rstrip("\n")
    return SNIPPET.sub(replace, text) if "--8<--" in text else text


def lay_out(repo: Path, site: Path, source: str, codes: list[str]) -> dict[str, int]:
    """The Hugo site of docs/ in site/ (config, layouts, content, static); Markdown pages per language."""
    shutil.rmtree(site, ignore_errors=True)
    (site / "layouts/_default/_markup").mkdir(parents=True)
    (site / "hugo.toml").write_text(hugo_config(repo, source, codes), encoding="utf-8")
    for name, text in (("baseof", BASEOF), ("single", CONTENT), ("list", CONTENT),
                       ("_markup/render-link", RENDER_LINK)):
        (site / f"layouts/_default/{name}.html").write_text(text, encoding="utf-8")
    pages = {}
    for code in codes:
        docs, pages[code] = repo / "docs" / code, 0
        for folder, dirs, names in os.walk(docs):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))  # MkDocs leaves them out too
            for name in names:
                path = Path(folder, name)
                rel = path.relative_to(docs)
                if name.endswith(".md"):
                    target = site / "content" / code / (rel.with_name("_index.md") if name == "index.md" else rel)
                    pages[code] += 1
                else:
                    target = site / "static" / (prefix(code, source) + rel.as_posix())
                target.parent.mkdir(parents=True, exist_ok=True)
                if name.endswith(".md"):
                    target.write_text(inline_snippets(path.read_text(encoding="utf-8"), docs), encoding="utf-8")
                else:
                    shutil.copyfile(path, target)
    return pages


def language_globs(public: Path, source: str, codes: list[str]) -> list[tuple[str, str]]:
    """site/search.py's globs: a language's own folder, and for the source language the rest."""
    targets = [c for c in codes if c != source]
    root = [e.name for e in sorted(public.iterdir()) if e.is_dir() and e.name not in targets]
    own = "{" + ",".join(["*.html"] + [f"{name}/**/*.html" for name in root]) + "}"
    return [(source, own)] + [(code, f"{code}/**/*.html") for code in targets]


def hugo_stack(site: Path, source: str, codes: list[str], hugo: str, pagefind: str) -> dict:
    """`hugo` into an empty public/, then Pagefind once per language, timed as one."""
    public, bundles = site / "public", site / "pagefind"
    for folder in (public, bundles, site / "resources"):
        shutil.rmtree(folder, ignore_errors=True)
    load, start = os.getloadavg()[0], time.perf_counter()
    steps = [checked(run_argv([hugo, "--source", str(site), "--destination", str(public)], site), "hugo")]
    for code, glob in language_globs(public, source, codes):
        steps.append(checked(run_argv([pagefind, "--site", str(public), "--glob", glob, "--output-path",
                                       str(bundles / code), "--exclude-selectors", ".headerlink"], site),
                             f"pagefind ({code})"))
    return {"seconds": time.perf_counter() - start, "cpu_s": sum(s["cpu_s"] for s in steps),
            "load": load, "peak_mib": max(s["peak_mib"] for s in steps),
            "hugo_s": steps[0]["seconds"], "hugo_cpu_s": steps[0]["cpu_s"],
            "pagefind_s": sum(s["seconds"] for s in steps[1:]), "warnings": steps[0]["warnings"]}


# ----------------------------------------------------------------------------- outputs


def html_files(site: Path, source: str, codes: list[str]) -> dict[str, int]:
    """HTML files per language: under <code>/, and for the source language everything else
    (Pagefind's bundle left out)."""
    counts = dict.fromkeys(codes, 0)
    for path in site.rglob("*.html"):
        top = path.relative_to(site).parts[0]
        if top == "pagefind":
            continue
        counts[top if top in counts and top != source else source] += 1
    return counts


def indexed(bundles: list[Path]) -> dict[str, int]:
    """Pages Pagefind indexed per language, from the bundles' pagefind-entry.json."""
    out: dict[str, int] = {}
    for bundle in bundles:
        entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
        for code, info in (entry.get("languages") or {}).items():
            out[code] = out.get(code, 0) + int(info.get("page_count", 0))
    return out


def summary(results: list[dict], prefix_: str) -> dict:
    return {f"{prefix_}_s": statistics.median(r["seconds"] for r in results),
            f"{prefix_}_runs_s": [round(r["seconds"], 1) for r in results],
            f"{prefix_}_cpu_s": statistics.median(r["cpu_s"] for r in results),
            f"{prefix_}_cpu_runs_s": [round(r["cpu_s"], 1) for r in results],
            f"{prefix_}_loads": [round(r["load"], 1) for r in results],
            f"{prefix_}_peak_mib": max(r["peak_mib"] for r in results)}


# ----------------------------------------------------------------------------- main


def measure(tmp: Path, n: int, repeat: int, hugo: str, pagefind: str) -> dict:
    repo = make_scaled_repo(tmp / f"n{n}", n)
    checked(run(repo, ["portal", "schemas"]), "portal schemas")  # fixture vocabularies differ
    gen = checked(run(repo, ["portal", "generate"]), "portal generate")
    source, codes = languages(repo)
    site = tmp / f"n{n}-hugo"
    row: dict = {"extra": n, "generate_s": gen["seconds"], "generate_cpu_s": gen["cpu_s"],
                 "generate_load": round(gen["load"], 1), "markdown_pages": lay_out(repo, site, source, codes)}
    ours, theirs = [], []
    for i in range(repeat):
        fresh = make_scaled_repo(tmp / f"n{n}-fresh{i}", n)
        checked(run(fresh, ["portal", "schemas"]), "portal schemas")
        for stack in (("ours", "hugo") if i % 2 == 0 else ("hugo", "ours")):
            if stack == "ours":
                ours.append(checked(run(fresh, ["portal", "build"]), "portal build"))
                row["ours_html"] = html_files(fresh / "site", source, codes)
                row["ours_indexed"] = indexed([fresh / "site/pagefind"])
            else:
                theirs.append(hugo_stack(site, source, codes, hugo, pagefind))
        shutil.rmtree(fresh)
        print(f"  round {i + 1}: ours {ours[-1]['seconds']:.1f} s (load {ours[-1]['load']:.1f}), "
              f"hugo + pagefind {theirs[-1]['seconds']:.1f} s (load {theirs[-1]['load']:.1f})",
              file=sys.stderr, flush=True)
    row.update(summary(ours, "ours"))
    row.update(summary(theirs, "hugo"))
    row["hugo_only_s"] = statistics.median(r["hugo_s"] for r in theirs)
    row["hugo_only_cpu_s"] = statistics.median(r["hugo_cpu_s"] for r in theirs)
    row["pagefind_s"] = statistics.median(r["pagefind_s"] for r in theirs)
    row["hugo_warnings"] = theirs[-1]["warnings"]
    row["hugo_html"] = html_files(site / "public", source, codes)
    row["hugo_indexed"] = indexed(sorted((site / "pagefind").iterdir()))
    row["wall_ratio"] = row["ours_s"] / row["hugo_s"]
    row["cpu_ratio"] = row["ours_cpu_s"] / row["hugo_cpu_s"]
    return row


def print_table(rows: list[dict]) -> None:
    print(f"{'extra':>6} {'ours s':>8} {'hugo+pf s':>9} {'wall ours/hugo':>14} {'ours cpu s':>10} "
          f"{'hugo+pf cpu s':>13} {'cpu ours/hugo':>13} {'loads ours':>12} {'loads hugo':>12} "
          f"{'MiB ours':>8} {'MiB hugo':>8}")
    for r in rows:
        print(f"{r['extra']:>6} {r['ours_s']:>8.1f} {r['hugo_s']:>9.1f} {r['wall_ratio']:>14.2f} "
              f"{r['ours_cpu_s']:>10.1f} {r['hugo_cpu_s']:>13.1f} {r['cpu_ratio']:>13.2f} "
              f"{' '.join(map(str, r['ours_loads'])):>12} {' '.join(map(str, r['hugo_loads'])):>12} "
              f"{r['ours_peak_mib']:>8.0f} {r['hugo_peak_mib']:>8.0f}")
    print("\n(runs, wall s) ours / hugo+pagefind; of hugo+pagefind: hugo alone s, its cpu s, pagefind s "
          "(3 runs); ours' generate step alone (portal generate on the fixture) s / cpu s")
    for r in rows:
        print(f"{r['extra']:>6} {r['ours_runs_s']} / {r['hugo_runs_s']}; hugo {r['hugo_only_s']:.1f} s, "
              f"cpu {r['hugo_only_cpu_s']:.1f} s, pagefind {r['pagefind_s']:.1f} s, "
              f"{r['hugo_warnings']} hugo warnings; generate {r['generate_s']:.1f} s / {r['generate_cpu_s']:.1f} s")
    print(f"\n{'extra':>6} {'lang':>4} {'markdown':>8} {'ours html':>9} {'ours indexed':>12} "
          f"{'hugo html':>9} {'hugo indexed':>12}")
    for r in rows:
        for code, md in r["markdown_pages"].items():
            print(f"{r['extra']:>6} {code:>4} {md:>8} {r['ours_html'].get(code, 0):>9} "
                  f"{r['ours_indexed'].get(code, 0):>12} {r['hugo_html'].get(code, 0):>9} "
                  f"{r['hugo_indexed'].get(code, 0):>12}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="*", type=int, default=[1000], help="extra records per run (default: 1000)")
    parser.add_argument("--repeat", type=int, default=2, help="rounds of both stacks per size, interleaved")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary one)")
    args = parser.parse_args()
    hugo, pagefind = hugo_executable(), pagefind_executable()
    info = {**machine(), "hugo": version([hugo, "version"]), "pagefind": version([pagefind, "--version"])}
    print(f"# {info['nproc']} × {info['cpu']}, {info['ram_gib']} GiB RAM, Python {info['python']}, "
          f"commit {info['commit']}, {info['hugo']}, {info['pagefind']}, load {info['load_before']:.1f}",
          flush=True)
    rows = []
    with tempfile.TemporaryDirectory(prefix="hugo-compare-") as tmp:
        where = args.keep or Path(tmp)
        where.mkdir(parents=True, exist_ok=True)
        for n in args.sizes:
            rows.append(measure(where, n, args.repeat, hugo, pagefind))
            print(json.dumps(rows[-1]), file=sys.stderr, flush=True)  # progress, one line per size
            if args.json:
                args.json.write_text(json.dumps({"machine": info, "rows": rows}, indent=1) + "\n")
    print_table(rows)


if __name__ == "__main__":
    main()
