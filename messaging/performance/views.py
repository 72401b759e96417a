"""Response-time metrics (R21): the dashboard every member of a seller account can read."""

import csv
from collections.abc import Iterator
from datetime import date

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from accounts.decorators import seller_required
from accounts.http import SellerRequest
from messaging.models import ResponseTimeDaily
from messaging.performance import selectors

CHART_WIDTH, CHART_HEIGHT, CHART_PAD = 720, 200, 30
LATE_PER_PAGE = 25


def _chart(days: list[tuple[date, ResponseTimeDaily | None]]) -> dict[str, object]:
    """A server-rendered SVG line of the daily % answered within the target (no script: CSP)."""
    step = (CHART_WIDTH - 2 * CHART_PAD) / max(len(days) - 1, 1)
    points, dots = [], []
    for index, (day, row) in enumerate(days):
        if row is None or not row.counted:
            continue
        percent = 100 * row.within_target / row.counted
        x = CHART_PAD + index * step
        y = CHART_PAD + (100 - percent) / 100 * (CHART_HEIGHT - 2 * CHART_PAD)
        points.append(f"{x:.1f},{y:.1f}")
        dots.append({"x": f"{x:.1f}", "y": f"{y:.1f}", "day": day, "percent": round(percent)})
    gridlines = [
        {"y": f"{CHART_PAD + (100 - p) / 100 * (CHART_HEIGHT - 2 * CHART_PAD):.1f}", "label": p}
        for p in (0, 50, 100)
    ]
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "pad": CHART_PAD,
        "right": CHART_WIDTH - CHART_PAD,
        "points": " ".join(points),
        "dots": dots,
        "gridlines": gridlines,
        "first_day": days[0][0],
        "last_day": days[-1][0],
    }


@require_safe
@seller_required
def response_time(request: SellerRequest) -> HttpResponse:
    now = timezone.now()
    days = selectors.response_days(seller=request.seller, today=now.date())
    late = Paginator(
        selectors.late_and_unanswered_messages(seller=request.seller, now=now), LATE_PER_PAGE
    ).get_page(request.GET.get("page"))
    context = {
        "figures": selectors.response_figures(seller=request.seller, today=now.date()),
        "chart": _chart(days),
        "days": days,
        "late": late,
        "target_hours": settings.MESSAGING_RESPONSE_TARGET_HOURS,
        "computed_at": selectors.metrics_computed_at(),
        "now": now,
    }
    return render(request, "messaging/response_time.html", context)


class _Echo:
    def write(self, value: str) -> str:
        return value


@require_safe
@seller_required
def response_time_csv(request: SellerRequest) -> StreamingHttpResponse:
    """The daily figures of the last 90 days, one row per day."""
    days = selectors.response_days(seller=request.seller)

    def rows() -> Iterator[str]:
        writer = csv.writer(_Echo())
        yield writer.writerow(
            [
                "day",
                "counted",
                f"within_{settings.MESSAGING_RESPONSE_TARGET_HOURS}h",
                "later",
                "unanswered",
                "average_response_hours",
            ]
        )
        for day, row in days:
            answered = (row.within_target + row.later) if row else 0
            average = row.response_seconds_total / answered / 3600 if row and answered else ""
            yield writer.writerow(
                [
                    day.isoformat(),
                    row.counted if row else 0,
                    row.within_target if row else 0,
                    row.later if row else 0,
                    row.unanswered if row else 0,
                    f"{average:.1f}" if average != "" else "",
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="response-time.csv"'
    return response
