//! Route entries (VPC reference chapter 9.8-9.11). Custom entries are stored; System entries are
//! derived when shown (one per vSwitch block in every table of the VPC, plus the cloud-service
//! route 100.64.0.0/10 in the System table), so they can never disagree with the vSwitches.

use acs_api::common::not_supplied;
use acs_api::{ApiError, ErrorDef, Value as Param};
use acs_store::{Entity, Read, Scope, Tx, View};
use ipnet::IpNet;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::next_hop::{self, HA_VIP, ROUTER_INTERFACE};
use super::{get, RouteTable, CUSTOM, SYSTEM};
use crate::context::Call;
use crate::dispatch::{body, Body};
use crate::ids::new_id;
use crate::quota::Quota;
use crate::{billing, physical_connection, status, vbr, vpc, vswitch};

pub const MISSING_PARAMETER: ErrorDef = ErrorDef::new(400, "MissingParameter", "Miss mandatory parameter.");
pub const INVALID_CIDR_MALFORMED: ErrorDef =
    ErrorDef::new(400, "InvalidCidrBlock.Malformed", "Specified CIDR block is not valid.");
pub const INVALID_CIDR: ErrorDef = ErrorDef::new(400, "InvalidCidrBlock", "Specified CIDR block is not valid.");
pub const CIDR_DUPLICATE: ErrorDef =
    ErrorDef::new(400, "InvalidCIDRBlock.Duplicate", "Specified CIDR block is already exists.");
pub const ROUTE_ENTRY_DUPLICATE: ErrorDef =
    ErrorDef::new(400, "InvalidRouteEntry.Duplicate", "The route entry already exist.");
pub const QUOTA_EXCEEDED: ErrorDef =
    ErrorDef::new(400, "QuotaExceeded", "Route entry quota exceeded in this route table.");
pub const ROUTE_ENTRY_STATUS_BLOCKED: ErrorDef =
    ErrorDef::new(400, "IncorrectRouteEntryStatus", "Some route entry status blocked this operation.");
pub const ROUTE_ENTRY_STATUS_ERROR: ErrorDef =
    ErrorDef::new(400, "IncorrectRouteEntryStatus", "Specified routeEntry status error.");
pub const VPC_NOT_STABLE: ErrorDef = ErrorDef::new(400, "IncorrectRouteEntryStatus", "Vpc NotStable route entry.");
pub const INVALID_NEXT_HOP_TYPE: ErrorDef =
    ErrorDef::new(400, "InvalidNextHopType", "Specified parameter \"NextHopType\" is not valid");
pub const BOTH_NULL: ErrorDef =
    ErrorDef::new(400, "InvalidNexthopTypeAndList.BothNull", "both nexthopType and nextHopList are null.");
pub const BOTH_NOT_NULL: ErrorDef =
    ErrorDef::new(400, "InvalidNexthopTypeAndList.BothNotNull", "both nexthopType and nextHopList are not null.");
pub const LIST_SIZE: ErrorDef =
    ErrorDef::new(400, "InvalidNexthopListSize", "nexthop size is illegal. Must be between 2 and 4.");
pub const INVALID_WEIGHT: ErrorDef = ErrorDef::new(400, "INVALID_WEIGHT_PARAM", "Specified value of weight invalid");
pub const HA_VIP_ROUTE_LIMIT: ErrorDef = ErrorDef::new(
    400,
    "CountLimitExceed.HaVipRouteEntry",
    "There can be 5 route entry to HaVip at most in one route table.",
);
pub const ROUTE_ENTRY_NOT_FOUND: ErrorDef = ErrorDef::new(404, "InvalidRouteEntry.NotFound", "Route entry not exists.");
pub const SYSTEM_ENTRY_DENIED: ErrorDef =
    ErrorDef::new(400, "OperationDenied", "Specified operation is denied as route entry type is system.");

pub const INVALID_VBR_STATUS: ErrorDef =
    ErrorDef::new(400, "InvalidVBRStatus", "invalid virtual border router status.");
pub const INVALID_PC_BUSINESS_STATUS: ErrorDef =
    ErrorDef::new(400, "InvalidPhysicalConnectionBusinessStatus", "invalid physical connection business status.");

