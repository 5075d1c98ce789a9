//! The rules of VPN gateways (chapter 15): gateways and their status, billing and protections;
//! customer gateways; IPsec connections with IkeConfig/IpsecConfig (and a property test of
//! their decoder); VPN routes published to the VPC; SSL-VPN servers and client certificates.

mod common;

use acs_api::{decode, Api, Value as Param};
use acs_cloud::Cloud;
use common::{call, cloud, code, id, ok, ACCOUNT};
use proptest::prelude::*;
use serde_json::Value;

const DAY_MS: i64 = 24 * 3_600_000;

fn vpc(c: &Cloud) -> String {
    let vpc = id(&ok(c, "CreateVpc", &[("CidrBlock", "10.0.0.0/16")]), "VpcId");
    ok(c, "CreateVSwitch", &[("VpcId", &vpc), ("CidrBlock", "10.0.1.0/24"), ("ZoneId", "cn-hangzhou-b")]);
    vpc
}

fn gateway(c: &Cloud, vpc: &str, extra: &[(&str, &str)]) -> String {
    let mut params = vec![("VpcId", vpc), ("Bandwidth", "10")];
    params.extend_from_slice(extra);
    id(&ok(c, "CreateVpnGateway", &params), "VpnGatewayId")
}

fn describe_gw(c: &Cloud, gw: &str) -> serde_json::Map<String, Value> {
    ok(c, "DescribeVpnGateway", &[("VpnGatewayId", gw)])
}

fn cgw(c: &Cloud, ip: &str) -> String {
    id(&ok(c, "CreateCustomerGateway", &[("IpAddress", ip)]), "CustomerGatewayId")
}

fn connection(c: &Cloud, gw: &str, cgw: &str, extra: &[(&str, &str)]) -> Result<String, String> {
    // The first value of a parameter wins: the overrides go first.
    let mut params = extra.to_vec();
    params.extend([
        ("VpnGatewayId", gw),
        ("CustomerGatewayId", cgw),
        ("LocalSubnet", "10.0.0.0/16"),
        ("RemoteSubnet", "192.168.0.0/16"),
    ]);
    call(c, "CreateVpnConnection", &params).map(|b| id(&b, "VpnConnectionId")).map_err(|e| e.code.into_owned())
}

#[test]
fn gateways_show_their_spec_and_features_and_take_a_public_address() {
    let c = cloud(0);
    let v = vpc(&c);
    assert_eq!(code(&c, "CreateVpnGateway", &[("VpcId", &v), ("Bandwidth", "15")]), "InvalidParameter");
    assert_eq!(code(&c, "CreateVpnGateway", &[("VpcId", "vpc-none"), ("Bandwidth", "5")]), "InvalidVpcId.NotFound");
    assert_eq!(code(&c, "CreateVpnGateway", &[("VpcId", &v), ("Bandwidth", "5"), ("Name", "1x")]), "InvalidName");
    let gw = gateway(&c, &v, &[("EnableSsl", "true"), ("SslConnections", "10")]);
    let d = describe_gw(&c, &gw);
    assert_eq!(d["Spec"], "10M");
    assert_eq!((d["IpsecVpn"].as_str(), d["SslVpn"].as_str()), (Some("enable"), Some("enable")));
    assert_eq!(d["SslMaxConnections"], 10);
    assert_eq!(d["Status"], "active");
    assert_eq!(d["BusinessStatus"], "Normal");
    assert_eq!(d["Name"], gw.as_str(), "the name defaults to the id");
    let ip: std::net::Ipv4Addr = d["InternetIp"].as_str().unwrap_or_default().parse().expect("an address");
    assert!([[192, 0, 2], [198, 51, 100], [203, 0, 113]].contains(&[ip.octets()[0], ip.octets()[1], ip.octets()[2]]));
    assert_eq!(code(&c, "CreateVpnGateway", &[("VpcId", &v), ("Bandwidth", "5")]), "Resource.QuotaFull", "one per VPC");
    assert_eq!(code(&c, "DeleteVpc", &[("VpcId", &v)]), "DependencyViolation.Tunnel");
    let m = ok(
        &c,
        "ModifyVpnGatewayAttribute",
        &[("VpnGatewayId", &gw), ("Name", "gw-a"), ("Description", "Main gateway")],
    );
    assert_eq!((m["Name"].as_str(), m["Description"].as_str()), (Some("gw-a"), Some("Main gateway")));
    assert_eq!(
        code(&c, "ModifyVpnGatewayAttribute", &[("VpnGatewayId", &gw), ("Description", "x")]),
        "InvalidDescription"
    );
    let listed = ok(&c, "DescribeVpnGateways", &[("VpcId", &v), ("Status", "active")]);
    assert_eq!(listed["TotalCount"], 1);
    ok(&c, "DeleteVpnGateway", &[("VpnGatewayId", &gw)]);
    assert_eq!(code(&c, "DescribeVpnGateway", &[("VpnGatewayId", &gw)]), "InvalidVpnGatewayInstanceId.NotFound");
    assert_eq!(code(&c, "DeleteVpc", &[("VpcId", &v)]), "DependencyViolation.VSwitch", "the gateway no longer objects");
}

