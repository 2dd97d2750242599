"""The one declared registry: every command of ``relapse`` and every kind of record it keeps.

Like pip's ``commands_dict``, this is data that names modules instead of importing them, so
reading it costs nothing: ``relapse --help`` lists the commands from ``COMMANDS`` alone, and
running one imports only the module that holds it (``cli/app.py``'s lazy group).

The lists that used to be kept by hand in several places are derived from ``KINDS``:
- ``purge --all``'s tables (``purge_tables``, in ``log/store/entries.py``),
- the everyday words of ``--kinds`` and how a table is shown (``kind_words``, ``shown_words``,
  in ``share/store/portable.py``),
- the import validators per table (``validator_paths``, in ``share/store/portable.py``),
- the dashboard and report sections (``load_sections``: the summary loads the dashboard ones,
  the codecs the report ones, so a codec used without building the app still has every
  section; each kind's ``<pkg>/sections.py``, apart from its Typer command module),
- the order of ``relapse --help`` (the order of ``COMMANDS``).
A test (tests/test_kinds.py) fails when a table with a ``uuid`` column is owned by no kind.

Adding a kind: its migration, its command module (and its sections module if it shows in the
summary or the report), and one ``Kind(...)`` line here (plus its command's line in
``COMMANDS``). Nothing here imports anything: the hot ``relapse log`` path may read it.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not `from typing import`: typing costs the hot path ~2 ms

if TYPE_CHECKING:
    from collections.abc import Callable


class Command:
    """A top-level command: where it lives, and what ``relapse --help`` says of it.

    ``help`` is the first paragraph of the command's own help text (whitespace collapsed):
    Click shortens exactly that for the command list, so the list is drawn without importing
    the module. tests/test_kinds.py holds it equal to the command's real help.
    """

    __slots__ = ("help", "module", "name", "register")

    def __init__(self, name: str, module: str, help: str, register: str = "register") -> None:
        self.name = name
        self.module = module  # dotted path, imported only when the command is run or walked
        self.register = register  # the module's function that adds it to a Typer app
        self.help = help

    def __repr__(self) -> str:
        return f"Command({self.name!r}, {self.module!r})"


class Kind:
    """A kind of record: the tables it owns and what the rest of the tool derives from it."""

    __slots__ = ("commands", "name", "sections", "tables", "validators", "words")

    def __init__(
        self,
        name: str,
        *,
        commands: tuple[str, ...],
        tables: tuple[str, ...],
        words: tuple[tuple[str, str], ...] = (),
        validators: tuple[tuple[str, tuple[str, ...]], ...] = (),
        sections: str | None = None,
    ) -> None:
        self.name = name
        self.commands = commands  # top-level commands that record or show it
        # Owned tables in the order `purge --all` empties them: links before the rows they
        # point to, so foreign keys hold at every step.
        self.tables = tables
        # --kinds words: (word, table or entry kind). The first word for one of the kind's
        # own tables is also how that table is shown in messages ('plan_items' -> 'plan').
        self.words = words
        # Import checks on top of the schema's types: (table, ("module:function", ...)).
        self.validators = validators
        # The module of the kind's dashboard and report sections: its ``register_dashboard()``
        # and ``register_report()`` add them (``load_sections``, one part at a time).
        self.sections = sections

    def __repr__(self) -> str:
        return f"Kind({self.name!r})"


_CHECKS = "relapse_cli.share.store.portable:"

# In the order of `relapse --help`: what a person reaches for in a hard moment first, then the
# daily records, then looking back, then sharing, then housekeeping.
COMMANDS: tuple[Command, ...] = (
    Command("log", "relapse_cli.cli.app", "Log a craving, a mood, a trigger, a lapse or a withdrawal check in one line (or answer questions); a tracker from your homework: relapse log NAME VALUE.", "register_log"),
    Command("sos", "relapse_cli.plan.commands.sos", "For a hard moment: your coping steps, reasons and people to call, crisis lines for your country, and one-key offers (urge surfing, breathing, log the craving). Works even when the journal cannot be opened."),
    Command("checkin", "relapse_cli.checkins.commands", "Daily check-in (mood, anxiety, sleep, HALT, medication, support) and the PHQ-9, GAD-7 and PACS screeners. Alone: the daily check-in."),
    Command("breathe", "relapse_cli.breathing.commands", "Guided breathing, mindfulness and urge surfing; asks your urge before and after."),
    Command("think", "relapse_cli.thoughts.commands", "Write a CBT thought record: catch the thought behind a feeling or an urge and look at it fairly (seven columns, one step at a time). Ctrl-C keeps a draft."),
    Command("plan", "relapse_cli.plan.commands.plan", "Your relapse-prevention and safety plan: show, build, change."),
    Command("summary", "relapse_cli.insights.commands", "Your patterns on one screen: recovery, cravings, when they come, triggers, what works, mood. The last 30 days unless you choose (--week, --month, --all, --since)."),
    Command("trends", "relapse_cli.insights.commands", "Key figures over time, one row per week (last 12) or month (last 12)."),
    Command("history", "relapse_cli.log.commands.history", "Your entries, newest first."),
    Command("show", "relapse_cli.log.commands.history", "One entry in full."),
    Command("edit", "relapse_cli.log.commands.history", "Correct an entry: relapse edit ID --intensity 6 --note 'typo fixed'. Lists given (--trigger, --coped) replace the old ones. Undo with: relapse undo."),
    Command("delete", "relapse_cli.log.commands.history", "Hide an entry or a check-in (it can be brought back: relapse undo)."),
    Command("undo", "relapse_cli.log.commands.history", "Undo the last delete or edit."),
    Command("thoughts", "relapse_cli.thoughts.commands", "Your thought records: list, show one, traps, drafts."),
    Command("traps", "relapse_cli.thoughts.commands", "The thinking traps: what each one is, with an example (Burns; Beck et al.)."),
    Command("triggers", "relapse_cli.log.commands.vocab", "Your triggers: list with counts, add, rename, merge, categorise."),
    Command("coping", "relapse_cli.log.commands.vocab", "Your coping strategies: list with how often they helped, add."),
    Command("withdrawal", "relapse_cli.care.commands.withdrawal_view", "The course of withdrawal over the days (a table and a sparkline of the total), to show your doctor. Log a check with: relapse log withdrawal."),
    Command("meds", "relapse_cli.care.commands.meds", "Your medication list, as prescribed; tick doses; see adherence."),
    Command("appointments", "relapse_cli.care.commands.appointments", "Appointments: therapy, group, family therapy, doctor, MAT clinic, peer support."),
    Command("homework", "relapse_cli.homework.commands.homework", "Homework from your counselor: load a file, see progress computed from your journal, answer reflections, set reminders."),
    Command("remind", "relapse_cli.homework.commands.homework", "Calendar files (.ics) with reminders: --risky (your riskiest times), or --homework and/or --meds (your scheduled doses)."),
    Command("resources", "relapse_cli.care.commands.resources", "Kinds of support to look for (mutual-aid groups, sober living, community services, online and family groups), helplines for your country, and your own local services."),
    Command("export", "relapse_cli.share.commands.share", "Export for a session or another tool: json, csv, md, html (the report), tlfb, fhir."),
    Command("import", "relapse_cli.share.commands.share", "Merge a JSON export into your journal: matched by id, newer edits win, run twice safely."),
    Command("review", "relapse_cli.share.commands.share", "For a counselor: the dashboard of someone's export, or a caseload of many, without touching your journal."),
    Command("config", "relapse_cli.admin.commands.config", "Show or change your settings (country, substances, recovery start date, name)."),
    Command("path", "relapse_cli.admin.commands.config", "Where your journal and settings live."),
    Command("backup", "relapse_cli.admin.commands.maintenance", "Make a consistent copy of your journal (safe while it is in use)."),
    Command("restore", "relapse_cli.admin.commands.maintenance", "Replace your journal with a backup, after checking it; the current one is kept aside."),
    Command("doctor", "relapse_cli.admin.commands.maintenance", "Check the journal: integrity, schema version, permissions, disk space, settings."),
    Command("lock", "relapse_cli.admin.commands.lock", "Encrypt your journal at rest with a passphrase (needs relapse-cli[lock])."),
    Command("unlock", "relapse_cli.admin.commands.lock", "Decrypt your journal back to a plain SQLite file."),
    Command("purge", "relapse_cli.log.commands.history", "Remove entries for good: no undo, and no trace left in the file."),
    Command("demo", "relapse_cli.admin.commands.demo", "Build a realistic 60-day sample journal somewhere throwaway and show it."),
)  # fmt: skip

# In the order `purge --all` empties them and the dashboard and report show their sections.
KINDS: tuple[Kind, ...] = (
    Kind("log", commands=("log", "history", "show", "edit", "delete", "undo", "purge",
                          "triggers", "coping"),
         tables=("entry_triggers", "entry_coping", "actions", "entries", "triggers", "coping"),
         words=(("lapse", "use"),),
         validators=(("entries", (_CHECKS + "_entry_check",)),
                     ("triggers", (_CHECKS + "_vocab_check",)),
                     ("coping", (_CHECKS + "_vocab_check",)))),
    Kind("exports", commands=("export",), tables=("export_sessions",)),
    Kind("thoughts", commands=("think", "thoughts", "traps"), tables=("thought_records",),
         words=(("thoughts", "thought_records"), ("thought", "thought_records")),
         validators=(("thought_records", (_CHECKS + "_thought_check",)),),
         sections="relapse_cli.thoughts.sections"),
    # One sections hook for the care kinds (meds, appointments, withdrawal, balance).
    Kind("meds", commands=("meds",), tables=("medication_events", "medications"),
         words=(("meds", "medication_events"), ("medications", "medication_events"),
                ("medication", "medication_events"), ("doses", "medication_events")),
         sections="relapse_cli.care.sections"),
    Kind("withdrawal", commands=("withdrawal", "log"), tables=("withdrawal_checks",),
         words=(("withdrawal", "withdrawal_checks"),),
         validators=(("withdrawal_checks", (_CHECKS + "_withdrawal_check",)),)),
    Kind("appointments", commands=("appointments",), tables=("appointments",)),
    Kind("balance", commands=("think",), tables=("decisional_balance",),
         words=(("balance", "decisional_balance"),),
         validators=(("decisional_balance", (_CHECKS + "_balance_check",)),)),
    Kind("plan", commands=("plan", "sos"), tables=("plan_items",),
         words=(("plan", "plan_items"),)),
    Kind("breathing", commands=("breathe",), tables=("exercise_sessions",),
         words=(("breathing", "exercise_sessions"), ("exercises", "exercise_sessions"),
                ("exercise", "exercise_sessions")),
         validators=(("exercise_sessions", (_CHECKS + "_exercise_check",)),),
         sections="relapse_cli.breathing.sections"),
    Kind("checkins", commands=("checkin",), tables=("checkins", "screenings"),
         words=(("screeners", "screenings"), ("screener", "screenings")),
         validators=(("checkins", (_CHECKS + "_checkin_check",)),
                     ("screenings", (_CHECKS + "_screening_check",))),
         sections="relapse_cli.checkins.sections"),
    Kind("homework", commands=("homework", "remind", "log"),
         tables=("reflection_answers", "tracker_values", "homework"),
         words=(("trackers", "tracker_values"), ("tracker", "tracker_values"),
                ("reflections", "reflection_answers"), ("reflection", "reflection_answers")),
         sections="relapse_cli.homework.sections"),
)  # fmt: skip

# Tables that hold no person's records: the migration log of sqlite-utils, and the journal's
# random id (storage/identity.py: it names the journal in exports, so a counselor's caseload
# can tell one person's exports apart; it says nothing about the person and is never imported).
INTERNAL_TABLES = ("_sqlite_migrations", "_journal_identity")


def command(name: str) -> Command | None:
    """The registry's entry for a top-level command, or None."""
    for entry in COMMANDS:
        if entry.name == name:
            return entry
    return None


