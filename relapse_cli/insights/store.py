"""Aggregates for the insights dashboard (``relapse summary``, ``relapse trends``), in SQL.

Every figure is grouped by the *local* calendar day (and hour) the person lived it in, using
each entry's own stored ``utc_offset_min``: a Friday-evening craving logged during a trip
stays a Friday-evening craving. A period is a run of local days ``first..last`` (ISO dates).

Speed: a period is found through the ``occurred_at`` index (a UTC window one day wider on
each side than the local days, since offsets span -12h..+14h), then narrowed to the exact
local days; lapses ("use days", needed for streaks over the whole history) come from a
small partial index (migration 0003). Nothing here loops in Python over individual entries:
each function returns at most one row per day, per weekday-hour or per vocabulary word.
"""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from typing import Any

# Local minutes since the epoch. unixepoch() (SQLite 3.38+) is ~25 % cheaper than strftime.
_EPOCH_S = (
    "unixepoch(e.occurred_at)"
    if sqlite3.sqlite_version_info >= (3, 38)
    else "CAST(strftime('%s', e.occurred_at) AS INTEGER)"
)
LOCAL_MIN = f"({_EPOCH_S} / 60 + e.utc_offset_min)"
LOCAL_DAY = f"({LOCAL_MIN} / 1440)"  # days since 1970-01-01, local
_EPOCH = date(1970, 1, 1)

# A lapse: a logged use, or a craving that ended in use. Written exactly as in the partial
# index ``entries_lapses`` (migration 0003); queries name it (INDEXED BY) because without
# ANALYZE statistics SQLite would rather walk every craving through ``kind, occurred_at``.
LAPSE = "(e.kind = 'use' OR (e.kind = 'craving' AND e.outcome = 'used'))"
HALT_WORDS = ("hungry", "angry", "lonely", "tired")


def day_number(day: date) -> int:
    return (day - _EPOCH).days


def from_day_number(n: int) -> date:
    return _EPOCH + timedelta(days=int(n))


def _visible(con: sqlite3.Connection) -> str:
    """Entries the dashboard counts: not hidden, and keeping every value rule of the journal
    (a row another tool wrote against them is set aside, and the summary says so in one line,
    rather than a craving of 42 out of 10 moving the mean; storage/checks.keeps_rules)."""
    from relapse_cli.storage.checks import keeps_rules

    return f"e.deleted_at IS NULL AND ({keeps_rules(con, 'entries', 'e')})"


# What says when a lapse happened and that it was one. A use or a craving that ended in use
# is a lapse day whatever else in the row breaks a rule (an amount of 5000): leaving it out
# would make a streak look longer than it is. Lapse figures ask only these rules.
LOCATING = ("kind", "occurred_at", "utc_offset_min", "outcome")


def _located(con: sqlite3.Connection) -> str:
    """Entries whose kind, time and outcome keep their rules (see LOCATING)."""
    from relapse_cli.storage.checks import keeps_rules

    return f"e.deleted_at IS NULL AND ({keeps_rules(con, 'entries', 'e', LOCATING)})"


def _amount_ok(con: sqlite3.Connection) -> str:
    from relapse_cli.storage.checks import keeps_rules

    return keeps_rules(con, "entries", "e", ("amount",))


def _window(
    con: sqlite3.Connection, first: date | None, last: date | None, *, lapses: bool = False
) -> tuple[str, list[object]]:
    """WHERE clause for visible entries on local days first..last (index-friendly); with
    ``lapses``, every entry whose lapse can be placed (``_located``).

    None for a bound means open-ended (``--all``): no condition at all is cheaper than a
    range that covers the whole table (a plain scan instead of an index walk).
    """
    where, args = (_located(con) if lapses else _visible(con)), []
    if first is not None:
        where += f" AND e.occurred_at >= ? AND {LOCAL_DAY} >= ?"
        args += [(first - timedelta(days=1)).isoformat(), day_number(first)]
    if last is not None:
        where += f" AND e.occurred_at < ? AND {LOCAL_DAY} <= ?"
        args += [(last + timedelta(days=2)).isoformat(), day_number(last)]
    return where, args


