"""The options of ``relapse`` itself and of the four ``relapse log`` commands."""

from __future__ import annotations

from relapse_cli.cli.spec import CommandSpec, Param

GLOBAL = CommandSpec(
    "relapse",
    "A private relapse-prevention companion: log cravings, triggers, moods and lapses, work "
    "through urges, and see your own patterns. In a hard moment: relapse sos",
    (
        Param(
            "journal",
            "--journal",
            help="Journal file to use (else $RELAPSE_JOURNAL, else your user data folder).",
            metavar="PATH",
        ),
        Param("debug", "--debug", is_flag=True, help="Show full errors and debug logging."),
    ),
)

_AT = Param(
    "at",
    "--at",
    help='When it happened: "now", "20m ago", "yesterday 18:30", "last night", '
    '"mon 9pm", "2 days ago 18:00", "2026-11-20 07:15". Default: now.',
    metavar="WHEN",
)
_NOTE = Param(
    "note",
    "-n",
    "--note",
    help="A free note ('-' reads it from stdin). Notes typed "
    "as arguments stay in your shell history.",
    metavar="TEXT",
)
_WHERE = Param("location", "-w", "--where", help="Where you were.", metavar="PLACE")
_WITH = Param("company", "--with", help="Who you were with.", metavar="WHO")
_TRIGGERS = Param(
    "triggers",
    "-t",
    "--trigger",
    multiple=True,
    metavar="NAME",
    help="A trigger (repeat, or separate with commas): -t stress -t payday.",
)
_SUBSTANCE = Param(
    "substance",
    "-s",
    "--substance",
    metavar="NAME",
    help="Substance or behaviour, e.g. alcohol, cannabis, gambling.",
)

CRAVING = CommandSpec(
    "craving",
    "Log a craving (urge): how strong, what set it off, what you did, how it ended.",
    (
        Param("intensity", type=int, positional=True, metavar="INTENSITY",
              help="How strong, 0 (none) to 10 (the strongest ever)."),
        _SUBSTANCE, _TRIGGERS, _WHERE, _WITH,
        Param("mood", "-m", "--mood", type=int, metavar="0-10",
              help="Mood at the time, 0 (very low) to 10 (very good)."),
        Param("coping", "-c", "--coped", multiple=True, metavar="WHAT",
              help='What you did to cope (repeatable): --coped "called Sam".'),
        Param("outcome", "-o", "--outcome", metavar="resisted|used|ongoing",
              help="How it ended: resisted, used or ongoing (or r, u, o)."),
        Param("intensity_after", "-a", "--after", type=int, metavar="0-10",
              help="Intensity after coping, 0-10."),
        Param("duration_min", "--minutes", type=int, metavar="N",
              help="How many minutes it lasted."),
        _NOTE, _AT,
    ),
)  # fmt: skip

MOOD = CommandSpec(
    "mood",
    "Log your mood, with anxiety, sleep and energy if you like.",
    (
        Param("mood", type=int, positional=True, metavar="MOOD",
              help="Mood, 0 (very low) to 10 (very good)."),
        Param("anxiety", "--anxiety", type=int, metavar="0-10", help="Anxiety, 0 (none) to 10."),
        Param("sleep_hours", "--sleep-hours", "--sleep", type=float, metavar="HOURS",
              help="Hours slept last night (the same option as in relapse checkin)."),
        Param("energy", "--energy", type=int, metavar="0-10", help="Energy, 0 (none) to 10 (full)."),
        _NOTE, _AT,
    ),
)  # fmt: skip

TRIGGER = CommandSpec(
    "trigger",
    "Log a trigger you met, with or without (or before) a craving.",
    (
        Param("name", positional=True, metavar="TRIGGER",
              help='The trigger, e.g. "walked past the bar" (added to your trigger list).'),
        Param("intensity", "-i", "--intensity", type=int, metavar="0-10",
              help="How strong the pull was, 0-10 (optional)."),
        _TRIGGERS, _WHERE, _WITH, _NOTE, _AT,
    ),
)  # fmt: skip

USE = CommandSpec(
    "use",
    "Log a lapse (a return to use). A lapse is information, not a verdict.",
    (
        _SUBSTANCE,
        Param("amount", "--amount", type=float, metavar="N", help="How much, e.g. 3."),
        Param("unit", "--unit", metavar="UNIT", help="Unit, e.g. drinks (standard drinks), g."),
        _TRIGGERS,
        Param("context", "--context", metavar="TEXT", help="Where, with whom, what was happening."),
        Param("led_up_to", "--led-up-to", metavar="TEXT", help="What led up to it."),
        _NOTE,
        _AT,
    ),
)

# Withdrawal check (issue 11): the ids match relapse_cli/care/model/withdrawal.py and
# data/withdrawal.toml (where the wording and sources live; a test checks they agree).
_SYMPTOM_FLAGS = (
    ("anxiety", "Anxiety, feeling on edge"),
    ("restlessness", "Restlessness"),
    ("sweating", "Sweating, chills or goose bumps"),
    ("tremor", "Tremor (shaky hands)"),
    ("nausea", "Nausea or vomiting"),
    ("diarrhoea", "Diarrhoea or stomach cramps"),
    ("aches", "Aches in muscles or joints"),
    ("runny_nose", "Runny nose, watery eyes, yawning"),
    ("sleep_trouble", "Trouble sleeping"),
    ("craving", "Craving"),
)
_RED_FLAG_FLAGS = (
    ("seizure", "RED FLAG: a seizure (fit)."),
    ("hallucinations", "RED FLAG: seeing or hearing things that are not there."),
    ("confusion", "RED FLAG: confusion or not knowing where you are."),
    ("fever", "RED FLAG: fever."),
    ("chest_pain", "RED FLAG: chest pain."),
    ("no_fluids", "RED FLAG: unable to keep fluids down."),
    ("self_harm", "RED FLAG: thoughts of harming yourself."),
)
WITHDRAWAL = CommandSpec(
    "withdrawal",
    "Log a withdrawal check: symptoms 0 (none) to 3 (severe), and red flags that need urgent "
    "help. No flags on a terminal: a guided form. It never advises on doses.",
    (
        *(
            Param(
                s,
                "--" + s.replace("_", "-"),
                *(("--diarrhea",) if s == "diarrhoea" else ()),
                type=int,
                metavar="0-3",
                help=f"{text}, 0-3.",
            )
            for s, text in _SYMPTOM_FLAGS
        ),
        *(
            Param(f, "--" + f.replace("_", "-"), is_flag=True, help=text)
            for f, text in _RED_FLAG_FLAGS
        ),
        _SUBSTANCE,
        _NOTE,
        _AT,
    ),
)

LOG_COMMANDS = {spec.name: spec for spec in (CRAVING, MOOD, TRIGGER, USE, WITHDRAWAL)}

# `relapse log NAME VALUE`: any other name is a custom tracker from homework (homework/commands/track.py).
TRACKER = CommandSpec(
    "tracker",
    "Log a value of a tracker from your homework: relapse log NAME VALUE.",
    (
        Param("value", type=float, positional=True, metavar="VALUE",
              help="The value, within the tracker's range (see relapse homework)."),
        _NOTE, _AT,
    ),
)  # fmt: skip
