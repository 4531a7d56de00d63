"""Crawl formats: WARC and WET input, Parquet in and out, gzip output, the page writer."""

from __future__ import annotations

import gzip
import io
import json
import re
import uuid
from collections import Counter
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from classifier.formats import parquet
from classifier.formats.records import page_record
from classifier.formats.text import OutputFormat
from classifier.html import render_html
from classifier.io import InputFormat, input_files, page_writer, read_pages
from classifier.labeled import InputError
from classifier.model import LineClassifier
from classifier.page import Page
from classifier.unrendered import UnrenderedPage
from tests.paths import ROOT, SEEDS

ARTICLE_HTML = (ROOT / "tests" / "fixtures" / "article.html").read_text(encoding="utf-8")
SEED_PAGES = sorted(SEEDS.glob("*.txt"))

# An Arabic news page: menu, headline, article sentence, share line, footer.
ARABIC_LINES = [
    "الرئيسية | أخبار | رياضة | اتصل بنا",
    "وزير المالية: الميزانية ستنمو العام المقبل",
    "قال وزير المالية يوم الاثنين إن الميزانية ستنمو بنسبة خمسة في المئة العام المقبل، مع زيادة الإنفاق على التعليم والصحة.",
    "أرسل هذا الخبر لأصدقائك",
    "جميع الحقوق محفوظة 2024",
]
# No charset anywhere: not in the HTML, not in the HTTP Content-Type.
ARABIC_HTML = (
    "<html dir=rtl><head><title>أخبار</title></head><body>"
    f"<nav><a href='/'>{ARABIC_LINES[0]}</a></nav><h1>{ARABIC_LINES[1]}</h1>"
    + "".join(f"<p>{line}</p>" for line in ARABIC_LINES[2:])
    + "</body></html>"
)


# ----- WARC records, written by hand as the WARC/1.0 spec has them ---------------------------

def record_id(number: int) -> str:
    return f"<urn:uuid:{uuid.UUID(int=number)}>"


def warc_record(warc_type: str, number: int, block: bytes, content_type: str, url: str | None = None) -> bytes:
    target = f"WARC-Target-URI: {url}\r\n" if url else ""
    head = (
        f"WARC/1.0\r\nWARC-Type: {warc_type}\r\nWARC-Date: 2024-03-01T00:00:00Z\r\nWARC-Record-ID: {record_id(number)}\r\n"
        f"{target}Content-Type: {content_type}\r\nContent-Length: {len(block)}\r\n\r\n"
    )
    return head.encode("utf-8") + block + b"\r\n\r\n"


def response(number: int, url: str, body: bytes, media_type: str) -> bytes:
    http = f"HTTP/1.1 200 OK\r\nContent-Type: {media_type}\r\nContent-Length: {len(body)}\r\n\r\n".encode("ascii") + body
    return warc_record("response", number, http, "application/http; msgtype=response", url)


def warcinfo(number: int) -> bytes:
    return warc_record("warcinfo", number, b"software: boilerline tests\r\nformat: WARC File Format 1.0\r\n", "application/warc-fields")


def per_record_gzip(records: list[bytes]) -> bytes:
    """One gzip member per record, as Common Crawl writes its files."""
    return b"".join(gzip.compress(record, mtime=0) for record in records)


def crawl_records() -> list[bytes]:
    """What a crawler writes for two HTML pages, an image and a request."""
    return [
        warcinfo(0),
        warc_record("request", 1, b"GET /news/harbour-library HTTP/1.1\r\nHost: www.coastalgazette.example\r\n\r\n",
                    "application/http; msgtype=request", "https://www.coastalgazette.example/news/harbour-library"),
        response(2, "https://www.coastalgazette.example/news/harbour-library", ARTICLE_HTML.encode("utf-8"), "text/html; charset=utf-8"),
        warc_record("metadata", 3, b"fetchTimeMs: 120\r\n", "application/warc-fields", "https://www.coastalgazette.example/news/harbour-library"),
        response(4, "https://news.example.ae/logo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png"),
        response(5, "https://www.akhbar.example.ae/economy/1", ARABIC_HTML.encode("cp1256"), "text/html"),
    ]


