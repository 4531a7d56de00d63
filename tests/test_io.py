"""Reading inputs (text, legacy encodings, JSONL, HTML, folders) and writing outputs."""

import json

import pytest

from classifier.html import render_html
from classifier.formats.records import annotate, cleaned_text, page_record
from classifier.io import InputFormat, read_pages
from classifier.labeled import InputError, read_labeled_pages, write_labeled_pages
from classifier.page import Page
from tests.paths import GOLD

ARABIC = "أرسل هذا الخبر لأصدقائك"


# A real Arabic page: menu, headline, article sentence, share line, footer.
ARABIC_PAGE = [
    "الرئيسية | أخبار | رياضة | اتصل بنا",
    "وزير المالية: الميزانية ستنمو العام المقبل",
    "",
    "قال وزير المالية يوم الاثنين إن الميزانية ستنمو بنسبة خمسة في المئة العام المقبل، مع زيادة الإنفاق على التعليم والصحة.",
    ARABIC,
    "جميع الحقوق محفوظة 2024",
]


# uchardet tells ISO-8859-6 from windows-1256 (their Arabic letters sit at partly different
# bytes); charset-normalizer alone takes short ISO-8859-6 text for other code pages, which is
# why classifier/encoding.py asks uchardet first.
@pytest.mark.parametrize(("encoding", "reported"), [("cp1256", "cp1256"), ("iso-8859-6", "iso8859-6")])
def test_arabic_text_file_without_declaration_is_detected(tmp_path, encoding, reported):
    path = tmp_path / "page.txt"
    path.write_bytes("\r\n".join(ARABIC_PAGE).encode(encoding))
    [page] = read_pages([str(path)])
    assert page.lines == ARABIC_PAGE
    assert page.link_chars is None
    assert page.extra["encoding"] == reported
    assert page_record(page, [(None, None)] * len(page.lines))["encoding"] == reported


@pytest.mark.parametrize(("encoding", "reported"), [("cp1256", "cp1256"), ("iso-8859-6", "iso8859-6")])
def test_arabic_html_file_without_declaration_is_detected(tmp_path, encoding, reported):
    path = tmp_path / "page.html"
    body = "".join(f"<p>{line}</p>" for line in ARABIC_PAGE if line)
    path.write_bytes(f"<html dir=rtl><head><title>أخبار</title></head><body>{body}</body></html>".encode(encoding))
    [page] = read_pages([str(path)])
    assert [line for line in page.lines if line] == [line for line in ARABIC_PAGE if line]
    assert page.extra["encoding"] == reported


def test_utf8_pages_carry_no_encoding(tmp_path):
    path = tmp_path / "page.txt"
    path.write_text("\n".join(ARABIC_PAGE), encoding="utf-8")
    [page] = read_pages([str(path)])
    assert "encoding" not in page.extra
    assert "encoding" not in page_record(page, [(None, None)] * len(page.lines))


