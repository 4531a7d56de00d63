"""HTML -> lines, with the number of link characters on each line.

Lines come from Resiliparse's ``extract_plain_text`` with its defaults (the rendering the
seed pages and the hand-labeled Arabic set were made with). Link characters are counted
from the same DOM: the visible text of each ``<a>`` element is found again, in document
order, in the rendered lines.
"""

from __future__ import annotations

import re

from resiliparse.extract.html2text import extract_plain_text
from resiliparse.parse.html import DOMContext, DOMNode, HTMLTree, NodeType, traverse_dom

# How far ahead (in lines) an anchor's text is looked for before the anchor is taken to be
# invisible (inside a hidden template the renderer skipped). Menus put one anchor per line,
# so a small window keeps a hidden anchor from claiming text far down the page.
ANCHOR_LOOKAHEAD_LINES = 20

_ASCII_SPACE = re.compile(r"[ \t\n\r\f]+")
# Elements whose text the renderer does not show.
_INVISIBLE_TAGS = frozenset({"script", "style", "noscript", "template"})


def render_html(html: str) -> tuple[list[str], list[int]]:
    """Render HTML to text lines and count link characters per line (bytes are decoded by
    ``classifier.encoding.decode`` first)."""
    tree = HTMLTree.parse(html)
    lines = extract_plain_text(tree).split("\n")
    return lines, count_link_chars(lines, anchor_texts(tree))


def anchor_texts(tree: HTMLTree) -> list[str]:
    """The visible text of each outermost ``<a>`` element, in document order.

    One pre-order pass over the elements finds the outermost anchors outside invisible
    elements, closing an anchor when the walk comes back up to its depth (the end callback
    is not called for childless nodes, so depth is what tells); each one's text is then read
    whole, in lexbor's C code. A Python callback per text node as well, as this walk once
    made, took longer than parsing and rendering together; CSS selectors (``a a``) to tell
    nested anchors take seconds on deeply nested pages. The outermost anchors' texts add up
    to no more than the page's text, even where unclosed anchors nest down to the end of the
    document (seen on webmainbench pages). An anchor that holds an invisible element has its
    text gathered without it.
    """
    if tree.body is None:
        return []
    anchors: list[list] = []  # [anchor node, whether it holds an invisible element]
    open_at = {"anchor": None, "hidden": None}  # depth of the open <a> / invisible element

    def enter(context: DOMContext) -> None:
        node, depth = context.node, context.depth
        if open_at["hidden"] is not None and depth <= open_at["hidden"]:
            open_at["hidden"] = None
        if open_at["anchor"] is not None and depth <= open_at["anchor"]:
            open_at["anchor"] = None
        if node.tag == "a" and open_at["anchor"] is None:
            open_at["anchor"] = depth
            if open_at["hidden"] is None:
                anchors.append([node, False])
        elif node.tag in _INVISIBLE_TAGS and open_at["hidden"] is None:
            if open_at["anchor"] is not None:
                anchors[-1][1] = True
            open_at["hidden"] = depth

    traverse_dom(tree.body, enter, None, DOMContext(), elements_only=True)
    texts = []
    for anchor, holds_invisible in anchors:
        text = _ASCII_SPACE.sub(" ", _visible_text(anchor) if holds_invisible else anchor.text).strip()
        if text:
            texts.append(text)
    return texts


def _visible_text(node: DOMNode) -> str:
    """The text under ``node``, less that of invisible elements."""
    parts: list[str] = []
    hidden_at = {"depth": None}

    def enter(context: DOMContext) -> None:
        child, depth = context.node, context.depth
        if hidden_at["depth"] is not None and depth <= hidden_at["depth"]:
            hidden_at["depth"] = None
        if child.type == NodeType.ELEMENT and child.tag in _INVISIBLE_TAGS and hidden_at["depth"] is None:
            hidden_at["depth"] = depth
        elif child.type == NodeType.TEXT and hidden_at["depth"] is None:
            parts.append(child.text)

    traverse_dom(node, enter, None, DOMContext())
    return "".join(parts)


def count_link_chars(lines: list[str], anchor_texts: list[str]) -> list[int]:
    """Place anchor texts on lines in order; return the linked characters per line."""
    link_chars = [0] * len(lines)
    line_no, offset = 0, 0
    for text in anchor_texts:
        for candidate in range(line_no, min(line_no + ANCHOR_LOOKAHEAD_LINES, len(lines))):
            start = lines[candidate].find(text, offset if candidate == line_no else 0)
            if start >= 0:
                link_chars[candidate] += len(text)
                line_no, offset = candidate, start + len(text)
                break
    return [min(n, len(line.strip())) for n, line in zip(link_chars, lines)]
