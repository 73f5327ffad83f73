"""commands/cli.py::_in_child: `portal build` validates and generates in a forked child, whose exit
code it passes on, and whose death by a signal it reports instead of ending in silence."""
from __future__ import annotations

import os
import signal

from portal.commands import cli


def test_the_childs_exit_code_is_the_builds():
    assert cli._in_child(lambda: cli.OK) == cli.OK
    assert cli._in_child(lambda: cli.PROBLEMS) == cli.PROBLEMS


def test_a_child_killed_by_a_signal_is_reported(capfd):
    code = cli._in_child(lambda: os.kill(os.getpid(), signal.SIGKILL))
    assert code == cli.PROBLEMS
    assert "stopped by signal 9; nothing was built" in capfd.readouterr().err