def test_folder_reads_every_file_by_extension(tmp_path):
    (tmp_path / "a.txt").write_text("Home\nText", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(json.dumps({"id": "r", "lines": ["x", ""]}) + "\n", encoding="utf-8")
    (tmp_path / "c.html").write_text("<html><body><p>Para <a href='/'>link</a></p></body></html>", encoding="utf-8")
    pages = {page.page_id: page for page in read_pages([str(tmp_path)])}
    assert pages["r"].lines == ["x", ""]
    html_page = pages[str(tmp_path / "c.html")]
    assert html_page.lines == ["Para link"] and html_page.link_chars == [4]
    assert pages[str(tmp_path / "a.txt")].lines == ["Home", "Text"]


def test_html_link_chars_follow_anchor_order():
    html = "<ul><li><a href='/'>Home</a></li><li><a href='/n'>News</a></li></ul><p>The Home of news, <a href='x'>here</a>.</p>"
    lines, link_chars, _structure = render_html(html)
    assert [line.strip() for line in lines] == ["• Home", "• News", "", "The Home of news, here."]
    assert link_chars == [4, 4, 0, 4]


def test_html_link_chars_count_only_visible_anchor_text():
    html = (
        "<p><a href='/a'>Sport<script>var tracker = 1;</script><style>a {}</style> news</a></p>"
        "<noscript><p><a href='/js'>Enable JavaScript</a></p></noscript>"
        "<p>Read <a href='/b'><b>the whole</b> story</a> here</p>"
    )
    lines, link_chars, _structure = render_html(html)
    assert [line.strip() for line in lines] == ["Sport news", "", "Read the whole story here"]
    assert link_chars == [len("Sport news"), 0, len("the whole story")]


def test_html_anchors_in_deeply_nested_markup_are_counted():
    # Unclosed <div>s, one per item, as some templates write: 20,000 levels deep.
    html = "<body>" + "".join(f"<div><a href='/{i}'>item {i}</a>" for i in range(20_000)) + "</body>"
    lines, link_chars, _structure = render_html(html)
    counted = [(line.strip(), chars) for line, chars in zip(lines, link_chars) if line.strip()]
    assert counted[:2] == [("item 0", 6), ("item 1", 6)]
    assert all(chars == len(line) for line, chars in counted) and len(counted) == 20_000


def test_jsonl_record_problems_are_named(tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_text('{"text": "ok"}\n[1]\n{"text": "a", "link_chars": [1, 2]}\n', encoding="utf-8")
    errors = []
    pages = list(read_pages([str(path)], errors=errors))
    assert [page.lines for page in pages] == [["ok"]]
    assert str(errors[0]) == f"{path}:line 2: record is not a JSON object"
    assert errors[1].as_record() == {"id": None, "input": str(path), "record": "line 3", "reason": errors[1].reason}
    assert "link_chars" in errors[1].reason
    with pytest.raises(InputError):
        list(read_pages([str(path)]))


def test_binary_file_is_rejected(tmp_path):
    path = tmp_path / "x.txt"
    path.write_bytes(b"\x00\x01\x02")
    errors = []
    assert list(read_pages([str(path)], errors=errors)) == []
    assert [str(error) for error in errors] == [f"{path}: looks like binary data, not a text or HTML page"]


def test_cleaned_text_keeps_blank_structure_between_content():
    lines = ["Menu", "", "Title", "", "Para one", "Para two", "", "Footer"]
    labels = ["chrome", None, "content", None, "content", "content", None, "chrome"]
    assert cleaned_text(lines, labels) == "Title\n\nPara one\nPara two"


def test_annotation_is_fixed_width():
    marks = [annotate("x", "content", 0.97), annotate("x", "chrome", 0.03), annotate("", None, None)]
    assert len({mark.index("|") for mark in marks}) == 1


def test_labeled_pages_round_trip_with_scored(tmp_path):
    pages = list(read_labeled_pages(GOLD))
    pages[0].extra["scored"] = [0, 2]
    path = tmp_path / "round.jsonl.gz"
    write_labeled_pages(pages, path)
    again = list(read_labeled_pages(path))
    assert [p.lines for p in again] == [p.lines for p in pages]
    assert [p.labels for p in again] == [p.labels for p in pages]
    assert again[0].extra["scored"] == [0, 2] and "scored" not in again[1].extra


def test_labels_must_be_null_exactly_on_blank_lines():
    with pytest.raises(ValueError, match="line 2"):
        Page("p", ["a", ""], labels=["content", "chrome"])


def test_stdin_text_is_one_page():
    import io

    [page] = read_pages(["-"], input_format=InputFormat.text, stdin=io.StringIO("a\n\nb"))
    assert page.page_id == "<stdin>" and page.lines == ["a", "", "b"]


def test_utf16_text_file_is_not_taken_for_binary(tmp_path):
    path = tmp_path / "page.txt"
    path.write_bytes("\n".join(ARABIC_PAGE).encode("utf-16"))
    [page] = read_pages([str(path)])
    assert page.lines == ARABIC_PAGE and page.extra["encoding"] == "utf-16-le"
