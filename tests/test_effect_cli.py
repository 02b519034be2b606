"""``skinlog effect`` on the command line: what it says about a product the journal lacks."""

from __future__ import annotations

from pathlib import Path


def test_effect_unknown_product_says_so_in_effect_terms(cli, journal_path: Path) -> None:
    assert cli("add", "nose=1", "-p", "Snail mucin", "--new-product", "other").code == 0
    before = journal_path.read_bytes()
    done = cli("effect", "snial mucin")
    assert done.code != 0 and done.err.count("\n") == 1, done.err
    assert "no product named 'snial mucin' in the journal" in done.err
    assert "did you mean 'Snail mucin'?" in done.err and "'skinlog products' lists them" in done.err
    assert "--new-product" not in done.err  # effect only reads: adding a product is no answer
    assert journal_path.read_bytes() == before
    assert "--new-product" in cli("add", "nose=1", "-p", "Zinc").err  # add still offers it
