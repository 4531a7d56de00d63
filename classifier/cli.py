"""The ``boilerline`` command: predict, annotate, train, evaluate, audit, serve.

Each command is a thin layer over a plain function; library code raises, and only this
module turns errors into one-line messages and exit codes. Results go to stdout (or
``--output``), messages to stderr. A command imports what it works with when it runs:
``predict`` never loads training code, ``--help`` loads neither, and ``predict`` with workers
starts their fork server (``classifier.forking``) before it imports its readers and writers,
so that the server loads the model on another core meanwhile.
"""

from __future__ import annotations

import json
import os
import shlex
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Optional, TextIO

import typer

from classifier.forking import start_fork_server
from classifier.formats import InputFormat, OutputFormat
from classifier.limits import DEFAULT_BATCH_PAGES, DEFAULT_MAX_LINE_CHARS, DEFAULT_MAX_LINES, Limits
from classifier.serve.options import DEFAULT_HOST, DEFAULT_MAX_BODY_BYTES, DEFAULT_PORT, ServeOptions

if TYPE_CHECKING:
    from classifier.page import Page
    from classifier.summary import Summary

# Exit codes: 1 the run failed (nothing written), 2 a bad model or command line, 3 some inputs
# or records were rejected while the rest were written (unless --skip-errors).
EXIT_REJECTED = 3

# Plain help (no rich markup): rich would read "pip install '.[dask]'" as markup and drop the
# "[dask]", and --help starts faster without it.
app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None, help="Label every line of scraped pages as content or chrome.")

# Arguments of the commands that read pages to classify (predict, annotate).
INPUTS = typer.Argument(..., help="Text/HTML/JSONL/WARC/WET/Parquet files, folders of them, or - for stdin.")
MODEL = typer.Option(None, help="Model file (default: the shipped models/default.joblib).")
TRUST_MODEL = typer.Option(
    False, "--trust-model",
    help="Load a --model file saved without an arrays file (by an older boilerline) that is not trusted yet, "
    "and remember it as trusted. Such a model is a pickle, which can run code when loaded: use this only for "
    "a model from a source you trust. A model with its .npz arrays file is read without unpickling.",
)
INPUT_FORMAT = typer.Option(
    InputFormat.auto, help="How to read inputs; auto goes by file extension (.jsonl, .html, .warc/.wet[.gz], .parquet, else text)."
)
TEXT_FIELD = typer.Option("text", help="JSONL field or Parquet column holding the page text (a JSONL 'lines' list is used when present).")
MAX_LINES = typer.Option(
    DEFAULT_MAX_LINES, min=1, help="Lines of a page that are classified; the lines after them are dropped, and the page's record says so."
)
MAX_LINE_CHARS = typer.Option(
    DEFAULT_MAX_LINE_CHARS, min=1, help="Characters a line keeps; a longer line is cut, and the page's record says so."
)
FAIL_ON_ERROR = typer.Option(
    True, "--fail-on-error/--skip-errors",
    help="When inputs or records are rejected (the others are still classified and written): exit with code "
    f"{EXIT_REJECTED} (default), or report them and exit 0.",
)


def fail(message: str, code: int = 1) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def _progress(message: str) -> None:
    typer.echo(message, err=True)


def _load_model(model: Optional[Path], trust_model: bool = False):
    from classifier.persistence import ModelError
    from classifier.pipeline import loaded_model

    try:
        return loaded_model(model, trust_model)
    except ModelError as error:
        fail(str(error), code=2)


def _check_model_files(model: Optional[Path], trust_model: bool) -> None:
    from classifier.persistence import ModelError, check_model_files

    try:
        check_model_files(model, trust_model)
    except ModelError as error:
        fail(str(error), code=2)


