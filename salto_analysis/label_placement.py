"""Point labels that do not overlap: a small deterministic placement (no adjustText).

:func:`place` puts each label at the first free spot of a fixed list of candidate
positions around its point (right, left, above, below, the four diagonals), then the
same ring at two and three times the distance with a thin leader line. A spot is free
when the label's box stays inside the axes and does not overlap a label placed before
it or any point marker. Labels are tried in the order given (put the important ones
first); a label with no free spot is hidden and reported. A leader line may not cross a
label placed before it. This is the greedy
candidate-position method of cartographic label placement (Christensen, Marks &
Shieber 1995, "An empirical study of algorithms for point-feature label placement",
*ACM Transactions on Graphics* 14:203–232, the "greedy" baseline), which is
deterministic and good enough for a few dozen labels.

It runs at draw time (:meth:`salto_analysis.chart.Chart.before_draw`), after the layout
engine fixed the axes, in display pixels, so the result is the same at every dpi.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.text import Text
from matplotlib.transforms import Bbox

__all__ = ["overlaps", "place", "text_box"]

#: Unit directions of the candidate positions, in order of preference.
_DIRECTIONS = ((1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (-1, 1), (1, -1), (-1, -1))
_RINGS = (1, 2, 3)


def overlaps(a: Bbox, b: Bbox, margin: float = 0.0) -> bool:
    """Whether two display boxes overlap (touching edges do not), ``margin`` pixels apart at least."""
    return (a.x0 < b.x1 + margin and b.x0 < a.x1 + margin and a.y0 < b.y1 + margin and b.y0 < a.y1 + margin)


def _nearest_corner(box: Bbox, x: float, y: float) -> tuple[float, float]:
    return (min(max(x, box.x0), box.x1), min(max(y, box.y0), box.y1))


def _crosses(a: tuple[float, float], b: tuple[float, float], box: Bbox, steps: int = 24) -> bool:
    """Whether the segment a–b passes through ``box`` (sampled at ``steps`` points; enough at label sizes)."""
    for k in range(1, steps):
        f = k / steps
        px, py = a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f
        if box.x0 < px < box.x1 and box.y0 < py < box.y1:
            return True
    return False


def text_box(ann, renderer) -> Bbox:
    """The display box of an annotation's text alone (matplotlib's own extent adds the arrow)."""
    ann.update_positions(renderer)
    return Text.get_window_extent(ann, renderer)


def place(ax, annotations: Sequence, renderer, *, marker_radius_pt: float = 4.0, gap_pt: float = 2.0,
          avoid: Sequence[Bbox] = ()) -> list[bool]:
    """Move each of ``annotations`` (``ax.annotate(..., textcoords="offset points")`` artists with
    ``ha="left", va="bottom"``) to a free spot next to its point; return which were placed.

    ``marker_radius_pt`` is the radius of the point markers (labels keep off every marker),
    ``gap_pt`` the gap between a marker and its label, ``avoid`` further display boxes to keep
    off (the legend, say). Hidden labels get ``set_visible(False)``.
    """
    fig = ax.figure
    px = fig.dpi / 72.0
    radius, gap = marker_radius_pt * px, gap_pt * px
    frame = ax.get_window_extent(renderer)
    points = np.array([ax.transData.transform(a.xy) for a in annotations]) if len(annotations) else np.empty((0, 2))
    markers = [Bbox.from_extents(x - radius, y - radius, x + radius, y + radius) for x, y in points]
    taken: list[Bbox] = list(avoid)
    placed = []
    for k, ann in enumerate(annotations):
        ann.set_visible(True)
        ann.xyann = (0.0, 0.0)
        if ann.arrow_patch is not None:
            ann.arrow_patch.set_visible(False)
        box = text_box(ann, renderer)
        w, h = box.width, box.height
        x, y = points[k]
        spot = None
        for ring in _RINGS:
            d = radius + gap + (ring - 1) * (h + gap)
            for dx, dy in _DIRECTIONS:
                # the box's corner nearest the point sits d away from it in direction (dx, dy)
                x0 = x + d * dx if dx > 0 else (x - d * -dx - w if dx < 0 else x - w / 2)
                y0 = y + d * dy if dy > 0 else (y - d * -dy - h if dy < 0 else y - h / 2)
                cand = Bbox.from_bounds(x0, y0, w, h)
                if not (frame.x0 <= cand.x0 and cand.x1 <= frame.x1 and frame.y0 <= cand.y0 and cand.y1 <= frame.y1):
                    continue
                if any(overlaps(cand, other, 1.0) for other in taken):
                    continue
                if any(overlaps(cand, m) for m in markers):
                    continue
                if ring > 1 and any(_crosses((x, y), _nearest_corner(cand, x, y), other) for other in taken):
                    continue  # a leader line must not cross another label
                spot = (cand, ring)
                break
            if spot is not None:
                break
        if spot is None:
            ann.set_visible(False)
            placed.append(False)
            continue
        cand, ring = spot
        ann.xyann = ((cand.x0 - x) / px, (cand.y0 - y) / px)
        if ann.arrow_patch is not None:
            ann.arrow_patch.set_visible(ring > 1)
        taken.append(cand)
        placed.append(True)
    return placed
