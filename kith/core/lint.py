"""Project lint rules ruff cannot express. Run by `make lint`.

1. Every model that holds data about a person is declared in `pyproject.toml`
   (`[tool.kith.personal-data]`). The lint derives the set from the models themselves: a model
   with a foreign key to a personal-data model must be declared personal, and a model with free
   text (a `TextField` or `JSONField`) must be declared either way, with the reason it is not
   about a person. A declared name that matches no model is an error too, so the list cannot rot.
2. Interfaces never touch `<Model>.objects` (or `_default_manager`, or `get_object_or_404`) of a
   personal-data model: they go through `access_*` functions, which check permission and audit
   the read. Interfaces are found by what they are, not by file name: every view the URLconf
   reaches (through `get_resolver()`), every django-ninja operation, every `ModelAdmin` in
   `admin.site`, every management command, and every `django.tasks` task. The whole module a
   view, operation, admin class or command is defined in is checked; for a task, which may sit
   in a service module, its own function.
3. The admin site registers no personal-data model (not as a model, not as an inline): the admin
   reads rows without an access function or an audit event.
4. Nothing reads `../shared` at run time: data the project needs is copied into the repo.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import os
import pkgutil
import sys
import textwrap
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = ROOT / "pyproject.toml"
PROJECT_PACKAGE = "kith"
# Managers and shortcuts that read a model's rows without an access function.
DIRECT_MANAGERS = frozenset({"objects", "_default_manager", "_base_manager"})
DIRECT_SHORTCUTS = frozenset({"get_object_or_404", "get_list_or_404"})
# Packages never searched for tasks: settings need their environment, the rest are not code
# that runs in production.
NOT_SEARCHED_FOR_TASKS = ("tests", "migrations", "settings", "testing")


# 1. Which models hold personal data


@dataclass(frozen=True)
class Declarations:
    """What `[tool.kith.personal-data]` in pyproject.toml says about the models."""

    personal: frozenset[str]
    not_personal: Mapping[str, str] = field(default_factory=dict)


def declarations_load(path: Path = PYPROJECT) -> Declarations:
    with path.open("rb") as file:
        table = tomllib.load(file).get("tool", {}).get("kith", {}).get("personal-data", {})
    return Declarations(
        personal=frozenset(table.get("models", [])),
        not_personal=dict(table.get("not-personal", {})),
    )


def project_models() -> list[type[Any]]:
    """Every concrete model defined in the project's own apps, wherever they sit."""
    from django.apps import apps

    return [
        model for model in apps.get_models() if model.__module__.split(".")[0] == PROJECT_PACKAGE
    ]


def _name(model: type[Any]) -> str:
    return str(model._meta.object_name)


def _refers_to(model: type[Any]) -> list[type[Any]]:
    """The models this model points at: its own foreign keys, one-to-ones and many-to-manys."""
    return [
        f.related_model
        for f in model._meta.get_fields(include_parents=True)
        if f.is_relation
        and not f.auto_created
        and (f.many_to_one or f.one_to_one or f.many_to_many)
        and isinstance(f.related_model, type)
    ]


def _has_free_text(model: type[Any]) -> bool:
    from django.db import models

    return any(
        isinstance(f, models.TextField | models.JSONField)
        for f in model._meta.get_fields()
        if not f.is_relation
    )


def personal_models(models: Iterable[type[Any]], declared: Declarations) -> set[type[Any]]:
    return {model for model in models if _name(model) in declared.personal}


def declaration_problems(models: Iterable[type[Any]], declared: Declarations) -> list[str]:
    models = list(models)
    names = [_name(model) for model in models]
    personal = personal_models(models, declared)
    problems = []
    for name in sorted({n for n in names if names.count(n) > 1}):
        problems.append(f"pyproject.toml: two models are called {name}; rename one")
    for name in sorted(declared.personal & set(declared.not_personal)):
        problems.append(f"pyproject.toml: {name} is declared both personal and not personal")
    for name in sorted((declared.personal | set(declared.not_personal)) - set(names)):
        problems.append(
            f"pyproject.toml: [tool.kith.personal-data] names {name}, which is not a model"
        )
    for model in sorted(set(models) - personal, key=_name):
        linked = sorted(_name(other) for other in _refers_to(model) if other in personal)
        where = f"{model.__module__}.{_name(model)}"
        if linked:
            problems.append(
                f"{where} points at {', '.join(linked)} (personal data) but is not declared: "
                "add it to [tool.kith.personal-data] models in pyproject.toml"
            )
        elif _has_free_text(model) and _name(model) not in declared.not_personal:
            problems.append(
                f"{where} holds free text but is not declared: add it to "
                "[tool.kith.personal-data] models, or to not-personal with the reason"
            )
    return problems


