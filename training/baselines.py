"""Other extractors on our labeled pages, their output turned into our per-line labels.

HTML extractors (trafilatura, jusText, boilerpy3, Readability, Resiliparse) read a page's
HTML and return its main text. That text is mapped back to the page's lines by the alignment
that labels lines from gold text (``training.alignment.covered_lines``): a line is content
when most of its words sit in long in-order runs of the extracted text. ``c4-rule`` needs no
HTML: it decides each of our lines by the C4 line filter. So every system ends as labels on
the same lines, scored by ``training.metrics`` like the model.

A system that raises or runs out of time on a page gets an empty extraction there (every line
chrome), counted in its run; the other systems and pages go on. A run's time is spent inside
the system's own call only: not reading the HTML, not the alignment.
"""

from __future__ import annotations

import importlib
import logging
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache

from classifier.language import detect_language, stoplist_name
from classifier.page import Page
from classifier.text import fold
from training.alignment import covered_lines, tokenize, word_weight
from training.extraction_cache import CachedExtraction, ExtractionCache, extraction_key, html_digest
from training.labeling import line_labels

OPTIONAL_EXTRA = "bench"

# A page's extraction is given up after this long: 25 times the slowest extraction of the 3
# largest pages of each dataset of ../shared/data (trafilatura, 2.4 s on a 2.2 MB
# webmainbench page, both cores busy), so only a hang trips it.
PAGE_TIMEOUT_SECONDS = 60.0
# After the time limit the timeout is raised again this often, in case an extractor's bare
# ``except:`` swallowed it (boilerpy3 catches everything while parsing, then parses again).
TIMEOUT_REPEAT_SECONDS = 1.0

# How often (in pages) a long run reports progress.
PROGRESS_EVERY_PAGES = 500

# The C4 line filter (Raffel et al. 2020, section 2.2; tensorflow_datasets' c4_utils): keep a
# line that ends in a terminal mark (. ? ! or a closing ") but not in an ellipsis, and has at
# least 3 words. Added: the Arabic question mark ؟, the Urdu full stop ۔ and CJK 。！？.
C4_TERMINAL_MARKS = (".", "?", "!", '"', "؟", "۔", "。", "！", "？")
C4_ELLIPSIS = "..."
C4_MIN_WORDS = 3


class BaselineUnavailable(ValueError):
    """A requested baseline cannot run: unknown, or its package is not installed."""


class ExtractionTimeout(BaseException):
    """A page took longer than PAGE_TIMEOUT_SECONDS. A BaseException, so that the
    ``except Exception`` inside an extractor cannot swallow it and carry on."""


@dataclass
class SystemRun:
    """One system's line labels on the pages it ran on (a baseline's or the model's), the
    seconds spent inside it, its failed pages by reason and the pages it could not run on.
    The model's runs also keep its p(content) per line (None on blank lines), for a
    precision-recall curve; a baseline gives labels only."""

    name: str
    pages: list[Page] = field(default_factory=list)
    labels: list[list[str | None]] = field(default_factory=list)
    seconds: float = 0.0
    failures: Counter = field(default_factory=Counter)
    skipped_pages: int = 0
    p_content: list[list[float | None]] | None = None

    def add(self, page: Page, labels: list[str | None]) -> None:
        self.pages.append(page)
        self.labels.append(labels)

    def speed(self) -> dict:
        """Pages and lines (all lines of the rendered pages) per second inside the system."""
        n_lines = sum(len(page.lines) for page in self.pages)

        def per_second(count: int) -> float | None:
            return round(count / self.seconds, 1) if self.seconds > 0 else None

        return {"seconds": round(self.seconds, 3), "pages_per_s": per_second(len(self.pages)), "lines_per_s": per_second(n_lines)}


def trafilatura_text(html: str, lang: str | None) -> str:
    """Comments left out: LABELING.md counts user comments as chrome."""
    import trafilatura

    return trafilatura.extract(html, include_comments=False) or ""


def justext_text(html: str, lang: str | None) -> str:
    """jusText with the stoplist of the page's language; without one, jusText's own
    language-independent mode (an empty stoplist and both stopword thresholds 0)."""
    import justext

    name = stoplist_name(lang)
    if name is None:
        paragraphs = justext.justext(html, frozenset(), stopwords_low=0, stopwords_high=0)
    else:
        paragraphs = justext.justext(html, justext_stoplist(name))
    return "\n".join(paragraph.text for paragraph in paragraphs if not paragraph.is_boilerplate)


