//! The rules of the ECS family (docs/ecs.md): lifecycle, billing, and the seed calls
//! ModifyInstanceNetworkSpec (002) and ModifyInstanceSpec (003), with time under the test's
//! control through the emulated clock.

mod common;

use acs_cloud::{billing, Cloud};
use common::{call, cloud, code, id, ok, ACCOUNT};
use proptest::prelude::*;
use serde_json::Value;

const MINUTE_MS: i64 = 60_000;

/// A VPC with a vSwitch and a security group: (vswitch id, security group id).
fn network(c: &Cloud) -> (String, String) {
    let settle = || c.clock.advance_ms(c.config.transition_delay_ms);
    let vpc = id(&ok(c, "CreateVpc", &[("CidrBlock", "192.168.0.0/16")]), "VpcId");
    settle();
    let vsw = ok(c, "CreateVSwitch", &[("VpcId", &vpc), ("CidrBlock", "192.168.1.0/24"), ("ZoneId", "cn-hangzhou-b")]);
    settle();
    let sg = ok(c, "CreateSecurityGroup", &[("VpcId", &vpc)]);
    (id(&vsw, "VSwitchId"), id(&sg, "SecurityGroupId"))
}

/// A Running instance in a fresh network, with `extra` RunInstances parameters.
fn instance(c: &Cloud, extra: &[(&str, &str)]) -> String {
    let (vsw, sg) = network(c);
    let mut params =
        vec![("ImageId", "img"), ("InstanceType", "ecs.g6.large"), ("VSwitchId", &vsw), ("SecurityGroupId", &sg)];
    params.extend_from_slice(extra);
    let run = ok(c, "RunInstances", &params);
    run["InstanceIdSets"]["InstanceIdSet"][0].as_str().unwrap_or_default().to_string()
}

fn attr(c: &Cloud, instance: &str, field: &str) -> Value {
    ok(c, "DescribeInstanceAttribute", &[("InstanceId", instance)])[field].clone()
}

fn balance(c: &Cloud) -> f64 {
    billing::state(c, ACCOUNT)["balance"].as_f64().unwrap_or_default()
}

fn advance_minutes(c: &Cloud, minutes: i64) {
    c.clock.advance_ms(minutes * MINUTE_MS);
}

fn net(c: &Cloud, instance: &str, params: &[(&str, &str)]) -> Result<String, String> {
    let mut p = vec![("InstanceId", instance)];
    p.extend_from_slice(params);
    call(c, "ModifyInstanceNetworkSpec", &p).map(|b| id(&b, "OrderId")).map_err(|e| e.code.into_owned())
}

#[test]
fn instances_move_through_their_transitions() {
    let c = cloud(1_000);
    let i = instance(&c, &[]);
    assert_eq!(attr(&c, &i, "Status"), "Pending");
    c.clock.advance_ms(1_000);
    assert_eq!(attr(&c, &i, "Status"), "Starting");
    c.clock.advance_ms(1_000);
    assert_eq!(attr(&c, &i, "Status"), "Running");
    ok(&c, "StopInstance", &[("InstanceId", &i)]);
    assert_eq!(attr(&c, &i, "Status"), "Stopping");
    assert_eq!(code(&c, "StartInstance", &[("InstanceId", &i)]), "IncorrectInstanceStatus");
    c.clock.advance_ms(1_000);
    assert_eq!(attr(&c, &i, "Status"), "Stopped");
    ok(&c, "StartInstance", &[("InstanceId", &i)]);
    c.clock.advance_ms(1_000);
    assert_eq!(code(&c, "DeleteInstance", &[("InstanceId", &i)]), "IncorrectInstanceStatus", "Running needs Force");
    ok(&c, "DeleteInstance", &[("InstanceId", &i), ("Force", "true")]);
    assert_eq!(code(&c, "DescribeInstanceAttribute", &[("InstanceId", &i)]), "InvalidInstanceId.NotFound");
}