pub const ERRORS: &[ErrorDef] = &[
    MISSING_PARAMETER,
    INVALID_CIDR_MALFORMED,
    INVALID_CIDR,
    CIDR_DUPLICATE,
    ROUTE_ENTRY_DUPLICATE,
    QUOTA_EXCEEDED,
    ROUTE_ENTRY_STATUS_BLOCKED,
    ROUTE_ENTRY_STATUS_ERROR,
    VPC_NOT_STABLE,
    INVALID_NEXT_HOP_TYPE,
    BOTH_NULL,
    BOTH_NOT_NULL,
    LIST_SIZE,
    INVALID_WEIGHT,
    HA_VIP_ROUTE_LIMIT,
    ROUTE_ENTRY_NOT_FOUND,
    SYSTEM_ENTRY_DENIED,
    INVALID_VBR_STATUS,
    INVALID_PC_BUSINESS_STATUS,
];

/// Custom entries per route table (documented).
pub const ENTRIES_PER_TABLE: Quota =
    Quota { name: "route_entries_per_table", default: 48, about: "custom route entries in one route table" };
/// Entries pointing at one HaVip per route table (documented).
pub const ENTRIES_PER_HA_VIP: Quota = Quota {
    name: "route_entries_per_havip",
    default: 5,
    about: "route entries of one route table pointing at one HaVip",
};
/// The cloud-service range: no custom route may point into it.
const SERVICE_RANGE: &str = "100.64.0.0/10";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hop {
    pub next_hop_type: String,
    pub next_hop_id: String,
    pub weight: i64,
}

/// A custom route entry.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RouteEntry {
    pub id: String,
    pub route_table_id: String,
    pub vpc_id: String,
    /// As the caller wrote it (clients compare it verbatim); compared by network.
    pub destination: String,
    /// One next hop, or several (ECMP).
    pub hops: Vec<Hop>,
    pub name: String,
    pub description: String,
    pub created_ms: i64,
}

impl Entity for RouteEntry {
    const KIND: &'static str = "route_entry";
    fn id(&self) -> &str {
        &self.id
    }
    fn parent(&self) -> Option<&str> {
        Some(&self.route_table_id)
    }
}

/// A destination: an address without a mask is a /32 (IPv4) or /128 (IPv6) route.
fn parse_destination(s: &str) -> Option<IpNet> {
    let s = s.trim();
    if let Ok(net) = s.parse::<IpNet>() {
        return Some(net.trunc());
    }
    s.parse::<std::net::IpAddr>().ok().map(IpNet::from)
}

impl RouteEntry {
    /// The destination as a network (host bits cleared).
    pub fn network(&self) -> Option<IpNet> {
        parse_destination(&self.destination)
    }
}

/// An entry as Describe calls show it.
pub(crate) struct Shown {
    id: String,
    table_id: String,
    destination: String,
    kind: &'static str,
    status: &'static str,
    hops: Vec<Hop>,
    name: String,
    description: String,
    region: String,
}

impl Shown {
    fn ecmp(&self) -> bool {
        self.hops.len() > 1
    }

    fn first_hop(&self) -> (&str, &str) {
        match (self.ecmp(), self.hops.first()) {
            (false, Some(h)) => (&h.next_hop_type, &h.next_hop_id),
            _ => ("", ""),
        }
    }

    fn ip_version(&self) -> &'static str {
        if self.destination.contains(':') {
            "IPv6"
        } else {
            "IPv4"
        }
    }

    /// The RouteEntry item of DescribeRouteTables.
    pub(crate) fn table_view(&self) -> Value {
        let (hop_type, hop_id) = self.first_hop();
        let hops: Vec<Value> = if self.ecmp() {
            self.hops
                .iter()
                .map(|h| json!({ "NextHopType": h.next_hop_type, "NextHopId": h.next_hop_id, "Enabled": 1, "Weight": h.weight }))
                .collect()
        } else {
            Vec::new()
        };
        json!({
            "RouteTableId": self.table_id,
            "RouteEntryId": self.id,
            "DestinationCidrBlock": self.destination,
            "Type": self.kind,
            "Status": self.status,
            "NextHopType": hop_type,
            "InstanceId": hop_id,
            "RouteEntryName": self.name,
            "Description": self.description,
            "NextHops": { "NextHop": hops },
        })
    }

    /// The RouteEntry item of DescribeRouteEntryList.
    fn list_view(&self) -> Value {
        let hops: Vec<Value> = self
            .hops
            .iter()
            .map(|h| {
                json!({
                    "NextHopType": h.next_hop_type,
                    "NextHopId": h.next_hop_id,
                    "Enabled": 1,
                    "Weight": h.weight,
                    "NextHopRegionId": self.region,
                    "NextHopRelatedInfo": { "InstanceId": "", "InstanceType": "", "RegionId": "" },
                })
            })
            .collect();
        json!({
            "RouteEntryId": self.id,
            "RouteTableId": self.table_id,
            "DestinationCidrBlock": self.destination,
            "IpVersion": self.ip_version(),
            "Type": self.kind,
            "Status": self.status,
            "RouteEntryName": self.name,
            "Description": self.description,
            "NextHops": { "NextHop": hops },
        })
    }
}

