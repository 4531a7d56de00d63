"""The page spool between the two passes over one stream."""

from classifier.page import Page
from classifier.spool import PageSpool, held_size, pack, unpack
from classifier.text import without_surrogates


def example_pages() -> list[Page]:
    return [
        Page(
            f"page-{i}", ["الرئيسية | أخبار", "", f"قال الوزير ١٢٣ إنّ الميزانية ستنمو\u200f {i}؟", without_surrogates("x\ud800y")],
            link_chars=[14, 0, 0, 0] if i % 2 else None, site="example.com", url=f"http://example.com/{i}",
            extra={"encoding": "cp1256"} if i == 3 else {},
        )
        for i in range(21)
    ]


def test_spool_gives_back_every_block_whole_and_in_order():
    pages = example_pages()
    batches = [pages[:8], pages[8:16], pages[16:]]
    with PageSpool() as spool:
        for batch in batches:
            spool.write(pack(batch))
        assert [unpack(block) for block in spool.spooled()] == batches
        assert [unpack(block) for block in spool.spooled()] == batches  # read again from the start


def test_an_empty_spool_gives_no_batches():
    with PageSpool() as spool:
        assert list(spool.spooled()) == []


def test_kept_batches_are_held_until_the_memory_runs_out_then_written():
    pages = example_pages()
    batches = [pages[:8], pages[8:16], pages[16:]]
    budget = held_size(batches[0]) + held_size(batches[2])  # the second does not fit after the first
    with PageSpool(held_bytes=budget) as spool:
        for batch in batches:
            spool.keep(batch)
        held = list(spool.batches())
        assert held == batches
        assert held[0] is batches[0] and held[2] is batches[2]  # as they were, not copies
        assert held[1] is not batches[1]  # read back from the file
        spooled = list(spool.spooled())
        assert spooled[0] is batches[0] and spooled[2] is batches[2]  # held: handed over as pages
        assert isinstance(spooled[1], bytes) and unpack(spooled[1]) == batches[1]


def test_a_spool_of_written_and_kept_batches_gives_them_back_in_order():
    pages = example_pages()
    with PageSpool() as spool:
        spool.add(pack(pages[:5]))
        spool.add(pages[5:10])
        spool.add(pack(pages[10:]))
        assert list(spool.batches()) == [pages[:5], pages[5:10], pages[10:]]
        assert [type(batch) for batch in spool.spooled()] == [bytes, list, bytes]
