"""Classifying whole inputs: a stream of pages, or shards of a crawl, on local cores or Dask.

Two ways to run, both with memory bounded by the batch size rather than the input size:

- ``classify_stream``: pages in, (page, predictions) out in input order, batches spread over
  local worker processes (each loads the model once) with a bounded number in flight; or
  ``encoded_stream``: the same, each batch's output encoded in the worker that classified it
  (``classifier.batch_output``), with site repetition counted over the whole stream first;
- ``run_shards``: one output file per input file (shard), written atomically, so a rerun
  skips the shards already done (resume after a crash or a kill). Both passes, counting site
  repetition (``classifier.site_counts``) and classifying, run shard by shard in-process, on
  local worker processes, or on a Dask cluster (``dask_client``): the same functions, so the
  output is byte-identical whichever runs them.

With site counts every page's features are independent of which pages share its batch, so
the output does not depend on worker count or scheduling either, nor its text on batch size
(a compressed output holds a gzip member per batch).
"""

from __future__ import annotations

import gc
import itertools
import json
import tempfile
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path

from threadpoolctl import threadpool_limits

from classifier.atomic import atomic_output
from classifier.batch_output import BatchEncoding, EncodedBatch
from classifier.forking import start_fork_server
from classifier.formats import InputFormat, OutputFormat
from classifier.formats.records import Predictions
from classifier.io import HTML_SUFFIXES, JSONL_SUFFIXES, PARQUET_SUFFIXES, WARC_SUFFIXES, batch_writer, read_pages
from classifier.labeled import InputError
from classifier.limits import DEFAULT_BATCH_PAGES, Limits
from classifier.page import Page
from classifier.site_counts import SiteCounts, merge_all
from classifier.spool import PageSpool, pack, pages_of
from classifier.summary import Summary
from classifier.unrendered import UnrenderedPage, rendered

# Batches of a stream with whole-input site counts hold at most this many pages. There a
# page's predictions do not depend on the pages beside it (the output of 100k-line corpora,
# text and WARC, is byte-identical at 64 and 256), so smaller batches only lower memory: in
# bench/scale.py at 200k lines, peak RSS 314 MB against 514 at one worker.
COUNTED_BATCH_PAGES = 64

# Batches in flight per worker: enough to keep every worker busy while the main process
# reads and writes, few enough that memory stays a few batches.
BATCHES_IN_FLIGHT_PER_WORKER = 2

# Allocations between two runs of the cycle collector's youngest generation in a process
# that classifies a stream (``collect_less_often``); Python's default is 700.
GC_FIRST_GENERATION_THRESHOLD = 20_000

# Input suffixes, longest first, stripped to name an input's output shard; Common Crawl names
# its WET files "….warc.wet.gz", whose output is "….jsonl.gz", not "….warc.jsonl.gz".
INPUT_SUFFIXES = sorted(
    {
        *JSONL_SUFFIXES, *HTML_SUFFIXES, *(suffix + ".gz" for suffix in HTML_SUFFIXES), *WARC_SUFFIXES,
        ".warc.wet", ".warc.wet.gz", *PARQUET_SUFFIXES, ".txt", ".txt.gz", ".gz",
    },
    key=len, reverse=True,
)
ERRORS_SUFFIX = ".errors.jsonl"
OUTPUT_SUFFIXES = {
    OutputFormat.jsonl: ".jsonl.gz", OutputFormat.text: ".txt.gz", OutputFormat.annotated: ".annotated.txt.gz",
    OutputFormat.parquet: ".parquet",
    # Dolma's layout: an attributes file has its documents file's name, in a folder of its own.
    OutputFormat.attributes: ".jsonl.gz",
}


@dataclass(frozen=True)
class ReadOptions:
    input_format: InputFormat = InputFormat.auto
    text_field: str = "text"
    limits: Limits = Limits()

    def pages(self, inputs: Iterable[str], errors: list[InputError], render: bool = True) -> Iterator[Page | UnrenderedPage]:
        """The pages of ``inputs``; bad inputs and records go to ``errors``. With ``render=False``
        HTML pages of WARC files may come unrendered (``classifier.unrendered``)."""
        return read_pages(
            inputs, input_format=self.input_format, text_field=self.text_field, errors=errors, limits=self.limits, render=render,
        )


