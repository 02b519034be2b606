"""The tables that drive skinlog are complete: everything built from them lists every row."""

from __future__ import annotations

from datetime import date

import pytest

from skinlog.cli import main
from skinlog.services.demo import write_demo
from skinlog.services.export import ExportData, gather, render
from skinlog.services.formats import FORMATS, file_name
from skinlog.storage import Journal


@pytest.fixture
def demo_data(tmp_path) -> ExportData:
    write_demo(str(tmp_path / "journal.json"), date(2026, 11, 23))
    return gather(Journal(tmp_path / "journal.json"), date(2026, 11, 23))


@pytest.mark.parametrize("name", list(FORMATS))
def test_every_export_format_renders_the_demo_journal(demo_data: ExportData, name: str) -> None:
    assert render(name, demo_data).strip()


def test_export_formats_have_their_own_file_names() -> None:
    names = {file_name(f, "2026-11-23") for f in FORMATS}
    assert len(names) == len(FORMATS)


def test_the_command_line_offers_every_export_format(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--help"]) == 0
    shown = capsys.readouterr().out
    assert f"{{{','.join(FORMATS)}}}" in shown


def test_an_unknown_format_is_refused_with_the_choices(demo_data: ExportData) -> None:
    from skinlog.errors import UsageError

    with pytest.raises(UsageError, match=", ".join(FORMATS)):
        render("pdf-but-not-yet", demo_data)
