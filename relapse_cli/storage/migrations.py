"""Numbered schema steps. Never edit a step that has shipped; add a new one at the end.

Each step declares its tables explicitly with sqlite-utils (types, not-null, defaults,
indexes) so no insert can ever create or reshape a table. ``PRAGMA user_version`` holds the
number of steps applied; it is what the hot path checks, so this module (and sqlite-utils)
is imported only when a journal is new or behind.
"""

from __future__ import annotations

import os
import sqlite3

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from relapse_cli.storage.version import SCHEMA_VERSION

steps = Migrations("relapse-cli")


@steps(name="0001_log_entries")
def m0001_log_entries(db: Database) -> None:
    """Cravings, moods, triggers met and uses share one table: one place to aggregate."""
    db.table("entries").create(
        {
            "id": int,
            "uuid": str,
            "kind": str,  # craving | mood | trigger | use
            "occurred_at": str,  # UTC, ISO 8601 with Z
            "utc_offset_min": int,  # local offset then, so Friday 6 pm stays Friday 6 pm
            "intensity": int,  # craving 0-10
            "intensity_after": int,  # craving after coping 0-10
            "outcome": str,  # resisted | used | ongoing
            "duration_min": int,
            "substance": str,
            "location": str,
            "company": str,
            "mood": int,  # 0-10 (mood log, or mood at the time of a craving)
            "anxiety": int,  # 0-10
            "sleep_hours": float,
            "energy": int,  # 0-10
            "amount": float,  # use
            "unit": str,  # use: drinks, g, pills, ...
            "context": str,  # use: where / with whom / what was happening
            "led_up_to": str,  # use: what led up to it
            "note": str,
            "created_at": str,
            "updated_at": str,
            "deleted_at": str,  # set by `delete` (hidden, undoable); NULL when visible
        },
        pk="id",
        not_null={"uuid", "kind", "occurred_at", "utc_offset_min", "created_at", "updated_at"},
    )
    db.table("entries").create_index(["uuid"], unique=True)
    db.table("entries").create_index(["kind", "occurred_at"])
    db.table("entries").create_index(["occurred_at"])

    for vocab in ("triggers", "coping"):
        columns: dict[str, type] = {"id": int, "uuid": str, "name": str, "key": str}
        if vocab == "triggers":
            columns["category"] = str
        columns["created_at"] = str
        db.table(vocab).create(columns, pk="id", not_null={"uuid", "name", "key", "created_at"})
        db.table(vocab).create_index(["key"], unique=True)
        db.table(vocab).create_index(["uuid"], unique=True)

    db.table("entry_triggers").create(
        {"entry_id": int, "trigger_id": int},
        pk=("entry_id", "trigger_id"),
        foreign_keys=[("entry_id", "entries", "id"), ("trigger_id", "triggers", "id")],
    )
    db.table("entry_triggers").create_index(["trigger_id"])
    db.table("entry_coping").create(
        {"entry_id": int, "coping_id": int, "position": int},
        pk=("entry_id", "coping_id"),
        foreign_keys=[("entry_id", "entries", "id"), ("coping_id", "coping", "id")],
        not_null={"position"},
        defaults={"position": 0},
    )
    db.table("entry_coping").create_index(["coping_id"])

    db.table("actions").create(
        {
            "id": int,
            "at": str,
            "action": str,  # delete | edit
            "entry_uuid": str,
            "before": str,  # JSON of the changed fields' old values (edit)
            "undone_at": str,
        },
        pk="id",
        not_null={"at", "action", "entry_uuid"},
    )
    db.create_view(
        "journal",
        """
        SELECT e.uuid, e.kind,
               datetime(e.occurred_at, e.utc_offset_min || ' minutes') AS local_time,
               e.utc_offset_min, e.intensity, e.intensity_after, e.outcome, e.substance,
               e.mood, e.anxiety, e.sleep_hours, e.energy, e.amount, e.unit,
               (SELECT group_concat(t.name, ', ') FROM entry_triggers et
                  JOIN triggers t ON t.id = et.trigger_id WHERE et.entry_id = e.id) AS triggers,
               (SELECT group_concat(c.name, ', ') FROM entry_coping ec
                  JOIN coping c ON c.id = ec.coping_id WHERE ec.entry_id = e.id) AS coping,
               e.note
        FROM entries e WHERE e.deleted_at IS NULL
        ORDER BY e.occurred_at DESC
        """,
    )


