"""Server-rendered SVG chart geometry: no script and no third-party library."""

from __future__ import annotations

SERIES = (
    ("auto_published", "Auto-published", "bar-published"),
    ("sent_to_review", "Sent to review", "bar-review"),
    ("auto_rejected", "Auto-rejected", "bar-rejected"),
)
WIDTH, HEIGHT, PAD = 720, 240, 32


def stacked_bars(days: list[dict]) -> dict:
    """Return the bars, axis ticks and legend of a stacked bar chart of comments per day."""
    peak = max((sum(d[key] for key, _, _ in SERIES) for d in days), default=0) or 1
    slot = (WIDTH - 2 * PAD) / max(len(days), 1)
    scale = (HEIGHT - 2 * PAD) / peak
    bars = []
    for index, day in enumerate(days):
        x, top = PAD + index * slot + slot * 0.15, HEIGHT - PAD
        for key, label, css in SERIES:
            height = day[key] * scale
            if height:
                top -= height
                bars.append({"x": round(x, 1), "y": round(top, 1), "w": round(slot * 0.7, 1),
                             "h": round(height, 1), "css": css,
                             "title": f"{day['day']}: {day[key]} {label.lower()}"})
    ticks = [{"x": round(PAD + i * slot + slot / 2, 1), "label": d["day"][5:]}
             for i, d in enumerate(days)]
    return {"width": WIDTH, "height": HEIGHT, "pad": PAD, "bars": bars, "ticks": ticks,
            "peak": peak, "legend": [(label, css) for _, label, css in SERIES]}


def _points(values: list[float], peak: float, slot: float) -> str:
    """Return SVG polyline points for values spread across the plot, scaled to the peak."""
    scale = (HEIGHT - 2 * PAD) / (peak or 1)
    return " ".join(f"{round(PAD + i * slot + slot / 2, 1)},{round(HEIGHT - PAD - v * scale, 1)}"
                    for i, v in enumerate(values))


def queue_lines(samples: list) -> dict:
    """Return two lines over the days: the review queue's size and its median wait in hours."""
    sizes = [s.size for s in samples]
    hours = [(s.median_wait_s or 0) / 3600 for s in samples]
    slot = (WIDTH - 2 * PAD) / max(len(samples), 1)
    size_peak, wait_peak = max(sizes, default=0) or 1, max(hours, default=0) or 1
    dots = [{"x": round(PAD + i * slot + slot / 2, 1),
             "y": round(HEIGHT - PAD - s.size * (HEIGHT - 2 * PAD) / size_peak, 1),
             "title": f"{s.day}: {s.size} waiting, median wait {round(hours[i], 1)} h"}
            for i, s in enumerate(samples)]
    ticks = [{"x": dot["x"], "label": s.day[5:]} for dot, s in zip(dots, samples, strict=True)]
    return {"width": WIDTH, "height": HEIGHT, "pad": PAD, "ticks": ticks, "dots": dots,
            "size_points": _points(sizes, size_peak, slot),
            "wait_points": _points(hours, wait_peak, slot),
            "size_peak": size_peak, "wait_peak": round(wait_peak, 1)}
