"""The FHIR bundle's person and units: one Patient with only what the person chose, the
subject of every resource that takes one; amounts coded in UCUM. Parsed by fhir.resources
(R4 4.0.1 models) and validated by FHIR.js against the R4 StructureDefinitions."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from relapse_cli.share.formats.fhir import UCUM, ucum_code

ROOT = Path(__file__).resolve().parent.parent


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


# FHIR.js (npm "fhir", pinned in .ci/a11y with its integrity; .ci/run installs it with npm ci)
# validates against the R4 StructureDefinitions and value sets it ships: a second reader,
# written by other people from the specification, besides the fhir.resources models.
FHIR_JS = ROOT / ".ci" / "a11y" / "node_modules" / "fhir"
VALIDATE_JS = """
const {Fhir} = require(process.argv[1]);
const bundle = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));
const result = new Fhir().validate(bundle, {errorOnUnexpected: true});
console.log(JSON.stringify({valid: result.valid,
                            errors: result.messages.filter(m => m.severity === 'error')}));
"""


def fhir_js(path: Path) -> dict:
    node = shutil.which("node")
    if node is None or not FHIR_JS.exists():
        why = "FHIR.js is not installed: npm ci --prefix .ci/a11y (as .ci/run does)"
        if os.environ.get("CI"):
            pytest.fail(why)
        pytest.skip(why)
    done = subprocess.run([node, "-e", VALIDATE_JS, str(FHIR_JS), str(path)],
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_bundle_is_valid_r4_for_fhir_js(cli, tmp_path, journal):
    for args in (("log", "craving", "7", "-t", "stress", "-c", "walk", "-o", "resisted"),
                 ("log", "mood", "4", "--anxiety", "6", "--sleep", "6.5"),
                 ("log", "use", "-s", "alcohol", "--amount", "3", "--unit", "drinks"),
                 ("checkin", "phq9", "--answers", "1,1,1,1,1,1,1,1,1,1"),
                 ("checkin", "gad7", "--answers", "1,2,1,0,1,0,1"),
                 ("config", "name", "Sam")):  # fmt: skip
        assert cli(*args).code == 0
    bundle = _bundle(cli, tmp_path)
    kinds = {e["resource"]["resourceType"] for e in bundle["entry"]}
    assert {"Patient", "Observation", "QuestionnaireResponse"} <= kinds
    path = tmp_path / "b.fhir.json"
    assert fhir_js(path) == {"valid": True, "errors": []}
    # The check can fail: a status outside its value set and a value of the wrong type.
    observation = next(e["resource"] for e in bundle["entry"]
                       if e["resource"]["resourceType"] == "Observation")  # fmt: skip
    observation["status"] = "maybe"
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(bundle), encoding="utf-8")
    result = fhir_js(broken)
    assert result["valid"] is False
    assert any(e["location"] == "Observation.status" for e in result["errors"])
