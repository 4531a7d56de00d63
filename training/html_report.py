"""An evaluation as a self-contained HTML report: ``DIR/index.html``, one file, its image
embedded as a data: URI, no script and nothing fetched from the network.

It shows where the figures come from (command, data, date, versions), the systems table (the
figures of the stdout table), a precision-recall curve of the model with every system's
operating point, line F1 by language, dataset and kind, and the model's worst pages with
every line coloured by its gold label and marked where the model got it wrong, so a person
sees the mistakes at a glance.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.metrics import average_precision_score, precision_recall_curve

from classifier.atomic import atomic_output
from classifier.labeled import scored_mask
from classifier.page import CHROME, CONTENT, Page
from training.baselines import SystemRun
from training.evaluate import Evaluation
from training.metrics import GROUPS, Tally
from training.pr_plot import Curve, OperatingPoint, precision_recall_png
from training.provenance import Provenance

REPORT_FILE = "index.html"
# Pages shown line by line: enough to see the kinds of mistakes, few enough to read.
WORST_PAGES = 10
# A page needs this many scored lines to be among the worst: below it one line decides its
# F1, and a 2-line page of a partially labeled set would crowd out the informative ones.
MIN_SCORED_LINES = 5


@dataclass(frozen=True)
class PageResult:
    """The model on one page: its labels and p(content) per line, its line F1 and mistakes."""

    page: Page
    labels: list[str | None]
    p_content: list[float | None]
    line_f1: float
    n_wrong: int


def write_report(directory: Path, evaluation: Evaluation, source: Provenance) -> Path:
    """Write the report to ``directory/index.html`` atomically; return its path."""
    path = Path(directory) / REPORT_FILE
    with atomic_output(path) as tmp:
        tmp.write_text(report_html(evaluation, source), encoding="utf-8")
    return path


def report_html(evaluation: Evaluation, source: Provenance) -> str:
    systems = system_figures(evaluation)
    sections = [
        provenance_section(source),
        systems_section(systems),
        precision_recall_section(evaluation.model_runs, systems),
        calibration_section(systems),
        *(group_section(section, systems) for section in GROUPS),
        worst_pages_section(evaluation.model_runs[0]),
    ]
    return PAGE_TEMPLATE.format(title=html.escape(source.title), style=STYLE, body="\n".join(filter(None, sections)))


def system_figures(evaluation: Evaluation) -> dict[str, dict]:
    """Each system's figures and speed by name: the scores' ``systems`` beside baselines, else
    the model's one run with the top-level figures."""
    scores = evaluation.scores
    if "systems" in scores:
        return scores["systems"]
    [run] = evaluation.model_runs
    return {run.name: {**scores, **run.speed()}}


# ----- header and tables -------------------------------------------------------------------

def provenance_section(source: Provenance) -> str:
    versions_text = ", ".join(f"{name} {version}" for name, version in source.versions.items())
    return (
        f"<h1>boilerline evaluation: {html.escape(source.title)}</h1>\n<dl class='provenance'>"
        f"<dt>command</dt><dd><code id='command'>{html.escape(source.command)}</code></dd>"
        f"<dt>data</dt><dd>{html.escape(', '.join(source.data))}: {source.n_pages} labeled pages, "
        f"sha256 <code>{source.data_sha256}</code></dd>"
        f"<dt>date</dt><dd>{source.created}</dd><dt>machine</dt><dd>{html.escape(source.machine)}</dd>"
        f"<dt>versions</dt><dd>{html.escape(versions_text)}</dd></dl>"
    )


SYSTEM_COLUMNS = ("system", "pages", "lines", "line F1", "char F1", "page token F1", "line P", "line R", "pages/s", "lines/s", "notes")


def systems_section(systems: dict[str, dict]) -> str:
    rows = "\n".join(system_row(name, figures) for name, figures in systems.items())
    return (
        "<h2>Systems on the same pages</h2><p>Content class; a line counts where it is labeled (and scored). "
        "Speed is the time inside each system only.</p>"
        f"<table id='systems'><thead>{header_row(SYSTEM_COLUMNS)}</thead><tbody>\n{rows}\n</tbody></table>"
    )


