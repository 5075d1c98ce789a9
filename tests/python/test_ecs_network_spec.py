"""ModifyInstanceNetworkSpec (seed 002; docs/ecs.md "The rules of ModifyInstanceNetworkSpec" and
"Billing"): every numbered rule with its code, HTTP status and message (the seed's message where it
prints one; "%s" rows are checked by code only), the rules' order, orders and the balance (AutoPay,
unpaid orders paid or cancelled through /_emulator/billing), temporary upgrades that apply and revert
with the emulated clock, the five-minute rule, the three-downgrade quota, public IP assignment, the
classic network, and ClientToken.

Tests taking the ``ecs`` fixture run once with the old core request classes and once with the Tea
client (V3). Throttling is asserted through Tea: the old core SDK retries ECS Throttling answers
with a back-off of seconds (test_old_core_retries_throttling_then_gives_up shows it)."""

from datetime import timedelta

import pytest
from alibabacloud_ecs20140526 import models as em

from conftest import TRANSITION_DELAY_SECONDS as DELAY
from helpers import (
    DAY,
    MONTH_MS,
    assert_error,
    bandwidth_price,
    classic_network,
    create_classic_instance,
    create_instance,
    describe_instance,
    ecs_network,
    expiry_ms,
    hour_time,
    in_public_pool,
    minute_time,
    public_ips,
    run_instance,
    run_subscription,
    utc,
)

NOT_FOUND = ("InvalidInstanceId.NotFound", "The specified InstanceId does not exist.")  # 404
LOCKED = ("InstanceLockedForSecurity",
          "The specified operation is denied as your instance is locked for security reasons.")  # 403
EXPIRED = ("InstanceExpiredOrInArrears", "The specified operation is denied as your prepay instance is expired "
           "(prepay mode) or in arrears (afterpay mode).")  # 403
ARREARAGE = ("Account.Arrearage", "Your account has an outstanding payment.")  # 400
INCORRECT_STATUS = ("IncorrectInstanceStatus", "The current status of the instance does not support this operation.")
UNPAID = ("InvalidInstance.UnPaidOrder", "The specified Instance has unpaid order.")  # 403
UNPAID_ACCOUNT = ("InvalidInstance.UnPaidOrder", "Unpaid order exists in your account, please complete or cancel "
                  "the payment in the expense center.")  # 400
THROTTLING = ("Throttling", "Request was denied due to request throttling, please try again after 5 minutes.")
SPEC_THROTTLING = ("Throttling", "You have made too many requests within a short time; your request is denied "
                   "due to request throttling.")  # ModifyInstanceSpec's (seed 003)
BANDWIDTH = "InvalidParameter.Bandwidth"  # 400, message "%s"
CONFLICT = "InvalidParameter.Conflict"  # 400, message "%s"
START_TIME = "InvalidStartTime.ValueNotSupported"  # 400, message "%s"
CHARGE_TYPE = ("ChargeTypeViolation", "The operation is not permitted due to billing method of the instance.")  # 403
TEMPORARY_LOWER = ("InvalidBandwidth.ValueNotSupported",
                   "Instance upgrade bandwidth of temporary not allow less then existed.")  # 400
OUT_RANGE = ("InvalidInternetMaxBandwidthOut.ValueNotSupported",
             "The specified InternetMaxBandwidthOut is beyond the permitted range.")  # 400
IN_RANGE = ("InvalidInternetMaxBandwidthIn.ValueNotSupported",
            "The specified InternetMaxBandwidthIn is beyond the permitted range.")  # 400
DECREASED = "DecreasedBandwidthNotAllowed"  # 400, message "%s"
DOWNGRADE_QUOTA = ("InstanceDowngrade.QuotaExceed", "Quota of instance downgrade is exceed.")  # 400
CLASSIC_STATUS = ("InvalidInstanceStatus", "The specified instance status does not support this action.")  # 400
PREPAID = ("OperationDenied", "The operation is denied due to the instance is PrePaid.")  # 403
ALLOCATE = ("InvalidParam.AllocatePublicIp", "The specified param AllocatePublicIp is invalid.")  # 400
NOT_ENOUGH = ("InvalidAccountStatus.NotEnoughBalance", "Your account does not have enough balance.")  # 403
TOKEN = ("InvalidClientToken.ValueNotSupported", "The ClientToken provided is invalid.")  # 400
NOT_MATCH = ("IdempotenceParamNotMatch",
             "Request uses a client token in a previous request but is not identical to that request.")  # 400
COOLDOWN = 300


def assert_filled(call, status, code):
    """For the seed's rows whose message is "%s": the code, and a message that says something."""
    _, _, message = assert_error(call, status, code)
    assert message and "%s" not in message, message


@pytest.fixture
def tea(ecs_tea_api):
    """The Tea client (V3) with wire parameter names."""
    return ecs_tea_api


def payg(ecs, net, out=5, charge="PayByTraffic", **params):
    """A Running pay-as-you-go instance."""
    return run_instance(ecs, net, InternetChargeType=charge, InternetMaxBandwidthOut=out, **params)


def prepaid(ecs, net, out=5, charge="PayByBandwidth", **params):
    """A Running one-month subscription instance."""
    return run_subscription(ecs, net, InternetChargeType=charge, InternetMaxBandwidthOut=out, **params)


def modify(ecs, instance_id, **params):
    return ecs.ModifyInstanceNetworkSpec(InstanceId=instance_id, **params)


def remaining_share(ecs, emulator, instance_id):
    """The rest of the subscription as a share of a 30-day month."""
    return (expiry_ms(ecs, instance_id) - emulator.now_ms()) / MONTH_MS


