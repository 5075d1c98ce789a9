//! vSwitches (VPC reference chapter 7): subnets of a VPC in one zone, /16 to /29, not
//! overlapping each other nor equal to a route destination of the VPC, at most 24 per VPC.

use acs_api::{validate, ApiError, ErrorDef};
use acs_store::{Entity, Read, Scope, Tx, View};
use ipnet::Ipv4Net;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::clock::format_time;
use crate::context::Call;
use crate::dispatch::{body, Actions, Body, Handler};
use crate::ids::new_id;
use crate::paging::Page;
use crate::quota::Quota;
use crate::{region, route_table, status, tag, vpc};

/// The ResourceType of vSwitches in VPC TagResources.
pub const TAG_TYPE: &str = "VSWITCH";

/// Makes vSwitches taggable.
pub fn register(cloud: &crate::context::Cloud) {
    cloud.register_taggable("Vpc", TAG_TYPE, |tx, scope, id| tx.exists::<VSwitch>(scope, id));
}

pub const INVALID_VSWITCH_ID_NOT_FOUND: ErrorDef =
    ErrorDef::new(404, "InvalidVSwitchId.NotFound", "VSwitch not exist.");
pub const INVALID_VSWITCH_ID_NOT_EXISTS: ErrorDef =
    ErrorDef::new(404, "InvalidVSwitchId.NotFound", "The specified virtual switch does not exists.");
pub const CIDR_NOT_IN_VPC: ErrorDef =
    ErrorDef::new(400, "InvalidParameter", "Specified CIDR block is not valid in VPC.");
pub const CIDR_OVERLAPS_SUBNET: ErrorDef =
    ErrorDef::new(400, "InvalidCidrBlock.Overlapped", "Specified CIDR block overlapped with other subnets.");
pub const CIDR_OVERLAPS_ENTRY: ErrorDef =
    ErrorDef::new(400, "InvalidCidrBlock.Overlapped", "Specified CIDR block overlapped with other entry.");
pub const QUOTA_EXCEEDED_VSWITCH: ErrorDef =
    ErrorDef::new(400, "QuotaExceeded.VSwitch", "Virtual switch quota exceeded.");
pub const CIDR_MASK_LENGTH: ErrorDef =
    ErrorDef::new(400, "InvalidCirdrBlock.MaskLength", "Specified CIDR block is not valid .");
pub const CREATION_IN_PROGRESS: ErrorDef =
    ErrorDef::new(400, "IncorrectVSwitchStatus", "VSwitch Creation simultaneously is not supported.");
pub const INCORRECT_VSWITCH_STATUS: ErrorDef =
    ErrorDef::new(400, "IncorrectVSwitchStatus", "The current virtual switch status does not support this operation.");

/// Address allocation errors: the seeds document none for the VPC actions; these are the codes
/// the emulator chose (ECS documents InvalidVSwitchId.IpNotEnough for a full vSwitch).
pub const ADDRESS_NOT_IN_VSWITCH: ErrorDef = ErrorDef::new(
    400,
    "InvalidIpAddress.NotInVSwitch",
    "The specified IpAddress is not in the CIDR block of the VSwitch.",
);
pub const ADDRESS_IN_USE: ErrorDef =
    ErrorDef::new(400, "InvalidIpAddress.AlreadyUsed", "The specified IpAddress is already in use.");
pub const NO_FREE_ADDRESS: ErrorDef =
    ErrorDef::new(400, "InvalidVSwitchId.IpNotEnough", "The specified VSwitch has no enough IP address.");
pub const CHOSEN: &[ErrorDef] = &[ADDRESS_NOT_IN_VSWITCH, ADDRESS_IN_USE, NO_FREE_ADDRESS];

pub const ERRORS: &[ErrorDef] = &[
    INVALID_VSWITCH_ID_NOT_FOUND,
    INVALID_VSWITCH_ID_NOT_EXISTS,
    CIDR_NOT_IN_VPC,
    CIDR_OVERLAPS_SUBNET,
    CIDR_OVERLAPS_ENTRY,
    QUOTA_EXCEEDED_VSWITCH,
    CIDR_MASK_LENGTH,
    CREATION_IN_PROGRESS,
    INCORRECT_VSWITCH_STATUS,
];

