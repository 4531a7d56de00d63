"""The pages the browser has open: read, classified, and saved with the labels a person set.

A page stays here, under a random token, from the moment it is shown until it is saved (or
pushed out by newer pages), so that saving sends only the labels back: the lines, link
counts and HTML structure written to the saved page are those the model saw, not whatever
a request claims they were.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass, replace
from pathlib import Path

from classifier.formats.records import ENCODING
from classifier.io import HTML_SUFFIXES, page_of_bytes
from classifier.labeled import LABELED_BY_HAND, InputError, read_labeled_pages, write_labeled_pages
from classifier.limits import TRUNCATED, Limits
from classifier.page import Page
from classifier.pipeline import loaded_model
from classifier.serve.folders import MULTI_PAGE_SUFFIXES, existing_file, inside, saved_name
from classifier.serve.model_choice import model_path
from classifier.serve.options import ServeOptions

# Pages held for saving. A browser tab shows one page at a time; a page pushed out is opened
# again to be saved.
MAX_OPEN_PAGES = 64
# The dataset of a saved page that names none: the scores of a model trained on it group
# its lines under this name.
CORRECTED_DATASET = "corrected"


class UnknownPage(LookupError):
    """A token of a page that is not (or no longer) open."""


class TooLarge(ValueError):
    """A file to open over the size limit of request bodies."""


@dataclass(frozen=True)
class OpenPage:
    """A page as shown, and the saved file it was opened from (where it is saved again)."""

    page: Page
    saved_as: Path | None = None


class Workspace:
    def __init__(self, options: ServeOptions) -> None:
        self.options = options
        self._open: OrderedDict[str, OpenPage] = OrderedDict()
        self._lock = threading.Lock()

    def open_text(self, text: str, *, html: bool, model_key: str) -> dict:
        """A pasted page; its id is a hash of its text, so pasting it again saves to the same file."""
        data = text.encode("utf-8", errors="replace")
        page_id = "pasted-" + hashlib.sha256(data).hexdigest()[:12]
        return self._show(OpenPage(page_of_bytes(data, page_id, html=html)), model_key)

    def open_file(self, folder_index: int, name: str, model_key: str) -> dict:
        """A text or HTML file of the ``folder_index``-th --open folder."""
        if not 0 <= folder_index < len(self.options.open_dirs):
            raise FileNotFoundError(f"folder {folder_index}: no such --open folder")
        folder = self.options.open_dirs[folder_index]
        path = existing_file(folder, name)
        if path.name.lower().endswith(MULTI_PAGE_SUFFIXES):
            raise InputError(name, "holds many pages; open a text or HTML file (one page)")
        size = path.stat().st_size
        if size > self.options.max_body_bytes:
            raise TooLarge(f"{name}: {size:,} bytes, over the limit of {self.options.max_body_bytes:,} (--max-body-bytes)")
        page_id = f"{folder.name}/{name}"
        return self._show(OpenPage(page_of_bytes(path.read_bytes(), page_id, html=path.suffix.lower() in HTML_SUFFIXES)), model_key)

    def open_saved(self, name: str, model_key: str) -> dict:
        """A page saved in the pages folder, with the labels it was saved with."""
        path = existing_file(self.options.pages, name)
        pages = list(read_labeled_pages(path))
        if len(pages) != 1:
            raise InputError(name, f"holds {len(pages)} pages; the pages folder keeps one page per file, as they are saved")
        return self._show(OpenPage(pages[0], saved_as=path), model_key)

    def save(self, token: str, labels: list) -> str:
        """Save the open page with ``labels`` (null exactly on blank lines), flagged as labeled
        by hand; return the saved file's name in the pages folder."""
        with self._lock:
            if token not in self._open:
                raise UnknownPage("this page is no longer held by the server; open it again")
            opened = self._open[token]
        page = opened.page
        corrected = replace(page, labels=labels, dataset=page.dataset or CORRECTED_DATASET, extra={LABELED_BY_HAND: True})
        path = opened.saved_as or inside(self.options.pages, saved_name(page.page_id))
        write_labeled_pages([corrected], path)
        with self._lock:
            self._open[token] = replace(opened, saved_as=path)
        return path.name

    def _show(self, opened: OpenPage, model_key: str) -> dict:
        """The page classified with the chosen model, kept under a new token: what the browser shows."""
        page = Limits().apply(opened.page)
        predictor = loaded_model(model_path(self.options, model_key), False)
        predictions = predictor.predict_pages([page])[0]
        token = secrets.token_urlsafe(16)
        with self._lock:
            self._open[token] = opened
            while len(self._open) > MAX_OPEN_PAGES:
                self._open.popitem(last=False)
        labels = page.labels or [label for label, _ in predictions]
        return {
            "token": token,
            "id": page.page_id,
            "model": model_key,
            "threshold": predictor.threshold,
            "saved_as": opened.saved_as.name if opened.saved_as else None,
            "notes": notes(page),
            "lines": [
                {"text": line, "label": label, "model_label": model_label, "p_content": p_content}
                for line, label, (model_label, p_content) in zip(page.lines, labels, predictions)
            ],
        }


def notes(page: Page) -> list[str]:
    """What the browser should say about how the page was read: its encoding, what the limits cut."""
    said = []
    if ENCODING in page.extra:
        said.append(f"not UTF-8, read as {page.extra[ENCODING]}")
    cut = page.extra.get(TRUNCATED)
    if cut:
        said.append(f"too long: {cut['lines_dropped']:,} line(s) dropped at the end, {cut['lines_cut']:,} line(s) cut short")
    return said
