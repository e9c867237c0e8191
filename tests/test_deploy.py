"""The container deployment, checked without a Docker daemon: the compose file against the
Compose Specification's JSON Schema (vendored: deploy/compose-spec.json, from Debian's
docker-compose 1.29.2), and by `docker-compose config` where it is installed; the Dockerfile's
promises (pinned base, non-root, health check, install script); every variable the compose
file reads is documented. (CI also runs deploy/install.sh outside a container: make
image-check.)"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = ROOT / "compose.yaml"
DOCKERFILE = (ROOT / "Dockerfile").read_text()
ADMIN_DOC = (ROOT / "docs" / "administrators.md").read_text()
DOCKER_COMPOSE = shutil.which("docker-compose") or "docker-compose"
REQUIRED_ENV = {
    "SITE_HOST": "talent.localhost",
    "SECRET_KEY": "k" * 60,
    "POSTGRES_PASSWORD": "p",
    "EMAIL_HOST": "smtp",
}


def _compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def test_the_compose_file_follows_the_compose_specification():
    schema = json.loads((ROOT / "deploy" / "compose-spec.json").read_text())
    jsonschema.Draft201909Validator(schema).validate(_compose())


def test_the_schema_check_would_catch_a_mistake():
    schema = json.loads((ROOT / "deploy" / "compose-spec.json").read_text())
    broken = _compose()
    broken["services"]["web"]["restart_policy"] = "always"  # not a service key
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft201909Validator(schema).validate(broken)


@pytest.mark.skipif(not shutil.which("docker-compose"), reason="docker-compose not installed")
def test_docker_compose_accepts_the_file_and_refuses_a_missing_secret():
    env = {**os.environ, **REQUIRED_ENV}
    ok = subprocess.run(
        [DOCKER_COMPOSE, "-f", str(COMPOSE), "config", "-q"], env=env, capture_output=True
    )
    assert ok.returncode == 0, ok.stderr.decode()
    env.pop("SECRET_KEY")
    missing = subprocess.run(
        [DOCKER_COMPOSE, "-f", str(COMPOSE), "config", "-q"], env=env, capture_output=True
    )
    assert missing.returncode != 0 and b"SECRET_KEY" in missing.stderr


def test_the_compose_file_runs_every_part():
    services = _compose()["services"]
    commands = {name: tuple(s.get("command", ())) for name, s in services.items()}
    assert commands["web"] == ("web",) and commands["worker"] == ("worker",)
    assert commands["scheduler"] == ("scheduler",) and commands["migrate"] == ("migrate",)
    assert services["db"]["image"].startswith("postgres:")
    assert "pgdata:/var/lib/postgresql/data" in services["db"]["volumes"]
    assert "pgdata" in _compose()["volumes"]
    ports = {re.sub(r"\$\{\w+:-(\d+)\}", r"\1", p) for p in services["proxy"]["ports"]}
    assert ports == {"80:80", "443:443"}
    for name in ("web", "worker", "scheduler"):
        assert services[name]["depends_on"]["migrate"]["condition"] == (
            "service_completed_successfully"
        )


def test_the_web_worker_and_scheduler_share_the_exports_volume():
    """The worker writes an export's file, the web process sends it, the scheduler expires it:
    without one volume for the three, a ready export would be a 404 on the site."""
    compose = _compose()
    for name in ("web", "worker", "scheduler"):
        assert "exports:/app/var/exports" in compose["services"][name]["volumes"], name
    assert "exports" in compose["volumes"]
    assert "mkdir -p /app/var/exports" in DOCKERFILE  # owned by the app user when first mounted


def test_every_image_is_pinned_to_an_exact_version():
    images = [s["image"] for s in _compose()["services"].values() if "image" in s]
    images += re.findall(r"^ARG BASE_IMAGE=(\S+)", DOCKERFILE, re.MULTILINE)
    for image in images:
        if image.startswith("${APP_IMAGE"):
            continue  # our own, built here
        _name, _, tag = image.partition(":")
        assert re.match(r"^\d+\.\d+(\.\d+)?-", tag), f"{image} is not pinned to a release"


def test_the_dockerfile_keeps_its_promises():
    assert re.search(r"^FROM \$\{BASE_IMAGE\} AS build$", DOCKERFILE, re.MULTILINE)
    assert re.search(r"^FROM \$\{BASE_IMAGE\} AS runtime$", DOCKERFILE, re.MULTILINE)
    assert "deploy/install.sh app" in DOCKERFILE and "deploy/install.sh check" in DOCKERFILE
    assert "COPY --from=build /app /app" in DOCKERFILE
    user = re.findall(r"^USER (\S+)", DOCKERFILE, re.MULTILINE)
    assert user and not user[-1].startswith(("root", "0"))
    assert "HEALTHCHECK" in DOCKERFILE and "healthcheck.py" in DOCKERFILE
    assert "/healthz" in (ROOT / "deploy" / "healthcheck.py").read_text()


def test_the_scripts_are_valid_shell():
    for script in ("deploy/install.sh", "deploy/entrypoint.sh", ".ci/run"):
        subprocess.run([shutil.which("bash") or "/bin/bash", "-n", str(ROOT / script)], check=True)


def test_the_scheduler_runs_every_scheduled_job_the_guide_lists():
    entrypoint = (ROOT / "deploy" / "entrypoint.sh").read_text()
    listed = set(re.findall(r"\| (?:daily|every 5 minutes) \| `talent-exchange (\w+)`", ADMIN_DOC))
    assert listed, "the guide lists no scheduled jobs"
    for job in listed:
        assert re.search(rf"run_jobs [\w ]*\b{job}\b", entrypoint), f"{job} is not scheduled"


def test_every_variable_of_the_compose_file_is_documented():
    variables = set(re.findall(r"\$\{(\w+)", COMPOSE.read_text()))
    undocumented = sorted(v for v in variables if f"`{v}`" not in ADMIN_DOC)
    assert undocumented == []
