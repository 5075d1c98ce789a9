//! Global Acceleration (chapter 17): pay-as-you-go instances that carry traffic of a service area to
//! a backend in another region. A dedicated-bandwidth (Exclusive) instance has its own public address
//! (from the EIP pool) and is bound to one ECS instance of another region of its service area
//! (Available -> Associating -> InUse -> Unassociating -> Available, like an EIP); a
//! shared-bandwidth (Sharing) instance shares its bandwidth with the EIPs added to it, which are then
//! bound to instances of another region with AssociateEipAddress and InstanceRegionId.

use acs_api::{ApiError, ErrorDef};
use acs_store::{Entity, Read, Scope, Tx, View};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::{get, Eip, ASSOCIATING, AVAILABLE, IN_USE, UNASSOCIATING};
use crate::clock::format_time;
use crate::context::Call;
use crate::dispatch::{body, Body};
use crate::ids::new_id;
use crate::paging::Page;
use crate::{instance, public_ip};

pub const GA_NOT_FOUND: ErrorDef = ErrorDef::new(
    404,
    "InvalidGlobalAccelerationInstanceId.NotFound",
    "The specified GlobalAccelerationInstanceId is not found.",
);
/// 17.9 / 17.10 document only this code for an unknown instance.
pub const GA_NOT_FOUND_IP: ErrorDef = ErrorDef::new(
    404,
    "InvalidBandwidthPackageId.NotFound",
    "The specified bandwidthPackageId does not exist in our records.",
);
pub const INCORRECT_GA_STATUS: ErrorDef = ErrorDef::new(
    400,
    "IncorrectGlobalAccelerationInstanceIdStatus",
    "Current GlobalAccelerationInstance status does not support this operation.",
);
pub const BACKEND_NOT_FOUND: ErrorDef =
    ErrorDef::new(404, "InvalidBackendServerId.NotFound", "The specified BackendServerId is not found.");
pub const BACKEND_NOT_IN_VPC: ErrorDef =
    ErrorDef::new(400, "InvalidBackendServerId.NotInVPC", "The specified BackendServerId is not in VPC.");
pub const TASK_CONFLICT: ErrorDef =
    ErrorDef::new(400, "TaskConflict.AssociateGlobalAccelerationInstance", "Operate too frequent.");
pub const SAME_REGION: ErrorDef = ErrorDef::new(
    400,
    "InvalidBackendServerRegionId.EqualRegionId",
    "The specified BackendServerRegionId can not be the same as RegionId.",
);
pub const OUTSIDE_SERVICE_AREA: ErrorDef =
    ErrorDef::new(400, "InvalidParameter", "The specified parameter is not valid.");

/// Chosen by the emulator: an EIP added to a dedicated-bandwidth instance, or one that is bound,
/// in a shared bandwidth package or in another Global Acceleration instance.
pub const NOT_SHARING: ErrorDef = ErrorDef::new(
    400,
    "OperationUnsupported.ExclusiveGlobalAccelerationInstance",
    "Only a shared-bandwidth Global Acceleration instance takes EIPs.",
);
pub const EIP_NOT_ADDABLE: ErrorDef = ErrorDef::new(
    400,
    "IncorrectEipStatus.GlobalAcceleration",
    "The EIP is bound, in a shared bandwidth package or in another Global Acceleration instance.",
);
pub const EIP_NOT_IN_GA: ErrorDef = ErrorDef::new(
    400,
    "OperationFailed.EipNotInGlobalAccelerationInstance",
    "The specified EIP is not in the specified Global Acceleration instance.",
);

const EXCLUSIVE: &str = "Exclusive";
const SHARING: &str = "Sharing";

