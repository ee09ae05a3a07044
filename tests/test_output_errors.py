"""Output that cannot be written (a full disk, a read-only folder, a file in the way): one line naming
the path and what to do, exit status 1, and the feeds as they were. Builds run as real processes
whose files really cannot grow (RLIMIT_FSIZE, as a full disk) or whose folders really are read-only."""

from __future__ import annotations

import ctypes
import os
import resource
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from typer.testing import CliRunner

from narrate import build, load_config
from narrate.cli import app
from narrate.state.identities import load_identities

from . import fake_backend
from .conftest import make_project, published_feed, published_files
from .plugins import install_tone_backend

PR_CAPBSET_DROP = 24
ROOT_OVERRIDES = (1, 2, 3)
"""CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER: what lets root write to read-only files (tests run as root)."""
NOT_CHANGED = "the feeds were not changed"
KEPT = "its published episode is kept"


def story(number: int, extra: str = "") -> str:
    body = "\n\n".join(f"Paragraph {p} of story {number} says what happened, in a sentence or two." for p in range(6))
    return f" date 2024-10-{number + 1:02d} \nStory number {number}{extra}\n\n{body}\n"


def tone_project(root: Path) -> tuple[Path, dict[str, str]]:
    """Three stories, spoken by the tone plugin in real build processes, built once."""
    env = install_tone_backend(root / "plugins")
    config = make_project(root, backend="tone", seeds=False)
    for number in range(3):
        (root / "seeds" / f"story{number}.txt").write_text(story(number), encoding="utf-8")
    assert run_build(config, env).returncode == 0
    return config, env


def run_build(config: Path, env: dict[str, str], *limits: Callable[[], None]) -> subprocess.CompletedProcess[str]:
    def before_exec() -> None:
        for limit in limits:
            limit()

    return subprocess.run(
        [sys.executable, "-m", "narrate", "build", "--config", str(config)],
        env=env, capture_output=True, text=True, timeout=120, preexec_fn=before_exec,
    )


def file_size_limit(size: int) -> Callable[[], None]:
    """No file may grow past `size` bytes, as on a full disk: writes fail with EFBIG (not SIGXFSZ)."""
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    return apply


def read_only_honoured() -> None:
    """Root ignores file permissions; without these capabilities a read-only folder is read-only to it too."""
    if os.geteuid() == 0:
        libc = ctypes.CDLL(None, use_errno=True)
        for capability in ROOT_OVERRIDES:
            if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
                raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def one_error(run: subprocess.CompletedProcess[str]) -> str:
    assert run.returncode == 1, run.stdout + run.stderr
    assert "Traceback" not in run.stderr, run.stderr
    [line] = [line for line in run.stderr.splitlines() if line.startswith("Error:")]
    return line


def retagged(config: Path) -> None:
    """Another feed author: every episode's tags change, not its audio."""
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace('author = "Test Newsroom"', 'author = "Another Newsroom"'), encoding="utf-8")


def id3_size(mp3: bytes) -> int:
    """The ID3v2 tag's whole size (header and frames) at the start of an MP3."""
    assert mp3[:3] == b"ID3"
    return 10 + sum(byte << (7 * (3 - index)) for index, byte in enumerate(mp3[6:10]))


