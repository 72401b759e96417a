"""Only in the benchmark server (bench/settings.py), never in the app: how many SQL queries a
request ran, in the response header X-Bench-Queries (savepoints left out), and on request the
EXPLAIN ANALYZE of its slowest queries.

A request with the header `X-Bench-Explain: N` also gets the plans of its N slowest SELECTs,
written to a file in BENCH_EXPLAIN_DIR (the file name in the response header X-Bench-Explain).
Queries run while a streaming response is consumed are not counted (the header is sent first).
"""

import json
import os
import re
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse


class QueryCountMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        explain = int(request.headers.get("X-Bench-Explain") or 0)
        queries: list[tuple[float, str, Any]] = []

        def count(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                if not sql.lstrip().upper().startswith(("SAVEPOINT", "RELEASE SAVEPOINT")):
                    queries.append((time.perf_counter() - started, sql, params))

        with connection.execute_wrapper(count):
            response = self.get_response(request)
        response["X-Bench-Queries"] = str(len(queries))
        if explain:
            response["X-Bench-Explain"] = self._explain(queries, explain)
        return response

    def _explain(self, queries: list[tuple[float, str, Any]], slowest: int) -> str:
        """EXPLAIN ANALYZE every SELECT of the request again; keep the `slowest` plans by the
        execution time PostgreSQL reports (wall times in a busy request are noisy)."""
        plans = []
        with connection.cursor() as cursor:
            for seconds, sql, params in queries:
                if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                    continue
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
                plan = "\n".join(row[0] for row in cursor.fetchall())
                match = re.search(r"Execution Time: ([\d.]+) ms", plan)
                plans.append(
                    {
                        "ms": round(seconds * 1000, 2),
                        "execution_ms": float(match.group(1)) if match else 0.0,
                        "sql": sql,
                        "params": [str(p) for p in params or ()],
                        "plan": plan,
                    }
                )
        plans.sort(key=lambda p: p["execution_ms"], reverse=True)
        plans = plans[:slowest]
        directory = Path(os.environ.get("BENCH_EXPLAIN_DIR", "/tmp"))  # noqa: S108
        path = directory / f"explain-{uuid.uuid4().hex}.json"
        path.write_text(json.dumps(plans))
        return path.name
