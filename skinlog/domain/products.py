"""The product catalogue: categories, the starter set, name rules, and how often each is used."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, NamedTuple

from skinlog.errors import ValidationError, suggest

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
    """A product in the user's catalogue. ``heavy`` marks thick or occlusive formulas."""

    name: str
    category: str
    heavy: bool = False

    def to_dict(self) -> dict[str, object]:
        return {"name": self.name, "category": self.category, "heavy": self.heavy}

    @staticmethod
    def from_dict(doc: dict[str, object]) -> Product:
        return Product(str(doc["name"]), str(doc["category"]), bool(doc.get("heavy", False)))


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


def clean_name(text: str) -> str:
    """Validate and tidy a product name (trimmed, 1..60 printable characters)."""
    name = " ".join(text.split())
    if not name:
        raise ValidationError("a product name cannot be empty")
    if len(name) > MAX_NAME:
        raise ValidationError(f"product name is too long ({len(name)} characters; at most {MAX_NAME})")
    if any(not ch.isprintable() for ch in name):
        raise ValidationError("a product name cannot contain control characters")
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
