"""jixiao.core stays pure: no web framework, no file or network I/O, no import of the outer layers."""

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "jixiao" / "core"
FORBIDDEN_MODULES = {
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
FORBIDDEN_CALLS = {"open"}


def _imports(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def test_core_modules_import_nothing_outside_the_core():
    offenders = []
    for file in CORE.rglob("*.py"):
        tree = ast.parse(file.read_text(encoding="utf-8"))
        for name in _imports(tree):
            if any(name == m or name.startswith(m + ".") for m in FORBIDDEN_MODULES):
                offenders.append(f"{file.relative_to(CORE)}: {name}")
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in FORBIDDEN_CALLS:
                offenders.append(f"{file.relative_to(CORE)}: {node.func.id}()")
    assert offenders == []


def test_the_guard_itself_sees_the_core():
    assert len(list(CORE.rglob("*.py"))) >= 10
