"""Fuzz the readers and the featurizer + model with atheris (libFuzzer) for a given time.

    python bench/fuzz.py --seconds 360 --target readers      # text, HTML, JSONL, WARC (+ .gz), Parquet
    python bench/fuzz.py --seconds 360 --target featurizer   # featurize + predict_pages on odd lines
    python bench/fuzz.py --seconds 600 --target all --corpus /tmp/fuzz-corpus

Targets:

- ``readers``: the first byte of an input picks a format (text, html, jsonl, warc, parquet),
  whether the file is gzip-compressed (whole, or compressed and cut short) and whether
  ``read_pages`` gets an ``errors`` list; the rest is the file. With a list, every bad file or
  record must land in it; without one, ``InputError`` is the only exception allowed. The pages
  read are then written as JSONL (or text / annotated) output, which must not fail either.
- ``featurizer``: the first byte picks how the rest becomes text (UTF-8 with
  ``surrogateescape``, UTF-16 with ``surrogatepass``, Latin-1, or raw code points, lone
  surrogates included), how many pages it is split into (at form feeds), whether the pages
  have link counts and share a site. ``featurize`` must give one row per line, and
  ``Predictor.predict_pages`` one (label, p_content) per line, None exactly on blank
  lines, p_content in [0, 1].

Any other exception is a finding: it is recorded once per place it was raised (exception type
and innermost frame), with the input that raised it and its traceback, in the findings folder,
and fuzzing goes on. A native crash, timeout or out-of-memory ends libFuzzer's run; its input
is in the findings folder (``crash-*``, ``timeout-*``, ``oom-*``) and the run restarts for the
remaining time. The corpus starts from real inputs: ``seeds/`` and the first pages of a few
``../shared/data`` datasets (when present), written to a temporary folder (or ``--corpus``).
At the end the script prints, per target, the seconds run, the executions and the findings,
and exits non-zero on a finding or when a target ran no input at all.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import itertools
import json
import re
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGETS = ("readers", "featurizer")
READER_FORMATS = ("text", "html", "jsonl", "warc", "parquet")
SUFFIXES = {"text": ".txt", "html": ".html", "jsonl": ".jsonl", "warc": ".warc", "parquet": ".parquet"}
# How a reader input's file is stored: as is, gzip-compressed, or compressed and cut short.
GZIP_MODES = ("plain", "gzip", "gzip-cut")
# Inputs longer than this are cut by libFuzzer; real pages are seeded cut to it too. Long
# enough to hold a real page's first screens, short enough for thousands of runs a minute.
MAX_INPUT_BYTES = 24_000
# An input taking longer than this is reported as a timeout (a page of this size takes well
# under a second to read or classify).
TIMEOUT_SECONDS = 20
RSS_LIMIT_MB = 3072
SHARED_DATA = ROOT.parent / "shared" / "data"
SEED_DATASETS = ("arabic", "cleaneval", "chinese_wce", "dragnet")
SEED_PAGES_PER_DATASET = 3
# A run ends early on a native crash; it is restarted while at least this much time is left.
MIN_RESTART_SECONDS = 5


# ----- the harness, run in a worker process under libFuzzer --------------------------------

class _Harness:
    """Runs one target on one input; records every new kind of exception in ``findings``."""

    def __init__(self, target: str, findings: Path):
        self.target = target
        self.findings = findings
        # Kinds already found (by an earlier run of this target, before a restart).
        self.seen = {p.read_text(encoding="utf-8").partition("\n")[0] for p in findings.glob(f"bug-{target}-*.txt")}
        self.workdir = Path(tempfile.mkdtemp(prefix=f"boilerline-fuzz-{target}-"))
        if target == "featurizer":
            from classifier.predictor import Predictor

            self.model = Predictor.load()

    def __call__(self, data: bytes) -> None:
        try:
            if self.target == "readers":
                self.readers(data)
            else:
                self.featurizer(data)
        except Exception as error:  # noqa: BLE001 - every exception that gets here is a finding
            self.record(data, error)

    def record(self, data: bytes, error: Exception) -> None:
        frames = traceback.extract_tb(error.__traceback__)
        project = [f for f in frames if str(ROOT / "classifier") in f.filename] or frames
        where = f"{Path(project[-1].filename).name}:{project[-1].lineno}" if project else "?"
        signature = f"{type(error).__name__} at {where}"
        if signature in self.seen:
            return
        self.seen.add(signature)
        digest = hashlib.sha1(data).hexdigest()[:12]
        (self.findings / f"bug-{self.target}-{digest}.bin").write_bytes(data)
        text = "".join(traceback.format_exception(error))
        (self.findings / f"bug-{self.target}-{digest}.txt").write_text(f"{signature}\n\n{text}", encoding="utf-8", errors="backslashreplace")
        print(f"\n== FINDING {signature} (input bug-{self.target}-{digest}.bin)\n{text}", file=sys.stderr, flush=True)

    # -- readers --
    def readers(self, data: bytes) -> None:
        from classifier.formats.text import OutputFormat
        from classifier.io import InputFormat, page_writer, read_pages
        from classifier.labeled import InputError

        if not data:
            return
        choice, payload = data[0], data[1:]
        fmt = READER_FORMATS[choice % len(READER_FORMATS)]
        gzip_mode = GZIP_MODES[(choice // len(READER_FORMATS)) % len(GZIP_MODES)] if fmt != "parquet" else "plain"
        with_errors = not choice & 0x80
        name = "input" + SUFFIXES[fmt]
        if gzip_mode != "plain":
            name += ".gz"
            packed = gzip.compress(payload, mtime=0)
            # Cut at a place the input itself picks (its length), past the 10-byte header.
            payload = packed[: 10 + len(payload) % max(1, len(packed) - 10)] if gzip_mode == "gzip-cut" else packed
        path = self.workdir / name
        path.write_bytes(payload)
        errors: list | None = [] if with_errors else None
        try:
            pages = list(read_pages([str(path)], input_format=InputFormat(fmt), errors=errors))
        except InputError:
            if with_errors:
                raise
            pages = []
        output_format = (OutputFormat.jsonl, OutputFormat.text, OutputFormat.annotated)[len(payload) % 3]
        with page_writer(self.workdir / "out.jsonl", output_format) as writer:
            for page in pages:
                predictions = [(None, None) if not line.strip() else ("content", 0.5) for line in page.lines]
                writer.write(page, predictions)

    # -- featurizer + model --
    def featurizer(self, data: bytes) -> None:
        from classifier.features import feature_names, featurize
        from classifier.page import Page, is_blank
        from classifier.site_counts import SiteCounts

        if not data:
            return
        choice, payload = data[0], data[1:]
        text = _decode_any(payload, choice % 4)
        with_links = bool(choice & 0x10)
        same_site = bool(choice & 0x08)
        n_pages = 1 + (choice >> 5) % 3
        parts = text.split("\f", n_pages - 1)
        pages = []
        for number, part in enumerate(parts):
            lines = part.split("\n")
            # Link counts from the text itself: some beyond the line's length, as a broken
            # renderer could give.
            link_chars = [(ord(line[0]) % (len(line) + 3)) if line else 0 for line in lines] if with_links else None
            pages.append(Page(f"p{number}", lines, link_chars, site="fuzz.example" if same_site else None))
        table = featurize(pages)
        n_lines = sum(len(page.lines) for page in pages)
        assert len(table) == n_lines, f"{len(table)} feature rows for {n_lines} lines"
        missing = set(feature_names()) - set(table.columns)
        assert not missing, f"feature columns missing: {sorted(missing)}"
        predictions = self.model.predict_pages(pages)
        for page, page_predictions in zip(pages, predictions, strict=True):
            assert len(page_predictions) == len(page.lines), "not one prediction per line"
            for line, (label, p) in zip(page.lines, page_predictions):
                assert (label is None) == is_blank(line), f"label {label!r} on line {line!r}"
                assert p is None or 0.0 <= p <= 1.0, f"p_content {p} out of [0, 1]"
        # The compiled fingerprints of whole-input site counts: counting these pages as the
        # whole input must give the predictions of counting them within the batch.
        counted = self.model.predict_pages(pages, site_counts=SiteCounts.of_pages(pages))
        assert counted == predictions, "whole-input site counts of one batch differ from the batch's own"


def _decode_any(payload: bytes, how: int) -> str:
    """Text of any code points, lone surrogates included, from bytes."""
    if how == 0:
        return payload.decode("utf-8", "surrogateescape")
    if how == 1:
        return payload[: len(payload) // 2 * 2].decode("utf-16-le", "surrogatepass")
    if how == 2:
        return payload.decode("latin-1")
    # Raw code points, three bytes each, over all of Unicode.
    return "".join(chr(int.from_bytes(payload[i : i + 3], "little") % 0x110000) for i in range(0, len(payload) - 2, 3))


def run_worker(target: str, findings: Path, libfuzzer_args: list[str]) -> None:
    import atheris

    with atheris.instrument_imports(include=["classifier"]):
        import classifier.features  # noqa: F401
        import classifier.formats.parquet  # noqa: F401
        import classifier.formats.warc  # noqa: F401
        import classifier.html  # noqa: F401
        import classifier.io  # noqa: F401
        import classifier.language  # noqa: F401
        import classifier.model  # noqa: F401
        import classifier.text  # noqa: F401
    harness = _Harness(target, findings)
    atheris.Setup([sys.argv[0], *libfuzzer_args], harness)
    atheris.Fuzz()


# ----- the seed corpus ----------------------------------------------------------------------

def _shared_records() -> list[dict]:
    records = []
    for dataset in SEED_DATASETS:
        path = SHARED_DATA / f"{dataset}.jsonl.gz"
        if path.is_file():
            with gzip.open(path, "rt", encoding="utf-8") as handle:
                records += [json.loads(line) for line in itertools.islice(handle, SEED_PAGES_PER_DATASET)]
    return records


def _warc_record(warc_type: str, number: int, block: bytes, content_type: str, url: str) -> bytes:
    head = (
        f"WARC/1.0\r\nWARC-Type: {warc_type}\r\nWARC-Date: 2024-03-01T00:00:00Z\r\n"
        f"WARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-{number:012d}>\r\nWARC-Target-URI: {url}\r\n"
        f"Content-Type: {content_type}\r\nContent-Length: {len(block)}\r\n\r\n"
    )
    return head.encode() + block + b"\r\n\r\n"


def _parquet_bytes(texts: list[str]) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    sink = io.BytesIO()
    pq.write_table(pa.table({"id": [f"r{i}" for i in range(len(texts))], "text": texts}), sink)
    return sink.getvalue()


def seed_inputs(target: str) -> list[bytes]:
    """Real inputs, each prefixed with the byte that picks how the harness reads it."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    gold = (ROOT / "seeds" / "gold.jsonl").read_bytes().splitlines()
    records = _shared_records()
    htmls = [r["html"] for r in records if isinstance(r.get("html"), str)]
    seeds: list[bytes] = []
    if target == "readers":
        def add(fmt: str, payload: bytes, gzip_mode: str = "plain") -> None:
            choice = READER_FORMATS.index(fmt) + len(READER_FORMATS) * GZIP_MODES.index(gzip_mode)
            seeds.append(bytes([choice]) + payload)

        for text in texts:
            add("text", text.encode("utf-8"))
            add("text", text.encode("utf-16"), "gzip")
            add("text", text[:2000].encode("cp1256", "replace"))
        for html in htmls:
            add("html", html.encode("utf-8"))
            add("html", html.encode("utf-8"), "gzip")
        for line in gold:
            add("jsonl", line + b"\n")
        add("jsonl", b"\n".join(gold[:2]) + b"\n", "gzip")
        add("jsonl", b'{"id": "s", "url": "http://x.example/\\udc80", "text": "a\\ud800b\\r\\nc\\u0000d"}\n{"lines": ["\\udfff", " "], "link_chars": [1, 0]}\n')
        records_warc = [
            _warc_record("warcinfo", 0, b"software: fuzz\r\n", "application/warc-fields", "urn:x"),
            _warc_record("response", 1, b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + (htmls[0] if htmls else "<p>x</p>").encode()[:6000], "application/http; msgtype=response", "https://a.example/1"),
            _warc_record("conversion", 2, (texts[0] if texts else "a\nb").encode()[:3000], "text/plain", "https://a.example/2"),
        ]
        add("warc", b"".join(records_warc))
        add("warc", b"".join(gzip.compress(r, mtime=0) for r in records_warc))
        add("parquet", _parquet_bytes([texts[0][:2000] if texts else "a", "b\nc"]))
    else:
        pages = texts + [r.get("text") or "" for r in records]
        for record in records[:4]:
            from classifier.html import render_html

            pages.append("\n".join(render_html(record["html"])[0]))
        for text in pages:
            if text:
                seeds.append(bytes([0x10]) + text.encode("utf-8", "surrogatepass"))
                seeds.append(bytes([0x01 | 0x08 | 0x20]) + (text[:4000] + "\f" + text[:4000]).encode("utf-16-le", "surrogatepass"))
        seeds.append(bytes([0x11]) + "\u200f\u202bمرحبا\u202c ـــ ١٢٣\n\u0301\u200b\n\x00\r\n\ufeff x".encode("utf-8") + b"\xed\xa0\x80\n")
    return [seed[:MAX_INPUT_BYTES] for seed in seeds]


