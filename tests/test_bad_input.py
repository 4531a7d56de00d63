"""Dirty input through ``boilerline predict`` with the shipped model: every case gives a sane
result or a one-line error naming the file or record, never a traceback, and the good pages
of the same run are still written."""

from __future__ import annotations

import gzip
import io
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from classifier.cli import EXIT_REJECTED, app
from classifier.limits import DEFAULT_MAX_LINE_CHARS, DEFAULT_MAX_LINES
from classifier.page import is_blank
from tests.paths import ROOT, SEEDS
from tests.test_formats import crawl_records, per_record_gzip, record_id

runner = CliRunner()
SEED_TEXT = (SEEDS / "000_fccc882e8405e502.txt").read_text(encoding="utf-8")
SEED_LINES = SEED_TEXT.split("\n")
# A real Arabic page: menu, headline, article sentence, share line, footer.
ARABIC_LINES = [
    "الرئيسية | أخبار | رياضة | اتصل بنا",
    "وزير المالية: الميزانية ستنمو العام المقبل",
    "",
    "قال وزير المالية يوم الاثنين إن الميزانية ستنمو بنسبة ٥ في المئة العام المقبل، مع زيادة الإنفاق على التعليم والصحة.",
    "أرسل هذا الخبر لأصدقائك",
    "جميع الحقوق محفوظة ٢٠٢٤",
]


