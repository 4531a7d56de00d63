"""Does the model find the article on a site in a language it has never read? The cheap
protocol, each held-out page scored as it is and as a ciphered copy, for each share of
ciphered training sites.

    python bench/unread_languages.py [--data ../shared/data] [--sites 300] [--folds 3] [--seed 1] [--shares 0 0.3]

bench/ablation.py's seeded sample of sites plus every arabic page, in ``--folds`` folds grouped
by site. For each share in ``--shares`` a model is trained per fold with the ciphered copies of
that share of its training sites (``training.cipher``; 0: none), then scored from HTML and
from text on the fold's held-out pages as they are, and on ciphered copies of every held-out
Latin-script site (one alphabet per site, drawn with another seed than training's): pages in
a language no training page is in. Prints pooled line F1, precision, recall and mean page
token F1 per share, input kind and mode, and the copies' line F1 per alphabet.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.ablation import sampled_pages  # noqa: E402
from classifier.page import Page  # noqa: E402
from training.cipher import ciphered_pages  # noqa: E402
from training.datasets import resolve_data_dir  # noqa: E402
from training.evaluate import predictions, site_folds  # noqa: E402
from training.labeling import build_labeled_pages  # noqa: E402
from training.metrics import score  # noqa: E402
from training.train import fit_model  # noqa: E402

# Added to --seed for the held-out copies' alphabets, so that they are not training's.
TEST_CIPHER_SEED_OFFSET = 7
MODES = {"html": False, "text": True}


def held_out_runs(pages: list[Page], folds: int, seed: int, share: float) -> dict[tuple[str, str], tuple[list, list]]:
    """(kind, mode) -> (held-out pages, their predicted labels), over all folds; kind ``as-is``
    or ``ciphered``."""
    runs: dict[tuple[str, str], tuple[list, list]] = {(kind, mode): ([], []) for kind in ("as-is", "ciphered") for mode in MODES}
    for train, test in site_folds(pages, folds, np.ones(len(pages), dtype=bool), seed):
        model = fit_model([pages[i] for i in train], seed, ciphered_share=share)
        held_out = [pages[i] for i in test]
        for kind, tested in (("as-is", held_out), ("ciphered", ciphered_pages(held_out, seed + TEST_CIPHER_SEED_OFFSET, 1.0))):
            for mode, text_only in MODES.items():
                predicted = predictions(model, tested, text_only)
                runs[kind, mode][0].extend(tested)
                runs[kind, mode][1].extend([[label for label, _ in lines] for lines in predicted])
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=None, help="default: $BOILERLINE_DATA or ../shared/data")
    parser.add_argument("--sites", type=int, default=300, help="sites sampled from the non-arabic datasets")
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--shares", type=float, nargs="+", default=[0.0, 0.3], help="shares of ciphered training sites")
    args = parser.parse_args()

    pages = sampled_pages(build_labeled_pages(resolve_data_dir(args.data))[0], args.sites, args.seed)
    print(f"{len(pages)} pages ({args.sites} sampled sites + arabic), {args.folds} site-grouped folds, seed {args.seed}")
    for share in args.shares:
        start = time.perf_counter()
        for (kind, mode), (tested, labels) in held_out_runs(pages, args.folds, args.seed, share).items():
            figures = score(tested, labels)
            line = figures["line"]
            print(
                f"share {share:.2f} {kind:<9} {mode:<5} line F1 {line['f1']:.3f} P {line['p']:.3f} R {line['r']:.3f} "
                f"page token F1 {figures['page_token_f1_mean']:.3f} ({figures['pages']} pages)",
                flush=True,
            )
            if kind == "ciphered":
                by_alphabet = figures["by_lang"].items()
                print("    " + "  ".join(f"{lang.split('-')[-1]} {group['line']['f1']:.3f}" for lang, group in by_alphabet), flush=True)
        print(f"  ({time.perf_counter() - start:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
