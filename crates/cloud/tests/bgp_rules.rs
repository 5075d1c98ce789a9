//! The rules of BGP on virtual border routers (VPC reference chapter 12, docs/express_connect/bgp.md):
//! groups, peers and advertised networks, their statuses and their documented errors.

mod common;

use acs_api::{ApiError, ErrorDef};
use acs_cloud::bgp;
use acs_cloud::Cloud;
use common::{call, cloud, code, id, ok};
use serde_json::{Map, Value};

/// The cloud's first Enabled physical connection, made on first use.
fn connection(c: &Cloud) -> String {
    let listed = ok(c, "DescribePhysicalConnections", &[]);
    let found = listed["PhysicalConnectionSet"]["PhysicalConnectionType"]
        .as_array()
        .and_then(|items| items.iter().find(|i| i["Status"] == "Enabled"))
        .and_then(|i| i["PhysicalConnectionId"].as_str().map(str::to_string));
    found.unwrap_or_else(|| common::enabled_physical_connection(c))
}

/// A VBR on VLAN `vlan` of an Enabled physical connection: local 10.0.<vlan>.1, peer
/// 10.0.<vlan>.2, /30.
fn vbr(c: &Cloud, vlan: u32) -> String {
    let pc = connection(c);
    let local = format!("10.0.{vlan}.1");
    let peer = format!("10.0.{vlan}.2");
    let vlan = vlan.to_string();
    let created = ok(
        c,
        "CreateVirtualBorderRouter",
        &[
            ("PhysicalConnectionId", &pc),
            ("VlanId", &vlan),
            ("LocalGatewayIp", &local),
            ("PeerGatewayIp", &peer),
            ("PeeringSubnetMask", "255.255.255.252"),
        ],
    );
    id(&created, "VbrId")
}

fn fails(c: &Cloud, action: &str, params: &[(&str, &str)], expected: ErrorDef) {
    match call(c, action, params) {
        Ok(v) => panic!("{action} succeeded: {v:?}"),
        Err(e) => assert_eq!(e, ApiError::from(expected), "{action} {params:?}"),
    }
}

fn group(c: &Cloud, vbr: &str) -> String {
    id(&ok(c, "CreateBgpGroup", &[("RouterId", vbr), ("PeerAsn", "65001")]), "BgpGroupId")
}

fn groups(c: &Cloud, params: &[(&str, &str)]) -> Vec<Map<String, Value>> {
    items(&ok(c, "DescribeBgpGroups", params), "BgpGroups", "BgpGroup")
}

fn peers(c: &Cloud, params: &[(&str, &str)]) -> Vec<Map<String, Value>> {
    items(&ok(c, "DescribeBgpPeers", params), "BgpPeers", "BgpPeer")
}

fn networks(c: &Cloud, params: &[(&str, &str)]) -> Vec<Map<String, Value>> {
    items(&ok(c, "DescribeBgpNetworks", params), "BgpNetworks", "BgpNetwork")
}

fn items(body: &Map<String, Value>, set: &str, item: &str) -> Vec<Map<String, Value>> {
    body[set][item].as_array().expect("a list").iter().filter_map(|v| v.as_object().cloned()).collect()
}

// --- groups -------------------------------------------------------------------------------------