#[test]
fn instances_hold_their_addresses_until_deleted() {
    let c = cloud(0);
    let (vsw, sg) = network(&c);
    let free = || ok(&c, "DescribeVSwitchAttributes", &[("VSwitchId", &vsw)])["AvailableIpAddressCount"].as_i64();
    let before = free();
    let params = [("ImageId", "i"), ("InstanceType", "ecs.c7.large"), ("VSwitchId", &vsw), ("SecurityGroupId", &sg)];
    let a = id(&ok(&c, "CreateInstance", &[&params[..], &[("InternetMaxBandwidthOut", "1")]].concat()), "InstanceId");
    let b = id(&ok(&c, "CreateInstance", &[&params[..], &[("InternetMaxBandwidthOut", "1")]].concat()), "InstanceId");
    assert_eq!(free(), before.map(|n| n - 2));
    let ip = |i: &str| attr(&c, i, "PublicIpAddress")["IpAddress"][0].as_str().unwrap_or_default().to_string();
    assert!(ip(&a).starts_with("198.1"), "from the documented pool");
    assert_ne!(ip(&a), ip(&b));
    assert_eq!(code(&c, "DeleteVSwitch", &[("VSwitchId", &vsw)]), "DependencyViolation.Instance");
    assert_eq!(code(&c, "DeleteSecurityGroup", &[("SecurityGroupId", &sg)]), "DependencyViolation");
    ok(&c, "DeleteInstance", &[("InstanceId", &a)]);
    ok(&c, "DeleteInstance", &[("InstanceId", &b)]);
    assert_eq!(free(), before);
    ok(&c, "DeleteSecurityGroup", &[("SecurityGroupId", &sg)]);
}

#[test]
fn a_change_blocks_the_next_for_five_minutes() {
    let c = cloud(0);
    let i = instance(&c, &[]);
    net(&c, &i, &[("InternetMaxBandwidthOut", "5")]).unwrap();
    assert_eq!(net(&c, &i, &[("InternetMaxBandwidthOut", "6")]), Err("Throttling".into()));
    advance_minutes(&c, 4);
    assert_eq!(code(&c, "ModifyInstanceSpec", &[("InstanceId", &i), ("InternetMaxBandwidthOut", "7")]), "Throttling");
    advance_minutes(&c, 1);
    ok(&c, "ModifyInstanceSpec", &[("InstanceId", &i), ("InternetMaxBandwidthOut", "7")]);
    assert_eq!(attr(&c, &i, "InternetMaxBandwidthOut"), 7);
}

#[test]
fn subscription_upgrades_are_paid_and_downgrades_refunded_three_times() {
    let c = cloud(0);
    let i =
        instance(&c, &[("InstanceChargeType", "PrePaid"), ("Period", "1"), ("InternetChargeType", "PayByBandwidth")]);
    let start = balance(&c);
    // 0 -> 5 Mbit/s PayByBandwidth: 115 CNY a month, for the whole month left.
    net(&c, &i, &[("InternetMaxBandwidthOut", "5")]).unwrap();
    assert!((start - balance(&c) - 115.0).abs() < 0.02, "charged {}", start - balance(&c));
    assert!(attr(&c, &i, "PublicIpAddress")["IpAddress"][0].is_string(), "a subscription upgraded from 0 gets an IP");
    advance_minutes(&c, 5);
    assert_eq!(net(&c, &i, &[("InternetMaxBandwidthOut", "4")]), Err("DecreasedBandwidthNotAllowed".into()));
    assert_eq!(net(&c, &i, &[("NetworkChargeType", "PayByTraffic")]), Err("ChargeTypeViolation".into()));

    let j = instance(&c, &[("InstanceChargeType", "PrePaid"), ("Period", "1"), ("InternetMaxBandwidthOut", "50")]);
    for out in ["40", "30", "20"] {
        advance_minutes(&c, 5);
        net(&c, &j, &[("InternetMaxBandwidthOut", out)]).unwrap();
    }
    advance_minutes(&c, 5);
    assert_eq!(net(&c, &j, &[("InternetMaxBandwidthOut", "10")]), Err("InstanceDowngrade.QuotaExceed".into()));
    net(&c, &j, &[("InternetMaxBandwidthOut", "25")]).expect("upgrades are not limited");
}

