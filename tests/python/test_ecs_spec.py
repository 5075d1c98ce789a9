"""ModifyInstanceSpec (seed 003; docs/ecs.md "The rules of ModifyInstanceSpec"): a pay-as-you-go
instance changes its type (while Stopped) or its PayByTraffic bandwidth (Running or Stopped), one of
the two at a time. Every numbered rule with its code, HTTP status and the seed's message, the rules'
order, and ClientToken.

Messages are the seed's with its doubled spaces collapsed (as spec/ecs-2014-05-26.json has them).
Tests taking the ``ecs`` fixture run with both SDK flavours; Throttling is asserted through Tea (the
old core SDK retries it with a back-off)."""

import pytest
from alibabacloud_ecs20140526 import models as em

from conftest import TRANSITION_DELAY_SECONDS as DELAY
from helpers import (
    INSTANCE_TYPE,
    assert_error,
    classic_network,
    create_classic_instance,
    create_instance,
    describe_instance,
    ecs_network,
    in_public_pool,
    public_ips,
    run_instance,
    run_subscription,
)

NOT_FOUND = ("InvalidInstanceId.NotFound", "The specified InstanceId does not exist.")  # 404
LOCKED = ("InstanceLockedForSecurity",
          "The input parameter InstanceId that is mandatory for processing this security reasons.")  # 403
CHARGE_TYPE = ("ChargeTypeViolation", "The operation is not permitted due to charge type of the instance.")  # 403
ARREARAGE = ("Account.Arrearage", "Your account has an outstanding payment.")  # 400
MISMATCH = ("InvalidParameter.Mismatch", "Too many parameters in one request.")  # 400
MISSING = "MissingInstanceType"  # 400, the gateway's Missing<Name> form (docs/ecs.md rule 5)
UNPAID = ("InvalidInstance.UnpaidOrder", "The specified instance has unpaid order.")  # 400
THROTTLING = ("Throttling", "You have made too many requests within a short time; your request is denied due to "
              "request throttling.")  # 400
NOT_STOPPED = ("InvalidInstanceStatus.NotStopped", "The specified Instance status is not stopped.")  # 400
TYPE_NOT_SUPPORTED = ("InvalidInstanceType.ValueNotSupported", "The specified InstanceType is not supported.")  # 400
TYPE_DEPENDENCY = ("DependencyViolation.InstanceType",
                   "The current InstanceType cannot be changed to the specified InstanceType.")  # 400
STATUS = ("InvalidStatus.ValueNotSupported", "The instance cannot be modified in the specified status.")  # 400
CHARGE = ("InvalidInternetChargeType.ValueNotSupported", "The specified InternetChargeType is not valid.")  # 400
OUT_INVALID = ("InvalidParameter", "The specified parameter InternetMaxBandwidthOut is not valid.")  # 400
IN_INVALID = ("Price.PricePlanResultNotFound",
              "The internetMaxBandwidthIn or internetMaxBandwidthOut provided is invalid.")  # 400
SAME_BANDWIDTH = ("InvalidParameter.Bandwidth", "The specified parameter Bandwidth is not valid.")  # 400
IN_VPC = ("OperationDenied", "The specified instance is in VPC.")  # 400
CLASSIC_STATUS = ("InvalidStatus.ValueNotSupported",
                  "The current status of the resource does not support this operation.")  # 400
NOT_ENOUGH = ("InvalidAccountStatus.NotEnoughBalance", "Your account does not have enough balance.")  # 403
TOKEN = ("InvalidClientToken.ValueNotSupported", "The ClientToken provided is invalid.")  # 400
NOT_MATCH = ("IdempotenceParamNotMatch",
             "Request uses a client token in a previous request but is not identical to that request.")  # 400
COOLDOWN = 300


@pytest.fixture
def tea(ecs_tea_api):
    return ecs_tea_api


def running(ecs, net, out=5, charge="PayByTraffic", **params):
    """A Running pay-as-you-go instance (ecs.g6.large)."""
    return run_instance(ecs, net, InternetChargeType=charge, InternetMaxBandwidthOut=out, **params)