#[test]
fn a_group_is_created_described_modified_and_deleted() {
    let c = cloud(0);
    let v = vbr(&c, 10);
    let created = ok(
        &c,
        "CreateBgpGroup",
        &[
            ("RouterId", &v),
            ("PeerAsn", "4200000001"),
            ("AuthKey", "!PWZ2wsq"),
            ("Name", "idc-1"),
            ("Description", "Beijing IDC"),
            ("IsFakeAsn", "true"),
        ],
    );
    let g = id(&created, "BgpGroupId");
    assert!(g.starts_with("bgpg-"), "{g}");
    let [item] = groups(&c, &[("BgpGroupId", &g)]).try_into().expect("one group");
    assert_eq!(item["RouterId"], v.as_str());
    assert_eq!(item["PeerAsn"], 4_200_000_001_i64);
    assert_eq!(item["LocalAsn"], 45104);
    assert_eq!(item["AuthKey"], "!PWZ2wsq");
    assert_eq!(item["Name"], "idc-1");
    assert_eq!(item["Description"], "Beijing IDC");
    assert_eq!(item["IsFake"], true);
    assert_eq!(item["Status"], "Available");
    assert_eq!(item["Hold"], 30);
    assert_eq!(item["Keepalive"], 10);
    assert_eq!(item["RegionId"], "cn-hangzhou");

    ok(&c, "ModifyBgpGroupAttribute", &[("BgpGroupId", &g), ("PeerAsn", "65010"), ("Name", "idc-2")]);
    let [item] = groups(&c, &[("BgpGroupId", &g)]).try_into().expect("one group");
    assert_eq!((item["PeerAsn"].clone(), item["Name"].clone()), (Value::from(65010), Value::from("idc-2")));
    assert_eq!(item["AuthKey"], "!PWZ2wsq", "untouched");
    ok(&c, "ModifyBgpGroupAttribute", &[("BgpGroupId", &g), ("ClearAuthKey", "true"), ("IsFakeAsn", "false")]);
    let [item] = groups(&c, &[("BgpGroupId", &g)]).try_into().expect("one group");
    assert_eq!((item["AuthKey"].clone(), item["IsFake"].clone()), (Value::from(""), Value::from(false)));

    ok(&c, "DeleteBgpGroup", &[("BgpGroupId", &g)]);
    assert!(groups(&c, &[]).is_empty());
    fails(&c, "DeleteBgpGroup", &[("BgpGroupId", &g)], bgp::GROUP_NOT_FOUND);
}

/// CreateBgpGroup on `vbr` with PeerAsn 65001 and `extra` (replacing parameters of the same name).
fn create_with(c: &Cloud, vbr: &str, extra: &[(&str, &str)]) -> Result<(), (u16, String, String)> {
    let mut p: Vec<(&str, &str)> = vec![("RouterId", vbr), ("PeerAsn", "65001")];
    for (k, val) in extra {
        p.retain(|(name, _)| name != k);
        p.push((k, val));
    }
    call(c, "CreateBgpGroup", &p).map(|_| ()).map_err(|e| (e.status, e.code.into_owned(), e.message.into_owned()))
}

#[test]
fn create_group_checks_its_parameters() {
    let c = cloud(0);
    let v = vbr(&c, 10);
    let with = |extra: &[(&str, &str)]| create_with(&c, &v, extra);
    let peer_asn = (400, "InvalidPeerAsn.Malformed".to_string(), bgp::PEER_ASN_MALFORMED.message.to_string());
    for asn in ["45104", "0", "4294967296", "AS65001"] {
        assert_eq!(with(&[("PeerAsn", asn)]), Err(peer_asn.clone()), "{asn}");
    }
    assert_eq!(with(&[("PeerAsn", "4294967295")]), Ok(()));
    assert_eq!(with(&[("PeerAsn", "1")]), Ok(()));
    let name = Err((400, "InvalidBgpName.Malformed".into(), "Specified Bgp Group name is not valid.".into()));
    for bad in ["1abc", "a", "http://x", "a b"] {
        assert_eq!(with(&[("Name", bad)]), name, "{bad}");
    }
    let description =
        Err((400, "InvalidBgpDescription.Malformed".into(), "Specified Bgp Group description is not valid.".into()));
    for bad in ["x", "https://example.com", "1st"] {
        assert_eq!(with(&[("Description", bad)]), description, "{bad}");
    }
    let key = Err((400, "InvalidBgpAuthkey.Malformed".into(), "Specified Bgp Group authkey is not valid.".into()));
    let long = "k".repeat(65);
    for bad in ["with space", "tab\tkey", "密钥", long.as_str()] {
        assert_eq!(with(&[("AuthKey", bad)]), key, "{bad:?}");
    }
    assert_eq!(with(&[("AuthKey", "!@#$%^&*()_+")]), Ok(()));
}

#[test]
fn create_group_needs_an_active_vbr_of_the_region() {
    let c = cloud(0);
    let v = vbr(&c, 10);
    fails(&c, "CreateBgpGroup", &[("PeerAsn", "65001")], bgp::ROUTER_ID_NULL);
    fails(&c, "CreateBgpGroup", &[("RouterId", "vbr-nope"), ("PeerAsn", "65001")], bgp::VBR_NETWORK_NOT_FOUND);
    fails(
        &c,
        "CreateBgpGroup",
        &[("RouterId", &v), ("PeerAsn", "65001"), ("RegionId", "cn-nowhere")],
        bgp::REGION_NOT_FOUND,
    );
    // Another region does not see the VBR.
    fails(
        &c,
        "CreateBgpGroup",
        &[("RouterId", &v), ("PeerAsn", "65001"), ("RegionId", "cn-shanghai")],
        bgp::VBR_NETWORK_NOT_FOUND,
    );
    ok(&c, "TerminateVirtualBorderRouter", &[("VbrId", &v)]);
    fails(&c, "CreateBgpGroup", &[("RouterId", &v), ("PeerAsn", "65001")], bgp::CANNOT_OPERATE);
    ok(&c, "RecoverVirtualBorderRouter", &[("VbrId", &v)]);
    group(&c, &v);
}