#[test]
fn gateways_configure_during_the_transition() {
    let c = cloud(1_000);
    let v = id(&ok(&c, "CreateVpc", &[("CidrBlock", "10.0.0.0/16")]), "VpcId");
    c.clock.advance_ms(1_000);
    let gw = gateway(&c, &v, &[]);
    assert_eq!(describe_gw(&c, &gw)["Status"], "provisioning");
    let cg = cgw(&c, "8.8.8.8");
    assert_eq!(connection(&c, &gw, &cg, &[]).unwrap_err(), "VpnGateway.Configuring");
    assert_eq!(code(&c, "DeleteVpnGateway", &[("VpnGatewayId", &gw)]), "VpnGateway.Configuring");
    c.clock.advance_ms(1_000);
    let vco = connection(&c, &gw, &cg, &[]).expect("active");
    assert_eq!(describe_gw(&c, &gw)["Status"], "updating", "a new connection reconfigures the gateway");
    assert_eq!(code(&c, "DeleteVpnConnection", &[("VpnConnectionId", &vco)]), "VpnGateway.Configuring");
    c.clock.advance_ms(1_000);
    assert_eq!(describe_gw(&c, &gw)["Status"], "active");
    acs_cloud::billing::set_state(&c, ACCOUNT, None, Some(true)).expect("overdue");
    assert_eq!(describe_gw(&c, &gw)["BusinessStatus"], "FinancialLocked");
    assert_eq!(code(&c, "ModifyVpnConnectionAttribute", &[("VpnConnectionId", &vco)]), "VpnGateway.FinancialLocked");
    ok(&c, "DeleteVpnConnection", &[("VpnConnectionId", &vco)]);
}

#[test]
fn subscriptions_are_ordered_paid_and_kept_until_expiry() {
    let c = cloud(0);
    let v = vpc(&c);
    assert_eq!(
        code(&c, "CreateVpnGateway", &[("VpcId", &v), ("Bandwidth", "5"), ("InstanceChargeType", "PREPAY")]),
        "MissingPeriod"
    );
    assert_eq!(
        code(
            &c,
            "CreateVpnGateway",
            &[("VpcId", &v), ("Bandwidth", "5"), ("InstanceChargeType", "PREPAY"), ("Period", "10")]
        ),
        "InvalidParameter"
    );
    let created = ok(
        &c,
        "CreateVpnGateway",
        &[("VpcId", &v), ("Bandwidth", "5"), ("InstanceChargeType", "PREPAY"), ("Period", "1")],
    );
    let gw = id(&created, "VpnGatewayId");
    let order = created["OrderId"].as_i64().expect("an order").to_string();
    assert_eq!(describe_gw(&c, &gw)["Status"], "init", "unpaid");
    acs_cloud::billing::pay_order(&c, ACCOUNT, &order).expect("paid");
    let d = describe_gw(&c, &gw);
    assert_eq!((d["Status"].as_str(), d["ChargeType"].as_str()), (Some("active"), Some("Prepay")));
    assert_eq!(code(&c, "DeleteVpnGateway", &[("VpnGatewayId", &gw)]), "ForbiddenRelease");
    c.clock.advance_ms(31 * DAY_MS);
    ok(&c, "DeleteVpnGateway", &[("VpnGatewayId", &gw)]);
    let auto = ok(
        &c,
        "CreateVpnGateway",
        &[("VpcId", &v), ("Bandwidth", "5"), ("InstanceChargeType", "PrePaid"), ("Period", "12"), ("AutoPay", "true")],
    );
    assert_eq!(describe_gw(&c, &id(&auto, "VpnGatewayId"))["Status"], "active", "paid at once");
}

