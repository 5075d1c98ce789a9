//! ModifyInstanceNetworkSpec (seed 002): bandwidth, billing method, public IP and temporary
//! upgrades. The rules are checked in the order docs/ecs.md lists them.

use acs_api::ApiError;
use acs_store::Tx;
use serde_json::json;

use super::change::{self, Change};
use super::errors::*;
use super::{default_inbound, find, Instance, Temporary, PAY_BY_BANDWIDTH, RUNNING, STOPPED};
use crate::billing;
use crate::clock::format_time;
use crate::context::Call;
use crate::dispatch::{body, Body};
use crate::quota::Quota;

/// Subscription bandwidth may be lowered at most this many times.
pub const DOWNGRADES_PER_SUBSCRIPTION: Quota = Quota {
    name: "bandwidth_downgrades_per_subscription",
    default: 3,
    about: "times the bandwidth of one subscription instance may be lowered",
};

pub(super) fn modify_instance_network_spec(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let (scope, mut inst) = find(call, tx)?;
    check_instance(call, tx, &inst)?;
    let (change, amount) = if call.str("StartTime").is_some() || call.str("EndTime").is_some() {
        temporary_upgrade(call, &inst)?
    } else {
        permanent_change(call, tx, &inst)?
    };
    let order_id = change::place(call, tx, (&scope, &mut inst), &change, amount)?;
    Ok(body(json!({ "OrderId": order_id })))
}

/// Rules 2-7: the instance, its account and its orders allow a change now.
fn check_instance(call: &Call<'_>, tx: &Tx<'_>, inst: &Instance) -> Result<(), ApiError> {
    if inst.security_locked {
        return Err(LOCKED_FOR_SECURITY.into());
    }
    let overdue = billing::is_overdue(tx, call.account);
    if inst.expired(call.now_ms) || (overdue && !inst.is_prepaid()) {
        return Err(EXPIRED_OR_IN_ARREARS.into());
    }
    if overdue {
        return Err(billing::ACCOUNT_ARREARAGE.into());
    }
    if !matches!(inst.status(call), RUNNING | STOPPED) {
        return Err(NET_INCORRECT_STATUS.into());
    }
    if billing::unpaid_order_of(tx, call.account, &inst.id).is_some() {
        return Err(NET_UNPAID_INSTANCE.into());
    }
    if inst.is_prepaid() && billing::has_other_unpaid_order(tx, call.account, &inst.id) {
        return Err(NET_UNPAID_ACCOUNT.into());
    }
    change::check_cooldown(inst, call.now_ms, NET_THROTTLING)?;
    let asks = ["InternetMaxBandwidthOut", "InternetMaxBandwidthIn", "NetworkChargeType"]
        .iter()
        .any(|p| call.params.get(p).is_some())
        || call.params.bool("AllocatePublicIp") == Some(true);
    if !asks && call.str("StartTime").is_none() && call.str("EndTime").is_none() {
        return Err(NET_BANDWIDTH.with_message(
            "Specify at least one of InternetMaxBandwidthOut, InternetMaxBandwidthIn, NetworkChargeType and AllocatePublicIp.",
        ));
    }
    // Rule 7b: an instance with an EIP takes its public bandwidth from the EIP.
    if !crate::eip::of_target(tx, &acs_store::Scope::new(call.account, inst.region.as_str()), &inst.id).is_empty() {
        return Err(if call.str("StartTime").is_some() || call.str("EndTime").is_some() {
            NET_EIP_TEMPORARY
        } else if call.params.get("InternetMaxBandwidthOut").is_some() {
            NET_EIP_BANDWIDTH
        } else {
            NET_EIP_BOUND
        }
        .into());
    }
    Ok(())
}

/// Rule 9: the inbound bandwidth an outbound one allows, 1-10 up to 10 Mbit/s, 1-outbound above.
fn check_inbound(out: i64, inbound: i64) -> Result<(), ApiError> {
    if !(1..=default_inbound(out)).contains(&inbound) {
        return Err(NET_IN_RANGE.into());
    }
    Ok(())
}

