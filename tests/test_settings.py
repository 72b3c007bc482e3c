from __future__ import annotations

from pathlib import Path

import pytest

from newstrace.settings import SETTINGS, load_settings

README = Path(__file__).resolve().parents[1] / "README.md"


def test_every_setting_is_documented_in_the_readme() -> None:
    text = README.read_text(encoding="utf-8")
    missing = [s.name for s in SETTINGS if f"| `{s.name}` |" not in text]
    assert not missing, f"settings missing from the README's table: {missing}"


def test_precedence_flag_over_env_over_file_over_default(tmp_path: Path) -> None:
    cfg = tmp_path / "n.toml"
    cfg.write_text('[newstrace]\nbatch_size = 50\nrate_limit = 2.5\nallow_private = true\n')
    v = load_settings({}, cfg, environ={})
    assert (v["batch_size"], v["rate_limit"], v["allow_private"]) == (50, 2.5, True)
    v = load_settings({}, cfg, environ={"NEWSTRACE_BATCH_SIZE": "70", "NEWSTRACE_ALLOW_PRIVATE": "no"})
    assert v["batch_size"] == 70 and v["allow_private"] is False
    v = load_settings({"batch_size": 90}, cfg, environ={"NEWSTRACE_BATCH_SIZE": "70"})
    assert v["batch_size"] == 90
    assert load_settings({}, tmp_path / "absent.toml", environ={})["batch_size"] == 200


def test_bad_values_are_named(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="batch_size"):
        load_settings({}, None, environ={"NEWSTRACE_BATCH_SIZE": "many"})
    cfg = tmp_path / "n.toml"
    cfg.write_text("bogus = 1\n")
    with pytest.raises(ValueError, match="unknown setting 'bogus'"):
        load_settings({}, cfg, environ={})


def test_workers_zero_means_all_cores() -> None:
    assert load_settings({}, None, environ={})["workers"] >= 1
