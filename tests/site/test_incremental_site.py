"""An incremental `portal build` (site/incremental.py) gives the site a full build of the same inputs
gives, byte for byte, for every kind of change (issue 21).

One full build of the fixture is the shared base; each case copies it (site/ and the build state
with it), makes its change and builds again, incrementally where the change allows; the reference
is a build from scratch of a fresh copy with the same change, built once per change and shared by
the cases that make it. The build's own log says which languages were built how and how many
pages each rebuilt: the cases check that too, so a case cannot pass by building in full.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from portal.site import incremental
from portal_testing import BASE_DATA, build, make_overlay_repo, tree_snapshot

pytestmark = pytest.mark.slow

PROJECT = "data/projects/startup-connect.yml"
REBUILT = re.compile(r"^\[(\w+)\] (incremental|full) build \((.*)\): (\d+) of (\d+) pages rebuilt", re.M)


def _replace(repo: Path, name: str, old: str, new: str) -> None:
    path = repo / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{name} no longer holds {old!r}: update the test's change"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def edit_record(repo):
    _replace(repo, PROJECT, "fi: Startup Connect}", "fi: Muokattu hanke}")


def add_record(repo):
    text = (repo / PROJECT).read_text(encoding="utf-8")
    (repo / "data/projects/startup-bridge.yml").write_text(
        text.replace("slug: startup-connect", "slug: startup-bridge")
            .replace("title: {en: Startup Connect, ru: Startup Connect, fi: Startup Connect}",
                     "title: {en: Startup Bridge, ru: Startup Bridge, fi: Startup Bridge}"),
        encoding="utf-8")


def delete_record(repo):
    (repo / "data/events/meeting-2019.yml").unlink()


def rename_record(repo):
    """startup-connect becomes startup-link: the old address becomes a page that leads to the new."""
    text = (repo / PROJECT).read_text(encoding="utf-8")
    (repo / PROJECT).unlink()
    (repo / "data/projects/startup-link.yml").write_text(
        text.replace("slug: startup-connect", "slug: startup-link\nformer_slugs: [startup-connect]"),
        encoding="utf-8")


def change_record_template(repo):
    _replace(repo, "scripts/templates/project.html.j2", '{{ p.heading(2, ui["sections.at_a_glance"]) }}',
             '{{ p.heading(2, ui["sections.at_a_glance"] ~ " (2)") }}')


def change_catalogue_titles(repo):
    """A change of the generation's code that renames the sidebar's entries (the catalogues' titles
    in their front matter): every page shows them, so the check after the build finds it."""
    _replace(repo, "scripts/portal/render/pages/catalogue.py", 'title = ctx.ui[f"catalogue.{folder}.title"]',
             'title = ctx.ui[f"catalogue.{folder}.title"] + " +"')


def change_strings(repo):
    _replace(repo, "scripts/locales/fi.yml", "label: Olet tässä", "label: Sijaintisi")


def change_hand_written_page(repo):
    (repo / "docs/fi/about.md").write_text("# Tietoa\n\nUusi kappale.\n", encoding="utf-8")


def change_configuration(repo):
    _replace(repo, "mkdocs.yml", "primary: teal", "primary: indigo")
    _replace(repo, "overrides/main.html", "{% block", "{#- changed -#}\n{% block")


CHANGES = {f.__name__: f for f in (edit_record, add_record, delete_record, rename_record,
                                   change_record_template, change_catalogue_titles, change_strings,
                                   change_hand_written_page, change_configuration)}


def _built(repo: Path) -> str:
    done = build(repo)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    return done.stderr


def _modes(log: str) -> dict[str, tuple[str, int, int]]:
    """{language: (incremental|full, pages rebuilt, pages)} from the build's log."""
    return {code: (mode, int(rebuilt), int(total)) for code, mode, _why, rebuilt, total in REBUILT.findall(log)}


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> tuple[Path, str]:
    repo = make_overlay_repo(tmp_path_factory.mktemp("base") / "repo", BASE_DATA)
    log = _built(repo)
    assert (repo / incremental.CACHE / incremental.STATE_FILE).is_file()
    return repo, log


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """A build from scratch of the fixture with a change made: its site's files, once per change."""
    built: dict[str, tuple[dict[str, bytes], dict[str, bytes]]] = {}

    def site_of(change: str, what: str = "site") -> dict[str, bytes]:
        if change not in built:
            repo = make_overlay_repo(tmp_path_factory.mktemp(change) / "repo", BASE_DATA)
            CHANGES[change](repo)
            _built(repo)
            built[change] = (tree_snapshot(repo / "site"), tree_snapshot(repo / incremental.CACHE))
        return built[change][0 if what == "site" else 1]
    return site_of


def _copy(base: Path, dest: Path) -> Path:
    return shutil.copytree(base, dest, symlinks=True)


def _same_site(got: Path, want: dict[str, bytes]) -> None:
    """(also the build state: the one updated in place must be the one a full build makes)"""
    files = tree_snapshot(got)
    differences = sorted([f"only in the incremental build: {n}" for n in set(files) - set(want)]
                         + [f"missing from the incremental build: {n}" for n in set(want) - set(files)]
                         + [f"differs: {n}" for n in set(files) & set(want) if files[n] != want[n]])
    assert not differences, f"{len(differences)} files:\n" + "\n".join(differences[:40])


# change -> how each language must have been built: "incremental" or "full"
EXPECTED = {"edit_record": "incremental", "add_record": "incremental", "delete_record": "incremental",
            "rename_record": "incremental", "change_record_template": "incremental",
            "change_catalogue_titles": "full",  # the sidebar changed: found after the build, built again
            "change_strings": "full", "change_hand_written_page": "full", "change_configuration": "full"}


