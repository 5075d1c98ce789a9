//! Elastic IP addresses (chapter 19) and Internet Shared Bandwidth, the common bandwidth packages
//! EIPs join (chapter 18, `package.rs`); docs/eip.md has the rules and choices.
//!
//! An EIP takes an address from the global EIP pool (`public_ip::EIP`, unique across accounts),
//! binds to one resource that registered as an [`EipTarget`] for its `InstanceType` (ECS
//! instances, HaVips; NAT gateways plug in the same way and may hold several), and moves
//! Available -> Associating -> InUse -> Unassociating -> Available, each transitional state
//! lasting the transition delay. A subscription (PrePaid) EIP is paid through the billing family.

mod describe;
pub(crate) mod ga;
pub(crate) mod package;

use acs_api::{ApiError, ErrorDef};
use acs_store::{Entity, Read, Scope, Tx};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::billing::{self, OrderRequest, MONTH_MS};
use crate::context::{Call, EipTargetState};
use crate::dispatch::{body, Actions, Body, Handler};
use crate::ids::new_id;
use crate::public_ip;
use crate::quota::Quota;
use crate::tag;

pub use package::{EIPS_PER_PACKAGE, PACKAGES_PER_REGION};

/// The ResourceType of EIPs in VPC TagResources.
pub const TAG_TYPE: &str = "EIP";

/// Makes EIPs and shared bandwidth packages taggable.
pub fn register(cloud: &crate::context::Cloud) {
    cloud.register_taggable("Vpc", TAG_TYPE, |tx, scope, id| tx.exists::<Eip>(scope, id));
    package::register(cloud);
}

pub const EIPS_PER_REGION: Quota = Quota {
    name: "eips_per_region",
    default: 20,
    about: "EIPs an account may hold in one region (AllocateEipAddress, QuotaExceeded.Eip)",
};

pub const ALLOCATION_NOT_FOUND: ErrorDef =
    ErrorDef::new(404, "InvalidAllocationId.NotFound", "Specified allocation ID is not found");
pub const QUOTA_EXCEEDED: ErrorDef = ErrorDef::new(400, "QuotaExceeded.Eip", "Elastic IP address quota exceeded");
pub const RESERVE_IP_FAIL: ErrorDef = ErrorDef::new(400, "ReserveIpFail", "Reserve eip failed.");
pub const INVALID_INTERNET_CHARGE_TYPE: ErrorDef =
    ErrorDef::new(400, "InvalidParameter", "Specified value of \"InternetChargeType\" is not valid");
pub const INSUFFICIENT_BALANCE: ErrorDef =
    ErrorDef::new(400, "InsufficientBalance.Eip", "Your account does not have enough balance.");
pub const DUPLICATED: ErrorDef =
    ErrorDef::new(400, "InvalidAssociation.Duplicated", "Specified instance already is associated.");
pub const NOT_IN_VPC: ErrorDef = ErrorDef::new(400, "OperationDenied", "Specified instance is not in VPC.");
pub const REGION_MISMATCH: ErrorDef = ErrorDef::new(
    400,
    "InvalidParameter.Mismatch",
    "Specified elastic IP address and ECS instance are not in the same region.",
);
/// AssociateEipAddress spells it without the final period.
pub const INCORRECT_EIP_STATUS_ASSOCIATE: ErrorDef =
    ErrorDef::new(400, "IncorrectEipStatus", "Current elastic IP status does not support this operation");
pub const INCORRECT_EIP_STATUS: ErrorDef =
    ErrorDef::new(400, "IncorrectEipStatus", "Current elastic IP status does not support this operation.");
/// AssociateEipAddress's code for an unknown instance (typo included).
pub const INSTAN_NOT_FOUND: ErrorDef =
    ErrorDef::new(404, "InvalidInstanId.NotFound", "Specified instance does not exist.");
pub const INSTANCE_NOT_FOUND: ErrorDef =
    ErrorDef::new(404, "InvalidInstanceId.NotFound", "Specified instance does not exist.");
