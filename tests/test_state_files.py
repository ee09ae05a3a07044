"""narrate's four JSON state files, each damaged after a real build: what can be derived is rebuilt
with a warning, identities.json stops the build in one line, and no episode's GUID ever changes."""

from __future__ import annotations

import datetime as dt
import json
import random
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from typer.testing import CliRunner

import narrate
from narrate import build, load_config
from narrate.cli import app
from narrate.model import PublishedNames
from narrate.state.identities import load_identities, save_identities
from narrate.state.json_file import DamagedStateError

from . import fake_backend
from .conftest import make_project, published_feed

DERIVABLE = ("memo.json", "languages.json", "episodes.json")
KEPT = "identities.json"
SECOND_ARTICLE = "---\ntitle: A second article\ndate: 2024-10-16\n---\n\nIt is short, and listed too.\n"


def first_string_made_a_number(data: bytes) -> bytes:
    """Valid JSON of the wrong shape, deep inside: the first string value (in document order) becomes 7."""
    stored = json.loads(data)
    container, key = first_string(stored)
    container[key] = 7
    return json.dumps(stored).encode()


def first_string(value: Any) -> Any:
    """(the object or array, its key) holding the first string value below `value`; None if none."""
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        if isinstance(item, str):
            return value, key
        if found := first_string(item):
            return found
    return None


DAMAGES = {
    "truncated": lambda data: data[: len(data) // 2],
    "random bytes": lambda data: random.Random(12).randbytes(len(data)),
    "an array for an object": lambda data: json.dumps(list(json.loads(data).values())).encode(),
    "a number for a string": first_string_made_a_number,
    "deleted": None,
}


@pytest.fixture(scope="module")
def first_build(tmp_path_factory) -> Path:
    """A project after its first real build (fake voice): two episodes, each state file written."""
    root = tmp_path_factory.mktemp("first-build")
    config = make_project(root, backend="counting")
    (root / "seeds" / "second.md").write_text(SECOND_ARTICLE, encoding="utf-8")
    with pytest.MonkeyPatch.context() as monkeypatch:
        fake_backend.install(monkeypatch)
        assert len(build(load_config(config)).episodes) == 2
    return root


@pytest.fixture
def project(first_build, tmp_path, monkeypatch) -> Path:
    """A copy of the first build, built once more where it now lies (the memo remembers files by path)."""
    root = tmp_path / "project"
    shutil.copytree(first_build, root, symlinks=True)
    fake_backend.install(monkeypatch)
    assert build(load_config(root / "narrate.toml")).warnings == ()
    return root


def guids(root: Path) -> dict[str, str]:
    """Each episode's file name, with its GUID, as the published feed lists them."""
    return {Path(e["enclosures"][0]["url"]).name: e["guid"] for e in published_feed(root)["episodes"]}


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(path.relative_to(root)): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def build_through_the_cli(root: Path) -> Result:
    result = CliRunner().invoke(app, ["build", "--config", str(root / "narrate.toml")])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result


def damage(path: Path, how: str) -> None:
    spoil = DAMAGES[how]
    if spoil is None:
        path.unlink()
    else:
        path.write_bytes(spoil(path.read_bytes()))


@pytest.mark.parametrize("how", DAMAGES)
@pytest.mark.parametrize("name", DERIVABLE)
def test_a_damaged_derivable_file_is_rebuilt_with_one_warning_and_the_same_output(project, name, how):
    state = project / ".narrate" / name
    before = snapshot(project)
    published = guids(project)
    damage(state, how)

    result = build_through_the_cli(project)
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Warning:")]
    if how == "deleted":
        assert warnings == []
    else:
        [warning] = warnings
        assert warning.startswith(f"Warning: {state}: ")
    assert snapshot(project) == before, "the file is made again as it was, and every output is the same"
    assert guids(project) == published


@pytest.mark.parametrize("how", [how for how in DAMAGES if how != "deleted"])
def test_a_damaged_identities_file_stops_the_build_in_one_line_and_writes_nothing(project, how):
    state = project / ".narrate" / KEPT
    published = guids(project)
    damage(state, how)
    before = snapshot(project)

    result = build_through_the_cli(project)
    assert result.exit_code == 1
    [line] = [line for line in result.stderr.splitlines() if line.strip()]
    assert line.startswith(f"Error: {state}: ")
    assert "restore it from a backup" in line and "delete it" in line
    assert snapshot(project) == before, "nothing written, and the damaged file left for the user to restore"

    state.unlink()
    assert build_through_the_cli(project).exit_code == 0, "the advice works: deleted, it is assigned afresh"
    assert guids(project) == published


def test_a_deleted_identities_file_names_the_episodes_afresh_with_the_same_guids(project):
    published = guids(project)
    (project / ".narrate" / KEPT).unlink()
    result = build_through_the_cli(project)
    assert result.exit_code == 0, result.output
    assert "Warning:" not in result.stderr
    assert guids(project) == published
    assert {i.guid for i in load_identities(project / ".narrate" / KEPT).values()} == set(published.values())


@pytest.mark.parametrize("slugs, problem", [
    (("../../outside", "second"), "not a file name narrate makes"),
    (("same", "same"), "two episodes have the same file name"),
])
def test_identities_that_would_write_outside_audio_or_to_one_file_twice_are_damage(tmp_path, slugs, problem):
    path = tmp_path / KEPT
    when = dt.datetime(2024, 10, 16, tzinfo=dt.timezone.utc)
    save_identities(path, {f"article-{n}": PublishedNames(slug, f"guid-{n}", when) for n, slug in enumerate(slugs)})
    with pytest.raises(DamagedStateError, match=problem) as raised:
        load_identities(path)
    assert raised.value.where == str(path)


def test_a_change_to_any_narrate_module_starts_the_memo_afresh(tmp_path):
    """The memo is valid only for the code that wrote it: all of narrate (here a speech rule), not only state/."""
    shutil.copytree(Path(narrate.__file__).parent, tmp_path / "narrate", ignore=shutil.ignore_patterns("__pycache__"))
    probe = [sys.executable, "-c", "from narrate.state.memo import code_digest; print(code_digest())"]

    def digest() -> str:
        run = subprocess.run(probe, capture_output=True, text=True, cwd=tmp_path, env={"PYTHONPATH": str(tmp_path)})
        assert run.returncode == 0, run.stderr
        return run.stdout.strip()

    before = digest()
    with open(tmp_path / "narrate" / "speech" / "rules.py", "a", encoding="utf-8") as rules:
        rules.write("\n# a local change\n")
    assert digest() != before