def temporary_window(emulator, hours=2):
    """(StartTime, EndTime) datetimes: a full hour 50 to 110 minutes away (a future time, on the
    minute), then ``hours`` later (on the hour)."""
    now = utc(emulator.now_ms())
    start = (now + timedelta(minutes=10)).replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    return start, start + timedelta(hours=hours)


def temporary(ecs, instance_id, start, end, **params):
    return modify(ecs, instance_id, StartTime=minute_time(start), EndTime=hour_time(end), **params)


# --- rules 1-4: the instance ---------------------------------------------------------------------


def test_rule1_unknown_instance(ecs):
    assert_error(lambda: modify(ecs, "i-doesnotexist", InternetMaxBandwidthOut=10), 404, *NOT_FOUND)


def test_rule2_locked_for_security(ecs, net, emulator):
    instance_id = payg(ecs, net)
    emulator.security_lock(instance_id)
    assert_error(lambda: modify(ecs, instance_id, InternetMaxBandwidthOut=10), 403, *LOCKED)
    # Rule 2 comes before rule 3.
    emulator.set_billing(overdue=True)
    assert_error(lambda: modify(ecs, instance_id, InternetMaxBandwidthOut=10), 403, *LOCKED)
    emulator.set_billing(overdue=False)
    emulator.security_lock(instance_id, locked=False)
    assert modify(ecs, instance_id, InternetMaxBandwidthOut=10)["OrderId"]
    assert describe_instance(ecs, instance_id)["InternetMaxBandwidthOut"] == 10


def test_rule3_expired_subscription(ecs, net, emulator):
    instance_id = run_subscription(ecs, net, period=1, unit="Week", InternetChargeType="PayByTraffic",
                                   InternetMaxBandwidthOut=5)
    emulator.advance(8 * DAY)
    assert_error(lambda: modify(ecs, instance_id, InternetMaxBandwidthOut=10), 403, *EXPIRED)


def test_rule3_pay_as_you_go_instance_of_an_overdue_account(ecs, net, emulator):
    instance_id = payg(ecs, net)
    emulator.set_billing(overdue=True)
    assert emulator.billing()["overdue"] is True
    assert_error(lambda: modify(ecs, instance_id, InternetMaxBandwidthOut=10), 403, *EXPIRED)
    emulator.set_billing(overdue=False)
    modify(ecs, instance_id, InternetMaxBandwidthOut=10)


def test_rule3_subscription_instance_of_an_overdue_account(ecs, net, emulator):
    instance_id = prepaid(ecs, net)
    emulator.set_billing(overdue=True)
    assert_error(lambda: modify(ecs, instance_id, InternetMaxBandwidthOut=10), 400, *ARREARAGE)
    emulator.set_billing(overdue=False)
    modify(ecs, instance_id, InternetMaxBandwidthOut=10)


def test_out_of_range_values_answer_before_the_rules(ecs, net, emulator):
    # docs/ecs.md: values outside their documented range are rejected when the request is
    # validated, before rule 3 (the overdue account) is looked at.
    instance_id = prepaid(ecs, net)
    emulator.set_billing(overdue=True)
    assert_error(lambda: modify(ecs, instance_id, InternetMaxBandwidthOut=1000), 400, *OUT_RANGE)
    assert_error(lambda: modify(ecs, instance_id, InternetMaxBandwidthOut=20), 400, *ARREARAGE)


def test_rule4_transitional_status(ecs_tea_delayed, old_delayed, ecs_old_delayed, delayed):
    ecs = ecs_tea_delayed
    net = ecs_network(old_delayed, ecs_old_delayed, settle=lambda: delayed.advance(DELAY))
    instance_id = payg(ecs, net)
    # Pending, then Starting.
    for _ in range(2):
        assert describe_instance(ecs, instance_id)["Status"] in ("Pending", "Starting")
        assert_error(lambda: modify(ecs, instance_id, InternetMaxBandwidthOut=10), 403, *INCORRECT_STATUS)
        delayed.advance(DELAY)
    assert describe_instance(ecs, instance_id)["Status"] == "Running"
    # AutoPay=false: an unpaid order; then Stopping: rule 4 answers before rule 5.
    modify(ecs, instance_id, InternetMaxBandwidthOut=10, AutoPay=False)
    ecs.StopInstance(InstanceId=instance_id)
    assert describe_instance(ecs, instance_id)["Status"] == "Stopping"
    assert_error(lambda: modify(ecs, instance_id, InternetMaxBandwidthOut=20), 403, *INCORRECT_STATUS)
    # Rule 3 before rule 4.
    delayed.set_billing(overdue=True)
    assert_error(lambda: modify(ecs, instance_id, InternetMaxBandwidthOut=20), 403, *EXPIRED)


def test_rule4_running_and_stopped_are_fine(ecs, net, emulator):
    running = payg(ecs, net)
    stopped = create_instance(ecs, net, InternetChargeType="PayByTraffic", InternetMaxBandwidthOut=5)
    assert describe_instance(ecs, stopped)["Status"] == "Stopped"
    for instance_id in (running, stopped):
        assert modify(ecs, instance_id, InternetMaxBandwidthOut=8)["OrderId"]
        assert describe_instance(ecs, instance_id)["InternetMaxBandwidthOut"] == 8


# --- rule 5: unpaid orders -----------------------------------------------------------------------


def test_rule5_unpaid_order_of_the_instance(ecs, net, emulator):
    instance_id = prepaid(ecs, net)
    order_id = modify(ecs, instance_id, InternetMaxBandwidthOut=10, AutoPay=False)["OrderId"]
    assert emulator.order(order_id)["status"] == "Unpaid"
    # Rule 5 answers before the five-minute rule, and as long as the order is unpaid.
    assert_error(lambda: modify(ecs, instance_id, InternetMaxBandwidthOut=20), 403, *UNPAID)
    emulator.advance(COOLDOWN)
    assert_error(lambda: modify(ecs, instance_id, InternetMaxBandwidthOut=20), 403, *UNPAID)
    assert_error(lambda: modify(ecs, instance_id, InternetMaxBandwidthOut=20, AutoPay=False), 403, *UNPAID)


