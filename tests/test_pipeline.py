"""Whole-input prediction: site counts as map/reduce, batches on workers, shards, resume, Dask."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from classifier.features import featurize
from classifier.html import render_html
from classifier.forking import MODEL_VARIABLE
from classifier.formats.text import OutputFormat
from classifier.io import read_pages
from classifier.pipeline import ClassifyOptions, ReadOptions, classify_stream, plan_shards, run_shards
from classifier.site_counts import SiteCounts, merge_all
from tests.paths import ROOT

# Shards of real pages: the Arabic set (17 sites, some with several pages) and L3S news pages
# (sites with up to 12 pages), rendered to text as a WET dump would hold them.
SHARD_SOURCES = (("arabic", 38), ("l3s_gn1", 90))
N_SHARDS = 4


@pytest.fixture(scope="module")
def text_records(shared_data) -> list[dict]:
    records = []
    for dataset, n in SHARD_SOURCES:
        with gzip.open(shared_data / f"{dataset}.jsonl.gz", "rt", encoding="utf-8") as handle:
            for line, _ in zip(handle, range(n)):
                record = json.loads(line)
                lines = render_html(record["html"]).lines
                records.append({"id": record["id"], "url": record["url"], "text": "\n".join(lines)})
    return records


@pytest.fixture(scope="module")
def shard_files(text_records, tmp_path_factory) -> list[Path]:
    """The records dealt round-robin into shards, so a site's pages are spread over shards."""
    folder = tmp_path_factory.mktemp("shards")
    files = [folder / f"part-{i}.jsonl" for i in range(N_SHARDS)]
    for i, file in enumerate(files):
        file.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in text_records[i::N_SHARDS]), encoding="utf-8")
    return files


def pages_of(files) -> list:
    return list(read_pages([str(f) for f in files]))


def test_site_counts_of_shards_merge_to_the_counts_of_the_whole_input(shard_files):
    whole = SiteCounts.of_pages(pages_of(shard_files)).pruned()
    merged = merge_all(SiteCounts.of_pages(pages_of([f])) for f in reversed(shard_files))
    assert merged.site_pages == whole.site_pages
    assert np.array_equal(merged.keys, whole.keys) and np.array_equal(merged.counts, whole.counts)
    assert len(whole.keys) > 0 and whole.counts.min() >= 2  # repeated lines only: singletons pruned


def test_site_counts_saved_and_loaded_are_the_same_counts(shard_files, tmp_path):
    counts = SiteCounts.of_pages(pages_of(shard_files)).pruned()
    counts.site_pages["موقع.example\u200f"] += 2  # a site name that is neither ASCII nor visible
    counts.save(tmp_path / "counts.npz")
    loaded = SiteCounts.load(tmp_path / "counts.npz")
    assert loaded.site_pages == counts.site_pages and len(loaded.keys) > 0
    assert np.array_equal(loaded.keys, counts.keys) and np.array_equal(loaded.counts, counts.counts)
    (tmp_path / "bad.npz").write_bytes(b"not counts")
    with pytest.raises(ValueError, match="bad.npz: not a site counts file"):
        SiteCounts.load(tmp_path / "bad.npz")


def test_counts_saved_with_another_fingerprint_are_refused(shard_files, tmp_path):
    """A counts file handed to a later run (the datatrove step takes one) must have been
    counted with the same fingerprints, or every line would look unrepeated."""
    counts = SiteCounts.of_pages(pages_of(shard_files)).pruned()
    counts.save(tmp_path / "counts.npz")
    with np.load(tmp_path / "counts.npz") as arrays:
        older = {name: arrays[name] for name in arrays.files if name != "fingerprints"}
    np.savez(tmp_path / "older.npz", **older)
    with pytest.raises(ValueError, match="older.npz: .*fingerprinted by another version"):
        SiteCounts.load(tmp_path / "older.npz")


