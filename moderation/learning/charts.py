"""The trade-off plot as server-rendered SVG geometry: review share against missed rejections."""

from __future__ import annotations

WIDTH, HEIGHT, PAD = 640, 320, 48


def tradeoff_plot(curve: list[tuple[float, float]], current, proposed, targets) -> dict:
    """Return the polyline, markers, target lines and ticks of the trade-off plot."""
    x_max = max([0.2, targets.max_review * 1.5, current.review, proposed.review,
                 *(review for review, _ in curve)])
    y_max = max([0.1, targets.max_missed * 2, current.missed, proposed.missed,
                 *(missed for _, missed in curve)])

    def x(value: float) -> float:
        return round(PAD + value / x_max * (WIDTH - 2 * PAD), 1)

    def y(value: float) -> float:
        return round(HEIGHT - PAD - value / y_max * (HEIGHT - 2 * PAD), 1)

    points = " ".join(f"{x(review)},{y(missed)}" for review, missed in curve)
    ticks = [{"x": x(x_max * i / 4), "label": f"{x_max * i / 4 * 100:.0f}%"} for i in range(5)]
    yticks = [{"y": y(y_max * i / 4), "label": f"{y_max * i / 4 * 100:.0f}%"} for i in range(5)]
    return {
        "width": WIDTH, "height": HEIGHT, "pad": PAD, "points": points, "ticks": ticks,
        "yticks": yticks,
        "markers": [
            {"x": x(current.review), "y": y(current.missed), "css": "point-current",
             "title": f"current: review {current.review:.1%}, missed {current.missed:.1%}"},
            {"x": x(proposed.review), "y": y(proposed.missed), "css": "point-proposed",
             "title": f"proposed: review {proposed.review:.1%}, missed {proposed.missed:.1%}"},
        ],
        "target_x": x(min(targets.max_review, x_max)),
        "target_y": y(min(targets.max_missed, y_max)),
    }
