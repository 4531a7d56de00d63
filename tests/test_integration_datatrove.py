"""The datatrove step (classifier/integrations/datatrove.py) in a real datatrove pipeline:
WarcReader over a WARC of shared pages -> BoilerlineFilter -> JsonlWriter, run by
LocalPipelineExecutor. What it writes is checked against the project's own path for the
same WARC: ``classifier.io.read_pages`` and the predictor, batch by batch."""

from __future__ import annotations

import gzip
import io
import json
from itertools import islice
from pathlib import Path

import pytest
from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.readers import WarcReader
from datatrove.pipeline.writers import JsonlWriter
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from classifier.formats.records import cleaned_text
from classifier.integrations.datatrove import (
    CONTENT_CHARS_KEY, CONTENT_SHARE_KEY, LABELS_KEY, P_CONTENT_KEY, TOO_LITTLE_CONTENT, TRUNCATED_KEY, BoilerlineFilter,
)
from classifier.integrations.texts import TextClassifier
from classifier.io import read_pages
from classifier.limits import Limits
from classifier.page import CONTENT
from classifier.predictor import Predictor
from classifier.site_counts import SiteCounts, merge_all

# Pages of two sites, taken in turn, so that a batch of two holds one page of each: within a
# batch no line repeats across a site's pages, over the whole crawl menus do.
SITES = ("bbc.co.uk_news", "blogs.wsj.com_brussels")
PAGES_PER_SITE = 3
# A page the model cannot find any content in: an empty body.
EMPTY_PAGE = "<!DOCTYPE html><html><head><title>Nothing here</title></head><body></body></html>"


def warc_response(writer: WARCWriter, url: str, html: str) -> None:
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(
        url, "response", payload=io.BytesIO(html.encode("utf-8")), http_headers=http,
        warc_headers_dict={"WARC-Identified-Payload-Type": "text/html"},
    ))


def wet_conversion(writer: WARCWriter, url: str, text: str) -> None:
    writer.write_record(writer.create_warc_record(
        url, "conversion", payload=io.BytesIO(text.encode("utf-8")), warc_content_type="text/plain",
        warc_headers_dict={"WARC-Identified-Payload-Type": "text/plain"},
    ))


