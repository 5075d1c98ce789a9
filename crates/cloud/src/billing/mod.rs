//! Billing: each account's balance, overdue flag and orders (docs/ecs.md, section Billing).
//! Subscription purchases and changes place orders; an order is paid from the balance at once
//! (AutoPay) or left unpaid, holding the change it pays for until it is paid or cancelled through
//! the control endpoints. Amounts are kept in cents so that sums are exact.

use acs_api::{ApiError, ErrorDef};
use acs_store::{Entity, Read, Scope, Tx};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::clock::format_time;
use crate::context::Cloud;

pub const ACCOUNT_ARREARAGE: ErrorDef =
    ErrorDef::new(400, "Account.Arrearage", "Your account has an outstanding payment.");
pub const NOT_ENOUGH_BALANCE: ErrorDef =
    ErrorDef::new(403, "InvalidAccountStatus.NotEnoughBalance", "Your account does not have enough balance.");

pub const ERRORS: &[ErrorDef] = &[ACCOUNT_ARREARAGE, NOT_ENOUGH_BALANCE];

/// A new account's balance: 10000.00 CNY.
pub const DEFAULT_BALANCE_CENTS: i64 = 1_000_000;
/// A 30-day month, the unit prices are quoted in.
pub const MONTH_MS: i64 = 30 * 24 * 3_600_000;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct BillingAccount {
    account_id: String,
    balance_cents: i64,
    overdue: bool,
}

