//! High-availability virtual IPs. The seeds only name these actions (in the RAM table of the VPC
//! reference); parameters and response fields follow the official SDKs. A HaVip holds a private
//! address of a vSwitch and can be the next hop of a route (it answers the route-table family
//! through [`NextHopResolver`]) and blocks deleting its vSwitch (through [`Dependents`]).
//! AssociateHaVip / UnassociateHaVip bind up to two ECS instances of the HaVip's vSwitch.

use std::sync::Arc;

use acs_api::{ApiError, ErrorDef};
use acs_store::{Entity, Read, Scope, Tx, View};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::clock::format_time;
use crate::context::{Call, Cloud, Dependents, EipTarget, EipTargetState, NextHop, NextHopResolver};
use crate::dispatch::{body, Actions, Body, Handler};
use crate::ids::new_id;
use crate::paging::{checked_filters, passes, Page};
use crate::{eip, instance, route_table, tag, vpc, vswitch};

/// The ResourceType of HaVips in VPC TagResources.
pub const TAG_TYPE: &str = "HAVIP";

pub const INVALID_HA_VIP_ID_NOT_FOUND: ErrorDef = route_table::INVALID_HA_VIP_NOT_FOUND;
pub const DEPENDENCY_VIOLATION_HA_VIP: ErrorDef = ErrorDef::new(
    400,
    "DependencyViolation.HaVip",
    "VSwitch cannot be deleted when there are some HaVip dependent with it.",
);
/// The code DescribeRouterInterfaces documents for an unknown filter key, reused here (the seeds
/// document no errors for the HaVip actions).
pub const INVALID_FILTER_KEY: ErrorDef = crate::paging::INVALID_FILTER_KEY;

pub const INSTANCE_NOT_FOUND: ErrorDef = vpc::INVALID_INSTANCE_ID_NOT_FOUND;
pub const INCORRECT_INSTANCE_STATUS: ErrorDef = route_table::INCORRECT_INSTANCE_STATUS;
pub const VSWITCH_NOT_MATCH: ErrorDef =
    ErrorDef::new(400, "InvalidVSwitchId.NotMatch", "The HaVip and the instance must belong to the same vSwitch.");
pub const TOO_MANY_INSTANCES: ErrorDef =
    ErrorDef::new(400, "QuotaExceeded.HaVipAssociation", "A HaVip can be associated with at most two instances.");
pub const NOT_ASSOCIATED: ErrorDef =
    ErrorDef::new(400, "InvalidInstanceId.NotAssociated", "The specified instance is not associated with the HaVip.");

/// Instances one HaVip may be associated with (the VPC reference).
pub const INSTANCES_PER_HA_VIP: usize = 2;

pub const ERRORS: &[ErrorDef] =
    &[DEPENDENCY_VIOLATION_HA_VIP, INVALID_FILTER_KEY, VSWITCH_NOT_MATCH, TOO_MANY_INSTANCES, NOT_ASSOCIATED];

pub(crate) const ACTIONS: Actions = &[
    ("CreateHaVip", Handler::Write(create_ha_vip)),
    ("DeleteHaVip", Handler::Write(delete_ha_vip)),
    ("AssociateHaVip", Handler::Write(associate_ha_vip)),
    ("UnassociateHaVip", Handler::Write(unassociate_ha_vip)),
    ("DescribeHaVips", Handler::Read(describe_ha_vips)),
];

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HaVip {
    pub id: String,
    pub region: String,
    pub vpc_id: String,
    pub vswitch_id: String,
    pub ip_address: String,
    pub name: String,
    pub description: String,
    pub resource_group_id: String,
    pub created_ms: i64,
    /// ECS instances bound to the HaVip (filled by the ECS family).
    pub associated_instances: Vec<String>,
}

impl Entity for HaVip {
    const KIND: &'static str = "havip";
    fn id(&self) -> &str {
        &self.id
    }
    fn parent(&self) -> Option<&str> {
        Some(&self.vswitch_id)
    }
}

