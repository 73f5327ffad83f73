"""The terminology check (scripts/portal/terminology.py): each rule's fixture beside its exact warnings,
the inflection matching, the glossary pages against terminology.yml, and the real data."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from portal_testing import FIXTURES, ROOT, make_repo
from portal.model import terminology as T

CASES = FIXTURES / "terminology"
REAL = yaml.safe_load((ROOT / T.PATH).read_text(encoding="utf-8"))


def with_rules(repo: Path) -> Path:
    """The fixture repository with the real terminology.yml: the fixtures test the real rules."""
    (repo / T.PATH).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / T.PATH, repo / T.PATH)
    return repo


def overlay(case: Path, repo: Path) -> None:
    for path in case.rglob("*"):
        rel = path.relative_to(case)
        if path.is_file() and rel.parts[0] in ("data", "docs"):
            (repo / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, repo / rel)


def test_base_fixture_has_no_warnings(tmp_path):
    assert T.warnings(with_rules(make_repo(tmp_path / "repo"))) == []


def test_every_rule_has_a_fixture():
    assert sorted(t["id"] for t in REAL["terms"]) == sorted(p.name for p in CASES.iterdir() if p.is_dir())


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_rule(case, tmp_path):
    repo = with_rules(make_repo(tmp_path / "repo"))
    overlay(CASES / case, repo)
    expected = (CASES / case / "expected.txt").read_text(encoding="utf-8").strip().splitlines()
    assert [str(p) for p in T.warnings(repo)] == expected


@pytest.mark.parametrize("lang, variant, text_word", [
    ("ru", "экономика", "экономика"), ("ru", "экономика", "экономике"), ("ru", "экономика", "экономики"),
    ("ru", "экономика", "экономикой"), ("ru", "экономика", "Экономику"),
    ("ru", "замкнутого", "замкнутому"), ("ru", "замкнутого", "замкнутым"),
    ("ru", "трансграничный", "трансграничное"), ("ru", "трансграничный", "трансграничных"),
    ("ru", "опрос", "опросом"), ("ru", "опрос", "опросов"), ("ru", "сборник", "сборнике"),
    ("ru", "мейнтейнер", "мейнтейнерами"), ("ru", "плейбук", "плейбуке"),
    ("fi", "päätoteuttaja", "päätoteuttajana"), ("fi", "päätoteuttaja", "päätoteuttajia"),
    ("fi", "päätoteuttaja", "päätoteuttajansa"), ("fi", "kysely", "kyselyyn"), ("fi", "kysely", "kyselyjä"),
    ("fi", "kysely", "kyselyistä"), ("fi", "kysely", "kyselyään"), ("fi", "kysely", "kyselykin"),
    ("fi", "lokalisointi", "lokalisointia"), ("fi", "lokalisoinnin", "lokalisoinnista"),
    ("fi", "lokalisoinnin", "lokalisoinnille"), ("en", "survey", "surveys"),
])
def test_inflected_forms_match(lang, variant, text_word):
    assert T.word_matches(text_word, variant, lang)


@pytest.mark.parametrize("lang, variant, text_word", [
    ("ru", "опрос", "опросник"), ("ru", "опрос", "вопрос"), ("ru", "опрос", "опросный"),
    ("ru", "сборник", "сбор"), ("ru", "экономика", "экономист"), ("ru", "трансграничный", "транснациональный"),
    ("fi", "kysely", "kyselylomake"), ("fi", "kysely", "kyseli"), ("fi", "kysely", "kyselysivulla"),
    ("fi", "päätoteuttaja", "toteuttaja"), ("fi", "lokalisointi", "lokaali"), ("en", "survey", "surveyor"),
])
def test_other_words_do_not_match(lang, variant, text_word):
    assert not T.word_matches(text_word, variant, lang)


def test_a_phrase_matches_only_as_consecutive_words():
    rule = T.Rule("circular-economy", "ru", "экономика замкнутого цикла", "циркулярная экономика")
    text = "переход к экономике\nзамкнутого цикла; экономика не замкнутого цикла"
    assert [h.quoted(text) for h in T.find(text, [rule])] == ["экономике замкнутого цикла"]


@pytest.mark.parametrize("text, found", [
    ("программы «Юго-Восточная Финляндия – Россия» 2014–2020", ["Юго-Восточная Финляндия – Россия"]),
    ("программе «Юго-Восточной Финляндии —\nРоссия»", ["Юго-Восточной Финляндии — Россия"]),
    ("Юго-Восточная Финляндия-Россия", []),  # one hyphenated word: a variant of its own in terminology.yml
    ("регионы: Юго-Восточная Финляндия, Россия", []),
    ("программа «Россия – Юго-Восточная Финляндия»", []),
])
def test_a_name_variant_needs_its_punctuation(text, found):
    rule = T.Rule("programme", "ru", "Юго-Восточная Финляндия – Россия", "Россия – Юго-Восточная Финляндия",
                  kind="name")
    assert [h.quoted(text) for h in T.find(text, [rule])] == found


def test_words_of_a_name_may_not_be_split_by_punctuation_but_a_terms_may():
    text = "XIX Общероссийский форум «Стратегическое планирование в регионах и городах России»"
    name = T.Rule("forum", "ru", "форум стратегического планирования", "Форум стратегов", kind="name")
    term = T.Rule("forum", "ru", "форум стратегического планирования", "Форум стратегов")
    assert T.find(text, [name]) == []
    assert [h.quoted(text) for h in T.find(text, [term])] == ["форум «Стратегическое планирование"]
    assert [h.quoted(t) for t in ["на форуме стратегического планирования"] for h in T.find(t, [name])] == [
        "форуме стратегического планирования"]


def test_a_name_warning_gives_the_accepted_name():
    text = "компании «Энвиро»"
    hit, = T.find(text, [T.Rule("enviro", "ru", "Энвиро", "Enviro", kind="name")])
    assert T.message(hit, text) == ("uses 'Энвиро'; the name is written 'Enviro' "
                                    "(data/vocabularies/terminology.yml: enviro)")


def test_kind_is_term_or_name(tmp_path):
    from portal.model.load import load_file
    path = tmp_path / T.PATH
    path.parent.mkdir(parents=True)
    path.write_text("terms:\n  - id: x\n    kind: word\n    preferred: {en: X, ru: Икс}\n"
                    "    rejected: {ru: [Игрек]}\n    note: a note\n", encoding="utf-8")
    problems = T.check_file(load_file(path, tmp_path))
    assert [(p.line, p.field) for p in problems] == [(3, "terms[0].kind")]


def test_validate_prints_warnings_and_still_succeeds(tmp_path):
    repo = with_rules(make_repo(tmp_path / "repo"))
    overlay(CASES / "lead-partner", repo)
    env = {"PYTHONPATH": str(repo / "scripts"), "PATH": "/usr/bin:/bin"}

    def run(*args, **extra):
        return subprocess.run([sys.executable, "-m", "portal", *args], cwd=repo, capture_output=True,
                              text=True, env={**env, **extra})

    run("schemas")  # the fixture's vocabularies differ from the real ones
    expected = (CASES / "lead-partner" / "expected.txt").read_text(encoding="utf-8").splitlines()
    done = run("validate")
    assert done.returncode == 0, done.stderr
    assert [line.removeprefix("WARNING ") for line in done.stderr.splitlines()
            if line.startswith("WARNING ")] == expected
    assert done.stderr.rstrip().endswith("2 terminology warnings in 2 files (warnings do not fail "
                                          "validation; see data/vocabularies/terminology.yml).")
    annotated = run("validate", PORTAL_ANNOTATIONS="github")
    assert annotated.returncode == 0
    assert ("::warning file=data/organizations/sample.yml,line=6,col=65::description.fi: uses "
            "'päätoteuttajaksi'") in annotated.stderr


# ---------------------------------------------------------------------------------------------
# The real data
# ---------------------------------------------------------------------------------------------

def _real_warnings() -> list[str]:
    return [str(p) for p in T.warnings(ROOT)]


def test_real_terminology_file_is_valid():
    from portal.model.load import load_file
    assert T.check_file(load_file(ROOT / T.PATH, ROOT)) == []


def test_allowed_files_exist():
    assert [p for t in REAL["terms"] for p in t.get("allowed_in", []) if not (ROOT / p).is_file()] == []


def test_real_data_has_no_warnings_outside_projects_and_events():
    assert [w for w in _real_warnings() if not w.startswith(("data/projects/", "data/events/"))] == []


def test_real_data_has_no_warnings():
    assert _real_warnings() == []


# The glossary shows, per concept, the preferred term first on its "EN: … · RU: … · FI: …" line and the
# rejected variants on a line of their own, with these words in each language.
AVOID_LABEL = {"en": "Variants not used on the portal:", "ru": "Варианты, которые портал не использует:",
               "fi": "Muodot, joita portaali ei käytä:"}


def _section(page: str, anchor: str) -> str:
    match = re.search(rf"^#+ .*\{{#{anchor}\}}\s*$(.*?)(?=^#+ |\Z)", page, re.M | re.S)
    assert match, f"no glossary heading with {{#{anchor}}}"
    return match.group(1)


@pytest.mark.parametrize("lang", ["en", "ru", "fi"])
@pytest.mark.parametrize("term", [t for t in REAL["terms"] if t.get("glossary")], ids=lambda t: t["id"])
def test_glossary_shows_the_preferred_term_and_its_variants(term, lang):
    section = _section((ROOT / "docs" / lang / "glossary.md").read_text(encoding="utf-8"), term["glossary"])
    names = re.search(r"^EN: (.*)$", section, re.M)
    assert names, "the entry has no 'EN: … · RU: … · FI: …' line"
    first = {part.split(": ", 1)[0].lower(): part.split(": ", 1)[1].split(", ")[0].split(" (")[0]
             for part in ("EN: " + names.group(1)).split(" · ")}
    assert first == {k: v for k, v in term["preferred"].items() if k in first} and set(first) == {"en", "ru", "fi"}
    variants = " · ".join(f"{lang_.upper()}: {', '.join(vs)}" for lang_, vs in term["rejected"].items() if vs)
    assert f"{AVOID_LABEL[lang]} {variants}" in section.splitlines()
