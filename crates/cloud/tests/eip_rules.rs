//! The rules of EIPs and Internet Shared Bandwidth (docs/eip.md): allocation, binding to
//! instances and HaVips with its transitions, release, describe filters, monitoring samples,
//! shared bandwidth packages and their caps.

mod common;

use acs_cloud::{billing, Cloud};
use common::{call, cloud, code, id, ok, ACCOUNT};
use serde_json::Value;

const DELAY: i64 = 1_000;

fn settle(c: &Cloud) {
    c.clock.advance_ms(c.config.transition_delay_ms * 3);
}

/// A Running VPC instance (with `extra` RunInstances parameters) and its vSwitch.
fn instance(c: &Cloud, extra: &[(&str, &str)]) -> (String, String) {
    let vpc = id(&ok(c, "CreateVpc", &[("CidrBlock", "192.168.0.0/16")]), "VpcId");
    settle(c);
    let vsw = ok(c, "CreateVSwitch", &[("VpcId", &vpc), ("CidrBlock", "192.168.1.0/24"), ("ZoneId", "cn-hangzhou-b")]);
    let vsw = id(&vsw, "VSwitchId");
    settle(c);
    let sg = id(&ok(c, "CreateSecurityGroup", &[("VpcId", &vpc)]), "SecurityGroupId");
    let mut params = vec![
        ("ImageId", "img"),
        ("InstanceType", "ecs.g6.large"),
        ("VSwitchId", vsw.as_str()),
        ("SecurityGroupId", &sg),
    ];
    params.extend_from_slice(extra);
    let run = ok(c, "RunInstances", &params);
    settle(c);
    (run["InstanceIdSets"]["InstanceIdSet"][0].as_str().unwrap_or_default().to_string(), vsw)
}

fn eip(c: &Cloud, extra: &[(&str, &str)]) -> String {
    id(&ok(c, "AllocateEipAddress", extra), "AllocationId")
}

fn describe(c: &Cloud, eip: &str) -> Value {
    let out = ok(c, "DescribeEipAddresses", &[("AllocationId", eip)]);
    out["EipAddresses"]["EipAddress"][0].clone()
}

#[test]
fn allocation_takes_defaults_and_unique_addresses() {
    let c = cloud(0);
    let a = ok(&c, "AllocateEipAddress", &[]);
    let b = ok(&c, "AllocateEipAddress", &[("Bandwidth", "20"), ("ISP", "ChinaTelecom")]);
    assert_ne!(a["EipAddress"], b["EipAddress"]);
    assert!(a["EipAddress"].as_str().unwrap_or_default().starts_with("198.19."));
    assert!(a.get("OrderId").is_none());
    let d = describe(&c, &id(&a, "AllocationId"));
    assert_eq!(
        (d["Bandwidth"].as_str(), d["ISP"].as_str(), d["Status"].as_str()),
        (Some("5"), Some("BGP"), Some("Available"))
    );
    assert_eq!(d["InternetChargeType"], "PayByTraffic");
    assert_eq!(d["ChargeType"], "PostPaid");
    for bad in [("Bandwidth", "0"), ("Bandwidth", "201"), ("Bandwidth", "x"), ("ISP", "Other")] {
        assert_eq!(code(&c, "AllocateEipAddress", &[bad]), "InvalidParameter", "{bad:?}");
    }
    assert_eq!(code(&c, "AllocateEipAddress", &[("InternetChargeType", "Free")]), "InvalidParameter");
}

#[test]
fn the_region_quota_is_named() {
    let c = cloud(0);
    c.set_quotas(Some(ACCOUNT), serde_json::json!({ "eips_per_region": 2 }).as_object().unwrap_or(&Default::default()))
        .unwrap_or_default();
    eip(&c, &[]);
    eip(&c, &[]);
    assert_eq!(code(&c, "AllocateEipAddress", &[]), "QuotaExceeded.Eip");
    assert!(call(&c, "AllocateEipAddress", &[("RegionId", "cn-beijing")]).is_ok(), "the quota is per region");
}