def stopped(ecs, net, out=5, charge="PayByTraffic", **params):
    """A Stopped pay-as-you-go instance (CreateInstance)."""
    return create_instance(ecs, net, InternetChargeType=charge, InternetMaxBandwidthOut=out, **params)


def spec(ecs, instance_id, **params):
    return ecs.ModifyInstanceSpec(InstanceId=instance_id, **params)


def current(ecs, instance_id):
    item = describe_instance(ecs, instance_id)
    return item["InstanceType"], item["InternetMaxBandwidthOut"]


# --- rules 1-4 -----------------------------------------------------------------------------------


def test_rule1_unknown_instance(ecs):
    assert_error(lambda: spec(ecs, "i-doesnotexist", InstanceType="ecs.g6.xlarge"), 404, *NOT_FOUND)
    assert_error(lambda: spec(ecs, "i-doesnotexist", InternetMaxBandwidthOut=10), 404, *NOT_FOUND)


def test_rule2_locked_for_security(ecs, net, emulator):
    instance_id = stopped(ecs, net)
    emulator.security_lock(instance_id)
    assert_error(lambda: spec(ecs, instance_id, InstanceType="ecs.g6.xlarge"), 403, *LOCKED)
    # Rule 2 before rule 4 (overdue).
    emulator.set_billing(overdue=True)
    assert_error(lambda: spec(ecs, instance_id, InternetMaxBandwidthOut=10), 403, *LOCKED)
    emulator.set_billing(overdue=False)
    emulator.security_lock(instance_id, locked=False)
    spec(ecs, instance_id, InstanceType="ecs.g6.xlarge")
    assert current(ecs, instance_id) == ("ecs.g6.xlarge", 5)


def test_rule2_before_rule3(ecs, net, emulator):
    instance_id = run_subscription(ecs, net)
    emulator.security_lock(instance_id)
    assert_error(lambda: spec(ecs, instance_id, InternetMaxBandwidthOut=10), 403, *LOCKED)


def test_rule3_subscription_instance(ecs, net, emulator):
    instance_id = run_subscription(ecs, net, InternetChargeType="PayByTraffic", InternetMaxBandwidthOut=5)
    assert_error(lambda: spec(ecs, instance_id, InternetMaxBandwidthOut=10), 403, *CHARGE_TYPE)
    ecs.StopInstance(InstanceId=instance_id)
    assert_error(lambda: spec(ecs, instance_id, InstanceType="ecs.g6.xlarge"), 403, *CHARGE_TYPE)
    # Rule 3 before rule 4.
    emulator.set_billing(overdue=True)
    assert_error(lambda: spec(ecs, instance_id, InstanceType="ecs.g6.xlarge"), 403, *CHARGE_TYPE)


def test_rule4_overdue_account(ecs, net, emulator):
    instance_id = stopped(ecs, net)
    emulator.set_billing(overdue=True)
    assert_error(lambda: spec(ecs, instance_id, InstanceType="ecs.g6.xlarge"), 400, *ARREARAGE)
    # Rule 4 before rule 5.
    assert_error(lambda: spec(ecs, instance_id, InstanceType="ecs.g6.xlarge", InternetMaxBandwidthOut=10), 400,
                 *ARREARAGE)
    emulator.set_billing(overdue=False)
    spec(ecs, instance_id, InstanceType="ecs.g6.xlarge")


# --- rules 5-7 -----------------------------------------------------------------------------------


def test_rule5_type_and_bandwidth_together(ecs, net):
    instance_id = stopped(ecs, net)
    assert_error(lambda: spec(ecs, instance_id, InstanceType="ecs.g6.xlarge", InternetMaxBandwidthOut=10), 400,
                 *MISMATCH)
    assert current(ecs, instance_id) == (INSTANCE_TYPE, 5)


def test_rule5_neither_type_nor_bandwidth(ecs, net):
    instance_id = stopped(ecs, net)
    assert_error(lambda: spec(ecs, instance_id), 400, MISSING)
    assert_error(lambda: spec(ecs, instance_id, ClientToken="spec-nothing"), 400, MISSING)


