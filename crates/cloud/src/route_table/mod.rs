//! Route tables (VPC reference chapter 9.1-9.7): every VPC has one System table, created with
//! it, plus Custom tables that vSwitches of the same VPC can be associated with. Route entries
//! live in [`entries`].

mod entries;
mod next_hop;

use acs_api::{ApiError, ErrorDef};
use acs_store::{Entity, Read, Scope, Tx, View};
use ipnet::IpNet;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

pub use entries::{
    add_published, remove_published, RouteEntry, CIDR_DUPLICATE, ENTRIES_PER_HA_VIP, ENTRIES_PER_TABLE,
    ERRORS as ENTRY_ERRORS, ROUTE_ENTRY_STATUS_BLOCKED,
};
pub use next_hop::{
    ERRORS as NEXT_HOP_ERRORS, HA_VIP, INCORRECT_HA_VIP_STATUS, INCORRECT_INSTANCE_STATUS, INSTANCE,
    INVALID_HA_VIP_NOT_FOUND, NAT_GATEWAY, ROUTER_INTERFACE, VPN_GATEWAY,
};

use crate::clock::format_time;
use crate::context::Call;
use crate::dispatch::{body, Actions, Body, Handler};
use crate::ids::new_id;
use crate::paging::Page;
use crate::{status, tag, vpc, vswitch};

/// The ResourceType of route tables in VPC TagResources.
pub const TAG_TYPE: &str = "ROUTETABLE";

/// Makes route tables taggable.
pub fn register(cloud: &crate::context::Cloud) {
    cloud.register_taggable("Vpc", TAG_TYPE, |tx, scope, id| tx.exists::<RouteTable>(scope, id));
}

pub const INVALID_ROUTE_TABLE_ID_NOT_FOUND: ErrorDef =
    ErrorDef::new(404, "InvalidRouteTableId.NotFound", "Specified route table does not exist.");
pub const INVALID_DESCRIPTION_MALFORMED: ErrorDef =
    ErrorDef::new(400, "InvalidParameter.Description.Malformed", "The specified Description is not valid.");

/// Errors the seed does not document for these actions, chosen by the emulator.
pub const SYSTEM_TABLE_DENIED: ErrorDef =
    ErrorDef::new(400, "OperationDenied", "The operation is not allowed on a System route table.");
pub const VSWITCH_ALREADY_ASSOCIATED: ErrorDef =
    ErrorDef::new(400, "OperationConflict", "The VSwitch is already associated with another route table.");
pub const DEPENDENCY_VIOLATION_VSWITCH: ErrorDef =
    ErrorDef::new(400, "DependencyViolation.VSwitch", "Specified object has dependent resources");
pub const DEPENDENCY_VIOLATION_ROUTE_ENTRY: ErrorDef =
    ErrorDef::new(400, "DependencyViolation.RouteEntry", "Specified object has dependent resources");

pub const ERRORS: &[ErrorDef] = &[INVALID_ROUTE_TABLE_ID_NOT_FOUND, INVALID_DESCRIPTION_MALFORMED];
pub const CHOSEN: &[ErrorDef] = &[SYSTEM_TABLE_DENIED, VSWITCH_ALREADY_ASSOCIATED];

pub(crate) const ACTIONS: Actions = &[
    ("CreateRouteTable", Handler::Write(create_route_table)),
    ("DeleteRouteTable", Handler::Write(delete_route_table)),
    ("ModifyRouteTableAttributes", Handler::Write(modify_route_table_attributes)),
    ("DescribeRouteTableList", Handler::Read(describe_route_table_list)),
    ("DescribeRouteTables", Handler::Read(describe_route_tables)),
    ("AssociateRouteTable", Handler::Write(associate_route_table)),
    ("UnassociateRouteTable", Handler::Write(unassociate_route_table)),
    ("CreateRouteEntry", Handler::Write(entries::create_route_entry)),
    ("DeleteRouteEntry", Handler::Write(entries::delete_route_entry)),
    ("ModifyRouteEntry", Handler::Write(entries::modify_route_entry)),
    ("DescribeRouteEntryList", Handler::Read(entries::describe_route_entry_list)),
];

pub const SYSTEM: &str = "System";
pub const CUSTOM: &str = "Custom";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RouteTable {
    pub id: String,
    pub vpc_id: String,
    pub router_id: String,
    /// "VRouter", or [`VBR`] for a virtual border router's table (then `vpc_id` holds the VBR id)
    pub router_type: String,
    /// [`SYSTEM`] or [`CUSTOM`]
    pub table_type: String,
    pub name: String,
    pub description: String,
    pub resource_group_id: String,
    pub created_ms: i64,
    /// vSwitches associated with this (Custom) table; the others use the System table.
    pub vswitch_ids: Vec<String>,
}

