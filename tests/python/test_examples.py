"""The README's examples run as written against the emulator."""

import os
import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_ecs_bandwidth_walkthrough(emulator):
    env = dict(os.environ, ALICLOUD_EMULATOR_ENDPOINT=emulator.endpoint)
    done = subprocess.run([sys.executable, str(EXAMPLES / "ecs_bandwidth.py")], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "after EndTime: 10 Mbit/s" in done.stdout
    assert "Account.Arrearage" in done.stdout
