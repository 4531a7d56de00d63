"""Training pages in languages the model has never read: Latin-script pages of whole sites
with their letters replaced one for one by the letters of another alphabet.

The shared data is four fifths English, and a handful of languages make up the rest, so on a
site in a language it has barely seen (Portuguese, Hindi, Hebrew, Georgian) the model has no
known words, no stoplist hits and no familiar character n-grams, and it loses much of the
article (issue 14 saw recall under 0.55 on Portuguese, Italian and Russian news sites). A
ciphered copy of a page keeps everything else a line shows (its length, its words and their
lengths, punctuation, digits, links, place on the page and HTML structure, and its label) and
takes away the words, so the model also learns to find the article from what any
language shows. The copies are of whole sites with one alphabet per site, so a site's chrome
still repeats across its pages, as it does in any language; each site gets a shuffled Latin
alphabet (an unknown Latin-script language) or one of another script, the full stop becoming
the danda in Devanagari. Only the general stages (which read plain text) learn from them
(``training.train.fit_model``); a copy keeps its site, so site-grouped folds keep it with
its original.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import replace

from classifier.page import Page
from training.augment import dominant_script

CIPHERED_DATASET = "ciphered"
_LATIN_LOWER = "abcdefghijklmnopqrstuvwxyz"
# Latin letters with diacritics (Latin-1 Supplement and Latin Extended-A and B).
_ACCENTED = [chr(code) for code in range(0xC0, 0x250) if chr(code).isalpha()]


def _letters(first: int, last: int) -> str:
    return "".join(chr(code) for code in range(first, last + 1) if chr(code).isalpha())


# The alphabets a site's letters are replaced with: Latin shuffled, and scripts the model
# never reads in the shared data (a cased Latin letter and its capital become one letter).
# Not Cyrillic, the script of the data's Russian pages: with Cyrillic among the alphabets,
# the Russian pages lost 12 and 8 points of text-mode line F1 on two cheap-protocol samples
# (docs/evaluation.md; that the Cyrillic copies were the cause was not measured apart), while
# the Latin-script languages lost nothing there to the shuffled Latin copies.
ALPHABETS = {
    "latin": _LATIN_LOWER,
    "devanagari": _letters(0x0905, 0x0939),
    "bengali": _letters(0x0985, 0x09B9),
    "hebrew": _letters(0x05D0, 0x05EA),
    "georgian": _letters(0x10D0, 0x10F0),
    "armenian": _letters(0x0561, 0x0586),
    "tamil": _letters(0x0B85, 0x0BB9),
}
DANDA = "\u0964"


def cipher_table(alphabet: str, rng: random.Random) -> dict[int, str]:
    """A ``str.translate`` table from Latin letters to the letters of ``alphabet`` shuffled:
    a-z one for one (cycling where the alphabet is shorter), capitals to the same letter
    (capitalized where the alphabet is Latin), accented letters to a letter drawn at random."""
    shuffled = list(ALPHABETS[alphabet])
    rng.shuffle(shuffled)
    cased = alphabet == "latin"
    table = {}
    for index, letter in enumerate(_LATIN_LOWER):
        target = shuffled[index % len(shuffled)]
        table[ord(letter)] = target
        table[ord(letter.upper())] = target.upper() if cased else target
    for letter in _ACCENTED:
        target = rng.choice(shuffled)
        table[ord(letter)] = target.upper() if cased and letter.isupper() else target
    return table


def ciphered_line(line: str, table: dict[int, str], alphabet: str) -> str:
    """``line`` through ``table``; in Devanagari a full stop that ends a sentence is a danda."""
    line = line.translate(table)
    if alphabet == "devanagari":
        line = line.replace(". ", DANDA + " ")
        if line.endswith("."):
            line = line[:-1] + DANDA
    return line


def ciphered_pages(pages: Sequence[Page], seed: int, site_share: float) -> list[Page]:
    """Ciphered copies (dataset ``ciphered``) of every page of a seeded ``site_share`` of the
    sites whose pages are mostly Latin script, one alphabet per site."""
    if site_share <= 0:
        return []
    rng = random.Random(seed)
    by_site: dict[str, list[Page]] = {}
    for page in pages:
        if page.labels is not None and page.dataset != CIPHERED_DATASET:
            by_site.setdefault(page.site or page.page_id, []).append(page)
    copies = []
    for site in sorted(by_site):
        if rng.random() >= site_share:
            continue
        site_pages = by_site[site]
        if dominant_script([line for page in site_pages for line in page.lines]) != "latin":
            continue
        alphabet = rng.choice(sorted(ALPHABETS))
        table = cipher_table(alphabet, rng)
        copies.extend(_ciphered_page(page, table, alphabet) for page in site_pages)
    return copies


def _ciphered_page(page: Page, table: dict[int, str], alphabet: str) -> Page:
    return replace(
        page,
        page_id=f"{page.page_id}#{CIPHERED_DATASET}-{alphabet}",
        lines=[ciphered_line(line, table, alphabet) for line in page.lines],
        lang=f"{CIPHERED_DATASET}-{alphabet}",
        dataset=CIPHERED_DATASET,
        extra=dict(page.extra),
    )
