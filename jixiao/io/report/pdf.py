"""docx → PDF through LibreOffice headless: one soffice process per batch, with a private profile.

The subprocess gets ``FONTCONFIG_FILE`` pointing at the shipped ``fonts.conf``, which maps the official
font names (仿宋_GB2312, 黑体, 楷体_GB2312, 方正小标宋简体, 宋体) onto installed CJK fonts.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

FONTS_CONF = Path(__file__).with_name("fonts.conf")

#: seconds allowed for starting LibreOffice, plus per document
TIMEOUT_BASE = 60.0
TIMEOUT_PER_DOC = 15.0


def _fontconfig() -> Path:
    """The shipped mapping, with Noto CJK's Simplified Chinese faces standing in for their collections where
    they can be prepared (see :mod:`.sc_fonts`)."""
    from .sc_fonts import fontconfig_file, sc_fonts

    found = sc_fonts()
    if found is None:
        return FONTS_CONF
    try:
        return fontconfig_file(FONTS_CONF, *found)
    except OSError:
        return FONTS_CONF


class PdfError(RuntimeError):
    """PDF generation failed; the message is Chinese."""


def find_soffice() -> str:
    """The LibreOffice executable, or :class:`PdfError` saying how to install it."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise PdfError("未找到 LibreOffice（soffice），无法生成 PDF；请运行 make 安装依赖")


def _tail(text: bytes, lines: int = 8) -> str:
    kept = [
        line
        for line in text.decode("utf-8", "replace").splitlines()
        if line.strip() and "javaldx" not in line and "failed to launch javaldx" not in line
    ]
    return "\n".join(kept[-lines:])


def convert_to_pdf(docx_paths: list[Path], out_dir: Path, timeout: float | None = None) -> list[Path]:
    """Convert every .docx in ``docx_paths`` into ``out_dir/<stem>.pdf`` with one LibreOffice run.

    Returns the PDF paths in the order of ``docx_paths``. Raises :class:`PdfError` (Chinese message) when
    LibreOffice is missing, fails, times out, or an expected PDF was not written.
    """
    sources = [Path(p).resolve() for p in docx_paths]
    if not sources:
        return []
    for src in sources:
        if not src.is_file():
            raise PdfError(f"找不到要转换的文件：{src}")
    stems = [src.stem for src in sources]
    duplicates = sorted({s for s in stems if stems.count(s) > 1})
    if duplicates:
        raise PdfError(f"同一批次中有重名文件（{'、'.join(duplicates)}），转换后的 PDF 会互相覆盖，请分批转换")

    soffice = find_soffice()
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    targets = [out_dir / f"{stem}.pdf" for stem in stems]
    for target in targets:
        target.unlink(missing_ok=True)  # so that a stale PDF is never taken for a fresh one

    limit = timeout if timeout is not None else TIMEOUT_BASE + TIMEOUT_PER_DOC * len(sources)
    with tempfile.TemporaryDirectory(prefix="jixiao-lo-") as profile:
        env = dict(os.environ)
        env["FONTCONFIG_FILE"] = str(_fontconfig())
        env.setdefault("HOME", profile)
        command = [
            soffice,
            f"-env:UserInstallation={Path(profile, 'user').as_uri()}",
            "--headless",
            "--invisible",
            "--nologo",
            "--nodefault",
            "--nofirststartwizard",
            "--nolockcheck",
            "--norestore",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(out_dir),
            *(str(src) for src in sources),
        ]
        try:
            proc = subprocess.Popen(
                command,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                stdin=subprocess.DEVNULL,
                env=env,
                cwd=profile,
                start_new_session=True,  # its own process group, so a timeout can stop soffice.bin too
            )
        except OSError as err:
            raise PdfError(f"无法启动 LibreOffice（{soffice}）：{err}") from err
        try:
            stdout, stderr = proc.communicate(timeout=limit)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.communicate()
            raise PdfError(f"LibreOffice 转换 PDF 超时（{limit:.0f} 秒，{len(sources)} 个文件）") from None

    missing = [src for src, target in zip(sources, targets, strict=True) if not target.is_file()]
    if proc.returncode != 0 or missing:
        detail = _tail(stderr) or _tail(stdout) or "无输出"
        what = "、".join(src.name for src in missing) if missing else "全部文件"
        raise PdfError(
            f"LibreOffice 转换 PDF 失败（退出码 {proc.returncode}），未生成：{what}。LibreOffice 输出：{detail}"
        )
    return targets
