//! The user's side of the lifecycle: apply (Create, and the setup order in `orders.rs`), cancel,
//! modify, enable, terminate, delete.

use acs_api::{ApiError, ErrorDef};
use acs_store::{Read, Scope, Tx};
use serde_json::json;

use super::*;
use crate::billing;
use crate::context::Call;
use crate::dispatch::{body, Body};
use crate::ids::new_id;
use crate::region;

/// What an application for a new connection asks for.
pub(super) struct Application<'a> {
    pub access_point_id: &'a str,
    pub line_operator: &'a str,
    pub port_type: &'a str,
    pub peer_location: &'a str,
    pub circuit_code: &'a str,
    pub name: &'a str,
    pub description: &'a str,
    pub bandwidth: Option<i64>,
    pub redundant_id: Option<&'a str>,
    pub kind: &'a str,
}

/// Checks an application (14.1) and records the new connection, Initial (under review).
pub(super) fn open_application(
    call: &Call<'_>,
    tx: &mut Tx<'_>,
    scope: &Scope,
    app: &Application<'_>,
) -> Result<PhysicalConnection, ApiError> {
    if billing::is_overdue(tx, call.account) {
        return Err(FORBIDDEN_BILLS_OUTSTANDING.into());
    }
    let known = region::region(&scope.region)
        .is_some_and(|r| region::access_points(r).iter().any(|ap| ap.id == app.access_point_id));
    if !known {
        return Err(INVALID_ACCESS_POINT_ID_NOT_ENABLED.into());
    }
    let capacity = port_spec(app.port_type).1;
    if app.bandwidth.is_some_and(|b| b > capacity) {
        return Err(INVALID_BANDWIDTH.into());
    }
    if let Some(redundant) = app.redundant_id {
        check_redundant(call, tx, scope, redundant, INVALID_REDUNDANT_ID_NOT_FOUND)?;
    }
    let statuses: Vec<String> =
        tx.list::<PhysicalConnection>(scope).iter().map(|pc| pc.current_status(call).to_string()).collect();
    if statuses.iter().filter(|s| is_open(s)).count() >= call.quota(tx, &OPEN_APPLICATIONS_QUOTA) {
        return Err(QUOTA_EXCEEDED_FREE_PER_AP.into());
    }
    let at_point = tx.count::<PhysicalConnection>(scope, |pc| {
        pc.access_point_id == app.access_point_id && is_live(pc.current_status(call))
    });
    if at_point >= call.quota(tx, &PER_ACCESS_POINT_QUOTA) {
        return Err(QUOTA_EXCEEDED_PER_AP.into());
    }
    let pc = PhysicalConnection {
        id: new_id("pc", &scope.region),
        region: scope.region.clone(),
        access_point_id: app.access_point_id.to_string(),
        status: INITIAL.to_string(),
        name: app.name.to_string(),
        description: app.description.to_string(),
        created_ms: call.now_ms,
        status_ms: call.now_ms,
        line_operator: app.line_operator.to_string(),
        peer_location: app.peer_location.to_string(),
        circuit_code: app.circuit_code.to_string(),
        port_type: app.port_type.to_string(),
        bandwidth: app.bandwidth.unwrap_or(capacity),
        redundant_id: app.redundant_id.unwrap_or_default().to_string(),
        kind: app.kind.to_string(),
        enabled_ms: None,
        charge_type: POST_PAID.to_string(),
        end_ms: None,
        port_number: String::new(),
        loa: None,
    };
    record_owner(tx, call.account, &pc.id);
    tx.put(scope, pc.clone());
    Ok(pc)
}

/// A redundant connection must be the caller's, in the region, and Allocated, Confirmed or
/// Enabled; `unknown` is the error for an id nobody owns.
pub(super) fn check_redundant(
    call: &Call<'_>,
    r: &impl Read,
    scope: &Scope,
    id: &str,
    unknown: ErrorDef,
) -> Result<(), ApiError> {
    match get(r, scope, id) {
        Some(pc) if matches!(pc.current_status(call), ALLOCATED | CONFIRMED | ENABLED) => Ok(()),
        Some(_) => Err(INVALID_REDUNDANT_STATUS.into()),
        None => match owner_of(r, id) {
            Some(owner) if owner != call.account => Err(INVALID_REDUNDANT_PHYSICAL_CONNECTION.into()),
            _ => Err(unknown.into()),
        },
    }
}

pub(super) fn create(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let app = Application {
        access_point_id: call.required("AccessPointId")?,
        line_operator: call.required("LineOperator")?,
        port_type: call.str("PortType").unwrap_or(DEFAULT_PORT_TYPE),
        peer_location: call.required("PeerLocation")?,
        circuit_code: call.str("CircuitCode").unwrap_or_default(),
        name: call.str("Name").unwrap_or_default(),
        description: call.str("Description").unwrap_or_default(),
        bandwidth: call.params.int("bandwidth"),
        redundant_id: call.str("RedundantPhysicalConnectionId"),
        kind: call.str("Type").unwrap_or(DEFAULT_TYPE),
    };
    let pc = open_application(call, tx, &scope, &app)?;
    Ok(body(json!({ "PhysicalConnectionId": pc.id })))
}

