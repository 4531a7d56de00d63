"""Where the public gold datasets live, how to read them, and which site each page is from.

The data directory holds one ``<dataset>.jsonl.gz`` per dataset (see ``shared/data/README.md``).
``site_of`` gives the group key for site-grouped cross-validation: pages of one site must not
be split between train and test, or the model is scored on templates it has memorised.
"""

from __future__ import annotations

import gzip
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

from classifier.formats.records import host_of

DATA_DIR_ENV = "BOILERLINE_DATA"

# <project root>/../shared/data: the layout of the workspace the datasets were prepared in.
DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "data"

# Canonical links and og:url sit in <head>; 50 KB covers the heads of all pages in the sets
# (long inline scripts and styles included) without scanning multi-megabyte bodies.
HEAD_SCAN_CHARS = 50_000

_CANONICAL_URL_PATTERNS = (
    re.compile(r"""<link\b[^>]*\brel=["']?canonical["']?[^>]*\bhref=["']?([^"'\s>]+)""", re.I),
    re.compile(r"""<link\b[^>]*\bhref=["']?([^"'\s>]+)["']?[^>]*\brel=["']?canonical\b""", re.I),
    re.compile(r"""<meta\b[^>]*\bproperty=["']?og:url["']?[^>]*\bcontent=["']?([^"'\s>]+)""", re.I),
    re.compile(r"""<meta\b[^>]*\bcontent=["']?([^"'\s>]+)["']?[^>]*\bproperty=["']?og:url\b""", re.I),
)


def resolve_data_dir(path: str | Path | None = None) -> Path:
    """The data directory: ``path``, else ``$BOILERLINE_DATA``, else ``../shared/data``."""
    if path:
        data_dir, source = Path(path), "the given path"
    elif os.environ.get(DATA_DIR_ENV):
        data_dir, source = Path(os.environ[DATA_DIR_ENV]), f"${DATA_DIR_ENV}"
    else:
        data_dir, source = DEFAULT_DATA_DIR, "the default location"
    if not data_dir.is_dir():
        raise FileNotFoundError(
            f"data directory {data_dir} ({source}) not found; pass a path or set {DATA_DIR_ENV}"
        )
    return data_dir


def dataset_files(data_dir: str | Path) -> list[Path]:
    """The dataset files of a data directory, sorted by name."""
    return sorted(Path(data_dir).glob("*.jsonl.gz"))


def dataset_name(path: Path) -> str:
    """``cleaneval`` for ``.../cleaneval.jsonl.gz``."""
    return path.name.removesuffix(".jsonl.gz")


def iter_records(path: str | Path) -> Iterator[dict]:
    """Yield the records of a ``.jsonl.gz`` dataset file."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for raw in handle:
            if raw.strip():
                yield json.loads(raw)


def count_records(path: str | Path) -> int:
    """The number of records in a ``.jsonl.gz`` file, without parsing them."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return sum(1 for raw in handle if raw.strip())


def canonical_url(html: str | None) -> str | None:
    """The page's own URL as its ``<head>`` declares it (canonical link or og:url)."""
    if not html:
        return None
    head = html[:HEAD_SCAN_CHARS]
    for pattern in _CANONICAL_URL_PATTERNS:
        match = pattern.search(head)
        if match and match.group(1).lower().startswith(("http://", "https://", "//")):
            return match.group(1)
    return None


def site_of(record: dict) -> str:
    """The site a record comes from, as a group key for cross-validation.

    The dataset's ``site`` if given, else the host of ``url``, else the host of the canonical
    URL in the HTML; a page whose site cannot be found is its own group (``dataset:id``).
    """
    site = (record.get("site") or "").strip()
    if site:
        return site.removeprefix("www.")
    host = host_of(record.get("url")) or host_of(canonical_url(record.get("html")))
    if host:
        return host
    return f"{record.get('dataset')}:{record.get('id')}"