impl HaVip {
    fn status(&self, call: &Call<'_>) -> &'static str {
        match (call.settled(self.created_ms), self.associated_instances.is_empty()) {
            (false, _) => "Creating",
            (true, true) => "Available",
            (true, false) => "InUse",
        }
    }
}

/// Plugs HaVips into the route-table and vSwitch seams.
pub fn register(cloud: &Cloud) {
    let seams = Arc::new(Seams);
    cloud.register_next_hop(route_table::HA_VIP, seams.clone());
    cloud.register_eip_target(eip::HA_VIP, seams.clone());
    cloud.register_dependents(seams);
    cloud.register_taggable("Vpc", TAG_TYPE, |tx, scope, id| tx.exists::<HaVip>(scope, id));
}

struct Seams;

impl EipTarget for Seams {
    /// An Available or InUse HaVip takes an EIP; a Creating one does not.
    fn eip_target(&self, call: &Call<'_>, tx: &Tx<'_>, scope: &Scope, id: &str) -> Option<EipTargetState> {
        let havip = tx.get::<HaVip>(scope, id)?;
        Some(if havip.status(call) == "Creating" { EipTargetState::WrongStatus } else { EipTargetState::Ready })
    }
}

impl NextHopResolver for Seams {
    /// Available and InUse HaVips both take routes; Creating ones are still being set up.
    fn resolve(&self, call: &Call<'_>, tx: &Tx<'_>, scope: &Scope, id: &str) -> Option<NextHop> {
        let havip = tx.get::<HaVip>(scope, id)?;
        let usable = havip.status(call) != "Creating";
        Some(NextHop { vpc_id: Some(havip.vpc_id), usable })
    }
}

impl Dependents for Seams {
    fn vswitch_in_use(&self, tx: &Tx<'_>, scope: &Scope, vswitch_id: &str) -> Option<ApiError> {
        (!tx.children::<HaVip>(scope, vswitch_id).is_empty()).then(|| DEPENDENCY_VIOLATION_HA_VIP.into())
    }
}

fn create_ha_vip(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let vsw = vswitch::get(tx, &scope, call.required("VSwitchId")?)?;
    vpc::get_available(call, tx, &scope, &vsw.vpc_id)?;
    let address = vswitch::allocate_address(tx, &scope, &vsw.id, call.str("IpAddress"))?;
    let id = new_id("havip", &scope.region);
    tx.put(
        &scope,
        HaVip {
            id: id.clone(),
            region: scope.region.clone(),
            vpc_id: vsw.vpc_id,
            vswitch_id: vsw.id,
            ip_address: address.clone(),
            name: call.str("Name").unwrap_or_default().to_string(),
            description: call.str("Description").unwrap_or_default().to_string(),
            resource_group_id: call.resource_group(),
            created_ms: call.now_ms,
            associated_instances: Vec::new(),
        },
    );
    tag::create_with(call, tx, &scope, tag::Product::Vpc, TAG_TYPE, &id, "Tag")?;
    Ok(body(json!({ "HaVipId": id, "IpAddress": address })))
}

/// A HaVip still bound to instances, or still the next hop of routes, cannot be deleted.
fn delete_ha_vip(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let havip = tx.get::<HaVip>(&scope, call.required("HaVipId")?).ok_or(INVALID_HA_VIP_ID_NOT_FOUND)?;
    if !havip.associated_instances.is_empty() || !eip::of_target(tx, &scope, &havip.id).is_empty() {
        return Err(route_table::INCORRECT_HA_VIP_STATUS.into());
    }
    if route_table::routes_to(tx, &scope, &havip.id) > 0 {
        return Err(vpc::DEPENDENCY_VIOLATION_ROUTE_ENTRY.into());
    }
    vswitch::release_address(tx, &scope, &havip.vswitch_id, &havip.ip_address);
    tx.delete::<HaVip>(&scope, &havip.id);
    tag::forget(tx, &scope, &havip.id);
    Ok(Body::new())
}

/// An Available or InUse HaVip takes an instance of its vSwitch that is Running or Stopped.
fn associate_ha_vip(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let mut havip = tx.get::<HaVip>(&scope, call.required("HaVipId")?).ok_or(INVALID_HA_VIP_ID_NOT_FOUND)?;
    if havip.status(call) == "Creating" {
        return Err(route_table::INCORRECT_HA_VIP_STATUS.into());
    }
    let inst = instance::get(tx, &scope, call.required("InstanceId")?).ok_or(INSTANCE_NOT_FOUND)?;
    if !matches!(inst.status(call), instance::RUNNING | instance::STOPPED) {
        return Err(INCORRECT_INSTANCE_STATUS.into());
    }
    if inst.vswitch_id != havip.vswitch_id {
        return Err(VSWITCH_NOT_MATCH.into());
    }
    if havip.associated_instances.contains(&inst.id) {
        return Ok(Body::new());
    }
    if havip.associated_instances.len() >= INSTANCES_PER_HA_VIP {
        return Err(TOO_MANY_INSTANCES.into());
    }
    havip.associated_instances.push(inst.id);
    tx.put(&scope, havip);
    Ok(Body::new())
}

fn unassociate_ha_vip(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let mut havip = tx.get::<HaVip>(&scope, call.required("HaVipId")?).ok_or(INVALID_HA_VIP_ID_NOT_FOUND)?;
    let instance_id = call.required("InstanceId")?;
    if instance::get(tx, &scope, instance_id).is_none() {
        return Err(INSTANCE_NOT_FOUND.into());
    }
    let before = havip.associated_instances.len();
    havip.associated_instances.retain(|i| i != instance_id);
    if havip.associated_instances.len() == before {
        return Err(NOT_ASSOCIATED.into());
    }
    tx.put(&scope, havip);
    Ok(Body::new())
}

/// Number of HaVips in a vSwitch (a vSwitch with HaVips takes no SNAT entry).
pub fn count_in_vswitch(r: &impl Read, scope: &Scope, vswitch_id: &str) -> usize {
    r.child_ids::<HaVip>(scope, vswitch_id).len()
}

/// A released instance leaves the HaVips it was associated with.
pub fn forget_instance(tx: &mut Tx<'_>, scope: &Scope, vswitch_id: &str, instance_id: &str) {
    for mut havip in tx.children::<HaVip>(scope, vswitch_id) {
        if havip.associated_instances.iter().any(|i| i == instance_id) {
            havip.associated_instances.retain(|i| i != instance_id);
            tx.put(scope, havip);
        }
    }
}

fn describe_ha_vips(call: &Call<'_>, view: &View<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let page = Page::from_params(call.params);
    let filters = checked_filters(call.params, &["HaVipId", "VpcId", "VSwitchId", "Status", "IpAddress"])?;
    let rg = call.str("ResourceGroupId");
    let tags = tag::filter(call, "Tags");
    let (items, total) = view.page::<HaVip>(
        &scope,
        |h| {
            rg.is_none_or(|r| r == h.resource_group_id)
                && tag::matches(view, &scope, &h.id, &tags)
                && passes(&filters, |key| {
                    match key {
                        "HaVipId" => &h.id,
                        "VpcId" => &h.vpc_id,
                        "VSwitchId" => &h.vswitch_id,
                        "IpAddress" => &h.ip_address,
                        _ => h.status(call),
                    }
                    .to_string()
                })
        },
        page.offset(),
        page.size,
    );
    let items: Vec<Value> = items
        .iter()
        .map(|h| {
            let eips: Vec<String> = eip::of_target(view, &scope, &h.id).into_iter().map(|e| e.ip_address).collect();
            json!({
                "HaVipId": h.id,
                "RegionId": h.region,
                "VpcId": h.vpc_id,
                "VSwitchId": h.vswitch_id,
                "IpAddress": h.ip_address,
                "Status": if eips.is_empty() { h.status(call) } else { "InUse" },
                "MasterInstanceId": h.associated_instances.first().cloned().unwrap_or_default(),
                "Description": h.description,
                "Name": h.name,
                "ChargeType": "PostPaid",
                "CreateTime": format_time(h.created_ms),
                "AssociatedInstances": { "associatedInstance": h.associated_instances },
                "AssociatedEipAddresses": { "associatedEipAddresse": eips },
                "Tags": tag::vpc_tags(view, &scope, &h.id),
            })
        })
        .collect();
    let mut out = body(json!({ "HaVips": { "HaVip": items } }));
    page.annotate(&mut out, total);
    Ok(out)
}
