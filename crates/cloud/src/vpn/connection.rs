//! IPsec connections between a VPN gateway (IPsec enabled) and a customer gateway: one per pair.
//! IkeConfig / IpsecConfig are decoded by the description (`json_object`: documented values,
//! ranges, defaults for the missing keys); Psk defaults to a random key, LocalId to the VPN
//! gateway's address, RemoteId to the customer gateway's. Status: `ike_sa_not_established`
//! during the transition after a change; then `ipsec_sa_established` when EffectImmediately
//! (negotiated at once), else `ike_sa_not_established` (negotiation waits for traffic, which
//! the emulator never sees).

use std::collections::BTreeMap;

use acs_api::{ApiError, ErrorDef, Value as Param};
use acs_store::{Entity, Read, Scope, Tx, View};
use rand::distributions::Alphanumeric;
use rand::Rng;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::{configurable, customer_gateway, get as get_gateway, touch, QUOTA_FULL_};
use crate::context::Call;
use crate::dispatch::{body, Body};
use crate::ids::new_id;
use crate::paging::Page;
use crate::quota::Quota;
use crate::tag;

/// The ResourceType of IPsec connections in VPC TagResources.
pub const TAG_TYPE: &str = "VPNCONNECTION";

pub const NOT_FOUND: ErrorDef = ErrorDef::new(
    404,
    "InvalidVpnConnectionInstanceId.NotFound",
    "The specified vpn connection instance id does not exist.",
);
pub const ALREADY_EXISTS: ErrorDef =
    ErrorDef::new(400, "InvalidVpnConnection.AlreadyExists", "Vpn connection already exists.");
pub const IPSEC_DISABLED: ErrorDef = ErrorDef::new(
    400,
    "VpnGateway.IpsecVpnDisabled",
    "The IPsec-VPN function of the specified vpn gateway is disabled.",
);

