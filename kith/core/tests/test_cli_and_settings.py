"""The `kith` command and the production settings profile."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kith.cli import main

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(
    ("typed", "command"),
    [
        ("import-oruk", "import_oruk"),
        ("import-postcodes", "import_postcodes"),
        ("add-editor", "add_editor"),
        ("demo", "demo"),
        ("serve", "serve"),
    ],
)
def test_kith_maps_dashed_names_onto_commands(
    capsys: pytest.CaptureFixture[str], typed: str, command: str
) -> None:
    # when
    with pytest.raises(SystemExit) as exit_info:
        main(["kith", typed, "--help"])
    # then
    assert exit_info.value.code == 0
    assert f"usage: kith {command}" in capsys.readouterr().out


def _run_production(extra_env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        # The browser journeys allow async-unsafe ORM calls in the test process; a deployment never does.
        **{
            k: v
            for k, v in os.environ.items()
            if k not in {"SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
        },
        "DJANGO_SETTINGS_MODULE": "kith.config.settings.production",
        "ALLOWED_HOSTS": "kith.example.org",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        **extra_env,
    }
    return subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "kith.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_profile_passes_the_deploy_checks() -> None:
    # given a long random secret from the environment
    secret = "k" + "".join(chr(97 + (i * 7) % 26) for i in range(70)) + "Q9!x"
    # when
    result = _run_production({"SECRET_KEY": secret}, "check", "--deploy", "--fail-level", "WARNING")
    # then
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_profile_refuses_to_start_without_a_secret_key() -> None:
    # when
    result = _run_production({}, "check")
    # then
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_production_profile_refuses_to_start_without_a_shared_cache() -> None:
    # when
    result = _run_production({"SECRET_KEY": "s" * 60, "REDIS_URL": ""}, "check")
    # then
    assert result.returncode != 0
    assert "Set REDIS_URL" in result.stderr