def test_rule5_unpaid_order_of_another_instance(ecs, net, emulator):
    first = prepaid(ecs, net)
    other_subscription = prepaid(ecs, net)
    other_payg = payg(ecs, net)
    modify(ecs, first, InternetMaxBandwidthOut=10, AutoPay=False)
    # Account-wide for subscription instances only.
    assert_error(lambda: modify(ecs, other_subscription, InternetMaxBandwidthOut=10), 400, *UNPAID_ACCOUNT)
    assert modify(ecs, other_payg, InternetMaxBandwidthOut=10)["OrderId"]


def test_rule5_unpaid_order_of_a_pay_as_you_go_instance_blocks_subscription_changes(ecs, net, emulator):
    first = payg(ecs, net)
    other = prepaid(ecs, net)
    order_id = modify(ecs, first, InternetMaxBandwidthOut=10, AutoPay=False)["OrderId"]
    assert emulator.order(order_id)["status"] == "Unpaid"
    assert_error(lambda: modify(ecs, first, InternetMaxBandwidthOut=20), 403, *UNPAID)
    assert_error(lambda: modify(ecs, other, InternetMaxBandwidthOut=10), 400, *UNPAID_ACCOUNT)
    assert emulator.cancel_order(order_id).status_code == 200
    assert modify(ecs, other, InternetMaxBandwidthOut=10)["OrderId"]


# --- rule 6: five minutes ------------------------------------------------------------------------


def test_rule6_five_minutes_after_a_change(tea, net, emulator):
    instance_id = payg(tea, net)
    neighbour = payg(tea, net)
    modify(tea, instance_id, InternetMaxBandwidthOut=10)
    assert_error(lambda: modify(tea, instance_id, InternetMaxBandwidthOut=20), 400, *THROTTLING)
    # Per instance.
    modify(tea, neighbour, InternetMaxBandwidthOut=10)
    emulator.advance(200)
    assert_error(lambda: modify(tea, instance_id, InternetMaxBandwidthOut=20), 400, *THROTTLING)
    emulator.advance(99)
    assert_error(lambda: modify(tea, instance_id, InternetMaxBandwidthOut=20), 400, *THROTTLING)
    # The refused calls did not restart the five minutes.
    emulator.advance(1)
    modify(tea, instance_id, InternetMaxBandwidthOut=20)
    assert describe_instance(tea, instance_id)["InternetMaxBandwidthOut"] == 20
    # Rule 6 answers before rule 7 (nothing to change).
    assert_error(lambda: modify(tea, instance_id), 400, *THROTTLING)


def test_rule6_answers_before_the_dynamic_inbound_rule(tea, net):
    # The inbound limit that depends on the outbound bandwidth (rule 9) comes after the cooldown;
    # only the static range (1-100) is checked when the request is validated.
    instance_id = payg(tea, net)
    modify(tea, instance_id, InternetMaxBandwidthOut=10)
    assert_error(lambda: modify(tea, instance_id, InternetMaxBandwidthOut=1000), 400, *OUT_RANGE)
    assert_error(lambda: modify(tea, instance_id, InternetMaxBandwidthOut=5, InternetMaxBandwidthIn=50), 400,
                 *THROTTLING)


def test_rule6_counts_modify_instance_spec_too(tea, net, emulator):
    instance_id = payg(tea, net)
    tea.ModifyInstanceSpec(InstanceId=instance_id, InternetMaxBandwidthOut=10)
    assert_error(lambda: modify(tea, instance_id, InternetMaxBandwidthOut=20), 400, *THROTTLING)
    emulator.advance(COOLDOWN)
    modify(tea, instance_id, InternetMaxBandwidthOut=20)
    assert_error(lambda: tea.ModifyInstanceSpec(InstanceId=instance_id, InternetMaxBandwidthOut=30), 400,
                 *SPEC_THROTTLING)
    emulator.advance(COOLDOWN)
    tea.ModifyInstanceSpec(InstanceId=instance_id, InternetMaxBandwidthOut=30)
    assert describe_instance(tea, instance_id)["InternetMaxBandwidthOut"] == 30


def test_old_core_retries_throttling_then_gives_up(ecs_old, net):
    # Old core retries ECS Throttling answers (data/retry_config.json), re-signing each time; the
    # emulator refuses every retry with the same answer.
    instance_id = payg(ecs_old, net)
    modify(ecs_old, instance_id, InternetMaxBandwidthOut=10)
    assert_error(lambda: modify(ecs_old, instance_id, InternetMaxBandwidthOut=20), 400, *THROTTLING)
    assert describe_instance(ecs_old, instance_id)["InternetMaxBandwidthOut"] == 10


# --- rule 7: nothing to change -------------------------------------------------------------------


def test_rule7_nothing_to_change(ecs, net):
    instance_id = payg(ecs, net)
    assert_filled(lambda: modify(ecs, instance_id), 400, BANDWIDTH)
    assert_filled(lambda: modify(ecs, instance_id, AutoPay=True), 400, BANDWIDTH)
    assert_filled(lambda: modify(ecs, instance_id, AllocatePublicIp=False), 400, BANDWIDTH)
    # None of them was a change: no five minutes to wait.
    modify(ecs, instance_id, InternetMaxBandwidthOut=10)


# --- rule 8: temporary upgrades ------------------------------------------------------------------


