"""`python -m portal <command>`: the command line (commands/cli.py)."""
import sys

from .commands.cli import run

sys.exit(run())
