"""Shell completion of option and argument values (``relapse --install-completion``).

Each completer takes what has been typed so far and returns the values that fit. Fixed
vocabularies come from the domain tables that validate them; the person's own words
(triggers, coping strategies, medications) are read from the journal read-only
(``journal/vocab.names_for_completion``), so a Tab press never writes or migrates anything.
Completers only run in a completion process: nothing here is imported on `relapse log`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable


def _fit(values: Iterable[object], incomplete: str) -> list[str]:
    low = incomplete.lower()
    return [str(v) for v in values if str(v).lower().startswith(low)]


def outcomes(incomplete: str) -> list[str]:
    from relapse_cli.log.model.entries import OUTCOMES

    return _fit(OUTCOMES, incomplete)


def formats(incomplete: str) -> list[str]:
    from relapse_cli.share.formats import FORMATS

    return _fit(FORMATS, incomplete)


def exercises(incomplete: str) -> list[str]:
    from relapse_cli.breathing.model import exercises as every

    return _fit(every(), incomplete)


def plan_sections(incomplete: str) -> list[str]:
    from relapse_cli.plan.model.plan import SECTIONS

    return _fit([s.key for s in SECTIONS], incomplete)


def _journal() -> str:
    from relapse_cli.core.paths import journal_path

    return journal_path(None)


def _names(table: str, incomplete: str) -> list[str]:
    from relapse_cli.log.store.vocab import names_for_completion

    # A comma-separated list (-t stress,pay): complete the last word, keep the ones before.
    head, _, last = incomplete.rpartition(",")
    names = names_for_completion(_journal(), table, last.lstrip())
    return [f"{head}," + n if head else n for n in names]


def triggers(incomplete: str) -> list[str]:
    return _names("triggers", incomplete)


def coping(incomplete: str) -> list[str]:
    return _names("coping", incomplete)


def medications(incomplete: str) -> list[str]:
    return _names("medications", incomplete)


# Spec parameters (cli/spec.py) by name -> completer, attached by cli/typer_build.py.
BY_PARAM = {"outcome": outcomes, "triggers": triggers, "coping": coping}