/// A stable id for a derived System entry.
fn system_entry_id(table_id: &str, destination: &str) -> String {
    format!("rte-{:016x}", crate::ids::stable_hash(&format!("{table_id}/{destination}")))
}

/// The System entries of a table (derived, never stored).
fn system_entries(call: &Call<'_>, r: &impl Read, scope: &Scope, table: &RouteTable) -> Vec<Shown> {
    let mut out: Vec<(String, &str, i64)> =
        vswitch::in_vpc(r, scope, &table.vpc_id).into_iter().map(|v| (v.cidr_block, "local", v.created_ms)).collect();
    // The cloud-service route belongs to VPCs; a VBR's table starts empty.
    if table.is_system() && !table.is_vbr() {
        out.push((SERVICE_RANGE.to_string(), "service", table.created_ms));
    }
    out.into_iter()
        .map(|(destination, hop_type, since)| Shown {
            id: system_entry_id(&table.id, &destination),
            table_id: table.id.clone(),
            kind: SYSTEM,
            status: status::pending_or_available(call, since),
            hops: vec![Hop { next_hop_type: hop_type.into(), next_hop_id: String::new(), weight: 0 }],
            name: String::new(),
            description: String::new(),
            region: scope.region.clone(),
            destination,
        })
        .collect()
}

fn shown(call: &Call<'_>, scope: &Scope, e: &RouteEntry) -> Shown {
    Shown {
        id: e.id.clone(),
        table_id: e.route_table_id.clone(),
        destination: e.destination.clone(),
        kind: CUSTOM,
        status: status::pending_or_available(call, e.created_ms),
        hops: e.hops.clone(),
        name: e.name.clone(),
        description: e.description.clone(),
        region: scope.region.clone(),
    }
}

pub(crate) fn custom_of_table(r: &impl Read, scope: &Scope, table_id: &str) -> Vec<RouteEntry> {
    r.children::<RouteEntry>(scope, table_id)
}

/// Removes every custom entry of a table (its router is being deleted).
pub(crate) fn delete_all_of_table(tx: &mut Tx<'_>, scope: &Scope, table_id: &str) {
    for e in tx.child_ids::<RouteEntry>(scope, table_id) {
        tx.delete::<RouteEntry>(scope, &e);
    }
}

/// Every entry of a table, System first.
pub(crate) fn all_of_table(call: &Call<'_>, r: &impl Read, scope: &Scope, table: &RouteTable) -> Vec<Shown> {
    let mut out = system_entries(call, r, scope, table);
    out.extend(custom_of_table(r, scope, &table.id).iter().map(|e| shown(call, scope, e)));
    out
}

/// Whether any entry of the table, System entries of new vSwitches included, is still Pending.
fn any_pending(call: &Call<'_>, r: &impl Read, scope: &Scope, table: &RouteTable) -> bool {
    all_of_table(call, r, scope, table).iter().any(|e| e.status == status::PENDING)
}

