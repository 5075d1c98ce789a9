//! VPN gateways (chapter 15 of the VPC reference) and what hangs on them: customer gateways
//! (customer_gateway.rs), IPsec connections (connection.rs), SSL-VPN servers and client
//! certificates (ssl.rs), destination and policy-based routes (route.rs).
//!
//! A gateway lives in a VPC and takes a public address from its own pool (the TEST-NET ranges,
//! never the instances' 198.18.0.0/15). It is `init` while its subscription order is unpaid,
//! `provisioning` during the transition after creation (or payment), `updating` during the
//! transition after each configuration change (connections, SSL servers, routes), then
//! `active`; a change asked of a gateway that is not active answers VpnGateway.Configuring, and
//! an account in arrears makes its gateways FinancialLocked. It registers the `VpnGateway` next
//! hop with the route-table family (PublishVpnRouteEntry) and blocks deleting its VPC.

use std::sync::Arc;

use acs_api::{ApiError, ErrorDef};
use acs_store::{Entity, Read, Scope, Tx, View};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::billing::{self, OrderRequest};
use crate::context::{Call, Cloud, Dependents, NextHop, NextHopResolver};
use crate::dispatch::{body, Actions, Body, Handler};
use crate::ids::new_id;
use crate::paging::Page;
use crate::public_ip::{self, Pool};
use crate::quota::Quota;
use crate::{route_table, tag, vpc, vswitch};

/// The ResourceType of VPN gateways in VPC TagResources (Terraform sends `VpnGateWay`: the type
/// matches case-insensitively).
pub const TAG_TYPE: &str = "VpnGateway";

mod connection;
mod customer_gateway;
mod route;
mod ssl;

pub use connection::{VpnConnection, CONNECTIONS_PER_GATEWAY};
pub use customer_gateway::{CustomerGateway, CUSTOMER_GATEWAYS_PER_REGION};
pub use route::{VpnRoute, ROUTES_PER_GATEWAY};
pub use ssl::{SslClientCert, SslVpnServer, CERTS_PER_SERVER, SERVERS_PER_GATEWAY};

pub const GATEWAY_NOT_FOUND: ErrorDef =
    ErrorDef::new(404, "InvalidVpnGatewayInstanceId.NotFound", "The specified vpn gateway instance id does not exist.");
pub const CONFIGURING: ErrorDef = ErrorDef::new(400, "VpnGateway.Configuring", "The specified service is configuring.");
pub const FINANCIAL_LOCKED: ErrorDef =
    ErrorDef::new(400, "VpnGateway.FinancialLocked", "The specified service is financial locked.");
/// Resource.QuotaFull as 15.1 and the route actions print it (with a final period).
pub const QUOTA_FULL: ErrorDef = ErrorDef::new(400, "Resource.QuotaFull", "The quota of resource is full.");
/// Resource.QuotaFull as the customer gateway, IPsec and SSL actions print it (no period).
pub const QUOTA_FULL_: ErrorDef = ErrorDef::new(400, "Resource.QuotaFull", "The quota of resource is full");
pub const FORBIDDEN_RELEASE: ErrorDef =
    ErrorDef::new(403, "ForbiddenRelease", "Forbidden to release a prepaid instance within validity period");
pub const INVALID_NAME: ErrorDef = ErrorDef::new(400, "InvalidName", "The name is not valid");
pub const MISSING_PERIOD: ErrorDef = ErrorDef::new(400, "MissingPeriod", "Period is mandatory for this action.");
pub const HAS_CONNECTIONS: ErrorDef =
    ErrorDef::new(400, "DependencyViolation.VpnConnection", "The specified vpn gateway has IPsec connections.");
pub const HAS_SSL_SERVERS: ErrorDef =
    ErrorDef::new(400, "DependencyViolation.SslVpnServer", "The specified vpn gateway has SSL-VPN servers.");
/// DeleteVpc's documented code for what is tunnelled out of the VPC.
pub const DEPENDENCY_VIOLATION_TUNNEL: ErrorDef =
    ErrorDef::new(400, "DependencyViolation.Tunnel", "Specified object has dependent tunnel.");