/// Rules 9-14 for a lasting change of bandwidth, billing method or public IP, with its price.
fn permanent_change(call: &Call<'_>, tx: &Tx<'_>, inst: &Instance) -> Result<(Change, i64), ApiError> {
    let now = call.now_ms;
    if let Some(t) = inst.pending_temporary(now) {
        return Err(NET_CONFLICT.with_message(format!(
            "A temporary bandwidth upgrade of the instance lasts until {}; change it after that.",
            format_time(t.end_ms)
        )));
    }
    let (cur_out, cur_in) = inst.bandwidth(now);
    let out = call.params.int("InternetMaxBandwidthOut").unwrap_or(cur_out);
    let inbound = match call.params.int("InternetMaxBandwidthIn") {
        Some(v) => {
            check_inbound(out, v)?;
            v
        }
        None if out != cur_out => default_inbound(out),
        None => cur_in,
    };
    let charge_type = call.str("NetworkChargeType").unwrap_or(&inst.internet_charge_type).to_string();
    let downgrade = out < cur_out;
    if inst.is_prepaid() {
        if inst.internet_charge_type == PAY_BY_BANDWIDTH && charge_type != PAY_BY_BANDWIDTH {
            return Err(NET_CHARGE_TYPE_VIOLATION.into());
        }
        if downgrade && inst.internet_charge_type == PAY_BY_BANDWIDTH {
            return Err(NET_DECREASE_DENIED.with_message(format!(
                "The PayByBandwidth bandwidth of a subscription instance can only be upgraded (now {cur_out} Mbit/s, asked {out} Mbit/s)."
            )));
        }
        if downgrade && inst.downgrades as usize >= call.quota(tx, &DOWNGRADES_PER_SUBSCRIPTION) {
            return Err(NET_DOWNGRADE_QUOTA.into());
        }
    }
    check_classic_upgrade(call, inst, cur_out, out)?;
    let allocate_public_ip = check_allocate_public_ip(call, inst, out)?;
    let gets_ip = allocate_public_ip && inst.public_ip.is_none();
    if out == cur_out && inbound == cur_in && charge_type == inst.internet_charge_type && !gets_ip {
        return Err(NET_BANDWIDTH.with_message(format!(
            "The instance already has this bandwidth ({out} Mbit/s out, {inbound} Mbit/s in, {charge_type})."
        )));
    }
    let amount = if inst.is_prepaid() {
        let before = change::monthly_cents(&inst.instance_type, &inst.internet_charge_type, cur_out);
        let after = change::monthly_cents(&inst.instance_type, &charge_type, out);
        let remaining = inst.expired_ms.map_or(0, |e| e - now);
        billing::prorate(after - before, remaining)
    } else {
        0
    };
    let change = Change {
        out,
        inbound,
        internet_charge_type: charge_type,
        allocate_public_ip,
        downgrade: downgrade && inst.is_prepaid(),
        ..Change::default()
    };
    Ok((change, amount))
}

/// Rule 13: a classic-network instance upgraded from 0 Mbit/s must be Stopped (it gets a public
/// network interface).
fn check_classic_upgrade(call: &Call<'_>, inst: &Instance, cur_out: i64, out: i64) -> Result<(), ApiError> {
    if !inst.is_vpc() && cur_out == 0 && out > 0 && inst.status(call) != STOPPED {
        return Err(NET_INVALID_INSTANCE_STATUS.into());
    }
    Ok(())
}

/// Rule 14: AllocatePublicIp is for pay-as-you-go instances that will have bandwidth.
fn check_allocate_public_ip(call: &Call<'_>, inst: &Instance, out: i64) -> Result<bool, ApiError> {
    if call.params.bool("AllocatePublicIp") != Some(true) {
        return Ok(false);
    }
    if inst.is_prepaid() {
        return Err(NET_DENIED_PREPAID.into());
    }
    if out == 0 {
        return Err(NET_ALLOCATE_PUBLIC_IP.into());
    }
    Ok(true)
}

/// Rule 8: a temporary upgrade of a subscription's bandwidth between StartTime and EndTime,
/// priced over that window.
fn temporary_upgrade(call: &Call<'_>, inst: &Instance) -> Result<(Change, i64), ApiError> {
    let now = call.now_ms;
    let (Some(start), Some(end)) = (call.str("StartTime"), call.str("EndTime")) else {
        return Err(NET_CONFLICT.with_message("StartTime and EndTime must be given together for a temporary upgrade."));
    };
    if call.str("NetworkChargeType").is_some() {
        return Err(NET_CONFLICT.with_message("A temporary upgrade cannot change NetworkChargeType."));
    }
    if !inst.is_prepaid() {
        return Err(NET_CHARGE_TYPE_VIOLATION.into());
    }
    let start_ms = change::parse_utc(start, true)
        .ok_or_else(|| NET_START_TIME.with_message("StartTime must be in the yyyy-MM-ddThh:mmZ format (UTC)."))?;
    let end_ms = change::parse_utc(end, false)
        .ok_or_else(|| NET_START_TIME.with_message("EndTime must be in the yyyy-MM-ddThhZ format (UTC)."))?;
    if end_ms <= start_ms {
        return Err(NET_START_TIME.with_message("EndTime must be later than StartTime."));
    }
    if end_ms <= now {
        return Err(NET_START_TIME.with_message("EndTime must be in the future."));
    }
    if inst.expired_ms.is_some_and(|e| end_ms > e) {
        return Err(NET_CONFLICT.with_message("EndTime is later than the expiry of the subscription."));
    }
    if inst.pending_temporary(now).is_some() {
        return Err(NET_CONFLICT.with_message("The instance already has a temporary bandwidth upgrade."));
    }
    let out = call
        .params
        .int("InternetMaxBandwidthOut")
        .ok_or_else(|| NET_BANDWIDTH.with_message("A temporary upgrade needs InternetMaxBandwidthOut."))?;
    let (cur_out, _) = inst.bandwidth(now);
    if out < cur_out {
        return Err(NET_TEMPORARY_BELOW_CURRENT.into());
    }
    check_classic_upgrade(call, inst, cur_out, out)?;
    let inbound = match call.params.int("InternetMaxBandwidthIn") {
        Some(v) => {
            check_inbound(out, v)?;
            v
        }
        None => default_inbound(out),
    };
    let before = change::monthly_cents(&inst.instance_type, &inst.internet_charge_type, cur_out);
    let after = change::monthly_cents(&inst.instance_type, &inst.internet_charge_type, out);
    let amount = billing::prorate(after - before, end_ms - start_ms.max(now));
    let temporary = Temporary { out, inbound, start_ms, end_ms };
    Ok((Change { temporary: Some(temporary), ..Change::default() }, amount))
}