@steps(name="0002_export_sessions")
def m0002_export_sessions(db: Database) -> None:
    """Exports marked as brought to a session (`relapse export --session`), so the next one
    can start where that one ended (`--since-last-session`)."""
    db.table("export_sessions").create(
        {
            "id": int,
            "uuid": str,
            "exported_at": str,  # UTC, ISO 8601 with Z: when the export was made
            "utc_offset_min": int,
            "period_since": str,  # UTC; NULL when the export started at the first record
            "period_until": str,  # UTC
            "format": str,  # json | csv | md | html | tlfb | fhir
        },
        pk="id",
        not_null={"uuid", "exported_at", "utc_offset_min", "period_until", "format"},
    )
    db.table("export_sessions").create_index(["uuid"], unique=True)
    db.table("export_sessions").create_index(["exported_at"])


@steps(name="0003_summary_indexes")
def m0003_summary_indexes(db: Database) -> None:
    """Lapse days for streaks without scanning every craving (``relapse summary``).

    A partial index holding only lapses (a use, or a craving that ended in use): streaks
    need every lapse day over the whole history, and this keeps that cost independent of
    how many cravings and moods the journal holds. Queries in insights/store.py repeat this
    WHERE clause word for word so SQLite can use it.
    """
    db.execute(
        "CREATE INDEX entries_lapses ON entries(occurred_at, utc_offset_min) "
        "WHERE deleted_at IS NULL AND (kind = 'use' OR (kind = 'craving' AND outcome = 'used'))"
    )


