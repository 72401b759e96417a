"""The users of the bounded load run (bench/load.py starts locust with this file; see
docs/RELIABILITY.md). Not meant to be started by hand: it reads what bench/load.py seeded.

- SellerUser: a seller member signed in through the login form, on one of several sellers at
  once: the inbox, a case page, a reply on a case (POST), Contact Buyer on an order (POST).
- MailingBuyer: a buyer writing from their own address to their seller alias through the SMTP
  relay (README, "Email").

Every write carries a unique token in its body. A write counts as accepted only on the answer
that says it was stored: the redirect to the case page after a reply or Contact Buyer, `250`
at the end of DATA for a mail. bench/load.py then looks for every accepted token in the
database. Environment: LOAD_SEED (the seed JSON), LOAD_OUT (the results JSON to write),
LOAD_SMTP (host:port of the relay), LOAD_RUN (the run's token prefix, letters only).
"""

import itertools
import json
import os
import re
import smtplib
import string
import time
from collections import Counter, defaultdict
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from locust import HttpUser, User, between, events, task

SEED: dict[str, Any] = json.loads(Path(os.environ["LOAD_SEED"]).read_text())
OUT = Path(os.environ["LOAD_OUT"])
SMTP_HOST, _, SMTP_PORT = os.environ.get("LOAD_SMTP", "127.0.0.1:2525").rpartition(":")
RUN = os.environ["LOAD_RUN"]

_numbers = itertools.count(1)
_seller_turn = itertools.count()
_mail_turn = itertools.count()
# What the users saw: writes accepted (kind, token), writes refused by a rule, and per endpoint
# every answer as (when it was asked, milliseconds, status, failed) for the whole run.
accepted: list[dict[str, str]] = []
refused: Counter[str] = Counter()
samples: dict[str, list[tuple[float, float, int, bool]]] = defaultdict(list)
# When the last user had started (and signed in, the costly part of a start): the steady state.
phases = {"started": time.time(), "spawned": 0.0}


def token() -> str:
    """Unique in this run, letters only (digit runs could read as phone numbers to the
    content rules)."""
    number, letters = next(_numbers), ""
    while number:
        number, digit = divmod(number, 26)
        letters = string.ascii_lowercase[digit] + letters
    return f"ldt{RUN}q{letters}"


@events.request.add_listener
def _record(
    name: str,
    response_time: float,
    response: Any = None,
    exception: Any = None,
    context: Any = None,
    **_: Any,
) -> None:
    status = getattr(response, "status_code", None)
    if status is None:
        status = (context or {}).get("status", 0)
    started = time.time() - float(response_time) / 1000
    samples[name].append((started, float(response_time), int(status), exception is not None))


def _started() -> None:
    """A user has started (signed in): the last one to do so begins the steady state."""
    phases["spawned"] = time.time()


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _figures(rows: list[tuple[float, float, int, bool]], since: float, until: float) -> dict:
    steady = [ms for at, ms, _, _ in rows if at >= since]
    return {
        "requests": len(rows),
        "failures": sum(1 for row in rows if row[3]),
        "5xx": sum(1 for row in rows if row[2] >= 500),
        "statuses": dict(Counter(row[2] for row in rows)),
        "median_ms": _percentile([row[1] for row in rows], 0.5),
        "p95_ms": _percentile([row[1] for row in rows], 0.95),
        "max_ms": max((row[1] for row in rows), default=0.0),
        "rps": len(rows) / max(until - phases["started"], 0.001),
        "steady_requests": len(steady),
        "steady_median_ms": _percentile(steady, 0.5),
        "steady_p95_ms": _percentile(steady, 0.95),
        "steady_rps": len(steady) / max(until - since, 0.001),
    }


@events.quitting.add_listener
def _write_results(environment: Any, **_: Any) -> None:
    until = time.time()
    since = phases["spawned"] or phases["started"]
    every = [row for rows in samples.values() for row in rows]
    OUT.write_text(
        json.dumps(
            {
                "seconds": until - phases["started"],
                "steady_seconds": until - since,
                "endpoints": {
                    name: _figures(rows, since, until) for name, rows in sorted(samples.items())
                },
                "total": _figures(every, since, until),
                "errors": {
                    f"{e.method} {e.name}: {e.error}": e.occurrences
                    for e in environment.stats.errors.values()
                },
                "accepted": accepted,
                "refused": dict(refused),
            },
            indent=1,
        )
    )


