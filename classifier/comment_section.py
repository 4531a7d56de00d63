"""Where a page's reader comments begin, from its lines alone.

Reader comments under an article are chrome (LABELING.md), but they read like the article:
sentences of prose, a name and a stamp between them. What sets them apart is a heading
above them: "Comments", "156 Responses to “Shuteye”", "Leave a Reply", "Kommentare",
"التعليقات". Such a heading after some of the page's prose opens the comment section, and
the lines below it are, across the shared data, 95% chrome. A heading above all the prose
(a "12 comments" link under the headline) opens nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from classifier.runs import Runs

# The words of a comment section's heading, in the data's languages and the large ones.
_COMMENT_WORDS = (
    r"comments?|responses?|replies|thoughts|discussion|kommentare?|commentaires?|comentarios?"
    r"|comentários?|commenti|commento|reacties|reactions?|комментари\w*|отзывы|تعليق\w*|التعليقات"
    r"|评论|留言|コメント|ความคิดเห็น"
)
# "Comments", "12 comments:", "Comments (3)", "Kommentare »"; "156 Responses to “Shuteye”",
# "12 thoughts on ...", "45 users responded in ..."; "Leave a Reply", "Post a comment",
# "Kommentar verfassen", "Laisser un commentaire", "أضف تعليقا"; "Comments are closed".
_HEADING = re.compile(
    rf"^(\d+\s*)?({_COMMENT_WORDS})\s*(\(\d+\)|\d+)?\s*[:»›]?$"
    rf"|^\d+\s+({_COMMENT_WORDS}|users? responded)\s+(to|on|in|zu|sur|a|على)\b"
    rf"|^(leave|post|add|write|submit|join)\s+(a|an|your|the)\s+(comment|reply|response|discussion)"
    rf"|^(reader|user|your)\s+comments|^comments\s+(are\s+closed|powered\s+by)"
    rf"|^(kommentar\s+(verfassen|schreiben)|laisser\s+un\s+commentaire|deja\s+(un|tu)\s+comentario"
    rf"|lascia\s+un\s+commento|deixe\s+(um|seu)\s+comentário|أضف\s+تعليق|اترك\s+تعليق|شارك\s+برأيك)",
    re.IGNORECASE,
)
# A heading longer than this is a sentence that mentions comments, not a heading.
HEADING_MAX_CHARS = 60
# Prose characters above a heading before it opens the comment section: a paragraph.
PROSE_BEFORE_CHARS = 200

COMMENT_SECTION_COLUMNS = ("below_comments_heading",)


def is_comments_heading(line: str) -> bool:
    """Whether ``line`` reads as the heading of a comment section."""
    return bool(comments_headings([line.strip()])[0])


def comments_headings(stripped: Sequence[str]) -> np.ndarray:
    """Per stripped line text, whether it reads as the heading of a comment section."""
    match = _HEADING.match
    return np.fromiter(
        (len(text) <= HEADING_MAX_CHARS and match(text) is not None for text in stripped), dtype=bool, count=len(stripped)
    )


def add_comment_section_features(columns, prose: np.ndarray, heading: np.ndarray) -> None:
    """Add ``below_comments_heading`` to the feature columns (a dict of arrays, or a table,
    holding ``page_no``): 1 on a page's lines from the first comments ``heading`` (per row)
    that has ``PROSE_BEFORE_CHARS`` of prose above it (``prose``: each line's prose
    characters, 0 on other lines) to the page's end, else 0."""
    n_rows = len(prose)
    pages = Runs.of(np.asarray(columns["page_no"]))
    above = pages.cumsum(prose) - prose  # prose above each row, within its page
    opens = heading & (above >= PROSE_BEFORE_CHARS)
    opened = np.maximum.accumulate(np.where(opens, np.arange(n_rows), -1))
    page_start = pages.per_row(pages.starts)
    columns["below_comments_heading"] = (opened >= page_start).astype(np.int8)