/// Before it is enabled, an application can be withdrawn (14.2).
pub(super) fn cancel(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let mut pc = get_settled(call, tx, &scope, call.required("PhysicalConnectionId")?)?;
    if !matches!(pc.status.as_str(), INITIAL | APPROVED | ALLOCATING | ALLOCATED | CONFIRMED) {
        return Err(FORBIDDEN_NOT_ALLOWED_IN_STATE.into());
    }
    pc.set_status(CANCELED, call.now_ms);
    pc.drop_loa();
    tx.put(&scope, pc);
    Ok(Body::new())
}

/// 14.4: nothing changes in Canceled, Allocating, Allocation Failed or Terminated (nor while
/// Terminating); the specification (port type, bandwidth) and the redundant connection only in
/// Initial or Rejected; a Rejected application becomes Initial again.
pub(super) fn modify(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let mut pc = get_settled(call, tx, &scope, call.required("PhysicalConnectionId")?)?;
    if matches!(pc.status.as_str(), CANCELED | ALLOCATING | ALLOCATION_FAILED | TERMINATING | TERMINATED) {
        return Err(INVALID_STATUS.into());
    }
    let port_type = call.str("PortType");
    let bandwidth = call.params.int("Bandwidth");
    let redundant = call.str("RedundantPhysicalConnectionId");
    let changes_spec = port_type.is_some() || bandwidth.is_some() || redundant.is_some();
    if changes_spec && !matches!(pc.status.as_str(), INITIAL | REJECTED) {
        return Err(INVALID_STATUS.into());
    }
    if let Some(p) = port_type {
        pc.port_type = p.to_string();
    }
    let capacity = port_spec(&pc.port_type).1;
    match bandwidth {
        Some(b) if b > capacity => return Err(INVALID_BANDWIDTH.into()),
        Some(b) => pc.bandwidth = b,
        // A smaller port caps the bandwidth it carries.
        None => pc.bandwidth = pc.bandwidth.min(capacity),
    }
    if let Some(r) = redundant {
        check_redundant(call, tx, &scope, r, INVALID_REDUNDANT_PHYSICAL_CONNECTION)?;
        pc.redundant_id = r.to_string();
    }
    call.update(&mut pc.name, "Name");
    call.update(&mut pc.description, "Description");
    call.update(&mut pc.circuit_code, "CircuitCode");
    call.update(&mut pc.peer_location, "PeerLocation");
    call.update(&mut pc.line_operator, "LineOperator");
    if pc.status == REJECTED {
        pc.set_status(INITIAL, call.now_ms);
    }
    tx.put(&scope, pc);
    Ok(Body::new())
}

/// 14.6: Confirmed -> Enabled.
pub(super) fn enable(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let mut pc = get_settled(call, tx, &scope, call.required("PhysicalConnectionId")?)?;
    if pc.status != CONFIRMED {
        return Err(FORBIDDEN_NOT_ALLOWED_IN_STATE.into());
    }
    pc.set_status(ENABLED, call.now_ms);
    pc.enabled_ms = Some(call.now_ms);
    tx.put(&scope, pc);
    Ok(Body::new())
}

/// 14.5: Enabled -> Terminating -> (after the transition delay) Terminated, once its VBRs are gone.
pub(super) fn terminate(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let mut pc = get_settled(call, tx, &scope, call.required("PhysicalConnectionId")?)?;
    if pc.status != ENABLED {
        return Err(FORBIDDEN_NOT_ALLOWED_IN_STATE.into());
    }
    if let Some(objection) = call.cloud.physical_connection_in_use(tx, &scope, &pc.id) {
        return Err(objection);
    }
    pc.set_status(TERMINATING, call.now_ms);
    tx.put(&scope, pc);
    Ok(Body::new())
}

/// 14.7: only Rejected, Canceled, Allocation Failed or Terminated connections; an id of the
/// account in another region is NotMatched.
pub(super) fn delete(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let id = call.required("PhysicalConnectionId")?;
    if get(tx, &scope, id).is_none() && tx.find::<PhysicalConnection>(call.account, id).is_some() {
        return Err(INVALID_PHYSICAL_CONNECTION_ID_NOT_MATCHED.into());
    }
    let pc = get_settled(call, tx, &scope, id)?;
    if !matches!(pc.status.as_str(), REJECTED | CANCELED | ALLOCATION_FAILED | TERMINATED) {
        return Err(FORBIDDEN_NOT_ALLOWED_IN_STATE.into());
    }
    if let Some(objection) = call.cloud.physical_connection_in_use(tx, &scope, &pc.id) {
        return Err(objection);
    }
    tx.delete::<PhysicalConnection>(&scope, &pc.id);
    forget_owner(tx, &pc.id);
    Ok(Body::new())
}
