"""The product catalogue: categories, the starter set, name rules, and how often each is used."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, NamedTuple

from skinlog.errors import AmbiguousProductError, UnknownProductError, ValidationError, echo, suggest

if TYPE_CHECKING:
    from skinlog.domain.entry import Entry

CATEGORIES: tuple[str, ...] = (
    "retinoid",
    "aha",
    "bha",
    "sunscreen",
    "moisturizer",
    "occlusive",
    "eye_cream",
    "cleanser",
    "makeup",
    "other",
)

MAX_NAME = 60


class Product(NamedTuple):
    """A product in the user's catalogue. ``heavy`` marks thick or occlusive formulas;
    ``archived`` ones are no longer offered for new days but keep all their history."""

    name: str
    category: str
    heavy: bool = False
    archived: bool = False

    def to_dict(self) -> dict[str, object]:
        """As stored: ``archived`` only when true, so a journal without archived products keeps
        the bytes it always had."""
        doc: dict[str, object] = {"name": self.name, "category": self.category, "heavy": self.heavy}
        if self.archived:
            doc["archived"] = True
        return doc

    def to_public(self) -> dict[str, object]:
        """As exports and ``--json`` show it: every field, ``archived`` too."""
        return {"name": self.name, "category": self.category, "heavy": self.heavy, "archived": self.archived}

    @staticmethod
    def from_dict(doc: dict[str, object]) -> Product:
        return Product(
            str(doc["name"]),
            str(doc["category"]),
            bool(doc.get("heavy", False)),
            bool(doc.get("archived", False)),
        )


# Chosen from what the articles about milia name: exfoliating retinoids and acids that help
# turnover, sunscreen, a light non-comedogenic moisturizer, and the heavy creams linked to milia.
STARTER_CATALOGUE: tuple[Product, ...] = (
    Product("Retinol", "retinoid"),
    Product("Adapalene", "retinoid"),
    Product("Tretinoin", "retinoid"),
    Product("Glycolic acid", "aha"),
    Product("Lactic acid", "aha"),
    Product("Salicylic acid", "bha"),
    Product("Sunscreen SPF 30+", "sunscreen"),
    Product("Light moisturizer", "moisturizer"),
    Product("Occlusive cream", "occlusive", heavy=True),
    Product("Eye cream", "eye_cream", heavy=True),
    Product("Gentle cleanser", "cleanser"),
)


def _separator(ch: str) -> bool:
    import unicodedata

    return unicodedata.category(ch) == "Zs"


def clean_name(text: str) -> str:
    """Validate and tidy a product name (trimmed, 1..60 printable characters)."""
    # a tab or a line break is refused too (it would be turned into a space unseen); a
    # no-break space and its kind are spaces
    if any(not ch.isprintable() and not (ch.isspace() and _separator(ch)) for ch in text):
        raise ValidationError("a product name cannot contain line breaks, tabs or control characters")
    name = " ".join(text.split())
    if not name:
        raise ValidationError("a product name cannot be empty")
    if len(name) > MAX_NAME:
        raise ValidationError(f"product name is too long ({len(name)} characters; at most {MAX_NAME})")
    return name


def check_category(text: str) -> str:
    category = text.strip().lower().replace("-", "_").replace(" ", "_")
    if category not in CATEGORIES:
        hint = suggest(category, list(CATEGORIES))
        raise ValidationError(
            f"unknown product category '{text}'{hint}; choose one of: {', '.join(CATEGORIES)}"
        )
    return category


def default_heavy(category: str) -> bool:
    """Occlusives and eye creams count as heavy unless the user says otherwise."""
    return category in ("occlusive", "eye_cream")


def find_product(catalogue: list[Product], name: str) -> Product | None:
    """Case-insensitive lookup by name."""
    wanted = name.casefold()
    for product in catalogue:
        if product.name.casefold() == wanted:
            return product
    return None


def partial_matches(catalogue: Iterable[Product], text: str) -> list[Product]:
    """Products whose name starts with ``text`` or holds it as a whole word (or words), ignoring
    case and spacing: "differin" and "adapalene" both find "Differin (adapalene 0.1%)"."""
    wanted = " ".join(text.split()).casefold()
    if not wanted:
        return []
    whole = re.compile(r"(?<!\w)" + re.escape(wanted) + r"(?!\w)")
    found = []
    for product in catalogue:
        name = product.name.casefold()
        if name.startswith(wanted) or whole.search(name):
            found.append(product)
    return found


def match_product(catalogue: list[Product], text: str) -> tuple[Product, bool]:
    """The product ``text`` names, and whether it named only part of it.

    The whole name (any case) wins; otherwise one product starting with it or holding it as a
    whole word. Several such products raise ``AmbiguousProductError`` naming them; none raises
    ``UnknownProductError`` with the closest name.
    """
    exact = find_product(catalogue, text)
    if exact is not None:
        return exact, False
    found = partial_matches(catalogue, text)
    if len(found) == 1:
        return found[0], True
    if found:
        raise AmbiguousProductError(text, [p.name for p in found])
    raise UnknownProductError(f"unknown product '{echo(text)}'{did_you_mean(catalogue, text)}", text)


def did_you_mean(catalogue: list[Product], text: str) -> str:
    """' (did you mean 'x'?)' for the product whose name, or a word of it, is closest to ``text``."""
    hint = suggest(text, [p.name for p in catalogue])
    if hint or not text.strip():
        return hint
    wanted = " ".join(text.split()).casefold()
    # the start of a later word ("moist" for "Light moisturizer"): asked about, never taken
    starts = [
        p.name for p in catalogue if any(w.startswith(wanted) for w in re.findall(r"\w+", p.name.casefold()))
    ]
    if len(starts) == 1:
        return f" (did you mean '{starts[0]}'?)"
    import difflib  # only on the error path

    words: dict[str, str] = {}
    for product in catalogue:
        for word in re.findall(r"\w{3,}", product.name.casefold()):
            words.setdefault(word, product.name)
    close = difflib.get_close_matches(" ".join(text.split()).casefold(), list(words), n=1, cutoff=0.75)
    return f" (did you mean '{words[close[0]]}'?)" if close else ""


def offered(catalogue: Iterable[Product], ticked: Iterable[str] = ()) -> list[str]:
    """The names a day's product picker offers, in catalogue order: every product not archived,
    and an archived one only when it is ticked on that day."""
    keep = {name.casefold() for name in ticked}
    return [p.name for p in catalogue if not p.archived or p.name.casefold() in keep]


class ProductUse(NamedTuple):
    """How many logged days a product was used on, and the first and last of them."""

    days: int
    first: date
    last: date


def product_use(entries: Iterable[Entry]) -> dict[str, ProductUse]:
    """Days each product was used, by name as logged (entries oldest first)."""
    use: dict[str, ProductUse] = {}
    for entry in entries:
        for name in entry.products:
            found = use.get(name)
            use[name] = (
                ProductUse(found.days + 1, found.first, entry.date)
                if found
                else ProductUse(1, entry.date, entry.date)
            )
    return use


def days_used(entries: Iterable[Entry]) -> dict[str, int]:
    """The number of logged days each product was used on (a product never used is absent)."""
    return {name: u.days for name, u in product_use(entries).items()}
