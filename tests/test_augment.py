"""Synthetic mixed-script pages: real chrome of one script around real content of another."""

from classifier.page import CHROME, CONTENT, Page
from training.augment import SYNTHETIC_DATASET, dominant_script, mixed_script_pages
from training.labeling import build_labeled_pages

ARABIC_PAGE = Page(
    "ar", ["الرئيسية", "أخبار", "", "قال الوزير إن الميزانية ستنمو في العام المقبل.", "وأضاف أن الحكومة ستنشر التفاصيل.",
           "ويتوقع الخبراء نموا أبطأ.", "", "جميع الحقوق محفوظة"],
    site="ar.example", labels=["chrome", "chrome", None, "content", "content", "content", None, "chrome"],
)
LATIN_PAGE = Page(
    "en", ["Home", "World", "", "The minister said the budget would grow next year.", "He added that details would follow.",
           "Economists expect slower growth.", "", "All Rights Reserved"],
    site="en.example", labels=["chrome", "chrome", None, "content", "content", "content", None, "chrome"],
)


def test_frames_go_around_content_of_the_other_script():
    pages = mixed_script_pages([ARABIC_PAGE, LATIN_PAGE], seed=0, n_per_direction=3)
    assert len(pages) == 6
    for page in pages:
        assert page.dataset == SYNTHETIC_DATASET and page.extra["synthetic"]
        content = [line for line, label in zip(page.lines, page.labels) if label == CONTENT]
        chrome = [line for line, label in zip(page.lines, page.labels) if label == CHROME]
        assert dominant_script(content) != dominant_script(chrome)
        source = LATIN_PAGE if dominant_script(content) == "latin" else ARABIC_PAGE
        assert content == [line for line, label in zip(source.lines, source.labels) if label == CONTENT]
        assert page.site != source.site  # the page belongs to the site whose chrome it carries
        Page(page.page_id, page.lines, labels=page.labels)  # labels null exactly on blank lines


def test_same_seed_same_pages():
    first = mixed_script_pages([ARABIC_PAGE, LATIN_PAGE], seed=1, n_per_direction=4)
    second = mixed_script_pages([ARABIC_PAGE, LATIN_PAGE], seed=1, n_per_direction=4)
    assert [(p.lines, p.labels, p.site) for p in first] == [(p.lines, p.labels, p.site) for p in second]


def test_no_direction_without_both_scripts():
    assert mixed_script_pages([LATIN_PAGE], seed=0, n_per_direction=3) == []


def test_shared_arabic_pages_give_both_directions(shared_data, tmp_path):
    pages, _ = build_labeled_pages(shared_data, datasets=["arabic"], cache_dir=tmp_path)
    synthetic = mixed_script_pages(pages, seed=0, n_per_direction=50)
    directions = {page.page_id.split("/")[1] for page in synthetic}
    assert directions == {"arabic-latin", "latin-arabic"}
    sites = {page.site for page in pages}
    assert all(page.site in sites for page in synthetic)
