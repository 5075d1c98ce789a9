"""examples/router_interfaces.py runs as written against the emulator, with and without a
transition delay (it moves the emulated clock through the transitional states)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "router_interfaces.py"


@pytest.mark.parametrize("server", ["emulator", "delayed"])
def test_router_interfaces_walkthrough(request, server):
    endpoint = request.getfixturevalue(server).endpoint
    env = dict(os.environ, ALICLOUD_EMULATOR_ENDPOINT=endpoint)
    done = subprocess.run([sys.executable, str(EXAMPLE)], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert "connected at" in out
    assert "spec changed to Large.1" in out
    assert "(1000 Mbit/s)" in out
    assert "its peer now sees Deleted" in out
    assert out.rstrip().endswith("torn down: no interfaces and no VPCs left")
