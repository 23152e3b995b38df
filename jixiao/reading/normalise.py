"""Text as documents give it, made comparable: full-width forms, traditional characters, mirror-site noise.

Every reader's text passes through :func:`clean` before anything is extracted, so patterns are written once,
in simplified characters and ASCII digits and punctuation.
"""

from __future__ import annotations

import html
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable
from functools import lru_cache
from itertools import accumulate

from .vocabulary import Vocabulary, current

# Pinyin glosses that some mirror sites put after each character: 科學(xué) -> 科学
_PINYIN_GLOSS = re.compile(r"(?<=[\u4e00-\u9fff])\((?:[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńň]{1,7})\)")
#: a tag left by a page's copy ("<rp id=…>", "</p>"): it opens with a letter, "/" or "!"; "<5%" or "<=90%" is no tag
_HTML_TAG = re.compile(r"</?[A-Za-z!][^<>\n]{0,2000}>")
_SPACES = re.compile(r"[ \t\u3000\xa0]+")
_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])")


@lru_cache(maxsize=1)
def _traditional_characters() -> frozenset[str]:
    """Every Chinese character that the conversion to simplified changes (from zhconv's own table, some 4,700): a
    text without any is not converted, since converting is slow. A short list of frequent characters missed lines
    such as 「主管部門」 or 「全年執行數」 that use none of them."""
    from zhconv import zhconv as engine  # loads its table once per process (about 0.1 s)

    table = engine.getdict("zh-cn")
    return frozenset(k for k, v in table.items() if len(k) == 1 and k != v and _CJK_CHARACTER.match(k))


_CJK_CHARACTER = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


def clean(text: str) -> str:
    """NFKC (full-width digits and punctuation to ASCII), simplified characters, no HTML tags or pinyin
    glosses, OCR slips of units (``ocr.yaml``) mended, runs of blanks as one space."""
    return _clean(text, current())


@lru_cache(maxsize=4096)
def _clean(text: str, vocabulary: Vocabulary) -> str:
    text = _HTML_TAG.sub(" ", unicodedata.normalize("NFKC", text))
    if "&" in text:  # entities a page's copy kept ("&nbsp;", "&lt;"): decoded after the tags, so "&lt;5%" is "<5%"
        text = unicodedata.normalize("NFKC", html.unescape(text))
    if not _traditional_characters().isdisjoint(text):
        import zhconv

        text = zhconv.convert(text, "zh-cn")
    text = _PINYIN_GLOSS.sub("", text)
    for wrong, right in vocabulary.mapping("ocr", "units").items():
        text = text.replace(wrong, right)
    return _SPACES.sub(" ", text).strip()


def squeeze(text: str) -> str:
    """Drop the blanks that line wrapping and letter-spaced headings put between Chinese characters
    ("产 出 指 标" -> "产出指标", "经济效益 指标" -> "经济效益指标")."""
    return _CJK_GAP.sub("", _CJK_GAP.sub("", text))


def as_written(name: str, texts: Iterable[str]) -> str:
    """``name`` (read from cleaned text) as the document writes it, where only compatibility forms differ: a
    full-width or small form (``﹣``, ``（``) is given back as printed, since a name is quoted, not normalised.
    Only a span of one source text whose characters normalise one by one to exactly ``name`` counts; text that
    was converted otherwise (traditional characters, OCR slips, closed-up blanks) keeps the cleaned name."""
    for text in texts:
        if unicodedata.is_normalized("NFKC", text):
            continue  # the common case: nothing in this text is written differently
        forms = [unicodedata.normalize("NFKC", ch) for ch in text]
        normal = "".join(forms)
        at = normal.find(name)
        if at < 0:
            continue
        ends = list(accumulate(len(form) for form in forms))
        starts = [end - len(form) for end, form in zip(ends, forms, strict=True)]
        first, last = bisect_left(starts, at), bisect_left(ends, at + len(name))
        if first < len(starts) and last < len(ends) and starts[first] == at and ends[last] == at + len(name):
            return text[first : last + 1]
    return name