pub const ERRORS: &[ErrorDef] = &[
    GATEWAY_NOT_FOUND,
    CONFIGURING,
    FINANCIAL_LOCKED,
    QUOTA_FULL,
    QUOTA_FULL_,
    FORBIDDEN_RELEASE,
    INVALID_NAME,
    MISSING_PERIOD,
    HAS_CONNECTIONS,
    HAS_SSL_SERVERS,
    DEPENDENCY_VIOLATION_TUNNEL,
    customer_gateway::NOT_FOUND,
    customer_gateway::ALREADY_EXIST,
    customer_gateway::WRONG_FORMAT,
    customer_gateway::IN_USE,
    connection::NOT_FOUND,
    connection::ALREADY_EXISTS,
    connection::IPSEC_DISABLED,
    route::DEST_MALFORMED,
    route::NEXT_HOP_NOT_FOUND,
    route::ROUTE_NOT_FOUND,
    route::ROUTE_EXISTS,
    ssl::SERVER_NOT_FOUND,
    ssl::CERT_NOT_FOUND,
    ssl::SSL_DISABLED,
    ssl::POOL_INVALID,
    ssl::POOL_CONFLICT,
    ssl::PORT_BANNED,
    ssl::HAS_CERTS,
];

/// A VPC has one VPN gateway (the real service's default).
pub const GATEWAYS_PER_VPC: Quota =
    Quota { name: "vpn_gateways_per_vpc", default: 1, about: "VPN gateways in one VPC" };

pub(crate) const ACTIONS: Actions = &[
    ("CreateVpnGateway", Handler::Write(create_vpn_gateway)),
    ("DescribeVpnGateways", Handler::Read(describe_vpn_gateways)),
    ("DescribeVpnGateway", Handler::Read(describe_vpn_gateway)),
    ("ModifyVpnGatewayAttribute", Handler::Write(modify_vpn_gateway_attribute)),
    ("DeleteVpnGateway", Handler::Write(delete_vpn_gateway)),
    ("CreateCustomerGateway", Handler::Write(customer_gateway::create)),
    ("DescribeCustomerGateways", Handler::Read(customer_gateway::describe_all)),
    ("DescribeCustomerGateway", Handler::Read(customer_gateway::describe_one)),
    ("ModifyCustomerGatewayAttribute", Handler::Write(customer_gateway::modify)),
    ("DeleteCustomerGateway", Handler::Write(customer_gateway::delete)),
    ("CreateVpnConnection", Handler::Write(connection::create)),
    ("DescribeVpnConnection", Handler::Read(connection::describe_one)),
    ("DescribeVpnConnections", Handler::Read(connection::describe_all)),
    ("ModifyVpnConnectionAttribute", Handler::Write(connection::modify)),
    ("DeleteVpnConnection", Handler::Write(connection::delete)),
    ("DownloadVpnConnectionConfig", Handler::Read(connection::download_config)),
    ("CreateVpnRouteEntry", Handler::Write(route::create_route_entry)),
    ("CreateVpnPbrRouteEntry", Handler::Write(route::create_pbr_route_entry)),
    ("DeleteVpnRouteEntry", Handler::Write(route::delete_route_entry)),
    ("DeleteVpnPbrRouteEntry", Handler::Write(route::delete_pbr_route_entry)),
    ("ModifyVpnPbrRouteEntryWeight", Handler::Write(route::modify_pbr_weight)),
    ("PublishVpnRouteEntry", Handler::Write(route::publish)),
    ("DescribeVpnRouteEntries", Handler::Read(route::describe)),
    ("CreateSslVpnServer", Handler::Write(ssl::create_server)),
    ("DescribeSslVpnServers", Handler::Read(ssl::describe_servers)),
    ("ModifySslVpnServer", Handler::Write(ssl::modify_server)),
    ("DeleteSslVpnServer", Handler::Write(ssl::delete_server)),
    ("CreateSslVpnClientCert", Handler::Write(ssl::create_cert)),
    ("DescribeSslVpnClientCerts", Handler::Read(ssl::describe_certs)),
    ("ModifySslVpnClientCert", Handler::Write(ssl::modify_cert)),
    ("DeleteSslVpnClientCert", Handler::Write(ssl::delete_cert)),
    ("DescribeVpnSslServerLogs", Handler::Read(ssl::describe_logs)),
];

