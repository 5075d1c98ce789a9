//! Flow logs (chapter 20 of the VPC reference): capture the traffic of a VPC, a vSwitch or a
//! network interface into a Log Service project/logstore. The reference documents one error
//! code, `INVALID_PARAMETER`, which answers every rejected call of the family: a malformed name
//! or description, a resource that does not exist or is not of the given type, an unknown flow
//! log. No ENI family exists yet, so a `NetworkInterface` resource is never found (docs/vpn.md).
//! A flow log is Active from creation; DeactiveFlowLog / ActiveFlowLog switch it.

use acs_api::{ApiError, ErrorDef};
use acs_store::{Entity, Read, Scope, Tx, View};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::clock::format_time;
use crate::context::Call;
use crate::dispatch::{body, Actions, Body, Handler};
use crate::ids::new_id;
use crate::paging::Page;
use crate::{tag, vpc, vswitch};

/// The ResourceType of flow logs in VPC TagResources.
pub const TAG_TYPE: &str = "FLOWLOG";

/// Makes flow logs taggable.
pub fn register(cloud: &crate::context::Cloud) {
    cloud.register_taggable("Vpc", TAG_TYPE, |tx, scope, id| tx.exists::<FlowLog>(scope, id));
}

pub const INVALID_PARAMETER: ErrorDef = ErrorDef::new(400, "INVALID_PARAMETER", "The parameter invalid.");

pub const ERRORS: &[ErrorDef] = &[INVALID_PARAMETER];

pub(crate) const ACTIONS: Actions = &[
    ("CreateFlowLog", Handler::Write(create_flow_log)),
    ("ModifyFlowLogAttribute", Handler::Write(modify_flow_log_attribute)),
    ("DescribeFlowLogs", Handler::Read(describe_flow_logs)),
    ("ActiveFlowLog", Handler::Write(active_flow_log)),
    ("DeactiveFlowLog", Handler::Write(deactive_flow_log)),
    ("DeleteFlowLog", Handler::Write(delete_flow_log)),
];

pub const ACTIVE: &str = "Active";
pub const INACTIVE: &str = "Inactive";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FlowLog {
    pub id: String,
    pub region: String,
    pub name: String,
    pub description: String,
    pub resource_type: String,
    pub resource_id: String,
    pub traffic_type: String,
    pub project_name: String,
    pub log_store_name: String,
    pub status: String,
    pub created_ms: i64,
}

impl Entity for FlowLog {
    const KIND: &'static str = "flow_log";
    fn id(&self) -> &str {
        &self.id
    }
}

/// The captured resource must exist in the region and be of the named type.
fn check_resource(r: &impl Read, scope: &Scope, resource_type: &str, id: &str) -> Result<(), ApiError> {
    let found = match resource_type {
        "VPC" => vpc::get(r, scope, id).is_ok(),
        "VSwitch" => vswitch::get(r, scope, id).is_ok(),
        // No family models elastic network interfaces yet: none exists.
        _ => false,
    };
    found.then_some(()).ok_or_else(|| INVALID_PARAMETER.into())
}

fn get(r: &impl Read, scope: &Scope, id: &str) -> Result<FlowLog, ApiError> {
    r.get::<FlowLog>(scope, id).ok_or_else(|| INVALID_PARAMETER.into())
}

fn create_flow_log(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let resource_type = call.required("ResourceType")?;
    let resource_id = call.required("ResourceId")?;
    check_resource(tx, &scope, resource_type, resource_id)?;
    let id = new_id("fl", &scope.region);
    tx.put(
        &scope,
        FlowLog {
            id: id.clone(),
            region: scope.region.clone(),
            name: call.str("FlowLogName").unwrap_or_default().to_string(),
            description: call.str("Description").unwrap_or_default().to_string(),
            resource_type: resource_type.to_string(),
            resource_id: resource_id.to_string(),
            traffic_type: call.required("TrafficType")?.to_string(),
            project_name: call.required("ProjectName")?.to_string(),
            log_store_name: call.required("LogStoreName")?.to_string(),
            status: ACTIVE.to_string(),
            created_ms: call.now_ms,
        },
    );
    tag::create_with(call, tx, &scope, tag::Product::Vpc, TAG_TYPE, &id, "Tag")?;
    Ok(body(json!({ "FlowLogId": id })))
}

fn modify_flow_log_attribute(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let mut fl = get(tx, &scope, call.required("FlowLogId")?)?;
    call.update(&mut fl.name, "FlowLogName");
    call.update(&mut fl.description, "Description");
    let id = fl.id.clone();
    tx.put(&scope, fl);
    Ok(body(json!({ "FlowLogId": id })))
}

fn set_status(call: &Call<'_>, tx: &mut Tx<'_>, status: &str) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let mut fl = get(tx, &scope, call.required("FlowLogId")?)?;
    fl.status = status.to_string();
    tx.put(&scope, fl);
    Ok(Body::new())
}

fn active_flow_log(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    set_status(call, tx, ACTIVE)
}

fn deactive_flow_log(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    set_status(call, tx, INACTIVE)
}

fn delete_flow_log(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let fl = get(tx, &scope, call.required("FlowLogId")?)?;
    tx.delete::<FlowLog>(&scope, &fl.id);
    tag::forget(tx, &scope, &fl.id);
    Ok(Body::new())
}

/// Flow logs of the VPC or vSwitch being deleted go with it.
pub fn forget_resource(tx: &mut Tx<'_>, scope: &Scope, resource_id: &str) {
    for fl in tx.list::<FlowLog>(scope) {
        if fl.resource_id == resource_id {
            tx.delete::<FlowLog>(scope, &fl.id);
            tag::forget(tx, scope, &fl.id);
        }
    }
}

fn describe_flow_logs(call: &Call<'_>, view: &View<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let page = Page::from_params(call.params);
    let tags = tag::filter(call, "Tags");
    let (items, total) = view.page::<FlowLog>(
        &scope,
        |f| {
            tag::matches(view, &scope, &f.id, &tags)
                && call.matches("FlowLogId", &f.id)
                && call.matches("FlowLogName", &f.name)
                && call.matches("ProjectName", &f.project_name)
                && call.matches("LogStoreName", &f.log_store_name)
                && call.matches("ResourceType", &f.resource_type)
                && call.matches("ResourceId", &f.resource_id)
                && call.matches("TrafficType", &f.traffic_type)
                && call.matches("Status", &f.status)
        },
        page.offset(),
        page.size,
    );
    let items: Vec<Value> = items
        .iter()
        .map(|f| {
            json!({
                "FlowLogId": f.id,
                "FlowLogName": f.name,
                "Description": f.description,
                "RegionId": f.region,
                "ProjectName": f.project_name,
                "LogStoreName": f.log_store_name,
                "ResourceType": f.resource_type,
                "ResourceId": f.resource_id,
                "TrafficType": f.traffic_type,
                "Status": f.status,
                "CreationTime": format_time(f.created_ms),
                "Tags": tag::vpc_tags(view, &scope, &f.id),
            })
        })
        .collect();
    Ok(body(json!({
        "FlowLogs": { "FlowLog": items },
        "TotalCount": total.to_string(),
        "PageNumber": page.number.to_string(),
        "PageSize": page.size.to_string(),
        "Success": "true",
    })))
}