/// vSwitches per VPC (documented).
pub const VSWITCHES_PER_VPC: Quota = Quota { name: "vswitches_per_vpc", default: 24, about: "vSwitches in one VPC" };
/// The first address and the last three of every vSwitch are reserved (documented).
pub const RESERVED_ADDRESSES: u64 = 4;

pub(crate) const ACTIONS: Actions = &[
    ("CreateVSwitch", Handler::Write(create_vswitch)),
    ("DeleteVSwitch", Handler::Write(delete_vswitch)),
    ("DescribeVSwitches", Handler::Read(describe_vswitches)),
    ("DescribeVSwitchAttributes", Handler::Read(describe_vswitch_attributes)),
    ("ModifyVSwitchAttribute", Handler::Write(modify_vswitch_attribute)),
];

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct VSwitch {
    pub id: String,
    pub vpc_id: String,
    pub zone_id: String,
    pub cidr_block: String,
    pub name: String,
    pub description: String,
    pub ipv6_cidr_block: String,
    pub is_default: bool,
    pub resource_group_id: String,
    pub created_ms: i64,
    /// Private addresses taken by resources of other families (HaVips, instances, ENIs), in
    /// allocation order.
    #[serde(default)]
    pub allocated: Vec<String>,
}

impl Entity for VSwitch {
    const KIND: &'static str = "vswitch";
    fn id(&self) -> &str {
        &self.id
    }
    fn parent(&self) -> Option<&str> {
        Some(&self.vpc_id)
    }
}

impl VSwitch {
    pub fn cidr(&self) -> Option<Ipv4Net> {
        validate::parse_cidr(&self.cidr_block)
    }

    pub fn available_ip_address_count(&self) -> u64 {
        let size = self.cidr().map_or(0, |n| 1u64 << (32 - u32::from(n.prefix_len())));
        size.saturating_sub(RESERVED_ADDRESSES + self.allocated.len() as u64)
    }
}

/// The vSwitches of a VPC, oldest first.
pub fn in_vpc(r: &impl Read, scope: &Scope, vpc_id: &str) -> Vec<VSwitch> {
    r.children::<VSwitch>(scope, vpc_id)
}

/// Takes a private address of the vSwitch for a resource of another family: `wanted` if given
/// (it must be a usable, free address of the block), else the lowest free one. The first address
/// and the last three of the block are reserved.
pub fn allocate_address(
    tx: &mut Tx<'_>,
    scope: &Scope,
    vswitch_id: &str,
    wanted: Option<&str>,
) -> Result<String, ApiError> {
    let mut vsw = get(tx, scope, vswitch_id)?;
    let net = vsw.cidr().ok_or_else(|| ApiError::internal(format!("vSwitch {} has no valid block", vsw.id)))?;
    let first = u32::from(net.network()) + 1;
    let last = u32::from(net.broadcast()).saturating_sub(3);
    let taken = |a: u32| vsw.allocated.iter().any(|x| x.parse::<std::net::Ipv4Addr>().is_ok_and(|x| u32::from(x) == a));
    let address = match wanted {
        Some(w) => {
            let a = u32::from(w.parse::<std::net::Ipv4Addr>().map_err(|_| ADDRESS_NOT_IN_VSWITCH)?);
            if !(first..=last).contains(&a) {
                return Err(ADDRESS_NOT_IN_VSWITCH.into());
            }
            if taken(a) {
                return Err(ADDRESS_IN_USE.into());
            }
            a
        }
        None => (first..=last).find(|a| !taken(*a)).ok_or(NO_FREE_ADDRESS)?,
    };
    let address = std::net::Ipv4Addr::from(address).to_string();
    vsw.allocated.push(address.clone());
    tx.put(scope, vsw);
    Ok(address)
}

