"""`narrate voices`: the installed backends and their voices, Piper's catalogue, and fetching voices from it."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn
from rich.table import Table
from rich.text import Text

from ..config import VoiceConfig
from ..errors import NarrateError
from ..files import make_folder
from ..tts.catalogue import CatalogueVoice, catalogue_url, download, fetch_catalogue
from ..tts.piper_backend import find_models, user_voice_dir
from ..tts.voices import list_voices

MB = 1_000_000


def show_installed(out: Console, config: VoiceConfig, backend: str | None, language: str | None) -> None:
    """Every backend (or `backend`), whether it runs here, and its voices (those for `language`)."""
    for listing in list_voices(config):
        if backend and listing.name != backend:
            continue
        if listing.problem:
            out.print(Text.assemble((listing.name, "bold"), ": ", ("not usable", "red"), f" — {listing.problem}"))
            continue
        shown = [v for v in listing.voices if not language or any(c.startswith(language) for c in v.languages)]
        count = len(listing.voices)
        out.print(Text.assemble((listing.name, "bold"), f": usable, {count} voice{'' if count == 1 else 's'}"))
        table = Table("voice", "languages", "description", box=None, padding=(0, 2))
        for voice in shown:
            table.add_row(voice.name, ", ".join(voice.languages), voice.description)
        if shown:
            out.print(table)


def show_available(out: Console, config: VoiceConfig, language: str | None) -> None:
    """The Piper voices `narrate voices download` can fetch (those for `language`), marking installed ones."""
    installed = {model.name for model in find_models(config.voice_dir)}
    voices = [voice for voice in fetch_catalogue(catalogue_url()) if not language or voice.language == language]
    table = Table("voice", "language", "quality", "size", "installed", box=None, padding=(0, 2))
    for voice in voices:
        table.add_row(voice.name, voice.locale, voice.quality, f"{voice.size / MB:.0f} MB",
                      "yes" if voice.name in installed else "")
    out.print(table if voices else f"No Piper voice for language {language!r} in {catalogue_url()}")


def download_voices(out: Console, err: Console, names: Sequence[str], config: VoiceConfig) -> Path:
    """Fetch the named voices into the voice folder (`voice.voice_dir`, else the user's); returns it."""
    base_url = catalogue_url()
    catalogue = {voice.name: voice for voice in fetch_catalogue(base_url)}
    if unknown := [name for name in names if name not in catalogue]:
        raise NarrateError(f"no voice {', '.join(map(repr, unknown))} in the catalogue; "
                           "`narrate voices --available` lists them", base_url)
    folder = Path(config.voice_dir) if config.voice_dir else user_voice_dir()
    make_folder(folder)
    for name in names:
        _download_one(err, catalogue[name], base_url, folder)
        out.print(f"Installed {name} ({catalogue[name].size / MB:.1f} MB, size and MD5 checked) in {folder}", highlight=False)
    return folder


def _download_one(err: Console, voice: CatalogueVoice, base_url: str, folder: Path) -> None:
    bars = Progress(TextColumn("{task.description}", markup=False), BarColumn(), DownloadColumn(),
                    console=err, transient=True, disable=not err.is_terminal)
    with bars:
        tasks = {file.name: bars.add_task(file.name, total=file.size) for file in voice.files}
        download(voice, base_url, folder, lambda name, done, _: bars.update(tasks[name], completed=done))