def owner(table: str) -> Kind | None:
    """The kind that owns a table, or None."""
    for kind in KINDS:
        if table in kind.tables:
            return kind
    return None


def purge_tables() -> tuple[str, ...]:
    """Every owned table, in the order ``purge --all`` empties them."""
    return tuple(t for kind in KINDS for t in kind.tables)


def kind_words() -> dict[str, str]:
    """``--kinds`` words for kinds whose table name says it differently: word -> name."""
    return {word: name for kind in KINDS for word, name in kind.words}


def shown_words() -> dict[str, str]:
    """How each table with an everyday word is shown: its kind's first word for it."""
    out: dict[str, str] = {}
    for kind in KINDS:
        for word, name in kind.words:
            if name in kind.tables:
                out.setdefault(name, word)
    return out


def validator_paths() -> dict[str, tuple[str, ...]]:
    """table -> "module:function" import checks, for ``share/store/portable.py`` to resolve."""
    return {table: paths for kind in KINDS for table, paths in kind.validators}


def resolve(path: str) -> Callable[..., object]:
    """The function a "module:function" path names (imported now)."""
    import importlib

    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)


SECTION_PARTS = ("dashboard", "report")
_sections_loaded: set[str] = set()


def load_sections(part: str | None = None) -> None:
    """Add every kind's sections of one part, in registry order, once: ``"dashboard"`` (the
    summary's, ``register_dashboard``) or ``"report"`` (the HTML/Markdown/FHIR codecs',
    ``register_report``); both when ``part`` is None.

    Called by what shows them (the summary, the codecs), so they are there whether or not the
    app was built, and always in the same order; the summary loads no report code and a codec
    no dashboard code.
    """
    for wanted in SECTION_PARTS if part is None else (part,):
        if wanted in _sections_loaded:
            continue
        _sections_loaded.add(wanted)
        seen: set[str] = set()
        for kind in KINDS:
            if kind.sections and kind.sections not in seen:
                seen.add(kind.sections)
                resolve(f"{kind.sections}:register_{wanted}")()
