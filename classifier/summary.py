"""What a run of ``boilerline predict`` did, added up batch by batch (or shard by shard)."""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import countOf, itemgetter

from classifier.formats.records import Predictions
from classifier.labeled import InputError
from classifier.limits import TRUNCATED
from classifier.page import CONTENT, Page


@dataclass
class Summary:
    """What a run did: pages, lines, content lines, pages the limits truncated, and the
    inputs or records it rejected: ``errors`` holds those not yet reported, ``rejected``
    counts those that were (``take_errors``), so a long run need not keep them all."""

    pages: int = 0
    lines: int = 0
    content_lines: int = 0
    truncated: int = 0
    errors: list[InputError] = field(default_factory=list)
    rejected: int = 0

    def take_errors(self) -> list[InputError]:
        """The errors not reported yet, counted as reported from now on. The list is emptied
        in place: the reader appending to it goes on appending to it."""
        taken = self.errors[:]
        self.errors.clear()
        self.rejected += len(taken)
        return taken

    @property
    def all_rejected(self) -> int:
        return self.rejected + len(self.errors)

    def add(self, page: Page, predictions: Predictions) -> None:
        self.pages += 1
        self.lines += len(page.lines)
        self.content_lines += countOf(map(itemgetter(0), predictions), CONTENT)
        self.truncated += TRUNCATED in page.extra

    def merge(self, other: Summary) -> None:
        self.pages += other.pages
        self.lines += other.lines
        self.content_lines += other.content_lines
        self.truncated += other.truncated
        self.rejected += other.rejected
        self.errors.extend(other.errors)

    def describe(self, seconds: float) -> str:
        content_share = self.content_lines / self.lines if self.lines else 0.0
        rate = self.lines / seconds if seconds > 0 else 0.0
        truncated = f"{self.truncated:,} page(s) truncated by the limits; " if self.truncated else ""
        return (
            f"{self.pages:,} page(s), {self.lines:,} lines ({content_share:.1%} content) in {seconds:.1f} s "
            f"({rate:,.0f} lines/s); {truncated}{self.all_rejected:,} input(s) or record(s) rejected"
        )
