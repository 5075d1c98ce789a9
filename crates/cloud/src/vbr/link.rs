//! A VBR's link over a physical connection: its VLAN and the peering addresses, checked for
//! CreateVirtualBorderRouter, ModifyVirtualBorderRouterAttribute and
//! AssociatePhysicalConnectionToVirtualBorderRouter; and the association actions themselves.

use std::net::Ipv4Addr;

use acs_api::{ApiError, ErrorDef};
use acs_store::{Read, Scope, Tx};

use super::{
    enabled_connection, find, on_physical_connection, Association, VirtualBorderRouter, ACTIVE, VBR_NOT_FOUND,
};
use crate::context::Call;
use crate::dispatch::Body;
use crate::ids::new_id;
use crate::route_table;

pub const VLAN_MALFORMED: ErrorDef =
    ErrorDef::new(400, "InvalidVlanId.Malformed", "The specified VlanId is not valid.");
pub const VLAN_USED: ErrorDef = ErrorDef::new(400, "InvalidVlanId.Used", "The specified VlanId has been used.");
pub const MISSING_LOCAL: ErrorDef = ErrorDef::new(
    400,
    "MissingParameter",
    "The input parameter 'LocalGatewayIp' that is mandatory for processing this request is not supplied.",
);
pub const MISSING_PEER: ErrorDef = ErrorDef::new(
    400,
    "MissingParameter",
    "The input parameter 'PeerGatewayIp' that is mandatory for processing this request is not supplied.",
);
pub const MISSING_MASK: ErrorDef = ErrorDef::new(
    400,
    "MissingParameter",
    "The input parameter 'PeeringSubnetMask' that is mandatory for processing this request is not supplied.",
);
pub const LOCAL_MALFORMED: ErrorDef =
    ErrorDef::new(400, "InvalidLocalGatewayIp.Malformed", "The specified LocalGatewayIp is not valid.");
pub const PEER_MALFORMED: ErrorDef =
    ErrorDef::new(400, "InvalidPeerGatewayIp.Malformed", "The specified PeerGatewayIp is not valid.");
/// ModifyVirtualBorderRouterAttribute's code for either address.
pub const IP_MALFORMED: ErrorDef = ErrorDef::new(400, "InvalidIp.Malformed", "The specified ip address is not valid.");
pub const MASK_MALFORMED: ErrorDef =
    ErrorDef::new(400, "InvalidPeeringSubnetMask.Malformed", "The specified PeeringSubnetMask is not valid.");
pub const NOT_SAME_SUBNET: ErrorDef =
    ErrorDef::new(400, "InvalidIp.NotSameSubnet", "Local gateway ip and peer gateway ip are not in the same subnet.");
pub const TOO_MANY_ASSOCIATIONS: ErrorDef =
    ErrorDef::new(400, "EXCEED_ASSOCIATE_MAX_NUM", "assocaite virtual boarder num too many.");
pub const VBR_STATUS: ErrorDef =
    ErrorDef::new(400, "InvalidStatus.NotAllowed", "Invalid virtual border router status.");
pub const NOT_ALLOWED: ErrorDef =
    ErrorDef::new(400, "PHYSICAL_NOT_ALLOW_ASSOCIATE_VBR", "The specified operation not allow.");
pub const NOT_ASSOCIATED: ErrorDef = ErrorDef::new(
    400,
    "PHYSICAL_NOT_ASSOCIATE_TO_VBR",
    "The specified PhysicalConnection have not associate to the vbr.",
);
pub const VBR_OR_PC_NOT_FOUND: ErrorDef = ErrorDef::new(
    404,
    "InvalidVbrId.NotFound",
    "The specified VirutalBorderRouter or PhysicalConnection does not exist in our records.",
);
pub const IDS_MISSING: ErrorDef =
    ErrorDef::new(400, "PARAMETER_MUST_NOT_NULL", "The specified physical connection id or vbrId must not be null.");
pub const LINK_ROUTED: ErrorDef = ErrorDef::new(
    400,
    "ROUTER_INTERFACE_REFERED_BY_ROUTEENTRY",
    "The specified VlanInterface has been used by routeEntry.",
);