#[test]
fn a_vbr_holds_eight_groups() {
    let c = cloud(0);
    let v = vbr(&c, 10);
    let other = vbr(&c, 11);
    for _ in 0..bgp::GROUPS_PER_VBR.default {
        group(&c, &v);
    }
    fails(&c, "CreateBgpGroup", &[("RouterId", &v), ("PeerAsn", "65001")], bgp::BGP_QUOTA);
    group(&c, &other);
    assert_eq!(ok(&c, "DescribeBgpGroups", &[])["TotalCount"], 9);
    assert_eq!(ok(&c, "DescribeBgpGroups", &[("RouterId", &other)])["TotalCount"], 1);
    let page = ok(&c, "DescribeBgpGroups", &[("PageSize", "4"), ("PageNumber", "3")]);
    assert_eq!((page["TotalCount"].clone(), page["PageNumber"].clone()), (Value::from(9), Value::from(3)));
    assert_eq!(page["BgpGroups"]["BgpGroup"].as_array().map(Vec::len), Some(1));
    assert!(groups(&c, &[("IsDefault", "true")]).is_empty(), "no group is a default one");
    assert_eq!(groups(&c, &[("IsDefault", "false")]).len(), 9);
    fails(&c, "DescribeBgpGroups", &[("RegionId", "xx")], bgp::REGION_NOT_IN_RECORDS);
}

#[test]
fn modify_group_checks_like_create_with_its_own_codes() {
    let c = cloud(0);
    let v = vbr(&c, 10);
    let g = group(&c, &v);
    fails(&c, "ModifyBgpGroupAttribute", &[("BgpGroupId", "bgpg-nope")], bgp::GROUP_NOT_FOUND);
    fails(&c, "ModifyBgpGroupAttribute", &[("BgpGroupId", &g), ("PeerAsn", "45104")], bgp::PEER_ASN_MALFORMED);
    fails(&c, "ModifyBgpGroupAttribute", &[("BgpGroupId", &g), ("AuthKey", "a b")], bgp::AUTH_KEY_MALFORMED);
    assert_eq!(code(&c, "ModifyBgpGroupAttribute", &[("BgpGroupId", &g), ("Name", "9")]), "InvalidBgpName.Malformed");
    assert_eq!(
        code(&c, "ModifyBgpGroupAttribute", &[("BgpGroupId", &g), ("Description", "9")]),
        "InvalidBgpDiscription.Malformed",
        "the table's spelling"
    );
    ok(&c, "TerminateVirtualBorderRouter", &[("VbrId", &v)]);
    fails(&c, "ModifyBgpGroupAttribute", &[("BgpGroupId", &g), ("Name", "later")], bgp::CANNOT_OPERATE);
}

#[test]
fn groups_block_deleting_their_vbr_and_peers_block_deleting_their_group() {
    let c = cloud(0);
    let v = vbr(&c, 10);
    let g = group(&c, &v);
    let p = id(&ok(&c, "CreateBgpPeer", &[("BgpGroupId", &g)]), "BgpPeerId");
    fails(&c, "DeleteVirtualBorderRouter", &[("VbrId", &v)], bgp::VBR_HAS_GROUPS);
    fails(&c, "DeleteBgpGroup", &[("BgpGroupId", &g)], bgp::CANNOT_OPERATE);
    ok(&c, "DeleteBgpPeer", &[("BgpPeerId", &p)]);
    fails(&c, "DeleteBgpPeer", &[("BgpPeerId", &p)], bgp::VPC_NOT_FOUND);
    // A terminated VBR's BGP configuration can still be removed, then the VBR deleted.
    ok(&c, "TerminateVirtualBorderRouter", &[("VbrId", &v)]);
    ok(&c, "DeleteBgpGroup", &[("BgpGroupId", &g)]);
    ok(&c, "DeleteVirtualBorderRouter", &[("VbrId", &v)]);
}