/// Gives an address back to its vSwitch.
pub fn release_address(tx: &mut Tx<'_>, scope: &Scope, vswitch_id: &str, address: &str) {
    if let Some(mut vsw) = tx.get::<VSwitch>(scope, vswitch_id) {
        vsw.allocated.retain(|a| a != address);
        tx.put(scope, vsw);
    }
}

/// Ids of the vSwitches of a VPC, oldest first.
pub fn ids_in_vpc(r: &impl Read, scope: &Scope, vpc_id: &str) -> Vec<String> {
    r.child_ids::<VSwitch>(scope, vpc_id)
}

/// The vSwitch, or InvalidVSwitchId.NotFound.
pub fn get(r: &impl Read, scope: &Scope, id: &str) -> Result<VSwitch, ApiError> {
    r.get::<VSwitch>(scope, id).ok_or_else(|| INVALID_VSWITCH_ID_NOT_FOUND.into())
}

fn create_vswitch(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let zone_id = call.required("ZoneId")?;
    region::check_zone(&scope.region, zone_id)?;
    let vpc = vpc::get_available(call, tx, &scope, call.required("VpcId")?)?;
    let cidr = validate::parse_cidr(call.required("CidrBlock")?).ok_or(CIDR_MASK_LENGTH)?;
    if !(16..=29).contains(&cidr.prefix_len()) {
        return Err(CIDR_MASK_LENGTH.into());
    }
    if !vpc.cidr().is_some_and(|v| v.contains(&cidr)) {
        return Err(CIDR_NOT_IN_VPC.into());
    }
    let siblings = in_vpc(tx, &scope, &vpc.id);
    if siblings.iter().any(|s| !call.settled(s.created_ms)) {
        return Err(CREATION_IN_PROGRESS.into());
    }
    if siblings.len() >= call.quota(tx, &VSWITCHES_PER_VPC) {
        return Err(QUOTA_EXCEEDED_VSWITCH.into());
    }
    if siblings.iter().filter_map(VSwitch::cidr).any(|s| vpc::overlaps(&s, &cidr)) {
        return Err(CIDR_OVERLAPS_SUBNET.into());
    }
    route_table::check_vswitch_cidr(call, tx, &scope, &vpc.id, &cidr)?;
    let id = new_id("vsw", &scope.region);
    tx.put(
        &scope,
        VSwitch {
            id: id.clone(),
            vpc_id: vpc.id,
            zone_id: zone_id.to_string(),
            cidr_block: cidr.to_string(),
            name: call.str("VSwitchName").unwrap_or_default().to_string(),
            description: call.str("Description").unwrap_or_default().to_string(),
            ipv6_cidr_block: ipv6_block(&vpc.ipv6_cidr_block, call.params.int("Ipv6CidrBlock")),
            is_default: false,
            resource_group_id: call.resource_group(),
            created_ms: call.now_ms,
            allocated: Vec::new(),
        },
    );
    tag::create_with(call, tx, &scope, tag::Product::Vpc, TAG_TYPE, &id, "Tag")?;
    Ok(body(json!({ "VSwitchId": id })))
}

/// The vSwitch's /64 inside the VPC's IPv6 /56: `last_byte` picks which one.
fn ipv6_block(vpc_block: &str, last_byte: Option<i64>) -> String {
    match (vpc_block.strip_suffix("::/56"), last_byte) {
        (Some(prefix), Some(b)) => format!("{prefix}{:02x}::/64", b.clamp(0, 255)),
        _ => String::new(),
    }
}

/// DeleteVSwitch has no RegionId parameter in the seed: the vSwitch is looked up in the region
/// given, if any, else in every region of the account.
fn find(call: &Call<'_>, r: &impl Read, id: &str) -> Result<(Scope, VSwitch), ApiError> {
    let found = match call.scope_if_given()? {
        Some(scope) => r.get::<VSwitch>(&scope, id).map(|v| (scope, v)),
        None => r.find::<VSwitch>(call.account, id),
    };
    found.ok_or_else(|| INVALID_VSWITCH_ID_NOT_FOUND.into())
}