pub const INCORRECT_INSTANCE_STATUS_ASSOCIATE: ErrorDef =
    ErrorDef::new(400, "IncorrectInstanceStatus", "Current instance status does not support this operation.");
pub const INCORRECT_INSTANCE_STATUS_UNASSOCIATE: ErrorDef =
    ErrorDef::new(400, "IncorrectInstanceStatus", "The current status of instance does not support this operation.");
pub const INCORRECT_HA_VIP_STATUS_ASSOCIATE: ErrorDef = ErrorDef::new(
    400,
    "IncorrectHaVipStatus",
    "HaVip can be operated by this action only when it's status is Available or InUse.",
);
pub const INCORRECT_HA_VIP_STATUS_UNASSOCIATE: ErrorDef = ErrorDef::new(
    400,
    "IncorrectHaVipStatus",
    "This operation is denied because status of the specified HaVip is neither Available nor InUse.",
);
pub const HAS_PUBLIC_IP: ErrorDef =
    ErrorDef::new(400, "BIND_INSTANCE_HAVE_PORTMAP_OR_BIND_EIP", "The instance may have portMap or already bind eip.");
pub const INVALID_BINDING_STATUS: ErrorDef =
    ErrorDef::new(400, "InvalidBindingStatus", "The eip binding status invalid.");
pub const PREPAID_RELEASE: ErrorDef =
    ErrorDef::new(400, "Forbidden.ChargeTypeIsPrepaid", "It's forbidden to release a prepaid EIP");

/// Chosen by the emulator (the reference documents no code for these cases).
pub const INVALID_PERIOD: ErrorDef =
    ErrorDef::new(400, "InvalidParameter", "Specified value of \"Period\" is not valid.");

pub const ERRORS: &[ErrorDef] = &[
    ALLOCATION_NOT_FOUND,
    QUOTA_EXCEEDED,
    RESERVE_IP_FAIL,
    INVALID_INTERNET_CHARGE_TYPE,
    INSUFFICIENT_BALANCE,
    DUPLICATED,
    NOT_IN_VPC,
    REGION_MISMATCH,
    INCORRECT_EIP_STATUS_ASSOCIATE,
    INCORRECT_EIP_STATUS,
    INSTAN_NOT_FOUND,
    INSTANCE_NOT_FOUND,
    INCORRECT_INSTANCE_STATUS_ASSOCIATE,
    INCORRECT_INSTANCE_STATUS_UNASSOCIATE,
    INCORRECT_HA_VIP_STATUS_ASSOCIATE,
    INCORRECT_HA_VIP_STATUS_UNASSOCIATE,
    HAS_PUBLIC_IP,
    INVALID_BINDING_STATUS,
    PREPAID_RELEASE,
    describe::FILTER_KEY_NOT_FOUND,
    describe::FILTER_VALUE_INVALID,
    describe::START_MALFORMED,
    describe::END_MALFORMED,
    describe::START_TOO_EARLY,
    describe::MONITOR_NOT_FOUND,
    describe::TOO_MANY_DATA,
    package::PACKAGE_NOT_FOUND,
    package::BANDWIDTH_NOT_SUPPORTED,
    package::FINANCIAL_LOCKED,
    package::ZONE_NOT_FOUND,
    ga::GA_NOT_FOUND,
    ga::GA_NOT_FOUND_IP,
    ga::INCORRECT_GA_STATUS,
    ga::BACKEND_NOT_FOUND,
    ga::BACKEND_NOT_IN_VPC,
    ga::TASK_CONFLICT,
    ga::SAME_REGION,
    ga::OUTSIDE_SERVICE_AREA,
];

/// Errors the emulator chose where the reference documents none.
pub const CHOSEN: &[ErrorDef] = &[
    INVALID_PERIOD,
    package::QUOTA_EXCEEDED_PACKAGES,
    package::QUOTA_EXCEEDED_PACKAGE_IPS,
    package::EIP_IN_A_PACKAGE,
    package::EIP_NOT_IN_PACKAGE,
    package::PREPAID_EIP,
    package::PACKAGE_HAS_EIPS,
    ga::NOT_SHARING,
    ga::EIP_NOT_ADDABLE,
    ga::EIP_NOT_IN_GA,
];

