"""`make new`: a commented template per record kind, built from schema.py and the vocabularies."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from portal.commands import new_record as N
from portal import render
from portal.model import schema as S
from portal.model.validate import validate

KINDS = list(S.KINDS)


def problems_of(root: Path, rel: str) -> list[str]:
    return [str(p) for p in validate(root).problems if p.file == rel]


def top_field(problem: str) -> str:
    """'data/x.yml:3:1: sources[0].title: …' -> 'sources'"""
    return re.split(r"[.\[]", problem.split(": ")[1])[0]


def sample(t: S.Type, root_vocab: dict, slugs: dict) -> object:
    """A valid value of type t, as an editor would write it."""
    if isinstance(t, S.Text):
        return {"en": "Written in English", "ru": "", "fi": "Suomeksi"}
    if isinstance(t, S.Slug):
        return "a-slug"
    if isinstance(t, S.Url):
        return "https://example.org/"
    if isinstance(t, S.Date):
        return "2020-05"
    if isinstance(t, S.VocabRef):
        return next(iter(root_vocab[t.vocab]))
    if isinstance(t, S.RecordRef):
        return sorted(slugs[t.kind])[0]
    if isinstance(t, S.ListOf):
        return [sample(t.item, root_vocab, slugs)]
    if isinstance(t, S.Object):
        return {name: sample(f.type, root_vocab, slugs) for name, f in t.fields.items() if f.required}
    if isinstance(t, S.String):
        return "Name"
    raise AssertionError(f"no sample for {t!r}")


def fill(path: Path, root: Path, kind: str, everything: bool) -> None:
    """Fill the required fields (and with everything=True every field) of a written template."""
    cat = validate(root)
    slugs = {k: set(v) - {path.stem} for k, v in cat.records.items()}
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for name, spec in S.KINDS[kind].schema.fields.items():
        if name == "slug" or not (spec.required or everything):
            continue
        data[name] = sample(spec.type, cat.vocab, slugs)
    data["sources"] = [{"title": "A source", "url": "https://example.org/a", "retrieved": "2026-11-22"}]
    if kind == "project" and everything:
        data["partners"] = [{"organization": sorted(slugs["organization"])[0], "role": "lead-partner"}]
        data["start"], data["end"] = "2019", "2021-06"
    first = path.read_text(encoding="utf-8").splitlines()[0]
    path.write_text(first + "\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.mark.parametrize("kind", KINDS)
def test_template_has_schema_line_every_field_values_and_languages(repo_copy: Path, kind: str) -> None:
    path = N.write_new(kind, f"new-{kind}", repo_copy)
    text = path.read_text(encoding="utf-8")
    assert path == repo_copy / "data" / S.KINDS[kind].folder / f"new-{kind}.yml"
    assert text.splitlines()[0] == f"# yaml-language-server: $schema=../../schemas/{kind}.schema.json"
    schema = S.KINDS[kind].schema
    for name, spec in schema.fields.items():
        assert re.search(rf"^#?{name}:", text, re.M), f"field {name} is missing"
        assert spec.help.split(";")[0].strip().rstrip(".")[1:] in text, f"help of {name} is missing"
        t = spec.type.item if isinstance(spec.type, S.ListOf) else spec.type
        if isinstance(t, S.VocabRef):
            terms = yaml.safe_load((repo_copy / "data" / "vocabularies" / f"{t.vocab}.yml").read_text("utf-8"))
            for term in terms["terms"]:
                assert re.search(rf"[ :]{re.escape(str(term['id']))}[ ,(\n]", text), (name, term["id"])
    for lang in S.LANGS:  # every text field offers the three languages
        assert len(re.findall(rf'\b{lang}: ""', text)) == len(re.findall(r'\ben: ""', text))
    assert 'en: ""' in text


@pytest.mark.parametrize("kind", KINDS)
def test_empty_template_fails_only_on_required_fields_and_names_them(repo_copy: Path, kind: str) -> None:
    path = N.write_new(kind, f"new-{kind}", repo_copy)
    rel = path.relative_to(repo_copy).as_posix()
    problems = problems_of(repo_copy, rel)
    required = {n for n, f in S.KINDS[kind].schema.fields.items() if f.required} - {"slug"}
    assert {top_field(p) for p in problems} == required, problems
    assert all(p.startswith(rel + ":") for p in problems)
    # Nothing else in data/ is affected by the new file.
    assert [p for p in validate(repo_copy).problems if p.file != rel] == []


@pytest.mark.parametrize("kind", KINDS)
def test_filled_template_validates(repo_copy: Path, kind: str) -> None:
    path = N.write_new(kind, f"new-{kind}", repo_copy)
    fill(path, repo_copy, kind, everything=False)
    assert problems_of(repo_copy, path.relative_to(repo_copy).as_posix()) == []


@pytest.mark.parametrize("kind", KINDS)
def test_switching_on_every_optional_field_keeps_the_yaml_valid(repo_copy: Path, kind: str) -> None:
    path = N.write_new(kind, f"new-{kind}", repo_copy)
    switched_on = N.uncomment_all(path.read_text(encoding="utf-8"))
    data = yaml.safe_load(switched_on)
    assert set(data) == set(S.KINDS[kind].schema.fields), "every field is there once uncommented"
    path.write_text(switched_on, encoding="utf-8")
    fill(path, repo_copy, kind, everything=True)
    assert problems_of(repo_copy, path.relative_to(repo_copy).as_posix()) == []


def test_filled_record_appears_on_the_site_in_three_languages(repo_copy: Path) -> None:
    path = N.write_new("project", "new-project", repo_copy)
    fill(path, repo_copy, "project", everything=False)
    cat = validate(repo_copy)
    assert cat.problems == []
    pages = {p.path: p.text for p in render.render_all(cat, repo_copy)}
    for lang in S.LANGS:
        page = pages[f"{lang}/projects/new-project.md"]
        assert "Written in English" in page or "Suomeksi" in page
    assert "Suomeksi" in pages["fi/projects/new-project.md"]


def test_refuses_to_overwrite_and_rejects_bad_input(repo_copy: Path) -> None:
    existing = next((repo_copy / "data" / "projects").glob("*.yml"))
    before = existing.read_bytes()
    with pytest.raises(ValueError, match="already exists"):
        N.write_new("project", existing.stem, repo_copy)
    assert existing.read_bytes() == before
    for bad in ("Bad_Slug", "with space", "-leading", "double--hyphen", "ö", ""):
        with pytest.raises(ValueError):
            N.write_new("project", bad, repo_copy)
    with pytest.raises(ValueError, match="did you mean 'project'"):
        N.write_new("projects", "fine-slug", repo_copy)
    assert not list((repo_copy / "data").rglob("fine-slug.yml"))


def test_command_line(repo_copy: Path, capsys) -> None:
    assert N.run("organization", "new-org", repo_copy) == 0
    out = capsys.readouterr().out
    assert "Wrote data/organizations/new-org.yml" in out
    assert re.search(r"new-org.yml:\d+:\d+: name: ", out) and re.search(r"new-org.yml:\d+:\d+: type: ", out)
    assert N.run("organization", "new-org", repo_copy) == 1
    assert "already exists" in capsys.readouterr().err
    assert N.run("organization", "Not A Slug", repo_copy) == 1
    assert "rename the file to 'not-a-slug.yml'" in capsys.readouterr().err


# A slug that validation would refuse once the file exists is refused before anything is written,
# with validation's own message (tests/fixtures/validation/bad-file-name*, hand-written-page-collision).
@pytest.mark.parametrize("kind, slug, message", [
    ("project", "EKOLEND", "data/projects/EKOLEND.yml:1:1: the file name 'EKOLEND' is not a slug: use "
                           "lowercase ASCII letters, digits and hyphens: rename the file to 'ekolend.yml'"),
    ("project", "../../x", "rename the file to 'x.yml'"),
    ("project", 'x";touch /tmp/p;"', "rename the file to 'x-touch-tmp-p.yml'"),
    ("project", "index", "data/projects/index.yml:13:7: slug: its page projects/index.md would take the "
                         "place of the projects catalogue; choose another name"),
    ("project", "finnish-russian-ppp-green-business",
     "former_slugs[0]: 'finnish-russian-ppp-green-business' is the slug of a live record"),
])
def test_refuses_a_slug_validation_would_refuse(repo_copy: Path, kind, slug, message, capsys) -> None:
    before = sorted(p.relative_to(repo_copy) for p in repo_copy.rglob("*"))
    assert N.run(kind, slug, repo_copy) == 1
    err = capsys.readouterr().err
    assert message in err and "nothing was written" in err
    assert sorted(p.relative_to(repo_copy) for p in repo_copy.rglob("*")) == before


def test_the_refusal_is_validations_message(repo_copy: Path, capsys) -> None:
    """What `new` says about `index` is exactly what validation says once such a file exists."""
    assert N.run("project", "index", repo_copy) == 1
    refused = [line.removeprefix("error: ") for line in capsys.readouterr().err.splitlines()
               if line.removeprefix("error: ").startswith("data/")]
    path = repo_copy / "data/projects/index.yml"
    path.write_text(N.Template(repo_copy).render("project", "index"), encoding="utf-8")
    assert refused and set(refused) <= set(problems_of(repo_copy, "data/projects/index.yml"))
