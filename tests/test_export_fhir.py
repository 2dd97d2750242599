"""The FHIR bundle's person and units: one Patient with only what the person chose, the
subject of every resource that takes one; amounts coded in UCUM. Parsed by fhir.resources
(R4 4.0.1 models)."""

from __future__ import annotations

import json

import pytest

from relapse_cli.share.formats.fhir import UCUM, ucum_code


def _bundle(cli, tmp_path, *args: str) -> dict:
    out = tmp_path / "b.fhir.json"
    result = cli("export", "-f", "fhir", "-o", str(out), "--force", *args)
    assert result.code == 0, result.err
    from fhir.resources.bundle import Bundle

    Bundle.parse_raw(out.read_text(encoding="utf-8"))  # valid R4, Patient and all
    return json.loads(out.read_text(encoding="utf-8"))


def test_one_patient_with_only_the_chosen_name_is_every_subject(cli, tmp_path, journal):
    assert cli("log", "craving", "6").code == 0
    assert (
        cli("log", "use", "--substance", "alcohol", "--amount", "3", "--unit", "drinks").code == 0
    )
    bundle = _bundle(cli, tmp_path)
    patients = [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"
    ]
    assert len(patients) == 1 and set(patients[0]) == {"resourceType", "id"}  # nothing chosen
    ref = f"urn:uuid:{patients[0]['id']}"
    others = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] != "Patient"]
    assert others and all(r["subject"] == {"reference": ref} for r in others)
    assert cli("config", "name", "Sam").code == 0
    (named,) = [e["resource"] for e in _bundle(cli, tmp_path)["entry"]
                if e["resource"]["resourceType"] == "Patient"]  # fmt: skip
    assert named["name"] == [{"text": "Sam"}]
    assert set(named) == {"resourceType", "id", "name"}  # no birth date, sex, address, ever


def test_amounts_are_ucum_quantities(cli, tmp_path, journal):
    assert (
        cli("log", "use", "--substance", "alcohol", "--amount", "3", "--unit", "drinks").code == 0
    )
    bundle = _bundle(cli, tmp_path)
    # The use itself and its use day (domain.use_days) both carry the amount, both in UCUM.
    amounts = [e["resource"]["valueQuantity"] for e in bundle["entry"]
               if "valueQuantity" in e["resource"]]  # fmt: skip
    assert len(amounts) == 2
    for amount in amounts:
        assert amount == {"value": 3, "unit": "drinks", "system": UCUM, "code": "{drinks}"}


@pytest.mark.parametrize(
    ("unit", "code"),
    [("drinks", "{drinks}"), ("mg", "mg"), ("ML", "mL"), ("oz", "[oz_av]"), (None, "{units}"),
     ("", "{units}"), ("pints", "{pints}"), ("{x}", None), ("ζ", None), ("a\tb", None)],
)  # fmt: skip
def test_ucum_codes(unit, code):
    assert ucum_code(unit) == code
