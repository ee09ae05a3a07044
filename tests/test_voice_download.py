"""`narrate voices --available` and `narrate voices download` against a local mirror of the piper-voices
repository, served over real HTTP: the bundled joe voice laid out as the repository lays it out, with a
`voices.json`, under its own name and as a "high" voice of another name."""

from __future__ import annotations

import functools
import hashlib
import json
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from narrate.tts.piper_backend import find_models

from .conftest import make_project
from .test_cli_output import run_narrate

pytestmark = pytest.mark.skipif(not find_models(None), reason="needs the piper extra (bash .ci/install)")

VOICES = {"en_US-joe-medium": ("en_US", "medium"), "en_GB-test-high": ("en_GB", "high")}


class Mirror(SimpleHTTPRequestHandler):
    """Serves the mirror folder; a path in `cut_short` gets its full Content-Length but half its bytes."""

    cut_short: set[str] = set()

    def copyfile(self, source, outputfile):
        if self.path.lstrip("/") in self.cut_short:
            outputfile.write(source.read(1 << 20))  # the first megabyte, then the connection drops
            self.close_connection = True
            return
        super().copyfile(source, outputfile)

    def log_message(self, *args):
        pass


def lay_out(root: Path) -> dict:
    """The mirror's files and voices.json, built from the installed joe voice."""
    [joe] = [model for model in find_models(None) if model.name == "en_US-joe-medium"]
    catalogue = {}
    for name, (locale, quality) in VOICES.items():
        family, speaker = locale.split("_")[0], name.split("-")[1]
        folder = root / family / locale / speaker / quality
        folder.mkdir(parents=True)
        settings = json.loads(joe.config.read_text(encoding="utf-8"))
        settings["language"] = {**settings.get("language", {}), "code": locale, "family": family}
        (folder / f"{name}.onnx").symlink_to(joe.model)
        (folder / f"{name}.onnx.json").write_text(json.dumps(settings), encoding="utf-8")
        (folder / "MODEL_CARD").write_text("# Model card\n\n* License: CC0\n", encoding="utf-8")
        files = {}
        for path in sorted(folder.iterdir()):
            data = path.read_bytes()
            files[str(path.relative_to(root))] = {"size_bytes": len(data), "md5_digest": hashlib.md5(data).hexdigest()}
        catalogue[name] = {"key": name, "name": speaker, "quality": quality, "num_speakers": 1, "aliases": [],
                           "language": {"code": locale, "family": family, "region": locale[3:]}, "files": files}
    (root / "voices.json").write_text(json.dumps(catalogue), encoding="utf-8")
    return catalogue


@pytest.fixture
def mirror(tmp_path):
    """(base URL, mirror folder, catalogue) of a mirror served on a free local port."""
    root = tmp_path / "mirror"
    catalogue = lay_out(root)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Mirror, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", root, catalogue
    Mirror.cut_short = set()
    server.shutdown()
    server.server_close()


def narrate(project: Path, *args: str, base_url: str):
    return run_narrate(*args, cwd=project, NARRATE_VOICES_URL=base_url, XDG_DATA_HOME=str(project / "data"))


def voice_project(root: Path) -> Path:
    """A project that makes no voice choice, so a downloaded voice can become its default."""
    config = make_project(root, seeds=False)
    config.write_text(config.read_text(encoding="utf-8").replace('[voice]\nbackend = "pyttsx3"\n', ""), encoding="utf-8")
    (root / "seeds" / "ferry.md").write_text("# The ferry\n\nThe morning ferry runs again.\n", encoding="utf-8")
    return config


def test_available_lists_the_catalogue_by_language_with_quality_and_size(tmp_path, mirror):
    base_url, _, _ = mirror
    listed = narrate(tmp_path, "voices", "--available", base_url=base_url)
    assert listed.returncode == 0, listed.stderr
    rows = {line.split()[0]: line.split()[1:] for line in listed.stdout.splitlines()[1:]}
    assert rows["en_US-joe-medium"] == ["en_US", "medium", "63", "MB", "yes"]
    assert rows["en_GB-test-high"] == ["en_GB", "high", "63", "MB"]
    none = narrate(tmp_path, "voices", "--available", "--language", "uk", base_url=base_url)
    assert none.returncode == 0 and "No Piper voice for language 'uk'" in none.stdout


