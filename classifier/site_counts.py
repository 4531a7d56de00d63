"""Whole-input site repetition: on how many of its site's pages each line occurs.

A site's menus and footers repeat on its pages, so the share of the site's other pages that
hold a line is one of the strongest chrome cues. Within one batch of pages it undercounts: a
batch of 256 pages of a crawl holds a few pages of each site. For a whole input the counting
is a pass of its own, before classifying:

- map: ``SiteCounts.of_pages`` over a shard of pages; a line is its 64-bit fingerprint (a hash
  of the site and the normalized line, the key the features compare lines by), counted once
  per page;
- reduce: ``merge`` adds counts of shards, in any order and grouping, to the same result;
- ``pruned`` drops fingerprints seen on one page only (most lines of any crawl: the article
  text) once all shards are merged, as an absent fingerprint counts as one page anyway.

Memory is 12 bytes per distinct (site, line) of the input in numpy arrays, not Python objects,
and only repeated lines survive pruning.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from classifier._line_text import site_fingerprints
from classifier.atomic import atomic_output
from classifier.page import Page
from classifier.text import line_fingerprints


def page_fingerprints(site: str, lines: Sequence[str]) -> np.ndarray:
    """The distinct fingerprints of a page's non-blank lines, sorted."""
    return np.unique(line_fingerprints(site, lines))


def fingerprints(sites: Sequence[str], keys: Sequence[str]) -> np.ndarray:
    """The fingerprint of each (site, ``normalize_line`` key) pair: a stable 64-bit hash (the
    same in every process, unlike ``hash``), compiled (``_line_text.site_fingerprints``)."""
    return site_fingerprints(sites, keys)


# Names the fingerprint function in saved counts: counts saved with another are not comparable.
FINGERPRINTS = "murmurhash64a-utf32le"


@dataclass
class SiteCounts:
    """Pages per site, and per line fingerprint the pages of its site that hold the line.

    ``keys`` is sorted and unique, ``counts`` beside it. Pages without a site are not counted:
    their lines can repeat only within the page.
    """

    site_pages: Counter = field(default_factory=Counter)
    keys: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.uint64))
    counts: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.uint32))

    @classmethod
    def of_pages(cls, pages: Iterable[Page]) -> SiteCounts:
        site_pages: Counter = Counter()
        chunks: list[np.ndarray] = []
        for page in pages:
            if not page.site:
                continue
            site_pages[page.site] += 1
            chunks.append(page_fingerprints(page.site, page.lines))
        keys, counts = np.unique(np.concatenate(chunks) if chunks else np.zeros(0, np.uint64), return_counts=True)
        return cls(site_pages, keys, counts.astype(np.uint32))

    def merge(self, other: SiteCounts) -> SiteCounts:
        keys = np.concatenate([self.keys, other.keys])
        counts = np.concatenate([self.counts, other.counts])
        merged, inverse = np.unique(keys, return_inverse=True)
        return SiteCounts(self.site_pages + other.site_pages, merged, np.bincount(inverse, weights=counts).astype(np.uint32))

    def pruned(self) -> SiteCounts:
        repeated = self.counts > 1
        return SiteCounts(self.site_pages, self.keys[repeated], self.counts[repeated])

    def pages_of(self, site: str) -> int:
        return self.site_pages.get(site, 0)

    def save(self, path: str | os.PathLike) -> None:
        """Write the counts to ``path`` (atomically) as named arrays (``.npz``), so that a
        pipeline that counted a whole corpus can hand them to the steps that classify it
        (``load``). Site names are one UTF-8 buffer and their lengths: a fixed-width string
        array would take the longest name's width for every site of a crawl."""
        names = [site.encode("utf-8", "surrogatepass") for site in self.site_pages]
        with atomic_output(path) as tmp, open(tmp, "wb") as out:
            np.savez(
                out, site_names=np.frombuffer(b"".join(names), dtype=np.uint8),
                site_name_lengths=np.array([len(name) for name in names], dtype=np.int64),
                site_pages=np.array(list(self.site_pages.values()), dtype=np.int64), keys=self.keys, counts=self.counts,
                fingerprints=np.array(FINGERPRINTS),
            )

    @classmethod
    def load(cls, path: str | os.PathLike) -> SiteCounts:
        """Counts written by ``save``; read without pickle, so loading a file runs no code."""
        try:
            with np.load(path, allow_pickle=False) as arrays:
                if "fingerprints" not in arrays or str(arrays["fingerprints"]) != FINGERPRINTS:
                    raise ValueError("its lines were fingerprinted by another version of boilerline; count them again")
                buffer = arrays["site_names"].tobytes()
                ends = np.cumsum(arrays["site_name_lengths"]).tolist()
                sites = [buffer[start:end].decode("utf-8", "surrogatepass") for start, end in zip([0, *ends], ends)]
                site_pages = Counter(dict(zip(sites, arrays["site_pages"].tolist())))
                return cls(site_pages, arrays["keys"].astype(np.uint64), arrays["counts"].astype(np.uint32))
        except (OSError, KeyError, ValueError, UnicodeDecodeError) as error:
            raise ValueError(f"{path}: not a site counts file written by SiteCounts.save ({error})") from None

    def pages_with(self, fingerprints: np.ndarray) -> np.ndarray:
        """Pages holding each fingerprint (1 for one not counted: it is on its own page only)."""
        if not len(self.keys):
            return np.ones(len(fingerprints), dtype=np.int64)
        at = np.searchsorted(self.keys, fingerprints).clip(max=len(self.keys) - 1)
        return np.where(self.keys[at] == fingerprints, self.counts[at], 1).astype(np.int64)


def merge_all(parts: Iterable[SiteCounts]) -> SiteCounts:
    """The counts of all shards, pruned. Merged pairwise in rounds (a tree), so each key is
    re-sorted about log2(shards) times rather than once per shard."""
    parts = list(parts)
    if not parts:
        return SiteCounts()
    while len(parts) > 1:
        parts = [parts[i].merge(parts[i + 1]) if i + 1 < len(parts) else parts[i] for i in range(0, len(parts), 2)]
    return parts[0].pruned()
