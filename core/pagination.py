"""Pagination that never counts more than it shows.

An exact COUNT(*) over a seller's 30,000 waiting cases costs more than the whole page of 25 (an
index scan). `capped_page` counts at most `count_cap + 1` rows (a bounded subquery) and finds
whether there is a next page by fetching one row more than it shows.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import connection
from django.db.models import Model, QuerySet
from django.http import QueryDict

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


def capped_page_sql(
    *,
    with_: str = "",
    table: str,
    joins: str = "",
    where: str = "TRUE",
    columns: str,
    ordering: str,
    params: Mapping[str, Any],
    row: Callable[[tuple[Any, ...]], Any],
    page_number: str | None,
    per_page: int,
    count_cap: int,
) -> CappedPage[Any]:
    """`capped_page` for a list read in plain SQL: `with_ SELECT columns FROM table joins WHERE
    where ORDER BY ordering`, each fetched row made into an item by `row`. The capped count (a
    subquery of `table` alone, at most `count_cap` + 1 rows) comes in the same statement as
    the page's rows; when no row is there, the count alone, and the last page is read when the
    one asked for is past it. `with_` (a WITH clause) comes before both statements. Names and
    conditions come from the caller's code, values only as `params`."""
    capped = f"SELECT COUNT(*) FROM (SELECT 1 FROM {table} WHERE {where} LIMIT %(_cap)s) AS capped"  # noqa: S608
    count_sql = f"{with_} {capped}"
    page_sql = (
        f"{with_} SELECT ({capped}), {columns} FROM {table} {joins} WHERE {where} "  # noqa: S608
        f"ORDER BY {ordering} LIMIT %(_limit)s OFFSET %(_offset)s"
    )
    counting = {**params, "_cap": count_cap + 1}

    def read(number: int) -> tuple[list[Any], int | None]:
        offset = (number - 1) * per_page
        with connection.cursor() as cursor:
            cursor.execute(page_sql, {**counting, "_limit": per_page + 1, "_offset": offset})
            fetched = cursor.fetchall()
        if not fetched:
            return [], None
        return [row(values[1:]) for values in fetched], int(fetched[0][0])

    # The page asked for, not yet held to a last page: the count comes with its rows.
    unknown = count_cap + 1
    number = page_number_for(page_number, count=unknown, per_page=per_page, count_cap=count_cap)
    rows, counted = read(number)
    if counted is None:
        with connection.cursor() as cursor:
            cursor.execute(count_sql, counting)
            (counted,) = cursor.fetchone()
        last = page_number_for(page_number, count=counted, per_page=per_page, count_cap=count_cap)
        if last != number:
            number = last
            rows, _ = read(number)
    return capped_page_of(
        rows, number=number, count=counted, per_page=per_page, count_cap=count_cap
    )


def query_without_page(query: QueryDict) -> str:
    """The page's query string without its page number: what the pagination links add theirs
    to (and what the order report takes as its filters)."""
    rest = query.copy()
    rest.pop("page", None)
    return rest.urlencode()
