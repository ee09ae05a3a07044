"""How `narrate publish` shows in a terminal: a bar in bytes while it sends, a table for --dry-run, a summary."""

from __future__ import annotations

from rich import filesize
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeElapsedColumn, TransferSpeedColumn

from ..config import Config
from .publish import PublishPlan, PublishReport, plan_publish, publish


def show_publish(config: Config, wait_seconds: float, dry_run: bool, out: Console, err: Console) -> tuple[str, ...]:
    """Publish (or, with `dry_run`, list what would be sent and deleted); returns the warnings to show."""
    if dry_run:
        preview = plan_publish(config)
        for line in [*plan_lines(preview), plan_summary(preview)]:
            out.print(line, highlight=False, soft_wrap=True, markup=False)
        return preview.warnings
    with ByteProgress(err) as progress:
        report = publish(config, progress, wait_seconds)
    out.print(summary(report), highlight=False, soft_wrap=True)
    return report.warnings


class ByteProgress(Progress):
    """One bar, in bytes, for everything a publish sends; drawn from when the sending starts, so that an
    error found before (credentials, bucket) is the only line on the screen."""

    def __init__(self, console: Console) -> None:
        super().__init__(TextColumn("Publishing"), BarColumn(), DownloadColumn(), TransferSpeedColumn(),
                         TimeElapsedColumn(), console=console, transient=True)
        self._bytes = self.add_task("", total=None)

    def __enter__(self) -> ByteProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.live.is_started:
            self.stop()

    def planned(self, total_bytes: int) -> None:
        self.update(self._bytes, total=total_bytes)
        self.start()

    def sent(self, count: int) -> None:
        self.advance(self._bytes, count)

    def waiting(self, holder: str) -> None:
        self.console.print(f"Waiting for a narrate build ({holder}) to finish…", highlight=False)


def plan_lines(preview: PublishPlan) -> list[str]:
    """Every file the publish would add, replace or delete, in the order it would: action, size, path."""
    actions = [("replace" if upload.stored else "add", upload.file.size, upload.file.path)
               for upload in preview.plan.uploads]
    actions += [("delete", item.size, item.path) for item in preview.plan.deletions]
    return [f"{action:<8} {filesize.decimal(size):>10}  {path}" for action, size, path in actions]


def plan_summary(preview: PublishPlan) -> str:
    plan = preview.plan
    deleted = sum(item.size for item in plan.deletions)
    return (f"Would send {_count(len(plan.uploads), 'file')} ({filesize.decimal(plan.upload_bytes)}) to "
            f"{preview.target} and delete {_count(len(plan.deletions), 'file')} ({filesize.decimal(deleted)}); "
            f"{len(plan.unchanged)} unchanged. Nothing was sent.")


def summary(report: PublishReport) -> str:
    return (f"Published to {report.target}: sent {_count(report.sent, 'file')} ({filesize.decimal(report.sent_bytes)}), "
            f"deleted {report.deleted}, {report.unchanged} unchanged, in {report.seconds:.1f} s")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
