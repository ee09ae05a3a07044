"""An article removed from the input is withdrawn (principle 12): out of every feed, its files deleted
locally and on the next publish, its GUID and file name recorded and never reused; an emptied input
folder is refused rather than taken for a newsroom unpublishing everything."""

from __future__ import annotations

import json
import urllib.error
from pathlib import Path

import pytest
from typer.testing import CliRunner

from narrate import build, layout, load_config
from narrate.cli import app

from . import fake_backend
from .conftest import make_project, published_feed, published_files
from .test_keep_published import article

TITLES = {"a.md": "Alpha news", "b.md": "Beta news", "c.md": "Gamma news"}


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


def three_articles(root: Path, monkeypatch) -> Path:
    """Three Markdown articles built once, publishing to root/../www."""
    fake_backend.install(monkeypatch)
    config = make_project(root, backend="counting", seeds=False)
    config.write_text(config.read_text(encoding="utf-8") + '\n[publish]\ntarget = "../www"\n', encoding="utf-8")
    for name, title in TITLES.items():
        (root / "seeds" / name).write_text(article(title, f"The story of {title} is short."), encoding="utf-8")
    code, _, stderr = run("build", "--config", str(config))
    assert code == 0, stderr
    return config


def guids(root: Path) -> dict[str, str]:
    return {episode["title"]: episode["guid"] for episode in published_feed(root)["episodes"]}


def slug_of(root: Path, title: str) -> str:
    [episode] = [e for e in published_feed(root)["episodes"] if e["title"] == title]
    return Path(episode["enclosures"][0]["url"]).stem


def test_a_removed_article_leaves_the_feed_and_its_files_go_here_and_on_the_target(tmp_path, monkeypatch):
    root = tmp_path / "site"
    config = three_articles(root, monkeypatch)
    assert run("publish", "--config", str(config))[0] == 0
    before, ids, slug = published_files(root), guids(root), slug_of(root, "Gamma news")
    owned = {path for path in before if Path(path).name.startswith(f"{slug}.") or path.startswith(f"embeds/{slug}/")}
    assert len(owned) == 7, "MP3, .vtt, .srt, chapters, snippet, page and oEmbed"

    (root / "seeds" / "c.md").unlink()
    code, stdout, stderr = run("build", "--config", str(config))
    assert code == 0, stderr
    after = published_files(root)
    assert guids(root) == {title: guid for title, guid in ids.items() if title != "Gamma news"}
    assert not owned & set(after) and not (root / layout.embed_page(slug)).exists()
    assert f"Withdrawn: Gamma news ({ids['Gamma news']})" in stdout
    changed = {path for path in after if after[path] != before[path]}
    assert changed == {"feeds/test.xml", "index.html"}, "every other episode's files are byte-identical"

    code, stdout, _ = run("withdrawn", "--config", str(config))
    [line] = stdout.splitlines()
    assert "Gamma news" in line and ids["Gamma news"] in line
    [listed] = json.loads(run("withdrawn", "--config", str(config), "--json")[1])
    assert (listed["title"], listed["guid"], listed["slug"], listed["identity"]) == ("Gamma news", ids["Gamma news"], slug, "c.md")

    www = tmp_path / "www"
    assert all((www / name).is_file() for name in owned)
    assert run("publish", "--config", str(config))[0] == 0
    assert not any((www / name).exists() for name in owned)
    assert sorted(path.relative_to(www).as_posix() for path in www.rglob("*") if path.is_file()) == sorted(after)


def test_a_new_article_with_a_withdrawn_title_gets_its_own_file_name_and_guid(tmp_path, monkeypatch):
    config = three_articles(tmp_path, monkeypatch)
    old_guid, old_slug = guids(tmp_path)["Gamma news"], slug_of(tmp_path, "Gamma news")
    (tmp_path / "seeds" / "c.md").unlink()
    assert run("build", "--config", str(config))[0] == 0
    (tmp_path / "seeds" / "c2.md").write_text(article("Gamma news", "A different story, same headline."), encoding="utf-8")
    assert run("build", "--config", str(config))[0] == 0
    assert guids(tmp_path)["Gamma news"] != old_guid and slug_of(tmp_path, "Gamma news") != old_slug
    assert len(json.loads(run("withdrawn", "--config", str(config), "--json")[1])) == 1


def test_an_emptied_input_folder_is_refused_and_changes_nothing_unless_allowed(tmp_path, monkeypatch):
    config = three_articles(tmp_path, monkeypatch)
    state = tmp_path / ".narrate"
    before = published_files(tmp_path), {p: p.read_bytes() for p in state.glob("*.json")}
    for path in (tmp_path / "seeds").iterdir():
        path.unlink()

    code, stdout, stderr = run("build", "--config", str(config))
    assert code == 1
    [line] = stderr.splitlines()
    assert line.startswith("Error: ") and "3 of the 3 published episodes" in line and "--allow-mass-withdrawal" in line
    assert (published_files(tmp_path), {p: p.read_bytes() for p in state.glob("*.json")}) == before

    code, stdout, stderr = run("build", "--config", str(config), "--allow-mass-withdrawal")
    assert code == 0, stderr
    assert published_feed(tmp_path)["episodes"] == [] and not list((tmp_path / "audio").iterdir())
    assert len(json.loads(run("withdrawn", "--config", str(config), "--json")[1])) == 3