@dataclass(frozen=True)
class ClassifyOptions:
    """``trust_model``: the user's --trust-model, passed on to workers, which on a remote Dask
    worker read the trust list of that machine (``classifier.trust``)."""

    model_path: Path | None = None
    threshold: float | None = None
    batch_pages: int = DEFAULT_BATCH_PAGES
    trust_model: bool = False


# ----- one stream ---------------------------------------------------------------------------

@lru_cache(maxsize=4)
def loaded_model(model_path: Path | None, trust: bool):
    """The model's predictor, loaded once per process (a worker process or a Dask worker) from
    its arrays file; a model saved without one is unpickled, which needs ``trust``."""
    from classifier.persistence import NoArraysError
    from classifier.predictor import Predictor

    try:
        return Predictor.load(model_path)
    except NoArraysError:
        from classifier.model import LineClassifier

        return LineClassifier.load(model_path, trust=trust).predictor()


def classify_batch(
    items: Sequence[Page | UnrenderedPage], options: ClassifyOptions, site_counts: SiteCounts | None,
) -> tuple[list[Page], list[Predictions]]:
    """The batch's pages, rendered where they were not, and their predictions."""
    pages = [rendered(item) for item in items]
    return pages, loaded_model(options.model_path, options.trust_model).predict_pages(pages, options.threshold, site_counts=site_counts)


def batches(pages: Iterable, size: int) -> Iterator[list]:
    batch: list = []
    for page in pages:
        batch.append(page)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def classify_stream(
    items: Iterable[Page | UnrenderedPage], options: ClassifyOptions, *, workers: int = 1, site_counts: SiteCounts | None = None,
) -> Iterator[tuple[Page, Predictions]]:
    """(page, predictions) for every page, in input order, unrendered pages rendered where
    they are classified: with ``workers`` > 1 in worker processes (``classified_batches``)."""
    for pages, predictions in classified_batches(items, options, _pairs, workers=workers, site_counts=site_counts):
        yield from zip(pages, predictions)


def encoded_stream(
    items: Iterable[Page | UnrenderedPage], options: ClassifyOptions, encoding: BatchEncoding, *,
    workers: int = 1, count_sites: bool = True, site_counts: SiteCounts | None = None,
) -> Iterator[EncodedBatch]:
    """The output of every batch, in input order, encoded where it was classified
    (``classifier.batch_output``); sites counted over the whole stream when ``count_sites``,
    else by ``site_counts`` (or within each batch when there are none)."""
    if count_sites:
        return counted_batches(items, options, encoding.encode, workers=workers)
    return classified_batches(items, options, encoding.encode, workers=workers, site_counts=site_counts)


# What becomes of a classified batch where it was classified: ``finish(number, pages,
# predictions)``, ``number`` counting the stream's batches from 0. It runs in the worker
# process, so it must pickle (a module function, or a method of a picklable object).
Finish = Callable[[int, list[Page], list[Predictions]], object]


def classified_batches(
    items: Iterable[Page | UnrenderedPage], options: ClassifyOptions, finish: Finish, *,
    workers: int = 1, site_counts: SiteCounts | None = None,
) -> Iterator:
    """``finish`` of every batch, in input order. With ``workers`` > 1 batches go to worker
    processes (``in_workers``); an input of one batch is classified here (starting workers
    takes seconds)."""
    in_batches = batches(items, min(options.batch_pages, COUNTED_BATCH_PAGES))
    first = list(itertools.islice(in_batches, 2))
    numbered = enumerate(itertools.chain(first, in_batches))
    if workers <= 1 or len(first) < 2:
        for number, batch in numbered:
            yield finish(number, *classify_batch(batch, options, site_counts))
        return
    with process_pool(workers, options, site_counts) as pool:
        for _, finished in in_workers(pool, workers, partial(_classify_in_worker, options=options, finish=finish), numbered):
            yield finished