#[test]
fn unpaid_orders_hold_the_change_until_paid() {
    let c = cloud(0);
    let i =
        instance(&c, &[("InstanceChargeType", "PrePaid"), ("Period", "1"), ("InternetChargeType", "PayByBandwidth")]);
    let order = net(&c, &i, &[("InternetMaxBandwidthOut", "3"), ("AutoPay", "false")]).unwrap();
    assert_eq!(attr(&c, &i, "InternetMaxBandwidthOut"), 0, "not applied before payment");
    advance_minutes(&c, 10);
    assert_eq!(net(&c, &i, &[("InternetMaxBandwidthOut", "4")]), Err("InvalidInstance.UnPaidOrder".into()));
    let other = instance(&c, &[("InstanceChargeType", "PrePaid"), ("Period", "1")]);
    assert_eq!(net(&c, &other, &[("InternetMaxBandwidthOut", "4")]), Err("InvalidInstance.UnPaidOrder".into()));
    billing::pay_order(&c, ACCOUNT, &order).unwrap();
    assert_eq!(attr(&c, &i, "InternetMaxBandwidthOut"), 3);
    assert!(billing::pay_order(&c, ACCOUNT, &order).is_err(), "an order is paid once");

    advance_minutes(&c, 5);
    let cancelled = net(&c, &i, &[("InternetMaxBandwidthOut", "5"), ("AutoPay", "false")]).unwrap();
    billing::cancel_order(&c, ACCOUNT, &cancelled).unwrap();
    assert_eq!(attr(&c, &i, "InternetMaxBandwidthOut"), 3, "a cancelled order's change is dropped");
    advance_minutes(&c, 5);
    billing::set_state(&c, ACCOUNT, Some(1.0), None).unwrap();
    assert_eq!(net(&c, &i, &[("InternetMaxBandwidthOut", "20")]), Err("InvalidAccountStatus.NotEnoughBalance".into()));
    assert_eq!(attr(&c, &i, "InternetMaxBandwidthOut"), 3);
}

#[test]
fn a_temporary_upgrade_reverts_at_its_end() {
    let c = cloud(0);
    let i = instance(&c, &[("InstanceChargeType", "PrePaid"), ("Period", "1"), ("InternetMaxBandwidthOut", "5")]);
    let now = c.clock.now_ms();
    let start = acs_cloud::clock::format_minutes(now);
    let end_ms = now - now % 3_600_000 + 2 * 3_600_000;
    let end = format!("{}Z", &acs_cloud::clock::format_time(end_ms)[..13]);
    let temp = [("StartTime", start.as_str()), ("EndTime", end.as_str())];
    assert_eq!(
        net(&c, &i, &[&temp[..], &[("InternetMaxBandwidthOut", "2")]].concat()),
        Err("InvalidBandwidth.ValueNotSupported".into())
    );
    assert_eq!(net(&c, &i, &[("StartTime", start.as_str())]), Err("InvalidParameter.Conflict".into()));
    assert_eq!(
        net(&c, &i, &[("StartTime", end.as_str()), ("EndTime", end.as_str()), ("InternetMaxBandwidthOut", "9")]),
        Err("InvalidStartTime.ValueNotSupported".into())
    );
    net(&c, &i, &[&temp[..], &[("InternetMaxBandwidthOut", "30")]].concat()).unwrap();
    assert_eq!(attr(&c, &i, "InternetMaxBandwidthOut"), 30);
    assert_eq!(attr(&c, &i, "InternetMaxBandwidthIn"), 30, "the inbound default follows");
    c.clock.advance_ms(end_ms - now);
    assert_eq!(attr(&c, &i, "InternetMaxBandwidthOut"), 5, "reverted at EndTime");
    assert_eq!(
        net(&c, &i, &[&temp[..], &[("InternetMaxBandwidthOut", "9")]].concat()),
        Err("InvalidStartTime.ValueNotSupported".into()),
        "the window has passed"
    );
    let post = instance(&c, &[]);
    assert_eq!(
        net(&c, &post, &[&temp[..], &[("InternetMaxBandwidthOut", "9")]].concat()),
        Err("ChargeTypeViolation".into()),
        "temporary upgrades are for subscriptions"
    );
}

