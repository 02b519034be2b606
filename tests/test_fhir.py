"""The FHIR R4 Bundle a clinic can file: valid R4 (official schema) and R4B (models), stable ids,
every logged day, sides told apart by code, and everything the person logged in its own resource."""

from __future__ import annotations

import json
import uuid

from fhir.resources.R4B.bundle import Bundle
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skinlog.domain.entry import EVENTS
from skinlog.domain.regions import REGIONS, TEXT_ONLY
from skinlog.services.export import SNOMED_CODES, _Ids, gather, render
from skinlog.storage import Journal
from tests.fhir_r4 import r4_errors
from tests.helpers import PINNED_TODAY
from tests.strategies import journals, write_journal

LEFT, RIGHT = "7771000", "24028007"
LATERALITY_URL = "http://hl7.org/fhir/StructureDefinition/observation-structureLaterality"


def fhir(cli, db, *args):
    result = cli("export", "--format", "fhir", *args, db=db)
    assert result.code == 0, result.err
    return json.loads(result.out)


def resources(bundle, kind=None):
    found = [e["resource"] for e in bundle["entry"]]
    return [r for r in found if kind is None or r["resourceType"] == kind]


def code_of(resource, system="urn:skinlog:fhir:code"):
    return next(c["code"] for c in resource["code"]["coding"] if c["system"] == system)


def test_demo_bundle_is_valid_r4_and_r4b(cli, demo):
    bundle = fhir(cli, demo, "--name", "A. Person")
    assert r4_errors(bundle) == []
    Bundle.model_validate(bundle)
    assert bundle["type"] == "collection"
    (patient,) = resources(bundle, "Patient")
    assert patient["name"] == [{"text": "A. Person"}]


def test_the_r4_check_catches_a_broken_resource(cli, demo):
    bundle = fhir(cli, demo)
    resources(bundle, "Observation")[0]["status"] = "done"  # not an R4 observation status
    assert r4_errors(bundle)


def test_two_exports_of_one_journal_share_every_resource_id_but_the_bundles(cli, demo):
    first, second = fhir(cli, demo), fhir(cli, demo)
    assert [r["id"] for r in resources(first)] == [r["id"] for r in resources(second)]
    assert [e["fullUrl"] for e in first["entry"]] == [e["fullUrl"] for e in second["entry"]]
    assert first["id"] != second["id"]
    ids = [r["id"] for r in resources(first)]
    assert len(set(ids)) == len(ids)


def test_every_resource_has_an_identifier_in_the_journals_system(cli, demo):
    bundle = fhir(cli, demo)
    journal_id = Journal(demo).journal_id()
    (patient,) = resources(bundle, "Patient")
    assert "name" not in patient  # nothing personal unless asked
    for resource in resources(bundle):
        (identifier,) = resource["identifier"]
        assert identifier["system"] == f"urn:skinlog:journal:{journal_id}" and identifier["value"]
    values = [r["identifier"][0]["value"] for r in resources(bundle)]
    assert len(set(values)) == len(values)


def test_every_logged_day_has_a_daily_total_zero_days_included(cli, tmp_path):
    db = tmp_path / "j.json"
    for args in (
        ["--date", "2025-03-01", "cheek-l=2", "nose=1"],
        ["--date", "2025-03-02", "nose=0"],
        ["--date", "2025-03-04", "nose=0", "--redness", "2", "--picked"],
    ):
        assert cli("add", *args, db=db).code == 0
    bundle = fhir(cli, db)
    totals = [r for r in resources(bundle, "Observation") if code_of(r) == "milia-count-total"]
    assert [(t["effectiveDateTime"], t["valueQuantity"]["value"]) for t in totals] == [
        ("2025-03-01", 3),
        ("2025-03-02", 0),
        ("2025-03-04", 0),
    ]
    by_url = {e["fullUrl"]: e["resource"] for e in bundle["entry"]}
    members = [by_url[m["reference"]] for m in totals[0]["hasMember"]]
    assert sorted(m["bodySite"]["text"] for m in members) == ["Left cheek", "Nose"]
    assert sum(m["valueQuantity"]["value"] for m in members) == 3
    assert all(m["effectiveDateTime"] == "2025-03-01" for m in members)
    assert "hasMember" not in totals[1]
    (patient,) = resources(bundle, "Patient")
    for total in totals:
        assert total["status"] == "final"
        assert total["performer"] == [{"reference": f"urn:uuid:{patient['id']}"}]
        assert (
            total["category"][0]["coding"][0]["system"]
            == "http://terminology.hl7.org/CodeSystem/observation-category"
        )
        assert total["valueQuantity"] == {
            "value": total["valueQuantity"]["value"],
            "unit": "count",
            "system": "http://unitsofmeasure.org",
            "code": "{count}",
        }
        assert {c["code"] for c in total["code"]["coding"]} == {"milia-count-total", "254679001"}
    assert r4_errors(bundle) == []


