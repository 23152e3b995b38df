"""jixiao.core and jixiao.reading stay pure: no web framework, no file or network I/O, no import of the outer
layers; and the core does not depend on the reading layer (reading builds on the core's document model)."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "jixiao"
OUTER = {
    "django",
    "jixiao.io",
    "jixiao.cli",
    "jixiao.web",
    "pathlib",
    "os",
    "io",
    "shutil",
    "subprocess",
    "socket",
    "urllib",
    "requests",
    "yaml",
    "openpyxl",
    "docx",
}
FORBIDDEN = {"core": OUTER | {"jixiao.reading"}, "reading": OUTER}
FORBIDDEN_CALLS = {"open"}


def _imports(tree: ast.AST, module: str):
    """Absolute names of everything ``module`` imports (relative imports resolved)."""
    package = module.rsplit(".", 1)[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                if node.module:
                    yield node.module
                continue
            base = package.split(".")
            base = base[: len(base) - (node.level - 1)]
            yield ".".join([*base, node.module] if node.module else base)


def _module(file: Path) -> str:
    parts = list(file.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts[-1] = "__init__"  # resolves relative imports against the package itself
    return ".".join(parts)


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_pure_layers_import_nothing_outside_themselves(layer):
    offenders = []
    root = PACKAGE / layer
    for file in root.rglob("*.py"):
        tree = ast.parse(file.read_text(encoding="utf-8"))
        for name in _imports(tree, _module(file)):
            if any(name == m or name.startswith(m + ".") for m in FORBIDDEN[layer]):
                offenders.append(f"{file.relative_to(root)}: {name}")
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in FORBIDDEN_CALLS:
                offenders.append(f"{file.relative_to(root)}: {node.func.id}()")
    assert offenders == []


def test_the_guard_sees_both_layers_and_resolves_relative_imports():
    assert len(list((PACKAGE / "core").rglob("*.py"))) >= 10
    assert len(list((PACKAGE / "reading").rglob("*.py"))) >= 10
    tree = ast.parse("from ...reading.extract import extract\nfrom ..values import fmt\n")
    assert list(_imports(tree, "jixiao.core.audit.run")) == ["jixiao.reading.extract", "jixiao.core.values"]
