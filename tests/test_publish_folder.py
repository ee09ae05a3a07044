"""`narrate publish` to a folder (an nginx document root): the same semantics as a bucket: every public file
copied whole in the safe order, only what changed sent again, deletions last and only in narrate's own
folders; killing it is in test_publish_kill.py."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from narrate import layout, load_config
from narrate.cli import app
from narrate.config.settings import PUBLISH_GROUPS
from narrate.errors import PublishError
from narrate.publish.targets import FolderTarget
from narrate.tools.publish import publish

from . import fake_backend
from .conftest import make_project
from .test_incremental import SEED_PARAGRAPH_3, edit_seed
from .test_publish_s3 import local_files


@pytest.fixture
def site(tmp_path, monkeypatch) -> Path:
    """The seed built (counting backend) in tmp/site, publishing to tmp/www."""
    fake_backend.install(monkeypatch)
    config = make_project(tmp_path / "site", backend="counting")
    config.write_text(config.read_text(encoding="utf-8") + '\n[publish]\ntarget = "../www"\n', encoding="utf-8")
    assert CliRunner().invoke(app, ["build", "--config", str(config)]).exit_code == 0
    return config


def test_a_folder_receives_every_public_file_readable_by_the_web_server_and_nothing_of_narrates_own(site):
    www = site.parent.parent / "www"
    result = CliRunner().invoke(app, ["publish", "--config", str(site)])
    assert result.exit_code == 0, result.output
    assert local_files(www) == local_files(site.parent) and len(local_files(www)) == 12
    assert not (www / ".narrate").exists() and not (www / "seeds").exists() and not (www / "narrate.toml").exists()
    assert all(stat.S_IMODE(path.stat().st_mode) == 0o644 for path in www.rglob("*") if path.is_file())
    again = CliRunner().invoke(app, ["publish", "--config", str(site)])
    assert "sent 0 files (0 bytes), deleted 0, 12 unchanged" in again.output


def test_an_edit_sends_only_what_changed_in_order_and_stale_files_go_last(site, monkeypatch):
    www = site.parent.parent / "www"
    report = publish(load_config(site))
    assert report.sent == 12
    (www / "audio" / "withdrawn.mp3").write_bytes(b"old")
    (www / "embeds" / "withdrawn").mkdir()
    (www / "embeds" / "withdrawn" / "index.html").write_text("<p>old</p>")
    foreign = [www / "images" / "logo.png", www / "audio" / ".htaccess", www / "robots.txt"]
    for path in foreign:
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(b"not narrate's")
    edit_seed(site.parent, SEED_PARAGRAPH_3, "The secretary general of NATO made the comments on his first visit")
    assert CliRunner().invoke(app, ["build", "--config", str(site)]).exit_code == 0

    before = local_files(www)
    changed = {path for path, data in local_files(site.parent).items() if before.get(path) != data}
    done: list[str] = []
    put, delete = FolderTarget.put, FolderTarget.delete
    monkeypatch.setattr(FolderTarget, "put", lambda self, *args: (done.append(args[1].file.path), put(self, *args))[1])
    monkeypatch.setattr(FolderTarget, "delete", lambda self, paths: (done.extend(f"-{p}" for p in paths),
                                                                     delete(self, paths))[1])
    report = publish(load_config(site))
    assert (report.deleted, report.sent) == (2, len(done) - 2)
    groups = [ORDER.index(stage(path)) for path in done]
    assert groups == sorted(groups) and done[-2:] == ["-audio/withdrawn.mp3", "-embeds/withdrawn/index.html"]
    assert set(done[:-2]) == changed and {Path(path).suffix for path in changed} >= {".mp3", ".vtt", ".html", ".xml"}
    assert local_files(www) == local_files(site.parent)
    assert not (www / "embeds" / "withdrawn").exists(), "an emptied embed folder is left"
    assert all(path.read_bytes() == b"not narrate's" for path in foreign)


ORDER = (*PUBLISH_GROUPS, "deletions")


def stage(done: str) -> str:
    return "deletions" if done.startswith("-") else layout.publish_group(done)


def test_a_damaged_upload_record_costs_a_warning_and_a_fresh_copy_never_a_traceback(site):
    www = site.parent.parent / "www"
    publish(load_config(site))
    [record] = (site.parent / ".narrate").glob("uploads-*.json")
    record.write_text('{"index.html": 7}')
    result = CliRunner().invoke(app, ["publish", "--config", str(site)])
    assert result.exit_code == 0 and "Traceback" not in result.output
    assert f"Warning: {record}: has the wrong shape" in " ".join(result.output.split())
    assert "sent 12 files" in result.output and local_files(www) == local_files(site.parent)
    assert "sent 0 files" in CliRunner().invoke(app, ["publish", "--config", str(site)]).output


@pytest.mark.parametrize("output, target", [("site", "site"), ("site", "site/mirror"), ("www/audio/build", "www")],
                         ids=["the output itself", "inside the output", "around the output"])
def test_a_target_folder_that_overlaps_the_output_is_refused(tmp_path, output, target):
    config = make_project(tmp_path / "project", seeds=False)
    settings = f'output = "{tmp_path / output}"\n\n[publish]\ntarget = "{tmp_path / target}"\n'
    config.write_text(config.read_text(encoding="utf-8") + settings, encoding="utf-8")
    with pytest.raises(PublishError, match="overlap"):
        publish(load_config(config))


def test_publish_without_a_publish_section_says_what_to_add(tmp_path):
    config = make_project(tmp_path)
    result = CliRunner().invoke(app, ["publish", "--config", str(config)])
    assert result.exit_code == 1
    assert "narrate.toml has no [publish] section" in result.output and "Traceback" not in result.output


def test_publish_refuses_an_output_without_a_feed_rather_than_emptying_the_target(tmp_path):
    config = make_project(tmp_path / "site")
    config.write_text(config.read_text(encoding="utf-8") + '\n[publish]\ntarget = "../www"\n', encoding="utf-8")
    (tmp_path / "www" / "audio").mkdir(parents=True)
    (tmp_path / "www" / "audio" / "episode.mp3").write_bytes(b"published")
    with pytest.raises(PublishError, match="holds no feed"):
        publish(load_config(config))
    assert (tmp_path / "www" / "audio" / "episode.mp3").exists()
