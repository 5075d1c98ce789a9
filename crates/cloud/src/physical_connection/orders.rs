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
    let order = place(call, tx, &scope, &pc.id, SETUP_FEE_CENTS, None)?;
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
    let (occupancy, amount) = if call.str("InstanceChargeType") == Some("PrePaid") {
        let period = call.params.int("Period").unwrap_or(1);
        let months = if call.str("PricingCycle") == Some("Year") { period * 12 } else { period };
        let start = pc.end_ms.filter(|_| subscription_runs).unwrap_or(call.now_ms);
        let end = start.saturating_add(months.saturating_mul(MONTH_MS));
        let amount = occupancy_monthly_cents(&pc.port_type).saturating_mul(months);
        (Occupancy { charge_type: PREPAID.to_string(), end_ms: Some(end) }, amount)
    } else {
        if subscription_runs {
            return Err(FORBIDDEN_NOT_ALLOWED_IN_STATE.into());
        }
        (Occupancy { charge_type: POST_PAID.to_string(), end_ms: None }, 0)
    };
    let held = serde_json::to_value(&occupancy).map_err(ApiError::internal)?;
    let order = place(call, tx, &scope, &pc.id, amount, Some(held))?;
    // An unpaid order holds the new occupancy until it is paid (billing hands it back to [`fulfil`]).
    if order.status == billing::OrderStatus::Paid {
        occupancy.apply(&mut pc);
        tx.put(&scope, pc);
    }
    Ok(body(json!({ "Data": { "OrderId": order.id } })))
}

/// The port occupancy an order buys.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct Occupancy {
    charge_type: String,
    end_ms: Option<i64>,
}

impl Occupancy {
    fn apply(self, pc: &mut PhysicalConnection) {
        pc.charge_type = self.charge_type;
        pc.end_ms = self.end_ms;
    }
}

/// Applies the occupancy an order held, now that it is paid (billing's control endpoint).
pub(crate) fn fulfil(tx: &mut Tx<'_>, order: &billing::Order, held: serde_json::Value) -> Result<(), ApiError> {
    let occupancy: Occupancy = serde_json::from_value(held).map_err(ApiError::internal)?;
    let scope = Scope::new(order.account_id.clone(), order.region.clone());
    if let Some(mut pc) = get(tx, &scope, &order.instance_id) {
        occupancy.apply(&mut pc);
        tx.put(&scope, pc);
    }
    Ok(())
}

/// Places the call's order for the connection (paid at once unless AutoPay=false).
fn place(
    call: &Call<'_>,
    tx: &mut Tx<'_>,
    scope: &Scope,
    pc_id: &str,
    amount_cents: i64,
    held: Option<serde_json::Value>,
) -> Result<billing::Order, ApiError> {
    let request = OrderRequest {
        account_id: call.account,
        family: billing::PHYSICAL_CONNECTION,
        instance_id: pc_id,
        region: &scope.region,
        action: call.action,
        amount_cents,
        now_ms: call.now_ms,
    };
    billing::place_order(tx, &request, call.params.bool("AutoPay").unwrap_or(true), held)
}
