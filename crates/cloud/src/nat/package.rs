//! NAT bandwidth packages: a peak bandwidth shared by a group of public addresses that belong to
//! one NAT gateway, taken from (and given back to) the global EIP pool.

use std::collections::BTreeMap;

use acs_api::{ApiError, ErrorDef, Value as Param};
use acs_store::{Entity, Read, Scope, Tx, View};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::{
    gateway, use_of, NatGateway, Use, IPS_PER_PACKAGE, IP_QUOTA, NATGW_NOT_EXIST, NO_AVAILABLE_IP,
    PACKAGES_PER_GATEWAY, PACKAGE_QUOTA, ZONE_NOT_FOUND,
};
use crate::clock::format_time;
use crate::context::Call;
use crate::dispatch::{body, Body};
use crate::ids::new_id;
use crate::paging::Page;
use crate::{billing, public_ip, region};

pub const PACKAGE_NOT_FOUND: ErrorDef = ErrorDef::new(
    404,
    "InvalidBandwidthPackageId.NotFound",
    "The specified bandwidthPackageId does not exist in our records.",
);
pub const FINANCIAL_LOCKED: ErrorDef = crate::eip::package::FINANCIAL_LOCKED;
pub const NOT_IN_PACKAGE: ErrorDef = ErrorDef::new(
    404,
    "invalidRemovedIpAddresses.NotFound",
    "Some of the specified value of RemovedIpAddress not found in specified BandwidthPackage.",
);
pub const NOT_NAT_IP: ErrorDef =
    ErrorDef::new(404, "InvalidRemovedIpAddresses.NotFound", "Some of remove ip is not natPublicIp.");
pub const REMOVE_ALL: ErrorDef =
    ErrorDef::new(400, "InvalidIpCount.ValueNotSupported", "Can not remove all ips of the bandwidthPackage.");
pub const IP_USED_BY_DNAT: ErrorDef =
    ErrorDef::new(400, "DependencyViolation.ForwardEntry", "The ip has been used by ForwardEntry.");
pub const IP_USED_BY_SNAT: ErrorDef =
    ErrorDef::new(400, "DependencyViolation.SnatEntry", "The ip has been used by SnatEntry.");
pub const PACKAGE_USED_BY_DNAT: ErrorDef =
    ErrorDef::new(400, "DependencyViolation.ForwardEntry", "The specified BandwidthPackageId has dependent resource.");
pub const PACKAGE_USED_BY_SNAT: ErrorDef =
    ErrorDef::new(400, "DependencyViolation.SnatEntry", "The specified BandwidthPackageId has dependent resource.");

/// One public address of a package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NatIp {
    pub allocation_id: String,
    pub address: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NatPackage {
    pub id: String,
    pub region: String,
    pub nat_gateway_id: String,
    pub bandwidth: i64,
    pub isp: String,
    pub zone_id: String,
    pub internet_charge_type: String,
    pub name: String,
    pub description: String,
    pub created_ms: i64,
    pub ips: Vec<NatIp>,
}

impl Entity for NatPackage {
    const KIND: &'static str = "nat_bandwidth_package";
    fn id(&self) -> &str {
        &self.id
    }
    fn parent(&self) -> Option<&str> {
        Some(&self.nat_gateway_id)
    }
}

/// What one package is created with (CreateBandwidthPackage, or one BandwidthPackage.N of
/// CreateNatGateway), checked before anything is stored.
pub(super) struct Request {
    bandwidth: i64,
    ip_count: usize,
    isp: String,
    zone_id: String,
    internet_charge_type: String,
    name: String,
    description: String,
}

