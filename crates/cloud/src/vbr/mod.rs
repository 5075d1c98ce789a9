//! Virtual border routers (VPC reference chapter 13): routers on physical connections, one VLAN
//! each, with their own route table; router interfaces and BGP groups attach to them (and block
//! their deletion through the `vbr_in_use` seam).
//!
//! Statuses: `active` (the reference's "Enabled") from creation for the connection owner;
//! TerminateVirtualBorderRouter -> `terminated` at once; RecoverVirtualBorderRouter ->
//! `recovering` for the transition delay, then `active`. A terminated VBR keeps its VLAN ID for
//! seven days. Only one account exists, so a VbrOwnerId other than the caller is unknown
//! (InvalidVbrOwnerId.NotFound) and no VBR is ever `unconfirmed`.

mod describe;
mod link;

use std::sync::Arc;

use acs_api::{ApiError, ErrorDef};
use acs_store::{Entity, Read, Scope, Tx};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::context::{Call, Cloud, Dependents};
use crate::dispatch::{body, Actions, Body, Handler};
use crate::ids::new_id;
use crate::quota::Quota;
use crate::{physical_connection, route_table};

pub const INVALID_PHYSICAL_CONNECTION_ID_NOT_FOUND: ErrorDef =
    ErrorDef::new(404, "InvalidPhysicalConnectionId.NotFound", "The specified PhysicalConnectionId is not found.");
pub const PHYSICAL_CONNECTION_NOT_ENABLED: ErrorDef = ErrorDef::new(
    400,
    "InvalidPhysicalConnectionId.NotEnabled",
    "The specified PhysicalConnectionId is not in Enabled state.",
);
pub const VBR_OWNER_NOT_FOUND: ErrorDef =
    ErrorDef::new(404, "InvalidVbrOwnerId.NotFound", "The specified VbrOwnerId is not valid.");
pub const VBRS_PER_CONNECTION: ErrorDef =
    ErrorDef::new(400, "QuotaExceeded.vbrPerpConn", "Virtual boarder router per PhysicalConnection quota exceed.");
pub const VBR_NOT_FOUND: ErrorDef =
    ErrorDef::new(404, "InvalidVbrId.NotFound", "The specified VirutalBorderRouter does not exist in our records.");
/// Modify/Terminate/Recover word it differently.
pub const VBR_NOT_FOUND_SHORT: ErrorDef =
    ErrorDef::new(404, "InvalidVbrId.NotFound", "The specified VirutalBorderRouter is not found.");
pub const NOT_ALLOWED_IN_STATE: ErrorDef = ErrorDef::new(
    400,
    "InvalidOperation.OperationNotAllowedInState",
    "The specified VirutalBorderRouter is in invalid state.",
);
/// RecoverVirtualBorderRouter's row has no final period.
pub const NOT_ALLOWED_IN_STATE_RECOVER: ErrorDef = ErrorDef::new(
    400,
    "InvalidOperation.OperationNotAllowedInState",
    "The specified VirutalBorderRouter is in invalid state",
);
pub const ROUTER_INTERFACE_NOT_DELETED: ErrorDef = ErrorDef::new(
    400,
    "InvalidOperation.RouterInterfaceNotDeleted",
    "The specified VirutalBorderRouter still has routerInterface.",
);
pub const VLAN_ALREADY_IN_USE: ErrorDef =
    ErrorDef::new(400, "OperationFailed.VlanIdAlreadyInUse", "The specifed vlanId has been used.");
/// A physical connection still carrying VBRs cannot be terminated or deleted (chapter 14).
pub const VBR_EXISTS: ErrorDef = ErrorDef::new(400, "Forbidden.VBRExists", "vbr owner's vbr still exists.");
pub const ASSOCIATED_TO_VBR: ErrorDef =
    ErrorDef::new(400, "Forbidden.AssociateToVBR", "The physical connection still associate to VBR.");
pub const STILL_ASSOCIATED: ErrorDef =
    ErrorDef::new(400, "InvalidStatus.NotAllowed", "The virtual border has been associated by physicalConnection.");

