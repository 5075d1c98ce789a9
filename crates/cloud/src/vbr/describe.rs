//! DescribeVirtualBorderRouters and DescribeVirtualBorderRoutersForPhysicalConnection.

use acs_api::{ApiError, ErrorDef};
use acs_store::{Read, Scope, View};
use serde_json::{json, Value};

use super::{on_physical_connection, Association, VirtualBorderRouter};
use crate::clock::format_time;
use crate::context::Call;
use crate::dispatch::{body, Body};
use crate::paging::{checked_filters, passes, Page};
use crate::physical_connection;

pub const PHYSICAL_CONNECTION_NOT_OWNED: ErrorDef = ErrorDef::new(
    404,
    "InvalidPhysicalConnectionId.NotFound",
    "The specified PhysicalConnectionId does not belong to user.",
);

/// Filter keys of DescribeVirtualBorderRouters (the reference lists none; these are the fields
/// users select VBRs by).
const KEYS: &[&str] = &["VbrId", "Status", "Name", "PhysicalConnectionId", "AccessPointId", "VlanId"];
/// Filter keys of DescribeVirtualBorderRoutersForPhysicalConnection.
const LINK_KEYS: &[&str] = &["VbrId", "Status", "VlanId", "CircuitCode"];

fn time_or_empty(ms: Option<i64>) -> String {
    ms.map(format_time).unwrap_or_default()
}

fn primary(v: &VirtualBorderRouter) -> Option<&Association> {
    v.associations.first()
}

pub(super) fn describe_virtual_border_routers(call: &Call<'_>, view: &View<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let page = Page::from_params(call.params);
    let filters = checked_filters(call.params, KEYS)?;
    let connection = |id: &str| physical_connection::get(view, &scope, id);
    let (items, total) = view.page::<VirtualBorderRouter>(
        &scope,
        |v| {
            passes(&filters, |key| match key {
                "VbrId" => v.id.clone(),
                "Status" => v.status(call).to_string(),
                "Name" => v.name.clone(),
                "PhysicalConnectionId" => primary(v).map(|a| a.physical_connection_id.clone()).unwrap_or_default(),
                "AccessPointId" => primary(v)
                    .and_then(|a| connection(&a.physical_connection_id))
                    .map(|pc| pc.access_point_id)
                    .unwrap_or_default(),
                _ => primary(v).map(|a| a.vlan_id.to_string()).unwrap_or_default(),
            })
        },
        page.offset(),
        page.size,
    );
    let items: Vec<Value> = items.iter().map(|v| item(call, view, &scope, v)).collect();
    let mut out = body(json!({ "VirtualBorderRouterSet": { "VirtualBorderRouterType": items } }));
    page.annotate(&mut out, total);
    Ok(out)
}

fn item(call: &Call<'_>, r: &impl Read, scope: &Scope, v: &VirtualBorderRouter) -> Value {
    let link = primary(v);
    let pc = link.and_then(|a| physical_connection::get(r, scope, &a.physical_connection_id));
    let text = |f: fn(&Association) -> &str| link.map(|a| f(a).to_string()).unwrap_or_default();
    let associated: Vec<Value> = v
        .associations
        .iter()
        .map(|a| {
            let pc_status = physical_connection::get(r, scope, &a.physical_connection_id).map(|p| p.status);
            json!({
                "CircuitCode": a.circuit_code,
                "PhysicalConnectionId": a.physical_connection_id,
                "PhysicalConnectionStatus": pc_status.unwrap_or_default(),
                "PhysicalConnectionOwnerUid": v.owner_id,
                "VlanId": a.vlan_id.to_string(),
                "VlanInterfaceId": a.vlan_interface_id,
                "LocalGatewayIp": a.local_gateway_ip,
                "PeerGatewayIp": a.peer_gateway_ip,
                "PeeringSubnetMask": a.peering_subnet_mask,
                "Status": "Enabled",
            })
        })
        .collect();
    json!({
        "VbrId": v.id,
        "Name": v.name,
        "Description": v.description,
        "Status": v.status(call),
        "RouteTableId": v.route_table_id,
        "CreationTime": format_time(v.created_ms),
        "ActivationTime": format_time(v.activation_ms),
        "TerminationTime": time_or_empty(v.termination_ms),
        "RecoveryTime": time_or_empty(v.recovery_ms),
        "PhysicalConnectionId": text(|a| &a.physical_connection_id),
        "PhysicalConnectionStatus": pc.as_ref().map(|p| p.status.clone()).unwrap_or_default(),
        "PhysicalConnectionBusinessStatus": "Normal",
        "PhysicalConnectionOwnerUid": v.owner_id,
        "AccessPointId": pc.as_ref().map(|p| p.access_point_id.clone()).unwrap_or_default(),
        "VlanId": link.map_or(0, |a| a.vlan_id),
        "VlanInterfaceId": text(|a| &a.vlan_interface_id),
        "CircuitCode": text(|a| &a.circuit_code),
        "LocalGatewayIp": text(|a| &a.local_gateway_ip),
        "PeerGatewayIp": text(|a| &a.peer_gateway_ip),
        "PeeringSubnetMask": text(|a| &a.peering_subnet_mask),
        "DetectMultiplier": v.detect_multiplier,
        "MinRxInterval": v.min_rx_interval,
        "MinTxInterval": v.min_tx_interval,
        "AssociatedCens": { "AssociatedCen": [] },
        "AssociatedPhysicalConnections": { "AssociatedPhysicalConnection": associated },
    })
}

pub(super) fn describe_virtual_border_routers_for_physical_connection(
    call: &Call<'_>,
    view: &View<'_>,
) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let pc_id = call.required("PhysicalConnectionId")?;
    if physical_connection::get(view, &scope, pc_id).is_none() {
        return Err(PHYSICAL_CONNECTION_NOT_OWNED.into());
    }
    let page = Page::from_params(call.params);
    let filters = checked_filters(call.params, LINK_KEYS)?;
    let rows: Vec<(VirtualBorderRouter, Association)> = on_physical_connection(view, &scope, pc_id)
        .into_iter()
        .filter_map(|v| {
            let link = v.associations.iter().find(|a| a.physical_connection_id == pc_id).cloned()?;
            Some((v, link))
        })
        .filter(|(v, a)| {
            passes(&filters, |key| match key {
                "VbrId" => v.id.clone(),
                "Status" => v.status(call).to_string(),
                "VlanId" => a.vlan_id.to_string(),
                _ => a.circuit_code.clone(),
            })
        })
        .collect();
    let items: Vec<Value> = rows
        .iter()
        .skip(page.offset())
        .take(page.size)
        .map(|(v, a)| {
            json!({
                "VbrId": v.id,
                "VbrOwnerUid": v.owner_id,
                "Status": v.status(call),
                "Type": "VBR",
                "EccId": "",
                "CircuitCode": a.circuit_code,
                "VlanId": a.vlan_id,
                "LocalGatewayIp": a.local_gateway_ip,
                "PeerGatewayIp": a.peer_gateway_ip,
                "PeeringSubnetMask": a.peering_subnet_mask,
                "CreationTime": format_time(v.created_ms),
                "ActivationTime": format_time(v.activation_ms),
                "TerminationTime": time_or_empty(v.termination_ms),
                "RecoveryTime": time_or_empty(v.recovery_ms),
            })
        })
        .collect();
    let mut out = body(json!({
        "VirtualBorderRouterForPhysicalConnectionSet": { "VirtualBorderRouterForPhysicalConnectionType": items }
    }));
    page.annotate(&mut out, rows.len());
    Ok(out)
}
