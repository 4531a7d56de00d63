"""The HTML structure behind each rendered line: which elements its words came from.

For a page read from HTML, every line gets (from one compiled walk of the DOM,
``classifier/_html_walk.pyx``) the characters it has under each kind of ancestor (a link, a
``nav``, a ``footer``, a list item, a heading, an ARIA ``navigation`` region ...), the tag,
depth and block of the element that gave it most of its words, how much of that block's text
is linked, and the class and id words of its ancestors ("related", "share", "sidebar", learned
by the model, not listed here). A page given as plain text has no structure, and its feature
columns are NaN, as its link counts are.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from classifier._html_walk import ELEMENT_FIELDS, REGION_FIELDS, TagTable, walk_dom

# Ancestor kinds a line's characters are counted under (a flag is set on an element and on
# everything below it). Tags and ARIA roles share flags: <nav> and role="navigation" are
# one kind. The list is the (#14), from the HTML elements that mark page regions.
FLAG_TAGS = {
    "link": ("a",),
    "nav": ("nav",),
    "header": ("header",),
    "footer": ("footer",),
    "aside": ("aside",),
    "form": ("form", "select", "option", "input", "textarea", "fieldset"),
    "main": ("main",),
    "article": ("article",),
    "section": ("section",),
    "figure": ("figure", "figcaption"),
    "list_item": ("li", "dd", "dt"),
    "table": ("table",),
    "heading": ("h1", "h2", "h3", "h4", "h5", "h6"),
    "h1": ("h1",),
    "code": ("pre", "code", "kbd", "samp"),
    "blockquote": ("blockquote", "q"),
    "button": ("button",),
    "label": ("label",),
    "paragraph": ("p",),
    "dialog": ("dialog",),
    "menu": ("menu",),
    "time": ("time", "address"),
    "emphasis": ("strong", "b", "em", "i"),
    "small": ("small", "sub", "sup"),
    "image": ("img",),
    # Set by attributes, not tags: ``hidden``, ``aria-hidden="true"``, an inline display:none.
    "hidden": (),
}
FLAG_ROLES = {
    "nav": ("navigation", "menubar", "tablist"),
    "header": ("banner",),
    "footer": ("contentinfo",),
    "aside": ("complementary",),
    "form": ("search", "form"),
    "main": ("main",),
    "article": ("article",),
    "heading": ("heading",),
    "button": ("button",),
    "dialog": ("dialog", "alertdialog"),
    "menu": ("menu", "menuitem"),
    "image": ("img",),
}
FLAGS = tuple(FLAG_TAGS)
LINK_FLAG = FLAGS.index("link")
HIDDEN_FLAG = FLAGS.index("hidden")
# The element kinds a line's element and block are told by (0: any other). Trees split
# on the code, so related kinds sit next to each other.
TAG_CODES = {
    name: code
    for code, names in enumerate(
        (
            ("span", "font"), ("a",), ("p",), ("div",), ("li", "dd", "dt"), ("td", "th"),
            ("h1",), ("h2",), ("h3",), ("h4", "h5", "h6"), ("section",), ("article",), ("main",),
            ("header",), ("footer",), ("nav",), ("aside",), ("figure", "figcaption"),
            ("blockquote", "q"), ("pre", "code"), ("label",), ("button",), ("strong", "b"),
            ("em", "i"), ("time",), ("small",), ("form", "option", "select"), ("body",),
            ("ul", "ol"), ("table", "tr", "tbody"), ("center",), ("address",), ("cite",), ("img",),
        ),
        start=1,
    )
    for name in names
}
# Elements whose text the renderer does not show (seen with Resiliparse's defaults; it shows
# the text of elements hidden by attributes or inline styles).
HIDDEN_TAGS = frozenset(
    {"script", "style", "noscript", "template", "head", "textarea", "select", "button", "label", "iframe"}
)
# Elements lexbor serializes without escaping their text.
RAW_TEXT_TAGS = frozenset({"script", "style", "xmp", "iframe", "noembed", "noframes", "plaintext"})
VOID_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track",
     "wbr", "keygen", "basefont", "bgsound", "frame"}
)
# Elements that start a block of the rendering: a line's block is its nearest such ancestor.
BLOCK_TAGS = frozenset(
    {"p", "div", "li", "td", "th", "dd", "dt", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
     "header", "footer", "nav", "aside", "main", "ul", "ol", "dl", "table", "tr", "form", "blockquote", "pre",
     "figure", "figcaption", "address", "center", "fieldset", "details", "summary", "menu", "dialog", "body"}
)
# How far ahead (in lines) a word is looked for before it is taken to be hidden; menus put
# one item per line, so a small window keeps a hidden word from claiming text far down.
LOOKAHEAD_LINES = 20
# The class and id text of a line's element and its ancestors, nearest first, is kept up to
# this many characters (the outer ones, body and page wrappers, say the same on every line).
NAME_CHARS = 200

# The page's prose region (what Readability calls the top candidate): the deepest element
# holding more than this share of the page's prose. A line's prose is its unlinked
# characters beyond PROSE_LINE_FREE_CHARS, so that menu items and short labels weigh nothing
# and a paragraph weighs almost its length.
PROSE_REGION_SHARE = 0.5
PROSE_LINE_FREE_CHARS = 40

# The per-line facts kept with a page (``LineStructure.values`` columns): characters under each
# flag, then the fields of the line's element and of the prose region (``_html_walk``'s).
FIELDS = ("mapped_chars", *(f"{flag}_chars" for flag in FLAGS), *ELEMENT_FIELDS, *REGION_FIELDS)

_TAG_FLAGS = {}
for _bit, _flag in enumerate(FLAGS):
    for _tag in FLAG_TAGS[_flag]:
        _TAG_FLAGS[_tag] = _TAG_FLAGS.get(_tag, 0) | (1 << _bit)
_ROLE_FLAGS = {}
for _flag, _roles in FLAG_ROLES.items():
    for _role in _roles:
        _ROLE_FLAGS[_role] = _ROLE_FLAGS.get(_role, 0) | (1 << FLAGS.index(_flag))
_TAGS = TagTable(TAG_CODES, _TAG_FLAGS, _ROLE_FLAGS, HIDDEN_TAGS, RAW_TEXT_TAGS, VOID_TAGS, BLOCK_TAGS)


@dataclass
class LineStructure:
    """Per line of a page: ``values`` (int32, one row per line, columns ``FIELDS``; -1 in
    the element fields of a line none of whose words was found in the DOM) and ``tokens``
    (the ``class`` and ``id`` text of the line's element and its ancestors, nearest first:
    the lexical model splits it into words)."""

    values: np.ndarray
    tokens: list[str]

    def __post_init__(self) -> None:
        self.values = np.asarray(self.values, dtype=np.int32).reshape(-1, len(FIELDS))
        if len(self.tokens) != len(self.values):
            raise ValueError(f"{len(self.tokens)} token strings for {len(self.values)} lines")

    def __len__(self) -> int:
        return len(self.values)

    def to_json(self) -> dict:
        return {"values": self.values.tolist(), "tokens": self.tokens}

    @classmethod
    def from_json(cls, data: dict) -> LineStructure:
        return cls(np.array(data["values"], dtype=np.int32).reshape(-1, len(FIELDS)), list(data["tokens"]))

    def sliced(self, start: int, end: int) -> LineStructure:
        return LineStructure(self.values[start:end], self.tokens[start:end])


def line_structure(body_html: str, lines: list[str]) -> LineStructure:
    """The structure of each of ``lines`` (rendered from the page whose body lexbor serialized
    as ``body_html``)."""
    n_lines = len(lines)
    flag_chars = np.zeros((n_lines, 1 + len(FLAGS)), dtype=np.int32)
    line_element = np.full(n_lines, -1, dtype=np.int32)
    walk = walk_dom(body_html, lines, _TAGS, LINK_FLAG, HIDDEN_FLAG, flag_chars, line_element, LOOKAHEAD_LINES, NAME_CHARS)
    line_fields = np.full((n_lines, len(ELEMENT_FIELDS) + len(REGION_FIELDS)), -1, dtype=np.int32)
    walk.line_fields(line_fields, PROSE_REGION_SHARE, PROSE_LINE_FREE_CHARS)
    return LineStructure(np.hstack([flag_chars, line_fields]), walk.line_names())
