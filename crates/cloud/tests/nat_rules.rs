//! The rules of NAT gateways (chapter 16): gateways and their 0.0.0.0/0 route, NAT bandwidth
//! packages and their addresses, SNAT and DNAT entries, and a property test of the uniqueness
//! and exclusivity rules of entries under random sequences of calls.

mod common;

use acs_cloud::Cloud;
use common::{call, cloud, code, id, ok, ACCOUNT};
use proptest::prelude::*;
use serde_json::{json, Map, Value};

struct Gw {
    vpc: String,
    vsw: String,
    id: String,
    stb: String,
    ftb: String,
}

fn network(c: &Cloud) -> (String, String) {
    let vpc = id(&ok(c, "CreateVpc", &[("CidrBlock", "192.168.0.0/16")]), "VpcId");
    let vsw = ok(c, "CreateVSwitch", &[("VpcId", &vpc), ("CidrBlock", "192.168.1.0/24"), ("ZoneId", "cn-hangzhou-b")]);
    (vpc, id(&vsw, "VSwitchId"))
}

fn first(body: &Map<String, Value>, outer: &str, inner: &str) -> String {
    body[outer][inner][0].as_str().unwrap_or_default().to_string()
}

fn gateway(c: &Cloud, extra: &[(&str, &str)]) -> Gw {
    let (vpc, vsw) = network(c);
    let mut params = vec![("VpcId", vpc.as_str())];
    params.extend_from_slice(extra);
    let out = ok(c, "CreateNatGateway", &params);
    Gw {
        vpc,
        vsw,
        id: id(&out, "NatGatewayId"),
        stb: first(&out, "SnatTableIds", "SnatTableId"),
        ftb: first(&out, "ForwardTableIds", "ForwardTableId"),
    }
}

/// A bandwidth package of `count` addresses on the gateway: (id, addresses).
fn package(c: &Cloud, gw: &Gw, count: &str) -> (String, Vec<String>) {
    let p = id(
        &ok(c, "CreateBandwidthPackage", &[("NatGatewayId", &gw.id), ("Bandwidth", "5"), ("IpCount", count)]),
        "BandwidthPackageId",
    );
    (p.clone(), package_ips(c, &p))
}

fn describe_package(c: &Cloud, p: &str) -> Value {
    ok(c, "DescribeBandwidthPackages", &[("BandwidthPackageId", p)])["BandwidthPackages"]["BandwidthPackage"][0].clone()
}

fn package_ips(c: &Cloud, p: &str) -> Vec<String> {
    let d = describe_package(c, p);
    let ips = d["PublicIpAddresses"]["PublicIpAddresse"].as_array().cloned().unwrap_or_default();
    ips.iter().map(|ip| ip["IpAddress"].as_str().unwrap_or_default().to_string()).collect()
}

fn describe_gw(c: &Cloud, gw: &str) -> Value {
    ok(c, "DescribeNatGateways", &[("NatGatewayId", gw)])["NatGateways"]["NatGateway"][0].clone()
}

fn snat(c: &Cloud, gw: &Gw, ip: &str, source: (&str, &str)) -> Result<String, String> {
    call(c, "CreateSnatEntry", &[("SnatTableId", &gw.stb), ("SnatIp", ip), source])
        .map(|b| id(&b, "SnatEntryId"))
        .map_err(|e| e.code.into_owned())
}

fn dnat(
    c: &Cloud,
    gw: &Gw,
    ext: &str,
    ext_port: &str,
    int: &str,
    int_port: &str,
    proto: &str,
) -> Result<String, String> {
    call(
        c,
        "CreateForwardEntry",
        &[
            ("ForwardTableId", &gw.ftb),
            ("ExternalIp", ext),
            ("ExternalPort", ext_port),
            ("InternalIp", int),
            ("InternalPort", int_port),
            ("IpProtocol", proto),
        ],
    )
    .map(|b| id(&b, "ForwardEntryId"))
    .map_err(|e| e.code.into_owned())
}

fn message(c: &Cloud, action: &str, params: &[(&str, &str)]) -> (String, String) {
    let e = call(c, action, params).expect_err("refused");
    (e.code.into_owned(), e.message.into_owned())
}

