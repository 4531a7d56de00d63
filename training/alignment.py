"""Order-aware word alignment of a page's rendered lines against a reference text.

A gold text is a copy of the page's main text, so its words appear on the page in the same
order. Aligning the two word sequences in order (not searching each gold line as a substring)
keeps a menu's "Home" from matching the word "home" somewhere in the article: a word only
counts when it sits inside a long run of words that match in order.
"""

from __future__ import annotations

import difflib
import re

# Scripts written without spaces between words: each character is one token.
# Han, kana, CJK compatibility ideographs, Thai, Lao, Myanmar, Khmer.
_UNSPACED_SCRIPTS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff"
_TOKEN = re.compile(rf"[{_UNSPACED_SCRIPTS}]|[^\W{_UNSPACED_SCRIPTS}]+")
_UNSPACED_CHAR = re.compile(rf"[{_UNSPACED_SCRIPTS}]")

# A matching run must be this many words long to count. Three-word menu entries ("Terms of
# Use") recur inside long golds by chance; four in-order words rarely do. Chosen by reading
# audit output of dragnet, cleaneval and wcxb pages (training/audit.py).
MIN_MATCH_WORDS = 4

# One character of an unspaced script is worth half a word: Chinese words average about two
# characters, so a run of 8 characters is as long as a run of 4 words.
UNSPACED_CHAR_WORDS = 0.5

# A line is covered when more than half of its words are in matching runs (LABELING.md:
# "label by what most of its characters are").
LINE_COVERAGE_SHARE = 0.5


def tokenize(text: str) -> list[str]:
    """Lower-cased word tokens; one token per character for scripts without spaces."""
    return _TOKEN.findall(text.lower())


def word_weight(tokens: list[str]) -> float:
    """Length of a token run in words, counting unspaced-script characters as half a word."""
    return sum(UNSPACED_CHAR_WORDS if _UNSPACED_CHAR.fullmatch(token) else 1.0 for token in tokens)


def line_tokens(lines: list[str]) -> tuple[list[str], list[int]]:
    """All tokens of the lines in order, and the line index of each token."""
    tokens: list[str] = []
    line_of_token: list[int] = []
    for index, line in enumerate(lines):
        words = tokenize(line)
        tokens.extend(words)
        line_of_token.extend([index] * len(words))
    return tokens, line_of_token


def aligned_positions(page_tokens: list[str], reference_tokens: list[str]) -> dict[int, int]:
    """Map page token positions to reference positions, keeping only long in-order runs."""
    vocabulary: dict[str, int] = {}
    page_ids = [vocabulary.setdefault(token, len(vocabulary)) for token in page_tokens]
    reference_ids = [vocabulary.setdefault(token, len(vocabulary)) for token in reference_tokens]
    # The sequences are aligned back to front: of two equal copies of a passage the matcher
    # takes the first it meets, and read backwards that is the copy nearest the body, not
    # the headline repeated in a breadcrumb or top bar above it.
    # autojunk would drop frequent words ("the") and break runs at every one of them.
    matcher = difflib.SequenceMatcher(None, page_ids[::-1], reference_ids[::-1], autojunk=False)
    n_page, n_reference = len(page_ids), len(reference_ids)
    aligned: dict[int, int] = {}
    for reversed_page_start, reversed_reference_start, size in matcher.get_matching_blocks():
        page_start = n_page - reversed_page_start - size
        reference_start = n_reference - reversed_reference_start - size
        if size and word_weight(page_tokens[page_start : page_start + size]) >= MIN_MATCH_WORDS:
            for offset in range(size):
                aligned[page_start + offset] = reference_start + offset
    return aligned


def covered_lines(lines: list[str], reference_tokens: list[str], token_counts=None) -> list[bool]:
    """Per line: are most of its words aligned to a reference token that counts?

    ``token_counts`` optionally says, per reference token, whether a match on it counts
    (used for annotated pages, where the reference is the whole page tagged by class).
    """
    page_tokens, line_of_token = line_tokens(lines)
    aligned = aligned_positions(page_tokens, reference_tokens)
    n_words = [0] * len(lines)
    n_covered = [0] * len(lines)
    for position, line_index in enumerate(line_of_token):
        n_words[line_index] += 1
        reference_position = aligned.get(position)
        if reference_position is not None and (token_counts is None or token_counts[reference_position]):
            n_covered[line_index] += 1
    return [words > 0 and covered / words > LINE_COVERAGE_SHARE for covered, words in zip(n_covered, n_words)]
