"""Cache of the baselines' extractions, so that a rerun of the benchmark after a retrain does
not run every extractor on every page again (about 25 minutes for ../shared/data).

An extraction is keyed by the extractor, its package's installed version, the page language
it was given and the sha256 of the HTML: a new version of trafilatura, or an edited page,
misses the cache. The time the extractor took is kept with its text, so the speed columns of a
rerun are those measured when the extraction ran (on this machine: the cache lives in the
cache folder, ``classifier.cache_dir``). A failed extraction is kept as failed; a timeout is
not kept, since it may come from a busy machine.

SQLite (the standard library's) holds it: safe for two processes at once, one file.
"""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import astuple, dataclass
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

FILE_NAME = "extractions.sqlite"
# The distribution that installs each extractor's import package, for its version.
DISTRIBUTIONS = {"readability": "readability-lxml", "justext": "jusText"}
# Seconds a writer waits for another process's write to end.
LOCK_TIMEOUT_SECONDS = 60.0


@dataclass(frozen=True)
class CachedExtraction:
    """An extractor's text of a page (empty when it failed), the seconds it took and the
    reason it failed (None when it did not)."""

    text: str
    seconds: float
    failure: str | None


class ExtractionCache:
    """Extractions by (extractor, version, language, HTML digest), in one SQLite file."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._connection = sqlite3.connect(path, timeout=LOCK_TIMEOUT_SECONDS)
        with self._connection:
            self._connection.execute(
                "CREATE TABLE IF NOT EXISTS extraction (extractor TEXT, version TEXT, lang TEXT, html_sha256 TEXT,"
                " text TEXT, seconds REAL, failure TEXT, PRIMARY KEY (extractor, version, lang, html_sha256))"
            )

    @classmethod
    def in_folder(cls, folder: Path) -> ExtractionCache:
        return cls(folder / FILE_NAME)

    def get(self, key: tuple[str, str, str, str]) -> CachedExtraction | None:
        """The extraction kept under ``key`` (``extraction_key``), else None."""
        row = self._connection.execute(
            "SELECT text, seconds, failure FROM extraction WHERE extractor = ? AND version = ? AND lang = ? AND html_sha256 = ?",
            key,
        ).fetchone()
        return CachedExtraction(*row) if row else None

    def put(self, key: tuple[str, str, str, str], extraction: CachedExtraction) -> None:
        with self._connection:
            self._connection.execute("INSERT OR REPLACE INTO extraction VALUES (?, ?, ?, ?, ?, ?, ?)", (*key, *astuple(extraction)))


def html_digest(html: str) -> str:
    """The sha256 of a page's HTML, as extractions are keyed by it."""
    return hashlib.sha256(html.encode("utf-8", "surrogatepass")).hexdigest()


def extraction_key(name: str, package: str, digest: str, lang: str | None) -> tuple[str, str, str, str]:
    """The cache key of extractor ``name`` (from ``package``) run for language ``lang`` on the
    HTML of sha256 ``digest`` (``html_digest``)."""
    return name, package_version(package), lang or "", digest


@lru_cache(maxsize=None)
def package_version(package: str) -> str:
    """The installed version of an extractor's package ("" when it cannot be told)."""
    try:
        return version(DISTRIBUTIONS.get(package, package))
    except PackageNotFoundError:
        return ""
