"""Speed of featurize + predict on a fixed sample of pages, and a check that outputs did not change.

    python bench/profile_featurize.py save  /tmp/speed_baseline   # outputs of the current code
    python bench/profile_featurize.py check /tmp/speed_baseline   # identical outputs? + lines/s
    python bench/profile_featurize.py profile /tmp/speed_baseline # cProfile of featurize + predict

The sample is the first ``--pages-per-dataset`` pages of several datasets of ``../shared/data``
(Latin, Arabic, CJK and mixed-language pages), rendered once with ``render_html`` and cached in
the folder. Every page is classified twice: as plain text (no link counts, the WET case) and
with its link counts (the HTML case). The shipped model was trained with the current features,
so a speed-up must leave every feature and every probability bit-identical: ``check`` compares
the whole scored table (features, lexical scores, first-pass and final probabilities) against
the saved one, exactly (NaN equal to NaN), except the lexical scores and the columns made from
them (and the names model's), compared within LEXICAL_TOLERANCE: the compiled linear decisions sum a
document's weights word by word, not in scikit-learn's column order (``_ngram_hash.pyx``).

Times are CPU seconds of this process, per core: tree prediction runs single-threaded
(OpenMP and BLAS limited to one thread); the best of ``--repeats`` runs is reported. CPU time
still grows on a busy machine (shared caches); compare runs made close together.
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import itertools
import json
import pickle
import pstats
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from classifier import Page
from classifier.predictor import Predictor
from classifier.features import featurize
from classifier.html import render_html

DATASETS = ("cleaneval", "dragnet", "arabic", "wcxb", "chinese_wce", "daniel")
MODES = ("text", "html")


def load_sample(data_dir: Path, pages_per_dataset: int) -> list[Page]:
    """The first pages of each dataset, rendered, with their link counts and site."""
    pages = []
    for dataset in DATASETS:
        with gzip.open(data_dir / f"{dataset}.jsonl.gz", "rt", encoding="utf-8") as handle:
            for line in itertools.islice(handle, pages_per_dataset):
                record = json.loads(line)
                pages.append(Page(f"{dataset}/{record['id']}", *render_html(record["html"]), site=record.get("site")))
    return pages


def cached_sample(folder: Path, data_dir: Path, pages_per_dataset: int) -> list[Page]:
    path = folder / f"pages_{pages_per_dataset}.pkl"
    if path.exists():
        return pickle.loads(path.read_bytes())
    pages = load_sample(data_dir, pages_per_dataset)
    folder.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(pages))
    return pages


def pages_for(mode: str, pages: list[Page]) -> list[Page]:
    return [replace(page, link_chars=None) for page in pages] if mode == "text" else pages


def scored_table(model: Predictor, pages: list[Page]) -> pd.DataFrame:
    return model.predict_table(featurize(pages))


def timed(model: Predictor, pages: list[Page], repeats: int) -> tuple[float, float]:
    """Best-of-``repeats`` seconds for featurize and for the whole predict_pages."""
    featurize_s, predict_s = [], []
    for _ in range(repeats):
        start = time.process_time()
        featurize(pages)
        featurize_s.append(time.process_time() - start)
        start = time.process_time()
        model.predict_pages(pages)
        predict_s.append(time.process_time() - start)
    return min(featurize_s), min(predict_s)


def save(folder: Path, model: Predictor, pages: list[Page]) -> None:
    for mode in MODES:
        scored_table(model, pages_for(mode, pages)).to_pickle(folder / f"scored_{mode}.pkl")
    print(f"saved the scored tables of {len(pages)} pages to {folder}")


# The largest difference allowed in a lexical score (a decision of about -20 to 20).
LEXICAL_TOLERANCE = 1e-9


def check(folder: Path, model: Predictor, pages: list[Page]) -> bool:
    """Compare every column (names, order, dtypes, values) with the saved tables."""
    same = True
    for mode in MODES:
        expected = pd.read_pickle(folder / f"scored_{mode}.pkl")
        actual = scored_table(model, pages_for(mode, pages))
        lexical = [name for name in expected.columns if "lex_score" in name or "name_score" in name]
        try:
            pd.testing.assert_frame_equal(actual.drop(columns=lexical), expected.drop(columns=lexical), check_exact=True)
            pd.testing.assert_frame_equal(actual[lexical], expected[lexical], check_exact=False, rtol=0, atol=LEXICAL_TOLERANCE)
            largest = np.nanmax(np.abs(actual[lexical].to_numpy(float) - expected[lexical].to_numpy(float)))
            print(f"{mode}: identical ({expected.shape[0]} rows x {expected.shape[1]} columns; lexical scores within {largest:.1e})")
        except AssertionError as error:
            same = False
            print(f"{mode}: DIFFERENT\n{error}")
    return same


def report_speed(model: Predictor, pages: list[Page], repeats: int) -> None:
    n_lines = sum(len(page.lines) for page in pages)
    for mode in MODES:
        featurize_s, predict_s = timed(model, pages_for(mode, pages), repeats)
        print(
            f"{mode}: {len(pages)} pages, {n_lines} lines: featurize {n_lines / featurize_s:,.0f} lines/s, "
            f"featurize + predict {n_lines / predict_s:,.0f} lines/s"
        )


def profile(model: Predictor, pages: list[Page], top: int) -> None:
    text_pages = pages_for("text", pages)
    profiler = cProfile.Profile()
    profiler.runcall(model.predict_pages, text_pages)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(top)
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(top)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=("save", "check", "profile"))
    parser.add_argument("folder", type=Path, help="where the sample and the saved outputs live")
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--pages-per-dataset", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=3, help="timing runs; the best is reported")
    parser.add_argument("--top", type=int, default=40, help="functions shown by profile")
    args = parser.parse_args()

    pages = cached_sample(args.folder, args.data, args.pages_per_dataset)
    model = Predictor.load()
    with threadpool_limits(limits=1):
        model.predict_pages(pages[:2])  # warm up: langdetect profiles, stoplists
        if args.action == "save":
            save(args.folder, model, pages)
        elif args.action == "check":
            if not check(args.folder, model, pages):
                sys.exit(1)
            report_speed(model, pages, args.repeats)
        else:
            profile(model, pages, args.top)


if __name__ == "__main__":
    main()
