"""Every API list pages the same way: ``?limit=`` (1 to ``MAX_LIMIT``, default ``PER_PAGE``)
and ``?offset=`` (0 to ``MAX_OFFSET``). A value outside these bounds is answered with a 422
naming the parameter and its bound, before any query runs (an unbounded offset reached the
database, which refused it with an error page)."""

from __future__ import annotations

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

PER_PAGE = 100
MAX_LIMIT = 500
# Far beyond any list the API serves (a national cycle has about 100,000 rows), far below
# what a database's 64-bit OFFSET accepts.
MAX_OFFSET = 10**9


class Pages(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(
            PER_PAGE, ge=1, le=MAX_LIMIT, description="How many rows to return at most."
        )
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="How many rows to skip.")

    def __init__(self, **kwargs) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)
