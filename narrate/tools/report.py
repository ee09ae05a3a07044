"""A build's outcome as a person reads it, and a build's or a dry run's as one JSON object
(`narrate build --json`): a stable interface for CI jobs and CMS scripts, which need not read the summary."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .. import layout
from ..config import Config
from ..errors import NarrateError
from ..pipeline import BuildReport, Cleaned, DryRunReport
from ..plan import home_feed
from ..publish.durations import format_duration
from ..state.withdrawals import Withdrawal
from ..tts.voices import voice_reference


def summary(report: BuildReport) -> str:
    """What was built, the voices that read it, then each feed on a line of its own (so the summary
    fits a narrow terminal)."""
    count, encoded = len(report.episodes), len(report.encoded)
    failed = f", {len(report.failures)} failed" if report.failures else ""
    feeds = "".join(f"\nFeed: {_shown(path)}" for path in report.feed_paths)
    feeds += "".join(f"\nWithdrawn: {withdrawal.title} ({withdrawal.guid})" for withdrawal in report.withdrawn)
    return (
        f"Built {count} episode{'s' if count != 1 else ''}{failed} ({encoded} encoded, {count - encoded} unchanged): "
        f"{format_duration(report.audio_seconds, 'words')} of audio in {report.seconds:.1f} s.{_voices(report)}{feeds}"
    )


def _voices(report: BuildReport) -> str:
    """A line naming each voice with how many episodes it read: "Voices: piper:en_US-joe-medium (3), pyttsx3:uk (1)"."""
    used = Counter(voice_reference(report.voices[episode.article.identity], episode.article.language)
                   for episode in report.episodes)
    return "\nVoices: " + ", ".join(f"{voice} ({number})" for voice, number in sorted(used.items())) if used else ""


def _shown(path: Path) -> Path:
    """A path as the user would type it: relative to the working folder when it is below it."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def build_json(report: BuildReport, config: Config, warnings: Sequence[str] = ()) -> dict[str, Any]:
    """{episodes: [{title, source, file, url, guid, duration, voice, status}], failures: [{file, message}],
    warnings, feeds, withdrawn: [{date, title, guid, slug, identity}], totals: {episodes, encoded, unchanged, failed, audio_seconds, seconds}}."""
    episodes = [
        {
            "title": episode.article.title,
            "source": str(episode.article.source),
            "file": str(episode.audio_path),
            "url": home_feed(episode.article, config).url_of(layout.episode(episode.names.slug)),
            "guid": episode.names.guid,
            "duration": round(episode.duration, 3),
            "voice": voice_reference(report.voices[episode.article.identity]),
            "status": "encoded" if episode.article.identity in report.encoded else "unchanged",
        }
        for episode in report.episodes
    ]
    totals = {
        "episodes": len(episodes),
        "encoded": len(report.encoded),
        "unchanged": len(episodes) - len(report.encoded),
        "failed": len(report.failures),
        "audio_seconds": round(report.audio_seconds, 3),
        "seconds": round(report.seconds, 3),
    }
    return {
        "episodes": episodes,
        "failures": _failures(report.failures),
        "warnings": [*warnings, *report.warnings],
        "feeds": [str(path) for path in report.feed_paths],
        "withdrawn": withdrawals_json(report.withdrawn),
        "totals": totals,
    }


def dry_run_json(report: DryRunReport, warnings: Sequence[str] = ()) -> dict[str, Any]:
    """{episodes: [{title, source, file, voice, sentences, to_synthesise, encode}], failures, warnings,
    withdrawn: [{date, title, guid, slug, identity}], totals: {episodes, to_encode, to_synthesise, failed}}."""
    episodes = [
        {
            "title": planned.title,
            "source": str(planned.source),
            "file": str(planned.destination),
            "voice": voice_reference(planned.voice),
            "sentences": planned.segments,
            "to_synthesise": planned.to_synthesise,
            "encode": planned.to_encode,
        }
        for planned in report.episodes
    ]
    totals = {
        "episodes": len(episodes),
        "to_encode": sum(planned.to_encode for planned in report.episodes),
        "to_synthesise": sum(planned.to_synthesise for planned in report.episodes),
        "failed": len(report.failures),
    }
    return {
        "episodes": episodes,
        "failures": _failures(report.failures),
        "warnings": [*warnings, *report.warnings],
        "withdrawn": withdrawals_json(report.withdrawing),
        "totals": totals,
    }


def _failures(failures: Sequence[NarrateError]) -> list[dict[str, str | None]]:
    return [{"file": failure.where, "message": failure.message} for failure in failures]


def withdrawals_text(withdrawals: Sequence[Withdrawal]) -> str:
    """One line per withdrawal: date, title, GUID."""
    lines = [f"{w.date.isoformat()}  {w.title}  {w.guid}" for w in withdrawals]
    return "\n".join(lines) or "No episode has been withdrawn."


def withdrawals_json(withdrawals: Sequence[Withdrawal]) -> list[dict[str, str]]:
    return [{"date": w.date.isoformat(), "title": w.title, "guid": w.guid, "slug": w.slug, "identity": w.identity}
            for w in withdrawals]


def cleaned_text(cleaned: Cleaned) -> str:
    """What `narrate clean` removed: the clips in one line, then each stray file."""
    clips = f"Removed {cleaned.clips} unused clip{'' if cleaned.clips == 1 else 's'} ({cleaned.clip_bytes / 2**20:.1f} MB)."
    return clips + "".join(f"\nRemoved {_shown(path)} (no episode owns it)" for path in cleaned.strays)