def counted_batches(items: Iterable[Page | UnrenderedPage], options: ClassifyOptions, finish: Finish, *, workers: int = 1) -> Iterator:
    """``finish`` of every batch, in input order, with site repetition counted over the whole
    stream: pass one renders each batch, counts its sites' lines and keeps it in a spool
    (``classifier.spool``); pass two classifies the kept batches with the merged counts.
    With ``workers`` > 1 both passes run in one pool of worker processes, started as soon as
    the input has two batches (an input of one batch is classified here)."""
    in_batches = batches(items, min(options.batch_pages, COUNTED_BATCH_PAGES))
    first = list(itertools.islice(in_batches, 2))
    in_batches = itertools.chain(first, in_batches)
    with PageSpool() as spool:
        if workers <= 1 or len(first) < 2:
            counts = merge_all(_keep_and_count(batch, spool) for batch in in_batches)
            for number, pages in enumerate(spool.batches()):
                yield finish(number, *classify_batch(pages, options, counts))
            return
        with process_pool(workers, options) as pool, tempfile.TemporaryDirectory(prefix="boilerline-counts-") as folder:
            starting = _StartingWorkers(pool, workers)
            parts = []
            counted = in_workers(pool, workers, _count_in_worker, in_batches, here=starting.counts_here, local=_rendered_and_counted)
            for _, (pages_or_block, part) in counted:
                spool.add(pages_or_block)
                parts.append(part)
            # The counts go to the workers once, as a file each loads on its first batch.
            counts_path = Path(folder) / "site-counts.npz"
            merge_all(parts).save(counts_path)
            classify = partial(_classify_spooled_in_worker, options=options, counts_path=counts_path, finish=finish)
            for _, finished in in_workers(pool, workers, classify, enumerate(spool.spooled())):
                yield finished


def _keep_and_count(batch: Sequence[Page | UnrenderedPage], spool: PageSpool) -> SiteCounts:
    pages, counts = _rendered_and_counted(batch)
    spool.keep(pages)
    return counts


def in_workers(
    pool: ProcessPoolExecutor, workers: int, function: Callable, in_batches: Iterable,
    here: Callable[[object], bool] | None = None, local: Callable | None = None,
) -> Iterator[tuple[object, object]]:
    """(batch, ``function(batch)``) for every batch, in order, computed in ``pool``: at most
    BATCHES_IN_FLIGHT_PER_WORKER per worker at a time, so memory stays a few batches. A batch
    for which ``here(batch)`` is true is computed in this process instead, by ``local``
    (``function`` when there is none)."""
    in_flight: deque = deque()
    for batch in in_batches:
        computed_here = here is not None and here(batch)
        in_flight.append((batch, _done((local or function)(batch)) if computed_here else pool.submit(function, batch)))
        if len(in_flight) >= workers * BATCHES_IN_FLIGHT_PER_WORKER:
            batch, future = in_flight.popleft()
            yield batch, future.result()
    while in_flight:
        batch, future = in_flight.popleft()
        yield batch, future.result()


def _done(result: object) -> Future:
    future: Future = Future()
    future.set_result(result)
    return future


def _all_rendered(batch: Sequence[Page | UnrenderedPage]) -> bool:
    """Whether a batch's pass one is cheap enough to do in this process: nothing to render,
    only its lines to count (about 1 µs a line) and the batch to keep, so sending it to a
    worker would cost about as much as the counting."""
    return not any(isinstance(item, UnrenderedPage) for item in batch)


class _StartingWorkers:
    """A pool's workers, started by a thread of this process: a worker is forked once the fork
    server has loaded the model, about half a second after the command starts, and until
    then a submit waits. Meanwhile this process can do pass one's first batches itself."""

    def __init__(self, pool: ProcessPoolExecutor, workers: int) -> None:
        self._started = threading.Event()
        threading.Thread(target=self._start, args=(pool, workers), daemon=True).start()

    def _start(self, pool: ProcessPoolExecutor, workers: int) -> None:
        try:
            for future in [pool.submit(_started_worker) for _ in range(workers)]:
                future.result()
        except Exception:  # noqa: BLE001 - a broken or closed pool fails this process's own next submit
            pass
        finally:
            self._started.set()

    def counts_here(self, batch: Sequence[Page | UnrenderedPage]) -> bool:
        """Whether this process does ``batch``'s pass one itself: always for a batch with
        nothing to render (``_all_rendered``), and any batch until the workers have started."""
        return _all_rendered(batch) or not self._started.is_set()


