//! The domain rules, exercised through the same path the server uses (description-driven decoding,
//! handler, transaction) without HTTP.

mod common;

use acs_api::ApiError;
use acs_cloud::{Cloud, Config};
use acs_store::Store;
use common::{call, cloud, code, id, ok, ACCOUNT};
use proptest::prelude::*;
use serde_json::{Map, Value};

fn vpc(cloud: &Cloud, cidr: &str) -> String {
    id(&ok(cloud, "CreateVpc", &[("CidrBlock", cidr)]), "VpcId")
}

fn vswitch(cloud: &Cloud, vpc: &str, cidr: &str) -> Result<Map<String, Value>, ApiError> {
    call(cloud, "CreateVSwitch", &[("VpcId", vpc), ("CidrBlock", cidr), ("ZoneId", "cn-hangzhou-b")])
}

#[test]
fn vpc_cidr_blocks_follow_the_private_ranges() {
    let c = cloud(0);
    for good in ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "10.1.0.0/16", "192.168.3.0/24"] {
        ok(&c, "CreateVpc", &[("CidrBlock", good)]);
        ok(&c, "DeleteVpc", &[("VpcId", &vpc(&c, good))]);
    }
    for bad in ["11.0.0.0/8", "10.0.0.0/7", "192.168.0.0/25", "10.0.0.1/8", "garbage"] {
        assert_eq!(code(&c, "CreateVpc", &[("CidrBlock", bad)]), "InvalidParameter", "{bad}");
    }
    let created = ok(&c, "CreateVpc", &[]);
    let attrs = ok(&c, "DescribeVpcAttribute", &[("VpcId", &id(&created, "VpcId"))]);
    assert_eq!(attrs["CidrBlock"], "172.16.0.0/12", "the documented default");
}

#[test]
fn user_cidrs_are_checked() {
    let c = cloud(0);
    assert_eq!(
        code(&c, "CreateVpc", &[("UserCidr", "10.0.0.0/16,10.1.0.0/16,10.2.0.0/16,10.3.0.0/16")]),
        "InvalidUserCidr.Quota"
    );
    assert_eq!(code(&c, "CreateVpc", &[("UserCidr", "100.64.1.0/24")]), "InvalidUserCidr.Malformed");
    assert_eq!(code(&c, "CreateVpc", &[("UserCidr", "not-a-cidr")]), "InvalidParameter");
    let v = ok(&c, "CreateVpc", &[("UserCidr", "10.0.0.0/16,10.1.0.0/16")]);
    let attrs = ok(&c, "DescribeVpcAttribute", &[("VpcId", &id(&v, "VpcId"))]);
    assert_eq!(attrs["UserCidrs"]["UserCidr"], serde_json::json!(["10.0.0.0/16", "10.1.0.0/16"]));
}

#[test]
fn vpc_quota_is_per_region() {
    let c = cloud(0);
    for _ in 0..10 {
        ok(&c, "CreateVpc", &[]);
    }
    assert_eq!(code(&c, "CreateVpc", &[]), "QuotaExceeded.Vpc");
    assert!(call(&c, "CreateVpc", &[("RegionId", "cn-beijing")]).is_ok(), "another region has its own quota");
}

#[test]
fn quotas_follow_account_then_server_then_flag_then_default() {
    use acs_cloud::quota::by_name;
    use acs_cloud::vpc::VPCS_PER_REGION;
    let mut config = Config::default();
    config.quotas.insert("vpcs_per_region".into(), 2);
    let c = Cloud::new(Store::ephemeral(), config);
    assert_eq!(by_name("vpcs_per_region"), Some(&VPCS_PER_REGION));
    let value = |account| c.store.read(|view| c.quota(view, account, &VPCS_PER_REGION));
    assert_eq!(value(ACCOUNT), 2, "the flag replaces the default");
    ok(&c, "CreateVpc", &[]);
    ok(&c, "CreateVpc", &[]);
    assert_eq!(code(&c, "CreateVpc", &[]), "QuotaExceeded.Vpc");

    let server_wide = serde_json::json!({"vpcs_per_region": 3});
    c.set_quotas(None, server_wide.as_object().unwrap()).unwrap();
    assert_eq!(value("999"), 3, "a stored server-wide value beats the flag");
    ok(&c, "CreateVpc", &[]);
    assert_eq!(code(&c, "CreateVpc", &[]), "QuotaExceeded.Vpc");

    let mine = serde_json::json!({"vpcs_per_region": 5});
    let all = c.set_quotas(Some(ACCOUNT), mine.as_object().unwrap()).unwrap();
    assert_eq!(all["vpcs_per_region"], 5);
    assert_eq!(all["vswitches_per_vpc"], 24, "the others keep their defaults");
    assert_eq!(value("999"), 3, "an account's value is its own");
    ok(&c, "CreateVpc", &[]);

    let bad = serde_json::json!({"vswitches_per_vpc": 1, "no_such_quota": 1});
    assert!(c.set_quotas(None, bad.as_object().unwrap()).unwrap_err().contains("no_such_quota"));
    assert_eq!(c.quotas(None)["vswitches_per_vpc"], 24, "a rejected merge changes nothing");
    let negative = serde_json::json!({"vswitches_per_vpc": -1});
    assert!(c.set_quotas(None, negative.as_object().unwrap()).is_err());

    c.store.reset().unwrap();
    assert_eq!(value(ACCOUNT), 2, "reset drops the stored values; the flag applies again");
}