EXPECTED_SKIPPED = Counter({"warcinfo": 1, "request": 1, "metadata": 1, "response image/png": 1})


@pytest.mark.parametrize("name", ["crawl.warc.gz", "crawl.warc"])
def test_warc_html_responses_become_pages_rendered_like_html_files(tmp_path, name):
    path = tmp_path / name
    records = crawl_records()
    path.write_bytes(per_record_gzip(records) if name.endswith(".gz") else b"".join(records))
    errors, skipped = [], Counter()
    article, arabic = read_pages([str(path)], errors=errors, skipped=skipped)
    assert errors == [] and skipped == EXPECTED_SKIPPED
    assert (article.page_id, article.url, article.site) == (
        record_id(2), "https://www.coastalgazette.example/news/harbour-library", "coastalgazette.example",
    )
    assert (article.lines, article.link_chars) == render_html(ARTICLE_HTML)[:2]
    assert "encoding" not in article.extra
    assert (arabic.page_id, arabic.site) == (record_id(5), "akhbar.example.ae")
    # windows-1256 without a declaration is detected and reported, as for an HTML file.
    assert arabic.extra["encoding"] == "cp1256"
    assert (arabic.lines, arabic.link_chars) == render_html(ARABIC_HTML)[:2]
    assert [line for line in arabic.lines if line.strip()] == ARABIC_LINES


def test_wet_conversion_records_become_text_pages(tmp_path):
    texts = [seed.read_text(encoding="utf-8") for seed in SEED_PAGES]
    urls = ["https://www.alkhaleej.example.ae/world/kim-missile", "https://news.example.com/2024/03/21/markets"]
    records = [warcinfo(0)] + [
        warc_record("conversion", number, text.encode("utf-8"), "text/plain", url)
        for number, (text, url) in enumerate(zip(texts, urls), start=1)
    ]
    path = tmp_path / "CC-MAIN-20240301-00000.warc.wet.gz"
    path.write_bytes(per_record_gzip(records))
    skipped = Counter()
    pages = list(read_pages([str(path)], skipped=skipped))
    assert [(page.page_id, page.url) for page in pages] == [(record_id(1), urls[0]), (record_id(2), urls[1])]
    assert [page.site for page in pages] == ["alkhaleej.example.ae", "news.example.com"]
    assert [page.lines for page in pages] == [text.split("\n") for text in texts]
    assert all(page.link_chars is None for page in pages)
    assert skipped == Counter({"warcinfo": 1})


@pytest.mark.parametrize("compressed", [True, False])
def test_a_warc_cut_anywhere_in_its_last_record_gives_the_pages_before_and_one_error(tmp_path, compressed):
    records = crawl_records()
    whole = per_record_gzip(records) if compressed else b"".join(records)
    last_start = len(per_record_gzip(records[:-1]) if compressed else b"".join(records[:-1]))
    path = tmp_path / ("cut.warc.gz" if compressed else "cut.warc")
    # Every cut: inside the WARC headers (where FastWARC alone stops without a word), the
    # HTTP headers, the body, the record's closing CRLFs, the gzip trailer.
    for cut in range(last_start + 1, len(whole)):
        path.write_bytes(whole[:cut])
        errors = []
        pages = list(read_pages([str(path)], errors=errors))
        assert len(errors) == 1 and str(errors[0]).startswith(f"{path}: "), (cut, errors)
        assert "truncated" in errors[0].reason or "gzip" in errors[0].reason, (cut, errors)
        assert pages[0].page_id == record_id(2), cut
        # The cut page itself is given only when the cut spared its whole block.
        assert [page.lines for page in pages[1:]] in ([], [render_html(ARABIC_HTML)[0]]), cut


def test_a_truncated_warc_raises_after_its_good_pages_without_an_errors_list(tmp_path):
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(per_record_gzip(crawl_records())[:-40])
    pages = read_pages([str(path)])
    assert next(pages).page_id == record_id(2)
    with pytest.raises(InputError, match=re.escape(str(path)) + ": truncated"):
        next(pages)


