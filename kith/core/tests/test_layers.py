"""The one-way layers (`[tool.importlinter]` in pyproject.toml, run by `make lint`) hold, and
a single import from a lower app to a higher one breaks them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint_imports(source_root: Path) -> subprocess.CompletedProcess[str]:
    """Run the contract over the `kith` package found in `source_root`."""
    return subprocess.run(  # noqa: S603 (our own virtual environment's tool)
        [str(LINT_IMPORTS), "--no-cache", "--config", str(ROOT / "pyproject.toml")],
        cwd=source_root,
        env={**os.environ, "PYTHONPATH": str(source_root)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _copy_of_the_code(to: Path) -> Path:
    shutil.copytree(
        ROOT / "kith",
        to / "kith",
        ignore=shutil.ignore_patterns("static", "jinja2", "data", "node_modules", "__pycache__"),
    )
    return to


@pytest.fixture(scope="module")
def copy_with_a_back_arrow(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = _copy_of_the_code(tmp_path_factory.mktemp("layers"))
    # asks sits below care: asking care for anything is a back-arrow.
    (root / "kith" / "asks" / "back_arrow.py").write_text(
        "from kith.care.services import involvement_return\n"
    )
    return root


def test_the_code_keeps_its_layers() -> None:
    # when
    result = _lint_imports(ROOT)
    # then
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Apps import one way only KEPT" in result.stdout


def test_an_import_from_a_lower_app_to_a_higher_one_fails(copy_with_a_back_arrow: Path) -> None:
    # when
    result = _lint_imports(copy_with_a_back_arrow)
    # then
    assert result.returncode == 1
    assert "Apps import one way only BROKEN" in result.stdout
    assert "kith.asks is not allowed to import kith.care" in result.stdout
    assert "kith.asks.back_arrow -> kith.care.services" in result.stdout


def test_an_import_hidden_inside_a_function_fails_too(tmp_path: Path) -> None:
    # given: core, at the bottom but for audit, reaching up from inside a function
    root = _copy_of_the_code(tmp_path)
    (root / "kith" / "core" / "hidden.py").write_text(
        "def later():\n    from kith.directory.models import Service\n\n    return Service\n"
    )
    # when
    result = _lint_imports(root)
    # then
    assert result.returncode == 1
    assert "kith.core.hidden -> kith.directory.models" in result.stdout