/// VPN gateway addresses: the three documentation ranges (RFC 5737), outside the instances' pool.
pub const ADDRESSES: Pool = Pool::new(
    "vpn-gateway-cursor",
    &[
        (u32::from_be_bytes([192, 0, 2, 0]), 256),
        (u32::from_be_bytes([198, 51, 100, 0]), 256),
        (u32::from_be_bytes([203, 0, 113, 0]), 256),
    ],
);

/// Order family of subscription gateways (see [`fulfil`]).
pub const ORDER_FAMILY: &str = "vpn_gateway";

/// Monthly price of a subscription gateway by bandwidth (Mbps), in cents.
fn monthly_cents(bandwidth: i64) -> i64 {
    match bandwidth {
        5 => 32_000,
        10 => 45_000,
        20 => 95_000,
        50 => 185_000,
        _ => 395_000,
    }
}

pub const INIT: &str = "init";
pub const PROVISIONING: &str = "provisioning";
pub const ACTIVE: &str = "active";
pub const UPDATING: &str = "updating";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct VpnGateway {
    pub id: String,
    pub region: String,
    pub vpc_id: String,
    pub vswitch_id: String,
    pub name: String,
    pub description: String,
    pub bandwidth: i64,
    pub enable_ipsec: bool,
    pub enable_ssl: bool,
    pub ssl_connections: i64,
    /// Subscription (PrePaid) rather than pay-as-you-go.
    pub prepaid: bool,
    /// Expiry of a subscription.
    pub end_ms: Option<i64>,
    pub internet_ip: String,
    pub created_ms: i64,
    /// When provisioning started: at creation, or when the subscription order was paid (`None`
    /// while it is unpaid).
    pub ready_ms: Option<i64>,
    /// The last configuration change (the gateway is `updating` during the transition after it).
    pub changed_ms: i64,
}

impl Entity for VpnGateway {
    const KIND: &'static str = "vpn_gateway";
    fn id(&self) -> &str {
        &self.id
    }
    fn parent(&self) -> Option<&str> {
        Some(&self.vpc_id)
    }
}

