"""Preferences: kept atomically in the config folder, and a bad file never stops the app."""

from __future__ import annotations

import json
import os

import pytest

from skinlog.services import preferences


@pytest.fixture
def config(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path / "config" / "skinlog" / "preferences.json"


def test_the_file_lives_in_xdg_config_home(config):
    assert preferences.preferences_path() == str(config)


def test_a_relative_xdg_config_home_is_ignored(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CONFIG_HOME", "relative/dir")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert preferences.config_dir() == str(tmp_path / ".config" / "skinlog")


def test_saved_values_read_back_and_the_folder_is_private(config):
    preferences.save({"theme": "nord", "start_view": "history", "other": "x"})
    assert json.loads(config.read_text()) == {"start_view": "history", "theme": "nord"}
    assert preferences.load().values == {"start_view": "history", "theme": "nord"}
    assert oct(config.parent.stat().st_mode & 0o777) == "0o700"
    assert oct(config.stat().st_mode & 0o777) == "0o600"
    assert [p.name for p in config.parent.iterdir()] == ["preferences.json"]  # no temp file left


def test_no_file_means_defaults_and_no_notice(config):
    prefs = preferences.load()
    assert prefs.values == {} and prefs.notice == ""


@pytest.mark.parametrize(
    ("make", "why"),
    [
        (lambda p: p.write_bytes(b"{not json"), "not JSON"),
        (lambda p: p.write_bytes(b"\xff\xfe\x00"), "not JSON"),
        (lambda p: p.write_text("[1, 2]"), "not a JSON object"),
        (lambda p: p.write_bytes(b"[" * 100_00 + b"]" * 100_00), "too large"),
        (lambda p: p.write_bytes(b" " * (preferences.MAX_BYTES + 1)), "too large"),
        (lambda p: p.mkdir(), "folder"),
        (lambda p: p.symlink_to("/dev/zero"), "not a regular file"),
        (lambda p: os.mkfifo(p), "not a regular file"),
    ],
)
def test_a_hostile_file_is_ignored_with_one_notice(config, make, why):
    config.parent.mkdir(parents=True)
    make(config)
    prefs = preferences.load()
    assert prefs.values == {}
    assert why in prefs.notice and str(config) in prefs.notice


def test_wrong_types_and_unknown_keys_are_left_out_and_the_values_said(config):
    config.parent.mkdir(parents=True)
    config.write_text(json.dumps({"theme": 3, "start_view": "x" * 500, "trends_range": "all", "evil": "y"}))
    prefs = preferences.load()
    assert prefs.values == {"trends_range": "all"}
    # one notice names what could not be used (an unknown key is simply not skinlog's)
    assert prefs.notice.startswith(f"Preferences in {config}: theme 3, start view ")
    assert "are not values skinlog can use; using the default." in prefs.notice
    assert "evil" not in prefs.notice and len(prefs.notice) < 300


@pytest.mark.parametrize("value", [7, ["4w"], "4w\x1b[2J", None])
def test_one_unusable_value_is_said(config, value):
    config.parent.mkdir(parents=True)
    config.write_text(json.dumps({"trends_range": value}))
    prefs = preferences.load()
    assert prefs.values == {}
    assert prefs.notice.endswith("is not a value skinlog can use; using the default.")
    assert "trends range" in prefs.notice and "\x1b" not in prefs.notice


def test_a_linked_preferences_file_is_written_through_to_its_target(config, tmp_path):
    dotfiles = tmp_path / "dotfiles" / "skinlog.json"
    dotfiles.parent.mkdir()
    dotfiles.write_text(json.dumps({"theme": "nord"}))
    config.parent.mkdir(parents=True)
    config.symlink_to(dotfiles)
    preferences.save({"theme": "gruvbox"})
    assert config.is_symlink()
    assert json.loads(dotfiles.read_text()) == {"theme": "gruvbox"}


def test_unknown_values_are_named_with_what_is_used_instead(config):
    config.parent.mkdir(parents=True)
    config.write_text(json.dumps({"theme": "solarised", "start_view": "calender", "trends_range": "all"}))
    prefs = preferences.load()
    known = {"theme": (("nord", "textual-dark"), "textual-dark"), "start_view": (("today",), "today")}
    notice = preferences.unknown_values(prefs, known)
    assert notice == (
        f"Preferences in {config}: theme 'solarised' is not one skinlog knows; using 'textual-dark'; "
        "start view 'calender' is not one skinlog knows; using 'today'."
    )
    config.write_text(json.dumps({"theme": "nord", "start_view": "today"}))
    assert preferences.unknown_values(preferences.load(), known) == ""
