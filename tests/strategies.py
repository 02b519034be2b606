"""Hypothesis strategies for whole journals (entries, products, settings)."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import strategies as st

from skinlog.domain.entry import PROCEDURES, make_entry
from skinlog.domain.products import CATEGORIES, Product
from skinlog.domain.regions import REGION_IDS
from skinlog.domain.settings import SETTINGS
from skinlog.storage import Journal
from tests.helpers import PINNED_TODAY

names = (
    st.text(
        st.characters(codec="utf-8", categories=("L", "N", "P"), include_characters=" "),
        min_size=1,
        max_size=30,
    )
    .map(lambda s: " ".join(s.split()))
    .filter(bool)
)
notes = st.text(
    st.characters(codec="utf-8", categories=("L", "N", "P", "S"), include_characters=" \n"), max_size=80
)


@st.composite
def journals(draw, max_entries: int = 40):
    products = draw(
        st.lists(
            st.builds(Product, names, st.sampled_from(CATEGORIES), st.booleans()),
            max_size=6,
            unique_by=lambda p: p.name.casefold(),
        )
    )
    product_names = [p.name for p in products]
    offsets = draw(st.lists(st.integers(0, 3000), max_size=max_entries, unique=True))
    start = PINNED_TODAY - timedelta(days=3001)
    entries = []
    for offset in sorted(offsets):
        entry = make_entry(
            start + timedelta(days=offset),
            draw(st.dictionaries(st.sampled_from(REGION_IDS), st.integers(0, 500), max_size=5)),
            draw(st.lists(st.sampled_from(product_names), max_size=3)) if product_names else [],
            symptoms={k: draw(st.integers(0, 3)) for k in ("redness", "itch", "pain")},
            picked=draw(st.booleans()),
            procedure=draw(st.sampled_from(PROCEDURES)),
            note=draw(notes),
        )
        stamp = f"{entry.date.isoformat()}T{draw(st.integers(0, 23)):02d}:00:00+00:00"
        entries.append(entry._replace(created=stamp, updated=stamp))
    chosen = draw(st.lists(st.sampled_from(sorted(SETTINGS)), max_size=4, unique=True))
    settings = {}
    for key in chosen:
        s = SETTINGS[key]
        settings[key] = draw(
            st.integers(int(s.low), int(s.high))
            if s.integer
            else st.floats(s.low, s.high, allow_nan=False).map(lambda v: round(v, 3))
        )
    return entries, products, settings


def write_journal(path, journal) -> str:
    entries, products, settings = journal
    Journal(path).replace_all(entries, products, settings)
    return str(path)
