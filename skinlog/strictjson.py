"""Parsing JSON that skinlog must trust: duplicate keys are refused, not silently collapsed."""

from __future__ import annotations

from typing import Any

import orjson

# No skinlog file comes near this many values (a 100-year journal's export has about 3 million
# commas); orjson crashes the process when dumping arrays of some 119 million values.
MAX_VALUES = 50_000_000


class DuplicateKeyError(ValueError):
    """An object in the document names the same key twice."""

    def __init__(self, key: str) -> None:
        super().__init__(f"the key '{key}' appears twice in one object")
        self.key = key


def _refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise DuplicateKeyError(key)
        result[key] = value
    return result


def loads_unique(raw: bytes, *, options: tuple[int, ...] = (0,)) -> Any:
    """Parse ``raw``; raise ``DuplicateKeyError`` if any object repeats a key.

    orjson keeps the last of repeated keys without a word. Files skinlog wrote itself come back
    byte for byte when dumped again with one of ``options`` (orjson keeps key order), which
    proves no key was dropped at the cost of one dump; anything else (a file edited by hand,
    or made by another program) is checked key by key with the standard library's parser.
    Raises ``ValueError`` (orjson's or json's) for text that is not JSON.
    """
    if raw.count(b",") > MAX_VALUES:
        raise ValueError("too many values")
    data = orjson.loads(raw)
    for option in options:
        try:
            dumped = orjson.dumps(data, option=option)
        except TypeError:  # orjson writes less deep nesting than it reads (and no huge integers)
            break
        if dumped == raw or dumped + b"\n" == raw:
            return data
    import json

    return json.loads(raw, object_pairs_hook=_refuse_duplicates)