def test_a_first_build_with_no_articles_still_says_there_are_none(tmp_path):
    config = make_project(tmp_path, backend="counting", seeds=False)
    code, _, stderr = run("build", "--config", str(config))
    assert code == 1 and "no articles found" in stderr


def test_building_one_article_rebuilds_it_alone_and_leaves_every_other_file_as_published(tmp_path, monkeypatch):
    config = three_articles(tmp_path, monkeypatch)
    before, ids = published_files(tmp_path), guids(tmp_path)
    state = {path.name: path.read_bytes() for path in (tmp_path / ".narrate").glob("*.json")}
    (tmp_path / "seeds" / "a.md").write_text(article("Alpha news", "The first story, corrected."), encoding="utf-8")
    (tmp_path / "seeds" / "b.md").write_text(article("Beta news", "Edited too, but not built now."), encoding="utf-8")
    (tmp_path / "seeds" / "c.md").unlink()  # not withdrawn by a build of one article

    code, stdout, stderr = run("build", "--config", str(config), str(tmp_path / "seeds" / "a.md"))
    assert code == 0, stderr
    assert "1 encoded" in stdout
    after = published_files(tmp_path)
    changed = {path for path in before if after.get(path) != before[path]}
    assert changed == {"audio/alpha-news.mp3", "audio/alpha-news.vtt", "audio/alpha-news.srt",
                       "embeds/alpha-news.html", "embeds/alpha-news/index.html", "feeds/test.xml", "index.html"}
    assert set(after) == set(before) and guids(tmp_path) == ids
    assert "The first story, corrected." in after["feeds/test.xml"].decode()
    assert "Edited too" not in after["feeds/test.xml"].decode() and b"Edited too" not in after["index.html"]
    assert run("withdrawn", "--config", str(config))[1].startswith("No episode")
    kept = {name: (tmp_path / ".narrate" / name).read_bytes() for name in ("languages.json", "memo.json")}
    assert kept == {name: state[name] for name in kept}, "what is known of the articles not built is not forgotten"

    code, _, stderr = run("build", "--config", str(config))  # a whole build then sees what the one-article one left
    assert code == 0, stderr
    assert sorted(guids(tmp_path)) == ["Alpha news", "Beta news"]


def test_building_a_path_outside_the_input_folder_or_not_an_article_is_one_error_line(tmp_path, monkeypatch):
    config = three_articles(tmp_path, monkeypatch)
    before = published_files(tmp_path)
    outside = tmp_path / "elsewhere.md"
    outside.write_text(article("Elsewhere", "Not an input."), encoding="utf-8")
    (tmp_path / "seeds" / "notes.docx").write_bytes(b"PK")
    for path, problem in [(outside, "not below the input folder"), (tmp_path / "seeds" / "gone.md", "no article"),
                          (tmp_path / "seeds" / "notes.docx", "no article")]:
        code, _, stderr = run("build", "--config", str(config), str(path))
        [line] = stderr.splitlines()
        assert code == 1 and line.startswith(f"Error: {path}: {problem}"), line
    code, _, stderr = run("build", "--config", str(config), "--input", str(tmp_path / "seeds" / "a.md"))
    assert code == 1 and f"narrate build {tmp_path / 'seeds' / 'a.md'}" in stderr
    assert published_files(tmp_path) == before


def test_clean_removes_public_files_no_episode_owns_and_nothing_else(tmp_path, monkeypatch):
    config = three_articles(tmp_path, monkeypatch)
    before = published_files(tmp_path)
    strays = ["audio/old-story.mp3", "audio/old-story.vtt", "embeds/old-story.html", "embeds/old-story/index.html"]
    foreign = ["audio/.htaccess", "feeds/notes.txt", "images/logo.png", ".narrate/notes.txt", "robots.txt"]
    for name in strays + foreign:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"old")

    code, stdout, stderr = run("clean", "--config", str(config))
    assert code == 0, stderr
    removed = stdout.splitlines()[1:]
    assert len(removed) == len(strays) and all(any(name in line for line in removed) for name in strays)
    assert not any((tmp_path / name).exists() for name in strays) and not (tmp_path / "embeds" / "old-story").exists()
    assert all((tmp_path / name).read_bytes() == b"old" for name in foreign)
    assert published_files(tmp_path) == before | {"feeds/notes.txt": b"old", "audio/.htaccess": b"old"}