def _kind(first: date | None, last: date | None) -> str:
    """``e.kind`` for a bounded period (the ``kind, occurred_at`` index finds it); ``+e.kind``
    for an open-ended one, which stops SQLite walking that index: a plain scan is faster."""
    return "+e.kind" if first is None and last is None else "e.kind"


def first_day(con: sqlite3.Connection) -> date | None:
    """The local day of the earliest visible entry (None for an empty journal)."""
    row = con.execute(
        f"SELECT {LOCAL_DAY} FROM entries e WHERE {_located(con)} ORDER BY e.occurred_at LIMIT 1"
    ).fetchone()
    return from_day_number(row[0]) if row else None


def use_days(con: sqlite3.Connection) -> list[date]:
    """Every local day with a lapse, over the whole journal (for streaks)."""
    rows = con.execute(
        f"SELECT DISTINCT {LOCAL_DAY} FROM entries e INDEXED BY entries_lapses "
        f"WHERE {_located(con)} AND {LAPSE}"
    ).fetchall()
    return sorted(from_day_number(r[0]) for r in rows)


def per_day(con: sqlite3.Connection, first: date | None, last: date | None) -> list[dict]:
    """One row per local day that has cravings, lapses or moods: craving count, intensity
    sum/count/max, outcomes, uses, and mood/anxiety means from mood entries.

    One query per kind (through the ``kind, occurred_at`` index) costs a third of a single
    query with a CASE per kind per column; days without entries are absent.
    """
    where, args = _window(con, first, last)
    lapse_where, lapse_args = _window(con, first, last, lapses=True)
    kind = _kind(first, last)
    days: dict[int, dict] = {}

    def row(day: int) -> dict:
        return days.setdefault(
            day,
            {
                "day": day,
                "cravings": 0,
                "intensity_sum": 0,
                "intensity_n": 0,
                "peak_intensity": None,
                "resisted": 0,
                "craving_used": 0,
                "uses": 0,
                "mood": None,
                "anxiety": None,
                "moods": 0,
            },
        )

    for r in con.execute(
        f"""SELECT {LOCAL_DAY}, count(*), sum(e.intensity), count(e.intensity), max(e.intensity),
                   sum(e.outcome = 'resisted'), sum(e.outcome = 'used')
            FROM entries e WHERE {kind} = 'craving' AND {where} GROUP BY 1""",
        args,
    ):
        row(r[0]).update(
            cravings=r[1],
            intensity_sum=r[2] or 0,
            intensity_n=r[3],
            peak_intensity=r[4],
            resisted=r[5],
        )
    for r in con.execute(  # lapses are placed by LOCATING alone (see _located)
        f"""SELECT {LOCAL_DAY}, sum(e.outcome = 'used') FROM entries e
            WHERE {kind} = 'craving' AND {lapse_where} GROUP BY 1""",
        lapse_args,
    ):
        if r[1]:
            row(r[0])["craving_used"] = r[1]
    for r in con.execute(
        f"""SELECT {LOCAL_DAY}, avg(e.mood), avg(e.anxiety), count(*)
            FROM entries e WHERE {kind} = 'mood' AND {where} GROUP BY 1""",
        args,
    ):
        row(r[0]).update(mood=r[1], anxiety=r[2], moods=r[3])
    for r in con.execute(
        # Uses are few: always through the index.
        f"SELECT {LOCAL_DAY}, count(*) FROM entries e WHERE e.kind = 'use' AND {lapse_where} "
        "GROUP BY 1",
        lapse_args,
    ):
        row(r[0])["uses"] = r[1]
    out = []
    for day in sorted(days):
        item = days[day]
        item["day"] = from_day_number(day).isoformat()
        out.append(item)
    return out


def heatmap(con: sqlite3.Connection, first: date | None, last: date | None) -> list[list[int]]:
    """Cravings by local weekday (Monday first) and hour: 7 rows of 24 counts."""
    where, args = _window(con, first, last)
    grid = [[0] * 24 for _ in range(7)]
    # 1970-01-01 was a Thursday: (day + 3) % 7 puts Monday at 0.
    for wd, hour, n in con.execute(
        f"""SELECT ({LOCAL_DAY} + 3) % 7, ({LOCAL_MIN} % 1440) / 60, count(*)
            FROM entries e WHERE {_kind(first, last)} = 'craving' AND {where} GROUP BY 1, 2""",
        args,
    ):
        grid[wd][hour] = n
    return grid


