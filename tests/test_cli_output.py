"""What the command line prints: user text as written (never as markup), help with its brackets,
narrate's own log lines only, --quiet, --json, progress that fits 80 columns, one line per error."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from narrate.cli import app

from .conftest import BASE_URL, make_project

BRACKETED_TITLE = "Best of [/r/ukraine] this week"
BRACKETED_BODY = "This is [bold]x[/bold] and [red] too. A second sentence follows."
FEED = Path(__file__).parent / "data" / "readers" / "feed" / "feed.xml"


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def run_narrate(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """The real command in its own process: logging and the terminal are set up as a user's would be."""
    return subprocess.run(
        [sys.executable, "-m", "narrate", *args], cwd=cwd, capture_output=True, text=True, timeout=120,
        env={**os.environ, **env},
    )


def espeak_project(root: Path) -> Path:
    """A project of the espeak-ng voice (fast, real) and one Markdown article whose text looks like markup."""
    config = make_project(root, backend="espeak-ng", seeds=False)
    article = f'---\ntitle: "{BRACKETED_TITLE}"\n---\n\n{BRACKETED_BODY}\n'
    (root / "seeds" / "bracketed.md").write_text(article, encoding="utf-8")
    return config


def no_traceback(result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output


def test_titles_and_text_that_look_like_markup_are_printed_as_written(tmp_path):
    config = espeak_project(tmp_path)
    dry = run("build", "--dry-run", "--config", str(config))
    no_traceback(dry)
    assert dry.exit_code == 0 and BRACKETED_TITLE in dry.stdout

    built = run("build", "--config", str(config))
    no_traceback(built)
    assert built.exit_code == 0, built.output

    inspected = run("inspect", str(tmp_path / "seeds" / "bracketed.md"), "--config", str(config))
    no_traceback(inspected)
    assert inspected.exit_code == 0
    assert BRACKETED_TITLE in inspected.stdout and "[bold]x[/bold] and [red] too." in inspected.stdout


def test_an_error_about_bracketed_text_keeps_its_brackets(tmp_path):
    config = make_project(tmp_path, backend="espeak-ng", seeds=False)
    (tmp_path / "seeds" / "[bold]x[red].txt").write_text("   \n", encoding="utf-8")
    result = run("build", "--config", str(config))
    assert result.exit_code == 1
    assert "[bold]x[red].txt: no headline" in result.stderr


def test_a_backend_s_install_hint_keeps_its_brackets(monkeypatch):
    import narrate.tts.voices

    class Missing:
        name = "missing"

        @classmethod
        def unavailable(cls) -> str:
            return 'Missing is not installed: pip install "narrate[missing]"'

    monkeypatch.setattr(narrate.tts.voices, "installed_backends", lambda: {"missing": Missing})
    result = run("voices")
    assert result.exit_code == 0
    assert 'pip install "narrate[missing]"' in result.stdout


def _commands():
    from typer.main import get_command

    group = get_command(app)
    return [(name, command) for name, command in group.commands.items()]


@pytest.mark.parametrize("name", [name for name, _ in _commands()])
def test_every_command_s_help_keeps_the_brackets_of_its_texts(name):
    command = dict(_commands())[name]
    texts = [command.help or "", *(getattr(param, "help", None) or "" for param in command.params)]
    bracketed = {match for text in texts for match in re.findall(r"\[[^\]\s]*\]", text)}
    result = run(name, "--help")
    assert result.exit_code == 0
    shown = " ".join(result.stdout.split())
    for text in bracketed:
        assert text in shown, f"{name} --help lost {text}"


def test_help_shows_defaults_in_brackets_and_voices_names_its_table():
    assert "[default: 300" in " ".join(run("build", "--help").stdout.split())
    assert "[voice.languages]" in run("voices", "--help").stdout


def test_library_log_lines_stay_hidden_and_verbose_shows_narrate_s_own_steps(tmp_path):
    espeak_project(tmp_path)
    # trafilatura logs "discarding data: None" for a page without main text; narrate reports the page itself.
    (tmp_path / "seeds" / "empty.html").write_text("<html><head><title>T</title></head><body></body></html>")
    quietly = run_narrate("build", cwd=tmp_path)
    assert quietly.returncode == 1
    assert [line for line in quietly.stderr.splitlines() if line] == [
        f"Error: {tmp_path / 'seeds' / 'empty.html'}: no main text found in the page"
    ]

    (tmp_path / "seeds" / "empty.html").unlink()
    (tmp_path / "seeds" / "bracketed.md").write_text(f"# Edited title\n\n{BRACKETED_BODY}\n", encoding="utf-8")
    verbose = run_narrate("build", "-v", cwd=tmp_path)
    assert verbose.returncode == 0, verbose.stderr
    lines = [line for line in verbose.stderr.splitlines() if line]
    assert lines and all(line.startswith("narrate.") for line in lines), lines
    said = "\n".join(lines)
    assert ": 1 article(s), 0 failed" in said and "1 of 1 episodes to synthesise" in said
    assert "encoded best-of-r-ukraine-this-week.mp3" in said and "published" in said and "feeds/test.xml" in said


def test_quiet_prints_only_errors_whichever_side_of_the_command_it_is_on(tmp_path):
    config = espeak_project(tmp_path)
    config.write_text(config.read_text(encoding="utf-8") + 'colour = "blue"\n', encoding="utf-8")
    (tmp_path / "seeds" / "empty.txt").write_text("  \n", encoding="utf-8")
    for args in (["-q", "build"], ["build", "-q"], ["build", "--quiet", "-v"]):
        result = run(*args, "--config", str(config))
        assert result.exit_code == 1
        assert result.stdout == ""
        assert result.stderr.splitlines() == [f"Error: {tmp_path / 'seeds' / 'empty.txt'}: no headline or body text found"]


def test_build_json_is_one_parsable_report_per_build_and_dry_run(tmp_path):
    config = espeak_project(tmp_path)
    (tmp_path / "seeds" / "empty.txt").write_text("  \n", encoding="utf-8")

    planned = run("build", "--dry-run", "--json", "--config", str(config))
    assert planned.exit_code == 1
    plan = json.loads(planned.stdout)
    [episode] = plan["episodes"]
    assert episode["title"] == BRACKETED_TITLE and episode["encode"] is True and episode["voice"] == "espeak-ng"
    assert episode["to_synthesise"] == episode["sentences"] == 3
    assert plan["totals"] == {"episodes": 1, "to_encode": 1, "to_synthesise": 3, "failed": 1}
    assert not (tmp_path / "audio").exists()

    first = json.loads(run("build", "--json", "--config", str(config)).stdout)
    [built] = first["episodes"]
    assert built["title"] == BRACKETED_TITLE and built["status"] == "encoded" and built["voice"] == "espeak-ng"
    assert Path(built["file"]).is_file() and built["file"].endswith(".mp3")
    assert built["url"] == BASE_URL + "audio/" + Path(built["file"]).name
    assert built["source"] == str(tmp_path / "seeds" / "bracketed.md") and built["duration"] > 1
    [failure] = first["failures"]
    assert failure["file"] == str(tmp_path / "seeds" / "empty.txt") and "no headline" in failure["message"]
    assert first["feeds"] == [str(tmp_path / "feeds" / "test.xml")]
    assert first["totals"]["episodes"] == 1 and first["totals"]["encoded"] == 1 and first["totals"]["failed"] == 1

    again = run("build", "--json", "--config", str(config))
    assert again.exit_code == 1
    [unchanged] = json.loads(again.stdout)["episodes"]
    assert unchanged["status"] == "unchanged" and unchanged["guid"] == built["guid"]


ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def test_progress_counts_sentences_shows_the_time_left_and_fits_80_columns(tmp_path):
    config = make_project(tmp_path, backend="espeak-ng", seeds=False)
    title = "A very long title about the [/r/ukraine] events of the week in parliament, the government and beyond"
    body = "\n\n".join(f"Paragraph {n} says what happened today. It has a second sentence too." for n in range(40))
    (tmp_path / "seeds" / "long.md").write_text(f'---\ntitle: "{title}"\n---\n\n{body}\n', encoding="utf-8")
    result = run_narrate("build", cwd=tmp_path, COLUMNS="80", TTY_COMPATIBLE="1")
    assert result.returncode == 0, result.stderr
    screen = [ANSI.sub("", line) for line in re.split(r"[\r\n]", result.stdout + result.stderr)]
    too_wide = [line for line in screen if len(line) > 80]
    assert not too_wide, too_wide
    bars = [line for line in screen if "━" in line]
    assert bars and not any("paragraphs" in line for line in bars)
    assert any(re.search(r"\d/81 sentences \d:\d\d:\d\d left$", line) for line in bars), set(bars)
    assert any(line.startswith("  A very long title about the [/r/ukr") for line in bars), bars
    assert config.exists()


def test_an_error_about_a_file_whose_name_holds_a_newline_is_one_line(tmp_path):
    config = make_project(tmp_path, backend="espeak-ng", seeds=False)
    (tmp_path / "seeds" / "good.txt").write_text("A title\n\nA body sentence.\n", encoding="utf-8")
    (tmp_path / "seeds" / "bad\nname\x1b[31m.txt").write_text("  \n", encoding="utf-8")
    result = run("build", "--config", str(config))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"Error: {tmp_path / 'seeds'}/bad\\nname\\x1b[31m.txt: no headline or body text found"]


def test_inspect_lists_a_feed_s_articles_and_takes_one_by_number():
    listed = run("inspect", str(FEED))
    assert listed.exit_code == 1
    [line] = listed.stderr.splitlines()
    assert "--item N" in line
    assert "1: Ferry timetable changes on Monday" in line and "2: Library reopens after the flood" in line
    assert "1 more could not be read" in line

    second = run("inspect", str(FEED), "--item", "2", "--json")
    assert second.exit_code == 0
    assert json.loads(second.stdout)["title"] == "Library reopens after the flood"

    beyond = run("inspect", str(FEED), "--item", "9")
    assert beyond.exit_code == 1 and "no item 9" in beyond.stderr
