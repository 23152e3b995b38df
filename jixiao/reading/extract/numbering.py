"""Numbered lists whose numbers slip: "1.…。2.…。3.…。4.…。4.…。5.…" uses 4 twice.

A list is a run of items "N." or "N、" at the start of a line or after the end of a sentence, numbered from 1. An
item whose number repeats the one before it, where the list then goes on with the next number, is a slip of the
writer's: the items are miscounted, and a reader citing "item 5" means two different things. Numbers that jump
(1, 2, 4) are not judged: an item may have been cut on purpose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...core.audit.document import Evidence
from .flat import Flat

#: an item's number: at a line's start or after a sentence's end, one or two digits, then "." or "、" (not "1.5")
_ITEM = re.compile(r"(?:^|(?<=[。；;！？\n]))[ \t]*(\d{1,2})[.、](?![\d.])", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class NumberingSlip:
    number: int
    evidence: Evidence  # the repeated item


def find_numbering_slips(flat: Flat) -> list[NumberingSlip]:
    text = flat.text
    slips: list[NumberingSlip] = []
    items = [(int(m.group(1)), m.start(1)) for m in _ITEM.finditer(text)]
    run: list[tuple[int, int]] = []
    for number, at in [*items, (0, len(text))]:
        if run and number == 1:
            slips += _slips(run, flat)
            run = []
        if number:
            run.append((number, at))
    return slips + _slips(run, flat)


def _slips(run: list[tuple[int, int]], flat: Flat) -> list[NumberingSlip]:
    """Repeats in one list that counts up from 1 by one, but for the repeat."""
    numbers = [n for n, _ in run]
    if len(numbers) < 4 or numbers[0] != 1:
        return []
    found: list[NumberingSlip] = []
    for i in range(1, len(numbers)):
        step = numbers[i] - numbers[i - 1]
        if step == 0 and i + 1 < len(numbers) and numbers[i + 1] == numbers[i] + 1:
            at = run[i][1]
            found.append(NumberingSlip(numbers[i], flat.evidence(at, at + len(str(numbers[i])) + 1)))
        elif step not in (0, 1):
            return []  # not one list counted by ones: leave it
    return found