@lru_cache(maxsize=None)
def justext_stoplist(name: str) -> frozenset[str]:
    """jusText reads the stoplist file on every call; once per language is enough."""
    import justext

    return justext.get_stoplist(name)


def boilerpy3_text(html: str, lang: str | None) -> str:
    from boilerpy3 import extractors

    return extractors.ArticleExtractor().get_content(html)


def readability_text(html: str, lang: str | None) -> str:
    """The text of Readability's main-content HTML, its text nodes joined by spaces (the
    alignment reads words, so only the word boundaries between elements matter)."""
    import lxml.html
    from readability import Document

    summary = Document(html).summary(html_partial=True)
    return " ".join(lxml.html.fromstring(summary).itertext())


def resiliparse_text(html: str, lang: str | None) -> str:
    from resiliparse.extract.html2text import extract_plain_text

    return extract_plain_text(html, main_content=True)


def c4_keeps_line(line: str) -> bool:
    """The C4 line rule. Invisible marks are dropped first (``fold``), so an Arabic line
    ending in a full stop and a right-to-left mark counts; words are the alignment's tokens,
    an unspaced-script character half a word (a Chinese line needs 6 characters)."""
    text = fold(line).strip()
    if not text.endswith(C4_TERMINAL_MARKS) or text.endswith(C4_ELLIPSIS):
        return False
    return word_weight(tokenize(text)) >= C4_MIN_WORDS


@dataclass(frozen=True)
class HtmlExtractor:
    """An extractor of a page's main text from its HTML, and the package it imports (also
    the name of its logger)."""

    package: str
    extract: Callable[[str, str | None], str]  # (HTML, page language) -> main text


HTML_EXTRACTORS: dict[str, HtmlExtractor] = {
    "trafilatura": HtmlExtractor("trafilatura", trafilatura_text),
    "justext": HtmlExtractor("justext", justext_text),
    "boilerpy3": HtmlExtractor("boilerpy3", boilerpy3_text),
    "readability": HtmlExtractor("readability", readability_text),
    "resiliparse": HtmlExtractor("resiliparse", resiliparse_text),
}
# Systems that decide each line of plain text, needing no HTML.
LINE_RULES: dict[str, Callable[[str], bool]] = {"c4-rule": c4_keeps_line}
BASELINES = (*HTML_EXTRACTORS, *LINE_RULES)


def parse_baselines(spec: str) -> list[str]:
    """``"trafilatura,c4-rule"`` -> the names, checked; ``"all"`` -> every baseline.

    Raises BaselineUnavailable for an unknown name or a missing package, before any page runs.
    """
    names = list(BASELINES) if spec.strip() == "all" else list(dict.fromkeys(n.strip() for n in spec.split(",") if n.strip()))
    unknown = [name for name in names if name not in BASELINES]
    if unknown or not names:
        raise BaselineUnavailable(f"unknown baseline {', '.join(unknown) or repr(spec)}; choose from {', '.join(BASELINES)} or all")
    for name in names:
        require_package(name)
    return names


def require_package(name: str) -> None:
    """Import the baseline's package now (its import time is not counted as its speed);
    a missing one raises BaselineUnavailable naming the extra that installs it."""
    if name not in HTML_EXTRACTORS:
        return
    package = HTML_EXTRACTORS[name].package
    try:
        importlib.import_module(package)
    except ImportError:
        raise BaselineUnavailable(
            f"baseline {name} needs the {package} package, which is not installed: pip install '.[{OPTIONAL_EXTRA}]'"
        ) from None


def run_baselines(
    names: Sequence[str], pages: Sequence[Page], html: Iterable[tuple[str, str]] = (),
    progress: Callable[[str], None] | None = None, cache: ExtractionCache | None = None,
) -> list[SystemRun]:
    """Run each named baseline on ``pages``, in the order of ``names``.

    ``html`` gives (page id, HTML) pairs (``training.loading.html_records``); it is read once,
    every HTML extractor running on a page before the next is read. HTML extractors skip
    pages without HTML; line rules run on every page. With a ``cache``, an extraction kept
    there is not run again (its text, time and failure are the kept ones).
    """
    for name in names:
        require_package(name)
    runs = {name: SystemRun(name) for name in names}
    extractors = [name for name in names if name in HTML_EXTRACTORS]
    if extractors:
        with quiet_loggers([HTML_EXTRACTORS[name].package for name in extractors]):
            run_html_extractors(extractors, pages, html, runs, progress, cache)
    for name in names:
        if name in LINE_RULES:
            run_line_rule(LINE_RULES[name], pages, runs[name])
    return [runs[name] for name in names]


