//! The whole state as one JSON document (`GET /_emulator/state`), and its replacement by such a
//! document (`POST /_emulator/state`, `serve --import FILE`).
//!
//! Format (version 1): `{"format": "alicloud-emulator-state", "version": 1, "exported_at",
//! "resources": [{"kind", "account", "region", "id", "parent", "seq", "body"}]}`: every stored
//! record, as the store keeps it: resources of every account and region, billing (kinds
//! `billing_account`, `order`), the clock offset (`clock`), quota overrides (`quota`), registered
//! AccessKeys (`access_key`), ClientTokens... A document is checked whole before anything
//! changes: known kind, every body decodes as that kind with the row's id and parent, no
//! duplicate; the first problem is reported with the row's position.

use std::collections::HashSet;

use acs_store::{Entity, Row, Scope};
use serde_json::{json, Value};

use crate::clock::format_time;
use crate::context::Cloud;

pub const FORMAT: &str = "alicloud-emulator-state";
pub const VERSION: u64 = 1;

/// Decodes a stored body as one kind, giving back its id and parent.
pub type Check = fn(&str) -> Result<(String, Option<String>), String>;

/// One kind of stored record and how to check a body of it.
#[derive(Clone, Copy)]
pub struct Kind {
    pub name: &'static str,
    pub check: Check,
}

fn check<T: Entity>(body: &str) -> Result<(String, Option<String>), String> {
    let value = serde_json::from_str::<T>(body).map_err(|e| e.to_string())?;
    Ok((value.id().to_string(), value.parent().map(str::to_string)))
}

/// The kind of `T`.
pub const fn kind<T: Entity>() -> Kind {
    Kind { name: T::KIND, check: check::<T> }
}

/// Every kind the emulated cloud stores.
pub fn kinds() -> Vec<Kind> {
    use crate::*;
    vec![
        kind::<vpc::Vpc>(),
        kind::<vswitch::VSwitch>(),
        kind::<vrouter::VRouter>(),
        kind::<route_table::RouteTable>(),
        kind::<route_table::RouteEntry>(),
        kind::<havip::HaVip>(),
        kind::<instance::Instance>(),
        kind::<public_ip::PublicIp>(),
        kind::<public_ip::Cursor>(),
        kind::<eip::Eip>(),
        kind::<eip::RemoteBinding>(),
        kind::<eip::package::Package>(),
        kind::<eip::ga::Ga>(),
        kind::<security_group::SecurityGroup>(),
        kind::<billing::BillingAccount>(),
        kind::<billing::Order>(),
        kind::<physical_connection::PhysicalConnection>(),
        kind::<physical_connection::Owner>(),
        kind::<vbr::VirtualBorderRouter>(),
        kind::<router_interface::RouterInterface>(),
        kind::<bgp::BgpGroup>(),
        kind::<bgp::BgpPeer>(),
        kind::<bgp::BgpNetwork>(),
        kind::<flow_log::FlowLog>(),
        kind::<vpn::VpnGateway>(),
        kind::<vpn::CustomerGateway>(),
        kind::<vpn::VpnConnection>(),
        kind::<vpn::VpnRoute>(),
        kind::<vpn::SslVpnServer>(),
        kind::<vpn::SslClientCert>(),
        kind::<nat::NatGateway>(),
        kind::<nat::NatTable>(),
        kind::<nat::NatPackage>(),
        kind::<nat::SnatEntry>(),
        kind::<nat::ForwardEntry>(),
        kind::<tag::TagSet>(),
        kind::<key_pair::KeyPair>(),
        kind::<idempotency::ClientToken>(),
        kind::<quota::QuotaOverride>(),
        kind::<clock::ClockOffset>(),
    ]
}

/// The whole state as a document of the current format.
pub fn export(cloud: &Cloud) -> Result<Value, String> {
    let rows = cloud.store.export().map_err(|e| e.to_string())?;
    let resources: Vec<Value> = rows
        .into_iter()
        .map(|r| {
            let body = serde_json::from_str::<Value>(&r.body).unwrap_or(Value::String(r.body));
            json!({
                "kind": r.kind,
                "account": r.scope.account,
                "region": r.scope.region,
                "id": r.id,
                "parent": r.parent,
                "seq": r.seq,
                "body": body,
            })
        })
        .collect();
    Ok(json!({
        "format": FORMAT,
        "version": VERSION,
        "exported_at": format_time(cloud.clock.now_ms()),
        "resources": resources,
    }))
}

/// Checks a document whole and turns it into rows; `kinds` are the kinds it may hold.
pub fn parse(doc: &Value, kinds: &[Kind]) -> Result<Vec<Row>, String> {
    let doc = doc.as_object().ok_or("the state document must be a JSON object")?;
    if doc.get("format").and_then(Value::as_str) != Some(FORMAT) {
        return Err(format!("\"format\" must be \"{FORMAT}\""));
    }
    match doc.get("version").and_then(Value::as_u64) {
        Some(VERSION) => {}
        other => return Err(format!("unsupported \"version\" {other:?}: this server reads version {VERSION}")),
    }
    let resources = doc.get("resources").and_then(Value::as_array).ok_or("\"resources\" must be an array")?;
    let mut seen = HashSet::new();
    let mut seqs = HashSet::new();
    resources
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let row = parse_row(r, kinds).map_err(|e| format!("resources[{i}]: {e}"))?;
            let scope = (row.kind.clone(), row.scope.clone());
            if !seen.insert((scope.clone(), row.id.clone())) {
                return Err(format!("resources[{i}]: {} {} appears twice", row.kind, row.id));
            }
            if !seqs.insert((scope, row.seq)) {
                return Err(format!("resources[{i}]: seq {} is used twice in its partition", row.seq));
            }
            Ok(row)
        })
        .collect()
}

fn parse_row(r: &Value, kinds: &[Kind]) -> Result<Row, String> {
    let r = r.as_object().ok_or("must be an object")?;
    let text = |name: &str| -> Result<String, String> {
        r.get(name).and_then(Value::as_str).map(str::to_string).ok_or(format!("\"{name}\" must be a string"))
    };
    let kind_name = text("kind")?;
    let kind = kinds.iter().find(|k| k.name == kind_name).ok_or(format!("unknown kind {kind_name:?}"))?;
    let id = text("id")?;
    let parent = match r.get("parent") {
        None | Some(Value::Null) => None,
        Some(Value::String(p)) => Some(p.clone()),
        Some(_) => return Err("\"parent\" must be a string or null".into()),
    };
    let seq = r.get("seq").and_then(Value::as_u64).ok_or("\"seq\" must be a whole number")?;
    let body = match r.get("body") {
        Some(b @ Value::Object(_)) => b.to_string(),
        _ => return Err("\"body\" must be an object".into()),
    };
    let (body_id, body_parent) = (kind.check)(&body).map_err(|e| format!("{kind_name} {id}: {e}"))?;
    if body_id != id {
        return Err(format!("{kind_name} {id}: the body's id is {body_id:?}"));
    }
    if body_parent != parent {
        return Err(format!("{kind_name} {id}: \"parent\" is {parent:?} but the body's is {body_parent:?}"));
    }
    Ok(Row { kind: kind_name, scope: Scope::new(text("account")?, text("region")?), id, parent, seq, body })
}

impl Cloud {
    /// Replaces the whole state with checked rows (see [`parse`]); the clock follows.
    pub fn replace_state(&self, rows: Vec<Row>) -> Result<(), String> {
        self.store.replace(rows).map_err(|e| e.to_string())?;
        self.load_clock();
        Ok(())
    }
}