impl Entity for BillingAccount {
    const KIND: &'static str = "billing_account";
    fn id(&self) -> &str {
        &self.account_id
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum OrderStatus {
    Paid,
    Unpaid,
    Cancelled,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Order {
    pub id: String,
    pub account_id: String,
    /// The family whose resource the order is for ([`INSTANCE`] or [`PHYSICAL_CONNECTION`]); it
    /// applies the held change when the order is paid.
    #[serde(default)]
    pub family: String,
    /// The resource the order is for (an instance or a physical connection).
    pub instance_id: String,
    pub region: String,
    /// The API action that placed the order.
    pub action: String,
    /// Negative for refunds.
    pub amount_cents: i64,
    pub status: OrderStatus,
    pub created_ms: i64,
    pub paid_ms: Option<i64>,
    /// The change an unpaid order holds, applied by its owner family when it is paid (opaque here).
    pub change: Option<Value>,
}

impl Entity for Order {
    const KIND: &'static str = "order";
    fn id(&self) -> &str {
        &self.id
    }
    fn parent(&self) -> Option<&str> {
        Some(&self.instance_id)
    }
}

/// Billing records live outside any region.
fn scope(account: &str) -> Scope {
    Scope::new(account, "")
}

fn account(r: &impl Read, account_id: &str) -> BillingAccount {
    r.get::<BillingAccount>(&scope(account_id), account_id).unwrap_or(BillingAccount {
        account_id: account_id.to_string(),
        balance_cents: DEFAULT_BALANCE_CENTS,
        overdue: false,
    })
}

pub fn is_overdue(r: &impl Read, account_id: &str) -> bool {
    account(r, account_id).overdue
}

pub fn balance_cents(r: &impl Read, account_id: &str) -> i64 {
    account(r, account_id).balance_cents
}

/// The unpaid order of an instance, if any.
pub fn unpaid_order_of(r: &impl Read, account_id: &str, instance_id: &str) -> Option<Order> {
    r.children::<Order>(&scope(account_id), instance_id).into_iter().find(|o| o.status == OrderStatus::Unpaid)
}

/// Cancels the unpaid orders of a resource that is being released.
pub fn cancel_orders_of(tx: &mut Tx<'_>, account_id: &str, instance_id: &str) {
    for mut order in tx.children::<Order>(&scope(account_id), instance_id) {
        if order.status == OrderStatus::Unpaid {
            order.status = OrderStatus::Cancelled;
            order.change = None;
            tx.put(&scope(account_id), order);
        }
    }
}

/// Whether the account has an unpaid order for anything but `except_instance`.
pub fn has_other_unpaid_order(r: &impl Read, account_id: &str, except_instance: &str) -> bool {
    r.any::<Order>(&scope(account_id), |o| o.status == OrderStatus::Unpaid && o.instance_id != except_instance)
}

/// Order families: whose resource an order is for.
pub const INSTANCE: &str = "instance";
pub const PHYSICAL_CONNECTION: &str = "physical_connection";
pub const EIP: &str = "eip";

/// What an order is for.
pub struct OrderRequest<'a> {
    pub account_id: &'a str,
    /// [`INSTANCE`] or [`PHYSICAL_CONNECTION`].
    pub family: &'a str,
    pub instance_id: &'a str,
    pub region: &'a str,
    pub action: &'a str,
    pub amount_cents: i64,
    pub now_ms: i64,
}

/// Places an order. With `auto_pay` it is paid from the balance at once (NotEnoughBalance when
/// short; a refund's negative amount credits it); otherwise it stays unpaid, whatever its amount,
/// holding `change`.
pub fn place_order(
    tx: &mut Tx<'_>,
    req: &OrderRequest<'_>,
    auto_pay: bool,
    change: Option<Value>,
) -> Result<Order, ApiError> {
    let mut acct = account(tx, req.account_id);
    let pay_now = auto_pay;
    if pay_now {
        if req.amount_cents > 0 && req.amount_cents > acct.balance_cents {
            return Err(NOT_ENOUGH_BALANCE.into());
        }
        acct.balance_cents -= req.amount_cents;
        tx.put(&scope(req.account_id), acct);
    }
    let order = Order {
        id: new_order_id(),
        account_id: req.account_id.to_string(),
        family: req.family.to_string(),
        instance_id: req.instance_id.to_string(),
        region: req.region.to_string(),
        action: req.action.to_string(),
        amount_cents: req.amount_cents,
        status: if pay_now { OrderStatus::Paid } else { OrderStatus::Unpaid },
        created_ms: req.now_ms,
        paid_ms: pay_now.then_some(req.now_ms),
        change: if pay_now { None } else { change },
    };
    tx.put(&scope(req.account_id), order.clone());
    Ok(order)
}

/// Order ids are 15 digits, like the real ones.
fn new_order_id() -> String {
    use rand::Rng;
    rand::thread_rng().gen_range(100_000_000_000_000u64..1_000_000_000_000_000).to_string()
}

/// Why a control-endpoint request on billing failed: (HTTP status, message).
pub type ControlError = (u16, String);

/// The account's billing state as the control endpoint shows it.
pub fn state(cloud: &Cloud, account_id: &str) -> Value {
    cloud.store.read(|view| {
        let acct = account(view, account_id);
        let orders: Vec<Value> = view.list::<Order>(&scope(account_id)).iter().map(order_json).collect();
        json!({
            "account_id": acct.account_id,
            "balance": cents(acct.balance_cents),
            "overdue": acct.overdue,
            "orders": orders,
        })
    })
}

fn order_json(o: &Order) -> Value {
    json!({
        "order_id": o.id,
        "instance_id": o.instance_id,
        "region_id": o.region,
        "action": o.action,
        "amount": cents(o.amount_cents),
        "status": match o.status { OrderStatus::Paid => "Paid", OrderStatus::Unpaid => "Unpaid", OrderStatus::Cancelled => "Cancelled" },
        "created": format_time(o.created_ms),
        "paid": o.paid_ms.map(format_time),
    })
}

/// Cents as a JSON number of CNY.
pub fn cents(c: i64) -> Value {
    json!(c as f64 / 100.0)
}

/// Sets the balance and/or overdue flag.
pub fn set_state(
    cloud: &Cloud,
    account_id: &str,
    balance: Option<f64>,
    overdue: Option<bool>,
) -> Result<Value, ControlError> {
    if balance.is_some_and(|b| !b.is_finite()) {
        return Err((400, "balance must be a finite number".into()));
    }
    cloud
        .store
        .write(|tx| {
            let mut acct = account(tx, account_id);
            if let Some(b) = balance {
                acct.balance_cents = (b * 100.0).round() as i64;
            }
            if let Some(o) = overdue {
                acct.overdue = o;
            }
            tx.put(&scope(account_id), acct);
            Ok::<_, acs_store::StoreError>(())
        })
        .map_err(|e| (500, e.to_string()))?;
    Ok(state(cloud, account_id))
}

/// Pays an unpaid order from the balance and applies the change it holds.
pub fn pay_order(cloud: &Cloud, account_id: &str, order_id: &str) -> Result<Value, ControlError> {
    settle(cloud, account_id, order_id, true)
}

/// Cancels an unpaid order; its change is dropped.
pub fn cancel_order(cloud: &Cloud, account_id: &str, order_id: &str) -> Result<Value, ControlError> {
    settle(cloud, account_id, order_id, false)
}

enum Abort {
    Control(ControlError),
    Store(acs_store::StoreError),
}

impl From<acs_store::StoreError> for Abort {
    fn from(e: acs_store::StoreError) -> Self {
        Abort::Store(e)
    }
}

fn settle(cloud: &Cloud, account_id: &str, order_id: &str, pay: bool) -> Result<Value, ControlError> {
    let now = cloud.clock.now_ms();
    cloud
        .store
        .write(|tx| {
            let s = scope(account_id);
            let mut order =
                tx.get::<Order>(&s, order_id).ok_or_else(|| Abort::Control((404, format!("no order {order_id}"))))?;
            if order.status != OrderStatus::Unpaid {
                return Err(Abort::Control((409, format!("order {order_id} is not unpaid"))));
            }
            let change = order.change.take();
            if pay {
                let mut acct = account(tx, account_id);
                if order.amount_cents > acct.balance_cents {
                    return Err(Abort::Control((409, "the balance is lower than the order's amount".into())));
                }
                acct.balance_cents -= order.amount_cents;
                tx.put(&s, acct);
                order.status = OrderStatus::Paid;
                order.paid_ms = Some(now);
            } else {
                order.status = OrderStatus::Cancelled;
            }
            tx.put(&s, order.clone());
            if let (true, Some(change)) = (pay, change) {
                let applied = match order.family.as_str() {
                    PHYSICAL_CONNECTION => crate::physical_connection::fulfil(tx, &order, change),
                    crate::vpn::ORDER_FAMILY => crate::vpn::fulfil(tx, &order, change),
                    _ => crate::instance::fulfil(tx, &order, change, now),
                };
                applied.map_err(|e| Abort::Control((409, e.message.into_owned())))?;
            }
            Ok(order_json(&order))
        })
        .map_err(|e| match e {
            Abort::Control(c) => c,
            Abort::Store(e) => (500, e.to_string()),
        })
}

/// Bandwidth price per month in cents (docs/ecs.md): PayByBandwidth 23 CNY per Mbit/s up to
/// 5 Mbit/s and 80 above; PayByTraffic bills traffic, not the cap, so the cap costs nothing.
pub fn bandwidth_monthly_cents(internet_charge_type: &str, mbps: i64) -> i64 {
    if internet_charge_type != "PayByBandwidth" {
        return 0;
    }
    let low = mbps.min(5);
    low * 2_300 + (mbps - low).max(0) * 8_000
}

/// `monthly_cents` prorated over `ms` of a 30-day month.
pub fn prorate(monthly_cents: i64, ms: i64) -> i64 {
    (i128::from(monthly_cents) * i128::from(ms.max(0)) / i128::from(MONTH_MS)) as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bandwidth_prices_have_two_tiers() {
        assert_eq!(bandwidth_monthly_cents("PayByBandwidth", 0), 0);
        assert_eq!(bandwidth_monthly_cents("PayByBandwidth", 5), 11_500);
        assert_eq!(bandwidth_monthly_cents("PayByBandwidth", 10), 11_500 + 40_000);
        assert_eq!(bandwidth_monthly_cents("PayByTraffic", 100), 0);
    }

    #[test]
    fn prorating_is_exact_over_a_month() {
        assert_eq!(prorate(18_400, MONTH_MS), 18_400);
        assert_eq!(prorate(18_400, MONTH_MS / 2), 9_200);
        assert_eq!(prorate(18_400, -5), 0);
    }
}