class _ErrorReport:
    """Rejected inputs and records, reported as they come: a line each on stderr (above the
    progress bar) and, given a file, a JSON object each there (written atomically)."""

    def __init__(self, out: TextIO | None = None) -> None:
        self.out = out

    def report(self, summary: Summary) -> None:
        from classifier.pipeline import error_lines

        errors = summary.take_errors()
        for error in errors:
            _message(f"error: {error}")
        if self.out is not None:
            self.out.writelines(error_lines(errors))

    def reporting(self, pages: Iterable[Page], summary: Summary) -> Iterator[Page]:
        """``pages``, the errors met while reading each one reported as it passes."""
        for page in pages:
            self.report(summary)
            yield page
        self.report(summary)


@contextmanager
def _error_report(path: Optional[Path]) -> Iterator[_ErrorReport]:
    from classifier.atomic import atomic_output

    if path is None:
        yield _ErrorReport()
        return
    with atomic_output(path) as tmp, open(tmp, "w", encoding="utf-8", newline="\n") as out:
        yield _ErrorReport(out)


def _message(line: str) -> None:
    """A line on stderr that does not break a progress bar."""
    from tqdm import tqdm

    tqdm.write(line, file=sys.stderr)


def _finish(summary: Summary, started: float, fail_on_error: bool) -> None:
    """The rejected inputs and records not reported yet, the summary, and exit EXIT_REJECTED
    if any was rejected and ``fail_on_error``."""
    _ErrorReport().report(summary)
    typer.echo(summary.describe(time.perf_counter() - started), err=True)
    if summary.rejected and fail_on_error:
        raise typer.Exit(EXIT_REJECTED)


@contextmanager
def _run_failures() -> Iterator[None]:
    """A failure of the run itself (a full disk, an unwritable output, a worker process
    killed) as a one-line error; outputs are atomic, so nothing half-written is left."""
    from concurrent.futures.process import BrokenProcessPool

    from classifier.persistence import ModelError

    try:
        yield
    except OSError as error:
        fail(f"{error.filename2 or error.filename or 'output'}: {error.strerror or error}")
    except BrokenProcessPool:
        fail("a worker process died (killed, or out of memory); rerun with fewer --workers or a smaller --batch-pages")
    except ModelError as error:  # a model whose files passed the command's check, refused where it was loaded
        fail(str(error), code=2)


def _progress_bar(show: Optional[bool], **kwargs):
    """A tqdm bar on stderr; by default only when stderr is a terminal."""
    from tqdm import tqdm

    return tqdm(disable=None if show is None else not show, file=sys.stderr, dynamic_ncols=True, **kwargs)


