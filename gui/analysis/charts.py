"""The Analysis page's four charts, drawn with matplotlib on a Figure, and the numbers behind each as a table.

No Qt here: a chart draws on any matplotlib ``Figure`` (the page's canvas, or one saved to a file), so what is saved
is what is shown. The colours of a chart's series differ in lightness as well as hue, and the series that could still
be confused (an unknown year, items without a value) are hatched, so a chart printed in greyscale still reads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import matplotlib.dates as mdates
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from storage.analysis import UNKNOWN, Figures

EUR = "eur"
ITEMS = "items"
MEASURES = {EUR: "EUR", ITEMS: "Number of items"}

# Dark to light (CIE lightness about 20, 45, 65, 80, 92): told apart in greyscale too.
SEQUENCE = ("#08306b", "#2171b5", "#6baed6", "#b8d4ea", "#e4eff8")
UNKNOWN_COLOUR, UNKNOWN_HATCH = "#ffffff", "///"  # an unknown year or status: white, hatched
WITHOUT_COLOUR, WITHOUT_HATCH = "#ffffff", "xxx"  # items without a EUR value: white, cross-hatched
EDGE = "#1b1b1b"
INK = "#1b1b1b"
GRID = "#d0d0d0"
TOP_DONORS = 12  # the rest are said in a line under the chart, "N other donors"
TOP_CATEGORIES = 12  # as many rows as stay readable at the page's smallest chart
SMALL = 8  # points: tick labels and bar labels
NORMAL = 9  # points: axis labels and notes


@dataclass(frozen=True)
class Scale:
    """How EUR amounts are written on an axis: in euros, or in millions or billions where they are large."""

    divisor: float
    unit: str  # "EUR million"

    def __call__(self, value: float) -> float:
        """The value in this scale's unit."""
        return value / self.divisor


def eur_scale(largest: float) -> Scale:
    """The unit for amounts up to ``largest``: millions from a million, billions from ten billion."""
    if largest >= 1e10:
        return Scale(1e9, "EUR billion")
    if largest >= 1e6:
        return Scale(1e6, "EUR million")
    return Scale(1.0, "EUR")


def number(value: float) -> str:
    """A figure for a label: thousands separators, one decimal below 100 where it has one."""
    if abs(value) < 100 and round(value, 1) != round(value):
        return f"{value:,.1f}"
    return f"{value:,.0f}"


def count(n: int, noun: str) -> str:
    """``26 items``, ``1 item``."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def coverage(items: int, without_value: int) -> str:
    """What the EUR figures leave out: "26 items, none with a EUR value", "…, 3 without a EUR value (not counted)"."""
    if not items:
        return "No aid items match the filters"
    if without_value == items:
        return f"{count(items, 'item')}, none with a EUR value"
    if without_value:
        return f"{count(items, 'item')}, {without_value:,} without a EUR value (not counted)"
    return f"{count(items, 'item')}, all with a EUR value"


def series_style(index: int, label: str) -> dict[str, Any]:
    """The face, hatch and edge of the ``index``-th series; an unknown one is white and hatched."""
    if label == UNKNOWN:
        return {"color": UNKNOWN_COLOUR, "hatch": UNKNOWN_HATCH, "edgecolor": EDGE, "linewidth": 0.6}
    hatch = "" if index < len(SEQUENCE) else ("..", "\\\\\\", "++")[(index // len(SEQUENCE) - 1) % 3]
    return {"color": SEQUENCE[index % len(SEQUENCE)], "hatch": hatch, "edgecolor": EDGE, "linewidth": 0.6}


def _start(fig: Figure, title: str, subtitle: str) -> Axes:
    fig.clear()
    fig.set_layout_engine("constrained")
    fig.set_facecolor("white")
    ax = fig.add_subplot()
    # the title at the figure's left edge (long category names push the axes right); the subtitle over the axes
    fig.suptitle(title, x=0.01, ha="left", fontsize=11, fontweight="bold", color=INK)
    ax.set_title(subtitle, loc="left", fontsize=NORMAL, color="#404040")
    ax.tick_params(labelsize=SMALL, colors=INK)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return ax


def _nothing(ax: Axes, text: str) -> None:
    """An empty chart that says why it is empty."""
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center", fontsize=NORMAL + 1, color=INK)


def _value_axis(ax: Axes, which: str, measure: str, largest: float) -> Scale:
    """Label the value axis and write its ticks with thousands separators; returns the scale of the values."""
    axis = ax.xaxis if which == "x" else ax.yaxis
    scale = eur_scale(largest) if measure == EUR else Scale(1.0, "Items")
    axis.set_major_locator(MaxNLocator(nbins=6, integer=measure == ITEMS or scale.divisor > 1 and largest > 1e7))
    axis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}" if v == round(v) else f"{v:,.1f}"))
    (ax.set_xlabel if which == "x" else ax.set_ylabel)(scale.unit, fontsize=NORMAL, color=INK)
    (ax.xaxis if which == "x" else ax.yaxis).grid(True, color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)
    return scale


def _drawable(fig: Figure, figures: Figures, measure: str, title: str) -> Axes | None:
    """The chart's axes, titled, or None where there is nothing to draw: the chart says why instead."""
    ax = _start(fig, title, coverage(figures.items, figures.without_value))
    no_eur = measure == EUR and figures.items > 0 and figures.without_value == figures.items
    if figures.items and not no_eur:
        return ax
    _nothing(ax, f"{coverage(figures.items, figures.without_value)}.\n{_SWITCH}" if figures.items else "")
    return None


