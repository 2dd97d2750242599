"""Property: for any journal, export to JSON then import into an empty journal gives the same
records, field for field (rowids aside, which are local to each file)."""

from __future__ import annotations

import io
import json
import os
import tempfile
from datetime import datetime, timedelta, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_export_json import portable_rows

from relapse_cli.log.store.bulk import insert_many
from relapse_cli.log.store.entries import hide_entry
from relapse_cli.share.formats import jsonfmt
from relapse_cli.share.formats.job import ExportJob
from relapse_cli.share.store.portable import Selection, merge
from relapse_cli.storage.db import open_journal
from relapse_cli.storage.records import write

text = st.text(st.characters(exclude_characters="\x00"), max_size=40)
names = st.lists(
    st.text("abcdefghij XYZ-é", min_size=1, max_size=12).filter(lambda s: s.strip()), max_size=3
)
word = st.text(st.characters(exclude_categories=("Cc", "Cs")), min_size=1, max_size=20).filter(
    str.strip
)  # substances and units, as `relapse log` accepts them
level = st.integers(0, 10)
when = st.builds(
    lambda minutes, offset: (
        datetime(2026, 1, 1, tzinfo=timezone(timedelta(minutes=offset)))
        + timedelta(minutes=minutes)
    ),
    st.integers(0, 60 * 24 * 300),
    st.sampled_from([0, 60, -300, 330, 345, -600, 840]),
)


@st.composite
def entry(draw) -> dict:
    kind = draw(st.sampled_from(["craving", "mood", "trigger", "use"]))
    item: dict = {"kind": kind, "when": draw(when), "note": draw(st.none() | text),
                  "triggers": [], "coping": []}  # fmt: skip
    if kind == "craving":
        item.update(intensity=draw(level), outcome=draw(st.sampled_from([None, "resisted", "used"])),
                    intensity_after=draw(st.none() | level), substance=draw(st.none() | word),
                    location=draw(st.none() | text), duration_min=draw(st.none() | st.integers(0, 600)),
                    triggers=draw(names), coping=draw(names))  # fmt: skip
    elif kind == "mood":
        item.update(mood=draw(level), anxiety=draw(st.none() | level),
                    sleep_hours=draw(st.none() | st.floats(0, 24).map(lambda x: round(x, 2))))  # fmt: skip
    elif kind == "trigger":
        item.update(intensity=draw(st.none() | level), triggers=draw(names.filter(bool)))
    else:
        item.update(substance=draw(word),
                    amount=draw(st.none() | st.floats(0, 1000, allow_nan=False)),
                    unit=draw(st.none() | word), context=draw(st.none() | text),
                    triggers=draw(names))  # fmt: skip
    return item


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(items=st.lists(entry(), max_size=12), hide=st.lists(st.integers(0, 11), max_size=3))
def test_export_then_import_gives_the_same_records(items, hide):
    with tempfile.TemporaryDirectory() as folder:
        source, target = os.path.join(folder, "a.db"), os.path.join(folder, "b.db")
        con = open_journal(source)
        insert_many(con, items)
        uuids = [r[0] for r in con.execute("SELECT uuid FROM entries ORDER BY id")]
        for i in sorted(set(hide)):
            if i < len(uuids):
                hide_entry(con, uuids[i])
        now = datetime(2027, 1, 1, tzinfo=timezone.utc)
        job = ExportJob(con=con, selection=Selection(hidden=True), now=now, since=None, until=now)
        buf = io.BytesIO()
        jsonfmt.export(job, buf)
        con.close()
        doc = jsonfmt.read(buf.getvalue(), "export")
        assert json.loads(buf.getvalue())["tables"].keys() == doc["tables"].keys()
        fresh = open_journal(target)
        with write(fresh):
            merge(fresh, doc["tables"])
        fresh.close()
        assert portable_rows(target) == portable_rows(source)
