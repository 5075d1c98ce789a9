//! The opposite side of an interface (set by CreateRouterInterface and
//! ModifyRouterInterfaceAttribute) and ModifyRouterInterfaceAttribute itself.

use std::net::Ipv4Addr;

use acs_api::{common, ApiError};
use acs_store::{Read, Scope, Tx};

use super::{
    access_point_exists, find, router_exists, router_type_of, scope_or, vbr_access_point, RouterInterface,
    ACCESS_POINT_NOT_EXIST, ACCESS_POINT_NOT_MATCH, FINANCIAL_LOCKED, IDLE, LINK_ROLE_NOT_SUPPORTED,
    MODIFY_PARAM_INVALID, NOT_FOUND_RECORDS, OPPOSITE_ACCESS_POINT_NOT_ALLOWED, OPPOSITE_NOT_FOUND, OWNER_ERROR,
    REGION_NOT_FOUND, VBR,
};
use crate::context::Call;
use crate::dispatch::Body;
use crate::{billing, vpc};

/// The opposite a call asks for ("" where it names nothing).
#[derive(Default)]
pub(super) struct Wanted {
    pub interface_id: String,
    pub router_id: String,
    pub router_type: String,
    pub owner_id: String,
    pub access_point_id: String,
}

/// Checks `wanted` against what exists and the link rules, and records it on `me` (whose
/// opposite region is already set). An opposite interface fixes the opposite router; an
/// opposite router must exist; the two ends of a link have different roles, a VBR is always the
/// initiator, and a router is never linked to itself.
pub(super) fn set_opposite(
    call: &Call<'_>,
    r: &impl Read,
    me: &mut RouterInterface,
    wanted: Wanted,
) -> Result<(), ApiError> {
    let Wanted { interface_id, mut router_id, mut router_type, owner_id, mut access_point_id } = wanted;
    // Only one account exists: the opposite's owner is the caller, whether named or not.
    if !owner_id.is_empty() && owner_id != call.account {
        return Err(OWNER_ERROR.into());
    }
    let scope = Scope::new(call.account, me.opposite_region_id.clone());
    if !interface_id.is_empty() {
        let peer = r.get::<RouterInterface>(&scope, &interface_id).ok_or(OPPOSITE_NOT_FOUND)?;
        let other_router = !router_id.is_empty() && router_id != peer.router_id;
        let other_type = !router_type.is_empty() && router_type != peer.router_type;
        if other_router || other_type {
            return Err(OPPOSITE_NOT_FOUND.into());
        }
        if peer.id == me.id || peer.role == me.role {
            return Err(LINK_ROLE_NOT_SUPPORTED.into());
        }
        router_id = peer.router_id;
        router_type = peer.router_type;
    } else if !router_id.is_empty() {
        if router_type.is_empty() {
            router_type = router_type_of(&router_id).to_string();
        }
        router_exists(r, &scope, &router_type, &router_id).ok_or(OPPOSITE_NOT_FOUND)?;
    }
    // A VBR only initiates: never two VBRs, never a VBR accepting.
    if router_type == VBR && (me.router_type == VBR || me.is_initiator()) {
        return Err(LINK_ROLE_NOT_SUPPORTED.into());
    }
    if !router_id.is_empty() && router_id == me.router_id && me.opposite_region_id == me.region {
        return Err(LINK_ROLE_NOT_SUPPORTED.into());
    }
    if !access_point_id.is_empty() {
        if router_type != VBR {
            return Err(OPPOSITE_ACCESS_POINT_NOT_ALLOWED.into());
        }
        if !access_point_exists(&me.opposite_region_id, &access_point_id) {
            return Err(ACCESS_POINT_NOT_EXIST.into());
        }
        let actual = if router_id.is_empty() { String::new() } else { vbr_access_point(r, &scope, &router_id) };
        if !actual.is_empty() && actual != access_point_id {
            return Err(ACCESS_POINT_NOT_MATCH.into());
        }
    } else if router_type == VBR && !router_id.is_empty() {
        access_point_id = vbr_access_point(r, &scope, &router_id);
    }
    me.opposite_interface_id = interface_id;
    me.opposite_router_id = router_id;
    me.opposite_router_type = router_type;
    me.opposite_interface_owner_id = call.account.to_string();
    me.opposite_access_point_id = access_point_id;
    Ok(())
}