def _started_worker() -> None:
    """A task that only makes a worker start (``_StartingWorkers``)."""


# A worker process's site counts, sent once when it starts rather than with every batch.
_worker_site_counts: SiteCounts | None = None


def process_pool(workers: int, options: ClassifyOptions, site_counts: SiteCounts | None = None) -> ProcessPoolExecutor:
    """Worker processes forked from a fork server, a fresh process (forking this one, whose
    libraries may have started threads, can hang the child) that has imported the predictor
    and loaded the model once, so that each worker starts without doing either again; each
    worker is limited to one thread, so N workers use N cores."""
    return ProcessPoolExecutor(workers, mp_context=start_fork_server(options.model_path, options.trust_model), initializer=_start_worker, initargs=(site_counts,))


def _start_worker(site_counts: SiteCounts | None) -> None:
    global _worker_site_counts
    _worker_site_counts = site_counts
    threadpool_limits(1)
    collect_less_often()


def collect_less_often() -> None:
    """Start Python's cycle collector every ``GC_FIRST_GENERATION_THRESHOLD`` allocations
    rather than every 700, for this process: featurizing a batch allocates hundreds of
    thousands of strings, lists and arrays that form no reference cycles, and the collector
    ran hundreds of times a batch for nothing. For a process that classifies a stream (the
    command line's, a worker)."""
    gc.set_threshold(GC_FIRST_GENERATION_THRESHOLD, *gc.get_threshold()[1:])


def _classify_in_worker(numbered: tuple[int, Sequence[Page | UnrenderedPage]], options: ClassifyOptions, finish: Finish):
    number, items = numbered
    return finish(number, *classify_batch(items, options, _worker_site_counts))


def _count_in_worker(items: Sequence[Page | UnrenderedPage]) -> tuple[bytes, SiteCounts]:
    """Pass one for a batch in a worker: its pages packed for the spool, and their site counts."""
    pages, counts = _rendered_and_counted(items)
    return pack(pages), counts


def _rendered_and_counted(items: Sequence[Page | UnrenderedPage]) -> tuple[list[Page], SiteCounts]:
    """Pass one for a batch: its pages rendered, and their site counts."""
    pages = [rendered(item) for item in items]
    return pages, SiteCounts.of_pages(pages)


def _classify_spooled_in_worker(numbered: tuple[int, list[Page] | bytes], options: ClassifyOptions, counts_path: Path, finish: Finish):
    """Pass two for a spooled batch (its pages, or their packed block); the counts are read
    from their file once per worker."""
    number, batch = numbered
    return finish(number, *classify_batch(pages_of(batch), options, loaded_site_counts(counts_path)))


@lru_cache(maxsize=2)
def loaded_site_counts(path: Path) -> SiteCounts:
    """The site counts of a ``SiteCounts.save`` file, read once per process (a worker's)."""
    return SiteCounts.load(path)


def _pairs(number: int, pages: list[Page], predictions: list[Predictions]) -> tuple[list[Page], list[Predictions]]:
    """Classified pages as a caller of ``classify_stream`` needs them back: without their
    structure, which only the features read (and is the largest part of a rendered page)."""
    for page in pages:
        page.structure = None
    return pages, predictions


# ----- shards -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Shard:
    """An input file and its output; the inputs or records of it that were rejected go to
    ``errors`` (written only when there are some)."""

    source: str
    output: Path
    errors: Path


def plan_shards(files: Sequence[Path], out_dir: Path, output_format: OutputFormat) -> list[Shard]:
    """One output per input file, named after it (``part-0.jsonl`` -> ``part-0.jsonl.gz``,
    its errors ``part-0.errors.jsonl``); two inputs with one output name are an error."""
    shards, seen = [], {}
    for file in files:
        name = file.name
        stem = next((name[: -len(suffix)] for suffix in INPUT_SUFFIXES if name.lower().endswith(suffix)), name)
        output = out_dir / (stem + OUTPUT_SUFFIXES[output_format])
        if output in seen:
            raise ValueError(f"{seen[output]} and {file} would both be written to {output}; rename one")
        seen[output] = file
        shards.append(Shard(str(file), output, out_dir / (stem + ERRORS_SUFFIX)))
    return shards


