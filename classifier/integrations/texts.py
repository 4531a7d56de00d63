"""A corpus tool's texts -> boilerline pages -> predictions, a batch at a time: what the
datatrove step and the ``Dataset.map`` function share.

Corpus tools hand over strings, not files: a datatrove ``Document.text`` or a dataset's text
column holds a page's HTML (datatrove's WARC reader gives a response's body, decoded) or its
plain text (a WET record, a JSONL dump). Each string becomes a ``Page`` as the command line
reads the same page from a file (HTML rendered by ``classifier.html.render_html``, text read
by ``text_page``, the site from the URL, cut to the ``Limits``), and a batch of pages is
classified at once by ``classifier.pipeline.classify_batch``, with the model loaded once per
process. The settings are a small frozen object, so the tool can pickle it to its workers;
nothing is loaded when it is made.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args

from classifier.formats.records import Predictions, cleaned_text, host_of, text_page
from classifier.html import render_html
from classifier.limits import TRUNCATED, Limits
from classifier.page import CONTENT, Page
from classifier.pipeline import ClassifyOptions, classify_batch, loaded_site_counts
from classifier.site_counts import SiteCounts
from classifier.text import without_surrogates

TextFormat = Literal["auto", "html", "text"]

# HTML opens, past white space and a byte-order mark, with "<" and a letter (a tag), "!" (a
# doctype or comment) or "?" (an XML declaration); plain text that happens to open so (a chat
# log's "<bob> hi") has no closing tag, which HTML pages always do.
_OPENS_WITH_MARKUP = re.compile(r"[\s\ufeff]*<[a-zA-Z!?]")


def looks_like_html(text: str) -> bool:
    """Whether ``text`` is HTML rather than plain text: it opens with markup and holds a
    closing tag ("</")."""
    return _OPENS_WITH_MARKUP.match(text) is not None and "</" in text


@dataclass(frozen=True)
class ClassifiedPage:
    """A page and what the model says about each of its lines."""

    page: Page
    predictions: Predictions

    @property
    def labels(self) -> list[str | None]:
        """``content`` / ``chrome`` per line, None on blank lines."""
        return [label for label, _ in self.predictions]

    @property
    def p_content(self) -> list[float | None]:
        """p(content) per line, None on blank lines."""
        return [p for _, p in self.predictions]

    @property
    def content_text(self) -> str:
        """The content lines, blank-line structure kept (``cleaned_text``)."""
        return cleaned_text(self.page.lines, self.labels)

    @property
    def content_chars(self) -> int:
        """Characters on the content lines."""
        return sum(len(line) for line, label in zip(self.page.lines, self.labels) if label == CONTENT)

    @property
    def content_share(self) -> float:
        """The share of the characters of the page's non-blank lines that are on content lines
        (0.0 for a page without any)."""
        total = sum(len(line) for line, label in zip(self.page.lines, self.labels) if label is not None)
        return self.content_chars / total if total else 0.0

    @property
    def truncated(self) -> dict | None:
        """What the limits cut from the page (``classifier.limits``), or None."""
        return self.page.extra.get(TRUNCATED)


@dataclass(frozen=True, kw_only=True)
class TextClassifier:
    """How texts are read as pages and classified.

    ``input_format``: ``html``, ``text``, or ``auto`` to tell each text by ``looks_like_html``
    (a WARC reader's stream can mix HTML responses and WET text records). ``model_path``: a
    saved model (default: the shipped one); ``trust_model`` lets one saved without its arrays
    file be unpickled (``classifier.trust``). ``threshold``: the p(content) cut (default: the
    model's). ``limits``: the page limits, as ``--max-lines`` and ``--max-line-chars``.
    ``site_counts``: site repetition counted over the whole corpus beforehand, as a
    ``SiteCounts`` or the path of a file its ``save`` wrote (loaded once per process); without
    it, a line's repetition across its site's pages is counted within each batch.
    """

    input_format: TextFormat = "auto"
    model_path: Path | None = None
    threshold: float | None = None
    trust_model: bool = False
    limits: Limits = Limits()
    site_counts: SiteCounts | Path | None = None

    def __post_init__(self) -> None:
        if self.input_format not in get_args(TextFormat):
            raise ValueError(f"input_format must be one of {', '.join(get_args(TextFormat))}, not {self.input_format!r}")
        if self.threshold is not None and not 0.0 <= self.threshold <= 1.0:
            raise ValueError(f"threshold must be between 0 and 1, not {self.threshold}")
        # Paths as Path, so that the per-process caches of the model and counts find them.
        if isinstance(self.model_path, str):
            object.__setattr__(self, "model_path", Path(self.model_path))
        if isinstance(self.site_counts, str):
            object.__setattr__(self, "site_counts", Path(self.site_counts))

    def page(self, page_id: str, text: str, url: str | None = None) -> Page:
        """The page of ``text`` (HTML or plain text, see ``input_format``), its site the host
        of ``url``, cut to the limits. Lone surrogates become U+FFFD, as the readers make them."""
        if not text.isascii():
            text = without_surrogates(text)
        site = host_of(url)
        if self.input_format == "html" or (self.input_format == "auto" and looks_like_html(text)):
            page = Page(page_id, *render_html(text), site=site, url=url)
        else:
            page = text_page(page_id, text, site=site, url=url)
        return self.limits.apply(page)

    def classify(self, pages: Sequence[Page]) -> list[ClassifiedPage]:
        """Every page of a batch, classified together (they share the batch's site counts)."""
        options = ClassifyOptions(model_path=self.model_path, threshold=self.threshold, trust_model=self.trust_model)
        counts = loaded_site_counts(self.site_counts) if isinstance(self.site_counts, Path) else self.site_counts
        pages, predictions = classify_batch(pages, options, counts)
        return [ClassifiedPage(page, page_predictions) for page, page_predictions in zip(pages, predictions)]