def test_rule8_temporary_upgrade_needs_both_times_and_no_charge_type(ecs, net, emulator):
    instance_id = prepaid(ecs, net)
    start, end = temporary_window(emulator)
    assert_filled(lambda: modify(ecs, instance_id, StartTime=minute_time(start), InternetMaxBandwidthOut=10),
                 400, CONFLICT)
    assert_filled(lambda: modify(ecs, instance_id, EndTime=hour_time(end), InternetMaxBandwidthOut=10), 400, CONFLICT)
    assert_filled(lambda: temporary(ecs, instance_id, start, end, InternetMaxBandwidthOut=10,
                                   NetworkChargeType="PayByBandwidth"), 400, CONFLICT)


def test_rule8_temporary_upgrade_of_a_pay_as_you_go_instance(ecs, net, emulator):
    instance_id = payg(ecs, net, charge="PayByBandwidth")
    start, end = temporary_window(emulator)
    assert_error(lambda: temporary(ecs, instance_id, start, end, InternetMaxBandwidthOut=10), 403, *CHARGE_TYPE)


def _bad_times(start, end, now):
    return {
        "start with seconds": (start.strftime("%Y-%m-%dT%H:%M:%SZ"), hour_time(end)),
        "start without minutes": (hour_time(start), hour_time(end)),
        "start not UTC": (start.strftime("%Y-%m-%dT%H:%M+08:00"), hour_time(end)),
        "end with minutes": (minute_time(start), minute_time(end)),
        "end not a time": (minute_time(start), "tomorrow"),
        "end before start": (minute_time(start), hour_time(start - timedelta(hours=1))),
        "end equal to start": (minute_time(start), hour_time(start)),
        "end in the past": (minute_time(now - timedelta(hours=5)), hour_time(now - timedelta(hours=2))),
    }


@pytest.mark.parametrize("case", ["start with seconds", "start without minutes", "start not UTC", "end with minutes",
                                  "end not a time", "end before start", "end equal to start", "end in the past"])
def test_rule8_temporary_upgrade_times(ecs, net, emulator, case):
    instance_id = prepaid(ecs, net)
    start, end = temporary_window(emulator)
    start_text, end_text = _bad_times(start, end, utc(emulator.now_ms()))[case]
    assert_filled(lambda: modify(ecs, instance_id, StartTime=start_text, EndTime=end_text, InternetMaxBandwidthOut=10),
                 400, START_TIME)


def test_rule8_temporary_upgrade_past_the_expiry(ecs, net, emulator):
    instance_id = run_subscription(ecs, net, period=1, unit="Week", InternetChargeType="PayByBandwidth",
                                   InternetMaxBandwidthOut=5)
    start, _ = temporary_window(emulator)
    assert_filled(lambda: temporary(ecs, instance_id, start, start + timedelta(days=10), InternetMaxBandwidthOut=10),
                 400, CONFLICT)


def test_rule8_one_temporary_upgrade_at_a_time(ecs, net, emulator):
    instance_id = prepaid(ecs, net)
    start, end = temporary_window(emulator, hours=4)
    assert temporary(ecs, instance_id, start, end, InternetMaxBandwidthOut=10)["OrderId"]
    emulator.advance(COOLDOWN)
    assert_filled(lambda: temporary(ecs, instance_id, start, end, InternetMaxBandwidthOut=20), 400, CONFLICT)


def test_rule8_temporary_upgrade_bandwidth(ecs, net, emulator):
    instance_id = prepaid(ecs, net)
    start, end = temporary_window(emulator)
    assert_filled(lambda: temporary(ecs, instance_id, start, end), 400, BANDWIDTH)
    assert_error(lambda: temporary(ecs, instance_id, start, end, InternetMaxBandwidthOut=3), 400, *TEMPORARY_LOWER)
    assert describe_instance(ecs, instance_id)["InternetMaxBandwidthOut"] == 5


def test_temporary_upgrade_applies_from_start_time_and_reverts_at_end_time(tea, net, emulator):
    instance_id = prepaid(tea, net, out=5)
    address = public_ips(describe_instance(tea, instance_id))
    balance = emulator.balance()
    start, end = temporary_window(emulator, hours=2)
    order_id = temporary(tea, instance_id, start, end, InternetMaxBandwidthOut=10)["OrderId"]
    # The price difference over StartTime-EndTime: (515 - 115) CNY a month for two hours.
    amount = (bandwidth_price(10) - bandwidth_price(5)) * (2 * 3600 * 1000) / MONTH_MS
    order = emulator.order(order_id)
    assert order["instance_id"] == instance_id and order["status"] == "Paid"
    assert float(order["amount"]) == pytest.approx(amount, abs=0.01)
    assert emulator.balance() == pytest.approx(balance - amount, abs=0.01)

    assert describe_instance(tea, instance_id)["InternetMaxBandwidthOut"] == 5
    until_start = (start - utc(emulator.now_ms())).total_seconds()
    emulator.advance(until_start - 2)
    assert describe_instance(tea, instance_id)["InternetMaxBandwidthOut"] == 5
    emulator.advance(3)
    assert describe_instance(tea, instance_id)["InternetMaxBandwidthOut"] == 10
    emulator.advance(2 * 3600 - 3)
    assert describe_instance(tea, instance_id)["InternetMaxBandwidthOut"] == 10
    emulator.advance(3)
    item = describe_instance(tea, instance_id)
    assert item["InternetMaxBandwidthOut"] == 5
    assert public_ips(item) == address
    # A regular change works again afterwards.
    modify(tea, instance_id, InternetMaxBandwidthOut=6)


