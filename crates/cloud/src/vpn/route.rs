//! VPN routes of a gateway: destination routes (dbr: RouteDest -> an IPsec connection) and
//! policy-based routes (pbr: RouteSource + RouteDest -> an IPsec connection), weight 0 or 100.
//! A route published to the VPC (PublishVpc) is an entry of the VPC's system route table whose
//! next hop is the VPN gateway, added and removed through the route-table family's functions.

use acs_api::{ApiError, ErrorDef};
use acs_store::{Entity, Read, Scope, Tx, View};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::{configurable, connection, get as get_gateway, touch, VpnGateway, QUOTA_FULL};
use crate::context::Call;
use crate::dispatch::{body, Body};
use crate::paging::Page;
use crate::quota::Quota;
use crate::route_table;

pub const NEXT_HOP_TYPE: &str = route_table::VPN_GATEWAY;

pub const DEST_MALFORMED: ErrorDef =
    ErrorDef::new(400, "InvalidRouteDest.Malformed", "The specified RouteDest is not valid.");
pub const NEXT_HOP_NOT_FOUND: ErrorDef = ErrorDef::new(
    404,
    "InvalidNextHop.NotFound",
    "The specified next hop is not an IPsec connection of the vpn gateway.",
);
pub const ROUTE_NOT_FOUND: ErrorDef =
    ErrorDef::new(404, "InvalidVpnRouteEntry.NotFound", "The specified vpn route entry does not exist.");
pub const ROUTE_EXISTS: ErrorDef =
    ErrorDef::new(400, "InvalidVpnRouteEntry.AlreadyExists", "The specified vpn route entry already exists.");

pub const ROUTES_PER_GATEWAY: Quota = Quota {
    name: "vpn_routes_per_vpn_gateway",
    default: 50,
    about: "destination and policy routes of one VPN gateway",
};

pub const DBR: &str = "dbr";
pub const PBR: &str = "pbr";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct VpnRoute {
    pub id: String,
    pub vpn_gateway_id: String,
    /// [`DBR`] or [`PBR`].
    pub route_type: String,
    /// The source block of a policy route ("" for destination routes).
    pub source: String,
    pub dest: String,
    pub next_hop: String,
    pub weight: i64,
    pub overlay_mode: String,
    pub published: bool,
    pub created_ms: i64,
}

impl Entity for VpnRoute {
    const KIND: &'static str = "vpn_route";
    fn id(&self) -> &str {
        &self.id
    }
    fn parent(&self) -> Option<&str> {
        Some(&self.vpn_gateway_id)
    }
}

impl VpnRoute {
    fn state(&self) -> &'static str {
        if self.published {
            "published"
        } else {
            "normal"
        }
    }

    fn view(&self) -> Value {
        json!({
            "VpnInstanceId": self.vpn_gateway_id,
            "RouteEntryType": self.route_type,
            "Source": self.source,
            "RouteDest": self.dest,
            "NextHop": self.next_hop,
            "Weight": self.weight,
            "State": self.state(),
            "CreateTime": self.created_ms,
        })
    }

    fn same(&self, route_type: &str, source: &str, dest: &str, next_hop: &str) -> bool {
        self.route_type == route_type && self.source == source && self.dest == dest && self.next_hop == next_hop
    }
}

/// A CIDR block as RouteDest / RouteSource take it.
fn block(call: &Call<'_>, name: &str) -> Result<String, ApiError> {
    let raw = call.required(name)?;
    acs_api::validate::parse_cidr(raw).map(|n| n.to_string()).ok_or_else(|| DEST_MALFORMED.into())
}

/// Puts the route into the VPC's system table, or takes it out when no other published route
/// of the gateway has the destination.
fn set_published(
    call: &Call<'_>,
    tx: &mut Tx<'_>,
    scope: &Scope,
    gw: &VpnGateway,
    dest: &str,
    on: bool,
) -> Result<(), ApiError> {
    if on {
        return route_table::add_published(call, tx, scope, &gw.vpc_id, dest, NEXT_HOP_TYPE, &gw.id);
    }
    let still = tx.children::<VpnRoute>(scope, &gw.id).iter().any(|r| r.published && r.dest == dest);
    if !still {
        route_table::remove_published(tx, scope, &gw.vpc_id, dest, &gw.id);
    }
    Ok(())
}

fn create(call: &Call<'_>, tx: &mut Tx<'_>, route_type: &str) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let gw = configurable(call, tx, &scope, call.required("VpnGatewayId")?)?;
    let dest = block(call, "RouteDest")?;
    let source = if route_type == PBR { block(call, "RouteSource")? } else { String::new() };
    let next_hop = call.required("NextHop")?.to_string();
    if !connection::of_gateway(tx, &scope, &gw.id, &next_hop) {
        return Err(NEXT_HOP_NOT_FOUND.into());
    }
    let routes = tx.children::<VpnRoute>(&scope, &gw.id);
    if routes.iter().any(|r| r.same(route_type, &source, &dest, &next_hop)) {
        return Err(ROUTE_EXISTS.into());
    }
    if routes.len() >= call.quota(tx, &ROUTES_PER_GATEWAY) {
        return Err(QUOTA_FULL.into());
    }
    let published = call.params.bool("PublishVpc").unwrap_or(false);
    if published {
        set_published(call, tx, &scope, &gw, &dest, true)?;
    }
    let route = VpnRoute {
        id: format!("{}|{route_type}|{source}|{dest}|{next_hop}", gw.id),
        vpn_gateway_id: gw.id.clone(),
        route_type: route_type.to_string(),
        source,
        dest,
        next_hop,
        weight: call.params.int("Weight").unwrap_or(0),
        overlay_mode: call.str("OverlayMode").unwrap_or_default().to_string(),
        published,
        created_ms: call.now_ms,
    };
    let mut out = body(route.view());
    out.remove("RouteEntryType");
    if route_type == DBR {
        out.remove("Source");
    } else {
        let source = out.remove("Source").unwrap_or_default();
        out.insert("RouteSource".into(), source);
    }
    out.insert("OverlayMode".into(), json!(route.overlay_mode));
    tx.put(&scope, route);
    touch(call, tx, &scope, gw);
    Ok(out)
}