@app.command()
def predict(
    inputs: list[str] = INPUTS,
    model: Optional[Path] = MODEL,
    trust_model: bool = TRUST_MODEL,
    format: OutputFormat = typer.Option(
        OutputFormat.jsonl, "--format", help="jsonl: per-line labels; text: cleaned page; annotated: marked lines; parquet: a row per page; attributes: Dolma attribute spans of the lines."
    ),
    threshold: Optional[float] = typer.Option(None, min=0.0, max=1.0, help="p(content) at or above which a line is content (default: the model's)."),
    output: Optional[Path] = typer.Option(
        None, "--output", "-o", dir_okay=False, help="Write here (atomically) instead of stdout; .gz compresses."
    ),
    output_dir: Optional[Path] = typer.Option(
        None, "--output-dir", file_okay=False,
        help="Write one output per input file here (part-0.jsonl -> part-0.jsonl.gz), each atomically; a rerun skips those already written.",
    ),
    input_format: InputFormat = INPUT_FORMAT,
    text_field: str = TEXT_FIELD,
    batch_pages: int = typer.Option(DEFAULT_BATCH_PAGES, min=1, help="Pages featurized together (memory grows with it); at most 64 when sites are counted over the whole input."),
    workers: int = typer.Option(os.cpu_count() or 1, min=1, help="Worker processes, each loading the model once (default: all cores)."),
    count_sites: bool = typer.Option(
        True, "--count-sites/--batch-sites",
        help="Count on how many of its site's pages each line occurs over the whole input, in a first pass of its own "
        "(default), or only among the pages of a batch. Stdin is always counted by batch.",
    ),
    dask: Optional[str] = typer.Option(
        None, "--dask", metavar="ADDRESS",
        help="With --output-dir: run both passes on the Dask scheduler at ADDRESS (tcp://host:8786), or 'local' for a "
        "local cluster of --workers processes (pip install '.[dask]'). Workers read inputs and write outputs by path.",
    ),
    progress: Optional[bool] = typer.Option(None, "--progress/--no-progress", help="Progress bar on stderr (default: when it is a terminal)."),
    max_lines: int = MAX_LINES,
    max_line_chars: int = MAX_LINE_CHARS,
    errors: Optional[Path] = typer.Option(
        None, "--errors", dir_okay=False,
        help="Write the rejected inputs and records here as JSONL ({id, input, record, reason}). With --output-dir "
        "each input's go to <output-dir>/<input>.errors.jsonl instead.",
    ),
    fail_on_error: bool = FAIL_ON_ERROR,
) -> None:
    """Label every line of the given pages content or chrome, with p(content).

    Bad inputs and records (binary files, malformed JSON, a cut gzip or WARC) are reported on
    stderr, one line each, and the rest are still classified and written."""
    if output is not None and output_dir is not None:
        fail("give --output or --output-dir, not both")
    if errors is not None and output_dir is not None:
        fail("with --output-dir each input's errors go to <output-dir>/<input>.errors.jsonl; drop --errors")
    if dask is not None and output_dir is None:
        fail("--dask writes one output per input file: give --output-dir")
    if format == OutputFormat.parquet and output is None and output_dir is None:
        fail("parquet output needs a file: give --output or --output-dir")
    if output is not None and output.name.endswith(".parquet") != (format == OutputFormat.parquet):
        fail(f"{output}: the file name and --format {format.value} disagree; name a parquet output *.parquet and give --format parquet")
    _without_blas_threads()
    # A bad or untrusted model fails here, before any input is read. Where workers will
    # classify, the fork server loads the model (on the other core) and this process only
    # checks its files, then reads and counts the input while the server loads.
    if workers > 1 and dask is None and _more_than_a_batch(inputs):
        start_fork_server(model, trust_model)
        _check_model_files(model, trust_model)
    else:
        _load_model(model, trust_model)
    from classifier.pipeline import ClassifyOptions, ReadOptions, collect_less_often

    collect_less_often()
    options = ClassifyOptions(model, threshold, batch_pages, trust_model)
    started = time.perf_counter()
    read = ReadOptions(input_format, text_field, Limits(max_lines, max_line_chars))
    with _run_failures():
        if output_dir is None:
            summary = _predict_stream(
                inputs, read, options, format, output, workers, count_sites and "-" not in inputs, progress, errors,
            )
        else:
            summary = _predict_shards(inputs, read, options, format, output_dir, workers, count_sites, dask, progress)
        _finish(summary, started, fail_on_error)


