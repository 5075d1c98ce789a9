//! Create, run, start, stop, reboot and delete instances, and AllocatePublicIpAddress.

use acs_api::{common, ApiError, ErrorDef};
use acs_store::{Scope, Tx};
use rand::Rng;
use serde_json::json;

use super::errors::*;
use super::{find, Instance, RUNNING, STOPPED};
use crate::billing::{self, OrderRequest, MONTH_MS};
use crate::context::Call;
use crate::dispatch::{body, Body};
use crate::ids::new_id;
use crate::public_ip;
use crate::{eip, havip, instance_type, region, route_table, security_group, tag, vpc, vswitch};

const PENDING: &str = "Pending";
const STARTING: &str = "Starting";
const STOPPING: &str = "Stopping";
const WEEK_MS: i64 = 7 * 24 * 3_600_000;

/// Where new instances go.
struct Placement {
    zone_id: String,
    vpc_id: String,
    vswitch_id: String,
    security_group_id: String,
}

/// What CreateInstance / RunInstances made.
struct Launched {
    ids: Vec<String>,
    order: Option<billing::Order>,
}

pub(super) fn create_instance(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let launched = launch(call, tx, 1, false)?;
    let mut out = body(json!({ "InstanceId": launched.ids.first().cloned().unwrap_or_default() }));
    add_order(&mut out, &launched);
    Ok(out)
}

pub(super) fn run_instances(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let amount = call.params.int("Amount").unwrap_or(1);
    if call.params.int("MinAmount").is_some_and(|min| min > amount) {
        return Err(INVALID_MIN_AMOUNT.into());
    }
    let launched = launch(call, tx, amount.max(1) as usize, true)?;
    let mut out = body(json!({ "InstanceIdSets": { "InstanceIdSet": launched.ids } }));
    add_order(&mut out, &launched);
    Ok(out)
}

/// Subscription purchases answer their order; pay-as-you-go ones have none.
fn add_order(out: &mut Body, launched: &Launched) {
    if let Some(order) = &launched.order {
        out.insert("OrderId".into(), json!(order.id));
        out.insert("TradePrice".into(), billing::cents(order.amount_cents));
    }
}

fn is_run(call: &Call<'_>) -> bool {
    call.action == "RunInstances"
}

fn launch(call: &Call<'_>, tx: &mut Tx<'_>, count: usize, run: bool) -> Result<Launched, ApiError> {
    let scope = call.scope()?;
    if billing::is_overdue(tx, call.account) {
        return Err(if is_run(call) { ARREARAGE_RUN } else { billing::ACCOUNT_ARREARAGE }.into());
    }
    let itype = instance_type::get(call.required("InstanceType")?).ok_or(INSTANCE_TYPE_NOT_SUPPORTED)?;
    let image = crate::image::check(call.required("ImageId")?)?;
    let placement = placement(call, tx, &scope)?;
    let charge_type = call.str("InstanceChargeType").unwrap_or("PostPaid");
    let internet_charge_type = call.str("InternetChargeType").unwrap_or("PayByTraffic").to_string();
    let out = call.params.int("InternetMaxBandwidthOut").unwrap_or(0);
    let inbound = call.params.int("InternetMaxBandwidthIn").unwrap_or(super::default_inbound(out));
    let period_ms = if charge_type == super::PRE_PAID { Some(period_ms(call)?) } else { None };
    let user_data = super::attribute::user_data(call)?.unwrap_or_default();
    let key_pair = call.str("KeyPairName").unwrap_or_default().to_string();
    if !key_pair.is_empty() && !crate::key_pair::exists(tx, &scope, &key_pair) {
        return Err(crate::key_pair::NOT_FOUND.into());
    }
    let ids: Vec<String> = (0..count).map(|_| new_id("i", &scope.region)).collect();
    let order = match period_ms {
        Some(period) => {
            let monthly = itype.monthly_cents() + billing::bandwidth_monthly_cents(&internet_charge_type, out);
            let request = OrderRequest {
                account_id: call.account,
                family: billing::INSTANCE,
                instance_id: ids.first().map_or("", String::as_str),
                region: &scope.region,
                action: call.action,
                amount_cents: billing::prorate(monthly, period) * count as i64,
                now_ms: call.now_ms,
            };
            Some(billing::place_order(tx, &request, true, None)?)
        }
        None => None,
    };
    for (n, id) in ids.iter().enumerate() {
        let private_ip =
            private_address(tx, &scope, &placement, if n == 0 { call.str("PrivateIpAddress") } else { None })?;
        let public_ip = if out > 0 {
            Some(public_ip::allocate(tx, &public_ip::ECS, id).ok_or(INSUFFICIENT_PUBLIC_IP)?)
        } else {
            None
        };
        let mut instance = Instance {
            id: id.clone(),
            region: scope.region.clone(),
            zone_id: placement.zone_id.clone(),
            name: call.str("InstanceName").unwrap_or(id).to_string(),
            description: call.str("Description").unwrap_or_default().to_string(),
            host_name: call
                .str("HostName")
                .map_or_else(|| format!("iZ{}Z", id.trim_start_matches("i-")), str::to_string),
            image_id: call.str("ImageId").unwrap_or_default().to_string(),
            instance_type: itype.id.clone(),
            vpc_id: placement.vpc_id.clone(),
            vswitch_id: placement.vswitch_id.clone(),
            private_ip,
            security_group_ids: vec![placement.security_group_id.clone()],
            charge_type: charge_type.to_string(),
            internet_charge_type: internet_charge_type.clone(),
            bandwidth_out: out,
            bandwidth_in: inbound,
            temporary: None,
            public_ip,
            public_ip_from: None,
            resource_group_id: call.resource_group(),
            created_ms: call.now_ms,
            started_ms: call.now_ms,
            expired_ms: period_ms.map(|p| call.now_ms + p),
            phases: Vec::new(),
            since_ms: call.now_ms,
            last_change_ms: None,
            downgrades: 0,
            security_locked: false,
            user_data: user_data.clone(),
            disks: super::disks::from_call(call, id, image.size),
            key_pair_name: key_pair.clone(),
        };
        let phases: &[&str] = if run { &[PENDING, STARTING, RUNNING] } else { &[PENDING, STOPPED] };
        instance.transition(phases, call.now_ms);
        tx.put(&scope, instance);
        tag::create_with(call, tx, &scope, tag::Product::Ecs, super::TAG_TYPE, id, "Tag")?;
    }
    Ok(Launched { ids, order })
}