class SellerUser(HttpUser):
    """A seller member working through their inbox; users take the sellers in turn."""

    weight = 5
    wait_time = between(0.5, 2.0)

    def on_start(self) -> None:
        sellers = SEED["sellers"]
        self.seller = sellers[next(_seller_turn) % len(sellers)]
        self.turn = itertools.count()
        login = self.client.get("/accounts/login/", name="sign in (GET)")
        form = {
            "username": self.seller["email"],
            "password": self.seller["password"],
            "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
        }
        with self.client.post(
            "/accounts/login/",
            data=form,
            name="sign in (POST)",
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            if answer.status_code != 302:
                answer.failure(f"sign-in refused ({answer.status_code}) after {login.status_code}")
        _started()

    def _pick(self, key: str) -> Any:
        items = self.seller[key]
        return items[next(self.turn) % len(items)]

    def _csrf(self) -> str:
        return self.client.cookies.get("csrftoken", "")

    @task(5)
    def inbox(self) -> None:
        self.client.get("/messages/", name="inbox")

    @task(4)
    def case_page(self) -> None:
        self.client.get(f"/messages/{self._pick('cases')}/", name="case page")

    @task(2)
    def reply(self) -> None:
        case_id = self._pick("cases")
        mark = token()
        body = f"Thank you for your patience, we are checking this for you. Ref {mark}"
        self._write(
            "reply",
            mark,
            f"/messages/{case_id}/reply/",
            {"body": body, "csrfmiddlewaretoken": self._csrf()},
            name="reply (POST)",
        )

    @task(1)
    def contact_buyer(self) -> None:
        if not self.seller["orders"]:
            return
        order = self._pick("orders")
        mark = token()
        form = {
            "reason": order["reason"],
            "subject": "About your order",
            "body": f"We wanted to let you know about your order. Ref {mark}",
            "csrfmiddlewaretoken": self._csrf(),
        }
        self._write(
            "contact_buyer",
            mark,
            f"/orders/{order['number']}/contact-buyer/",
            form,
            name="Contact Buyer (POST)",
        )

    def _write(self, kind: str, mark: str, path: str, form: dict[str, str], *, name: str) -> None:
        with self.client.post(
            path, data=form, name=name, allow_redirects=False, catch_response=True
        ) as answer:
            location = answer.headers.get("Location", "")
            if answer.status_code == 302 and re.search(r"/messages/\d+/$", location):
                accepted.append({"kind": kind, "token": mark})
                answer.success()
            elif answer.status_code == 200:
                # The form again, with the rule that refused it: nothing was stored.
                refused[kind] += 1
                answer.success()
            else:
                answer.failure(f"unexpected answer {answer.status_code} {location}")


class MailingBuyer(User):
    """A buyer writing to a seller alias from their own mail client, through the relay."""

    weight = 1
    wait_time = between(1.0, 3.0)

    def on_start(self) -> None:
        pairs = SEED["mail"]
        self.pair = pairs[next(_mail_turn) % len(pairs)]
        _started()

    @task
    def send_mail(self) -> None:
        mark = token()
        mail = EmailMessage()
        mail["From"] = self.pair["buyer"]
        mail["To"] = self.pair["alias"]
        mail["Subject"] = "A question about an item"
        mail["Message-ID"] = f"<{mark}@buyer.example.com>"
        mail.set_content(f"Hello, is this item still available in blue? Ref {mark}")
        started = time.perf_counter()
        error: Exception | None = None
        try:
            with smtplib.SMTP(SMTP_HOST, int(SMTP_PORT), timeout=30) as smtp:
                refused_rcpt = smtp.send_message(mail)
            if refused_rcpt:
                error = RuntimeError(f"recipient refused: {refused_rcpt}")
        except (smtplib.SMTPException, OSError) as exc:
            error = exc
        if error is None:
            accepted.append({"kind": "inbound_mail", "token": mark})
        code = 250 if error is None else int(getattr(error, "smtp_code", 0) or 0)
        events.request.fire(
            request_type="SMTP",
            name="inbound mail (SMTP)",
            response_time=(time.perf_counter() - started) * 1000,
            response_length=0,
            exception=error,
            context={"status": code},
        )