pub(crate) const ACTIONS: Actions = &[
    ("AllocateEipAddress", Handler::Write(allocate_eip_address)),
    ("AssociateEipAddress", Handler::Write(associate_eip_address)),
    ("ModifyEipAddressAttribute", Handler::Write(modify_eip_address_attribute)),
    ("DescribeEipAddresses", Handler::Read(describe::describe_eip_addresses)),
    ("UnassociateEipAddress", Handler::Write(unassociate_eip_address)),
    ("ReleaseEipAddress", Handler::Write(release_eip_address)),
    ("DescribeEipMonitorData", Handler::Read(describe::describe_eip_monitor_data)),
    ("DescribeEipGatewayInfo", Handler::Read(describe::describe_eip_gateway_info)),
    ("CreateCommonBandwidthPackage", Handler::Write(package::create_common_bandwidth_package)),
    ("DescribeCommonBandwidthPackages", Handler::Read(package::describe_common_bandwidth_packages)),
    ("ModifyCommonBandwidthPackageAttribute", Handler::Write(package::modify_common_bandwidth_package_attribute)),
    ("AddCommonBandwidthPackageIp", Handler::Write(package::add_common_bandwidth_package_ip)),
    ("DeleteCommonBandwidthPackage", Handler::Write(package::delete_common_bandwidth_package)),
    ("ModifyCommonBandwidthPackageSpec", Handler::Write(package::modify_common_bandwidth_package_spec)),
    ("RemoveCommonBandwidthPackageIp", Handler::Write(package::remove_common_bandwidth_package_ip)),
    ("CancelCommonBandwidthPackageIpBandwidth", Handler::Write(package::cancel_common_bandwidth_package_ip_bandwidth)),
    ("ModifyCommonBandwidthPackageIpBandwidth", Handler::Write(package::modify_common_bandwidth_package_ip_bandwidth)),
    ("CreateGlobalAccelerationInstance", Handler::Write(ga::create_global_acceleration_instance)),
    ("DescribeGlobalAccelerationInstances", Handler::Read(ga::describe_global_acceleration_instances)),
    ("ModifyGlobalAccelerationInstanceAttributes", Handler::Write(ga::modify_global_acceleration_instance_attributes)),
    ("ModifyGlobalAccelerationInstanceSpec", Handler::Write(ga::modify_global_acceleration_instance_spec)),
    ("DeleteGlobalAccelerationInstance", Handler::Write(ga::delete_global_acceleration_instance)),
    ("AssociateGlobalAccelerationInstance", Handler::Write(ga::associate_global_acceleration_instance)),
    ("UnassociateGlobalAccelerationInstance", Handler::Write(ga::unassociate_global_acceleration_instance)),
    (
        "DescribeServerRelatedGlobalAccelerationInstances",
        Handler::Read(ga::describe_server_related_global_acceleration_instances),
    ),
    ("AddGlobalAccelerationInstanceIp", Handler::Write(ga::add_global_acceleration_instance_ip)),
    ("RemoveGlobalAccelerationInstanceIp", Handler::Write(ga::remove_global_acceleration_instance_ip)),
];

pub const ECS_INSTANCE: &str = "EcsInstance";
pub const HA_VIP: &str = "HaVip";
const PRE_PAID: &str = "PrePaid";
const PAY_BY_BANDWIDTH: &str = "PayByBandwidth";

/// The resource an EIP is bound to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    pub id: String,
    /// Its `InstanceType` (EcsInstance, HaVip, Nat...).
    pub kind: String,
    pub region: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Eip {
    pub id: String,
    pub region: String,
    pub ip_address: String,
    pub name: String,
    pub description: String,
    /// Its own peak bandwidth in Mbit/s (kept while it is in a shared bandwidth package).
    pub bandwidth: i64,
    pub isp: String,
    /// PayByTraffic | PayByBandwidth
    pub internet_charge_type: String,
    /// PostPaid | PrePaid
    pub charge_type: String,
    pub resource_group_id: String,
    pub created_ms: i64,
    pub expired_ms: Option<i64>,
    /// The resource it is bound (or being bound) to.
    pub target: Option<Target>,
    /// The resource it is being unbound from (Unassociating until the delay has passed).
    pub unbound: Option<Target>,
    /// When the latest binding or unbinding started.
    pub since_ms: i64,
    /// The common bandwidth package it is in ("" when none) and its cap there.
    pub package_id: String,
    pub package_cap: Option<i64>,
    /// The shared-bandwidth Global Acceleration instance it is in ("" when none); such an EIP
    /// binds to instances of another region of the instance's service area.
    #[serde(default)]
    pub ga_id: String,
}

