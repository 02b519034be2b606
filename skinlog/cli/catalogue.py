"""What entries refer to and what flags weigh: products, regions and settings."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from skinlog.cli.common import dump_json, fit, journal, saved, width, write
from skinlog.errors import UsageError

if TYPE_CHECKING:
    from skinlog.domain.products import Product

# -- products


def note(text: str) -> None:
    """One line on stderr about how a command read what it was given."""
    from skinlog.domain.text import inert

    print(f"skinlog: {inert(text)}", file=sys.stderr, flush=True)


def resolve_product(catalogue: list[Product], text: str) -> Product:
    """The product ``text`` names: the whole name in any case, or one product it starts or is a
    whole word of (said on stderr); several such products or none are refused."""
    from skinlog.domain.products import match_product

    product, partial = match_product(catalogue, text)
    if partial:
        from skinlog.errors import echo

        note(f"'{echo(text)}' is taken as '{product.name}'")
    return product


def resolve_day_products(catalogue: list[Product], texts: list[str], allow_new: bool) -> list[str]:
    """The catalogue names for ``add -p``; with ``allow_new`` a name that fits no product at all
    stays as typed, to be added. An archived product is logged, and said to be archived."""
    from skinlog.domain.products import clean_name
    from skinlog.errors import UnknownProductError

    names = []
    for text in texts:
        name = clean_name(text)
        try:
            product = resolve_product(catalogue, name)
        except UnknownProductError:
            if not allow_new:
                raise
            names.append(name)
            continue
        if product.archived:
            note(f"{product.name} is archived; logged anyway ('skinlog products unarchive' offers it again)")
        names.append(product.name)
    return names


def cmd_products(args: argparse.Namespace) -> int:
    from skinlog.domain.products import Product, check_category, clean_name, default_heavy
    from skinlog.domain.words import label

    opened = journal(args)
    action = args.action or "list"
    if action == "add":
        category = check_category(args.category)
        heavy = default_heavy(category) if args.heavy is None else args.heavy
        product = Product(clean_name(args.name), category, heavy)
        opened.add_product(product)
        saved(f"Added {product.name} ({label(product.category)}{', heavy' if heavy else ''}).")
        return 0
    if action == "rename":
        new = clean_name(args.new)
        current = resolve_product(opened.products(), args.old)
        renamed = opened.rename_product(current.name, new)
        saved(f"Renamed {current.name} to {renamed.name}; past entries now use the new name.")
        return 0
    if action == "set":
        if args.category is None and args.heavy is None:
            raise UsageError("say what to change: --category C, --heavy or --light")
        new_category = check_category(args.category) if args.category is not None else None
        current = resolve_product(opened.products(), args.name)
        changed = opened.set_product(current.name, category=new_category, heavy=args.heavy)
        saved(
            f"{changed.name} is now {label(changed.category)}, {'heavy' if changed.heavy else 'not heavy'}."
        )
        return 0
    if action in ("archive", "unarchive"):
        archive = action == "archive"
        current = resolve_product(opened.products(), args.name)
        if current.archived == archive:
            write(
                f"{current.name} is already {'archived' if archive else 'in use (not archived)'}; nothing changed."
            )
            return 0
        opened.set_product(current.name, archived=archive)
        saved(
            f"Archived {current.name}: it is no longer offered for new days; its past days stay."
            if archive
            else f"{current.name} is offered for new days again."
        )
        return 0
    from skinlog.domain.products import days_used

    products = opened.products()
    used = days_used(opened.entries())
    if args.json:
        dump_json([{**p.to_public(), "days_used": used.get(p.name, 0)} for p in products])
        return 0
    head = f"{'name':<28}{'category':<13}{'heavy':<7}days used"
    ordered = sorted(products, key=lambda p: (p.category, p.name.casefold()))

    def row(p: Product) -> str:
        return f"{p.name:<28}{label(p.category):<13}{'yes' if p.heavy else 'no':<7}{used.get(p.name, 0)}"

    lines = [head, *(row(p) for p in ordered if not p.archived)]
    archived = [row(p) for p in ordered if p.archived]
    if archived:
        lines += ["", "Archived (not offered for new days; their past days stay):", head, *archived]
    write("\n".join(lines))
    return 0


def configure_products(products: argparse.ArgumentParser) -> None:
    from skinlog.domain.products import CATEGORIES

    products.add_argument("--json", action="store_true")
    psub = products.add_subparsers(dest="action", metavar="ACTION")
    psub.add_parser("list", help="list the catalogue").add_argument("--json", action="store_true")
    padd = psub.add_parser("add", help="add a product")
    padd.add_argument("name")
    padd.add_argument("--category", required=True, help=", ".join(CATEGORIES))
    heavy = padd.add_mutually_exclusive_group()
    heavy.add_argument(
        "--heavy", dest="heavy", action="store_true", default=None, help="a thick or occlusive formula"
    )
    heavy.add_argument("--light", dest="heavy", action="store_false", help="not heavy")
    pren = psub.add_parser("rename", help="rename a product everywhere")
    pren.add_argument("old")
    pren.add_argument("new")
    pset = psub.add_parser("set", help="change a product's category or heavy mark")
    pset.add_argument("name")
    pset.add_argument("--category", help="the new category: " + ", ".join(CATEGORIES))
    sheavy = pset.add_mutually_exclusive_group()
    sheavy.add_argument(
        "--heavy",
        dest="heavy",
        action="store_true",
        default=None,
        help="a thick or occlusive formula (counts for heavy near the eyes)",
    )
    sheavy.add_argument("--light", dest="heavy", action="store_false", help="not heavy")
    parch = psub.add_parser("archive", help="stop offering a product for new days (its past days stay)")
    parch.add_argument("name")
    punarch = psub.add_parser("unarchive", help="offer an archived product for new days again")
    punarch.add_argument("name")
    products.set_defaults(func=cmd_products)


# -- regions


def cmd_regions(args: argparse.Namespace) -> int:
    from skinlog.domain.regions import GROUPS, REGIONS, region_examples

    if args.json:
        dump_json([{"id": r.id, "name": r.short, "label": r.label, "group": r.group} for r in REGIONS])
        return 0
    lines = [f"  {'name':<12}{'in full':<21}also accepted"]
    for group in GROUPS:
        lines.append(f"{group[0].upper()}{group[1:]}")
        for r in (r for r in REGIONS if r.group == group):
            lines.append(f"  {r.short:<12}{r.label:<21}{', '.join(region_examples(r.id))}")
    lines.append("Left and right are your own. Case, spaces and dashes do not matter.")
    write("\n".join(lines))
    return 0


def configure_regions(regions: argparse.ArgumentParser) -> None:
    regions.add_argument("--json", action="store_true")
    regions.set_defaults(func=cmd_regions)


# -- settings


def cmd_settings(args: argparse.Namespace) -> int:
    from skinlog.domain.settings import SETTINGS, effective, parse_setting

    opened = journal(args)
    action = args.action or "list"
    if action == "set":
        key, value = parse_setting(args.key, args.value)
        opened.set_setting(key, value)
        saved(f"{key} is now {value:g}.")
        return 0
    if action == "reset":
        key, _ = parse_setting(args.key, str(SETTINGS[args.key].default) if args.key in SETTINGS else "0")
        opened.set_setting(key, SETTINGS[key].default)
        saved(f"{key} is back to its default, {SETTINGS[key].default:g}.")
        return 0
    values = effective(opened.settings())
    if args.json:
        dump_json(
            {
                k: {"value": v, "default": SETTINGS[k].default, "help": SETTINGS[k].help}
                for k, v in values.items()
            }
        )
        return 0
    lines = [f"{'setting':<25}{'value':>7}{'default':>9}  meaning"]
    for key, value in values.items():
        s = SETTINGS[key]
        mark = " *" if value != s.default else "  "
        lines.append(fit(f"{key:<25}{value:>7g}{s.default:>9g}{mark}{s.help}", width()))
    lines.append("* changed by you. Change one with: skinlog settings set KEY VALUE")
    write("\n".join(lines))
    return 0


def configure_settings(settings: argparse.ArgumentParser) -> None:
    settings.add_argument("--json", action="store_true")
    ssub = settings.add_subparsers(dest="action", metavar="ACTION")
    ssub.add_parser("list", help="show every setting").add_argument("--json", action="store_true")
    sset = ssub.add_parser("set", help="change a setting")
    sset.add_argument("key")
    sset.add_argument("value")
    sreset = ssub.add_parser("reset", help="put a setting back to its default")
    sreset.add_argument("key")
    settings.set_defaults(func=cmd_settings)