def test_rule6_unpaid_order_of_the_instance(ecs, net, emulator):
    instance_id = running(ecs, net)
    order_id = ecs.ModifyInstanceNetworkSpec(InstanceId=instance_id, InternetMaxBandwidthOut=8,
                                             AutoPay=False)["OrderId"]
    # Rule 6 answers before the five-minute rule.
    assert_error(lambda: spec(ecs, instance_id, InternetMaxBandwidthOut=10), 400, *UNPAID)
    # Rule 5 before rule 6.
    assert_error(lambda: spec(ecs, instance_id, InstanceType="ecs.g6.xlarge", InternetMaxBandwidthOut=10), 400,
                 *MISMATCH)
    # Only the instance's own orders count (ModifyInstanceSpec is for pay-as-you-go instances).
    other = running(ecs, net)
    spec(ecs, other, InternetMaxBandwidthOut=10)
    assert emulator.cancel_order(order_id).status_code == 200
    emulator.advance(COOLDOWN)
    spec(ecs, instance_id, InternetMaxBandwidthOut=10)
    assert current(ecs, instance_id) == (INSTANCE_TYPE, 10)


def test_rule7_five_minutes_after_a_change(tea, net, emulator):
    instance_id = stopped(tea, net)
    spec(tea, instance_id, InstanceType="ecs.g6.xlarge")
    assert_error(lambda: spec(tea, instance_id, InstanceType="ecs.g6.2xlarge"), 400, *THROTTLING)
    assert_error(lambda: spec(tea, instance_id, InternetMaxBandwidthOut=10), 400, *THROTTLING)
    emulator.advance(COOLDOWN - 1)
    assert_error(lambda: spec(tea, instance_id, InstanceType="ecs.g6.2xlarge"), 400, *THROTTLING)
    # Rule 7 before rule 8 (an unknown type).
    assert_error(lambda: spec(tea, instance_id, InstanceType="ecs.g6.huge"), 400, *THROTTLING)
    emulator.advance(1)
    spec(tea, instance_id, InstanceType="ecs.g6.2xlarge")
    assert current(tea, instance_id) == ("ecs.g6.2xlarge", 5)
    # Another instance is not held back.
    spec(tea, stopped(tea, net), InstanceType="ecs.c6.large")


def test_rule7_counts_modify_instance_network_spec_too(tea, net, emulator):
    instance_id = stopped(tea, net)
    tea.ModifyInstanceNetworkSpec(InstanceId=instance_id, InternetMaxBandwidthOut=8)
    assert_error(lambda: spec(tea, instance_id, InstanceType="ecs.g6.xlarge"), 400, *THROTTLING)
    emulator.advance(COOLDOWN)
    spec(tea, instance_id, InstanceType="ecs.g6.xlarge")


# --- rule 8: the instance type -------------------------------------------------------------------


def test_rule8_type_needs_a_stopped_instance(ecs, net):
    instance_id = running(ecs, net)
    assert_error(lambda: spec(ecs, instance_id, InstanceType="ecs.g6.xlarge"), 400, *NOT_STOPPED)
    # The status is checked first.
    assert_error(lambda: spec(ecs, instance_id, InstanceType="ecs.g6.huge"), 400, *NOT_STOPPED)
    assert_error(lambda: spec(ecs, instance_id, InstanceType=INSTANCE_TYPE), 400, *NOT_STOPPED)
    ecs.StopInstance(InstanceId=instance_id)
    spec(ecs, instance_id, InstanceType="ecs.g6.xlarge")
    assert current(ecs, instance_id) == ("ecs.g6.xlarge", 5)


@pytest.mark.parametrize("instance_type", ["ecs.g6.huge", "ecs.g9.large", "g6.large", "ecs.t5-lc1m1.tiny"])
def test_rule8_unknown_type(ecs, net, instance_type):
    instance_id = stopped(ecs, net)
    assert_error(lambda: spec(ecs, instance_id, InstanceType=instance_type), 400, *TYPE_NOT_SUPPORTED)
    assert current(ecs, instance_id) == (INSTANCE_TYPE, 5)


