"""Labeled pages from whatever the user points at: labeled-page JSONL, annotation files
(``classifier.annotation``), HTML+gold dataset files (labeled on the fly by
``training.labeling``, cached), or folders of them.

A file is an annotation file when its first non-empty line is a page header (``### ...``),
whatever its name; else it is JSONL, a dataset when its first record has ``html`` and a gold
(a ``gold`` text, or hand labels marked by ``gold_type``). A labeled page may carry its
``html`` too. Folders are searched for ``*.jsonl``, ``*.jsonl.gz`` and ``*.annotated.txt``.

The pages do not hold their HTML (the shared datasets have about 1 GB of it); ``html_records``
reads it again, page by page, for whoever needs it (the HTML baselines).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from classifier.annotation import ANNOTATION_PATTERN, is_annotation_file, read_annotated_pages
from classifier.labeled import InputError, open_text, pages_of_jsonl, read_labeled_pages, record_page_id
from classifier.page import Page
from training.datasets import dataset_name, iter_records
from training.labeling import HAND_LABELED, build_labeled_pages, page_id_of

DATA_PATTERNS = ("*.jsonl", "*.jsonl.gz", ANNOTATION_PATTERN)


def is_gold_dataset(path: Path) -> bool:
    """True when the file's records carry raw HTML with a gold text to label from."""
    try:
        with open_text(path) as handle:
            first = next((line for line in handle if line.strip()), "")
        record = json.loads(first) if first else {}
    except (OSError, EOFError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError(path, f"not a readable JSONL file ({error})") from None
    if not isinstance(record, dict) or "html" not in record:
        return False
    return "gold" in record or record.get("gold_type") == HAND_LABELED


def expand(paths: Sequence[Path]) -> list[Path]:
    """Files named directly, and the JSONL and annotation files inside named folders."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted({file for pattern in DATA_PATTERNS for file in path.glob(pattern)})
            if not found:
                raise InputError(path, "folder holds no .jsonl, .jsonl.gz or .annotated.txt files")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise InputError(path, "no such file or folder")
    return files


def load_pages(paths: Sequence[Path], progress: Callable[[str], None] | None = None) -> list[Page]:
    """All labeled pages of ``paths``, in order."""
    pages: list[Page] = []
    for file in expand(paths):
        annotation = is_annotation_file(file)
        if not annotation and is_gold_dataset(file):
            file_pages, counts = build_labeled_pages(file.parent, datasets=[dataset_name(file)])
            for count in counts.values():
                if progress:
                    source = "cache" if count.from_cache else "labeled now"
                    progress(f"{file}: {count.converted} pages ({source}), {count.skipped} skipped")
        else:
            file_pages = list(read_annotated_pages(file) if annotation else read_labeled_pages(file))
            for page in file_pages:
                page.dataset = page.dataset or file.name.split(".")[0]
            if progress:
                progress(f"{file}: {len(file_pages)} labeled pages")
        pages.extend(file_pages)
    if not pages:
        raise InputError(", ".join(map(str, paths)), "no labeled pages")
    return pages


def html_records(paths: Sequence[Path]) -> Iterator[tuple[str, str]]:
    """(page id, HTML) of every record of ``paths`` that has HTML, ids as ``load_pages``
    gives them, in file order and one record in memory at a time. Annotation files have none."""
    for file in expand(paths):
        if is_annotation_file(file):
            continue
        if is_gold_dataset(file):
            pairs = ((page_id_of(record), record.get("html")) for record in iter_records(file))
        else:
            pairs = _labeled_html(file)
        yield from ((page_id, html) for page_id, html in pairs if html)


def _labeled_html(file: Path) -> Iterator[tuple[str, str | None]]:
    with open_text(file) as handle:
        yield from pages_of_jsonl(handle, str(file), lambda record, where: (record_page_id(record, where), record.get("html")))
