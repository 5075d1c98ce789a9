//! SNAT entries: a source (a vSwitch of the gateway's VPC, or a CIDR block inside it) that
//! reaches the Internet through one or more of the gateway's public addresses.

use acs_api::{validate, ApiError, ErrorDef};
use acs_store::{Entity, Read, Scope, Tx, View};
use ipnet::Ipv4Net;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{
    entry_status, in_transition, owns, table, use_of, NatGateway, Use, IPS_PER_SNAT_ENTRY, SNAT, SNAT_ENTRIES_PER_TABLE,
};
use crate::context::Call;
use crate::dispatch::{body, Body};
use crate::ids::new_id;
use crate::{havip, instance, vpc, vswitch};

pub const TABLE_NOT_FOUND: ErrorDef =
    ErrorDef::new(404, "InvalidSnatTableId.NotFound", "Specified SNAT table does not exist.");
pub const ENTRY_NOT_FOUND: ErrorDef =
    ErrorDef::new(404, "InvalidSnatEntryId.NotFound", "Specified Snat entry ID does not exist");
/// ModifySnatEntry's spelling.
pub const ENTRY_NOT_FOUND_MODIFY: ErrorDef =
    ErrorDef::new(404, "InvalidSnatEntryId.NotFound", "Specified SNAT entry does not exist.");
pub const HAS_HA_VIP: ErrorDef =
    ErrorDef::new(400, "Forbidden.SourceVSwitchId.IncludeHaVip", "There is some HaVips under specified VSwitch");
pub const TOO_MANY_IPS: ErrorDef = ErrorDef::new(400, "SNAT_IP_POOL_COUNT_TOO_MANY", "The Snat pool ip too many.");
pub const COUNT_LIMITED: ErrorDef =
    ErrorDef::new(400, "Forbidden.SnatEntryCountLimited", "SNAT entry in the specified SNAT table reaches its limit.");
pub const CIDR_OUTSIDE: ErrorDef = ErrorDef::new(
    400,
    "NOT_ALLOW_USE_SOURCECIDR",
    "The User not in nat_scope_unlimited white list. Cannot use SourceCidr param.",
);
pub const VSWITCH_NOT_FOUND: ErrorDef =
    ErrorDef::new(404, "InvalidVSwitchId.NotFound", "The specified virtual switch does not exist.");
pub const INVALID_PARAMETER: ErrorDef = ErrorDef::new(400, "INVALID_PARAMETER", "The parameter is invalid.");
pub const DUPLICATED: ErrorDef =
    ErrorDef::new(400, "Forbidden.SourceVSwitchId.Duplicated", "The specified SourceCIDR is duplicated.");
pub const IP_NOT_FOUND: ErrorDef =
    ErrorDef::new(404, "InvalidSnatIp.NotFound", "The specified SnatIp is not found in the NAT Gateway.");
pub const IP_IN_DNAT: ErrorDef =
    ErrorDef::new(400, "Forbidden.IpUsedInForwardTable", "The specified SnatIp already used in forward table.");
/// ModifySnatEntry's spelling (no final period).
pub const IP_IN_DNAT_MODIFY: ErrorDef =
    ErrorDef::new(400, "Forbidden.IpUsedInForwardTable", "The specified SnatIp already used in forward table");
pub const HAS_EIP: ErrorDef = ErrorDef::new(400, "Forbidden", "The specified Instance already bind eip");
pub const STATUS: ErrorDef =
    ErrorDef::new(400, "IncorretSnatEntryStatus", "Some Snat entry status blocked this operation..");

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SnatEntry {
    pub id: String,
    pub snat_table_id: String,
    pub nat_gateway_id: String,
    pub snat_ips: Vec<String>,
    /// "" for an entry of a CIDR block.
    pub source_vswitch_id: String,
    /// The block it translates: the vSwitch's for a vSwitch entry.
    pub source_cidr: String,
    pub name: String,
    pub created_ms: i64,
    pub modified_ms: Option<i64>,
}