def write_seed_corpus(target: str, folder: Path) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    seeds = seed_inputs(target)
    for seed in seeds:
        (folder / f"seed-{hashlib.sha1(seed).hexdigest()[:12]}").write_bytes(seed)
    return len(seeds)


# ----- the driver ---------------------------------------------------------------------------

_EXECUTIONS = re.compile(r"stat::number_of_executed_units:\s*(\d+)")
_STATUS = re.compile(r"^#(\d+)\s", re.MULTILINE)
_ARTIFACT = re.compile(r"Test unit written to (\S+)")


def fuzz_target(target: str, seconds: float, corpus: Path, findings: Path) -> dict:
    """Run the target's worker until ``seconds`` have passed, restarting after native crashes."""
    seeded = write_seed_corpus(target, corpus) if not any(corpus.glob("*")) else 0
    findings.mkdir(parents=True, exist_ok=True)
    executions, runs, artifacts = 0, 0, []
    start = time.monotonic()
    log_path = findings / f"{target}.log"
    while (left := seconds - (time.monotonic() - start)) >= (MIN_RESTART_SECONDS if runs else 1):
        args = [
            str(corpus), f"-max_total_time={int(left)}", f"-max_len={MAX_INPUT_BYTES}", f"-timeout={TIMEOUT_SECONDS}",
            f"-rss_limit_mb={RSS_LIMIT_MB}", f"-artifact_prefix={findings}/", "-print_final_stats=1", "-print_pcs=0",
        ]
        with open(log_path, "a", encoding="utf-8") as log:
            result = subprocess.run(
                [sys.executable, __file__, "--worker", target, "--findings", str(findings), "--", *args],
                stdout=log, stderr=subprocess.STDOUT,
            )
        runs += 1
        output = log_path.read_text(encoding="utf-8", errors="replace").split("\n== RUN ==\n")[-1]
        with open(log_path, "a", encoding="utf-8") as log:
            log.write("\n== RUN ==\n")
        counts = _EXECUTIONS.findall(output) or _STATUS.findall(output)[-1:]
        executions += int(counts[-1]) if counts else 0
        artifacts += _ARTIFACT.findall(output)
        if result.returncode == 0:
            break
    bugs = sorted(findings.glob(f"bug-{target}-*.txt"))
    return {
        "target": target, "seconds": round(time.monotonic() - start), "executions": executions, "runs": runs,
        "seeded": seeded, "corpus": str(corpus), "log": str(log_path), "findings": bugs, "artifacts": artifacts,
    }