impl Entity for Eip {
    const KIND: &'static str = "eip";
    fn id(&self) -> &str {
        &self.id
    }
    /// Bound EIPs are children of their target, so a target's EIPs are found from the index (a
    /// target in another region finds them through its [`RemoteBinding`]).
    fn parent(&self) -> Option<&str> {
        self.target.as_ref().filter(|t| t.region == self.region).map(|t| t.id.as_str())
    }
}

pub const AVAILABLE: &str = "Available";
pub const IN_USE: &str = "InUse";
pub(crate) const ASSOCIATING: &str = "Associating";
pub(crate) const UNASSOCIATING: &str = "Unassociating";

impl Eip {
    pub fn status(&self, call: &Call<'_>) -> &'static str {
        binding_status(call, self.since_ms, self.target.is_some(), self.unbound.is_some())
    }

    /// The target shown: the bound one, or the one being left while Unassociating.
    pub fn shown_target(&self, call: &Call<'_>) -> Option<&Target> {
        match self.status(call) {
            UNASSOCIATING => self.unbound.as_ref(),
            _ => self.target.as_ref(),
        }
    }

    fn is_prepaid(&self) -> bool {
        self.charge_type == PRE_PAID
    }
}

/// Marks, in the target's region, an EIP of another region bound to it (a Global Acceleration EIP).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct RemoteBinding {
    eip_id: String,
    eip_region: String,
    target_id: String,
}

impl Entity for RemoteBinding {
    const KIND: &'static str = "eip_remote_binding";
    fn id(&self) -> &str {
        &self.eip_id
    }
    fn parent(&self) -> Option<&str> {
        Some(&self.target_id)
    }
}

/// The EIPs bound to a target of `scope`: those of its region, and those of other regions.
fn bound_to(r: &impl Read, scope: &Scope, target_id: &str) -> Vec<(Scope, Eip)> {
    let mut out: Vec<(Scope, Eip)> =
        r.children::<Eip>(scope, target_id).into_iter().map(|e| (scope.clone(), e)).collect();
    for b in r.children::<RemoteBinding>(scope, target_id) {
        let eip_scope = Scope::new(scope.account.clone(), b.eip_region.clone());
        if let Some(e) = r.get::<Eip>(&eip_scope, &b.eip_id) {
            out.push((eip_scope, e));
        }
    }
    out
}

/// The state of a binding (an EIP's to its target, a Global Acceleration instance's to its
/// backend) that started or ended at `since_ms`: Associating then InUse while `bound`,
/// Unassociating then Available once `left`.
fn binding_status(call: &Call<'_>, since_ms: i64, bound: bool, left: bool) -> &'static str {
    match (bound, left, call.settled(since_ms)) {
        (true, _, true) => IN_USE,
        (true, _, false) => ASSOCIATING,
        (false, true, false) => UNASSOCIATING,
        _ => AVAILABLE,
    }
}

/// What an ECS instance (or another target) shows of its EIP.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub allocation_id: String,
    pub ip_address: String,
    pub bandwidth: i64,
    pub internet_charge_type: String,
}

/// The EIPs bound to `target_id` (being bound included), oldest first.
pub fn of_target(r: &impl Read, scope: &Scope, target_id: &str) -> Vec<Summary> {
    bound_to(r, scope, target_id)
        .into_iter()
        .map(|(eip_scope, e)| {
            let (bandwidth, charge) = package::effective(r, &eip_scope, &e);
            Summary { allocation_id: e.id, ip_address: e.ip_address, bandwidth, internet_charge_type: charge }
        })
        .collect()
}

