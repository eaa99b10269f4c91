"""Running the CI integrations' own steps outside GitHub and GitLab, as their runners would.

- The GitHub Action (action.yml): its `check` step is ci/github/action.sh with the inputs as
  INPUT_* variables; they are read through the step's own `env:` mapping in action.yml, with
  the inputs' defaults, so the wiring of action.yml is what is tested.
- The GitLab template (ci/gitlab/ictgate.gitlab-ci.yml): a job's before_script and script
  lines, in one bash, `set -eo pipefail` as the runner does, with the job's variables.

The virtual environment is this checkout's (.venv, the one running the tests) unless a test
builds one: ictgate's own steps, not its installation, are what most tests look at.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from tests.support.helpers import ROOT

__all__ = [
    "ACTION",
    "ACTION_SCRIPT",
    "DEV_VENV",
    "EXAMPLE_GITLAB",
    "EXAMPLE_PRE_COMMIT",
    "EXAMPLE_WORKFLOW",
    "GITLAB_TEMPLATE",
    "HOOKS",
    "ActionRun",
    "action_env",
    "action_step",
    "gitlab_job",
    "load_yaml",
    "run_action",
    "run_gitlab_job",
]

ACTION = ROOT / "action.yml"
ACTION_SCRIPT = ROOT / "ci" / "github" / "action.sh"
HOOKS = ROOT / ".pre-commit-hooks.yaml"
GITLAB_TEMPLATE = ROOT / "ci" / "gitlab" / "ictgate.gitlab-ci.yml"
EXAMPLE_WORKFLOW = ROOT / "examples" / "agency-repo" / ".github" / "workflows" / "ictgate.yml"
EXAMPLE_GITLAB = ROOT / "examples" / "agency-repo" / ".gitlab-ci.yml"
EXAMPLE_PRE_COMMIT = ROOT / "examples" / "agency-repo" / ".pre-commit-config.yaml"
DEV_VENV = Path(sys.prefix)

_INPUT = re.compile(r"^\$\{\{ inputs\.([a-z-]+) \}\}$")


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text("utf-8"))


def _as_input(value: object) -> str:
    """What the runner passes for a `with:` value: YAML true is the string "true"."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def action_step(step_id: str) -> dict[str, Any]:
    action = load_yaml(ACTION)
    [step] = [step for step in action["runs"]["steps"] if step.get("id") == step_id]
    assert isinstance(step, dict)
    return step


def action_env(step_id: str, given: dict[str, object]) -> dict[str, str]:
    """The INPUT_* variables of an action step: its `env:` in action.yml, the inputs resolved."""
    action = load_yaml(ACTION)
    inputs = {name: _as_input(spec.get("default", "")) for name, spec in action["inputs"].items()}
    unknown = set(given) - set(inputs)
    assert not unknown, f"not inputs of action.yml: {sorted(unknown)}"
    inputs.update({name: _as_input(value) for name, value in given.items()})
    env = {}
    for name, value in action_step(step_id)["env"].items():
        match = _INPUT.match(str(value))
        if match:
            env[name] = inputs[match.group(1)]
    return env


@dataclass
class ActionRun:
    code: int  # the script's own exit code (not ictgate's: that is outputs["exit-code"])
    stdout: str
    stderr: str
    outputs: dict[str, str]
    summary: str


def run_action(command: str, cwd: Path, tmp: Path, given: dict[str, object], **extra: str) -> ActionRun:
    """The action's step COMMAND (its `run:` line, ci/github/action.sh) with the inputs `given`."""
    step_id = {"check": "check", "install": "install", "key": "key"}[command]
    run = action_step(step_id)["run"]
    assert run == f'bash "$ICTGATE_SOURCE/ci/github/action.sh" {command}'
    output, summary = tmp / "github_output", tmp / "step_summary"
    output.write_text("", "utf-8")
    summary.write_text("", "utf-8")
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp),
        "ICTGATE_SOURCE": str(ROOT),
        "ICTGATE_VENV": str(DEV_VENV),
        "ICTGATE_PYTHON": sys.executable,
        "GITHUB_OUTPUT": str(output),
        "GITHUB_STEP_SUMMARY": str(summary),
        "RUNNER_TEMP": str(tmp),
        **action_env(step_id, given),
        **extra,
    }
    done = subprocess.run(["bash", "-c", run], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    outputs = dict(line.split("=", 1) for line in output.read_text("utf-8").splitlines())
    return ActionRun(done.returncode, done.stdout, done.stderr, outputs, summary.read_text("utf-8"))


def gitlab_job(pipeline: dict[str, Any], template: dict[str, Any], name: str = "ictgate") -> dict[str, Any]:
    """A job of a pipeline that includes the template: `extends:` resolved, variables merged."""
    job = dict(template.get(name, {}))
    job.update(pipeline.get(name, {}))
    parent = job.pop("extends", None)
    if parent:
        base = gitlab_job({}, template, parent)
        variables = {**base.get("variables", {}), **job.get("variables", {})}
        job = {**base, **job, "variables": variables}
    return job


def run_gitlab_job(
    job: dict[str, Any], cwd: Path, variables: dict[str, str], before: bool = True
) -> subprocess.CompletedProcess[str]:
    """The job's before_script (when `before`) and script, as the runner runs them (bash)."""
    lines = [*(job["before_script"] if before else []), *job["script"]]
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(cwd),
        "CI_PROJECT_DIR": str(cwd),
        **{key: str(value) for key, value in job["variables"].items()},
        **variables,
    }
    script = "set -eo pipefail\n" + "\n".join(lines) + "\n"
    return subprocess.run(
        ["bash", "-c", script], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )
