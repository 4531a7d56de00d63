"""The one object that flows through boilerline: a page as a list of text lines."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from classifier.structure import LineStructure

CONTENT = "content"
CHROME = "chrome"


def is_blank(line: str) -> bool:
    """Blank as LABELING.md defines it: Python's ``strip()`` leaves nothing.

    Zero-width characters that ``strip()`` keeps (U+200B, U+FEFF) make a line non-blank.
    """
    return not line.strip()


@dataclass
class Page:
    """A page rendered to lines, with what is known about where it came from.

    ``link_chars`` holds, per line, how many characters sit inside ``<a>`` elements; it is
    ``None`` when the page came as plain text, and the features then fall back to text cues.
    ``structure`` (``classifier.structure``) says which elements each line came from; it is
    ``None`` for plain text too.
    ``labels`` is set on labeled (training / evaluation) pages: ``content``/``chrome`` per
    line, ``None`` exactly on blank lines. ``kind`` is the mix of scripts a labeled page was
    chosen for (e.g. ``latin-content-arabic-chrome``), a group in the scores.
    """

    page_id: str
    lines: list[str]
    link_chars: list[int] | None = None
    structure: LineStructure | None = None
    site: str | None = None
    url: str | None = None
    lang: str | None = None
    dataset: str | None = None
    kind: str | None = None
    labels: list[str | None] | None = None
    extra: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        n = len(self.lines)
        if self.link_chars is not None and len(self.link_chars) != n:
            raise ValueError(f"page {self.page_id}: {len(self.link_chars)} link_chars for {n} lines")
        if self.structure is not None and len(self.structure) != n:
            raise ValueError(f"page {self.page_id}: structure of {len(self.structure)} lines for {n} lines")
        if self.labels is not None:
            if len(self.labels) != n:
                raise ValueError(f"page {self.page_id}: {len(self.labels)} labels for {n} lines")
            for i, (line, label) in enumerate(zip(self.lines, self.labels)):
                if is_blank(line) != (label is None) or label not in (CONTENT, CHROME, None):
                    raise ValueError(
                        f"page {self.page_id}: line {i + 1} has label {label!r}; "
                        "labels must be content/chrome, null exactly on blank lines"
                    )
