"""The deployment descriptions of deploy/ (docs/deployment.md), checked offline.

- Every Kubernetes manifest validates against the Kubernetes API schemas that the
  PyPI package kubernetes-validate ships (no cluster, no network), strictly.
- The manifests say what the docs promise: probes on /readyz and /healthz, resources,
  a PodDisruptionBudget and a Service that select the Deployment, the Secrets for the
  API keys, the anchor key and the database URL, env names the settings really read,
  OPA fed by a signed bundle, and no PostgreSQL of our own.
- The scaled compose file parses, every service it refers to exists, and every file it
  mounts is in the repository; the balancer's upstreams are its replicas.
- Both nginx configurations pass ``nginx -t`` where nginx is installed (skipped elsewhere).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from ictgate.core.settings import Settings

from tests.support.helpers import ROOT

DEPLOY = ROOT / "deploy"
KUBERNETES = sorted((DEPLOY / "kubernetes").rglob("*.yaml"))
COMPOSE = DEPLOY / "compose.scaled.yml"


def _documents(path: Path) -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all(path.read_text("utf-8")) if doc]


def _resources() -> dict[tuple[str, str], dict[str, Any]]:
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for path in KUBERNETES:
        for doc in _documents(path):
            found[(doc["kind"], doc["metadata"]["name"])] = doc
    return found


@pytest.mark.parametrize("path", KUBERNETES, ids=lambda p: str(p.relative_to(DEPLOY)))
def test_every_manifest_validates_offline(path: Path) -> None:
    from kubernetes_validate.utils import latest_version, validate

    documents = _documents(path)
    assert documents
    for document in documents:
        validate(document, latest_version(), strict=True)  # raises ValidationError


def test_the_validator_catches_a_broken_manifest() -> None:
    from kubernetes_validate.utils import ValidationError, latest_version, validate

    deployment = _resources()[("Deployment", "ictgate")]
    broken = json.loads(json.dumps(deployment))
    broken["spec"]["replicas"] = "three"
    with pytest.raises(ValidationError):
        validate(broken, latest_version(), strict=True)


def _container(deployment: dict[str, Any]) -> dict[str, Any]:
    containers: list[dict[str, Any]] = deployment["spec"]["template"]["spec"]["containers"]
    assert len(containers) == 1
    return containers[0]


def test_the_ictgate_deployment_is_probed_limited_and_protected() -> None:
    resources = _resources()
    deployment = resources[("Deployment", "ictgate")]
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert deployment["spec"]["replicas"] >= 3
    container = _container(deployment)
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert {"cpu", "memory"} <= set(container["resources"]["requests"])
    assert {"cpu", "memory"} <= set(container["resources"]["limits"])
    budget = resources[("PodDisruptionBudget", "ictgate")]
    service = resources[("Service", "ictgate")]
    for selector in (budget["spec"]["selector"]["matchLabels"], service["spec"]["selector"]):
        assert selector.items() <= labels.items()
    assert budget["spec"]["minAvailable"] < deployment["spec"]["replicas"]


def _env_names() -> set[str]:
    """Every environment variable the settings read."""
    names = set()
    for name, field in Settings.model_fields.items():
        alias = field.validation_alias
        names.add(alias if isinstance(alias, str) else f"ICTGATE_{name.upper()}")
    return names


def test_secrets_hold_the_keys_the_database_url_and_the_anchor_key() -> None:
    resources = _resources()
    container = _container(resources[("Deployment", "ictgate")])
    env = {item["name"]: item for item in container["env"]}
    assert set(env) <= _env_names(), "an env var the settings do not read"
    secret_of = {
        name: item["valueFrom"]["secretKeyRef"]
        for name, item in env.items()
        if "secretKeyRef" in item.get("valueFrom", {})
    }
    assert {"DATABASE_URL", "ICTGATE_API_KEYS", "ICTGATE_SESSION_SECRET"} <= set(secret_of)
    # The anchor key is a file (ICTGATE_ANCHOR_KEY_FILE), mounted from a Secret.
    anchor = Path(env["ICTGATE_ANCHOR_KEY_FILE"]["value"])
    volumes = {
        v["name"]: v for v in resources[("Deployment", "ictgate")]["spec"]["template"]["spec"]["volumes"]
    }
    mount = next(m for m in container["volumeMounts"] if Path(m["mountPath"]) == anchor.parent)
    anchor_secret = volumes[mount["name"]]["secret"]["secretName"]
    # The example Secrets (not applied) name every key the Deployment reads.
    for reference in secret_of.values():
        assert reference["key"] in resources[("Secret", reference["name"])]["stringData"]
    assert anchor.name in resources[("Secret", anchor_secret)]["stringData"]


def test_opa_is_fed_a_signed_bundle_and_there_is_no_database_of_our_own() -> None:
    resources = _resources()
    opa = resources[("Deployment", "ictgate-opa")]
    config = yaml.safe_load(resources[("ConfigMap", "ictgate-opa-config")]["data"]["config.yaml"])
    bundle = config["bundles"]["ictgate"]
    assert bundle["service"] in config["services"]
    assert bundle["signing"]["keyid"] in config["keys"]
    assert _container(opa)["readinessProbe"]["httpGet"]["path"] == "/health?bundles"
    ictgate_env = {e["name"]: e.get("value") for e in _container(resources[("Deployment", "ictgate")])["env"]}
    assert ictgate_env["OPA_URL"] == "http://ictgate-opa:8181"
    assert ("Service", "ictgate-opa") in resources
    images = [
        c["image"]
        for doc in resources.values()
        if doc["kind"] == "Deployment"
        for c in doc["spec"]["template"]["spec"]["containers"]
    ]
    assert not [image for image in images if "postgres" in image]
    assert not [kind for kind, _ in resources if kind == "StatefulSet"]


# -- the scaled compose profile -----------------------------------------------------------


def _compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(COMPOSE.read_text("utf-8"))
    return loaded


def test_the_scaled_compose_file_refers_only_to_what_exists() -> None:
    compose = _compose()
    services = compose["services"]
    assert {"ictgate-1", "ictgate-2", "ictgate-3", "balancer", "bundles", "db"} <= set(services)
    assert len([name for name in services if name.startswith("opa-")]) >= 2
    for name, service in services.items():
        assert service.get("profiles") == ["scaled"], name
        depends = service.get("depends_on", [])
        assert set(depends) <= set(services), name
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source == "./keys":  # the operator's bundle-signing key pair: never in the repository
                assert "keys/" in (DEPLOY / ".gitignore").read_text("utf-8").split()
            elif source.startswith("."):
                assert (DEPLOY / source).exists(), f"{name} mounts {source}, which is not in the repository"
            else:
                assert source in compose["volumes"], f"{name}: volume {source} is not declared"
    for name in ("ictgate-1", "ictgate-2", "ictgate-3"):
        environment = services[name]["environment"]
        assert environment["OPA_URL"].removeprefix("http://").split(":")[0] in services
        assert set(environment) <= _env_names()
    # The balancer sends to the replicas, and only to them.
    upstreams = re.findall(
        r"^\s*server\s+([a-z0-9-]+):8000", (DEPLOY / "nginx/balancer.conf").read_text(), re.M
    )
    assert sorted(upstreams) == ["ictgate-1", "ictgate-2", "ictgate-3"]


def test_the_opa_servers_load_the_bundle_the_builder_writes() -> None:
    template = (DEPLOY / "opa/config.template.yaml").read_text("utf-8")
    build = (DEPLOY / "bundles/build.sh").read_text("utf-8")
    # build.sh puts the PEM in as a JSON string; the result must be YAML with the key intact.
    pem = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n"
    assert '"@PUBLIC_KEY@"' in template and "json.dumps(key)" in build
    config = yaml.safe_load(template.replace('"@PUBLIC_KEY@"', json.dumps(pem)))
    bundle = config["bundles"]["ictgate"]
    assert config["keys"][bundle["signing"]["keyid"]]["key"] == pem
    assert f"--key-id {bundle['signing']['keyid']}" in build
    assert f"/srv/bundles/{bundle['resource']}" in build
    assert config["services"][bundle["service"]]["url"] == "http://bundles:8080"
    opa_image = {s["image"] for n, s in _compose()["services"].items() if n.startswith("opa-")}
    single_host = yaml.safe_load((ROOT / "docker-compose.yml").read_text("utf-8"))["services"]["opa"]["image"]
    assert opa_image == {single_host}


@pytest.mark.parametrize("name", ["balancer.conf", "bundles.conf"])
def test_the_nginx_configurations_pass_nginx_t(name: str, tmp_path: Path) -> None:
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if nginx is None:
        pytest.skip("nginx is not installed (apt-get install nginx-light)")
    text = (DEPLOY / "nginx" / name).read_text("utf-8")
    # nginx -t resolves upstream names: the compose service names exist only in compose's network.
    text = re.sub(r"server\s+ictgate-([0-9]):8000", r"server 127.0.0.1:800\1", text)
    text = text.replace("pid /tmp/", f"pid {tmp_path}/")
    config = tmp_path / name
    config.write_text(text, "utf-8")
    result = subprocess.run(
        [nginx, "-t", "-q", "-p", str(tmp_path), "-e", "stderr", "-c", str(config)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