def heatmap_days(
    con: sqlite3.Connection, first: date | None, last: date | None
) -> list[list[frozenset[int]]]:
    """The local days (days since 1970-01-01) with a craving, by weekday and hour: the
    evidence rule of a risky window needs to know on how many different days it recurred."""
    where, args = _window(con, first, last)
    cells: list[list[set[int]]] = [[set() for _h in range(24)] for _d in range(7)]
    for wd, hour, day in con.execute(
        f"""SELECT DISTINCT ({LOCAL_DAY} + 3) % 7, ({LOCAL_MIN} % 1440) / 60, {LOCAL_DAY}
            FROM entries e WHERE {_kind(first, last)} = 'craving' AND {where}""",
        args,
    ):
        cells[wd][hour].add(day)
    return [[frozenset(c) for c in row] for row in cells]


def triggers(con: sqlite3.Connection, first: date | None, last: date | None) -> list[dict]:
    """Per trigger named in the period: entries naming it, cravings among them, their mean
    intensity, and how many of those entries were lapses."""
    where, args = _window(con, first, last)
    # Entries first (CROSS JOIN fixes the order), links by their covering primary key; the
    # names are joined to the few grouped rows afterwards.
    rows = con.execute(
        f"""SELECT t.name, t.key, t.category, x.* FROM (
              SELECT et.trigger_id, count(*) AS count, sum(e.kind = 'craving') AS cravings,
                     avg(CASE WHEN e.kind = 'craving' THEN e.intensity END) AS mean_intensity,
                     sum({LAPSE}) AS ended_in_use
              FROM entries e CROSS JOIN entry_triggers et ON et.entry_id = e.id
              WHERE {where} GROUP BY et.trigger_id) x
            JOIN triggers t ON t.id = x.trigger_id""",
        args,
    ).fetchall()
    return [dict(r) for r in rows]


def coping(con: sqlite3.Connection, first: date | None, last: date | None) -> list[dict]:
    """Per coping strategy used with a craving: times, outcomes, and the intensity drop
    (intensity minus intensity after) where both were recorded."""
    where, args = _window(con, first, last)
    rows = con.execute(
        f"""SELECT c.name, x.* FROM (
              SELECT ec.coping_id, count(*) AS times,
                     sum(e.outcome = 'resisted') AS resisted, sum(e.outcome = 'used') AS used,
                     count(e.intensity - e.intensity_after) AS drop_n,
                     avg(e.intensity - e.intensity_after) AS mean_drop
              FROM entries e CROSS JOIN entry_coping ec ON ec.entry_id = e.id
              WHERE {_kind(first, last)} = 'craving' AND {where} GROUP BY ec.coping_id) x
            JOIN coping c ON c.id = x.coping_id""",
        args,
    ).fetchall()
    return [dict(r) for r in rows]


def use_amounts(con: sqlite3.Connection, first: date | None, last: date | None) -> list[dict]:
    """Per local day and substance: use entries, their recorded amount, cravings that ended
    in use, the unit: the rows domain.use_days.use_days reads (it decides what a day holds).
    Every lapse that can be placed counts (``_located``); an amount that breaks its rule is
    not added up."""
    where, args = _window(con, first, last, lapses=True)
    rows = con.execute(
        f"""SELECT {LOCAL_DAY} AS day, lower(trim(coalesce(e.substance, ''))) AS substance,
                   sum(CASE WHEN e.kind = 'use' AND ({_amount_ok(con)}) THEN e.amount END)
                       AS amount,
                   sum(e.kind = 'use') AS uses,
                   sum(e.kind = 'craving') AS craving_used,
                   max(CASE WHEN e.kind = 'use' THEN e.unit END) AS unit
            FROM entries e INDEXED BY entries_lapses WHERE {LAPSE} AND {where}
            GROUP BY day, 2 ORDER BY day""",
        args,
    ).fetchall()
    out = []
    for r in rows:
        item = dict(r)
        item["day"] = from_day_number(r["day"]).isoformat()
        out.append(item)
    return out