// --- peers --------------------------------------------------------------------------------------

#[test]
fn a_peer_takes_the_peer_gateway_ip_of_a_single_link() {
    let c = cloud(0);
    let v = vbr(&c, 10);
    let g = group(&c, &v);
    let p = id(&ok(&c, "CreateBgpPeer", &[("BgpGroupId", &g), ("EnableBfd", "true")]), "BgpPeerId");
    assert!(p.starts_with("bgp-"), "{p}");
    let [item] = peers(&c, &[("BgpPeerId", &p)]).try_into().expect("one peer");
    assert_eq!(item["PeerIpAddress"], "10.0.10.2");
    assert_eq!(item["BgpGroupId"], g.as_str());
    assert_eq!(item["RouterId"], v.as_str());
    assert_eq!(item["PeerAsn"], 65001);
    assert_eq!(item["EnableBfd"], true);
    assert_eq!(item["Status"], "Available");
    assert_eq!(item["BgpStatus"], "Established");
    // The same address twice is refused; the VBR's own address is no peer.
    fails(&c, "CreateBgpPeer", &[("BgpGroupId", &g)], bgp::ALREADY_EXISTS);
    fails(&c, "CreateBgpPeer", &[("BgpGroupId", &g), ("PeerIpAddress", "10.0.10.1")], bgp::IP_MALFORMED);
    fails(&c, "CreateBgpPeer", &[("BgpGroupId", &g), ("PeerIpAddress", "10.0.10.300")], bgp::IP_MALFORMED);
    fails(&c, "CreateBgpPeer", &[("BgpGroupId", "bgpg-nope")], bgp::GROUP_NOT_FOUND);
    let other = group(&c, &v);
    fails(&c, "CreateBgpPeer", &[("BgpGroupId", &other), ("PeerIpAddress", "10.0.10.2")], bgp::ALREADY_EXISTS);
    ok(&c, "CreateBgpPeer", &[("BgpGroupId", &other), ("PeerIpAddress", "192.168.7.7")]);
    assert_eq!(peers(&c, &[("RouterId", &v)]).len(), 2);
    assert_eq!(peers(&c, &[("BgpGroupId", &other)]).len(), 1);
    assert!(peers(&c, &[("IsDefault", "true")]).is_empty());
}

#[test]
fn a_vbr_on_several_connections_needs_the_peer_address() {
    let c = cloud(0);
    let v = vbr(&c, 10);
    let second = common::enabled_physical_connection(&c);
    ok(
        &c,
        "AssociatePhysicalConnectionToVirtualBorderRouter",
        &[
            ("VbrId", &v),
            ("PhysicalConnectionId", &second),
            ("VlanId", "20"),
            ("LocalGatewayIp", "10.1.0.1"),
            ("PeerGatewayIp", "10.1.0.2"),
            ("PeeringSubnetMask", "255.255.255.252"),
        ],
    );
    let g = group(&c, &v);
    fails(&c, "CreateBgpPeer", &[("BgpGroupId", &g)], bgp::PEER_IP_NEEDED);
    fails(&c, "CreateBgpPeer", &[("BgpGroupId", &g), ("PeerIpAddress", "10.1.0.1")], bgp::IP_MALFORMED);
    ok(&c, "CreateBgpPeer", &[("BgpGroupId", &g), ("PeerIpAddress", "10.1.0.2")]);
}

#[test]
fn a_vbr_holds_eight_peers() {
    let c = cloud(0);
    let v = vbr(&c, 10);
    let a = group(&c, &v);
    let b = group(&c, &v);
    for i in 0..bgp::PEERS_PER_VBR.default {
        let g = if i % 2 == 0 { &a } else { &b };
        ok(&c, "CreateBgpPeer", &[("BgpGroupId", g), ("PeerIpAddress", &format!("172.16.0.{}", i + 1))]);
    }
    fails(&c, "CreateBgpPeer", &[("BgpGroupId", &a), ("PeerIpAddress", "172.16.1.1")], bgp::BGP_QUOTA);
    let page = ok(&c, "DescribeBgpPeers", &[("PageSize", "5"), ("PageNumber", "2")]);
    assert_eq!(page["TotalCount"], 8);
    assert_eq!(page["BgpPeers"]["BgpPeer"].as_array().map(Vec::len), Some(3));
}