fn delete_vswitch(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let (scope, vsw) = find(call, tx, call.required("VSwitchId")?)?;
    if !call.settled(vsw.created_ms) {
        return Err(INCORRECT_VSWITCH_STATUS.into());
    }
    if route_table::custom_destinations(call, tx, &scope, &vsw.vpc_id).1 {
        return Err(route_table::ROUTE_ENTRY_STATUS_BLOCKED.into());
    }
    if let Some(e) = call.cloud.vswitch_in_use(tx, &scope, &vsw.id) {
        return Err(e);
    }
    route_table::forget_vswitch(tx, &scope, &vsw.id);
    crate::flow_log::forget_resource(tx, &scope, &vsw.id);
    tx.delete::<VSwitch>(&scope, &vsw.id);
    tag::forget(tx, &scope, &vsw.id);
    Ok(Body::new())
}

fn view_of(call: &Call<'_>, r: &impl Read, scope: &Scope, v: &VSwitch) -> Body {
    let (table_id, table_type) = route_table::table_of_vswitch(r, scope, &v.vpc_id, &v.id);
    body(json!({
        "VSwitchId": v.id,
        "VpcId": v.vpc_id,
        "Status": status::pending_or_available(call, v.created_ms),
        "CidrBlock": v.cidr_block,
        "Ipv6CidrBlock": v.ipv6_cidr_block,
        "ZoneId": v.zone_id,
        "AvailableIpAddressCount": v.available_ip_address_count(),
        "Description": v.description,
        "VSwitchName": v.name,
        "CreationTime": format_time(v.created_ms),
        "IsDefault": v.is_default,
        "ResourceGroupId": v.resource_group_id,
        "RouteTable": { "RouteTableId": table_id, "RouteTableType": table_type },
        "Tags": tag::vpc_tags(r, scope, &v.id),
    }))
}

fn describe_vswitches(call: &Call<'_>, view: &View<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let page = Page::from_params(call.params);
    let ids = call.params.strings("VSwitchId");
    let vpc_id = call.str("VpcId");
    let zone = call.str("ZoneId");
    let name = call.str("VSwitchName");
    let rg = call.str("ResourceGroupId");
    let table = call.str("RouteTableId");
    let include_default = call.params.bool("Isdefault").unwrap_or(true);
    let tags = tag::filter(call, "Tag");
    let (items, total) = view.page::<VSwitch>(
        &scope,
        |v| {
            tag::matches(view, &scope, &v.id, &tags)
                && (ids.is_empty() || ids.contains(&v.id))
                && vpc_id.is_none_or(|x| x == v.vpc_id)
                && zone.is_none_or(|x| x == v.zone_id)
                && name.is_none_or(|x| x == v.name)
                && rg.is_none_or(|x| x == v.resource_group_id)
                && (include_default || !v.is_default)
                && table.is_none_or(|t| route_table::table_of_vswitch(view, &scope, &v.vpc_id, &v.id).0 == t)
        },
        page.offset(),
        page.size,
    );
    let items: Vec<Value> = items.iter().map(|v| Value::Object(view_of(call, view, &scope, v))).collect();
    let mut out = body(json!({ "VSwitches": { "VSwitch": items } }));
    page.annotate(&mut out, total);
    Ok(out)
}

fn describe_vswitch_attributes(call: &Call<'_>, view: &View<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let v = get(view, &scope, call.required("VSwitchId")?)?;
    let mut out = view_of(call, view, &scope, &v);
    out.insert("CloudResources".into(), json!({ "CloudResourceSetType": [] }));
    Ok(out)
}

fn modify_vswitch_attribute(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let mut v = tx.get::<VSwitch>(&scope, call.required("VSwitchId")?).ok_or(INVALID_VSWITCH_ID_NOT_EXISTS)?;
    call.update(&mut v.name, "VSwitchName");
    call.update(&mut v.description, "Description");
    if let Some(b) = call.params.int("Ipv6CidrBlock") {
        let vpc = vpc::get(tx, &scope, &v.vpc_id)?;
        v.ipv6_cidr_block = ipv6_block(&vpc.ipv6_cidr_block, Some(b));
    }
    tx.put(&scope, v);
    Ok(Body::new())
}