#[test]
fn subscriptions_are_paid_and_kept() {
    let c = cloud(0);
    assert_eq!(
        code(&c, "AllocateEipAddress", &[("InstanceChargeType", "PrePaid"), ("InternetChargeType", "PayByTraffic")]),
        "InvalidParameter"
    );
    assert_eq!(
        code(&c, "AllocateEipAddress", &[("InstanceChargeType", "PrePaid"), ("PricingCycle", "Year"), ("Period", "4")]),
        "InvalidParameter"
    );
    let out = ok(&c, "AllocateEipAddress", &[("InstanceChargeType", "PrePaid"), ("Bandwidth", "10")]);
    assert!(out["OrderId"].as_i64().is_some_and(|o| o > 0));
    let e = id(&out, "AllocationId");
    assert_eq!(describe(&c, &e)["InternetChargeType"], "PayByBandwidth");
    assert_eq!(code(&c, "ReleaseEipAddress", &[("AllocationId", &e)]), "Forbidden.ChargeTypeIsPrepaid");
    billing::set_state(&c, ACCOUNT, Some(0.0), None).unwrap_or_default();
    assert_eq!(
        code(&c, "ModifyEipAddressAttribute", &[("AllocationId", &e), ("Bandwidth", "50")]),
        "InsufficientBalance.Eip"
    );
    ok(&c, "ModifyEipAddressAttribute", &[("AllocationId", &e), ("Bandwidth", "5")]);
}

#[test]
fn binding_an_instance_goes_through_associating_and_shows_on_the_instance() {
    let c = cloud(DELAY);
    let (inst, _) = instance(&c, &[]);
    let e = eip(&c, &[]);
    ok(&c, "AssociateEipAddress", &[("AllocationId", &e), ("InstanceId", &inst)]);
    assert_eq!(describe(&c, &e)["Status"], "Associating");
    assert_eq!(code(&c, "ReleaseEipAddress", &[("AllocationId", &e)]), "IncorrectEipStatus");
    assert_eq!(code(&c, "UnassociateEipAddress", &[("AllocationId", &e), ("InstanceId", &inst)]), "IncorrectEipStatus");
    settle(&c);
    let d = describe(&c, &e);
    assert_eq!(
        (d["Status"].as_str(), d["InstanceId"].as_str(), d["InstanceType"].as_str()),
        (Some("InUse"), Some(inst.as_str()), Some("EcsInstance"))
    );
    assert_eq!(d["InstanceRegionId"], "cn-hangzhou");
    let attr = ok(&c, "Ecs:DescribeInstanceAttribute", &[("InstanceId", &inst)]);
    assert_eq!(attr["EipAddress"]["AllocationId"], e.as_str());
    assert_eq!(attr["EipAddress"]["Bandwidth"], 5);
    let keys: Vec<&String> = attr.keys().collect();
    let pos = |k: &str| keys.iter().position(|x| *x == k);
    assert!(pos("EipAddress") < pos("PublicIpAddress"), "EipAddress comes before PublicIpAddress");
    let other = eip(&c, &[]);
    assert_eq!(
        code(&c, "AssociateEipAddress", &[("AllocationId", &other), ("InstanceId", &inst)]),
        "InvalidAssociation.Duplicated"
    );
    assert_eq!(code(&c, "AssociateEipAddress", &[("AllocationId", &e), ("InstanceId", &inst)]), "IncorrectEipStatus");
    assert_eq!(code(&c, "ReleaseEipAddress", &[("AllocationId", &e)]), "IncorrectEipStatus");
    let by_instance = ok(&c, "DescribeEipAddresses", &[("AssociatedInstanceId", &inst)]);
    assert_eq!(by_instance["TotalCount"], 1);
    assert_eq!(
        code(&c, "UnassociateEipAddress", &[("AllocationId", &e), ("InstanceId", "i-none")]),
        "InvalidInstanceId.NotFound"
    );
    let (inst2, _) = instance(&c, &[]);
    assert_eq!(
        code(&c, "UnassociateEipAddress", &[("AllocationId", &e), ("InstanceId", &inst2)]),
        "InvalidBindingStatus"
    );
    ok(&c, "UnassociateEipAddress", &[("AllocationId", &e), ("InstanceId", &inst)]);
    assert_eq!(describe(&c, &e)["Status"], "Unassociating");
    settle(&c);
    assert_eq!(describe(&c, &e)["Status"], "Available");
    assert_eq!(ok(&c, "Ecs:DescribeInstanceAttribute", &[("InstanceId", &inst)])["EipAddress"]["AllocationId"], "");
    ok(&c, "ReleaseEipAddress", &[("AllocationId", &e)]);
    assert_eq!(code(&c, "ReleaseEipAddress", &[("AllocationId", &e)]), "InvalidAllocationId.NotFound");
}

