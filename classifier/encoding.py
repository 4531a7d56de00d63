"""Bytes -> text for pages read from files, and the encoding that was assumed.

Tried in this order, the most trustworthy first:

1. a byte-order mark (UTF-8, UTF-16, UTF-32);
2. UTF-8, when the bytes are valid UTF-8: legacy text with non-ASCII letters almost never
   is, while pages that declare a legacy charset but are UTF-8 are common (stale templates);
   and an ASCII page declaring ISO-8859-1 is then not reported as read in another encoding;
3. for HTML, the charset a ``<meta>`` declares within the first 1024 bytes (where browsers
   look for it), unless the bytes do not decode with it;
4. uchardet's guess (Resiliparse's ``detect_encoding``), when the bytes decode with it;
5. charset-normalizer's best guess;
6. UTF-8 with the undecodable bytes replaced (``UNDECODABLE``).

Why uchardet before charset-normalizer (``python bench/encodings.py`` gives the numbers): on
the 28 Arabic pages of ``../shared/data/arabic.jsonl.gz``, encoded in windows-1256 and in
ISO-8859-6 with their declarations removed, uchardet read every page right, as text, as its
first three lines and as HTML, but for one ISO-8859-6 HTML page where it gave up;
charset-normalizer missed 6 and 8 of the HTML pages and 10 and 20 of the three-line texts.
On German, French, Spanish, Polish, Russian, Greek, Chinese and Japanese pages in their
legacy encodings it was not better either (far worse on Spanish and French HTML), except on
windows-1253 Greek HTML, which uchardet took for ISO-8859-7 (two letters differ). Where
uchardet gives up, though, charset-normalizer beats the fixed fallback list it replaces here
(windows-1256, then windows-1252), which read every such page as windows-1256, German
umlauts included.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator

from charset_normalizer import from_bytes
from resiliparse.parse.encoding import detect_encoding, map_encoding_to_html5

UTF8 = "utf-8"
# The name reported when nothing decoded the bytes cleanly: not a codec name, a warning.
UNDECODABLE = "utf-8 (undecodable bytes replaced)"

# The HTML standard's prescan looks for a <meta> charset in the first 1024 bytes.
META_SCAN_BYTES = 1024
_META_CHARSET = re.compile(rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# Longest first: the UTF-32 LE mark begins with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, UTF8),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode(data: bytes, *, html: bool = False) -> tuple[str, str]:
    """The text of ``data`` and the name of the encoding it was read in (a Python codec
    name such as ``utf-8``, ``cp1256``, ``iso8859-6``, or ``UNDECODABLE``)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(encoding, errors="replace"), encoding
    for encoding in _strict_candidates(data, html):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            pass
    best = from_bytes(data).best()
    if best is not None:
        return str(best), codecs.lookup(best.encoding).name
    return data.decode(UTF8, errors="replace"), UNDECODABLE


def _strict_candidates(data: bytes, html: bool) -> Iterator[str]:
    """Steps 2 to 4, each tried only when the one before did not decode the bytes."""
    yield UTF8
    declared = declared_charset(data) if html else None
    if declared is not None:
        yield declared
    yield codecs.lookup(detect_encoding(data)).name


def declared_charset(html: bytes) -> str | None:
    """The codec name of the charset an HTML ``<meta>`` declares, or None.

    Labels are read as browsers read them (``iso-8859-1`` means windows-1252). A declared
    UTF-16 is ignored: a page that states its encoding in ASCII bytes is not UTF-16 (the HTML
    standard reads it as UTF-8, which is tried first anyway).
    """
    match = _META_CHARSET.search(html[:META_SCAN_BYTES])
    if match is None:
        return None
    encoding = codecs.lookup(map_encoding_to_html5(match.group(1).decode("ascii"))).name
    return None if encoding.startswith("utf-16") else encoding