pub const ERRORS: &[ErrorDef] = &[
    INVALID_PHYSICAL_CONNECTION_ID_NOT_FOUND,
    PHYSICAL_CONNECTION_NOT_ENABLED,
    VBR_OWNER_NOT_FOUND,
    VBRS_PER_CONNECTION,
    VBR_NOT_FOUND,
    VBR_NOT_FOUND_SHORT,
    NOT_ALLOWED_IN_STATE,
    NOT_ALLOWED_IN_STATE_RECOVER,
    ROUTER_INTERFACE_NOT_DELETED,
    VLAN_ALREADY_IN_USE,
    STILL_ASSOCIATED,
    VBR_EXISTS,
    ASSOCIATED_TO_VBR,
];
pub use describe::PHYSICAL_CONNECTION_NOT_OWNED;
pub use link::ERRORS as LINK_ERRORS;

pub(crate) const ACTIONS: Actions = &[
    ("CreateVirtualBorderRouter", Handler::Write(create_virtual_border_router)),
    ("DeleteVirtualBorderRouter", Handler::Write(delete_virtual_border_router)),
    ("DescribeVirtualBorderRouters", Handler::Read(describe::describe_virtual_border_routers)),
    (
        "DescribeVirtualBorderRoutersForPhysicalConnection",
        Handler::Read(describe::describe_virtual_border_routers_for_physical_connection),
    ),
    ("ModifyVirtualBorderRouterAttribute", Handler::Write(modify_virtual_border_router_attribute)),
    ("TerminateVirtualBorderRouter", Handler::Write(terminate_virtual_border_router)),
    ("RecoverVirtualBorderRouter", Handler::Write(recover_virtual_border_router)),
    ("AssociatePhysicalConnectionToVirtualBorderRouter", Handler::Write(link::associate)),
    ("UnassociatePhysicalConnectionFromVirtualBorderRouter", Handler::Write(link::unassociate)),
];

/// The statuses of chapter 13.3.
pub const UNCONFIRMED: &str = "unconfirmed";
pub const ACTIVE: &str = "active";
pub const RECOVERING: &str = "recovering";
pub const TERMINATED: &str = "terminated";

/// VBRs per physical connection (the seed documents the quota without a number; the VLAN range
/// allows 2999).
pub const VBRS_PER_PHYSICAL_CONNECTION: Quota =
    Quota { name: "vbrs_per_physical_connection", default: 10, about: "VBRs on one physical connection" };
/// A terminated VBR keeps its VLAN ID this long (chapter 13.5).
pub const VLAN_RETENTION_MS: i64 = 7 * 24 * 3_600_000;
/// BFD defaults (chapter 13.5 ranges: 3-10, 200-1000 ms).
const DEFAULT_DETECT_MULTIPLIER: i64 = 3;
const DEFAULT_BFD_INTERVAL_MS: i64 = 300;

/// The VBR's link over one physical connection.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Association {
    pub physical_connection_id: String,
    pub vlan_id: i64,
    pub circuit_code: String,
    pub local_gateway_ip: String,
    pub peer_gateway_ip: String,
    pub peering_subnet_mask: String,
    /// The VLAN interface of the link (`ri-...`).
    #[serde(default)]
    pub vlan_interface_id: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct VirtualBorderRouter {
    pub id: String,
    pub region: String,
    pub name: String,
    pub description: String,
    /// `active`, `terminated` or `recovering` (derived: see [`VirtualBorderRouter::status_at`]).
    pub status: String,
    /// The VBR's route table (`vtb-...`).
    pub route_table_id: String,
    /// The physical connection it was created on first, then any associated later.
    pub associations: Vec<Association>,
    pub created_ms: i64,
    #[serde(default)]
    pub owner_id: String,
    #[serde(default)]
    pub activation_ms: i64,
    #[serde(default)]
    pub termination_ms: Option<i64>,
    #[serde(default)]
    pub recovery_ms: Option<i64>,
    #[serde(default)]
    pub detect_multiplier: i64,
    #[serde(default)]
    pub min_rx_interval: i64,
    #[serde(default)]
    pub min_tx_interval: i64,
}

impl Entity for VirtualBorderRouter {
    const KIND: &'static str = "vbr";
    fn id(&self) -> &str {
        &self.id
    }
}