def count_shard(shard: Shard, read: ReadOptions) -> SiteCounts:
    """Map step of pass one: the shard's counts, not pruned (a line seen once here may be seen
    again in another shard)."""
    return SiteCounts.of_pages(read.pages([shard.source], errors=[]))


def classify_shard(shard: Shard, read: ReadOptions, options: ClassifyOptions, output_format: OutputFormat, site_counts: SiteCounts | None) -> Summary:
    """Pass two for one shard: classify it and write its output atomically, and its errors
    file, when it has errors, just before (so a finished output always has its errors)."""
    summary = Summary()
    pages = read.pages([shard.source], errors=summary.errors)
    encoding = BatchEncoding.for_output(shard.output, output_format, read.limits)
    with batch_writer(shard.output, output_format) as write:
        for batch in encoded_stream(pages, options, encoding, count_sites=False, site_counts=site_counts):
            write(batch.output)
            summary.merge(batch.summary)
        shard.errors.unlink(missing_ok=True)
        if summary.errors:
            write_errors(summary.errors, shard.errors)
    return summary


def write_errors(errors: Sequence[InputError], path: Path) -> None:
    """An errors file (``error_lines``) holding ``errors``, written atomically."""
    with atomic_output(path) as tmp, open(tmp, "w", encoding="utf-8", newline="\n") as out:
        out.writelines(error_lines(errors))


def error_lines(errors: Iterable[InputError]) -> Iterator[str]:
    """The lines of an errors file: a JSON object per rejected input or record (``InputError.as_record``)."""
    return (json.dumps(error.as_record(), ensure_ascii=False) + "\n" for error in errors)


def run_shards(
    shards: Sequence[Shard], read: ReadOptions, options: ClassifyOptions, output_format: OutputFormat, *,
    workers: int = 1, dask_client=None, site_counts: bool = True, done: Callable[[Shard, Summary], None] | None = None,
) -> Summary:
    """Both passes over ``shards``; the shards whose output exists are not classified again
    (but still counted: the counts are of the whole input). ``done`` is called as each shard
    is finished, before its summary is added to the one returned."""
    pending = [shard for shard in shards if not shard.output.exists()]
    summary = Summary()
    if not pending:
        return summary
    count = partial(count_shard, read=read)
    if dask_client is not None:
        counts = dask_client.submit(merge_all, dask_client.map(count, shards, pure=False), pure=False) if site_counts else None
        classify = partial(classify_shard, read=read, options=options, output_format=output_format)
        futures = dask_client.map(classify, pending, site_counts=counts, pure=False)
        results = _dask_completed(futures, pending)
        _collect(results, summary, done)
        return summary
    if workers <= 1:
        counts = merge_all(map(count, shards)) if site_counts else None
        classify = partial(classify_shard, read=read, options=options, output_format=output_format, site_counts=counts)
        _collect(((shard, classify(shard)) for shard in pending), summary, done)
        return summary
    with process_pool(workers, options) as pool:
        counts = merge_all(pool.map(count, shards)) if site_counts else None
        classify = partial(classify_shard, read=read, options=options, output_format=output_format, site_counts=counts)
        _collect(zip(pending, pool.map(classify, pending)), summary, done)
    return summary


def _dask_completed(futures, shards: Sequence[Shard]) -> Iterator[tuple[Shard, Summary]]:
    from distributed import as_completed

    shard_of = {future.key: shard for future, shard in zip(futures, shards)}
    for future in as_completed(futures):
        yield shard_of[future.key], future.result()


def _collect(results: Iterable[tuple[Shard, Summary]], summary: Summary, done) -> None:
    for shard, shard_summary in results:
        if done:
            done(shard, shard_summary)
        summary.merge(shard_summary)


def dask_client(address: str, workers: int):
    """A client of the Dask scheduler at ``address``, or of a new local cluster of
    ``workers`` single-threaded processes for ``local``."""
    from distributed import Client

    if address == "local":
        # A client that starts its own cluster closes it when it closes.
        return Client(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
    return Client(address)
