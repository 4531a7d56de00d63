"""The annotation file: labeled pages as plain text that a person corrects in any editor.

    ### seeds/000_fccc882e8405e502.txt
    # lang: ar
    # kind: latin-content-arabic-chrome
    -|الرئيسية
     |
    C|The minister said on Monday that the budget would grow.

A page starts at a line ``### <page id>``. The ``# key: value`` lines right after it say what
is known of the page (``HEADER_KEYS``). Then comes one line per line of the page: a marker,
``C|`` content, ``-|`` chrome or `` |`` blank, followed by the page's line exactly as it is.
Every marker is two characters wide, so the text starts in the same column on every line,
and no marker begins with ``#``, so a header is never taken for a line of the page. Empty
lines are ignored (an editor's final newline, a spacer between pages). To correct a label,
change its marker. Lines holding a line break (possible in JSONL input) cannot be written.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from classifier.labeled import LABELED_BY_HAND, OPTIONAL_FIELDS, InputError, Location, open_text
from classifier.page import CHROME, CONTENT, Page, is_blank

PAGE_START = "###"
HEADER_START = "#"
MARKERS = {CONTENT: "C|", CHROME: "-|", None: " |"}
LABEL_OF_MARKER = {marker: label for label, marker in MARKERS.items()}
# The labeled format's optional fields that are one string (link counts are not kept).
HEADER_KEYS = tuple(name for name in OPTIONAL_FIELDS if name != "link_chars")
# Where ``--data`` folders are searched for annotation files (files named directly are
# recognised by their first line, see ``is_annotation_file``).
ANNOTATION_PATTERN = "*.annotated.txt"


def format_page(page: Page, labels: Sequence[str | None]) -> str:
    """The annotation text of one page, its lines marked with ``labels``.

    Raises ValueError when the page id, a header value or a line holds a line break: it
    would not read back as one line.
    """
    header = [f"{PAGE_START} {page.page_id}"]
    header += [f"{HEADER_START} {key}: {getattr(page, key)}" for key in HEADER_KEYS if getattr(page, key)]
    body = [MARKERS[label] + line for line, label in zip(page.lines, labels)]
    for i, text in enumerate(header + body):
        if "\n" in text or "\r" in text:
            where = "its header" if i < len(header) else f"line {i - len(header) + 1}"
            raise InputError(page.page_id, f"{where} holds a line break, which an annotation file cannot keep")
    return "\n".join(header + body) + "\n"


def is_annotation_file(path: Path) -> bool:
    """True when the file's first non-empty line is a page header (``### ...``)."""
    try:
        with open_text(path) as handle:
            first = next((line for line in handle if line.strip()), "")
    except (OSError, EOFError, UnicodeDecodeError):
        return False
    return first.removeprefix("\ufeff").startswith(PAGE_START)


def read_annotated_pages(path: str | Path) -> Iterator[Page]:
    """The labeled pages of an annotation file; a malformed line raises InputError naming
    ``file:line``."""
    path = Path(path)
    try:
        with open_text(path) as handle:  # universal newlines: an editor's CRLF reads as LF
            text = handle.read().removeprefix("\ufeff")
    except (OSError, EOFError, UnicodeDecodeError) as error:
        raise InputError(path, f"unreadable ({error})") from None
    page: dict | None = None
    for line_no, line in enumerate(text.split("\n"), start=1):
        where = Location(str(path), f"line {line_no}")
        if not line:
            continue
        if line.startswith(PAGE_START):
            if page is not None:
                yield Page(**page)
            page = {"page_id": line[len(PAGE_START):].strip() or str(where), "lines": [], "labels": [], "extra": {LABELED_BY_HAND: True}}
        elif page is None:
            raise InputError(where, f"text before the first page header ('{PAGE_START} <page id>')")
        elif line.startswith(HEADER_START):
            if page["lines"]:
                raise InputError(where, f"header line inside a page; headers go right after the '{PAGE_START}' line")
            key, value = _header(line, where)
            page[key] = value
        else:
            label, page_line = _marked_line(line, where)
            page["lines"].append(page_line)
            page["labels"].append(label)
    if page is not None:
        yield Page(**page)


def _header(line: str, where: Location) -> tuple[str, str | None]:
    key, colon, value = line[len(HEADER_START):].partition(":")
    key = key.strip()
    if not colon or key not in HEADER_KEYS:
        raise InputError(where, f"header must be '{HEADER_START} key: value' with key one of {', '.join(HEADER_KEYS)}")
    return key, value.strip() or None


def _marked_line(line: str, where: Location) -> tuple[str | None, str]:
    marker, text = line[:2], line[2:]
    if marker not in LABEL_OF_MARKER:
        raise InputError(where, f"unknown marker {marker!r}; a page line starts with 'C|' (content), '-|' (chrome) or ' |' (blank)")
    label = LABEL_OF_MARKER[marker]
    if label is None and not is_blank(text):
        raise InputError(where, "blank marker ' |' on a line with text; mark it 'C|' or '-|'")
    if label is not None and is_blank(text):
        raise InputError(where, f"marker {marker!r} on a blank line; mark it ' |'")
    return label, text
