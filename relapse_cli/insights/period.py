"""Figures for one period, as a counselor reads them (CLINICAL.md §10), computed in SQL.

Local days and hours come from each record's own stored offset, so an evening craving stays
an evening craving after travel. Everything returned is plain data for the renderers.
"""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta

from relapse_cli.core.timeparse import utc_text

_LOCAL = "datetime(e.occurred_at, e.utc_offset_min || ' minutes')"
_USE = "(e.kind = 'use' OR (e.kind = 'craving' AND e.outcome = 'used'))"
MAX_NOTES = 200


def _window(
    con: sqlite3.Connection,
    since: datetime | None,
    until: datetime,
    kinds: list[str] | None = None,
) -> tuple[str, list[str]]:
    """Visible entries in the period, of the chosen entry kinds (None: all of them), that keep
    the value rules: a row another tool wrote wrongly is set aside (the export says how many),
    so no report or codec fails on it."""
    from relapse_cli.storage.checks import keeps_rules

    where = f"e.deleted_at IS NULL AND ({keeps_rules(con, 'entries', 'e')}) AND e.occurred_at <= ?"
    args = [utc_text(until)]
    if since is not None:
        where += " AND e.occurred_at >= ?"
        args.append(utc_text(since))
    if kinds is not None:
        where += f" AND e.kind IN ({', '.join('?' * len(kinds))})"
        args += kinds
    return where, args


def first_day(con: sqlite3.Connection, since: datetime | None, until: datetime) -> date:
    if since is not None:
        return since.date()
    days = [d for d in (_first_local_day(con, t) for t in _dated_tables(con)) if d]
    return date.fromisoformat(min(days)) if days else until.date()


def _dated_tables(con: sqlite3.Connection) -> list[tuple[str, str, bool]]:
    """(table, time column, has deleted_at) for every record kind with a local time, so a
    person whose first records are check-ins or medication doses gets a period from them."""
    from relapse_cli.share.store.portable import describe

    out = []
    for table in describe(con):
        names = {c.name for c in table.columns}
        if table.time and "utc_offset_min" in names and table.name != "export_sessions":
            out.append((table.name, table.time, "deleted_at" in names))
    return out


def _first_local_day(con: sqlite3.Connection, dated: tuple[str, str, bool]) -> str | None:
    table, column, hides = dated
    where = " WHERE deleted_at IS NULL" if hides else ""
    row = con.execute(
        f"SELECT date({column}, utc_offset_min || ' minutes') FROM [{table}]{where} "  # noqa: S608
        f"ORDER BY {column} LIMIT 1"
    ).fetchone()
    return row[0] if row else None