/// The next hops a CreateRouteEntry call asks for, with the documented combination rules.
fn requested_hops(call: &Call<'_>) -> Result<Vec<Hop>, ApiError> {
    let list = call.params.objects("NextHopList");
    let single_type = call.str("NextHopType");
    let single_id = call.str("NextHopId");
    match (list.is_empty(), single_type.is_some() || single_id.is_some()) {
        (false, true) => return Err(BOTH_NOT_NULL.into()),
        (true, false) => return Err(BOTH_NULL.into()),
        (true, true) => {
            // NextHopType defaults to Instance, as documented.
            let hop_type = single_type.unwrap_or(next_hop::INSTANCE);
            if !next_hop::TYPES.contains(&hop_type) {
                return Err(INVALID_NEXT_HOP_TYPE.into());
            }
            let id = single_id.ok_or_else(|| MISSING_PARAMETER.with_message(not_supplied("NextHopId")))?;
            return Ok(vec![Hop { next_hop_type: hop_type.into(), next_hop_id: id.into(), weight: 0 }]);
        }
        (false, false) => {}
    }
    if !(2..=4).contains(&list.len()) {
        return Err(LIST_SIZE.into());
    }
    list.iter()
        .enumerate()
        .map(|(i, item)| {
            let text = |k: &str| item.get(k).and_then(Param::as_str);
            let hop_type = text("NextHopType").unwrap_or(ROUTER_INTERFACE);
            // ECMP next hops can only be router interfaces (documented valid value).
            if hop_type != ROUTER_INTERFACE {
                return Err(ApiError::from(INVALID_NEXT_HOP_TYPE));
            }
            let id = text("NextHopId").ok_or_else(|| {
                MISSING_PARAMETER.with_message(not_supplied(&format!("NextHopList.{}.NextHopId", i + 1)))
            })?;
            let weight = match item.get("Weight") {
                Some(Param::Int(w)) if (0..=255).contains(w) => *w,
                Some(_) => return Err(INVALID_WEIGHT.into()),
                None => 100,
            };
            Ok(Hop { next_hop_type: hop_type.into(), next_hop_id: id.into(), weight })
        })
        .collect()
}

/// The destination may not be in the cloud-service range nor contain or fall inside a vSwitch
/// block of the VPC.
fn check_destination(r: &impl Read, scope: &Scope, vpc_id: &str, dest: &IpNet) -> Result<(), ApiError> {
    let service: IpNet = SERVICE_RANGE.parse().map_err(ApiError::internal)?;
    if service.contains(dest) {
        return Err(INVALID_CIDR.into());
    }
    // The default route contains every block, yet it is the route every VPC needs (to a NAT
    // gateway or a firewall instance) and the real service accepts it: the containment rule below
    // applies to the other destinations.
    if dest.prefix_len() == 0 {
        return Ok(());
    }
    let clashes = vswitch::in_vpc(r, scope, vpc_id)
        .iter()
        .filter_map(|v| v.cidr())
        .map(IpNet::V4)
        .any(|v| v.contains(dest) || dest.contains(&v));
    if clashes {
        return Err(INVALID_CIDR.into());
    }
    Ok(())
}

/// A VBR takes routes while it is active and none of its connections is FinancialLocked (an
/// Enabled connection of an overdue account, as DescribePhysicalConnections shows it).
fn check_vbr(call: &Call<'_>, r: &impl Read, scope: &Scope, vbr_id: &str) -> Result<(), ApiError> {
    // The table goes with its VBR, so the VBR exists.
    let Some(vbr) = vbr::get(r, scope, vbr_id) else {
        return Ok(());
    };
    if vbr.status(call) != vbr::ACTIVE {
        return Err(INVALID_VBR_STATUS.into());
    }
    let locked = billing::is_overdue(r, call.account)
        && vbr.associations.iter().any(|a| {
            physical_connection::get(r, scope, &a.physical_connection_id)
                .is_some_and(|pc| pc.current_status(call) == physical_connection::ENABLED)
        });
    if locked {
        return Err(INVALID_PC_BUSINESS_STATUS.into());
    }
    Ok(())
}