#[test]
fn overdue_accounts_cannot_change_instances() {
    let c = cloud(0);
    let post = instance(&c, &[]);
    let pre = instance(&c, &[("InstanceChargeType", "PrePaid"), ("Period", "1")]);
    billing::set_state(&c, ACCOUNT, None, Some(true)).unwrap();
    assert_eq!(net(&c, &post, &[("InternetMaxBandwidthOut", "5")]), Err("InstanceExpiredOrInArrears".into()));
    assert_eq!(net(&c, &pre, &[("InternetMaxBandwidthOut", "5")]), Err("Account.Arrearage".into()));
    assert_eq!(
        code(&c, "ModifyInstanceSpec", &[("InstanceId", &post), ("InternetMaxBandwidthOut", "5")]),
        "Account.Arrearage"
    );
    assert_eq!(
        code(&c, "ModifyInstanceSpec", &[("InstanceId", &pre), ("InternetMaxBandwidthOut", "5")]),
        "ChargeTypeViolation"
    );
}

#[test]
fn expired_subscriptions_are_locked_then_releasable() {
    let c = cloud(0);
    let i = instance(&c, &[("InstanceChargeType", "PrePaid"), ("Period", "1"), ("PeriodUnit", "Week")]);
    assert_eq!(code(&c, "DeleteInstance", &[("InstanceId", &i), ("Force", "true")]), "ChargeTypeViolation");
    advance_minutes(&c, 7 * 24 * 60);
    assert_eq!(attr(&c, &i, "Status"), "Stopped");
    assert_eq!(attr(&c, &i, "OperationLocks")["LockReason"][0]["LockReason"], "financial");
    assert_eq!(net(&c, &i, &[("InternetMaxBandwidthOut", "5")]), Err("InstanceExpiredOrInArrears".into()));
    assert_eq!(code(&c, "StartInstance", &[("InstanceId", &i)]), "InstanceExpired");
    ok(&c, "DeleteInstance", &[("InstanceId", &i)]);
}

#[test]
fn instance_type_changes_follow_the_catalogue() {
    let c = cloud(0);
    let i = instance(&c, &[]);
    let spec = |t: &str| {
        call(&c, "ModifyInstanceSpec", &[("InstanceId", &i), ("InstanceType", t)]).map_err(|e| e.code.into_owned())
    };
    assert_eq!(spec("ecs.g6.xlarge"), Err("InvalidInstanceStatus.NotStopped".into()));
    ok(&c, "StopInstance", &[("InstanceId", &i)]);
    assert_eq!(spec("ecs.x9.huge"), Err("InvalidInstanceType.ValueNotSupported".into()));
    assert_eq!(spec("ecs.t5-c1m1.large"), Err("DependencyViolation.InstanceType".into()));
    assert_eq!(spec("ecs.g6.large"), Err("DependencyViolation.InstanceType".into()));
    assert_eq!(
        code(
            &c,
            "ModifyInstanceSpec",
            &[("InstanceId", &i), ("InstanceType", "ecs.g6.xlarge"), ("InternetMaxBandwidthOut", "1")]
        ),
        "InvalidParameter.Mismatch"
    );
    spec("ecs.r7.2xlarge").unwrap();
    assert_eq!(attr(&c, &i, "Cpu"), 8);
    assert_eq!(attr(&c, &i, "Memory"), 64 * 1024);
}