def test_rule9_no_lasting_change_while_a_temporary_upgrade_is_scheduled_or_in_effect(tea, net, emulator):
    instance_id = prepaid(tea, net, out=5)
    start, end = temporary_window(emulator, hours=2)
    temporary(tea, instance_id, start, end, InternetMaxBandwidthOut=10)
    emulator.advance(COOLDOWN)
    # Scheduled.
    assert_filled(lambda: modify(tea, instance_id, InternetMaxBandwidthOut=8), 400, CONFLICT)
    emulator.advance((start - utc(emulator.now_ms())).total_seconds() + 1)
    assert describe_instance(tea, instance_id)["InternetMaxBandwidthOut"] == 10
    # In effect.
    assert_filled(lambda: modify(tea, instance_id, InternetMaxBandwidthOut=20), 400, CONFLICT)
    emulator.advance(2 * 3600)
    assert describe_instance(tea, instance_id)["InternetMaxBandwidthOut"] == 5
    modify(tea, instance_id, InternetMaxBandwidthOut=20)
    assert describe_instance(tea, instance_id)["InternetMaxBandwidthOut"] == 20


def test_temporary_upgrade_through_typed_tea_models(ecs_tea, tea, net, emulator):
    instance_id = prepaid(tea, net)
    start, end = temporary_window(emulator)
    body = ecs_tea.modify_instance_network_spec(em.ModifyInstanceNetworkSpecRequest(
        instance_id=instance_id, internet_max_bandwidth_out=8, start_time=minute_time(start),
        end_time=hour_time(end))).body
    assert body.order_id and body.request_id
    assert emulator.order(body.order_id)["status"] == "Paid"


# --- rule 9: bandwidth ranges --------------------------------------------------------------------


@pytest.mark.parametrize("out", [101, -1, 1000])
def test_rule9_outbound_bandwidth_range(ecs, net, out):
    instance_id = payg(ecs, net)
    assert_error(lambda: modify(ecs, instance_id, InternetMaxBandwidthOut=out), 400, *OUT_RANGE)


@pytest.mark.parametrize("out,inbound", [(5, 11), (5, 0), (10, 11), (20, 21), (20, 0), (100, 101)])
def test_rule9_inbound_bandwidth_range(ecs, net, out, inbound):
    instance_id = payg(ecs, net)
    assert_error(lambda: modify(ecs, instance_id, InternetMaxBandwidthOut=out, InternetMaxBandwidthIn=inbound),
                 400, *IN_RANGE)
    assert describe_instance(ecs, instance_id)["InternetMaxBandwidthOut"] == 5


@pytest.mark.parametrize("out,inbound", [(5, 10), (5, 1), (10, 10), (20, 20), (20, 15), (11, 11), (100, 100), (0, 10)])
def test_rule9_inbound_bandwidth_accepted(ecs, net, out, inbound):
    instance_id = payg(ecs, net, out=3)  # 3/10 now: every case below is a change
    modify(ecs, instance_id, InternetMaxBandwidthOut=out, InternetMaxBandwidthIn=inbound)
    item = describe_instance(ecs, instance_id)
    assert (item["InternetMaxBandwidthOut"], item["InternetMaxBandwidthIn"]) == (out, inbound)


def test_a_change_to_the_current_bandwidth_is_refused(tea, net):
    # docs/ecs.md rule 7: nothing to change (the same bandwidth and billing method).
    instance_id = payg(tea, net)
    _, _, message = assert_error(lambda: modify(tea, instance_id, InternetMaxBandwidthOut=5), 400,
                                 "InvalidParameter.Bandwidth")
    assert "already" in message
    modify(tea, instance_id, InternetMaxBandwidthOut=6)


def test_rule9_inbound_bandwidth_defaults(tea, net, emulator):
    instance_id = payg(tea, net)
    modify(tea, instance_id, InternetMaxBandwidthOut=20)
    assert describe_instance(tea, instance_id)["InternetMaxBandwidthIn"] == 20
    emulator.advance(COOLDOWN)
    modify(tea, instance_id, InternetMaxBandwidthOut=8)
    assert describe_instance(tea, instance_id)["InternetMaxBandwidthIn"] == 10
    emulator.advance(COOLDOWN)
    modify(tea, instance_id, InternetMaxBandwidthOut=30, InternetMaxBandwidthIn=12)
    assert describe_instance(tea, instance_id)["InternetMaxBandwidthIn"] == 12
    emulator.advance(COOLDOWN)
    modify(tea, instance_id, InternetMaxBandwidthOut=40)
    assert describe_instance(tea, instance_id)["InternetMaxBandwidthIn"] == 40


# --- rules 10-12: subscription bandwidth ----------------------------------------------------------


def test_rule10_subscription_from_pay_by_bandwidth_to_pay_by_traffic(ecs, net):
    instance_id = prepaid(ecs, net, out=10, charge="PayByBandwidth")
    assert_error(lambda: modify(ecs, instance_id, NetworkChargeType="PayByTraffic"), 403, *CHARGE_TYPE)
    # Rule 10 answers before rule 11 (a lower bandwidth).
    assert_error(lambda: modify(ecs, instance_id, NetworkChargeType="PayByTraffic", InternetMaxBandwidthOut=5),
                 403, *CHARGE_TYPE)
    assert describe_instance(ecs, instance_id)["InternetChargeType"] == "PayByBandwidth"


def test_subscription_from_pay_by_traffic_to_pay_by_bandwidth(ecs, net, emulator):
    instance_id = prepaid(ecs, net, out=5, charge="PayByTraffic")
    balance = emulator.balance()
    share = remaining_share(ecs, emulator, instance_id)
    order_id = modify(ecs, instance_id, NetworkChargeType="PayByBandwidth")["OrderId"]
    item = describe_instance(ecs, instance_id)
    assert (item["InternetChargeType"], item["InternetMaxBandwidthOut"]) == ("PayByBandwidth", 5)
    # 0 -> 115 CNY a month, over the rest of the subscription.
    amount = bandwidth_price(5) * share
    assert float(emulator.order(order_id)["amount"]) == pytest.approx(amount, abs=0.05)
    assert emulator.balance() == pytest.approx(balance - amount, abs=0.05)


