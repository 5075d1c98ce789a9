//! The NAT gateway itself: Initiating during the transition after its creation, Pending during
//! the one after a change of specification, Available otherwise.

use acs_api::ApiError;
use acs_store::{Entity, Read, Scope, Tx, View};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::{
    addresses, package, use_of, NatPackage, NatTable, FORWARD, GATEWAY_NOT_FOUND, HAS_PACKAGES, ONLY_ONE_PACKAGE,
    PACKAGES_PER_GATEWAY, SNAT, VPC_STATUS_ERROR,
};
use crate::clock::format_time;
use crate::context::Call;
use crate::dispatch::{body, Body};
use crate::ids::new_id;
use crate::paging::Page;
use crate::{eip, route_table, tag, vpc};

pub const INITIATING: &str = "Initiating";
const PENDING: &str = "Pending";
/// The destination of the route a gateway adds to its VPC's system table.
pub const DEFAULT_ROUTE: &str = "0.0.0.0/0";
const XLARGE: &str = "XLarge.1";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NatGateway {
    pub id: String,
    pub region: String,
    pub vpc_id: String,
    pub name: String,
    pub description: String,
    /// Small | Middle | Large | XLarge.1
    pub spec: String,
    pub snat_table_id: String,
    pub forward_table_id: String,
    pub resource_group_id: String,
    pub created_ms: i64,
    /// The latest change of specification.
    pub spec_changed_ms: Option<i64>,
}

impl Entity for NatGateway {
    const KIND: &'static str = "nat_gateway";
    fn id(&self) -> &str {
        &self.id
    }
    fn parent(&self) -> Option<&str> {
        Some(&self.vpc_id)
    }
}

