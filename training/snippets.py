"""Match short must-include / must-exclude snippets to rendered lines.

trafilatura's evaluation set gives a few snippets the main text must include (``gold``) and
a few it must not (``without``); wcxb gives ``without`` snippets too. A snippet is a piece of
a line, or a run of text that spans whole lines.
"""

from __future__ import annotations

from training.headline import normalize

# A must-exclude snippet inside a longer line makes that line chrome only when the snippet is
# most of it: wcxb lists "Home" as must-exclude, and an article sentence containing the word
# "Home" is still content.
EXCLUDE_LINE_SHARE = 0.5

# A line found inside a snippet counts only when it is this long: "Home" or "Politik" turn up
# inside longer snippets ("homepage", "Politikerin") by chance.
MIN_INSIDE_SNIPPET_CHARS = 15


def split_snippets(text: str | list[str] | None) -> list[str]:
    """Normalized, non-empty snippets from a newline-separated string or a list."""
    if not text:
        return []
    items = text.split("\n") if isinstance(text, str) else [str(item) for item in text]
    return [snippet for snippet in (normalize(item) for item in items) if snippet]


def included_lines(lines: list[str], snippets: list[str]) -> list[bool]:
    """Per line: does it contain a must-include snippet, or lie inside one?

    A must-include snippet is taken from a content paragraph, so the whole line holding it
    is content, however short the snippet.
    """
    normalized = [normalize(line) for line in lines]
    return [
        bool(text) and any(snippet in text or _inside(text, snippet) for snippet in snippets)
        for text in normalized
    ]


def excluded_lines(lines: list[str], snippets: list[str]) -> list[bool]:
    """Per line: does it lie inside a must-exclude snippet, or is it mostly one?"""
    normalized = [normalize(line) for line in lines]
    return [
        bool(text)
        and any(
            _inside(text, snippet) or (snippet in text and len(snippet) > EXCLUDE_LINE_SHARE * len(text))
            for snippet in snippets
        )
        for text in normalized
    ]


def _inside(text: str, snippet: str) -> bool:
    return len(text) >= MIN_INSIDE_SNIPPET_CHARS and text in snippet
