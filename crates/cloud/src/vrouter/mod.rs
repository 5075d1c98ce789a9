//! vRouters (VPC reference chapter 8): one per VPC, created and deleted with it.

use acs_api::{ApiError, ErrorDef};
use acs_store::{Entity, Read, Scope, Tx, View};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::clock::format_time;
use crate::context::Call;
use crate::dispatch::{body, Actions, Body, Handler};
use crate::ids::new_id;
use crate::paging::Page;
use crate::route_table;

pub const INVALID_VROUTER_ID_NOT_FOUND: ErrorDef =
    ErrorDef::new(404, "InvalidVRouterId.NotFound", "Specified virtual router does not exist.");

pub const ERRORS: &[ErrorDef] = &[INVALID_VROUTER_ID_NOT_FOUND];

pub(crate) const ACTIONS: Actions = &[
    ("DescribeVRouters", Handler::Read(describe_vrouters)),
    ("ModifyVRouterAttribute", Handler::Write(modify_vrouter_attribute)),
];

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct VRouter {
    pub id: String,
    pub vpc_id: String,
    pub region: String,
    pub name: String,
    pub description: String,
    pub created_ms: i64,
}

impl Entity for VRouter {
    const KIND: &'static str = "vrouter";
    fn id(&self) -> &str {
        &self.id
    }
    fn parent(&self) -> Option<&str> {
        Some(&self.vpc_id)
    }
}

/// The vRouter, if it exists in the scope.
pub fn get(r: &impl Read, scope: &Scope, id: &str) -> Option<VRouter> {
    r.get::<VRouter>(scope, id)
}

/// Creates the vRouter of a new VPC; returns its id.
pub fn create_for_vpc(call: &Call<'_>, tx: &mut Tx<'_>, scope: &Scope, vpc_id: &str) -> String {
    let id = new_id("vrt", &scope.region);
    tx.put(
        scope,
        VRouter {
            id: id.clone(),
            vpc_id: vpc_id.to_string(),
            region: scope.region.clone(),
            name: String::new(),
            description: String::new(),
            created_ms: call.now_ms,
        },
    );
    id
}

pub fn delete(tx: &mut Tx<'_>, scope: &Scope, id: &str) {
    tx.delete::<VRouter>(scope, id);
}

fn describe_vrouters(call: &Call<'_>, view: &View<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let page = Page::from_params(call.params);
    let id = call.str("VRouterId");
    let (routers, total) = view.page::<VRouter>(&scope, |r| id.is_none_or(|i| i == r.id), page.offset(), page.size);
    let items: Vec<Value> = routers
        .iter()
        .map(|r| {
            json!({
                "VRouterId": r.id,
                "VpcId": r.vpc_id,
                "RegionId": r.region,
                "VRouterName": r.name,
                "Description": r.description,
                "CreationTime": format_time(r.created_ms),
                "RouteTableIds": { "RouteTableId": route_table::ids_of_vpc(view, &scope, &r.vpc_id) },
            })
        })
        .collect();
    let mut out = body(json!({ "VRouters": { "VRouter": items } }));
    page.annotate(&mut out, total);
    Ok(out)
}

fn modify_vrouter_attribute(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let mut router = tx.get::<VRouter>(&scope, call.required("VRouterId")?).ok_or(INVALID_VROUTER_ID_NOT_FOUND)?;
    call.update(&mut router.name, "VRouterName");
    call.update(&mut router.description, "Description");
    // The reference's sample answers with the router's ids and its VPC's System route table.
    let table = route_table::ids_of_vpc(tx, &scope, &router.vpc_id).into_iter().next().unwrap_or_default();
    let out = body(json!({ "VRouterId": router.id, "VpcId": router.vpc_id, "RouteTableId": table }));
    tx.put(&scope, router);
    Ok(out)
}
