"""salto_analysis.briefing.cli: the options and exit statuses of salto-briefing."""

from __future__ import annotations

import subprocess
import sys

import pytest

from salto_analysis.briefing.cli import build_parser, main


def test_help_explains_every_option():
    text = " ".join(build_parser().format_help().split())  # ignore line wrapping
    for option in ("--year", "--data-dir", "--out", "--params", "--lang", "--jobs", "--only", "--timeout",
                   "--start-timeout", "--briefing", "--previous", "--no-previous"):
        assert option in text, option
    assert "later files override earlier ones" in text
    assert "default: reports/<year>" in text and "default: data/sample" in text
    assert "Norwegian bokmål" in text


def test_python_dash_m_works():
    proc = subprocess.run([sys.executable, "-m", "salto_analysis.briefing", "--help"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and proc.stdout.startswith("usage: salto-briefing")


@pytest.mark.parametrize("args", [["--lang", "de"], ["--jobs", "0"], ["--timeout", "soon"], ["--bogus"]])
def test_bad_options_exit_2(args, capsys):
    with pytest.raises(SystemExit) as info:
        main(args)
    assert info.value.code == 2
    assert "salto-briefing: error:" in capsys.readouterr().err


def test_a_plan_error_exits_2_and_says_nothing_ran(tmp_path, capsys):
    assert main(["--briefing", str(tmp_path / "missing.yml"), "--year", "2025"]) == 2
    err = capsys.readouterr().err
    assert "briefing list" in err and "does not exist" in err and "nothing was run" in err


def test_ctrl_c_while_checking_the_plan_exits_130(monkeypatch, capsys):
    from salto_analysis.briefing import plan

    def interrupted(options):
        raise KeyboardInterrupt

    monkeypatch.setattr(plan, "prepare", interrupted)
    assert main(["--year", "2025"]) == 130
    assert capsys.readouterr().err == "salto-briefing: INTERRUPTED while checking the plan; nothing was run.\n"


def test_last_years_briefing_is_found_beside_out_and_checked(tmp_path):
    from salto_analysis.briefing.plan import MARKER, BriefingError, Options, _previous

    out = tmp_path / "2025"
    assert _previous(Options(year=2025), out, 2025) is None  # no 2024 folder
    (tmp_path / "2024").mkdir()
    assert _previous(Options(year=2025), out, 2025) is None  # a folder, but not a briefing
    (tmp_path / "2024" / MARKER).write_text("{}")
    assert _previous(Options(year=2025), out, 2025) == tmp_path / "2024"
    assert _previous(Options(year=2025, no_previous=True), out, 2025) is None
    with pytest.raises(BriefingError, match="is not a salto-briefing output folder"):
        _previous(Options(year=2025, previous=str(tmp_path)), out, 2025)
    (out).mkdir()
    (out / MARKER).write_text("{}")
    with pytest.raises(BriefingError, match="is the same folder as --out"):
        _previous(Options(year=2025, previous=str(out)), out, 2025)