def test_a_file_that_is_not_a_warc_is_named_in_one_error(tmp_path):
    path = tmp_path / "notes.warc"
    path.write_text("These are my notes about the crawl.\nNot a WARC file at all.\n", encoding="utf-8")
    errors = []
    assert list(read_pages([str(path)], errors=errors)) == []
    assert len(errors) == 1 and str(errors[0]).startswith(f"{path}: ")


def test_a_record_with_unreadable_http_headers_is_reported_and_the_next_ones_read(tmp_path):
    oversized_headers = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Padding: " + b"x" * 40_000 + b"\r\n\r\n<p>never read</p>"
    records = crawl_records()
    records.insert(2, warc_record("response", 9, oversized_headers, "application/http; msgtype=response", "https://bad.example/"))
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(per_record_gzip(records))
    errors = []
    pages = list(read_pages([str(path)], errors=errors))
    assert [page.page_id for page in pages] == [record_id(2), record_id(5)]
    assert len(errors) == 1 and str(errors[0]).startswith(f"{path}:record 3 ({record_id(9)}): unreadable HTTP headers")
    assert errors[0].as_record() == {
        "id": record_id(9), "input": str(path), "record": "record 3", "reason": errors[0].reason,
    }


def test_warc_from_stdin(tmp_path):
    stdin = io.TextIOWrapper(io.BytesIO(per_record_gzip(crawl_records())), encoding="utf-8")
    pages = list(read_pages(["-"], input_format=InputFormat.warc, stdin=stdin))
    assert [page.page_id for page in pages] == [record_id(2), record_id(5)]


def test_parquet_cannot_be_read_from_stdin():
    errors = []
    assert list(read_pages(["-"], input_format=InputFormat.parquet, stdin=io.StringIO(""), errors=errors)) == []
    assert [str(error) for error in errors] == ["<stdin>: Parquet is read from files only (its index is at the end)"]


def test_arabic_pages_in_windows_1256_warc_responses_read_as_their_html(shared_data, tmp_path):
    """The hand-labeled pages in Arabic, served as windows-1256 without any charset (the set's
    French and English pages under Arabic chrome have too few Arabic letters to tell)."""
    with gzip.open(shared_data / "arabic.jsonl.gz", "rt", encoding="utf-8") as handle:
        html_pages = [record["html"] for record in map(json.loads, handle) if record.get("html") and record.get("lang") == "ar"]
    undeclared = [re.sub(r"<meta[^>]*charset[^>]*>", "", html, flags=re.IGNORECASE) for html in html_pages]
    records = [
        response(number, f"https://arabic.example/{number}", html.encode("cp1256", errors="xmlcharrefreplace"), "text/html")
        for number, html in enumerate(undeclared)
    ]
    path = tmp_path / "arabic.warc.gz"
    path.write_bytes(per_record_gzip(records))
    pages = list(read_pages([str(path)]))
    assert len(pages) == len(html_pages) > 20
    assert [page.extra.get("encoding") for page in pages] == ["cp1256"] * len(pages)
    assert [page.lines for page in pages] == [render_html(html)[0] for html in undeclared]