def murmurhash64a(data: bytes, seed: int = 0) -> int:
    """MurmurHash64A as Austin Appleby published it (MurmurHash2.cpp), in Python."""
    m, r, mask = 0xC6A4A7935BD1E995, 47, (1 << 64) - 1
    h = (seed ^ (len(data) * m)) & mask
    blocks = len(data) // 8
    for i in range(blocks):
        k = int.from_bytes(data[8 * i: 8 * i + 8], "little")
        k = (k * m) & mask
        k ^= k >> r
        k = (k * m) & mask
        h = ((h ^ k) * m) & mask
    tail = data[8 * blocks:]
    if tail:
        h = ((h ^ int.from_bytes(tail, "little")) * m) & mask
    h ^= h >> r
    h = (h * m) & mask
    return h ^ (h >> r)


def test_line_fingerprints_are_murmurhash64a_of_site_and_key_and_skip_blank_lines(text_records):
    """Pages of Arabic and English news: each non-blank line's fingerprint is MurmurHash64A
    of the site, a NUL and its comparison key in UTF-32LE; lines ``str.strip`` empties (an
    ideographic space, a file separator) have none."""
    from classifier.site_counts import fingerprints
    from classifier.text import line_fingerprints, normalize_line

    site = "موقع.example"
    lines = [line for record in text_records[:40] for line in record["text"].split("\n")]
    lines += ["\u3000", "\x1c\t", "\ud800 lone surrogate"]
    kept = [line for line in lines if line.strip()]
    assert len(kept) < len(lines) and any(not line.isascii() for line in kept)
    keys = [normalize_line(line) for line in kept]
    expected = [murmurhash64a((site + "\0" + key).encode("utf-32-le", "surrogatepass")) for key in keys]
    assert line_fingerprints(site, lines).tolist() == expected
    assert fingerprints([site] * len(keys), keys).tolist() == expected


def test_features_from_whole_input_counts_equal_those_of_one_batch_holding_every_page(shard_files):
    """Counting sites in a pass of their own gives a page the repetition features it would get
    with every page of the input in its batch, however the pages are batched."""
    pages = pages_of(shard_files)
    one_batch = featurize(pages)
    counts = SiteCounts.of_pages(pages).pruned()
    batched = [featurize(pages[i : i + 16], site_counts=counts) for i in range(0, len(pages), 16)]
    for column in ("site_pages_in_batch", "site_dup_share"):
        expected = one_batch[column].to_numpy(dtype=float)
        got = np.concatenate([table[column].to_numpy(dtype=float) for table in batched])
        assert np.allclose(got, expected, equal_nan=True), column
    assert np.nanmax(one_batch["site_dup_share"]) > 0.5  # the data has repeated site chrome


def test_two_workers_give_the_output_of_one_in_the_same_order(shard_files):
    pages = pages_of(shard_files)
    options = ClassifyOptions(batch_pages=8)
    counts = SiteCounts.of_pages(pages).pruned()
    alone = list(classify_stream(pages, options, workers=1, site_counts=counts))
    shared = list(classify_stream(pages, options, workers=2, site_counts=counts))
    assert [page.page_id for page, _ in shared] == [page.page_id for page in pages]
    assert [predictions for _, predictions in shared] == [predictions for _, predictions in alone]


def test_an_input_of_one_batch_starts_no_worker_processes(shard_files, monkeypatch):
    import classifier.pipeline

    pages = pages_of(shard_files)[:8]
    alone = list(classify_stream(pages, ClassifyOptions(batch_pages=8), workers=1))
    monkeypatch.setattr(classifier.pipeline, "process_pool", lambda *args: pytest.fail("started workers for one batch"))
    assert list(classify_stream(pages, ClassifyOptions(batch_pages=8), workers=2)) == alone


