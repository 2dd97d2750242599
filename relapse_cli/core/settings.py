"""Personal settings in a small TOML file beside the journal (country, substances, ...).

TOML so a person can read and edit it; validated on every load so a typo is one clear line.
"""

from __future__ import annotations

import os
from datetime import date

from relapse_cli.core.errors import BadInput, EnvironmentFault
from relapse_cli.core.paths import settings_path

# key -> (description, example); the order is the order `relapse config` shows.
KEYS: dict[str, tuple[str, str]] = {
    "country": ("two-letter country code, picks the crisis lines shown", "US"),
    "substances": ("substances or behaviours in focus, comma-separated", "alcohol, cannabis"),
    "recovery_start": ("the date your recovery (this stretch) began", "2026-09-01"),
    "name": ("what the tool calls you", "Sam"),
    "sos_mirror": ("keep a plain copy of your plan beside the journal for relapse sos", "off"),
    "screen_reader": ("plain lines for screen readers: no boxes, charts in words", "on"),
}


def _toml_load(text: str) -> dict:
    from relapse_cli.core.tomlread import loads

    return loads(text)


def load_settings(journal: str) -> dict[str, object]:
    """The settings for this journal ({} when none yet); a broken file is an environment fault."""
    path = settings_path(journal)
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise EnvironmentFault(f"cannot read settings {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise EnvironmentFault(
            f"settings file {path} is not UTF-8 text",
            "fix it in an editor, or remove it and set again with relapse config",
        ) from None
    try:
        data = _toml_load(text)
    except ValueError as exc:
        raise EnvironmentFault(f"settings file {path} is not valid TOML: {exc}") from None
    clean: dict[str, object] = {}
    for key, value in data.items():
        if key in KEYS:
            try:
                clean[key] = parse_value(
                    key, value if not isinstance(value, list) else ", ".join(map(str, value))
                )
            except BadInput as exc:
                raise EnvironmentFault(f"settings file {path}: {exc.message}") from None
    return clean


def parse_value(key: str, raw: object) -> object:
    """Check one setting as typed by the person; returns the value to store."""
    if key not in KEYS:
        raise BadInput(f"unknown setting {key!r}", "settings: " + ", ".join(KEYS))
    text = str(raw).strip()
    if key == "country":
        if len(text) != 2 or not text.isascii() or not text.isalpha():
            raise BadInput(f"country must be a two-letter code like US, GB, AU, not {text!r}")
        return text.upper()
    if key == "substances":
        from relapse_cli.log.model.entries import split_names

        return [n.lower() for n in split_names([text], "substance")]
    if key == "sos_mirror":
        word = text.lower()
        if word not in ("on", "off", "true", "false", "yes", "no"):
            raise BadInput(f"sos_mirror is on or off, not {text!r}", "e.g. relapse plan mirror off")
        return word in ("on", "true", "yes")
    if key == "screen_reader":
        word = text.lower()
        if word not in ("on", "off", "true", "false", "yes", "no"):
            raise BadInput(
                f"screen_reader is on or off, not {text!r}", "e.g. relapse config screen_reader on"
            )
        return word in ("on", "true", "yes")
    if key == "recovery_start":
        try:
            day = date.fromisoformat(text)
        except ValueError:
            raise BadInput(f"recovery start must be a date like 2026-09-01, not {text!r}") from None
        if day > date.today():
            raise BadInput("recovery start cannot be in the future")
        return day.isoformat()
    from relapse_cli.log.model.entries import clean_name

    return clean_name(text, "display")


def save_settings(journal: str, settings: dict[str, object]) -> str:
    """Write atomically (temp file + rename), 0600, so a crash never leaves half a file."""
    import tomli_w

    from relapse_cli.core.errors import EnvironmentFault
    from relapse_cli.core.files import ensure_private_dir, private_file

    path = settings_path(journal)
    ensure_private_dir(os.path.dirname(path))
    text = tomli_w.dumps({k: settings[k] for k in KEYS if k in settings})
    try:  # temp file, fsync, rename; a failed write (a full disk) removes the temp file
        with private_file(path) as fh:
            fh.write(text.encode("utf-8"))
    except OSError as exc:
        raise EnvironmentFault(
            f"cannot write the settings at {path}: {exc.strerror}", "the settings were not changed"
        ) from None
    return path
