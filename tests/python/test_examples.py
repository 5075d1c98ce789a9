"""The README's examples run as written against the emulator, and again and again against one
durable server (each registers an account of its own, so no run sees what an earlier one left)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from conftest import Emulator

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
# The durable server allows 2 VPCs per region (instead of 10) and every example runs three times
# that often: anything a run leaves behind in a shared account would make a later run fail.
VPC_QUOTA = 2
RUNS = 3 * VPC_QUOTA


def run_example(name, endpoint):
    env = dict(os.environ, ALICLOUD_EMULATOR_ENDPOINT=endpoint)
    return subprocess.run([sys.executable, str(EXAMPLES / name)], env=env, capture_output=True, text=True,
                          timeout=120)


def test_ecs_bandwidth_walkthrough(emulator):
    done = run_example("ecs_bandwidth.py", emulator.endpoint)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "after EndTime: 10 Mbit/s" in done.stdout
    assert "Account.Arrearage" in done.stdout


@pytest.fixture(scope="module")
def durable(tmp_path_factory):
    """A server that keeps its state on disk (--data-dir), never reset, with a small VPC quota."""
    server = Emulator(["--quota", f"vpcs_per_region={VPC_QUOTA}"],
                      data_dir=tmp_path_factory.mktemp("durable-data")).start()
    yield server
    server.stop()


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.py")))
def test_every_example_runs_any_number_of_times_on_one_durable_server(durable, example):
    for run in range(1, RUNS + 1):
        done = run_example(example, durable.endpoint)
        assert done.returncode == 0, f"run {run} of {example}:\n{done.stdout}{done.stderr}"
    health = requests.get(f"{durable.url}/_emulator/health", timeout=5).json()
    assert health["storage"] == "sqlite", "the runs went to a durable server"


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
def test_vpn_gateway_walkthrough_runs_again_and_again(emulator):
    env = dict(os.environ, ALICLOUD_EMULATOR_ENDPOINT=emulator.endpoint)
    for _ in range(2):
        done = subprocess.run([sys.executable, str(EXAMPLES / "vpn_gateway.py")], env=env,
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "published: 192.168.0.0/16 -> VpnGateway" in done.stdout
        assert "flow log fl-" in done.stdout and "torn down" in done.stdout
