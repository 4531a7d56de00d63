"""The compiled prediction against the scikit-learn estimators it replaced, on every page.

    python bench/equivalence.py [--data ../shared/data] [--batch-pages 64]

Issue 15 asks the arrays predictor (``classifier.predictor``: n-grams hashed and linear
decisions taken by ``_ngram_hash.pyx``, trees walked by ``_tree_walk.pyx``) to give the
shipped model's scikit-learn estimators' p_content within 1e-6 on every page of the shared
data. Every page with HTML is rendered (``render_html``) and classified twice, from HTML (link
counts and structure) and as plain text (neither), in batches; each batch's feature table goes
to both: ``Predictor.predict_table`` and the estimators stage by stage
(``scikit_learn_p_content`` of tests/test_speed_equivalence.py, which checks the same on a
sample). Prints the largest difference per dataset and mode, and exits 1 when any exceeds
the tolerance. Needs the test extra (scikit-learn's HashingVectorizer reference lives in the
tests).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from classifier import LineClassifier, Page, Predictor  # noqa: E402
from classifier.features import featurize  # noqa: E402
from classifier.html import render_html  # noqa: E402
from tests.test_speed_equivalence import scikit_learn_p_content  # noqa: E402

TOLERANCE = 1e-6


def dataset_pages(path: Path) -> list[Page]:
    """The pages of a dataset file that have HTML, rendered, with their site."""
    pages = []
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if record.get("html"):
                pages.append(Page(str(record["id"]), *render_html(record["html"]), site=record.get("site")))
    return pages


def largest_difference(model: LineClassifier, predictor: Predictor, pages: list[Page], batch_pages: int) -> float:
    """The largest |p_content| difference over the non-blank lines of ``pages``, by batches."""
    largest = 0.0
    for start in range(0, len(pages), batch_pages):
        table = featurize(pages[start : start + batch_pages])
        rows = table["is_blank"].to_numpy() == 0
        if not rows.any():
            continue
        expected = scikit_learn_p_content(model, table)
        predicted = predictor.predict_table(table.copy())["p_content"].to_numpy()[rows]
        largest = max(largest, float(np.max(np.abs(predicted - expected))))
    return largest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path(os.environ.get("BOILERLINE_DATA") or ROOT.parent / "shared" / "data"))
    parser.add_argument("--batch-pages", type=int, default=64)
    args = parser.parse_args()
    model, predictor = LineClassifier.load(), Predictor.load()
    started, worst, n_pages, n_lines = time.perf_counter(), 0.0, 0, 0
    print(f"{'dataset':<24} {'pages':>6} {'lines':>9} {'max |dp| html':>14} {'max |dp| text':>14}")
    for path in sorted(args.data.glob("*.jsonl.gz")):
        pages = dataset_pages(path)
        if not pages:
            continue
        text_pages = [replace(page, link_chars=None, structure=None) for page in pages]
        html = largest_difference(model, predictor, pages, args.batch_pages)
        text = largest_difference(model, predictor, text_pages, args.batch_pages)
        lines = sum(len(page.lines) for page in pages)
        n_pages, n_lines, worst = n_pages + len(pages), n_lines + lines, max(worst, html, text)
        print(f"{path.name.removesuffix('.jsonl.gz'):<24} {len(pages):>6,} {lines:>9,} {html:>14.2e} {text:>14.2e}", flush=True)
    verdict = "within" if worst <= TOLERANCE else "BEYOND"
    print(f"all: {n_pages:,} pages, {n_lines:,} lines, each from HTML and as text; largest difference {worst:.2e}, "
          f"{verdict} {TOLERANCE:g} ({time.perf_counter() - started:.0f} s)")
    sys.exit(0 if worst <= TOLERANCE else 1)


if __name__ == "__main__":
    main()