_SWITCH = "Choose “Number of items” above to count them"


# --- EUR by year and category ---------------------------------------------------------------------------------------


def draw_year_category(fig: Figure, figures: Figures, measure: str) -> None:
    """Categories as horizontal bars, largest on top, each split into its years (dark: earliest)."""
    ax = _drawable(fig, figures, measure, f"{'EUR' if measure == EUR else 'Items'} by year and category")
    if ax is None:
        return
    cells = {(y, c): (n if measure == ITEMS else eur) for y, c, eur, n in figures.by_year_category}
    totals = {c: sum(cells.get((y, c), 0) for y in figures.years) for c in figures.categories}
    ranked = sorted((c for c in figures.categories if totals[c]), key=lambda c: (c == UNKNOWN, -totals[c]))
    categories, rest = ranked[:TOP_CATEGORIES][::-1], ranked[TOP_CATEGORIES:]  # the largest on top
    scale = _value_axis(ax, "x", measure, max(totals.values(), default=0))
    if rest:  # more rows would not be readable: said under the axis, listed in full by Copy numbers
        together = number(scale(sum(totals[c] for c in rest)))
        ax.set_xlabel(f"{scale.unit}  ·  {len(rest)} other categories: {together} more",
                      fontsize=NORMAL, color=INK)  # fmt: skip
    left = [0.0] * len(categories)
    for i, year in enumerate(figures.years):
        widths = [scale(cells.get((year, c), 0)) for c in categories]
        if not any(widths):
            continue
        ax.barh(categories, widths, left=left, height=0.7, label=year, **series_style(i, year))
        left = [a + b for a, b in zip(left, widths, strict=True)]
    for y, total in enumerate(left):
        ax.text(total, y, f" {number(total)}", va="center", fontsize=SMALL, color=INK)
    ax.set_xlim(0, max(left, default=1) * 1.15 or 1)
    ax.set_ylim(-0.6, len(categories) - 0.4)
    ax.tick_params(axis="y", length=0)
    fig.legend(title="Year announced", fontsize=SMALL, title_fontsize=SMALL, loc="outside lower center",
               ncols=len(figures.years), frameon=False)  # fmt: skip


def year_category_table(figures: Figures, measure: str) -> list[list[Any]]:
    """A row per year, a column per category: EUR, or items."""
    rows = figures.year_category_table(items=measure == ITEMS)
    rows[0][0] = "Year (items)" if measure == ITEMS else "Year (EUR)"  # what the numbers are, for the pasted sheet
    return rows


# --- EUR by donor ---------------------------------------------------------------------------------------------------


