"""Custom tracker scales from homework: range checks and labels.

Light on purpose (no dataclasses, no typing): `relapse log NAME VALUE` runs through here.
"""

from __future__ import annotations

import math


def number(x: object) -> str:
    """7 or 7.5, never 7.0."""
    if isinstance(x, float) and x == int(x):
        return str(int(x))
    return f"{x:g}" if isinstance(x, float) else str(x)


def span(low: object, high: object) -> str:
    """'0-10', or '-5 to 5' when a minus sign would make the dash unreadable."""
    neg = isinstance(low, (int, float)) and low < 0
    return f"{number(low)} to {number(high)}" if neg else f"{number(low)}-{number(high)}"


def check_value(spec: dict, raw: float) -> float | int:
    """The value as stored, or ValueError with the reason (range, whole numbers)."""
    low, high = spec["min"], spec["max"]
    if math.isnan(raw) or math.isinf(raw):
        raise ValueError("a number is needed")
    if spec.get("integer", True):
        if raw != int(raw):
            raise ValueError(f"whole numbers only, from {number(low)} to {number(high)}")
        raw = int(raw)
    if not low <= raw <= high:
        raise ValueError(f"{number(raw)} is out of range: from {number(low)} to {number(high)}")
    return raw


def label_for(spec: dict, value: float | int) -> str | None:
    """The counselor's label for exactly this value (labels are a scale's anchors)."""
    for key, text in (spec.get("labels") or {}).items():
        if float(key) == float(value):
            return str(text)
    return None


def scale_hint(spec: dict) -> str:
    """'0 = no pain, 5 = moderate, 10 = worst imaginable' (the anchors), or the unit."""
    labels = spec.get("labels") or {}
    if labels:
        points = sorted((float(k), str(v)) for k, v in labels.items())
        return ", ".join(f"{number(at)} = {text}" for at, text in points)
    return str(spec.get("unit") or "")


def scale(spec: dict) -> str:
    """'0-10 (0 = no pain, ..., 10 = worst imaginable)' or '0-300 minutes'."""
    text = span(spec["min"], spec["max"])
    if spec.get("unit"):
        text += f" {spec['unit']}"
    hint = scale_hint(spec) if spec.get("labels") else ""
    return f"{text}; {hint}" if hint else text