/// The zone, network and security group of new instances. With a VSwitchId the instance is in
/// that vSwitch's VPC and zone; without one it is in the classic network of ZoneId.
fn placement(call: &Call<'_>, tx: &Tx<'_>, scope: &Scope) -> Result<Placement, ApiError> {
    let group_id = call.str("SecurityGroupId").ok_or_else(|| common::missing_parameter("SecurityGroupId"))?;
    let (zone_id, vpc_id, vswitch_id) = match call.str("VSwitchId") {
        Some(id) => {
            let vsw = vswitch::get(tx, scope, id).map_err(|_| VSWITCH_NOT_FOUND)?;
            if call.str("ZoneId").is_some_and(|z| z != vsw.zone_id) {
                return Err(ZONE_MISMATCH.into());
            }
            let vpc = vpc::get(tx, scope, &vsw.vpc_id).map_err(|_| VSWITCH_NOT_FOUND)?;
            if !call.settled(vpc.created_ms) || !call.settled(vsw.created_ms) {
                return Err(if is_run(call) { VPC_NOT_READY_RUN } else { VPC_NOT_READY_CREATE }.into());
            }
            (vsw.zone_id, vsw.vpc_id, vsw.id)
        }
        None => {
            let zone = call.str("ZoneId").ok_or_else(|| common::missing_parameter("ZoneId"))?;
            region::check_zone(&scope.region, zone).map_err(|_| ZONE_NOT_FOUND)?;
            (zone.to_string(), String::new(), String::new())
        }
    };
    let group = security_group::get(tx, scope, group_id).ok_or(if is_run(call) {
        security_group::INVALID_SECURITY_GROUP_ID_NOT_FOUND_RUN
    } else {
        security_group::INVALID_SECURITY_GROUP_ID_NOT_FOUND
    })?;
    if group.vpc_id != vpc_id {
        return Err(SECURITY_GROUP_MISMATCH.into());
    }
    Ok(Placement { zone_id, vpc_id, vswitch_id, security_group_id: group.id })
}

/// A private address: from the vSwitch for a VPC instance (its errors in ECS words), from the
/// provider's 10.0.0.0/8 range for a classic one.
fn private_address(
    tx: &mut Tx<'_>,
    scope: &Scope,
    placement: &Placement,
    wanted: Option<&str>,
) -> Result<String, ApiError> {
    if placement.vswitch_id.is_empty() {
        let n: u32 = rand::thread_rng().gen_range(1..(1 << 24) - 1);
        return Ok(std::net::Ipv4Addr::from((10u32 << 24) | n).to_string());
    }
    vswitch::allocate_address(tx, scope, &placement.vswitch_id, wanted).map_err(|e| {
        let ecs: Option<ErrorDef> = if e.is(vswitch::ADDRESS_NOT_IN_VSWITCH) {
            Some(PRIVATE_IP_NOT_IN_VSWITCH)
        } else if e.is(vswitch::ADDRESS_IN_USE) {
            Some(PRIVATE_IP_DUPLICATED)
        } else if e.is(vswitch::NO_FREE_ADDRESS) {
            Some(NO_PRIVATE_IP)
        } else {
            None
        };
        ecs.map_or(e, ApiError::from)
    })
}