/// A released resource leaves its EIPs, which are Available at once.
pub fn forget_target(tx: &mut Tx<'_>, scope: &Scope, target_id: &str, now_ms: i64) {
    for (eip_scope, mut eip) in bound_to(tx, scope, target_id) {
        eip.target = None;
        eip.unbound = None;
        eip.since_ms = now_ms;
        tx.delete::<RemoteBinding>(scope, &eip.id);
        tx.put(&eip_scope, eip);
    }
}

/// Makes an address another family took from the EIP pool (a NAT bandwidth package's) a
/// pay-as-you-go EIP of `bandwidth` Mbit/s bound to `target_id` of `kind`
/// (ConvertBandwidthPackage); its allocation id.
pub fn adopt(
    call: &Call<'_>,
    tx: &mut Tx<'_>,
    scope: &Scope,
    address: &str,
    bandwidth: i64,
    target_id: &str,
    kind: &str,
) -> String {
    let id = new_id("eip", &scope.region);
    public_ip::transfer(tx, address, &id);
    tx.put(
        scope,
        Eip {
            id: id.clone(),
            region: scope.region.clone(),
            ip_address: address.to_string(),
            name: String::new(),
            description: String::new(),
            bandwidth,
            isp: "BGP".into(),
            internet_charge_type: "PayByTraffic".into(),
            charge_type: "PostPaid".into(),
            resource_group_id: call.resource_group(),
            created_ms: call.now_ms,
            expired_ms: None,
            target: Some(Target { id: target_id.to_string(), kind: kind.to_string(), region: scope.region.clone() }),
            unbound: None,
            // Bound from the start: the address was already serving the target.
            since_ms: i64::MIN / 2,
            package_id: String::new(),
            package_cap: None,
            ga_id: String::new(),
        },
    );
    id
}

pub(crate) fn get(r: &impl Read, scope: &Scope, id: &str) -> Result<Eip, ApiError> {
    r.get::<Eip>(scope, id).ok_or_else(|| ALLOCATION_NOT_FOUND.into())
}

fn bandwidth_param(call: &Call<'_>) -> Option<i64> {
    call.str("Bandwidth").and_then(|b| b.trim().parse().ok())
}

fn allocate_eip_address(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let charge_type = call.str("InstanceChargeType").unwrap_or("PostPaid");
    let prepaid = charge_type == PRE_PAID;
    let internet_charge_type =
        call.str("InternetChargeType").unwrap_or(if prepaid { PAY_BY_BANDWIDTH } else { "PayByTraffic" });
    if prepaid && internet_charge_type != PAY_BY_BANDWIDTH {
        return Err(INVALID_INTERNET_CHARGE_TYPE.into());
    }
    let bandwidth = bandwidth_param(call).unwrap_or(5);
    if tx.count::<Eip>(&scope, |_| true) >= call.quota(tx, &EIPS_PER_REGION) {
        return Err(QUOTA_EXCEEDED.into());
    }
    let id = new_id("eip", &scope.region);
    let mut expired_ms = None;
    let mut order_id = None;
    if prepaid {
        let period = call.params.int("Period").unwrap_or(1);
        let months = match call.str("PricingCycle").unwrap_or("Month") {
            "Year" if period <= 3 => period * 12,
            "Year" => return Err(INVALID_PERIOD.into()),
            _ => period,
        };
        let span = months * MONTH_MS;
        let amount = billing::prorate(billing::bandwidth_monthly_cents(PAY_BY_BANDWIDTH, bandwidth), span);
        let order = place_order(call, tx, &scope, &id, amount)?;
        expired_ms = Some(call.now_ms + span);
        order_id = Some(order);
    }
    let address = public_ip::allocate(tx, &public_ip::EIP, &id).ok_or(RESERVE_IP_FAIL)?;
    let resource_group_id = call.resource_group();
    tx.put(
        &scope,
        Eip {
            id: id.clone(),
            region: scope.region.clone(),
            ip_address: address.clone(),
            name: call.str("Name").unwrap_or_default().to_string(),
            description: call.str("Description").unwrap_or_default().to_string(),
            bandwidth,
            isp: call.str("ISP").unwrap_or("BGP").to_string(),
            internet_charge_type: internet_charge_type.to_string(),
            charge_type: charge_type.to_string(),
            resource_group_id: resource_group_id.clone(),
            created_ms: call.now_ms,
            expired_ms,
            target: None,
            unbound: None,
            since_ms: call.now_ms,
            package_id: String::new(),
            package_cap: None,
            ga_id: String::new(),
        },
    );
    tag::create_with(call, tx, &scope, tag::Product::Vpc, TAG_TYPE, &id, "Tag")?;
    let mut out = body(json!({ "EipAddress": address, "AllocationId": id, "ResourceGroupId": resource_group_id }));
    if let Some(order) = order_id {
        out.insert("OrderId".into(), json!(order.parse::<i64>().unwrap_or_default()));
    }
    Ok(out)
}