def draw_donors(fig: Figure, figures: Figures, measure: str) -> None:
    """The largest donors as horizontal bars, the rest together in one bar; each bar labelled with its figure."""
    ax = _drawable(fig, figures, measure, f"{'EUR' if measure == EUR else 'Items'} by donor")
    if ax is None:
        return
    amounts = [(donor, float(eur if measure == EUR else n)) for donor, eur, n, _ in figures.by_donor]
    donors = sorted(amounts, key=lambda d: (d[0] == UNKNOWN, -d[1], d[0]))
    bars, rest = donors[:TOP_DONORS][::-1], donors[TOP_DONORS:]  # the largest on top
    scale = _value_axis(ax, "x", measure, max((v for _, v in bars), default=0))
    values = [scale(v) for _, v in bars]
    for y, (name, _) in enumerate(bars):
        ax.barh(y, values[y], height=0.7, **series_style(0, name))
        ax.text(values[y], y, f" {number(values[y])}", va="center", fontsize=SMALL, color=INK)
    if rest:  # together they would dwarf the bars: said under the axis, listed in full by Copy numbers
        together = number(scale(sum(v for _, v in rest)))
        ax.set_xlabel(f"{scale.unit}  ·  {len(rest)} other donors: {together} more",
                      fontsize=NORMAL, color=INK)  # fmt: skip
    ax.set_yticks(range(len(bars)), [name for name, _ in bars])
    ax.set_xlim(0, max(values, default=1) * 1.18 or 1)
    ax.set_ylim(-0.6, max(len(bars), 4) - 0.4)  # one donor is one bar, not a wall
    ax.tick_params(axis="y", length=0)


def donors_table(figures: Figures, measure: str) -> list[list[Any]]:
    """Every donor: EUR, items, and items without a EUR value."""
    return [["Donor", "EUR", "Items", "Items without a EUR value"], *[list(d) for d in figures.by_donor]]


# --- committed against delivered, by status ------------------------------------------------------------------------


def draw_status(fig: Figure, figures: Figures, measure: str) -> None:
    """A bar per status in the vocabulary's order; counted items split into those with and without a EUR value."""
    ax = _drawable(fig, figures, measure, "Committed against delivered, by status")
    if ax is None:
        return
    names = [s[:1].upper() + s[1:] if s != UNKNOWN else s for s, _, _, _ in figures.by_status]
    x = list(range(len(names)))
    if measure == EUR:
        scale = _value_axis(ax, "y", measure, max((e for _, e, _, _ in figures.by_status), default=0))
        values = [scale(e) for _, e, _, _ in figures.by_status]
        for i, (status, *_rest) in enumerate(figures.by_status):
            ax.bar(i, values[i], width=0.65, **series_style(0, status))
        tops = values
    else:
        _value_axis(ax, "y", measure, max((n for _, _, n, _ in figures.by_status), default=0))
        valued = [n - m for _, _, n, m in figures.by_status]
        missing = [m for _, _, _, m in figures.by_status]
        ax.bar(x, valued, width=0.65, label="with a EUR value", **series_style(0, ""))
        ax.bar(x, missing, bottom=valued, width=0.65, label="without a EUR value", color=WITHOUT_COLOUR,
               hatch=WITHOUT_HATCH, edgecolor=EDGE, linewidth=0.6)  # fmt: skip
        ax.legend(fontsize=SMALL, frameon=False, loc="upper left", bbox_to_anchor=(0, 1), ncols=2)
        tops = [float(a + b) for a, b in zip(valued, missing, strict=True)]
    for i, top in enumerate(tops):
        ax.text(i, top, number(top), ha="center", va="bottom", fontsize=SMALL, color=INK)
    ax.set_xticks(x, names)
    ax.set_ylim(0, max(tops, default=1) * (1.3 if measure == ITEMS else 1.15) or 1)
    ax.tick_params(axis="x", length=0)


def status_table(figures: Figures, measure: str) -> list[list[Any]]:
    """Every status: EUR, items, and items without a EUR value."""
    return [["Status", "EUR", "Items", "Items without a EUR value"], *[list(s) for s in figures.by_status]]


# --- a timeline of events and agreements beside the aid ------------------------------------------------------------


def _month(text: str) -> dt.date:
    year, month = text.split("-")[:2]
    return dt.date(int(year), int(month), 15)


