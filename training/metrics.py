"""Scores of predicted line labels against gold labels.

Content is the positive class. Lines count only where the gold label is not null and, on
partially labeled pages, where the line is in the page's ``scored`` mask. Each figure is
given counted by lines and by characters, and as the mean over pages of the token F1 of the
cleaned text (predicted content lines) against the gold content lines.

The same figures come by language, by dataset and by kind (the script mix of a hand-labeled
page, ``Page.kind``). Pages without a language or dataset are grouped as ``unknown``; pages
without a kind are left out of ``by_kind``, which is empty when no page has one: most data
has no kind, and an ``unknown`` row would just repeat the overall figures.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence

from classifier.labeled import scored_mask
from classifier.page import CONTENT, Page
from classifier.text import fold

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
# CJK text has no spaces: each ideograph/kana/hangul is a token; elsewhere \w runs are.
_SCORING_TOKEN = re.compile(f"[{_CJK}]|[^\\W{_CJK}]+")


# The sections of the scores, each with the function naming the group a page counts in
# (None: the page is left out of that section).
GROUPS: dict[str, Callable[[Page], str | None]] = {
    "by_dataset": lambda page: page.dataset or "unknown",
    "by_lang": lambda page: page.lang or "unknown",
    "by_kind": lambda page: page.kind,
}

# (gold is content, prediction is content) -> confusion-matrix cell.
_CONFUSION_CELL = {(True, True): "tp", (False, True): "fp", (True, False): "fn", (False, False): "tn"}


def scoring_tokens(text: str) -> list[str]:
    return _SCORING_TOKEN.findall(fold(text))


class Tally:
    """Running counts for one group of pages (all, one language, one dataset, one kind)."""

    def __init__(self) -> None:
        self.pages = 0
        self.lines = 0
        self.line = Counter()
        self.char = Counter()
        self.page_token_f1: list[float] = []

    def add(self, page: Page, predicted: Sequence[str | None]) -> None:
        self.pages += 1
        mask = scored_mask(page)
        for line, gold, guess, scored in zip(page.lines, page.labels, predicted, mask):
            if not scored:
                continue
            self.lines += 1
            cell = _CONFUSION_CELL[gold == CONTENT, guess == CONTENT]
            self.line[cell] += 1
            self.char[cell] += len(line.strip())
        gold_tokens = Counter(t for line, g, s in zip(page.lines, page.labels, mask) if s and g == CONTENT for t in scoring_tokens(line))
        guess_tokens = Counter(t for line, g, s in zip(page.lines, predicted, mask) if s and g == CONTENT for t in scoring_tokens(line))
        self.page_token_f1.append(_f1_of_bags(gold_tokens, guess_tokens))

    def summary(self) -> dict:
        return {
            "pages": self.pages,
            "lines": self.lines,
            "line": _prf(self.line),
            "char": _prf(self.char),
            "page_token_f1_mean": round(sum(self.page_token_f1) / len(self.page_token_f1), 4) if self.page_token_f1 else None,
        }


def _prf(cells: Counter) -> dict:
    tp, fp, fn = cells["tp"], cells["fp"], cells["fn"]
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"p": round(precision, 4), "r": round(recall, 4), "f1": round(f1, 4)}


def _f1_of_bags(gold: Counter, guess: Counter) -> float:
    if not gold and not guess:
        return 1.0
    overlap = sum((gold & guess).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(guess.values()), overlap / sum(gold.values())
    return 2 * precision * recall / (precision + recall)


# Equal-width bins of p(content) for the calibration figures.
CALIBRATION_BINS = 10


def calibration(pages: Sequence[Page], p_content: Sequence[Sequence[float | None]]) -> dict:
    """How well p(content) says how often a line is content, over the scored lines: the lines
    in CALIBRATION_BINS equal-width bins of p, each non-empty bin's range, lines, mean p and
    share of content lines, and the expected calibration error (the bins' gaps between mean p
    and content share, weighted by their lines). Where it is small, a threshold a user picks
    means what it says: of the lines given p 0.8, about 80% are content."""
    p_sum, content, lines = [0.0] * CALIBRATION_BINS, [0] * CALIBRATION_BINS, [0] * CALIBRATION_BINS
    for page, probabilities in zip(pages, p_content):
        for gold, p, scored in zip(page.labels, probabilities, scored_mask(page)):
            if scored and p is not None:
                b = min(int(p * CALIBRATION_BINS), CALIBRATION_BINS - 1)
                p_sum[b] += p
                content[b] += gold == CONTENT
                lines[b] += 1
    total = sum(lines)
    bins = [
        {"p_from": b / CALIBRATION_BINS, "p_to": (b + 1) / CALIBRATION_BINS, "lines": lines[b],
         "mean_p": round(p_sum[b] / lines[b], 4), "content_share": round(content[b] / lines[b], 4)}
        for b in range(CALIBRATION_BINS) if lines[b]
    ]
    error = sum(abs(p_sum[b] - content[b]) for b in range(CALIBRATION_BINS)) / total if total else None
    return {"expected_error": None if error is None else round(error, 4), "bins": bins}


def score(pages: Sequence[Page], predicted: Sequence[Sequence[str | None]]) -> dict:
    """Overall figures, and the same for each group of every section of ``GROUPS``."""
    overall = Tally()
    tallies: dict[str, dict[str, Tally]] = {section: defaultdict(Tally) for section in GROUPS}
    for page, labels in zip(pages, predicted):
        overall.add(page, labels)
        for section, group_of in GROUPS.items():
            group = group_of(page)
            if group is not None:
                tallies[section][group].add(page, labels)
    sections = {section: {group: tally.summary() for group, tally in sorted(groups.items())} for section, groups in tallies.items()}
    return {**overall.summary(), **sections}
