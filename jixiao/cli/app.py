"""The typer application and the consoles every command prints to."""

from __future__ import annotations

import sys
from enum import StrEnum

import typer
from rich.console import Console

app = typer.Typer(
    help="jixiao（绩效）：项目支出绩效自评——评分、一致性检查与标准文书，审核已提交的材料。",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
# Off a terminal (pipes, CI logs) rich would assume 80 columns and cut findings short.
out = Console(highlight=False, width=None if sys.stdout.isatty() else 160)
err = Console(stderr=True, highlight=False, soft_wrap=True)


class OutputFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


def fail(message: str, code: int = 2) -> None:
    """Print a Chinese error to stderr and leave with ``code`` (2 bad input, 3 cannot write)."""
    err.print(f"[bold red]错误：[/]{message}")
    raise typer.Exit(code)
