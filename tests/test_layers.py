"""Layers import one way: `core ← store ← tools ← agents ← workers / api`. Checked on the source (imports
inside functions too), so a shortcut back up a layer fails here rather than in review."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RANK = {"core": 0, "store": 1, "tools": 2, "agents": 3, "workers": 4, "api": 4}
# known and documented exceptions (each says why in its module docstring)
ALLOWED: set[str] = set()


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("layer", ["core", "store", "tools", "agents"])
def test_no_layer_imports_a_higher_one(layer: str) -> None:
    wrong = sorted(
        f"{path.relative_to(ROOT)} imports {name}"
        for path in (ROOT / layer).rglob("*.py")
        for name in _imports(path)
        if name in RANK and RANK[name] > RANK[layer]
    )
    assert [line for line in wrong if line not in ALLOWED] == []