impl VirtualBorderRouter {
    /// `recovering` lasts the transition delay after a recovery, then the VBR is `active`.
    pub fn status(&self, call: &Call<'_>) -> &str {
        match self.recovery_ms {
            Some(t) if self.status == ACTIVE && !call.settled(t) => RECOVERING,
            _ => &self.status,
        }
    }

    /// Active and not recovering (ignores the transition delay: use [`status`] for that).
    pub fn is_active(&self) -> bool {
        self.status == ACTIVE
    }

    /// Whether the VBR holds `vlan_id` on the connection at `now_ms` (terminated ones for seven days).
    fn holds_vlan(&self, pc_id: &str, vlan_id: i64, now_ms: i64) -> bool {
        let holding = self.status != TERMINATED || self.termination_ms.is_some_and(|t| now_ms < t + VLAN_RETENTION_MS);
        holding && self.associations.iter().any(|a| a.physical_connection_id == pc_id && a.vlan_id == vlan_id)
    }
}

/// Plugs VBRs into the physical-connection seam.
pub fn register(cloud: &Cloud) {
    cloud.register_dependents(Arc::new(Seams));
}

struct Seams;

impl Dependents for Seams {
    /// VBRs created on the connection, then VBRs that associated it later.
    fn physical_connection_in_use(&self, tx: &Tx<'_>, scope: &Scope, pc_id: &str) -> Option<ApiError> {
        let vbrs = on_physical_connection(tx, scope, pc_id);
        if vbrs.iter().any(|v| v.associations.first().is_some_and(|a| a.physical_connection_id == pc_id)) {
            return Some(VBR_EXISTS.into());
        }
        (!vbrs.is_empty()).then(|| ASSOCIATED_TO_VBR.into())
    }
}

/// The VBR, if it exists in the scope.
pub fn get(r: &impl Read, scope: &Scope, id: &str) -> Option<VirtualBorderRouter> {
    r.get::<VirtualBorderRouter>(scope, id)
}

fn find(r: &impl Read, scope: &Scope, id: &str, not_found: ErrorDef) -> Result<VirtualBorderRouter, ApiError> {
    get(r, scope, id).ok_or_else(|| not_found.into())
}

/// VBRs using a physical connection.
pub fn on_physical_connection(r: &impl Read, scope: &Scope, pc_id: &str) -> Vec<VirtualBorderRouter> {
    r.select::<VirtualBorderRouter>(scope, |v| v.associations.iter().any(|a| a.physical_connection_id == pc_id))
}

/// The enabled physical connection named by the call.
fn enabled_connection(
    call: &Call<'_>,
    r: &impl Read,
    scope: &Scope,
) -> Result<physical_connection::PhysicalConnection, ApiError> {
    let pc = physical_connection::get(r, scope, call.required("PhysicalConnectionId")?)
        .ok_or(INVALID_PHYSICAL_CONNECTION_ID_NOT_FOUND)?;
    if !pc.is_enabled() {
        return Err(PHYSICAL_CONNECTION_NOT_ENABLED.into());
    }
    Ok(pc)
}

fn create_virtual_border_router(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    if call.str("VbrOwnerId").is_some_and(|owner| owner != call.account) {
        return Err(VBR_OWNER_NOT_FOUND.into());
    }
    let pc = enabled_connection(call, tx, &scope)?;
    let link = link::requested(call, tx, &scope, &pc.id, None)?;
    if on_physical_connection(tx, &scope, &pc.id).len() >= call.quota(tx, &VBRS_PER_PHYSICAL_CONNECTION) {
        return Err(VBRS_PER_CONNECTION.into());
    }
    let id = new_id("vbr", &scope.region);
    let route_table_id = route_table::create_for_vbr(call, tx, &scope, &id);
    tx.put(
        &scope,
        VirtualBorderRouter {
            id: id.clone(),
            region: scope.region.clone(),
            name: call.str("Name").unwrap_or_default().to_string(),
            description: call.str("Description").unwrap_or_default().to_string(),
            status: ACTIVE.into(),
            route_table_id,
            associations: vec![link],
            created_ms: call.now_ms,
            owner_id: call.account.to_string(),
            activation_ms: call.now_ms,
            termination_ms: None,
            recovery_ms: None,
            detect_multiplier: DEFAULT_DETECT_MULTIPLIER,
            min_rx_interval: DEFAULT_BFD_INTERVAL_MS,
            min_tx_interval: DEFAULT_BFD_INTERVAL_MS,
        },
    );
    Ok(body(json!({ "VbrId": id })))
}

