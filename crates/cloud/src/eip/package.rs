//! Internet Shared Bandwidth: common bandwidth packages (chapter 18). Pay-as-you-go EIPs of the
//! package's region join it; a member is billed by the package (its bandwidth and charge type
//! are the package's) and may be capped below the package's bandwidth. A package is deleted
//! only when empty, unless Force, which first removes its EIPs (they get their own bandwidth back).

use acs_api::{ApiError, ErrorDef};
use acs_store::{Entity, Read, Scope, Tx, View};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::{get, Eip};
use crate::billing;
use crate::clock::format_time;
use crate::context::Call;
use crate::dispatch::{body, Body};
use crate::ids::new_id;
use crate::paging::Page;
use crate::quota::Quota;
use crate::tag;

/// The ResourceType of shared bandwidth packages in VPC TagResources.
pub const TAG_TYPE: &str = "COMMONBANDWIDTHPACKAGE";

pub(super) fn register(cloud: &crate::context::Cloud) {
    cloud.register_taggable("Vpc", TAG_TYPE, |tx, scope, id| tx.exists::<Package>(scope, id));
}

pub const PACKAGES_PER_REGION: Quota = Quota {
    name: "common_bandwidth_packages_per_region",
    default: 5,
    about: "pay-as-you-go Internet Shared Bandwidth instances per account and region (CreateCommonBandwidthPackage)",
};
pub const EIPS_PER_PACKAGE: Quota = Quota {
    name: "eips_per_common_bandwidth_package",
    default: 100,
    about: "EIPs in one Internet Shared Bandwidth instance (AddCommonBandwidthPackageIp)",
};

pub const PACKAGE_NOT_FOUND: ErrorDef = ErrorDef::new(
    404,
    "InvalidBandwidthPackageId.NotFound",
    "The specified bandwidthPackageId does not exist in our records.",
);
pub const BANDWIDTH_NOT_SUPPORTED: ErrorDef =
    ErrorDef::new(404, "InvalidBandwidth.ValueNotSupported", "The specified value of Bandwidth not supported.");
pub const FINANCIAL_LOCKED: ErrorDef =
    ErrorDef::new(404, "BandwidthPackage.FinancialLocked", "The specified BandwidthPackage has been Financail Lock.");
pub const ZONE_NOT_FOUND: ErrorDef =
    ErrorDef::new(404, "InvalidZoneId.NotFound", "Specified value of ZoneId is not exists.");

/// Chosen by the emulator (chapter 18 documents no code for these cases).
pub const QUOTA_EXCEEDED_PACKAGES: ErrorDef = ErrorDef::new(
    400,
    "QuotaExceeded.CommonBandwidthPackage",
    "The quota of Internet Shared Bandwidth instances in the region is exceeded.",
);
pub const QUOTA_EXCEEDED_PACKAGE_IPS: ErrorDef = ErrorDef::new(
    400,
    "QuotaExceeded.CommonBandwidthPackageIp",
    "The Internet Shared Bandwidth instance holds as many EIPs as its quota allows.",
);
pub const EIP_IN_A_PACKAGE: ErrorDef = ErrorDef::new(
    400,
    "OperationFailed.EipInBandwidthPackage",
    "The specified EIP is already in an Internet Shared Bandwidth instance.",
);
pub const EIP_NOT_IN_PACKAGE: ErrorDef = ErrorDef::new(
    400,
    "OperationFailed.EipNotInBandwidthPackage",
    "The specified EIP is not in the specified Internet Shared Bandwidth instance.",
);
pub const PREPAID_EIP: ErrorDef = ErrorDef::new(
    400,
    "OperationUnsupported.PrePaidEip",
    "Only pay-as-you-go EIPs can be added to an Internet Shared Bandwidth instance.",
);
pub const PACKAGE_HAS_EIPS: ErrorDef = ErrorDef::new(
    400,
    "DependencyViolation.EipAddresses",
    "The Internet Shared Bandwidth instance still has EIPs; remove them or delete it with Force.",
);

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Package {
    pub id: String,
    pub region: String,
    pub name: String,
    pub description: String,
    pub bandwidth: i64,
    pub internet_charge_type: String,
    pub isp: String,
    pub ratio: i64,
    pub zone: String,
    pub resource_group_id: String,
    pub created_ms: i64,
}

impl Entity for Package {
    const KIND: &'static str = "common_bandwidth_package";
    fn id(&self) -> &str {
        &self.id
    }
}