def system_row(name: str, figures: dict) -> str:
    line = figures["line"]
    cells = [
        name, figures["pages"], figures["lines"], fraction(line["f1"]), fraction(figures["char"]["f1"]),
        fraction(figures["page_token_f1_mean"]), fraction(line["p"]), fraction(line["r"]),
        rate(figures.get("pages_per_s")), rate(figures.get("lines_per_s")), system_notes(figures),
    ]
    return f"<tr data-system='{html.escape(name)}'>" + "".join(f"<td>{html.escape(str(cell))}</td>" for cell in cells) + "</tr>"


def system_notes(figures: dict) -> str:
    """Pages the system could not run on (no HTML) and pages it failed on, by reason."""
    notes = []
    if figures.get("skipped_pages"):
        notes.append(f"{figures['skipped_pages']} pages without HTML skipped")
    notes.extend(f"{count} pages failed ({reason})" for reason, count in sorted(figures.get("failed_pages", {}).items()))
    return "; ".join(notes)


def group_section(section: str, systems: dict[str, dict]) -> str:
    """Line F1 of every system per group of ``section`` (by_lang, ...), the best of a row in bold;
    nothing when no page is in a group (by_kind on most data)."""
    groups = sorted({group for figures in systems.values() for group in figures[section]})
    if not groups:
        return ""
    rows = "\n".join(group_row(group, section, systems) for group in groups)
    header = header_row(["group", "pages", *systems])
    return (
        f"<h2>Line F1 {section.replace('_', ' ')}</h2>"
        f"<table id='{section}' class='groups'><thead>{header}</thead><tbody>\n{rows}\n</tbody></table>"
    )


def group_row(group: str, section: str, systems: dict[str, dict]) -> str:
    cells = [systems[name][section].get(group) for name in systems]
    f1s = [cell["line"]["f1"] for cell in cells if cell]
    pages = max(cell["pages"] for cell in cells if cell)
    row = [f"<td>{html.escape(group)}</td><td>{pages}</td>"]
    for cell in cells:
        if cell is None:
            row.append("<td title='no page of this group'>–</td>")
            continue
        best = " class='best'" if cell["line"]["f1"] == max(f1s) else ""
        row.append(f"<td{best} title='{cell['pages']} pages, {cell['lines']} lines'>{fraction(cell['line']['f1'])}</td>")
    return "<tr>" + "".join(row) + "</tr>"


def header_row(names: Iterable[str]) -> str:
    return "<tr>" + "".join(f"<th>{html.escape(name)}</th>" for name in names) + "</tr>"


