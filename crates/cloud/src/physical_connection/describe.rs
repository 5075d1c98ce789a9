//! DescribePhysicalConnections (14.3).

use acs_api::ApiError;
use acs_store::View;
use serde_json::{json, Value};

use super::*;
use crate::billing;
use crate::clock::format_time;
use crate::context::Call;
use crate::dispatch::{body, Body};
use crate::paging::{checked_filters, Page};

const FILTER_KEYS: &[&str] =
    &["PhysicalConnectionId", "AccessPointId", "Type", "LineOperator", "Spec", "Status", "Name"];

/// Status values compare without spaces, so that `AllocationFailed` (the spelling of 14.4 and
/// 14.7) finds `Allocation Failed`.
fn same_status(a: &str, b: &str) -> bool {
    a.chars().filter(|c| !c.is_whitespace()).eq(b.chars().filter(|c| !c.is_whitespace()))
}

/// Filters AND-ed, the values of one filter OR-ed; a filter without values constrains nothing.
pub(super) fn describe(call: &Call<'_>, view: &View<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let page = Page::from_params(call.params);
    let filters = checked_filters(call.params, FILTER_KEYS)?;
    let (items, total) = view.page::<PhysicalConnection>(
        &scope,
        |pc| {
            filters.iter().filter(|(_, values)| !values.is_empty()).all(|(key, values)| {
                let field = match key.as_str() {
                    "PhysicalConnectionId" => pc.id.as_str(),
                    "AccessPointId" => &pc.access_point_id,
                    "Type" => &pc.kind,
                    "LineOperator" => &pc.line_operator,
                    "Spec" => pc.spec(),
                    "Name" => &pc.name,
                    _ => return values.iter().any(|v| same_status(v, pc.current_status(call))),
                };
                values.iter().any(|v| v == field)
            })
        },
        page.offset(),
        page.size,
    );
    let overdue = billing::is_overdue(view, call.account);
    let items: Vec<Value> = items.iter().map(|pc| item(call, pc, overdue)).collect();
    let mut out = body(json!({ "PhysicalConnectionSet": { "PhysicalConnectionType": items } }));
    page.annotate(&mut out, total);
    Ok(out)
}

fn item(call: &Call<'_>, pc: &PhysicalConnection, overdue: bool) -> Value {
    let status = pc.current_status(call);
    // Only a connection in service is billed, so only it can be locked for an overdue payment.
    let business = if overdue && status == ENABLED { "FinancialLocked" } else { "Normal" };
    let ad_location = if pc.port_number.is_empty() { String::new() } else { device_location(pc) };
    json!({
        "Type": pc.kind,
        "PhysicalConnectionId": pc.id,
        "PeerLocation": pc.peer_location,
        "CreationTime": format_time(pc.created_ms),
        "Name": pc.name,
        "Status": status,
        "AdLocation": ad_location,
        "EnabledTime": pc.enabled_ms.map(format_time).unwrap_or_default(),
        "BusinessStatus": business,
        "LineOperator": pc.line_operator,
        "PortNumber": pc.port_number,
        "AccessPointId": pc.access_point_id,
        "PortType": pc.port_type,
        "Bandwidth": pc.bandwidth,
        "ChargeType": pc.charge_type,
        "Description": pc.description,
        "EndTime": pc.end_ms.map(format_time).unwrap_or_default(),
        "HasReservationData": "false",
        "RedundantPhysicalConnectionId": pc.redundant_id,
        "ReservationActiveTime": "",
        "ReservationInternetChargeType": "",
        "ReservationOrderType": "",
        "Spec": pc.spec(),
        "CircuitCode": pc.circuit_code,
        "LoaStatus": pc.loa_status(),
    })
}

/// Where the access point's device is: the access point's place, in the catalogue.
fn device_location(pc: &PhysicalConnection) -> String {
    crate::region::region(&pc.region)
        .and_then(|r| crate::region::access_points(r).into_iter().find(|ap| ap.id == pc.access_point_id))
        .map(|ap| ap.location)
        .unwrap_or_default()
}