fn get_package(r: &impl Read, scope: &Scope, id: &str) -> Result<Package, ApiError> {
    r.get::<Package>(scope, id).ok_or_else(|| PACKAGE_NOT_FOUND.into())
}

fn members(r: &impl Read, scope: &Scope, package_id: &str) -> Vec<Eip> {
    r.select::<Eip>(scope, |e| e.package_id == package_id)
}

/// (peak bandwidth in Mbit/s, charge type) that apply to an EIP: its own, or in a package the
/// package's (capped by its per-IP limit).
pub fn effective(r: &impl Read, scope: &Scope, e: &Eip) -> (i64, String) {
    match r.get::<Package>(scope, &e.package_id) {
        Some(p) => (e.package_cap.unwrap_or(p.bandwidth).min(p.bandwidth), p.internet_charge_type),
        None => (e.bandwidth, e.internet_charge_type.clone()),
    }
}

pub(super) fn create_common_bandwidth_package(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let zone = call.str("Zone").unwrap_or_default();
    if !zone.is_empty() {
        crate::region::check_zone(&scope.region, zone).map_err(|_| ZONE_NOT_FOUND)?;
    }
    if tx.count::<Package>(&scope, |_| true) >= call.quota(tx, &PACKAGES_PER_REGION) {
        return Err(QUOTA_EXCEEDED_PACKAGES.into());
    }
    let id = new_id("cbwp", &scope.region);
    let resource_group_id = call.resource_group();
    tx.put(
        &scope,
        Package {
            id: id.clone(),
            region: scope.region.clone(),
            name: call.str("Name").unwrap_or_default().to_string(),
            description: call.str("Description").unwrap_or_default().to_string(),
            bandwidth: call.params.int("Bandwidth").unwrap_or(1),
            internet_charge_type: call.str("InternetChargeType").unwrap_or("PayByTraffic").to_string(),
            isp: call.str("ISP").unwrap_or("BGP").to_string(),
            ratio: call.params.int("Ratio").unwrap_or(20),
            zone: zone.to_string(),
            resource_group_id: resource_group_id.clone(),
            created_ms: call.now_ms,
        },
    );
    tag::create_with(call, tx, &scope, tag::Product::Vpc, TAG_TYPE, &id, "Tag")?;
    Ok(body(json!({ "BandwidthPackageId": id, "ResourceGroupId": resource_group_id })))
}

pub(super) fn describe_common_bandwidth_packages(call: &Call<'_>, view: &View<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let page = Page::from_params(call.params);
    let eq = |param: &str, field: &str| call.str(param).is_none_or(|v| v == field);
    let tags = tag::filter(call, "Tag");
    let (items, total) = view.page::<Package>(
        &scope,
        |p| {
            eq("BandwidthPackageId", &p.id)
                && eq("Name", &p.name)
                && eq("ResourceGroupId", &p.resource_group_id)
                && tag::matches(view, &scope, &p.id, &tags)
        },
        page.offset(),
        page.size,
    );
    let items: Vec<Value> = items
        .iter()
        .map(|p| {
            let ips: Vec<Value> = members(view, &scope, &p.id)
                .iter()
                .map(|e| json!({ "IpAddress": e.ip_address, "AllocationId": e.id }))
                .collect();
            json!({
                "CreationTime": format_time(p.created_ms),
                "Name": p.name,
                "Status": if call.settled(p.created_ms) { "Available" } else { "Creating" },
                "BandwidthPackageId": p.id,
                "BusinessStatus": if billing::is_overdue(view, call.account) { "FinancialLocked" } else { "Normal" },
                "Ratio": p.ratio,
                "RegionId": p.region,
                "ZoneId": p.zone,
                "InstanceChargeType": "PostPaid",
                "InternetChargeType": p.internet_charge_type,
                "PublicIpAddresses": { "PublicIpAddresse": ips },
                "Bandwidth": p.bandwidth.to_string(),
                "Description": p.description,
                "ExpiredTime": "",
                "HasReservationData": "false",
                "ISP": p.isp,
                "ReservationActiveTime": "",
                "ReservationBandwidth": "",
                "ReservationInternetChargeType": "",
                "ReservationOrderType": "",
                "ResourceGroupId": p.resource_group_id,
                "Tags": tag::vpc_tags(view, &scope, &p.id),
            })
        })
        .collect();
    let mut out = body(json!({ "CommonBandwidthPackages": { "CommonBandwidthPackage": items } }));
    page.annotate(&mut out, total);
    Ok(out)
}

