//! ModifyInstanceSpec (seed 003): the instance type or the bandwidth of a pay-as-you-go
//! instance, one of the two per call. The rules are checked in the order docs/ecs.md lists them.

use acs_api::{common, ApiError};
use acs_store::Tx;

use super::change::{self, Change};
use super::errors::*;
use super::{find, Instance, PAY_BY_BANDWIDTH, RUNNING, STOPPED};
use crate::context::Call;
use crate::dispatch::Body;
use crate::{billing, instance_type};

pub(super) fn modify_instance_spec(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let (scope, mut inst) = find(call, tx)?;
    if inst.security_locked {
        return Err(SPEC_LOCKED.into());
    }
    if inst.is_prepaid() {
        return Err(SPEC_CHARGE_TYPE_VIOLATION.into());
    }
    if billing::is_overdue(tx, call.account) {
        return Err(billing::ACCOUNT_ARREARAGE.into());
    }
    let new_type = call.str("InstanceType");
    let bandwidth_given =
        call.params.get("InternetMaxBandwidthOut").is_some() || call.params.get("InternetMaxBandwidthIn").is_some();
    match (new_type, bandwidth_given) {
        (Some(_), true) => return Err(SPEC_MISMATCH.into()),
        (None, false) => return Err(common::missing_parameter("InstanceType")),
        _ => {}
    }
    if billing::unpaid_order_of(tx, call.account, &inst.id).is_some() {
        return Err(SPEC_UNPAID.into());
    }
    change::check_cooldown(&inst, call.now_ms, SPEC_THROTTLING)?;
    let (change, upgrade) = match new_type {
        Some(t) => type_change(call, &inst, t)?,
        None => bandwidth_change(call, &inst)?,
    };
    // Rule 10: pay-as-you-go upgrades need money in the account.
    if upgrade && billing::balance_cents(tx, call.account) <= 0 {
        return Err(billing::NOT_ENOUGH_BALANCE.into());
    }
    change::apply(tx, &scope, &mut inst, &change, call.now_ms)?;
    Ok(Body::new())
}

/// Rule 8. Returns the change and whether it costs more.
fn type_change(call: &Call<'_>, inst: &Instance, wanted: &str) -> Result<(Change, bool), ApiError> {
    if inst.status(call) != STOPPED {
        return Err(SPEC_NOT_STOPPED.into());
    }
    let target = instance_type::get(wanted).ok_or(SPEC_TYPE_NOT_SUPPORTED)?;
    let current = instance_type::get(&inst.instance_type).ok_or(SPEC_TYPE_DEPENDENCY)?;
    if !current.resize_targets().any(|t| t.id == target.id) {
        return Err(SPEC_TYPE_DEPENDENCY.into());
    }
    let (out, inbound) = inst.bandwidth(call.now_ms);
    let change = Change {
        out,
        inbound,
        internet_charge_type: inst.internet_charge_type.clone(),
        instance_type: Some(target.id.clone()),
        ..Change::default()
    };
    Ok((change, target.monthly_cents() > current.monthly_cents()))
}

/// Rule 9. Returns the change and whether it raises the bandwidth.
fn bandwidth_change(call: &Call<'_>, inst: &Instance) -> Result<(Change, bool), ApiError> {
    let status = inst.status(call);
    if !matches!(status, RUNNING | STOPPED) {
        return Err(SPEC_INSTANCE_STATUS.into());
    }
    if inst.internet_charge_type == PAY_BY_BANDWIDTH {
        return Err(SPEC_CHARGE_TYPE.into());
    }
    let (cur_out, cur_in) = inst.bandwidth(call.now_ms);
    let out = call.params.int("InternetMaxBandwidthOut").unwrap_or(cur_out);
    let inbound = call.params.int("InternetMaxBandwidthIn").unwrap_or(cur_in);
    if out == cur_out && inbound == cur_in {
        return Err(SPEC_BANDWIDTH.into());
    }
    if cur_out == 0 && out > 0 {
        if inst.is_vpc() {
            return Err(SPEC_IN_VPC.into());
        }
        // A classic instance gets its public network interface while Stopped (as in seed 002).
        if status != STOPPED {
            return Err(SPEC_RESOURCE_STATUS.into());
        }
    }
    let change = Change {
        out,
        inbound,
        internet_charge_type: inst.internet_charge_type.clone(),
        // A classic instance upgraded from 0 Mbit/s gets its public address with the interface.
        allocate_public_ip: !inst.is_vpc(),
        ..Change::default()
    };
    Ok((change, out > cur_out || inbound > cur_in))
}