impl VpnGateway {
    pub fn status(&self, call: &Call<'_>) -> &'static str {
        match self.ready_ms {
            None => INIT,
            Some(ready) if !call.settled(ready) => PROVISIONING,
            Some(_) if !call.settled(self.changed_ms) => UPDATING,
            Some(_) => ACTIVE,
        }
    }

    fn business_status(&self, r: &impl Read, call: &Call<'_>) -> &'static str {
        if billing::is_overdue(r, call.account) {
            "FinancialLocked"
        } else {
            "Normal"
        }
    }

    /// As DescribeVpnGateway(s) show it: the attributes and the tags.
    fn described(&self, r: &impl Read, scope: &Scope, call: &Call<'_>) -> Value {
        let mut v = self.view(r, call);
        v["Tags"] = tag::vpc_tags(r, scope, &self.id);
        v
    }

    fn view(&self, r: &impl Read, call: &Call<'_>) -> Value {
        json!({
            "VpnGatewayId": self.id,
            "VpcId": self.vpc_id,
            "VSwitchId": self.vswitch_id,
            "InternetIp": self.internet_ip,
            "CreateTime": self.created_ms,
            // A pay-as-you-go gateway does not expire: 2100-01-01, as the real service shows.
            "EndTime": self.end_ms.unwrap_or(4_102_416_000_000),
            "Spec": format!("{}M", self.bandwidth),
            "Name": self.name,
            "Description": self.description,
            "Status": self.status(call),
            "BusinessStatus": self.business_status(r, call),
            "ChargeType": if self.prepaid { "Prepay" } else { "PayByTraffic" },
            "IpsecVpn": if self.enable_ipsec { "enable" } else { "disable" },
            "SslVpn": if self.enable_ssl { "enable" } else { "disable" },
            "SslMaxConnections": if self.enable_ssl { self.ssl_connections } else { 0 },
        })
    }
}

/// Plugs VPN gateways into the route-table and VPC seams.
pub fn register(cloud: &Cloud) {
    let seams = Arc::new(Seams);
    cloud.register_next_hop(route::NEXT_HOP_TYPE, seams.clone());
    cloud.register_dependents(seams);
    cloud.register_taggable("Vpc", TAG_TYPE, |tx, scope, id| tx.exists::<VpnGateway>(scope, id));
    cloud.register_taggable("Vpc", customer_gateway::TAG_TYPE, |tx, scope, id| {
        tx.exists::<customer_gateway::CustomerGateway>(scope, id)
    });
    cloud.register_taggable("Vpc", connection::TAG_TYPE, |tx, scope, id| {
        tx.exists::<connection::VpnConnection>(scope, id)
    });
}

struct Seams;

impl NextHopResolver for Seams {
    fn resolve(&self, _call: &Call<'_>, tx: &Tx<'_>, scope: &Scope, id: &str) -> Option<NextHop> {
        tx.get::<VpnGateway>(scope, id).map(|g| NextHop { vpc_id: Some(g.vpc_id), usable: g.ready_ms.is_some() })
    }
}

impl Dependents for Seams {
    fn vpc_in_use(&self, tx: &Tx<'_>, scope: &Scope, vpc_id: &str) -> Option<ApiError> {
        (!tx.child_ids::<VpnGateway>(scope, vpc_id).is_empty()).then(|| DEPENDENCY_VIOLATION_TUNNEL.into())
    }
}

/// The gateway, or InvalidVpnGatewayInstanceId.NotFound.
pub fn get(r: &impl Read, scope: &Scope, id: &str) -> Result<VpnGateway, ApiError> {
    r.get::<VpnGateway>(scope, id).ok_or_else(|| GATEWAY_NOT_FOUND.into())
}

/// The gateway, which must be active and not financially locked for its configuration to change.
fn configurable(call: &Call<'_>, r: &impl Read, scope: &Scope, id: &str) -> Result<VpnGateway, ApiError> {
    let gw = get(r, scope, id)?;
    if gw.business_status(r, call) != "Normal" {
        return Err(FINANCIAL_LOCKED.into());
    }
    if gw.status(call) != ACTIVE {
        return Err(CONFIGURING.into());
    }
    Ok(gw)
}

/// A configuration change: the gateway is `updating` for the transition.
fn touch(call: &Call<'_>, tx: &mut Tx<'_>, scope: &Scope, mut gw: VpnGateway) {
    gw.changed_ms = call.now_ms;
    tx.put(scope, gw);
}

fn create_vpn_gateway(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let vpc = vpc::get_available(call, tx, &scope, call.required("VpcId")?)?;
    let prepaid = matches!(call.str("InstanceChargeType"), Some("PREPAY" | "PrePaid"));
    let period = call.params.int("Period");
    if prepaid && period.is_none() {
        return Err(MISSING_PERIOD.into());
    }
    if tx.child_ids::<VpnGateway>(&scope, &vpc.id).len() >= call.quota(tx, &GATEWAYS_PER_VPC) {
        return Err(QUOTA_FULL.into());
    }
    let bandwidth = call.params.int("Bandwidth").unwrap_or(5);
    let id = new_id("vpn", &scope.region);
    let internet_ip = public_ip::allocate(tx, &ADDRESSES, &id).ok_or(QUOTA_FULL)?;
    let auto_pay = call.params.bool("AutoPay").unwrap_or(false);
    let mut order_id = None;
    let mut end_ms = None;
    if let (true, Some(months)) = (prepaid, period) {
        let order = billing::place_order(
            tx,
            &OrderRequest {
                account_id: call.account,
                family: ORDER_FAMILY,
                instance_id: &id,
                region: &scope.region,
                action: call.action,
                amount_cents: monthly_cents(bandwidth) * months,
                now_ms: call.now_ms,
            },
            auto_pay,
            Some(json!({ "months": months })),
        )?;
        if order.status == billing::OrderStatus::Paid {
            end_ms = Some(call.now_ms + months * billing::MONTH_MS);
        }
        order_id = order.id.parse::<i64>().ok();
    }
    let name = call.str("Name").unwrap_or(&id).to_string();
    let paid = !prepaid || end_ms.is_some();
    tx.put(
        &scope,
        VpnGateway {
            id: id.clone(),
            region: scope.region.clone(),
            vpc_id: vpc.id.clone(),
            vswitch_id: vswitch::ids_in_vpc(tx, &scope, &vpc.id).into_iter().next().unwrap_or_default(),
            name: name.clone(),
            description: String::new(),
            bandwidth,
            enable_ipsec: call.params.bool("EnableIpsec").unwrap_or(true),
            enable_ssl: call.params.bool("EnableSsl").unwrap_or(false),
            ssl_connections: call.params.int("SslConnections").unwrap_or(5),
            prepaid,
            end_ms,
            internet_ip,
            created_ms: call.now_ms,
            ready_ms: paid.then_some(call.now_ms),
            changed_ms: call.now_ms,
        },
    );
    let mut out = body(json!({ "VpnGatewayId": id, "Name": name }));
    if let Some(order_id) = order_id {
        out.insert("OrderId".into(), json!(order_id));
    }
    Ok(out)
}

#[derive(Deserialize)]
struct Held {
    months: i64,
}

/// A paid subscription order: the gateway starts provisioning and runs for the period.
pub(crate) fn fulfil(tx: &mut Tx<'_>, order: &billing::Order, held: Value) -> Result<(), ApiError> {
    let held: Held = serde_json::from_value(held).map_err(ApiError::internal)?;
    let scope = Scope::new(order.account_id.clone(), order.region.clone());
    if let Some(mut gw) = tx.get::<VpnGateway>(&scope, &order.instance_id) {
        let now = order.paid_ms.unwrap_or(order.created_ms);
        gw.ready_ms = Some(now);
        gw.changed_ms = now;
        gw.end_ms = Some(now + held.months * billing::MONTH_MS);
        tx.put(&scope, gw);
    }
    Ok(())
}

fn describe_vpn_gateway(call: &Call<'_>, view: &View<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let gw = get(view, &scope, call.required("VpnGatewayId")?)?;
    Ok(body(gw.described(view, &scope, call)))
}

fn describe_vpn_gateways(call: &Call<'_>, view: &View<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let page = Page::from_params(call.params);
    let tags = tag::filter(call, "Tag");
    let (items, total) = view.page::<VpnGateway>(
        &scope,
        |g| {
            tag::matches(view, &scope, &g.id, &tags)
                && call.matches("VpnGatewayId", &g.id)
                && call.matches("VpcId", &g.vpc_id)
                && call.matches("Status", g.status(call))
                && call.matches("BusinessStatus", g.business_status(view, call))
        },
        page.offset(),
        page.size,
    );
    let items: Vec<Value> = items.iter().map(|g| g.described(view, &scope, call)).collect();
    let mut out = body(json!({ "VpnGateways": { "VpnGateway": items } }));
    page.annotate(&mut out, total);
    Ok(out)
}

fn modify_vpn_gateway_attribute(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let mut gw = get(tx, &scope, call.required("VpnGatewayId")?)?;
    call.update(&mut gw.name, "Name");
    call.update(&mut gw.description, "Description");
    let mut out = body(gw.view(tx, call));
    for field in ["ChargeType", "IpsecVpn", "SslVpn", "SslMaxConnections"] {
        out.remove(field);
    }
    out.insert("IntranetIp".into(), json!(""));
    tx.put(&scope, gw);
    Ok(out)
}

/// Refused while it is configuring, within a subscription's validity, or while IPsec
/// connections or SSL-VPN servers depend on it; its routes go with it.
fn delete_vpn_gateway(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let gw = get(tx, &scope, call.required("VpnGatewayId")?)?;
    if gw.ready_ms.is_some() && gw.status(call) != ACTIVE {
        return Err(CONFIGURING.into());
    }
    if gw.end_ms.is_some_and(|end| gw.prepaid && call.now_ms < end) {
        return Err(FORBIDDEN_RELEASE.into());
    }
    if connection::count_of_gateway(tx, &scope, &gw.id) > 0 {
        return Err(HAS_CONNECTIONS.into());
    }
    if ssl::count_of_gateway(tx, &scope, &gw.id) > 0 {
        return Err(HAS_SSL_SERVERS.into());
    }
    route::delete_all_of_gateway(tx, &scope, &gw);
    // Route entries the caller pointed at the gateway itself (CreateRouteEntry, NextHopType
    // VpnGateway) block it, as they block a HaVip's deletion.
    if route_table::routes_to(tx, &scope, &gw.id) > 0 {
        return Err(vpc::DEPENDENCY_VIOLATION_ROUTE_ENTRY.into());
    }
    billing::cancel_orders_of(tx, call.account, &gw.id);
    public_ip::release(tx, &gw.internet_ip);
    tx.delete::<VpnGateway>(&scope, &gw.id);
    tag::forget(tx, &scope, &gw.id);
    Ok(Body::new())
}