/// The subscription length: `Period` months (1-9, 12, 24, 36, 48, 60) or weeks (1-4).
fn period_ms(call: &Call<'_>) -> Result<i64, ApiError> {
    let period = call.params.int("Period").ok_or(PERIOD_MISSING)?;
    match call.str("PeriodUnit").unwrap_or("Month") {
        "Week" if (1..=4).contains(&period) => Ok(period * WEEK_MS),
        "Month" if (1..=9).contains(&period) || [12, 24, 36, 48, 60].contains(&period) => Ok(period * MONTH_MS),
        _ => Err(INVALID_PERIOD.into()),
    }
}

pub(super) fn start_instance(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let (scope, mut inst) = find(call, tx)?;
    check_lock(&inst)?;
    if inst.expired(call.now_ms) {
        return Err(PREPAID_EXPIRED.into());
    }
    require_status(call, &inst, STOPPED)?;
    inst.transition(&[STARTING, RUNNING], call.now_ms);
    inst.started_ms = call.now_ms;
    tx.put(&scope, inst);
    Ok(Body::new())
}

pub(super) fn stop_instance(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let (scope, mut inst) = find(call, tx)?;
    check_lock(&inst)?;
    if inst.expired(call.now_ms) {
        return Err(EXPIRED_OR_IN_ARREARS.into());
    }
    require_status(call, &inst, RUNNING)?;
    inst.transition(&[STOPPING, STOPPED], call.now_ms);
    tx.put(&scope, inst);
    Ok(Body::new())
}

pub(super) fn reboot_instance(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let (scope, mut inst) = find(call, tx)?;
    check_lock(&inst)?;
    if inst.expired(call.now_ms) {
        return Err(EXPIRED_OR_IN_ARREARS.into());
    }
    require_status(call, &inst, RUNNING)?;
    inst.transition(&[STOPPING, STARTING, RUNNING], call.now_ms);
    inst.started_ms = call.now_ms;
    tx.put(&scope, inst);
    Ok(Body::new())
}

/// A Stopped instance, or a Running one with Force; a subscription only once it has expired.
/// Its addresses go back to their vSwitch and pool.
pub(super) fn delete_instance(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let (scope, inst) = find(call, tx)?;
    check_lock(&inst)?;
    let status = inst.status(call);
    if status == PENDING {
        return Err(INSTANCE_INITIALIZING.into());
    }
    if inst.is_prepaid() && !inst.expired(call.now_ms) {
        return Err(CHARGE_TYPE_VIOLATION.into());
    }
    let force = call.params.bool("Force").unwrap_or(false);
    if !(status == STOPPED || (status == RUNNING && force)) {
        return Err(INCORRECT_INSTANCE_STATUS.into());
    }
    if route_table::routes_to(tx, &scope, &inst.id) > 0 {
        return Err(ROUTE_ENTRY_DEPENDS.into());
    }
    if inst.is_vpc() {
        vswitch::release_address(tx, &scope, &inst.vswitch_id, &inst.private_ip);
        havip::forget_instance(tx, &scope, &inst.vswitch_id, &inst.id);
    }
    if let Some(ip) = &inst.public_ip {
        public_ip::release(tx, ip);
    }
    eip::forget_target(tx, &scope, &inst.id, call.now_ms);
    billing::cancel_orders_of(tx, call.account, &inst.id);
    tx.delete::<Instance>(&scope, &inst.id);
    tag::forget(tx, &scope, &inst.id);
    Ok(Body::new())
}

pub(super) fn allocate_public_ip_address(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let (scope, mut inst) = find(call, tx)?;
    check_lock(&inst)?;
    if inst.expired(call.now_ms) {
        return Err(EXPIRED_OR_IN_ARREARS.into());
    }
    if !matches!(inst.status(call), RUNNING | STOPPED) {
        return Err(INCORRECT_INSTANCE_STATUS.into());
    }
    if inst.public_ip.is_some() {
        return Err(ALLOCATED_ALREADY.into());
    }
    if inst.bandwidth(call.now_ms).0 == 0 {
        return Err(ZERO_BANDWIDTH.into());
    }
    let address = public_ip::allocate(tx, &public_ip::ECS, &inst.id).ok_or(INSUFFICIENT_PUBLIC_IP)?;
    inst.public_ip = Some(address.clone());
    tx.put(&scope, inst);
    Ok(body(json!({ "IpAddress": address })))
}

fn check_lock(inst: &Instance) -> Result<(), ApiError> {
    if inst.security_locked {
        return Err(LOCKED_FOR_SECURITY.into());
    }
    Ok(())
}

fn require_status(call: &Call<'_>, inst: &Instance, wanted: &str) -> Result<(), ApiError> {
    if inst.status(call) != wanted {
        return Err(INCORRECT_INSTANCE_STATUS.into());
    }
    Ok(())
}
