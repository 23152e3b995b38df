"""Reading a qualitative 实际完成值 for the tier it states (财预〔2020〕10号 第十六条), or for none.

The words come from the rule set (``qualitative`` and ``qualitative_phrases``); nothing here knows a document.
A phrase is cut into clauses at punctuation, at contrast and concessive words (但、虽然…) and at conjunctions
(并且、同时…), which also end a negation's scope. Words are matched longest first, so “不断” is no negation,
“不过” is a contrast and “满意度” is no judgement. In each clause:

* a judgement word (完成、明显、较差…) states its tier; after a negator (未、没有、不…) it states the tier its
  negation states (“未完成” → 未达成); two negators in a row state nothing certain (“无一未完成”);
* a degree word (全部、部分、基本…) counts where the clause judges or negates something: alone it states its
  tier (“基本完成”), inside a negation its ``negated`` tier (“未全部完成”“没有完成全部任务” → 部分达成), in
  front of a negation its ``over_negation`` tier (“部分未完成” → 部分达成);
* a figure or a plan (“完成 110 场”“预计年底完成”) says how much or what is intended, not whether the target
  was met, so the clause's top-tier readings do not count.

Over the whole phrase the lowest tier read wins, except that the top and bottom tiers read together (“已完成，
但效果不明显”) give the rule set's ``mixed_tier``. Nothing read, a double negation, a negated word whose
negation states no tier (“无不足”), or a contrast followed by no judgement (“已完成，但仍存在一些问题”) leave
the tier uncertain, and the reason is said in Chinese.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from enum import Enum

from ..rules import QualitativeTier, RuleSet

_PUNCTUATION = frozenset("，,。.；;！!？?、：:（）()【】[]《》<>\"“”‘’'/\\|—-…~～ \t\r\n")
_DATE_NUMBER = re.compile(r"\d+(?=[年月日号])")
_FIGURE = re.compile(r"\d")


class _Kind(Enum):
    JUDGEMENT = "judgement"
    DEGREE = "degree"
    NEGATOR = "negator"
    NEUTRAL = "neutral"
    CONTRAST = "contrast"
    CONCESSIVE = "concessive"
    ENDER = "ender"
    HEDGE = "hedge"


@dataclass(frozen=True, slots=True)
class _Sense:
    kind: _Kind
    tier: str | None = None
    negated: str | None = None  # the tier when negated; None: no tier is certain
    over_negation: str | None = None  # degree words in front of a negation; None: the negation's own tier


@dataclass(frozen=True, slots=True)
class _Token:
    sense: _Sense
    start: int
    end: int


@dataclass(slots=True)
class _Clause:
    start: int
    end: int = 0
    tokens: list[_Token] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Reading:
    """What a phrase states: a tier with the words it rests on, or no certain tier and why (in Chinese)."""

    tier: QualitativeTier | None
    cues: tuple[str, ...] = ()
    doubt: str = ""
    mixed: bool = False

    def text(self) -> str:
        """``依据实际完成值中的“全部完成”，属“达成年度指标”档`` or the doubt."""
        if self.tier is None:
            return self.doubt
        cues = "".join(f"“{c}”" for c in self.cues)
        mixed = "，达成与未达成的表述并见" if self.mixed else ""
        return f"依据实际完成值中的{cues}{mixed}，属“{self.tier.label}”档"


def read_phrase(
    text: str | None, rules: RuleSet, *, extra_judgements: tuple[str, ...] = (), figures_judge: bool = False
) -> Reading:
    """The tier ``text`` states under ``rules``. For 是否类指标, ``extra_judgements`` are more top-tier words and
    ``figures_judge`` lets a clause with a figure count (“发生 1 起” does say “是”)."""
    phrase = _normalise(text)
    if not phrase:
        return Reading(None, doubt="未填写实际完成值")
    clauses, contrast_at = _clauses(phrase, _lexicon(rules, extra_judgements))
    tiers = [t.id for t in rules.qualitative]
    readings: list[tuple[str, str]] = []  # (tier id, cue)
    no_result: list[str] = []  # clauses whose top-tier readings do not count
    after_contrast_read = contrast_at is None
    for index, clause in enumerate(clauses):
        result = _read_clause(clause, phrase, tiers[-1])
        if isinstance(result, str):
            return Reading(None, doubt=result)
        void = _plans(clause) or (not figures_judge and _has_figure(clause, phrase))
        kept = [(tier, cue) for tier, cue in result if not (void and tier == tiers[0])]
        if len(kept) < len(result):
            no_result.append(phrase[clause.start : clause.end])
        readings += kept
        if contrast_at is not None and index >= contrast_at and kept:
            after_contrast_read = True
    if not readings:
        if no_result:
            return Reading(None, doubt=f"“{no_result[0]}”只写了数量、计划或进展，未表明是否达到年度指标")
        return Reading(None, doubt="未写明达成、部分达成或未达成")
    if not after_contrast_read:
        return Reading(None, doubt="含转折，转折之后未表明达成程度")
    cues = tuple(dict.fromkeys(cue for _, cue in readings))
    cues = tuple(c for c in cues if not any(c != other and c in other for other in cues))
    read = {tier for tier, _ in readings}
    if tiers[0] in read and tiers[-1] in read:
        return Reading(rules.tier(rules.qualitative_phrases.mixed_tier), cues, mixed=True)
    return Reading(rules.tier(max(read, key=tiers.index)), cues)


@dataclass(frozen=True, slots=True)
class Answer:
    """A 是否 answer: ``yes`` is True (是) or False (否) with the words it rests on (none for a bare answer),
    or None with why it is neither."""

    yes: bool | None
    basis: str


def read_yes_no(text: str | None, rules: RuleSet) -> Answer:
    """Read like a qualitative phrase, with the rule set's 是否 words: 达成 is 是, 未达成 is 否, anything else uncertain.

    A bare answer (“是”, “否，尚未建立”) in the first clause decides alone.
    """
    words = rules.qualitative_phrases.yes_no
    phrase = _normalise(text)
    first = re.split(f"[{re.escape(''.join(_PUNCTUATION))}]", phrase)[0]
    if first in words.yes_answers or first in words.no_answers:
        return Answer(first in words.yes_answers, "")
    reading = read_phrase(phrase, rules, extra_judgements=tuple(words.words), figures_judge=True)
    if reading.tier is None:
        return Answer(None, reading.doubt)
    cues = "".join(f"“{c}”" for c in reading.cues)
    if reading.tier.id == rules.qualitative[0].id:
        return Answer(True, f"依据{cues}")
    if reading.tier.id == rules.qualitative[-1].id:
        return Answer(False, f"依据{cues}")
    return Answer(None, f"依据{cues}只能判断为部分达成")


def _normalise(text: str | None) -> str:
    """Full-width letters and digits to half-width; outer blanks and punctuation removed."""
    return unicodedata.normalize("NFKC", text or "").strip("".join(_PUNCTUATION))


def _lexicon(rules: RuleSet, extra_judgements: tuple[str, ...]) -> dict[str, _Sense]:
    vocab = rules.qualitative_phrases
    top = rules.qualitative[0]
    lexicon: dict[str, _Sense] = {}
    for kind, words in (
        (_Kind.NEGATOR, vocab.negators),
        (_Kind.NEUTRAL, vocab.neutral),
        (_Kind.CONTRAST, vocab.contrast),
        (_Kind.CONCESSIVE, vocab.concessive),
        (_Kind.ENDER, vocab.scope_enders),
        (_Kind.HEDGE, vocab.hedges),
    ):
        lexicon |= dict.fromkeys(words, _Sense(kind))
    for degree in vocab.degrees:
        sense = _Sense(_Kind.DEGREE, degree.tier, degree.negated, degree.over_negation)
        lexicon |= dict.fromkeys(degree.words, sense)
    for tier in rules.qualitative:
        lexicon |= dict.fromkeys(tier.keywords, _Sense(_Kind.JUDGEMENT, tier.id, tier.negated))
    for word in extra_judgements:
        lexicon.setdefault(word, _Sense(_Kind.JUDGEMENT, top.id, top.negated))
    return lexicon


def _clauses(phrase: str, lexicon: dict[str, _Sense]) -> tuple[list[_Clause], int | None]:
    """The clauses with their words, and the index of the first clause after the last contrast word."""
    longest = max(map(len, lexicon), default=1)
    clauses: list[_Clause] = []
    contrast_at: int | None = None
    current = _Clause(0)

    def close(at: int, next_start: int) -> None:
        nonlocal current
        current.end = at
        if current.end > current.start:
            clauses.append(current)
        current = _Clause(next_start)

    i = 0
    while i < len(phrase):
        if phrase[i] in _PUNCTUATION:
            close(i, i + 1)
            i += 1
            continue
        word = next((phrase[i : i + n] for n in range(longest, 0, -1) if phrase[i : i + n] in lexicon), None)
        if word is None:
            i += 1
            continue
        sense = lexicon[word]
        if sense.kind in (_Kind.CONTRAST, _Kind.CONCESSIVE, _Kind.ENDER):
            close(i, i + len(word))
            if sense.kind is _Kind.CONTRAST:
                contrast_at = len(clauses)
        elif sense.kind is not _Kind.NEUTRAL:
            current.tokens.append(_Token(sense, i, i + len(word)))
        i += len(word)
    close(len(phrase), len(phrase))
    return clauses, contrast_at


@dataclass(slots=True)
class _Scope:
    """A negative statement: a negation with the words it covers, or a bottom-tier judgement; ``before`` are the
    degree words in front that say how much of it holds (“部分未完成”, “个别项目进度滞后”)."""

    negators: list[_Token]
    words: list[_Token]  # the first covered word, then covered degree words and the judgement a degree leads to
    before: list[_Token]
    open: bool = False  # a degree word heads it and its judgement is still to come (“未全部…完成”)

    def tiers(self) -> list[str | None]:
        """By the degree words it covers, else those in front of it, else its first word."""
        own = self.words[0].sense.negated if self.negators else self.words[0].sense.tier
        covered = [t.sense.negated for t in self.words if self.negators and t.sense.kind is _Kind.DEGREE]
        if covered:
            return covered
        if self.before:
            return [t.sense.over_negation or own for t in self.before]
        return [own]


def _read_clause(clause: _Clause, phrase: str, bottom: str) -> list[tuple[str, str]] | str:
    """The (tier, cue) readings of one clause, or why it states nothing certain."""
    pending: list[_Token] = []
    scopes: list[_Scope] = []
    judgements: list[_Token] = []
    degrees: list[_Token] = []
    for token in clause.tokens:
        kind = token.sense.kind
        if kind is _Kind.HEDGE:
            continue
        if kind is _Kind.NEGATOR:
            pending.append(token)
            continue
        if len(pending) > 1:
            return f"含双重否定“{phrase[pending[0].start : token.end]}”，不能确定档次"
        last = scopes[-1] if scopes else None
        if pending:
            scopes.append(_Scope(pending, [token], degrees, open=kind is _Kind.DEGREE))
            degrees, pending = [], []
        elif last and last.negators and kind is _Kind.DEGREE:
            last.words.append(token)
        elif last and last.open:
            last.words.append(token)
            last.open = False
        elif kind is _Kind.DEGREE:
            degrees.append(token)
        elif token.sense.tier == bottom and degrees:
            scopes.append(_Scope([], [token], degrees))
            degrees = []
        else:
            judgements.append(token)
    readings: list[tuple[str, str]] = []
    for scope in scopes:
        tiers = scope.tiers()
        start = (scope.before or scope.negators or scope.words)[0].start
        cue = phrase[start : max(t.end for t in scope.words)]
        if None in tiers:
            return f"否定“{cue}”不能确定档次"
        readings += [(tier, cue) for tier in tiers if tier is not None]
    readings += [(t.sense.tier, phrase[t.start : t.end]) for t in judgements if t.sense.tier]
    if pending and degrees:
        # a negation of a word outside the vocabulary: only a degree in front says how much (“部分活动未开展”)
        cue = phrase[degrees[0].start : clause.end]
        readings += [(t.sense.over_negation, cue) for t in degrees if t.sense.over_negation]
    elif judgements or scopes:
        readings += [(t.sense.tier, _degree_cue(t, judgements, phrase)) for t in degrees if t.sense.tier]
    return readings


def _degree_cue(degree: _Token, judgements: list[_Token], phrase: str) -> str:
    """A degree word with the judgement it qualifies: “基本完成”, “完成了部分”."""
    if not judgements:
        return phrase[degree.start : degree.end]
    nearest = min(judgements, key=lambda t: abs(t.start - degree.start))
    return phrase[min(degree.start, nearest.start) : max(degree.end, nearest.end)]


def _plans(clause: _Clause) -> bool:
    """The clause says what is intended or under way (预计、正在…), not what was achieved."""
    return any(t.sense.kind is _Kind.HEDGE for t in clause.tokens)


def _has_figure(clause: _Clause, phrase: str) -> bool:
    """A figure other than a date: the clause says how much, not whether that met the target."""
    return bool(_FIGURE.search(_DATE_NUMBER.sub("", phrase[clause.start : clause.end])))
