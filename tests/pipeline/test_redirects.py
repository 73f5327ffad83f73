"""Merged records: the old address answers in every language and references to it still resolve."""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from portal import pipeline
from portal.model.schema import LANGS

MOVED = {"en": "This page has moved.", "ru": "Эта страница перенесена.", "fi": "Sivu on siirretty."}


def merge_into_startup_connect(repo: Path) -> None:
    """A second project merged into startup-connect: its file is gone, its slug is kept as former."""
    path = repo / "data/projects/startup-connect.yml"
    data = yaml.safe_load(path.read_text())
    data["former_slugs"] = ["old-startup-connect"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    playbook = repo / "data/playbooks/resource-recovery.yml"
    pb = yaml.safe_load(playbook.read_text())
    pb["example_projects"] = ["old-startup-connect", "startup-connect"]  # written before the merge
    playbook.write_text(yaml.safe_dump(pb, allow_unicode=True))


def front_matter(text: str) -> dict:
    return yaml.safe_load(re.match(r"^---\n(.*?)\n---\n", text, re.S).group(1))


def test_old_address_answers_in_every_language(repo):
    merge_into_startup_connect(repo)
    pipeline.generate(repo)
    for lang in LANGS:
        page = (repo / "docs" / lang / "projects/old-startup-connect.md").read_text()
        meta = front_matter(page)
        assert meta["redirect"] == "../startup-connect/", lang
        assert meta["portal"]["search"] is False  # left out of the search index (overrides/main.html)
        body = page.split("\n---\n", 1)[1]
        assert f"{MOVED[lang]}" in body, lang
        assert "](startup-connect.md)" in body, "a visible link for readers without refresh"


def test_reference_to_a_former_slug_links_to_the_merged_record(repo):
    merge_into_startup_connect(repo)
    pipeline.generate(repo)
    playbook = (repo / "docs/en/playbooks/resource-recovery.md").read_text()
    assert playbook.count('<a href="../../projects/startup-connect/">') == 1, "resolved and listed once"
    assert "old-startup-connect" not in playbook


def test_removing_the_former_slug_removes_the_redirect_page(repo):
    merge_into_startup_connect(repo)
    pipeline.generate(repo)
    path = repo / "data/projects/startup-connect.yml"
    data = yaml.safe_load(path.read_text())
    del data["former_slugs"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    (repo / "data/playbooks/resource-recovery.yml").write_text(
        (repo / "data/playbooks/resource-recovery.yml").read_text().replace("- old-startup-connect\n", ""))
    pipeline.generate(repo)
    assert not (repo / "docs/en/projects/old-startup-connect.md").exists()
