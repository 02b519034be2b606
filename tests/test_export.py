"""Clinician exports: JSON against its shipped schema, FHIR against the R4 models, the Markdown page."""

from __future__ import annotations

import json
import os
import stat
from datetime import timedelta

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings

from skinlog.services.export import render, schema
from skinlog.storage import Journal
from tests.helpers import PINNED_TODAY
from tests.strategies import journals, write_journal


def export(cli, db, *args):
    result = cli("export", *args, db=db)
    assert result.code == 0, result.err
    return result.out


def test_json_export_of_the_demo_validates_against_the_shipped_schema(cli, demo):
    document = json.loads(export(cli, demo))
    jsonschema.validate(document, schema())
    assert document["format"] == "skinlog-export" and document["version"] == 2
    assert document["journal_id"] == Journal(demo).journal_id()
    assert document["summary"]["days_logged"] == len(document["entries"]) == len(Journal(demo).entries())
    assert {f["code"] for f in document["flags"]} == {"persistent", "spreading"}
    eye_cream = next(p for p in document["products"] if p["name"] == "Eye cream")
    assert eye_cream["days_used"] > 0 and eye_cream["first_used"] == document["period"]["start"]
    assert document["patient"] == {}  # nothing personal unless asked
    assert json.loads(export(cli, demo, "--schema")) == schema()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(journals())
def test_json_export_of_generated_journals_validates(tmp_path_factory, journal):
    path = write_journal(tmp_path_factory.mktemp("j") / "journal.json", journal)
    jsonschema.validate(json.loads(render("json", _data(path))), schema())


def _data(path):
    from skinlog.services.export import gather

    return gather(Journal(path), PINNED_TODAY)


def _as_version_1(document):
    """A version 2 document as version 1 wrote it: no journal id, no events, no evaluations, no photos."""
    old = {k: v for k, v in document.items() if k not in ("journal_id", "evaluations", "photos")}
    old["version"] = 1
    old["entries"] = [{k: v for k, v in e.items() if k != "events"} for e in document["entries"]]
    return old


def test_the_shipped_schema_covers_version_1_and_version_2(cli, demo):
    assert cli("add", "nose=2", "--event", "burn", "--merge", db=demo).code == 0
    v2 = json.loads(export(cli, demo))
    jsonschema.validate(v2, schema())
    v1 = _as_version_1(v2)
    jsonschema.validate(v1, schema())
    for bad in (
        {**v1, "journal_id": v2["journal_id"]},  # version 1 has no journal id
        {**v1, "entries": [{**v1["entries"][-1], "events": ["burn"]}]},  # ... and no events
        {k: v for k, v in v2.items() if k != "journal_id"},  # version 2 needs its id
        {**v2, "entries": [{k: v for k, v in e.items() if k != "events"} for e in v2["entries"]]},
        {**v2, "journal_id": "not-a-uuid"},
        {**v2, "version": 3},
        {**v1, "photos": v2["photos"]},  # version 1 lists no photos
        {**v2, "photos": [{**v2["photos"][0], "width": 0}]},
        {**v2, "photos": [{**v2["photos"][0], "exif": {}}]},
        {**v2, "photos": [{**v2["photos"][0], "sha256": "0" * 63}]},
    ):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, schema(), format_checker=jsonschema.FormatChecker())
    assert v2["entries"][-1]["events"] == ["burn"]
    assert len(v2["photos"]) == 4 and all("data" not in p for p in v2["photos"])  # records, not bytes


def test_markdown_summary_fits_a_page_and_tells_the_story(cli, demo):
    page = export(cli, demo, "--format", "md")
    assert page.startswith("# Milia journal summary")
    for heading in ("## Where things stand", "## Flags", "## Products"):
        assert heading in page
    assert "see a clinician" in page and "bumps that stay" in page and "under-eye L" in page
    assert "not a diagnosis or medical advice" in " ".join(page.split())
    assert len(page.splitlines()) <= 60 and max(len(line) for line in page.splitlines()) <= 100


def test_export_file_is_private_and_never_overwritten_without_force(cli, demo, tmp_path):
    target = tmp_path / "out.json"
    assert cli("export", "-o", str(target), db=demo).code == 0
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    first = target.read_bytes()
    target.write_text("keep me")
    refused = cli("export", "-o", str(target), db=demo)
    assert refused.code == 1 and "--force" in refused.err and target.read_text() == "keep me"
    assert cli("export", "-o", str(target), "--force", db=demo).code == 0
    assert json.loads(target.read_bytes())["entries"] == json.loads(first)["entries"]
    missing = cli("export", "-o", str(tmp_path / "nope" / "x.json"), db=demo)
    assert missing.code == 1 and "does not exist" in missing.err


def test_export_period_filter(cli, demo):
    end = PINNED_TODAY - timedelta(days=1)
    since = (end - timedelta(days=6)).isoformat()
    document = json.loads(export(cli, demo, "--since", since))
    assert [e["date"] for e in document["entries"]][0] == since
    assert document["period"] == {"start": since, "end": end.isoformat()}
    bad = cli("export", "--since", "2026-01-10", "--until", "2026-01-01", db=demo)
    assert bad.code == 2 and "after" in bad.err


def test_exporting_an_empty_journal(cli, tmp_path):
    document = json.loads(export(cli, tmp_path / "none.json"))
    jsonschema.validate(document, schema())
    assert document["entries"] == [] and document["summary"]["days_logged"] == 0
    assert "Nothing was logged" in export(cli, tmp_path / "none.json", "--format", "md")