impl Entity for RouteTable {
    const KIND: &'static str = "route_table";
    fn id(&self) -> &str {
        &self.id
    }
    fn parent(&self) -> Option<&str> {
        Some(&self.vpc_id)
    }
}

impl RouteTable {
    pub fn is_system(&self) -> bool {
        self.table_type == SYSTEM
    }

    pub fn is_vbr(&self) -> bool {
        self.router_type == VBR
    }
}

/// The router type of a virtual border router's table.
pub const VBR: &str = "VBR";

/// Creates the System route table of a new VPC; returns its id.
pub fn create_system(call: &Call<'_>, tx: &mut Tx<'_>, scope: &Scope, vpc_id: &str, router_id: &str) -> String {
    create_table(call, tx, scope, vpc_id, router_id, "VRouter")
}

/// Creates the route table of a new virtual border router (owned by the VBR where a VPC's
/// tables are owned by the VPC); returns its id.
pub fn create_for_vbr(call: &Call<'_>, tx: &mut Tx<'_>, scope: &Scope, vbr_id: &str) -> String {
    create_table(call, tx, scope, vbr_id, vbr_id, VBR)
}

fn create_table(
    call: &Call<'_>,
    tx: &mut Tx<'_>,
    scope: &Scope,
    owner: &str,
    router_id: &str,
    router_type: &str,
) -> String {
    let id = new_id("vtb", &scope.region);
    tx.put(
        scope,
        RouteTable {
            id: id.clone(),
            vpc_id: owner.to_string(),
            router_id: router_id.to_string(),
            router_type: router_type.into(),
            table_type: SYSTEM.into(),
            name: String::new(),
            description: String::new(),
            resource_group_id: call.resource_group(),
            created_ms: call.now_ms,
            vswitch_ids: Vec::new(),
        },
    );
    id
}

fn tables_of_vpc(r: &impl Read, scope: &Scope, vpc_id: &str) -> Vec<RouteTable> {
    r.children::<RouteTable>(scope, vpc_id)
}

/// Ids of the VPC's route tables, System first.
pub fn ids_of_vpc(r: &impl Read, scope: &Scope, vpc_id: &str) -> Vec<String> {
    r.child_ids::<RouteTable>(scope, vpc_id)
}

/// (route table id, "System"/"Custom") a vSwitch routes through.
pub fn table_of_vswitch(r: &impl Read, scope: &Scope, vpc_id: &str, vswitch_id: &str) -> (String, &'static str) {
    let tables = tables_of_vpc(r, scope, vpc_id);
    if let Some(t) = tables.iter().find(|t| t.vswitch_ids.iter().any(|v| v == vswitch_id)) {
        return (t.id.clone(), CUSTOM);
    }
    tables.iter().find(|t| t.is_system()).map_or((String::new(), SYSTEM), |t| (t.id.clone(), SYSTEM))
}

/// Whether any table of the VPC holds custom route entries. Routes whose every next hop is a NAT
/// gateway do not count: a gateway exists while they do, and DeleteVpc reports the gateway
/// (DependencyViolation.NatGateway), whose own 0.0.0.0/0 route goes with it.
pub fn has_custom_entries(r: &impl Read, scope: &Scope, vpc_id: &str) -> bool {
    tables_of_vpc(r, scope, vpc_id).iter().any(|t| {
        entries::custom_of_table(r, scope, &t.id)
            .iter()
            .any(|e| !e.hops.iter().all(|h| h.next_hop_type == next_hop::NAT_GATEWAY))
    })
}

/// Number of custom route entries of the scope whose next hops include `next_hop_id`.
pub fn routes_to(r: &impl Read, scope: &Scope, next_hop_id: &str) -> usize {
    r.count::<RouteEntry>(scope, |e| e.hops.iter().any(|h| h.next_hop_id == next_hop_id))
}

/// Destinations of the VPC's custom route entries (a new vSwitch may not use one of them as its
/// block), and whether any entry is still being configured.
pub fn custom_destinations(call: &Call<'_>, r: &impl Read, scope: &Scope, vpc_id: &str) -> (Vec<IpNet>, bool) {
    let entries: Vec<RouteEntry> =
        tables_of_vpc(r, scope, vpc_id).iter().flat_map(|t| entries::custom_of_table(r, scope, &t.id)).collect();
    let pending = entries.iter().any(|e| !call.settled(e.created_ms));
    (entries.iter().filter_map(RouteEntry::network).collect(), pending)
}

