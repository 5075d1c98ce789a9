//! The rules of virtual border routers (chapter 13): VLANs per physical connection, peering
//! addresses, terminate/recover with the seven-day VLAN hold, associations, the VBR's route table.

mod common;

use acs_cloud::Cloud;
use common::{call, cloud, code, id, ok};

const DAY_MS: i64 = 24 * 3_600_000;

/// An Enabled physical connection (`_name` only labels it in the test).
fn connection(c: &Cloud, _name: &str) -> String {
    common::enabled_physical_connection(c)
}

fn peering(vlan: &str) -> Vec<(&'static str, String)> {
    vec![
        ("VlanId", vlan.to_string()),
        ("LocalGatewayIp", "10.0.0.1".into()),
        ("PeerGatewayIp", "10.0.0.2".into()),
        ("PeeringSubnetMask", "255.255.255.252".into()),
    ]
}

fn create(c: &Cloud, pc: &str, vlan: &str) -> Result<String, String> {
    let mut params: Vec<(&str, &str)> = vec![("PhysicalConnectionId", pc)];
    let peering = peering(vlan);
    params.extend(peering.iter().map(|(k, v)| (*k, v.as_str())));
    call(c, "CreateVirtualBorderRouter", &params).map(|b| id(&b, "VbrId")).map_err(|e| e.code.into_owned())
}

fn vbr_field(c: &Cloud, vbr: &str, field: &str) -> serde_json::Value {
    let found = ok(c, "DescribeVirtualBorderRouters", &[("Filter.1.Key", "VbrId"), ("Filter.1.Value.1", vbr)]);
    found["VirtualBorderRouterSet"]["VirtualBorderRouterType"][0][field].clone()
}

#[test]
fn vlans_are_unique_per_connection_and_held_after_termination() {
    let c = cloud(0);
    let pc = connection(&c, "pc-a");
    let other = connection(&c, "pc-b");
    let vbr = create(&c, &pc, "10").unwrap();
    assert_eq!(create(&c, &pc, "10"), Err("InvalidVlanId.Used".into()));
    assert!(create(&c, &other, "10").is_ok(), "another connection has its own VLANs");
    for bad in ["0", "3000", "ten"] {
        assert_eq!(create(&c, &pc, bad), Err("InvalidVlanId.Malformed".into()), "{bad}");
    }
    ok(&c, "TerminateVirtualBorderRouter", &[("VbrId", &vbr)]);
    assert_eq!(vbr_field(&c, &vbr, "Status"), "terminated");
    assert_eq!(create(&c, &pc, "10"), Err("InvalidVlanId.Used".into()), "held for seven days");
    c.clock.advance_ms(7 * DAY_MS);
    let taker = create(&c, &pc, "10").expect("free after seven days");
    assert_eq!(code(&c, "RecoverVirtualBorderRouter", &[("VbrId", &vbr)]), "OperationFailed.VlanIdAlreadyInUse");
    ok(&c, "DeleteVirtualBorderRouter", &[("VbrId", &taker)]);
    ok(&c, "RecoverVirtualBorderRouter", &[("VbrId", &vbr)]);
    assert_eq!(vbr_field(&c, &vbr, "Status"), "active");
    assert!(vbr_field(&c, &vbr, "RecoveryTime").as_str().is_some_and(|t| !t.is_empty()));
}

#[test]
fn peering_addresses_share_a_subnet() {
    let c = cloud(0);
    let pc = connection(&c, "pc-a");
    let with = |local: &str, peer: &str, mask: &str| {
        call(
            &c,
            "CreateVirtualBorderRouter",
            &[
                ("PhysicalConnectionId", pc.as_str()),
                ("VlanId", "20"),
                ("LocalGatewayIp", local),
                ("PeerGatewayIp", peer),
                ("PeeringSubnetMask", mask),
            ],
        )
        .map(|_| ())
        .map_err(|e| e.code.into_owned())
    };
    assert_eq!(with("10.0.0.1", "10.0.0.9", "255.255.255.252"), Err("InvalidIp.NotSameSubnet".into()));
    assert_eq!(with("10.0.0.1", "10.0.0.1", "255.255.255.252"), Err("InvalidIp.NotSameSubnet".into()));
    assert_eq!(with("10.0.0.300", "10.0.0.2", "255.255.255.252"), Err("InvalidLocalGatewayIp.Malformed".into()));
    assert_eq!(with("10.0.0.1", "x", "255.255.255.252"), Err("InvalidPeerGatewayIp.Malformed".into()));
    assert_eq!(with("10.0.0.1", "10.0.0.2", "255.0.255.0"), Err("InvalidPeeringSubnetMask.Malformed".into()));
    let missing = call(&c, "CreateVirtualBorderRouter", &[("PhysicalConnectionId", pc.as_str()), ("VlanId", "20")]);
    assert_eq!(
        missing.map_err(|e| e.message.into_owned()).err().as_deref(),
        Some("The input parameter 'LocalGatewayIp' that is mandatory for processing this request is not supplied.")
    );
    with("10.0.0.1", "10.0.0.2", "255.255.255.252").expect("same /30");
}

#[test]
fn a_connection_must_exist_and_be_enabled() {
    let c = cloud(0);
    assert_eq!(create(&c, "pc-nope", "10"), Err("InvalidPhysicalConnectionId.NotFound".into()));
    let pc = connection(&c, "pc-a");
    ok(&c, "TerminatePhysicalConnection", &[("PhysicalConnectionId", &pc)]);
    assert_eq!(create(&c, &pc, "10"), Err("InvalidPhysicalConnectionId.NotEnabled".into()));
    let other_owner = call(
        &c,
        "CreateVirtualBorderRouter",
        &[("PhysicalConnectionId", pc.as_str()), ("VlanId", "10"), ("VbrOwnerId", "999")],
    );
    assert_eq!(other_owner.unwrap_err().code, "InvalidVbrOwnerId.NotFound");
}

