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
    return "\n".join(rows)