#[test]
fn targets_are_checked() {
    let c = cloud(0);
    let e = eip(&c, &[]);
    assert_eq!(
        code(&c, "AssociateEipAddress", &[("AllocationId", &e), ("InstanceId", "i-none")]),
        "InvalidInstanId.NotFound"
    );
    assert_eq!(
        code(&c, "AssociateEipAddress", &[("AllocationId", &e), ("InstanceId", "ngw-1"), ("InstanceType", "Nat")]),
        "InvalidInstanId.NotFound"
    );
    assert_eq!(
        code(&c, "AssociateEipAddress", &[("AllocationId", &e), ("InstanceId", "x"), ("InstanceType", "Vm")]),
        "InvalidInstanceType.ValueNotSupported"
    );
    assert_eq!(
        code(
            &c,
            "AssociateEipAddress",
            &[("AllocationId", &e), ("InstanceId", "x"), ("InstanceRegionId", "cn-beijing")]
        ),
        "InvalidParameter.Mismatch"
    );
    assert_eq!(
        code(&c, "AssociateEipAddress", &[("AllocationId", "eip-none"), ("InstanceId", "x")]),
        "InvalidAllocationId.NotFound"
    );
    let (with_ip, _) = instance(&c, &[("InternetMaxBandwidthOut", "5")]);
    assert_eq!(
        code(&c, "AssociateEipAddress", &[("AllocationId", &e), ("InstanceId", &with_ip)]),
        "BIND_INSTANCE_HAVE_PORTMAP_OR_BIND_EIP"
    );
    let sg = id(&ok(&c, "Ecs:CreateSecurityGroup", &[]), "SecurityGroupId");
    let classic = ok(
        &c,
        "Ecs:RunInstances",
        &[("ImageId", "img"), ("InstanceType", "ecs.g6.large"), ("ZoneId", "cn-hangzhou-b"), ("SecurityGroupId", &sg)],
    );
    let classic = classic["InstanceIdSets"]["InstanceIdSet"][0].as_str().unwrap_or_default().to_string();
    assert_eq!(code(&c, "AssociateEipAddress", &[("AllocationId", &e), ("InstanceId", &classic)]), "OperationDenied");
}

#[test]
fn a_pending_instance_cannot_take_an_eip() {
    let c = cloud(DELAY);
    let vpc = id(&ok(&c, "CreateVpc", &[("CidrBlock", "10.0.0.0/16")]), "VpcId");
    settle(&c);
    let vsw = id(
        &ok(&c, "CreateVSwitch", &[("VpcId", &vpc), ("CidrBlock", "10.0.1.0/24"), ("ZoneId", "cn-hangzhou-b")]),
        "VSwitchId",
    );
    settle(&c);
    let sg = id(&ok(&c, "CreateSecurityGroup", &[("VpcId", &vpc)]), "SecurityGroupId");
    let run = ok(
        &c,
        "RunInstances",
        &[("ImageId", "img"), ("InstanceType", "ecs.g6.large"), ("VSwitchId", &vsw), ("SecurityGroupId", &sg)],
    );
    let inst = run["InstanceIdSets"]["InstanceIdSet"][0].as_str().unwrap_or_default().to_string();
    let e = eip(&c, &[]);
    assert_eq!(
        code(&c, "AssociateEipAddress", &[("AllocationId", &e), ("InstanceId", &inst)]),
        "IncorrectInstanceStatus"
    );
}