def test_a_downloaded_voice_is_checked_installed_and_then_chosen_by_default(tmp_path, mirror):
    base_url, root, _ = mirror
    config = voice_project(tmp_path)
    fetched = narrate(tmp_path, "voices", "download", "en_GB-test-high", base_url=base_url)
    assert fetched.returncode == 0, fetched.stderr
    folder = tmp_path / "data" / "narrate" / "voices"
    assert sorted(path.name for path in folder.iterdir()) == [
        "en_GB-test-high.MODEL_CARD", "en_GB-test-high.onnx", "en_GB-test-high.onnx.json"]
    assert "License: CC0" in (folder / "en_GB-test-high.MODEL_CARD").read_text(encoding="utf-8")
    source = root / "en" / "en_GB" / "test" / "high" / "en_GB-test-high.onnx"
    assert (folder / "en_GB-test-high.onnx").read_bytes() == source.read_bytes()
    assert "Installed en_GB-test-high" in fetched.stdout and "MD5 checked" in fetched.stdout
    inspected = narrate(tmp_path, "inspect", "--json", "--config", str(config), str(tmp_path / "seeds" / "ferry.md"),
                        base_url=base_url)
    assert json.loads(inspected.stdout)["voice"] == "piper:en_GB-test-high"


def test_a_download_into_voice_dir(tmp_path, mirror):
    base_url, _, _ = mirror
    config = voice_project(tmp_path)
    with config.open("a", encoding="utf-8") as file:
        file.write('\n[voice]\nvoice_dir = "voices"\n')
    fetched = narrate(tmp_path, "voices", "download", "--config", str(config), "en_US-joe-medium", base_url=base_url)
    assert fetched.returncode == 0, fetched.stderr
    assert (tmp_path / "voices" / "en_US-joe-medium.onnx").is_file() and not (tmp_path / "data").exists()


def test_a_corrupted_download_is_refused_and_leaves_nothing(tmp_path, mirror):
    base_url, root, _ = mirror
    model = root / "en" / "en_GB" / "test" / "high" / "en_GB-test-high.onnx"
    data = bytearray(model.read_bytes())
    data[len(data) // 2] ^= 0xFF
    model.unlink()
    model.write_bytes(bytes(data))
    refused = narrate(tmp_path, "voices", "download", "en_GB-test-high", base_url=base_url)
    assert refused.returncode == 1
    [line] = refused.stderr.strip().splitlines()
    assert line.startswith(f"Error: {base_url}en/en_GB/test/high/en_GB-test-high.onnx: download refused: its MD5 digest")
    assert list((tmp_path / "data" / "narrate" / "voices").iterdir()) == []


def test_an_interrupted_download_leaves_nothing_half_written(tmp_path, mirror):
    base_url, root, _ = mirror
    Mirror.cut_short = {"en/en_GB/test/high/en_GB-test-high.onnx"}
    cut = narrate(tmp_path, "voices", "download", "en_GB-test-high", base_url=base_url)
    assert cut.returncode == 1
    [line] = cut.stderr.strip().splitlines()
    assert line == (f"Error: {base_url}en/en_GB/test/high/en_GB-test-high.onnx: download incomplete: "
                    f"1048576 of {(root / Mirror.cut_short.pop()).stat().st_size} bytes arrived; nothing was installed")
    assert list((tmp_path / "data" / "narrate" / "voices").iterdir()) == []


def test_an_unknown_voice_names_the_catalogue(tmp_path, mirror):
    base_url, _, _ = mirror
    unknown = narrate(tmp_path, "voices", "download", "xx_XX-nobody-low", base_url=base_url)
    assert unknown.returncode == 1
    assert unknown.stderr.strip() == (f"Error: {base_url}: no voice 'xx_XX-nobody-low' in the catalogue; "
                                      "`narrate voices --available` lists them")
