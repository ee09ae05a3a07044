"""Bad input ends in clear one-line errors and a non-zero exit, never a traceback; good articles still build."""

from __future__ import annotations


import pytest
from typer.testing import CliRunner

from narrate import __version__
from narrate.cli import app

from .conftest import make_project

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def test_version_and_help():
    assert run("--version").stdout.strip() == f"narrate {__version__}"
    help_text = run("build", "--help").stdout
    for flag in ("--config", "--input", "--output", "--jobs"):
        assert flag in help_text


def test_missing_config_file(tmp_path):
    result = run("build", "--config", str(tmp_path / "nope.toml"))
    assert result.exit_code == 1
    assert "Error:" in result.stderr and "no config file" in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_every_config_problem_is_listed_at_once(tmp_path):
    config = tmp_path / "narrate.toml"
    config.write_text(
        '[feed]\ntitle = 5\nbase_url = "ftp://x"\nauthor = "A"\nowner_email = "nobody"\n'
        'description = "d"\nimage = "missing.png"\ncolour = "blue"\n[audio]\nbitrate = 65\n',
        encoding="utf-8",
    )
    result = run("build", "--config", str(config))
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    expected = [
        "feed.title must be a string",
        "audio.bitrate must be one of",
        "base_url must be an http(s) URL",
        "owner_email must be an e-mail",
        "feed.image 'missing.png' does not exist",
    ]
    assert len(errors) == len(expected)
    for problem in expected:
        assert any(problem in line for line in errors), problem
    assert "unknown key feed.colour ignored" not in result.stdout
    assert "Traceback" not in result.output


@pytest.mark.parametrize("name", ["news#1", "morning news", "news\\nextra", ".hidden", "nachrichten-ü", "a/b", ""])
def test_a_feed_name_that_would_break_its_url_is_refused_in_one_line(tmp_path, name):
    config = make_project(tmp_path)
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace('name = "test"', f'name = "{name}"'), encoding="utf-8")
    result = run("build", "--config", str(config))
    assert result.exit_code == 1
    [line] = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert "feed.name must be made of letters, digits, '-', '_' and '.'" in line
    assert not (tmp_path / "feeds").exists()


@pytest.mark.parametrize("name", ["news", "Morning_News-2.uk", "1"])
def test_a_plain_feed_name_names_the_feed_file(tmp_path, name):
    from narrate import load_config

    config = make_project(tmp_path)
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace('name = "test"', f'name = "{name}"'), encoding="utf-8")
    assert load_config(config).feed.name == name


def test_unknown_key_is_a_warning_that_names_it(tmp_path):
    config = make_project(tmp_path)
    config.write_text(config.read_text(encoding="utf-8") + 'colour = "blue"\n', encoding="utf-8")
    result = run("build", "--config", str(config))
    assert result.exit_code == 0
    assert "Warning:" in result.stderr and "build.colour" in result.stderr


@pytest.mark.parametrize(
    "command", [["build"], ["clean"], ["voices"], ["inspect", "article.txt"], ["say", "Hi.", "-o", "x.mp3"], ["serve"]]
)
def test_invalid_toml_is_one_line_naming_the_file_whatever_the_command(tmp_path, command):
    config = tmp_path / "narrate.toml"
    config.write_text("[feed\ntitle=", encoding="utf-8")
    result = run(*command, "--config", str(config))
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith(f"Error: {config}: not valid TOML")
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_usage_error_is_still_the_command_line_parser_s_exit_status_2():
    result = run("build", "--jobs", "several")
    assert result.exit_code == 2 and "--jobs" in result.stderr


def test_no_articles_found(tmp_path):
    config = make_project(tmp_path, seeds=False)
    result = run("build", "--config", str(config))
    assert result.exit_code == 1
    assert "no articles found" in result.stderr
    assert not (tmp_path / "feeds").exists(), "nothing is written when there is nothing to build"


def test_unreadable_article_is_reported_and_the_others_still_build(tmp_path):
    config = make_project(tmp_path)
    (tmp_path / "seeds" / "empty.txt").write_text("   \n", encoding="utf-8")
    (tmp_path / "seeds" / "binary.txt").write_bytes(bytes(range(256)) * 4)
    result = run("build", "--config", str(config))
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 2
    assert any("empty.txt" in line and "no headline" in line for line in errors)
    assert any("binary.txt" in line and "binary data, not text" in line for line in errors)
    assert "Built 1 episode, 2 failed" in result.stdout
    assert len(list((tmp_path / "audio").glob("*.mp3"))) == 1
    assert (tmp_path / "feeds" / "test.xml").is_file()


@pytest.mark.parametrize("flag", ["--input", "--output"])
def test_command_line_folders_override_the_config(tmp_path, flag):
    config = make_project(tmp_path / "project")
    elsewhere = tmp_path / "elsewhere"
    if flag == "--input":
        (tmp_path / "project" / "seeds").rename(elsewhere)
    result = run("build", "--config", str(config), flag, str(elsewhere), "--jobs", "1")
    assert result.exit_code == 0, result.output
    output = elsewhere if flag == "--output" else tmp_path / "project"
    assert len(list((output / "audio").glob("*.mp3"))) == 1
    assert (output / "feeds" / "test.xml").is_file()


def test_missing_input_folder(tmp_path):
    config = make_project(tmp_path)
    result = run("build", "--config", str(config), "--input", str(tmp_path / "absent"))
    assert result.exit_code == 1 and "does not exist" in result.stderr