def report(result: dict) -> None:
    print(
        f"\n## {result['target']}: {result['seconds']} s, {result['executions']:,} executions in {result['runs']} run(s); "
        f"corpus {result['corpus']} ({result['seeded']} seeds written); log {result['log']}"
    )
    if not result["executions"]:
        # A harness that fails before fuzzing (a model the code cannot load) restarts until the
        # time is up, with nothing found because nothing ran.
        print(f"the harness ran no input: see the end of {result['log']}")
    elif not result["findings"] and not result["artifacts"]:
        print("no findings")
    for path in result["findings"]:
        text = path.read_text(encoding="utf-8")
        signature, _, trace = text.partition("\n\n")
        print(f"- {signature}: input {path.with_suffix('.bin')}")
        print("    " + "\n    ".join(trace.strip().splitlines()[-4:]))
    for artifact in result["artifacts"]:
        print(f"- native crash / timeout / out-of-memory: input {artifact}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60, help="total fuzzing time (split between targets with --target all)")
    parser.add_argument("--target", choices=[*TARGETS, "all"], default="all")
    parser.add_argument("--corpus", type=Path, help="corpus folder (one subfolder per target; seeded when empty); default: a temporary folder")
    parser.add_argument("--findings", type=Path, help="where findings go; default: a temporary folder")
    parser.add_argument("--worker", choices=TARGETS, help=argparse.SUPPRESS)
    args, libfuzzer_args = parser.parse_known_args()
    if args.worker:
        run_worker(args.worker, args.findings, [a for a in libfuzzer_args if a != "--"])
        return
    targets = TARGETS if args.target == "all" else (args.target,)
    base = Path(tempfile.mkdtemp(prefix="boilerline-fuzz-"))
    corpus_root = args.corpus or base / "corpus"
    findings = args.findings or base / "findings"
    results = [fuzz_target(t, args.seconds / len(targets), corpus_root / t, findings) for t in targets]
    print("\n# fuzzing results")
    for result in results:
        report(result)
    sys.exit(1 if any(r["findings"] or r["artifacts"] or not r["executions"] for r in results) else 0)


if __name__ == "__main__":
    main()
