"""Throughput and peak memory of boilerline beside trafilatura and jusText, same pages, same run.

    python bench/throughput.py [--data ../shared/data] [--dataset cleaneval] [--pages 200]

Each engine runs in its own fresh process (so peak RSS is its own) on the same HTML pages:
- boilerline-html: render HTML with Resiliparse, count link characters, featurize, classify;
- boilerline-text: the same pages already rendered to text lines (the WET/Resiliparse case);
- trafilatura: ``trafilatura.extract`` on the HTML;
- justext: ``justext.justext`` on the HTML with the English stoplist.
Times are wall-clock on this machine; compare the ratios, which are stable on a noisy one.
Also prints the time to load the shipped model.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import multiprocessing
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Spawned engine processes start from bench/; make the project importable there too.
sys.path.insert(0, str(ROOT))


def load_html(data_dir: Path, dataset: str, n_pages: int) -> list[str]:
    with gzip.open(data_dir / f"{dataset}.jsonl.gz", "rt", encoding="utf-8") as handle:
        return [json.loads(line)["html"] for line in itertools.islice(handle, n_pages)]


def run_boilerline_html(pages: list[str]) -> float:
    from classifier import LineClassifier, Page
    from classifier.html import render_html

    model = LineClassifier.load()
    start = time.perf_counter()
    model.predict_pages([Page(str(i), *render_html(html)) for i, html in enumerate(pages)])
    return time.perf_counter() - start


def run_boilerline_text(pages: list[list[str]]) -> float:
    from classifier import LineClassifier, Page

    model = LineClassifier.load()
    start = time.perf_counter()
    model.predict_pages([Page(str(i), lines) for i, lines in enumerate(pages)])
    return time.perf_counter() - start


def run_trafilatura(pages: list[str]) -> float:
    import trafilatura

    start = time.perf_counter()
    for html in pages:
        trafilatura.extract(html)
    return time.perf_counter() - start


def run_justext(pages: list[str]) -> float:
    import justext

    stoplist = justext.get_stoplist("English")
    start = time.perf_counter()
    for html in pages:
        try:
            justext.justext(html.encode("utf-8"), stoplist)
        except ValueError:  # lxml refuses pages with control characters; the time still counts
            pass
    return time.perf_counter() - start


def measure(engine, pages, queue) -> None:
    """Run one engine (setup untimed, the pages timed); report seconds and peak RSS in MB."""
    elapsed = engine(pages)
    queue.put((elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))


def in_fresh_process(engine, pages) -> tuple[float, float]:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=measure, args=(engine, pages, queue))
    process.start()
    result = queue.get()
    process.join()
    return result


def model_load_seconds() -> float:
    from classifier import LineClassifier

    start = time.perf_counter()
    LineClassifier.load()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--dataset", default="cleaneval")
    parser.add_argument("--pages", type=int, default=200)
    args = parser.parse_args()

    from classifier.html import render_html

    html_pages = load_html(args.data, args.dataset, args.pages)
    text_pages = [render_html(html)[0] for html in html_pages]
    n_lines = sum(len(lines) for lines in text_pages)
    print(f"{len(html_pages)} pages of {args.dataset} ({n_lines} rendered lines), one process per engine")
    print(f"model load: {in_fresh_process_load():.2f} s")
    print(f"{'engine':<18} {'seconds':>8} {'pages/s':>8} {'lines/s':>9} {'peak MB':>8}")
    for name, engine, pages in (
        ("boilerline-html", run_boilerline_html, html_pages),
        ("boilerline-text", run_boilerline_text, text_pages),
        ("trafilatura", run_trafilatura, html_pages),
        ("justext", run_justext, html_pages),
    ):
        elapsed, peak_mb = in_fresh_process(engine, pages)
        print(f"{name:<18} {elapsed:>8.2f} {len(pages) / elapsed:>8.1f} {n_lines / elapsed:>9.0f} {peak_mb:>8.0f}")


def in_fresh_process_load() -> float:
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(model_load_seconds)


if __name__ == "__main__":
    main()
