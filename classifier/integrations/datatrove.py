"""boilerline as a datatrove pipeline step: each document's text becomes its content lines.

Put ``BoilerlineFilter`` after a reader (``WarcReader`` gives the HTML of each response,
``JsonlReader`` or a WET reader plain text) and before the writer. It is a datatrove filter,
so it runs as its filters do: documents come in batches of ``batch_size`` (the model featurizes
a batch at once, and counts site repetition within it unless the corpus was counted
beforehand), every document is counted in the step's stats, and a dropped one is counted
under its reason and written to the ``exclusion_writer`` when there is one.

A document is kept when its content lines hold at least ``min_content_chars`` characters.
Characters, not the content share: a long article on a page heavy with menus has a small
share and is worth keeping, while a page of one short content line is not, whatever its
share. The share is in the metadata for a later filter to use.

The step holds only its settings: datatrove pickles it to each worker, which loads the model
on its first batch (``classifier.pipeline.loaded_model``, once per process).
"""

from __future__ import annotations

from datatrove.data import Document
from datatrove.pipeline.filters.base_filter import BaseFilter
from datatrove.pipeline.writers.disk_base import DiskWriter

from classifier.integrations.texts import TextClassifier
from classifier.limits import DEFAULT_BATCH_PAGES

# Keys of ``Document.metadata``. Labels and probabilities are per line of the page (the
# rendered lines of HTML, the lines of a text), None on blank lines, as in the JSONL output.
LABELS_KEY = "boilerline_labels"
P_CONTENT_KEY = "boilerline_p_content"
CONTENT_CHARS_KEY = "boilerline_content_chars"
CONTENT_SHARE_KEY = "boilerline_content_share"
# Set only on a page the limits cut: {"lines_dropped", "lines_cut"} (``classifier.limits``).
TRUNCATED_KEY = "boilerline_truncated"
# The drop reason; the step's stats count it as ``dropped_too_little_content``.
TOO_LITTLE_CONTENT = "too_little_content"
# By default only a document without a single content character is dropped: it has no text
# left. A higher floor is a corpus's own choice.
DEFAULT_MIN_CONTENT_CHARS = 1


class BoilerlineFilter(BaseFilter):
    """Rewrites each document's text to its content lines and drops the documents with fewer
    than ``min_content_chars`` content characters.

    A kept document's text is the page's content lines, one blank line where the page had
    blank lines between them; its metadata gains the per-line labels and p(content), the
    content characters and the content share (the ``*_KEY`` constants). A dropped document
    keeps its text as it came, so that the exclusion writer has what was judged.

    ``classifier``: how texts are read and classified (``TextClassifier``: input format, model,
    threshold, limits, whole-corpus site counts). The document's ``metadata["url"]`` (set by
    datatrove's readers when known) gives the page's site.
    """

    name = "🧹 boilerline"

    def __init__(
        self, classifier: TextClassifier = TextClassifier(), *, min_content_chars: int = DEFAULT_MIN_CONTENT_CHARS,
        batch_size: int = DEFAULT_BATCH_PAGES, exclusion_writer: DiskWriter | None = None,
    ) -> None:
        if min_content_chars < 0:
            raise ValueError(f"min_content_chars must be 0 or more, not {min_content_chars}")
        super().__init__(exclusion_writer, batch_size)
        self.classifier = classifier
        self.min_content_chars = min_content_chars

    def filter(self, doc: Document) -> bool | tuple[bool, str]:
        return self.filter_batch([doc])[0]

    def filter_batch(self, batch: list[Document]) -> list[bool | tuple[bool, str]]:
        pages = [self.classifier.page(doc.id, doc.text, doc.metadata.get("url")) for doc in batch]
        results = []
        for doc, classified in zip(batch, self.classifier.classify(pages)):
            doc.metadata[LABELS_KEY] = classified.labels
            doc.metadata[P_CONTENT_KEY] = classified.p_content
            doc.metadata[CONTENT_CHARS_KEY] = classified.content_chars
            doc.metadata[CONTENT_SHARE_KEY] = classified.content_share
            if classified.truncated:
                doc.metadata[TRUNCATED_KEY] = classified.truncated
                self.stat_update("truncated")
            if classified.content_chars < self.min_content_chars:
                results.append((False, TOO_LITTLE_CONTENT))
                continue
            doc.text = classified.content_text
            results.append(True)
        return results
