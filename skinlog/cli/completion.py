"""Shell completion for bash, zsh and fish, through argcomplete.

``skinlog completion SHELL`` prints the script a shell sources once. On each TAB that script runs
skinlog with argcomplete's variables set; ``main`` then hands over to ``complete`` here, which
builds the full parser (every command; a normal run builds only the one it runs) and answers
from the same tables the commands use: regions and their spellings, export formats, the
products of the person's own journal (read without writing anything), and dates.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterable
from typing import Any

from skinlog.cli.common import emit

SHELLS = ("bash", "zsh", "fish")
DATE_WORDS = ("today", "yesterday")


def region_words() -> list[str]:
    """Every region spelling that is easy to type: short names, sided forms, aliases, ids."""
    from skinlog.domain.regions import REGIONS, shown_names, typed

    words: list[str] = []
    for region in REGIONS:
        for name in (*shown_names(region.id), *region.aliases):
            word = typed(name)
            if " " not in word and word not in words:
                words.append(word)
    return words


def product_names(parsed_args: argparse.Namespace | None = None) -> list[str]:
    """The catalogue of the journal the command line names (--db, else the default), read
    without a lock and without writing; none when it cannot be read."""
    from skinlog.errors import SkinlogError
    from skinlog.storage import Journal, default_path, journal_path

    db = getattr(parsed_args, "db", None) or default_path()
    try:
        path = journal_path(db)
        if not os.path.exists(path):
            return []
        journal = Journal(path)
        journal.storage.trust_unlocked_mark = True
        return [p.name for p in journal.products() if not p.archived]
    except (SkinlogError, OSError, ValueError):
        return []


def _counts(prefix: str, **_: Any) -> Iterable[str]:
    """REGION=N: region names, each ending in '=' (the count comes next)."""
    if "=" in prefix:
        return []
    return [f"{word}=" for word in region_words()]


def _products(parsed_args: argparse.Namespace | None = None, **_: Any) -> Iterable[str]:
    return product_names(parsed_args)


def _dates(**_: Any) -> Iterable[str]:
    return DATE_WORDS


COMPLETERS = {"counts": _counts, "products": _products, "date": _dates, "since": _dates, "until": _dates}
# In the product catalogue's commands the name is a product's.
PRODUCT_ARGUMENTS = {"name", "old"}


def _attach(parser: argparse.ArgumentParser, in_products: bool = False) -> None:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                _attach(sub, in_products or name == "products")
            continue
        completer = COMPLETERS.get(action.dest)
        if in_products and action.dest in PRODUCT_ARGUMENTS:
            completer = _products
        if completer is not None:
            action.completer = completer  # type: ignore[attr-defined]


def complete() -> int:
    """Answer one TAB (argcomplete's variables are set) and exit."""
    import argcomplete

    from skinlog.cli.parser import build_parser

    parser = build_parser()
    _attach(parser)
    argcomplete.autocomplete(parser)  # exits when it answered
    return 0


def cmd_completion(args: argparse.Namespace) -> int:
    import argcomplete

    from skinlog.cli.parser import PROG

    emit(argcomplete.shellcode([PROG], shell=args.shell))
    return 0


def configure_completion(completion: argparse.ArgumentParser) -> None:
    completion.description = (
        "Print the completion script for a shell. Enable it with: bash: "
        'eval "$(skinlog completion bash)" in ~/.bashrc; zsh: eval "$(skinlog completion zsh)" in '
        "~/.zshrc; fish: skinlog completion fish > ~/.config/fish/completions/skinlog.fish"
    )
    completion.add_argument("shell", choices=SHELLS)
    completion.set_defaults(func=cmd_completion)
