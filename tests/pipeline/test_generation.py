"""Generation: every record in every language, escaping, fallback notice, only-changed writes,
pruning, determinism, and nothing under docs/ touched when validation fails."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import markdown
import pytest
import yaml

from portal_testing import ROOT, make_repo, tree_snapshot
from portal import pipeline
from portal.escape import md_inline
from portal.model.schema import KINDS, LANGS


def generate(repo: Path):
    return pipeline.generate(repo)


def test_every_record_has_a_page_in_every_language(repo):
    generate(repo)
    for kind in KINDS.values():
        for record in (repo / "data" / kind.folder).glob("*.yml"):
            for lang in LANGS:
                page = repo / "docs" / lang / kind.folder / f"{record.stem}.md"
                assert page.exists(), page
                assert page.read_text().splitlines()[1].startswith(
                    f"# generated from data/{kind.folder}/{record.name}"), "generated-from line"


def test_catalogue_and_facet_pages_in_every_language(repo):
    generate(repo)
    for lang in LANGS:
        for folder in ("projects", "playbooks", "organizations", "events", "topics"):
            assert (repo / "docs" / lang / folder / "index.md").exists()
        assert (repo / "docs" / lang / "topics/themes/circular-economy.md").exists()
        assert (repo / "docs" / lang / ".generated/newest.md").exists()


def test_links_both_ways(repo):
    generate(repo)
    org = (repo / "docs/en/organizations/cursor.md").read_text()
    assert '<a href="../../projects/startup-connect/">' in org, "a partner's page lists its projects"
    assert '<a href="../../events/meeting-2019/">' in org, "a speaker's organization lists the event"
    project = (repo / "docs/en/projects/startup-connect.md").read_text()
    # A project's page is written as HTML (render/html_page.py): directory URLs, as MkDocs makes them.
    assert '<a href="../../organizations/cursor/">' in project
    assert '<a href="../../playbooks/resource-recovery/">' in project, "playbook examples link back"
    assert '<a href="../../events/meeting-2019/">' in project


def test_missing_translation_falls_back_with_a_notice_in_the_page_language(repo):
    path = repo / "data/projects/startup-connect.yml"
    data = yaml.safe_load(path.read_text())
    del data["summary"]["fi"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    generate(repo)
    fi = (repo / "docs/fi/projects/startup-connect.md").read_text()
    assert "Käännös puuttuu vielä" in fi
    assert "Survey of the internationalisation potential" in fi  # the English text stands in
    assert "Перевод готовится" not in (repo / "docs/ru/projects/startup-connect.md").read_text()
    assert "Not yet translated" not in (repo / "docs/en/projects/startup-connect.md").read_text()


NASTY = '<script>alert("x")</script> *bold* _it_ [link](http://evil) | pipe `code` # & &amp; 1. <b>'


def _to_html(md_text: str) -> str:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text().replace("!ENV", ""))
    exts, configs = [], {}
    for ext in config["markdown_extensions"]:
        name, conf = (next(iter(ext.items())) if isinstance(ext, dict) else (ext, {}))
        if name != "pymdownx.snippets":
            exts.append(name)
            configs[name] = conf or {}
    return markdown.markdown(md_text, extensions=exts, extension_configs=configs)


def test_html_and_markdown_in_records_stay_text(repo):
    path = repo / "data/organizations/cursor.yml"
    data = yaml.safe_load(path.read_text())
    data["name"] = {"en": NASTY, "ru": NASTY, "fi": NASTY}
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    generate(repo)
    for page in ("organizations/cursor.md", "projects/startup-connect.md"):
        text = (repo / "docs/en" / page).read_text()
        body = text.split("\n---\n", 1)[1]
        html = _to_html(body)
        assert "<script>" not in html and "<b>" not in html
        assert "<strong>bold" not in html and "<em>it" not in html and "<code>code" not in html
        assert 'href="http://evil"' not in html
        assert "&lt;script&gt;alert" in html and "*bold* _it_ [link](http://evil)" in html
    # The page body; the front matter is data (the JSON-LD ItemList's names) that reaches the page only
    # through escape.json_script (tests/site/test_site_escaping.py).
    catalogue = (repo / "docs/en/organizations/index.md").read_text().split("\n---\n", 1)[1]
    assert "<script>" not in catalogue and "&lt;script&gt;alert" in catalogue
    table_row = _to_html(f"| a | b |\n|---|---|\n| {md_inline(NASTY)} | x |\n")
    assert table_row.count("<td>") == 2, "a pipe in a name does not split the table"


def test_unchanged_files_are_not_rewritten(repo):
    first = generate(repo).report
    stamps = {p: p.stat().st_mtime_ns for p in (repo / "docs").rglob("*.md")}
    second = pipeline.generate(repo).report
    assert second.written == [] and second.unchanged == len(first.written)
    assert {p: p.stat().st_mtime_ns for p in (repo / "docs").rglob("*.md")} == stamps
    path = repo / "data/events/meeting-2019.yml"
    path.write_text(path.read_text().replace("A meeting.", "A longer meeting."))
    third = pipeline.generate(repo).report
    # only the English summary changed, so only the English pages that show it: the event's own
    # page and the events catalogue, and the English open-data files of events (issue 10)
    assert sorted(third.written) == ["en/data/events.en.csv", "en/data/events.en.json",
                                     "en/data/events.en.xlsx", "en/events/index.md",
                                     "en/events/meeting-2019.md"]


def test_a_deleted_records_pages_disappear(repo):
    generate(repo)
    (repo / "data/playbooks/resource-recovery.yml").unlink()
    report = pipeline.generate(repo).report
    for lang in LANGS:
        assert not (repo / "docs" / lang / "playbooks/resource-recovery.md").exists()
        assert f"{lang}/playbooks/resource-recovery.md" in report.removed


def test_hand_written_pages_are_never_removed(repo):
    page = repo / "docs/en/about.md"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text("# About\n")
    generate(repo)
    assert page.read_text() == "# About\n"


def test_two_runs_give_identical_bytes(tmp_path):
    a = make_repo(tmp_path / "a")
    b = make_repo(tmp_path / "b")
    generate(a)
    generate(b)
    snap_a, snap_b = tree_snapshot(a / "docs"), tree_snapshot(b / "docs")
    snap_a.pop(".generated-manifest.json"), snap_b.pop(".generated-manifest.json")
    assert snap_a == snap_b and len(snap_a) > 50


def test_generation_is_skipped_when_inputs_did_not_change(repo, monkeypatch):
    runs = []
    real = pipeline.generate
    monkeypatch.setattr(pipeline, "generate", lambda root, *rest: runs.append(root) or real(root, *rest))
    assert pipeline.ensure_generated(repo) is not None
    assert pipeline.ensure_generated(repo) is None
    assert len(runs) == 1


def _cli(repo: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(repo / "scripts"))
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run([sys.executable, "-m", "portal", *args], cwd=repo, env=env,
                          capture_output=True, text=True)


def test_a_broken_record_fails_validation_and_leaves_docs_untouched(repo):
    assert _cli(repo, "generate").returncode == 0
    before = tree_snapshot(repo / "docs")
    path = repo / "data/projects/startup-connect.yml"
    path.write_text(path.read_text().replace("themes: [circular-economy]", "themes: [circular-econmy]")
                    .replace("summary:\n", "summary:\n  xx: 1\n"))
    for command in ("validate", "generate"):
        result = _cli(repo, command)
        assert result.returncode == 1
        assert ("data/projects/startup-connect.yml:16:10: themes[0]: unknown theme 'circular-econmy'; "
                "did you mean 'circular-economy'?") in result.stderr
        assert "data/projects/startup-connect.yml:5:7: summary.xx: unknown language 'xx'" in result.stderr
        assert "Traceback" not in result.stderr
    assert tree_snapshot(repo / "docs") == before


def test_github_annotations_under_actions(repo):
    path = repo / "data/events/meeting-2019.yml"
    path.write_text(path.read_text().replace("format: meeting", "format: meting"))
    env = dict(os.environ, PYTHONPATH=str(repo / "scripts"), PORTAL_ANNOTATIONS="github")
    result = subprocess.run([sys.executable, "-m", "portal", "validate"], cwd=repo, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert ("::error file=data/events/meeting-2019.yml,line=6,col=9::format: unknown event format "
            "'meting'; did you mean 'meeting'?") in result.stderr


@pytest.mark.parametrize("name", ["binary-file", "empty-file", "list-not-mapping", "syntax-error",
                                  "not-utf8", "duplicate-key"])
def test_no_traceback_for_any_bad_file(repo, name):
    from test_validation_rules import CASES, overlay
    overlay(CASES / name, repo)
    result = _cli(repo, "validate")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("data/")


def test_a_stale_generated_data_file_is_pruned(repo):
    # A generated data file is pruned like a page when the generator no longer writes it (the
    # search alias tables of the Material search, for one, are gone since issue 12).
    generate(repo)
    stale = repo / "docs/en/.generated/search-aliases.json"
    stale.write_text('{"generated from": "data/", \n"aliases": []}\n')
    assert "en/.generated/search-aliases.json" in pipeline.generate(repo).report.removed
    assert not stale.exists()


def test_a_page_that_would_replace_a_hand_written_one_stops_everything(repo):
    # All or nothing: the clash is found before any page is written.
    page = repo / "docs/fi/projects/startup-connect.md"
    page.parent.mkdir(parents=True)
    page.write_text("# Käsin kirjoitettu\n")
    # Validation names the clash first (model/validate.py page_collisions) ...
    result = _cli(repo, "generate")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert ("data/projects/startup-connect.yml:2:7: slug: its page projects/startup-connect.md would take "
            "the address of the hand-written page docs/fi/projects/startup-connect.md") in result.stderr
    # ... and writing checks every page before writing any, should anything get past it.
    from portal.model.validate import validate
    from portal.render import render_all
    from portal.write import HandWrittenPage, write_pages
    (repo / "docs/fi/projects/startup-connect.md").rename(repo / "docs/hand-written.md")
    pages = render_all(validate(repo), repo)
    (repo / "docs/hand-written.md").rename(page)
    with pytest.raises(HandWrittenPage) as clash:
        write_pages(pages, repo / "docs")
    assert clash.value.paths == ["fi/projects/startup-connect.md"]
    assert page.read_text() == "# Käsin kirjoitettu\n"
    assert sorted(p.relative_to(repo / "docs").as_posix() for p in (repo / "docs").rglob("*.md")) == [
        "fi/projects/startup-connect.md"]


def test_a_record_that_cannot_be_rendered_names_its_file_and_writes_nothing(repo, unrenderable_event):
    # A gap in validation must still give a message, not a traceback, and leave docs/ alone.
    with pytest.raises(pipeline.ValidationFailed) as failed:
        pipeline.generate(repo)
    [problem] = failed.value.problems
    assert str(problem).startswith("data/events/meeting-2019.yml:1:1: could not be turned into the page ")
    assert "ValueError: year 0 is out of range" in str(problem)
    assert not any((repo / "docs").rglob("*.md"))


def test_a_hand_written_page_without_translation_falls_back_until_it_is_written(repo):
    (repo / "docs/en").mkdir(parents=True, exist_ok=True)
    (repo / "docs/en/about.md").write_text("---\ntitle: About\n---\n\n# About\n\nWho we are.\n")
    generate(repo)
    fallback = (repo / "docs/fi/about.md").read_text()
    assert fallback.startswith("---\n# generated from docs/en/about.md")
    assert "title: About" in fallback and "Who we are." in fallback
    assert '!!! info "Käännös on tulossa"' in fallback or "!!! info" in fallback
    (repo / "docs/fi/about.md").write_text("# Tietoa\n\nKeitä olemme.\n")  # the translator's page
    report = generate(repo).report
    assert (repo / "docs/fi/about.md").read_text() == "# Tietoa\n\nKeitä olemme.\n"
    assert "fi/about.md" not in report.written and "fi/about.md" not in report.removed