#[test]
fn a_gateway_comes_with_its_tables_route_and_packages() {
    let c = cloud(0);
    let (vpc, _) = network(&c);
    assert_eq!(code(&c, "CreateNatGateway", &[("VpcId", "vpc-none")]), "InvalidVpcId.NotFound");
    assert_eq!(
        code(&c, "CreateNatGateway", &[("VpcId", &vpc), ("Spec", "Huge")]),
        "InvalidParameter.Spec.ValueNotSupported"
    );
    assert_eq!(code(&c, "CreateNatGateway", &[("VpcId", &vpc), ("Name", "1x")]), "InvalidParameter.Name.Malformed");
    assert_eq!(
        code(&c, "CreateNatGateway", &[("VpcId", &vpc), ("Description", "http://x")]),
        "InvalidParameter.Description.Malformed"
    );
    assert_eq!(
        code(&c, "CreateNatGateway", &[("VpcId", &vpc), ("BandwidthPackage.5.IpCount", "1")]),
        "MissingParameter.BandwidthPackage"
    );
    assert_eq!(
        code(&c, "CreateNatGateway", &[("VpcId", &vpc), ("BandwidthPackage.1.ISP", "CMCC")]),
        "InvalidParameter.BandwidthPackage.n.ISP.ValueNotSupport"
    );
    assert_eq!(
        code(&c, "CreateNatGateway", &[("VpcId", &vpc), ("BandwidthPackage.1.Zone", "mars-1")]),
        "InvalidZoneId.NotFound"
    );
    assert_eq!(
        code(&c, "CreateNatGateway", &[("VpcId", &vpc), ("BandwidthPackage.1.Bandwidth", "5001")]),
        "InvalidParameter"
    );
    assert_eq!(code(&c, "CreateNatGateway", &[]), "MissingParameter");
    let out = ok(
        &c,
        "CreateNatGateway",
        &[
            ("VpcId", &vpc),
            ("Spec", "Xlarge.1"),
            ("BandwidthPackage.1.IpCount", "2"),
            ("BandwidthPackage.1.Bandwidth", "5000"),
            ("BandwidthPackage.2.IpCount", "1"),
        ],
    );
    let gw = id(&out, "NatGatewayId");
    assert_eq!(out["BandwidthPackageIds"]["BandwidthPackageId"].as_array().map(Vec::len), Some(2));
    assert!(first(&out, "SnatTableIds", "SnatTableId").starts_with("stb-"));
    assert!(first(&out, "ForwardTableIds", "ForwardTableId").starts_with("ftb-"));
    let d = describe_gw(&c, &gw);
    assert_eq!((d["Spec"].as_str(), d["Status"].as_str()), (Some("XLarge.1"), Some("Available")));
    assert_eq!(d["IpLists"]["IpList"].as_array().map(Vec::len), Some(3));
    assert_eq!(d["IpLists"]["IpList"][0]["UsingStatus"], "Idle");
    // The VPC routes 0.0.0.0/0 to it and lists it; a second gateway finds the route taken.
    let vpcs = ok(&c, "DescribeVpcs", &[("VpcId", &vpc)]);
    assert_eq!(vpcs["Vpcs"]["Vpc"][0]["NatGatewayIds"]["NatGatewayIds"], json!([gw]));
    let table = vpcs["Vpcs"]["Vpc"][0]["RouterTableIds"]["RouterTableIds"][0].as_str().unwrap_or_default().to_string();
    let routes = ok(&c, "DescribeRouteEntryList", &[("RouteTableId", &table), ("DestinationCidrBlock", "0.0.0.0/0")]);
    assert!(Value::Object(routes.clone()).to_string().contains(&gw), "{routes:?}");
    assert_eq!(code(&c, "CreateNatGateway", &[("VpcId", &vpc)]), "InvalidCIDRBlock.Duplicate");
    // DeleteVpc reports the gateway (not its route); DeleteNatGateway its packages unless forced.
    assert_eq!(message(&c, "DeleteVpc", &[("VpcId", &vpc)]).0, "DependencyViolation.NatGateway");
    assert_eq!(code(&c, "DeleteNatGateway", &[("NatGatewayId", &gw)]), "DependencyViolation.BandwidthPackages");
    assert_eq!(code(&c, "DeleteNatGateway", &[("NatGatewayId", "ngw-none")]), "InvalidNatGatewayId.NotFound");
    ok(&c, "DeleteNatGateway", &[("NatGatewayId", &gw), ("Force", "true")]);
    assert_eq!(ok(&c, "DescribeBandwidthPackages", &[])["TotalCount"], 0);
    assert_eq!(
        ok(&c, "DescribeVpcs", &[("VpcId", &vpc)])["Vpcs"]["Vpc"][0]["NatGatewayIds"]["NatGatewayIds"],
        json!([])
    );
    // Its route went with it: a new gateway fits again.
    ok(&c, "CreateNatGateway", &[("VpcId", &vpc)]);
}