def test_html_of_warc_responses_can_be_left_for_the_classifying_process_to_render(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(per_record_gzip(crawl_records()))
    unrendered = list(read_pages([str(path)], render=False))
    assert [type(item) for item in unrendered] == [UnrenderedPage, UnrenderedPage]
    def seen(page: Page) -> tuple:
        return page.page_id, page.url, page.site, page.lines, page.link_chars, page.structure.tokens, page.extra

    assert [seen(item.render()) for item in unrendered] == [seen(page) for page in read_pages([str(path)])]


@pytest.mark.parametrize("sites", ["--count-sites", "--batch-sites"])
def test_warc_html_rendered_in_two_workers_gives_the_output_of_one_process(shared_data, tmp_path, sites):
    """Worker processes render the HTML of WARC responses (issue 15): the output is the same
    bytes as one process's, windows-1256 pages and --max-lines cuts included."""
    from typer.testing import CliRunner

    from classifier.cli import app

    with gzip.open(shared_data / "arabic.jsonl.gz", "rt", encoding="utf-8") as handle:
        html_pages = [record["html"] for record in map(json.loads, handle) if record.get("html")][:24]
    records = [
        response(number, f"https://site{number % 3}.example/{number}", html.encode("cp1256", errors="xmlcharrefreplace"), "text/html")
        for number, html in enumerate(html_pages)
    ]
    path = tmp_path / "arabic.warc.gz"
    path.write_bytes(per_record_gzip(crawl_records() + records))
    outputs = []
    for workers in ("1", "2"):
        out = tmp_path / f"out-{workers}.jsonl"
        args = ["predict", str(path), "-o", str(out), "--workers", workers, "--batch-pages", "4", "--max-lines", "60", sites]
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, result.output
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    written = [json.loads(line) for line in outputs[0].decode("utf-8").splitlines()]
    assert len(written) == 2 + len(html_pages)
    assert sum(record.get("encoding") == "cp1256" for record in written) > 10
    assert sum("truncated" in record for record in written) > 0


# ----- Parquet in ----------------------------------------------------------------------------

def write_parquet(path: Path, columns: dict) -> None:
    pq.write_table(pa.table(columns), path)


def test_parquet_rows_become_pages_keeping_id_and_url(tmp_path):
    path = tmp_path / "pages.parquet"
    write_parquet(path, {
        "id": ["a", "b", "c"],
        "url": ["https://www.alkhaleej.example.ae/1", None, "https://news.example.com/2"],
        "text": ["الرئيسية\n\nقال الوزير إن الميزانية ستنمو.", None, "Home\r\nThe minister said so."],
        "lang": ["ar", "en", "en"],
    })
    errors = []
    pages = list(read_pages([str(path)], errors=errors))
    assert [(page.page_id, page.url, page.site) for page in pages] == [
        ("a", "https://www.alkhaleej.example.ae/1", "alkhaleej.example.ae"), ("c", "https://news.example.com/2", "news.example.com"),
    ]
    assert [page.lines for page in pages] == [["الرئيسية", "", "قال الوزير إن الميزانية ستنمو."], ["Home", "The minister said so."]]
    assert [str(error) for error in errors] == [f"{path}:row 1 (b): 'text' is null"]


def test_parquet_text_field_is_the_column_read(tmp_path):
    path = tmp_path / "pages.parquet"
    write_parquet(path, {"body": ["Home\nText"], "text": ["not this"]})
    [page] = read_pages([str(path)], text_field="body")
    assert page.lines == ["Home", "Text"] and page.page_id == f"{path}:row 0"


def test_parquet_without_the_text_column_is_named_in_one_error(tmp_path):
    path = tmp_path / "pages.parquet"
    write_parquet(path, {"id": ["a"], "content": ["Home"]})
    errors = []
    assert list(read_pages([str(path)], errors=errors)) == []
    assert [str(error) for error in errors] == [f"{path}: no 'text' column (columns: id, content)"]


def test_a_parquet_text_column_of_categories_is_read(tmp_path):
    path = tmp_path / "pages.parquet"
    write_parquet(path, {"text": pa.array(["Home\nText", "Home\nText"]).dictionary_encode()})
    assert [page.lines for page in read_pages([str(path)])] == [["Home", "Text"]] * 2


@pytest.mark.parametrize(("columns", "problem"), [
    ({"text": [1, 2]}, "column 'text' holds int64, not strings"),
    (None, "not a readable Parquet file"),
])
def test_unreadable_parquet_is_named_in_one_error(tmp_path, columns, problem):
    path = tmp_path / "pages.parquet"
    if columns is None:
        path.write_bytes(b"PAR1 this file was cut short")
    else:
        write_parquet(path, columns)
    errors = []
    assert list(read_pages([str(path)], errors=errors)) == []
    assert len(errors) == 1 and str(errors[0]).startswith(f"{path}: {problem}")


def test_parquet_rows_are_read_in_batches(tmp_path, monkeypatch):
    """A page is handed on before the next batch is read: memory holds a batch, not the file."""
    monkeypatch.setattr(parquet, "READ_BATCH_ROWS", 2)
    path = tmp_path / "pages.parquet"
    write_parquet(path, {"id": [str(i) for i in range(5)], "text": [f"page {i}" for i in range(5)]})
    batches = []
    original = pq.ParquetFile.iter_batches

    def counting(self, *args, **kwargs):
        for batch in original(self, *args, **kwargs):
            batches.append(batch.num_rows)
            yield batch

    monkeypatch.setattr(pq.ParquetFile, "iter_batches", counting)
    pages = read_pages([str(path)])
    assert next(pages).page_id == "0" and batches == [2]
    assert [page.page_id for page in pages] == ["1", "2", "3", "4"] and batches == [2, 2, 1]


# ----- outputs -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def parquet_input(tmp_path_factory) -> Path:
    """The seed pages, an Arabic page and a page without url, as a crawl's Parquet holds them."""
    path = tmp_path_factory.mktemp("parquet") / "pages.parquet"
    write_parquet(path, {
        "id": [seed.stem for seed in SEED_PAGES] + ["arabic", "no-url"],
        "url": [f"https://example.com/{seed.stem}" for seed in SEED_PAGES] + ["https://www.akhbar.example.ae/economy/1", None],
        "text": [seed.read_text(encoding="utf-8") for seed in SEED_PAGES]
        + ["\n".join(ARABIC_LINES), "Home\n\nThe minister said on Monday that the budget would grow."],
    })
    return path


@pytest.fixture(scope="module")
def classified(parquet_input) -> list[tuple[Page, list]]:
    """The pages of ``parquet_input`` through the shipped model."""
    pages = list(read_pages([str(parquet_input)]))
    return list(zip(pages, LineClassifier.load().predict_pages(pages)))


def write_all(path: Path | None, output_format: OutputFormat, classified, **kwargs) -> int:
    with page_writer(path, output_format, **kwargs) as writer:
        for page, predictions in classified:
            writer.write(page, predictions)
    return writer.pages


def test_jsonl_records_carry_url_and_encoding_after_the_id_when_known(classified):
    records = [page_record(page, predictions) for page, predictions in classified]
    assert [list(record) for record in records] == [["id", "url", "lines"]] * 3 + [["id", "lines"]]
    page = Page("arabic", ARABIC_LINES, url="https://www.akhbar.example.ae/economy/1", extra={"encoding": "cp1256"})
    assert list(page_record(page, [(None, None)] * len(ARABIC_LINES))) == ["id", "url", "encoding", "lines"]


def test_jsonl_records_from_jsonl_input_keep_id_and_url(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"id": "r1", "url": "https://example.org/a", "text": "Home\nText"}) + "\n", encoding="utf-8")
    [page] = read_pages([str(path)])
    record = page_record(page, [("chrome", 0.1), ("content", 0.9)])
    assert (record["id"], record["url"]) == ("r1", "https://example.org/a")