pub const ERRORS: &[ErrorDef] = &[
    VLAN_MALFORMED,
    VLAN_USED,
    MISSING_LOCAL,
    MISSING_PEER,
    MISSING_MASK,
    LOCAL_MALFORMED,
    PEER_MALFORMED,
    IP_MALFORMED,
    MASK_MALFORMED,
    NOT_SAME_SUBNET,
    TOO_MANY_ASSOCIATIONS,
    VBR_STATUS,
    NOT_ALLOWED,
    NOT_ASSOCIATED,
    VBR_OR_PC_NOT_FOUND,
    LINK_ROUTED,
    IDS_MISSING,
];

/// A VLAN still held by a terminated VBR that was deleted before its seven days were over.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(super) struct VlanHold {
    /// `<PhysicalConnectionId>:<VlanId>`
    key: String,
    until_ms: i64,
}

impl acs_store::Entity for VlanHold {
    const KIND: &'static str = "vbr_vlan_hold";
    fn id(&self) -> &str {
        &self.key
    }
}

fn hold_key(pc_id: &str, vlan_id: i64) -> String {
    format!("{pc_id}:{vlan_id}")
}

/// Keeps the VLANs of a terminated VBR held after it is deleted, for the rest of its seven days.
pub(super) fn keep_holds(tx: &mut Tx<'_>, scope: &Scope, vbr: &VirtualBorderRouter) {
    let Some(terminated) = vbr.termination_ms.filter(|_| vbr.status == super::TERMINATED) else {
        return;
    };
    for a in &vbr.associations {
        tx.put(
            scope,
            VlanHold {
                key: hold_key(&a.physical_connection_id, a.vlan_id),
                until_ms: terminated + super::VLAN_RETENTION_MS,
            },
        );
    }
}

/// Whether a deleted VBR still holds the VLAN at `now_ms`.
pub(super) fn held_after_delete(r: &impl Read, scope: &Scope, pc_id: &str, vlan_id: i64, now_ms: i64) -> bool {
    r.get::<VlanHold>(scope, &hold_key(pc_id, vlan_id)).is_some_and(|h| now_ms < h.until_ms)
}

/// Physical connections one VBR may ride on.
pub const CONNECTIONS_PER_VBR: usize = 4;

/// The link the call asks for on connection `pc_id`: a new one (`current` none: VlanId and, for
/// the connection owner, the three peering parameters are required) or `current` with the
/// call's changes (ModifyVirtualBorderRouterAttribute).
pub(super) fn requested(
    call: &Call<'_>,
    r: &impl Read,
    scope: &Scope,
    pc_id: &str,
    current: Option<(&VirtualBorderRouter, &Association)>,
) -> Result<Association, ApiError> {
    let modify = current.is_some();
    let vlan_id = match (call.params.int("VlanId"), call.str("VlanId"), current) {
        (Some(n), _, _) => n,
        (None, Some(text), _) => text.trim().parse::<i64>().map_err(|_| VLAN_MALFORMED)?,
        (None, None, Some((_, a))) => a.vlan_id,
        (None, None, None) => return Err(acs_api::common::missing_parameter("VlanId")),
    };
    if !(1..=2999).contains(&vlan_id) {
        return Err(VLAN_MALFORMED.into());
    }
    let own_id = current.map(|(v, _)| v.id.as_str());
    let taken = on_physical_connection(r, scope, pc_id)
        .iter()
        .any(|other| Some(other.id.as_str()) != own_id && other.holds_vlan(pc_id, vlan_id, call.now_ms));
    if taken || held_after_delete(r, scope, pc_id, vlan_id, call.now_ms) {
        return Err(VLAN_USED.into());
    }
    let (local_bad, peer_bad) = if modify { (IP_MALFORMED, IP_MALFORMED) } else { (LOCAL_MALFORMED, PEER_MALFORMED) };
    let pick = |name: &str, old: Option<&str>, missing: ErrorDef| -> Result<String, ApiError> {
        call.str(name).or(old).map(str::to_string).ok_or_else(|| missing.into())
    };
    let local = pick("LocalGatewayIp", current.map(|(_, a)| a.local_gateway_ip.as_str()), MISSING_LOCAL)?;
    let peer = pick("PeerGatewayIp", current.map(|(_, a)| a.peer_gateway_ip.as_str()), MISSING_PEER)?;
    let mask = pick("PeeringSubnetMask", current.map(|(_, a)| a.peering_subnet_mask.as_str()), MISSING_MASK)?;
    let local_ip: Ipv4Addr = local.parse().map_err(|_| local_bad)?;
    let peer_ip: Ipv4Addr = peer.parse().map_err(|_| peer_bad)?;
    let mask_bits = netmask(&mask).ok_or(MASK_MALFORMED)?;
    if local_ip == peer_ip || (u32::from(local_ip) & mask_bits) != (u32::from(peer_ip) & mask_bits) {
        return Err(NOT_SAME_SUBNET.into());
    }
    Ok(Association {
        physical_connection_id: pc_id.to_string(),
        vlan_id,
        circuit_code: call
            .str("CircuitCode")
            .map_or_else(|| current.map(|(_, a)| a.circuit_code.clone()).unwrap_or_default(), str::to_string),
        local_gateway_ip: local,
        peer_gateway_ip: peer,
        peering_subnet_mask: mask,
        vlan_interface_id: current.map_or_else(|| new_id("ri", &scope.region), |(_, a)| a.vlan_interface_id.clone()),
    })
}