pub(crate) fn create_route_entry(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let table = get(tx, &scope, call.required("RouteTableId")?)?;
    // A VBR's table has no VPC and no vSwitches to clash with.
    if table.is_vbr() {
        check_vbr(call, tx, &scope, &table.vpc_id)?;
    } else {
        vpc::get_available(call, tx, &scope, &table.vpc_id)?;
    }
    let raw_dest = call.required("DestinationCidrBlock")?;
    let dest = parse_destination(raw_dest).ok_or(INVALID_CIDR_MALFORMED)?;
    let hops = requested_hops(call)?;
    if !table.is_vbr() {
        check_destination(tx, &scope, &table.vpc_id, &dest)?;
    }
    if any_pending(call, tx, &scope, &table) {
        return Err(ROUTE_ENTRY_STATUS_BLOCKED.into());
    }
    let existing = custom_of_table(tx, &scope, &table.id);
    if let Some(same) = existing.iter().find(|e| e.network() == Some(dest)) {
        return Err(if same.hops == hops { ROUTE_ENTRY_DUPLICATE } else { CIDR_DUPLICATE }.into());
    }
    if existing.len() >= call.quota(tx, &ENTRIES_PER_TABLE) {
        return Err(QUOTA_EXCEEDED.into());
    }
    for hop in &hops {
        next_hop::check(call, tx, &scope, &table.vpc_id, &hop.next_hop_type, &hop.next_hop_id)?;
        if hop.next_hop_type == HA_VIP {
            let to_same = existing.iter().filter(|e| e.hops.iter().any(|h| h.next_hop_id == hop.next_hop_id)).count();
            if to_same >= call.quota(tx, &ENTRIES_PER_HA_VIP) {
                return Err(HA_VIP_ROUTE_LIMIT.into());
            }
        }
    }
    let id = new_id("rte", &scope.region);
    tx.put(
        &scope,
        RouteEntry {
            id: id.clone(),
            route_table_id: table.id,
            vpc_id: table.vpc_id,
            destination: raw_dest.trim().to_string(),
            hops,
            name: call.str("RouteEntryName").unwrap_or_default().to_string(),
            description: call.str("Description").unwrap_or_default().to_string(),
            created_ms: call.now_ms,
        },
    );
    Ok(body(json!({ "RouteEntryId": id })))
}

/// Adds a route to `next_hop_id` (of `next_hop_type`, owned by another family) to the VPC's
/// system table, as a VPN gateway publishing its routes does: the destination rules, the quota
/// and the next-hop check of CreateRouteEntry apply; the same route already there is kept.
pub fn add_published(
    call: &Call<'_>,
    tx: &mut Tx<'_>,
    scope: &Scope,
    vpc_id: &str,
    destination: &str,
    next_hop_type: &str,
    next_hop_id: &str,
) -> Result<(), ApiError> {
    let dest = parse_destination(destination).ok_or(INVALID_CIDR_MALFORMED)?;
    let table = super::tables_of_vpc(tx, scope, vpc_id)
        .into_iter()
        .find(RouteTable::is_system)
        .ok_or(super::INVALID_ROUTE_TABLE_ID_NOT_FOUND)?;
    check_destination(tx, scope, vpc_id, &dest)?;
    let hops = vec![Hop { next_hop_type: next_hop_type.into(), next_hop_id: next_hop_id.into(), weight: 0 }];
    let existing = custom_of_table(tx, scope, &table.id);
    if let Some(same) = existing.iter().find(|e| e.network() == Some(dest)) {
        return if same.hops == hops { Ok(()) } else { Err(CIDR_DUPLICATE.into()) };
    }
    if existing.len() >= call.quota(tx, &ENTRIES_PER_TABLE) {
        return Err(QUOTA_EXCEEDED.into());
    }
    next_hop::check(call, tx, scope, vpc_id, next_hop_type, next_hop_id)?;
    tx.put(
        scope,
        RouteEntry {
            id: new_id("rte", &scope.region),
            route_table_id: table.id,
            vpc_id: vpc_id.to_string(),
            destination: destination.trim().to_string(),
            hops,
            name: String::new(),
            description: String::new(),
            created_ms: call.now_ms,
        },
    );
    Ok(())
}

/// Removes the routes to `next_hop_id` for `destination` from the VPC's tables (withdrawing a
/// published route).
pub fn remove_published(tx: &mut Tx<'_>, scope: &Scope, vpc_id: &str, destination: &str, next_hop_id: &str) {
    let dest = parse_destination(destination);
    for table in super::tables_of_vpc(tx, scope, vpc_id) {
        for e in custom_of_table(tx, scope, &table.id) {
            if e.network() == dest && e.hops.iter().any(|h| h.next_hop_id == next_hop_id) {
                tx.delete::<RouteEntry>(scope, &e.id);
            }
        }
    }
}