impl Entity for SnatEntry {
    const KIND: &'static str = "snat_entry";
    fn id(&self) -> &str {
        &self.id
    }
    fn parent(&self) -> Option<&str> {
        Some(&self.snat_table_id)
    }
}

impl SnatEntry {
    fn status(&self, call: &Call<'_>) -> &'static str {
        entry_status(call, self.created_ms, self.modified_ms)
    }
}

pub(super) fn entries(r: &impl Read, scope: &Scope, gw: &NatGateway) -> Vec<SnatEntry> {
    r.children::<SnatEntry>(scope, &gw.snat_table_id)
}

/// The addresses of a SnatIp parameter (the description has checked their form), each once.
fn snat_ips(call: &Call<'_>) -> Result<Vec<String>, ApiError> {
    let mut ips: Vec<String> = Vec::new();
    for ip in call.required("SnatIp")?.split(',').map(str::trim) {
        if !ips.iter().any(|i| i == ip) {
            ips.push(ip.to_string());
        }
    }
    Ok(ips)
}

/// Every address is the gateway's and serves no DNAT entry; at most the quota of them.
fn check_ips(
    call: &Call<'_>,
    r: &impl Read,
    scope: &Scope,
    gw: &NatGateway,
    ips: &[String],
    in_dnat: ErrorDef,
) -> Result<(), ApiError> {
    if ips.len() > call.quota(r, &IPS_PER_SNAT_ENTRY) {
        return Err(TOO_MANY_IPS.into());
    }
    for ip in ips {
        if !owns(r, scope, &gw.id, ip) {
            return Err(IP_NOT_FOUND.into());
        }
        if use_of(r, scope, gw, ip) == Use::Dnat {
            return Err(in_dnat.into());
        }
    }
    Ok(())
}

/// The entry's source: (vSwitch id or "", its block), by the rules of CreateSnatEntry.
fn source(call: &Call<'_>, r: &impl Read, scope: &Scope, gw: &NatGateway) -> Result<(String, Ipv4Net), ApiError> {
    match (call.str("SourceVSwitchId"), call.str("SourceCIDR")) {
        (Some(vsw_id), None) => {
            let vsw = vswitch::get(r, scope, vsw_id).ok().filter(|v| v.vpc_id == gw.vpc_id).ok_or(VSWITCH_NOT_FOUND)?;
            if havip::count_in_vswitch(r, scope, &vsw.id) > 0 {
                return Err(HAS_HA_VIP.into());
            }
            let cidr = vsw.cidr().ok_or(INVALID_PARAMETER)?;
            Ok((vsw.id, cidr))
        }
        (None, Some(cidr)) => {
            let cidr = validate::parse_cidr(cidr).ok_or(INVALID_PARAMETER)?;
            let vpc = vpc::get(r, scope, &gw.vpc_id)?;
            if !vpc.cidr().is_some_and(|v| v.contains(&cidr)) {
                return Err(CIDR_OUTSIDE.into());
            }
            // An entry of one instance's address: the instance must have no public address.
            if cidr.prefix_len() == 32
                && instance::has_public_address(call, r, scope, &gw.vpc_id, &cidr.addr().to_string()) == Some(true)
            {
                return Err(HAS_EIP.into());
            }
            Ok((String::new(), cidr))
        }
        // Exactly one of them (the note of 16.17).
        _ => Err(INVALID_PARAMETER.into()),
    }
}

pub(super) fn create(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope_or(super::REGION_NOT_FOUND)?;
    let gw = table(tx, &scope, call.required("SnatTableId")?, SNAT, TABLE_NOT_FOUND)?;
    let ips = snat_ips(call)?;
    let (vswitch_id, cidr) = source(call, tx, &scope, &gw)?;
    let existing = entries(tx, &scope, &gw);
    let same_source = |e: &SnatEntry| {
        (!vswitch_id.is_empty() && e.source_vswitch_id == vswitch_id)
            || validate::parse_cidr(&e.source_cidr) == Some(cidr)
    };
    if existing.iter().any(same_source) {
        return Err(DUPLICATED.into());
    }
    check_ips(call, tx, &scope, &gw, &ips, IP_IN_DNAT)?;
    if existing.len() >= call.quota(tx, &SNAT_ENTRIES_PER_TABLE) {
        return Err(COUNT_LIMITED.into());
    }
    let id = new_id("snat", &scope.region);
    tx.put(
        &scope,
        SnatEntry {
            id: id.clone(),
            snat_table_id: gw.snat_table_id.clone(),
            nat_gateway_id: gw.id.clone(),
            snat_ips: ips,
            source_vswitch_id: vswitch_id,
            source_cidr: cidr.to_string(),
            name: call.str("SnatEntryName").unwrap_or_default().to_string(),
            created_ms: call.now_ms,
            modified_ms: None,
        },
    );
    Ok(body(json!({ "SnatEntryId": id })))
}

fn entry(r: &impl Read, scope: &Scope, gw: &NatGateway, id: &str, not_found: ErrorDef) -> Result<SnatEntry, ApiError> {
    r.get::<SnatEntry>(scope, id).filter(|e| e.snat_table_id == gw.snat_table_id).ok_or_else(|| not_found.into())
}

/// A new list of addresses for an entry that is not in transition.
pub(super) fn modify(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope_or(super::REGION_NOT_FOUND)?;
    let gw = table(tx, &scope, call.required("SnatTableId")?, SNAT, TABLE_NOT_FOUND)?;
    let mut e = entry(tx, &scope, &gw, call.required("SnatEntryId")?, ENTRY_NOT_FOUND_MODIFY)?;
    if in_transition(e.status(call)) {
        return Err(STATUS.into());
    }
    let ips = snat_ips(call)?;
    check_ips(call, tx, &scope, &gw, &ips, IP_IN_DNAT_MODIFY)?;
    e.snat_ips = ips;
    e.modified_ms = Some(call.now_ms);
    tx.put(&scope, e);
    Ok(Body::new())
}

pub(super) fn delete(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope_or(super::REGION_NOT_FOUND)?;
    let gw = table(tx, &scope, call.required("SnatTableId")?, SNAT, TABLE_NOT_FOUND)?;
    let e = entry(tx, &scope, &gw, call.required("SnatEntryId")?, ENTRY_NOT_FOUND)?;
    if in_transition(e.status(call)) {
        return Err(STATUS.into());
    }
    tx.delete::<SnatEntry>(&scope, &e.id);
    Ok(Body::new())
}

pub(super) fn describe(call: &Call<'_>, view: &View<'_>) -> Result<Body, ApiError> {
    let scope = call.scope_or(super::REGION_NOT_FOUND)?;
    let gw = table(view, &scope, call.required("SnatTableId")?, SNAT, TABLE_NOT_FOUND)?;
    let entries = entries(view, &scope, &gw);
    Ok(super::entries_page(call, entries, "SnatEntryId", ("SnatTableEntries", "SnatTableEntry"), |e| {
        json!({
            "SnatEntryId": e.id,
            "SnatTableId": e.snat_table_id,
            "SnatIp": e.snat_ips.join(","),
            "SourceVSwitchId": e.source_vswitch_id,
            "SourceCIDR": e.source_cidr,
            "Status": e.status(call),
        })
    }))
}

/// Entries go with their gateway.
pub(super) fn delete_all(tx: &mut Tx<'_>, scope: &Scope, gw: &NatGateway) {
    super::delete_children::<SnatEntry>(tx, scope, &gw.snat_table_id);
}

/// Entries lose `address` when it leaves the gateway (a package deleted with Force); an entry
/// left without addresses goes.
pub(super) fn forget_address(tx: &mut Tx<'_>, scope: &Scope, gw: &NatGateway, address: &str) {
    for mut e in entries(tx, scope, gw) {
        if e.snat_ips.iter().any(|ip| ip == address) {
            e.snat_ips.retain(|ip| ip != address);
            if e.snat_ips.is_empty() {
                tx.delete::<SnatEntry>(scope, &e.id);
            } else {
                tx.put(scope, e);
            }
        }
    }
}
