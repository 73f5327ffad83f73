"""Benchmark: how generation, the build, pages and search downloads grow with the number of records,
and how the build compares with the stock MkDocs + Material + mkdocs-static-i18n stack (issue 12).

    PYTHONPATH=scripts:tests .venv/bin/python benchmarks/scaling.py [SIZE ...] [--repeat 2]
        [--stock-timeout 1200] [--no-stock] [--no-browser] [--json results.json]

For each SIZE (extra records; default 100 1000 10000) it builds the scaled fixture
(tests/portal_testing.py::make_scaled_repo) in a temporary folder and measures, only through the
public commands (`python -m portal …`, `python -m mkdocs build`), so it measures whatever they do:

- generate s: `portal generate` on a fresh tree; no-op s / no-op files: the same command again, and
  how many files under docs/ it wrote, added or removed (sizes and mtimes compared);
- build s / peak MiB: `portal build` on a fresh copy of the fixture, as CI runs it (validate,
  generate every page, build every language, search index), wall time and the peak of the summed
  proportional set size (PSS) of its whole process tree (sampled from /proc every 250 ms);
- the same for the STOCK stack on the same pages: mkdocs-stock.yml (Material, mkdocs-static-i18n
  with its default search plugin and reconfigure_search, our Markdown extensions, none of our hooks),
  `python -m mkdocs build -f mkdocs-stock.yml`; stock runs interleave with ours (ours, stock, ours,
  stock …) and the ratio is ours/stock of the medians; a stock build over --stock-timeout is "> timeout";
- bytes of the English record page, first catalogue page, first page of the largest topic listing and
  the largest organization page (the largest HTML file under site/topics/ and site/organizations/);
- per language, the bytes the browser downloads before the first search result: the built site is
  served on 127.0.0.1 (a threaded http.server, as GitHub Pages under the site's base path, no
  compression), headless Chromium with an empty cache opens a record page, opens the search, types
  a query that has results and waits for the first result to be visible; the sum of the body lengths
  (Playwright response.body()) of every response since the page was opened, the page itself
  included, and the part that came after the page's load event (the search's own downloads); both
  also as sent compressed (text types gzipped at level 6, as GitHub Pages serves them; images and
  Pagefind's chunks, gzip files already, as they are) — the table shows compressed / uncompressed.

- CPU time of every build's whole process tree beside its wall time, with the load average at its
  start; cpu ours/stock compares the medians (the wall-clock ratio also counts the second core);
- 1 record s: after the last `portal build`, the fixture's own project gets a new English title and
  `portal build` runs again on that tree's state (what a pull request's build does on main's
  restored state): wall and CPU time.

Times are wall-clock and noisy on a shared machine: compare within one run.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "scripts"), str(ROOT / "tests")]

from portal_testing import make_scaled_repo  # noqa: E402

CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
LANG_PREFIX = {"en": "", "ru": "ru/", "fi": "fi/"}
RECORD = "projects/startup-connect/"  # the fixture's own project: in every scaled repository
QUERIES = {"en": "startup", "ru": "startup", "fi": "startup"}  # its title, in every language
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


# ----------------------------------------------------------------------------- processes


def _children() -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as fh:
                    ppid = int(fh.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            out.setdefault(ppid, []).append(int(entry))
    return out


def tree_memory(pid: int) -> int:
    """Memory (bytes) of pid and all its descendants right now, as their summed proportional set
    size (PSS): a page shared by several processes (forked workers, which share the catalogue
    copy-on-write) counts once in all, as it does in the machine's memory, where summed RSS would
    count it once per process."""
    children, todo, total = _children(), [pid], 0
    while todo:
        p = todo.pop()
        todo.extend(children.get(p, []))
        try:
            with open(f"/proc/{p}/smaps_rollup") as fh:
                for line in fh:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1]) * 1024
                        break
        except (OSError, ValueError, IndexError):
            pass
    return total


def run(repo: Path, args: list[str], timeout: float | None = None) -> dict:
    """Run a command in repo; wall time, CPU time of its whole process tree (every process it
    started was waited for, so the kernel's children usage counts them), the load average at its
    start, peak RSS of its process tree, exit code, output tail."""
    import resource
    env = dict(os.environ, PYTHONPATH=str(repo / "scripts"), NO_MKDOCS_2_WARNING="1")
    env.pop("GITHUB_ACTIONS", None)
    load = os.getloadavg()[0]
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", *args], cwd=repo, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    peak = {"rss": 0}
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak["rss"] = max(peak["rss"], tree_memory(proc.pid))
            done.wait(0.25)  # the sampler's own reading of /proc must not slow the build down

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output: list[str] = []
    reader = threading.Thread(target=lambda: output.extend(proc.stdout), daemon=True)
    reader.start()
    timed_out = False
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        os.killpg(proc.pid, 9)  # the build and every process it started
        proc.wait()
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    done.set()
    sampler.join()
    reader.join(timeout=5)
    cpu = (after.ru_utime - used.ru_utime) + (after.ru_stime - used.ru_stime)
    return {"seconds": seconds, "cpu_s": cpu, "load": load, "peak_mib": peak["rss"] / 2**20,
            "code": proc.returncode, "timed_out": timed_out, "output": "".join(output)[-4000:]}


def checked(result: dict, what: str) -> dict:
    if result["code"] != 0 and not result["timed_out"]:
        raise SystemExit(f"{what} failed (exit {result['code']}):\n{result['output']}")
    return result


# ----------------------------------------------------------------------------- files


def docs_state(docs: Path) -> dict[str, tuple[int, int]]:
    return {os.path.join(folder, name): (st.st_size, st.st_mtime_ns)
            for folder, _dirs, names in os.walk(docs) for name in names
            for st in [os.stat(os.path.join(folder, name))]}


def files_written(before: dict, after: dict) -> int:
    """Files added, removed or rewritten (size or mtime changed) between two states."""
    return sum(1 for p in before.keys() | after.keys() if before.get(p) != after.get(p))


def largest(folder: Path, pattern: str) -> tuple[int, str]:
    """The biggest HTML page matching pattern under folder (bytes, path)."""
    best = max(((p.stat().st_size, p.relative_to(folder).as_posix()) for p in folder.glob(pattern)),
               default=(0, ""))
    return best


STOCK_YML = """# The stock stack on the same pages (benchmarks/scaling.py): Material + mkdocs-static-i18n with
# its default search plugin and search reconfiguration, our Markdown extensions, none of our hooks.
site_name: Stock
site_url: https://example.invalid/portal/
docs_dir: docs
site_dir: site-stock
theme:
  name: material
  language: en
nav: {nav}
plugins:
  - search
  - i18n:
      docs_structure: folder
      languages:
{languages}
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - tables
  - toc:
      permalink: true
  - pymdownx.escapeall
  - pymdownx.details
  - pymdownx.snippets:
      base_path: [{snippets}]
"""


def write_stock_config(repo: Path) -> str:
    import yaml
    from mkdocs.utils.yaml import yaml_load
    with open(repo / "mkdocs.yml", encoding="utf-8") as fh:
        ours = yaml_load(fh)
    codes = [e["code"] for e in yaml.safe_load((repo / "scripts/locales/languages.yml").read_text())["languages"]]
    languages = "\n".join(f"        - locale: {c}\n          name: {c}\n          build: true"
                          + ("\n          default: true" if i == 0 else "") for i, c in enumerate(codes))
    (repo / "mkdocs-stock.yml").write_text(STOCK_YML.format(
        nav=json.dumps(ours.get("nav") or []), languages=languages,
        snippets=", ".join(f"docs/{c}" for c in codes)), encoding="utf-8")
    return "mkdocs-stock.yml"


# ----------------------------------------------------------------------------- browser


def base_path(site: Path) -> str:
    """The path of site_url, from the built sitemap (an index of per-language sitemaps or not)."""
    match = re.search(r"<loc>([^<]+)</loc>", (site / "sitemap.xml").read_text(encoding="utf-8"))
    path = urlsplit(match.group(1)).path if match else "/"
    return path.rsplit("/", 1)[0] + "/" if path.endswith(".xml") else path


COMPRESSED_TYPES = ("text/", "application/javascript", "application/json", "application/xml",
                    "image/svg+xml", "application/wasm")


def on_the_wire(body: bytes, content_type: str) -> int:
    """The bytes as GitHub Pages sends them: text types gzip-compressed (level 6, its usual), other
    files (images, Pagefind's index chunks, which are gzip files already) as they are."""
    import gzip
    if body and content_type.split(";")[0].strip().startswith(COMPRESSED_TYPES):
        return min(len(body), len(gzip.compress(body, compresslevel=6)))
    return len(body)


# When the first search result is put in the page (performance.now()), seen by a MutationObserver
# from the page's start: the files that arrived after it (the other results' fragments, which the
# search asks for once the first has come) are not bytes before the first result, whether or not
# they arrived before Playwright saw the result.
FIRST_RESULT = """
new MutationObserver((changes, observer) => {
  if (document.querySelector('.portal-search__result')) {
    window.__firstResult = performance.now();
    observer.disconnect();
  }
}).observe(document, {childList: true, subtree: true});
"""
AFTER_FIRST_RESULT = """() => performance.getEntriesByType('resource')
  .filter(e => e.responseEnd > window.__firstResult).map(e => e.name)"""


def search_bytes(site: Path, languages: list[str], timeout_ms: int = 120_000) -> dict[str, dict]:
    """Per language: bytes downloaded from opening a record page to the first visible search result
    (total), and the part of it after the page had loaded (search: the search's scripts and index);
    `later`: the files that arrived after the first result was shown, not counted."""
    from playwright.sync_api import sync_playwright

    from browser import server
    srv, url = server.start(site, base_path(site))
    out = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for lang in languages:
                context = browser.new_context()  # an empty cache: a first visit
                context.add_init_script(FIRST_RESULT)
                page = context.new_page()
                responses = []
                page.on("response", lambda response: responses.append(response))
                page.goto(url + LANG_PREFIX.get(lang, f"{lang}/") + RECORD)
                page.wait_for_load_state("load")
                loaded = len(responses)  # what the page itself took; the rest is the search's
                page.locator(".portal-search__open").click()
                page.locator("#portal-search-input").fill(QUERIES.get(lang, QUERIES["en"]))
                page.locator(".portal-search__result").first.wait_for(state="visible", timeout=timeout_ms)
                page.wait_for_function("() => window.__firstResult !== undefined", timeout=timeout_ms)
                later = set(page.evaluate(AFTER_FIRST_RESULT))
                # (those of the page itself come first, all of them counted)
                before = [r for i, r in enumerate(list(responses)) if i < loaded or r.url not in later]
                sizes, wire = [], []
                for response in before:
                    try:
                        body = response.body()
                    except Exception:  # a redirect or an aborted request carries no body
                        body = b""
                    sizes.append(len(body))
                    wire.append(on_the_wire(body, response.headers.get("content-type", "")))
                out[lang] = {"total": sum(sizes), "search": sum(sizes[loaded:]),
                             "gzip": sum(wire), "gzip_search": sum(wire[loaded:]),
                             "requests": len(sizes),
                             "files": [[urlsplit(r.url).path, n] for r, n in zip(before, wire)],
                             "later": sorted(urlsplit(url).path for url in later)}
                context.close()
            browser.close()
    finally:
        srv.shutdown()
    return out


# ----------------------------------------------------------------------------- main


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                if line.startswith("model name")), platform.processor())
    mem = next((int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal")), 0)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    return {"nproc": os.cpu_count(), "cpu": cpu, "ram_gib": round(mem / 2**20, 1),
            "python": platform.python_version(), "commit": commit,
            "load_before": os.getloadavg()[0]}


def measure(tmp: Path, n: int, args) -> dict:
    repo = make_scaled_repo(tmp / f"n{n}", n)
    checked(run(repo, ["portal", "schemas"]), "portal schemas")  # fixture vocabularies differ
    row: dict = {"extra": n}
    gen = checked(run(repo, ["portal", "generate"]), "portal generate")
    row["generate_s"] = gen["seconds"]
    before = docs_state(repo / "docs")
    noop = checked(run(repo, ["portal", "generate"]), "portal generate (no-op)")
    row["noop_s"], row["noop_files"] = noop["seconds"], files_written(before, docs_state(repo / "docs"))
    stock_cfg = None if args.no_stock else write_stock_config(repo)
    ours, stock = [], []
    for i in range(args.repeat):
        # `portal build` as CI runs it: on a fresh checkout, so validation, generation of every
        # page, the language builds and the search index are all in the time (the stock stack
        # builds the pages generated above)
        fresh = make_scaled_repo(tmp / f"n{n}-fresh{i}", n)
        checked(run(fresh, ["portal", "schemas"]), "portal schemas")
        ours.append(checked(run(fresh, ["portal", "build"]), "portal build"))
        if i + 1 < args.repeat:
            shutil.rmtree(fresh)
        if stock_cfg and not any(s["timed_out"] for s in stock):
            stock.append(checked(run(repo, ["mkdocs", "build", "-q", "-f", stock_cfg],
                                     timeout=args.stock_timeout), "stock mkdocs build"))
    row["build_s"] = statistics.median(r["seconds"] for r in ours)
    row["build_runs_s"] = [r["seconds"] for r in ours]
    row["build_cpu_s"] = statistics.median(r["cpu_s"] for r in ours)
    row["build_loads"] = [round(r["load"], 1) for r in ours]
    row["peak_mib"] = max(r["peak_mib"] for r in ours)
    if stock:
        finished = [r for r in stock if not r["timed_out"]]
        row["stock_runs_s"] = [r["seconds"] for r in stock]
        row["stock_timed_out"] = len(finished) < len(stock)
        row["stock_s"] = statistics.median(r["seconds"] for r in finished) if finished else None
        row["stock_cpu_s"] = statistics.median(r["cpu_s"] for r in finished) if finished else None
        row["stock_loads"] = [round(r["load"], 1) for r in stock]
        row["cpu_ratio"] = row["build_cpu_s"] / row["stock_cpu_s"] if row["stock_cpu_s"] else None
        row["stock_peak_mib"] = max(r["peak_mib"] for r in stock)
        row["ratio"] = row["build_s"] / row["stock_s"] if row["stock_s"] else None
    repo = fresh
    # An editor's one-record change on the state of the last build (what a pull request's build
    # does once CI restored main's build state): a record's title edited, then `portal build`.
    edit_one_record(repo)
    one = checked(run(repo, ["portal", "build"]), "portal build (one record changed)")
    row["one_record_s"], row["one_record_cpu_s"], row["one_record_load"] = one["seconds"], one["cpu_s"], one["load"]
    site = repo / "site"
    row["record_bytes"] = (site / RECORD / "index.html").stat().st_size
    row["catalogue_bytes"] = (site / "projects/index.html").stat().st_size
    row["topic_bytes"], row["topic_page"] = largest(site, "topics/*/*/index.html")
    row["organization_bytes"], row["organization_page"] = largest(site, "organizations/*/index.html")
    if not args.no_browser:
        row["search_bytes"] = search_bytes(site, args.languages)
    return row


def edit_one_record(repo: Path) -> None:
    """The fixture's own project gets a new English title (its file is in every scaled repo)."""
    import yaml
    path = repo / "data/projects/startup-connect.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["title"]["en"] += " (edited)"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def fmt(value, spec: str, width: int) -> str:
    return f"{value:{width}{spec}}" if isinstance(value, (int, float)) else f"{value or '-':>{width}}"


def _search(row: dict, lang: str) -> str:
    got = row.get("search_bytes", {}).get(lang)
    return f"{got['gzip']} / {got['total']}" if got else "-"


def print_table(rows: list[dict], languages: list[str], timeout: float) -> None:
    head = (f"{'extra':>6} {'gen s':>7} {'no-op s':>7} {'no-op files':>11} {'build s':>8} {'peak MiB':>8} "
            f"{'stock s':>9} {'ours/stock':>10} {'record B':>9} {'catalog B':>9} {'topic B':>8} {'org B':>7}"
            + "".join(f" {'to result ' + l:>15}" for l in languages))
    print(head)
    for r in rows:
        stock = ("> timeout" if r.get("stock_timed_out") and not r.get("stock_s")
                 else fmt(r.get("stock_s"), ".1f", 9))
        print(f"{r['extra']:>6} {r['generate_s']:>7.1f} {r['noop_s']:>7.2f} {r['noop_files']:>11} "
              f"{r['build_s']:>8.1f} {r['peak_mib']:>8.0f} {stock:>9} {fmt(r.get('ratio'), '.2f', 10)} "
              f"{r['record_bytes']:>9} {r['catalogue_bytes']:>9} {r['topic_bytes']:>8} "
              f"{r['organization_bytes']:>7}"
              + "".join(f" {_search(r, l):>15}" for l in languages))
    print(f"\n{'extra':>6} {'build cpu s':>11} {'stock cpu s':>11} {'cpu ours/stock':>14} "
          f"{'loads (ours)':>14} {'loads (stock)':>14} {'1 record s':>10} {'1 record cpu s':>14} {'its load':>8}")
    for r in rows:
        print(f"{r['extra']:>6} {r['build_cpu_s']:>11.1f} {fmt(r.get('stock_cpu_s'), '.1f', 11)} "
              f"{fmt(r.get('cpu_ratio'), '.2f', 14)} {' '.join(map(str, r['build_loads'])):>14} "
              f"{' '.join(map(str, r.get('stock_loads', []))) or '-':>14} {r['one_record_s']:>10.1f} "
              f"{r['one_record_cpu_s']:>14.1f} {r['one_record_load']:>8.1f}")
    print("(to result: bytes from opening a record page to the first visible search result, "
          "gzip-compressed as GitHub Pages sends text files / uncompressed; --json has the part after load)")
    if any(r.get("stock_timed_out") for r in rows):
        print(f"(> timeout: the stock build did not finish in {timeout:.0f} s and was stopped)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="*", type=int, default=[100, 1000, 10000],
                        help="extra records per run (default: 100 1000 10000)")
    parser.add_argument("--repeat", type=int, default=2, help="builds of each stack per size, interleaved")
    parser.add_argument("--stock-timeout", type=float, default=1200, help="seconds before a stock build is stopped")
    parser.add_argument("--no-stock", action="store_true", help="skip the stock stack")
    parser.add_argument("--no-browser", action="store_true", help="skip the search download measurement")
    parser.add_argument("--languages", nargs="+", default=["en", "ru", "fi"])
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it (default: a temporary one)")
    args = parser.parse_args()
    info = machine()
    print(f"# {info['nproc']} × {info['cpu']}, {info['ram_gib']} GiB RAM, Python {info['python']}, "
          f"commit {info['commit']}, load {info['load_before']:.1f}", flush=True)
    rows = []
    with tempfile.TemporaryDirectory(prefix="scaling-") as tmp:
        where = args.keep or Path(tmp)
        where.mkdir(parents=True, exist_ok=True)
        for n in args.sizes:
            rows.append(measure(where, n, args))
            print(json.dumps(rows[-1]), file=sys.stderr, flush=True)  # progress, one line per size
            if args.json:
                args.json.write_text(json.dumps({"machine": info, "rows": rows}, indent=1) + "\n")
    print_table(rows, args.languages, args.stock_timeout)


if __name__ == "__main__":
    main()
