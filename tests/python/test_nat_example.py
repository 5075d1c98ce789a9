"""examples/nat_gateway.py (README, "a VPC reaching the Internet through a NAT gateway") runs as written,
twice in a row against one server (each run in an account of its own), and prints what it built."""

import os
import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "nat_gateway.py"


def test_nat_gateway_walkthrough_runs_again_and_again(emulator):
    env = dict(os.environ, ALICLOUD_EMULATOR_ENDPOINT=emulator.endpoint)
    for _ in range(2):
        done = subprocess.run([sys.executable, str(EXAMPLE)], env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr
        out = done.stdout
        assert "NAT gateway ngw-" in out and "SNAT table stb-" in out and "DNAT table ftb-" in out
        assert "route 0.0.0.0/0 -> NatGateway ngw-" in out
        assert "SNAT snat-" in out and "192.168.1.0/24 ->" in out
        assert "DNAT fwd-" in out and ":8080 -> 192.168.1." in out
        assert "(UsedBySnatTable)" in out and "(UsedByForwardTable)" in out
        assert out.rstrip().endswith("torn down: no entry, EIP, NAT gateway, instance or VPC left")
