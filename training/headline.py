"""Find the main headline's line, which several golds leave out but our policy counts as content.

Scrapinghub-style, newspaper and wcxb golds omit the headline (shared/data/README.md). The
headline is the page's ``<h1>`` (or, failing that, its ``<title>`` without the site suffix);
its line is the matching rendered line closest above the first content line. Searching only
a few lines up skips the ``<title>`` copy printed above the menus, which LABELING.md calls chrome.
"""

from __future__ import annotations

import re

from resiliparse.parse.html import HTMLTree

# How many non-blank lines above the first content line the headline may stand: between the
# H1 and the body, audited pages have a standfirst, byline, credits, "Print", "View Slideshow",
# an image and its caption (newspaper3k's architecturaldigest page needs 7).
HEADLINE_WINDOW_LINES = 10

# A line holding the headline plus a little more ("Headline | Photos") is still the headline
# line when the headline is most of it.
HEADLINE_LINE_SHARE = 0.6

# Shorter "headlines" ("News", "Blog") are section names, not the page's own title.
MIN_HEADLINE_CHARS = 10

# "<headline> | <site>", "<headline> - <site>", "<site> :: <headline>", and the unspaced
# "<headline>--<site>" / "<headline>_<site>" of Chinese portals (chinese_wce).
_TITLE_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|::|»|«|·)\s+|\s*(?:--|_|\|)\s*")
_SPACE = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Whitespace-collapsed, case-folded text for comparing lines."""
    return _SPACE.sub(" ", text).strip().casefold()


def headline_candidates(html: str) -> tuple[list[str], list[str]]:
    """Normalized headline texts: the ``<h1>`` texts, and the title with its longest part."""
    tree = HTMLTree.parse(html)
    h1_texts = []
    if tree.body is not None:
        h1_texts = [normalize(h1.text) for h1 in tree.body.get_elements_by_tag_name("h1")]
    title = normalize(tree.title or "")
    title_texts = [title, max(_TITLE_SEPARATORS.split(title), key=len)] if title else []
    return _usable(h1_texts), [text for text in _usable(title_texts) if text not in h1_texts]


def _usable(texts: list[str]) -> list[str]:
    return [text for text in dict.fromkeys(texts) if len(text) >= MIN_HEADLINE_CHARS]


def holds_headline(line: str, headline: str) -> bool:
    """Does the normalized ``line`` consist mostly of the normalized ``headline``?"""
    return headline in line and len(headline) >= HEADLINE_LINE_SHARE * len(line)


def headline_line(lines: list[str], content: list[bool], html: str) -> int | None:
    """Index of the headline line to add to the content, or None.

    None when no content line is known, when the headline is already labeled content, or
    when no line near the start of the content holds it.
    """
    if True not in content:
        return None
    first_content = content.index(True)
    normalized = [normalize(line) for line in lines]
    non_blank_above = [index for index in range(first_content) if normalized[index]]
    window = non_blank_above[::-1][:HEADLINE_WINDOW_LINES]
    h1_texts, title_texts = headline_candidates(html)
    for headline in h1_texts + title_texts:
        if any(is_content and headline in text for is_content, text in zip(content, normalized)):
            return None
    for headline in h1_texts:
        for index in window:
            if holds_headline(normalized[index], headline):
                return index
    # A title copy on the page's first line is the <title> printed above the menus: chrome.
    for headline in title_texts:
        for index in window:
            if index != non_blank_above[0] and holds_headline(normalized[index], headline):
                return index
    return None