def run_html_extractors(
    names: Sequence[str], pages: Sequence[Page], html: Iterable[tuple[str, str]], runs: dict[str, SystemRun],
    progress: Callable[[str], None] | None, cache: ExtractionCache | None = None,
) -> None:
    """Each extractor on each page with HTML, a page at a time, into its run."""
    for n_done, (page, page_html) in enumerate(pages_with_html(pages, html), start=1):
        lang = page_language(page)
        digest = html_digest(page_html) if cache is not None else ""
        for name in names:
            text = cached_extraction(name, page_html, digest, lang, runs[name], cache)
            runs[name].add(page, extraction_labels(page, text))
        if progress and n_done % PROGRESS_EVERY_PAGES == 0:
            progress(f"HTML baselines: {n_done} pages")
    for name in names:
        runs[name].skipped_pages = len(pages) - len(runs[name].pages)


@contextmanager
def quiet_loggers(names: Sequence[str]) -> Iterator[None]:
    """Only critical messages from these loggers inside the block: the extractors log a
    warning or a traceback for every odd page, and their failures are counted instead."""
    loggers = [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels):
            logger.setLevel(level)


def pages_with_html(pages: Sequence[Page], html: Iterable[tuple[str, str]]) -> Iterator[tuple[Page, str]]:
    """Each page that has HTML in ``html``, with it (the first record of its id)."""
    waiting = {page.page_id: page for page in pages}
    for page_id, page_html in html:
        page = waiting.pop(page_id, None)
        if page is not None:
            yield page, page_html
        if not waiting:
            return


def page_language(page: Page) -> str | None:
    """The page's ``lang``, else langdetect's guess from its longest lines."""
    return page.lang or detect_language("\n".join(sorted(page.lines, key=len, reverse=True)))


def cached_extraction(
    name: str, html: str, digest: str, lang: str | None, run: SystemRun, cache: ExtractionCache | None
) -> str:
    """The text of extractor ``name``, from ``cache`` when it is kept there (under the HTML's
    ``digest``), else run (and kept, unless it timed out); its time and failure go to ``run``."""
    extractor = HTML_EXTRACTORS[name]
    key = extraction_key(name, extractor.package, digest, lang) if cache is not None else None
    extraction = cache.get(key) if cache is not None else None
    if extraction is None:
        extraction = timed_extraction(extractor, html, lang)
        if cache is not None and extraction.failure != "timeout":
            cache.put(key, extraction)
    run.seconds += extraction.seconds
    if extraction.failure:
        run.failures[extraction.failure] += 1
    return extraction.text


def timed_extraction(extractor: HtmlExtractor, html: str, lang: str | None) -> CachedExtraction:
    """The extractor's text and the seconds it took; on an error or a timeout the page
    counts as failed and the extraction is empty."""
    start = time.perf_counter()
    text, failure = "", None
    try:
        with time_limit(PAGE_TIMEOUT_SECONDS):
            text = extractor.extract(html, lang) or ""
    except ExtractionTimeout:
        failure = "timeout"
    except Exception:  # noqa: BLE001 - any crash of a third-party extractor is a failed page
        failure = "error"
    return CachedExtraction(text, time.perf_counter() - start, failure)


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise ExtractionTimeout inside the block after ``seconds``, and again every
    TIMEOUT_REPEAT_SECONDS until it ends. Uses SIGALRM, so the limit holds in the main
    thread only (elsewhere there is none), and C code is stopped only when it returns to
    Python."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    armed = [True]

    def expire(signum, frame):
        if armed[0]:
            raise ExtractionTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds, TIMEOUT_REPEAT_SECONDS)
    try:
        yield
    finally:
        try:
            armed[0] = False
        finally:  # even when the timeout lands on the line above
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


def extraction_labels(page: Page, text: str) -> list[str | None]:
    """The page's lines labeled by an extracted text, with the gold-text alignment."""
    return line_labels(page.lines, covered_lines(page.lines, tokenize(text)))


def run_line_rule(keeps_line: Callable[[str], bool], pages: Sequence[Page], run: SystemRun) -> None:
    for page in pages:
        start = time.perf_counter()
        kept = [keeps_line(line) for line in page.lines]
        run.seconds += time.perf_counter() - start
        run.add(page, line_labels(page.lines, kept))