@pytest.mark.parametrize("instance_type", [INSTANCE_TYPE, "ecs.t5-lc1m1.small", "ecs.t5-c1m4.2xlarge"])
def test_rule8_type_not_offered(ecs, net, instance_type):
    # The current type, or one of another class (burstable from enterprise).
    instance_id = stopped(ecs, net)
    assert_error(lambda: spec(ecs, instance_id, InstanceType=instance_type), 400, *TYPE_DEPENDENCY)


def test_rule8_burstable_stays_burstable(ecs, net, emulator):
    instance_id = stopped(ecs, net, InstanceType="ecs.t5-lc1m1.small")
    assert_error(lambda: spec(ecs, instance_id, InstanceType="ecs.g6.large"), 400, *TYPE_DEPENDENCY)
    spec(ecs, instance_id, InstanceType="ecs.t5-c1m4.2xlarge")
    assert current(ecs, instance_id) == ("ecs.t5-c1m4.2xlarge", 5)


@pytest.mark.parametrize("instance_type,cpus,memory_gib", [
    ("ecs.g6.xlarge", 4, 16), ("ecs.c7.large", 2, 4), ("ecs.r6.8xlarge", 32, 256), ("ecs.g7.2xlarge", 8, 32),
])
def test_type_change(ecs, net, instance_type, cpus, memory_gib):
    instance_id = stopped(ecs, net)
    body = spec(ecs, instance_id, InstanceType=instance_type)
    assert body["RequestId"]
    item = describe_instance(ecs, instance_id)
    assert item["InstanceType"] == instance_type
    assert item["Cpu"] == cpus
    assert item["Memory"] == memory_gib * 1024  # MiB, as DescribeInstances answers
    assert item["Status"] == "Stopped"
    assert ecs.DescribeInstanceAttribute(InstanceId=instance_id)["InstanceType"] == instance_type


def test_every_offered_type_is_accepted(ecs_tea_api, ecs_old, net):
    instance_id = stopped(ecs_old, net)
    body = ecs_old.DescribeResourcesModification(ResourceId=instance_id, DestinationResource="InstanceType")
    offered = sorted(s["Value"] for z in body["AvailableZones"]["AvailableZone"]
                     for r in z["AvailableResources"]["AvailableResource"]
                     for s in r["SupportedResources"]["SupportedResource"])
    assert offered
    for instance_type in offered:
        other = stopped(ecs_old, net)
        spec(ecs_tea_api, other, InstanceType=instance_type)
        assert describe_instance(ecs_old, other)["InstanceType"] == instance_type
        ecs_old.DeleteInstance(InstanceId=other)


def test_type_change_through_typed_tea_models(ecs_tea, ecs_old, net):
    instance_id = stopped(ecs_old, net)
    body = ecs_tea.modify_instance_spec(em.ModifyInstanceSpecRequest(instance_id=instance_id,
                                                                     instance_type="ecs.r7.large")).body
    assert body.request_id
    assert current(ecs_old, instance_id) == ("ecs.r7.large", 5)


# --- rule 9: the bandwidth -----------------------------------------------------------------------


def test_rule9_bandwidth_needs_a_stable_status(ecs_tea_delayed, old_delayed, ecs_old_delayed, delayed):
    ecs = ecs_tea_delayed
    net = ecs_network(old_delayed, ecs_old_delayed, settle=lambda: delayed.advance(DELAY))
    instance_id = running(ecs, net)
    for status in ("Pending", "Starting"):
        assert describe_instance(ecs, instance_id)["Status"] == status
        assert_error(lambda: spec(ecs, instance_id, InternetMaxBandwidthOut=10), 400, *STATUS)
        delayed.advance(DELAY)
    spec(ecs, instance_id, InternetMaxBandwidthOut=10)
    delayed.advance(COOLDOWN)
    ecs.StopInstance(InstanceId=instance_id)
    assert describe_instance(ecs, instance_id)["Status"] == "Stopping"
    assert_error(lambda: spec(ecs, instance_id, InternetMaxBandwidthOut=20), 400, *STATUS)
    # A type change while Stopping is refused by the type rule.
    assert_error(lambda: spec(ecs, instance_id, InstanceType="ecs.g6.xlarge"), 400, *NOT_STOPPED)
    delayed.advance(DELAY)
    spec(ecs, instance_id, InternetMaxBandwidthOut=20)
    assert describe_instance(ecs, instance_id)["InternetMaxBandwidthOut"] == 20