#[test]
fn a_vpc_being_created_takes_no_gateway_and_specs_change_through_pending() {
    let c = cloud(1000);
    let vpc = id(&ok(&c, "CreateVpc", &[("CidrBlock", "192.168.0.0/16")]), "VpcId");
    assert_eq!(code(&c, "CreateNatGateway", &[("VpcId", &vpc)]), "VpcStatusError");
    c.clock.advance_ms(1000);
    let gw = id(&ok(&c, "CreateNatGateway", &[("VpcId", &vpc)]), "NatGatewayId");
    assert_eq!(describe_gw(&c, &gw)["Status"], "Initiating");
    let e = ok(&c, "AllocateEipAddress", &[]);
    let eip = id(&e, "AllocationId");
    let assoc = [("AllocationId", eip.as_str()), ("InstanceId", gw.as_str()), ("InstanceType", "Nat")];
    assert_eq!(code(&c, "AssociateEipAddress", &assoc), "IncorrectInstanceStatus");
    c.clock.advance_ms(1000);
    assert_eq!(describe_gw(&c, &gw)["Spec"], "Small");
    assert_eq!(code(&c, "ModifyNatGatewaySpec", &[("NatGatewayId", &gw), ("Spec", "Small")]), "NATGW_MODIFY_SPEC_SAME");
    assert_eq!(
        code(&c, "ModifyNatGatewaySpec", &[("NatGatewayId", &gw), ("Spec", "Tiny")]),
        "InvalidParameter.Spec.ValueNotSupported"
    );
    assert_eq!(
        code(&c, "ModifyNatGatewaySpec", &[("NatGatewayId", "ngw-x"), ("Spec", "Large")]),
        "InvalidNatGatewayId.NotFound"
    );
    ok(&c, "ModifyNatGatewaySpec", &[("NatGatewayId", &gw), ("Spec", "Large")]);
    assert_eq!(describe_gw(&c, &gw)["Status"], "Pending");
    c.clock.advance_ms(1000);
    assert_eq!(describe_gw(&c, &gw)["Status"], "Available");
    assert_eq!(code(&c, "ModifyNatGatewayAttribute", &[("NatGatewayId", "ngw-x")]), "InvalidNatGatewayId.NotFound");
    assert_eq!(
        code(&c, "ModifyNatGatewayAttribute", &[("NatGatewayId", &gw), ("Name", "-a")]),
        "InvalidParameter.Name.Malformed"
    );
    assert_eq!(
        code(&c, "ModifyNatGatewayAttribute", &[("NatGatewayId", &gw), ("Description", "1")]),
        "InvalidParameter.Description.Malformed"
    );
    ok(&c, "ModifyNatGatewayAttribute", &[("NatGatewayId", &gw), ("Name", "edge"), ("Description", "out")]);
    // Filters and paging.
    let found = ok(&c, "DescribeNatGateways", &[("Name", "edge"), ("Spec", "Large"), ("VpcId", &vpc)]);
    assert_eq!(found["TotalCount"], 1);
    assert_eq!(ok(&c, "DescribeNatGateways", &[("Spec", "Small")])["TotalCount"], 0);
    assert_eq!(code(&c, "DescribeNatGateways", &[("RegionId", "mars")]), "InvalidRegionId.NotFound");
    // EIPs bind (several), show in IpLists, and are freed with the gateway.
    ok(&c, "AssociateEipAddress", &assoc);
    let eip2 = id(&ok(&c, "AllocateEipAddress", &[]), "AllocationId");
    ok(&c, "AssociateEipAddress", &[("AllocationId", &eip2), ("InstanceId", &gw), ("InstanceType", "Nat")]);
    assert_eq!(describe_gw(&c, &gw)["IpLists"]["IpList"].as_array().map(Vec::len), Some(2));
    // An EIP serving an entry stays bound until the entry goes.
    c.clock.advance_ms(1000);
    let address = ok(&c, "DescribeEipAddresses", &[("AllocationId", &eip2)])["EipAddresses"]["EipAddress"][0]
        ["IpAddress"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let stb = describe_gw(&c, &gw)["SnatTableIds"]["SnatTableId"][0].as_str().unwrap_or_default().to_string();
    ok(&c, "CreateSnatEntry", &[("SnatTableId", &stb), ("SnatIp", &address), ("SourceCIDR", "192.168.7.0/24")]);
    let unbind = [("AllocationId", eip2.as_str()), ("InstanceId", gw.as_str()), ("InstanceType", "Nat")];
    assert_eq!(code(&c, "UnassociateEipAddress", &unbind), "IncorrectEipStatus");
    ok(&c, "DeleteNatGateway", &[("NatGatewayId", &gw)]);
    c.clock.advance_ms(1000);
    let eips = ok(&c, "DescribeEipAddresses", &[("AllocationId", &eip)]);
    assert_eq!(eips["EipAddresses"]["EipAddress"][0]["Status"], "Available");
}

#[test]
fn bandwidth_packages_hold_addresses_of_the_pool() {
    let c = cloud(0);
    let gw = gateway(&c, &[]);
    let create = |extra: &[(&str, &str)]| {
        let mut p = vec![("NatGatewayId", gw.id.as_str()), ("Bandwidth", "5"), ("IpCount", "1")];
        p.splice(0..0, extra.iter().copied());
        code(&c, "CreateBandwidthPackage", &p)
    };
    assert_eq!(create(&[("NatGatewayId", "ngw-x")]), "NATGW_NOT_EXIST");
    assert_eq!(create(&[("Zone", "cn-hangzhou-zz")]), "InvalidZoneId.NotFound");
    assert_eq!(create(&[("ISP", "X")]), "InvalidParameter.BandwidthPackage.n.ISP.ValueNotSupport");
    assert_eq!(create(&[("Name", "9")]), "InvalidParameter.Name.Malformed");
    assert_eq!(create(&[("Description", "9")]), "InvalidParameter.Description.Malformed");
    assert_eq!(code(&c, "CreateBandwidthPackage", &[("NatGatewayId", &gw.id), ("Bandwidth", "5")]), "MissingParameter");
    let (p, ips) = package(&c, &gw, "2");
    assert_eq!(ips.len(), 2);
    let d = describe_package(&c, &p);
    assert_eq!(
        (d["IpCount"].as_str(), d["Bandwidth"].as_str(), d["ZoneId"].as_str()),
        (Some("2"), Some("5"), Some("cn-hangzhou-b"))
    );
    // Four packages per gateway.
    for _ in 0..3 {
        package(&c, &gw, "1");
    }
    assert_eq!(create(&[]), "QuotaExceeded.BandwidthPackageCountOnNatGateway");
    // Addresses per package: a named quota.
    c.set_quotas(Some(ACCOUNT), json!({ "nat_bandwidth_package_ips": 3 }).as_object().unwrap_or(&Map::new()))
        .expect("quotas");
    let add = |n: &str| code(&c, "AddBandwidthPackageIps", &[("BandwidthPackageId", &p), ("IpCount", n)]);
    assert_eq!(add("2"), "QuotaExceeded.BandwidthPackageIps");
    assert_eq!(add("51"), "InvalidIpCount.ValueNotSupported");
    let (vpc2, _) = network(&c);
    let gw2 = id(&ok(&c, "CreateNatGateway", &[("VpcId", &vpc2)]), "NatGatewayId");
    assert_eq!(
        code(&c, "CreateBandwidthPackage", &[("NatGatewayId", &gw2), ("Bandwidth", "5"), ("IpCount", "4")]),
        "QuotaExceeded.BandwidthPackageIps"
    );
    assert_eq!(
        code(&c, "CreateNatGateway", &[("VpcId", &network(&c).0), ("BandwidthPackage.1.IpCount", "4")]),
        "QuotaExceeded.BandwidthPackageIps"
    );
    ok(&c, "AddBandwidthPackageIps", &[("BandwidthPackageId", &p), ("IpCount", "1")]);
    assert_eq!(package_ips(&c, &p).len(), 3);
    // Spec and attributes.
    let spec = |bw: &str| code(&c, "ModifyBandwidthPackageSpec", &[("BandwidthPackageId", &p), ("Bandwidth", bw)]);
    assert_eq!(spec("1001"), "InvalidBandwidth.ValueNotSupported");
    assert_eq!(
        code(&c, "ModifyBandwidthPackageSpec", &[("BandwidthPackageId", "bwp-x"), ("BandWidth", "10")]),
        "InvalidBandwidthPackageId.NotFound"
    );
    ok(&c, "ModifyBandwidthPackageSpec", &[("BandwidthPackageId", &p), ("Bandwidth", "10")]);
    assert_eq!(describe_package(&c, &p)["Bandwidth"], "10");
    assert_eq!(
        code(&c, "ModifyBandwidthPackageAttribute", &[("BandwidthPackageId", "bwp-x")]),
        "InvalidBandwidthPackageId.NotFound"
    );
    assert_eq!(
        code(&c, "ModifyBandwidthPackageAttribute", &[("BandwidthPackageId", &p), ("Name", "_")]),
        "InvalidParameter.Name.Malformed"
    );
    assert_eq!(
        code(&c, "ModifyBandwidthPackageAttribute", &[("BandwidthPackageId", &p), ("Description", "_")]),
        "InvalidParameter.Description.Malformed"
    );
    ok(&c, "ModifyBandwidthPackageAttribute", &[("BandwidthPackageId", &p), ("Name", "pkg")]);
    assert_eq!(describe_package(&c, &p)["Name"], "pkg");
    assert_eq!(ok(&c, "DescribeBandwidthPackages", &[("NatGatewayId", &gw.id), ("PageSize", "2")])["TotalCount"], 4);
    assert_eq!(code(&c, "DescribeBandwidthPackages", &[("RegionId", "mars")]), "InvalidRegionId.NotFound");
    // Removing: never all, only its own, only idle ones.
    let ips = package_ips(&c, &p);
    let remove = |ips: &[&str]| {
        let mut params = vec![("BandwidthPackageId", p.as_str())];
        let names: Vec<String> = (1..=ips.len()).map(|n| format!("RemovedIpAddresses.{n}")).collect();
        params.extend(names.iter().map(String::as_str).zip(ips.iter().copied()));
        call(&c, "RemoveBandwidthPackageIps", &params).map(|_| ()).map_err(|e| e.code.into_owned())
    };
    let all: Vec<&str> = ips.iter().map(String::as_str).collect();
    assert_eq!(remove(&all), Err("InvalidIpCount.ValueNotSupported".into()));
    assert_eq!(remove(&["203.0.113.9"]), Err("InvalidRemovedIpAddresses.NotFound".into()));
    let (_, foreign) = package(
        &c,
        &Gw { id: gw2.clone(), vpc: String::new(), vsw: String::new(), stb: String::new(), ftb: String::new() },
        "1",
    );
    assert_eq!(remove(&[&foreign[0]]), Err("invalidRemovedIpAddresses.NotFound".into()));
    snat(&c, &gw, &ips[0], ("SourceVSwitchId", &gw.vsw)).expect("snat");
    dnat(&c, &gw, &ips[1], "80", "192.168.1.10", "80", "TCP").expect("dnat");
    assert_eq!(remove(&[&ips[0]]), Err("DependencyViolation.SnatEntry".into()));
    assert_eq!(remove(&[&ips[1]]), Err("DependencyViolation.ForwardEntry".into()));
    remove(&[&ips[2]]).expect("idle address");
    assert_eq!(package_ips(&c, &p).len(), 2);
    let (code_, msg) = message(&c, "DeleteBandwidthPackage", &[("BandwidthPackageId", &p)]);
    assert_eq!(
        (code_.as_str(), msg.as_str()),
        ("DependencyViolation.SnatEntry", "The specified BandwidthPackageId has dependent resource.")
    );
    assert_eq!(
        code(&c, "DeleteBandwidthPackage", &[("BandwidthPackageId", "bwp-x")]),
        "InvalidBandwidthPackageId.NotFound"
    );
    ok(&c, "DeleteBandwidthPackage", &[("BandwidthPackageId", &p), ("Force", "true")]);
    assert_eq!(ok(&c, "DescribeSnatTableEntries", &[("SnatTableId", &gw.stb)])["TotalCount"], 0);
    assert_eq!(ok(&c, "DescribeForwardTableEntries", &[("ForwardTableId", &gw.ftb)])["TotalCount"], 0);
}

#[test]
fn a_package_used_by_dnat_refuses_deletion_and_an_overdue_account_is_locked() {
    let c = cloud(0);
    let gw = gateway(&c, &[]);
    let (p, ips) = package(&c, &gw, "1");
    dnat(&c, &gw, &ips[0], "80", "192.168.1.10", "80", "TCP").expect("dnat");
    assert_eq!(code(&c, "DeleteBandwidthPackage", &[("BandwidthPackageId", &p)]), "DependencyViolation.ForwardEntry");
    acs_cloud::billing::set_state(&c, ACCOUNT, None, Some(true)).expect("overdue");
    assert_eq!(
        code(&c, "AddBandwidthPackageIps", &[("BandwidthPackageId", &p), ("IpCount", "1")]),
        "BandwidthPackage.FinancialLocked"
    );
    assert_eq!(
        code(&c, "ModifyBandwidthPackageSpec", &[("BandwidthPackageId", &p), ("Bandwidth", "9")]),
        "BandwidthPackage.FinancialLocked"
    );
    assert_eq!(
        code(&c, "RemoveBandwidthPackageIps", &[("BandwidthPackageId", &p), ("RemovedIpAddresses.1", &ips[0])]),
        "BandwidthPackage.FinancialLocked"
    );
}

#[test]
fn converting_a_package_makes_its_addresses_eips_of_the_gateway() {
    let c = cloud(0);
    let gw = gateway(&c, &[]);
    let (p, ips) = package(&c, &gw, "1");
    snat(&c, &gw, &ips[0], ("SourceVSwitchId", &gw.vsw)).expect("snat");
    assert_eq!(
        code(&c, "ConvertBandwidthPackage", &[("BandwidthPackageId", "bwp-x")]),
        "InvalidBandwidthPackageId.NotFound"
    );
    assert_eq!(ok(&c, "ConvertBandwidthPackage", &[("BandwidthPackageId", &p)])["ConvertInstanceId"], json!(p));
    assert_eq!(ok(&c, "DescribeBandwidthPackages", &[])["TotalCount"], 0);
    let eips = ok(&c, "DescribeEipAddresses", &[("EipAddress", &ips[0])]);
    let eip = &eips["EipAddresses"]["EipAddress"][0];
    assert_eq!((eip["InstanceId"].as_str(), eip["Status"].as_str()), (Some(gw.id.as_str()), Some("InUse")));
    assert_eq!(describe_gw(&c, &gw.id)["IpLists"]["IpList"][0]["UsingStatus"], "UsedBySnatTable");
}

#[test]
fn snat_entries_take_one_source_and_the_gateways_addresses() {
    let c = cloud(0);
    let gw = gateway(&c, &[]);
    let (_, ips) = package(&c, &gw, "3");
    let vsw2 = id(
        &ok(&c, "CreateVSwitch", &[("VpcId", &gw.vpc), ("CidrBlock", "192.168.2.0/24"), ("ZoneId", "cn-hangzhou-b")]),
        "VSwitchId",
    );
    let create = |params: &[(&str, &str)]| {
        let mut p = vec![("SnatTableId", gw.stb.as_str())];
        p.extend_from_slice(params);
        code(&c, "CreateSnatEntry", &p)
    };
    assert_eq!(
        code(&c, "CreateSnatEntry", &[("SnatTableId", "stb-x"), ("SnatIp", &ips[0]), ("SourceCIDR", "192.168.5.0/24")]),
        "InvalidSnatTableId.NotFound"
    );
    assert_eq!(
        code(&c, "CreateSnatEntry", &[("SnatTableId", &gw.ftb), ("SnatIp", &ips[0]), ("SourceCIDR", "192.168.5.0/24")]),
        "InvalidSnatTableId.NotFound"
    );
    assert_eq!(create(&[("SnatIp", "1.2.3"), ("SourceCIDR", "192.168.5.0/24")]), "InvalidSnatIp.Malformed");
    assert_eq!(create(&[("SnatIp", &ips[0])]), "INVALID_PARAMETER");
    assert_eq!(
        create(&[("SnatIp", &ips[0]), ("SourceCIDR", "192.168.5.0/24"), ("SourceVSwitchId", &gw.vsw)]),
        "INVALID_PARAMETER"
    );
    assert_eq!(create(&[("SnatIp", &ips[0]), ("SourceCIDR", "192.168.5.1/24")]), "INVALID_PARAMETER");
    assert_eq!(create(&[("SnatIp", &ips[0]), ("SourceCIDR", "10.0.0.0/24")]), "NOT_ALLOW_USE_SOURCECIDR");
    assert_eq!(create(&[("SnatIp", &ips[0]), ("SourceVSwitchId", "vsw-x")]), "InvalidVSwitchId.NotFound");
    assert_eq!(create(&[("SnatIp", "198.51.100.7"), ("SourceVSwitchId", &gw.vsw)]), "InvalidSnatIp.NotFound");
    assert_eq!(
        create(&[("SnatIp", &ips[0]), ("SourceVSwitchId", &gw.vsw), ("SnatEntryName", "1")]),
        "InvalidParameter.Name.Malformed"
    );
    ok(&c, "CreateHaVip", &[("VSwitchId", &vsw2)]);
    assert_eq!(create(&[("SnatIp", &ips[0]), ("SourceVSwitchId", &vsw2)]), "Forbidden.SourceVSwitchId.IncludeHaVip");
    let both = format!("{},{}", ips[0], ips[1]);
    let e = snat(&c, &gw, &both, ("SourceVSwitchId", &gw.vsw)).expect("created");
    assert_eq!(create(&[("SnatIp", &ips[0]), ("SourceVSwitchId", &gw.vsw)]), "Forbidden.SourceVSwitchId.Duplicated");
    assert_eq!(
        create(&[("SnatIp", &ips[0]), ("SourceCIDR", "192.168.1.0/24")]),
        "Forbidden.SourceVSwitchId.Duplicated"
    );
    let listed = ok(&c, "DescribeSnatTableEntries", &[("SnatTableId", &gw.stb), ("SnatEntryId", &e)]);
    let item = &listed["SnatTableEntries"]["SnatTableEntry"][0];
    assert_eq!((item["SnatIp"].as_str(), item["SourceCIDR"].as_str()), (Some(both.as_str()), Some("192.168.1.0/24")));
    assert_eq!(code(&c, "DescribeSnatTableEntries", &[("SnatTableId", "stb-x")]), "InvalidSnatTableId.NotFound");
    // An address serves SNAT or DNAT, not both.
    dnat(&c, &gw, &ips[2], "22", "192.168.1.5", "22", "TCP").expect("dnat");
    assert_eq!(create(&[("SnatIp", &ips[2]), ("SourceCIDR", "192.168.9.0/24")]), "Forbidden.IpUsedInForwardTable");
    let (code_, msg) =
        message(&c, "ModifySnatEntry", &[("SnatTableId", &gw.stb), ("SnatEntryId", &e), ("SnatIp", &ips[2])]);
    assert_eq!(
        (code_.as_str(), msg.as_str()),
        ("Forbidden.IpUsedInForwardTable", "The specified SnatIp already used in forward table")
    );
    let modify = |entry: &str, ip: &str| {
        code(&c, "ModifySnatEntry", &[("SnatTableId", &gw.stb), ("SnatEntryId", entry), ("SnatIp", ip)])
    };
    assert_eq!(modify("snat-x", &ips[0]), "InvalidSnatEntryId.NotFound");
    assert_eq!(modify(&e, "x"), "InvalidSnatIp.Malformed");
    assert_eq!(modify(&e, "198.51.100.7"), "InvalidSnatIp.NotFound");
    assert_eq!(
        code(&c, "ModifySnatEntry", &[("SnatTableId", "stb-x"), ("SnatEntryId", &e), ("SnatIp", &ips[0])]),
        "InvalidSnatTableId.NotFound"
    );
    ok(&c, "ModifySnatEntry", &[("SnatTableId", &gw.stb), ("SnatEntryId", &e), ("SnatIp", &ips[1])]);
    // Quotas: entries per table, addresses per entry.
    c.set_quotas(
        Some(ACCOUNT),
        json!({ "snat_entries_per_table": 1, "snat_ips_per_entry": 1 }).as_object().unwrap_or(&Map::new()),
    )
    .ok();
    assert_eq!(create(&[("SnatIp", &both), ("SourceCIDR", "192.168.9.0/24")]), "SNAT_IP_POOL_COUNT_TOO_MANY");
    assert_eq!(create(&[("SnatIp", &ips[0]), ("SourceCIDR", "192.168.9.0/24")]), "Forbidden.SnatEntryCountLimited");
    let delete =
        |table: &str, entry: &str| code(&c, "DeleteSnatEntry", &[("SnatTableId", table), ("SnatEntryId", entry)]);
    assert_eq!(delete(&gw.stb, "snat-x"), "InvalidSnatEntryId.NotFound");
    assert_eq!(delete("stb-x", &e), "InvalidSnatTableId.NotFound");
    ok(&c, "DeleteSnatEntry", &[("SnatTableId", &gw.stb), ("SnatEntryId", &e)]);
}

#[test]
fn entries_in_transition_block_changes() {
    let c = cloud(1000);
    let vpc = id(&ok(&c, "CreateVpc", &[("CidrBlock", "192.168.0.0/16")]), "VpcId");
    c.clock.advance_ms(1000);
    let vsw = ok(&c, "CreateVSwitch", &[("VpcId", &vpc), ("CidrBlock", "192.168.1.0/24"), ("ZoneId", "cn-hangzhou-b")]);
    let vsw = id(&vsw, "VSwitchId");
    c.clock.advance_ms(1000);
    let out = ok(&c, "CreateNatGateway", &[("VpcId", &vpc), ("BandwidthPackage.1.IpCount", "3")]);
    let gw = Gw {
        vpc,
        vsw,
        id: id(&out, "NatGatewayId"),
        stb: first(&out, "SnatTableIds", "SnatTableId"),
        ftb: first(&out, "ForwardTableIds", "ForwardTableId"),
    };
    let ips = package_ips(&c, &first(&out, "BandwidthPackageIds", "BandwidthPackageId"));
    let s = snat(&c, &gw, &ips[0], ("SourceVSwitchId", &gw.vsw)).expect("snat");
    assert_eq!(
        code(&c, "DeleteSnatEntry", &[("SnatTableId", &gw.stb), ("SnatEntryId", &s)]),
        "IncorretSnatEntryStatus"
    );
    assert_eq!(
        code(&c, "ModifySnatEntry", &[("SnatTableId", &gw.stb), ("SnatEntryId", &s), ("SnatIp", &ips[1])]),
        "IncorretSnatEntryStatus"
    );
    let f = dnat(&c, &gw, &ips[2], "80", "192.168.1.4", "80", "TCP").expect("dnat");
    assert_eq!(dnat(&c, &gw, &ips[2], "81", "192.168.1.4", "81", "TCP"), Err("IncorretForwardEntryStatus".into()));
    let fwd = |action: &str| code(&c, action, &[("ForwardTableId", &gw.ftb), ("ForwardEntryId", &f)]);
    assert_eq!(fwd("DeleteForwardEntry"), "IncorretForwardEntryStatus");
    assert_eq!(fwd("ModifyForwardEntry"), "IncorretForwardEntryStatus");
    let listed = ok(&c, "DescribeForwardTableEntries", &[("ForwardTableId", &gw.ftb)]);
    assert_eq!(listed["ForwardTableEntries"]["ForwardTableEntry"][0]["Status"], "Pending");
    c.clock.advance_ms(1000);
    ok(&c, "ModifyForwardEntry", &[("ForwardTableId", &gw.ftb), ("ForwardEntryId", &f), ("InternalPort", "8080")]);
    let listed = ok(&c, "DescribeForwardTableEntries", &[("ForwardTableId", &gw.ftb)]);
    assert_eq!(listed["ForwardTableEntries"]["ForwardTableEntry"][0]["Status"], "Modifying");
    c.clock.advance_ms(1000);
    ok(&c, "DeleteForwardEntry", &[("ForwardTableId", &gw.ftb), ("ForwardEntryId", &f)]);
}

#[test]
fn dnat_entries_follow_the_address_port_and_uniqueness_rules() {
    let c = cloud(0);
    let gw = gateway(&c, &[]);
    let (_, ips) = package(&c, &gw, "2");
    let eip_elsewhere = ok(&c, "AllocateEipAddress", &[])["EipAddress"].as_str().unwrap_or_default().to_string();
    let create =
        |ext: &str, ep: &str, int: &str, ip: &str, proto: &str| dnat(&c, &gw, ext, ep, int, ip, proto).map(|_| ());
    let err = |s: &str| Err::<(), String>(s.into());
    assert_eq!(
        code(
            &c,
            "CreateForwardEntry",
            &[
                ("ForwardTableId", "ftb-x"),
                ("ExternalIp", &ips[0]),
                ("ExternalPort", "1"),
                ("InternalIp", "192.168.1.2"),
                ("InternalPort", "1"),
                ("IpProtocol", "TCP")
            ]
        ),
        "InvalidForwardTableId.NotFound"
    );
    assert_eq!(create("1.2.3", "80", "192.168.1.2", "80", "TCP"), err("InvalidExternalIp.Malformed"));
    assert_eq!(create(&ips[0], "80", "192.168", "80", "TCP"), err("InvalidInternalIp.Malformed"));
    assert_eq!(create(&ips[0], "0", "192.168.1.2", "80", "TCP"), err("InvalidExternalPort.Malformed"));
    assert_eq!(create(&ips[0], "80", "192.168.1.2", "65536", "TCP"), err("InvalidInternalPort.Malformed"));
    assert_eq!(create(&ips[0], "80", "192.168.1.2", "80", "ICMP"), err("InvalidProtocal.ValueNotSupported"));
    assert_eq!(create(&ips[0], "any", "192.168.1.2", "80", "TCP"), err("InvalidExternalPort.Malformed"));
    assert_eq!(create(&ips[0], "80", "192.168.1.2", "any", "Any"), err("InvalidExternalPort.Malformed"));
    assert_eq!(create(&ips[0], "any", "192.168.1.2", "80", "Any"), err("InvalidInternalPort.Malformed"));
    assert_eq!(create(&ips[0], "80/90", "192.168.1.2", "80/85", "UDP"), err("InvalidInternalPort.Malformed"));
    assert_eq!(create("198.51.100.200", "80", "192.168.1.2", "80", "TCP"), err("InvalidExternalIp.NotFound"));
    assert_eq!(create(&eip_elsewhere, "80", "192.168.1.2", "80", "TCP"), err("InvalidIp.NotInNatgw"));
    assert_eq!(create(&ips[0], "80", "10.0.0.1", "80", "TCP"), err("Forbidden.DestnationIpOutOfVpcCIDR"));
    let named = [
        ("ForwardTableId", gw.ftb.as_str()),
        ("ExternalIp", &ips[0]),
        ("ExternalPort", "1"),
        ("InternalIp", "192.168.1.2"),
        ("InternalPort", "1"),
        ("IpProtocol", "TCP"),
        ("ForwardEntryName", "1"),
    ];
    assert_eq!(code(&c, "CreateForwardEntry", &named), "InvalidParameter.Name.Malformed");
    create(&ips[0], "80/90", "192.168.1.2", "8080/8090", "tcp").expect("a range");
    // The same external traffic, or the same internal traffic, is claimed once.
    assert_eq!(create(&ips[0], "85", "192.168.1.3", "85", "TCP"), err("Forbidden.Already.Bounded"));
    assert_eq!(create(&ips[1], "85", "192.168.1.2", "8085", "TCP"), err("Forbidden.Already.Bounded"));
    create(&ips[0], "85", "192.168.1.3", "85", "UDP").expect("another protocol");
    assert_eq!(create(&ips[0], "any", "192.168.1.9", "any", "Any"), err("Forbidden.Already.Bounded"));
    // An address of SNAT entries takes no DNAT entry.
    snat(&c, &gw, &ips[1], ("SourceVSwitchId", &gw.vsw)).expect("snat");
    assert_eq!(create(&ips[1], "22", "192.168.1.7", "22", "TCP"), err("Forbidden.ExternalIp.UsedInSnatTable"));
    // Describe, modify, delete.
    let listed = ok(&c, "DescribeForwardTableEntries", &[("ForwardTableId", &gw.ftb), ("PageSize", "1")]);
    assert_eq!(
        (listed["TotalCount"].as_u64(), listed["ForwardTableEntries"]["ForwardTableEntry"].as_array().map(Vec::len)),
        (Some(2), Some(1))
    );
    let first_entry = listed["ForwardTableEntries"]["ForwardTableEntry"][0].clone();
    assert_eq!(
        (first_entry["IpProtocol"].as_str(), first_entry["ExternalPort"].as_str()),
        (Some("tcp"), Some("80/90"))
    );
    let f = first_entry["ForwardEntryId"].as_str().unwrap_or_default().to_string();
    let (code_, msg) = message(&c, "DescribeForwardTableEntries", &[("ForwardTableId", "ftb-x")]);
    assert_eq!(
        (code_.as_str(), msg.as_str()),
        ("InvalidForwardTableId.NotFound", "Specified forwardTableId does not exist")
    );
    let modify = |extra: &[(&str, &str)]| {
        // The first value of a parameter wins: the overrides go first.
        let mut p = extra.to_vec();
        p.extend([("ForwardTableId", gw.ftb.as_str()), ("ForwardEntryId", f.as_str())]);
        code(&c, "ModifyForwardEntry", &p)
    };
    assert_eq!(modify(&[("ForwardEntryId", "fwd-x")]), "InvalidForwardEntryId.NotFound");
    assert_eq!(
        code(&c, "ModifyForwardEntry", &[("ForwardTableId", "ftb-x"), ("ForwardEntryId", &f)]),
        "InvalidForwardTableId.NotFound"
    );
    assert_eq!(modify(&[("ExternalIp", "1.2")]), "InvalidExternalIp.Malformed");
    assert_eq!(modify(&[("InternalIp", "1.2")]), "InvalidInternalIp.Malformed");
    assert_eq!(modify(&[("ExternalPort", "x")]), "InvalidExternalPort.Malformed");
    assert_eq!(modify(&[("InternalPort", "x")]), "InvalidInternalPort.Malformed");
    assert_eq!(modify(&[("IpProtocol", "gre")]), "InvalidProtocal.ValueNotSupported");
    assert_eq!(modify(&[("InternalIp", "10.1.1.1")]), "Forbidden.DestnationIpOutOfVpcCIDR");
    assert_eq!(modify(&[("ExternalIp", "198.51.100.200")]), "InvalidExternalIp.NotFound");
    assert_eq!(modify(&[("ExternalIp", &ips[1])]), "Forbidden.ExternalIp.UsedInSnatTable");
    assert_eq!(
        modify(&[
            ("InternalIp", "192.168.1.3"),
            ("InternalPort", "85/95"),
            ("IpProtocol", "UDP"),
            ("ExternalPort", "70/80")
        ]),
        "Forbidden.Already.Bounded"
    );
    ok(&c, "ModifyForwardEntry", &[("ForwardTableId", &gw.ftb), ("ForwardEntryId", &f), ("ExternalPort", "100/110")]);
    let delete = |table: &str, entry: &str| {
        code(&c, "DeleteForwardEntry", &[("ForwardTableId", table), ("ForwardEntryId", entry)])
    };
    assert_eq!(delete(&gw.ftb, "fwd-x"), "InvalidForwardEntryId.NotFound");
    assert_eq!(delete("ftb-x", &f), "InvalidForwardTableId.NotFound");
    ok(&c, "DeleteForwardEntry", &[("ForwardTableId", &gw.ftb), ("ForwardEntryId", &f)]);
    // 100 entries per table, a named quota.
    c.set_quotas(Some(ACCOUNT), json!({ "forward_entries_per_table": 1 }).as_object().unwrap_or(&Map::new()))
        .expect("quotas");
    assert_eq!(create(&ips[0], "1000", "192.168.1.20", "1000", "TCP"), err("QuotaExceeded"));
}

#[test]
fn instances_with_a_public_address_take_no_nat_entry() {
    let c = cloud(0);
    let gw = gateway(&c, &[]);
    let (_, ips) = package(&c, &gw, "2");
    let sg = id(&ok(&c, "CreateSecurityGroup", &[("VpcId", &gw.vpc)]), "SecurityGroupId");
    let run = ok(
        &c,
        "RunInstances",
        &[
            ("ImageId", "img"),
            ("InstanceType", "ecs.g6.large"),
            ("VSwitchId", &gw.vsw),
            ("SecurityGroupId", &sg),
            ("InternetMaxBandwidthOut", "5"),
        ],
    );
    let inst = run["InstanceIdSets"]["InstanceIdSet"][0].as_str().unwrap_or_default().to_string();
    let d = ok(&c, "Ecs:DescribeInstances", &[("InstanceIds", &format!("[\"{inst}\"]"))]);
    let private = d["Instances"]["Instance"][0]["VpcAttributes"]["PrivateIpAddress"]["IpAddress"][0]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(!private.is_empty(), "{d:?}");
    assert_eq!(dnat(&c, &gw, &ips[0], "80", &private, "80", "TCP"), Err("Forbindden".into()));
    assert_eq!(snat(&c, &gw, &ips[1], ("SourceCIDR", &format!("{private}/32"))), Err("Forbidden".into()));
    let f = dnat(&c, &gw, &ips[0], "80", "192.168.1.250", "80", "TCP").expect("dnat");
    assert_eq!(
        code(
            &c,
            "ModifyForwardEntry",
            &[("ForwardTableId", &gw.ftb), ("ForwardEntryId", &f), ("InternalIp", &private)]
        ),
        "Forbindden"
    );
}

/// One call of the property test: which action, on which addresses, sources and ports.
#[derive(Debug, Clone)]
enum Op {
    Snat { ip: usize, second: Option<usize>, source: usize },
    ModifySnat { entry: usize, ip: usize },
    DeleteSnat { entry: usize },
    Dnat { ext: usize, ext_port: u16, int: usize, int_port: u16, proto: usize },
    ModifyDnat { entry: usize, ext: Option<usize>, ext_port: Option<u16>, int_port: Option<u16> },
    DeleteDnat { entry: usize },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..4usize, proptest::option::of(0..4usize), 0..4usize).prop_map(|(ip, second, source)| Op::Snat {
            ip,
            second,
            source
        }),
        (0..8usize, 0..4usize).prop_map(|(entry, ip)| Op::ModifySnat { entry, ip }),
        (0..8usize).prop_map(|entry| Op::DeleteSnat { entry }),
        (0..4usize, 1..4u16, 0..3usize, 1..4u16, 0..3usize)
            .prop_map(|(ext, ext_port, int, int_port, proto)| Op::Dnat { ext, ext_port, int, int_port, proto }),
        (0..8usize, proptest::option::of(0..4usize), proptest::option::of(1..4u16), proptest::option::of(1..4u16))
            .prop_map(|(entry, ext, ext_port, int_port)| Op::ModifyDnat { entry, ext, ext_port, int_port }),
        (0..8usize).prop_map(|entry| Op::DeleteDnat { entry }),
    ]
}

