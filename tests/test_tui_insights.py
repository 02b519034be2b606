"""The Insights view: every treatment change and procedure with its verdict, the chosen one's
before/after chart with the start, the lag and both windows, worked out in a thread."""

from __future__ import annotations

import threading
from datetime import date, timedelta

from textual.widgets import OptionList, Static

from skinlog import charts
from skinlog.domain.entry import Entry
from skinlog.domain.products import Product
from skinlog.storage import Journal
from skinlog.tui.screens.insights import InsightsScreen
from tests.tui_helpers import demo_journal, open_app, run, screen_text, wait_until

CATALOGUE = [Product("Adapalene", "retinoid"), Product("Sunscreen", "sunscreen")]


def journal_of(path, days: int, start: int | None, first: date = date(2026, 5, 1)):
    """``days`` logged days of 10 bumps (fewer after ``start``, when Adapalene begins)."""
    entries = []
    for i in range(days):
        on = start is not None and i >= start
        count = 10 - (4 if on and i >= start + 28 else 0) + (i % 3)
        entries.append(Entry(first + timedelta(days=i), {"nose": count}, ("Adapalene",) if on else ()))
    Journal(path).replace_all(entries, CATALOGUE, {})
    return path


async def open_insights(app, pilot) -> InsightsScreen:
    await pilot.press("f11")
    screen = app.screen
    assert isinstance(screen, InsightsScreen)
    await wait_until(pilot, lambda: screen.state != "working")
    await pilot.pause()
    return screen


def words(screen: InsightsScreen) -> str:
    return " ".join(str(w.render()) for w in screen.query(Static))


def options(screen: InsightsScreen) -> list[str]:
    listing = screen.query_one(OptionList)
    return [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]


def test_the_view_lists_every_change_with_its_verdict_and_charts_the_newest(tmp_path):
    async def scenario():
        async with open_app(demo_journal(tmp_path), size=(100, 32)) as (app, pilot):
            screen = await open_insights(app, pilot)
            assert screen.state == "ready"
            listed = options(screen)
            assert len(listed) == 4
            assert listed[0].startswith("Eye cream (eye cream, heavy), stopped 2026-06-02: fell by")
            assert listed[2].startswith("Adapalene (retinoid), started 2026-06-12: fell by 52%")
            assert "more than the trend before you started would predict" in listed[2]
            assert listed[2].endswith("· other changes in the same weeks")  # a confounder, said
            assert listed[3].startswith("Extraction on 2026-09-10:")
            assert "Is it working? 4 changes, 4 with enough data" in words(screen)
            chosen = screen.chosen()  # the newest
            assert chosen is not None and chosen.change.name == "extraction"
            text = screen_text(app)
            assert "Compared: the 4 weeks after against the 4 weeks before" in text
            for mark in ("┃ procedure", "┆ ┆ response window", "─── mean before 12.5", "═══ mean after 7.2"):
                assert mark in text, mark
            assert "trend before, carried on 10.0" in text
            assert "2026-08-13" in text and "2026-10-08" in text  # baseline start, window end

    run(scenario)


def test_choosing_a_treatment_charts_its_start_lag_and_windows(tmp_path):
    async def scenario():
        async with open_app(demo_journal(tmp_path), size=(100, 32)) as (app, pilot):
            screen = await open_insights(app, pilot)
            await pilot.press("up")
            await pilot.pause()
            chosen = screen.chosen()
            assert chosen is not None and chosen.change.name == "Adapalene"
            text = screen_text(app)
            assert "Compared: weeks 4 to 12 after against the weeks before (2026-07-10 to 2026-09-03" in text
            assert "Also changed in the same weeks: Eye cream stopped 2026-06-02" in text
            # the axis: baseline start, the start, the window's first and last days
            for day in ("2026-04-17", "2026-06-12", "2026-07-10", "2026-09-03"):
                assert day in text, day
            assert "┃ start" in text and "trend before, carried on 35.4" in text
            # choosing again after the journal was read again keeps the same one
            screen.reload()
            await wait_until(pilot, lambda: screen.state == "ready")
            assert screen.chosen() is not None and screen.chosen().change.name == "Adapalene"

            # what the chart draws sits where the evaluation's windows are
            first, span, marks = charts.effect_marks(chosen, app.entries(), 80)
            by_name = {m.name: m for m in marks}
            at = lambda day: (day - first).days  # noqa: E731
            assert by_name["start"].xs == [at(chosen.change.day)] * 2
            assert by_name["response window"].xs == [at(chosen.window[0])] * 2 + [at(chosen.window[1])] * 2
            assert by_name["mean before"].xs == [at(chosen.baseline[0]), at(chosen.baseline[1])]
            assert by_name["mean after"].ys == [chosen.total.after] * 2
            trend = by_name["trend before, carried on"]
            assert trend.xs[0] == at(chosen.baseline[0]) and trend.xs[-1] == at(chosen.window[1])
            logged = {at(e.date) for e in app.entries()}
            window = [y for x, y in zip(trend.xs, trend.ys) if x >= at(chosen.window[0]) and x in logged]
            # what the mean after is compared with: the trend's mean over the window's logged days
            assert len(window) == chosen.days_after
            assert abs(sum(window) / len(window) - chosen.total.expected) < 0.01
            assert span == at(chosen.window[1]) + charts.EFFECT_MARGIN

    run(scenario)