#[test]
fn client_tokens_make_changes_idempotent() {
    let c = cloud(0);
    let i = instance(&c, &[("InstanceChargeType", "PrePaid"), ("Period", "1")]);
    let first = net(&c, &i, &[("InternetMaxBandwidthOut", "5"), ("ClientToken", "t-1")]).unwrap();
    assert_eq!(net(&c, &i, &[("InternetMaxBandwidthOut", "5"), ("ClientToken", "t-1")]), Ok(first), "same OrderId");
    assert_eq!(
        net(&c, &i, &[("InternetMaxBandwidthOut", "6"), ("ClientToken", "t-1")]),
        Err("IdempotenceParamNotMatch".into())
    );
    let long = "x".repeat(65);
    assert_eq!(
        net(&c, &i, &[("InternetMaxBandwidthOut", "6"), ("ClientToken", &long)]),
        Err("InvalidClientToken.ValueNotSupported".into())
    );
    assert_eq!(billing::state(&c, ACCOUNT)["orders"].as_array().map(Vec::len), Some(2), "purchase + one change");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Seed 002: inbound 1-10 when the outbound bandwidth is at most 10 Mbit/s, else 1-outbound.
    #[test]
    fn inbound_bandwidth_follows_the_outbound(out in 0i64..=100, inbound in 1i64..=100) {
        let c = cloud(0);
        let i = instance(&c, &[]);
        let result = net(&c, &i, &[("InternetMaxBandwidthOut", &out.to_string()), ("InternetMaxBandwidthIn", &inbound.to_string())]);
        if inbound <= out.max(10) {
            prop_assert!(result.is_ok(), "{out}/{inbound}: {result:?}");
            prop_assert_eq!(attr(&c, &i, "InternetMaxBandwidthIn"), inbound);
        } else {
            prop_assert_eq!(result, Err("InvalidInternetMaxBandwidthIn.ValueNotSupported".to_string()));
        }
    }
}

#[test]
fn havips_take_up_to_two_instances_of_their_vswitch() {
    let c = cloud(0);
    let (vsw, sg) = network(&c);
    let havip = id(&ok(&c, "CreateHaVip", &[("VSwitchId", &vsw)]), "HaVipId");
    let params = [
        ("ImageId", "i"),
        ("InstanceType", "ecs.g6.large"),
        ("VSwitchId", vsw.as_str()),
        ("SecurityGroupId", sg.as_str()),
    ];
    let launch = || id(&ok(&c, "CreateInstance", &params), "InstanceId");
    let (a, b, d) = (launch(), launch(), launch());
    let assoc = |i: &str| {
        call(&c, "AssociateHaVip", &[("HaVipId", &havip), ("InstanceId", i)])
            .map(|_| ())
            .map_err(|e| e.code.into_owned())
    };
    assoc(&a).unwrap();
    assoc(&b).unwrap();
    assert_eq!(assoc(&d), Err("QuotaExceeded.HaVipAssociation".into()));
    assert_eq!(assoc("i-nope"), Err("InvalidInstanceId.NotFound".into()));
    let status = |c: &Cloud| ok(c, "DescribeHaVips", &[])["HaVips"]["HaVip"][0]["Status"].clone();
    assert_eq!(status(&c), "InUse");
    assert_eq!(code(&c, "DeleteHaVip", &[("HaVipId", &havip)]), "IncorrectHaVipStatus");
    ok(&c, "UnassociateHaVip", &[("HaVipId", &havip), ("InstanceId", &a)]);
    assert_eq!(
        code(&c, "UnassociateHaVip", &[("HaVipId", &havip), ("InstanceId", &a)]),
        "InvalidInstanceId.NotAssociated"
    );
    ok(&c, "DeleteInstance", &[("InstanceId", &b)]);
    assert_eq!(status(&c), "Available", "a released instance leaves its HaVips");

    let vpc = id(&ok(&c, "DescribeVSwitchAttributes", &[("VSwitchId", &vsw)]), "VpcId");
    let other =
        ok(&c, "CreateVSwitch", &[("VpcId", &vpc), ("CidrBlock", "192.168.2.0/24"), ("ZoneId", "cn-hangzhou-b")]);
    let elsewhere = id(
        &ok(
            &c,
            "CreateInstance",
            &[
                ("ImageId", "i"),
                ("InstanceType", "ecs.g6.large"),
                ("VSwitchId", &id(&other, "VSwitchId")),
                ("SecurityGroupId", &sg),
            ],
        ),
        "InstanceId",
    );
    assert_eq!(assoc(&elsewhere), Err("InvalidVSwitchId.NotMatch".into()));
}