@pytest.mark.parametrize(("model", "loaded"), [(None, 1), ("missing/model.joblib", 0)])
def test_the_fork_server_loads_the_model_its_command_names_before_it_forks(model, loaded):
    """``classifier.fork_server`` is what the workers' fork server imports first: it loads the
    model named in its environment, so that every worker starts with it; a model it cannot
    load leaves the server alive, and each worker then reports the problem itself."""
    script = "import classifier.fork_server; from classifier.pipeline import loaded_model; print(loaded_model.cache_info().currsize)"
    env = {**os.environ, MODEL_VARIABLE: json.dumps({"path": model, "trust": False})}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [str(loaded)]


def test_a_model_refused_in_the_workers_is_a_one_line_error_and_no_output(shard_files, tmp_path, monkeypatch):
    """With workers on a large input the command checks only the model's files and the workers
    load it: a model of another feature list (its files intact) is refused there, and reported
    as the command reports it when it loads the model itself."""
    import shutil

    from typer.testing import CliRunner

    import classifier.cli
    from classifier.persistence import DEFAULT_MODEL_PATH, arrays_path, metadata_path

    for file in (DEFAULT_MODEL_PATH, metadata_path(DEFAULT_MODEL_PATH), arrays_path(DEFAULT_MODEL_PATH)):
        shutil.copyfile(file, tmp_path / file.name)
    model = tmp_path / DEFAULT_MODEL_PATH.name
    meta = json.loads(metadata_path(model).read_text(encoding="utf-8"))
    meta["feature_names"][0] = "renamed"
    metadata_path(model).write_text(json.dumps(meta), encoding="utf-8")
    monkeypatch.setattr(classifier.cli, "EARLY_WORKERS_BYTES", 0)  # these shards count as a large input
    out = tmp_path / "out.jsonl.gz"
    args = ["predict", *map(str, shard_files), "-o", str(out), "--model", str(model), "--workers", "2", "--no-progress"]
    result = CliRunner().invoke(classifier.cli.app, args)
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"error: {model}: its feature list differs from this version of boilerline (feature 0 is 'renamed', expected 'log_chars'); "
        "use the boilerline version it was trained with, or retrain it with `boilerline train`"
    ]
    assert not out.exists()


@pytest.mark.parametrize("output_format", [OutputFormat.text, OutputFormat.jsonl])
def test_batches_encoded_in_two_workers_make_the_file_one_process_writes(shard_files, tmp_path, output_format):
    """Each worker encodes and compresses its own batches (classifier.batch_output): the
    .gz file is one gzip member per batch, the same bytes with 1 and 2 workers, and reads as
    the pages written one by one (``page_writer``), the text format's page separators
    included (batch 0 alone opens the output)."""
    from typer.testing import CliRunner

    from classifier.cli import app
    from classifier.io import page_writer

    outputs = []
    for workers in ("1", "2"):
        out = tmp_path / f"out-{workers}.gz"
        args = ["predict", *map(str, shard_files), "-o", str(out), "--format", output_format.value, "--workers", workers, "--no-progress"]
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, result.output
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert outputs[0].count(b"\x1f\x8b\x08") >= 2  # a gzip header per batch of 64 pages
    pages = pages_of(shard_files)
    one_by_one = tmp_path / "one-by-one.gz"
    with page_writer(one_by_one, output_format) as writer:
        for page, predictions in classify_stream(pages, ClassifyOptions(), site_counts=SiteCounts.of_pages(pages).pruned()):
            writer.write(page, predictions)
    assert gzip.decompress(outputs[0]) == gzip.decompress(one_by_one.read_bytes())


def test_an_input_without_pages_still_makes_a_gzip_file(tmp_path):
    from typer.testing import CliRunner

    from classifier.cli import app

    empty, out = tmp_path / "empty.jsonl", tmp_path / "out.jsonl.gz"
    empty.write_text("")
    result = CliRunner().invoke(app, ["predict", str(empty), "-o", str(out), "--no-progress"])
    assert result.exit_code == 0, result.output
    assert gzip.decompress(out.read_bytes()) == b""


