"""Withdrawing the episodes of articles removed from the input (principle 12: withdrawal is publishing too).

An article whose file fails is kept as last published; only one whose file is gone is withdrawn.
The build takes it out of every feed, and only once those feeds are in place deletes its files, so
a build killed between the two leaves no feed naming a missing file; the next build finishes the job.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from . import layout
from .config import Config
from .errors import NarrateError, OutputError
from .plan import Prepared
from .state.withdrawals import Withdrawal, load_withdrawals, save_withdrawals

RECORD = layout.state("withdrawals.json")


@dataclass(frozen=True)
class Withdrawals:
    """The episodes a build withdraws, decided before it changes anything, and the record they join."""

    withdrawing: tuple[Withdrawal, ...]
    recorded: dict[str, Withdrawal]

    def identities(self) -> set[str]:
        """Every identity withdrawn, now or before: their names stay recorded, never given to another article."""
        return set(self.recorded) | {withdrawal.identity for withdrawal in self.withdrawing}


def plan_withdrawals(prepared: Prepared, config: Config, allow_mass_withdrawal: bool) -> Withdrawals:
    """The listed episodes whose article is gone from the input: not read, not failed, and not from a
    file that failed to read (a build of some articles withdraws none).

    More than half of the published episodes is refused unless allowed: an empty or unmounted input
    folder is far likelier than a newsroom unpublishing most of its articles at once. A damaged
    record stops the build here too, before anything is published.
    """
    recorded = load_withdrawals(config.paths.output / RECORD)
    if prepared.chosen is not None:
        return Withdrawals((), recorded)
    findings, input_dir = prepared.findings, config.paths.input
    present = {plan.article.identity for plan in prepared.plans} | set(findings.failed_articles)
    unread = {path.relative_to(input_dir) for path in findings.failed_files}
    published = {key: record.published for key, record in prepared.records.items() if record.published}
    gone = sorted(key for key, shown in published.items()
                  if key in prepared.identities and key not in present and shown.article.source not in unread)
    if 2 * len(gone) > len(published) and not allow_mass_withdrawal:
        raise NarrateError(
            f"refused to withdraw {len(gone)} of the {len(published)} published episodes, whose articles are gone "
            f"from {input_dir} (is it empty or not mounted?); nothing was changed. If they were taken down, build "
            "again with --allow-mass-withdrawal"
        )
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    names = prepared.identities
    return Withdrawals(
        tuple(Withdrawal(now, published[key].article.title, names[key].guid, names[key].slug, key) for key in gone),
        recorded,
    )


def withdraw(withdrawals: Withdrawals, output: Path) -> tuple[Withdrawal, ...]:
    """Record each withdrawal, then delete the episode's public files; call once no feed lists them.

    Recording comes first: a build killed before the files are gone withdraws them again next time.
    """
    withdrawing = withdrawals.withdrawing
    if withdrawing:
        save_withdrawals(output / RECORD, withdrawals.recorded | {w.identity: w for w in withdrawing})
    for withdrawal in withdrawing:
        delete_episode_files(output, withdrawal.slug)
    return withdrawing


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
