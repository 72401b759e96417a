"""Who of a seller's team has a case open, or is typing a reply on it (issue 14).

Kept in Django's cache only, never in the database: one entry per case, a small dict of
{member id: (name, "viewing" | "replying", expires at)}, written by the case page's live poll
(a heartbeat every few seconds) and read by the same poll of the other members. Every entry
expires by itself `PRESENCE_SECONDS` after its member's last heartbeat, and the cache entry
with it, so a closed tab leaves no stuck "is replying".

Two heartbeats at the same instant may overwrite each other's entry (read-modify-write without
a lock); the next heartbeat, seconds later, puts it back. Only members of the case's seller
reach the views that call this (the case is looked up in their seller's scope first), so a
presence is only ever shown to the same seller's team.

With several web processes the cache must be one they share (CACHE_URL: Redis); with the
default per-process memory cache, members served by different processes do not see each other.
"""

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

VIEWING = "viewing"
REPLYING = "replying"
MODES = (VIEWING, REPLYING)


@dataclass(frozen=True)
class Presence:
    user_id: int
    name: str
    mode: str

    @property
    def label(self) -> str:
        return f"{self.name} is {'replying' if self.mode == REPLYING else 'viewing this case'}"


def _key(case_id: int) -> str:
    return f"presence:case:{case_id}"


def _seconds() -> int:
    return int(getattr(settings, "MESSAGING_PRESENCE_SECONDS", 30))


def _alive(entries: dict[int, tuple[str, str, float]], now: float) -> dict:
    return {uid: entry for uid, entry in entries.items() if entry[2] > now}


def presence_touch(*, case_id: int, user_id: int, name: str, mode: str) -> list[Presence]:
    """The member has the case open (`viewing`) or is typing a reply (`replying`). Returns who
    else is on it (`presence_others`), from the same read of the cache."""
    now = time.time()
    seconds = _seconds()
    entries = _alive(cache.get(_key(case_id)) or {}, now)
    others = _others(entries, user_id)
    entries[user_id] = (name, mode if mode in MODES else VIEWING, now + seconds)
    cache.set(_key(case_id), entries, timeout=seconds)
    return others


def presence_leave(*, case_id: int, user_id: int) -> None:
    entries = _alive(cache.get(_key(case_id)) or {}, time.time())
    if entries.pop(user_id, None) is not None:
        cache.set(_key(case_id), entries, timeout=_seconds())


def presence_others(*, case_id: int, user_id: int) -> list[Presence]:
    """Who else of the team is on the case now, those replying first, then by name."""
    return _others(_alive(cache.get(_key(case_id)) or {}, time.time()), user_id)


def _others(entries: dict[int, tuple[str, str, float]], user_id: int) -> list[Presence]:
    others = [
        Presence(user_id=uid, name=name, mode=mode)
        for uid, (name, mode, _) in entries.items()
        if uid != user_id
    ]
    return sorted(others, key=lambda p: (p.mode != REPLYING, p.name, p.user_id))


def presence_signature(others: list[Presence]) -> str:
    """A short text that changes when what the page shows of the others changes."""
    return ",".join(f"{p.user_id}{p.mode[0]}" for p in others)