/// Chapter 13.2: no router interfaces left, in an allowed status, and no physical connection
/// associated besides the one it was created on.
fn delete_virtual_border_router(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let vbr = find(tx, &scope, call.required("VbrId")?, VBR_NOT_FOUND)?;
    if !matches!(vbr.status(call), ACTIVE | TERMINATED | UNCONFIRMED) {
        return Err(NOT_ALLOWED_IN_STATE.into());
    }
    if let Some(objection) = call.cloud.vbr_in_use(tx, &scope, &vbr.id) {
        return Err(objection);
    }
    if vbr.associations.len() > 1 {
        return Err(STILL_ASSOCIATED.into());
    }
    link::keep_holds(tx, &scope, &vbr);
    route_table::delete_all_of_vbr(tx, &scope, &vbr.id);
    tx.delete::<VirtualBorderRouter>(&scope, &vbr.id);
    Ok(Body::new())
}

fn modify_virtual_border_router_attribute(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let mut vbr = find(tx, &scope, call.required("VbrId")?, VBR_NOT_FOUND_SHORT)?;
    // A terminated VBR keeps its configuration (and VLAN) until it is recovered or deleted.
    if vbr.status(call) != ACTIVE {
        return Err(NOT_ALLOWED_IN_STATE.into());
    }
    call.update(&mut vbr.name, "Name");
    call.update(&mut vbr.description, "Description");
    if let Some(first) = vbr.associations.first().cloned() {
        let changed = link::requested(call, tx, &scope, &first.physical_connection_id, Some((&vbr, &first)))?;
        if let Some(slot) = vbr.associations.first_mut() {
            *slot = changed;
        }
    }
    for (field, name) in [
        (&mut vbr.detect_multiplier, "DetectMultiplier"),
        (&mut vbr.min_rx_interval, "MinRxInterval"),
        (&mut vbr.min_tx_interval, "MinTxInterval"),
    ] {
        if let Some(v) = call.params.int(name) {
            *field = v;
        }
    }
    tx.put(&scope, vbr);
    Ok(Body::new())
}

fn terminate_virtual_border_router(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let mut vbr = find(tx, &scope, call.required("VbrId")?, VBR_NOT_FOUND_SHORT)?;
    if vbr.status(call) != ACTIVE {
        return Err(NOT_ALLOWED_IN_STATE.into());
    }
    vbr.status = TERMINATED.into();
    vbr.termination_ms = Some(call.now_ms);
    tx.put(&scope, vbr);
    Ok(Body::new())
}

/// Chapter 13.7: a terminated VBR on an enabled connection whose VLAN nobody took meanwhile.
fn recover_virtual_border_router(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let mut vbr = find(tx, &scope, call.required("VbrId")?, VBR_NOT_FOUND_SHORT)?;
    if vbr.status(call) != TERMINATED {
        return Err(NOT_ALLOWED_IN_STATE_RECOVER.into());
    }
    for a in &vbr.associations {
        let enabled = physical_connection::get(tx, &scope, &a.physical_connection_id).is_some_and(|pc| pc.is_enabled());
        if !enabled {
            return Err(NOT_ALLOWED_IN_STATE_RECOVER.into());
        }
        let taken = on_physical_connection(tx, &scope, &a.physical_connection_id)
            .iter()
            .any(|other| other.id != vbr.id && other.holds_vlan(&a.physical_connection_id, a.vlan_id, call.now_ms))
            || link::held_after_delete(tx, &scope, &a.physical_connection_id, a.vlan_id, call.now_ms);
        if taken {
            return Err(VLAN_ALREADY_IN_USE.into());
        }
    }
    vbr.status = ACTIVE.into();
    vbr.recovery_ms = Some(call.now_ms);
    tx.put(&scope, vbr);
    Ok(Body::new())
}
