"""End-to-end throughput and peak memory of ``boilerline predict`` on a crawl-sized corpus,
beside trafilatura and jusText on the same pages, in the same run.

    python bench/scale.py [--data ../shared/data] [--lines 200000] [--big-lines 1000000] [--repeats 3]

It builds two inputs from the shared data and the seeds, in a temporary folder:
- text mode: JSONL records (id, url, text) of pages rendered to lines, as a WET dump holds
  them, repeated until the corpus has ``--lines`` lines;
- HTML mode: the same pages as WARC response records (what a crawler writes).
Each run is a fresh ``boilerline predict`` process (read, both passes, featurize, predict,
write JSONL.gz) timed by wall clock, with 1 and 2 workers; 1 worker runs with one thread
(OMP_NUM_THREADS=1), so its lines/s is per core. Peak RSS is the largest resident set of any
process of the run (with 2 workers each worker is a process of its own). trafilatura and
jusText run in one process each over the HTML of the same pages, timed over extraction only
(no start-up, no reading: a bound in their favour). So is boilerline's own HTML rendering
(Resiliparse, then link counts) alone: the floor of HTML mode, whatever the classifier
costs. Then text mode at 1 worker
again on ``--big-lines`` lines, to show that memory does not grow with the input.

The rows are timed in rounds: each round runs every row once, one after the other, and there
are ``--repeats`` rounds (default 3), each run a fresh process. A row's time is its fastest
run. The ratios (boilerline against trafilatura's pages/s, 2 workers against 1) are taken
within each round, where both runs met the machine in the same state, and printed as the
median over the rounds with their range: on a shared host the speed moves by a tenth within
minutes, so the fastest of one row and the fastest of another can come from different
moments (on 2026-12-07 the best-of-three rows read 3.07x trafilatura for HTML mode where four
pairs read 2.80-2.88x). Compare ratios; single times do not hold on a noisy machine.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from classifier.html import render_html  # noqa: E402

BASELINE_SCRIPT = """
import json, sys, time
pages = [json.loads(line)["html"] for line in open(sys.argv[2], encoding="utf-8")]
if sys.argv[1] == "trafilatura":
    import trafilatura
    extract = trafilatura.extract
elif sys.argv[1] == "render":
    from classifier.html import render_html as extract
else:
    import justext
    stoplist = justext.get_stoplist("English")
    def extract(html):
        try:
            return justext.justext(html.encode("utf-8"), stoplist)
        except ValueError:  # lxml refuses some pages; the time still counts
            return None
start = time.perf_counter()
for html in pages:
    extract(html)
print(time.perf_counter() - start)
"""

# BASELINE_SCRIPT's extractors and their rows: the baselines, and boilerline's rendering alone.
EXTRACTORS = {
    "trafilatura": "trafilatura (html, 1 process)",
    "justext": "justext (html, 1 process)",
    "render": "boilerline HTML rendering alone",
}


def source_pages(data: Path) -> list[dict]:
    """Every page of the shared data with its HTML and rendered lines, and the seeds (text only)."""
    pages = []
    for path in sorted(data.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                if not record.get("html"):
                    continue
                lines = render_html(record["html"]).lines
                pages.append({"id": record["id"], "url": record.get("url") or "", "html": record["html"], "lines": lines})
    for seed in sorted((ROOT / "seeds").glob("*.txt")):
        pages.append({"id": seed.stem, "url": "", "html": None, "lines": seed.read_text(encoding="utf-8").split("\n")})
    return pages


def take_lines(pages: list[dict], n_lines: int) -> list[dict]:
    """Pages in order, cycling (with new ids) until they hold ``n_lines`` lines."""
    taken, total = [], 0
    for copy, page in enumerate(itertools.cycle(pages)):
        if total >= n_lines:
            break
        taken.append({**page, "id": f"{page['id']}#{copy // len(pages)}"})
        total += len(page["lines"])
    return taken


def write_text_corpus(pages: list[dict], path: Path) -> None:
    with path.open("w", encoding="utf-8") as out:
        for page in pages:
            out.write(json.dumps({"id": page["id"], "url": page["url"], "text": "\n".join(page["lines"])}, ensure_ascii=False) + "\n")


def write_warc(pages: list[dict], path: Path) -> None:
    """The pages' HTML as WARC/1.0 response records (uncompressed)."""
    with path.open("wb") as out:
        for number, page in enumerate(pages):
            body = page["html"].encode("utf-8")
            http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + body
            headers = (
                f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-{number:012d}>\r\n"
                f"WARC-Target-URI: {page['url'] or f'http://example.invalid/{number}'}\r\n"
                f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(http)}\r\n\r\n"
            )
            out.write(headers.encode("utf-8") + http + b"\r\n\r\n")


