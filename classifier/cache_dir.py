"""Where boilerline keeps what it can rebuild: ``$BOILERLINE_CACHE``, else ``~/.cache/boilerline``.

Training caches its labeled pages there (``training/labeled_cache.py``), prediction the
language profiles as arrays (``classifier/langdetect_batch.py``).
"""

from __future__ import annotations

import os
from pathlib import Path

CACHE_DIR_ENV = "BOILERLINE_CACHE"
DEFAULT_CACHE_DIR = Path("~/.cache/boilerline")


def resolve_cache_dir(path: str | Path | None = None) -> Path:
    """``path``, else ``$BOILERLINE_CACHE``, else ``~/.cache/boilerline``."""
    chosen = path or os.environ.get(CACHE_DIR_ENV) or DEFAULT_CACHE_DIR
    return Path(chosen).expanduser()