def test_the_view_opens_at_once_saying_it_is_working_it_out(tmp_path, monkeypatch):
    import skinlog.domain.effects as effects

    release = threading.Event()
    real = effects.evaluate_all

    def slow(*args, **kwargs):
        release.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(effects, "evaluate_all", slow)

    async def scenario():
        async with open_app(demo_journal(tmp_path), size=(80, 24)) as (app, pilot):
            await pilot.press("f11")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, InsightsScreen) and screen.state == "working"
            assert "Working it out…" in screen_text(app)
            assert screen.query_one(OptionList).option_count == 0
            assert screen.has_class("-working")
            # the app answers keys meanwhile
            await pilot.press("f2")
            await pilot.pause()
            assert app.current_mode == "today"
            await pilot.press("f11")
            release.set()
            await wait_until(pilot, lambda: screen.state == "ready")
            assert len(options(screen)) == 4 and not screen.has_class("-working")
            assert "Working it out" not in screen_text(app)

    run(scenario)


def test_an_empty_journal_says_what_is_needed_and_works_nothing_out(tmp_path):
    path = tmp_path / "empty.json"
    Journal(path).replace_all([], CATALOGUE, {})

    async def scenario():
        async with open_app(path, size=(80, 24)) as (app, pilot):
            screen = await open_insights(app, pilot)
            assert screen.state == "empty"
            text = " ".join(screen_text(app).split())
            assert "Nothing logged yet." in text and "at least 14 logged days before it" in text
            assert not [w for w in app.workers if w.group == "insights"]
            assert screen.query_one(OptionList).option_count == 0

    run(scenario)


def test_a_journal_without_a_change_says_what_counts_as_one(tmp_path):
    path = journal_of(tmp_path / "flat.json", 60, None)

    async def scenario():
        async with open_app(path, size=(80, 24)) as (app, pilot):
            screen = await open_insights(app, pilot)
            assert screen.state == "none"
            text = " ".join(screen_text(app).split())
            assert "No treatment starts or stops and no procedures" in text
            assert "at least 60% of logged days over 4 weeks" in text

    run(scenario)


def test_too_few_days_after_a_start_says_so_with_the_numbers(tmp_path):
    path = journal_of(tmp_path / "short.json", 60 + 28 + 9, 60)  # 9 days in the window

    async def scenario():
        async with open_app(path, size=(100, 32)) as (app, pilot):
            screen = await open_insights(app, pilot)
            assert screen.state == "ready"
            (line,) = options(screen)
            assert line.endswith("not enough data: needs at least 14 logged days in each window (has 9)")
            assert "0 with enough data" in words(screen)
            text = screen_text(app)
            assert "┃ start" in text and "┆ ┆ response window" in text  # still charted
            assert "mean after" not in text  # nothing estimated, nothing drawn as if it were

    run(scenario)


def test_the_chart_reads_without_colour(tmp_path):
    from skinlog.domain.effects import evaluate_all

    path = demo_journal(tmp_path)
    journal = Journal(path)
    entries = journal.entries()
    (adapalene,) = [e for e in evaluate_all(entries, journal.products()) if e.change.name == "Adapalene"]
    text = charts.effect_text(adapalene, entries, 80, 20, color=False)
    assert "\x1b" not in text
    chart, key = text.rsplit("└", 1)
    for marker in ("┃", "┆", "─", "═", "·"):  # each mark is drawn with its own character
        assert marker in chart, marker
    for item in ("⠒⠒⠒ bumps a day", "─── mean before", "═══ mean after", "··· trend before, carried on",
                 "┃ start", "┆ ┆ response window"):  # fmt: skip
        assert item in key, item
    assert all(len(line) <= 80 for line in text.splitlines())


def test_a_failure_in_the_evaluations_is_said_in_the_view_not_a_crash(tmp_path, monkeypatch):
    import skinlog.domain.effects as effects

    def broken(*args, **kwargs):
        raise ValueError("singular matrix")

    monkeypatch.setattr(effects, "evaluate_all", broken)

    async def scenario():
        async with open_app(demo_journal(tmp_path), size=(80, 24)) as (app, pilot):
            screen = await open_insights(app, pilot)
            assert screen.state == "failed"
            assert "Could not work the evaluations out: singular matrix" in screen_text(app)
            await pilot.press("f2")  # the app goes on
            await pilot.pause()
            assert app.current_mode == "today"

    run(scenario)
