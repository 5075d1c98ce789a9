//! Creating, connecting, activating, deactivating, re-specifying and deleting interfaces.

use acs_api::ApiError;
use acs_store::{Read, Scope, Tx};
use serde_json::json;

use super::opposite::{health_check, health_check_error, set_opposite, Wanted};
use super::{
    access_point_exists, find, router_exists, scope_or, vbr_access_point, RouterInterface, ACCESS_POINT_NOT_ALLOWED,
    ACCESS_POINT_NOT_EXIST, ACCESS_POINT_NOT_MATCH, ACTIVATING, ACTIVE, BILLS_OUTSTANDING, BILLS_OUTSTANDING_CREATE,
    CONNECTING, CONNECTING_CONCURRENTLY, DEACTIVATING, DEFAULT_HC_RATE_MS, DEFAULT_HC_THRESHOLD, FINANCIAL_LOCKED,
    IDLE, INACTIVE, INITIATING_SIDE, INSTANCE_NOT_FOUND, INSTANCE_STATUS_ERROR, INTERFACES_PER_ROUTER,
    INTERFACES_PER_ROUTER_LIMIT, NEGATIVE, NOT_FOUND, NOT_FOUND_RECORDS, NOT_INITIATING_SIDE, ONLY_ONE_CONNECTION,
    OPPOSITE_NOT_FOUND, REFERRED_BY_ROUTE_ENTRY, REGION_NOT_FOUND, REGION_NOT_FOUND_CREATE, ROLE_NOT_SUPPORTED,
    ROUTER_NOT_FOUND, SPEC_NOT_SUPPORTED, STATUS_NOT_ACTIVE, STATUS_NOT_IDLE_OR_INACTIVE, STATUS_NOT_INACTIVE, VBR,
    VBR_NOT_ACTIVE,
};
use crate::context::Call;
use crate::dispatch::{body, Body};
use crate::ids::new_id;
use crate::{billing, region, route_table, vbr};

/// 11.1, in this order: the regions, the account (no new interfaces while it is overdue), Spec
/// against Role (Negative is the acceptor's and only its), the router (a VBR must be active and
/// the initiator, and matches its access point), the health-check pair, five interfaces per
/// router, then the opposite (see [`set_opposite`]). A new interface is Idle.
pub(super) fn create_router_interface(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = scope_or(call, REGION_NOT_FOUND_CREATE)?;
    let opposite_region = call.required("OppositeRegionId")?;
    region::region(opposite_region).ok_or(REGION_NOT_FOUND_CREATE)?;
    if billing::is_overdue(tx, call.account) {
        return Err(BILLS_OUTSTANDING_CREATE.into());
    }
    let role = call.required("Role")?;
    let spec = call.required("Spec")?;
    if (role == INITIATING_SIDE) == (spec == NEGATIVE) {
        return Err(SPEC_NOT_SUPPORTED.into());
    }
    let router_type = call.required("RouterType")?;
    let router_id = call.required("RouterId")?;
    let vpc_id = router_exists(tx, &scope, router_type, router_id).ok_or(ROUTER_NOT_FOUND)?;
    let mut access_point = call.str("AccessPointId").unwrap_or_default().to_string();
    if router_type == VBR {
        if role != INITIATING_SIDE {
            return Err(ROLE_NOT_SUPPORTED.into());
        }
        if !vbr::get(tx, &scope, router_id).is_some_and(|v| v.is_active()) {
            return Err(VBR_NOT_ACTIVE.into());
        }
        let actual = vbr_access_point(tx, &scope, router_id);
        if access_point.is_empty() {
            access_point = actual;
        } else if !access_point_exists(&scope.region, &access_point) {
            return Err(ACCESS_POINT_NOT_EXIST.into());
        } else if !actual.is_empty() && actual != access_point {
            return Err(ACCESS_POINT_NOT_MATCH.into());
        }
    } else if !access_point.is_empty() {
        return Err(ACCESS_POINT_NOT_ALLOWED.into());
    }
    if tx.child_ids::<RouterInterface>(&scope, router_id).len() >= call.quota(tx, &INTERFACES_PER_ROUTER_LIMIT) {
        return Err(INTERFACES_PER_ROUTER.into());
    }
    let id = new_id("ri", &scope.region);
    let mut ri = RouterInterface {
        id: id.clone(),
        region: scope.region.clone(),
        role: role.to_string(),
        spec: spec.to_string(),
        router_type: router_type.to_string(),
        router_id: router_id.to_string(),
        vpc_id,
        access_point_id: access_point,
        opposite_region_id: opposite_region.to_string(),
        opposite_interface_id: String::new(),
        opposite_router_id: String::new(),
        opposite_router_type: String::new(),
        opposite_interface_owner_id: call.account.to_string(),
        opposite_access_point_id: String::new(),
        name: call.str("Name").unwrap_or_default().to_string(),
        description: call.str("Description").unwrap_or_default().to_string(),
        health_check_source_ip: String::new(),
        health_check_target_ip: String::new(),
        hc_rate: DEFAULT_HC_RATE_MS,
        hc_threshold: DEFAULT_HC_THRESHOLD,
        resource_group_id: call.resource_group(),
        created_ms: call.now_ms,
        status: IDLE.to_string(),
        transition: None,
        since_ms: call.now_ms,
        connected_ms: None,
    };
    if let Some((source, target)) = health_check(call, tx, &scope, &ri).map_err(health_check_error)? {
        ri.health_check_source_ip = source.to_string();
        ri.health_check_target_ip = target.to_string();
    }
    let param = |name| call.str(name).unwrap_or_default().to_string();
    let wanted = Wanted {
        interface_id: param("OppositeInterfaceId"),
        router_id: param("OppositeRouterId"),
        router_type: param("OppositeRouterType"),
        owner_id: param("OppositeInterfaceOwnerId"),
        access_point_id: param("OppositeAccessPointId"),
    };
    set_opposite(call, tx, &mut ri, wanted)?;
    tx.put(&scope, ri);
    Ok(body(json!({ "RouterInterfaceId": id })))
}