def test_pay_as_you_go_charge_type_both_ways(ecs, net, emulator):
    instance_id = payg(ecs, net, charge="PayByTraffic")
    modify(ecs, instance_id, NetworkChargeType="PayByBandwidth")
    assert describe_instance(ecs, instance_id)["InternetChargeType"] == "PayByBandwidth"
    emulator.advance(COOLDOWN)
    modify(ecs, instance_id, NetworkChargeType="PayByTraffic", InternetMaxBandwidthOut=2)
    item = describe_instance(ecs, instance_id)
    assert (item["InternetChargeType"], item["InternetMaxBandwidthOut"]) == ("PayByTraffic", 2)
    assert emulator.balance() == pytest.approx(10000)


def test_rule11_subscription_pay_by_bandwidth_cannot_be_lowered(ecs, net, emulator):
    instance_id = prepaid(ecs, net, out=10, charge="PayByBandwidth")
    assert_filled(lambda: modify(ecs, instance_id, InternetMaxBandwidthOut=5), 400, DECREASED)
    assert_filled(lambda: modify(ecs, instance_id, InternetMaxBandwidthOut=0), 400, DECREASED)
    assert describe_instance(ecs, instance_id)["InternetMaxBandwidthOut"] == 10
    modify(ecs, instance_id, InternetMaxBandwidthOut=12)
    # Pay-as-you-go PayByBandwidth may go down.
    other = payg(ecs, net, out=10, charge="PayByBandwidth")
    modify(ecs, other, InternetMaxBandwidthOut=5)
    assert describe_instance(ecs, other)["InternetMaxBandwidthOut"] == 5


def test_rule12_three_downgrades_of_a_subscription(tea, net, emulator):
    instance_id = prepaid(tea, net, out=20, charge="PayByTraffic")
    for out in (15, 10, 5):
        balance = emulator.balance()
        order_id = modify(tea, instance_id, InternetMaxBandwidthOut=out)["OrderId"]
        # A downgrade's amount (0 for PayByTraffic bandwidth) is refunded.
        amount = float(emulator.order(order_id)["amount"])
        assert amount <= 0
        assert emulator.balance() == pytest.approx(balance - amount, abs=0.01)
        emulator.advance(COOLDOWN)
    assert_error(lambda: modify(tea, instance_id, InternetMaxBandwidthOut=4), 400, *DOWNGRADE_QUOTA)
    assert describe_instance(tea, instance_id)["InternetMaxBandwidthOut"] == 5
    # Upgrades are still allowed.
    modify(tea, instance_id, InternetMaxBandwidthOut=8)


def test_pay_as_you_go_downgrades_are_unlimited(tea, net, emulator):
    instance_id = payg(tea, net, out=20)
    for out in (15, 10, 5, 4, 3):
        modify(tea, instance_id, InternetMaxBandwidthOut=out)
        emulator.advance(COOLDOWN)
    assert describe_instance(tea, instance_id)["InternetMaxBandwidthOut"] == 3


# --- rule 13: the classic network ----------------------------------------------------------------


def test_rule13_classic_instance_upgraded_from_zero_must_be_stopped(ecs, emulator):
    classic = classic_network(ecs)
    instance_id = create_classic_instance(ecs, classic)
    ecs.StartInstance(InstanceId=instance_id)
    item = describe_instance(ecs, instance_id)
    assert (item["InstanceNetworkType"], item["Status"], item["InternetMaxBandwidthOut"]) == ("classic", "Running", 0)
    assert_error(lambda: modify(ecs, instance_id, InternetMaxBandwidthOut=5), 400, *CLASSIC_STATUS)
    ecs.StopInstance(InstanceId=instance_id)
    modify(ecs, instance_id, InternetMaxBandwidthOut=5)
    assert describe_instance(ecs, instance_id)["InternetMaxBandwidthOut"] == 5
    # From a bandwidth above 0 the status does not matter.
    ecs.StartInstance(InstanceId=instance_id)
    emulator.advance(COOLDOWN)
    modify(ecs, instance_id, InternetMaxBandwidthOut=8)
    assert describe_instance(ecs, instance_id)["InternetMaxBandwidthOut"] == 8


def test_a_vpc_instance_may_be_upgraded_from_zero_while_running(ecs, net):
    instance_id = payg(ecs, net, out=0)
    modify(ecs, instance_id, InternetMaxBandwidthOut=5)
    assert describe_instance(ecs, instance_id)["InternetMaxBandwidthOut"] == 5


# --- rule 14: AllocatePublicIp -------------------------------------------------------------------


def test_rule14_allocate_public_ip_on_a_subscription_instance(ecs, net):
    instance_id = prepaid(ecs, net, out=0, charge="PayByTraffic")
    assert_error(lambda: modify(ecs, instance_id, InternetMaxBandwidthOut=5, AllocatePublicIp=True), 403, *PREPAID)
    assert describe_instance(ecs, instance_id)["InternetMaxBandwidthOut"] == 0


def test_rule14_allocate_public_ip_with_no_bandwidth(ecs, net):
    without = payg(ecs, net, out=0)
    assert_error(lambda: modify(ecs, without, AllocatePublicIp=True), 400, *ALLOCATE)
    assert_error(lambda: modify(ecs, without, AllocatePublicIp=True, InternetMaxBandwidthOut=0), 400, *ALLOCATE)
    with_bandwidth = payg(ecs, net, out=5)
    assert_error(lambda: modify(ecs, with_bandwidth, AllocatePublicIp=True, InternetMaxBandwidthOut=0), 400, *ALLOCATE)
    assert public_ips(describe_instance(ecs, without)) == []


