"""The annotation file: written from a page and labels, edited, read back as labeled pages."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from classifier.annotation import format_page, is_annotation_file, read_annotated_pages
from classifier.labeled import InputError
from classifier.page import CHROME, CONTENT, Page, is_blank
from training.loading import load_pages

# Real Arabic page lines: a menu, a headline with a right-to-left mark, an article line
# with tatweel and diacritics, a tab-indented share line with trailing spaces, a line of
# whitespace only, and an English line.
ARABIC_LINES = [
    "الرئيسية | أخبار | رياضة",
    "\u200fوزير المالية: الميزانية ستنمو العام المقبل",
    "",
    "قال وزير المالية يوم الاثنين إنّ الميزانيـــة ستنمو بنسبة خمسة في المئة، مع زيادة الإنفاق على التعليم.",
    "\tأرسل هذا الخبر لأصدقائك  ",
    "   ",
    "Read more: جميع الحقوق محفوظة © 2024",
]
PREDICTED = [CHROME, CHROME, None, CONTENT, CHROME, None, CHROME]


def write(tmp_path, text: str, name: str = "pages.annotated.txt"):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def test_arabic_round_trip_with_an_edited_label(tmp_path):
    page = Page("news/1", ARABIC_LINES, site="example.com", url="https://example.com/news/1", lang="ar", kind="arabic-content-arabic-chrome")
    text = format_page(page, PREDICTED)
    assert text.split("\n")[:5] == ["### news/1", "# lang: ar", "# site: example.com", "# url: https://example.com/news/1", "# kind: arabic-content-arabic-chrome"]
    # The person decides the headline is content: one marker changed in an editor.
    edited = text.replace("-|\u200fوزير", "C|\u200fوزير")
    [again] = read_annotated_pages(write(tmp_path, edited))
    assert [line.encode("utf-8") for line in again.lines] == [line.encode("utf-8") for line in ARABIC_LINES]
    assert again.labels == [CHROME, CONTENT, None, CONTENT, CHROME, None, CHROME]
    assert (again.page_id, again.site, again.url, again.lang, again.kind) == (page.page_id, page.site, page.url, page.lang, page.kind)


def test_pages_are_split_at_headers_and_crlf_and_spacers_are_harmless(tmp_path):
    text = "\ufeff### a\r\nC|one\r\n |\r\n\r\n### b\r\n-|two\r\n"
    pages = list(read_annotated_pages(write(tmp_path, text)))
    assert [(p.page_id, p.lines, p.labels) for p in pages] == [("a", ["one", ""], [CONTENT, None]), ("b", ["two"], [CHROME])]


@pytest.mark.parametrize(
    ("text", "line_no", "message"),
    [
        ("### p\nC|ok\nX|bad\n", 3, "unknown marker 'X|'"),
        ("### p\nC|\n", 2, "on a blank line"),
        ("### p\n |text\n", 2, "blank marker"),
        ("C|before any page\n", 1, "before the first page header"),
        ("### p\n# colour: red\n", 2, "key one of lang, site, url, dataset, kind"),
        ("### p\nC|ok\n# lang: ar\n", 3, "header line inside a page"),
    ],
)
def test_bad_lines_name_file_and_line(tmp_path, text, line_no, message):
    path = write(tmp_path, text)
    with pytest.raises(InputError, match=message) as raised:
        list(read_annotated_pages(path))
    assert str(raised.value).startswith(f"{path}:line {line_no}: ")
    assert "\n" not in str(raised.value)


def test_a_line_break_inside_a_line_cannot_be_written():
    with pytest.raises(ValueError, match="line 2 holds a line break"):
        format_page(Page("p", ["ok", "two\nlines"]), [CONTENT, CONTENT])


def test_files_are_recognised_by_their_first_line(tmp_path):
    assert is_annotation_file(write(tmp_path, "\n### p\nC|x\n", name="any-name.txt"))
    assert not is_annotation_file(write(tmp_path, '{"id": "p", "lines": [], "labels": []}\n', name="p.jsonl"))


def test_training_loads_annotation_files_named_directly_and_in_folders(tmp_path):
    write(tmp_path, "### p\n# kind: latin-content-arabic-chrome\n-|قائمة\nC|Text of the page.\n", name="new-site.annotated.txt")
    direct = load_pages([tmp_path / "new-site.annotated.txt"])
    in_folder = load_pages([tmp_path])
    for pages in (direct, in_folder):
        [page] = pages
        assert page.labels == [CHROME, CONTENT]
        assert page.dataset == "new-site" and page.kind == "latin-content-arabic-chrome"


_LINE = st.text(st.characters(blacklist_characters="\n\r", blacklist_categories=("Cs",)), max_size=40)


@given(lines=st.lists(_LINE, max_size=8), flips=st.lists(st.booleans(), min_size=8, max_size=8))
def test_any_lines_round_trip(tmp_path_factory, lines, flips):
    labels = [None if is_blank(line) else CONTENT if flip else CHROME for line, flip in zip(lines, flips)]
    path = tmp_path_factory.mktemp("annotation") / "p.annotated.txt"
    path.write_text(format_page(Page("p", lines), labels), encoding="utf-8")
    [page] = read_annotated_pages(path)
    assert page.lines == lines and page.labels == labels
