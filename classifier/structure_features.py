"""Feature columns from the HTML structure of each line (``classifier.structure``).

Shares are of the line's mapped characters (those found in the DOM); a line of a page given as
plain text, or one none of whose words was found (an image's alt text), has NaN throughout,
as text-only lines have no link share: the model learns to lean on the text then.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from classifier.page import Page
from classifier.runs import Runs
from classifier.structure import ELEMENT_FIELDS, FIELDS, FLAGS, REGION_FIELDS

# ``link`` is the link share, which has its own column (``link_char_share``).
FLAG_SHARE_COLUMNS = tuple(f"in_{flag}_share" for flag in FLAGS if flag != "link")
# Whether the line is inside the page's prose region or after it, the region's share of the
# page's text, and the share of the page's prose around the line (``structure.REGION_FIELDS``).
PROSE_REGION_COLUMNS = ("in_prose_region", "after_prose_region", "prose_region_text_share", "outer_prose_share")
STRUCTURE_COLUMNS = (
    "has_structure", "mapped_share", *FLAG_SHARE_COLUMNS,
    "element_tag", "block_tag", "element_depth", "element_rel_depth",
    "dom_block_log_chars", "dom_block_link_density", "dom_outer_log_chars", "dom_outer_link_density",
    *PROSE_REGION_COLUMNS,
)
# Neighbour columns: a menu item between menu items, a paragraph between paragraphs.
STRUCTURE_CONTEXT_COLUMNS = ("dom_block_link_density", "in_list_item_share", "in_paragraph_share", "element_tag")
NAMES_COLUMN = "structure_names"

_COLUMN = {name: i for i, name in enumerate(FIELDS)}


def add_structure_features(columns, pages: Sequence[Page]) -> None:
    """Add ``STRUCTURE_COLUMNS`` and ``structure_names`` (the class/id text of each line's
    element and ancestors; "" without structure) to the feature columns of ``pages`` (a dict
    of arrays, or a table, holding ``n_chars`` and ``page_no``)."""
    n_rows = sum(len(page.lines) for page in pages)
    names = np.full(n_rows, "", dtype=object)
    has = np.zeros(n_rows, dtype=np.int8)
    values = np.full((n_rows, len(FIELDS)), np.nan)
    row = 0
    for page in pages:
        n = len(page.lines)
        if page.structure is not None:
            values[row : row + n] = page.structure.values
            names[row : row + n] = page.structure.tokens
            has[row : row + n] = 1
        row += n
    mapped = values[:, _COLUMN["mapped_chars"]]
    found = mapped > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        per_mapped = np.where(found, 1.0 / mapped, np.nan)
        columns["has_structure"] = has
        columns["mapped_share"] = np.where(has == 1, mapped / np.asarray(columns["n_chars"]).clip(min=1), np.nan)
        for flag, column in zip((f for f in FLAGS if f != "link"), FLAG_SHARE_COLUMNS):
            columns[column] = values[:, _COLUMN[f"{flag}_chars"]] * per_mapped
        element = {name: np.where(found, values[:, _COLUMN[name]], np.nan) for name in ELEMENT_FIELDS}
        for name in ("block_text_chars", "block_link_chars", "outer_text_chars", "outer_link_chars"):
            element[name] = np.where(element[name] >= 0, element[name], np.nan)
        columns["element_tag"] = element["tag"]
        columns["block_tag"] = element["block_tag"]
        columns["element_depth"] = element["depth"]
        pages_of_rows = Runs.of(np.asarray(columns["page_no"]))
        page_max_depth = pages_of_rows.per_row(pages_of_rows.maxima(element["depth"]))
        columns["element_rel_depth"] = element["depth"] / np.clip(page_max_depth, 1, None)
        columns["dom_block_log_chars"] = np.log1p(element["block_text_chars"])
        columns["dom_block_link_density"] = element["block_link_chars"] / np.clip(element["block_text_chars"], 1, None)
        columns["dom_outer_log_chars"] = np.log1p(element["outer_text_chars"])
        columns["dom_outer_link_density"] = element["outer_link_chars"] / np.clip(element["outer_text_chars"], 1, None)
        region = {name: np.where(values[:, _COLUMN[name]] >= 0, values[:, _COLUMN[name]], np.nan) for name in REGION_FIELDS}
        columns["in_prose_region"] = np.where(np.isnan(region["prose_region_side"]), np.nan, region["prose_region_side"] == 1)
        columns["after_prose_region"] = np.where(np.isnan(region["prose_region_side"]), np.nan, region["prose_region_side"] == 2)
        columns["prose_region_text_share"] = region["prose_region_text_permille"] / 1000
        columns["outer_prose_share"] = region["outer_prose_permille"] / 1000
    columns[NAMES_COLUMN] = names
