"""What every input and output format shares: the lines of a text, the host of a URL, and
the output record of a classified page (the fields of JSONL and Parquet output alike)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from classifier.encoding import UTF8
from classifier.limits import CUT_LINE_LENGTHS, TRUNCATED
from classifier.page import CONTENT, Page

# What the model says about a page: (label, p_content) per line, (None, None) on blank lines.
Predictions = list[tuple[str | None, float | None]]

# Key of ``Page.extra`` (and of the output record) naming the encoding a page was read in,
# set only when that was not UTF-8.
ENCODING = "encoding"
# Key of ``Page.extra``: the width of each line break of a text page ("\r\n" is 2), set only
# when they were not all "\n", so that offsets into the text as it came stay right.
LINE_BREAKS = "line_breaks"
# Names of the attributes output's spans, Dolma's ``{experiment}__{tagger}__{attribute}``.
ATTRIBUTE_P_CONTENT = "boilerline__line__p_content"
ATTRIBUTE_P_CHROME = "boilerline__line__p_chrome"
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def split_lines(text: str) -> list[str]:
    """Lines of a text page: split on newlines only (not on U+2028 and friends), CRLF folded."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def text_page(page_id: str, text: str, **fields) -> Page:
    """The page of a plain text: its lines (``split_lines``) and ``line_break_note``;
    ``fields``: the other fields of ``Page``."""
    return Page(page_id, split_lines(text), extra=line_break_note(text), **fields)


def line_break_note(text: str) -> dict:
    """``Page.extra`` holding the width of each line break of ``text`` when any is not "\n"
    (else nothing): ``line_spans`` needs it."""
    if "\r" not in text:
        return {}
    return {LINE_BREAKS: [len(match.group()) for match in _LINE_BREAK.finditer(text)]}


def line_spans(page: Page) -> list[tuple[int, int]]:
    """Where each line of ``page`` lies in the text it was read from, as [start, end)
    character offsets: line breaks of their own widths, cut lines (``classifier.limits``)
    at their length before the cut. For a page rendered from HTML, the text is its lines
    joined by "\n"."""
    breaks = page.extra.get(LINE_BREAKS)
    cut = page.extra.get(CUT_LINE_LENGTHS, {})
    spans, start = [], 0
    for i, line in enumerate(page.lines):
        end = start + cut.get(i, len(line))
        spans.append((start, end))
        start = end + (breaks[i] if breaks is not None and i < len(breaks) else 1)
    return spans


def with_encoding(page: Page, encoding: str) -> Page:
    """``page``, its ``extra`` naming the encoding it was read in when that was not UTF-8."""
    if encoding != UTF8:
        page.extra[ENCODING] = encoding
    return page


def host_of(url: str | None) -> str | None:
    """The host of a URL without a leading ``www.``; None when there is none."""
    try:
        host = urlsplit(url.strip()).hostname if url else None
    except ValueError:
        return None
    return host.removeprefix("www.") if host else None


def page_record(page: Page, predictions: Predictions) -> dict:
    """The output record of a page: ``id``; ``url``, ``encoding`` and ``truncated``
    (``classifier.limits``) when known; ``lines``."""
    lines = [
        {"text": line, "label": label, "p_content": None if p is None else round(p, 4)}
        for line, (label, p) in zip(page.lines, predictions)
    ]
    url = {"url": page.url} if page.url is not None else {}
    notes = {key: page.extra[key] for key in (ENCODING, TRUNCATED) if key in page.extra}
    return {"id": page.page_id, **url, **notes, "lines": lines}


def attributes_record(page: Page, predictions: Predictions) -> dict:
    """The page's line spans as a Dolma tagger writes attributes: ``{"id", "attributes":
    {name: [[start, end, score], ...]}}``, over every non-blank line (``line_spans``), with
    p(content) and p(chrome) as scores; a Dolma mixer's ``span_replacement`` on
    ``boilerline__line__p_chrome`` with ``min_score`` 0.5 removes the chrome lines."""
    scored = [(span, p) for span, (_, p) in zip(line_spans(page), predictions) if p is not None]
    return {
        "id": page.page_id,
        "attributes": {
            ATTRIBUTE_P_CONTENT: [[start, end, round(p, 4)] for (start, end), p in scored],
            ATTRIBUTE_P_CHROME: [[start, end, round(1.0 - p, 4)] for (start, end), p in scored],
        },
    }


def cleaned_text(lines: list[str], labels: list[str | None]) -> str:
    """The content lines, with one blank line where the original had blank lines between them."""
    kept: list[str] = []
    gap = False
    for line, label in zip(lines, labels):
        if label is None:
            gap = True
        elif label == CONTENT:
            if gap and kept:
                kept.append("")
            kept.append(line)
            gap = False
    return "\n".join(kept)


def annotate(line: str, label: str | None, p_content: float | None) -> str:
    """The line behind a fixed-width marker: ``C 0.97  |`` content, ``- 0.03  |`` chrome, blank for blank lines."""
    if label is None:
        return f"{'':8}| {line}"
    mark = "C" if label == CONTENT else "-"
    return f"{mark} {p_content:.2f}  | {line}"
