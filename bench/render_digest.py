"""A digest of every page's rendering, to tell whether a change to the HTML path changed any.

    python bench/render_digest.py [--data ../shared/data] > after.txt
    (in a checkout of the commit before)  python bench/render_digest.py > before.txt
    diff before.txt after.txt

Every page of ``../shared/data`` with HTML goes through ``render_html``; the script prints,
per dataset, a SHA-256 over its pages' lines, link counts and structure (the values and the
class/id text of every line), and the seconds spent in ``render_html`` on stderr. Equal
digests mean the rendering, and so every feature and prediction from HTML, is unchanged;
bench/equivalence.py then checks the predictor on the same pages.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from classifier.html import render_html  # noqa: E402


def dataset_digest(path: Path) -> tuple[str, int, float]:
    """The digest of a dataset file's renderings, its pages with HTML, and the seconds spent rendering."""
    digest, pages, seconds = hashlib.sha256(), 0, 0.0
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if not record.get("html"):
                continue
            started = time.perf_counter()
            lines, link_chars, structure = render_html(record["html"])
            seconds += time.perf_counter() - started
            text = json.dumps([record["id"], lines, link_chars, structure.tokens], ensure_ascii=False)
            digest.update(text.encode("utf-8", "surrogatepass"))
            digest.update(np.ascontiguousarray(structure.values, dtype="<i4").tobytes())
            pages += 1
    return digest.hexdigest(), pages, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path(os.environ.get("BOILERLINE_DATA") or ROOT.parent / "shared" / "data"))
    args = parser.parse_args()
    total_pages, total_seconds = 0, 0.0
    for path in sorted(args.data.glob("*.jsonl.gz")):
        digest, pages, seconds = dataset_digest(path)
        if pages:
            print(f"{path.name.removesuffix('.jsonl.gz'):<24} {pages:>6,} {digest}", flush=True)
            total_pages, total_seconds = total_pages + pages, total_seconds + seconds
    print(f"{total_pages:,} pages rendered in {total_seconds:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
