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


def test_vpn_gateway_walkthrough_runs_again_and_again(emulator):
    env = dict(os.environ, ALICLOUD_EMULATOR_ENDPOINT=emulator.endpoint)
    for _ in range(2):
        done = subprocess.run([sys.executable, str(EXAMPLES / "vpn_gateway.py")], env=env,
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "published: 192.168.0.0/16 -> VpnGateway" in done.stdout
        assert "flow log fl-" in done.stdout and "torn down" in done.stdout
