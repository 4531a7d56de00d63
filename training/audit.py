"""Print labeled pages with a label marker per line, for a person to check the labels.

``boilerline audit [--data PATH...] [--n 20] [--seed 0]`` samples labeled pages and writes
them to stdout.
Markers: ``C`` content, ``-`` chrome, ``.`` not scored (partial golds), blank for blank lines.
"""

from __future__ import annotations

import random

from classifier.labeled import scored_mask
from classifier.page import CONTENT, Page

# Lines longer than this are cut in the audit view: the label depends on what a line is,
# which its first two hundred characters show.
MAX_SHOWN_CHARS = 200


def audit(pages: list[Page], n: int = 20, seed: int = 0) -> str:
    """Render ``n`` random pages, one marked line per rendered line."""
    sample = random.Random(seed).sample(pages, min(n, len(pages)))
    return "\n".join(render_page(page) for page in sample)


def render_page(page: Page) -> str:
    """One page: a header naming it, then ``<marker> | <line>`` per line."""
    scored = scored_mask(page)
    out = [f"===== {page.page_id}  site={page.site}  lang={page.lang}  url={page.url}"]
    for line, label, is_scored in zip(page.lines, page.labels or [None] * len(page.lines), scored):
        if label is None:
            marker = " "
        elif not is_scored:
            marker = "."
        else:
            marker = "C" if label == CONTENT else "-"
        shown = line if len(line) <= MAX_SHOWN_CHARS else line[:MAX_SHOWN_CHARS] + " …"
        out.append(f"{marker} | {shown}")
    return "\n".join(out) + "\n"
