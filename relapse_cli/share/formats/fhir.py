"""A FHIR R4 (4.0.1) Bundle of type ``collection``, in JSON.

- Cravings: an Observation each, with a local code system (below) for the intensity (0-10),
  and components for the intensity after coping, the outcome, the substance, the triggers
  and the coping strategies.
- Uses: an Observation each with the amount as a Quantity: the unit as the person logged it,
  coded in UCUM (http://unitsofmeasure.org): a unit UCUM has ("mL", "g") by its code, any
  other as a UCUM annotation ("drinks" -> ``{drinks}``, a count of drinks).
- Use days: an Observation per local day and substance with a lapse (effectiveDateTime the
  day), valueQuantity the amount recorded that day or "amount not recorded", and the number
  of lapses as a component: the same figures as the summary, report and TLFB file, by
  domain.use_days' rule (a craving that ended in use and its use entry are one lapse).
- The person: one Patient holding only what they chose to give (the ``name`` setting, or
  nothing but an id), the ``subject`` of every Observation and QuestionnaireResponse (US Core
  and IPS receivers need one). No birth date, sex, address or identifier, ever.
- Screeners (PHQ-9, GAD-7), when the check-in records exist: a QuestionnaireResponse with the
  LOINC-coded items and answers, plus an Observation with the LOINC total score and band.

The local code system lives under ``.invalid``, a top-level domain reserved by RFC 2606, so it
can never collide with a real code system. Parsed in the tests with ``fhir.resources`` 6.1
(whose models are R4 4.0.1). Written entry by entry.
"""

from __future__ import annotations

import io
import itertools
import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, BinaryIO

from relapse_cli.core.ids import new_uuid
from relapse_cli.core.text import json_safe
from relapse_cli.core.timeparse import from_storage, to_storage
from relapse_cli.insights import period
from relapse_cli.share.formats.job import ExportJob

if TYPE_CHECKING:
    import sqlite3

    from relapse_cli.insights.use_days import UseDay

DESCRIPTION = "a FHIR R4 Bundle (JSON): cravings, uses and screeners as Observations of one Patient"
SUFFIX = ".json"
TO_STDOUT = True
LOCAL = "http://relapse-cli.invalid/CodeSystem/journal"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
# Units people log that UCUM has as such (lower-cased as stored -> UCUM code).
UCUM_UNITS = {
    "mg": "mg",
    "g": "g",
    "kg": "kg",
    "ml": "mL",
    "l": "L",
    "cl": "cL",
    "dl": "dL",
    "oz": "[oz_av]",
    "mcg": "ug",
    "ug": "ug",
}
SUBJECT_OF = ("Observation", "QuestionnaireResponse")  # the resources here that take a subject
CATEGORY = {
    "coding": [
        {
            "system": "http://terminology.hl7.org/CodeSystem/observation-category",
            "code": "survey",
            "display": "Survey",
        }
    ]
}


def fhir_time(utc: str, offset: int) -> str:
    return from_storage(utc, offset).isoformat()


def _local(code: str, display: str) -> dict:
    return {"coding": [{"system": LOCAL, "code": code, "display": display}], "text": display}


def _component(code: str, display: str, value: dict) -> dict:
    return {"code": _local(code, display), **value}


def craving(row: sqlite3.Row, notes: bool) -> dict:
    r = row
    comps = []
    if r["intensity_after"] is not None:
        comps.append(
            _component(
                "craving-intensity-after",
                "Craving intensity after coping (0-10)",
                {"valueInteger": r["intensity_after"]},
            )
        )
    if r["outcome"]:
        comps.append(
            _component(
                "craving-outcome",
                "How the craving ended",
                {"valueCodeableConcept": _local(f"outcome-{r['outcome']}", r["outcome"])},
            )
        )
    for code, label, col in (
        ("substance", "Substance", "substance"),
        ("trigger", "Trigger", "trigger_names"),
        ("coping", "Coping strategy", "coping_names"),
        ("location", "Where", "location"),
        ("company", "With whom", "company"),
    ):
        value = r[col]
        if value:
            for part in str(value).split("; ") if col.endswith("_names") else [value]:
                comps.append(_component(code, label, {"valueString": part}))
    obs = _observation(
        r,
        _local("craving-intensity", "Craving intensity (0-10)"),
        {"valueInteger": r["intensity"]},
        notes,
    )
    if comps:
        obs["component"] = comps
    return obs


def use(row: sqlite3.Row, notes: bool) -> dict:
    r = row
    substance = r["substance"] or "substance"
    value: dict = {}
    if r["amount"] is not None:
        value = {"valueQuantity": quantity(r["amount"], r["unit"])}
    else:
        value = {"valueString": "amount not recorded"}
    obs = _observation(r, _local("substance-use", f"Substance use: {substance}"), value, notes)
    obs["component"] = [_component("substance", "Substance", {"valueString": substance})]
    return obs


def use_day(day: UseDay) -> dict:
    """A use day (domain.use_days.UseDay) as an Observation dated by its local day."""
    d = day
    substance = d.substance or "substance"
    if d.amount is not None:
        value: dict = {"valueQuantity": quantity(d.amount, d.unit)}
    else:
        value = {"valueString": "amount not recorded"}
    return {
        "resourceType": "Observation",
        "id": new_uuid(),
        "status": "final",
        "category": [CATEGORY],
        "code": _local("use-day", f"Use day (timeline followback): {substance}"),
        "effectiveDateTime": d.day,
        **value,
        "component": [
            _component("substance", "Substance", {"valueString": substance}),
            _component("lapses", "Lapses that day", {"valueInteger": d.lapses}),
        ],
    }