def overview(
    con: sqlite3.Connection, since: datetime | None, until: datetime, kinds: list[str] | None = None
) -> dict:
    """Everything the report and the review need for one period (``kinds``: entry kinds)."""
    where, args = _window(con, since, until, kinds)
    start, end = first_day(con, since, until), until.date()
    days = [(start + timedelta(days=i)) for i in range((end - start).days + 1)]
    per_day: dict[str, dict] = {
        d.isoformat(): {
            "date": d.isoformat(),
            "cravings": 0,
            "mean_intensity": None,
            "peak_intensity": None,
            "uses": 0,
            "amount": None,
            "mood": None,
            "anxiety": None,
        }
        for d in days
    }
    for row in con.execute(
        f"""SELECT date({_LOCAL}) AS day,
                   sum(e.kind = 'craving') AS cravings,
                   avg(CASE WHEN e.kind = 'craving' THEN e.intensity END) AS mean_intensity,
                   max(CASE WHEN e.kind = 'craving' THEN e.intensity END) AS peak_intensity,
                   sum({_USE}) AS uses,
                   sum(CASE WHEN e.kind = 'use' THEN e.amount END) AS amount,
                   avg(CASE WHEN e.kind = 'mood' THEN e.mood END) AS mood,
                   avg(CASE WHEN e.kind = 'mood' THEN e.anxiety END) AS anxiety
            FROM entries e WHERE {where} GROUP BY day""",
        args,
    ):
        if row["day"] in per_day:
            per_day[row["day"]].update({k: row[k] for k in row.keys() if k != "day"})
    # What a use day holds (lapses, amount) is domain.use_days' rule, shared with the summary
    # and the TLFB/FHIR exports: a craving that ended in use and its use entry are one lapse.
    lapse_days = _lapse_days(con, since, until, kinds)
    for day, item in per_day.items():
        held = lapse_days.get(day) or {"lapses": 0, "amount": None}
        item.update(uses=held["lapses"], amount=held["amount"])
    heat = [[0] * 24 for _ in range(7)]  # Monday first
    for row in con.execute(
        f"""SELECT (CAST(strftime('%w', {_LOCAL}) AS INTEGER) + 6) % 7 AS wd,
                   CAST(strftime('%H', {_LOCAL}) AS INTEGER) AS hour, count(*) AS n
            FROM entries e WHERE {where} AND e.kind = 'craving' GROUP BY wd, hour""",
        args,
    ):
        heat[row["wd"]][row["hour"]] = row["n"]
    totals = con.execute(
        f"""SELECT sum(e.kind = 'craving') AS cravings,
                   avg(CASE WHEN e.kind = 'craving' THEN e.intensity END) AS mean_intensity,
                   sum(e.kind = 'craving' AND e.outcome = 'resisted') AS resisted,
                   sum(e.kind = 'craving' AND e.outcome = 'used') AS used,
                   sum(e.kind = 'use') AS uses, sum(e.kind = 'mood') AS moods,
                   sum(e.kind = 'trigger') AS triggers_met, count(*) AS entries,
                   count(DISTINCT CASE WHEN {_USE} THEN date({_LOCAL}) END) AS use_days
            FROM entries e WHERE {where}""",
        args,
    ).fetchone()
    totals = {k: (totals[k] or 0) for k in totals.keys()}
    totals["use_days"] = sum(1 for d in per_day.values() if d["uses"])
    totals["lapses"] = sum(d["uses"] for d in per_day.values())
    length = len(days)
    before = _previous(con, start, length, since is not None)
    return {
        "first_day": start.isoformat(),
        "last_day": end.isoformat(),
        "days": length,
        "totals": totals,
        "previous_period": before,
        "per_day": list(per_day.values()),
        "heatmap": heat,
        "top_triggers": top_triggers(con, where, args),
        "coping": coping(con, where, args),
        "uses": uses(con, where, args),
    }


def _lapse_days(
    con: sqlite3.Connection, since: datetime | None, until: datetime, kinds: list[str] | None
) -> dict[str, dict]:
    """Per local day: lapses and amount by domain.use_days' rule (only the chosen kinds)."""
    from relapse_cli.insights import use_days

    return use_days.per_day(use_days.use_days(daily_use(con, since, until, kinds)))


def _previous(con: sqlite3.Connection, start: date, length: int, bounded: bool) -> dict | None:
    """The same number of days just before the period, for the trend."""
    if not bounded:
        return None
    lo = (start - timedelta(days=length)).isoformat()
    row = con.execute(
        f"""SELECT count(*) AS cravings, avg(e.intensity) AS mean_intensity FROM entries e
            WHERE e.deleted_at IS NULL AND e.kind = 'craving'
            AND date({_LOCAL}) >= ? AND date({_LOCAL}) < ?""",
        (lo, start.isoformat()),
    ).fetchone()
    return {"first_day": lo, "cravings": row["cravings"], "mean_intensity": row["mean_intensity"]}


def top_triggers(con: sqlite3.Connection, where: str, args: list, n: int = 6) -> list[dict]:
    rows = con.execute(
        f"""SELECT t.name, count(*) AS count,
                   avg(CASE WHEN e.kind = 'craving' THEN e.intensity END) AS mean_intensity,
                   sum({_USE}) AS uses
            FROM entries e JOIN entry_triggers et ON et.entry_id = e.id
            JOIN triggers t ON t.id = et.trigger_id
            WHERE {where} GROUP BY t.id ORDER BY count DESC, t.name COLLATE NOCASE LIMIT ?""",
        [*args, n],
    )
    return [dict(r) for r in rows]