def test_left_and_right_cheek_differ_by_code(cli, tmp_path):
    db = tmp_path / "j.json"
    assert cli("add", "--date", "2025-03-01", "cheek-l=2", "cheek-r=5", "forehead=1", db=db).code == 0
    regions = {
        r["bodySite"]["text"]: r["bodySite"]
        for r in resources(fhir(cli, db), "Observation")
        if "bodySite" in r
    }

    def coded(site):
        sides = [
            c["code"]
            for x in site.get("extension", [])
            if x["url"] == LATERALITY_URL
            for c in x["valueCodeableConcept"]["coding"]
        ]
        return [c["code"] for c in site.get("coding", [])], sides

    assert coded(regions["Left cheek"]) == (["60819002"], [LEFT])
    assert coded(regions["Right cheek"]) == (["60819002"], [RIGHT])
    assert coded(regions["Forehead"]) == (["52795006"], [])


def test_the_snomed_codes_used_are_the_ones_checked_and_each_says_where_it_came_from():
    used = [*SNOMED_CODES.values(), *(r.site for r in REGIONS if r.site is not TEXT_ONLY)]
    known = {c.code for c in used}
    assert {LEFT, RIGHT, "254679001", "450721000"} <= known and "78277001" not in known
    assert all(c.source for c in used)


def test_note_symptoms_picking_events_procedure_and_products_get_their_own_resources(cli, tmp_path):
    db = tmp_path / "j.json"
    steps = [
        ["--date", "2025-03-01", "cheek-l=2", "-p", "Retinol", "--note", "Started retinol"],
        [
            "--date",
            "2025-03-02",
            "cheek-l=3",
            "-p",
            "Retinol",
            "-p",
            "Eye cream",
            "--itch",
            "2",
            "--picked",
            "--event",
            "steroid_cream",
            "--event",
            "burn",
        ],
        ["--date", "2025-03-05", "cheek-l=1", "-p", "Retinol", "--procedure", "extraction"],
    ]
    for args in steps:
        assert cli("add", *args, db=db).code == 0, args
    bundle = fhir(cli, db)
    observations = resources(bundle, "Observation")
    notes = {o["effectiveDateTime"]: o.get("note") for o in observations if code_of(o) == "milia-count-total"}
    assert notes == {"2025-03-01": [{"text": "Started retinol"}], "2025-03-02": None, "2025-03-05": None}
    assert all("note" not in o for o in observations if code_of(o) != "milia-count-total")
    (itch,) = [o for o in observations if code_of(o) == "itch"]
    assert (itch["effectiveDateTime"], itch["valueInteger"]) == ("2025-03-02", 2)
    assert not [o for o in observations if code_of(o) in ("redness", "pain")]  # none logged
    (picked,) = [o for o in observations if code_of(o) == "picked"]
    assert (picked["effectiveDateTime"], picked["valueBoolean"]) == ("2025-03-02", True)
    events = [o for o in observations if code_of(o) == "secondary-milia-event"]
    assert sorted(e["valueCodeableConcept"]["coding"][0]["code"] for e in events) == ["burn", "steroid_cream"]
    (procedure,) = resources(bundle, "Procedure")
    assert procedure["performedDateTime"] == "2025-03-05" and procedure["status"] == "completed"
    assert procedure["code"]["coding"][0]["code"] == "extraction"
    statements = {s["medicationCodeableConcept"]["text"]: s for s in resources(bundle, "MedicationStatement")}
    assert set(statements) == {"Retinol", "Eye cream"}
    assert statements["Retinol"]["effectivePeriod"] == {"start": "2025-03-01", "end": "2025-03-05"}
    assert statements["Retinol"]["status"] == "active"
    assert statements["Eye cream"]["effectivePeriod"] == {"start": "2025-03-02", "end": "2025-03-02"}
    assert statements["Eye cream"]["status"] == "completed"
    assert "used on 3 of 3 logged days" in statements["Retinol"]["note"][0]["text"]
    assert r4_errors(bundle) == []
    Bundle.model_validate(bundle)