def _use_days(job: ExportJob) -> Iterator[dict]:
    from relapse_cli.insights.use_days import use_days

    for d in use_days(period.daily_use(job.con, job.since, job.until, job.selection.kinds)):
        yield use_day(d)


def ucum_code(unit: str | None) -> str | None:
    """The UCUM code for a logged unit: UCUM's own where it has one, else an annotation
    ``{unit}`` (UCUM's way to say "a count of these"); None when no valid code can be made."""
    word = (unit or "").strip().lower()
    if not word:
        return "{units}"
    if word in UCUM_UNITS:
        return UCUM_UNITS[word]
    if word.isascii() and word.isprintable() and not set(word) & set("{}"):
        return "{" + word + "}"
    return None


def quantity(amount: float, unit: str | None) -> dict:
    value: dict = {"value": amount, "unit": unit or "units"}
    code = ucum_code(unit)
    if code is not None:
        value |= {"system": UCUM, "code": code}
    return value


def patient(job: ExportJob) -> dict:
    """The person, with only what they chose: the ``name`` setting (else no name at all)."""
    out: dict = {"resourceType": "Patient", "id": new_uuid()}
    name = job.settings.get("name") if isinstance(job.settings, dict) else None
    if isinstance(name, str) and name.strip():
        out["name"] = [{"text": name.strip()}]
    return out


def _observation(r: sqlite3.Row, code: dict, value: dict, notes: bool) -> dict:
    obs = {
        "resourceType": "Observation",
        "id": r["uuid"],
        "status": "final",
        "category": [CATEGORY],
        "code": code,
        "effectiveDateTime": fhir_time(r["occurred_at"], r["utc_offset_min"]),
        **value,
    }
    if notes and r["note"]:
        obs["note"] = [{"text": r["note"]}]
    return obs


def resources(job: ExportJob) -> Iterator[dict]:
    kinds = job.selection.kinds
    for kind, build in (("craving", craving), ("use", use)):
        if kinds is not None and kind not in kinds:
            continue
        for row in period.entries_by_day(job.con, job.since, job.until, [kind]):
            yield build(row, job.notes)
    yield from _use_days(job)
    from relapse_cli.kinds import load_sections
    from relapse_cli.share.formats import sections

    load_sections("report")  # any kind's FHIR builders, whether or not the app was built
    for build_more in sections.FHIR_BUILDERS:
        yield from build_more(job)


def export(job: ExportJob, out: BinaryIO) -> None:
    stamp, offset = to_storage(job.now)
    w = io.TextIOWrapper(out, encoding="utf-8", newline="\n")
    try:
        head = {
            "resourceType": "Bundle",
            "id": new_uuid(),
            "type": "collection",
            "timestamp": fhir_time(stamp, offset),
        }
        w.write(json_safe(json.dumps(head, ensure_ascii=False))[:-1] + ', "entry": [')
        person = patient(job)
        subject = {"reference": f"urn:uuid:{person['id']}"}
        first = True
        for resource in itertools.chain([person], resources(job)):  # still streamed
            if resource["resourceType"] in SUBJECT_OF:
                resource["subject"] = subject
            entry = {"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource}
            w.write(
                ("\n  " if first else ",\n  ") + json_safe(json.dumps(entry, ensure_ascii=False))
            )
            first = False
        w.write("\n]}\n")
        w.flush()
    finally:
        w.detach()


def derived_id(record_uuid: str, what: str) -> str:
    """A stable id for a resource made from a record (the same on every export)."""
    import uuid

    return str(uuid.uuid5(uuid.UUID(record_uuid), what))


def screener_resources(response: dict, instrument: dict) -> list[dict]:
    """A completed screener as a QuestionnaireResponse plus its scored total Observation.

    ``response``: ``uuid``, ``taken_at`` (UTC), ``utc_offset_min``, ``answers`` (0..3 per item,
    in item order), ``total`` and ``band``. ``instrument`` is the packaged instrument data:
    ``name``, ``loinc_panel``, ``loinc_total``, ``items`` (each with ``loinc`` and ``text``)
    and ``answers`` (each with ``value``, ``loinc`` (may be None) and ``text``).
    """
    when = fhir_time(response["taken_at"], response["utc_offset_min"])
    choices = {a["value"]: a for a in instrument["answers"]}
    items = []
    for item, value in zip(instrument["items"], response["answers"], strict=False):
        if value is None:
            continue
        choice = choices.get(value, {"loinc": None, "text": str(value)})
        coding = {"display": choice["text"]}
        if choice.get("loinc"):
            coding = {"system": LOINC, "code": choice["loinc"], "display": choice["text"]}
        items.append(
            {"linkId": item["loinc"], "text": item["text"], "answer": [{"valueCoding": coding}]}
        )
    qr_id = response["uuid"]
    questionnaire = {
        "resourceType": "QuestionnaireResponse",
        "id": qr_id,
        "questionnaire": f"http://loinc.org/q/{instrument['loinc_panel']}",
        "status": "completed",
        "authored": when,
        "item": items,
    }
    total = {
        "resourceType": "Observation",
        "id": derived_id(qr_id, "total"),
        "status": "final",
        "category": [CATEGORY],
        "code": {
            "coding": [
                {
                    "system": LOINC,
                    "code": instrument["loinc_total"],
                    "display": f"{instrument['name']} total score",
                }
            ],
            "text": f"{instrument['name']} total score",
        },
        "effectiveDateTime": when,
        "valueInteger": response["total"],
        "derivedFrom": [{"reference": f"urn:uuid:{qr_id}"}],
    }
    if response.get("band"):
        total["interpretation"] = [{"text": response["band"]}]
        total["note"] = [{"text": "A screening score, not a diagnosis."}]
    return [questionnaire, total]