def test_parquet_in_classified_parquet_out(parquet_input, classified, tmp_path, monkeypatch):
    monkeypatch.setattr(parquet, "PAGES_PER_ROW_GROUP", 3)
    path = tmp_path / "out.parquet"
    assert write_all(path, OutputFormat.parquet, classified) == len(classified) == 4
    file = pq.ParquetFile(path)
    assert file.metadata.num_row_groups == 2  # 4 pages, 3 per row group: memory holds a row group
    rows = file.read().to_pylist()
    source = pq.read_table(parquet_input).to_pylist()
    assert [(row["id"], row["url"], len(row["lines"])) for row in rows] == [
        (row["id"], row["url"], len(row["text"].split("\n"))) for row in source
    ]
    assert [[line["label"] for line in row["lines"]] for row in rows] == [[label for label, _ in predictions] for _, predictions in classified]
    # The same values as the JSONL output, field for field.
    jsonl = [page_record(page, predictions) for page, predictions in classified]
    assert rows == [
        {"id": r["id"], "url": r.get("url"), "encoding": r.get("encoding"), "truncated": r.get("truncated"), "lines": r["lines"]}
        for r in jsonl
    ]


def test_parquet_output_is_deterministic_and_reads_back_as_input(classified, tmp_path):
    first, second = tmp_path / "a.parquet", tmp_path / "b.parquet"
    write_all(first, OutputFormat.parquet, classified)
    write_all(second, OutputFormat.parquet, classified)
    assert pq.read_table(first).equals(pq.read_table(second))
    # The output's lines, joined, are a text column a later run can read.
    table = pq.read_table(first)
    texts = ["\n".join(line["text"] for line in lines) for lines in table.column("lines").to_pylist()]
    again = tmp_path / "again.parquet"
    pq.write_table(table.select(["id", "url"]).append_column("text", pa.array(texts)), again)
    assert [(page.page_id, page.url, page.lines) for page in read_pages([str(again)])] == [
        (page.page_id, page.url, page.lines) for page, _ in classified
    ]