pub const CONNECTIONS_PER_GATEWAY: Quota =
    Quota { name: "ipsec_connections_per_vpn_gateway", default: 10, about: "IPsec connections of one VPN gateway" };

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct IkeConfig {
    pub psk: String,
    pub ike_version: String,
    pub ike_mode: String,
    pub ike_enc_alg: String,
    pub ike_auth_alg: String,
    pub ike_pfs: String,
    pub ike_lifetime: i64,
    pub local_id: String,
    pub remote_id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct IpsecConfig {
    pub ipsec_enc_alg: String,
    pub ipsec_auth_alg: String,
    pub ipsec_pfs: String,
    pub ipsec_lifetime: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct VpnConnection {
    pub id: String,
    pub vpn_gateway_id: String,
    pub customer_gateway_id: String,
    pub name: String,
    pub local_subnet: String,
    pub remote_subnet: String,
    pub effect_immediately: bool,
    pub ike: IkeConfig,
    pub ipsec: IpsecConfig,
    pub created_ms: i64,
    pub changed_ms: i64,
}

impl Entity for VpnConnection {
    const KIND: &'static str = "vpn_connection";
    fn id(&self) -> &str {
        &self.id
    }
    fn parent(&self) -> Option<&str> {
        Some(&self.vpn_gateway_id)
    }
}

impl VpnConnection {
    fn status(&self, call: &Call<'_>) -> &'static str {
        if call.settled(self.changed_ms) && self.effect_immediately {
            "ipsec_sa_established"
        } else {
            "ike_sa_not_established"
        }
    }

    fn view(&self, call: &Call<'_>) -> Value {
        json!({
            "VpnConnectionId": self.id,
            "CustomerGatewayId": self.customer_gateway_id,
            "VpnGatewayId": self.vpn_gateway_id,
            "Name": self.name,
            "LocalSubnet": self.local_subnet,
            "RemoteSubnet": self.remote_subnet,
            "CreateTime": self.created_ms,
            "EffectImmediately": self.effect_immediately,
            "Status": self.status(call),
            "IkeConfig": self.ike,
            "IpsecConfig": self.ipsec,
        })
    }
}

pub fn get(r: &impl Read, scope: &Scope, id: &str) -> Result<VpnConnection, ApiError> {
    r.get::<VpnConnection>(scope, id).ok_or_else(|| NOT_FOUND.into())
}

pub(super) fn count_of_gateway(r: &impl Read, scope: &Scope, gateway_id: &str) -> usize {
    r.child_ids::<VpnConnection>(scope, gateway_id).len()
}

pub(super) fn count_of_customer_gateway(r: &impl Read, scope: &Scope, cgw_id: &str) -> usize {
    r.list::<VpnConnection>(scope).iter().filter(|c| c.customer_gateway_id == cgw_id).count()
}

/// Whether `id` is an IPsec connection of the gateway (the next hop of its routes).
pub(super) fn of_gateway(r: &impl Read, scope: &Scope, gateway_id: &str, id: &str) -> bool {
    r.get::<VpnConnection>(scope, id).is_some_and(|c| c.vpn_gateway_id == gateway_id)
}

/// The decoded JSON object `name` of the call, or its documented defaults when absent.
fn object_or_defaults(call: &Call<'_>, name: &str) -> BTreeMap<String, Param> {
    if let Some(o) = call.params.object(name) {
        return o.clone();
    }
    acs_api::Api::builtin()
        .product("Vpc")
        .and_then(|p| p.action(call.action))
        .and_then(|a| a.param(name))
        .map(acs_api::params::object_defaults)
        .unwrap_or_default()
}

fn text(o: &BTreeMap<String, Param>, key: &str) -> Option<String> {
    o.get(key).and_then(Param::as_str).map(str::to_string)
}

fn int(o: &BTreeMap<String, Param>, key: &str) -> i64 {
    match o.get(key) {
        Some(Param::Int(i)) => *i,
        _ => 86_400,
    }
}

fn random_psk() -> String {
    rand::thread_rng().sample_iter(Alphanumeric).take(16).map(|c| (c as char).to_ascii_lowercase()).collect()
}

/// The phase-one settings from the call's object; keys without a fixed default fall back on
/// `keep` (the connection's current values), then on a random key and the two addresses.
fn ike_config(o: &BTreeMap<String, Param>, keep: Option<&IkeConfig>, local: &str, remote: &str) -> IkeConfig {
    let or = |key: &str, current: Option<&String>, fallback: String| {
        text(o, key).or_else(|| current.cloned()).unwrap_or(fallback)
    };
    IkeConfig {
        psk: or("Psk", keep.map(|k| &k.psk), random_psk()),
        ike_version: text(o, "IkeVersion").unwrap_or_default(),
        ike_mode: text(o, "IkeMode").unwrap_or_default(),
        ike_enc_alg: text(o, "IkeEncAlg").unwrap_or_default(),
        ike_auth_alg: text(o, "IkeAuthAlg").unwrap_or_default(),
        ike_pfs: text(o, "IkePfs").unwrap_or_default(),
        ike_lifetime: int(o, "IkeLifetime"),
        local_id: or("LocalId", keep.map(|k| &k.local_id), local.to_string()),
        remote_id: or("RemoteId", keep.map(|k| &k.remote_id), remote.to_string()),
    }
}

fn ipsec_config(o: &BTreeMap<String, Param>) -> IpsecConfig {
    IpsecConfig {
        ipsec_enc_alg: text(o, "IpsecEncAlg").unwrap_or_default(),
        ipsec_auth_alg: text(o, "IpsecAuthAlg").unwrap_or_default(),
        ipsec_pfs: text(o, "IpsecPfs").unwrap_or_default(),
        ipsec_lifetime: int(o, "IpsecLifetime"),
    }
}

/// A comma-separated list of CIDR blocks as the call gave it (the description checked each).
fn subnets(call: &Call<'_>, name: &str) -> Option<String> {
    let list = call.params.strings(name);
    (!list.is_empty()).then(|| list.join(","))
}

pub(super) fn create(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let cgw = customer_gateway::get(tx, &scope, call.required("CustomerGatewayId")?)?;
    let gw = configurable(call, tx, &scope, call.required("VpnGatewayId")?)?;
    if !gw.enable_ipsec {
        return Err(IPSEC_DISABLED.into());
    }
    let existing: Vec<VpnConnection> = tx.children::<VpnConnection>(&scope, &gw.id);
    if existing.iter().any(|c| c.customer_gateway_id == cgw.id) {
        return Err(ALREADY_EXISTS.into());
    }
    if existing.len() >= call.quota(tx, &CONNECTIONS_PER_GATEWAY) {
        return Err(QUOTA_FULL_.into());
    }
    let id = new_id("vco", &scope.region);
    let name = call.str("Name").unwrap_or(&id).to_string();
    let conn = VpnConnection {
        id: id.clone(),
        vpn_gateway_id: gw.id.clone(),
        customer_gateway_id: cgw.id.clone(),
        name: name.clone(),
        local_subnet: subnets(call, "LocalSubnet").unwrap_or_default(),
        remote_subnet: subnets(call, "RemoteSubnet").unwrap_or_default(),
        effect_immediately: call.params.bool("EffectImmediately").unwrap_or(false),
        ike: ike_config(&object_or_defaults(call, "IkeConfig"), None, &gw.internet_ip, &cgw.ip_address),
        ipsec: ipsec_config(&object_or_defaults(call, "IpsecConfig")),
        created_ms: call.now_ms,
        changed_ms: call.now_ms,
    };
    tx.put(&scope, conn);
    tag::create_with(call, tx, &scope, tag::Product::Vpc, TAG_TYPE, &id, "Tags")?;
    touch(call, tx, &scope, gw);
    Ok(body(json!({ "VpnConnectionId": id, "Name": name, "CreateTime": call.now_ms })))
}

pub(super) fn modify(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let mut conn = get(tx, &scope, call.required("VpnConnectionId")?)?;
    let gw = configurable(call, tx, &scope, &conn.vpn_gateway_id)?;
    call.update(&mut conn.name, "Name");
    if let Some(s) = subnets(call, "LocalSubnet") {
        conn.local_subnet = s;
    }
    if let Some(s) = subnets(call, "RemoteSubnet") {
        conn.remote_subnet = s;
    }
    if let Some(b) = call.params.bool("EffectImmediately") {
        conn.effect_immediately = b;
    }
    if let Some(o) = call.params.object("IkeConfig") {
        conn.ike = ike_config(o, Some(&conn.ike), &gw.internet_ip, "");
    }
    if let Some(o) = call.params.object("IpsecConfig") {
        conn.ipsec = ipsec_config(o);
    }
    conn.changed_ms = call.now_ms;
    let mut out = body(conn.view(call));
    out.remove("Status");
    out.insert("Description".into(), json!(""));
    tx.put(&scope, conn);
    touch(call, tx, &scope, gw);
    Ok(out)
}

pub(super) fn delete(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let conn = get(tx, &scope, call.required("VpnConnectionId")?)?;
    let gw = get_gateway(tx, &scope, &conn.vpn_gateway_id)?;
    if gw.status(call) != super::ACTIVE {
        return Err(super::CONFIGURING.into());
    }
    super::route::forget_next_hop(call, tx, &scope, &gw, &conn.id)?;
    tx.delete::<VpnConnection>(&scope, &conn.id);
    tag::forget(tx, &scope, &conn.id);
    touch(call, tx, &scope, gw);
    Ok(Body::new())
}

pub(super) fn describe_one(call: &Call<'_>, view: &View<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let conn = get(view, &scope, call.required("VpnConnectionId")?)?;
    let mut out = conn.view(call);
    out["Tags"] = tag::vpc_tags(view, &scope, &conn.id);
    Ok(body(out))
}

pub(super) fn describe_all(call: &Call<'_>, view: &View<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let page = Page::from_params(call.params);
    let tags = tag::filter(call, "Tag");
    let (items, total) = view.page::<VpnConnection>(
        &scope,
        |c| {
            call.matches("VpnGatewayId", &c.vpn_gateway_id)
                && call.matches("CustomerGatewayId", &c.customer_gateway_id)
                && tag::matches(view, &scope, &c.id, &tags)
        },
        page.offset(),
        page.size,
    );
    let items: Vec<Value> = items
        .iter()
        .map(|c| {
            let mut v = c.view(call);
            v["VcoHealthCheck"] = json!({ "Dip": "", "Sip": "", "Interval": 0 });
            // The list spells the container `Tag` (the SDKs' models), the single answer `Tags`.
            v["Tag"] = tag::vpc_tags(view, &scope, &c.id);
            v
        })
        .collect();
    let mut out = body(json!({ "VpnConnections": { "VpnConnection": items } }));
    page.annotate(&mut out, total);
    Ok(out)
}

/// What the customer gateway's side needs: both addresses, both subnets, both phases.
pub(super) fn download_config(call: &Call<'_>, view: &View<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let conn = get(view, &scope, call.required("VpnConnectionId")?)?;
    let gw = get_gateway(view, &scope, &conn.vpn_gateway_id)?;
    if !gw.enable_ipsec {
        return Err(IPSEC_DISABLED.into());
    }
    let remote =
        customer_gateway::get(view, &scope, &conn.customer_gateway_id).map(|c| c.ip_address).unwrap_or_default();
    Ok(body(json!({
        "VpnConnectionConfig": {
            "Local": gw.internet_ip,
            "Remote": remote,
            "LocalSubnet": conn.local_subnet,
            "RemoteSubnet": conn.remote_subnet,
            "IkeConfig": conn.ike,
            "IpsecConfig": conn.ipsec,
        }
    })))
}