@pytest.fixture(scope="module")
def crawl(shared_data, tmp_path_factory) -> Path:
    """A folder holding one WARC: six HTML responses of two sites, taken in turn, the empty
    page, and a WET text record (a page's gold text under a line of menu)."""
    with gzip.open(shared_data / "cleanportaleval.jsonl.gz", "rt", encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle]
    by_site = [list(islice((record for record in records if record["site"] == site and record["url"]), PAGES_PER_SITE)) for site in SITES]
    folder = tmp_path_factory.mktemp("crawl")
    with open(folder / "crawl.warc.gz", "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for pair in zip(*by_site):
            for record in pair:
                warc_response(writer, record["url"], record["html"])
        warc_response(writer, "https://empty.example/", EMPTY_PAGE)
        wet_conversion(writer, by_site[0][0]["url"], "Home | News | Sport | Weather\n\n" + by_site[0][0]["gold"])
    return folder


def expected_pages(crawl: Path, batch_size: int, limits: Limits = Limits(), site_counts: SiteCounts | None = None):
    """(page, predictions) of every page of the crawl as boilerline's own reader reads them,
    classified by the shipped model in batches of ``batch_size``, in order, by page id."""
    pages = list(read_pages([str(crawl / "crawl.warc.gz")], limits=limits))
    predictor = Predictor.load()
    expected = {}
    for start in range(0, len(pages), batch_size):
        batch = pages[start:start + batch_size]
        for page, predictions in zip(batch, predictor.predict_pages(batch, site_counts=site_counts)):
            expected[page.page_id] = (page, predictions)
    return expected


def content_chars(page, predictions) -> int:
    return sum(len(line) for line, (label, _) in zip(page.lines, predictions) if label == CONTENT)


def run(crawl: Path, step: BoilerlineFilter, folder: Path) -> tuple[dict[str, dict], dict]:
    """Run WarcReader -> step -> JsonlWriter; the documents written, by id, and the step's stats
    (a count of one per document is written as its total)."""
    LocalPipelineExecutor(
        pipeline=[WarcReader(str(crawl), glob_pattern="*.warc.gz"), step, JsonlWriter(str(folder / "out"))],
        tasks=1, workers=1, logging_dir=str(folder / "logs"),
    ).run()
    written = read_jsonl(folder / "out")
    stats = json.loads((folder / "logs" / "stats.json").read_text(encoding="utf-8"))
    return written, next(block["stats"] for block in stats if "boilerline" in block["name"])


def read_jsonl(folder: Path) -> dict[str, dict]:
    documents = {}
    for path in sorted(folder.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            documents.update((doc["id"], doc) for doc in map(json.loads, handle))
    return documents


def test_documents_become_their_content_lines_and_pages_with_too_little_content_are_dropped(crawl, tmp_path):
    batch_size = 4
    expected = expected_pages(crawl, batch_size)
    assert len(expected) == 2 * PAGES_PER_SITE + 2
    # The floor: the second fewest content characters of the HTML pages, so the page with the
    # fewest is dropped with the empty page (and the WET page if it has as few).
    chars = {page_id: content_chars(*result) for page_id, result in expected.items()}
    html_chars = sorted(chars[page.page_id] for page, _ in expected.values() if page.structure is not None and page.lines != [""])
    floor = html_chars[1]
    dropped = {page_id for page_id, n in chars.items() if n < floor}
    assert len(dropped) >= 2 and len(dropped) < len(expected)

    step = BoilerlineFilter(min_content_chars=floor, batch_size=batch_size, exclusion_writer=JsonlWriter(str(tmp_path / "excluded")))
    written, stats = run(crawl, step, tmp_path)

    assert set(written) == set(expected) - dropped
    for page_id, doc in written.items():
        page, predictions = expected[page_id]
        labels = [label for label, _ in predictions]
        metadata = doc["metadata"]
        assert doc["text"] == cleaned_text(page.lines, labels)
        assert metadata[LABELS_KEY] == labels
        assert metadata[P_CONTENT_KEY] == [p for _, p in predictions]
        assert len(metadata[LABELS_KEY]) == len(metadata[P_CONTENT_KEY]) == len(page.lines)
        assert metadata[CONTENT_CHARS_KEY] == chars[page_id] >= floor
        assert 0.0 < metadata[CONTENT_SHARE_KEY] <= 1.0
        assert metadata["url"] == page.url
    # The WET record was read as text, the responses as HTML.
    assert any(page.structure is None for page, _ in expected.values())

    excluded = read_jsonl(tmp_path / "excluded")
    assert set(excluded) == dropped
    assert all(doc["metadata"]["filter_reason"] == TOO_LITTLE_CONTENT for doc in excluded.values())
    assert any(doc["text"] == EMPTY_PAGE for doc in excluded.values())  # dropped documents keep their text
    assert stats["total"] == len(expected)
    assert stats["forwarded"] == len(expected) - len(dropped)
    assert stats[f"dropped_{TOO_LITTLE_CONTENT}"] == len(dropped)
    assert stats["batches"] == 2


def test_whole_crawl_site_counts_from_a_file_and_the_page_limits_are_used(crawl, tmp_path):
    batch_size, limits = 2, Limits(max_lines=200)
    pages = list(read_pages([str(crawl / "crawl.warc.gz")], limits=limits))
    counts = merge_all([SiteCounts.of_pages(pages)])
    counts.save(tmp_path / "site-counts.npz")
    expected = expected_pages(crawl, batch_size, limits, counts)
    # Counted over the crawl, menus repeat that no batch of two shows: other probabilities.
    per_batch = expected_pages(crawl, batch_size, limits)
    assert any(expected[page_id][1] != per_batch[page_id][1] for page_id in expected)

    classifier = TextClassifier(input_format="auto", limits=limits, site_counts=tmp_path / "site-counts.npz")
    written, stats = run(crawl, BoilerlineFilter(classifier, min_content_chars=0, batch_size=batch_size), tmp_path)

    assert set(written) == set(expected)
    for page_id, doc in written.items():
        page, predictions = expected[page_id]
        assert doc["metadata"][P_CONTENT_KEY] == [p for _, p in predictions]
        assert doc.get("text", "") == cleaned_text(page.lines, [label for label, _ in predictions])
        assert doc["metadata"].get(TRUNCATED_KEY) == page.extra.get("truncated")
    truncated = sum("truncated" in page.extra for page, _ in expected.values())
    assert truncated > 0 and stats["truncated"] == truncated
    assert all(len(doc["metadata"][LABELS_KEY]) <= 200 for doc in written.values())