def test_rule9_pay_by_bandwidth_instance(ecs, net):
    instance_id = running(ecs, net, charge="PayByBandwidth")
    assert_error(lambda: spec(ecs, instance_id, InternetMaxBandwidthOut=10), 400, *CHARGE)
    assert current(ecs, instance_id) == (INSTANCE_TYPE, 5)


@pytest.mark.parametrize("out", [101, -1, 1000])
def test_rule9_outbound_bandwidth_range(ecs, net, out):
    instance_id = running(ecs, net)
    assert_error(lambda: spec(ecs, instance_id, InternetMaxBandwidthOut=out), 400, *OUT_INVALID)


@pytest.mark.parametrize("inbound", [0, 201, -1])
def test_rule9_inbound_bandwidth_range(ecs, net, inbound):
    instance_id = running(ecs, net)
    assert_error(lambda: spec(ecs, instance_id, InternetMaxBandwidthOut=10, InternetMaxBandwidthIn=inbound), 400,
                 *IN_INVALID)
    assert current(ecs, instance_id) == (INSTANCE_TYPE, 5)


@pytest.mark.parametrize("inbound", [1, 200])
def test_rule9_inbound_bandwidth_accepted(ecs, net, inbound):
    instance_id = running(ecs, net)
    spec(ecs, instance_id, InternetMaxBandwidthOut=10, InternetMaxBandwidthIn=inbound)
    item = describe_instance(ecs, instance_id)
    assert (item["InternetMaxBandwidthOut"], item["InternetMaxBandwidthIn"]) == (10, inbound)


def test_rule9_the_same_bandwidth(ecs, net):
    instance_id = running(ecs, net, out=5)
    assert_error(lambda: spec(ecs, instance_id, InternetMaxBandwidthOut=5), 400, *SAME_BANDWIDTH)
    # Not a change: no five minutes to wait.
    spec(ecs, instance_id, InternetMaxBandwidthOut=6)


def test_rule9_vpc_instance_from_zero(ecs, net):
    instance_id = running(ecs, net, out=0)
    assert_error(lambda: spec(ecs, instance_id, InternetMaxBandwidthOut=5), 400, *IN_VPC)
    stopped_id = stopped(ecs, net, out=0)
    assert_error(lambda: spec(ecs, stopped_id, InternetMaxBandwidthOut=5), 400, *IN_VPC)
    assert current(ecs, instance_id) == (INSTANCE_TYPE, 0)


def test_classic_instance_from_zero(ecs):
    # A classic instance goes up from 0 Mbit/s only while Stopped, and then gets its public IP.
    classic = classic_network(ecs)
    instance_id = create_classic_instance(ecs, classic, InternetChargeType="PayByTraffic")
    ecs.StartInstance(InstanceId=instance_id)
    assert_error(lambda: spec(ecs, instance_id, InternetMaxBandwidthOut=5), 400, *CLASSIC_STATUS)
    ecs.StopInstance(InstanceId=instance_id)
    spec(ecs, instance_id, InternetMaxBandwidthOut=5)
    item = describe_instance(ecs, instance_id)
    assert (item["InternetMaxBandwidthOut"], item["Status"]) == (5, "Stopped")
    [address] = public_ips(item)
    assert in_public_pool(address)


