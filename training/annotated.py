"""Read the annotators' classes out of an L3S-GN1 annotated page.

L3S-GN1 marks text with spans ``x-nc-sel0`` .. ``x-nc-sel5`` (0 not content, 1 headline,
2 full text, 3 supplemental, 4 related content, 5 comments). This module walks the DOM and
returns the page's words in document order, each tagged with the class of the innermost
annotated span around it (0 when no span surrounds it).
"""

from __future__ import annotations

import re

from resiliparse.parse.html import HTMLTree, NodeType

from training.alignment import tokenize

NOT_CONTENT, HEADLINE, FULL_TEXT, SUPPLEMENTAL, RELATED, COMMENTS = range(6)

_SEL_CLASS = re.compile(r"\bx-nc-sel([0-5])\b")

# Elements whose text the renderer never shows.
_INVISIBLE_TAGS = frozenset({"script", "style", "noscript", "template", "head", "title"})


def annotated_tokens(annotated_html: str) -> tuple[list[str], list[int]]:
    """The page's tokens in document order and the annotated class of each."""
    tree = HTMLTree.parse(annotated_html)
    tokens: list[str] = []
    classes: list[int] = []
    if tree.body is None:
        return tokens, classes
    # Iterative depth-first walk: deeply nested table layouts overflow Python's recursion.
    stack = [(tree.body, NOT_CONTENT)]
    while stack:
        node, inherited = stack.pop()
        if node.type == NodeType.TEXT:
            words = tokenize(node.text)
            tokens.extend(words)
            classes.extend([inherited] * len(words))
            continue
        if node.type != NodeType.ELEMENT or node.tag in _INVISIBLE_TAGS:
            continue
        match = _SEL_CLASS.search(node.class_name or "")
        current = int(match.group(1)) if match else inherited
        stack.extend((child, current) for child in reversed(list(node.child_nodes)))
    return tokens, classes