def predict(*args: str | Path):
    """``boilerline predict`` in this process, on one worker; the result, with the output
    records when the output is JSONL on stdout."""
    result = runner.invoke(app, ["predict", "--workers", "1", "--no-progress", *map(str, args)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result


def predict_one(*args: str | Path):
    """``predict`` of one page that must succeed: the result and the page's record."""
    result = predict(*args)
    assert result.exit_code == 0, result.output
    [record] = records_of(result.stdout)
    return result, record


def records_of(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def error_lines(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("error:")]


def assert_well_formed(record: dict) -> None:
    """One label per line, null exactly on blank lines, p_content in [0, 1] elsewhere."""
    for line in record["lines"]:
        if is_blank(line["text"]):
            assert line["label"] is None and line["p_content"] is None, line
        else:
            assert line["label"] in ("content", "chrome") and 0 <= line["p_content"] <= 1, line


# ----- odd but readable pages: a sane result -------------------------------------------------

@pytest.mark.parametrize(("name", "data", "lines"), [
    ("empty.txt", b"", [""]),
    ("spaces.txt", b"  \n\t\n \xc2\xa0 \n", ["  ", "\t", " \u00a0 ", ""]),
])
def test_empty_and_whitespace_only_pages_give_blank_lines_only(tmp_path, name, data, lines):
    path = tmp_path / name
    path.write_bytes(data)
    result, record = predict_one(path)
    assert [line["text"] for line in record["lines"]] == lines
    assert all(line["label"] is None for line in record["lines"])


def test_cr_crlf_and_mixed_line_ends_read_as_the_same_lines(tmp_path):
    for name, separator in (("lf", "\n"), ("crlf", "\r\n"), ("cr", "\r")):
        (tmp_path / f"{name}.txt").write_text(separator.join(SEED_LINES), encoding="utf-8", newline="")
    mixed = "".join(line + ("\r\n", "\n", "\r")[i % 3] for i, line in enumerate(SEED_LINES[:-1])) + SEED_LINES[-1]
    (tmp_path / "mixed.txt").write_text(mixed, encoding="utf-8", newline="")
    result = predict(*(tmp_path / f"{name}.txt" for name in ("lf", "crlf", "cr", "mixed")), "--batch-sites")
    assert result.exit_code == 0, result.output
    records = records_of(result.stdout)
    assert len(records) == 4
    for record in records:
        assert [line["text"] for line in record["lines"]] == SEED_LINES
        assert record["lines"] == records[0]["lines"]


def test_utf16_with_bom_is_read_and_named(tmp_path):
    path = tmp_path / "arabic-utf16.txt"
    path.write_bytes("\n".join(ARABIC_LINES).encode("utf-16"))  # with its byte-order mark
    result, record = predict_one(path)
    assert record["encoding"].startswith("utf-16")
    assert [line["text"] for line in record["lines"]] == ARABIC_LINES
    assert f"note: {path}: not UTF-8, read as utf-16" in result.stderr


def test_windows_1256_arabic_without_declaration_is_detected_and_named(tmp_path):
    path = tmp_path / "arabic.txt"
    path.write_bytes("\r\n".join(ARABIC_LINES).encode("cp1256", errors="replace").replace(b"?", b""))
    result, record = predict_one(path)
    assert record["encoding"] == "cp1256"
    assert f"note: {path}: not UTF-8, read as cp1256" in result.stderr
    assert [line["text"] for line in record["lines"]][:2] == ARABIC_LINES[:2]


def test_invalid_utf8_in_a_text_file_is_read_in_the_encoding_found_and_named(tmp_path):
    path = tmp_path / "latin.txt"
    # UTF-8 text with one windows-1252 byte in it (an "é" saved by an old editor).
    path.write_bytes(SEED_TEXT.encode("utf-8").replace(b"Moscow", b"Mosc\xe9w", 1))
    result, record = predict_one(path)
    assert record["encoding"] != "utf-8" and "not UTF-8, read as" in result.stderr
    assert len(record["lines"]) == len(SEED_LINES)
    assert_well_formed(record)


def test_nul_bytes_inside_a_text_page_do_not_make_it_binary(tmp_path):
    path = tmp_path / "nul.txt"
    lines = [line + ("\0" if i % 7 == 3 else "") for i, line in enumerate(SEED_LINES)]
    path.write_text("\n".join(lines), encoding="utf-8")
    result, record = predict_one(path)
    assert [line["text"] for line in record["lines"]] == lines
    assert_well_formed(record)


def test_bidi_controls_and_zero_width_characters_are_kept_and_labeled(tmp_path):
    marks = ["\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]
    lines = [marks[i % len(marks)] + line + "\u200b" + marks[(i + 3) % len(marks)] if line else line for i, line in enumerate(ARABIC_LINES)]
    lines.append("\u200f\u200b\u2069")  # marks alone: not blank (LABELING.md), so labeled
    path = tmp_path / "marks.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    result, record = predict_one(path)
    assert [line["text"] for line in record["lines"]] == lines
    assert_well_formed(record)
    assert record["lines"][-1]["label"] is not None


def test_lone_surrogates_escaped_in_json_become_replacement_characters(tmp_path):
    path = tmp_path / "surrogates.jsonl"
    path.write_text(json.dumps({"id": "s\ud800", "url": "https://x.example/\udfff", "text": "Home\nbroken \ud83d pair \udc00 here"}) + "\n", encoding="ascii")
    result, record = predict_one(path)
    assert record["id"] == "s\ufffd" and record["url"] == "https://x.example/\ufffd"
    assert record["lines"][1]["text"] == "broken \ufffd pair \ufffd here"


# ----- files that are not pages: a one-line error, the others still written --------------------

def png_bytes() -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(1, 1))
    axes.plot([1, 2, 3])
    out = io.BytesIO()
    figure.savefig(out, format="png")
    plt.close(figure)
    return out.getvalue()


def pdf_bytes() -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(1, 1))
    axes.set_title("A page of text in a PDF")
    out = io.BytesIO()
    figure.savefig(out, format="pdf")
    plt.close(figure)
    return out.getvalue()


def zip_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:  # stored, not compressed: text in plain sight
        archive.writestr("page.txt", SEED_TEXT)
    return out.getvalue()


@pytest.mark.parametrize(("name", "make", "kind"), [
    ("image.txt", png_bytes, "a .png file"),
    ("archive.txt", zip_bytes, "a .zip file"),
    ("paper.txt", pdf_bytes, "a .pdf file"),
    ("image.html", png_bytes, "a .png file"),
])
def test_binary_files_passed_as_pages_are_named_and_the_good_page_still_written(tmp_path, name, make, kind):
    bad = tmp_path / name
    bad.write_bytes(make())
    good = tmp_path / "good.txt"
    good.write_text(SEED_TEXT, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = predict(bad, good, "-o", out)
    assert result.exit_code == EXIT_REJECTED
    assert error_lines(result) == [f"error: {bad}: looks like {kind}, not a text or HTML page"]
    assert [record["id"] for record in records_of(out.read_text(encoding="utf-8"))] == [str(good)]


def test_malformed_jsonl_records_are_named_by_line_and_id_and_the_rest_classified(tmp_path):
    good = {"id": "good", "url": "https://news.example/a", "text": SEED_TEXT}
    lines = [
        json.dumps(good),
        '{"id": "cut", "text": "Home\\nSome',                       # malformed JSON
        json.dumps({"id": "no-text", "title": "x"}),                 # missing field
        json.dumps({"id": "wrong-type", "text": 42}),                # wrongly typed field
        json.dumps({"id": "bad-lines", "lines": ["a", 1]}),
        json.dumps({"id": "bad-links", "lines": ["a", "b"], "link_chars": [1, "2"]}),
        json.dumps(["not", "an", "object"]),
        "",
        json.dumps({**good, "id": "good-2"}),
    ]
    path = tmp_path / "records.jsonl"
    data = "\n".join(lines).encode("utf-8") + b"\n" + b'{"id": "latin-1", "text": "caf\xe9"}\n'
    path.write_bytes(data)
    out, errors = tmp_path / "out.jsonl", tmp_path / "errors.jsonl"
    result = predict(path, "-o", out, "--errors", errors)
    assert result.exit_code == EXIT_REJECTED
    assert [record["id"] for record in records_of(out.read_text(encoding="utf-8"))] == ["good", "good-2"]
    rejected = records_of(errors.read_text(encoding="utf-8"))
    assert [(error["record"], error["id"]) for error in rejected] == [
        ("line 2", None), ("line 3", "no-text"), ("line 4", "wrong-type"), ("line 5", "bad-lines"),
        ("line 6", "bad-links"), ("line 7", None), ("line 10", None),
    ]
    assert all(error["input"] == str(path) and error["reason"] for error in rejected)
    assert "invalid JSON" in rejected[0]["reason"] and "not UTF-8" in rejected[-1]["reason"]
    assert len(error_lines(result)) == 7 and "7 input(s) or record(s) rejected" in result.stderr


def test_skip_errors_reports_and_exits_zero(tmp_path):
    path = tmp_path / "records.jsonl"
    path.write_text(json.dumps({"id": "good", "text": SEED_TEXT}) + "\nnot json\n", encoding="utf-8")
    result = predict(path, "--skip-errors")
    assert result.exit_code == 0
    assert len(records_of(result.stdout)) == 1 and len(error_lines(result)) == 1


@pytest.mark.parametrize("name", ["pages.jsonl.gz", "page.txt.gz"])
def test_truncated_gzip_is_named_and_the_records_before_the_cut_kept(tmp_path, name):
    records = "".join(json.dumps({"id": f"r{i}", "text": SEED_TEXT}) + "\n" for i in range(40))
    whole = gzip.compress((records if name.startswith("pages") else SEED_TEXT).encode("utf-8"))
    path = tmp_path / name
    path.write_bytes(whole[: len(whole) * 3 // 4])
    result = predict(path)
    assert result.exit_code == EXIT_REJECTED
    [error] = error_lines(result)
    assert error.startswith(f"error: {path}: ")
    kept = records_of(result.stdout)
    if name.startswith("pages"):
        assert 10 < len(kept) < 40 and [record["id"] for record in kept] == [f"r{i}" for i in range(len(kept))]
    else:
        assert kept == []


def test_truncated_warc_gives_its_complete_pages_and_one_error(tmp_path):
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(per_record_gzip(crawl_records())[:-40])
    result = predict(path)
    assert result.exit_code == EXIT_REJECTED
    assert [record["id"] for record in records_of(result.stdout)] == [record_id(2)]
    [error] = error_lines(result)
    assert error.startswith(f"error: {path}: truncated")


# ----- pages too big: limits, reported -------------------------------------------------------

def test_a_10_mb_line_is_cut_to_the_limit_and_the_cut_reported(tmp_path):
    path = tmp_path / "long-line.txt"
    path.write_text(SEED_LINES[0] + "\n" + "x" * 10_000_000 + "\n" + SEED_LINES[2], encoding="utf-8")
    result, record = predict_one(path)
    assert len(record["lines"][1]["text"]) == DEFAULT_MAX_LINE_CHARS
    assert record["truncated"] == {"lines_dropped": 0, "lines_cut": 1}
    assert f"note: {path}: truncated: 1 line(s) cut to {DEFAULT_MAX_LINE_CHARS:,} characters" in result.stderr
    assert "1 page(s) truncated by the limits" in result.stderr
    assert_well_formed(record)


def test_a_page_of_a_million_short_lines_is_classified_up_to_the_line_limit(tmp_path):
    path = tmp_path / "million.txt"
    path.write_text("\n".join(f"item {i}" for i in range(1_000_000)), encoding="utf-8")
    result, record = predict_one(path)
    assert len(record["lines"]) == DEFAULT_MAX_LINES and record["lines"][-1]["text"] == f"item {DEFAULT_MAX_LINES - 1}"
    assert record["truncated"] == {"lines_dropped": 1_000_000 - DEFAULT_MAX_LINES, "lines_cut": 0}
    assert_well_formed(record)


def test_limits_are_options(tmp_path):
    path = tmp_path / "page.txt"
    path.write_text(SEED_TEXT, encoding="utf-8")
    result, record = predict_one(path, "--max-lines", "3", "--max-line-chars", "20")
    assert [line["text"] for line in record["lines"]] == [line[:20] for line in SEED_LINES[:3]]
    assert record["truncated"] == {"lines_dropped": len(SEED_LINES) - 3, "lines_cut": 1}
    out = tmp_path / "out.parquet"
    assert predict(path, "--max-lines", "3", "--max-line-chars", "20", "--format", "parquet", "-o", out).exit_code == 0
    [row] = pq.read_table(out).to_pylist()
    assert row["truncated"] == record["truncated"] and row["lines"] == record["lines"]


@pytest.mark.parametrize(("name", "html", "expected"), [
    ("no-body.html", "<html><head><title>Only a title</title></head></html>", [""]),
    ("nested.html", "<html><body>" + "<div>" * 100_000 + "Deep text of the article." + "</div>" * 100_000 + "</body></html>",
     ["Deep text of the article."]),
    ("big-attribute.html", '<html><body><p title="' + "x" * 50_000_000 + '">Visible paragraph text.</p><a href="/">Home</a></body></html>',
     ["Visible paragraph text.", "", "Home"]),
])
def test_hostile_html_is_rendered(tmp_path, name, html, expected):
    path = tmp_path / name
    path.write_text(html, encoding="utf-8")
    result, record = predict_one(path)
    assert [line["text"] for line in record["lines"]] == expected
    assert_well_formed(record)


# ----- a kill leaves nothing half-written ----------------------------------------------------

def test_a_run_killed_while_writing_leaves_no_output_and_the_rerun_completes_it(shared_data, tmp_path):
    pages = tmp_path / "pages.jsonl"
    with gzip.open(shared_data / "l3s_gn1.jsonl.gz", "rt", encoding="utf-8") as source, open(pages, "w", encoding="utf-8") as out:
        for _, line in zip(range(200), source):
            record = json.loads(line)
            out.write(json.dumps({"id": record["id"], "url": record.get("url"), "text": record["html"]}) + "\n")
    out = tmp_path / "out" / "labels.jsonl"
    command = [sys.executable, "-m", "classifier.cli", "predict", str(pages), "-o", str(out), "--workers", "1", "--batch-pages", "8", "--no-progress"]
    process = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    temporaries = []
    while not temporaries and time.monotonic() < deadline and process.poll() is None:
        temporaries = [p for p in out.parent.glob(".labels.jsonl.*.tmp") if p.stat().st_size > 0] if out.parent.exists() else []
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert temporaries, "the kill came before any output was written"
    assert not out.exists()
    rerun = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert [p.name for p in out.parent.iterdir()] == ["labels.jsonl"]  # the killed run's temporary file is gone
    assert len(out.read_text(encoding="utf-8").splitlines()) == 200


# ----- the acceptance case: a folder of good pages and bad files --------------------------------

def bad_files() -> dict[str, bytes]:
    """Twenty files that are not pages, or not readable ones, one error each."""
    whole_gzip = gzip.compress(SEED_TEXT.encode("utf-8"))
    kinds = {
        "image.png": png_bytes(), "archive.zip": zip_bytes(), "paper.pdf": pdf_bytes(),
        "cut.txt.gz": whole_gzip[: len(whole_gzip) // 2],
        "broken.jsonl": b'{"id": "x", "text": "Home\n',
        "notes.warc": b"These are my notes about the crawl, not a WARC file.\n",
        "empty.parquet": b"PAR1",
        "noise.html": bytes(range(256)) * 8,
        "latin1.jsonl": b'{"id": "y", "text": "caf\xe9"}\n',
        "nul-page.txt": b"\0" * 1000,
    }
    return {f"{i:02d}-{name}": data for i, (name, data) in enumerate(list(kinds.items()) * 2)}


def test_a_folder_of_100_good_pages_and_20_bad_files_gives_100_records_and_20_errors(shared_data, tmp_path):
    folder = tmp_path / "crawl"
    folder.mkdir()
    with gzip.open(shared_data / "cleaneval.jsonl.gz", "rt", encoding="utf-8") as source:
        for i, line in zip(range(100), source):
            record = json.loads(line)
            (folder / f"page-{i:03d}.html").write_text(record["html"], encoding="utf-8")
    for name, data in bad_files().items():
        (folder / name).write_bytes(data)
    out, errors = tmp_path / "out.jsonl", tmp_path / "errors.jsonl"
    result = predict(folder, "-o", out, "--errors", errors)
    assert result.exit_code == EXIT_REJECTED
    records = records_of(out.read_text(encoding="utf-8"))
    assert sorted(Path(record["id"]).name for record in records) == [f"page-{i:03d}.html" for i in range(100)]
    for record in records:
        assert_well_formed(record)
    rejected = records_of(errors.read_text(encoding="utf-8"))
    assert sorted(Path(error["input"]).name for error in rejected) == sorted(bad_files())
    assert all(set(error) == {"id", "input", "record", "reason"} and error["reason"] for error in rejected)
    assert len(error_lines(result)) == 20
    summary = result.stderr.splitlines()[-1]
    assert summary.startswith("100 page(s), ") and summary.endswith("20 input(s) or record(s) rejected")


def test_output_dir_writes_each_inputs_errors_beside_its_output(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "clean.jsonl").write_text(json.dumps({"id": "a", "text": SEED_TEXT}) + "\n", encoding="utf-8")
    (inputs / "dirty.jsonl").write_text(json.dumps({"id": "b", "text": SEED_TEXT}) + '\n{"id": "c", "text": null}\n', encoding="utf-8")
    out = tmp_path / "out"
    result = predict(inputs, "--output-dir", out)
    assert result.exit_code == EXIT_REJECTED
    assert sorted(p.name for p in out.iterdir()) == ["clean.jsonl.gz", "dirty.errors.jsonl", "dirty.jsonl.gz"]
    [error] = records_of((out / "dirty.errors.jsonl").read_text(encoding="utf-8"))
    assert error == {"id": "c", "input": str(inputs / "dirty.jsonl"), "record": "line 2", "reason": error["reason"]}
    assert error_lines(result) == [f"error: {inputs / 'dirty.jsonl'}:line 2 (c): {error['reason']}"]
    assert len(error_lines(result)) == 1 and result.stderr.splitlines()[-1].endswith("; 1 input(s) or record(s) rejected")
    assert predict(inputs, "--output-dir", out, "--errors", tmp_path / "e.jsonl").exit_code == 1


def test_an_output_that_cannot_be_written_is_one_error_line(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text(SEED_TEXT, encoding="utf-8")
    blocked = tmp_path / "file.txt"
    blocked.write_text("not a folder", encoding="utf-8")
    result = predict(page, "-o", blocked / "out.jsonl")
    assert result.exit_code == 1
    assert error_lines(result) == [f"error: {blocked}: Not a directory"]
    assert sorted(tmp_path.iterdir()) == [blocked, page]


def test_a_record_of_no_lines_gives_a_record_of_no_lines(tmp_path):
    path = tmp_path / "records.jsonl"
    path.write_text(json.dumps({"id": "none", "lines": []}) + "\n" + json.dumps({"id": "good", "text": SEED_TEXT}) + "\n", encoding="utf-8")
    result = predict(path)
    assert result.exit_code == 0, result.output
    assert [(record["id"], len(record["lines"])) for record in records_of(result.stdout)] == [("none", 0), ("good", len(SEED_LINES))]


def test_a_parquet_string_that_is_not_utf8_is_one_rejected_row(tmp_path):
    # Found by bench/fuzz.py: pyarrow does not check strings when writing, and reading the
    # batch as Python objects raised UnicodeDecodeError for all its rows.
    import pyarrow as pa

    texts = [SEED_TEXT.encode("utf-8"), "قال الوزير".encode("cp1256"), "Home\nMore text".encode("utf-8")]
    table = pa.table({"id": ["a", "b", "c"], "text": pa.array(texts, type=pa.binary()).view(pa.string())})
    path = tmp_path / "pages.parquet"
    pq.write_table(table, path)
    result = predict(path)
    assert result.exit_code == EXIT_REJECTED
    assert [record["id"] for record in records_of(result.stdout)] == ["a", "c"]
    assert error_lines(result) == [f"error: {path}:row 1 (b): 'text' is not valid UTF-8"]