#[test]
fn modify_peer_moves_it_changes_its_address_and_bfd() {
    let c = cloud(0);
    let v = vbr(&c, 10);
    let other_vbr = vbr(&c, 11);
    let a = group(&c, &v);
    let b = group(&c, &v);
    let foreign = group(&c, &other_vbr);
    let p = id(&ok(&c, "CreateBgpPeer", &[("BgpGroupId", &a)]), "BgpPeerId");
    ok(&c, "CreateBgpPeer", &[("BgpGroupId", &b), ("PeerIpAddress", "172.16.0.9")]);
    ok(
        &c,
        "ModifyBgpPeerAttribute",
        &[("BgpPeerId", &p), ("BgpGroupId", &b), ("PeerIpAddress", "172.16.0.1"), ("EnableBfd", "true")],
    );
    let [item] = peers(&c, &[("BgpPeerId", &p)]).try_into().expect("one peer");
    assert_eq!(item["BgpGroupId"], b.as_str());
    assert_eq!(item["PeerIpAddress"], "172.16.0.1");
    assert_eq!(item["EnableBfd"], true);
    // Group a lost its only peer: it can go.
    ok(&c, "DeleteBgpGroup", &[("BgpGroupId", &a)]);
    fails(&c, "ModifyBgpPeerAttribute", &[("BgpPeerId", "bgp-nope")], bgp::PEER_NOT_FOUND);
    fails(&c, "ModifyBgpPeerAttribute", &[("BgpPeerId", &p), ("BgpGroupId", &foreign)], bgp::GROUP_NOT_FOUND);
    fails(&c, "ModifyBgpPeerAttribute", &[("BgpPeerId", &p), ("BgpGroupId", "bgpg-nope")], bgp::GROUP_NOT_FOUND);
    fails(&c, "ModifyBgpPeerAttribute", &[("BgpPeerId", &p), ("PeerIpAddress", "172.16.0.9")], bgp::ALREADY_EXISTS);
    fails(&c, "ModifyBgpPeerAttribute", &[("BgpPeerId", &p), ("PeerIpAddress", "1.2.3")], bgp::IP_MALFORMED);
    fails(&c, "ModifyBgpPeerAttribute", &[("BgpPeerId", &p), ("RegionId", "nowhere")], bgp::REGION_NOT_IN_RECORDS);
    ok(&c, "ModifyBgpPeerAttribute", &[("BgpPeerId", &p), ("PeerIpAddress", "172.16.0.1")]);
}

// --- networks -----------------------------------------------------------------------------------