def fraction(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def rate(per_second: float | None) -> str:
    return "–" if per_second is None else f"{per_second:,.1f}"


# ----- precision-recall curve --------------------------------------------------------------

def precision_recall_section(model_runs: Sequence[SystemRun], systems: dict[str, dict]) -> str:
    """The figure embedded as a PNG data: URI; a note instead when no run has both classes."""
    curves = [curve for curve in map(model_curve, model_runs) if curve is not None]
    points = [OperatingPoint(name, figures["line"]["r"], figures["line"]["p"]) for name, figures in systems.items()]
    heading = "<h2>Precision and recall of content lines</h2>"
    if not curves:
        return heading + "<p id='pr-curve-missing'>No curve: the scored lines are all of one class.</p>"
    png = precision_recall_png(curves, points, "line level, content class")
    return (
        heading + "<p>The model's p(content) swept from 1 to 0 (a curve per input mode; with cross-validation "
        "the held-out lines of all folds pooled), every system at its own decision as a point.</p>"
        f"<img id='pr-curve' alt='precision-recall curve' src='data:image/png;base64,{base64.b64encode(png).decode('ascii')}'>"
    )


def calibration_section(systems: dict[str, dict]) -> str:
    """A table per model run: its scored lines by bin of p(content), each bin's mean p beside
    the share of its lines that are content (``training.metrics.calibration``)."""
    tables = []
    for name, figures in systems.items():
        if "calibration" not in figures:
            continue
        calibration = figures["calibration"]
        rows = "\n".join(
            f"<tr><td>{bin['p_from']:.1f}–{bin['p_to']:.1f}</td><td>{bin['lines']:,}</td>"
            f"<td>{bin['mean_p']:.3f}</td><td>{bin['content_share']:.3f}</td></tr>"
            for bin in calibration["bins"]
        )
        tables.append(
            f"<h3>{html.escape(name)}: expected calibration error {fraction(calibration['expected_error'])}</h3>"
            f"<table class='calibration'><thead>{header_row(['p(content)', 'lines', 'mean p', 'content share'])}</thead>"
            f"<tbody>\n{rows}\n</tbody></table>"
        )
    if not tables:
        return ""
    return (
        "<h2>Calibration of p(content)</h2><p>The scored lines by their p(content): where the mean p of a bin "
        "is the share of its lines that are content, a threshold means what it says.</p>" + "".join(tables)
    )


def model_curve(run: SystemRun) -> Curve | None:
    """The run's precision-recall curve over its scored lines; None unless both classes occur."""
    gold, p_content = scored_probabilities(run)
    if gold.all() or not gold.any():
        return None
    precision, recall, _ = precision_recall_curve(gold, p_content)
    return Curve(run.name, recall.tolist(), precision.tolist(), float(average_precision_score(gold, p_content)))


def scored_probabilities(run: SystemRun) -> tuple[np.ndarray, np.ndarray]:
    """Gold (1: content) and p(content) of every line the metrics count."""
    gold, p_content = [], []
    for page, probabilities in zip(run.pages, run.p_content):
        for label, p, scored in zip(page.labels, probabilities, scored_mask(page)):
            if scored and p is not None:
                gold.append(label == CONTENT)
                p_content.append(p)
    return np.array(gold, dtype=bool), np.array(p_content, dtype=float)


# ----- worst pages -------------------------------------------------------------------------

def worst_pages(run: SystemRun, n: int = WORST_PAGES) -> list[PageResult]:
    """The ``n`` pages of lowest line F1 (most mistakes first among equals) among those with
    a mistake and at least MIN_SCORED_LINES scored lines."""
    results = [page_result(page, labels, p_content) for page, labels, p_content in zip(run.pages, run.labels, run.p_content)]
    eligible = [result for result, tally in results if result.n_wrong and tally.lines >= MIN_SCORED_LINES]
    return sorted(eligible, key=lambda result: (result.line_f1, -result.n_wrong))[:n]


def page_result(page: Page, labels: list[str | None], p_content: list[float | None]) -> tuple[PageResult, Tally]:
    """The page's result, and its tally by ``training.metrics``. The F1 is the metrics' but
    for a page with no content line in gold or prediction: 1 (all right) instead of 0."""
    tally = Tally()
    tally.add(page, labels)
    tp, fp, fn = (tally.line[cell] for cell in ("tp", "fp", "fn"))
    line_f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0
    return PageResult(page, labels, p_content, line_f1, fp + fn), tally


def worst_pages_section(run: SystemRun) -> str:
    pages = worst_pages(run)
    heading = f"<h2>Worst pages of {html.escape(run.name)}</h2>"
    if not pages:
        return heading + f"<p id='no-worst-pages'>No mistake on any page of at least {MIN_SCORED_LINES} scored lines.</p>"
    contents = "".join(
        f"<li><a href='#worst-{rank}'>{html.escape(result.page.page_id)}</a>: line F1 {result.line_f1:.3f}, {result.n_wrong} wrong</li>"
        for rank, result in enumerate(pages, start=1)
    )
    blocks = "\n".join(page_block(rank, result) for rank, result in enumerate(pages, start=1))
    return f"{heading}<ol id='worst-pages'>{contents}</ol>{LEGEND}\n{blocks}"


def page_block(rank: int, result: PageResult) -> str:
    """The page's lines in a table, folded away by a click on its title."""
    page = result.page
    known = {"site": page.site, "lang": page.lang, "dataset": page.dataset, "kind": page.kind}
    about = ", ".join(f"{name} {html.escape(value)}" for name, value in known.items() if value)
    rows = "\n".join(
        line_row(number, text, gold, predicted, p_content, scored)
        for number, (text, gold, predicted, p_content, scored) in enumerate(
            zip(page.lines, page.labels, result.labels, result.p_content, scored_mask(page)), start=1
        )
    )
    return (
        f"<details class='page' id='worst-{rank}' open><summary>{rank}. {html.escape(page.page_id)}: line F1 "
        f"{result.line_f1:.3f}, {result.n_wrong} wrong</summary><p class='about'>{about}</p>"
        f"<table class='lines'><thead>{header_row(['#', '', 'gold', 'model', 'p', 'line'])}</thead><tbody>\n{rows}\n</tbody></table></details>"
    )


# How a wrong line is marked: (gold, model) -> marker text.
MISTAKES = {(CHROME, CONTENT): "✗ kept", (CONTENT, CHROME): "✗ dropped"}


def line_row(number: int, text: str, gold: str | None, predicted: str | None, p_content: float | None, scored: bool) -> str:
    """One line as a table row: background by gold label, a red marker where the model's
    label differs on a scored line, the text in its own direction (dir=auto)."""
    mistake = MISTAKES.get((gold, predicted)) if scored else None
    classes = [f"gold-{gold or 'blank'}"]
    if mistake:
        classes.append("wrong")
    if gold is not None and not scored:
        classes.append("unscored")
    return (
        f"<tr class='{' '.join(classes)}'><td class='n'>{number}</td><td class='mark'>{mistake or ''}</td>"
        f"<td>{gold or ''}</td><td>{predicted or ''}</td><td class='p'>{'' if p_content is None else f'{p_content:.2f}'}</td>"
        f"<td class='text' dir='auto'>{html.escape(text)}</td></tr>"
    )


LEGEND = (
    "<p class='legend'>Background by gold label: <span class='gold-content'>content</span> "
    "<span class='gold-chrome'>chrome</span> <span class='gold-blank'>blank</span>; "
    "<span class='mark-sample'>✗ kept</span> chrome the model kept as content, "
    "<span class='mark-sample'>✗ dropped</span> content it dropped; greyed text: a line not scored "
    "(partially labeled page). p is the model's p(content).</p>"
)

STYLE = """
body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
th, td { border: 1px solid #ccc; padding: 0.2em 0.5em; text-align: start; vertical-align: top; }
#systems td:not(:first-child):not(:last-child), table.groups td:not(:first-child) { text-align: right; font-variant-numeric: tabular-nums; }
td.best { font-weight: bold; }
dl.provenance dt { font-weight: bold; float: left; clear: left; width: 6em; }
dl.provenance dd { margin-left: 7em; margin-bottom: 0.3em; }
details.page summary { font-weight: bold; font-size: 1.1em; margin: 1em 0 0.3em; cursor: pointer; }
table.lines { width: 100%; font-size: 0.9em; }
table.lines td.text { white-space: pre-wrap; word-break: break-word; width: 100%; }
table.lines td.n, table.lines td.p { color: #666; text-align: right; }
.gold-content td, span.gold-content { background: #d4f0d4; }
.gold-chrome td, span.gold-chrome { background: #e6e6e6; }
.gold-blank td, span.gold-blank { background: #fff; }
tr.wrong td.mark, span.mark-sample { background: #c00000; color: #fff; font-weight: bold; white-space: nowrap; }
tr.wrong td.text { box-shadow: inset 4px 0 0 #c00000, inset -4px 0 0 #c00000; }
tr.unscored td { color: #999; }
span.gold-content, span.gold-chrome, span.gold-blank, span.mark-sample { padding: 0 0.4em; border: 1px solid #ccc; }
"""

PAGE_TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>boilerline evaluation: {title}</title>
<style>{style}</style></head>
<body>
{body}
</body></html>
"""