#[test]
fn customer_gateways_take_unique_public_addresses() {
    let c = cloud(0);
    for bad in
        ["10.0.0.1", "127.0.0.1", "224.0.0.1", "0.0.0.0", "255.255.255.255", "300.1.1.1", "a.b.c.d", "100.64.0.1"]
    {
        assert_eq!(code(&c, "CreateCustomerGateway", &[("IpAddress", bad)]), "InvalidIpAddress.WrongFormat", "{bad}");
    }
    let a = ok(
        &c,
        "CreateCustomerGateway",
        &[("IpAddress", "8.8.8.8"), ("Name", "office"), ("Description", "Head office")],
    );
    assert_eq!((a["IpAddress"].as_str(), a["Name"].as_str()), (Some("8.8.8.8"), Some("office")));
    assert_eq!(code(&c, "CreateCustomerGateway", &[("IpAddress", "8.8.8.8")]), "InvalidIpAddress.AlreadyExist");
    assert_eq!(code(&c, "CreateCustomerGateway", &[("IpAddress", "8.8.4.4"), ("Name", "-x")]), "InvalidName");
    assert_eq!(
        code(&c, "CreateCustomerGateway", &[("IpAddress", "8.8.4.4"), ("Description", "1")]),
        "InvalidDescription"
    );
    let cg = id(&a, "CustomerGatewayId");
    let m = ok(&c, "ModifyCustomerGatewayAttribute", &[("CustomerGatewayId", &cg), ("Name", "branch")]);
    assert_eq!(m["Name"], "branch");
    assert_eq!(ok(&c, "DescribeCustomerGateways", &[("CustomerGatewayId", &cg)])["TotalCount"], 1);
    let v = vpc(&c);
    let gw = gateway(&c, &v, &[]);
    let vco = connection(&c, &gw, &cg, &[]).expect("connection");
    assert_eq!(code(&c, "DeleteCustomerGateway", &[("CustomerGatewayId", &cg)]), "DependencyViolation.VpnConnection");
    assert_eq!(code(&c, "DeleteVpnGateway", &[("VpnGatewayId", &gw)]), "DependencyViolation.VpnConnection");
    ok(&c, "DeleteVpnConnection", &[("VpnConnectionId", &vco)]);
    ok(&c, "DeleteCustomerGateway", &[("CustomerGatewayId", &cg)]);
    assert_eq!(
        code(&c, "DescribeCustomerGateway", &[("CustomerGatewayId", &cg)]),
        "InvalidCustomerGatewayInstanceId.NotFound"
    );
}

