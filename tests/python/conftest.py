"""Fixtures: the real emulator process (one plain, one with a transition delay), a reset before
every test, and SDK clients pointed at it.

Environment:
- ALICLOUD_EMULATOR_BIN: the binary (default <repo>/target/debug/alicloud-emulator).
- ALICLOUD_EMULATOR_RECORD_CALLS: when set, passed as --record-calls (coverage report input).
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))

from helpers import ECS_REQUESTS, OldApi, TeaApi, ecs_network, make_acs, make_ecs_tea, make_tea  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
BINARY = os.environ.get("ALICLOUD_EMULATOR_BIN", str(REPO / "target" / "debug" / "alicloud-emulator"))
START_TIMEOUT = 20.0
# Transitional states of the delayed server last this long (emulated time).
TRANSITION_DELAY_SECONDS = 5


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Emulator:
    """One running emulator process: in memory, or durable over ``data_dir``."""

    def __init__(self, extra_args=(), data_dir=None):
        self.extra_args = list(extra_args)
        self.storage = ["--data-dir", str(data_dir)] if data_dir else ["--ephemeral"]
        self.proc = None
        self.port = None
        self.log = tempfile.NamedTemporaryFile(prefix="alicloud-emulator-", suffix=".log", delete=False)

    @property
    def endpoint(self):
        return f"127.0.0.1:{self.port}"

    @property
    def url(self):
        return f"http://{self.endpoint}"

    def start(self):
        if not os.path.exists(BINARY):
            pytest.exit(f"emulator binary not found: {BINARY} (run cargo build -p alicloud-emulator)", 2)
        # Only the flags below configure the server: drop inherited ALICLOUD_EMULATOR_* settings.
        env = {k: v for k, v in os.environ.items() if not k.startswith("ALICLOUD_EMULATOR_")}
        env["ALICLOUD_EMULATOR_LOG"] = "warn"
        record = os.environ.get("ALICLOUD_EMULATOR_RECORD_CALLS")
        for _attempt in range(3):
            self.port = _free_port()
            args = [BINARY, "serve", *self.storage, "--listen", self.endpoint, *self.extra_args]
            if record:
                args += ["--record-calls", record]
            self.proc = subprocess.Popen(args, env=env, stdout=self.log, stderr=self.log)
            if self._wait_healthy():
                return self
            self.stop()
        pytest.exit(f"emulator did not start; log: {self.log.name}", 2)

    def _wait_healthy(self):
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            try:
                if requests.get(f"{self.url}/_emulator/health", timeout=1).status_code == 200:
                    return True
            except requests.RequestException:
                pass
            time.sleep(0.05)
        return False

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def reset(self):
        requests.post(f"{self.url}/_emulator/reset", timeout=30).raise_for_status()

    def clock(self):
        return requests.get(f"{self.url}/_emulator/clock", timeout=5).json()

    def advance(self, seconds):
        r = requests.post(f"{self.url}/_emulator/clock/advance", json={"seconds": seconds}, timeout=5)
        r.raise_for_status()
        return r.json()

    def now_ms(self):
        """Emulated time, in milliseconds since the epoch."""
        return self.clock()["now_ms"]

    # Billing and security locks (docs/ecs.md, Control endpoints).

    def billing(self, account_id=None):
        params = {"account_id": account_id} if account_id else None
        r = requests.get(f"{self.url}/_emulator/billing", params=params, timeout=5)
        r.raise_for_status()
        return r.json()

    def set_billing(self, **fields):
        """Sets any of balance, overdue, account_id."""
        r = requests.post(f"{self.url}/_emulator/billing", json=fields, timeout=5)
        r.raise_for_status()

    def balance(self):
        return float(self.billing()["balance"])

    def order(self, order_id):
        """The order with this id (GET /_emulator/billing)."""
        orders = [o for o in self.billing()["orders"] if str(o["order_id"]) == str(order_id)]
        assert len(orders) == 1, f"order {order_id} not found once in {orders}"
        return orders[0]

    def orders_of(self, instance_id):
        return [o for o in self.billing()["orders"] if o["instance_id"] == instance_id]

    def pay_order(self, order_id):
        """POST .../pay; returns the response (409 when the balance is short)."""
        return requests.post(f"{self.url}/_emulator/billing/orders/{order_id}/pay", timeout=5)

    def cancel_order(self, order_id):
        return requests.post(f"{self.url}/_emulator/billing/orders/{order_id}/cancel", timeout=5)

    def security_lock(self, instance_id, locked=True):
        r = requests.post(f"{self.url}/_emulator/instances/{instance_id}/security-lock",
                          json={"locked": locked}, timeout=5)
        r.raise_for_status()


@pytest.fixture(scope="session")
def emulator():
    server = Emulator().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def _delayed_server():
    server = Emulator(["--transition-delay", f"{TRANSITION_DELAY_SECONDS}s"]).start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _reset(emulator):
    """Every test starts from an empty cloud."""
    emulator.reset()


@pytest.fixture
def delayed(_delayed_server):
    """The server whose transitional states last TRANSITION_DELAY_SECONDS of emulated time."""
    _delayed_server.reset()
    return _delayed_server


# --- clients of the plain server ---------------------------------------------------------------


@pytest.fixture(scope="session")
def acs(emulator):
    """Old core AcsClient."""
    return make_acs(emulator.endpoint)


@pytest.fixture(scope="session")
def old(acs, emulator):
    """The old core SDK through its generated request classes (see helpers.OldApi)."""
    return OldApi(acs, emulator.endpoint)


@pytest.fixture(scope="session")
def tea(emulator):
    """Tea client, signature V3 (ACS3-HMAC-SHA256)."""
    return make_tea(emulator.endpoint)


@pytest.fixture(scope="session")
def tea_v1(emulator):
    """Tea client, signature V1 (HMAC-SHA1 RPC)."""
    return make_tea(emulator.endpoint, v1=True)


# --- clients of the delayed server -------------------------------------------------------------


@pytest.fixture
def old_delayed(delayed):
    return OldApi(make_acs(delayed.endpoint), delayed.endpoint)


@pytest.fixture
def tea_delayed(delayed):
    return make_tea(delayed.endpoint)


# --- ECS clients ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def ecs_old(acs, emulator):
    """The old core SDK through the ECS request classes (aliyunsdkecs.request.v20140526)."""
    return OldApi(acs, emulator.endpoint, ECS_REQUESTS)


@pytest.fixture(scope="session")
def ecs_tea(emulator):
    """Tea ECS client (alibabacloud_ecs20140526), signature V3."""
    return make_ecs_tea(emulator.endpoint)


@pytest.fixture(scope="session")
def ecs_tea_v1(emulator):
    """Tea ECS client, signature V1."""
    return make_ecs_tea(emulator.endpoint, v1=True)


@pytest.fixture(scope="session")
def ecs_tea_api(ecs_tea):
    """The Tea ECS client called with wire parameter names, returning dicts (helpers.TeaApi)."""
    return TeaApi(ecs_tea)


@pytest.fixture(params=["old", "tea"])
def ecs(request, ecs_old, ecs_tea_api):
    """Either SDK flavour with the same calling convention: a test using it runs once with the old
    core request classes and once with the Tea client (V3 signature)."""
    return ecs_old if request.param == "old" else ecs_tea_api


@pytest.fixture
def ecs_old_delayed(delayed):
    return OldApi(make_acs(delayed.endpoint), delayed.endpoint, ECS_REQUESTS)


@pytest.fixture
def ecs_tea_delayed(delayed):
    return TeaApi(make_ecs_tea(delayed.endpoint))


@pytest.fixture
def net(old, ecs_old):
    """An ECS network: VPC 192.168.0.0/16, vSwitch 192.168.1.0/24 in ZONE, a security group of the VPC."""
    return ecs_network(old, ecs_old)
