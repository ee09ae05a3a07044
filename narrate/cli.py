"""The `narrate` command: parses flags, calls the library, and shows progress and errors."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from typer.core import TyperGroup

from . import __version__
from .audio.settings import Encoding
from .pipeline import LOCK_WAIT_SECONDS, BuildReport, DryRunReport, build, clean
from .pipeline import dry_run as dry_run_build
from .config import AudioConfig, Config, VoiceConfig, load_config
from .errors import ConfigError, NarrateError
from .publish.durations import format_duration

if TYPE_CHECKING:
    from .tools.inspect import Inspection

# The modules of commands other than `build` are imported inside their commands: a build, which
# may run every few minutes, then starts without them.

err = Console(stderr=True)
out = Console()
SETTINGS_FILE = "narrate.settings_file"
"""Where the --config option leaves its path in the context, for errors of the settings that name no file."""


class ErrorBoundary(TyperGroup):
    """The one place project errors become exit statuses (as HTTPie's `main` wraps `program`):
    commands just call the library. Anything that is not a NarrateError is a bug and keeps its traceback."""

    def invoke(self, ctx: typer.Context) -> Any:
        try:
            return super().invoke(ctx)
        except NarrateError as error:
            _fail(error, ctx.meta.get(SETTINGS_FILE))


def _fail(error: NarrateError, settings_file: Path | None) -> NoReturn:
    """One `Error:` line per problem, then exit status 1; a settings problem names its file."""
    if isinstance(error, ConfigError):
        where = error.where or settings_file
        lines = [f"{where}: {problem}" if where else problem for problem in error.problems]
    else:
        lines = [str(error)]
    for line in lines:
        _error(line)
    raise typer.Exit(1)


def _error(line: str) -> None:
    err.print(f"[red]Error:[/] {escape(line)}", highlight=False, soft_wrap=True)


def _warn(line: str) -> None:
    err.print(f"[yellow]Warning:[/] {escape(line)}", highlight=False, soft_wrap=True)


def _remember_settings_file(ctx: typer.Context, path: Path) -> Path:
    ctx.meta[SETTINGS_FILE] = path
    return path


SETTINGS = typer.Option(
    Path("narrate.toml"),
    "--config",
    "-c",
    callback=_remember_settings_file,
    help="The settings file; inspect, say and voices take defaults when there is none.",
    show_default=True,
)
INPUT = typer.Option(
    None, "--input", "-i", help="Folder of articles to read (default: build.input in the config, else seeds/)."
)
OUTPUT = typer.Option(
    None, "--output", "-o", help="Folder that receives audio/ and feeds/ (default: build.output in the config, else .)."
)

app = typer.Typer(
    cls=ErrorBoundary,
    help="Turn written articles into podcast episodes (MP3), a podcast feed and embeddable players.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _show_version(value: bool) -> None:
    if value:
        out.print(f"narrate {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(
        False, "--version", callback=_show_version, is_eager=True, help="Show the version and exit."
    ),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log what happens, step by step."),
) -> None:
    """Turn written articles into podcast episodes (MP3), a podcast feed and embeddable players."""
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING, format="%(name)s: %(message)s")


@app.command("build")
def build_command(
    config: Path = SETTINGS,
    input_dir: Optional[Path] = INPUT,
    output_dir: Optional[Path] = OUTPUT,
    jobs: Optional[int] = typer.Option(
        None, "--jobs", "-j", min=0, help="Worker processes for speech synthesis (default: one per CPU core)."
    ),
    wait: float = typer.Option(
        LOCK_WAIT_SECONDS, "--wait", min=0, help="Seconds to wait for another build of the same output folder."
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", "-n", help="Only say what would be synthesised and encoded; write nothing."
    ),
    publish: bool = typer.Option(False, "--publish", help="Then publish, as `narrate publish` (not with --dry-run)."),
) -> None:
    """Build every article into an MP3 episode and write the podcast feed.

    Episodes go to OUTPUT/audio/<slug>.mp3 and the feed to OUTPUT/feeds/<name>.xml. Rebuilding
    with nothing changed leaves every file byte-identical. Articles that cannot be read are
    reported and skipped; the others are still built, and the exit code is then 1.
    """
    settings = load_config(config, input_dir=input_dir, output_dir=output_dir, jobs=jobs)
    for warning in settings.warnings:
        _warn(f"{config}: {warning}")
    if dry_run:
        _show_dry_run(dry_run_build(settings))
        return
    if publish:
        from .tools.publish import check_target

        check_target(settings)  # wrong credentials or bucket fail now, not after the build
    with RichProgress(err) as progress:
        report = build(settings, progress, wait_seconds=wait)
    for warning in report.warnings:
        _warn(warning)
    for failure in report.failures:
        _error(str(failure))
    out.print(_summary(report), highlight=False, soft_wrap=True)
    if publish:
        _publish(settings, wait)
    if report.failures:
        raise typer.Exit(1)


@app.command("clean")
def clean_command(
    config: Path = SETTINGS,
    input_dir: Optional[Path] = INPUT,
    output_dir: Optional[Path] = OUTPUT,
) -> None:
    """Delete cached speech that no current article uses any more.

    The cache (OUTPUT/.narrate/clips) keeps every sentence ever spoken so rebuilds are fast; after
    articles are removed or edited it holds clips nothing needs. Nothing is cleaned when an article
    cannot be read, since its clips would look unused.
    """
    entries, size = clean(load_config(config, input_dir=input_dir, output_dir=output_dir))
    out.print(f"Removed {entries} unused clip{'' if entries == 1 else 's'} ({size / 2**20:.1f} MB).", highlight=False)


@app.command("voices")
def voices_command(
    config: Path = SETTINGS,
    backend: Optional[str] = typer.Option(None, "--backend", "-b", help="Only this backend."),
    language: Optional[str] = typer.Option(None, "--language", "-l", help="Only voices for this language code."),
) -> None:
    """List every speech backend, whether it can run here, and its voices and languages.

    Use a voice in narrate.toml as `voice = "NAME"` (default backend), `"BACKEND:NAME"`, or per
    language in the voice.languages table, e.g. `uk = "espeak-ng:uk"`.
    """
    from .tts.voices import list_voices

    settings = _optional_config(config)
    for listing in list_voices(settings.voice if settings else VoiceConfig()):
        if backend and listing.name != backend:
            continue
        if listing.problem:
            out.print(f"[bold]{listing.name}[/]: [red]not usable[/] — {listing.problem}", highlight=False)
            continue
        shown = [v for v in listing.voices if not language or any(c.startswith(language) for c in v.languages)]
        count = len(listing.voices)
        out.print(f"[bold]{listing.name}[/]: usable, {count} voice{'' if count == 1 else 's'}", highlight=False)
        table = Table("voice", "languages", "description", box=None, padding=(0, 2))
        for voice in shown:
            table.add_row(voice.name, ", ".join(voice.languages), voice.description)
        if shown:
            out.print(table)


@app.command("inspect")
def inspect_command(
    path: Path = typer.Argument(..., help="One article file, as `narrate build` would read it."),
    json_output: bool = typer.Option(False, "--json", help="Print one JSON object (a stable interface for tools)."),
    config: Path = SETTINGS,
) -> None:
    """Show what will be spoken: the article's metadata, its body, and the script after normalisation.

    --json prints {"title", "date", "author", "language", "url", "body": [...], "script": [{"kind",
    "text", "source"}]}, where `text` is what the voice says and `source` indexes `body`.
    """
    from .tools.inspect import as_json, inspect_article

    settings = _optional_config(config)
    voice = settings.voice if settings else VoiceConfig()
    inspection = inspect_article(path, voice, settings.pronunciations if settings else {})
    if json_output:
        typer.echo(json.dumps(as_json(inspection), ensure_ascii=False, indent=2))
    else:
        _show_inspection(inspection)


@app.command("say")
def say_command(
    text: str = typer.Argument(..., help="What to say."),
    output: Path = typer.Option(..., "--output", "-o", help="The MP3 file to write."),
    voice: Optional[str] = typer.Option(
        None, "--voice", help='"backend:voice", e.g. "espeak-ng:de" (default: as a build chooses for the language).'
    ),
    language: Optional[str] = typer.Option(
        None, "--language", "-l", help="Language of the text (default: feed.language in the config, else en)."
    ),
    config: Path = SETTINGS,
) -> None:
    """Speak one line through the same pipeline as a build, to audition a voice or a pronunciation."""
    from .tools.say import say

    settings = _optional_config(config)
    said = say(
        text,
        output,
        voice_config=settings.voice if settings else VoiceConfig(),
        voice=voice,
        language=language or (settings.feed.language if settings else "en"),
        pronunciations=settings.pronunciations if settings else {},
        encoding=Encoding.from_config(settings.audio if settings else AudioConfig()),
    )
    out.print(f"Wrote {output} ({said.duration:.1f} s): {' '.join(said.spoken)}", highlight=False, soft_wrap=True)


def _optional_config(path: Path) -> Config | None:
    """The settings when the file exists; commands that work without one take defaults."""
    return load_config(path) if path.is_file() else None


def _show_inspection(inspection: Inspection) -> None:
    article = inspection.article
    facts = [article.date.isoformat() if article.date else "no date", article.author or "no author", article.language]
    out.print(f"[bold]{article.title}[/]", highlight=False)
    out.print(" · ".join([*facts, *([article.url] if article.url else [])]), style="dim", highlight=False)
    table = Table("part", "spoken (written, where it differs)", box=None, padding=(0, 2), show_edge=False)
    for item in inspection.script:
        part = item.kind if item.source is None else f"{item.kind} {item.source + 1}"
        written = f"\n[dim]{escape(item.written)}[/]" if item.written != item.text else ""
        table.add_row(part, escape(item.text) + written)
    out.print(table)


@app.command("serve")
def serve_command(
    config: Path = SETTINGS,
    port: int = typer.Option(8000, "--port", "-p", min=0, max=65535, help="Port to listen on (0: any free port)."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (0.0.0.0: every interface)."),
) -> None:
    """Preview the built output folder over HTTP, with seeking, at http://HOST:PORT/.

    Feeds, pages and oEmbed files are served with each feed's base_url replaced by this server's own
    address, so a podcast app or browser pointed here plays the episodes from here. The files on
    disk are not changed.
    """
    from .tools.serve import Site, feed_urls, preview_server

    settings = load_config(config)
    site = Site(settings.paths.output, tuple(feed.base_url for feed in settings.feeds))
    try:
        server = preview_server(site, host, port)
    except OSError as error:
        raise NarrateError(f"cannot listen on {host}:{port}: {error.strerror} (try another --port)") from None
    out.print(f"Serving {site.root} at {server.url} (Ctrl+C stops)", highlight=False, soft_wrap=True)
    for url in feed_urls(server) or ["no feed yet: run `narrate build` first"]:
        out.print(f"Feed to paste into a podcast app: {url}", highlight=False, soft_wrap=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@app.command("publish")
def publish_command(
    config: Path = SETTINGS,
    output_dir: Optional[Path] = OUTPUT,
    dry_run: bool = typer.Option(False, "--dry-run", "-n", help="Only list what would be sent and deleted."),
    wait: float = typer.Option(LOCK_WAIT_SECONDS, "--wait", min=0, help="Seconds to wait for a build of the output."),
) -> None:
    """Send what changed in audio/, feeds/, embeds/ and index.html to [publish] target (S3 bucket or folder).

    Media go first, then players, then feeds and index.html, then deletions. Credentials: the usual AWS ways.
    """
    settings = load_config(config, output_dir=output_dir)
    for warning in settings.warnings:
        _warn(f"{config}: {warning}")
    _publish(settings, wait, dry_run)


def _publish(settings: Config, wait: float, dry_run: bool = False) -> None:
    from .tools.publish_view import show_publish

    for warning in show_publish(settings, wait, dry_run, out, err):
        _warn(warning)


def _show_dry_run(report: DryRunReport) -> None:
    for failure in report.failures:
        _error(str(failure))
    table = Table("article", "sentences", "to synthesise", "encode", box=None, padding=(0, 2))
    for episode in report.episodes:
        table.add_row(episode.title, str(episode.segments), str(episode.to_synthesise),
                      "yes" if episode.to_encode else "no (unchanged)")
    out.print(table)
    synthesise = sum(episode.to_synthesise for episode in report.episodes)
    encode = sum(episode.to_encode for episode in report.episodes)
    out.print(f"Would synthesise {synthesise} sentence{'' if synthesise == 1 else 's'} and encode "
              f"{encode} of {len(report.episodes)} episode{'' if len(report.episodes) == 1 else 's'}; "
              "nothing was written.", highlight=False)
    if report.failures:
        raise typer.Exit(1)


def _summary(report: BuildReport) -> str:
    count = len(report.episodes)
    failed = f", {len(report.failures)} failed" if report.failures else ""
    return (
        f"Built {count} episode{'s' if count != 1 else ''}{failed} "
        f"({report.encoded} encoded, {count - report.encoded} unchanged): "
        f"{format_duration(report.audio_seconds, 'words')} of audio in {report.seconds:.1f} s → "
        f"{', '.join(map(str, report.feed_paths))}"
    )


class RichProgress:
    """One bar for the whole build plus a line per article being spoken, on stderr."""

    def __init__(self, console: Console) -> None:
        self._bars = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("paragraphs"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )
        self._articles: dict[str, TaskID] = {}
        self._titles: dict[str, tuple[str, int]] = {}
        self._total = self._bars.add_task("All articles", total=None)

    def __enter__(self) -> RichProgress:
        self._bars.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._bars.__exit__(*exc)

    def planned(self, scripts: Sequence[tuple[str, str, int]]) -> None:
        self._titles = {key: (title, segments) for key, title, segments in scripts}
        self._bars.update(self._total, total=sum(segments for _, _, segments in scripts))

    def spoken(self, key: str) -> None:
        if key not in self._articles:
            title, segments = self._titles[key]
            short = title if len(title) <= 48 else title[:47] + "…"
            self._articles[key] = self._bars.add_task(f"  {short}", total=segments)
        self._bars.advance(self._articles[key])
        self._bars.advance(self._total)

    def finished(self, key: str) -> None:
        task = self._articles.pop(key, None)
        if task is not None:
            self._bars.remove_task(task)

    def waiting(self, holder: str) -> None:
        self._bars.console.print(f"Waiting for another narrate build ({holder}) to finish…", highlight=False)
