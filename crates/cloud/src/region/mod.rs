//! Regions, zones and Express Connect access points (VPC reference chapter 10): a read-only
//! catalogue built into the binary.

mod catalogue;

use acs_api::{common, ApiError, ErrorDef};
use acs_store::View;
use serde_json::{json, Value};

pub use catalogue::{access_points, region, AccessPoint, Region, REGIONS};

use crate::context::Call;
use crate::dispatch::{body, Actions, Body, Handler};
use crate::paging::Page;

pub const INVALID_REGION_ID_NOT_FOUND: ErrorDef = common::INVALID_REGION_ID_NOT_FOUND;
pub const INVALID_REGION_ID_NOT_SUPPORT: ErrorDef =
    ErrorDef::new(404, "InvalidRegionId.NotSupport", "The RegionId provided does not support in our records.");
pub const INVALID_ZONE_ID_NOT_FOUND: ErrorDef =
    ErrorDef::new(404, "InvalidZoneId.NotFound", "Specified zone does not exist.");

pub const ERRORS: &[ErrorDef] =
    &[INVALID_REGION_ID_NOT_FOUND, INVALID_REGION_ID_NOT_SUPPORT, INVALID_ZONE_ID_NOT_FOUND];

pub(crate) const ACTIONS: Actions = &[
    ("DescribeRegions", Handler::Read(describe_regions)),
    ("DescribeZones", Handler::Read(describe_zones)),
    ("DescribeAccessPoints", Handler::Read(describe_access_points)),
];

/// The same catalogue answered by ECS (API 2014-05-26), with its endpoints and zone resources.
pub(crate) const ECS_ACTIONS: Actions = &[
    ("DescribeRegions", Handler::Read(describe_ecs_regions)),
    ("DescribeZones", Handler::Read(describe_ecs_zones)),
    ("DescribeAvailableResource", Handler::Read(describe_available_resource)),
];

/// `Ok` when `id` is a region of the catalogue, else InvalidRegionId.NotFound (404).
pub fn check_region(id: &str) -> Result<&'static Region, ApiError> {
    region(id).ok_or_else(|| INVALID_REGION_ID_NOT_FOUND.into())
}

/// `Ok` when `zone_id` is a zone of `region_id`.
pub fn check_zone(region_id: &str, zone_id: &str) -> Result<(), ApiError> {
    match region(region_id) {
        Some(r) if r.has_zone(zone_id) => Ok(()),
        _ => Err(INVALID_ZONE_ID_NOT_FOUND.into()),
    }
}

/// The first zone of the region (where the system places what the caller gives no zone).
pub fn first_zone(region_id: &str) -> Option<String> {
    region(region_id).and_then(|r| r.zone_ids().next())
}

/// AcceptLanguage defaults to zh-CN, as documented.
fn english(call: &Call<'_>) -> bool {
    call.str("AcceptLanguage").is_some_and(|l| l.eq_ignore_ascii_case("en-US"))
}

/// Every region of the catalogue, named in the call's language; `extra` adds the product's fields.
fn regions(call: &Call<'_>, extra: impl Fn(&Region) -> Value) -> Body {
    let english = english(call);
    let regions: Vec<Value> = REGIONS
        .iter()
        .map(|r| {
            let mut item = json!({
                "RegionId": r.id,
                "LocalName": if english { r.name_en } else { r.name_zh },
            });
            if let (Value::Object(item), Value::Object(more)) = (&mut item, extra(r)) {
                item.extend(more);
            }
            item
        })
        .collect();
    body(json!({ "Regions": { "Region": regions } }))
}

fn describe_regions(call: &Call<'_>, _: &View<'_>) -> Result<Body, ApiError> {
    Ok(regions(call, |r| json!({ "RegionEndpoint": r.endpoint() })))
}

fn describe_ecs_regions(call: &Call<'_>, _: &View<'_>) -> Result<Body, ApiError> {
    Ok(regions(call, |r| json!({ "RegionEndpoint": format!("ecs.{}.aliyuncs.com", r.id), "Status": "available" })))
}

/// (ZoneId, LocalName) of every zone of the call's region.
fn zones_of(call: &Call<'_>) -> Result<Vec<(String, String)>, ApiError> {
    let region = check_region(call.region()?)?;
    let place: String = region.name_en.chars().filter(|c| !matches!(c, '(' | ')')).collect();
    Ok(region
        .zones
        .iter()
        .map(|z| (format!("{}-{z}", region.id), format!("{place} Zone {}", z.to_uppercase())))
        .collect())
}

fn describe_zones(call: &Call<'_>, _: &View<'_>) -> Result<Body, ApiError> {
    let zones: Vec<Value> =
        zones_of(call)?.into_iter().map(|(id, name)| json!({ "ZoneId": id, "LocalName": name })).collect();
    Ok(body(json!({ "Zones": { "Zone": zones } })))
}

/// The disk categories every zone offers.
const DISK_CATEGORIES: &[&str] = &["cloud_efficiency", "cloud_ssd", "cloud_essd", "cloud_auto"];