def _without_blas_threads() -> None:
    """Ask OpenBLAS for no threads of its own (unless the user set them), before numpy is
    imported here, in the fork server or in the workers. Prediction makes no BLAS call, but
    OpenBLAS starts a thread per core with numpy, which spins for about 0.1 s of a core
    (`import numpy` takes 0.12 s of CPU, 0.07 s with one thread): in every process of a run,
    where the spinning takes a core from the workers. With one thread, two workers from WARC
    were about 4% faster (bench/scale.py's HTML corpus, four alternating pairs)."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


# Input bytes beyond which workers will be started, so the fork server starts first thing: about
# a batch of 64 text pages. Below it (one page, a few) the server would start for nothing.
EARLY_WORKERS_BYTES = 1_000_000


def _more_than_a_batch(inputs: list[str]) -> bool:
    """Whether the inputs likely hold more than one batch: files of more than EARLY_WORKERS_BYTES
    together, or a folder."""
    paths = [Path(name) for name in inputs if name != "-"]
    if any(path.is_dir() for path in paths):
        return True
    return sum(path.stat().st_size for path in paths if path.is_file()) > EARLY_WORKERS_BYTES


def _predict_stream(inputs, read, options, output_format, output, workers, count_sites, progress, errors_file) -> Summary:
    from classifier.batch_output import BatchEncoding
    from classifier.io import batch_writer
    from classifier.pipeline import encoded_stream
    from classifier.summary import Summary

    summary = Summary()
    # HTML of WARC files comes unrendered, to be rendered in the worker processes, which also
    # encode the output of their batches (classifier.batch_output).
    pages = read.pages(inputs, errors=summary.errors, render=False)
    encoding = BatchEncoding.for_output(output, output_format, read.limits)
    with batch_writer(output, output_format) as write, _error_report(errors_file) as errors:
        pages = errors.reporting(pages, summary)
        with _progress_bar(progress, unit=" pages") as bar:
            for batch in encoded_stream(pages, options, encoding, workers=workers, count_sites=count_sites):
                for note in batch.notes:
                    _message(note)
                write(batch.output)
                summary.merge(batch.summary)
                errors.report(summary)
                bar.update(batch.summary.pages)
        errors.report(summary)
    return summary


def _predict_shards(inputs, read, options, output_format, output_dir, workers, count_sites, dask, progress) -> Summary:
    from classifier.io import input_files
    from classifier.labeled import InputError
    from classifier.pipeline import dask_client, plan_shards, run_shards

    if "-" in inputs:
        fail("--output-dir writes one output per input file; stdin (-) has none")
    try:
        shards = plan_shards(input_files(inputs), output_dir, output_format)
    except (InputError, ValueError) as error:
        fail(str(error))
    finished = sum(shard.output.exists() for shard in shards)
    if finished:
        typer.echo(f"{finished} shard(s) already done in {output_dir}, skipped", err=True)
    try:
        client = dask_client(dask, workers) if dask else nullcontext(None)
    except (ImportError, OSError) as error:
        fail(f"cannot start Dask ({error}); pip install '.[dask]' and check the scheduler address")
    with client, _progress_bar(progress, total=len(shards) - finished, unit=" shards") as bar:
        return run_shards(
            shards, read, options, output_format, workers=workers, dask_client=client if dask else None,
            site_counts=count_sites, done=lambda shard, shard_summary: (_ErrorReport().report(shard_summary), bar.update()),
        )


@app.command()
def annotate(
    inputs: list[str] = INPUTS,
    out: Path = typer.Option(..., "--out", help="The annotation file to write (atomically), e.g. new-site.annotated.txt."),
    model: Optional[Path] = MODEL,
    trust_model: bool = TRUST_MODEL,
    input_format: InputFormat = INPUT_FORMAT,
    text_field: str = TEXT_FIELD,
    max_lines: int = MAX_LINES,
    max_line_chars: int = MAX_LINE_CHARS,
    fail_on_error: bool = FAIL_ON_ERROR,
) -> None:
    """Write the pages' lines behind the model's labels (C| content, -| chrome, ' |' blank)
    for a person to correct in an editor; train and evaluate read the file back with --data."""
    from classifier.annotation import format_page
    from classifier.atomic import atomic_output
    from classifier.batch_output import reading_notes
    from classifier.labeled import InputError
    from classifier.pipeline import ClassifyOptions, ReadOptions, classify_stream
    from classifier.summary import Summary

    _load_model(model, trust_model)
    started = time.perf_counter()
    summary = Summary()
    read = ReadOptions(input_format, text_field, Limits(max_lines, max_line_chars))
    with _run_failures(), atomic_output(out) as tmp, open(tmp, "w", encoding="utf-8", newline="\n") as handle:
        for page, predictions in classify_stream(read.pages(inputs, summary.errors), ClassifyOptions(model, trust_model=trust_model)):
            for note in reading_notes(page, read.limits):
                _message(note)
            try:
                text = format_page(page, [label for label, _ in predictions])
            except InputError as error:  # a line break inside a line of a JSONL record
                summary.errors.append(error)
            else:
                handle.write(text)
                summary.add(page, predictions)
    _finish(summary, started, fail_on_error)


SYNTHETIC = typer.Option(
    0, "--synthetic", min=0,
    help="Synthetic mixed-script training pages per direction (training/augment.py); none by default, see docs/evaluation-history.md.",
)
# The default is training.train.CIPHERED_SITE_SHARE, written out so that --help needs no
# import of the training code; tests/test_cipher.py checks that they agree.
CIPHERED_SHARE = typer.Option(
    0.3, "--ciphered-share", min=0.0, max=1.0,
    help="Share of Latin-script sites also learned from as ciphered copies, a language the model cannot read "
    "(training/cipher.py); 0 turns them off, see docs/evaluation.md.",
)


def _load_training_pages(data: list[Path]):
    from classifier.labeled import InputError
    from training.loading import load_pages

    try:
        return load_pages(data, progress=_progress)
    except (InputError, FileNotFoundError) as error:
        fail(str(error))


@app.command()
def train(
    data: list[Path] = typer.Option(..., "--data", help="Labeled-page JSONL files, HTML+gold dataset files, or folders of them (e.g. ../shared/data)."),
    out: Path = typer.Option(..., "--out", help="Where to write the model (.joblib); metadata goes beside it (.json)."),
    seed: int = typer.Option(0, help="Seed for link dropout, fold assignment and the learners."),
    cv: int = typer.Option(5, min=0, help="Site-grouped folds to score before the final fit (0: skip)."),
    synthetic: int = SYNTHETIC,
    ciphered_share: float = CIPHERED_SHARE,
) -> None:
    """Train a model on labeled pages, print site-grouped CV scores, save model + metadata."""
    from training.evaluate import cross_validate
    from training.report import format_report
    from training.train import train as train_model
    from training.train import training_tables

    pages = _load_training_pages(data)
    typer.echo(f"featurizing {len(pages)} pages", err=True)
    tables = training_tables(pages, seed)
    cv_scores = None
    if cv:
        try:
            cv_scores = cross_validate(
                pages, cv, seed=seed, text_only=True, progress=_progress, train_tables=tables,
                synthetic_per_direction=synthetic, ciphered_share=ciphered_share,
            ).scores
        except ValueError as error:
            fail(str(error))
        typer.echo(format_report(cv_scores, title=f"{cv}-fold cross-validation grouped by site, text-only input"))
    typer.echo(f"fitting on all {len(pages)} pages", err=True)
    meta = train_model(
        pages, out, seed=seed, sources=[str(path) for path in data], cv_scores=cv_scores, tables=tables,
        synthetic_per_direction=synthetic, ciphered_share=ciphered_share,
    )
    typer.echo(f"wrote {out} ({meta['size_bytes'] / 1e6:.1f} MB) and {out.with_suffix('.json').name}", err=True)


def _baselines(spec: Optional[str]) -> list[str]:
    """The --baselines names, checked before any page is read."""
    from training.baselines import BaselineUnavailable, parse_baselines

    if spec is None:
        return []
    try:
        return parse_baselines(spec)
    except BaselineUnavailable as error:
        fail(str(error))


@app.command()
def evaluate(
    context: typer.Context,
    data: list[Path] = typer.Option(..., "--data", help="Labeled-page JSONL files, HTML+gold dataset files, or folders of them."),
    model: Optional[Path] = typer.Option(None, help="Model file (default: the shipped model). Ignored with --cv."),
    trust_model: bool = TRUST_MODEL,
    cv: int = typer.Option(0, min=0, help="Instead of scoring a model, train and score K folds grouped by site."),
    text_only: bool = typer.Option(False, "--text-only", help="Hide link counts from the model, as for plain-text input."),
    seed: int = typer.Option(0, help="Seed for --cv."),
    cv_dataset: Optional[str] = typer.Option(
        None, help="With --cv: split only this dataset's pages into folds and score them; train every fold on all other pages too."
    ),
    synthetic: int = SYNTHETIC,
    ciphered_share: float = CIPHERED_SHARE,
    baselines: Optional[str] = typer.Option(
        None, "--baselines",
        help="Also score these systems on the same pages, comma-separated or all: trafilatura, justext, boilerpy3, "
        "readability, resiliparse (from the pages' HTML), c4-rule (from the lines).",
    ),
    baseline_cache: bool = typer.Option(
        True, "--baseline-cache/--no-baseline-cache",
        help="Keep the extractors' outputs (and times) in the cache folder ($BOILERLINE_CACHE, else ~/.cache/boilerline) "
        "by extractor version and page HTML, and reuse them: a rerun after retraining skips the extractors.",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object instead of a table."),
    report: Optional[Path] = typer.Option(
        None, "--report", metavar="DIR", file_okay=False,
        help="Also write an HTML report to DIR/index.html: the tables, a precision-recall curve, the worst pages line by line "
        "(needs matplotlib: pip install '.[bench]').",
    ),
    markdown: Optional[Path] = typer.Option(
        None, "--markdown", metavar="FILE", dir_okay=False,
        help="With --baselines: also write the systems' tables as Markdown to FILE, with this command and the versions "
        "(docs/benchmarks.md is written so).",
    ),
) -> None:
    """Score line labels against gold: precision/recall/F1 by lines and characters, page token F1,
    overall and by dataset, language and kind; with --baselines, every system beside the model."""
    from classifier.cache_dir import resolve_cache_dir
    from training.evaluate import cross_validate, evaluate as evaluate_model
    from training.extraction_cache import ExtractionCache
    from training.loading import html_records
    from training.report import format_report, format_systems

    systems = _baselines(baselines)
    if markdown is not None and not systems:
        fail("--markdown writes the systems' tables: give --baselines too")
    if report is not None:
        _require_report_packages()
    pages = _load_training_pages(data)
    html = html_records(data) if systems else ()
    cache = ExtractionCache.in_folder(resolve_cache_dir()) if systems and baseline_cache else None
    if cv:
        try:
            evaluation = cross_validate(
                pages, cv, seed=seed, text_only=text_only, progress=_progress, test_dataset=cv_dataset,
                synthetic_per_direction=synthetic, ciphered_share=ciphered_share, baselines=systems, html=html,
                extraction_cache=cache,
            )
        except ValueError as error:
            fail(str(error))
        title = f"{cv}-fold cross-validation grouped by site" + (f" over the {cv_dataset} pages" if cv_dataset else "")
    else:
        evaluation = evaluate_model(
            _load_model(model, trust_model), pages, text_only=text_only, baselines=systems, html=html, progress=_progress,
            extraction_cache=cache,
        )
        title = f"model {model or 'default'}"
    title += ", text-only input" if text_only else ""
    if report is not None or markdown is not None:
        _write_documents(report, markdown, evaluation, title, data, pages, _command_line(context))
    scores = evaluation.scores
    if as_json:
        typer.echo(json.dumps(scores, ensure_ascii=False))
        return
    typer.echo(format_report(scores, title=title))
    if systems:
        typer.echo("\n" + format_systems(scores))


def _require_report_packages() -> None:
    """matplotlib (the bench extra) draws the report's curve: checked before any page is read."""
    from training.baselines import OPTIONAL_EXTRA

    try:
        import matplotlib  # noqa: F401
    except ImportError:
        fail(f"--report needs matplotlib, which is not installed: pip install '.[{OPTIONAL_EXTRA}]'")


