"""Which lines the model gets wrong on one dataset's pages, each page held out by site.

    python bench/held_out_errors.py --dataset arabic [--data ../shared/data] [--sites 300] [--seed 1] [--pages 10]

The dataset's pages are split into ``--folds`` site-grouped folds; each fold is labeled by a
model trained on the other folds plus the pages of bench/ablation.py's seeded sample of
``--sites`` sites (the cheap protocol's). Prints each mode's line F1 over the dataset, then,
per mode, the ``--pages`` pages with the most wrong lines and those lines: ``+`` a chrome line
kept, ``-`` a content line dropped, with the line's p_content. docs/evaluation.md's error
analyses of the arabic and newspaper3k_fixtures pages come from this.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ablation import sampled_pages
from classifier.page import CHROME, CONTENT
from training.baselines import SystemRun
from training.datasets import resolve_data_dir
from training.evaluate import cross_validate
from training.labeling import build_labeled_pages


def wrong_lines(run: SystemRun, page_index: int) -> list[tuple[int, str, float]]:
    """(line number, "+" for chrome kept or "-" for content dropped, p_content) of a page's wrong lines."""
    page = run.pages[page_index]
    marks = {(CHROME, CONTENT): "+", (CONTENT, CHROME): "-"}
    return [
        (i, marks[gold, label], p)
        for i, (gold, label, p) in enumerate(zip(page.labels, run.labels[page_index], run.p_content[page_index]))
        if (gold, label) in marks
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dataset", required=True, help="the dataset whose pages are held out, e.g. arabic")
    parser.add_argument("--data", type=Path, default=None, help="default: $BOILERLINE_DATA or ../shared/data")
    parser.add_argument("--sites", type=int, default=300, help="sites of the other datasets sampled to train on")
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pages", type=int, default=10, help="pages with the most wrong lines to show, per mode")
    args = parser.parse_args()

    every_page = build_labeled_pages(resolve_data_dir(args.data))[0]
    sampled = {id(page) for page in sampled_pages(every_page, args.sites, args.seed)}
    pages = [page for page in every_page if id(page) in sampled or page.dataset == args.dataset]
    # c4-rule only so that both modes are scored (beside a baseline, HTML mode and text mode).
    evaluation = cross_validate(
        pages, args.folds, seed=args.seed, text_only=False, baselines=("c4-rule",), test_dataset=args.dataset
    )
    for run in evaluation.model_runs:
        line = evaluation.scores["systems"][run.name]["line"]
        wrong = [wrong_lines(run, i) for i in range(len(run.pages))]
        kept = sum(mark == "+" for lines in wrong for _, mark, _ in lines)
        print(f"{run.name}: {len(run.pages)} pages of {args.dataset}, line F1 {line['f1']:.3f} (P {line['p']:.3f}, R {line['r']:.3f}); "
              f"{kept} chrome lines kept, {sum(map(len, wrong)) - kept} content lines dropped")
        for i in sorted(range(len(run.pages)), key=lambda i: -len(wrong[i]))[: args.pages]:
            if not wrong[i]:
                break
            print(f"  {run.pages[i].page_id} ({run.pages[i].kind or 'no kind'}): {len(wrong[i])} wrong")
            for line_no, mark, p in wrong[i]:
                print(f"    {line_no:5d} {mark} {p:.2f} {run.pages[i].lines[line_no][:100]}")


if __name__ == "__main__":
    main()