@pytest.mark.parametrize("output_format", [OutputFormat.jsonl, OutputFormat.text, OutputFormat.annotated])
def test_gz_output_decompresses_to_the_plain_output_and_is_deterministic(classified, tmp_path, output_format):
    plain, packed, again = tmp_path / "out", tmp_path / "out.gz", tmp_path / "other-name.gz"
    for path in (plain, packed, again):
        write_all(path, output_format, classified)
    assert gzip.decompress(packed.read_bytes()) == plain.read_bytes()
    assert packed.read_bytes() == again.read_bytes()  # no file name, no time in the gzip header
    assert len(packed.read_bytes()) < len(plain.read_bytes())


def test_jsonl_gz_output_holds_the_records(classified, tmp_path):
    path = tmp_path / "out.jsonl.gz"
    write_all(path, OutputFormat.jsonl, classified)
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        assert [json.loads(line) for line in handle] == [page_record(page, predictions) for page, predictions in classified]


def test_stdout_output(classified):
    out = io.StringIO()
    assert write_all(None, OutputFormat.jsonl, classified, stdout=out) == len(classified)
    assert [json.loads(line)["id"] for line in out.getvalue().splitlines()] == [page.page_id for page, _ in classified]


def test_parquet_output_needs_a_file():
    with pytest.raises(ValueError, match="parquet output needs a file"), page_writer(None, OutputFormat.parquet):
        pass


@pytest.mark.parametrize(("name", "output_format"), [("out.jsonl.gz", OutputFormat.jsonl), ("out.parquet", OutputFormat.parquet)])
def test_an_error_while_writing_leaves_nothing_behind(classified, tmp_path, name, output_format):
    with pytest.raises(RuntimeError), page_writer(tmp_path / name, output_format) as writer:
        writer.write(*classified[0])
        raise RuntimeError("killed")
    assert list(tmp_path.iterdir()) == []


# ----- reading many files --------------------------------------------------------------------

def test_jsonl_gz_is_read_record_by_record_up_to_a_cut(tmp_path):
    path = tmp_path / "pages.jsonl.gz"
    records = "".join(json.dumps({"id": f"r{i}", "text": "Home\nSome article text. " * 20}) + "\n" for i in range(50))
    path.write_bytes(gzip.compress(records.encode("utf-8"))[:-20])
    errors = []
    pages = list(read_pages([str(path)], errors=errors))
    assert 40 < len(pages) < 50 and [page.page_id for page in pages] == [f"r{i}" for i in range(len(pages))]
    assert len(errors) == 1 and str(errors[0]).startswith(f"{path}: unreadable")


def test_crawl_formats_are_told_by_file_name(tmp_path):
    conversion = warc_record("conversion", 1, b"Home\nText", "text/plain", "https://example.com/a")
    (tmp_path / "a.wet").write_bytes(conversion)
    (tmp_path / "b.warc.wet.gz").write_bytes(per_record_gzip([conversion]))
    (tmp_path / "c.warc").write_bytes(response(2, "https://example.com/c", b"<p>Text</p>", "text/html"))
    write_parquet(tmp_path / "d.parquet", {"id": ["d"], "text": ["Home\nText"]})
    (tmp_path / "e.txt").write_text("Home\nText", encoding="utf-8")
    assert input_files([str(tmp_path)]) == [tmp_path / name for name in ("a.wet", "b.warc.wet.gz", "c.warc", "d.parquet", "e.txt")]
    page_ids = [page.page_id for page in read_pages([str(tmp_path)])]
    assert page_ids == [record_id(1), record_id(1), record_id(2), "d", str(tmp_path / "e.txt")]


def test_input_files_names_a_missing_input(tmp_path):
    with pytest.raises(InputError, match="no such file or folder"):
        input_files([str(tmp_path / "missing.warc.gz")])