impl NatGateway {
    pub fn status(&self, call: &Call<'_>) -> &'static str {
        if !call.settled(self.created_ms) {
            INITIATING
        } else if self.spec_changed_ms.is_some_and(|t| !call.settled(t)) {
            PENDING
        } else {
            crate::status::AVAILABLE
        }
    }
}

/// One spelling per specification: 16.1 prints `Xlarge.1`, 16.8 `XLarge.1`.
fn canonical_spec(spec: &str) -> String {
    if spec.eq_ignore_ascii_case(XLARGE) {
        XLARGE.to_string()
    } else {
        spec.to_string()
    }
}

pub(super) fn get(r: &impl Read, scope: &Scope, id: &str) -> Result<NatGateway, ApiError> {
    r.get::<NatGateway>(scope, id).ok_or_else(|| GATEWAY_NOT_FOUND.into())
}

pub(super) fn create(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope_or(super::REGION_NOT_FOUND)?;
    let vpc = vpc::get(tx, &scope, call.required("VpcId")?)?;
    if !call.settled(vpc.created_ms) {
        return Err(VPC_STATUS_ERROR.into());
    }
    let packages = call.params.objects("BandwidthPackage");
    if packages.len() > call.quota(tx, &PACKAGES_PER_GATEWAY) {
        return Err(ONLY_ONE_PACKAGE.into());
    }
    let requests =
        packages.iter().map(|p| package::Request::from_item(call, tx, &scope, p)).collect::<Result<Vec<_>, _>>()?;
    let id = new_id("ngw", &scope.region);
    let gw = NatGateway {
        id: id.clone(),
        region: scope.region.clone(),
        vpc_id: vpc.id.clone(),
        // Documented: without a Name the gateway is named after its id.
        name: call.str("Name").unwrap_or(&id).to_string(),
        description: call.str("Description").unwrap_or_default().to_string(),
        spec: canonical_spec(call.str("Spec").unwrap_or("Small")),
        snat_table_id: new_id("stb", &scope.region),
        forward_table_id: new_id("ftb", &scope.region),
        resource_group_id: call.resource_group(),
        created_ms: call.now_ms,
        spec_changed_ms: None,
    };
    for (table, kind) in [(&gw.snat_table_id, SNAT), (&gw.forward_table_id, FORWARD)] {
        tx.put(&scope, NatTable { id: table.clone(), nat_gateway_id: id.clone(), kind: kind.into() });
    }
    let (snat_table, forward_table) = (gw.snat_table_id.clone(), gw.forward_table_id.clone());
    tx.put(&scope, gw);
    // The gateway must exist for the route's next hop to resolve; a 0.0.0.0/0 route to anything
    // else refuses it (InvalidCIDRBlock.Duplicate) and the transaction is undone.
    route_table::add_published(call, tx, &scope, &vpc.id, DEFAULT_ROUTE, route_table::NAT_GATEWAY, &id)?;
    let mut package_ids = Vec::new();
    for request in requests {
        package_ids.push(package::create_for(call, tx, &scope, &id, &request)?);
    }
    Ok(body(json!({
        "NatGatewayId": id,
        "ForwardTableIds": { "ForwardTableId": [forward_table] },
        "SnatTableIds": { "SnatTableId": [snat_table] },
        "BandwidthPackageIds": { "BandwidthPackageId": package_ids },
    })))
}

pub(super) fn modify_attribute(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope_or(super::REGION_NOT_FOUND)?;
    let mut gw = get(tx, &scope, call.required("NatGatewayId")?)?;
    call.update(&mut gw.name, "Name");
    call.update(&mut gw.description, "Description");
    tx.put(&scope, gw);
    Ok(Body::new())
}

pub(super) fn modify_spec(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope_or(super::REGION_NOT_FOUND)?;
    let mut gw = get(tx, &scope, call.required("NatGatewayId")?)?;
    let spec = canonical_spec(call.required("Spec")?);
    if spec == gw.spec {
        return Err(super::SPEC_SAME.into());
    }
    gw.spec = spec;
    gw.spec_changed_ms = Some(call.now_ms);
    tx.put(&scope, gw);
    Ok(Body::new())
}

/// Without Force, a gateway with bandwidth packages stays; otherwise its packages, entries and
/// tables go with it, its EIPs are freed and its 0.0.0.0/0 route withdrawn. Other routes to it
/// are the user's: they must be deleted first (DependencyViolation.RouteEntry).
pub(super) fn delete(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope_or(super::REGION_NOT_FOUND)?;
    let gw = get(tx, &scope, call.required("NatGatewayId")?)?;
    let packages = tx.children::<NatPackage>(&scope, &gw.id);
    if !packages.is_empty() && !call.params.bool("Force").unwrap_or(false) {
        return Err(HAS_PACKAGES.into());
    }
    route_table::remove_published(tx, &scope, &gw.vpc_id, DEFAULT_ROUTE, &gw.id);
    if route_table::routes_to(tx, &scope, &gw.id) > 0 {
        return Err(vpc::DEPENDENCY_VIOLATION_ROUTE_ENTRY.into());
    }
    super::snat::delete_all(tx, &scope, &gw);
    super::forward::delete_all(tx, &scope, &gw);
    for p in packages {
        package::release(tx, &scope, &p);
    }
    for table in [&gw.snat_table_id, &gw.forward_table_id] {
        tx.delete::<NatTable>(&scope, table);
    }
    eip::forget_target(tx, &scope, &gw.id, call.now_ms);
    tag::forget(tx, &scope, &gw.id);
    tx.delete::<NatGateway>(&scope, &gw.id);
    Ok(Body::new())
}

pub(super) fn describe(call: &Call<'_>, view: &View<'_>) -> Result<Body, ApiError> {
    let scope = call.scope_or(super::REGION_NOT_FOUND)?;
    let page = Page::from_params(call.params);
    let spec = call.str("Spec").map(canonical_spec);
    let (items, total) = view.page::<NatGateway>(
        &scope,
        |g| {
            call.matches("NatGatewayId", &g.id)
                && call.matches("VpcId", &g.vpc_id)
                && call.matches("Name", &g.name)
                && call.matches("InstanceChargeType", "PostPaid")
                && spec.as_ref().is_none_or(|s| *s == g.spec)
        },
        page.offset(),
        page.size,
    );
    let items: Vec<Value> = items.iter().map(|g| item(call, view, &scope, g)).collect();
    let mut out = body(json!({ "NatGateways": { "NatGateway": items } }));
    page.annotate(&mut out, total);
    Ok(out)
}

fn item(call: &Call<'_>, view: &View<'_>, scope: &Scope, g: &NatGateway) -> Value {
    let ips: Vec<Value> = addresses(view, scope, &g.id)
        .into_iter()
        .map(|(allocation_id, address)| {
            let using = use_of(view, scope, g, &address).using_status();
            json!({ "IpAddress": address, "AllocationId": allocation_id, "UsingStatus": using })
        })
        .collect();
    json!({
        "NatGatewayId": g.id,
        "RegionId": g.region,
        "VpcId": g.vpc_id,
        "Name": g.name,
        "Description": g.description,
        "Spec": g.spec,
        "Status": g.status(call),
        "BusinessStatus": "Normal",
        "InstanceChargeType": "PostPaid",
        "AutoPay": false,
        "ExpiredTime": "",
        "CreationTime": format_time(g.created_ms),
        "IpLists": { "IpList": ips },
        "ForwardTableIds": { "ForwardTableId": [g.forward_table_id] },
        "SnatTableIds": { "SnatTableId": [g.snat_table_id] },
        "BandwidthPackageIds": { "BandwidthPackageId": view.child_ids::<NatPackage>(scope, &g.id) },
    })
}