#[test]
fn releasing_an_instance_frees_its_eip() {
    let c = cloud(0);
    let (inst, _) = instance(&c, &[]);
    let e = eip(&c, &[]);
    ok(&c, "AssociateEipAddress", &[("AllocationId", &e), ("InstanceId", &inst)]);
    ok(&c, "Ecs:DeleteInstance", &[("InstanceId", &inst), ("Force", "true")]);
    let d = describe(&c, &e);
    assert_eq!((d["Status"].as_str(), d["InstanceId"].as_str()), (Some("Available"), Some("")));
    ok(&c, "ReleaseEipAddress", &[("AllocationId", &e)]);
}

#[test]
fn havips_take_one_eip_and_keep_it_from_deletion() {
    let c = cloud(0);
    let (_, vsw) = instance(&c, &[]);
    let havip = id(&ok(&c, "CreateHaVip", &[("VSwitchId", &vsw)]), "HaVipId");
    let e = eip(&c, &[]);
    ok(&c, "AssociateEipAddress", &[("AllocationId", &e), ("InstanceId", &havip), ("InstanceType", "HaVip")]);
    let hv = ok(&c, "DescribeHaVips", &[]);
    let ip = describe(&c, &e)["IpAddress"].clone();
    assert_eq!(hv["HaVips"]["HaVip"][0]["AssociatedEipAddresses"]["associatedEipAddresse"][0], ip);
    assert_eq!(code(&c, "DeleteHaVip", &[("HaVipId", &havip)]), "IncorrectHaVipStatus");
    assert_eq!(
        code(&c, "UnassociateEipAddress", &[("AllocationId", &e), ("InstanceId", &havip)]),
        "InvalidInstanceId.NotFound",
        "the type defaults to EcsInstance"
    );
    ok(&c, "UnassociateEipAddress", &[("AllocationId", &e), ("InstanceId", &havip), ("InstanceType", "HaVip")]);
    ok(&c, "DeleteHaVip", &[("HaVipId", &havip)]);
}