def _write_documents(report: Optional[Path], markdown: Optional[Path], evaluation, title: str, data: list[Path], pages, command: str) -> None:
    """The HTML report (DIR/index.html) and the Markdown tables, each written atomically."""
    from training.benchmarks import write_benchmarks
    from training.provenance import provenance

    source = provenance(title, command, data, pages, [run.name for run in evaluation.baseline_runs])
    if report is not None:
        from training.html_report import write_report

        _write_output("the report", lambda: write_report(report, evaluation, source))
    if markdown is not None:
        _write_output(str(markdown), lambda: write_benchmarks(markdown, evaluation.scores, source))


def _write_output(what: str, write) -> None:
    try:
        path = write()
    except OSError as error:
        fail(f"cannot write {what}: {error}")
    typer.echo(f"wrote {path}", err=True)


def _command_line(context: typer.Context) -> str:
    """The running command as a shell line, with the options given on the command line in the
    command's order. Rebuilt from the click context (under CliRunner sys.argv is the test
    runner's); the source is compared by name, as typer carries its own copy of click."""
    words = ["boilerline", context.info_name]
    for param in context.command.params:
        if context.get_parameter_source(param.name).name != "COMMANDLINE":
            continue
        value = context.params[param.name]
        if getattr(param, "is_flag", False):
            words.append(param.opts[0] if value else param.secondary_opts[0])
            continue
        for item in value if param.multiple else [value]:
            words += [param.opts[0], str(item)]
    return shlex.join(words)


