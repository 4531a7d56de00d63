"""Feature columns from the HTML structure of each line (``classifier.structure``).

Shares are of the line's mapped characters (those found in the DOM); a line of a page given as
plain text, or one none of whose words was found (an image's alt text), has NaN throughout,
as text-only lines have no link share: the model learns to lean on the text then.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from classifier.page import Page
from classifier.structure import ELEMENT_FIELDS, FIELDS, FLAGS

# ``link`` is the link share, which has its own column (``link_char_share``).
FLAG_SHARE_COLUMNS = tuple(f"in_{flag}_share" for flag in FLAGS if flag != "link")
STRUCTURE_COLUMNS = (
    "has_structure", "mapped_share", *FLAG_SHARE_COLUMNS,
    "element_tag", "block_tag", "element_depth", "element_rel_depth",
    "dom_block_log_chars", "dom_block_link_density", "dom_outer_log_chars", "dom_outer_link_density",
)
# Neighbour columns: a menu item between menu items, a paragraph between paragraphs.
STRUCTURE_CONTEXT_COLUMNS = ("dom_block_link_density", "in_list_item_share", "in_paragraph_share", "element_tag")
NAMES_COLUMN = "structure_names"

_COLUMN = {name: i for i, name in enumerate(FIELDS)}


def add_structure_features(table: pd.DataFrame, pages: Sequence[Page]) -> None:
    """Add ``STRUCTURE_COLUMNS`` and ``structure_names`` (the class/id text of each line's
    element and ancestors; "" without structure) to a feature table of ``pages``."""
    values = np.full((len(table), len(FIELDS)), np.nan)
    names = np.full(len(table), "", dtype=object)
    has = np.zeros(len(table), dtype=np.int8)
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
        table["has_structure"] = has
        table["mapped_share"] = np.where(has == 1, mapped / table["n_chars"].to_numpy().clip(min=1), np.nan)
        for flag, column in zip((f for f in FLAGS if f != "link"), FLAG_SHARE_COLUMNS):
            table[column] = values[:, _COLUMN[f"{flag}_chars"]] * per_mapped
        element = {name: np.where(found, values[:, _COLUMN[name]], np.nan) for name in ELEMENT_FIELDS}
        for name in ("block_text_chars", "block_link_chars", "outer_text_chars", "outer_link_chars"):
            element[name] = np.where(element[name] >= 0, element[name], np.nan)
        table["element_tag"] = element["tag"]
        table["block_tag"] = element["block_tag"]
        table["element_depth"] = element["depth"]
        page_max_depth = pd.Series(element["depth"]).groupby(table["page_no"].to_numpy()).transform("max").to_numpy()
        table["element_rel_depth"] = element["depth"] / np.clip(page_max_depth, 1, None)
        table["dom_block_log_chars"] = np.log1p(element["block_text_chars"])
        table["dom_block_link_density"] = element["block_link_chars"] / np.clip(element["block_text_chars"], 1, None)
        table["dom_outer_log_chars"] = np.log1p(element["outer_text_chars"])
        table["dom_outer_link_density"] = element["outer_link_chars"] / np.clip(element["outer_text_chars"], 1, None)
    table[NAMES_COLUMN] = names.tolist()