def test_pay_as_you_go_gets_a_public_ip_only_when_asked(ecs, net, emulator):
    plain = payg(ecs, net, out=0)
    modify(ecs, plain, InternetMaxBandwidthOut=5)
    assert public_ips(describe_instance(ecs, plain)) == []
    asked = payg(ecs, net, out=0)
    modify(ecs, asked, InternetMaxBandwidthOut=5, AllocatePublicIp=True)
    [address] = public_ips(describe_instance(ecs, asked))
    assert in_public_pool(address)
    # Lowering to 0 keeps the address.
    emulator.advance(COOLDOWN)
    modify(ecs, asked, InternetMaxBandwidthOut=0)
    item = describe_instance(ecs, asked)
    assert item["InternetMaxBandwidthOut"] == 0 and public_ips(item) == [address]


def test_a_subscription_upgraded_from_zero_gets_a_public_ip(ecs, net, emulator):
    instance_id = prepaid(ecs, net, out=0, charge="PayByTraffic")
    assert public_ips(describe_instance(ecs, instance_id)) == []
    modify(ecs, instance_id, InternetMaxBandwidthOut=5)
    [address] = public_ips(describe_instance(ecs, instance_id))
    assert in_public_pool(address)
    emulator.advance(COOLDOWN)
    modify(ecs, instance_id, InternetMaxBandwidthOut=0)  # PayByTraffic: a downgrade is allowed
    item = describe_instance(ecs, instance_id)
    assert item["InternetMaxBandwidthOut"] == 0 and public_ips(item) == [address]


# --- rule 15 and billing -------------------------------------------------------------------------


def test_rule15_not_enough_balance(ecs, net, emulator):
    instance_id = prepaid(ecs, net, out=5, charge="PayByTraffic")
    orders = len(emulator.orders_of(instance_id))
    emulator.set_billing(balance=1)
    assert_error(lambda: modify(ecs, instance_id, NetworkChargeType="PayByBandwidth", InternetMaxBandwidthOut=10),
                 403, *NOT_ENOUGH)
    # Nothing changed: no order, no charge, no five minutes to wait.
    item = describe_instance(ecs, instance_id)
    assert (item["InternetChargeType"], item["InternetMaxBandwidthOut"]) == ("PayByTraffic", 5)
    assert len(emulator.orders_of(instance_id)) == orders
    assert emulator.balance() == pytest.approx(1)
    emulator.set_billing(balance=10000)
    modify(ecs, instance_id, NetworkChargeType="PayByBandwidth", InternetMaxBandwidthOut=10)
    assert describe_instance(ecs, instance_id)["InternetChargeType"] == "PayByBandwidth"


def test_a_pay_as_you_go_change_is_a_free_paid_order(ecs, net, emulator):
    instance_id = payg(ecs, net)
    body = modify(ecs, instance_id, InternetMaxBandwidthOut=10)
    assert body["RequestId"] and isinstance(body["OrderId"], str) and body["OrderId"]
    order = emulator.order(body["OrderId"])
    assert order["instance_id"] == instance_id
    assert order["status"] == "Paid"
    assert float(order["amount"]) == 0
    assert order["created"] and order["paid"]
    assert emulator.balance() == pytest.approx(10000)


def test_a_subscription_upgrade_is_paid_at_once(ecs, net, emulator):
    instance_id = prepaid(ecs, net, out=5, charge="PayByBandwidth")
    balance = emulator.balance()
    share = remaining_share(ecs, emulator, instance_id)
    order_id = modify(ecs, instance_id, InternetMaxBandwidthOut=10)["OrderId"]
    amount = (bandwidth_price(10) - bandwidth_price(5)) * share  # 400 CNY a month
    order = emulator.order(order_id)
    assert order["status"] == "Paid" and order["paid"]
    assert float(order["amount"]) == pytest.approx(amount, abs=0.05)
    assert emulator.balance() == pytest.approx(balance - amount, abs=0.05)
    # Every change makes a new order.
    emulator.advance(COOLDOWN)
    second = modify(ecs, instance_id, InternetMaxBandwidthOut=11)["OrderId"]
    assert second != order_id


def test_auto_pay_false_leaves_the_change_pending_until_paid(tea, net, emulator):
    instance_id = prepaid(tea, net, out=5, charge="PayByBandwidth")
    balance = emulator.balance()
    share = remaining_share(tea, emulator, instance_id)
    order_id = modify(tea, instance_id, InternetMaxBandwidthOut=10, AutoPay=False)["OrderId"]
    order = emulator.order(order_id)
    assert order["status"] == "Unpaid" and not order["paid"]
    amount = (bandwidth_price(10) - bandwidth_price(5)) * share
    assert float(order["amount"]) == pytest.approx(amount, abs=0.05)
    assert describe_instance(tea, instance_id)["InternetMaxBandwidthOut"] == 5
    assert emulator.balance() == pytest.approx(balance)

    assert emulator.pay_order(order_id).status_code == 200
    assert emulator.order(order_id)["status"] == "Paid"
    assert describe_instance(tea, instance_id)["InternetMaxBandwidthOut"] == 10
    assert emulator.balance() == pytest.approx(balance - float(order["amount"]), abs=0.01)
    # No unpaid order left (the five minutes are left to pass: whether they count from the call or
    # the payment is not said).
    emulator.advance(COOLDOWN)
    modify(tea, instance_id, InternetMaxBandwidthOut=12)
    assert describe_instance(tea, instance_id)["InternetMaxBandwidthOut"] == 12