#[test]
fn vswitch_blocks_are_validated() {
    let c = cloud(0);
    let v = vpc(&c, "192.168.0.0/16");
    assert_eq!(vswitch(&c, &v, "192.168.0.0/15").unwrap_err().code, "InvalidCirdrBlock.MaskLength");
    assert_eq!(vswitch(&c, &v, "192.168.0.0/30").unwrap_err().code, "InvalidCirdrBlock.MaskLength");
    assert_eq!(vswitch(&c, &v, "10.0.0.0/24").unwrap_err().code, "InvalidParameter");
    let s = vswitch(&c, &v, "192.168.1.0/24").unwrap();
    assert_eq!(vswitch(&c, &v, "192.168.1.128/25").unwrap_err().code, "InvalidCidrBlock.Overlapped");
    assert_eq!(vswitch(&c, &v, "192.168.0.0/16").unwrap_err().code, "InvalidCidrBlock.Overlapped");
    let attrs = ok(&c, "DescribeVSwitchAttributes", &[("VSwitchId", &id(&s, "VSwitchId"))]);
    assert_eq!(attrs["AvailableIpAddressCount"], 252);
    let small = vswitch(&c, &v, "192.168.2.0/29").unwrap();
    let attrs = ok(&c, "DescribeVSwitchAttributes", &[("VSwitchId", &id(&small, "VSwitchId"))]);
    assert_eq!(attrs["AvailableIpAddressCount"], 4, "a /29 has 8 addresses, 4 reserved");
    let e = call(&c, "CreateVSwitch", &[("VpcId", &v), ("CidrBlock", "192.168.9.0/24"), ("ZoneId", "cn-beijing-a")]);
    assert_eq!(e.unwrap_err().code, "InvalidZoneId.NotFound");
}

#[test]
fn a_vswitch_may_not_take_a_route_destination() {
    let c = cloud(0);
    let v = vpc(&c, "10.0.0.0/8");
    let table = ok(&c, "DescribeRouteTableList", &[("VpcId", &v)]);
    let table = table["RouterTableList"]["RouterTableListType"][0]["RouteTableId"].as_str().unwrap().to_string();
    // There is no instance yet: the next hop check fails after the destination checks.
    let e = code(
        &c,
        "CreateRouteEntry",
        &[("RouteTableId", &table), ("DestinationCidrBlock", "10.9.0.0/16"), ("NextHopId", "i-x")],
    );
    assert_eq!(e, "InvalidInstanId.NotFound");
    assert_eq!(
        code(
            &c,
            "CreateRouteEntry",
            &[("RouteTableId", &table), ("DestinationCidrBlock", "100.64.1.0/24"), ("NextHopId", "i-x")]
        ),
        "InvalidCidrBlock"
    );
    vswitch(&c, &v, "10.1.0.0/24").unwrap();
    assert_eq!(
        code(
            &c,
            "CreateRouteEntry",
            &[("RouteTableId", &table), ("DestinationCidrBlock", "10.1.0.0/16"), ("NextHopId", "i-x")]
        ),
        "InvalidCidrBlock",
        "a destination containing a vSwitch block"
    );
    assert_eq!(
        code(&c, "CreateRouteEntry", &[("RouteTableId", &table), ("DestinationCidrBlock", "10.2.0.0/16")]),
        "InvalidNexthopTypeAndList.BothNull"
    );
    assert_eq!(
        code(
            &c,
            "CreateRouteEntry",
            &[
                ("RouteTableId", &table),
                ("DestinationCidrBlock", "10.2.0.0/16"),
                ("NextHopId", "i-x"),
                ("NextHopList.1.NextHopId", "ri-1")
            ]
        ),
        "InvalidNexthopTypeAndList.BothNotNull"
    );
    assert_eq!(
        code(
            &c,
            "CreateRouteEntry",
            &[
                ("RouteTableId", &table),
                ("DestinationCidrBlock", "10.2.0.0/16"),
                ("NextHopType", "Bogus"),
                ("NextHopId", "x")
            ]
        ),
        "InvalidNextHopType"
    );
}

