"""Pagination that never counts more than it shows.

An exact COUNT(*) over a seller's 30,000 waiting cases costs more than the whole page of 25 (an
index scan). `capped_page` counts at most `count_cap + 1` rows (a bounded subquery) and finds
whether there is a next page by fetching one row more than it shows.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db.models import Model, QuerySet

_M = TypeVar("_M", bound=Model)

# Past the count cap the last page is unknown: a page number is still clamped, so that its offset
# stays far inside a 64-bit integer (a huge one made PostgreSQL fail with "bigint out of range").
MAX_PAGE_NUMBER = 10_000


@dataclass(frozen=True)
class CappedPage(Generic[_M]):
    object_list: list[_M]
    number: int
    has_next: bool
    count: int  # exact up to the cap
    count_capped: bool  # True when there are more than `count` rows

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def page_number_for(page_number: str | None, *, count: int, per_page: int, count_cap: int) -> int:
    """The page asked for (1 when it is no number), at most MAX_PAGE_NUMBER, and at most the
    last page when `count` (counted up to `count_cap` + 1) is exact."""
    try:
        number = min(max(int(page_number or 1), 1), MAX_PAGE_NUMBER)
    except ValueError:
        number = 1
    if count <= count_cap:
        number = min(number, max((count - 1) // per_page + 1, 1))
    return number


def capped_page_of(
    rows: list[_M], *, number: int, count: int, per_page: int, count_cap: int
) -> CappedPage[_M]:
    """Page `number` from its rows, read one past the page (so `has_next` needs no count)."""
    return CappedPage(
        object_list=rows[:per_page],
        number=number,
        has_next=len(rows) > per_page,
        count=min(count, count_cap),
        count_capped=count > count_cap,
    )


def capped_page(
    queryset: QuerySet[_M], page_number: str | None, *, per_page: int, count_cap: int = 1000
) -> CappedPage[_M]:
    count = queryset[: count_cap + 1].count()
    number = page_number_for(page_number, count=count, per_page=per_page, count_cap=count_cap)
    offset = (number - 1) * per_page
    rows = list(queryset[offset : offset + per_page + 1])
    return capped_page_of(rows, number=number, count=count, per_page=per_page, count_cap=count_cap)


def capped_page_read(
    read: Callable[[int, int], tuple[list[Any], int | None]],
    count: Callable[[], int],
    page_number: str | None,
    *,
    per_page: int,
    count_cap: int,
) -> CappedPage[Any]:
    """`capped_page` for a list read in one statement with its count: `read(offset, limit)`
    gives the rows there and the count (up to `count_cap` + 1), or no count when there is no
    row there; then `count()` alone, and the last page read when the one asked for is past it."""
    number = page_number_for(
        page_number, count=count_cap + 1, per_page=per_page, count_cap=count_cap
    )
    rows, counted = read((number - 1) * per_page, per_page + 1)
    if counted is None:
        counted = count()
        last = page_number_for(page_number, count=counted, per_page=per_page, count_cap=count_cap)
        if last != number:
            number = last
            rows, _ = read((number - 1) * per_page, per_page + 1)
    return capped_page_of(
        rows, number=number, count=counted, per_page=per_page, count_cap=count_cap
    )