/// Every zone offers the whole instance-type catalogue.
fn describe_ecs_zones(call: &Call<'_>, _: &View<'_>) -> Result<Body, ApiError> {
    let types: Vec<&str> = crate::instance_type::catalogue().iter().map(|t| t.id.as_str()).collect();
    let families: Vec<&str> = crate::instance_type::families().into_iter().map(|(f, _)| f).collect();
    let mut generations: Vec<&str> = crate::instance_type::families().into_iter().map(|(_, g)| g).collect();
    generations.sort_unstable();
    generations.dedup();
    let zones: Vec<Value> = zones_of(call)?
        .into_iter()
        .map(|(id, name)| {
            json!({
                "ZoneId": id,
                "LocalName": name,
                "AvailableInstanceTypes": { "InstanceTypes": types },
                "AvailableResourceCreation": { "ResourceTypes": ["Instance", "Disk", "VSwitch"] },
                "AvailableResources": { "ResourcesInfo": [{
                    "IoOptimized": true,
                    "InstanceGenerations": { "supportedInstanceGeneration": generations },
                    "InstanceTypeFamilies": { "supportedInstanceTypeFamily": families },
                    "InstanceTypes": { "supportedInstanceType": types },
                    "SystemDiskCategories": { "supportedSystemDiskCategory": DISK_CATEGORIES },
                    "DataDiskCategories": { "supportedDataDiskCategory": DISK_CATEGORIES },
                    "NetworkTypes": { "supportedNetworkCategory": ["vpc", "classic"] },
                }] },
                "AvailableDiskCategories": { "DiskCategories": DISK_CATEGORIES },
                "AvailableVolumeCategories": { "VolumeCategories": [] },
                "AvailableDedicatedHostTypes": { "DedicatedHostType": [] },
            })
        })
        .collect();
    Ok(body(json!({ "Zones": { "Zone": zones } })))
}

/// DescribeAvailableResource: what every zone (or ZoneId) offers for the DestinationResource
/// asked for; an InstanceType outside the catalogue is offered nowhere.
fn describe_available_resource(call: &Call<'_>, _: &View<'_>) -> Result<Body, ApiError> {
    let region = call.region()?.to_string();
    let destination = call.required("DestinationResource")?;
    let catalogue = crate::instance_type::catalogue();
    let wanted_type = call.str("InstanceType");
    if wanted_type.is_some_and(|t| !catalogue.iter().any(|c| c.id == t)) {
        return Ok(body(json!({ "AvailableZones": { "AvailableZone": [] } })));
    }
    let available = |v: &str| json!({ "Value": v, "Status": "Available", "StatusCategory": "WithStock" });
    let (kind, values): (&str, Vec<Value>) = match destination {
        "Zone" => ("Zone", Vec::new()),
        "IoOptimized" => ("IoOptimized", vec![available("optimized")]),
        "InstanceType" => (
            "InstanceType",
            catalogue.iter().filter(|t| wanted_type.is_none_or(|w| w == t.id)).map(|t| available(&t.id)).collect(),
        ),
        "SystemDisk" | "DataDisk" => (
            destination,
            DISK_CATEGORIES
                .iter()
                .map(|c| json!({ "Value": c, "Status": "Available", "StatusCategory": "WithStock", "Min": 20, "Max": if destination == "SystemDisk" { 2048 } else { 32768 }, "Unit": "GiB" }))
                .collect(),
        ),
        "Network" => ("Network", vec![available("vpc")]),
        _ => ("InstanceType", Vec::new()),
    };
    let zones: Vec<Value> = zones_of(call)?
        .into_iter()
        .filter(|(id, _)| call.str("ZoneId").is_none_or(|z| z == id))
        .map(|(id, _)| {
            let resources: Vec<Value> = if values.is_empty() {
                Vec::new()
            } else {
                vec![json!({ "Type": kind, "SupportedResources": { "SupportedResource": values } })]
            };
            json!({
                "RegionId": region,
                "ZoneId": id,
                "Status": "Available",
                "StatusCategory": "WithStock",
                "AvailableResources": { "AvailableResource": resources },
            })
        })
        .collect();
    Ok(body(json!({ "AvailableZones": { "AvailableZone": zones } })))
}

fn describe_access_points(call: &Call<'_>, _: &View<'_>) -> Result<Body, ApiError> {
    let region = region(call.required("RegionId")?).ok_or(INVALID_REGION_ID_NOT_SUPPORT)?;
    let page = Page::from_params(call.params);
    let filters = crate::paging::filters(call.params);
    let matching: Vec<AccessPoint> = access_points(region)
        .into_iter()
        .filter(|ap| call.str("Name").is_none_or(|n| n == ap.name))
        .filter(|ap| call.str("HostOperator").is_none_or(|h| h == ap.host_operator))
        .filter(|ap| {
            filters.iter().all(|(key, values)| {
                let field = match key.as_str() {
                    "AccessPointId" => ap.id.as_str(),
                    "Status" => ap.status,
                    "Name" => ap.name.as_str(),
                    "HostOperator" => ap.host_operator,
                    "Type" => "VPC",
                    _ => return true,
                };
                values.iter().any(|v| v == field)
            })
        })
        .collect();
    let items: Vec<Value> = matching
        .iter()
        .skip(page.offset())
        .take(page.size)
        .map(|ap| {
            json!({
                "AccessPointId": ap.id,
                "AttachedRegionNo": ap.region,
                "Description": ap.id,
                "HostOperator": ap.host_operator,
                "Location": ap.location,
                "Name": ap.name,
                "Status": ap.status,
                "Type": "VPC",
            })
        })
        .collect();
    let mut out = body(json!({ "AccessPointSet": { "AccessPointType": items } }));
    page.annotate(&mut out, matching.len());
    Ok(out)
}