/// Whether `address` is in the CIDR block of the interface's VPC (a VBR-side interface has none
/// to check).
fn in_local_vpc(r: &impl Read, scope: &Scope, me: &RouterInterface, address: &str) -> bool {
    if me.vpc_id.is_empty() {
        return true;
    }
    let Ok(ip) = address.parse::<Ipv4Addr>() else {
        return false;
    };
    vpc::get(r, scope, &me.vpc_id).ok().and_then(|v| v.cidr()).is_some_and(|net| net.contains(&ip))
}

/// The health-check pair of a call: both addresses or neither (11.1 and 11.7: the target is
/// required with the source), the source in the local VPC. `Ok(None)` when neither is given.
pub(super) fn health_check<'a>(
    call: &'a Call<'_>,
    r: &impl Read,
    scope: &Scope,
    me: &RouterInterface,
) -> Result<Option<(&'a str, &'a str)>, Option<&'static str>> {
    match (call.str("HealthCheckSourceIp"), call.str("HealthCheckTargetIp")) {
        (None, None) => Ok(None),
        (Some(source), Some(target)) if in_local_vpc(r, scope, me, source) => Ok(Some((source, target))),
        (Some(_), Some(_)) => Err(Some("HealthCheckSourceIp")),
        _ => Err(None),
    }
}

/// CreateRouterInterface's answer for a health-check pair `health_check` refused (the action
/// documents no code for it: the generic InvalidParameter names the parameter).
pub(super) fn health_check_error(which: Option<&'static str>) -> ApiError {
    match which {
        Some(name) => common::invalid_parameter(name, "must be an unused address of the local VPC"),
        None => common::invalid_parameter(
            "HealthCheckTargetIp",
            "HealthCheckSourceIp and HealthCheckTargetIp must be given together",
        ),
    }
}

/// 11.7: names, descriptions and health checks any time the account is not overdue; the opposite
/// only while the interface is Idle (a connected pair keeps its ends).
pub(super) fn modify_router_interface_attribute(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = scope_or(call, REGION_NOT_FOUND)?;
    let mut ri = find(tx, &scope, call.required("RouterInterfaceId")?, NOT_FOUND_RECORDS)?;
    if billing::is_overdue(tx, call.account) {
        return Err(FINANCIAL_LOCKED.into());
    }
    call.update(&mut ri.name, "Name");
    call.update(&mut ri.description, "Description");

    let delete_check = call.params.bool("DeleteHealthCheckIp") == Some(true);
    match health_check(call, tx, &scope, &ri) {
        Ok(Some(_)) if delete_check => return Err(MODIFY_PARAM_INVALID.into()),
        Ok(Some((source, target))) => {
            ri.health_check_source_ip = source.to_string();
            ri.health_check_target_ip = target.to_string();
        }
        Ok(None) if delete_check => {
            ri.health_check_source_ip.clear();
            ri.health_check_target_ip.clear();
        }
        Ok(None) => {}
        Err(_) => return Err(MODIFY_PARAM_INVALID.into()),
    }
    if let Some(rate) = call.params.int("HcRate") {
        ri.hc_rate = rate;
    }
    if let Some(threshold) = call.params.int("HcThreshold") {
        ri.hc_threshold = threshold;
    }

    let names = ["OppositeInterfaceId", "OppositeRouterId", "OppositeRouterType", "OppositeInterfaceOwnerId"];
    if names.iter().any(|n| call.str(n).is_some()) {
        if ri.status(call) != IDLE {
            return Err(MODIFY_PARAM_INVALID.into());
        }
        let new_interface = call.str("OppositeInterfaceId");
        let new_router = call.str("OppositeRouterId");
        let new_type = call.str("OppositeRouterType");
        // What the call names replaces what is stored; a new interface or router is looked up
        // afresh (its router, type and access point follow it).
        let moved = new_interface.is_some() || new_router.is_some() || new_type.is_some();
        let wanted = Wanted {
            interface_id: new_interface.map_or_else(|| ri.opposite_interface_id.clone(), str::to_string),
            router_id: match (new_router, new_interface) {
                (Some(r), _) => r.to_string(),
                (None, Some(_)) => String::new(),
                (None, None) => ri.opposite_router_id.clone(),
            },
            router_type: match (new_type, moved) {
                (Some(t), _) => t.to_string(),
                (None, true) => String::new(),
                (None, false) => ri.opposite_router_type.clone(),
            },
            owner_id: call.str("OppositeInterfaceOwnerId").unwrap_or_default().to_string(),
            access_point_id: if moved { String::new() } else { ri.opposite_access_point_id.clone() },
        };
        set_opposite(call, tx, &mut ri, wanted)?;
    }
    tx.put(&scope, ri);
    Ok(Body::new())
}
