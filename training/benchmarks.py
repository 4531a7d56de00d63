"""docs/benchmarks.md: every system's figures from one evaluation run as Markdown, with the
command that produced them, so the page is regenerated rather than edited.

Besides the tables it lists, for every dataset with at least ``MIN_DATASET_PAGES`` pages, the
systems whose line F1 is above the model's: the cases a user choosing a tool must know about.
"""

from __future__ import annotations

from pathlib import Path

from classifier.atomic import atomic_output
from training.provenance import Provenance

# Smaller datasets are listed in the tables but not judged: a handful of pages swings F1 by
# tenths.
MIN_DATASET_PAGES = 50

SYSTEM_COLUMNS = ("system", "pages", "lines", "line F1", "char F1", "page token F1", "line P", "line R", "pages/s", "lines/s")


def write_benchmarks(path: Path, scores: dict, source: Provenance) -> Path:
    """Write the page to ``path`` atomically; return the path."""
    with atomic_output(path) as tmp:
        tmp.write_text(benchmarks_markdown(scores, source), encoding="utf-8")
    return Path(path)


def benchmarks_markdown(scores: dict, source: Provenance) -> str:
    systems = scores["systems"]
    return "\n\n".join(
        [
            f"# Benchmarks: {source.title}",
            _provenance(source),
            "## Systems on the same pages\n\n" + _note() + "\n\n" + systems_table(systems),
            *_failures(systems),
            "## Line F1 by dataset\n\n" + group_table(systems, "by_dataset", "dataset"),
            "## Line F1 by language\n\n" + group_table(systems, "by_lang", "language"),
            "## Line F1 by kind of page\n\nMixed-script pages by the scripts of their content and chrome.\n\n"
            + group_table(systems, "by_kind", "kind"),
            "## Where a baseline beats the model\n\n" + _losses(systems),
            *_calibration(systems),
        ]
    ) + "\n"


def _calibration(systems: dict) -> list[str]:
    """The model's calibration in each input mode: per bin of p(content) (a row), each mode's
    lines, mean p and share of content lines (``training.metrics.calibration``)."""
    models = [name for name, figures in systems.items() if "calibration" in figures]
    if not models:
        return []
    bins = {name: {(bin["p_from"], bin["p_to"]): bin for bin in systems[name]["calibration"]["bins"]} for name in models}
    header = ["p(content)"] + [f"{name} {column}" for name in models for column in ("lines", "mean p", "content share")]
    rows = [_header(header)]
    for p_from, p_to in sorted(set().union(*bins.values())):
        cells = [f"{p_from:.1f}-{p_to:.1f}"]
        for name in models:
            found = bins[name].get((p_from, p_to))
            cells += [f"{found['lines']:,}", f"{found['mean_p']:.3f}", f"{found['content_share']:.3f}"] if found else ["0", "-", "-"]
        rows.append("| " + " | ".join(cells) + " |")
    errors = ", ".join(f"{name} {_fraction(systems[name]['calibration']['expected_error'])}" for name in models)
    return [
        "## Calibration of p(content)\n\nThe scored lines by their p(content): where a bin's mean p is the share "
        f"of its lines that are content, a threshold means what it says. Expected calibration error: {errors}.\n\n"
        + "\n".join(rows)
    ]


def _provenance(source: Provenance) -> str:
    versions = ", ".join(f"{name} {version}" for name, version in source.versions.items())
    return "\n".join(
        [
            "Written by this command; rerun it rather than editing the page:",
            "",
            "```sh",
            source.command,
            "```",
            "",
            f"- date: {source.created}",
            f"- data: {', '.join(source.data)}: {source.n_pages:,} labeled pages, sha256 `{source.data_sha256}`",
            f"- machine: {source.machine}",
            f"- versions: {versions}",
        ]
    )


def _note() -> str:
    return (
        "Content class. A line counts where its gold label is known; baselines' extracted text is mapped back to "
        "the lines with the same alignment as the gold text. `boilerline-text` sees the lines only (as from a WET "
        "dump), `boilerline-html` also the link counts and the structure (the elements behind each line) of the "
        "rendered HTML. Speed is the time inside each system (for the model: featurizing and predicting; the "
        "HTML was rendered before), one process; an extraction kept from an earlier run "
        "(`--baseline-cache`, the default) counts the time it took then."
    )