pub(super) fn modify_common_bandwidth_package_attribute(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let mut p = get_package(tx, &scope, call.required("BandwidthPackageId")?)?;
    call.update(&mut p.name, "Name");
    call.update(&mut p.description, "Description");
    tx.put(&scope, p);
    Ok(Body::new())
}

/// A pay-as-you-go EIP of the region that is in no package joins this one.
pub(super) fn add_common_bandwidth_package_ip(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let p = get_package(tx, &scope, call.required("BandwidthPackageId")?)?;
    let mut eip = get(tx, &scope, call.required("IpInstanceId")?)?;
    if eip.is_prepaid() {
        return Err(PREPAID_EIP.into());
    }
    if eip.package_id == p.id {
        return Ok(Body::new());
    }
    if !eip.package_id.is_empty() || !eip.ga_id.is_empty() {
        return Err(EIP_IN_A_PACKAGE.into());
    }
    if members(tx, &scope, &p.id).len() >= call.quota(tx, &EIPS_PER_PACKAGE) {
        return Err(QUOTA_EXCEEDED_PACKAGE_IPS.into());
    }
    eip.package_id = p.id;
    eip.package_cap = None;
    tx.put(&scope, eip);
    Ok(Body::new())
}

fn member(call: &Call<'_>, tx: &Tx<'_>, scope: &Scope, eip_param: &str) -> Result<(Package, Eip), ApiError> {
    let p = get_package(tx, scope, call.required("BandwidthPackageId")?)?;
    let eip = get(tx, scope, call.required(eip_param)?)?;
    if eip.package_id != p.id {
        return Err(EIP_NOT_IN_PACKAGE.into());
    }
    Ok((p, eip))
}

/// The EIP leaves the package and gets its own bandwidth and charge type back.
pub(super) fn remove_common_bandwidth_package_ip(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let (_, mut eip) = member(call, tx, &scope, "IpInstanceId")?;
    eip.package_id.clear();
    eip.package_cap = None;
    tx.put(&scope, eip);
    Ok(Body::new())
}

pub(super) fn delete_common_bandwidth_package(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let p = get_package(tx, &scope, call.required("BandwidthPackageId")?)?;
    let eips = members(tx, &scope, &p.id);
    if !eips.is_empty() && !call.params.bool("Force").unwrap_or(false) {
        return Err(PACKAGE_HAS_EIPS.into());
    }
    for mut eip in eips {
        eip.package_id.clear();
        eip.package_cap = None;
        tx.put(&scope, eip);
    }
    tx.delete::<Package>(&scope, &p.id);
    tag::forget(tx, &scope, &p.id);
    Ok(Body::new())
}

/// A new peak bandwidth, not below any member's cap; refused while the account is overdue.
pub(super) fn modify_common_bandwidth_package_spec(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let mut p = get_package(tx, &scope, call.required("BandwidthPackageId")?)?;
    if billing::is_overdue(tx, call.account) {
        return Err(FINANCIAL_LOCKED.into());
    }
    let bandwidth = call.params.int("Bandwidth").unwrap_or(p.bandwidth);
    if members(tx, &scope, &p.id).iter().any(|e| e.package_cap.is_some_and(|cap| cap > bandwidth)) {
        return Err(BANDWIDTH_NOT_SUPPORTED.into());
    }
    p.bandwidth = bandwidth;
    tx.put(&scope, p);
    Ok(Body::new())
}

/// Caps a member EIP at a bandwidth no higher than the package's.
pub(super) fn modify_common_bandwidth_package_ip_bandwidth(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let (p, mut eip) = member(call, tx, &scope, "EipId")?;
    let cap = super::bandwidth_param(call).ok_or(BANDWIDTH_NOT_SUPPORTED)?;
    if cap > p.bandwidth {
        return Err(BANDWIDTH_NOT_SUPPORTED.into());
    }
    eip.package_cap = Some(cap);
    tx.put(&scope, eip);
    Ok(Body::new())
}

/// Lifts a member's cap: it may use the package's whole bandwidth again.
pub(super) fn cancel_common_bandwidth_package_ip_bandwidth(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let (_, mut eip) = member(call, tx, &scope, "EipId")?;
    eip.package_cap = None;
    tx.put(&scope, eip);
    Ok(Body::new())
}