/// Checks a new vSwitch block against the VPC's routes (documented for CreateVSwitch).
pub fn check_vswitch_cidr(
    call: &Call<'_>,
    r: &impl Read,
    scope: &Scope,
    vpc_id: &str,
    cidr: &ipnet::Ipv4Net,
) -> Result<(), ApiError> {
    let (destinations, pending) = custom_destinations(call, r, scope, vpc_id);
    if pending {
        return Err(entries::ROUTE_ENTRY_STATUS_BLOCKED.into());
    }
    if destinations.contains(&IpNet::V4(*cidr)) {
        return Err(vswitch::CIDR_OVERLAPS_ENTRY.into());
    }
    Ok(())
}

/// Drops a deleted vSwitch from its Custom table.
pub fn forget_vswitch(tx: &mut Tx<'_>, scope: &Scope, vswitch_id: &str) {
    for mut t in tx.select::<RouteTable>(scope, |t| t.vswitch_ids.iter().any(|v| v == vswitch_id)) {
        t.vswitch_ids.retain(|v| v != vswitch_id);
        tx.put(scope, t);
    }
}

/// Deletes every table of a VPC that is being deleted (the caller checked for entries).
pub fn delete_all_of_vpc(tx: &mut Tx<'_>, scope: &Scope, vpc_id: &str) {
    for t in tables_of_vpc(tx, scope, vpc_id) {
        tx.delete::<RouteTable>(scope, &t.id);
        tag::forget(tx, scope, &t.id);
    }
}

/// Deletes a virtual border router's table and its route entries.
pub fn delete_all_of_vbr(tx: &mut Tx<'_>, scope: &Scope, vbr_id: &str) {
    for t in tables_of_vpc(tx, scope, vbr_id) {
        entries::delete_all_of_table(tx, scope, &t.id);
        tx.delete::<RouteTable>(scope, &t.id);
    }
}

/// The table, or InvalidRouteTableId.NotFound.
pub fn get(r: &impl Read, scope: &Scope, id: &str) -> Result<RouteTable, ApiError> {
    r.get::<RouteTable>(scope, id).ok_or_else(|| INVALID_ROUTE_TABLE_ID_NOT_FOUND.into())
}

fn create_route_table(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let vpc = vpc::get_available(call, tx, &scope, call.required("VpcId")?)?;
    let id = new_id("vtb", &scope.region);
    tx.put(
        &scope,
        RouteTable {
            id: id.clone(),
            vpc_id: vpc.id,
            router_id: vpc.vrouter_id,
            router_type: "VRouter".into(),
            table_type: CUSTOM.into(),
            name: call.str("RouteTableName").unwrap_or_default().to_string(),
            description: call.str("Description").unwrap_or_default().to_string(),
            resource_group_id: call.resource_group(),
            created_ms: call.now_ms,
            vswitch_ids: Vec::new(),
        },
    );
    tag::create_with(call, tx, &scope, tag::Product::Vpc, TAG_TYPE, &id, "Tag")?;
    Ok(body(json!({ "RouteTableId": id })))
}

/// Custom tables only; their vSwitches must be unassociated and their entries deleted first
/// (the codes are the emulator's choice: the seed documents none for these cases).
fn delete_route_table(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let table = get(tx, &scope, call.required("RouteTableId")?)?;
    if table.is_system() {
        return Err(SYSTEM_TABLE_DENIED.into());
    }
    // A vSwitch still being created answers the documented IncorrectVSwitchStatus; one that
    // is Available must be unassociated first (DependencyViolation.VSwitch, a choice).
    for vswitch_id in &table.vswitch_ids {
        if vswitch::get(tx, &scope, vswitch_id).is_ok_and(|v| !call.settled(v.created_ms)) {
            return Err(vswitch::INCORRECT_VSWITCH_STATUS.into());
        }
    }
    if !table.vswitch_ids.is_empty() {
        return Err(vpc::DEPENDENCY_VIOLATION_VSWITCH.into());
    }
    if !entries::custom_of_table(tx, &scope, &table.id).is_empty() {
        return Err(vpc::DEPENDENCY_VIOLATION_ROUTE_ENTRY.into());
    }
    tx.delete::<RouteTable>(&scope, &table.id);
    tag::forget(tx, &scope, &table.id);
    Ok(Body::new())
}

fn modify_route_table_attributes(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let mut table = get(tx, &scope, call.required("RouteTableId")?)?;
    call.update(&mut table.name, "RouteTableName");
    call.update(&mut table.description, "Description");
    tx.put(&scope, table);
    Ok(Body::new())
}

