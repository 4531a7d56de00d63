"""HTML pages read but not rendered yet.

Rendering (decoding, parsing, extracting the lines, walking the DOM for link counts and
structure) is most of the cost of reading HTML, about as much as classifying it. A WARC
reader yields an ``UnrenderedPage``, and the rendering is done by whoever needs the lines:
with worker processes, the workers, so that it does not hold up the one process that reads.
"""

from __future__ import annotations

from dataclasses import dataclass

from classifier.encoding import decode
from classifier.formats.records import with_encoding
from classifier.html import render_html
from classifier.limits import Limits
from classifier.page import Page


@dataclass(frozen=True)
class UnrenderedPage:
    """The bytes of an HTML page as they came (any encoding), what is known of where it came
    from, and the limits its rendering is cut to."""

    page_id: str
    body: bytes
    url: str | None = None
    site: str | None = None
    limits: Limits = Limits()

    def render(self) -> Page:
        """The page as an HTML file is read: decoded by ``classifier.encoding`` (the encoding
        named in ``page.extra`` when not UTF-8), rendered, then cut to the limits."""
        text, encoding = decode(self.body, html=True)
        return self.limits.apply(with_encoding(Page(self.page_id, *render_html(text), site=self.site, url=self.url), encoding))


def rendered(item: Page | UnrenderedPage) -> Page:
    """``item`` as a Page, rendered if it was not."""
    return item.render() if isinstance(item, UnrenderedPage) else item
