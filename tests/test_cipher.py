"""Ciphered training pages: real pages whose words the model cannot read, all else kept."""

import re
from dataclasses import replace
from unittest import mock

from classifier.cli import CIPHERED_SHARE
from classifier.labeled import read_labeled_pages
from classifier.model import LineClassifier
from classifier.text import words
from tests.paths import GOLD
from training.augment import dominant_script
from training.cipher import ALPHABETS, CIPHERED_DATASET, DANDA, ciphered_pages
from training.labeling import build_labeled_pages
from training.train import CIPHERED_SITE_SHARE, fit_model

SEED_PAGES = list(read_labeled_pages(GOLD))
LATIN_LETTER = re.compile("[A-Za-z\u00C0-\u024F]")


def test_a_copy_keeps_every_line_s_shape_and_label_but_not_its_words():
    for seed in range(6):  # several alphabets, the danda among them
        for page, copy in zip(SEED_PAGES, ciphered_pages(SEED_PAGES, seed, site_share=1.0), strict=True):
            alphabet = copy.lang.removeprefix(f"{CIPHERED_DATASET}-")
            assert alphabet in ALPHABETS and copy.dataset == CIPHERED_DATASET and copy.site == page.site
            assert copy.labels == page.labels and copy.link_chars == page.link_chars
            assert [len(line) for line in copy.lines] == [len(line) for line in page.lines]
            for line, ciphered in zip(page.lines, copy.lines):
                for char, new in zip(line, ciphered):
                    if LATIN_LETTER.match(char):
                        assert new.isalpha()
                    else:  # digits, spaces, punctuation and Arabic stay; a full stop may become a danda
                        assert new == char or (char == "." and new == DANDA and alphabet == "devanagari")
            if alphabet != "latin":
                assert not any(LATIN_LETTER.search(line) for line in copy.lines)
            known = {word for line in page.lines for word in words(line) if len(word) >= 3 and LATIN_LETTER.fullmatch(word[0])}
            kept = known & {word for line in copy.lines for word in words(line)}
            assert len(kept) <= 0.05 * len(known), kept


def test_a_site_keeps_one_alphabet_so_its_chrome_still_repeats(shared_data, tmp_path):
    pages, _ = build_labeled_pages(shared_data, datasets=["newspaper3k_fixtures"], cache_dir=tmp_path)
    site = [page for page in pages if page.site == "wired.com"]
    shared = (set(site[0].lines) & set(site[1].lines)) - {""}
    assert len(shared) > 100  # menus and footers
    first, second = ciphered_pages(site, seed=3, site_share=1.0)
    assert first.lang == second.lang
    for line in shared:
        ciphered = first.lines[site[0].lines.index(line)]
        assert ciphered == second.lines[site[1].lines.index(line)]
        assert (ciphered != line) == bool(LATIN_LETTER.search(line))


def test_the_share_of_sites_and_the_seed_decide_the_copies():
    assert ciphered_pages(SEED_PAGES, seed=0, site_share=0.0) == []
    again = ciphered_pages(SEED_PAGES, seed=5, site_share=1.0)
    assert [page.lines for page in ciphered_pages(SEED_PAGES, seed=5, site_share=1.0)] == [page.lines for page in again]
    assert CIPHERED_SHARE.default == CIPHERED_SITE_SHARE  # the command line's default is training's


def test_only_latin_script_sites_are_ciphered(shared_data, tmp_path):
    pages, _ = build_labeled_pages(shared_data, datasets=["arabic"], cache_dir=tmp_path)
    copies = ciphered_pages(pages, seed=0, site_share=1.0)
    copied_sites = {page.site for page in copies}
    assert copies and len(copied_sites) < len({page.site for page in pages})
    for site in {page.site for page in pages}:
        site_lines = [line for page in pages if page.site == site for line in page.lines]
        assert (site in copied_sites) == (dominant_script(site_lines) == "latin")


def test_the_model_learns_from_the_copies_too():
    learned = []

    def fit_tables(self, general, html):
        learned.append(len(general.table))
        return self

    lines = sum(len(page.lines) for page in SEED_PAGES)
    with mock.patch.object(LineClassifier, "fit_tables", fit_tables):
        fit_model(SEED_PAGES, ciphered_share=1.0)
        fit_model(SEED_PAGES, ciphered_share=0.0)
    assert learned == [2 * lines, lines]
