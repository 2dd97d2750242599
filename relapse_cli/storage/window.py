"""The WHERE terms every record listing shares: rows not hidden, in a UTC window."""

from __future__ import annotations


def window_terms(
    column: str,
    since: str | None,
    until: str | None,
    *,
    hidden_column: str | None = "deleted_at",
) -> tuple[list[str], list[object]]:
    """Terms to AND together, and their arguments: rows whose ``hidden_column`` is NULL (none
    for tables without hiding) and whose ``column`` (UTC storage text) lies in [since, until];
    a bound that is None stays open."""
    where = [f"{hidden_column} IS NULL"] if hidden_column else []
    args: list[object] = []
    if since:
        where.append(f"{column} >= ?")
        args.append(since)
    if until:
        where.append(f"{column} <= ?")
        args.append(until)
    return where, args
