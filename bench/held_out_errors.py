"""Which lines the model gets wrong on one dataset's (or one language's) pages, each page held out by site.

    python bench/held_out_errors.py --dataset arabic [--data ../shared/data] [--sites 300] [--seed 1] [--pages 10]
    python bench/held_out_errors.py --language es
    python bench/held_out_errors.py --language ja,th,my   (several languages held out together)

The pages held out (a dataset's, or those whose ``lang`` is ``--language``, from every
dataset) are split into ``--folds`` site-grouped folds; each fold is labeled by a model
trained on the other folds plus the pages of bench/ablation.py's seeded sample of ``--sites``
sites (the cheap protocol's). Prints each mode's line F1 over the held-out pages, then, per
mode, the ``--pages`` pages with the most wrong lines and those lines: ``+`` a chrome line
kept, ``-`` a content line dropped, with the line's p_content. Only scored lines count: on a
page with partial gold (trafilatura_eval's snippets) the other lines carry no label.
docs/evaluation.md's error analyses of the arabic, newspaper3k_fixtures and es pages come
from this.
"""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path

from ablation import sampled_pages
from classifier.labeled import scored_mask
from classifier.page import CHROME, CONTENT
from training.baselines import SystemRun
from training.datasets import resolve_data_dir
from training.evaluate import cross_validate
from training.labeling import build_labeled_pages


# The held-out pages of ``--language`` go by this dataset name, which only groups them
# (training reads a page's dataset for nothing else).
HELD_OUT_LANGUAGE = "language:{}"


def wrong_lines(run: SystemRun, page_index: int) -> list[tuple[int, str, float]]:
    """(line number, "+" for chrome kept or "-" for content dropped, p_content) of a page's
    wrong scored lines."""
    page = run.pages[page_index]
    marks = {(CHROME, CONTENT): "+", (CONTENT, CHROME): "-"}
    lines = zip(page.labels, run.labels[page_index], run.p_content[page_index], scored_mask(page))
    return [(i, marks[gold, label], p) for i, (gold, label, p, scored) in enumerate(lines) if scored and (gold, label) in marks]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    held_out = parser.add_mutually_exclusive_group(required=True)
    held_out.add_argument("--dataset", help="the dataset whose pages are held out, e.g. arabic")
    held_out.add_argument("--language", help="hold out every page whose language is this, e.g. es (or one of these, e.g. ja,th)")
    parser.add_argument("--data", type=Path, default=None, help="default: $BOILERLINE_DATA or ../shared/data")
    parser.add_argument("--sites", type=int, default=300, help="sites of the other datasets sampled to train on")
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pages", type=int, default=10, help="pages with the most wrong lines to show, per mode")
    args = parser.parse_args()

    every_page = build_labeled_pages(resolve_data_dir(args.data))[0]
    tested = args.dataset
    if args.language:
        tested = HELD_OUT_LANGUAGE.format(args.language)
        languages = set(args.language.split(","))
        every_page = [dataclasses.replace(page, dataset=tested) if page.lang in languages else page for page in every_page]
    sampled = {id(page) for page in sampled_pages(every_page, args.sites, args.seed)}
    pages = [page for page in every_page if id(page) in sampled or page.dataset == tested]
    # c4-rule only so that both modes are scored (beside a baseline, HTML mode and text mode).
    evaluation = cross_validate(pages, args.folds, seed=args.seed, text_only=False, baselines=("c4-rule",), test_dataset=tested)
    for run in evaluation.model_runs:
        line = evaluation.scores["systems"][run.name]["line"]
        wrong = [wrong_lines(run, i) for i in range(len(run.pages))]
        kept = sum(mark == "+" for lines in wrong for _, mark, _ in lines)
        print(f"{run.name}: {len(run.pages)} pages of {tested}, line F1 {line['f1']:.3f} (P {line['p']:.3f}, R {line['r']:.3f}); "
              f"{kept} chrome lines kept, {sum(map(len, wrong)) - kept} content lines dropped")
        for i in sorted(range(len(run.pages)), key=lambda i: -len(wrong[i]))[: args.pages]:
            if not wrong[i]:
                break
            print(f"  {run.pages[i].page_id} ({run.pages[i].kind or 'no kind'}): {len(wrong[i])} wrong of {sum(scored_mask(run.pages[i]))}")
            for line_no, mark, p in wrong[i]:
                print(f"    {line_no:5d} {mark} {p:.2f} {run.pages[i].lines[line_no][:100]}")


if __name__ == "__main__":
    main()
