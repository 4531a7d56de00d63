"""Scores as a table a person reads."""

from __future__ import annotations

from training.metrics import GROUPS

# Wide enough for the longest group name in the data, the kind "arabic-content-arabic-chrome".
NAME_WIDTH = 28


def _row(name: str, figures: dict) -> str:
    line, char = figures["line"], figures["char"]
    token_f1 = figures["page_token_f1_mean"]
    return (
        f"{name:<{NAME_WIDTH}} {figures['pages']:>6} {figures['lines']:>8}  "
        f"{line['p']:.3f} {line['r']:.3f} {line['f1']:.3f}  {char['p']:.3f} {char['r']:.3f} {char['f1']:.3f}  "
        f"{token_f1 if token_f1 is not None else float('nan'):.3f}"
    )


def format_report(scores: dict, title: str) -> str:
    header = f"{'':<{NAME_WIDTH}} {'pages':>6} {'lines':>8}  {'line P':>5} {'R':>5} {'F1':>5}  {'char P':>5} {'R':>5} {'F1':>5}  tokF1"
    rows = [f"# {title} (content class)", header, _row("all", scores)]
    for section in GROUPS:
        rows.append(f"-- {section.replace('_', ' ')}" + ("" if scores[section] else ": no page has one"))
        rows.extend(_row(name, figures) for name, figures in scores[section].items())
    if "calibration" in scores:
        rows.extend(["", *_calibration_rows(scores["calibration"])])
    return "\n".join(rows)


def _calibration_rows(calibration: dict) -> list[str]:
    """The calibration figures (``training.metrics.calibration``): a row per bin of p(content)."""
    error = calibration["expected_error"]
    rows = [
        f"# calibration of p(content): expected calibration error {error if error is not None else float('nan'):.3f}",
        f"{'p(content)':<10} {'lines':>8}  {'mean p':>6}  {'content share':>13}",
    ]
    rows.extend(
        f"{bin['p_from']:.1f}-{bin['p_to']:.1f}{'':<3} {bin['lines']:>8}  {bin['mean_p']:>6.3f}  {bin['content_share']:>13.3f}"
        for bin in calibration["bins"]
    )
    return rows


def format_markdown(scores: dict, before: dict | None = None) -> str:
    """The same figures as Markdown tables (for docs/): overall, then one table per group.
    With ``before`` (earlier scores on the same data), a column of its line F1."""
    sections = [("all", {"all": scores}, {"all": before} if before else None)]
    sections += [(name, scores[name], before.get(name) if before else None) for name in GROUPS if scores[name]]
    return "\n\n".join(_markdown_table(name, groups, earlier) for name, groups, earlier in sections)


def _markdown_table(section: str, groups: dict, earlier: dict | None) -> str:
    columns = [section.removeprefix("by_"), "pages", "scored lines", "line P", "line R", "line F1", "char F1", "page token F1"]
    if earlier is not None:
        columns.append("line F1 before")
    rows = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for name, figures in groups.items():
        token_f1 = figures["page_token_f1_mean"]
        cells = [
            name, f"{figures['pages']:,}", f"{figures['lines']:,}", f"{figures['line']['p']:.3f}", f"{figures['line']['r']:.3f}",
            f"**{figures['line']['f1']:.3f}**", f"{figures['char']['f1']:.3f}", "-" if token_f1 is None else f"{token_f1:.3f}",
        ]
        if earlier is not None:
            old = earlier.get(name)
            cells.append(f"{old['line']['f1']:.3f}" if old else "-")
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


# Wide enough for the longest system name, "boilerline-html".
SYSTEM_WIDTH = 16


def format_systems(scores: dict) -> str:
    """Every system of ``scores["systems"]`` as a row, then which pages each could not run on
    or failed on, then line F1 by dataset with the systems as columns."""
    systems = scores["systems"]
    header = (
        f"{'system':<{SYSTEM_WIDTH}} {'pages':>6} {'lines':>8}  {'line F1':>7} {'char F1':>7} {'tokF1':>6}  "
        f"{'line P':>6} {'line R':>6}  {'pages/s':>8} {'lines/s':>9}"
    )
    rows = ["# systems on the same pages (content class)", header]
    rows.extend(_system_row(name, figures) for name, figures in systems.items())
    rows.extend(_system_notes(systems))
    return "\n".join([*rows, "", _line_f1_by_dataset(systems)])


def _system_row(name: str, figures: dict) -> str:
    line = figures["line"]
    token_f1 = figures["page_token_f1_mean"]
    return (
        f"{name:<{SYSTEM_WIDTH}} {figures['pages']:>6} {figures['lines']:>8}  {line['f1']:>7.3f} {figures['char']['f1']:>7.3f} "
        f"{token_f1 if token_f1 is not None else float('nan'):>6.3f}  {line['p']:>6.3f} {line['r']:>6.3f}  "
        f"{_rate(figures['pages_per_s']):>8} {_rate(figures['lines_per_s']):>9}"
    )


def _rate(per_second: float | None) -> str:
    return "-" if per_second is None else f"{per_second:,.1f}"


def _system_notes(systems: dict) -> list[str]:
    """One line per system that skipped pages (no HTML) or failed on some, and the model's
    calibration error in each input mode."""
    notes = []
    for name, figures in systems.items():
        if figures["skipped_pages"]:
            total = figures["pages"] + figures["skipped_pages"]
            notes.append(f"{name}: scored on {figures['pages']} of {total} pages (the others have no HTML)")
        if "calibration" in figures and figures["calibration"]["expected_error"] is not None:
            notes.append(f"{name}: expected calibration error of p(content) {figures['calibration']['expected_error']:.3f}")
        failures = ", ".join(f"{count} {reason}" for reason, count in sorted(figures["failed_pages"].items()))
        if failures:
            notes.append(f"{name}: empty extraction on failed pages ({failures})")
    return notes


def _line_f1_by_dataset(systems: dict) -> str:
    names = list(systems)
    datasets = sorted({dataset for figures in systems.values() for dataset in figures["by_dataset"]})
    rows = ["# line F1 by dataset", f"{'dataset':<{NAME_WIDTH}} " + " ".join(f"{name:>{max(len(name), 5)}}" for name in names)]
    for dataset in datasets:
        cells = []
        for name in names:
            figures = systems[name]["by_dataset"].get(dataset)
            cells.append(f"{figures['line']['f1'] if figures else float('nan'):>{max(len(name), 5)}.3f}")
        rows.append(f"{dataset:<{NAME_WIDTH}} " + " ".join(cells))
    return "\n".join(rows)