def totals(con: sqlite3.Connection, first: date | None, last: date | None) -> dict:
    """Craving and mood totals for a period (the previous period of the comparison)."""
    where, args = _window(con, first, last)
    c = con.execute(
        f"""SELECT count(*), avg(e.intensity), sum(e.outcome = 'resisted') FROM entries e
            WHERE e.kind = 'craving' AND {where}""",
        args,
    ).fetchone()
    m = con.execute(
        f"SELECT avg(e.mood), avg(e.anxiety) FROM entries e WHERE e.kind = 'mood' AND {where}",
        args,
    ).fetchone()
    return {
        "cravings": c[0],
        "mean_intensity": c[1],
        "resisted": c[2] or 0,
        "mean_mood": m[0],
        "mean_anxiety": m[1],
    }


def rows_near(con: sqlite3.Connection, first: date, last: date) -> int:
    """About how many entries a period holds (an index-only count, hidden ones included):
    enough to decide whether splitting its queries over two connections pays."""
    lo = (first - timedelta(days=1)).isoformat()
    hi = (last + timedelta(days=2)).isoformat()
    row = con.execute(
        "SELECT count(*) FROM entries WHERE occurred_at >= ? AND occurred_at < ?", (lo, hi)
    ).fetchone()
    return int(row[0])


def has_entries(con: sqlite3.Connection) -> bool:
    return (
        con.execute("SELECT 1 FROM entries WHERE deleted_at IS NULL LIMIT 1").fetchone() is not None
    )


def checkin_halt(con: sqlite3.Connection, first: date | None, last: date | None) -> dict:
    """HALT answers of the daily check-ins by local day: how many check-in days answered the
    HALT question, and on how many each word applied (one check-in per day)."""
    if not table_exists(con, "checkins"):
        return {"days_answered": 0}
    where = ["deleted_at IS NULL", "(" + " OR ".join(f"{w} IS NOT NULL" for w in HALT_WORDS) + ")"]
    args: list[object] = []
    if first is not None:
        where.append("local_date >= ?")
        args.append(first.isoformat())
    if last is not None:
        where.append("local_date <= ?")
        args.append(last.isoformat())
    sums = ", ".join(f"count(DISTINCT CASE WHEN {w} > 0 THEN local_date END)" for w in HALT_WORDS)
    row = con.execute(
        f"SELECT count(DISTINCT local_date), {sums} FROM checkins WHERE {' AND '.join(where)}",  # noqa: S608
        args,
    ).fetchone()
    return {
        "days_answered": int(row[0]),
        **{w: int(n) for w, n in zip(HALT_WORDS, row[1:], strict=True)},
    }


def table_exists(con: sqlite3.Connection, name: str) -> bool:
    row = con.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
    ).fetchone()
    return row is not None


def gather(con: sqlite3.Connection, calls: dict[str, tuple], *, split: bool) -> dict[str, Any]:
    """Run independent aggregates ``{name: (function, *args)}`` and return the results.

    With ``split`` (periods holding many entries) and a plain journal file, the first half of
    ``calls`` runs at the same time on a second connection in a thread (so order them with
    the costs balanced): sqlite3 releases the GIL while SQLite works, so on a
    machine with two cores ``--all`` takes about half as long. A locked (SQLCipher) or
    in-memory journal uses the one connection.
    """
    names = list(calls)
    path = con.execute("PRAGMA database_list").fetchone()[2] if split else ""
    from relapse_cli.storage.locked import is_encrypted

    if not path or is_encrypted(con):
        return {n: calls[n][0](con, *calls[n][1:]) for n in names}
    import threading

    from relapse_cli.storage.db import open_journal

    aside, here = names[: len(names) // 2], names[len(names) // 2 :]
    results: dict[str, Any] = {}  # what each call returns, by its name
    failure: list[BaseException] = []

    def work() -> None:
        try:
            other = open_journal(path, create=False)
            try:
                for n in aside:
                    results[n] = calls[n][0](other, *calls[n][1:])
            finally:
                other.close()
        except BaseException as exc:  # noqa: BLE001 - re-raised in the calling thread
            failure.append(exc)

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    for n in here:
        results[n] = calls[n][0](con, *calls[n][1:])
    thread.join()
    if failure:
        raise failure[0]
    return results
