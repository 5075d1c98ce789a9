//! SSL-VPN servers on a gateway with SSL-VPN enabled, and their client certificates.
//! ClientIpPool may not overlap any LocalSubnet block; the documented banned ports are refused;
//! Cipher, Proto and Compress default to AES-128-CBC, UDP and false. A certificate is valid for
//! three years from its creation: `normal`, `expiring-soon` in its last week, then `expired`
//! (compared with the emulated clock). No client ever connects: Connections is 0 and the
//! server's logs are empty.

use acs_api::{ApiError, ErrorDef};
use acs_store::{Entity, Read, Scope, Tx, View};
use ipnet::Ipv4Net;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::{configurable, get as get_gateway, touch, VpnGateway, QUOTA_FULL_};
use crate::context::Call;
use crate::dispatch::{body, Body};
use crate::ids::new_id;
use crate::paging::Page;
use crate::quota::Quota;
use crate::vpc;

pub const SERVER_NOT_FOUND: ErrorDef =
    ErrorDef::new(404, "InvalidSslVpnServerId.NotFound", "The specified SSL-VPN server does not exist.");
pub const CERT_NOT_FOUND: ErrorDef = ErrorDef::new(
    404,
    "InvalidSslVpnClientCertId.NotFound",
    "The specified SSL-VPN client certificate does not exist.",
);
pub const SSL_DISABLED: ErrorDef =
    ErrorDef::new(400, "VpnGateway.SslVpnDisabled", "The SSL-VPN function of the specified vpn gateway is disabled.");
pub const POOL_INVALID: ErrorDef =
    ErrorDef::new(400, "InvalidParameter.ClientIpPool", "The specified ClientIpPool is invalid.");
pub const POOL_CONFLICT: ErrorDef =
    ErrorDef::new(400, "InvalidParameter.ClientIpPoolConflict", "The ClientIpPool conflicts with the LocalSubnet.");
pub const PORT_BANNED: ErrorDef = ErrorDef::new(400, "InvalidParameter.Port", "The specified port cannot be used.");
pub const HAS_CERTS: ErrorDef =
    ErrorDef::new(400, "DependencyViolation.SslVpnClientCert", "The specified SSL-VPN server has client certificates.");

/// Ports 15.13 says an SSL-VPN server cannot use.
pub const BANNED_PORTS: &[i64] =
    &[22, 2222, 22222, 9000, 9001, 9002, 7505, 80, 443, 53, 68, 123, 4510, 4560, 500, 4500];

pub const SERVERS_PER_GATEWAY: Quota =
    Quota { name: "ssl_vpn_servers_per_vpn_gateway", default: 1, about: "SSL-VPN servers of one VPN gateway" };
pub const CERTS_PER_SERVER: Quota = Quota {
    name: "ssl_client_certs_per_ssl_vpn_server",
    default: 50,
    about: "client certificates of one SSL-VPN server",
};

const DAY_MS: i64 = 24 * 3_600_000;
/// How long a client certificate is valid.
pub const CERT_VALIDITY_MS: i64 = 3 * 365 * DAY_MS;
/// The last stretch of validity shown as `expiring-soon`.
pub const EXPIRING_SOON_MS: i64 = 7 * DAY_MS;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SslVpnServer {
    pub id: String,
    pub region: String,
    pub vpn_gateway_id: String,
    pub name: String,
    pub client_ip_pool: String,
    pub local_subnet: String,
    pub proto: String,
    pub cipher: String,
    pub port: i64,
    pub compress: bool,
    pub created_ms: i64,
}

impl Entity for SslVpnServer {
    const KIND: &'static str = "ssl_vpn_server";
    fn id(&self) -> &str {
        &self.id
    }
    fn parent(&self) -> Option<&str> {
        Some(&self.vpn_gateway_id)
    }
}

