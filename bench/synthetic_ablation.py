"""Do synthetic mixed-script pages help the Arabic pages? Site-grouped CV over the arabic set
(folds over its sites; each fold trained on the other pages too), with and without them.

The full comparison is two runs of
    boilerline evaluate --data ../shared/data --cv 5 --cv-dataset arabic --text-only --synthetic N
(about an hour each on 2 cores). This script runs the same protocol on a seeded random sample
of the other datasets' pages, so both variants fit in about 20 minutes:

    python bench/synthetic_ablation.py --other-pages 600 --synthetic 200
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

from training.datasets import resolve_data_dir
from training.evaluate import cross_validate
from training.loading import load_pages

ARABIC = "arabic"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=None, help="default: $BOILERLINE_DATA or ../shared/data")
    parser.add_argument("--other-pages", type=int, default=600, help="pages sampled from the other datasets")
    parser.add_argument("--synthetic", type=int, nargs="+", default=[0, 200], help="synthetic pages per direction, one run each")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    pages = load_pages([resolve_data_dir(args.data)])
    arabic = [page for page in pages if page.dataset == ARABIC]
    other = random.Random(args.seed).sample([page for page in pages if page.dataset != ARABIC], args.other_pages)
    print(f"{len(arabic)} arabic pages, {len(other)} sampled other pages, seed {args.seed}")
    for n in args.synthetic:
        scores = cross_validate([*other, *arabic], 5, seed=args.seed, test_dataset=ARABIC, synthetic_per_direction=n).scores
        kinds = ", ".join(f"{kind} {figures['line']['f1']:.3f}" for kind, figures in scores["by_kind"].items())
        line = scores["line"]
        print(f"synthetic {n:>4}/direction: arabic line P {line['p']:.3f} R {line['r']:.3f} F1 {line['f1']:.3f} ({kinds})", flush=True)


if __name__ == "__main__":
    main()
