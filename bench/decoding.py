"""Does decoding lines in runs beat the revise stage's threshold? A Viterbi pass over each
page's out-of-fold p(content), with learned switch costs, against the shipped decision.

    python bench/decoding.py [--data ../shared/data] [--sites 300] [--folds 3] [--seed 1]

Issue 14 asked for "a decoding step that respects that content comes in runs (a linear-chain
CRF or a Viterbi pass with learned transition costs over the second stage's probabilities),
measured against today's revise stage". This script measures it on the cheap protocol of
docs/evaluation.md (bench/ablation.py's seeded sample of sites plus every arabic page,
site-grouped folds, both input modes). Over the non-blank lines of a page, in order, the
labels chosen are those that maximize

    sum over content lines of (logit(p) - logit(threshold)) - cost_in * (chrome -> content switches)
                                                           - cost_out * (content -> chrome switches)

so that costs of 0 are exactly the shipped decision (p >= 0.5 in both modes). The costs are learned
on the pages of half the sites (a grid; by pooled line F1) and scored on the other half,
then the halves swap: no site helps choose the costs it is scored with.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import zlib
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.ablation import sampled_pages  # noqa: E402
from classifier.labeled import scored_mask  # noqa: E402
from classifier.predictor import DEFAULT_THRESHOLD  # noqa: E402
from training.datasets import resolve_data_dir  # noqa: E402
from training.evaluate import cross_validate  # noqa: E402
from training.labeling import build_labeled_pages  # noqa: E402

COSTS = (0.0, 0.25, 0.5, 1.0, 1.5, 2.0, 3.0)


def logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def viterbi(gain: np.ndarray, cost_in: float, cost_out: float) -> np.ndarray:
    """The content flags maximizing the summed ``gain`` of content lines minus the switch costs."""
    n = len(gain)
    if n == 0:
        return np.zeros(0, dtype=bool)
    from_content = np.zeros((n, 2), dtype=bool)  # did the best path to (line, state) come from content?
    chrome, content = 0.0, float(gain[0])
    for i in range(1, n):
        stay_chrome, leave_content = chrome, content - cost_out
        enter_content, stay_content = chrome - cost_in, content
        from_content[i, 0] = leave_content > stay_chrome
        from_content[i, 1] = stay_content >= enter_content
        chrome, content = max(stay_chrome, leave_content), max(enter_content, stay_content) + gain[i]
    flags = np.zeros(n, dtype=bool)
    state = content > chrome
    for i in range(n - 1, -1, -1):
        flags[i] = state
        state = from_content[i, int(state)]
    return flags


class ScoredPage:
    """One held-out page: its non-blank lines' p(content), gold flags and scored mask."""

    def __init__(self, page, p_content) -> None:
        rows = [i for i, label in enumerate(page.labels) if label is not None]
        mask = scored_mask(page)
        self.site = page.site or page.page_id
        self.p = np.array([p_content[i] for i in rows], dtype=float)
        self.gold = np.array([page.labels[i] == "content" for i in rows])
        self.scored = np.array([mask[i] for i in rows])


def line_f1(pages: list[ScoredPage], flags: list[np.ndarray]) -> float:
    """Pooled line F1 of the content class over the scored lines, as ``training.metrics.score``
    counts it (unrounded, and without its other figures: it is called for every cost pair)."""
    tp = fp = fn = 0
    for page, predicted in zip(pages, flags):
        guess, gold = predicted[page.scored], page.gold[page.scored]
        tp += int((guess & gold).sum())
        fp += int((guess & ~gold).sum())
        fn += int((~guess & gold).sum())
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def compare(name: str, pages: list[ScoredPage]) -> None:
    # Both modes decide at p 0.5: text mode's log-odds are raised before p is given out.
    threshold = DEFAULT_THRESHOLD
    decoded = {
        costs: [viterbi(logit(page.p) - logit(threshold), *costs) for page in pages]
        for costs in itertools.product(COSTS, COSTS)
    }
    shipped = decoded[0.0, 0.0]
    print(f"{name}: {len(pages)} pages, threshold {threshold}: line F1 {line_f1(pages, shipped):.4f}")
    halves = [zlib.crc32(page.site.encode()) % 2 for page in pages]
    for half in (0, 1):
        learn = [k for k, h in enumerate(halves) if h == half]
        test = [k for k, h in enumerate(halves) if h != half]
        costs = max(decoded, key=lambda c: line_f1([pages[k] for k in learn], [decoded[c][k] for k in learn]))
        test_pages = [pages[k] for k in test]
        print(
            f"  costs learned on half {half} (in {costs[0]}, out {costs[1]}): the other half's line F1 "
            f"{line_f1(test_pages, [decoded[costs][k] for k in test]):.4f} against {line_f1(test_pages, [shipped[k] for k in test]):.4f}"
        )
    for costs in ((0.5, 0.5), (1.0, 1.0), (2.0, 2.0)):
        print(f"  costs in {costs[0]}, out {costs[1]}: line F1 {line_f1(pages, decoded[costs]):.4f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=None, help="default: $BOILERLINE_DATA or ../shared/data")
    parser.add_argument("--sites", type=int, default=300)
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    pages = sampled_pages(build_labeled_pages(resolve_data_dir(args.data))[0], args.sites, args.seed)
    print(f"{len(pages)} pages ({args.sites} sampled sites + arabic), {args.folds} site-grouped folds, seed {args.seed}")
    evaluation = cross_validate(pages, args.folds, seed=args.seed, text_only=False, baselines=("c4-rule",))
    for run in evaluation.model_runs:
        compare(run.name, [ScoredPage(page, p) for page, p in zip(run.pages, run.p_content)])


if __name__ == "__main__":
    main()