@app.command()
def audit(
    data: Optional[list[Path]] = typer.Option(None, "--data", help="Labeled pages or datasets (default: $BOILERLINE_DATA or ../shared/data)."),
    n: int = typer.Option(20, min=1, help="Pages to show."),
    seed: int = typer.Option(0, help="Seed of the random sample."),
) -> None:
    """Print random labeled pages, every line behind its label, for a person to check the labels."""
    from training.audit import audit as render_audit
    from training.datasets import resolve_data_dir

    if not data:
        try:
            data = [resolve_data_dir(None)]
        except FileNotFoundError as error:
            fail(str(error))
    typer.echo(render_audit(_load_training_pages(data), n=n, seed=seed))


@app.command()
def serve(
    pages: Path = typer.Option(..., "--pages", file_okay=False, help="Folder where corrected pages are saved (created if missing), and read back."),
    open_dirs: Optional[list[Path]] = typer.Option(
        None, "--open", exists=True, file_okay=False, help="A folder whose text and HTML files may be opened (repeatable).",
    ),
    data: Optional[list[Path]] = typer.Option(
        None, "--data", exists=True, help="Training data added to the saved pages when retraining, as for train --data (repeatable; e.g. ../shared/data).",
    ),
    models: Optional[Path] = typer.Option(
        None, "--models", file_okay=False, help="Folder where retrained models are written (created if missing) and listed; without it, no retraining.",
    ),
    model: Optional[Path] = typer.Option(None, help="The model chosen first (default: the shipped models/default.joblib)."),
    host: str = typer.Option(DEFAULT_HOST, help="Address to listen on; the default lets only this machine in."),
    port: int = typer.Option(DEFAULT_PORT, min=1, max=65535, help="Port to listen on."),
    max_body_bytes: int = typer.Option(DEFAULT_MAX_BODY_BYTES, min=1, help="Largest request (a pasted page) or file to open, in bytes."),
) -> None:
    """A local web page to see the model's labels on a page, correct them, save the page as
    labeled data and retrain (needs the serve extra; docs/cookbook/serve.md)."""
    try:
        from classifier.serve.app import serve as run_server
    except ModuleNotFoundError as error:
        fail(f"serve needs the serve extra ({error.name} is not installed): pip install -e '.[serve]'")
    try:
        options = ServeOptions(
            pages=pages, open_dirs=tuple(open_dirs or ()), data_dirs=tuple(data or ()), models=models, model=model,
            host=host, max_body_bytes=max_body_bytes,
        )
    except ValueError as error:
        fail(str(error), 2)
    _load_model(model)  # a bad model fails here, before the server starts
    with _run_failures():
        pages.mkdir(parents=True, exist_ok=True)
    run_server(options, port)


if __name__ == "__main__":
    app()
