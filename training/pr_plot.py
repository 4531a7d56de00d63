"""The precision-recall figure of the HTML report, as PNG bytes: the model's curves, every
system's operating point as a marker.

Drawn on matplotlib's Agg canvas directly (no pyplot), so no display, backend choice or
global figure state is involved. matplotlib is in the ``bench`` extra: the CLI checks for it
before importing this module.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import cycle

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

# 7.5 x 5.5 inches at 100 dpi: a 750 x 550 px image, room for the legend of the 8 systems.
FIGURE_INCHES = (7.5, 5.5)
FIGURE_DPI = 100
# Distinct markers so that systems at nearly the same point stay apart.
MARKERS = ("o", "s", "D", "^", "v", "P", "X", "*")


@dataclass(frozen=True)
class Curve:
    """The model's precision at each recall, as sklearn's precision_recall_curve gives them."""

    name: str
    recall: Sequence[float]
    precision: Sequence[float]
    average_precision: float


@dataclass(frozen=True)
class OperatingPoint:
    """A system's precision and recall at its own decision (the model: its threshold)."""

    name: str
    recall: float
    precision: float


def precision_recall_png(curves: Sequence[Curve], points: Sequence[OperatingPoint], title: str) -> bytes:
    """The figure as PNG bytes. A system with a curve has its point in the curve's colour."""
    figure = Figure(figsize=FIGURE_INCHES, dpi=FIGURE_DPI)
    axes = figure.add_subplot()
    colours = {}
    for curve in curves:
        [line] = axes.plot(curve.recall, curve.precision, linewidth=2, label=f"{curve.name} curve (AP {curve.average_precision:.3f})")
        colours[curve.name] = line.get_color()
    for point, marker in zip(points, cycle(MARKERS)):
        axes.plot([point.recall], [point.precision], marker=marker, markersize=9, linestyle="none", markeredgecolor="black",
                  color=colours.get(point.name), label=f"{point.name} (P {point.precision:.3f}, R {point.recall:.3f})")
    axes.set(xlabel="recall (content lines)", ylabel="precision (content lines)", title=title, xlim=(0, 1.02), ylim=(0, 1.02))
    axes.grid(alpha=0.3)
    axes.legend(loc="lower left", fontsize="small")
    figure.tight_layout()
    buffer = io.BytesIO()
    FigureCanvasAgg(figure).print_png(buffer)
    return buffer.getvalue()