/// A subscription order paid from the balance at once (InsufficientBalance.Eip when short).
fn place_order(
    call: &Call<'_>,
    tx: &mut Tx<'_>,
    scope: &Scope,
    id: &str,
    amount_cents: i64,
) -> Result<String, ApiError> {
    let request = OrderRequest {
        account_id: call.account,
        family: billing::EIP,
        instance_id: id,
        region: &scope.region,
        action: call.action,
        amount_cents,
        now_ms: call.now_ms,
    };
    billing::place_order(tx, &request, true, None).map(|o| o.id).map_err(|e| {
        if e.is(billing::NOT_ENOUGH_BALANCE) {
            INSUFFICIENT_BALANCE.into()
        } else {
            e
        }
    })
}

/// The call's target type and what its family says about `id`.
fn inspect(call: &Call<'_>, tx: &Tx<'_>, scope: &Scope, id: &str) -> (String, Option<EipTargetState>, bool) {
    let kind = call.str("InstanceType").unwrap_or(ECS_INSTANCE).to_string();
    match call.cloud.eip_target(&kind) {
        Some(t) => {
            let state = t.eip_target(call, tx, scope, id);
            (kind, state, t.takes_many())
        }
        None => (kind, None, false),
    }
}

fn associate_eip_address(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let mut eip = get(tx, &scope, call.required("AllocationId")?)?;
    let target_scope = target_scope(call, tx, &scope, &eip)?;
    if eip.status(call) != AVAILABLE {
        return Err(INCORRECT_EIP_STATUS_ASSOCIATE.into());
    }
    let id = call.required("InstanceId")?;
    let (kind, state, takes_many) = inspect(call, tx, &target_scope, id);
    match state.ok_or(INSTAN_NOT_FOUND)? {
        EipTargetState::Ready => {}
        EipTargetState::NotInVpc => return Err(NOT_IN_VPC.into()),
        EipTargetState::HasPublicIp => return Err(HAS_PUBLIC_IP.into()),
        EipTargetState::WrongStatus if kind == HA_VIP => return Err(INCORRECT_HA_VIP_STATUS_ASSOCIATE.into()),
        EipTargetState::WrongStatus => return Err(INCORRECT_INSTANCE_STATUS_ASSOCIATE.into()),
    }
    if !takes_many && !of_target(tx, &target_scope, id).is_empty() {
        return Err(DUPLICATED.into());
    }
    if target_scope.region != scope.region {
        let binding =
            RemoteBinding { eip_id: eip.id.clone(), eip_region: scope.region.clone(), target_id: id.to_string() };
        tx.put(&target_scope, binding);
    }
    eip.target = Some(Target { id: id.to_string(), kind, region: target_scope.region.clone() });
    eip.unbound = None;
    eip.since_ms = call.now_ms;
    tx.put(&scope, eip);
    Ok(Body::new())
}