impl SslVpnServer {
    fn view(&self, gw: Option<&VpnGateway>) -> Value {
        json!({
            "SslVpnServerId": self.id,
            "VpnGatewayId": self.vpn_gateway_id,
            "RegionId": self.region,
            "Name": self.name,
            "ClientIpPool": self.client_ip_pool,
            "LocalSubnet": self.local_subnet,
            "Proto": self.proto,
            "Cipher": self.cipher,
            "Port": self.port,
            "Compress": self.compress,
            "Connections": 0,
            "MaxConnections": gw.map(|g| g.ssl_connections).unwrap_or(0),
            "InternetIp": gw.map(|g| g.internet_ip.clone()).unwrap_or_default(),
            "CreateTime": self.created_ms,
        })
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SslClientCert {
    pub id: String,
    pub region: String,
    pub ssl_vpn_server_id: String,
    pub name: String,
    pub created_ms: i64,
}

impl Entity for SslClientCert {
    const KIND: &'static str = "ssl_client_cert";
    fn id(&self) -> &str {
        &self.id
    }
    fn parent(&self) -> Option<&str> {
        Some(&self.ssl_vpn_server_id)
    }
}

impl SslClientCert {
    fn end_ms(&self) -> i64 {
        self.created_ms + CERT_VALIDITY_MS
    }

    fn status(&self, now_ms: i64) -> &'static str {
        match self.end_ms() - now_ms {
            left if left <= 0 => "expired",
            left if left <= EXPIRING_SOON_MS => "expiring-soon",
            _ => "normal",
        }
    }
}

pub(super) fn count_of_gateway(r: &impl Read, scope: &Scope, gateway_id: &str) -> usize {
    r.child_ids::<SslVpnServer>(scope, gateway_id).len()
}

fn get_server(r: &impl Read, scope: &Scope, id: &str) -> Result<SslVpnServer, ApiError> {
    r.get::<SslVpnServer>(scope, id).ok_or_else(|| SERVER_NOT_FOUND.into())
}

fn get_cert(r: &impl Read, scope: &Scope, id: &str) -> Result<SslClientCert, ApiError> {
    r.get::<SslClientCert>(scope, id).ok_or_else(|| CERT_NOT_FOUND.into())
}

/// The pool and the local blocks must not overlap; the port must not be banned.
fn check(pool: &str, local: &str, port: i64) -> Result<(), ApiError> {
    let pool: Ipv4Net = acs_api::validate::parse_cidr(pool).ok_or(POOL_INVALID)?;
    let clashes = local.split(',').filter_map(acs_api::validate::parse_cidr).any(|l| vpc::overlaps(&pool, &l));
    if clashes {
        return Err(POOL_CONFLICT.into());
    }
    if BANNED_PORTS.contains(&port) {
        return Err(PORT_BANNED.into());
    }
    Ok(())
}

pub(super) fn create_server(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let gw = configurable(call, tx, &scope, call.required("VpnGatewayId")?)?;
    if !gw.enable_ssl {
        return Err(SSL_DISABLED.into());
    }
    let pool = call.required("ClientIpPool")?.to_string();
    let local = call.params.strings("LocalSubnet").join(",");
    let port = call.params.int("Port").unwrap_or(1194);
    check(&pool, &local, port)?;
    if count_of_gateway(tx, &scope, &gw.id) >= call.quota(tx, &SERVERS_PER_GATEWAY) {
        return Err(QUOTA_FULL_.into());
    }
    let id = new_id("vss", &scope.region);
    let name = call.str("Name").unwrap_or(&id).to_string();
    tx.put(
        &scope,
        SslVpnServer {
            id: id.clone(),
            region: scope.region.clone(),
            vpn_gateway_id: gw.id.clone(),
            name: name.clone(),
            client_ip_pool: pool,
            local_subnet: local,
            proto: call.str("Proto").unwrap_or("UDP").to_string(),
            cipher: call.str("Cipher").unwrap_or("AES-128-CBC").to_string(),
            port,
            compress: call.params.bool("Compress").unwrap_or(false),
            created_ms: call.now_ms,
        },
    );
    touch(call, tx, &scope, gw);
    Ok(body(json!({ "SslVpnServerId": id, "Name": name })))
}

pub(super) fn modify_server(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let mut server = get_server(tx, &scope, call.required("SslVpnServerId")?)?;
    let gw = configurable(call, tx, &scope, &server.vpn_gateway_id)?;
    call.update(&mut server.name, "Name");
    call.update(&mut server.client_ip_pool, "ClientIpPool");
    call.update(&mut server.proto, "Proto");
    call.update(&mut server.cipher, "Cipher");
    let local = call.params.strings("LocalSubnet");
    if !local.is_empty() {
        server.local_subnet = local.join(",");
    }
    if let Some(port) = call.params.int("Port") {
        server.port = port;
    }
    if let Some(c) = call.params.bool("Compress") {
        server.compress = c;
    }
    check(&server.client_ip_pool, &server.local_subnet, server.port)?;
    let out = body(server.view(Some(&gw)));
    tx.put(&scope, server);
    touch(call, tx, &scope, gw);
    Ok(out)
}

pub(super) fn delete_server(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let server = get_server(tx, &scope, call.required("SslVpnServerId")?)?;
    let gw = configurable(call, tx, &scope, &server.vpn_gateway_id)?;
    if !tx.child_ids::<SslClientCert>(&scope, &server.id).is_empty() {
        return Err(HAS_CERTS.into());
    }
    tx.delete::<SslVpnServer>(&scope, &server.id);
    touch(call, tx, &scope, gw);
    Ok(Body::new())
}

pub(super) fn describe_servers(call: &Call<'_>, view: &View<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let page = Page::from_params(call.params);
    let (items, total) = view.page::<SslVpnServer>(
        &scope,
        |s| {
            call.matches("SslVpnServerId", &s.id)
                && call.matches("VpnGatewayId", &s.vpn_gateway_id)
                && call.matches("Name", &s.name)
        },
        page.offset(),
        page.size,
    );
    let items: Vec<Value> =
        items.iter().map(|s| s.view(get_gateway(view, &scope, &s.vpn_gateway_id).ok().as_ref())).collect();
    let mut out = body(json!({ "SslVpnServers": { "SslVpnServer": items } }));
    page.annotate(&mut out, total);
    Ok(out)
}

pub(super) fn create_cert(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let server = get_server(tx, &scope, call.required("SslVpnServerId")?)?;
    let gw = configurable(call, tx, &scope, &server.vpn_gateway_id)?;
    if tx.child_ids::<SslClientCert>(&scope, &server.id).len() >= call.quota(tx, &CERTS_PER_SERVER) {
        return Err(QUOTA_FULL_.into());
    }
    let id = new_id("vsc", &scope.region);
    let name = call.str("Name").unwrap_or(&id).to_string();
    tx.put(
        &scope,
        SslClientCert {
            id: id.clone(),
            region: scope.region.clone(),
            ssl_vpn_server_id: server.id,
            name: name.clone(),
            created_ms: call.now_ms,
        },
    );
    touch(call, tx, &scope, gw);
    Ok(body(json!({ "SslVpnClientCertId": id, "Name": name })))
}

pub(super) fn modify_cert(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let mut cert = get_cert(tx, &scope, call.required("SslVpnClientCertId")?)?;
    call.update(&mut cert.name, "Name");
    let out = body(json!({ "SslVpnClientCertId": cert.id, "Name": cert.name }));
    tx.put(&scope, cert);
    Ok(out)
}

pub(super) fn delete_cert(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let cert = get_cert(tx, &scope, call.required("SslVpnClientCertId")?)?;
    let server = get_server(tx, &scope, &cert.ssl_vpn_server_id)?;
    let gw = configurable(call, tx, &scope, &server.vpn_gateway_id)?;
    tx.delete::<SslClientCert>(&scope, &cert.id);
    touch(call, tx, &scope, gw);
    Ok(Body::new())
}

pub(super) fn describe_certs(call: &Call<'_>, view: &View<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let page = Page::from_params(call.params);
    let (items, total) = view.page::<SslClientCert>(
        &scope,
        |c| {
            call.matches("SslVpnClientCertId", &c.id)
                && call.matches("SslVpnServerId", &c.ssl_vpn_server_id)
                && call.matches("Name", &c.name)
        },
        page.offset(),
        page.size,
    );
    let items: Vec<Value> = items
        .iter()
        .map(|c| {
            json!({
                "SslVpnClientCertId": c.id,
                "SslVpnServerId": c.ssl_vpn_server_id,
                "RegionId": c.region,
                "Name": c.name,
                "CreateTime": c.created_ms,
                "EndTime": c.end_ms(),
                "Status": c.status(call.now_ms),
            })
        })
        .collect();
    let mut out = body(json!({ "SslVpnClientCertKeys": { "SslVpnClientCertKey": items } }));
    page.annotate(&mut out, total);
    Ok(out)
}

/// The server's connection logs: none, since no client ever connects to an emulated server.
pub(super) fn describe_logs(call: &Call<'_>, view: &View<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    get_server(view, &scope, call.required("VpnSslServerId")?)?;
    let page = Page::from_params(call.params);
    Ok(body(json!({
        "Data": { "Logs": [] },
        "Count": 0,
        "IsCompleted": true,
        "PageNumber": page.number,
        "PageSize": page.size,
    })))
}
