"""The `narrate` command: parses flags, calls the library, and shows progress and errors."""

from __future__ import annotations

import json
import signal
from contextlib import nullcontext
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn, Optional

import typer
from rich.console import Console
from rich.text import Text
from typer.core import TyperGroup

from . import __version__
from .pipeline import LOCK_WAIT_SECONDS, SilentProgress, build, clean
from .pipeline import dry_run as dry_run_build
from .config import Config, VoiceConfig, load_config
from .errors import ConfigError, NarrateError, Stopped, one_line
from .tools.progress import RichProgress
from .tools.report import build_json, cleaned_text, dry_run_json, summary
from .tools.tables import show_dry_run, show_inspection
from .tools.verbosity import is_quiet, verbosity_options

# The modules of commands other than `build` are imported inside their commands: a build, which
# may run every few minutes, then starts without them.

err = Console(stderr=True, markup=False)
out = Console(markup=False)
"""Without markup: titles, paths and messages are printed as written, brackets and all (styles are Text spans)."""
SETTINGS_FILE = "narrate.settings_file"
"""Where the --config option leaves its path in the context, for errors of the settings that name no file."""


class ErrorBoundary(TyperGroup):
    """The one place project errors become exit statuses (as HTTPie's `main` wraps `program`):
    commands just call the library. Anything that is not a NarrateError is a bug and keeps its traceback."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for command in [self, *self.commands.values()]:
            command.params += verbosity_options()

    def invoke(self, ctx: typer.Context) -> Any:
        try:
            return super().invoke(ctx)
        except NarrateError as error:
            _fail(error, ctx.meta.get(SETTINGS_FILE))
        except KeyboardInterrupt as stop:  # Ctrl-C, or SIGTERM and SIGHUP as Stopped (see __main__)
            _stopped(stop, ctx.invoked_subcommand)


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


def _stopped(stop: KeyboardInterrupt, command: str | None) -> NoReturn:
    """One line, then the status a shell gives a death by that signal (128 + its number)."""
    signum = stop.signum if isinstance(stop, Stopped) else signal.SIGINT
    stopped = f"narrate {command}" if command else "narrate"
    err.print(f"Stopped by {signal.Signals(signum).name}: {stopped} did not finish.", highlight=False)
    raise typer.Exit(128 + signum)


def _error(line: str) -> None:
    err.print(Text.assemble(("Error:", "red"), " ", one_line(line)), soft_wrap=True)


def _warn(line: str) -> None:
    err.print(Text.assemble(("Warning:", "yellow"), " ", one_line(line)), soft_wrap=True)


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
    rich_markup_mode=None,
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
) -> None:
    """Turn written articles into podcast episodes (MP3), a podcast feed and embeddable players."""


@app.command("build")
def build_command(
    ctx: typer.Context,
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
    json_report: bool = typer.Option(
        False, "--json", help="Print one JSON report on stdout instead of progress and a summary (shape below)."
    ),
    publish: bool = typer.Option(False, "--publish", help="Then publish, as `narrate publish` (not with --dry-run)."),
    allow_mass_withdrawal: bool = typer.Option(
        False, "--allow-mass-withdrawal", help="Withdraw removed articles' episodes even when that is most of them."
    ),
    paths: Optional[list[Path]] = typer.Argument(None, metavar="[PATH]...", help="Build only these article files."),
) -> None:
    """Build every article (or only PATHs, below the input folder) into MP3 episodes and write the feeds.

    Episodes go to OUTPUT/audio/<slug>.mp3 and the feed to OUTPUT/feeds/<name>.xml. Rebuilding
    with nothing changed leaves every file byte-identical. Articles that cannot be read are
    reported and skipped; the others are still built, and the exit code is then 1. The episodes
    of articles removed from the input are withdrawn (see `narrate withdrawn`).

    --json prints {"episodes": [{"title", "source", "file", "url", "guid", "duration", "voice",
    "status": "encoded" or "unchanged"}], "failures": [{"file", "message"}], "warnings": [...],
    "feeds": [...], "withdrawn": [{"date", "title", "guid", "slug", "identity"}], "totals":
    {"episodes", "encoded", "unchanged", "failed", "audio_seconds", "seconds"}}; with --dry-run, each
    episode has "sentences", "to_synthesise" and "encode" instead of what only a build knows. Errors
    and warnings still go to stderr as well.
    """
    quiet = is_quiet(ctx)
    settings = load_config(config, input_dir=input_dir, output_dir=output_dir, jobs=jobs)
    config_warnings = [f"{config}: {warning}" for warning in settings.warnings]
    if dry_run:
        planned = dry_run_build(settings, paths or None, allow_mass_withdrawal)
        _show_problems([*config_warnings, *planned.warnings], planned.failures, quiet)
        if json_report:
            _print_json(dry_run_json(planned, config_warnings))
        else:
            show_dry_run(out, planned)
        if planned.failures:
            raise typer.Exit(1)
        return
    for warning in [] if quiet else config_warnings:
        _warn(warning)
    if publish:
        from .tools.publish import check_target

        check_target(settings)  # wrong credentials or bucket fail now, not after the build
    with nullcontext(SilentProgress()) if quiet or json_report else RichProgress(err) as progress:
        report = build(settings, progress, wait, allow_mass_withdrawal, paths or None)
    _show_problems(report.warnings, report.failures, quiet)
    if json_report:
        _print_json(build_json(report, settings, config_warnings))
    elif not quiet:
        out.print(summary(report), highlight=False)
    if publish:
        _publish(settings, wait)
    if report.failures:
        raise typer.Exit(1)


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


@app.command("withdrawn")
def withdrawn_command(
    config: Path = SETTINGS,
    output_dir: Optional[Path] = OUTPUT,
    json_output: bool = typer.Option(False, "--json", help='Print [{"date", "title", "guid", "slug", "identity"}].'),
) -> None:
    """List the episodes withdrawn because their article left the input: date, title and GUID, oldest first.

    Their GUIDs and file names stay recorded and are never given to another article.
    """
    from .withdrawals import withdrawals
    from .tools.report import withdrawals_json, withdrawals_text

    listed = withdrawals(load_config(config, output_dir=output_dir).paths.output)
    if json_output:
        _print_json(withdrawals_json(listed))
    else:
        out.print(withdrawals_text(listed), highlight=False, soft_wrap=True)


@app.command("init")
def init_command(
    ctx: typer.Context,
    folder: Path = typer.Argument(
        Path("."), metavar="[FOLDER]", help="The project folder (made if missing; default: here).", show_default=False
    ),
) -> None:
    """Start a project: a narrate.toml with every setting commented and an example article.

    Writes FOLDER/narrate.toml (fill in the five [feed] settings marked EDIT) and
    FOLDER/articles/example.md; `narrate build` in FOLDER then publishes to FOLDER/public/. An
    existing narrate.toml is never overwritten.
    """
    from .tools.init import init_project

    written = init_project(folder)
    if not is_quiet(ctx):
        out.print("".join(f"Wrote {path}\n" for path in written) + f"Next: edit {written[-1]}, then run `narrate "
                  f"build` in {folder}.", highlight=False)


@app.command("clean")
def clean_command(
    ctx: typer.Context,
    config: Path = SETTINGS,
    input_dir: Optional[Path] = INPUT,
    output_dir: Optional[Path] = OUTPUT,
) -> None:
    """Delete cached speech that no current article uses, and files in audio/ and embeds/ no episode owns.

    The cache (OUTPUT/.narrate/clips) keeps every sentence ever spoken so rebuilds are fast; after
    articles are removed or edited it holds clips nothing needs. Nothing is cleaned when an article
    cannot be read, since its clips would look unused.
    """
    cleaned = clean(load_config(config, input_dir=input_dir, output_dir=output_dir))
    if not is_quiet(ctx):
        out.print(cleaned_text(cleaned), highlight=False, soft_wrap=True)


voices_app = typer.Typer(rich_markup_mode=None, add_completion=False)
app.add_typer(voices_app, name="voices")


@voices_app.callback(invoke_without_command=True)
def voices_command(
    context: typer.Context,
    config: Path = SETTINGS,
    backend: Optional[str] = typer.Option(None, "--backend", "-b", help="Only this backend."),
    language: Optional[str] = typer.Option(None, "--language", "-l", help="Only voices for this language code."),
    available: bool = typer.Option(False, "--available", help="Piper voices `narrate voices download` can fetch."),
) -> None:
    """List every speech backend, whether it can run here, and its voices and languages.

    Use a voice in narrate.toml as `voice = "NAME"` (a pyttsx3 voice), `"BACKEND:NAME"`, or per
    language in the [voice.languages] table, e.g. `uk = "espeak-ng:uk"`.
    """
    if context.invoked_subcommand:
        return
    from .tools.voices_view import show_available, show_installed

    settings = _optional_config(config)
    voice = settings.voice if settings else VoiceConfig()
    if available:
        show_available(out, voice, language)
    else:
        show_installed(out, voice, backend, language)


@voices_app.command("download")
def voices_download_command(
    names: list[str] = typer.Argument(..., help="Piper voices, as `narrate voices --available` names them."),
    config: Path = SETTINGS,
) -> None:
    """Fetch Piper voices into voice.voice_dir, else the user's voice folder, checking sizes and digests
    (catalogue: NARRATE_VOICES_URL, default the piper-voices repository)."""
    from .tools.voices_view import download_voices

    settings = _optional_config(config)
    download_voices(out, err, names, settings.voice if settings else VoiceConfig())


@app.command("inspect")
def inspect_command(
    path: Path = typer.Argument(..., help="One article file, as `narrate build` would read it."),
    json_output: bool = typer.Option(False, "--json", help="Print one JSON object (a stable interface for tools)."),
    item: Optional[int] = typer.Option(
        None, "--item", min=1, help="Which article of a feed file (1: the first); without it, a feed's are listed."
    ),
    config: Path = SETTINGS,
) -> None:
    """Show what will be spoken: the article's metadata, its body, and the script after normalisation.

    --json prints {"title", "date", "author", "language", "url", "body": [...], "script": [{"kind",
    "text", "source"}]}, where `text` is what the voice says and `source` indexes `body`.
    """
    from .tools.inspect import as_json, inspect_article

    settings = _optional_config(config)
    voice = settings.voice if settings else VoiceConfig()
    inspection = inspect_article(path, voice, settings.pronunciations if settings else {}, item)
    if json_output:
        _print_json(as_json(inspection))
    else:
        show_inspection(out, inspection)


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
    from .tools.say import say_as_configured

    said = say_as_configured(text, output, _optional_config(config), voice, language)
    out.print(f"Wrote {output} ({said.duration:.1f} s): {' '.join(said.spoken)}", highlight=False, soft_wrap=True)


def _optional_config(path: Path) -> Config | None:
    """The settings when the file exists; commands that work without one take defaults."""
    return load_config(path) if path.is_file() else None


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
    from .tools.serve import serve_until_stopped

    serve_until_stopped(load_config(config), host, port, lambda line: out.print(line, highlight=False, soft_wrap=True))


def _show_problems(warnings: Sequence[str], failures: Sequence[NarrateError], quiet: bool) -> None:
    for warning in [] if quiet else warnings:
        _warn(warning)
    for failure in failures:
        _error(str(failure))


def _print_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
