"""Scores of predicted line labels against gold labels.

Content is the positive class. Lines count only where the gold label is not null and, on
partially labeled pages, where the line is in the page's ``scored`` mask. Each figure is
given counted by lines and by characters, and as the mean over pages of the token F1 of the
cleaned text (predicted content lines) against the gold content lines.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence

from classifier.labeled import scored_mask
from classifier.page import CONTENT, Page
from classifier.text import fold

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
# CJK text has no spaces: each ideograph/kana/hangul is a token; elsewhere \w runs are.
_SCORING_TOKEN = re.compile(f"[{_CJK}]|[^\\W{_CJK}]+")


# (gold is content, prediction is content) -> confusion-matrix cell.
_CONFUSION_CELL = {(True, True): "tp", (False, True): "fp", (True, False): "fn", (False, False): "tn"}


def scoring_tokens(text: str) -> list[str]:
    return _SCORING_TOKEN.findall(fold(text))


class Tally:
    """Running counts for one group of pages (all, one language, one dataset)."""

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


def score(pages: Sequence[Page], predicted: Sequence[Sequence[str | None]]) -> dict:
    """Overall figures, and the same by language and by dataset."""
    overall = Tally()
    by_lang: dict[str, Tally] = defaultdict(Tally)
    by_dataset: dict[str, Tally] = defaultdict(Tally)
    for page, labels in zip(pages, predicted):
        overall.add(page, labels)
        by_lang[page.lang or "unknown"].add(page, labels)
        by_dataset[page.dataset or "unknown"].add(page, labels)
    return {
        **overall.summary(),
        "by_lang": {lang: tally.summary() for lang, tally in sorted(by_lang.items())},
        "by_dataset": {name: tally.summary() for name, tally in sorted(by_dataset.items())},
    }
