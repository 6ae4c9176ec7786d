"""The layers stay apart: nothing under ``search/`` imports the web, its server or the terminal,
and ``web/`` (pages, API, CLI, watcher) reaches the engine only through its interface
(:mod:`search.engine`), the domain values (:mod:`search.domain`) and extraction (:mod:`search.extract`).

Read from the source (every ``import`` and ``from … import`` statement, at any depth, lazy
ones inside functions included), so an import hidden in a rarely run function counts too.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.conftest import ROOT

FORBIDDEN_IN_ENGINE = ("flask", "werkzeug", "gunicorn", "click", "web", "jinja2")


# What the web layer and the CLI may import from the engine: the interface and factory, the values, extraction.
WEB_MAY_IMPORT = ("search.engine", "search.domain", "search.extract")


def _modules(path: Path) -> set[str]:
    """Full module names ``path`` imports (``from search import x`` counts as ``search.x``)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            if node.module == "search":
                names.update(f"search.{alias.name}" for alias in node.names)
    return names


def _imports(path: Path) -> set[str]:
    """Top-level package names ``path`` imports (relative imports stay inside their package)."""
    return {name.split(".")[0] for name in _modules(path)}


def _allowed_in_web(module: str) -> bool:
    return not (module == "search" or module.startswith("search.")) or any(
        module == allowed or module.startswith(allowed + ".") for allowed in WEB_MAY_IMPORT)


def test_the_engine_imports_no_web_server_or_terminal_library() -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(_imports(path) & set(FORBIDDEN_IN_ENGINE))
        for path in sorted((ROOT / "search").rglob("*.py"))
    }
    assert {name: found for name, found in offenders.items() if found} == {}
    assert len(offenders) > 20  # the whole package was read


def test_the_web_layer_never_imports_whoosh() -> None:
    offenders = [str(path.relative_to(ROOT)) for path in sorted((ROOT / "web").rglob("*.py")) if "whoosh" in _imports(path)]
    assert offenders == []


def test_the_web_layer_and_the_cli_reach_the_engine_only_through_its_interface() -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(m for m in _modules(path) if not _allowed_in_web(m))
        for path in sorted((ROOT / "web").rglob("*.py"))
    }
    assert {name: found for name, found in offenders.items() if found} == {}
    assert any("search.engine" in _modules(path) for path in (ROOT / "web").rglob("*.py"))  # the check reads real imports


def test_the_interface_check_refuses_a_backend_module(tmp_path: Path) -> None:
    module = tmp_path / "view.py"
    module.write_text("def f():\n    from search.backends.whoosh import query\n    from search import storage\n", encoding="utf-8")
    assert sorted(m for m in _modules(module) if not _allowed_in_web(m)) == ["search", "search.backends.whoosh", "search.storage"]


MAX_MODULE_LINES = 350
MAX_FUNCTION_LINES = 50


def test_modules_and_functions_stay_small_enough_to_read() -> None:
    """One job per module and per function: no module under search/ or web/ over 350 lines, no function over 50."""
    too_long: list[str] = []
    for path in sorted([*(ROOT / "search").rglob("*.py"), *(ROOT / "web").rglob("*.py")]):
        text = path.read_text(encoding="utf-8")
        name = str(path.relative_to(ROOT))
        if text.count("\n") > MAX_MODULE_LINES:
            too_long.append(f"{name}: {text.count(chr(10))} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    too_long.append(f"{name}:{node.lineno} {node.name}() {length} lines")
    assert too_long == []


def test_the_check_sees_imports_inside_functions(tmp_path: Path) -> None:
    module = tmp_path / "lazy.py"
    module.write_text("def serve():\n    from web.server import serve\n    import click.testing\n", encoding="utf-8")
    assert _imports(module) == {"web", "click"}


def test_the_architecture_map_names_every_module_and_nothing_that_is_gone() -> None:
    """docs/ARCHITECTURE.md is the one map of the layout: a module it lacks, or a path it names that is gone, fails here."""
    text = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    table = {line.split("`")[1] for line in text.splitlines() if line.startswith("| `") and line.split("`")[1].endswith(".py")}
    modules = {str(path.relative_to(ROOT)) for package in ("search", "web") for path in (ROOT / package).rglob("*.py")}
    assert sorted(modules - table) == []  # every module has its line
    named = set(re.findall(r"`((?:search|web|tests)/[\w/]+(?:\.py)?/?)`", text))
    assert sorted(path for path in named if not (ROOT / path).exists()) == []  # nothing stale
