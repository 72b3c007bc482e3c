"""Headline cores: what a dressed-up headline wraps, and what is too short to name a story."""

from __future__ import annotations

import os
import subprocess
import sys

from newstrace.headlines import headline_cores, headline_hash, norm_title


def test_a_dressed_up_headline_has_the_plain_one_among_its_cores() -> None:
    plain = "Ships held at the port for a week"
    for dressed in (f"BREAKING: {plain}", f"Is {plain.lower()}?", f"{plain} | The New York Times", f"Watch: {plain}!",
                    plain.upper()):
        assert norm_title(plain) in headline_cores(dressed), dressed
    cores = headline_cores(f"BREAKING: {plain}")
    assert cores[0] == norm_title(f"BREAKING: {plain}")  # the whole headline first
    assert all(len(c.split()) >= 4 for c in cores)
    assert norm_title(plain) not in headline_cores(f"Five things to know: {plain} and more")  # four words added


def test_short_headlines_and_single_words_have_no_cores_but_chinese_has() -> None:
    assert headline_cores("Weather today") == []
    assert headline_cores("Live on the war now") == []  # five words, but under 20 characters
    assert headline_cores("Coronavirusupdatesworldwide") == []  # one long Latin "word" is no unspaced script
    zh = headline_cores("重磅：这么的也根据在，各种详细如此开发和")
    assert "这么的也根据在各种详细如此开发和" in zh and all(len(c) >= 10 for c in zh)


def test_the_headline_hash_is_stable_across_processes() -> None:
    """Reuse keeps headline keys in its on-disk index: a key must not depend on the process's hash seed."""
    code = "from newstrace.headlines import headline_hash as h; print(h('ships held at the port for a week'))"
    seen = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout.strip() for seed in ("1", "2")}
    assert seen == {str(headline_hash("ships held at the port for a week"))}
    assert headline_hash("ships held at the port") != headline_hash("ships held at the port for a week")