#[test]
fn networks_are_advertised_described_and_withdrawn() {
    let c = cloud(0);
    let v = vbr(&c, 10);
    let other = vbr(&c, 11);
    let vpc = id(&ok(&c, "CreateVpc", &[("CidrBlock", "192.168.0.0/16")]), "VpcId");
    ok(&c, "AddBgpNetwork", &[("RouterId", &v), ("DstCidrBlock", "192.168.1.0/24"), ("VpcId", &vpc)]);
    ok(&c, "AddBgpNetwork", &[("RouterId", &v), ("DstCidrBlock", "10.110.192.12/32")]);
    ok(&c, "AddBgpNetwork", &[("RouterId", &other), ("DstCidrBlock", "192.168.1.0/24")]);
    fails(&c, "AddBgpNetwork", &[("RouterId", &v), ("DstCidrBlock", "192.168.1.0/24")], bgp::ALREADY_EXISTS);
    fails(&c, "AddBgpNetwork", &[("RouterId", &v), ("DstCidrBlock", "192.168.1.1/24")], bgp::IP_MALFORMED);
    fails(&c, "AddBgpNetwork", &[("RouterId", &v), ("DstCidrBlock", "abc")], bgp::IP_MALFORMED);
    fails(&c, "AddBgpNetwork", &[("RouterId", "vbr-nope"), ("DstCidrBlock", "10.0.0.0/8")], bgp::VBR_NETWORK_NOT_FOUND);
    fails(
        &c,
        "AddBgpNetwork",
        &[("RouterId", &v), ("DstCidrBlock", "10.0.0.0/8"), ("VpcId", "vpc-nope")],
        bgp::VPC_NOT_FOUND,
    );
    fails(
        &c,
        "AddBgpNetwork",
        &[("RouterId", &v), ("DstCidrBlock", "10.0.0.0/8"), ("RegionId", "nowhere")],
        bgp::REGION_NOT_IN_RECORDS,
    );

    assert_eq!(networks(&c, &[]).len(), 3);
    let mine = networks(&c, &[("RouterId", &v)]);
    assert_eq!(mine.len(), 2);
    assert_eq!(mine[0]["DstCidrBlock"], "192.168.1.0/24");
    assert_eq!(mine[0]["VpcId"], vpc.as_str());
    assert_eq!(mine[0]["Status"], "Available");
    assert_eq!(mine[1]["VpcId"], "");
    assert_eq!(networks(&c, &[("DstCidrBlock", "192.168.1.0/24")]).len(), 2);
    let page = ok(&c, "DescribeBgpNetworks", &[("PageSize", "2"), ("PageNumber", "2")]);
    assert_eq!((page["TotalCount"].clone(), page["PageSize"].clone()), (Value::from(3), Value::from(2)));
    assert_eq!(page["BgpNetworks"]["BgpNetwork"].as_array().map(Vec::len), Some(1));

    // A peer counts the routes its VBR advertises.
    let g = group(&c, &v);
    ok(&c, "CreateBgpPeer", &[("BgpGroupId", &g)]);
    assert_eq!(peers(&c, &[])[0]["AdvertisedRouteCount"], 2);

    ok(&c, "DeleteBgpNetwork", &[("RouterId", &v), ("DstCidrBlock", "192.168.1.0/24")]);
    fails(&c, "DeleteBgpNetwork", &[("RouterId", &v), ("DstCidrBlock", "192.168.1.0/24")], bgp::VBR_NETWORK_NOT_FOUND);
    fails(
        &c,
        "DeleteBgpNetwork",
        &[("RouterId", "vbr-nope"), ("DstCidrBlock", "10.0.0.0/8")],
        bgp::VBR_NETWORK_NOT_FOUND,
    );
    fails(&c, "DeleteBgpNetwork", &[("RouterId", &v), ("DstCidrBlock", "10.0.0.1/8")], bgp::IP_MALFORMED);
    assert_eq!(networks(&c, &[("RouterId", &v)]).len(), 1);

    // A terminated VBR advertises nothing new; its networks go with it.
    ok(&c, "TerminateVirtualBorderRouter", &[("VbrId", &other)]);
    fails(&c, "AddBgpNetwork", &[("RouterId", &other), ("DstCidrBlock", "10.0.0.0/8")], bgp::CANNOT_OPERATE);
    ok(&c, "DeleteVirtualBorderRouter", &[("VbrId", &other)]);
    assert_eq!(networks(&c, &[]).len(), 1);
}

#[test]
fn a_vbr_advertises_fifty_networks() {
    let c = cloud(0);
    let v = vbr(&c, 10);
    for i in 0..bgp::NETWORKS_PER_VBR.default {
        ok(&c, "AddBgpNetwork", &[("RouterId", &v), ("DstCidrBlock", &format!("10.{i}.0.0/16"))]);
    }
    fails(&c, "AddBgpNetwork", &[("RouterId", &v), ("DstCidrBlock", "11.0.0.0/8")], bgp::NETWORK_QUOTA);
}

// --- transitions --------------------------------------------------------------------------------

