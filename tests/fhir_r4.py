"""Validation against the official HL7 FHIR R4 JSON Schema kept (compressed) in tests/fhir/."""

from __future__ import annotations

import functools
import json
import lzma
from pathlib import Path
from typing import Any

import jsonschema

SCHEMA = Path(__file__).parent / "fhir" / "fhir.schema.json.xz"
# The resource types skinlog writes into a Bundle.
RESOURCE_TYPES = ("Patient", "Flag", "Observation", "Procedure", "MedicationStatement", "Media")


@functools.lru_cache(maxsize=1)
def bundle_validator() -> jsonschema.Draft6Validator:
    """A validator for an R4 Bundle whose resources are of ``RESOURCE_TYPES``.

    The official schema lets a resource be any of 145 types (a ``oneOf`` that takes jsonschema
    about 25 s on the demo's Bundle). Each resource definition fixes its ``resourceType``, so at
    most one alternative can match; keeping only the types skinlog writes is therefore stricter
    than the official schema, never looser: what passes here passes there.
    """
    schema = json.loads(lzma.decompress(SCHEMA.read_bytes()))
    assert schema["id"] == "http://hl7.org/fhir/json-schema/4.0"
    schema["definitions"]["ResourceList"] = {
        "oneOf": [{"$ref": f"#/definitions/{name}"} for name in RESOURCE_TYPES]
    }
    del schema["oneOf"], schema["discriminator"]
    schema["$ref"] = "#/definitions/Bundle"
    jsonschema.Draft6Validator.check_schema(schema)
    return jsonschema.Draft6Validator(schema)


def r4_errors(bundle: dict[str, Any]) -> list[str]:
    """Every way ``bundle`` breaks the R4 schema, most specific first ([] when it is valid)."""
    errors = []
    for error in bundle_validator().iter_errors(bundle):
        best = jsonschema.exceptions.best_match([error])
        errors.append(f"{'/'.join(map(str, best.absolute_path))}: {best.message[:200]}")
    return errors
