//! What ModifyInstanceNetworkSpec and ModifyInstanceSpec share: the five-minute rule, the
//! price of a configuration, and applying a change (at once, or when its order is paid).

use acs_api::{ApiError, ErrorDef};
use acs_store::{Scope, Tx};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Instance, Temporary};
use crate::context::Call;
use crate::public_ip;
use crate::{billing, instance_type};

/// No second change within five minutes of a successful one (seeds 002 and 003).
pub const COOLDOWN_MS: i64 = 5 * 60 * 1000;

/// A change of an instance's network or type, as an unpaid order holds it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Change {
    /// New purchased bandwidth and billing method (ignored for a temporary upgrade).
    pub out: i64,
    pub inbound: i64,
    pub internet_charge_type: String,
    pub temporary: Option<Temporary>,
    pub instance_type: Option<String>,
    /// Give the instance a public IP when it has bandwidth and none yet.
    pub allocate_public_ip: bool,
    /// Counts against the subscription's three downgrades.
    pub downgrade: bool,
}

/// Throttling (the documented error of the calling action) within five minutes of the last change.
pub fn check_cooldown(inst: &Instance, now_ms: i64, throttled: ErrorDef) -> Result<(), ApiError> {
    match inst.last_change_ms {
        Some(t) if now_ms < t + COOLDOWN_MS => Err(throttled.into()),
        _ => Ok(()),
    }
}

/// The monthly price of an instance type with a bandwidth, in cents.
pub fn monthly_cents(instance_type: &str, internet_charge_type: &str, out: i64) -> i64 {
    instance_type::get(instance_type).map_or(0, instance_type::InstanceType::monthly_cents)
        + billing::bandwidth_monthly_cents(internet_charge_type, out)
}

/// Applies `change` to the instance and stores it.
pub fn apply(
    tx: &mut Tx<'_>,
    scope: &Scope,
    inst: &mut Instance,
    change: &Change,
    now_ms: i64,
) -> Result<(), ApiError> {
    let (old_out, _) = inst.bandwidth(now_ms);
    let new_out = match &change.temporary {
        Some(t) => {
            inst.temporary = Some(t.clone());
            t.out
        }
        None => {
            inst.bandwidth_out = change.out;
            inst.bandwidth_in = change.inbound;
            inst.internet_charge_type.clone_from(&change.internet_charge_type);
            change.out
        }
    };
    if let Some(t) = &change.instance_type {
        inst.instance_type.clone_from(t);
    }
    // Seed 002: a subscription upgraded from 0 Mbit/s gets a public IP; pay-as-you-go ones only on request.
    let wants_ip = change.allocate_public_ip || (inst.is_prepaid() && old_out == 0);
    if new_out > 0 && inst.public_ip.is_none() && wants_ip {
        inst.public_ip =
            Some(public_ip::allocate(tx, &public_ip::ECS, &inst.id).ok_or(super::errors::NET_IP_ALLOCATION)?);
        // A temporary upgrade from 0 Mbit/s reserves the address now; it shows from StartTime.
        inst.public_ip_from = change.temporary.as_ref().map(|t| t.start_ms).filter(|start| *start > now_ms);
    }
    inst.last_change_ms = Some(now_ms);
    if change.downgrade {
        inst.downgrades += 1;
    }
    tx.put(scope, inst.clone());
    Ok(())
}

/// Applies the change an order held (serialized by [`place`]).
pub fn apply_held(
    tx: &mut Tx<'_>,
    scope: &Scope,
    inst: &mut Instance,
    held: Value,
    now_ms: i64,
) -> Result<(), ApiError> {
    let change: Change = serde_json::from_value(held).map_err(ApiError::internal)?;
    // A temporary upgrade whose window has passed can no longer be bought.
    if change.temporary.as_ref().is_some_and(|t| t.end_ms <= now_ms) {
        return Err(super::errors::NET_START_TIME.with_message("The temporary upgrade's EndTime has passed."));
    }
    apply(tx, scope, inst, &change, now_ms)
}

/// Places the order for a change (paid at once when the call's AutoPay, default true, says
/// so) and applies the change when the order is paid; an unpaid order holds the change instead.
/// Returns the order id.
pub fn place(
    call: &Call<'_>,
    tx: &mut Tx<'_>,
    (scope, inst): (&Scope, &mut Instance),
    change: &Change,
    amount_cents: i64,
) -> Result<String, ApiError> {
    let request = billing::OrderRequest {
        account_id: &scope.account,
        family: billing::INSTANCE,
        instance_id: &inst.id,
        region: &scope.region,
        action: call.action,
        amount_cents,
        now_ms: call.now_ms,
    };
    let held = serde_json::to_value(change).map_err(ApiError::internal)?;
    let auto_pay = call.params.bool("AutoPay").unwrap_or(true);
    let order = billing::place_order(tx, &request, auto_pay, Some(held))?;
    if order.status == billing::OrderStatus::Paid {
        apply(tx, scope, inst, change, call.now_ms)?;
    }
    Ok(order.id)
}

/// Parses the temporary-upgrade times of seed 002: `yyyy-MM-ddThh:mmZ` (StartTime) or
/// `yyyy-MM-ddThhZ` (EndTime), UTC, into Unix milliseconds.
pub fn parse_utc(s: &str, with_minutes: bool) -> Option<i64> {
    let body = s.strip_suffix('Z')?;
    let (date, time) = body.split_once('T')?;
    let (hour, minute) = if with_minutes {
        let (h, m) = time.split_once(':')?;
        (h, m)
    } else {
        (time, "00")
    };
    let digits = |t: &str, n: usize| t.len() == n && t.bytes().all(|b| b.is_ascii_digit());
    let mut parts = date.split('-');
    let (y, mo, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some()
        || !digits(y, 4)
        || !digits(mo, 2)
        || !digits(d, 2)
        || !digits(hour, 2)
        || !digits(minute, 2)
    {
        return None;
    }
    let month = time::Month::try_from(mo.parse::<u8>().ok()?).ok()?;
    let date = time::Date::from_calendar_date(y.parse().ok()?, month, d.parse().ok()?).ok()?;
    let t = time::Time::from_hms(hour.parse().ok()?, minute.parse().ok()?, 0).ok()?;
    Some((date.with_time(t).assume_utc().unix_timestamp()) * 1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_seed_formats() {
        assert_eq!(parse_utc("2017-12-05T22:40Z", true), Some(1_512_513_600_000));
        assert_eq!(parse_utc("2017-12-06T22Z", false), Some(1_512_597_600_000));
        for bad in ["2017-12-05T22Z", "2017-12-05T22:40", "2017-13-05T22:40Z", "2017-12-05 22:40Z", "17-12-05T22:40Z"] {
            assert_eq!(parse_utc(bad, true), None, "{bad}");
        }
        assert_eq!(parse_utc("2017-12-06T22:00Z", false), None);
    }
}