def coping(con: sqlite3.Connection, where: str, args: list) -> list[dict]:
    """What worked: how often each strategy ended in resisting, and the mean drop in intensity."""
    rows = con.execute(
        f"""SELECT c.name, count(*) AS times,
                   sum(e.outcome = 'resisted') AS resisted,
                   avg(CASE WHEN e.intensity_after IS NOT NULL
                            THEN e.intensity - e.intensity_after END) AS mean_drop
            FROM entries e JOIN entry_coping ec ON ec.entry_id = e.id
            JOIN coping c ON c.id = ec.coping_id
            WHERE {where} AND e.kind = 'craving' GROUP BY c.id""",
        args,
    )
    out = [dict(r) for r in rows]
    for r in out:
        r["resisted_share"] = (r["resisted"] or 0) / r["times"] if r["times"] else None
    out.sort(key=lambda r: (-(r["resisted_share"] or 0), -r["times"], r["name"].casefold()))
    return out


def uses(con: sqlite3.Connection, where: str, args: list) -> list[dict]:
    rows = con.execute(
        f"""SELECT e.occurred_at, e.utc_offset_min, e.substance, e.amount, e.unit, e.context,
                   e.led_up_to, e.note
            FROM entries e WHERE {where} AND e.kind = 'use' ORDER BY e.occurred_at""",
        args,
    )
    return [dict(r) for r in rows]


def notes(
    con: sqlite3.Connection, since: datetime | None, until: datetime, kinds: list[str] | None = None
) -> tuple[list, int]:
    """The person's own notes in the period (at most MAX_NOTES, newest last) and how many."""
    where, args = _window(con, since, until, kinds)
    total = con.execute(
        f"SELECT count(*) FROM entries e WHERE {where} AND e.note IS NOT NULL", args
    ).fetchone()[0]
    rows = con.execute(
        f"""SELECT e.kind, e.occurred_at, e.utc_offset_min, e.note FROM entries e
            WHERE {where} AND e.note IS NOT NULL ORDER BY e.occurred_at DESC LIMIT ?""",
        [*args, MAX_NOTES],
    ).fetchall()
    return [dict(r) for r in reversed(rows)], int(total)


def entries_by_day(
    con: sqlite3.Connection, since: datetime | None, until: datetime, kinds: list[str] | None = None
):  # noqa: ANN201
    """Every visible entry in the period, oldest first, with its triggers and coping (streamed)."""
    where, args = _window(con, since, until, kinds)
    cur = con.execute(
        f"""SELECT e.*, date({_LOCAL}) AS local_day,
              (SELECT group_concat(t.name, '; ') FROM entry_triggers et JOIN triggers t
                 ON t.id = et.trigger_id WHERE et.entry_id = e.id) AS trigger_names,
              (SELECT group_concat(name, '; ') FROM (SELECT c.name FROM entry_coping ec
                 JOIN coping c ON c.id = ec.coping_id WHERE ec.entry_id = e.id
                 ORDER BY ec.position)) AS coping_names
            FROM entries e WHERE {where} ORDER BY e.occurred_at, e.id""",
        args,
    )
    yield from cur


def daily_use(
    con: sqlite3.Connection, since: datetime | None, until: datetime, kinds: list[str] | None = None
) -> list[dict]:
    """Per local day and substance: use entries, their recorded amount, cravings that ended
    in use, the unit: the rows domain.use_days.use_days reads (it decides what a day holds).
    ``kinds`` (entry kinds chosen with --kinds): a kind left out counts as absent."""
    kinds = None if kinds is None else [k for k in kinds if k in ("use", "craving")]
    if kinds == []:
        return []
    where, args = _window(con, since, until, kinds)
    rows = con.execute(
        f"""SELECT date({_LOCAL}) AS day, lower(trim(coalesce(e.substance, ''))) AS substance,
                   sum(CASE WHEN e.kind = 'use' THEN e.amount END) AS amount,
                   sum(e.kind = 'use') AS uses,
                   sum(e.kind = 'craving') AS craving_used,
                   max(CASE WHEN e.kind = 'use' THEN e.unit END) AS unit
            FROM entries e WHERE {where} AND {_USE} GROUP BY day, 2 ORDER BY day""",
        args,
    )
    return [dict(r) for r in rows]