def systems_table(systems: dict) -> str:
    rows = [_header(SYSTEM_COLUMNS)]
    for name, figures in systems.items():
        rows.append(system_row(name, figures))
    return "\n".join(rows)


def system_row(name: str, figures: dict) -> str:
    """One system's row of the systems table (the README shows the model's)."""
    line = figures["line"]
    cells = [
        name, f"{figures['pages']:,}", f"{figures['lines']:,}", f"{line['f1']:.3f}", f"{figures['char']['f1']:.3f}",
        _fraction(figures["page_token_f1_mean"]), f"{line['p']:.3f}", f"{line['r']:.3f}",
        _rate(figures["pages_per_s"]), _rate(figures["lines_per_s"]),
    ]
    return "| " + " | ".join(cells) + " |"


def _failures(systems: dict) -> list[str]:
    notes = []
    for name, figures in systems.items():
        if figures["skipped_pages"]:
            notes.append(f"- {name}: {figures['skipped_pages']} pages without HTML not scored")
        notes.extend(
            f"- {name}: {count} pages {reason} (scored as empty extractions)" for reason, count in sorted(figures["failed_pages"].items())
        )
    return ["Pages a system did not run on:\n\n" + "\n".join(notes)] if notes else []


def group_table(systems: dict, section: str, title: str) -> str:
    """Line F1 of every system (columns) in every group (rows); the best of a row in bold."""
    names = list(systems)
    groups = sorted({group for figures in systems.values() for group in figures[section]})
    rows = [_header([title, "pages", *names])]
    for group in groups:
        cells = [systems[name][section].get(group) for name in names]
        best = max(cell["line"]["f1"] for cell in cells if cell)
        pages = max(cell["pages"] for cell in cells if cell)
        row = [group, f"{pages:,}"]
        for cell in cells:
            row.append("-" if cell is None else _bold_if(f"{cell['line']['f1']:.3f}", cell["line"]["f1"] == best))
        rows.append("| " + " | ".join(row) + " |")
    return "\n".join(rows)


def losses(systems: dict, model: str) -> list[tuple[str, int, float, list[tuple[str, float]]]]:
    """(dataset, pages, model's line F1, [(system, its line F1)] above it) for every dataset of
    at least MIN_DATASET_PAGES pages where some other system scores higher than ``model``."""
    found = []
    for dataset, figures in sorted(systems[model]["by_dataset"].items()):
        if figures["pages"] < MIN_DATASET_PAGES:
            continue
        model_f1 = figures["line"]["f1"]
        better = [
            (name, other["by_dataset"][dataset]["line"]["f1"])
            for name, other in systems.items()
            if not name.startswith("boilerline") and dataset in other["by_dataset"] and other["by_dataset"][dataset]["line"]["f1"] > model_f1
        ]
        if better:
            found.append((dataset, figures["pages"], model_f1, sorted(better, key=lambda item: -item[1])))
    return found


def _losses(systems: dict) -> str:
    models = [name for name in systems if name.startswith("boilerline")]
    sections = []
    for model in models:
        found = losses(systems, model)
        if not found:
            sections.append(f"{model}: no baseline is above it on any dataset of {MIN_DATASET_PAGES}+ pages.")
            continue
        items = [
            f"- {dataset} ({pages:,} pages), {model} {model_f1:.3f}: " + ", ".join(f"{name} {f1:.3f}" for name, f1 in better)
            for dataset, pages, model_f1, better in found
        ]
        sections.append(f"{model}, datasets of {MIN_DATASET_PAGES}+ pages where a baseline is above it:\n\n" + "\n".join(items))
    return "\n\n".join(sections)


def _header(columns) -> str:
    return "| " + " | ".join(columns) + " |\n|" + "---|" * len(columns)


def _bold_if(text: str, bold: bool) -> str:
    return f"**{text}**" if bold else text


def _fraction(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _rate(per_second: float | None) -> str:
    return "-" if per_second is None else f"{per_second:,.1f}"
