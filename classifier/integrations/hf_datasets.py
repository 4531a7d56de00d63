"""boilerline for Hugging Face datasets: a function for ``Dataset.map(..., batched=True)``
that adds each page's content text and its per-line labels and p(content).

    dataset = dataset.map(boilerline_columns, batched=True)
    dataset = dataset.map(BoilerlineColumns(text_column="html", classifier=TextClassifier(input_format="html")), batched=True)

Batched, because the model featurizes a batch of pages at once and counts how often a line
repeats across the pages of a site within it (``map``'s ``batch_size``, 1,000 rows by
default; or over the whole corpus, with ``TextClassifier(site_counts=...)``). The function
is a small frozen object: ``datasets`` can hash it (so a rerun finds its cache) and pickle
it to the processes of ``num_proc``, each of which loads the model once, on its first batch;
without ``num_proc`` it runs in the calling process.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from classifier.integrations.texts import TextClassifier

# The columns added. Labels and probabilities are per line of the page (the rendered lines of
# HTML, the lines of a text), None on blank lines, as in the JSONL output.
CONTENT_TEXT_COLUMN = "content_text"
LINE_LABELS_COLUMN = "line_labels"
LINE_P_CONTENT_COLUMN = "line_p_content"


@dataclass(frozen=True, kw_only=True)
class BoilerlineColumns:
    """Called with a batch of rows (column -> values), returns the columns ``content_text``
    (the content lines, blank-line structure kept), ``line_labels`` and ``line_p_content``.

    ``text_column``: the page's HTML or text. ``url_column``: the page's URL, whose host is its
    site, used when the dataset has that column. ``classifier``: how texts are read and
    classified (``TextClassifier``: input format, model, threshold, limits, site counts).
    """

    classifier: TextClassifier = TextClassifier()
    text_column: str = "text"
    url_column: str | None = "url"

    def __call__(self, batch: Mapping[str, list]) -> dict[str, list]:
        if self.text_column not in batch:
            raise KeyError(f"no column {self.text_column!r} (the columns: {', '.join(batch)}); set text_column")
        texts = batch[self.text_column]
        if isinstance(texts, str):
            raise TypeError("boilerline columns are made a batch at a time: call Dataset.map with batched=True")
        urls = batch[self.url_column] if self.url_column is not None and self.url_column in batch else [None] * len(texts)
        pages = []
        for row, (text, url) in enumerate(zip(texts, urls)):
            if not isinstance(text, str):
                raise TypeError(f"column {self.text_column!r}: row {row} of the batch is {type(text).__name__}, not a string")
            pages.append(self.classifier.page(str(row), text, url))
        classified = self.classifier.classify(pages)
        return {
            CONTENT_TEXT_COLUMN: [page.content_text for page in classified],
            LINE_LABELS_COLUMN: [page.labels for page in classified],
            LINE_P_CONTENT_COLUMN: [page.p_content for page in classified],
        }


# The function with the default settings: a "text" column, HTML or text told apart, the
# shipped model.
boilerline_columns = BoilerlineColumns()
