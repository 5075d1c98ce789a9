//! DNAT (forward) entries: traffic of a protocol reaching ExternalIp:ExternalPort is forwarded
//! to InternalIp:InternalPort. Two entries may not claim the same external (address, protocol,
//! port) nor the same internal one; `any` protocol or port overlaps every other.

use acs_api::{validate, ApiError, ErrorDef};
use acs_store::{Entity, Read, Scope, Tx, View};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{entry_status, in_transition, owns, table, use_of, NatGateway, Use, FORWARD, FORWARD_ENTRIES_PER_TABLE};
use crate::context::Call;
use crate::dispatch::{body, Body};
use crate::ids::new_id;
use crate::{instance, public_ip, vpc};

pub const TABLE_NOT_FOUND: ErrorDef =
    ErrorDef::new(404, "InvalidForwardTableId.NotFound", "Specified forward table does not exist.");
/// DescribeForwardTableEntries' spelling.
pub const TABLE_NOT_FOUND_DESCRIBE: ErrorDef =
    ErrorDef::new(404, "InvalidForwardTableId.NotFound", "Specified forwardTableId does not exist");
pub const ENTRY_NOT_FOUND: ErrorDef =
    ErrorDef::new(404, "InvalidForwardEntryId.NotFound", "Specified forward entry ID does not exist");
pub const EXTERNAL_PORT: ErrorDef =
    ErrorDef::new(400, "InvalidExternalPort.Malformed", "The specified ExternalPort is not a valid port.");
pub const INTERNAL_PORT: ErrorDef =
    ErrorDef::new(400, "InvalidInternalPort.Malformed", "The specified InternalPort is not a valid port.");
pub const OUTSIDE_VPC: ErrorDef =
    ErrorDef::new(400, "Forbidden.DestnationIpOutOfVpcCIDR", "The specified Internal Ip is Out of VPC CIDR.");
/// ModifyForwardEntry's message.
pub const OUTSIDE_VPC_MODIFY: ErrorDef =
    ErrorDef::new(400, "Forbidden.DestnationIpOutOfVpcCIDR", "The specified Destination Ip is Out of VPC CIDR.");
pub const STATUS: ErrorDef =
    ErrorDef::new(400, "IncorretForwardEntryStatus", "Some Forward entry status blocked this operation..");
pub const EXTERNAL_IP_NOT_FOUND: ErrorDef =
    ErrorDef::new(404, "InvalidExternalIp.NotFound", "Specified External Ip address does not found on the VRouter");
pub const IP_IN_SNAT: ErrorDef =
    ErrorDef::new(400, "Forbidden.ExternalIp.UsedInSnatTable", "The specified ExternalIp is already used in SnatTable");
pub const HAS_EIP: ErrorDef = ErrorDef::new(400, "Forbindden", "The specified Instance already bind eip");
pub const NOT_IN_GATEWAY: ErrorDef =
    ErrorDef::new(400, "InvalidIp.NotInNatgw", "The specified Ip not belong to natgateway.");
pub const QUOTA_EXCEEDED: ErrorDef =
    ErrorDef::new(400, "QuotaExceeded", "Forward entry quota exceeded in this route table.");
/// The answer to either uniqueness rule.
pub const BOUNDED: ErrorDef = ErrorDef::new(400, "Forbidden.Already.Bounded", "The specified instance already bounded");

const ANY: &str = "any";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ForwardEntry {
    pub id: String,
    pub forward_table_id: String,
    pub nat_gateway_id: String,
    pub external_ip: String,
    /// A port, a range `a/b`, or `any`.
    pub external_port: String,
    pub internal_ip: String,
    pub internal_port: String,
    /// tcp | udp | any (lower case, as DescribeForwardTableEntries shows it).
    pub ip_protocol: String,
    pub name: String,
    pub created_ms: i64,
    pub modified_ms: Option<i64>,
}

impl Entity for ForwardEntry {
    const KIND: &'static str = "forward_entry";
    fn id(&self) -> &str {
        &self.id
    }
    fn parent(&self) -> Option<&str> {
        Some(&self.forward_table_id)
    }
}