#[test]
fn pending_resources_block_dependent_changes_until_the_clock_moves() {
    let c = cloud(5_000);
    let v = vpc(&c, "10.0.0.0/8");
    let attrs = ok(&c, "DescribeVpcAttribute", &[("VpcId", &v)]);
    assert_eq!(attrs["Status"], "Pending");
    assert_eq!(vswitch(&c, &v, "10.0.0.0/24").unwrap_err().code, "IncorrectVpcStatus");
    assert_eq!(code(&c, "DeleteVpc", &[("VpcId", &v)]), "IncorrectVpcStatus");
    c.clock.advance_ms(5_000);
    assert_eq!(ok(&c, "DescribeVpcAttribute", &[("VpcId", &v)])["Status"], "Available");
    vswitch(&c, &v, "10.0.0.0/24").unwrap();
    assert_eq!(vswitch(&c, &v, "10.0.1.0/24").unwrap_err().code, "IncorrectVSwitchStatus", "one vSwitch at a time");
}

#[test]
fn client_tokens_make_creates_idempotent() {
    let c = cloud(0);
    let a = ok(&c, "CreateVpc", &[("ClientToken", "t-1"), ("VpcName", "one")]);
    let b = ok(&c, "CreateVpc", &[("ClientToken", "t-1"), ("VpcName", "one")]);
    assert_eq!(a["VpcId"], b["VpcId"]);
    assert_eq!(ok(&c, "DescribeVpcs", &[])["TotalCount"], 1);
    assert_eq!(code(&c, "CreateVpc", &[("ClientToken", "t-1"), ("VpcName", "two")]), "IdempotenceParamNotMatch");
    // A rejected call records nothing: the token stays free for a corrected retry.
    assert_eq!(code(&c, "CreateVpc", &[("ClientToken", "t-2"), ("CidrBlock", "11.0.0.0/8")]), "InvalidParameter");
    ok(&c, "CreateVpc", &[("ClientToken", "t-2"), ("CidrBlock", "10.0.0.0/8")]);
}

fn overlaps(a: &ipnet::Ipv4Net, b: &ipnet::Ipv4Net) -> bool {
    a.contains(&b.network()) || b.contains(&a.network())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    /// Whatever blocks are asked for, the vSwitches that exist never overlap, all lie inside the
    /// VPC, number at most 24, and every rejection left the state untouched.
    #[test]
    fn vswitches_never_overlap(requests in proptest::collection::vec((0u8..64, 16u8..=29), 1..40)) {
        let c = cloud(0);
        let v = vpc(&c, "10.0.0.0/8");
        let mut accepted: Vec<ipnet::Ipv4Net> = Vec::new();
        for (octet, prefix) in requests {
            let net = ipnet::Ipv4Net::new(std::net::Ipv4Addr::new(10, octet, 0, 0), prefix).unwrap().trunc();
            let before = ok(&c, "DescribeVSwitches", &[("VpcId", &v), ("PageSize", "50")])["TotalCount"].clone();
            match vswitch(&c, &v, &net.to_string()) {
                Ok(_) => accepted.push(net),
                Err(_) => {
                    let after = ok(&c, "DescribeVSwitches", &[("VpcId", &v), ("PageSize", "50")])["TotalCount"].clone();
                    prop_assert_eq!(before, after);
                }
            }
        }
        prop_assert!(accepted.len() <= 24);
        for (i, a) in accepted.iter().enumerate() {
            for b in &accepted[i + 1..] {
                prop_assert!(!overlaps(a, b), "{} overlaps {}", a, b);
            }
        }
    }
}

/// A VPC with one vSwitch, its System route table and one HaVip in the vSwitch.
fn vpc_with_havip(c: &Cloud) -> (String, String, String, String) {
    let v = vpc(c, "10.0.0.0/8");
    let s = id(&vswitch(c, &v, "10.0.0.0/24").unwrap(), "VSwitchId");
    let table = ok(c, "DescribeRouteTableList", &[("VpcId", &v)]);
    let table = table["RouterTableList"]["RouterTableListType"][0]["RouteTableId"].as_str().unwrap().to_string();
    let havip = id(&ok(c, "CreateHaVip", &[("VSwitchId", &s)]), "HaVipId");
    (v, s, table, havip)
}

fn route(c: &Cloud, table: &str, dest: &str, havip: &str) -> Result<Map<String, Value>, ApiError> {
    call(
        c,
        "CreateRouteEntry",
        &[("RouteTableId", table), ("DestinationCidrBlock", dest), ("NextHopType", "HaVip"), ("NextHopId", havip)],
    )
}

