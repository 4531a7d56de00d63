"""Cache of labeled pages per dataset, so retraining does not re-render and re-align.

Files are ``<cache_dir>/<dataset>.<digest12>.jsonl.gz`` in the labeled-page format of
``classifier.labeled`` (partial-snippet pages carry its ``scored`` field).

The digest covers the source file's size and modification time and the labeler version, so
editing the data or the labeling rules makes a new cache file instead of reusing a stale one.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

CACHE_DIR_ENV = "BOILERLINE_CACHE"
DEFAULT_CACHE_DIR = Path("~/.cache/boilerline")

DIGEST_CHARS = 12


def resolve_cache_dir(path: str | Path | None = None) -> Path:
    """``path``, else ``$BOILERLINE_CACHE``, else ``~/.cache/boilerline``."""
    chosen = path or os.environ.get(CACHE_DIR_ENV) or DEFAULT_CACHE_DIR
    return Path(chosen).expanduser()


def cache_path(cache_dir: Path, source: Path, dataset: str, labeler_version: str) -> Path:
    """Where the labeled pages of ``source`` are cached."""
    stat = source.stat()
    key = f"{stat.st_size}:{stat.st_mtime_ns}:{labeler_version}"
    digest = hashlib.sha256(key.encode()).hexdigest()[:DIGEST_CHARS]
    return cache_dir / f"{dataset}.{digest}.jsonl.gz"