pub(crate) fn delete_route_entry(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let table = get(tx, &scope, call.required("RouteTableId")?)?;
    if !table.is_vbr() {
        vpc::get_available(call, tx, &scope, &table.vpc_id)?;
    }
    let dest = parse_destination(call.required("DestinationCidrBlock")?).ok_or(ROUTE_ENTRY_NOT_FOUND)?;
    if system_entries(call, tx, &scope, &table).iter().any(|e| parse_destination(&e.destination) == Some(dest)) {
        return Err(SYSTEM_ENTRY_DENIED.into());
    }
    let mut wanted_hops: Vec<String> = call
        .params
        .objects("NextHopList")
        .iter()
        .filter_map(|h| h.get("NextHopId").and_then(Param::as_str).map(str::to_string))
        .collect();
    wanted_hops.extend(call.str("NextHopId").map(str::to_string));
    let entries = custom_of_table(tx, &scope, &table.id);
    let entry = entries
        .iter()
        .find(|e| e.network() == Some(dest) && wanted_hops.iter().all(|w| e.hops.iter().any(|h| &h.next_hop_id == w)))
        .ok_or(ROUTE_ENTRY_NOT_FOUND)?;
    if !call.settled(entry.created_ms) {
        return Err(ROUTE_ENTRY_STATUS_ERROR.into());
    }
    if any_pending(call, tx, &scope, &table) {
        return Err(VPC_NOT_STABLE.into());
    }
    tx.delete::<RouteEntry>(&scope, &entry.id);
    Ok(Body::new())
}

pub(crate) fn modify_route_entry(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let mut entry = tx.get::<RouteEntry>(&scope, call.required("RouteEntryId")?).ok_or(ROUTE_ENTRY_NOT_FOUND)?;
    call.update(&mut entry.name, "RouteEntryName");
    call.update(&mut entry.description, "Description");
    tx.put(&scope, entry);
    Ok(Body::new())
}

/// Entries of one table with the documented filters, paged by NextToken / MaxResult (the token
/// is the offset of the next entry, opaque to clients).
pub(crate) fn describe_route_entry_list(call: &Call<'_>, view: &View<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let table = get(view, &scope, call.required("RouteTableId")?)?;
    let dest =
        call.str("DestinationCidrBlock").map(|d| parse_destination(d).ok_or(INVALID_CIDR_MALFORMED)).transpose()?;
    let matches = |e: &Shown| {
        dest.is_none_or(|d| parse_destination(&e.destination) == Some(d))
            && call.str("IpVersion").is_none_or(|v| v.eq_ignore_ascii_case(e.ip_version()))
            && call.str("NextHopId").is_none_or(|v| e.hops.iter().any(|h| h.next_hop_id == v))
            && call.str("NextHopType").is_none_or(|v| e.hops.iter().any(|h| h.next_hop_type == v))
            && call.str("RouteEntryId").is_none_or(|v| v == e.id)
            && call.str("RouteEntryName").is_none_or(|v| v == e.name)
            && call.str("RouteEntryType").is_none_or(|v| v.eq_ignore_ascii_case(e.kind))
    };
    let all: Vec<Shown> = all_of_table(call, view, &scope, &table).into_iter().filter(|e| matches(e)).collect();
    let start = match call.str("NextToken") {
        Some(t) => t.parse::<usize>().map_err(|_| acs_api::common::invalid_parameter("NextToken", "unknown token"))?,
        None => 0,
    };
    let max = call.params.int("MaxResult").unwrap_or(50).clamp(1, 100) as usize;
    let page: Vec<Value> = all.iter().skip(start).take(max).map(Shown::list_view).collect();
    let next = if start + max < all.len() { (start + max).to_string() } else { String::new() };
    Ok(body(json!({ "NextToken": next, "RouteEntrys": { "RouteEntry": page } })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destinations_without_mask_are_host_routes() {
        assert_eq!(parse_destination("10.1.2.3"), "10.1.2.3/32".parse().ok());
        assert_eq!(parse_destination("192.168.0.1/24"), "192.168.0.0/24".parse().ok());
        assert_eq!(parse_destination("2408::1"), "2408::1/128".parse().ok());
        assert_eq!(parse_destination("nonsense"), None);
    }

    #[test]
    fn system_entry_ids_are_stable() {
        assert_eq!(system_entry_id("vtb-1", "10.0.0.0/24"), system_entry_id("vtb-1", "10.0.0.0/24"));
        assert_ne!(system_entry_id("vtb-1", "10.0.0.0/24"), system_entry_id("vtb-2", "10.0.0.0/24"));
    }
}