def shard_outputs(folder: Path) -> dict[str, bytes]:
    return {path.name: gzip.decompress(path.read_bytes()) for path in sorted(folder.glob("*.jsonl.gz"))}


def run_local(shard_files, out_dir: Path, workers: int = 1, dask_client=None):
    shards = plan_shards(shard_files, out_dir, OutputFormat.jsonl)
    return run_shards(shards, ReadOptions(), ClassifyOptions(batch_pages=8), OutputFormat.jsonl, workers=workers, dask_client=dask_client)


def test_shard_outputs_are_named_after_their_inputs_without_the_input_suffixes(tmp_path):
    inputs = [Path(name) for name in ("CC-MAIN-1-00000.warc.wet.gz", "crawl.warc.gz", "part-0.jsonl", "page.html.gz")]
    outputs = [shard.output.name for shard in plan_shards(inputs, tmp_path, OutputFormat.jsonl)]
    assert outputs == ["CC-MAIN-1-00000.jsonl.gz", "crawl.jsonl.gz", "part-0.jsonl.gz", "page.jsonl.gz"]


def test_shards_on_a_dask_local_cluster_are_byte_identical_to_a_local_run(shard_files, tmp_path):
    distributed = pytest.importorskip("distributed", reason="the dask extra is not installed: pip install '.[dask]'")
    summary = run_local(shard_files, tmp_path / "local")
    assert summary.pages == sum(n for _, n in SHARD_SOURCES) and not summary.errors
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client:
            assert len(client.scheduler_info()["workers"]) == 2
            run_local(shard_files, tmp_path / "dask", dask_client=client)
    local, on_dask = shard_outputs(tmp_path / "local"), shard_outputs(tmp_path / "dask")
    assert len(local) == N_SHARDS and local == on_dask


def test_a_run_killed_midway_and_rerun_ends_with_the_output_of_an_uninterrupted_run(shard_files, tmp_path):
    command = [
        sys.executable, "-m", "classifier.cli", "predict", *map(str, shard_files), "--workers", "1", "--batch-pages", "4",
        "--no-progress",
    ]
    subprocess.run([*command, "--output-dir", str(tmp_path / "whole")], check=True, cwd=ROOT, capture_output=True)
    interrupted = tmp_path / "interrupted"
    process = subprocess.Popen([*command, "--output-dir", str(interrupted)], cwd=ROOT, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not list(interrupted.glob("*.jsonl.gz")) and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    finished_before_kill = len(list(interrupted.glob("*.jsonl.gz")))
    assert 1 <= finished_before_kill < N_SHARDS, "the kill came too late to interrupt the run"
    rerun = subprocess.run([*command, "--output-dir", str(interrupted)], cwd=ROOT, capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{finished_before_kill} shard(s) already done" in rerun.stderr
    assert shard_outputs(interrupted) == shard_outputs(tmp_path / "whole")


def test_a_named_pipe_read_once_is_classified_whole_with_site_counts(shard_files, tmp_path):
    """Pass two reads the spool, not the input again: an input that can be read only once
    (``<(zcat part.jsonl.gz)``, a FIFO) gives the output of the same records in a file."""
    command = [sys.executable, "-m", "classifier.cli", "predict", "--workers", "1", "--no-progress"]
    from_file = subprocess.run([*command, str(shard_files[0])], cwd=ROOT, capture_output=True, check=True)
    pipe = tmp_path / "part.jsonl"
    os.mkfifo(pipe)
    process = subprocess.Popen([*command, str(pipe)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        pipe.write_bytes(shard_files[0].read_bytes())  # blocks until the run opens the pipe
        out, err = process.communicate(timeout=300)  # a run that opens the pipe again waits for ever
    finally:
        process.kill()
    assert process.returncode == 0, err.decode()
    assert out == from_file.stdout and len(out.splitlines()) == len(shard_files[0].read_text().splitlines())