/// Refuses a connection while `status` says the interface already has one (or is making one).
fn free_to_connect(status: &str) -> Result<(), ApiError> {
    match status {
        IDLE => Ok(()),
        CONNECTING => Err(CONNECTING_CONCURRENTLY.into()),
        _ => Err(ONLY_ONE_CONNECTION.into()),
    }
}

/// Whether `peer` is the acceptor `me` can connect to: it names `me` back, router for router.
fn names_back(me: &RouterInterface, peer: &RouterInterface) -> bool {
    peer.opposite_interface_id == me.id
        && peer.opposite_region_id == me.region
        && peer.opposite_router_id == me.router_id
        && peer.router_id == me.opposite_router_id
        && !peer.is_initiator()
}

/// The status of any other connection (made or being made) between the two routers of a pair.
fn other_connection(
    call: &Call<'_>,
    r: &impl Read,
    me: &RouterInterface,
    peer: &RouterInterface,
) -> Result<(), ApiError> {
    let links = |side: &RouterInterface, other: &RouterInterface| {
        r.children::<RouterInterface>(&Scope::new(call.account, side.region.clone()), &side.router_id)
            .into_iter()
            .filter(|x| {
                x.id != side.id && x.opposite_router_id == other.router_id && x.opposite_region_id == other.region
            })
            .collect::<Vec<_>>()
    };
    for x in links(me, peer).iter().chain(links(peer, me).iter()) {
        free_to_connect(x.status(call))?;
    }
    Ok(())
}

