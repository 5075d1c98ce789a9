//! Next hops: the types CreateRouteEntry accepts and how each is checked. The resources behind
//! them belong to other families, which answer through the [`NextHopResolver`] they register
//! with the [`Cloud`](crate::Cloud); a type without a resolver has no resources yet, so every
//! id of it is "not found" with that type's documented code.
//!
//! [`NextHopResolver`]: crate::NextHopResolver

use acs_api::{ApiError, ErrorDef};
use acs_store::{Scope, Tx};

use crate::context::{Call, NextHop};

pub const INSTANCE: &str = "Instance";
pub const HA_VIP: &str = "HaVip";
pub const ROUTER_INTERFACE: &str = "RouterInterface";
pub const VPN_GATEWAY: &str = "VpnGateway";
pub const NAT_GATEWAY: &str = "NatGateway";

/// The NextHopType values CreateRouteEntry documents.
pub const TYPES: &[&str] =
    &[INSTANCE, HA_VIP, ROUTER_INTERFACE, "NetworkInterface", VPN_GATEWAY, "IPv6Gateway", NAT_GATEWAY];

pub const INVALID_INSTANCE_NOT_FOUND: ErrorDef =
    ErrorDef::new(404, "InvalidInstanId.NotFound", "Specified instance does not exist.");
pub const INVALID_HA_VIP_NOT_FOUND: ErrorDef =
    ErrorDef::new(404, "InvalidHaVipId.NotFound", "The specified HaVip does not exist in the specified VPC.");
pub const INVALID_ROUTER_INTERFACE: ErrorDef =
    ErrorDef::new(400, "InvalidRouterInterface", "invalid router interface.");
pub const INVALID_NEXT_HOP_ID_NOT_FOUND: ErrorDef =
    ErrorDef::new(404, "InvalidNextHopId.NotFound", "Specified next hop does not exist.");
pub const INVALID_VPC_ID: ErrorDef = ErrorDef::new(400, "INVALID_VPC_ID", "The Specified VpcId not match.");
pub const INCORRECT_INSTANCE_STATUS: ErrorDef =
    ErrorDef::new(400, "IncorrectInstanceStatus", "Current instance status does not support this operation.");
pub const INCORRECT_HA_VIP_STATUS: ErrorDef = ErrorDef::new(
    400,
    "IncorrectHaVipStatus",
    "This operation is denied because satus of the specified HaVip is neither Available nor InUse.",
);

pub const ERRORS: &[ErrorDef] = &[
    INVALID_INSTANCE_NOT_FOUND,
    INVALID_HA_VIP_NOT_FOUND,
    INVALID_ROUTER_INTERFACE,
    INVALID_NEXT_HOP_ID_NOT_FOUND,
    INVALID_VPC_ID,
    INCORRECT_INSTANCE_STATUS,
    INCORRECT_HA_VIP_STATUS,
];

fn not_found(next_hop_type: &str) -> ErrorDef {
    match next_hop_type {
        INSTANCE => INVALID_INSTANCE_NOT_FOUND,
        HA_VIP => INVALID_HA_VIP_NOT_FOUND,
        ROUTER_INTERFACE => INVALID_ROUTER_INTERFACE,
        _ => INVALID_NEXT_HOP_ID_NOT_FOUND,
    }
}

/// Checks that next hop `id` of `next_hop_type` exists, is in `vpc_id` and can take routes.
pub fn check(
    call: &Call<'_>,
    tx: &Tx<'_>,
    scope: &Scope,
    vpc_id: &str,
    next_hop_type: &str,
    id: &str,
) -> Result<(), ApiError> {
    let found: Option<NextHop> =
        call.cloud.next_hop_resolver(next_hop_type).and_then(|resolver| resolver.resolve(call, tx, scope, id));
    let hop = found.ok_or_else(|| ApiError::from(not_found(next_hop_type)))?;
    if hop.vpc_id.as_deref().is_some_and(|v| v != vpc_id) {
        return Err(INVALID_VPC_ID.into());
    }
    if !hop.usable {
        return Err(if next_hop_type == HA_VIP { INCORRECT_HA_VIP_STATUS } else { INCORRECT_INSTANCE_STATUS }.into());
    }
    Ok(())
}
