"""Line F1 of trafilatura and jusText on the same labeled pages that boilerline is scored on.

    python bench/extractor_line_f1.py [--data ../shared/data] [--datasets arabic,cleaneval] [--pages 150]

An extractor returns text, not line labels: a rendered line counts as kept when most of its
words fall in long in-order runs of the extracted text (the alignment that labels the training
data, ``training.alignment.covered_lines``). Scores use ``training.metrics`` like
``boilerline evaluate``. Put beside the site-grouped CV figures of ``boilerline train``
(held-out pages), this compares the three on the same pages and labels.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import justext
import trafilatura

from classifier.page import CHROME, CONTENT
from training.alignment import covered_lines, tokenize
from training.datasets import iter_records, resolve_data_dir
from training.labeling import build_labeled_pages
from training.metrics import score


def extracted_labels(lines: list[str], extracted: str) -> list[str | None]:
    kept = covered_lines(lines, tokenize(extracted))
    return [None if not line.strip() else (CONTENT if keep else CHROME) for line, keep in zip(lines, kept)]


def trafilatura_text(html: str) -> str:
    return trafilatura.extract(html, include_comments=False) or ""


def justext_text(html: str, lang: str | None) -> str:
    stoplists = {"ar": "Arabic", "de": "German", "el": "Greek", "pl": "Polish", "ru": "Russian", "fr": "French", "es": "Spanish"}
    try:
        paragraphs = justext.justext(html.encode("utf-8"), justext.get_stoplist(stoplists.get(lang or "", "English")))
    except ValueError:  # lxml refuses pages with control characters: nothing extracted
        return ""
    return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--datasets", default="arabic,cleaneval,l3s_gn1,dragnet,daniel,wcxb")
    parser.add_argument("--pages", type=int, default=150, help="first N labeled pages per dataset")
    args = parser.parse_args()
    data_dir = resolve_data_dir(args.data)
    results = {}
    for dataset in args.datasets.split(","):
        pages, _ = build_labeled_pages(data_dir, datasets=[dataset])
        pages = pages[: args.pages]
        wanted = {page.page_id: page for page in pages}
        html = {}
        for record in iter_records(data_dir / f"{dataset}.jsonl.gz"):
            page_id = f"{dataset}/{record['id']}"
            if page_id in wanted:
                html[page_id] = record["html"]
        pages = [page for page in pages if page.page_id in html]
        for name, extract in (("trafilatura", lambda p: trafilatura_text(html[p.page_id])),
                              ("justext", lambda p: justext_text(html[p.page_id], p.lang))):
            predicted = [extracted_labels(page.lines, extract(page)) for page in pages]
            figures = score(pages, predicted)
            results.setdefault(dataset, {})[name] = {k: figures[k] for k in ("pages", "lines", "line", "char", "page_token_f1_mean")}
            line = figures["line"]
            print(f"{dataset:<16} {name:<12} pages {figures['pages']:>4}  line P {line['p']:.3f} R {line['r']:.3f} F1 {line['f1']:.3f}  "
                  f"tokF1 {figures['page_token_f1_mean']:.3f}", flush=True)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