# 2. Where the interfaces are


@dataclass(frozen=True)
class Interface:
    kind: str  # "view", "api", "admin", "command" or "task"
    name: str  # how a person finds it: a route, an admin class, a command name
    module: str  # the module it is defined in
    # A task: only this function is checked, not the module around it.
    function: Callable[..., Any] | None = None


def _project(module: str | None) -> bool:
    return bool(module) and str(module).split(".")[0] == PROJECT_PACKAGE


def _defined_in(obj: object) -> str | None:
    return getattr(inspect.unwrap(obj), "__module__", None)  # type: ignore[arg-type]


def _ninja_operations(callback: Callable[..., Any]) -> list[Callable[..., Any]] | None:
    """A django-ninja route's view functions, or None when the callback is not ninja's."""
    from ninja.operation import PathView

    for cell in getattr(callback, "__closure__", None) or ():
        try:
            value = cell.cell_contents
        except ValueError:  # an empty cell
            continue
        if isinstance(value, PathView):
            return [operation.view_func for operation in value.operations]
    return None


def _url_patterns(patterns: Iterable[Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    from django.urls import URLResolver

    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _url_patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern.callback


def url_interfaces(urlconf: str | None = None) -> list[Interface]:
    """Every view the URLconf reaches, and every django-ninja operation behind it."""
    from django.contrib.admin import ModelAdmin
    from django.urls import get_resolver

    resolver = get_resolver(urlconf)
    found = []
    for code in (400, 403, 404, 500):
        handler = resolver.resolve_error_handler(code)
        found.append(Interface("view", f"handler{code}", _defined_in(handler) or ""))
    for route, callback in _url_patterns(resolver.url_patterns):
        operations = _ninja_operations(callback)
        if operations is not None:
            found += [Interface("api", f"/{route}", _defined_in(op) or "") for op in operations]
            continue
        owner = getattr(callback, "__self__", None)
        if isinstance(owner, ModelAdmin):
            continue  # the admin's own views: its ModelAdmin classes are checked instead
        view = getattr(callback, "view_class", None) or getattr(callback, "func", callback)
        found.append(Interface("view", f"/{route}", _defined_in(owner or view) or ""))
    return found


def admin_interfaces(registry: Mapping[type[Any], Any] | None = None) -> list[Interface]:
    """Every ModelAdmin on the admin site, and each of its inlines."""
    if registry is None:
        from django.contrib import admin

        registry = admin.site._registry
    found = []
    for model_admin in registry.values():
        for cls in [type(model_admin), *getattr(model_admin, "inlines", [])]:
            found.append(Interface("admin", cls.__qualname__, cls.__module__))
    return found


def command_interfaces(commands: Mapping[str, str] | None = None) -> list[Interface]:
    """Every management command (`kith <name>`): name to the app that provides it."""
    from django.core.management import get_commands, load_command_class

    if commands is None:
        commands = get_commands()
    found = []
    for name, app in sorted(commands.items()):
        if isinstance(app, str) and _project(app):
            command = load_command_class(app, name)
            found.append(Interface("command", name, type(command).__module__))
    return found


def _project_modules() -> Iterator[ModuleType]:
    package = importlib.import_module(PROJECT_PACKAGE)
    for info in pkgutil.walk_packages(package.__path__, f"{PROJECT_PACKAGE}."):
        if not any(part in NOT_SEARCHED_FOR_TASKS for part in info.name.split(".")):
            yield importlib.import_module(info.name)


def task_interfaces(modules: Iterable[ModuleType] | None = None) -> list[Interface]:
    """Every `django.tasks` task defined in the project."""
    from django.tasks import Task

    found = []
    for module in _project_modules() if modules is None else modules:
        for value in vars(module).values():
            if isinstance(value, Task) and value.func.__module__ == module.__name__:
                found.append(Interface("task", value.module_path, module.__name__, value.func))
    return found


def interfaces() -> list[Interface]:
    found = url_interfaces() + admin_interfaces() + command_interfaces() + task_interfaces()
    return [interface for interface in found if _project(interface.module)]


# 3. What interfaces may not do


def _resolve(node: ast.expr, names: Mapping[str, object]) -> object:
    """The object a plain or dotted name refers to in a module, or None."""
    if isinstance(node, ast.Name):
        return names.get(node.id)
    if isinstance(node, ast.Attribute):
        return getattr(_resolve(node.value, names), node.attr, None)
    return None


def _personal_model(node: ast.expr, module: ModuleType, personal: set[type[Any]]) -> str | None:
    """The personal-data model a name refers to: by the module's own globals (so an alias or a
    `models.Ask` counts), else by class name (for imports made inside a function)."""
    found = _resolve(node, vars(module))
    if isinstance(found, type):
        return _name(found) if found in personal else None
    if isinstance(node, ast.Name) and node.id in {_name(model) for model in personal}:
        return node.id
    return None


def _direct_read(node: ast.AST) -> ast.expr | None:
    """The model expression a node reads rows of directly: `X.objects`, `get_object_or_404(X)`."""
    if isinstance(node, ast.Attribute) and node.attr in DIRECT_MANAGERS:
        return node.value
    if isinstance(node, ast.Call) and node.args:
        called = node.func
        name = called.id if isinstance(called, ast.Name) else getattr(called, "attr", None)
        if name in DIRECT_SHORTCUTS:
            return node.args[0]
    return None


def direct_query_problems(
    module: ModuleType, personal: set[type[Any]], function: Callable[..., Any] | None = None
) -> list[str]:
    """Direct reads of personal-data models in a module, or in one function of it."""
    path = Path(inspect.getfile(module))
    where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    if function is None:
        tree, offset = ast.parse(path.read_text(encoding="utf-8"), filename=str(path)), 0
    else:
        lines, first = inspect.getsourcelines(inspect.unwrap(function))
        tree, offset = ast.parse(textwrap.dedent("".join(lines))), first - 1
    found = []
    for node in ast.walk(tree):
        target = _direct_read(node)
        model = None if target is None else _personal_model(target, module, personal)
        if target is not None and model:
            found.append((target.lineno + offset, model))
    return [
        f"{where}:{line}: {model} read directly in an interface; use an access_* function"
        for line, model in sorted(found)
    ]


def interface_problems(found: Iterable[Interface], personal: set[type[Any]]) -> list[str]:
    found = list(found)
    problems: list[str] = []
    for name in sorted({i.module for i in found if i.function is None}):
        problems += direct_query_problems(importlib.import_module(name), personal)
    for task in sorted({i for i in found if i.function is not None}, key=lambda i: i.name):
        problems += direct_query_problems(
            importlib.import_module(task.module), personal, task.function
        )
    return problems


def admin_registry_problems(
    personal: set[type[Any]], registry: Mapping[type[Any], Any] | None = None
) -> list[str]:
    if registry is None:
        from django.contrib import admin

        registry = admin.site._registry
    problems = []
    for model, model_admin in registry.items():
        shown = [(type(model_admin), model)] + [
            (inline, inline.model) for inline in getattr(model_admin, "inlines", [])
        ]
        for cls, shown_model in shown:
            if shown_model in personal:
                problems.append(
                    f"{cls.__module__}.{cls.__qualname__}: the admin shows {_name(shown_model)} "
                    "(personal data) with no access function or audit; build a staff page instead"
                )
    return problems


# 4. Nothing reads ../shared


def shared_folder_violations() -> list[str]:
    problems = []
    for path in list((ROOT / "kith").rglob("*.py")) + list((ROOT / "tests").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if "../shared" in text or "/work/shared" in text:
            problems.append(
                f"{path.relative_to(ROOT)}: reads ../shared; copy the data into the repo"
            )
    return problems


def problems_all() -> list[str]:
    models = project_models()
    declared = declarations_load()
    personal = personal_models(models, declared)
    problems = declaration_problems(models, declared)
    problems += interface_problems(interfaces(), personal)
    problems += admin_registry_problems(personal)
    problems += [p for p in shared_folder_violations() if not p.startswith("kith/core/lint.py")]
    return problems


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kith.config.settings.local")
    import django

    django.setup()
    problems = problems_all()
    for problem in problems:
        print(problem)  # noqa: T201
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
