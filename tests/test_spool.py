"""The page spool between the two passes over one stream."""

from classifier.page import Page
from classifier.spool import PAGES_PER_BLOCK, PageSpool
from classifier.text import without_surrogates


def test_spool_gives_back_every_page_whole_and_in_order():
    pages = [
        Page(
            f"page-{i}", ["الرئيسية | أخبار", "", f"قال الوزير ١٢٣ إنّ الميزانية ستنمو\u200f {i}؟", without_surrogates("x\ud800y")],
            link_chars=[14, 0, 0, 0] if i % 2 else None, site="example.com", url=f"http://example.com/{i}",
            extra={"encoding": "cp1256"} if i == 3 else {},
        )
        for i in range(2 * PAGES_PER_BLOCK + 5)
    ]
    with PageSpool() as spool:
        passed = list(spool.keep(iter(pages)))
        assert passed == pages
        assert list(spool.pages()) == pages
        assert list(spool.pages()) == pages  # read again from the start


def test_an_empty_spool_gives_no_pages():
    with PageSpool() as spool:
        assert list(spool.keep([])) == []
        assert list(spool.pages()) == []
