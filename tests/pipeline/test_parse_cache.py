"""The parse cache (model/parse_cache.py) changes nothing but the time: a file taken from it is the
file as the parser reads it (data, positions, problems), every change of the files is seen, every
validation rule gives its messages from a warm cache, and a damaged cache is ignored, never trusted."""
from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from portal.model import load, parse_cache
from portal.model.load import load_tree
from portal.model.parse_cache import CACHE
from portal.model.validate import validate, validate_tree
from portal_testing import ROOT, make_repo
from test_validation_rules import CASES, expected_messages, messages, overlay


def loaded_as_read(loaded) -> tuple:
    return loaded.path, loaded.data, loaded.problem, loaded.positions, loaded.key_positions


def uncached(repo: Path) -> tuple:
    """What validation makes of the files when nothing is cached: the reference."""
    cat = validate_tree(load_tree(repo), repo)
    return catalogue(cat)


def catalogue(cat) -> tuple:
    records = {kind: {slug: (rec.path, rec.data) for slug, rec in recs.items()} for kind, recs in cat.records.items()}
    return records, cat.vocab, sorted(map(str, set(cat.problems)))


def cached(repo: Path) -> tuple:
    return catalogue(validate(repo))


@pytest.fixture
def real(tmp_path) -> Path:
    return make_repo(tmp_path / "repo", data=ROOT / "data")


def test_a_file_from_the_cache_is_the_file_as_parsed(real, monkeypatch):
    first = load_tree(real, real / CACHE)
    assert {p.name for p in (real / CACHE).iterdir()} == set(parse_cache.SHARDS)
    parsed = []
    monkeypatch.setattr(load, "parse_text", lambda text, rel, real_parse=load.parse_text:
                        parsed.append(rel) or real_parse(text, rel))
    again = load_tree(real, real / CACHE)
    assert parsed == [], "a file of the same bytes was parsed again"
    # Positions are parsed again from the same bytes when they are first asked for, and are the same.
    assert [loaded_as_read(f) for f in again.files] == [loaded_as_read(f) for f in first.files]
    assert len(parsed) == len(again.files)


def test_positions_of_a_cached_file_give_the_same_messages(repo):
    record = repo / "data/projects/startup-connect.yml"
    record.write_text(record.read_text(encoding="utf-8").replace("status: closed", "status: shut\nthemes: [nothing]"),
                      encoding="utf-8")
    first = messages(repo)  # parsed, then cached: its YAML is fine, its values are not
    assert any("startup-connect.yml:" in m for m in first)
    assert messages(repo) == first


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_every_rule_gives_its_messages_from_a_warm_cache(case, tmp_path):
    repo = make_repo(tmp_path / "repo")
    validate(repo)  # the cache holds the fixture's files
    overlay(CASES / case, repo)
    expected = expected_messages(CASES / case, repo)
    assert messages(repo) == expected
    assert messages(repo) == expected  # now with every file that parses cleanly from the cache


def test_every_change_of_the_files_is_seen(real):
    assert cached(real) == uncached(real)
    data = real / "data"
    project = sorted((data / "projects").glob("*.yml"))[0]
    edits = [
        lambda: project.write_text(project.read_text(encoding="utf-8").replace("\n", "\n# a comment\n", 1),
                                   encoding="utf-8"),  # same data, other bytes
        lambda: project.write_text(project.read_text(encoding="utf-8").replace("en: ", "en: Edited ", 1),
                                   encoding="utf-8"),
        lambda: shutil.copy(project, data / "projects/a-copy-of-it.yml"),  # the same bytes twice
        lambda: (data / "projects/a-copy-of-it.yml").rename(data / "projects/renamed-copy.yml"),
        lambda: (data / "projects/renamed-copy.yml").unlink(),
        lambda: (data / "events/broken.yml").write_text("slug: broken\ntitle: [\n", encoding="utf-8"),
        lambda: (data / "events/broken.yml").write_text("slug: broken\n", encoding="utf-8"),
        lambda: (data / "events/broken.yml").unlink(),
        lambda: shutil.copy(ROOT / "data/projects" / project.name, project),  # back as it was
    ]
    for edit in edits:
        edit()
        assert cached(real) == uncached(real)
    assert cached(real) == uncached(real)


def test_a_deleted_file_leaves_the_cache(repo):
    validate(repo)
    entries = cache_entries(repo)
    gone = sorted((repo / "data/events").glob("*.yml"))[0]
    digest = hashlib.sha256(gone.read_bytes()).hexdigest()
    assert digest in entries
    gone.unlink()
    validate(repo)
    assert digest not in cache_entries(repo) and len(cache_entries(repo)) == len(entries) - 1


def cache_entries(repo: Path) -> dict:
    out = {}
    for shard in sorted(p for p in (repo / CACHE).iterdir() if p.name in parse_cache.SHARDS):
        body = shard.read_bytes().partition(b"\n")[2].decode("utf-8")
        out.update(line.split(" ", 1) for line in body.split("\n") if line)
    return out


def damage_truncated(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:-40])


def damage_flipped(path: Path) -> None:
    raw = bytearray(path.read_bytes())
    at = raw.find(b'"en":"') + 7  # inside a text of the data (else in the header)
    raw[at] = ord("X") if raw[at] != ord("X") else ord("Y")
    path.write_bytes(bytes(raw))


