"""What comes in must be safe: nothing outside the input folder is read, no new file takes over a
published episode, and only http(s) links are published."""

from __future__ import annotations

from . import fake_backend
from .conftest import make_project, published_feed
from .inputs import published_text, run_build, write


# Links that leave the input folder


def test_links_leading_outside_the_input_folder_are_skipped_in_one_line_each(tmp_path, monkeypatch):
    fake_backend.install(monkeypatch)
    config = make_project(tmp_path, backend="counting", seeds=False)
    seeds = tmp_path / "seeds"
    private = write(tmp_path / "private" / "notes.txt", "Private notes\n\nThe staff salaries are secret.\n").parent
    (seeds / "passwd.txt").symlink_to("/etc/passwd")  # ln -s /etc/passwd in/passwd.txt
    (seeds / "private").symlink_to(private, target_is_directory=True)
    write(seeds / "good.txt", "Good news\n\nThe bridge opened today.\n")
    (seeds / "alias.txt").symlink_to(seeds / "good.txt")  # a link that stays inside is read as its target
    result, warnings, errors = run_build(config)
    assert result.exit_code == 0 and errors == []
    assert sorted(warnings) == [
        f"Warning: {seeds / 'passwd.txt'}: skipped: it is a link to /etc/passwd, outside the input folder {seeds}",
        f"Warning: {seeds / 'private'}: skipped: it is a link to {private}, outside the input folder {seeds}",
    ]
    assert [item["title"] for item in published_feed(tmp_path)["episodes"]] == ["Good news"]
    published = published_text(tmp_path)
    assert "root:" not in published and "salaries" not in published


def test_a_feed_item_s_local_page_that_links_outside_is_refused(tmp_path):
    from narrate.readers import read_file

    outside = write(tmp_path / "outside" / "secret.html", "<html><head><title>Secret</title></head><body><article>"
                    "<p>The staff salaries are secret and must stay so.</p></article></body></html>")
    seeds = tmp_path / "seeds"
    (seeds / "pages").mkdir(parents=True)
    (seeds / "pages" / "story.html").symlink_to(outside)
    feed = write(seeds / "news.rss", '<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>'
                 "<item><title>Story</title><guid>urn:story</guid><link>pages/story.html</link></item></channel></rss>")
    reading = read_file(feed, seeds)
    assert reading.articles == ()
    [failure] = reading.failures
    assert "outside the input folder" in str(failure) and "news.rss (item 1)" in str(failure)