#[test]
fn associations_add_links_on_other_connections() {
    let c = cloud(0);
    let pc = connection(&c, "pc-a");
    let second = connection(&c, "pc-b");
    let vbr = create(&c, &pc, "10").unwrap();
    let assoc = |pc: &str, vlan: &str| {
        let peering = peering(vlan);
        let mut params: Vec<(&str, &str)> = vec![("VbrId", vbr.as_str()), ("PhysicalConnectionId", pc)];
        params.extend(peering.iter().map(|(k, v)| (*k, v.as_str())));
        call(&c, "AssociatePhysicalConnectionToVirtualBorderRouter", &params)
            .map(|_| ())
            .map_err(|e| e.code.into_owned())
    };
    assert_eq!(assoc(&pc, "11"), Err("PHYSICAL_NOT_ALLOW_ASSOCIATE_VBR".into()), "already on it");
    assoc(&second, "30").unwrap();
    let links = vbr_field(&c, &vbr, "AssociatedPhysicalConnections")["AssociatedPhysicalConnection"].clone();
    assert_eq!(links.as_array().map(Vec::len), Some(2));
    assert_eq!(code(&c, "DeleteVirtualBorderRouter", &[("VbrId", &vbr)]), "InvalidStatus.NotAllowed");
    let unassoc = |pc: &str| {
        call(
            &c,
            "UnassociatePhysicalConnectionFromVirtualBorderRouter",
            &[("VbrId", vbr.as_str()), ("PhysicalConnectionId", pc)],
        )
        .map(|_| ())
        .map_err(|e| e.code.into_owned())
    };
    assert_eq!(unassoc(&pc), Err("PHYSICAL_NOT_ALLOW_ASSOCIATE_VBR".into()), "the first link stays");
    unassoc(&second).unwrap();
    assert_eq!(unassoc(&second), Err("PHYSICAL_NOT_ASSOCIATE_TO_VBR".into()));
    assoc(&second, "31").unwrap();
    assert_eq!(code(&c, "TerminatePhysicalConnection", &[("PhysicalConnectionId", &pc)]), "Forbidden.VBRExists");
    assert_eq!(
        code(&c, "TerminatePhysicalConnection", &[("PhysicalConnectionId", &second)]),
        "Forbidden.AssociateToVBR"
    );
    unassoc(&second).unwrap();
    ok(&c, "DeleteVirtualBorderRouter", &[("VbrId", &vbr)]);
    assert_eq!(code(&c, "DeleteVirtualBorderRouter", &[("VbrId", &vbr)]), "InvalidVbrId.NotFound");
    ok(&c, "TerminatePhysicalConnection", &[("PhysicalConnectionId", &pc)]);
}

#[test]
fn the_route_table_of_a_vbr_takes_routes_and_goes_with_it() {
    let c = cloud(0);
    let pc = connection(&c, "pc-a");
    let vbr = create(&c, &pc, "10").unwrap();
    let table = vbr_field(&c, &vbr, "RouteTableId").as_str().unwrap_or_default().to_string();
    assert!(table.starts_with("vtb-"));
    let listed = ok(&c, "DescribeRouteTables", &[("RouteTableId", &table)]);
    assert_eq!(listed["RouteTables"]["RouteTable"][0]["VRouterId"], vbr.as_str(), "the VBR is the router");
    ok(&c, "DeleteVirtualBorderRouter", &[("VbrId", &vbr)]);
    assert_eq!(code(&c, "DescribeRouteEntryList", &[("RouteTableId", &table)]), "InvalidRouteTableId.NotFound");
}

#[test]
fn terminate_and_recover_follow_the_statuses() {
    let c = cloud(1_000);
    let pc = connection(&c, "pc-a");
    let vbr = create(&c, &pc, "10").unwrap();
    assert_eq!(
        code(&c, "RecoverVirtualBorderRouter", &[("VbrId", &vbr)]),
        "InvalidOperation.OperationNotAllowedInState"
    );
    ok(&c, "TerminateVirtualBorderRouter", &[("VbrId", &vbr)]);
    assert_eq!(
        code(&c, "TerminateVirtualBorderRouter", &[("VbrId", &vbr)]),
        "InvalidOperation.OperationNotAllowedInState"
    );
    ok(&c, "RecoverVirtualBorderRouter", &[("VbrId", &vbr)]);
    assert_eq!(vbr_field(&c, &vbr, "Status"), "recovering");
    assert_eq!(
        code(&c, "DeleteVirtualBorderRouter", &[("VbrId", &vbr)]),
        "InvalidOperation.OperationNotAllowedInState"
    );
    c.clock.advance_ms(1_000);
    assert_eq!(vbr_field(&c, &vbr, "Status"), "active");
}

#[test]
fn a_terminated_vbr_keeps_its_vlan_even_when_modified_or_deleted() {
    let c = cloud(0);
    let pc = connection(&c, "pc-a");
    let vbr = create(&c, &pc, "30").unwrap();
    ok(&c, "TerminateVirtualBorderRouter", &[("VbrId", &vbr)]);
    assert_eq!(
        code(&c, "ModifyVirtualBorderRouterAttribute", &[("VbrId", &vbr), ("VlanId", "31")]),
        "InvalidOperation.OperationNotAllowedInState"
    );
    ok(&c, "DeleteVirtualBorderRouter", &[("VbrId", &vbr)]);
    assert_eq!(create(&c, &pc, "30"), Err("InvalidVlanId.Used".into()), "held for the rest of the seven days");
    c.clock.advance_ms(7 * DAY_MS);
    assert!(create(&c, &pc, "30").is_ok());
}