impl Request {
    fn new(
        call: &Call<'_>,
        r: &impl Read,
        scope: &Scope,
        fields: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Self, ApiError> {
        let zone_id = match fields("Zone") {
            Some(zone) => {
                region::check_zone(&scope.region, &zone).map_err(|_| ApiError::from(ZONE_NOT_FOUND))?;
                zone
            }
            // The reference lets the system pick one: the region's first.
            None => region::first_zone(&scope.region).unwrap_or_default(),
        };
        // Absent from a BandwidthPackage.N item: the smallest documented values (docs/nat.md).
        let ip_count = fields("IpCount").and_then(|n| n.trim().parse::<usize>().ok()).unwrap_or(1);
        if ip_count > call.quota(r, &IPS_PER_PACKAGE) {
            return Err(IP_QUOTA.into());
        }
        Ok(Self {
            bandwidth: fields("Bandwidth").and_then(|n| n.trim().parse().ok()).unwrap_or(5),
            ip_count,
            isp: fields("ISP").unwrap_or_else(|| "BGP".into()),
            zone_id,
            internet_charge_type: fields("InternetChargeType").unwrap_or_else(|| "PayByTraffic".into()),
            name: fields("Name").unwrap_or_default(),
            description: fields("Description").unwrap_or_default(),
        })
    }

    pub(super) fn from_item(
        call: &Call<'_>,
        r: &impl Read,
        scope: &Scope,
        item: &BTreeMap<String, Param>,
    ) -> Result<Self, ApiError> {
        Self::new(call, r, scope, &|name| text(item.get(name)))
    }
}

/// A scalar parameter as text, whatever its described type.
fn text(v: Option<&Param>) -> Option<String> {
    match v {
        Some(Param::Str(s)) => Some(s.clone()),
        Some(Param::Int(n)) => Some(n.to_string()),
        _ => None,
    }
}

/// Takes `count` addresses of the global pool for package `owner`.
fn allocate(tx: &mut Tx<'_>, scope: &Scope, owner: &str, count: usize) -> Result<Vec<NatIp>, ApiError> {
    let mut ips = Vec::with_capacity(count);
    for _ in 0..count {
        let address = public_ip::allocate(tx, &public_ip::EIP, owner).ok_or(NO_AVAILABLE_IP)?;
        ips.push(NatIp { allocation_id: new_id("nateip", &scope.region), address });
    }
    Ok(ips)
}

/// Stores a package of gateway `gw_id` as `request` describes it; its id.
pub(super) fn create_for(
    call: &Call<'_>,
    tx: &mut Tx<'_>,
    scope: &Scope,
    gw_id: &str,
    request: &Request,
) -> Result<String, ApiError> {
    let id = new_id("bwp", &scope.region);
    let ips = allocate(tx, scope, &id, request.ip_count)?;
    tx.put(
        scope,
        NatPackage {
            id: id.clone(),
            region: scope.region.clone(),
            nat_gateway_id: gw_id.to_string(),
            bandwidth: request.bandwidth,
            isp: request.isp.clone(),
            zone_id: request.zone_id.clone(),
            internet_charge_type: request.internet_charge_type.clone(),
            name: request.name.clone(),
            description: request.description.clone(),
            created_ms: call.now_ms,
            ips,
        },
    );
    Ok(id)
}

/// Gives the package's addresses back to the pool and forgets it.
pub(super) fn release(tx: &mut Tx<'_>, scope: &Scope, p: &NatPackage) {
    for ip in &p.ips {
        public_ip::release(tx, &ip.address);
    }
    tx.delete::<NatPackage>(scope, &p.id);
}

fn get(r: &impl Read, scope: &Scope, id: &str) -> Result<NatPackage, ApiError> {
    r.get::<NatPackage>(scope, id).ok_or_else(|| PACKAGE_NOT_FOUND.into())
}

/// The package's gateway (a package never outlives it).
fn gateway_of(r: &impl Read, scope: &Scope, p: &NatPackage) -> Result<NatGateway, ApiError> {
    gateway::get(r, scope, &p.nat_gateway_id)
}

pub(super) fn create(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope_or(super::REGION_NOT_FOUND)?;
    let gw = tx.get::<NatGateway>(&scope, call.required("NatGatewayId")?).ok_or(NATGW_NOT_EXIST)?;
    if tx.children::<NatPackage>(&scope, &gw.id).len() >= call.quota(tx, &PACKAGES_PER_GATEWAY) {
        return Err(PACKAGE_QUOTA.into());
    }
    let request = Request::new(call, tx, &scope, &|name| text(call.params.get(name)))?;
    let id = create_for(call, tx, &scope, &gw.id, &request)?;
    Ok(body(json!({ "BandwidthPackageId": id })))
}

pub(super) fn describe(call: &Call<'_>, view: &View<'_>) -> Result<Body, ApiError> {
    let scope = call.scope_or(super::REGION_NOT_FOUND)?;
    let page = Page::from_params(call.params);
    let (items, total) = view.page::<NatPackage>(
        &scope,
        |p| call.matches("BandwidthPackageId", &p.id) && call.matches("NatGatewayId", &p.nat_gateway_id),
        page.offset(),
        page.size,
    );
    let items: Vec<Value> = items
        .iter()
        .map(|p| {
            let gw = view.get::<NatGateway>(&scope, &p.nat_gateway_id);
            let ips: Vec<Value> = p
                .ips
                .iter()
                .map(|ip| {
                    let using = gw.as_ref().map_or(Use::Idle, |g| use_of(view, &scope, g, &ip.address));
                    json!({
                        "IpAddress": ip.address,
                        "AllocationId": ip.allocation_id,
                        "UsingStatus": using.using_status(),
                        "ApAccessEnabled": false,
                    })
                })
                .collect();
            json!({
                "BandwidthPackageId": p.id,
                "NatGatewayId": p.nat_gateway_id,
                "RegionId": p.region,
                "ZoneId": p.zone_id,
                "Bandwidth": p.bandwidth.to_string(),
                "IpCount": p.ips.len().to_string(),
                "ISP": p.isp,
                "InternetChargeType": p.internet_charge_type,
                "InstanceChargeType": "PostPaid",
                "Name": p.name,
                "Description": p.description,
                "Status": crate::status::AVAILABLE,
                "BusinessStatus": "Normal",
                "CreationTime": format_time(p.created_ms),
                "PublicIpAddresses": { "PublicIpAddresse": ips },
            })
        })
        .collect();
    let mut out = body(json!({ "BandwidthPackages": { "BandwidthPackage": items } }));
    page.annotate(&mut out, total);
    Ok(out)
}

/// A new peak bandwidth; refused while the account is overdue.
pub(super) fn modify_spec(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope_or(super::REGION_NOT_FOUND)?;
    let mut p = get(tx, &scope, call.required("BandwidthPackageId")?)?;
    if billing::is_overdue(tx, call.account) {
        return Err(FINANCIAL_LOCKED.into());
    }
    p.bandwidth = call.params.int("BandWidth").unwrap_or(p.bandwidth);
    tx.put(&scope, p);
    Ok(Body::new())
}

pub(super) fn modify_attribute(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope_or(super::REGION_NOT_FOUND)?;
    let mut p = get(tx, &scope, call.required("BandwidthPackageId")?)?;
    call.update(&mut p.name, "Name");
    call.update(&mut p.description, "Description");
    tx.put(&scope, p);
    Ok(Body::new())
}

pub(super) fn add_ips(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope_or(super::REGION_NOT_FOUND)?;
    let mut p = get(tx, &scope, call.required("BandwidthPackageId")?)?;
    if billing::is_overdue(tx, call.account) {
        return Err(FINANCIAL_LOCKED.into());
    }
    // IpCount is a String of the description (its range checked there).
    let count = text(call.params.get("IpCount")).and_then(|n| n.trim().parse::<usize>().ok()).unwrap_or(1);
    if p.ips.len() + count > call.quota(tx, &IPS_PER_PACKAGE) {
        return Err(IP_QUOTA.into());
    }
    let new = allocate(tx, &scope, &p.id, count)?;
    p.ips.extend(new);
    tx.put(&scope, p);
    Ok(Body::new())
}

/// Each address must be one of the package's (another NAT package's: invalidRemovedIpAddresses;
/// no NAT package's: InvalidRemovedIpAddresses), unused by SNAT and DNAT entries, and one must
/// stay.
pub(super) fn remove_ips(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope_or(super::REGION_NOT_FOUND)?;
    let mut p = get(tx, &scope, call.required("BandwidthPackageId")?)?;
    if billing::is_overdue(tx, call.account) {
        return Err(FINANCIAL_LOCKED.into());
    }
    let gw = gateway_of(tx, &scope, &p)?;
    let mut removed: Vec<String> = call.params.strings("RemovedIpAddresses");
    removed.dedup();
    for address in &removed {
        if !p.ips.iter().any(|ip| ip.address == *address) {
            let nat_ip = tx.count::<NatPackage>(&scope, |o| o.ips.iter().any(|ip| ip.address == *address)) > 0;
            return Err(if nat_ip { NOT_IN_PACKAGE } else { NOT_NAT_IP }.into());
        }
        match use_of(tx, &scope, &gw, address) {
            Use::Dnat => return Err(IP_USED_BY_DNAT.into()),
            Use::Snat => return Err(IP_USED_BY_SNAT.into()),
            Use::Idle => {}
        }
    }
    if p.ips.iter().all(|ip| removed.contains(&ip.address)) {
        return Err(REMOVE_ALL.into());
    }
    for address in &removed {
        public_ip::release(tx, address);
    }
    p.ips.retain(|ip| !removed.contains(&ip.address));
    tx.put(&scope, p);
    Ok(Body::new())
}

/// Without Force, a package whose addresses serve entries stays; with it, those entries go.
pub(super) fn delete(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope_or(super::REGION_NOT_FOUND)?;
    let p = get(tx, &scope, call.required("BandwidthPackageId")?)?;
    let gw = gateway_of(tx, &scope, &p)?;
    let force = call.params.bool("Force").unwrap_or(false);
    for ip in &p.ips {
        match use_of(tx, &scope, &gw, &ip.address) {
            Use::Dnat if !force => return Err(PACKAGE_USED_BY_DNAT.into()),
            Use::Snat if !force => return Err(PACKAGE_USED_BY_SNAT.into()),
            Use::Idle => {}
            _ => {
                super::forward::forget_address(tx, &scope, &gw, &ip.address);
                super::snat::forget_address(tx, &scope, &gw, &ip.address);
            }
        }
    }
    release(tx, &scope, &p);
    Ok(Body::new())
}

/// The package's addresses become pay-as-you-go EIPs of the package's bandwidth, bound to its
/// gateway (so its SNAT and DNAT entries keep them), and the package goes; the answer names the
/// converted package.
pub(super) fn convert(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope_or(super::REGION_NOT_FOUND)?;
    let p = get(tx, &scope, call.required("BandwidthPackageId")?)?;
    for ip in &p.ips {
        crate::eip::adopt(call, tx, &scope, &ip.address, p.bandwidth, &p.nat_gateway_id, super::EIP_INSTANCE_TYPE);
    }
    tx.delete::<NatPackage>(&scope, &p.id);
    Ok(body(json!({ "ConvertInstanceId": p.id })))
}
