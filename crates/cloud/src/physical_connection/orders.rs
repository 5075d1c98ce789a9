//! Orders through the billing family (14.10, 14.11). Prices (the emulator's): installation
//! 1,000 CNY per connection; port occupancy per month 500 CNY (100M ports), 1,000 CNY (1G),
//! 5,000 CNY (10G); a year is twelve months. Pay-as-you-go occupancy orders cost nothing up front.

use acs_api::ApiError;
use acs_store::Tx;
use serde_json::json;

use super::lifecycle::{open_application, Application};
use super::*;
use crate::billing::{self, OrderRequest, MONTH_MS};
use crate::context::Call;
use crate::dispatch::{body, Body};

/// The installation fee, in cents.
pub const SETUP_FEE_CENTS: i64 = 100_000;

/// The monthly occupancy fee of a port, in cents.
pub fn occupancy_monthly_cents(port_type: &str) -> i64 {
    match port_spec(port_type).0 {
        "100M" => 50_000,
        "10G" => 500_000,
        _ => 100_000,
    }
}

/// Applies for a connection (the checks of CreatePhysicalConnection) and orders its installation.
pub(super) fn setup(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let app = Application {
        access_point_id: call.required("AccessPointId")?,
        line_operator: call.required("LineOperator")?,
        port_type: call.str("PortType").unwrap_or(DEFAULT_PORT_TYPE),
        peer_location: "",
        circuit_code: "",
        name: "",
        description: "",
        bandwidth: None,
        redundant_id: call.str("RedundantPhysicalConnectionId"),
        kind: DEFAULT_TYPE,
    };
    let pc = open_application(call, tx, &scope, &app)?;
    let order = place(call, tx, &scope, &pc.id, SETUP_FEE_CENTS)?;
    Ok(body(json!({ "OrderId": order.id, "PhysicalConnectionId": pc.id })))
}

/// The port occupancy of a built connection (Confirmed or Enabled): a subscription (PrePaid,
/// Period x PricingCycle, renewals extend it) or pay-as-you-go (not while a subscription runs).
pub(super) fn occupancy(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let mut pc = get_settled(call, tx, &scope, call.required("PhysicalConnectionId")?)?;
    if !matches!(pc.status.as_str(), CONFIRMED | ENABLED) {
        return Err(FORBIDDEN_NOT_ALLOWED_IN_STATE.into());
    }
    let subscription_runs = pc.charge_type == PREPAID && pc.end_ms.is_some_and(|end| end > call.now_ms);
    let amount = if call.str("InstanceChargeType") == Some("PrePaid") {
        let period = call.params.int("Period").unwrap_or(1);
        let months = if call.str("PricingCycle") == Some("Year") { period * 12 } else { period };
        let start = pc.end_ms.filter(|_| subscription_runs).unwrap_or(call.now_ms);
        pc.charge_type = PREPAID.to_string();
        pc.end_ms = Some(start.saturating_add(months.saturating_mul(MONTH_MS)));
        occupancy_monthly_cents(&pc.port_type).saturating_mul(months)
    } else {
        if subscription_runs {
            return Err(FORBIDDEN_NOT_ALLOWED_IN_STATE.into());
        }
        pc.charge_type = POST_PAID.to_string();
        pc.end_ms = None;
        0
    };
    let order = place(call, tx, &scope, &pc.id, amount)?;
    tx.put(&scope, pc);
    Ok(body(json!({ "Data": { "OrderId": order.id } })))
}

/// Places the call's order for the connection (paid at once unless AutoPay=false).
fn place(
    call: &Call<'_>,
    tx: &mut Tx<'_>,
    scope: &Scope,
    pc_id: &str,
    amount_cents: i64,
) -> Result<billing::Order, ApiError> {
    let request = OrderRequest {
        account_id: call.account,
        instance_id: pc_id,
        region: &scope.region,
        action: call.action,
        amount_cents,
        now_ms: call.now_ms,
    };
    billing::place_order(tx, &request, call.params.bool("AutoPay").unwrap_or(true), None)
}
