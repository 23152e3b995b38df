"""OCR of scanned PDF pages: poppler renders each page, Tesseract (chi_sim) reads it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path

_RENDER_TIMEOUT_S = 120
_OCR_TIMEOUT_S = 300
_CJK = r"\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
# Tesseract puts a space between Chinese characters; spaces next to digits or Latin text stay
_CJK_GAP = re.compile(rf"(?<=[{_CJK}])[ \t]+(?=[{_CJK}])")


@cache
def tesseract_chi_sim() -> bool:
    """Whether Tesseract with the chi_sim language, and poppler's pdftoppm, are installed."""
    exe = shutil.which("tesseract")
    if not exe or not shutil.which("pdftoppm"):
        return False
    try:
        listed = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return False
    return "chi_sim" in (listed.stdout + listed.stderr).split()


def join_cjk(line: str) -> str:
    return _CJK_GAP.sub("", line).strip()


def ocr_pdf_pages(pdf: Path, pages: list[int]) -> dict[int, list[str] | None]:
    """Non-empty text lines of each page (1-based numbers), or None for a page that could not be read."""
    if not pages:
        return {}
    workers = min(len(pages), os.cpu_count() or 1)
    env = dict(os.environ)
    if workers > 1:
        env["OMP_THREAD_LIMIT"] = "1"  # one page per core beats Tesseract's own threads
    source = pdf.resolve()
    with tempfile.TemporaryDirectory(prefix="jixiao-ocr-") as tmp, ThreadPoolExecutor(workers) as pool:
        results = pool.map(lambda page: _ocr_page(source, page, Path(tmp), env), pages)
        return dict(zip(pages, results, strict=True))


def _ocr_page(pdf: Path, page: int, tmp: Path, env: dict[str, str]) -> list[str] | None:
    prefix = tmp / f"page{page}"
    image = prefix.with_suffix(".png")
    try:
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                "300",
                "-gray",
                "-png",
                "-f",
                str(page),
                "-l",
                str(page),
                "-singlefile",
                str(pdf),
                str(prefix),
            ],
            capture_output=True,
            check=True,
            timeout=_RENDER_TIMEOUT_S,
        )
        done = subprocess.run(
            ["tesseract", str(image), "stdout", "-l", "chi_sim", "--psm", "6"],
            capture_output=True,
            check=True,
            timeout=_OCR_TIMEOUT_S,
            env=env,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    finally:
        image.unlink(missing_ok=True)
    lines = (join_cjk(line) for line in done.stdout.decode("utf-8", "replace").splitlines())
    return [line for line in lines if line]