pub(super) fn create_route_entry(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    create(call, tx, DBR)
}

pub(super) fn create_pbr_route_entry(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    create(call, tx, PBR)
}

/// The route the call names (type, source, destination, next hop and weight).
fn find(call: &Call<'_>, tx: &Tx<'_>, scope: &Scope, gw: &VpnGateway, route_type: &str) -> Result<VpnRoute, ApiError> {
    let dest = block(call, "RouteDest")?;
    let source = if route_type == PBR { block(call, "RouteSource")? } else { String::new() };
    let next_hop = call.required("NextHop")?;
    let weight = call.params.int("Weight").unwrap_or(0);
    tx.children::<VpnRoute>(scope, &gw.id)
        .into_iter()
        .find(|r| r.same(route_type, &source, &dest, next_hop) && r.weight == weight)
        .ok_or_else(|| ROUTE_NOT_FOUND.into())
}

fn delete(call: &Call<'_>, tx: &mut Tx<'_>, route_type: &str) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let gw = configurable(call, tx, &scope, call.required("VpnGatewayId")?)?;
    let route = find(call, tx, &scope, &gw, route_type)?;
    tx.delete::<VpnRoute>(&scope, &route.id);
    if route.published {
        set_published(call, tx, &scope, &gw, &route.dest, false)?;
    }
    touch(call, tx, &scope, gw);
    Ok(Body::new())
}

pub(super) fn delete_route_entry(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    delete(call, tx, DBR)
}

pub(super) fn delete_pbr_route_entry(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    delete(call, tx, PBR)
}

pub(super) fn modify_pbr_weight(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let gw = configurable(call, tx, &scope, call.required("VpnGatewayId")?)?;
    let mut route = find(call, tx, &scope, &gw, PBR)?;
    route.weight = call.params.int("NewWeight").unwrap_or(route.weight);
    if let Some(mode) = call.str("OverlayMode") {
        route.overlay_mode = mode.to_string();
    }
    tx.put(&scope, route);
    touch(call, tx, &scope, gw);
    Ok(Body::new())
}

/// Publishes (PublishVpc=true) or withdraws the gateway's routes of the type to RouteDest via NextHop.
pub(super) fn publish(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let gw = configurable(call, tx, &scope, call.required("VpnGatewayId")?)?;
    let dest = block(call, "RouteDest")?;
    let next_hop = call.required("NextHop")?;
    let route_type = if call.str("RouteType") == Some(PBR) { PBR } else { DBR };
    let on = call.params.bool("PublishVpc").unwrap_or(false);
    let routes: Vec<VpnRoute> = tx
        .children::<VpnRoute>(&scope, &gw.id)
        .into_iter()
        .filter(|r| r.route_type == route_type && r.dest == dest && r.next_hop == next_hop)
        .collect();
    if routes.is_empty() {
        return Err(ROUTE_NOT_FOUND.into());
    }
    for mut r in routes {
        r.published = on;
        tx.put(&scope, r);
    }
    set_published(call, tx, &scope, &gw, &dest, on)?;
    touch(call, tx, &scope, gw);
    Ok(Body::new())
}

/// The routes through an IPsec connection being deleted go with it.
pub(super) fn forget_next_hop(
    call: &Call<'_>,
    tx: &mut Tx<'_>,
    scope: &Scope,
    gw: &VpnGateway,
    connection_id: &str,
) -> Result<(), ApiError> {
    for r in tx.children::<VpnRoute>(scope, &gw.id) {
        if r.next_hop == connection_id {
            tx.delete::<VpnRoute>(scope, &r.id);
            if r.published {
                set_published(call, tx, scope, gw, &r.dest, false)?;
            }
        }
    }
    Ok(())
}

/// A deleted gateway's routes leave the VPC's route table.
pub(super) fn delete_all_of_gateway(tx: &mut Tx<'_>, scope: &Scope, gw: &VpnGateway) {
    for r in tx.children::<VpnRoute>(scope, &gw.id) {
        tx.delete::<VpnRoute>(scope, &r.id);
        route_table::remove_published(tx, scope, &gw.vpc_id, &r.dest, &gw.id);
    }
}

pub(super) fn describe(call: &Call<'_>, view: &View<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let gw = get_gateway(view, &scope, call.required("VpnGatewayId")?)?;
    let page = Page::from_params(call.params);
    let routes = view.children::<VpnRoute>(&scope, &gw.id);
    let total = routes.len();
    let items: Vec<Value> = routes.iter().skip(page.offset()).take(page.size).map(VpnRoute::view).collect();
    let mut out = body(json!({ "VpnRouteEntries": { "VpnRouteEntry": items } }));
    page.annotate(&mut out, total);
    Ok(out)
}