/// The service area a region belongs to (17.1): mainland China, Asia Pacific (Hong Kong and the
/// ap- regions), North America, Europe; the Middle East regions are in none.
pub fn service_area(region: &str) -> Option<&'static str> {
    match region {
        "cn-hongkong" => Some("asia-pacific"),
        r if r.starts_with("cn-") => Some("china-mainland"),
        r if r.starts_with("ap-") => Some("asia-pacific"),
        r if r.starts_with("us-") => Some("north-america"),
        r if r.starts_with("eu-") => Some("europe"),
        _ => None,
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Backend {
    pub server_id: String,
    pub region: String,
    pub server_type: String,
    pub ip_address: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Ga {
    pub id: String,
    pub region: String,
    pub name: String,
    pub description: String,
    pub bandwidth: i64,
    pub bandwidth_type: String,
    pub service_location: String,
    /// The public address of a dedicated-bandwidth instance ("" for a shared one).
    pub ip_address: String,
    pub created_ms: i64,
    pub backend: Option<Backend>,
    pub unbound: Option<Backend>,
    pub since_ms: i64,
}

impl Entity for Ga {
    const KIND: &'static str = "global_acceleration";
    fn id(&self) -> &str {
        &self.id
    }
}

impl Ga {
    fn status(&self, call: &Call<'_>) -> &'static str {
        super::binding_status(call, self.since_ms, self.backend.is_some(), self.unbound.is_some())
    }

    fn shown_backend(&self, call: &Call<'_>) -> Option<&Backend> {
        match self.status(call) {
            UNASSOCIATING => self.unbound.as_ref(),
            _ => self.backend.as_ref(),
        }
    }
}

fn get_ga(r: &impl Read, scope: &Scope, id: &str) -> Result<Ga, ApiError> {
    r.get::<Ga>(scope, id).ok_or_else(|| GA_NOT_FOUND.into())
}

fn members(r: &impl Read, scope: &Scope, ga_id: &str) -> Vec<Eip> {
    r.select::<Eip>(scope, |e| e.ga_id == ga_id)
}

/// The Global Acceleration instance an EIP is in, if any (its service area rules where the EIP may bind).
pub(super) fn of_eip(r: &impl Read, scope: &Scope, eip: &Eip) -> Option<Ga> {
    r.get::<Ga>(scope, &eip.ga_id)
}

pub(super) fn create_global_acceleration_instance(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let id = new_id("ga", &scope.region);
    let bandwidth_type = call.str("BandwidthType").unwrap_or(EXCLUSIVE);
    let ip_address = if bandwidth_type == EXCLUSIVE {
        public_ip::allocate(tx, &public_ip::EIP, &id).ok_or(super::RESERVE_IP_FAIL)?
    } else {
        String::new()
    };
    tx.put(
        &scope,
        Ga {
            id: id.clone(),
            region: scope.region.clone(),
            name: call.str("Name").unwrap_or_default().to_string(),
            description: call.str("Description").unwrap_or_default().to_string(),
            bandwidth: call.params.int("Bandwidth").unwrap_or(10),
            bandwidth_type: bandwidth_type.to_string(),
            service_location: call.required("ServiceLocation")?.to_string(),
            ip_address: ip_address.clone(),
            created_ms: call.now_ms,
            backend: None,
            unbound: None,
            since_ms: call.now_ms,
        },
    );
    Ok(body(json!({ "GlobalAccelerationInstanceId": id, "IpAddress": ip_address })))
}

pub(super) fn describe_global_acceleration_instances(call: &Call<'_>, view: &View<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let page = Page::from_params(call.params);
    let eq = |param: &str, field: &str| call.str(param).is_none_or(|v| v == field);
    let status = call.str("Status").map(|s| if s == "Inuse" { IN_USE } else { s });
    let (items, total) = view.page::<Ga>(
        &scope,
        |g| {
            eq("GlobalAccelerationInstanceId", &g.id)
                && eq("BandwidthType", &g.bandwidth_type)
                && eq("Name", &g.name)
                && eq("ServiceLocation", &g.service_location)
                && eq("IpAddress", &g.ip_address)
                && status.is_none_or(|s| s == g.status(call))
                && eq("ServerId", g.shown_backend(call).map_or("", |b| b.server_id.as_str()))
        },
        page.offset(),
        page.size,
    );
    let items: Vec<Value> = items
        .iter()
        .map(|g| {
            let backends: Vec<Value> = g
                .shown_backend(call)
                .map(|b| {
                    json!({ "ServerId": b.server_id, "RegionId": b.region, "ServerType": b.server_type,
                            "ServerIpAddress": b.ip_address })
                })
                .into_iter()
                .collect();
            let ips: Vec<Value> = members(view, &scope, &g.id)
                .iter()
                .map(|e| json!({ "AllocationId": e.id, "IpAddress": e.ip_address }))
                .collect();
            json!({
                "ChargeType": "PostPaid",
                "GlobalAccelerationInstanceId": g.id,
                "HasReservationData": false,
                "Description": g.description,
                "BackendServers": { "BackendServer": backends },
                "IpAddress": g.ip_address,
                "InternetChargeType": "PayByBandwidth",
                "Name": g.name,
                "BandwidthType": g.bandwidth_type,
                "CreationTime": format_time(g.created_ms),
                "Status": g.status(call),
                "ServiceLocation": g.service_location,
                "RegionId": g.region,
                "AccelerationLocation": g.service_location,
                "Bandwidth": g.bandwidth.to_string(),
                "ExpiredTime": "",
                "OperationLocks": { "LockReason": [] },
                "PublicIpAddresses": { "PublicIpAddress": ips },
            })
        })
        .collect();
    let mut out = body(json!({ "GlobalAccelerationInstances": { "GlobalAccelerationInstance": items } }));
    page.annotate(&mut out, total);
    Ok(out)
}

pub(super) fn modify_global_acceleration_instance_attributes(
    call: &Call<'_>,
    tx: &mut Tx<'_>,
) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let mut g = get_ga(tx, &scope, call.required("GlobalAccelerationInstanceId")?)?;
    call.update(&mut g.name, "Name");
    call.update(&mut g.description, "Description");
    tx.put(&scope, g);
    Ok(Body::new())
}

pub(super) fn modify_global_acceleration_instance_spec(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let mut g = get_ga(tx, &scope, call.required("GlobalAccelerationInstanceId")?)?;
    if let Some(b) = call.params.int("Bandwidth") {
        g.bandwidth = b;
    }
    tx.put(&scope, g);
    Ok(Body::new())
}

/// Only an instance with no backend (dedicated) or no EIPs (shared) is deleted.
pub(super) fn delete_global_acceleration_instance(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let g = get_ga(tx, &scope, call.required("GlobalAccelerationInstanceId")?)?;
    if g.status(call) != AVAILABLE || !members(tx, &scope, &g.id).is_empty() {
        return Err(INCORRECT_GA_STATUS.into());
    }
    if !g.ip_address.is_empty() {
        public_ip::release(tx, &g.ip_address);
    }
    tx.delete::<Ga>(&scope, &g.id);
    Ok(Body::new())
}

/// The ECS instance `id` of `region` (NotFound / NotInVPC as 17.6 and 17.8 document).
fn backend(call: &Call<'_>, r: &impl Read, region: &str, server_type: &str, id: &str) -> Result<Backend, ApiError> {
    if server_type != super::ECS_INSTANCE {
        return Err(BACKEND_NOT_FOUND.into()); // the emulator has no SLB instances
    }
    let inst = instance::get(r, &Scope::new(call.account, region), id).ok_or(BACKEND_NOT_FOUND)?;
    if !inst.is_vpc() {
        return Err(BACKEND_NOT_IN_VPC.into());
    }
    Ok(Backend {
        server_id: inst.id,
        region: region.to_string(),
        server_type: server_type.to_string(),
        ip_address: inst.private_ip,
    })
}

/// A dedicated-bandwidth instance takes one VPC ECS instance of another region of its service area.
pub(super) fn associate_global_acceleration_instance(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let mut g = get_ga(tx, &scope, call.required("GlobalAccelerationInstanceId")?)?;
    let region = call.required("BackendServerRegionId")?;
    crate::region::check_region(region)?;
    if region == scope.region {
        return Err(SAME_REGION.into());
    }
    if service_area(region) != Some(g.service_location.as_str()) {
        return Err(OUTSIDE_SERVICE_AREA.into());
    }
    match g.status(call) {
        ASSOCIATING | UNASSOCIATING => return Err(TASK_CONFLICT.into()),
        IN_USE => return Err(INCORRECT_GA_STATUS.into()),
        _ if g.bandwidth_type != EXCLUSIVE => return Err(INCORRECT_GA_STATUS.into()),
        _ => {}
    }
    let server_type = call.str("BackendServerType").unwrap_or(super::ECS_INSTANCE);
    let b = backend(call, tx, region, server_type, call.required("BackendServerId")?)?;
    if !super::of_target(tx, &Scope::new(call.account, region), &b.server_id).is_empty() {
        return Err(super::DUPLICATED.into());
    }
    g.backend = Some(b);
    g.unbound = None;
    g.since_ms = call.now_ms;
    tx.put(&scope, g);
    Ok(Body::new())
}

pub(super) fn unassociate_global_acceleration_instance(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let mut g = get_ga(tx, &scope, call.required("GlobalAccelerationInstanceId")?)?;
    if g.status(call) != IN_USE {
        return Err(INCORRECT_GA_STATUS.into());
    }
    g.unbound = g.backend.take();
    g.since_ms = call.now_ms;
    tx.put(&scope, g);
    Ok(Body::new())
}

/// The dedicated-bandwidth instances of RegionId whose backend is ServerId.
pub(super) fn describe_server_related_global_acceleration_instances(
    call: &Call<'_>,
    view: &View<'_>,
) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let server_id = call.required("ServerId")?;
    let server_type = call.str("ServerType").unwrap_or(super::ECS_INSTANCE);
    let found = view.find::<instance::Instance>(call.account, server_id);
    let (server_scope, _) = found.ok_or(BACKEND_NOT_FOUND)?;
    backend(call, view, &server_scope.region, server_type, server_id)?;
    let items: Vec<Value> = view
        .select::<Ga>(&scope, |g| g.shown_backend(call).is_some_and(|b| b.server_id == server_id))
        .iter()
        .map(|g| {
            let ip = g.shown_backend(call).map_or("", |b| b.ip_address.as_str());
            json!({ "GlobalAccelerationInstanceId": g.id, "RegionId": g.region, "IpAddress": g.ip_address,
                    "ServerIpAddress": ip })
        })
        .collect();
    Ok(body(json!({ "GlobalAccelerationInstances": { "GlobalAccelerationInstance": items } })))
}

/// An Available EIP of the region, in no package and no other instance, joins a shared-bandwidth
/// instance.
pub(super) fn add_global_acceleration_instance_ip(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let g = tx.get::<Ga>(&scope, call.required("GlobalAccelerationInstanceId")?).ok_or(GA_NOT_FOUND_IP)?;
    if g.bandwidth_type != SHARING {
        return Err(NOT_SHARING.into());
    }
    let mut eip = get(tx, &scope, call.required("IpInstanceId")?)?;
    if eip.ga_id == g.id {
        return Ok(Body::new());
    }
    if !eip.ga_id.is_empty() || !eip.package_id.is_empty() || eip.status(call) != AVAILABLE {
        return Err(EIP_NOT_ADDABLE.into());
    }
    eip.ga_id = g.id;
    tx.put(&scope, eip);
    Ok(Body::new())
}

/// An unbound EIP leaves the instance.
pub(super) fn remove_global_acceleration_instance_ip(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let g = tx.get::<Ga>(&scope, call.required("GlobalAccelerationInstanceId")?).ok_or(GA_NOT_FOUND_IP)?;
    let mut eip = get(tx, &scope, call.required("IpInstanceId")?)?;
    if eip.ga_id != g.id {
        return Err(EIP_NOT_IN_GA.into());
    }
    if eip.status(call) != AVAILABLE {
        return Err(super::INCORRECT_EIP_STATUS.into());
    }
    eip.ga_id.clear();
    tx.put(&scope, eip);
    Ok(Body::new())
}