@pytest.mark.parametrize("change", list(CHANGES))
def test_an_incremental_build_is_byte_identical_to_a_full_one(base, reference, tmp_path, change):
    repo = _copy(base[0], tmp_path / "repo")
    CHANGES[change](repo)
    log = _built(repo)
    modes = _modes(log)
    assert {code: mode for code, (mode, _, _) in modes.items()} == dict.fromkeys(("en", "ru", "fi"), EXPECTED[change]), log
    _same_site(repo / "site", reference(change))
    # The next build starts from this state: updated in place or made anew, it is a full build's.
    _same_site(repo / incremental.CACHE, reference(change, "state"))


def test_a_record_edit_rebuilds_fewer_pages_than_a_full_build(base, tmp_path):
    repo = _copy(base[0], tmp_path / "repo")
    edit_record(repo)
    full, incremental_ = _modes(base[1]), _modes(_built(repo))
    for code in ("en", "ru", "fi"):
        assert full[code][0] == "full" and full[code][1] == full[code][2]
        assert incremental_[code][0] == "incremental"
        assert incremental_[code][1] < full[code][1], (code, incremental_[code], full[code])


@pytest.mark.parametrize("damage", ["missing", "unreadable", "a kept page's output gone"])
def test_without_a_whole_build_state_the_build_is_full_and_right(base, reference, tmp_path, damage):
    repo = _copy(base[0], tmp_path / "repo")
    cache = repo / incremental.CACHE
    if damage == "missing":
        shutil.rmtree(cache)
    elif damage == "unreadable":
        (cache / incremental.STATE_FILE).write_text('{"version": 1, "key": ', encoding="utf-8")
    else:
        (cache / "parts" / "ru" / "playbooks" / "resource-recovery" / "index.html").unlink()
    edit_record(repo)
    modes = _modes(_built(repo))
    expected_full = {"missing": {"en", "ru", "fi"}, "unreadable": {"en", "ru", "fi"},
                     "a kept page's output gone": {"ru"}}[damage]
    assert {code for code, (mode, _, _) in modes.items() if mode == "full"} == expected_full, modes
    _same_site(repo / "site", reference("edit_record"))


def test_the_state_is_kept_only_after_a_build_that_succeeded(base, tmp_path):
    repo = _copy(base[0], tmp_path / "repo")
    state = (repo / incremental.CACHE / incremental.STATE_FILE).read_bytes()
    (repo / "docs/fi/about.md").write_text("# Tietoa\n\n[rikki](ei-ole.md)\n", encoding="utf-8")
    failed = build(repo)
    assert failed.returncode != 0
    assert (repo / incremental.CACHE / incremental.STATE_FILE).read_bytes() == state
    assert not list(repo.glob(".portal-cache-*")) and not list(repo.glob(".site-building-*"))


def _portal(repo: Path, *args: str) -> str:
    import os
    import subprocess
    import sys
    env = dict(os.environ, PYTHONPATH=str(repo / "scripts"), NO_MKDOCS_2_WARNING="1")
    done = subprocess.run([sys.executable, "-m", "portal", *args], cwd=repo, env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    return done.stderr


def test_the_publish_workflows_parts_leave_the_state_a_pull_requests_build_starts_from(reference, tmp_path):
    """The publish workflow: one job per language (`portal build-language`), then `portal assemble
    --keep-state`; the state it leaves (CI's cache) lets the next `portal build` be incremental."""
    repo = make_overlay_repo(tmp_path / "repo", BASE_DATA)
    _portal(repo, "schemas")
    for code in ("en", "ru", "fi"):
        _portal(repo, "build-language", code, f"parts/{code}")
        assert (repo / "parts" / code / incremental.PART_MANIFEST).is_file()
    _portal(repo, "assemble", "--keep-state", "parts", "published")
    assert not list((repo / "published").rglob(incremental.PART_MANIFEST)), "a manifest was published"
    assert (repo / incremental.CACHE / incremental.STATE_FILE).is_file()
    edit_record(repo)
    modes = _modes(_built(repo))
    assert {code: mode for code, (mode, _, _) in modes.items()} == dict.fromkeys(("en", "ru", "fi"), "incremental")
    _same_site(repo / "site", reference("edit_record"))


def test_a_build_stopped_after_the_state_changed_in_place_leaves_none_and_the_next_is_full(
        base, reference, tmp_path):
    """The state is updated in place before the search index is made: a build killed there (kill -9,
    scripts/portal/faults.py) leaves no state file, so the next build is full, and right."""
    import os
    import signal
    import subprocess
    import sys

    from portal import faults
    repo = _copy(base[0], tmp_path / "repo")
    edit_record(repo)
    env = dict(os.environ, PYTHONPATH=str(repo / "scripts"), NO_MKDOCS_2_WARNING="1", **{faults.ENV: "pagefind"})
    killed = subprocess.run([sys.executable, "-m", "portal", "build"], cwd=repo, env=env, capture_output=True,
                            text=True, start_new_session=True)
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-3000:]
    assert (repo / incremental.CACHE / "parts").is_dir(), "the state was not updated in place"
    assert not (repo / incremental.CACHE / incremental.STATE_FILE).exists()
    modes = _modes(_built(repo))
    assert {code: mode for code, (mode, _, _) in modes.items()} == dict.fromkeys(("en", "ru", "fi"), "full")
    _same_site(repo / "site", reference("edit_record"))
    _same_site(repo / incremental.CACHE, reference("edit_record", "state"))
