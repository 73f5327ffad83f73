"""In the pull request's validate job every validation error is also a workflow annotation on its
line, once: the test and site jobs validate the same records without annotating them."""
from __future__ import annotations

import os
import subprocess
import sys
import pytest
from pathlib import Path


def run_validate(root: Path, github: bool) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "PORTAL_ANNOTATIONS")}
    env["PYTHONPATH"] = str(root / "scripts")
    env["GITHUB_ACTIONS"] = "true"  # every job of a workflow runs with it: it alone annotates nothing
    if github:
        env["PORTAL_ANNOTATIONS"] = "github"
    return subprocess.run([sys.executable, "-m", "portal", "validate"], cwd=root, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.slow  # the whole validate command on a copy of the real data: in `make test`, not `make check`
def test_errors_become_annotations_when_the_job_asks(repo_copy: Path) -> None:
    record = repo_copy / "data" / "projects" / "ekolend.yml"
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("themes: [", "themes: [recyling, ", 1), encoding="utf-8")
    line = next(i for i, l in enumerate(record.read_text(encoding="utf-8").splitlines(), 1)
                if l.startswith("themes:"))

    plain = run_validate(repo_copy, github=False)
    assert plain.returncode == 1
    assert "::error" not in plain.stdout + plain.stderr
    assert f"data/projects/ekolend.yml:{line}:10: themes[0]: unknown theme 'recyling'" in plain.stderr

    annotated = run_validate(repo_copy, github=True)
    assert annotated.returncode == 1
    out = annotated.stdout + annotated.stderr
    assert f"::error file=data/projects/ekolend.yml,line={line},col=10::themes[0]: unknown theme 'recyling'" in out


def test_only_the_validate_job_asks_for_annotations() -> None:
    import yaml
    workflow = yaml.safe_load((Path(__file__).resolve().parents[2] / ".github/workflows/pull-request.yml")
                              .read_text(encoding="utf-8"))
    asking = {name for name, job in workflow["jobs"].items() for step in job.get("steps", [])
              if (step.get("env") or {}).get("PORTAL_ANNOTATIONS") == "github"}
    assert asking == {"validate"}
    assert "PORTAL_ANNOTATIONS" not in (workflow.get("env") or {})