fn associate_route_table(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let mut table = get(tx, &scope, call.required("RouteTableId")?)?;
    let vsw = vswitch::get(tx, &scope, call.required("VSwitchId")?)?;
    if table.is_system() {
        return Err(SYSTEM_TABLE_DENIED.into());
    }
    if vsw.vpc_id != table.vpc_id {
        return Err(vswitch::INVALID_VSWITCH_ID_NOT_FOUND.into());
    }
    let (current, kind) = table_of_vswitch(tx, &scope, &vsw.vpc_id, &vsw.id);
    if kind == CUSTOM {
        // Associating again with the same table changes nothing.
        return if current == table.id { Ok(Body::new()) } else { Err(VSWITCH_ALREADY_ASSOCIATED.into()) };
    }
    table.vswitch_ids.push(vsw.id);
    tx.put(&scope, table);
    Ok(Body::new())
}

/// Unassociating a vSwitch that is not associated with the table changes nothing (a choice: the
/// seed documents no error for it).
fn unassociate_route_table(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let mut table = get(tx, &scope, call.required("RouteTableId")?)?;
    let vsw = vswitch::get(tx, &scope, call.required("VSwitchId")?)?;
    if table.vswitch_ids.contains(&vsw.id) {
        table.vswitch_ids.retain(|v| *v != vsw.id);
        tx.put(&scope, table);
    }
    Ok(Body::new())
}

/// Filters shared by DescribeRouteTableList and DescribeRouteTables.
fn table_filter<'a>(call: &'a Call<'_>) -> impl Fn(&RouteTable) -> bool + 'a {
    let id = call.str("RouteTableId");
    let name = call.str("RouteTableName");
    let router = call.str("RouterId").or(call.str("VRouterId"));
    let router_type = call.str("RouterType");
    let vpc_id = call.str("VpcId");
    let rg = call.str("ResourceGroupId");
    let table_type = call.str("Type");
    move |t: &RouteTable| {
        id.is_none_or(|x| x == t.id)
            && name.is_none_or(|x| x == t.name)
            && router.is_none_or(|x| x == t.router_id)
            && router_type.is_none_or(|x| x == t.router_type)
            && vpc_id.is_none_or(|x| x == t.vpc_id)
            && rg.is_none_or(|x| x == t.resource_group_id)
            && table_type.is_none_or(|x| x.eq_ignore_ascii_case(&t.table_type))
    }
}

fn describe_route_table_list(call: &Call<'_>, view: &View<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let page = Page::from_params(call.params);
    let (tables, total) = view.page::<RouteTable>(&scope, table_filter(call), page.offset(), page.size);
    let items: Vec<Value> = tables
        .iter()
        .map(|t| {
            json!({
                "RouteTableId": t.id,
                "RouteTableName": t.name,
                "RouteTableType": t.table_type,
                "RouterId": t.router_id,
                "RouterType": t.router_type,
                "VpcId": t.vpc_id,
                "Description": t.description,
                "ResourceGroupId": t.resource_group_id,
                "CreationTime": format_time(t.created_ms),
                "Status": status::pending_or_available(call, t.created_ms),
                "VSwitchIds": { "VSwitchId": vswitches_of(view, &scope, t) },
                "Tags": tag::vpc_tags(view, &scope, &t.id),
            })
        })
        .collect();
    // The reference's sample of this action carries these three status fields (pop-core
    // accepts Code "200" as success).
    let mut out = body(json!({
        "RouterTableList": { "RouterTableListType": items },
        "Code": "200",
        "Success": true,
        "message": "successful",
    }));
    page.annotate(&mut out, total);
    Ok(out)
}

/// vSwitches using the table: the associated ones for a Custom table; for the System table,
/// every vSwitch of the VPC not associated with a Custom table.
fn vswitches_of(r: &impl Read, scope: &Scope, t: &RouteTable) -> Vec<String> {
    if !t.is_system() {
        return t.vswitch_ids.clone();
    }
    vswitch::in_vpc(r, scope, &t.vpc_id)
        .into_iter()
        .filter(|v| table_of_vswitch(r, scope, &t.vpc_id, &v.id).1 == SYSTEM)
        .map(|v| v.id)
        .collect()
}

fn describe_route_tables(call: &Call<'_>, view: &View<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let page = Page::from_params(call.params);
    let (tables, total) = view.page::<RouteTable>(&scope, table_filter(call), page.offset(), page.size);
    let items: Vec<Value> = tables
        .iter()
        .map(|t| {
            let entries: Vec<Value> =
                entries::all_of_table(call, view, &scope, t).iter().map(|e| e.table_view()).collect();
            json!({
                "RouteTableId": t.id,
                "RouteTableType": t.table_type,
                "VRouterId": t.router_id,
                "ResourceGroupId": t.resource_group_id,
                "CreationTime": format_time(t.created_ms),
                "VSwitchIds": { "VSwitchId": vswitches_of(view, &scope, t) },
                "RouteEntrys": { "RouteEntry": entries },
            })
        })
        .collect();
    let mut out = body(json!({ "RouteTables": { "RouteTable": items } }));
    page.annotate(&mut out, total);
    Ok(out)
}