/// 11.3: an Idle initiator and the Idle acceptor that names it back, with no other connection
/// between their routers, go Connecting -> Active together.
pub(super) fn connect_router_interface(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let mut me = find(tx, &scope, call.required("RouterInterfaceId")?, NOT_FOUND)?;
    if !me.is_initiator() {
        return Err(NOT_INITIATING_SIDE.into());
    }
    if billing::is_overdue(tx, call.account) {
        return Err(BILLS_OUTSTANDING.into());
    }
    free_to_connect(me.status(call))?;
    let mut peer = me.opposite(tx, call.account).filter(|p| names_back(&me, p)).ok_or(OPPOSITE_NOT_FOUND)?;
    free_to_connect(peer.status(call))?;
    other_connection(call, tx, &me, &peer)?;
    for side in [&mut me, &mut peer] {
        side.start(CONNECTING, ACTIVE, call.now_ms);
        side.connected_ms = Some(call.now_ms);
    }
    let peer_scope = Scope::new(call.account, peer.region.clone());
    tx.put(&scope, me);
    tx.put(&peer_scope, peer);
    Ok(Body::new())
}

/// 11.4: Inactive -> Activating -> Active; refused while the account is overdue.
pub(super) fn activate_router_interface(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = scope_or(call, REGION_NOT_FOUND)?;
    let mut ri = find(tx, &scope, call.required("RouterInterfaceId")?, NOT_FOUND_RECORDS)?;
    if billing::is_overdue(tx, call.account) {
        return Err(FINANCIAL_LOCKED.into());
    }
    if ri.status(call) != INACTIVE {
        return Err(STATUS_NOT_INACTIVE.into());
    }
    ri.start(ACTIVATING, ACTIVE, call.now_ms);
    tx.put(&scope, ri);
    Ok(Body::new())
}

/// 11.5: Active -> Deactivating -> Inactive; refused while the account is overdue.
pub(super) fn deactivate_router_interface(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let mut ri = find(tx, &scope, call.required("RouterInterfaceId")?, NOT_FOUND)?;
    if billing::is_overdue(tx, call.account) {
        return Err(FINANCIAL_LOCKED.into());
    }
    if ri.status(call) != ACTIVE {
        return Err(STATUS_NOT_ACTIVE.into());
    }
    ri.start(DEACTIVATING, INACTIVE, call.now_ms);
    tx.put(&scope, ri);
    Ok(Body::new())
}

/// Seeds 000/001 (over 11.6), in this order: the interface, Spec against Role (an initiator
/// takes the twelve Specs, an acceptor only Negative), the account (an overdue one cannot change
/// Specs), the opposite interface (it must still exist), then the status: an Active interface
/// goes Activating -> Active with the new Spec and bandwidth. An acceptor's Negative changes
/// nothing (its bandwidth is the initiator's).
pub(super) fn modify_router_interface_spec(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let mut ri = find(tx, &scope, call.required("RouterInterfaceId")?, NOT_FOUND)?;
    let spec = call.required("Spec")?;
    if ri.is_initiator() == (spec == NEGATIVE) {
        return Err(SPEC_NOT_SUPPORTED.into());
    }
    if billing::is_overdue(tx, call.account) {
        return Err(INSTANCE_STATUS_ERROR.into());
    }
    if ri.opposite(tx, call.account).is_none() {
        return Err(OPPOSITE_NOT_FOUND.into());
    }
    if ri.status(call) != ACTIVE {
        return Err(INSTANCE_STATUS_ERROR.into());
    }
    if ri.is_initiator() {
        ri.spec = spec.to_string();
        ri.start(ACTIVATING, ACTIVE, call.now_ms);
        tx.put(&scope, ri);
    }
    Ok(body(json!({ "Spec": spec })))
}

/// 11.8: only Idle or Inactive interfaces that no route points at. The peer keeps its record;
/// its OppositeInterfaceStatus becomes Deleted.
pub(super) fn delete_router_interface(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let ri = find(tx, &scope, call.required("RouterInterfaceId")?, INSTANCE_NOT_FOUND)?;
    if !matches!(ri.status(call), IDLE | INACTIVE) {
        return Err(STATUS_NOT_IDLE_OR_INACTIVE.into());
    }
    if route_table::routes_to(tx, &scope, &ri.id) > 0 {
        return Err(REFERRED_BY_ROUTE_ENTRY.into());
    }
    tx.delete::<RouterInterface>(&scope, &ri.id);
    Ok(Body::new())
}
