"""Cache of labeled pages per dataset, so retraining does not re-render and re-align.

Files are ``<cache_dir>/<dataset>.<digest12>.jsonl.gz`` in the labeled-page format of
``classifier.labeled`` (partial-snippet pages carry its ``scored`` field).

The digest covers the source file's bytes and the labeler version, so editing the data or the
labeling rules makes a new cache file instead of reusing a stale one, while a fresh copy of
the same data (a new checkout, a CI mount: new modification times) still finds its cache.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

DIGEST_CHARS = 12
HASH_CHUNK_BYTES = 1 << 20


def cache_path(cache_dir: Path, source: Path, dataset: str, labeler_version: str) -> Path:
    """Where the labeled pages of ``source`` are cached (hashing ../shared/data takes ~0.5 s)."""
    digest = hashlib.sha256(f"labeler {labeler_version}\n".encode())
    with open(source, "rb") as handle:
        for chunk in iter(lambda: handle.read(HASH_CHUNK_BYTES), b""):
            digest.update(chunk)
    return cache_dir / f"{dataset}.{digest.hexdigest()[:DIGEST_CHARS]}.jsonl.gz"
