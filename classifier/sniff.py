"""Telling files that are not pages (images, archives, PDFs, executables) from text.

A crawl folder or a mis-named download holds such files; read as text they would give a
page of noise, so they are rejected with a message naming what they look like. The
signatures are puremagic's; which formats are never pages is decided here. Text that
happens to begin with a signature (a page starting "From ", say) is not affected: only
signatures of four bytes or more, of formats in NOT_PAGES, count.
"""

from __future__ import annotations

import puremagic

# Extensions (as puremagic names them) of formats that are never a text or HTML page.
NOT_PAGES = frozenset({
    ".png", ".jpg", ".gif", ".webp", ".bmp", ".tif", ".ico", ".zip", ".gz", ".bz2", ".xz", ".7z",
    ".rar", ".zst", ".tar", ".pdf", ".ps", ".doc", ".xls", ".exe", ".elf", ".class", ".mp3", ".mp4",
    ".ogg", ".wav", ".avi", ".woff", ".woff2", ".ttf", ".otf", ".sqlite", ".parquet", ".pyc",
})
MIN_SIGNATURE_BYTES = 4
# The head of a file that is looked at.
HEAD_BYTES = 8192
# Text with more C0 control characters than this share (tabs, line and page breaks and
# escape aside) is binary data read as text.
MAX_CONTROL_SHARE = 0.05
_TEXT_CONTROLS = frozenset("\t\n\v\f\r\x1b")


def not_a_page(data: bytes, text: str) -> str | None:
    """What ``data`` (read as ``text``) looks like when it is not a page ("a .png file",
    "binary data"), or None when it can be a text or HTML page."""
    kind = _signature(data[:HEAD_BYTES])
    if kind is not None:
        return f"a {kind} file"
    head = text[:HEAD_BYTES]
    controls = sum(1 for char in head if char < " " and char not in _TEXT_CONTROLS)
    if head and controls / len(head) > MAX_CONTROL_SHARE:
        return "binary data"
    return None


def _signature(head: bytes) -> str | None:
    if not head:
        return None
    try:
        matches = puremagic.magic_string(head)
    except (puremagic.PureError, ValueError):
        return None
    for match in matches:
        if match.offset == 0 and len(match.byte_match) >= MIN_SIGNATURE_BYTES and match.extension in NOT_PAGES:
            return match.extension
    return None
