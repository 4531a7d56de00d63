"""HTML -> lines, with the link characters and the structure (``classifier.structure``) of
each line.

Lines come from Resiliparse's ``extract_plain_text`` with its defaults (the rendering the
seed pages and the hand-labeled Arabic set were made with). Link characters and structure
come from one walk of the same DOM (lexbor's serialization of the parsed body), whose words
are found again, in order, in the rendered lines.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from resiliparse.extract.html2text import extract_plain_text
from resiliparse.parse.html import HTMLTree

from classifier.structure import FIELDS, LineStructure, line_structure

_LINK_CHARS = FIELDS.index("link_chars")


class Rendering(NamedTuple):
    """A page's rendered lines, the linked characters on each, and each line's structure."""

    lines: list[str]
    link_chars: list[int]
    structure: LineStructure


def render_html(html: str) -> Rendering:
    """Render HTML to text lines, with link characters and structure per line (bytes are
    decoded by ``classifier.encoding.decode`` first)."""
    tree = HTMLTree.parse(html)
    lines = extract_plain_text(tree).split("\n")
    structure = line_structure(tree.body.html if tree.body is not None else "", lines)
    stripped_chars = np.fromiter(map(len, map(str.strip, lines)), dtype=np.int32, count=len(lines))
    link_chars = np.minimum(structure.values[:, _LINK_CHARS], stripped_chars).tolist()
    return Rendering(lines, link_chars, structure)