fn list(c: &Cloud, action: &str, table_param: &str, table: &str, outer: &str, inner: &str) -> Vec<Value> {
    let out = ok(c, action, &[(table_param, table), ("PageSize", "50")]);
    out[outer][inner].as_array().cloned().unwrap_or_default()
}

fn port_range(p: &str) -> (u16, u16) {
    acs_api::validate::parse_port(p).unwrap_or((0, 0))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]
    #[test]
    fn snat_and_dnat_rules_hold_under_any_sequence(ops in proptest::collection::vec(op(), 1..30)) {
        let c = cloud(0);
        let gw = gateway(&c, &[]);
        let (_, ips) = package(&c, &gw, "4");
        let sources = ["192.168.1.0/24", "192.168.2.0/24", "192.168.3.0/25", "192.168.3.128/25"];
        let internals = ["192.168.1.10", "192.168.1.11", "192.168.2.12"];
        let protos = ["TCP", "UDP", "Any"];
        for op in ops {
            let snats = list(&c, "DescribeSnatTableEntries", "SnatTableId", &gw.stb, "SnatTableEntries", "SnatTableEntry");
            let dnats = list(&c, "DescribeForwardTableEntries", "ForwardTableId", &gw.ftb, "ForwardTableEntries", "ForwardTableEntry");
            let pick = |items: &[Value], n: usize, key: &str| items.get(n % items.len().max(1)).and_then(|v| v[key].as_str()).unwrap_or("none").to_string();
            let _ = match op {
                Op::Snat { ip, second, source } => {
                    let mut addrs = ips[ip].clone();
                    if let Some(s) = second { addrs = format!("{addrs},{}", ips[s]); }
                    call(&c, "CreateSnatEntry", &[("SnatTableId", &gw.stb), ("SnatIp", &addrs), ("SourceCIDR", sources[source])]).map(|_| ())
                }
                Op::ModifySnat { entry, ip } => call(&c, "ModifySnatEntry", &[("SnatTableId", &gw.stb), ("SnatEntryId", &pick(&snats, entry, "SnatEntryId")), ("SnatIp", &ips[ip])]).map(|_| ()),
                Op::DeleteSnat { entry } => call(&c, "DeleteSnatEntry", &[("SnatTableId", &gw.stb), ("SnatEntryId", &pick(&snats, entry, "SnatEntryId"))]).map(|_| ()),
                Op::Dnat { ext, ext_port, int, int_port, proto } => {
                    let (ep, ip) = if proto == 2 { ("any".to_string(), "any".to_string()) } else { (ext_port.to_string(), int_port.to_string()) };
                    call(&c, "CreateForwardEntry", &[("ForwardTableId", &gw.ftb), ("ExternalIp", &ips[ext]), ("ExternalPort", &ep), ("InternalIp", internals[int]), ("InternalPort", &ip), ("IpProtocol", protos[proto])]).map(|_| ())
                }
                Op::ModifyDnat { entry, ext, ext_port, int_port } => {
                    let mut p = vec![("ForwardTableId", gw.ftb.clone()), ("ForwardEntryId", pick(&dnats, entry, "ForwardEntryId"))];
                    if let Some(e) = ext { p.push(("ExternalIp", ips[e].clone())); }
                    if let Some(e) = ext_port { p.push(("ExternalPort", e.to_string())); }
                    if let Some(e) = int_port { p.push(("InternalPort", e.to_string())); }
                    let p: Vec<(&str, &str)> = p.iter().map(|(k, v)| (*k, v.as_str())).collect();
                    call(&c, "ModifyForwardEntry", &p).map(|_| ())
                }
                Op::DeleteDnat { entry } => call(&c, "DeleteForwardEntry", &[("ForwardTableId", &gw.ftb), ("ForwardEntryId", &pick(&dnats, entry, "ForwardEntryId"))]).map(|_| ()),
            };
            // After every call, accepted or refused:
            let snats = list(&c, "DescribeSnatTableEntries", "SnatTableId", &gw.stb, "SnatTableEntries", "SnatTableEntry");
            let dnats = list(&c, "DescribeForwardTableEntries", "ForwardTableId", &gw.ftb, "ForwardTableEntries", "ForwardTableEntry");
            let snat_ips: Vec<String> = snats.iter().flat_map(|e| e["SnatIp"].as_str().unwrap_or_default().split(',').map(str::to_string).collect::<Vec<_>>()).collect();
            // no address serves both SNAT and DNAT, and every address is the gateway's;
            for d in &dnats {
                let ext = d["ExternalIp"].as_str().unwrap_or_default();
                prop_assert!(!snat_ips.iter().any(|s| s == ext), "{ext} in SNAT and DNAT");
                prop_assert!(ips.iter().any(|i| i == ext));
            }
            prop_assert!(snat_ips.iter().all(|s| ips.contains(s)));
            // no two SNAT entries share a source;
            let mut seen: Vec<&str> = snats.iter().map(|e| e["SourceCIDR"].as_str().unwrap_or_default()).collect();
            seen.sort_unstable();
            let n = seen.len();
            seen.dedup();
            prop_assert_eq!(seen.len(), n, "duplicate SNAT sources");
            // no two DNAT entries claim the same external or internal traffic.
            for (i, a) in dnats.iter().enumerate() {
                for b in &dnats[i + 1..] {
                    let protos = a["IpProtocol"] == b["IpProtocol"] || a["IpProtocol"] == "any" || b["IpProtocol"] == "any";
                    let overlap = |x: &Value, y: &Value| {
                        let (p, q) = (port_range(x.as_str().unwrap_or_default()), port_range(y.as_str().unwrap_or_default()));
                        p == (0, 0) || q == (0, 0) || (p.0 <= q.1 && q.0 <= p.1)
                    };
                    prop_assert!(!(protos && a["ExternalIp"] == b["ExternalIp"] && overlap(&a["ExternalPort"], &b["ExternalPort"])), "external clash {a} {b}");
                    prop_assert!(!(protos && a["InternalIp"] == b["InternalIp"] && overlap(&a["InternalPort"], &b["InternalPort"])), "internal clash {a} {b}");
                }
            }
        }
    }
}
