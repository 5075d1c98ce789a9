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


def test_eip_bandwidth_walkthrough_runs_again_and_again(emulator):
    env = dict(os.environ, ALICLOUD_EMULATOR_ENDPOINT=emulator.endpoint)
    for _ in range(2):
        done = subprocess.run([sys.executable, str(EXAMPLES / "eip_bandwidth.py")], env=env,
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stdout + done.stderr
        out = done.stdout
        assert "InUse on" in out and "at 5 Mbit/s" in out
        assert "- now 100 Mbit/s (its own 5 Mbit/s kept for later)" in out
        assert "capped at 20 Mbit/s" in out
        assert "out of the package: 5 Mbit/s" in out
        assert out.rstrip().endswith("torn down: no EIP, package, instance or VPC left")
