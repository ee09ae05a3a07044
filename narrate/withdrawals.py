"""Withdrawing the episodes of articles removed from the input (principle 12: withdrawal is publishing too).

An article whose file fails is kept as last published; only one whose file is gone is withdrawn.
The build takes it out of every feed, and only once those feeds are in place deletes its files, so
a build killed between the two leaves no feed naming a missing file; the next build finishes the job.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from . import layout
from .errors import NarrateError, OutputError
from .model import PublishedNames
from .plan import Prepared
from .state.records import EpisodeRecord
from .state.withdrawals import Withdrawal, load_withdrawals, save_withdrawals

RECORD = layout.state("withdrawals.json")


def to_withdraw(prepared: Prepared, input_dir: Path) -> list[str]:
    """The identities of listed episodes whose article is gone from the input: not read, not failed,
    and not from a file that failed to read. A build of some articles withdraws none."""
    if prepared.chosen is not None:
        return []
    findings = prepared.findings
    present = {plan.article.identity for plan in prepared.plans} | set(findings.failed_articles)
    unread = {path.relative_to(input_dir) for path in findings.failed_files}
    return sorted(
        key for key, record in prepared.records.items()
        if record.published and key in prepared.identities and key not in present
        and record.published.article.source not in unread
    )


def check_mass_withdrawal(withdrawing: list[str], records: dict[str, EpisodeRecord], input_dir: Path) -> None:
    """Refuse a build that would withdraw more than half of the published episodes: an empty or
    unmounted input folder is far likelier than a newsroom unpublishing most of its articles at once."""
    published = sum(1 for record in records.values() if record.published)
    if 2 * len(withdrawing) > published:
        raise NarrateError(
            f"refused to withdraw {len(withdrawing)} of the {published} published episodes, whose articles are gone "
            f"from {input_dir} (is it empty or not mounted?); nothing was changed. If they were taken down, build "
            "again with --allow-mass-withdrawal"
        )


def withdraw(
    keys: list[str], records: dict[str, EpisodeRecord], identities: dict[str, PublishedNames], output: Path
) -> tuple[Withdrawal, ...]:
    """Record each withdrawal, then delete the episode's public files; call once no feed lists them.

    Recording comes first: a build killed before the files are gone withdraws them again next time.
    """
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    withdrawn = []
    for key in keys:
        names, published = identities[key], records[key].published
        title = published.article.title if published else key
        withdrawn.append(Withdrawal(now, title, names.guid, names.slug, key))
    if withdrawn:
        path = output / RECORD
        save_withdrawals(path, load_withdrawals(path) | {w.identity: w for w in withdrawn})
    for withdrawal in withdrawn:
        delete_episode_files(output, withdrawal.slug)
    return tuple(withdrawn)


def delete_episode_files(output: Path, slug: str) -> list[Path]:
    """Delete the public files of one episode (those present); returns them."""
    deleted = []
    for name in layout.episode_files(slug):
        if _delete(output / name):
            deleted.append(output / name)
    page = output / layout.embed_page(slug)
    if page.is_dir() and not any(page.iterdir()):
        page.rmdir()
    return deleted


def withdrawals(output: Path) -> list[Withdrawal]:
    """Every recorded withdrawal, oldest first: what `narrate withdrawn` lists."""
    return sorted(load_withdrawals(output / RECORD).values(), key=lambda w: (w.date, w.title))


def remove_strays(prepared: Prepared, output: Path) -> list[Path]:
    """Delete the files in audio/ and embeds/ that no listed episode and no player asset owns (a
    withdrawal a killed build left half done, files of an older narrate); returns them.

    Hidden files (a web server's .htaccess) and everything outside those folders are never touched.
    """
    owned = {layout.player_asset(name) for name in layout.PLAYER_ASSETS}
    for key, record in prepared.records.items():
        if record.published and key in prepared.identities:
            owned.update(layout.episode_files(prepared.identities[key].slug))
    removed = []
    for folder in (output / layout.AUDIO, output / layout.EMBEDS):
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            name = path.relative_to(output).as_posix()
            if path.is_file() and not path.is_symlink() and layout.is_public(name) and name not in owned:
                _delete(path)
                removed.append(path)
        for page in folder.iterdir():  # an embed page's folder, emptied
            if page.is_dir() and not page.is_symlink() and not any(page.iterdir()):
                page.rmdir()
    return removed


def _delete(path: Path) -> bool:
    """Delete one file; False when it was not there."""
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    except OSError as error:
        raise OutputError.writing(path, error) from None
    return True
