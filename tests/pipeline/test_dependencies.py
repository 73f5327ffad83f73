"""The dependency model (render/dependencies.py) renders only the pages a change reaches: after every
sort of edit, the pages it leaves in docs/ are byte for byte those of a full generation of the same
data. Each generation reads what the last one kept in the manifest, so these are also the checks of a
build on another machine's state (a pull request on main's)."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
import yaml

from portal import pipeline
from portal.model.parse_cache import CACHE
from portal_testing import ROOT, make_repo

pytestmark = pytest.mark.slow  # not in `make check`: every sort of edit against a full generation, ~50 s


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def save(path: Path, data: dict) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def tree(docs: Path) -> dict[str, bytes]:
    return {p.relative_to(docs).as_posix(): p.read_bytes() for p in sorted(docs.rglob("*"))
            if p.is_file() and p.name != ".generated-manifest.json"}


@pytest.fixture
def repos(tmp_path):
    """Two copies of today's data: `live` generates as every build does; `full` gets the same data
    after each edit and renders every page."""
    live = make_repo(tmp_path / "live", data=ROOT / "data")
    full = make_repo(tmp_path / "full", data=ROOT / "data")
    pipeline.generate(live)
    yield live, full


def check(live: Path, full: Path) -> tuple[int, int]:
    """Generate both; the docs/ trees must be equal. Returns (rendered, reused) of the live one."""
    result = pipeline.generate(live)
    shutil.rmtree(full / "data")
    shutil.copytree(live / "data", full / "data")
    shutil.rmtree(full / CACHE, ignore_errors=True)  # the reference parses every file
    pipeline.generate(full, full=True)
    ours, theirs = tree(live / "docs"), tree(full / "docs")
    assert ours.keys() == theirs.keys()
    differ = [path for path in ours if ours[path] != theirs[path]]
    assert not differ, f"pages the dependency model left stale: {differ[:10]}"
    return result.rendered, result.kept


def first(live: Path, folder: str) -> Path:
    return sorted((live / "data" / folder).glob("*.yml"))[0]


def test_a_title_edit_renders_only_the_pages_that_show_it(repos):
    live, full = repos
    record = first(live, "projects")
    data = load(record)
    # Its place in the reading order stays (a record that moves shifts the place of every record
    # after it, which each of their pages carries for the catalogue filter: render/search_fields.py).
    data["title"]["en"] = data["title"]["en"] + " (edited)"
    save(record, data)
    rendered, reused = check(live, full)
    assert reused > 5 * rendered, (rendered, reused)


def test_reused_when_nothing_changed_but_a_format(repos):
    live, full = repos
    record = first(live, "projects")
    save(record, load(record))  # same data, other YAML layout
    rendered, reused = check(live, full)
    assert rendered <= 3 * 2 and reused > 300  # at most the record's pages (its positions changed)


@pytest.mark.parametrize("edit", ["themes", "partners", "organization-name", "event-date", "translation",
                                  "new-record", "removed-record", "renamed-record", "vocabulary", "part-of"])
def test_every_sort_of_edit_matches_a_full_generation(repos, edit):
    live, full = repos
    data_dir = live / "data"
    assert tree(data_dir) == tree(ROOT / "data")
    if edit == "themes":
        record = first(live, "projects")
        data = load(record)
        themes = list(load(data_dir / "vocabularies/themes.yml")["terms"])
        data["themes"] = [themes[-1]["id"]]
        save(record, data)
    elif edit == "partners":
        record = max((data_dir / "projects").glob("*.yml"), key=lambda p: len(load(p).get("partners") or []))
        data = load(record)
        data["partners"] = data["partners"][:-1]
        save(record, data)
    elif edit == "organization-name":
        record = first(live, "organizations")
        data = load(record)
        data["name"]["ru"] = "Яблоко " + data["name"].get("ru", data["name"]["en"])
        save(record, data)
    elif edit == "event-date":
        record = first(live, "events")
        data = load(record)
        data["date"] = "2026-01-15"
        save(record, data)
    elif edit == "translation":
        record = first(live, "playbooks")
        data = load(record)
        data["title"].pop("fi", None)  # the Finnish page falls back to English, with the notice
        save(record, data)
    elif edit == "new-record":
        source = first(live, "projects")
        data = load(source)
        data["title"] = {"en": "Memo test project", "ru": "Проект для проверки", "fi": "Testihanke"}
        data.pop("acronym", None)
        data.pop("aliases", None)
        if "slug" in data:
            data["slug"] = "memo-test-project"
        save(data_dir / "projects/memo-test-project.yml", data)
    elif edit in ("removed-record", "renamed-record"):
        record = unreferenced(live)
        if edit == "removed-record":
            record.unlink()
        else:  # a new name, the same bytes but for `slug:` (the parse cache has the old file's)
            renamed = record.with_name("renamed-" + record.name)
            renamed.write_text(record.read_text(encoding="utf-8").replace(f"slug: {record.stem}\n",
                                                                          f"slug: renamed-{record.stem}\n"),
                               encoding="utf-8")
            record.unlink()
    elif edit == "vocabulary":
        vocab = data_dir / "vocabularies/themes.yml"
        data = load(vocab)
        data["terms"][0]["label"]["en"] = "Zebra " + data["terms"][0]["label"]["en"]
        save(vocab, data)
    elif edit == "part-of":  # a project leaves its parent's list of sub-projects
        child = next(p for p in sorted((data_dir / "projects").glob("*.yml")) if load(p).get("part_of"))
        data = load(child)
        data.pop("part_of")
        save(child, data)
    check(live, full)
    # and back again, from the state of the edited pages
    shutil.rmtree(data_dir)
    shutil.copytree(ROOT / "data", data_dir)
    check(live, full)


def unreferenced(live: Path) -> Path:
    """A record that no other file and no hand-written page names (it can go without a broken link)."""
    data_dir = live / "data"
    texts = {p: p.read_text(encoding="utf-8") for p in data_dir.rglob("*.yml")}
    hand = [p.read_text(encoding="utf-8") for p in (live / "docs").rglob("*.md")
            if "generated from" not in p.read_text(encoding="utf-8")[:400]]
    return next(p for p in sorted(texts) if p.parent.name in ("events", "playbooks", "organizations")
                and sum(p.stem in t for t in texts.values()) == 1 and not any(p.stem in t for t in hand))


def test_only_what_a_change_reaches_is_made_again(repos, monkeypatch):
    """A title edit makes the pages and data files that show it; the rest is kept without being made:
    the other kinds' tables, and every other record's page without even its arguments (a group)."""
    from portal.export import tables
    from portal.render.pages import records
    live, full = repos
    made, spreadsheets = [], []
    monkeypatch.setattr(records, "one_record", lambda site, lang, kind, slug, *rest, real=records.one_record:
                        made.append((lang, kind, slug)) or real(site, lang, kind, slug, *rest))
    monkeypatch.setattr(tables, "to_xlsx", lambda kind, *rest, real=tables.to_xlsx:
                        spreadsheets.append(kind) or real(kind, *rest))
    record = first(live, "projects")
    data = load(record)
    data["title"]["en"] = data["title"]["en"] + " (edited)"
    save(record, data)
    pipeline.generate(live)
    groups, tables_made = made[:], spreadsheets[:]
    check(live, full)  # (its full generation makes everything: the lists were copied before)
    assert set(tables_made) == {"project"}, tables_made  # (in the languages whose name it is)
    assert ("en", "project", record.stem) in groups
    partners = {p["organization"] for p in data.get("partners") or []}
    assert {slug for _, kind, slug in groups} <= {record.stem} | partners | {data.get("programme")}, groups


def test_a_commit_that_changes_only_a_record_s_date(tmp_path):
    """With git, a record's "updated" date is its file's last commit: a commit of a comment changes
    the date and not the data. The record's pages show the date (a group's `pre`), the tables too."""
    import subprocess
    live = make_repo(tmp_path / "live", data=ROOT / "data")

    def git(*args, date="2024-03-01T12:00:00Z"):
        env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=live, env=env,
                       check=True, capture_output=True)
    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "first")
    pipeline.generate(live)
    record = first(live, "projects")
    record.write_text(record.read_text(encoding="utf-8") + "# reviewed\n", encoding="utf-8")
    git("commit", "-q", "-am", "reviewed", date="2025-07-09T12:00:00Z")
    result = pipeline.generate(live)
    assert result.rendered < 100, result.rendered
    ours = tree(live / "docs")
    assert any(b"2025-07-09" in text for path, text in ours.items() if record.stem in path)
    pipeline.generate(live, full=True)  # the same repository, every page rendered: nothing differs
    assert tree(live / "docs") == ours


@pytest.mark.parametrize("change", ["strings", "code", "loader"])
def test_a_string_or_code_change_renders_every_page(repos, change):
    live, full = repos
    target = {"strings": "scripts/locales/fi.yml", "code": "scripts/portal/render/pages/records.py",
              "loader": "scripts/portal/model/load.py"}[change]
    for repo in (live, full):
        path = repo / target
        path.write_text(path.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    rendered, kept = check(live, full)
    assert kept == 0 and rendered > 300, (rendered, kept)


def test_numbers_no_page_uses_are_dropped(repos):
    """The dependency list keeps the last state's numbers (kept pages keep their entries as read);
    once a quarter of it is used by no page, it is numbered again from what the pages use."""
    live, full = repos
    manifest = live / pipeline.MANIFEST
    data = json.loads(manifest.read_text(encoding="utf-8"))
    used = len(data["dependencies"]["deps"])
    data["dependencies"]["deps"] += [["rec", "project", "entry", f"gone-{n}"] for n in range(used)]
    manifest.write_text(json.dumps(data), encoding="utf-8")
    record = first(live, "projects")
    save(record, {**load(record), "acronym": "ZZTOP"})
    rendered, kept = check(live, full)
    assert kept > 300
    deps = json.loads(manifest.read_text(encoding="utf-8"))["dependencies"]["deps"]
    assert len(deps) <= used + 50 and not any("gone-" in str(dep) for dep in deps)
    save(record, {**load(record), "acronym": "ZZTOPS"})  # the renumbered state is read right
    rendered, kept = check(live, full)
    assert kept > 300


@pytest.mark.parametrize("damage", ["shape", "numbers", "pages"])
def test_damaged_groups_are_made_again(repos, damage):
    live, full = repos
    manifest = live / pipeline.MANIFEST
    data = json.loads(manifest.read_text(encoding="utf-8"))
    groups = data["dependencies"]["groups"]
    assert groups
    for n, (owner, entry) in enumerate(groups.items()):
        if damage == "shape":
            groups[owner] = entry[:1] if n % 2 else "x"
        elif damage == "numbers":
            groups[owner] = [entry[0], [10 ** 9]]
        else:  # a group naming a page that is not there
            groups[owner] = [entry[0], entry[1], ["en/nowhere.md"]]
    manifest.write_text(json.dumps(data), encoding="utf-8")
    record = first(live, "projects")
    save(record, {**load(record), "acronym": "ZZTOP"})
    rendered, kept = check(live, full)
    assert kept > 300  # (the pages themselves are still kept by their keys)


def test_a_template_change_renders_every_page(repos):
    live, full = repos
    template = live / "scripts/templates/project.html.j2"
    template.write_text(template.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    (full / "scripts/templates/project.html.j2").write_text(template.read_text(encoding="utf-8"), encoding="utf-8")
    rendered, kept = check(live, full)
    assert kept == 0 and rendered > 300, (rendered, kept)


@pytest.mark.parametrize("damage", ["missing", "text", "wrong-shape", "entries"])
def test_a_lost_or_damaged_state_renders_every_page(repos, damage):
    live, full = repos
    manifest = live / pipeline.MANIFEST
    data = json.loads(manifest.read_text(encoding="utf-8"))
    record = first(live, "projects")
    save(record, {**load(record), "acronym": "ZZTOP"})  # so that the generation runs at all
    if damage == "missing":
        data.pop("dependencies")
    elif damage == "text":
        data["dependencies"] = "{"
    elif damage == "wrong-shape":
        data["dependencies"] = ["pages"]
    else:  # every entry cut short, the dependency list pointing nowhere
        deps = data["dependencies"]
        deps["pages"] = {path: entry[:2] if i % 2 else [entry[0], [10 ** 9]] + entry[2:]
                         for i, (path, entry) in enumerate(deps["pages"].items())}
    manifest.write_text(json.dumps(data), encoding="utf-8")
    rendered, kept = check(live, full)
    assert kept == 0 and rendered > 300, (rendered, kept)


def test_a_kept_page_edited_by_hand_is_rendered_again(repos):
    live, full = repos
    page = live / "docs/fi/playbooks" / (first(live, "playbooks").stem + ".md")
    page.write_text(page.read_text(encoding="utf-8").replace("#", "##", 1), encoding="utf-8")
    record = first(live, "projects")
    save(record, {**load(record), "acronym": "ZZTOP"})
    rendered, kept = check(live, full)  # (check compares every page with the full generation's)
    assert kept > 300


def test_pages_restored_with_other_mtimes_are_kept_by_their_digest(repos):
    # A cache restored on another machine, a fresh checkout: same bytes, new mtimes.
    live, full = repos
    for path in (live / "docs").rglob("*.md"):
        os.utime(path, ns=(1, 1))
    record = first(live, "projects")
    save(record, {**load(record), "acronym": "ZZTOP"})
    rendered, kept = check(live, full)
    assert kept > 300 and rendered < 60, (rendered, kept)


def test_a_large_catalogue_rendered_on_every_core_keeps_the_same_model(tmp_path, monkeypatch):
    # Above parallel.MIN_PAGES the pages are rendered by forked workers, which must bring back
    # what each page is made of.
    from portal_testing import make_scaled_repo
    monkeypatch.setenv("PORTAL_BUILD_JOBS", "2")
    live = make_scaled_repo(tmp_path / "live", 600)
    full = make_scaled_repo(tmp_path / "full", 600)
    pipeline.generate(live)
    record = sorted((live / "data/organizations").glob("*.yml"))[-1]
    data = load(record)
    data["name"]["en"] = data["name"]["en"] + " (renamed)"
    save(record, data)
    rendered, kept = check(live, full)
    assert kept > 10 * rendered, (rendered, kept)