#[test]
fn pending_and_modifying_last_the_transition_delay() {
    let c = cloud(5_000);
    let v = vbr(&c, 10);
    let g = group(&c, &v);
    assert_eq!(groups(&c, &[])[0]["Status"], "Pending");
    fails(&c, "ModifyBgpGroupAttribute", &[("BgpGroupId", &g), ("Name", "later")], bgp::CANNOT_OPERATE);
    fails(&c, "CreateBgpPeer", &[("BgpGroupId", &g)], bgp::CANNOT_OPERATE);
    fails(&c, "DeleteBgpGroup", &[("BgpGroupId", &g)], bgp::CANNOT_OPERATE);
    c.clock.advance_ms(5_000);
    assert_eq!(groups(&c, &[])[0]["Status"], "Available");
    ok(&c, "ModifyBgpGroupAttribute", &[("BgpGroupId", &g), ("Name", "now")]);
    assert_eq!(groups(&c, &[])[0]["Status"], "Modifying");
    fails(&c, "DeleteBgpGroup", &[("BgpGroupId", &g)], bgp::CANNOT_OPERATE);
    c.clock.advance_ms(5_000);

    let p = id(&ok(&c, "CreateBgpPeer", &[("BgpGroupId", &g)]), "BgpPeerId");
    let item = &peers(&c, &[])[0];
    assert_eq!((item["Status"].clone(), item["BgpStatus"].clone()), (Value::from("Pending"), Value::from("Idle")));
    fails(&c, "DeleteBgpPeer", &[("BgpPeerId", &p)], bgp::CANNOT_OPERATE);
    fails(&c, "ModifyBgpPeerAttribute", &[("BgpPeerId", &p), ("EnableBfd", "true")], bgp::CANNOT_OPERATE);
    c.clock.advance_ms(5_000);
    assert_eq!(peers(&c, &[])[0]["BgpStatus"], "Established");
    ok(&c, "ModifyBgpPeerAttribute", &[("BgpPeerId", &p), ("EnableBfd", "true")]);
    assert_eq!(peers(&c, &[])[0]["Status"], "Modifying");
    c.clock.advance_ms(5_000);
    ok(&c, "DeleteBgpPeer", &[("BgpPeerId", &p)]);

    ok(&c, "AddBgpNetwork", &[("RouterId", &v), ("DstCidrBlock", "10.0.0.0/8")]);
    assert_eq!(networks(&c, &[])[0]["Status"], "Pending");
    fails(&c, "DeleteBgpNetwork", &[("RouterId", &v), ("DstCidrBlock", "10.0.0.0/8")], bgp::CANNOT_OPERATE);
    c.clock.advance_ms(5_000);
    ok(&c, "DeleteBgpNetwork", &[("RouterId", &v), ("DstCidrBlock", "10.0.0.0/8")]);
}

#[test]
fn a_rejected_call_changes_nothing_and_tokens_make_creates_idempotent() {
    let c = cloud(0);
    let v = vbr(&c, 10);
    let a = ok(&c, "CreateBgpGroup", &[("RouterId", &v), ("PeerAsn", "65001"), ("ClientToken", "t-1")]);
    let b = ok(&c, "CreateBgpGroup", &[("RouterId", &v), ("PeerAsn", "65001"), ("ClientToken", "t-1")]);
    assert_eq!(a["BgpGroupId"], b["BgpGroupId"]);
    assert_eq!(groups(&c, &[]).len(), 1);
    assert_eq!(
        code(&c, "CreateBgpGroup", &[("RouterId", &v), ("PeerAsn", "65002"), ("ClientToken", "t-1")]),
        "IdempotenceParamNotMatch"
    );
}

// --- responses ----------------------------------------------------------------------------------

/// `ok`, and the body has exactly the described fields (RequestId is the protocol layer's).
fn described(c: &Cloud, action: &str, params: &[(&str, &str)]) -> Map<String, Value> {
    let body = ok(c, action, params);
    let spec = acs_api::Api::builtin().by_version("2016-04-28").and_then(|p| p.action(action)).expect("described");
    let differences = acs_api::check_response(spec, &body);
    assert!(differences.is_empty(), "{action}: {differences:?}");
    body
}

#[test]
fn responses_follow_the_description() {
    let c = cloud(0);
    let v = vbr(&c, 10);
    let vpc = id(&ok(&c, "CreateVpc", &[("CidrBlock", "192.168.0.0/16")]), "VpcId");
    let g = id(&described(&c, "CreateBgpGroup", &[("RouterId", &v), ("PeerAsn", "65001")]), "BgpGroupId");
    let p = id(&described(&c, "CreateBgpPeer", &[("BgpGroupId", &g)]), "BgpPeerId");
    described(&c, "AddBgpNetwork", &[("RouterId", &v), ("DstCidrBlock", "192.168.0.0/24"), ("VpcId", &vpc)]);
    described(&c, "DescribeBgpGroups", &[]);
    described(&c, "DescribeBgpPeers", &[]);
    described(&c, "DescribeBgpNetworks", &[]);
    described(&c, "ModifyBgpGroupAttribute", &[("BgpGroupId", &g), ("Name", "nn")]);
    described(&c, "ModifyBgpPeerAttribute", &[("BgpPeerId", &p), ("EnableBfd", "false")]);
    described(&c, "DeleteBgpNetwork", &[("RouterId", &v), ("DstCidrBlock", "192.168.0.0/24")]);
    described(&c, "DeleteBgpPeer", &[("BgpPeerId", &p)]);
    described(&c, "DeleteBgpGroup", &[("BgpGroupId", &g)]);
    described(&c, "DescribeBgpGroups", &[]);
}