def test_bandwidth_change_running_and_stopped(ecs, net, emulator):
    instance_id = running(ecs, net, out=5)
    address = public_ips(describe_instance(ecs, instance_id))
    spec(ecs, instance_id, InternetMaxBandwidthOut=20)
    assert current(ecs, instance_id) == (INSTANCE_TYPE, 20)
    emulator.advance(COOLDOWN)
    ecs.StopInstance(InstanceId=instance_id)
    spec(ecs, instance_id, InternetMaxBandwidthOut=0)
    item = describe_instance(ecs, instance_id)
    assert item["InternetMaxBandwidthOut"] == 0
    # The address of the instance is not taken away.
    assert public_ips(item) == address
    # Pay-as-you-go: no charge now.
    assert emulator.balance() == pytest.approx(10000)


# --- rule 10: the balance ------------------------------------------------------------------------


@pytest.mark.parametrize("balance", [0, -5])
def test_rule10_upgrade_with_no_balance(ecs, net, emulator, balance):
    bandwidth = running(ecs, net, out=5)
    instance_type = stopped(ecs, net)
    emulator.set_billing(balance=balance)
    assert_error(lambda: spec(ecs, bandwidth, InternetMaxBandwidthOut=10), 403, *NOT_ENOUGH)
    assert_error(lambda: spec(ecs, instance_type, InstanceType="ecs.g6.xlarge"), 403, *NOT_ENOUGH)
    assert current(ecs, bandwidth) == (INSTANCE_TYPE, 5)
    assert current(ecs, instance_type) == (INSTANCE_TYPE, 5)
    # Downgrades need no balance.
    spec(ecs, bandwidth, InternetMaxBandwidthOut=2)
    spec(ecs, instance_type, InstanceType="ecs.c6.large")
    assert current(ecs, bandwidth) == (INSTANCE_TYPE, 2)
    assert current(ecs, instance_type) == ("ecs.c6.large", 5)


def test_rule10_any_positive_balance_is_enough(ecs, net, emulator):
    instance_id = running(ecs, net, out=5)
    emulator.set_billing(balance=0.01)
    spec(ecs, instance_id, InternetMaxBandwidthOut=50)
    assert current(ecs, instance_id) == (INSTANCE_TYPE, 50)


# --- ClientToken ---------------------------------------------------------------------------------


def test_client_token_retry_changes_nothing(tea, net, emulator):
    instance_id = stopped(tea, net)
    params = dict(InstanceType="ecs.g6.xlarge", ClientToken="spec-token-1")
    assert spec(tea, instance_id, **params)["RequestId"]
    # Within the five minutes: answered, not throttled.
    assert spec(tea, instance_id, **params)["RequestId"]
    assert current(tea, instance_id) == ("ecs.g6.xlarge", 5)
    assert_error(lambda: spec(tea, instance_id, InstanceType="ecs.g6.2xlarge", ClientToken="spec-token-1"), 400,
                 *NOT_MATCH)
    assert_error(lambda: spec(tea, instance_id, InstanceType="ecs.g6.xlarge", ClientToken="spec-token-2"), 400,
                 *THROTTLING)
    assert current(tea, instance_id) == ("ecs.g6.xlarge", 5)


def test_client_token_retry_through_old_core(ecs_old, net):
    instance_id = running(ecs_old, net)
    for _ in range(2):
        spec(ecs_old, instance_id, InternetMaxBandwidthOut=10, ClientToken="spec-token-old")
    assert current(ecs_old, instance_id) == (INSTANCE_TYPE, 10)
    assert_error(lambda: spec(ecs_old, instance_id, InternetMaxBandwidthOut=11, ClientToken="spec-token-old"), 400,
                 *NOT_MATCH)


@pytest.mark.parametrize("token", ["t" * 65, "jeton-clé", "令牌"])
def test_invalid_client_token(ecs, net, token):
    instance_id = running(ecs, net)
    assert_error(lambda: spec(ecs, instance_id, InternetMaxBandwidthOut=10, ClientToken=token), 400, *TOKEN)
    assert current(ecs, instance_id) == (INSTANCE_TYPE, 5)
    spec(ecs, instance_id, InternetMaxBandwidthOut=10, ClientToken="t" * 64)
    assert current(ecs, instance_id) == (INSTANCE_TYPE, 10)