/// Where the target of an association is: the EIP's region, or, for an EIP of a Global
/// Acceleration instance, `InstanceRegionId`, another region of the instance's service area.
fn target_scope(call: &Call<'_>, r: &impl Read, scope: &Scope, eip: &Eip) -> Result<Scope, ApiError> {
    let Some(region) = call.str("InstanceRegionId").filter(|r| *r != scope.region) else {
        return Ok(scope.clone());
    };
    crate::region::check_region(region)?;
    match ga::of_eip(r, scope, eip) {
        Some(g) if ga::service_area(region) == Some(g.service_location.as_str()) => {
            Ok(Scope::new(call.account, region))
        }
        _ => Err(REGION_MISMATCH.into()),
    }
}

fn unassociate_eip_address(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let mut eip = get(tx, &scope, call.required("AllocationId")?)?;
    if eip.status(call) != IN_USE {
        return Err(INCORRECT_EIP_STATUS.into());
    }
    let id = call.required("InstanceId")?;
    let target_scope = match &eip.target {
        Some(t) if t.region != scope.region => Scope::new(call.account, t.region.as_str()),
        _ => scope.clone(),
    };
    let (kind, state, _) = inspect(call, tx, &target_scope, id);
    let state = state.ok_or(INSTANCE_NOT_FOUND)?;
    if eip.target.as_ref().is_none_or(|t| t.id != id || t.kind != kind) {
        return Err(INVALID_BINDING_STATUS.into());
    }
    // An address the target still uses (a NAT gateway's entries) stays bound.
    if call.cloud.eip_target(&kind).is_some_and(|t| t.uses_address(tx, &target_scope, id, &eip.ip_address)) {
        return Err(INCORRECT_EIP_STATUS.into());
    }
    if state == EipTargetState::WrongStatus {
        return Err(if kind == HA_VIP {
            INCORRECT_HA_VIP_STATUS_UNASSOCIATE
        } else {
            INCORRECT_INSTANCE_STATUS_UNASSOCIATE
        }
        .into());
    }
    tx.delete::<RemoteBinding>(&target_scope, &eip.id);
    eip.unbound = eip.target.take();
    eip.since_ms = call.now_ms;
    tx.put(&scope, eip);
    Ok(Body::new())
}

/// Name, description and peak bandwidth. The bandwidth of an EIP in a shared bandwidth package is
/// the package's (IncorrectEipStatus); raising a subscription's bandwidth is paid for at once for
/// the rest of its term (InsufficientBalance.Eip when the balance is short).
fn modify_eip_address_attribute(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let mut eip = get(tx, &scope, call.required("AllocationId")?)?;
    if let Some(bandwidth) = bandwidth_param(call) {
        if !eip.package_id.is_empty() || matches!(eip.status(call), ASSOCIATING | UNASSOCIATING) {
            return Err(INCORRECT_EIP_STATUS.into());
        }
        if eip.is_prepaid() && bandwidth > eip.bandwidth {
            let rest = eip.expired_ms.map_or(0, |end| end - call.now_ms);
            let monthly = billing::bandwidth_monthly_cents(PAY_BY_BANDWIDTH, bandwidth)
                - billing::bandwidth_monthly_cents(PAY_BY_BANDWIDTH, eip.bandwidth);
            place_order(call, tx, &scope, &eip.id, billing::prorate(monthly, rest))?;
        }
        eip.bandwidth = bandwidth;
    }
    call.update(&mut eip.name, "Name");
    call.update(&mut eip.description, "Description");
    tx.put(&scope, eip);
    Ok(Body::new())
}

/// Only an Available EIP is released; a subscription only once it has expired. An EIP in a shared
/// bandwidth package leaves it.
fn release_eip_address(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let eip = get(tx, &scope, call.required("AllocationId")?)?;
    if eip.status(call) != AVAILABLE {
        return Err(INCORRECT_EIP_STATUS.into());
    }
    if eip.is_prepaid() && eip.expired_ms.is_none_or(|end| call.now_ms < end) {
        return Err(PREPAID_RELEASE.into());
    }
    if !eip.ga_id.is_empty() {
        return Err(ga::TASK_CONFLICT.into());
    }
    public_ip::release(tx, &eip.ip_address);
    tx.delete::<Eip>(&scope, &eip.id);
    tag::forget(tx, &scope, &eip.id);
    Ok(Body::new())
}
