//! DescribeResourcesModification: the instance types an instance may change to (what
//! ModifyInstanceSpec accepts), in the instance's zone. Other destination resources (disks,
//! zones, networks) are not modelled and have no candidates.

use acs_api::ApiError;
use acs_store::View;
use serde_json::{json, Value};

use super::errors::RESOURCE_NOT_FOUND;
use super::find_by;
use crate::context::Call;
use crate::dispatch::{body, Body};
use crate::instance_type;

pub(super) fn describe_resources_modification(call: &Call<'_>, view: &View<'_>) -> Result<Body, ApiError> {
    let (scope, inst) = find_by(call, view, "ResourceId", RESOURCE_NOT_FOUND)?;
    let current = instance_type::get(&inst.instance_type);
    let types: Vec<Value> = match (call.required("DestinationResource")?, current) {
        ("InstanceType", Some(current)) => current
            .resize_targets()
            .filter(|t| match call.str("OperationType") {
                Some("Upgrade") => t.monthly_cents() > current.monthly_cents(),
                Some("Downgrade") => t.monthly_cents() < current.monthly_cents(),
                _ => true,
            })
            .map(|t| json!({ "Value": t.id, "Status": "Available", "StatusCategory": "WithStock" }))
            .collect(),
        _ => Vec::new(),
    };
    let zones: Vec<Value> = if types.is_empty() {
        Vec::new()
    } else {
        vec![json!({
            "RegionId": scope.region,
            "ZoneId": inst.zone_id,
            "Status": "Available",
            "StatusCategory": "WithStock",
            "AvailableResources": { "AvailableResource": [
                { "Type": "InstanceType", "SupportedResources": { "SupportedResource": types } }
            ] },
        })]
    };
    Ok(body(json!({ "AvailableZones": { "AvailableZone": zones } })))
}