def test_a_full_disk_while_encoding_keeps_every_published_episode_and_the_feed(tmp_path):
    config, env = tone_project(tmp_path)
    before = published_files(tmp_path)
    assert all(len(data) > 40_000 for name, data in before.items() if name.endswith(".mp3"))
    config.write_text(config.read_text(encoding="utf-8") + "\n[audio]\nbitrate = 96\n", encoding="utf-8")

    run = run_build(config, env, file_size_limit(16_000))
    assert run.returncode == 1 and "Traceback" not in run.stderr, run.stderr
    errors = [line for line in run.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 3 and all(line.endswith(f"; {KEPT}") for line in errors), errors
    assert published_files(tmp_path) == before, "every episode, the feed and the players are as they were"
    assert len(published_feed(tmp_path)["episodes"]) == 3


def test_a_full_disk_while_tagging_stops_the_build_in_one_line_before_it_publishes(tmp_path):
    config, env = tone_project(tmp_path)
    before = published_files(tmp_path)
    mp3s = [data for name, data in before.items() if name.endswith(".mp3")]
    encoded = max(len(data) - id3_size(data) for data in mp3s)
    assert encoded + 1024 < min(len(data) for data in mp3s), "the tags (with the cover) outweigh the margin"
    retagged(config)

    line = one_error(run_build(config, env, file_size_limit(encoded + 1024)))
    assert "/audio/" in line and ".mp3: cannot write: File too large; free some disk space" in line, line
    assert line.endswith(f"; {NOT_CHANGED}")
    assert published_files(tmp_path) == before


def test_a_full_disk_while_writing_a_transcript_stops_the_build_in_one_line(tmp_path):
    config, env = tone_project(tmp_path)
    transcript = next((tmp_path / "audio").glob("*.vtt"))
    assert len(transcript.read_bytes()) > 300
    transcript.unlink()  # the next build writes it again, and nothing else
    before = published_files(tmp_path)
    line = one_error(run_build(config, env, file_size_limit(100)))
    assert line == f"Error: {transcript}: cannot write: File too large; free some disk space (or raise the file " \
                   f"size limit), then build again; {NOT_CHANGED}"
    assert published_files(tmp_path) == before
    assert run_build(config, env).returncode == 0 and transcript.is_file()


def test_a_read_only_state_folder_is_one_line_naming_it(tmp_path):
    config, env = tone_project(tmp_path)
    before = published_files(tmp_path)
    state = tmp_path / ".narrate"
    (state / "build.lock").chmod(0o444)
    state.chmod(0o555)
    try:
        line = one_error(run_build(config, env, read_only_honoured))
    finally:
        state.chmod(0o755)
    assert f"{state / 'build.lock'}: cannot write: Permission denied; make it writable" in line, line
    assert published_files(tmp_path) == before


def test_the_feeds_never_list_an_episode_whose_identity_is_not_saved(tmp_path):
    """Identities are saved before the feeds go live: when saving them fails, nothing is published,
    so an undated episode's first publication date (its pubDate) never changes afterwards."""
    config, env = tone_project(tmp_path)
    before = published_files(tmp_path)
    (tmp_path / "seeds" / "undated.txt").write_text("An undated story\n\nIt has no date line.\n", encoding="utf-8")
    state = tmp_path / ".narrate"
    state.chmod(0o555)  # its lock file and clip cache stay writable; no file can be added or replaced in it
    try:
        line = one_error(run_build(config, env, read_only_honoured))
    finally:
        state.chmod(0o755)
    assert f"{state / 'identities.json'}: cannot write: Permission denied" in line and line.endswith(NOT_CHANGED)
    saved = {names.guid for names in load_identities(state / "identities.json").values()}
    assert {item["guid"] for item in published_feed(tmp_path)["episodes"]} <= saved
    assert published_files(tmp_path) == before

    assert run_build(config, env).returncode == 0
    dates = {item["guid"]: item["published"] for item in published_feed(tmp_path)["episodes"]}
    assert len(dates) == 4
    assert run_build(config, env).returncode == 0
    assert {item["guid"]: item["published"] for item in published_feed(tmp_path)["episodes"]} == dates


def cli_error(*arguments: str) -> str:
    result = CliRunner().invoke(app, ["build", *arguments])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    [line] = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    return line


IN_THE_WAY = "a file is where a folder should be (or a folder where a file should be): move it away"


def test_a_file_where_the_state_folder_should_be_is_one_line(tmp_path, monkeypatch):
    fake_backend.install(monkeypatch)
    config = make_project(tmp_path, backend="counting")
    (tmp_path / ".narrate").write_text("not a folder", encoding="utf-8")
    line = cli_error("--config", str(config))
    assert f"{tmp_path / '.narrate'}: cannot write: File exists; {IN_THE_WAY}" in line
    assert not (tmp_path / "feeds").exists()


def test_an_output_that_names_a_file_is_one_line(tmp_path, monkeypatch):
    fake_backend.install(monkeypatch)
    config = make_project(tmp_path, backend="counting")
    output = tmp_path / "out.txt"
    output.write_text("a file", encoding="utf-8")
    line = cli_error("--config", str(config), "--output", str(output))
    assert line == f"Error: {output}: the output folder is a file; name a folder (build.output in the config, or --output)"


def test_a_file_where_the_audio_folder_should_be_stops_the_build_before_it_publishes(tmp_path, monkeypatch):
    fake_backend.install(monkeypatch)
    config = make_project(tmp_path, backend="counting")
    assert not build(load_config(config)).failures
    feed = (tmp_path / "feeds" / "test.xml").read_bytes()
    for path in (tmp_path / "audio").iterdir():
        path.unlink()
    (tmp_path / "audio").rmdir()
    (tmp_path / "audio").write_text("in the way", encoding="utf-8")
    line = cli_error("--config", str(config))
    assert f"{tmp_path / 'audio'}: cannot write: File exists; {IN_THE_WAY}" in line and line.endswith(NOT_CHANGED)
    assert (tmp_path / "feeds" / "test.xml").read_bytes() == feed


def test_a_folder_where_a_transcript_should_be_stops_the_build_before_the_feeds_move(tmp_path, monkeypatch):
    fake_backend.install(monkeypatch)
    config = make_project(tmp_path, backend="counting")
    report = build(load_config(config))
    feed = (tmp_path / "feeds" / "test.xml").read_bytes()
    transcript = report.episodes[0].audio_path.with_suffix(".vtt")
    transcript.unlink()
    transcript.mkdir()
    retagged(config)
    line = cli_error("--config", str(config))
    assert f"{transcript}: cannot write: Is a directory; {IN_THE_WAY}" in line and line.endswith(NOT_CHANGED)
    assert (tmp_path / "feeds" / "test.xml").read_bytes() == feed
