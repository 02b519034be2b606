"""``skinlog effect``: is it working? Each treatment and procedure, before and after, against the trend."""

from __future__ import annotations

import argparse
import textwrap
from typing import TYPE_CHECKING

from skinlog.cli.common import dump_json, journal, parse_day, width, write
from skinlog.errors import UsageError

if TYPE_CHECKING:
    from skinlog.domain.products import Product


def cmd_effect(args: argparse.Namespace) -> int:
    from skinlog.domain.effects import evaluate_all
    from skinlog.domain.words import EFFECT_CAVEAT, effect_details, effect_line, no_start_words

    if args.product is None and not args.all:
        raise UsageError("name a product, or give --all for every treatment and procedure")
    if args.product is not None and args.all:
        raise UsageError("give a product or --all, not both")
    if args.start is not None and args.product is None:
        raise UsageError("--start needs a product: skinlog effect PRODUCT --start DATE")
    opened = journal(args)
    catalogue = opened.products()
    product = _product(catalogue, args.product) if args.product is not None else None
    starts = {product.name: parse_day(args.start)} if product is not None and args.start else None
    entries = opened.entries()
    found = evaluate_all(entries, catalogue, starts) if entries else []
    if product is not None:
        found = [e for e in found if e.change.name.casefold() == product.name.casefold()]
    if args.json:
        dump_json(
            {
                "product": product.name if product else None,
                "evaluations": [e.to_public() for e in found],
                "caveat": EFFECT_CAVEAT,
            }
        )
        return 0
    columns = min(width(), 100)
    lines: list[str] = []
    if not found:
        if product is not None:
            lines += textwrap.wrap(no_start_words(product.name), columns)
        else:
            lines.append("No treatment starts, stops or procedures in the journal yet.")
    for ev in found:
        if lines:
            lines.append("")
        lines += textwrap.wrap(effect_line(ev), columns, subsequent_indent="  ")
        for detail in effect_details(ev):
            lines += textwrap.wrap(detail, columns, initial_indent="  ", subsequent_indent="    ")
    lines += [""] + textwrap.wrap(EFFECT_CAVEAT, columns)
    write("\n".join(lines))
    return 0


def _product(catalogue: list[Product], text: str) -> Product:
    """The product ``text`` names; an unknown one is said in ``effect``'s terms (it only reads
    the journal, so adding the product is no answer)."""
    from skinlog.cli.catalogue import resolve_product
    from skinlog.domain.products import did_you_mean
    from skinlog.errors import NotFoundError, UnknownProductError, echo

    try:
        return resolve_product(catalogue, text)
    except UnknownProductError:
        raise NotFoundError(
            f"no product named '{echo(text)}' in the journal{did_you_mean(catalogue, text)}; "
            "'skinlog products' lists them"
        ) from None


def configure_effect(effect: argparse.ArgumentParser) -> None:
    effect.add_argument("product", nargs="?", metavar="PRODUCT", help="a product (part of its name will do)")
    effect.add_argument(
        "--all", action="store_true", help="every treatment start or stop and every procedure"
    )
    effect.add_argument(
        "--start",
        metavar="DATE",
        help="the day you started (or stopped) it, instead of the day the journal shows",
    )
    effect.add_argument("--json", action="store_true")
    effect.set_defaults(func=cmd_effect)