#[test]
fn route_entries_to_a_havip_follow_the_documented_rules() {
    let c = cloud(0);
    let (v, s, table, havip) = vpc_with_havip(&c);
    route(&c, &table, "0.0.0.0/0", &havip).unwrap();
    assert_eq!(route(&c, &table, "0.0.0.0/0", &havip).unwrap_err().code, "InvalidRouteEntry.Duplicate");
    let other = id(&ok(&c, "CreateHaVip", &[("VSwitchId", &s)]), "HaVipId");
    assert_eq!(route(&c, &table, "0.0.0.0/0", &other).unwrap_err().code, "InvalidCIDRBlock.Duplicate");
    for i in 1..5 {
        route(&c, &table, &format!("172.16.{i}.0/24"), &havip).unwrap();
    }
    assert_eq!(route(&c, &table, "172.16.9.0/24", &havip).unwrap_err().code, "CountLimitExceed.HaVipRouteEntry");
    // A vSwitch may not take a block that is a route destination.
    let other_vpc = vpc(&c, "172.16.0.0/12");
    assert!(vswitch(&c, &other_vpc, "172.16.1.0/24").is_ok(), "other VPCs' routes do not matter");
    // Deletion order: routes, then the HaVip, then the vSwitch, then the VPC.
    assert_eq!(code(&c, "DeleteVpc", &[("VpcId", &v)]), "DependencyViolation.RouteEntry");
    assert_eq!(code(&c, "DeleteHaVip", &[("HaVipId", &havip)]), "DependencyViolation.RouteEntry");
    assert_eq!(code(&c, "DeleteVSwitch", &[("VSwitchId", &s)]), "DependencyViolation.HaVip");
    for dest in ["0.0.0.0/0", "172.16.1.0/24", "172.16.2.0/24", "172.16.3.0/24", "172.16.4.0/24"] {
        ok(&c, "DeleteRouteEntry", &[("RouteTableId", &table), ("DestinationCidrBlock", dest)]);
    }
    assert_eq!(
        code(&c, "DeleteRouteEntry", &[("RouteTableId", &table), ("DestinationCidrBlock", "0.0.0.0/0")]),
        "InvalidRouteEntry.NotFound"
    );
    assert_eq!(
        code(&c, "DeleteRouteEntry", &[("RouteTableId", &table), ("DestinationCidrBlock", "10.0.0.0/24")]),
        "OperationDenied",
        "the vSwitch's System entry"
    );
    ok(&c, "DeleteHaVip", &[("HaVipId", &havip)]);
    ok(&c, "DeleteHaVip", &[("HaVipId", &other)]);
    let attrs = ok(&c, "DescribeVSwitchAttributes", &[("VSwitchId", &s)]);
    assert_eq!(attrs["AvailableIpAddressCount"], 252, "the HaVips' addresses are free again");
    ok(&c, "DeleteVSwitch", &[("VSwitchId", &s)]);
    ok(&c, "DeleteVpc", &[("VpcId", &v)]);
}

#[test]
fn a_route_destination_blocks_an_equal_vswitch_block() {
    let c = cloud(0);
    let (v, _, table, havip) = vpc_with_havip(&c);
    route(&c, &table, "10.5.0.0/24", &havip).unwrap();
    let e = vswitch(&c, &v, "10.5.0.0/24").unwrap_err();
    assert_eq!(
        (e.code.as_ref(), e.message.as_ref()),
        ("InvalidCidrBlock.Overlapped", "Specified CIDR block overlapped with other entry.")
    );
    assert!(vswitch(&c, &v, "10.5.0.0/25").is_ok(), "a subnet of a destination is allowed");
}

#[test]
fn havip_addresses_come_from_the_usable_range() {
    let c = cloud(0);
    let v = vpc(&c, "10.0.0.0/8");
    let s = id(&vswitch(&c, &v, "10.0.0.0/29").unwrap(), "VSwitchId");
    let first = ok(&c, "CreateHaVip", &[("VSwitchId", &s)]);
    assert_eq!(first["IpAddress"], "10.0.0.1", "the network address is reserved");
    assert_eq!(
        code(&c, "CreateHaVip", &[("VSwitchId", &s), ("IpAddress", "10.0.0.1")]),
        "InvalidIpAddress.AlreadyUsed"
    );
    assert_eq!(
        code(&c, "CreateHaVip", &[("VSwitchId", &s), ("IpAddress", "10.0.0.5")]),
        "InvalidIpAddress.NotInVSwitch"
    );
    for _ in 0..3 {
        ok(&c, "CreateHaVip", &[("VSwitchId", &s)]);
    }
    assert_eq!(code(&c, "CreateHaVip", &[("VSwitchId", &s)]), "InvalidVSwitchId.IpNotEnough");
}