impl ForwardEntry {
    fn status(&self, call: &Call<'_>) -> &'static str {
        entry_status(call, self.created_ms, self.modified_ms)
    }

    /// Whether both entries claim the same external, or the same internal, traffic.
    pub fn clashes(&self, other: &ForwardEntry) -> bool {
        let protocols = self.ip_protocol == ANY || other.ip_protocol == ANY || self.ip_protocol == other.ip_protocol;
        protocols
            && ((self.external_ip == other.external_ip && ports_overlap(&self.external_port, &other.external_port))
                || (self.internal_ip == other.internal_ip && ports_overlap(&self.internal_port, &other.internal_port)))
    }
}

fn ports_overlap(a: &str, b: &str) -> bool {
    match (validate::parse_port(a), validate::parse_port(b)) {
        (Some((0, 0)), _) | (_, Some((0, 0))) => true,
        (Some((a1, a2)), Some((b1, b2))) => a1 <= b2 && b1 <= a2,
        _ => false,
    }
}

pub(super) fn entries(r: &impl Read, scope: &Scope, gw: &NatGateway) -> Vec<ForwardEntry> {
    r.children::<ForwardEntry>(scope, &gw.forward_table_id)
}

/// Protocol and ports agree: `any` protocol forwards every port (both ports `any`), a single
/// protocol needs numeric ports, and a range maps onto a range of the same size.
fn check_ports(e: &ForwardEntry) -> Result<(), ApiError> {
    let (Some(ext), Some(int)) = (validate::parse_port(&e.external_port), validate::parse_port(&e.internal_port))
    else {
        return Err(EXTERNAL_PORT.into());
    };
    let any_port = |p: (u16, u16)| p == (0, 0);
    if e.ip_protocol == ANY {
        if !any_port(ext) {
            return Err(EXTERNAL_PORT.into());
        }
        return if any_port(int) { Ok(()) } else { Err(INTERNAL_PORT.into()) };
    }
    if any_port(ext) {
        return Err(EXTERNAL_PORT.into());
    }
    if any_port(int) || int.1 - int.0 != ext.1 - ext.0 {
        return Err(INTERNAL_PORT.into());
    }
    Ok(())
}

/// The rules an entry (new, or as modified) must meet, in the order they are checked.
fn check(
    call: &Call<'_>,
    r: &impl Read,
    scope: &Scope,
    gw: &NatGateway,
    e: &ForwardEntry,
    outside_vpc: ErrorDef,
) -> Result<(), ApiError> {
    check_ports(e)?;
    if !owns(r, scope, &gw.id, &e.external_ip) {
        // An address someone holds (an EIP, another gateway's package) is not this gateway's;
        // any other is unknown.
        return Err(
            if public_ip::is_allocated(r, &e.external_ip) { NOT_IN_GATEWAY } else { EXTERNAL_IP_NOT_FOUND }.into()
        );
    }
    if use_of(r, scope, gw, &e.external_ip) == Use::Snat {
        return Err(IP_IN_SNAT.into());
    }
    let vpc = vpc::get(r, scope, &gw.vpc_id)?;
    let internal: std::net::Ipv4Addr = e.internal_ip.parse().map_err(|_| ApiError::from(outside_vpc))?;
    if !vpc.cidr().is_some_and(|c| c.contains(&internal)) {
        return Err(outside_vpc.into());
    }
    if instance::has_public_address(call, r, scope, &gw.vpc_id, &e.internal_ip) == Some(true) {
        return Err(HAS_EIP.into());
    }
    if entries(r, scope, gw).iter().any(|other| other.id != e.id && e.clashes(other)) {
        return Err(BOUNDED.into());
    }
    Ok(())
}

fn protocol(raw: &str) -> String {
    raw.to_ascii_lowercase()
}

/// Ports as the entry keeps them: `any` in lower case, numbers as given.
fn port(raw: &str) -> String {
    if raw.trim().eq_ignore_ascii_case(ANY) {
        ANY.to_string()
    } else {
        raw.trim().to_string()
    }
}

pub(super) fn create(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope_or(super::REGION_NOT_FOUND)?;
    let gw = table(tx, &scope, call.required("ForwardTableId")?, FORWARD, TABLE_NOT_FOUND)?;
    let existing = entries(tx, &scope, &gw);
    if existing.iter().any(|e| in_transition(e.status(call))) {
        return Err(STATUS.into());
    }
    let entry = ForwardEntry {
        id: new_id("fwd", &scope.region),
        forward_table_id: gw.forward_table_id.clone(),
        nat_gateway_id: gw.id.clone(),
        external_ip: call.required("ExternalIp")?.trim().to_string(),
        external_port: port(call.required("ExternalPort")?),
        internal_ip: call.required("InternalIp")?.trim().to_string(),
        internal_port: port(call.required("InternalPort")?),
        ip_protocol: protocol(call.required("IpProtocol")?),
        name: call.str("ForwardEntryName").unwrap_or_default().to_string(),
        created_ms: call.now_ms,
        modified_ms: None,
    };
    check(call, tx, &scope, &gw, &entry, OUTSIDE_VPC)?;
    if existing.len() >= call.quota(tx, &FORWARD_ENTRIES_PER_TABLE) {
        return Err(QUOTA_EXCEEDED.into());
    }
    let id = entry.id.clone();
    tx.put(&scope, entry);
    Ok(body(json!({ "ForwardEntryId": id })))
}

fn entry(r: &impl Read, scope: &Scope, gw: &NatGateway, id: &str) -> Result<ForwardEntry, ApiError> {
    r.get::<ForwardEntry>(scope, id)
        .filter(|e| e.forward_table_id == gw.forward_table_id)
        .ok_or_else(|| ENTRY_NOT_FOUND.into())
}

/// Any of the five parts; the result meets the rules of a new entry.
pub(super) fn modify(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope_or(super::REGION_NOT_FOUND)?;
    let gw = table(tx, &scope, call.required("ForwardTableId")?, FORWARD, TABLE_NOT_FOUND)?;
    let mut e = entry(tx, &scope, &gw, call.required("ForwardEntryId")?)?;
    if in_transition(e.status(call)) {
        return Err(STATUS.into());
    }
    if let Some(v) = call.str("ExternalIp") {
        e.external_ip = v.trim().to_string();
    }
    if let Some(v) = call.str("InternalIp") {
        e.internal_ip = v.trim().to_string();
    }
    if let Some(v) = call.str("ExternalPort") {
        e.external_port = port(v);
    }
    if let Some(v) = call.str("InternalPort") {
        e.internal_port = port(v);
    }
    if let Some(v) = call.str("IpProtocol") {
        e.ip_protocol = protocol(v);
    }
    check(call, tx, &scope, &gw, &e, OUTSIDE_VPC_MODIFY)?;
    e.modified_ms = Some(call.now_ms);
    tx.put(&scope, e);
    Ok(Body::new())
}

pub(super) fn delete(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope_or(super::REGION_NOT_FOUND)?;
    let gw = table(tx, &scope, call.required("ForwardTableId")?, FORWARD, TABLE_NOT_FOUND)?;
    let e = entry(tx, &scope, &gw, call.required("ForwardEntryId")?)?;
    if in_transition(e.status(call)) {
        return Err(STATUS.into());
    }
    tx.delete::<ForwardEntry>(&scope, &e.id);
    Ok(Body::new())
}

pub(super) fn describe(call: &Call<'_>, view: &View<'_>) -> Result<Body, ApiError> {
    let scope = call.scope_or(super::REGION_NOT_FOUND)?;
    let gw = table(view, &scope, call.required("ForwardTableId")?, FORWARD, TABLE_NOT_FOUND_DESCRIBE)?;
    let entries = entries(view, &scope, &gw);
    Ok(super::entries_page(call, entries, "ForwardEntryId", ("ForwardTableEntries", "ForwardTableEntry"), |e| {
        json!({
            "ForwardEntryId": e.id,
            "ForwardTableId": e.forward_table_id,
            "ExternalIp": e.external_ip,
            "ExternalPort": e.external_port,
            "InternalIp": e.internal_ip,
            "InternalPort": e.internal_port,
            "IpProtocol": e.ip_protocol,
            "Status": e.status(call),
        })
    }))
}

/// Entries go with their gateway.
pub(super) fn delete_all(tx: &mut Tx<'_>, scope: &Scope, gw: &NatGateway) {
    super::delete_children::<ForwardEntry>(tx, scope, &gw.forward_table_id);
}

/// Entries of `address` go when it leaves the gateway (a package deleted with Force).
pub(super) fn forget_address(tx: &mut Tx<'_>, scope: &Scope, gw: &NatGateway, address: &str) {
    for e in entries(tx, scope, gw) {
        if e.external_ip == address {
            tx.delete::<ForwardEntry>(scope, &e.id);
        }
    }
}