#[test]
fn late_payments_of_stale_orders_are_refused_and_take_nothing() {
    let c = cloud(0);
    let i = instance(
        &c,
        &[
            ("InstanceChargeType", "PrePaid"),
            ("Period", "1"),
            ("PeriodUnit", "Week"),
            ("InternetChargeType", "PayByBandwidth"),
        ],
    );
    let order = net(&c, &i, &[("InternetMaxBandwidthOut", "5"), ("AutoPay", "false")]).unwrap();
    advance_minutes(&c, 8 * 24 * 60);
    let before = balance(&c);
    assert_eq!(billing::pay_order(&c, ACCOUNT, &order).map_err(|e| e.0), Err(409), "the subscription expired");
    assert_eq!(balance(&c), before, "nothing taken");
    billing::cancel_order(&c, ACCOUNT, &order).unwrap();

    let j =
        instance(&c, &[("InstanceChargeType", "PrePaid"), ("Period", "1"), ("InternetChargeType", "PayByBandwidth")]);
    let now = c.clock.now_ms();
    let start = acs_cloud::clock::format_minutes(now + 10 * MINUTE_MS);
    let end_ms = now - now % 3_600_000 + 3 * 3_600_000;
    let end = format!("{}Z", &acs_cloud::clock::format_time(end_ms)[..13]);
    let temp = net(
        &c,
        &j,
        &[("InternetMaxBandwidthOut", "9"), ("StartTime", &start), ("EndTime", &end), ("AutoPay", "false")],
    )
    .unwrap();
    c.clock.advance_ms(end_ms - now);
    assert_eq!(billing::pay_order(&c, ACCOUNT, &temp).map_err(|e| e.0), Err(409), "the window has passed");
    billing::cancel_order(&c, ACCOUNT, &temp).unwrap();

    let k = instance(&c, &[]);
    let held = net(&c, &k, &[("InternetMaxBandwidthOut", "9"), ("AutoPay", "false")]).unwrap();
    ok(&c, "DeleteInstance", &[("InstanceId", &k), ("Force", "true")]);
    let orders = billing::state(&c, ACCOUNT)["orders"].clone();
    let status =
        orders.as_array().and_then(|o| o.iter().find(|o| o["order_id"] == held.as_str())).map(|o| o["status"].clone());
    assert_eq!(status, Some("Cancelled".into()), "released instances cancel their unpaid orders");
}

#[test]
fn a_temporary_upgrade_from_zero_shows_its_address_from_start_time() {
    let c = cloud(0);
    let i = instance(&c, &[("InstanceChargeType", "PrePaid"), ("Period", "1")]);
    let now = c.clock.now_ms();
    let start = acs_cloud::clock::format_minutes(now + 10 * MINUTE_MS);
    let end_ms = now - now % 3_600_000 + 3 * 3_600_000;
    let end = format!("{}Z", &acs_cloud::clock::format_time(end_ms)[..13]);
    net(&c, &i, &[("InternetMaxBandwidthOut", "9"), ("StartTime", &start), ("EndTime", &end)]).unwrap();
    assert_eq!(attr(&c, &i, "PublicIpAddress")["IpAddress"], serde_json::json!([]), "not before StartTime");
    advance_minutes(&c, 11);
    assert_eq!(attr(&c, &i, "InternetMaxBandwidthOut"), 9);
    assert!(attr(&c, &i, "PublicIpAddress")["IpAddress"][0].is_string());
}

#[test]
fn client_tokens_hold_with_or_without_a_region() {
    let c = cloud(0);
    let i = instance(&c, &[]);
    let with_region = ok(
        &c,
        "ModifyInstanceNetworkSpec",
        &[("InstanceId", &i), ("InternetMaxBandwidthOut", "7"), ("ClientToken", "t")],
    );
    advance_minutes(&c, 6);
    // The harness adds RegionId unless given; an empty one is absent on the wire.
    let without = ok(
        &c,
        "ModifyInstanceNetworkSpec",
        &[("RegionId", ""), ("InstanceId", &i), ("InternetMaxBandwidthOut", "7"), ("ClientToken", "t")],
    );
    assert_eq!(with_region["OrderId"], without["OrderId"]);
}

#[test]
fn free_changes_need_no_balance() {
    let c = cloud(0);
    let i = instance(&c, &[]);
    billing::set_state(&c, ACCOUNT, Some(-5.0), None).unwrap();
    net(&c, &i, &[("InternetMaxBandwidthOut", "3")]).expect("pay-as-you-go changes cost 0");
}