def test_a_withdrawn_episode_answers_404_from_the_bucket_after_the_next_publish(tmp_path, seaweed):
    from .test_publish_s3 import assert_bucket_holds, build_in_process, fetch, narrate, s3_project

    config = s3_project(tmp_path, seaweed, "withdrawal/", seeds=False)
    for name, title in TITLES.items():
        (tmp_path / "seeds" / name).write_text(article(title, f"The story of {title} is short."), encoding="utf-8")
    build_in_process(config)
    slug = "gamma-news"
    assert (tmp_path / layout.episode(slug)).is_file()
    assert narrate(seaweed, "publish", "--config", str(config)).returncode == 0
    names = [f"audio/{slug}{suffix}" for suffix in (".mp3", ".vtt", ".srt", ".chapters.json")]
    names += [f"embeds/{slug}.html", f"embeds/{slug}/index.html", f"embeds/{slug}.oembed.json"]
    urls = [seaweed.public_url("withdrawal/") + name for name in names]
    assert all(fetch(url)[0] for url in urls)

    (tmp_path / "seeds" / "c.md").unlink()
    build_in_process(config)
    published = narrate(seaweed, "publish", "--config", str(config))
    assert published.returncode == 0, published.stderr
    for url in urls:
        with pytest.raises(urllib.error.HTTPError) as answer:
            fetch(url)
        assert answer.value.code == 404, url
    assert_bucket_holds(seaweed, "withdrawal/", tmp_path)
    feed = fetch(seaweed.public_url("withdrawal/") + "feeds/test.xml")[0].decode()
    assert "Gamma news" not in feed and "Alpha news" in feed



class Killed(BaseException):
    """Stands for SIGKILL at one moment of a build: nothing after it runs."""


def test_a_build_killed_before_deleting_leaves_no_feed_naming_a_missing_file_and_the_next_finishes(tmp_path, monkeypatch):
    config = three_articles(tmp_path, monkeypatch)
    (tmp_path / "seeds" / "c.md").unlink()

    def killed(output: Path, slug: str) -> None:
        raise Killed

    with monkeypatch.context() as patch:
        patch.setattr("narrate.withdrawals.delete_episode_files", killed)
        with pytest.raises(Killed):
            build(load_config(config))
    assert sorted(guids(tmp_path)) == ["Alpha news", "Beta news"], "the feed moved first, naming only existing files"
    assert (tmp_path / "audio" / "gamma-news.mp3").is_file()

    assert run("build", "--config", str(config))[0] == 0
    assert not list((tmp_path / "audio").glob("gamma-news*")) and not list((tmp_path / "embeds").glob("gamma-news*"))
    assert [w["title"] for w in json.loads(run("withdrawn", "--config", str(config), "--json")[1])] == ["Gamma news"]


def test_a_damaged_withdrawals_record_stops_the_build_before_it_changes_anything(tmp_path, monkeypatch):
    config = three_articles(tmp_path, monkeypatch)
    record = tmp_path / ".narrate" / "withdrawals.json"
    record.write_text("[", encoding="utf-8")
    before = published_files(tmp_path)
    (tmp_path / "seeds" / "c.md").unlink()
    code, _, stderr = run("build", "--config", str(config))
    [line] = stderr.splitlines()
    assert code == 1 and line.startswith(f"Error: {record}: is not valid JSON") and "backup" in line
    assert published_files(tmp_path) == before


def test_a_dry_run_says_what_a_build_would_withdraw_or_refuse_and_writes_nothing(tmp_path, monkeypatch):
    config = three_articles(tmp_path, monkeypatch)
    before = published_files(tmp_path)
    (tmp_path / "seeds" / "c.md").unlink()
    code, stdout, stderr = run("build", "--config", str(config), "--dry-run")
    assert code == 0, stderr
    assert f"Would withdraw: Gamma news ({guids(tmp_path)['Gamma news']})" in stdout
    [withdrawn] = json.loads(run("build", "--config", str(config), "--dry-run", "--json")[1])["withdrawn"]
    assert withdrawn["title"] == "Gamma news"
    (tmp_path / "seeds" / "b.md").unlink()
    code, _, stderr = run("build", "--config", str(config), "--dry-run")
    assert code == 1 and "refused to withdraw 2 of the 3 published episodes" in stderr
    assert published_files(tmp_path) == before


def test_a_withdrawn_file_name_and_guid_stay_taken_even_when_the_episode_records_are_lost(tmp_path, monkeypatch):
    config = three_articles(tmp_path, monkeypatch)
    (tmp_path / "seeds" / "c.md").unlink()
    assert run("build", "--config", str(config))[0] == 0
    (tmp_path / ".narrate" / "episodes.json").write_text("{", encoding="utf-8")  # damaged: rebuilt from the cache
    assert run("build", "--config", str(config))[0] == 0
    (tmp_path / "seeds" / "c2.md").write_text(article("Gamma news", "The story of Gamma news is told again."), encoding="utf-8")
    assert run("build", "--config", str(config))[0] == 0
    assert slug_of(tmp_path, "Gamma news") == "gamma-news-2"
