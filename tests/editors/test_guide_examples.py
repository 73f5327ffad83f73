"""The error messages shown in the contributor guide are the ones the validator prints today.

The guide's examples come from breaking real records in a copy of data/ the same way here; when a
message changes in validate.py or schema.py, this test says which example to update (in
CONTRIBUTING.md and docs/{en,ru,fi}/contributing.md).
"""
from __future__ import annotations

import re
from pathlib import Path

from portal.model.validate import validate

ROOT = Path(__file__).resolve().parents[2]
GUIDES = [ROOT / "CONTRIBUTING.md"] + [ROOT / "docs" / lang / "contributing.md" for lang in ("en", "ru", "fi")]


def edit(root: Path, rel: str, old: str, new: str, regex: bool = False) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    changed = re.sub(old, new, text, count=1, flags=re.M) if regex else text.replace(old, new, 1)
    assert changed != text, f"{rel}: the record changed; pick another example"
    path.write_text(changed, encoding="utf-8")


def break_records(root: Path) -> None:
    edit(root, "data/projects/ekolend.yml", "themes: [", "themes: [recyling, ")
    edit(root, "data/projects/startup-connect.yml", "slug: startup-connect", "slug: startup-conect")
    edit(root, "data/events/meeting-with-sitra-st-petersburg-2019.yml", r"^date: .*$", "date: 2019-13-05",
         regex=True)
    edit(root, "data/organizations/xamk.yml", "\ntype:", "\ntyp:")
    edit(root, "data/organizations/enviro.yml", "name:\n  en:", "name:\n  en: [broken\n  xx:")
    edit(root, "data/events/circular-economy-cluster-practices-session-2019.yml",
         "organizers: [st-petersburg-cleantech-cluster]", "organizers: [st-petersburg-cleantec-cluster]")


def examples(path: Path) -> list[str]:
    blocks = re.findall(r"```text\n(.*?)```", path.read_text(encoding="utf-8"), re.S)
    return [line for block in blocks for line in block.splitlines() if line.startswith("data/")]


def test_every_guide_shows_the_same_examples() -> None:
    first = examples(GUIDES[0])
    assert len(first) >= 6
    for guide in GUIDES[1:]:
        assert examples(guide) == first, guide


def test_the_examples_are_what_the_validator_prints(repo_copy: Path) -> None:
    break_records(repo_copy)
    printed = [str(p) for p in validate(repo_copy).problems]
    for example in examples(GUIDES[0]):
        if example.endswith(", ..."):  # a long list of allowed values, shortened in the guide
            ok = any(line.startswith(example[:-3]) for line in printed)
        else:
            ok = example in printed
        assert ok, f"the guide shows\n  {example}\nbut validation prints:\n  " + "\n  ".join(printed)