def write_html_jsonl(pages: list[dict], path: Path) -> None:
    with path.open("w", encoding="utf-8") as out:
        for page in pages:
            out.write(json.dumps({"html": page["html"]}, ensure_ascii=False) + "\n")


# Runs a command and prints its wall seconds and the peak RSS (KB) of the largest process it
# started: a wrapper of its own per run, so no earlier run's peak is counted.
MEASURE_SCRIPT = """
import subprocess, sys, threading, time
import psutil

def peak_kb(member):
    try:  # Linux: the process's own high-water mark, exact however rarely it is read
        with open(f"/proc/{member.pid}/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return member.memory_info().rss // 1024

start = time.perf_counter()
process = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE)
watched, peak = psutil.Process(process.pid), 0
ended = []  # the time the run ended, taken by a thread blocked in waitpid
waiter = threading.Thread(target=lambda: (process.wait(), ended.append(time.perf_counter())))
waiter.start()
while waiter.is_alive():
    try:
        tree = [watched, *watched.children(recursive=True)]
    except psutil.NoSuchProcess:
        tree = []
    for member in tree:
        try:
            peak = max(peak, peak_kb(member))
        except psutil.NoSuchProcess:
            pass
    waiter.join(0.25)
seconds = ended[0] - start
output = process.stdout.read()
sys.stderr.write(output.decode())
print(process.returncode, seconds, peak)
"""
# Every process of the run and its descendants (workers are forked by a fork server, a child
# of the run that getrusage would not count) is read every 250 ms: its peak RSS (VmHWM) on
# Linux, which holds between reads; polling the RSS itself every 50 ms took about 5% of the
# 2-worker runs' time from the cores they use. The wall time is taken when the run ends (by a
# thread waiting for it), not at the next read: until 2026-12-05 it was, so every time before
# then was rounded up to a multiple of 250 ms (plus start-up), up to 7% of a 3.5 s run.


def timed(command: list[str], env: dict | None = None) -> tuple[float, float, str]:
    """Wall seconds, peak RSS (MB) of the largest process, and stdout of ``command`` run fresh."""
    done = subprocess.run(
        [sys.executable, "-c", MEASURE_SCRIPT, *command], capture_output=True, text=True, env={**os.environ, **(env or {})}, cwd=ROOT
    )
    returncode, seconds, peak_kb = done.stdout.split()
    if returncode != "0":
        sys.exit(f"{' '.join(command[:4])} failed:\n{done.stderr[-2000:]}")
    return float(seconds), int(peak_kb) / 1024, done.stderr


