"""Project lint rules ruff cannot express. Run by `make lint`.

1. Interfaces (views, api, tasks modules) never touch `<Model>.objects` of a personal-data model:
   they go through `access_*` functions, which check permission and audit the read.
2. Nothing reads `../shared` at run time: data the project needs is copied into the repo.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
INTERFACE_MODULES = ("views", "api", "tasks")
# Models that hold data about a person. Each app adds its own as it gains them.
PERSONAL_DATA_MODELS: frozenset[str] = frozenset(
    {"Person", "SignInToken", "AuditEvent", "Involvement", "Conversation", "Note", "Consent"}
)


def interface_files() -> list[Path]:
    files: list[Path] = []
    for path in (ROOT / "kith").rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        if path.stem in INTERFACE_MODULES or path.parent.name in INTERFACE_MODULES:
            files.append(path)
    return files


def personal_data_violations(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    problems = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr == "objects"
            and isinstance(node.value, ast.Name)
            and node.value.id in PERSONAL_DATA_MODELS
        ):
            problems.append(
                f"{path.relative_to(ROOT)}:{node.lineno}: {node.value.id}.objects in an interface module; "
                "use an access_* function"
            )
    return problems


def shared_folder_violations() -> list[str]:
    problems = []
    for path in list((ROOT / "kith").rglob("*.py")) + list((ROOT / "tests").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if "../shared" in text or "/work/shared" in text:
            problems.append(
                f"{path.relative_to(ROOT)}: reads ../shared; copy the data into the repo"
            )
    return problems


def main() -> int:
    problems = [p for f in interface_files() for p in personal_data_violations(f)]
    problems += [p for p in shared_folder_violations() if not p.startswith("kith/core/lint.py")]
    for problem in problems:
        print(problem)  # noqa: T201
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