@steps(name="0004_between_appointments")
def m0004_between_appointments(db: Database) -> None:
    """Between appointments (issue 11): withdrawal checks, the person's own medication list
    with its doses taken/skipped and schedule changes, appointments, decisional balances.

    Times are UTC text plus the offset lived in. ``medication_events`` holds the schedule
    history too (kind 'schedule' / 'stopped'), so adherence over a fortnight uses the schedule
    that was in force on each day.
    """
    symptoms = (
        "anxiety",
        "restlessness",
        "sweating",
        "tremor",
        "nausea",
        "diarrhoea",
        "aches",
        "runny_nose",
        "sleep_trouble",
        "craving",
    )  # each 0-3, NULL: not asked
    columns: dict[str, type] = {"id": int, "uuid": str, "occurred_at": str, "utc_offset_min": int}
    columns.update(dict.fromkeys(symptoms, int))
    columns.update(
        {
            "total": int,  # sum of the answered symptoms, 0-30
            "answered": int,  # how many symptoms were answered
            "red_flags": str,  # JSON list of red-flag ids (data/withdrawal.toml), '[]' when none
            "substance": str,
            "note": str,
            "created_at": str,
            "updated_at": str,
            "deleted_at": str,
        }
    )
    db.table("withdrawal_checks").create(
        columns,
        pk="id",
        not_null={"uuid", "occurred_at", "utc_offset_min", "total", "answered", "red_flags"}
        | {"created_at", "updated_at"},
    )
    db.table("withdrawal_checks").create_index(["uuid"], unique=True)
    db.table("withdrawal_checks").create_index(["occurred_at"])

    db.table("medications").create(
        {
            "id": int,
            "uuid": str,
            "name": str,
            "key": str,  # folded name, for look-ups
            "dose": str,  # as prescribed, the person's own words (never checked)
            "schedule": str,  # as prescribed, free text ("twice a day with food")
            "prescriber": str,
            "start_date": str,  # YYYY-MM-DD, as the person gives it
            "note": str,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        not_null={"uuid", "name", "key", "created_at", "updated_at"},
    )
    db.table("medications").create_index(["uuid"], unique=True)
    db.table("medications").create_index(["key"])

    db.table("medication_events").create(
        {
            "id": int,
            "uuid": str,
            "medication_id": int,
            "kind": str,  # taken | skipped | schedule | stopped
            "occurred_at": str,  # UTC: when taken/skipped, or when the schedule took effect
            "utc_offset_min": int,
            "times": str,  # schedule: local times of day "08:00,20:00" ('' = as needed)
            "reason": str,  # skipped: why (the person's words)
            "created_at": str,
        },
        pk="id",
        foreign_keys=[("medication_id", "medications", "id")],
        not_null={"uuid", "medication_id", "kind", "occurred_at", "utc_offset_min", "created_at"},
    )
    db.table("medication_events").create_index(["uuid"], unique=True)
    db.table("medication_events").create_index(["medication_id", "occurred_at"])
    db.table("medication_events").create_index(["occurred_at"])

    db.table("appointments").create(
        {
            "id": int,
            "uuid": str,
            "kind": str,  # therapy | group | family | doctor | mat | peer | other
            # UTC: when it is (or was). Not a TIME_COLUMNS name on purpose: appointments are
            # exported whole (future ones too), not cut at the export's end.
            "starts_at": str,
            "utc_offset_min": int,
            "title": str,  # with whom / what, the person's words
            "place": str,
            "status": str,  # planned | attended | missed | cancelled
            "note": str,
            "created_at": str,
            "updated_at": str,
            "deleted_at": str,
        },
        pk="id",
        not_null={"uuid", "kind", "starts_at", "utc_offset_min", "status", "created_at"}
        | {"updated_at"},
    )
    db.table("appointments").create_index(["uuid"], unique=True)
    db.table("appointments").create_index(["starts_at"])

    db.table("decisional_balance").create(
        {
            "id": int,
            "uuid": str,
            "occurred_at": str,
            "utc_offset_min": int,
            "substance": str,
            "using_good": str,  # JSON lists of the person's own short lines
            "using_bad": str,
            "not_using_good": str,
            "not_using_bad": str,
            "importance": int,  # 0-10: how important a change is
            "confidence": int,  # 0-10: how confident they are they can make it
            "note": str,
            "created_at": str,
        },
        pk="id",
        not_null={"uuid", "occurred_at", "utc_offset_min", "using_good", "using_bad"}
        | {"not_using_good", "not_using_bad", "created_at"},
    )
    db.table("decisional_balance").create_index(["uuid"], unique=True)
    db.table("decisional_balance").create_index(["occurred_at"])


@steps(name="0005_exercise_sessions")
def m0005_exercise_sessions(db: Database) -> None:
    """Breathing, mindfulness and urge-surfing sessions (`relapse breathe`), with the urge and
    mood before and after so the summary can show how much each exercise helps."""
    db.table("exercise_sessions").create(
        {
            "id": int,
            "uuid": str,
            "exercise": str,  # box | 478 | paced | sigh | sober | urge | body
            "started_at": str,  # UTC, ISO 8601 with Z
            "utc_offset_min": int,
            "planned_s": float,  # planned length; NULL for urge surfing (person-paced)
            "actual_s": float,  # how long it ran
            "cycles": int,  # whole breathing cycles, guided steps, or urge ratings
            "completed": int,  # 1 ran to its end (or the person finished it); 0 stopped early
            "end_reason": str,  # finished | stopped | settled | done | time_limit
            "pattern": str,  # the timing used, e.g. "in 4, out 6" (paced overrides)
            "urge_before": int,  # 0-10
            "urge_after": int,  # 0-10
            "mood_before": int,  # 0-10
            "mood_after": int,  # 0-10
            "ratings": str,  # urge surfing: JSON list of [seconds from start, urge 0-10]
            "created_at": str,
        },
        pk="id",
        not_null={
            "uuid",
            "exercise",
            "started_at",
            "utc_offset_min",
            "actual_s",
            "cycles",
            "completed",
            "created_at",
        },
        defaults={"cycles": 0, "completed": 0},
    )
    db.table("exercise_sessions").create_index(["uuid"], unique=True)
    db.table("exercise_sessions").create_index(["started_at"])
    db.table("exercise_sessions").create_index(["exercise", "started_at"])


@steps(name="0006_plan_items")
def m0006_plan_items(db: Database) -> None:
    """The relapse-prevention plan and crisis safety plan (`relapse plan`), one row per item.

    ``section`` is a key of plan/model/plan.py SECTIONS; the structured columns are used by the
    sections that need them (people: name/phone/best_times; high_risk: response; warning
    signs: category; safety_steps: step 1-6). Removing sets ``deleted_at`` so an older export
    cannot bring an item back on import.
    """
    db.table("plan_items").create(
        {
            "id": int,
            "uuid": str,
            "section": str,
            "position": int,  # order within the section, from 1
            "text": str,
            "category": str,  # warning_signs: emotional | mental | physical
            "response": str,  # high_risk: what I will do
            "name": str,  # people / professionals
            "phone": str,
            "best_times": str,
            "step": int,  # safety_steps: 1-6
            "created_at": str,  # UTC, ISO 8601 with Z
            "updated_at": str,
            "deleted_at": str,
        },
        pk="id",
        not_null={"uuid", "section", "position", "text", "created_at", "updated_at"},
        defaults={"text": ""},
    )
    db.table("plan_items").create_index(["uuid"], unique=True)
    db.table("plan_items").create_index(["section", "position"])


@steps(name="0007_checkins_screenings")
def m0007_checkins_screenings(db: Database) -> None:
    """Daily check-ins and screener results (`relapse checkin`, `checkin phq9|gad7|pacs`).

    A check-in's answers are all optional (NULL: skipped, never "no"). ``local_date`` is the
    person's own day of the check-in, so "one a day" holds across travel. A screening is saved
    only complete: every scored answer (``answers``, a JSON list in item order), its total
    and band; ``item9`` and ``difficulty`` are PHQ-9's ninth and tenth (unscored) answers.
    """
    db.table("checkins").create(
        {
            "id": int,
            "uuid": str,
            "occurred_at": str,  # UTC, ISO 8601 with Z
            "utc_offset_min": int,
            "local_date": str,  # YYYY-MM-DD, the person's day
            "mood": int,  # 0-10
            "anxiety": int,  # 0-10
            "sleep_hours": float,  # 0-24
            "sleep_quality": int,  # 0 (very poor) - 10 (very good)
            "hungry": int,  # HALT: 1 yes, 0 no, NULL skipped
            "angry": int,
            "lonely": int,
            "tired": int,
            "medication": str,  # taken as prescribed: yes | no | na
            "support": str,  # meeting,therapy,peer (comma-joined) | none
            "note": str,
            "created_at": str,
            "updated_at": str,  # a replaced check-in keeps its uuid, newer updated_at
            "deleted_at": str,
        },
        pk="id",
        not_null={
            "uuid",
            "occurred_at",
            "utc_offset_min",
            "local_date",
            "created_at",
            "updated_at",
        },
    )
    db.table("checkins").create_index(["uuid"], unique=True)
    db.table("checkins").create_index(["local_date"])
    db.table("checkins").create_index(["occurred_at"])
    db.table("screenings").create(
        {
            "id": int,
            "uuid": str,
            "instrument": str,  # phq9 | gad7 | pacs
            "taken_at": str,  # UTC, ISO 8601 with Z
            "utc_offset_min": int,
            "answers": str,  # JSON list of the scored answers, in item order
            "total": int,
            "band": str,
            "item9": int,  # PHQ-9 item 9 (thoughts of self-harm), 0-3
            "difficulty": int,  # PHQ-9 tenth question, 0-3, unscored; NULL if not asked
            "substance": str,  # PACS: what the wording was about (NULL: alcohol)
            "created_at": str,
            "deleted_at": str,
        },
        pk="id",
        not_null={
            "uuid",
            "instrument",
            "taken_at",
            "utc_offset_min",
            "answers",
            "total",
            "created_at",
        },
    )
    db.table("screenings").create_index(["uuid"], unique=True)
    db.table("screenings").create_index(["instrument", "taken_at"])
    db.table("screenings").create_index(["taken_at"])


@steps(name="0008_thought_records")
def m0008_thought_records(db: Database) -> None:
    """CBT thought records (`relapse think`), drafts included, one row each.

    Lists and ratings are readable JSON text: moods / moods_after ``{"anxious": 80}`` (0-100,
    in the order named), thoughts / evidence_for / evidence_against ``["..."]``, traps
    ``["relief", "catastrophizing"]`` (keys of data/traps.toml; NULL not asked yet, [] none).
    """
    db.table("thought_records").create(
        {
            "id": int,
            "uuid": str,
            "occurred_at": str,  # UTC, ISO 8601 with Z: when the record was started
            "utc_offset_min": int,
            "status": str,  # draft | complete
            "entry_uuid": str,  # the craving or use that prompted it (NULL: none)
            "situation": str,
            "moods": str,  # JSON {"name": 0-100}
            "thoughts": str,  # JSON ["..."]
            "hot_index": int,  # which thought is the hot one, 1-based (as --hot N)
            "traps": str,  # JSON ["key", ...]
            "evidence_for": str,  # JSON ["..."]
            "evidence_against": str,  # JSON ["..."]
            "balanced_thought": str,
            "belief": int,  # how much the balanced thought is believed, 0-100
            "moods_after": str,  # JSON {"name": 0-100}, moods re-rated at the end
            "next_step": str,
            "created_at": str,
            "updated_at": str,
            "deleted_at": str,
        },
        pk="id",
        not_null={
            "uuid",
            "occurred_at",
            "utc_offset_min",
            "status",
            "created_at",
            "updated_at",
        },
        defaults={"status": "draft"},
    )
    db.table("thought_records").create_index(["uuid"], unique=True)
    db.table("thought_records").create_index(["status", "occurred_at"])
    db.table("thought_records").create_index(["occurred_at"])
    db.table("thought_records").create_index(["entry_uuid"])


@steps(name="0009_homework")
def m0009_homework(db: Database) -> None:
    """Counselor homework (`relapse homework`): assignments, values of their custom trackers
    (`relapse log NAME VALUE`) and answers to their reflection prompts.

    An assignment keeps the file it came from (``source``) and its checked form with its tasks
    (``spec``, JSON), so it is shown and exported as the counselor wrote it; ``trackers`` lists
    its tracker names (",pain,exercise,") for the `relapse log` lookup. ``loaded_date`` is the
    person's local day of loading: counting starts on the later of it and ``start_date``.
    Progress is never stored: it is computed from the journal each time. Values and answers
    name their assignment by uuid and the task by its id in the file (no integer key), so an
    assignment travels whole in an export and its values by period.
    """
    db.table("homework").create(
        {
            "id": int,
            "uuid": str,
            "title": str,
            "assigned_by_name": str,
            "assigned_by_service": str,
            "assigned_by_contact": str,
            "message": str,
            "start_date": str,  # YYYY-MM-DD
            "due_date": str,  # YYYY-MM-DD, the last day counted
            "source": str,  # the TOML file as loaded
            "spec": str,  # JSON: the checked assignment, tasks included
            "trackers": str,  # ",pain,exercise," (tracker names), or NULL
            "source_sha256": str,  # the same file loaded twice is refused
            "loaded_at": str,  # UTC, ISO 8601 with Z
            "utc_offset_min": int,
            "loaded_date": str,  # YYYY-MM-DD, local
            "archived_at": str,  # UTC; archived assignments leave the active list
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        not_null={
            "uuid",
            "title",
            "start_date",
            "due_date",
            "source",
            "spec",
            "source_sha256",
            "loaded_at",
            "utc_offset_min",
            "loaded_date",
            "created_at",
            "updated_at",
        },
    )
    db.table("homework").create_index(["uuid"], unique=True)
    db.table("homework").create_index(["source_sha256"])
    db.table("tracker_values").create(
        {
            "id": int,
            "uuid": str,
            "homework_uuid": str,  # the assignment whose scale it was logged on
            "task_key": str,  # the tracker task's id in that file
            "tracker": str,  # its name: an assignment counts every value of this name
            "value": float,
            "occurred_at": str,  # UTC, ISO 8601 with Z
            "utc_offset_min": int,
            "note": str,
            "created_at": str,
        },
        pk="id",
        not_null={
            "uuid",
            "homework_uuid",
            "task_key",
            "tracker",
            "value",
            "occurred_at",
            "utc_offset_min",
            "created_at",
        },
    )
    db.table("tracker_values").create_index(["uuid"], unique=True)
    db.table("tracker_values").create_index(["tracker", "occurred_at"])
    db.table("reflection_answers").create(
        {
            "id": int,
            "uuid": str,
            "homework_uuid": str,
            "task_key": str,  # the reflection task's id in that file
            "answer": str,
            "answered_at": str,  # UTC, ISO 8601 with Z
            "utc_offset_min": int,
            "created_at": str,
            "updated_at": str,  # answering again replaces the text, newer updated_at
        },
        pk="id",
        not_null={
            "uuid",
            "homework_uuid",
            "task_key",
            "answer",
            "answered_at",
            "utc_offset_min",
            "created_at",
            "updated_at",
        },
    )
    db.table("reflection_answers").create_index(["uuid"], unique=True)
    db.table("reflection_answers").create_index(["homework_uuid", "task_key"], unique=True)


# domain/rules.RULES as step 0010 enforces them, frozen here because a shipped step never
# changes (tests/test_rules.py::test_the_schema_checks_are_todays_rules says when the rules
# have moved on and a new step is due).
RULES_0010: dict[str, dict] = {
    "appointments": {
        "kind": ("therapy", "group", "family", "doctor", "mat", "peer", "other"),
        "status": ("planned", "attended", "missed", "cancelled"),
    },
    "checkins": {
        "angry": (0, 1),
        "anxiety": (0, 10),
        "hungry": (0, 1),
        "lonely": (0, 1),
        "medication": ("yes", "no", "na"),
        "mood": (0, 10),
        "sleep_hours": (0, 24),
        "sleep_quality": (0, 10),
        "tired": (0, 1),
    },
    "decisional_balance": {"confidence": (0, 10), "importance": (0, 10)},
    "entries": {
        "amount": (0, 1000),
        "anxiety": (0, 10),
        "duration_min": (0, 1440),
        "energy": (0, 10),
        "intensity": (0, 10),
        "intensity_after": (0, 10),
        "kind": ("craving", "mood", "trigger", "use"),
        "mood": (0, 10),
        "outcome": ("resisted", "used", "ongoing"),
        "sleep_hours": (0, 24),
    },
    "exercise_sessions": {
        "completed": (0, 1),
        "mood_after": (0, 10),
        "mood_before": (0, 10),
        "urge_after": (0, 10),
        "urge_before": (0, 10),
    },
    "plan_items": {
        "section": (
            "warning_signs",
            "high_risk",
            "coping",
            "reasons",
            "people",
            "professionals",
            "safe_places",
            "if_lapse",
            "safety_steps",
            "matters_most",
        )
    },
    "screenings": {"instrument": ("phq9", "gad7", "pacs"), "total": (0, 10000)},
    "thought_records": {"belief": (0, 100), "status": ("draft", "complete")},
    "withdrawal_checks": {
        "aches": (0, 3),
        "answered": (0, 10),
        "anxiety": (0, 3),
        "craving": (0, 3),
        "diarrhoea": (0, 3),
        "nausea": (0, 3),
        "restlessness": (0, 3),
        "runny_nose": (0, 3),
        "sleep_trouble": (0, 3),
        "sweating": (0, 3),
        "total": (0, 30),
        "tremor": (0, 3),
    },
}


@steps(name="0010_value_rules")
def m0010_value_rules(db: Database) -> None:
    """CHECK constraints for the value rules (enums, ranges, UTC times, days, offsets), so a
    row written by another tool (sqlite-utils, Datasette) cannot break the app. Existing rows
    are kept as they are; ``relapse doctor`` names any that break a rule."""
    from relapse_cli.storage.checks import add_constraints

    add_constraints(db.conn, RULES_0010)


@steps(name="0011_journal_identity")
def m0011_journal_identity(db: Database) -> None:
    """A stable random id for this journal (issue 18), written into every JSON export's
    header so a counselor's ``relapse review DIR`` can tell two exports of one person (a
    series) from two people who share a name. Random (uuid4), so it says nothing about the
    person; one row, made here for a new journal and for an older one alike. The leading
    underscore keeps it out of exports' tables (journal/portable.py): an import never copies
    another journal's id."""
    from relapse_cli.core.ids import new_uuid

    db.table("_journal_identity").create({"id": str}, pk="id", not_null={"id"})
    db.table("_journal_identity").insert({"id": new_uuid()})


def migrate(con: sqlite3.Connection, path: str, *, from_version: int) -> None:
    """Bring the journal to SCHEMA_VERSION in one transaction, after copying it aside.

    The copy (``journal.db.v<N>.bak``, 0600) is made only when there is data to protect.
    BEGIN IMMEDIATE serialises two processes that open a new journal at the same moment.
    """
    if from_version > 0:
        backup_copy(con, f"{path}.v{from_version}.bak")
    con.execute("BEGIN IMMEDIATE")
    try:
        current = con.execute("PRAGMA user_version").fetchone()[0]
        if current < SCHEMA_VERSION:
            db = Database(con)
            steps.apply(db)
            con.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def backup_copy(con: sqlite3.Connection, target: str) -> None:
    """A consistent copy through SQLite's backup API, private from the first byte, as one
    self-contained file (no -wal beside it): before a migration, for `relapse backup` and
    before a restore (storage/maintenance.py). A locked journal is copied encrypted (same
    passphrase), never in plaintext.
    """
    from relapse_cli.storage.locked import is_encrypted

    old = os.umask(0o077)
    if is_encrypted(con):
        from relapse_cli.storage.locked import encrypted_copy

        try:
            encrypted_copy(con, target)
        finally:
            os.umask(old)
        return
    try:
        dest = sqlite3.connect(target)
        try:
            con.backup(dest)
            dest.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        finally:
            dest.close()
        os.chmod(target, 0o600)
    finally:
        os.umask(old)