def predict_command(source: Path, out: Path, workers: int) -> list[str]:
    return [sys.executable, "-m", "classifier.cli", "predict", str(source), "--output", str(out), "--workers", str(workers), "--no-progress"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path(os.environ.get("BOILERLINE_DATA") or ROOT.parent / "shared" / "data"))
    parser.add_argument("--lines", type=int, default=200_000)
    parser.add_argument("--big-lines", type=int, default=1_000_000, help="Lines of the memory run (0: skip it).")
    parser.add_argument(
        "--repeats", type=int, default=3,
        help="Rounds, each running every row once; a row's time is its fastest, ratios are per round (the memory run: once).",
    )
    args = parser.parse_args()

    pages = source_pages(args.data)
    corpus = take_lines(pages, args.lines)
    html_pages = [page for page in corpus if page["html"] is not None]
    n_lines = sum(len(page["lines"]) for page in corpus)
    html_lines = sum(len(page["lines"]) for page in html_pages)
    print(f"corpus: {len(corpus):,} pages, {n_lines:,} lines (text mode); {len(html_pages):,} pages, {html_lines:,} lines with HTML")
    print(f"machine: {os.cpu_count()} cores; each run a fresh process; peak MB: its largest process")
    print(f"{'run':<34} {'seconds':>8} {'pages/s':>8} {'lines/s':>9} {'lines/s/core':>12} {'peak MB':>8}")

    def print_row(name: str, seconds: float, n_pages: int, lines: int, cores: int, peak_mb: float) -> None:
        print(
            f"{name:<34} {seconds:>8.1f} {n_pages / seconds:>8.1f} {lines / seconds:>9,.0f} {lines / seconds / cores:>12,.0f} {peak_mb:>8.0f}",
            flush=True,
        )

    rows: dict[str, tuple[Callable[[], tuple[float, float]], int, int, int]] = {}  # name -> (run, pages, lines, cores)
    with tempfile.TemporaryDirectory(prefix="boilerline-bench-") as folder:
        folder = Path(folder)
        text_input, warc_input, html_input = folder / "corpus.jsonl", folder / "corpus.warc", folder / "html.jsonl"
        write_text_corpus(corpus, text_input)
        write_warc(html_pages, warc_input)
        write_html_jsonl(html_pages, html_input)
        for mode, source, n_pages, lines in (("text", text_input, len(corpus), n_lines), ("html", warc_input, len(html_pages), html_lines)):
            for workers in (1, 2):
                env = {"OMP_NUM_THREADS": "1"} if workers == 1 else None
                command = predict_command(source, folder / f"{mode}-{workers}.jsonl.gz", workers)
                rows[f"boilerline {mode}, {workers} worker(s)"] = (lambda command=command, env=env: timed(command, env)[:2], n_pages, lines, workers)
        for name, label in EXTRACTORS.items():
            def extract(name=name) -> tuple[float, float]:
                _, peak, out = timed([sys.executable, "-c", BASELINE_SCRIPT, name, str(html_input)])
                return float(out.strip().splitlines()[-1]), peak

            rows[label] = (extract, len(html_pages), html_lines, 1)
        rounds = [{name: run() for name, (run, *_) in rows.items()} for _ in range(args.repeats)]
        for name, (_, n_pages, lines, cores) in rows.items():
            seconds = min(times[name][0] for times in rounds)
            print_row(name, seconds, n_pages, lines, cores, max(times[name][1] for times in rounds))
        if args.big_lines:
            big = take_lines(pages, args.big_lines)
            big_input = folder / "big.jsonl"
            write_text_corpus(big, big_input)
            big_lines = sum(len(page["lines"]) for page in big)
            seconds, peak, _ = timed(predict_command(big_input, folder / "big.jsonl.gz", 1), {"OMP_NUM_THREADS": "1"})
            print_row(f"boilerline text, 1 worker, {big_lines / 1e6:.1f}M lines", seconds, len(big), big_lines, 1, peak)

    def ratio(faster: str, slower: str, label: str) -> None:
        """Pages/s of ``faster`` over those of ``slower``, round by round; ``label`` holds ``{}``
        where the median goes."""
        pages_of = {name: n_pages for name, (_, n_pages, _, _) in rows.items()}
        ratios = sorted((pages_of[faster] / times[faster][0]) / (pages_of[slower] / times[slower][0]) for times in rounds)
        print(label.format(f"{statistics.median(ratios):.2f}x") + f" (median of {len(ratios)} rounds, {ratios[0]:.2f}-{ratios[-1]:.2f})")

    trafilatura = EXTRACTORS["trafilatura"]
    for name in ("boilerline text, 1 worker(s)", "boilerline html, 1 worker(s)", EXTRACTORS["render"]):
        ratio(name, trafilatura, f"{name}: {{}} trafilatura's pages/s")
    for mode in ("text", "html"):
        ratio(f"boilerline {mode}, 2 worker(s)", f"boilerline {mode}, 1 worker(s)", f"boilerline {mode}: 2 workers {{}} 1 worker's pages/s")


if __name__ == "__main__":
    main()