/// A dotted netmask with contiguous ones and room for two hosts (/8 to /30), as a bit mask.
fn netmask(text: &str) -> Option<u32> {
    let bits = u32::from(text.parse::<Ipv4Addr>().ok()?);
    let ones = bits.leading_ones();
    (bits.count_ones() == ones && (8..=30).contains(&ones)).then_some(bits)
}

pub(super) fn associate(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let mut vbr = find(tx, &scope, call.required("VbrId")?, VBR_NOT_FOUND)?;
    let pc = enabled_connection(call, tx, &scope)?;
    if vbr.status(call) != ACTIVE {
        return Err(VBR_STATUS.into());
    }
    if vbr.associations.iter().any(|a| a.physical_connection_id == pc.id) {
        return Err(NOT_ALLOWED.into());
    }
    if vbr.associations.len() >= CONNECTIONS_PER_VBR {
        return Err(TOO_MANY_ASSOCIATIONS.into());
    }
    if on_physical_connection(tx, &scope, &pc.id).len() >= call.quota(tx, &super::VBRS_PER_PHYSICAL_CONNECTION) {
        return Err(super::VBRS_PER_CONNECTION.into());
    }
    let link = requested(call, tx, &scope, &pc.id, None)?;
    vbr.associations.push(link);
    tx.put(&scope, vbr);
    Ok(Body::new())
}

/// Drops a link added by Associate; the connection the VBR was created on stays.
pub(super) fn unassociate(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let (Some(vbr_id), Some(pc_id)) = (call.str("VbrId"), call.str("PhysicalConnectionId")) else {
        return Err(IDS_MISSING.into());
    };
    let mut vbr = find(tx, &scope, vbr_id, VBR_NOT_FOUND)?;
    if crate::physical_connection::get(tx, &scope, pc_id).is_none() {
        return Err(VBR_OR_PC_NOT_FOUND.into());
    }
    let Some(index) = vbr.associations.iter().position(|a| a.physical_connection_id == pc_id) else {
        return Err(NOT_ASSOCIATED.into());
    };
    if index == 0 {
        return Err(NOT_ALLOWED.into());
    }
    if vbr.status(call) != ACTIVE {
        return Err(VBR_STATUS.into());
    }
    if route_table::routes_to(tx, &scope, &vbr.associations[index].vlan_interface_id) > 0 {
        return Err(LINK_ROUTED.into());
    }
    vbr.associations.remove(index);
    tx.put(&scope, vbr);
    Ok(Body::new())
}

#[cfg(test)]
mod tests {
    #[test]
    fn netmasks_are_contiguous_and_leave_two_hosts() {
        assert_eq!(super::netmask("255.255.255.252"), Some(0xffff_fffc));
        assert_eq!(super::netmask("255.255.255.0"), Some(0xffff_ff00));
        for bad in ["255.255.255.254", "255.0.255.0", "0.0.0.0", "nope"] {
            assert_eq!(super::netmask(bad), None, "{bad}");
        }
    }
}