def test_an_unpaid_order_needs_the_balance_to_be_paid(tea, net, emulator):
    instance_id = prepaid(tea, net, out=5, charge="PayByBandwidth")
    emulator.set_billing(balance=10)
    # AutoPay=false makes the order even with a short balance.
    order_id = modify(tea, instance_id, InternetMaxBandwidthOut=20, AutoPay=False)["OrderId"]
    assert emulator.pay_order(order_id).status_code == 409
    assert emulator.order(order_id)["status"] == "Unpaid"
    assert describe_instance(tea, instance_id)["InternetMaxBandwidthOut"] == 5
    assert emulator.balance() == pytest.approx(10)
    emulator.set_billing(balance=5000)
    assert emulator.pay_order(order_id).status_code == 200
    assert describe_instance(tea, instance_id)["InternetMaxBandwidthOut"] == 20
    assert emulator.balance() == pytest.approx(5000 - float(emulator.order(order_id)["amount"]), abs=0.01)


def test_a_cancelled_order_drops_its_change(ecs, net, emulator):
    instance_id = prepaid(ecs, net, out=5, charge="PayByBandwidth")
    balance = emulator.balance()
    order_id = modify(ecs, instance_id, InternetMaxBandwidthOut=10, AutoPay=False)["OrderId"]
    assert emulator.cancel_order(order_id).status_code == 200
    assert emulator.order(order_id)["status"] == "Cancelled"
    assert describe_instance(ecs, instance_id)["InternetMaxBandwidthOut"] == 5
    assert emulator.balance() == pytest.approx(balance)
    # A cancelled order cannot be paid any more, nor cancelled twice.
    assert emulator.pay_order(order_id).status_code >= 400
    assert emulator.cancel_order(order_id).status_code >= 400
    assert describe_instance(ecs, instance_id)["InternetMaxBandwidthOut"] == 5
    # The instance has no unpaid order now.
    emulator.advance(COOLDOWN)
    modify(ecs, instance_id, InternetMaxBandwidthOut=15)
    assert describe_instance(ecs, instance_id)["InternetMaxBandwidthOut"] == 15


def test_paying_or_cancelling_an_unknown_or_paid_order(emulator, ecs_tea_api, net):
    assert emulator.pay_order("999999999").status_code == 404
    assert emulator.cancel_order("999999999").status_code == 404
    instance_id = payg(ecs_tea_api, net)
    order_id = modify(ecs_tea_api, instance_id, InternetMaxBandwidthOut=10)["OrderId"]
    assert emulator.pay_order(order_id).status_code >= 400
    assert emulator.cancel_order(order_id).status_code >= 400
    assert emulator.order(order_id)["status"] == "Paid"


# --- ClientToken ---------------------------------------------------------------------------------


def test_client_token_retry_returns_the_first_answer(ecs, net, emulator):
    instance_id = prepaid(ecs, net, out=5, charge="PayByBandwidth")
    params = dict(InternetMaxBandwidthOut=10, ClientToken="mins-token-1")
    first = modify(ecs, instance_id, **params)
    balance = emulator.balance()
    orders = len(emulator.orders_of(instance_id))
    # Within the five minutes: the retry is answered, not throttled, and changes nothing.
    again = modify(ecs, instance_id, **params)
    assert again["OrderId"] == first["OrderId"]
    assert emulator.balance() == pytest.approx(balance)
    assert len(emulator.orders_of(instance_id)) == orders
    assert describe_instance(ecs, instance_id)["InternetMaxBandwidthOut"] == 10


def test_client_token_another_token_is_another_request(tea, net):
    instance_id = payg(tea, net)
    first = modify(tea, instance_id, InternetMaxBandwidthOut=10, ClientToken="mins-token-a")
    assert modify(tea, instance_id, InternetMaxBandwidthOut=10, ClientToken="mins-token-a")["OrderId"] == first["OrderId"]
    assert_error(lambda: modify(tea, instance_id, InternetMaxBandwidthOut=10, ClientToken="mins-token-b"),
                 400, *THROTTLING)


def test_client_token_with_other_parameters(ecs, net):
    instance_id = payg(ecs, net)
    modify(ecs, instance_id, InternetMaxBandwidthOut=10, ClientToken="mins-token-3")
    assert_error(lambda: modify(ecs, instance_id, InternetMaxBandwidthOut=20, ClientToken="mins-token-3"),
                 400, *NOT_MATCH)
    assert describe_instance(ecs, instance_id)["InternetMaxBandwidthOut"] == 10


@pytest.mark.parametrize("token", ["t" * 65, "jeton-clé", "令牌"])
def test_invalid_client_token(ecs, net, token):
    instance_id = payg(ecs, net)
    assert_error(lambda: modify(ecs, instance_id, InternetMaxBandwidthOut=10, ClientToken=token), 400, *TOKEN)
    assert describe_instance(ecs, instance_id)["InternetMaxBandwidthOut"] == 5
    assert modify(ecs, instance_id, InternetMaxBandwidthOut=10, ClientToken="t" * 64)["OrderId"]


def test_through_the_tea_v1_signature(ecs_tea_v1, ecs_old, net, emulator):
    instance_id = prepaid(ecs_old, net)
    body = ecs_tea_v1.modify_instance_network_spec(em.ModifyInstanceNetworkSpecRequest(
        instance_id=instance_id, internet_max_bandwidth_out=7, auto_pay=False)).body
    assert emulator.order(body.order_id)["status"] == "Unpaid"
    assert emulator.pay_order(body.order_id).status_code == 200
    assert describe_instance(ecs_old, instance_id)["InternetMaxBandwidthOut"] == 7
