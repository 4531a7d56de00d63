"""The page spool between the two passes over one stream."""

from classifier.page import Page
from classifier.spool import PageSpool, pack, unpack
from classifier.text import without_surrogates


def test_spool_gives_back_every_block_whole_and_in_order():
    pages = [
        Page(
            f"page-{i}", ["الرئيسية | أخبار", "", f"قال الوزير ١٢٣ إنّ الميزانية ستنمو\u200f {i}؟", without_surrogates("x\ud800y")],
            link_chars=[14, 0, 0, 0] if i % 2 else None, site="example.com", url=f"http://example.com/{i}",
            extra={"encoding": "cp1256"} if i == 3 else {},
        )
        for i in range(21)
    ]
    batches = [pages[:8], pages[8:16], pages[16:]]
    with PageSpool() as spool:
        for batch in batches:
            spool.write(pack(batch))
        assert [unpack(block) for block in spool.blocks()] == batches
        assert [unpack(block) for block in spool.blocks()] == batches  # read again from the start


def test_an_empty_spool_gives_no_blocks():
    with PageSpool() as spool:
        assert list(spool.blocks()) == []