def damage_entry_rewritten(path: Path) -> None:
    """Another value for a digest, as valid JSON, and the header's check made to match: what only a
    hand that means it can do; the data is then what the cache says (it is no defence against that),
    but it must still not crash, and the next change of that file replaces it."""
    header, _, body = path.read_bytes().partition(b"\n")
    lines = body.decode("utf-8").split("\n")
    digest, _, _ = lines[0].partition(" ")
    lines[0] = f'{digest} {{"slug":"x"}}'
    body = "\n".join(lines).encode("utf-8")
    meta = json.loads(header)
    meta["check"] = hashlib.sha256(body).hexdigest()
    path.write_bytes(json.dumps(meta).encode() + b"\n" + body)


DAMAGE = {
    "truncated": damage_truncated,
    "a flipped byte": damage_flipped,
    "garbage": lambda path: path.write_bytes(b"\x00\xff not a cache \n at all"),
    "empty": lambda path: path.write_bytes(b""),
    "a line without its digest": lambda path: path.write_bytes(path.read_bytes() + b"nodigest\n"),
    "another version": lambda path: path.write_bytes(path.read_bytes().replace(b'"version": 2', b'"version": 1', 1)),
    "a folder": lambda path: (path.unlink(), path.mkdir()),
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_damaged_cache_is_ignored_and_written_again(real, damage):
    reference = uncached(real)
    validate(real)
    parse_cache._READ.clear()  # (as another process would find it)
    for shard in sorted((real / CACHE).iterdir()):
        DAMAGE[damage](shard)
    assert cached(real) == reference
    if damage != "a folder":  # (a folder where a file was cannot be replaced: parsed every time)
        parse_cache._READ.clear()
        assert len(cache_entries(real)) == len([p for p in (real / "data").rglob("*.yml")])
    assert cached(real) == reference


def test_a_value_written_into_the_cache_by_hand_goes_with_the_next_change(real):
    validate(real)
    parse_cache._READ.clear()
    for shard in sorted((real / CACHE).iterdir()):
        damage_entry_rewritten(shard)
    validate(real)  # (whatever it says: no crash)
    for path in (real / "data").rglob("*.yml"):
        path.write_bytes(path.read_bytes() + b"\n")
    assert cached(real) == uncached(real)


def test_a_cache_of_other_code_is_not_read(real, monkeypatch):
    validate(real)
    parse_cache._READ.clear()
    monkeypatch.setattr(parse_cache, "code_key", lambda: "another parser")
    parsed = []
    monkeypatch.setattr(load, "parse_text", lambda text, rel, real_parse=load.parse_text:
                        parsed.append(rel) or real_parse(text, rel))
    assert cached(real) == uncached(real)
    assert len(parsed) >= len([p for p in (real / "data").rglob("*.yml")])


def test_the_parser_s_code_is_in_its_key(tmp_path, monkeypatch):
    # A copy of model/ stands in for it: code_key() digests the load.py beside parse_cache.py.
    model = tmp_path / "model"
    shutil.copytree(Path(parse_cache.__file__).parent, model, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(parse_cache, "__file__", str(model / "parse_cache.py"))
    parse_cache.code_key.cache_clear()
    try:
        key = parse_cache.code_key()
        (model / "load.py").write_text((model / "load.py").read_text(encoding="utf-8") + "\n# changed\n",
                                       encoding="utf-8")
        parse_cache.code_key.cache_clear()
        assert parse_cache.code_key() != key
    finally:
        monkeypatch.undo()
        parse_cache.code_key.cache_clear()


def test_a_change_of_what_the_checks_read_checks_every_file_again(real):
    """A record found clean stays so only in the same context: a term it uses removed, a record it
    names deleted, a language it writes taken out of the registry make it wrong without a change of
    its own bytes."""
    data = real / "data"
    assert cached(real) == uncached(real)
    themes = data / "vocabularies/themes.yml"
    used = sorted(p for p in (data / "projects").glob("*.yml") if "themes:" in p.read_text(encoding="utf-8"))[0]
    term = next(line.split("[", 1)[1].split(",")[0].split("]")[0].strip()
                for line in used.read_text(encoding="utf-8").splitlines() if line.startswith("themes:"))
    text = themes.read_text(encoding="utf-8")
    themes.write_text(text.replace(f"id: {term}\n", f"id: {term}-renamed\n"), encoding="utf-8")
    assert any(str(p).startswith(f"data/projects/{used.name}:") for p in validate(real).problems)
    assert cached(real) == uncached(real)
    themes.write_text(text, encoding="utf-8")
    assert cached(real) == uncached(real) and not validate(real).problems
    partner = sorted(data.glob("organizations/*.yml"))
    named = next(p for p in partner if any(f"organization: {p.stem}" in q.read_text(encoding="utf-8")
                                          for q in data.glob("projects/*.yml")))
    named.unlink()
    assert any("organization" in str(p) and named.stem in str(p) for p in validate(real).problems)
    assert cached(real) == uncached(real)


def test_the_checks_code_is_in_their_key(tmp_path, monkeypatch):
    model = tmp_path / "portal" / "model"
    shutil.copytree(Path(parse_cache.__file__).parent, model, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(Path(parse_cache.__file__).parents[1] / "languages.py", model.parent / "languages.py")
    monkeypatch.setattr(parse_cache, "__file__", str(model / "parse_cache.py"))
    parse_cache.model_key.cache_clear()
    try:
        key = parse_cache.model_key()
        (model / "schema.py").write_text((model / "schema.py").read_text(encoding="utf-8") + "\n# changed\n",
                                         encoding="utf-8")
        parse_cache.model_key.cache_clear()
        assert parse_cache.model_key() != key
    finally:
        monkeypatch.undo()
        parse_cache.model_key.cache_clear()