#[test]
fn ipsec_connections_fill_and_echo_their_configuration() {
    let c = cloud(0);
    let v = vpc(&c);
    let gw = gateway(&c, &v, &[]);
    let gw_ip = describe_gw(&c, &gw)["InternetIp"].clone();
    let cg = cgw(&c, "8.8.8.8");
    let vco = connection(&c, &gw, &cg, &[("IkeConfig", r#"{"IkeVersion":"ikev2","Psk":"secret"}"#)]).expect("created");
    let d = ok(&c, "DescribeVpnConnection", &[("VpnConnectionId", &vco)]);
    let ike = &d["IkeConfig"];
    assert_eq!((ike["IkeVersion"].as_str(), ike["Psk"].as_str()), (Some("ikev2"), Some("secret")));
    assert_eq!(
        (ike["IkeMode"].as_str(), ike["IkeEncAlg"].as_str(), ike["IkeAuthAlg"].as_str()),
        (Some("main"), Some("aes"), Some("sha1"))
    );
    assert_eq!((ike["IkePfs"].as_str(), ike["IkeLifetime"].as_i64()), (Some("group2"), Some(86_400)));
    assert_eq!(ike["LocalId"], gw_ip);
    assert_eq!(ike["RemoteId"], "8.8.8.8");
    assert_eq!(d["IpsecConfig"]["IpsecPfs"], "group2");
    assert_eq!(d["Status"], "ike_sa_not_established", "negotiation waits for traffic");
    assert_eq!(d["LocalSubnet"], "10.0.0.0/16");
    assert_eq!(connection(&c, &gw, &cg, &[]).unwrap_err(), "InvalidVpnConnection.AlreadyExists");
    let cg2 = cgw(&c, "8.8.4.4");
    for (param, bad) in [
        ("IkeConfig", "{not json"),
        ("IkeConfig", r#"{"IkeVersion":"ikev3"}"#),
        ("IkeConfig", r#"{"IkeLifetime":86401}"#),
        ("IpsecConfig", r#"{"IpsecAuthAlg":"sha256"}"#),
        ("IpsecConfig", "[1]"),
        ("LocalSubnet", "10.0.0.0/33"),
    ] {
        assert_eq!(connection(&c, &gw, &cg2, &[(param, bad)]).unwrap_err(), "InvalidParameter", "{param}={bad}");
    }
    let m = ok(
        &c,
        "ModifyVpnConnectionAttribute",
        &[
            ("VpnConnectionId", &vco),
            ("EffectImmediately", "true"),
            ("IpsecConfig", r#"{"IpsecLifetime":3600}"#),
            ("IkeConfig", "{}"),
        ],
    );
    assert_eq!(m["IpsecConfig"]["IpsecLifetime"], 3600);
    assert_eq!(m["IkeConfig"]["IkeVersion"], "ikev1", "a given object is complete: missing keys take the defaults");
    assert_eq!(m["IkeConfig"]["Psk"], "secret", "keys without a fixed default keep their values");
    let d = ok(&c, "DescribeVpnConnections", &[("VpnGatewayId", &gw)]);
    assert_eq!(d["VpnConnections"]["VpnConnection"][0]["Status"], "ipsec_sa_established");
    let cfg = ok(&c, "DownloadVpnConnectionConfig", &[("VpnConnectionId", &vco)]);
    let cfg = &cfg["VpnConnectionConfig"];
    assert_eq!((&cfg["Local"], cfg["Remote"].as_str()), (&gw_ip, Some("8.8.8.8")));
    assert_eq!(cfg["RemoteSubnet"], "192.168.0.0/16");
    assert_eq!(cfg["IkeConfig"]["Psk"], "secret");
    // IPsec disabled on the gateway.
    let v2 = id(&ok(&c, "CreateVpc", &[("CidrBlock", "172.16.0.0/16")]), "VpcId");
    let no_ipsec = gateway(&c, &v2, &[("EnableIpsec", "false")]);
    assert_eq!(connection(&c, &no_ipsec, &cg2, &[]).unwrap_err(), "VpnGateway.IpsecVpnDisabled");
    assert_eq!(connection(&c, "vpn-none", &cg2, &[]).unwrap_err(), "InvalidVpnGatewayInstanceId.NotFound");
    assert_eq!(connection(&c, &gw, "cgw-none", &[]).unwrap_err(), "InvalidCustomerGatewayInstanceId.NotFound");
    ok(&c, "DeleteVpnConnection", &[("VpnConnectionId", &vco)]);
    assert_eq!(
        code(&c, "DeleteVpnConnection", &[("VpnConnectionId", &vco)]),
        "InvalidVpnConnectionInstanceId.NotFound"
    );
}

fn vpc_routes_to(c: &Cloud, vpc: &str, gw: &str) -> Vec<String> {
    let tables = ok(c, "DescribeRouteTables", &[("VRouterId", "")]);
    let _ = tables;
    let listed = ok(c, "DescribeRouteTableList", &[("VpcId", vpc)]);
    let table =
        listed["RouterTableList"]["RouterTableListType"][0]["RouteTableId"].as_str().unwrap_or_default().to_string();
    let entries = ok(c, "DescribeRouteEntryList", &[("RouteTableId", &table)]);
    entries["RouteEntrys"]["RouteEntry"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter(|e| e["NextHops"]["NextHop"][0]["NextHopId"] == gw)
        .map(|e| e["DestinationCidrBlock"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn routes_are_published_into_the_vpc_route_table() {
    let c = cloud(0);
    let v = vpc(&c);
    let gw = gateway(&c, &v, &[]);
    let cg = cgw(&c, "8.8.8.8");
    let vco = connection(&c, &gw, &cg, &[]).expect("connection");
    let route = |dest: &str, weight: &str, publish: &str| {
        call(
            &c,
            "CreateVpnRouteEntry",
            &[
                ("VpnGatewayId", &gw),
                ("RouteDest", dest),
                ("NextHop", &vco),
                ("Weight", weight),
                ("PublishVpc", publish),
            ],
        )
        .map_err(|e| e.code.into_owned())
    };
    assert_eq!(route("192.168.0.0/24", "50", "false").unwrap_err(), "InvalidParameter", "weights are 0 or 100");
    assert_eq!(route("192.168.0.1/24", "0", "false").unwrap_err(), "InvalidRouteDest.Malformed");
    let created = route("192.168.0.0/24", "100", "false").expect("route");
    assert_eq!((created["State"].as_str(), created["VpnInstanceId"].as_str()), (Some("normal"), Some(gw.as_str())));
    assert_eq!(route("192.168.0.0/24", "100", "false").unwrap_err(), "InvalidVpnRouteEntry.AlreadyExists");
    assert!(vpc_routes_to(&c, &v, &gw).is_empty());
    let publish = |on: &str| {
        ok(
            &c,
            "PublishVpnRouteEntry",
            &[
                ("VpnGatewayId", &gw),
                ("RouteDest", "192.168.0.0/24"),
                ("NextHop", &vco),
                ("RouteType", "dbr"),
                ("PublishVpc", on),
            ],
        )
    };
    publish("true");
    assert_eq!(vpc_routes_to(&c, &v, &gw), ["192.168.0.0/24"]);
    let listed = ok(&c, "DescribeVpnRouteEntries", &[("VpnGatewayId", &gw)]);
    assert_eq!(listed["VpnRouteEntries"]["VpnRouteEntry"][0]["State"], "published");
    publish("false");
    assert!(vpc_routes_to(&c, &v, &gw).is_empty());
    route("172.20.0.0/16", "0", "true").expect("published at creation");
    assert_eq!(vpc_routes_to(&c, &v, &gw), ["172.20.0.0/16"]);
    // Policy routes: created, reweighted, deleted by their full key.
    let pbr = |action: &str, extra: &[(&str, &str)]| {
        let mut p = vec![
            ("VpnGatewayId", gw.as_str()),
            ("RouteSource", "10.0.0.0/24"),
            ("RouteDest", "192.168.5.0/24"),
            ("NextHop", vco.as_str()),
        ];
        p.extend_from_slice(extra);
        call(&c, action, &p).map_err(|e| e.code.into_owned())
    };
    pbr("CreateVpnPbrRouteEntry", &[("Weight", "0"), ("PublishVpc", "false")]).expect("pbr");
    assert_eq!(
        pbr("ModifyVpnPbrRouteEntryWeight", &[("Weight", "100"), ("NewWeight", "0")]).unwrap_err(),
        "InvalidVpnRouteEntry.NotFound"
    );
    pbr("ModifyVpnPbrRouteEntryWeight", &[("Weight", "0"), ("NewWeight", "100")]).expect("reweighted");
    assert_eq!(pbr("DeleteVpnPbrRouteEntry", &[("Weight", "0")]).unwrap_err(), "InvalidVpnRouteEntry.NotFound");
    pbr("DeleteVpnPbrRouteEntry", &[("Weight", "100")]).expect("deleted");
    let page = ok(&c, "DescribeVpnRouteEntries", &[("VpnGatewayId", &gw), ("PageSize", "1")]);
    assert_eq!(page["TotalCount"], 2);
    let del =
        &[("VpnGatewayId", gw.as_str()), ("RouteDest", "192.168.0.0/24"), ("NextHop", vco.as_str()), ("Weight", "100")];
    ok(&c, "DeleteVpnRouteEntry", del);
    assert_eq!(code(&c, "DeleteVpnRouteEntry", del), "InvalidVpnRouteEntry.NotFound");
    assert_eq!(route("10.9.0.0/16", "0", "false").map(|_| ()), Ok(()), "any destination that is not a vSwitch block");
    // Deleting the connection takes its routes, and their VPC entries, with it.
    ok(&c, "DeleteVpnConnection", &[("VpnConnectionId", &vco)]);
    assert!(vpc_routes_to(&c, &v, &gw).is_empty());
    assert_eq!(ok(&c, "DescribeVpnRouteEntries", &[("VpnGatewayId", &gw)])["TotalCount"], 0);
}

#[test]
fn ssl_vpn_servers_and_client_certificates() {
    let c = cloud(0);
    let v = vpc(&c);
    let plain = gateway(&c, &v, &[]);
    let server = |gw: &str, extra: &[(&str, &str)]| {
        let mut p = extra.to_vec();
        p.extend([("VpnGatewayId", gw), ("ClientIpPool", "192.168.100.0/24"), ("LocalSubnet", "10.0.0.0/16")]);
        call(&c, "CreateSslVpnServer", &p).map(|b| id(&b, "SslVpnServerId")).map_err(|e| e.code.into_owned())
    };
    assert_eq!(server(&plain, &[]).unwrap_err(), "VpnGateway.SslVpnDisabled");
    ok(&c, "DeleteVpnGateway", &[("VpnGatewayId", &plain)]);
    let gw = gateway(&c, &v, &[("EnableSsl", "true")]);
    assert_eq!(server(&gw, &[("ClientIpPool", "10.0.5.0/24")]).unwrap_err(), "InvalidParameter.ClientIpPoolConflict");
    assert_eq!(server(&gw, &[("Port", "443")]).unwrap_err(), "InvalidParameter.Port");
    assert_eq!(server(&gw, &[("Cipher", "AES-512-CBC")]).unwrap_err(), "InvalidParameter");
    assert_eq!(server(&gw, &[("ClientIpPool", "192.168.100.1/24")]).unwrap_err(), "InvalidParameter.ClientIpPool");
    let vss = server(&gw, &[("Name", "office")]).expect("server");
    assert_eq!(server(&gw, &[]).unwrap_err(), "Resource.QuotaFull", "one server per gateway");
    let s = &ok(&c, "DescribeSslVpnServers", &[("VpnGatewayId", &gw)])["SslVpnServers"]["SslVpnServer"][0];
    assert_eq!(
        (s["Cipher"].as_str(), s["Proto"].as_str(), s["Port"].as_i64()),
        (Some("AES-128-CBC"), Some("UDP"), Some(1194))
    );
    assert_eq!(
        (s["Compress"].as_bool(), s["Connections"].as_i64(), s["MaxConnections"].as_i64()),
        (Some(false), Some(0), Some(5))
    );
    let m = ok(
        &c,
        "ModifySslVpnServer",
        &[("SslVpnServerId", &vss), ("Proto", "TCP"), ("Port", "1195"), ("Compress", "true")],
    );
    assert_eq!(
        (m["Proto"].as_str(), m["Port"].as_i64(), m["Compress"].as_bool()),
        (Some("TCP"), Some(1195), Some(true))
    );
    assert_eq!(code(&c, "ModifySslVpnServer", &[("SslVpnServerId", &vss), ("Port", "4500")]), "InvalidParameter.Port");
    assert_eq!(code(&c, "DeleteVpnGateway", &[("VpnGatewayId", &gw)]), "DependencyViolation.SslVpnServer");
    let cert =
        id(&ok(&c, "CreateSslVpnClientCert", &[("SslVpnServerId", &vss), ("Name", "laptop")]), "SslVpnClientCertId");
    let status = |c: &Cloud| {
        ok(c, "DescribeSslVpnClientCerts", &[("SslVpnClientCertId", &cert)])["SslVpnClientCertKeys"]
            ["SslVpnClientCertKey"][0]["Status"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(status(&c), "normal");
    assert_eq!(code(&c, "DeleteSslVpnServer", &[("SslVpnServerId", &vss)]), "DependencyViolation.SslVpnClientCert");
    c.clock.advance_ms(3 * 365 * DAY_MS - 3 * DAY_MS);
    assert_eq!(status(&c), "expiring-soon");
    c.clock.advance_ms(4 * DAY_MS);
    assert_eq!(status(&c), "expired");
    assert_eq!(ok(&c, "ModifySslVpnClientCert", &[("SslVpnClientCertId", &cert), ("Name", "phone")])["Name"], "phone");
    let logs = ok(&c, "DescribeVpnSslServerLogs", &[("VpnSslServerId", &vss), ("PageSize", "5")]);
    assert_eq!(
        (logs["Count"].as_i64(), logs["IsCompleted"].as_bool(), logs["PageSize"].as_i64()),
        (Some(0), Some(true), Some(5))
    );
    ok(&c, "DeleteSslVpnClientCert", &[("SslVpnClientCertId", &cert)]);
    assert_eq!(
        code(&c, "DeleteSslVpnClientCert", &[("SslVpnClientCertId", &cert)]),
        "InvalidSslVpnClientCertId.NotFound"
    );
    ok(&c, "DeleteSslVpnServer", &[("SslVpnServerId", &vss)]);
    ok(&c, "DeleteVpnGateway", &[("VpnGatewayId", &gw)]);
}

fn ike_decode(raw: &str) -> Result<std::collections::BTreeMap<String, Param>, String> {
    config_decode("IkeConfig", raw)
}

fn ipsec_decode(raw: &str) -> Result<std::collections::BTreeMap<String, Param>, String> {
    config_decode("IpsecConfig", raw)
}

/// Decodes a CreateVpnConnection call whose `name` (IkeConfig or IpsecConfig) is `raw`.
fn config_decode(name: &str, raw: &str) -> Result<std::collections::BTreeMap<String, Param>, String> {
    let spec = Api::builtin().product("Vpc").and_then(|p| p.action("CreateVpnConnection")).expect("described");
    let wire: Vec<(String, String)> = [
        ("RegionId", "cn-hangzhou"),
        ("VpnGatewayId", "vpn-1"),
        ("CustomerGatewayId", "cgw-1"),
        ("LocalSubnet", "10.0.0.0/8"),
        ("RemoteSubnet", "192.168.0.0/16"),
        (name, raw),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let params = decode(spec, &wire).map_err(|e| e.code.into_owned())?;
    params.object(name).cloned().ok_or_else(|| "absent".to_string())
}

const VERSIONS: &[&str] = &["ikev1", "ikev2"];
const ALGS: &[&str] = &["aes", "aes192", "aes256", "des", "3des"];
const GROUPS: &[&str] = &["group1", "group2", "group5", "group14", "group24"];

proptest! {
    /// Any subset of valid keys decodes; the given values are kept and every missing key with a
    /// documented default gets it.
    #[test]
    fn valid_ike_objects_decode_with_defaults(
        version in proptest::option::of(proptest::sample::select(VERSIONS)),
        alg in proptest::option::of(proptest::sample::select(ALGS)),
        pfs in proptest::option::of(proptest::sample::select(GROUPS)),
        lifetime in proptest::option::of(0i64..=86_400),
        psk in proptest::option::of("[a-zA-Z0-9]{1,100}"),
    ) {
        let mut obj = serde_json::Map::new();
        if let Some(v) = version { obj.insert("IkeVersion".into(), v.into()); }
        if let Some(v) = alg { obj.insert("IkeEncAlg".into(), v.into()); }
        if let Some(v) = pfs { obj.insert("IkePfs".into(), v.into()); }
        if let Some(v) = lifetime { obj.insert("IkeLifetime".into(), v.into()); }
        if let Some(v) = &psk { obj.insert("Psk".into(), v.clone().into()); }
        let got = ike_decode(&Value::Object(obj).to_string()).expect("valid");
        prop_assert_eq!(got.get("IkeVersion"), Some(&Param::Str(version.unwrap_or("ikev1").into())));
        prop_assert_eq!(got.get("IkeEncAlg"), Some(&Param::Str(alg.unwrap_or("aes").into())));
        prop_assert_eq!(got.get("IkePfs"), Some(&Param::Str(pfs.unwrap_or("group2").into())));
        prop_assert_eq!(got.get("IkeLifetime"), Some(&Param::Int(lifetime.unwrap_or(86_400))));
        prop_assert_eq!(got.get("IkeMode"), Some(&Param::Str("main".into())));
        prop_assert_eq!(got.get("IkeAuthAlg"), Some(&Param::Str("sha1".into())));
        prop_assert_eq!(got.get("Psk").cloned(), psk.map(Param::Str));
    }

    /// A value outside its documented list or range, or text that is not a JSON object, is
    /// InvalidParameter.
    #[test]
    fn invalid_ike_objects_are_rejected(
        key in proptest::sample::select(&["IkeVersion", "IkeMode", "IkeEncAlg", "IkeAuthAlg", "IkePfs"][..]),
        value in "[a-z0-9]{1,8}",
        lifetime in prop_oneof![-100_000i64..0, 86_401i64..1_000_000],
        junk in "[^{]{1,20}",
    ) {
        let valid = VERSIONS.iter().chain(ALGS).chain(GROUPS).chain(&["main", "aggressive", "md5", "sha1"]).any(|v| *v == value);
        prop_assume!(!valid);
        let bad_value = serde_json::json!({ key: value }).to_string();
        prop_assert_eq!(ike_decode(&bad_value).unwrap_err(), "InvalidParameter");
        let bad_range = serde_json::json!({ "IkeLifetime": lifetime }).to_string();
        prop_assert_eq!(ike_decode(&bad_range).unwrap_err(), "InvalidParameter");
        prop_assert_eq!(ike_decode(&junk).unwrap_err(), "InvalidParameter");
    }
}

#[test]
fn route_entries_may_point_at_a_gateway_and_then_block_its_deletion() {
    let c = cloud(0);
    let v = vpc(&c);
    let gw = gateway(&c, &v, &[]);
    let listed = ok(&c, "DescribeRouteTableList", &[("VpcId", &v)]);
    let table =
        listed["RouterTableList"]["RouterTableListType"][0]["RouteTableId"].as_str().unwrap_or_default().to_string();
    let entry = |hop: &str| {
        call(
            &c,
            "CreateRouteEntry",
            &[
                ("RouteTableId", &table),
                ("DestinationCidrBlock", "172.31.0.0/16"),
                ("NextHopType", "VpnGateway"),
                ("NextHopId", hop),
            ],
        )
        .map(|b| id(&b, "RouteEntryId"))
        .map_err(|e| e.code.into_owned())
    };
    assert_eq!(entry("vpn-none").unwrap_err(), "InvalidNextHopId.NotFound");
    let rte = entry(&gw).expect("a route to the gateway");
    assert_eq!(code(&c, "DeleteVpnGateway", &[("VpnGatewayId", &gw)]), "DependencyViolation.RouteEntry");
    assert!(rte.starts_with("rte-"));
    ok(&c, "DeleteRouteEntry", &[("RouteTableId", &table), ("DestinationCidrBlock", "172.31.0.0/16")]);
    ok(&c, "DeleteVpnGateway", &[("VpnGatewayId", &gw)]);
}

proptest! {
    /// IpsecConfig: the given values are kept (numbers as JSON numbers or text), the rest
    /// defaulted; a value outside its list or range is InvalidParameter.
    #[test]
    fn ipsec_objects_decode_with_defaults_or_are_rejected(
        alg in proptest::option::of(proptest::sample::select(ALGS)),
        auth in proptest::option::of(proptest::sample::select(&["md5", "sha1"][..])),
        pfs in proptest::option::of(proptest::sample::select(GROUPS)),
        lifetime in proptest::option::of(0i64..=86_400),
        as_text in any::<bool>(),
        bad_lifetime in prop_oneof![i64::MIN / 2..0, 86_401i64..i64::MAX / 2],
        bad_alg in "[A-Z]{1,6}",
    ) {
        let mut obj = serde_json::Map::new();
        if let Some(v) = alg { obj.insert("IpsecEncAlg".into(), v.into()); }
        if let Some(v) = auth { obj.insert("IpsecAuthAlg".into(), v.into()); }
        if let Some(v) = pfs { obj.insert("IpsecPfs".into(), v.into()); }
        if let Some(v) = lifetime {
            obj.insert("IpsecLifetime".into(), if as_text { v.to_string().into() } else { v.into() });
        }
        let got = ipsec_decode(&Value::Object(obj).to_string()).expect("valid");
        prop_assert_eq!(got.get("IpsecEncAlg"), Some(&Param::Str(alg.unwrap_or("aes").into())));
        prop_assert_eq!(got.get("IpsecAuthAlg"), Some(&Param::Str(auth.unwrap_or("sha1").into())));
        prop_assert_eq!(got.get("IpsecPfs"), Some(&Param::Str(pfs.unwrap_or("group2").into())));
        prop_assert_eq!(got.get("IpsecLifetime"), Some(&Param::Int(lifetime.unwrap_or(86_400))));
        let bad = serde_json::json!({ "IpsecLifetime": bad_lifetime }).to_string();
        prop_assert_eq!(ipsec_decode(&bad).unwrap_err(), "InvalidParameter");
        let bad = serde_json::json!({ "IpsecEncAlg": bad_alg }).to_string();
        prop_assert_eq!(ipsec_decode(&bad).unwrap_err(), "InvalidParameter", "values are case-sensitive");
    }
}
