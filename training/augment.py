"""Synthetic mixed-script training pages: real chrome of one script around real content of another.

The public gold data has almost no page whose chrome is in another script than its article
(an English article reposted on an Arabic aggregator, an Arabic post in an English theme), so
the model never learns that a foreign-script line outside the article is chrome. These pages
are built from the training pages themselves, only for training: a frame (the chrome lines
before the first and after the last content line of a page whose chrome is in one script) is
put around the content region (first to last content line) of a page in the other script.

A synthetic page belongs to its frame's site, so site-grouped folds keep it with the real
pages whose chrome it carries.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass

from classifier.labeled import SCORED
from classifier.page import CHROME, CONTENT, Page
from classifier.text import SCRIPT_PATTERNS

# A frame needs this many chrome lines, a content region this many content lines.
MIN_FRAME_LINES = 2
MIN_REGION_CONTENT_LINES = 3
# Content regions longer than this are cut (at a line boundary) to keep pages page-sized.
MAX_REGION_LINES = 120
SYNTHETIC_DATASET = "synthetic"
DIRECTIONS = (("arabic", "latin"), ("latin", "arabic"))

_SCRIPT_REGEXES = {script: re.compile(pattern) for script, pattern in SCRIPT_PATTERNS.items()}


@dataclass
class _Part:
    lines: list[str]
    labels: list[str | None]
    link_chars: list[int] | None


@dataclass
class _Frame:
    header: _Part
    footer: _Part
    site: str | None


def dominant_script(lines: Sequence[str]) -> str | None:
    """The script with the most letters in ``lines`` (None when there are no letters)."""
    text = "\n".join(lines)
    counts = {script: len(regex.findall(text)) for script, regex in _SCRIPT_REGEXES.items()}
    script, count = max(counts.items(), key=lambda item: item[1])
    return script if count else None


def mixed_script_pages(pages: Sequence[Page], seed: int, n_per_direction: int) -> list[Page]:
    """``n_per_direction`` synthetic pages (dataset ``synthetic``) for both directions
    (Arabic chrome around Latin content, and the reverse), from labeled ``pages``."""
    rng = random.Random(seed)
    frames = {script: [] for script in SCRIPT_PATTERNS}
    regions = {script: [] for script in SCRIPT_PATTERNS}
    for page in pages:
        split = _split(page)
        if split is None:
            continue
        frame, region = split
        frame_script = dominant_script([*frame.header.lines, *frame.footer.lines])
        if frame_script and _n_nonblank(frame.header) + _n_nonblank(frame.footer) >= MIN_FRAME_LINES:
            frames[frame_script].append(frame)
        region_script = dominant_script([line for line, label in zip(region.lines, region.labels) if label == CONTENT])
        if region_script and region.labels.count(CONTENT) >= MIN_REGION_CONTENT_LINES:
            regions[region_script].append((page, region))
    synthetic = []
    for chrome_script, content_script in DIRECTIONS:
        if not frames[chrome_script] or not regions[content_script]:
            continue
        for number in range(n_per_direction):
            frame = rng.choice(frames[chrome_script])
            source, region = rng.choice(regions[content_script])
            synthetic.append(_framed(frame, source, region, f"{SYNTHETIC_DATASET}/{chrome_script}-{content_script}/{number}"))
    return synthetic


def _split(page: Page) -> tuple[_Frame, _Part] | None:
    """The page's frame (chrome before the first / after the last content line) and region."""
    if page.labels is None or SCORED in page.extra or page.dataset == SYNTHETIC_DATASET:
        return None
    content = [i for i, label in enumerate(page.labels) if label == CONTENT]
    if not content:
        return None
    first, last = content[0], content[-1]

    def part(start: int, end: int) -> _Part:
        links = page.link_chars[start:end] if page.link_chars is not None else None
        return _Part(page.lines[start:end], page.labels[start:end], links)

    frame = _Frame(part(0, first), part(last + 1, len(page.lines)), page.site)
    return frame, part(first, min(last + 1, first + MAX_REGION_LINES))


def _framed(frame: _Frame, source: Page, region: _Part, page_id: str) -> Page:
    parts = [frame.header, region, frame.footer]
    gap = _Part([""], [None], [0])
    sequence = [part for part in _interleave(parts, gap) if part.lines]
    has_links = all(part.link_chars is not None for part in sequence)
    return Page(
        page_id=page_id,
        lines=[line for part in sequence for line in part.lines],
        link_chars=[n for part in sequence for n in part.link_chars] if has_links else None,
        site=frame.site,
        lang=source.lang,
        dataset=SYNTHETIC_DATASET,
        labels=[label for part in sequence for label in part.labels],
        extra={"synthetic": True},
    )


def _interleave(parts: list[_Part], gap: _Part) -> list[_Part]:
    out: list[_Part] = []
    for part in parts:
        if out and part.lines:
            out.append(gap)
        out.append(part)
    return out


def _n_nonblank(part: _Part) -> int:
    return sum(label in (CONTENT, CHROME) for label in part.labels)
