"""Data flows one way: files → ingest → store → assistant → ui. Imports follow the same direction."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
# Which of our packages each package must not import.
FORBIDDEN = {
    "ingest": ("assistant", "ui"),
    "assistant": ("ui",),
}


def imported_packages(source: Path) -> set[str]:
    """The top-level package of every import in a file, including imports inside functions."""
    tree = ast.parse(source.read_text(encoding="utf-8"), filename=str(source))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def violations(package: str) -> list[str]:
    return [
        f"{path.relative_to(REPO)} imports {name}"
        for path in sorted((REPO / package).rglob("*.py"))
        for name in sorted(imported_packages(path) & set(FORBIDDEN[package]))
    ]


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_only_packages_below_it(package: str) -> None:
    assert violations(package) == []


def test_a_forbidden_import_inside_a_function_is_found(tmp_path: Path) -> None:
    source = tmp_path / "module.py"
    source.write_text("def f():\n    from ui.app import build_app\n    import assistant.service\n")
    assert imported_packages(source) == {"ui", "assistant"}
