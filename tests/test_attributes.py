"""`predict --format attributes`: Dolma-style attribute spans that cut each document's text
back into its lines, with the model's own p_content (shipped model, real pages)."""

import gzip
import json
from itertools import islice

from typer.testing import CliRunner

from classifier.cli import app
from classifier.formats.records import ATTRIBUTE_P_CHROME, ATTRIBUTE_P_CONTENT
from classifier.html import render_html
from training.datasets import iter_records
from tests.paths import SEEDS

runner = CliRunner()


def _documents(shared_data) -> list[dict]:
    """Dolma-like documents: the seeds' text, pages of the arabic set rendered to text as a
    WET record holds them, and one of them again with Windows line breaks."""
    documents = [{"id": path.stem, "text": path.read_text(encoding="utf-8")} for path in sorted(SEEDS.glob("*.txt"))]
    for record in islice(iter_records(shared_data / "arabic.jsonl.gz"), 4):
        documents.append({"id": record["id"], "text": "\n".join(render_html(record["html"])[0]), "source": "arabic"})
    documents.append({"id": "crlf", "text": documents[-1]["text"].replace("\n", "\r\n")})
    return documents


def _predict(tmp_path, documents, output_format: str, *options: str) -> list[dict]:
    source = tmp_path / "documents.jsonl"
    source.write_text("".join(json.dumps(doc, ensure_ascii=False) + "\n" for doc in documents), encoding="utf-8")
    out = tmp_path / f"{output_format}.jsonl.gz"
    result = runner.invoke(app, ["predict", str(source), "--format", output_format, "-o", str(out), *options])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in gzip.open(out, "rt", encoding="utf-8")]


def test_spans_cut_each_document_back_into_its_lines_with_the_models_p_content(tmp_path, shared_data):
    documents = _documents(shared_data)
    attributes = _predict(tmp_path, documents, "attributes")
    records = _predict(tmp_path, documents, "jsonl")
    assert [a["id"] for a in attributes] == [d["id"] for d in documents]
    for document, attribute, record in zip(documents, attributes, records):
        text, spans = document["text"], attribute["attributes"][ATTRIBUTE_P_CONTENT]
        scored = [line for line in record["lines"] if line["p_content"] is not None]
        assert [text[start:end] for start, end, _ in spans] == [line["text"] for line in scored]
        assert [p for _, _, p in spans] == [line["p_content"] for line in scored]
        # Between two spans there are only line breaks and blank lines.
        gaps = [text[end:start] for (_, end, _), (start, _, _) in zip(spans, spans[1:])]
        assert all(gap.strip() == "" and "\n" in gap for gap in gaps)
        chrome = attribute["attributes"][ATTRIBUTE_P_CHROME]
        assert [(s, e) for s, e, _ in chrome] == [(s, e) for s, e, _ in spans]
        assert all(abs(p + q - 1) < 1e-3 for (_, _, p), (_, _, q) in zip(spans, chrome))


def test_dropping_chrome_spans_as_a_dolma_mixer_does_leaves_the_content_lines(tmp_path, shared_data):
    documents = _documents(shared_data)
    attributes = _predict(tmp_path, documents, "attributes")
    records = _predict(tmp_path, documents, "jsonl")
    for document, attribute, record in zip(documents, attributes, records):
        text = document["text"]
        # A mixer's span_replacement with min_score 0.5 and an empty replacement, from the end.
        for start, end, score in reversed(attribute["attributes"][ATTRIBUTE_P_CHROME]):
            if score >= 0.5:
                text = text[:start] + text[end:]
        kept = [line for line in text.splitlines() if line.strip()]
        content = [line["text"] for line in record["lines"] if line["label"] == "content"]
        assert kept == content
        assert 0 < len(content) < len([line for line in record["lines"] if line["label"]])


def test_an_output_folder_holds_an_attributes_file_named_as_its_documents_file(tmp_path):
    documents = tmp_path / "documents"
    documents.mkdir()
    (documents / "part-0.jsonl").write_text(json.dumps({"id": "a", "text": (SEEDS / "000_fccc882e8405e502.txt").read_text()}) + "\n")
    out = tmp_path / "attributes" / "boilerline"
    result = runner.invoke(app, ["predict", str(documents), "--format", "attributes", "--output-dir", str(out)])
    assert result.exit_code == 0, result.output
    [record] = [json.loads(line) for line in gzip.open(out / "part-0.jsonl.gz", "rt")]
    assert record["id"] == "a" and record["attributes"][ATTRIBUTE_P_CONTENT]


def test_spans_stay_right_after_a_line_cut_to_the_limit(tmp_path):
    text = "Short title\r\n" + "A very long line of article text. " * 10 + "\n\nLast line of the page."
    [attribute] = _predict(tmp_path, [{"id": "long", "text": text}], "attributes", "--max-line-chars", "50")
    spans = attribute["attributes"][ATTRIBUTE_P_CONTENT]
    assert [text[start:end] for start, end, _ in spans] == [line for line in text.replace("\r\n", "\n").split("\n") if line]