def test_resource_ids_are_uuid5_names_in_the_journals_namespace():
    journal_id = str(uuid.uuid4())
    ids = _Ids(journal_id)
    for key in ("patient", "2025-03-01/total", "product/Crème ✓"):
        assert ids.id(key) == str(uuid.uuid5(uuid.UUID(journal_id), key))


@st.composite
def journals_with_events(draw):
    entries, products, stored = draw(journals(max_entries=25))
    events = st.lists(st.sampled_from(EVENTS), max_size=3, unique=True).map(tuple)
    return [e._replace(events=draw(events)) for e in entries], products, stored


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(journals_with_events())
def test_fhir_of_generated_journals_is_valid_r4_and_r4b(tmp_path_factory, journal):
    path = write_journal(tmp_path_factory.mktemp("j") / "journal.json", journal)
    data = gather(Journal(path), PINNED_TODAY, name="Zoë")
    bundle = json.loads(render("fhir", data))
    assert r4_errors(bundle) == []
    Bundle.model_validate(bundle)
    entries = journal[0]
    totals = [r for r in resources(bundle, "Observation") if code_of(r) == "milia-count-total"]
    assert [t["effectiveDateTime"] for t in totals] == [e.date.isoformat() for e in entries]
    assert [t["valueQuantity"]["value"] for t in totals] == [e.total for e in entries]
    again = json.loads(render("fhir", gather(Journal(path), PINNED_TODAY, name="Zoë")))
    assert [r["id"] for r in resources(again)] == [r["id"] for r in resources(bundle)]


def test_the_streamed_bundle_is_the_exporters_bundle(cli, demo):
    from skinlog.services.export import export_fhir

    data = gather(Journal(demo), PINNED_TODAY)
    streamed, built = json.loads(render("fhir", data)), export_fhir(data)
    assert streamed["entry"] == built["entry"] and len(built["entry"]) > 1000
    assert (
        {k for k in streamed if k != "entry"}
        == {k for k in built if k != "entry"}
        == {"resourceType", "id", "type", "timestamp"}
    )


def test_a_fhir_file_is_written_whole_private_and_not_overwritten_without_force(cli, demo, tmp_path):
    import os
    import stat

    target = tmp_path / "out.fhir.json"
    assert cli("export", "--format", "fhir", "-o", str(target), db=demo).code == 0
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    on_screen = fhir(cli, demo)
    assert [e["fullUrl"] for e in json.loads(target.read_text())["entry"]] == [
        e["fullUrl"] for e in on_screen["entry"]
    ]
    target.write_text("keep me")
    assert cli("export", "--format", "fhir", "-o", str(target), db=demo).code == 1
    assert target.read_text() == "keep me"
    assert cli("export", "--format", "fhir", "-o", str(target), "--force", db=demo).code == 0
    assert len(json.loads(target.read_text())["entry"]) == len(on_screen["entry"])
    assert not [n for n in os.listdir(tmp_path) if n.endswith(".tmp")]


def test_active_flags_are_flag_resources_as_of_the_last_entry(cli, journal_path, monkeypatch):
    from fhir.resources.R4B.flag import Flag

    from tests.test_as_of import EXPORTED, write_stale_journal

    write_stale_journal(journal_path)
    monkeypatch.setenv("SKINLOG_TODAY", EXPORTED)
    bundle = fhir(cli, journal_path)
    assert r4_errors(bundle) == []
    Bundle.model_validate(bundle)
    (patient,) = resources(bundle, "Patient")
    (flag,) = resources(bundle, "Flag")
    Flag.model_validate(flag)
    assert flag["status"] == "active" and flag["period"] == {"start": "2026-01-01"}  # no end: still active
    assert flag["subject"] == {"reference": f"urn:uuid:{patient['id']}"}
    assert flag["category"][0]["coding"][0]["code"] == "clinical" and flag["category"][0]["text"]
    assert code_of(flag, "urn:skinlog:fhir:flag") == "persistent"
    assert flag["code"]["text"] == (
        "[SEE A CLINICIAN] bumps that stay · under-eye L · since 2026-01-01 · as of 2026-07-09"
    )
    assert flag["identifier"][0]["value"] == "flag/persistent/under_eye_left"
    assert flag["id"] == fhir(cli, journal_path)["entry"][1]["resource"]["id"]  # the same in every export
    # --until before the flag reached 26 weeks: the Flag says what was true then
    (early,) = resources(fhir(cli, journal_path, "--until", "2026-03-31"), "Flag")
    assert early["code"]["text"].startswith("[WATCH] bumps that stay") and early["code"]["text"].endswith(
        "as of 2026-03-31"
    )
