"""The `narrate` command's entry point (also `python -m narrate`).

The command-line module is imported inside `main`, not at the top: synthesis workers are spawned
processes that import the entry point's module again, and they need nothing of the CLI.
"""

from typing import NoReturn


def main() -> NoReturn:
    """Run the command; the app always ends the process (SystemExit) with the status the command chose."""
    from .cli import app

    app(prog_name="narrate")


if __name__ == "__main__":
    main()
