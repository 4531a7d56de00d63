"""What every input and output format shares: the lines of a text, the host of a URL, and
the output record of a classified page (the fields of JSONL and Parquet output alike)."""

from __future__ import annotations

from urllib.parse import urlsplit

from classifier.encoding import UTF8
from classifier.limits import TRUNCATED
from classifier.page import CONTENT, Page

# What the model says about a page: (label, p_content) per line, (None, None) on blank lines.
Predictions = list[tuple[str | None, float | None]]

# Key of ``Page.extra`` (and of the output record) naming the encoding a page was read in,
# set only when that was not UTF-8.
ENCODING = "encoding"


def split_lines(text: str) -> list[str]:
    """Lines of a text page: split on newlines only (not on U+2028 and friends), CRLF folded."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


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