#[test]
fn describe_filters_and_pages() {
    let c = cloud(0);
    let a = eip(&c, &[("ISP", "ChinaUnicom")]);
    let b = eip(&c, &[]);
    ok(&c, "ModifyEipAddressAttribute", &[("AllocationId", &b), ("Name", "web"), ("Description", "front door")]);
    let count = |params: &[(&str, &str)]| ok(&c, "DescribeEipAddresses", params)["TotalCount"].as_u64();
    assert_eq!(count(&[]), Some(2));
    assert_eq!(count(&[("ISP", "ChinaUnicom")]), Some(1));
    assert_eq!(count(&[("AllocationId", &format!("{a},{b}"))]), Some(2));
    assert_eq!(count(&[("Filter.1.Key", "Name"), ("Filter.1.Value", "web")]), Some(1));
    assert_eq!(count(&[("Status", "InUse")]), Some(0));
    assert_eq!(count(&[("ChargeType", "Postpaid")]), Some(2));
    assert_eq!(count(&[("LockReason", "financial")]), Some(0));
    let page = ok(&c, "DescribeEipAddresses", &[("PageSize", "1"), ("PageNumber", "2")]);
    assert_eq!(page["EipAddresses"]["EipAddress"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        code(&c, "DescribeEipAddresses", &[("Filter.1.Key", "Color"), ("Filter.1.Value", "x")]),
        "InvalidFilterKey.NotFound"
    );
    assert_eq!(code(&c, "DescribeEipAddresses", &[("Filter.1.Key", "Name")]), "InvalidFilterValue");
    assert_eq!(code(&c, "DescribeEipAddresses", &[("LockReason", "x")]), "InvalidLockReason.NotFound");
    assert_eq!(code(&c, "DescribeEipAddresses", &[("ChargeType", "x")]), "InvalidChargeType.ValueNotSupported");
    assert_eq!(
        code(&c, "DescribeEipAddresses", &[("AssociatedInstanceType", "x")]),
        "InvalidIAssociatedInstanceType.ValueNotSupported"
    );
    assert_eq!(code(&c, "ModifyEipAddressAttribute", &[("AllocationId", &a), ("Name", "1x")]), "InvalidParameter");
    billing::set_state(&c, ACCOUNT, None, Some(true)).unwrap_or_default();
    assert_eq!(count(&[("LockReason", "financial")]), Some(2));
}

#[test]
fn monitor_samples_are_deterministic_and_bounded() {
    let c = cloud(0);
    let e = eip(&c, &[]);
    let now = c.clock.now_ms();
    let at = |ms: i64| acs_cloud::clock::format_time(ms);
    c.clock.advance_ms(3_600_000);
    let q = |start: &str, end: &str, period: &str| {
        call(
            &c,
            "DescribeEipMonitorData",
            &[("AllocationId", &e), ("StartTime", start), ("EndTime", end), ("Period", period)],
        )
    };
    let start = at(now - now % 60_000 + 60_000);
    let end = at(now - now % 60_000 + 60_000 + 600_000);
    let a = q(&start, &end, "60").unwrap_or_default();
    let b = q(&start, &end, "60").unwrap_or_default();
    assert_eq!(a, b);
    let points = a["EipMonitorDatas"]["EipMonitorData"].as_array().cloned().unwrap_or_default();
    assert_eq!(points.len(), 10);
    for p in &points {
        let flow = p["EipFlow"].as_i64().unwrap_or(-1);
        assert_eq!(flow, p["EipRX"].as_i64().unwrap_or(0) + p["EipTX"].as_i64().unwrap_or(0));
        assert!(flow <= 5 * 125_000 * 60, "within the bandwidth");
    }
    assert_eq!(
        q(&start, &end, "600").map(|o| o["EipMonitorDatas"]["EipMonitorData"].as_array().map(Vec::len)).ok().flatten(),
        Some(1)
    );
    let err = |r: Result<_, acs_api::ApiError>| r.err().map(|e| e.code.into_owned()).unwrap_or_default();
    assert_eq!(err(q(&start, &end, "30")), "InvalidPeriod.ValueNotSupported");
    assert_eq!(err(q("yesterday", &end, "60")), "InvalidStartTime.Malformed");
    assert_eq!(err(q(&start, "2019-01-01T00:00Z", "60")), "InvalidEndTime.Malformed");
    assert_eq!(err(q(&at(now - 40 * 86_400_000), &end, "60")), "InvalidStartTime.TooEarly");
    assert_eq!(err(q(&start, &at(now + 60_000 + 201 * 60_000), "60")), "OperationDenied.TooManyDataQueried");
    let gw = ok(&c, "DescribeEipGatewayInfo", &[("InstanceId", "eni-1")]);
    assert_eq!(gw["Code"], "200");
}

#[test]
fn shared_bandwidth_packages_bill_and_cap_their_eips() {
    let c = cloud(0);
    let p = id(&ok(&c, "CreateCommonBandwidthPackage", &[("Bandwidth", "100")]), "BandwidthPackageId");
    let e = eip(&c, &[("Bandwidth", "7")]);
    ok(&c, "AddCommonBandwidthPackageIp", &[("BandwidthPackageId", &p), ("IpInstanceId", &e)]);
    let d = describe(&c, &e);
    assert_eq!((d["Bandwidth"].as_str(), d["EipBandwidth"].as_str()), (Some("100"), Some("7")));
    assert_eq!(d["BandwidthPackageId"], p.as_str());
    assert_eq!(d["BandwidthPackageType"], "CommonBandwidthPackage");
    assert_eq!(
        code(&c, "ModifyEipAddressAttribute", &[("AllocationId", &e), ("Bandwidth", "9")]),
        "IncorrectEipStatus"
    );
    let cap = |bw: &str| {
        call(
            &c,
            "ModifyCommonBandwidthPackageIpBandwidth",
            &[("BandwidthPackageId", &p), ("EipId", &e), ("Bandwidth", bw)],
        )
    };
    assert_eq!(cap("101").err().map(|e| e.code.into_owned()).unwrap_or_default(), "InvalidBandwidth.ValueNotSupported");
    assert!(cap("40").is_ok());
    assert_eq!(describe(&c, &e)["Bandwidth"], "40");
    assert_eq!(
        code(&c, "ModifyCommonBandwidthPackageSpec", &[("BandwidthPackageId", &p), ("Bandwidth", "30")]),
        "InvalidBandwidth.ValueNotSupported"
    );
    ok(&c, "CancelCommonBandwidthPackageIpBandwidth", &[("BandwidthPackageId", &p), ("EipId", &e)]);
    ok(&c, "ModifyCommonBandwidthPackageSpec", &[("BandwidthPackageId", &p), ("Bandwidth", "30")]);
    assert_eq!(describe(&c, &e)["Bandwidth"], "30");
    let listed = ok(&c, "DescribeCommonBandwidthPackages", &[("BandwidthPackageId", &p)]);
    assert_eq!(
        listed["CommonBandwidthPackages"]["CommonBandwidthPackage"][0]["PublicIpAddresses"]["PublicIpAddresse"][0]
            ["AllocationId"],
        e.as_str()
    );
    assert_eq!(
        code(&c, "DeleteCommonBandwidthPackage", &[("BandwidthPackageId", &p)]),
        "DependencyViolation.EipAddresses"
    );
    let other = id(&ok(&c, "CreateCommonBandwidthPackage", &[("Bandwidth", "10")]), "BandwidthPackageId");
    assert_eq!(
        code(&c, "AddCommonBandwidthPackageIp", &[("BandwidthPackageId", &other), ("IpInstanceId", &e)]),
        "OperationFailed.EipInBandwidthPackage"
    );
    assert_eq!(
        code(&c, "RemoveCommonBandwidthPackageIp", &[("BandwidthPackageId", &other), ("IpInstanceId", &e)]),
        "OperationFailed.EipNotInBandwidthPackage"
    );
    ok(&c, "DeleteCommonBandwidthPackage", &[("BandwidthPackageId", &p), ("Force", "true")]);
    let d = describe(&c, &e);
    assert_eq!((d["Bandwidth"].as_str(), d["BandwidthPackageId"].as_str()), (Some("7"), Some("")));
    let prepaid = eip(&c, &[("InstanceChargeType", "PrePaid")]);
    assert_eq!(
        code(&c, "AddCommonBandwidthPackageIp", &[("BandwidthPackageId", &other), ("IpInstanceId", &prepaid)]),
        "OperationUnsupported.PrePaidEip"
    );
    assert_eq!(
        code(&c, "AddCommonBandwidthPackageIp", &[("BandwidthPackageId", "cbwp-x"), ("IpInstanceId", &e)]),
        "InvalidBandwidthPackageId.NotFound"
    );
    assert_eq!(code(&c, "CreateCommonBandwidthPackage", &[("Bandwidth", "0")]), "InvalidBandwidth.ValueNotSupported");
    assert_eq!(
        code(&c, "CreateCommonBandwidthPackage", &[("Bandwidth", "5"), ("Zone", "cn-nowhere")]),
        "InvalidZoneId.NotFound"
    );
    assert_eq!(code(&c, "CreateCommonBandwidthPackage", &[("Bandwidth", "5"), ("Ratio", "50")]), "InvalidParameter");
    assert_eq!(
        code(&c, "CreateCommonBandwidthPackage", &[("Bandwidth", "5"), ("Name", "-x")]),
        "InvalidParameter.Name.Malformed"
    );
}

#[test]
fn an_instance_with_an_eip_refuses_network_changes() {
    let c = cloud(0);
    let (inst, _) = instance(&c, &[]);
    let e = eip(&c, &[]);
    ok(&c, "AssociateEipAddress", &[("AllocationId", &e), ("InstanceId", &inst)]);
    let net = |p: &[(&str, &str)]| {
        let mut params = vec![("InstanceId", inst.as_str())];
        params.extend_from_slice(p);
        code(&c, "Ecs:ModifyInstanceNetworkSpec", &params)
    };
    assert_eq!(net(&[("InternetMaxBandwidthOut", "5")]), "InvalidInstance.InstanceNotSupported");
    assert_eq!(net(&[("NetworkChargeType", "PayByBandwidth")]), "InvalidInstance.EipNotSupport");
    assert_eq!(
        net(&[("InternetMaxBandwidthOut", "9"), ("StartTime", "2030-01-01T00:00Z"), ("EndTime", "2030-01-01T03Z")]),
        "BandwidthUpgradeDenied.EipBoundInstance"
    );
}
