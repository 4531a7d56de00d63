"""Limits on the size of a page, so that one odd page cannot exhaust memory or time.

Featurizing costs about 1 KB of memory a line, and the n-gram features grow with a line's
length: a page of a million lines, or a line of ten megabytes (a minified script or an
inlined image dumped as text), would cost more than a whole batch of ordinary pages. Pages
over a limit are truncated, never dropped, and say so: ``page.extra["truncated"]`` holds
what was cut, which the output records carry and ``boilerline predict`` reports.
"""

from __future__ import annotations

from dataclasses import dataclass

from classifier.page import Page

# Of the 6,985 pages of ../shared/data, rendered, the longest has 10,755 lines and the
# longest line is 50,618 characters (a story on one line); the defaults are well beyond both.
DEFAULT_MAX_LINES = 100_000
DEFAULT_MAX_LINE_CHARS = 100_000
# Pages featurized together: a batch bounds memory (about 1 KB of features per line), and
# without site counts, repetition across a site's pages is counted within a batch only.
DEFAULT_BATCH_PAGES = 256
# Key of ``Page.extra`` (and of the output record) saying what the limits cut.
TRUNCATED = "truncated"
# Key of ``Page.extra``: the length each cut line had, by line index, so that offsets into the
# text as it came (the ``attributes`` output) stay right after a cut.
CUT_LINE_LENGTHS = "cut_line_lengths"


@dataclass(frozen=True)
class Limits:
    max_lines: int = DEFAULT_MAX_LINES
    max_line_chars: int = DEFAULT_MAX_LINE_CHARS

    def apply(self, page: Page) -> Page:
        """The page itself, with the lines after the first ``max_lines`` dropped and every line
        cut to ``max_line_chars``. When anything was cut, ``page.extra[TRUNCATED]`` says what:
        ``{"lines_dropped": n, "lines_cut": m}``."""
        dropped = max(0, len(page.lines) - self.max_lines)
        if not dropped and max(map(len, page.lines), default=0) <= self.max_line_chars:
            return page  # the usual case, told without a Python loop over the lines
        long_lines = [i for i, line in enumerate(page.lines[: self.max_lines]) if len(line) > self.max_line_chars]
        page.lines = page.lines[: self.max_lines]
        if long_lines:
            page.extra[CUT_LINE_LENGTHS] = {i: len(page.lines[i]) for i in long_lines}
        for i in long_lines:
            page.lines[i] = page.lines[i][: self.max_line_chars]
        if page.link_chars is not None:
            page.link_chars = [min(n, self.max_line_chars) for n in page.link_chars[: self.max_lines]]
        if page.structure is not None:
            page.structure = page.structure.sliced(0, self.max_lines)
        if page.labels is not None:
            page.labels = page.labels[: self.max_lines]
        page.extra[TRUNCATED] = {"lines_dropped": dropped, "lines_cut": len(long_lines)}
        return page

    def describe(self, page: Page) -> str | None:
        """What was cut from ``page``, in words, or None."""
        cut = page.extra.get(TRUNCATED)
        if not cut:
            return None
        parts = []
        if cut["lines_dropped"]:
            parts.append(f"{cut['lines_dropped']:,} line(s) after the first {self.max_lines:,} dropped (--max-lines)")
        if cut["lines_cut"]:
            parts.append(f"{cut['lines_cut']:,} line(s) cut to {self.max_line_chars:,} characters (--max-line-chars)")
        return "; ".join(parts)