def draw_timeline(fig: Figure, figures: Figures, measure: str) -> None:
    """Aid announced each month as bars; events held and agreements signed as marked stems on a second axis."""
    eur = [e for _, e, _, _ in figures.timeline]
    said = "Aid in EUR, by the month announced" if any(eur) else "Aid: no EUR value in these items"
    if measure == ITEMS and any(eur):
        said = "Aid in EUR (whatever the measure), by month announced"
    ax = _start(fig, "Events and agreements beside the aid, by month", said)
    if not figures.timeline:
        _nothing(ax, "Nothing dated to the month yet")
        return
    months = [float(mdates.date2num(_month(m))) for m, _, _, _ in figures.timeline]
    handles: list[Any] = []
    if any(eur):
        scale = _value_axis(ax, "y", EUR, max(eur))
        bars = ax.bar(months, [scale(e) for e in eur], width=25, label="Aid announced", **series_style(3, ""))
        handles.append(bars)
        ax.set_ylim(0, scale(max(eur)) * 1.3)
    else:
        ax.set_yticks([])
        ax.spines["left"].set_visible(False)
    if not any(r[2] or r[3] for r in figures.timeline):
        ax.set_title(said + "; no events or agreements", loc="left", fontsize=NORMAL,
                     color="#404040")  # fmt: skip
        if handles:
            ax.legend(handles=handles, fontsize=SMALL, frameon=False, loc="upper left")
        _date_axis(ax)
        return
    right = ax.twinx()
    right.spines["top"].set_visible(False)
    right.tick_params(labelsize=SMALL, colors=INK)
    right.set_ylabel("Events, agreements", fontsize=NORMAL, color=INK)
    right.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
    shift = 5.0  # days: the two stems of one month side by side
    for column, label, marker, face, at in ((2, "Events", "^", SEQUENCE[0], -shift), (3, "Agreements signed", "s",
                                             "white", shift)):  # fmt: skip
        points = [(m + at, row[column]) for m, row in zip(months, figures.timeline, strict=True) if row[column]]
        if not points:
            continue
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        right.vlines(xs, 0, ys, color=INK, linewidth=1)
        handles.append(right.scatter(xs, ys, marker=marker, s=36, facecolor=face, edgecolor=INK, zorder=3,
                                     label=label))  # fmt: skip
    tops = [max(r[2], r[3]) for r in figures.timeline]
    right.set_ylim(0, max([*tops, 1]) * 1.3)
    ax.legend(handles=handles, fontsize=SMALL, frameon=False, loc="upper left", ncols=3)
    _date_axis(ax)


def _date_axis(ax: Axes) -> None:
    locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.set_xlabel("Month", fontsize=NORMAL, color=INK)


def timeline_table(figures: Figures, measure: str) -> list[list[Any]]:
    """Every month: aid EUR announced, events, agreements signed."""
    return [["Month", "Aid EUR", "Events", "Agreements signed"], *[list(m) for m in figures.timeline]]


# --- the four, and their numbers as text ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Chart:
    """One chart of the page: how it is drawn, and the table of its numbers.

    Attributes:
        key: its name in file names ("by-donor").
        title: what its panel and its menu say.
        draw: draws it on a figure, for the figures and the measure.
        table: its numbers, a header row first.
    """

    key: str
    title: str
    draw: Callable[[Figure, Figures, str], None]
    table: Callable[[Figures, str], list[list[Any]]]


CHARTS = (
    Chart("by-year-and-category", "By year and category", draw_year_category, year_category_table),
    Chart("by-donor", "By donor", draw_donors, donors_table),
    Chart("by-status", "Committed against delivered", draw_status, status_table),
    Chart("timeline", "Timeline", draw_timeline, timeline_table),
)


def _cell(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = "" if value is None else str(value)
    return text.replace("\t", " ").replace("\r", " ").replace("\n", " ")


def as_tsv(rows: list[list[Any]]) -> str:
    """Tab-separated lines, as Excel pastes them: plain numbers, no thousands separators, full euros."""
    return "\n".join("\t".join(_cell(v) for v in row) for row in rows) + "\n"
