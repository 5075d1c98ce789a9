//! VPCs (VPC reference chapter 6). A VPC owns its CIDR block and customer CIDRs; creating one
//! also creates its vRouter and System route table (through those families' functions).

use acs_api::{validate, ApiError, ErrorDef};
use acs_store::{Entity, Read, Scope, Tx, View};
use ipnet::Ipv4Net;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::clock::format_time;
use crate::context::Call;
use crate::dispatch::{body, Actions, Body, Handler};
use crate::errors::FORBIDDEN_VPC_NOT_FOUND;
use crate::ids::new_id;
use crate::paging::Page;
use crate::quota::Quota;
use crate::{route_table, status, tag, vrouter, vswitch};

/// The ResourceType of VPCs in VPC TagResources.
pub const TAG_TYPE: &str = "VPC";

/// Makes VPCs taggable.
pub fn register(cloud: &crate::context::Cloud) {
    cloud.register_taggable("Vpc", TAG_TYPE, |tx, scope, id| tx.exists::<Vpc>(scope, id));
}

pub const INVALID_VPC_ID_NOT_FOUND: ErrorDef =
    ErrorDef::new(404, "InvalidVpcId.NotFound", "Specified VPC does not exist.");
pub const INVALID_CIDR: ErrorDef = ErrorDef::new(400, "InvalidParameter", "Specified CIDR block is not valid");
pub const INVALID_CIDR_BLOCK_MALFORMED: ErrorDef =
    ErrorDef::new(400, "InvalidCidrBlock.Malformed", "Specified CIDR block is not valid.");
pub const QUOTA_EXCEEDED_VPC: ErrorDef = ErrorDef::new(400, "QuotaExceeded.Vpc", "VPC quota exceeded.");
pub const USER_CIDR_INVALID_FORMAT: ErrorDef =
    ErrorDef::new(400, "InvalidParameter", "Specified UserCidr invalid format.");
pub const USER_CIDR_INVALID_MASK: ErrorDef =
    ErrorDef::new(400, "InvalidParameter", "Specified UserCidr Subnet mask is not valid .");
pub const USER_CIDR_QUOTA: ErrorDef =
    ErrorDef::new(400, "InvalidUserCidr.Quota", "Specified UserCidr number is greater than 3.");
pub const USER_CIDR_OVERLAPS_SHARED: ErrorDef =
    ErrorDef::new(400, "InvalidUserCidr.Malformed", "Specified UserCidr overlapping in of 100.64.0.0/10.");
pub const INCORRECT_VPC_STATUS: ErrorDef =
    ErrorDef::new(400, "IncorrectVpcStatus", "Current VPC status does not support this operation.");
pub const DEPENDENCY_VIOLATION_VSWITCH: ErrorDef =
    ErrorDef::new(400, "DependencyViolation.VSwitch", "Specified object has dependent resources");
pub const DEPENDENCY_VIOLATION_ROUTE_ENTRY: ErrorDef =
    ErrorDef::new(400, "DependencyViolation.RouteEntry", "Specified object has dependent resources");
/// Also answered by DeleteVSwitch, whose table has no row for instances.
pub const DEPENDENCY_VIOLATION_INSTANCE: ErrorDef =
    ErrorDef::new(400, "DependencyViolation.Instance", "Specified object has dependent resources");

pub const ERRORS: &[ErrorDef] = &[
    INVALID_VPC_ID_NOT_FOUND,
    INVALID_CIDR,
    INVALID_CIDR_BLOCK_MALFORMED,
    QUOTA_EXCEEDED_VPC,
    USER_CIDR_INVALID_FORMAT,
    USER_CIDR_INVALID_MASK,
    USER_CIDR_QUOTA,
    USER_CIDR_OVERLAPS_SHARED,
    INCORRECT_VPC_STATUS,
    DEPENDENCY_VIOLATION_VSWITCH,
    DEPENDENCY_VIOLATION_ROUTE_ENTRY,
    DEPENDENCY_VIOLATION_INSTANCE,
];

/// VPCs per account and region. The seed documents QuotaExceeded.Vpc without a number; 10 is
/// the real default quota.
pub const VPCS_PER_REGION: Quota =
    Quota { name: "vpcs_per_region", default: 10, about: "VPCs of one account in one region" };
/// Customer CIDR blocks (UserCidr) of one VPC (documented: "up to three").
pub const USER_CIDRS_PER_VPC: Quota =
    Quota { name: "user_cidrs_per_vpc", default: 3, about: "customer CIDR blocks (UserCidr) of one VPC" };
pub const DEFAULT_CIDR: &str = "172.16.0.0/12";
/// The private ranges a VPC may use (their subnets too), with mask lengths 8 to 24.
const PRIVATE_RANGES: [&str; 3] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];
/// The shared address space the platform uses; customer CIDRs may not overlap it.
pub const SHARED_RANGE: &str = "100.64.0.0/10";

pub(crate) const ACTIONS: Actions = &[
    ("CreateVpc", Handler::Write(create_vpc)),
    ("DeleteVpc", Handler::Write(delete_vpc)),
    ("DescribeVpcs", Handler::Read(describe_vpcs)),
    ("ModifyVpcAttribute", Handler::Write(modify_vpc_attribute)),
    ("DescribeVpcAttribute", Handler::Read(describe_vpc_attribute)),
    ("GrantInstanceToCen", Handler::Write(grant_instance_to_cen)),
    ("RevokeInstanceFromCen", Handler::Write(revoke_instance_from_cen)),
];

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Vpc {
    pub id: String,
    pub region: String,
    pub name: String,
    pub description: String,
    pub cidr_block: String,
    pub user_cidrs: Vec<String>,
    pub ipv6_cidr_block: String,
    pub vrouter_id: String,
    pub is_default: bool,
    pub resource_group_id: String,
    pub created_ms: i64,
    /// CEN instances (id, owner uid) granted access to this VPC.
    pub cen_grants: Vec<(String, i64)>,
}

impl Entity for Vpc {
    const KIND: &'static str = "vpc";
    fn id(&self) -> &str {
        &self.id
    }
}

impl Vpc {
    pub fn cidr(&self) -> Option<Ipv4Net> {
        validate::parse_cidr(&self.cidr_block)
    }
}

/// The VPC, or InvalidVpcId.NotFound.
pub fn get(r: &impl Read, scope: &Scope, vpc_id: &str) -> Result<Vpc, ApiError> {
    r.get::<Vpc>(scope, vpc_id).ok_or_else(|| INVALID_VPC_ID_NOT_FOUND.into())
}

/// The VPC, which must exist and have finished creating (IncorrectVpcStatus otherwise).
pub fn get_available(call: &Call<'_>, r: &impl Read, scope: &Scope, vpc_id: &str) -> Result<Vpc, ApiError> {
    let vpc = get(r, scope, vpc_id)?;
    if !call.settled(vpc.created_ms) {
        return Err(INCORRECT_VPC_STATUS.into());
    }
    Ok(vpc)
}

/// Like [`get`], for actions whose table documents Forbidden.VpcNotFound instead.
pub fn exists(r: &impl Read, scope: &Scope, vpc_id: &str) -> Result<Vpc, ApiError> {
    r.get::<Vpc>(scope, vpc_id).ok_or_else(|| FORBIDDEN_VPC_NOT_FOUND.into())
}

fn parse_vpc_cidr(s: &str) -> Result<Ipv4Net, ApiError> {
    let net = validate::parse_cidr(s).ok_or(INVALID_CIDR)?;
    let allowed = PRIVATE_RANGES.iter().filter_map(|r| r.parse::<Ipv4Net>().ok()).any(|r| r.contains(&net));
    if !allowed || !(8..=24).contains(&net.prefix_len()) {
        return Err(INVALID_CIDR.into());
    }
    Ok(net)
}

/// Customer CIDRs: at most three valid blocks (masks /8 to /24, a choice: the seed does not give
/// the range), none overlapping 100.64.0.0/10.
fn parse_user_cidrs(call: &Call<'_>, tx: &Tx<'_>) -> Result<Vec<String>, ApiError> {
    let cidrs = call.params.strings("UserCidr");
    if cidrs.len() > call.quota(tx, &USER_CIDRS_PER_VPC) {
        return Err(USER_CIDR_QUOTA.into());
    }
    let shared: Ipv4Net = SHARED_RANGE.parse().map_err(ApiError::internal)?;
    cidrs
        .into_iter()
        .map(|c| {
            let net: Ipv4Net = c.parse().map_err(|_| USER_CIDR_INVALID_FORMAT)?;
            if net.trunc() != net || !(8..=24).contains(&net.prefix_len()) {
                return Err(USER_CIDR_INVALID_MASK.into());
            }
            if overlaps(&net, &shared) {
                return Err(USER_CIDR_OVERLAPS_SHARED.into());
            }
            Ok(net.to_string())
        })
        .collect()
}

pub fn overlaps(a: &Ipv4Net, b: &Ipv4Net) -> bool {
    a.contains(&b.network()) || b.contains(&a.network())
}

fn create_vpc(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let cidr = parse_vpc_cidr(call.str("CidrBlock").unwrap_or(DEFAULT_CIDR))?;
    let user_cidrs = parse_user_cidrs(call, tx)?;
    if tx.count::<Vpc>(&scope, |_| true) >= call.quota(tx, &VPCS_PER_REGION) {
        return Err(QUOTA_EXCEEDED_VPC.into());
    }
    let id = new_id("vpc", &scope.region);
    let router = vrouter::create_for_vpc(call, tx, &scope, &id);
    let table = route_table::create_system(call, tx, &scope, &id, &router);
    let vpc = Vpc {
        id: id.clone(),
        region: scope.region.clone(),
        name: call.str("VpcName").unwrap_or_default().to_string(),
        description: call.str("Description").unwrap_or_default().to_string(),
        cidr_block: cidr.to_string(),
        user_cidrs,
        ipv6_cidr_block: if call.params.bool("EnableIpv6") == Some(true) { ipv6_block() } else { String::new() },
        vrouter_id: router.clone(),
        is_default: false,
        resource_group_id: call.resource_group(),
        created_ms: call.now_ms,
        cen_grants: Vec::new(),
    };
    let rg = vpc.resource_group_id.clone();
    tx.put(&scope, vpc);
    tag::create_with(call, tx, &scope, tag::Product::Vpc, TAG_TYPE, &id, "Tag")?;
    Ok(body(json!({ "VpcId": id, "VRouterId": router, "RouteTableId": table, "ResourceGroupId": rg })))
}

/// An IPv6 /56 from the emulator's documentation-style pool.
fn ipv6_block() -> String {
    let n: u16 = rand::random();
    format!("2408:4000:{n:x}::/56")
}

fn delete_vpc(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let vpc = get(tx, &scope, call.required("VpcId")?)?;
    if !call.settled(vpc.created_ms) {
        return Err(INCORRECT_VPC_STATUS.into());
    }
    // Routes first: they are what a user removes first, and they may point into vSwitches.
    if route_table::has_custom_entries(tx, &scope, &vpc.id) {
        return Err(DEPENDENCY_VIOLATION_ROUTE_ENTRY.into());
    }
    // Then what lives in the vSwitches (instances...), which must go before the vSwitches.
    if let Some(e) = call.cloud.vpc_in_use(tx, &scope, &vpc.id) {
        return Err(e);
    }
    if !vswitch::ids_in_vpc(tx, &scope, &vpc.id).is_empty() {
        return Err(DEPENDENCY_VIOLATION_VSWITCH.into());
    }
    route_table::delete_all_of_vpc(tx, &scope, &vpc.id);
    crate::flow_log::forget_resource(tx, &scope, &vpc.id);
    vrouter::delete(tx, &scope, &vpc.vrouter_id);
    tx.delete::<Vpc>(&scope, &vpc.id);
    tag::forget(tx, &scope, &vpc.id);
    Ok(Body::new())
}

/// Shared by DescribeVpcs items and DescribeVpcAttribute.
fn common_fields(call: &Call<'_>, r: &impl Read, scope: &Scope, vpc: &Vpc) -> Body {
    let vswitches = vswitch::ids_in_vpc(r, scope, &vpc.id);
    body(json!({
        "VpcId": vpc.id,
        "RegionId": vpc.region,
        "Status": status::pending_or_available(call, vpc.created_ms),
        "VpcName": vpc.name,
        "Description": vpc.description,
        "CidrBlock": vpc.cidr_block,
        "Ipv6CidrBlock": vpc.ipv6_cidr_block,
        "IsDefault": vpc.is_default,
        "ResourceGroupId": vpc.resource_group_id,
        "VRouterId": vpc.vrouter_id,
        "CreationTime": format_time(vpc.created_ms),
        "UserCidrs": { "UserCidr": vpc.user_cidrs },
        "VSwitchIds": { "VSwitchId": vswitches },
    }))
}

fn describe_vpcs(call: &Call<'_>, view: &View<'_>) -> Result<Body, ApiError> {
    // RegionId is optional in this action; the SDKs always send one, and without it the
    // emulator answers for cn-hangzhou (its default region).
    let region = call.str("RegionId").unwrap_or("cn-hangzhou");
    crate::region::check_region(region)?;
    let scope = Scope::new(call.account, region);
    let page = Page::from_params(call.params);
    let ids = call.params.strings("VpcId");
    let name = call.str("VpcName");
    let rg = call.str("ResourceGroupId");
    // Documented semantics: true (the default) lists all VPCs, false leaves out the default VPC.
    let include_default = call.params.bool("Isdefault").unwrap_or(true);
    let tags = tag::filter(call, "Tag");
    let tag_filter = !tags.is_empty();
    let filter = |v: &Vpc| {
        tag::matches(view, &scope, &v.id, &tags)
            && (ids.is_empty() || ids.contains(&v.id))
            && name.is_none_or(|n| n == v.name)
            && rg.is_none_or(|r| r == v.resource_group_id)
            && (include_default || !v.is_default)
    };
    let (vpcs, total) = if ids.len() == 1 {
        // By-ID lookups stay O(log n) however many VPCs exist.
        let found: Vec<Vpc> = view.get::<Vpc>(&scope, &ids[0]).into_iter().filter(|v| filter(v)).collect();
        let n = found.len();
        (found.into_iter().skip(page.offset()).take(page.size).collect(), n)
    } else if ids.is_empty() && name.is_none() && rg.is_none() && include_default && !tag_filter {
        // No filter: the page and the count come without visiting the other VPCs.
        view.page_all::<Vpc>(&scope, page.offset(), page.size)
    } else {
        view.page::<Vpc>(&scope, filter, page.offset(), page.size)
    };
    let items: Vec<Value> = vpcs
        .iter()
        .map(|vpc| {
            let mut item = common_fields(call, view, &scope, vpc);
            item.insert(
                "RouterTableIds".into(),
                json!({ "RouterTableIds": route_table::ids_of_vpc(view, &scope, &vpc.id) }),
            );
            item.insert(
                "NatGatewayIds".into(),
                json!({ "NatGatewayIds": crate::nat::ids_of_vpc(view, &scope, &vpc.id) }),
            );
            item.insert("Tags".into(), tag::vpc_tags(view, &scope, &vpc.id));
            Value::Object(item)
        })
        .collect();
    let mut out = body(json!({ "Vpcs": { "Vpc": items } }));
    page.annotate(&mut out, total);
    Ok(out)
}

fn describe_vpc_attribute(call: &Call<'_>, view: &View<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let vpc = get(view, &scope, call.required("VpcId")?)?;
    if call.params.bool("IsDefault").is_some_and(|d| d != vpc.is_default) {
        return Err(INVALID_VPC_ID_NOT_FOUND.into());
    }
    let mut out = common_fields(call, view, &scope, &vpc);
    let vswitches = vswitch::ids_in_vpc(view, &scope, &vpc.id).len();
    let tables = route_table::ids_of_vpc(view, &scope, &vpc.id).len();
    out.insert("ClassicLinkEnabled".into(), json!(false));
    out.insert("Tags".into(), tag::vpc_tags(view, &scope, &vpc.id));
    out.insert("AssociatedCens".into(), json!({ "AssociatedCen": [] }));
    out.insert(
        "CloudResources".into(),
        json!({ "CloudResourceSetType": [
            { "ResourceType": "VSwitch", "ResourceCount": vswitches },
            { "ResourceType": "RouteTable", "ResourceCount": tables },
            { "ResourceType": "VRouter", "ResourceCount": 1 },
        ] }),
    );
    Ok(out)
}

fn modify_vpc_attribute(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let mut vpc = get_available(call, tx, &scope, call.required("VpcId")?)?;
    if let Some(cidr) = call.str("CidrBlock") {
        // The block may only change to one that still holds every vSwitch.
        let net = validate::parse_cidr(cidr).ok_or(INVALID_CIDR_BLOCK_MALFORMED)?;
        let net = parse_vpc_cidr(&net.to_string()).map_err(|_| ApiError::from(INVALID_CIDR_BLOCK_MALFORMED))?;
        let fits = vswitch::in_vpc(tx, &scope, &vpc.id)
            .iter()
            .filter_map(|v| validate::parse_cidr(&v.cidr_block))
            .all(|v| net.contains(&v));
        if !fits {
            return Err(INVALID_CIDR_BLOCK_MALFORMED.into());
        }
        vpc.cidr_block = net.to_string();
    }
    call.update(&mut vpc.name, "VpcName");
    call.update(&mut vpc.description, "Description");
    if call.params.bool("EnableIPv6") == Some(true) && vpc.ipv6_cidr_block.is_empty() {
        vpc.ipv6_cidr_block = ipv6_block();
    }
    tx.put(&scope, vpc);
    Ok(Body::new())
}

/// GrantInstanceToCen / RevokeInstanceFromCen on a VPC. The seed documents no error codes for
/// these actions: an unknown VPC answers InvalidVpcId.NotFound; VBR and CCN instances do not
/// exist in the emulator yet, so they answer InvalidInstanceId.NotFound (a choice).
fn cen_grant(call: &Call<'_>, tx: &mut Tx<'_>, grant: bool) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let instance_id = call.required("InstanceId")?;
    if call.required("InstanceType")? != "VPC" {
        return Err(INVALID_INSTANCE_ID_NOT_FOUND.into());
    }
    let mut vpc = get(tx, &scope, instance_id)?;
    let cen = (call.required("CenId")?.to_string(), call.params.int("CenOwnerId").unwrap_or_default());
    vpc.cen_grants.retain(|g| g != &cen);
    if grant {
        vpc.cen_grants.push(cen);
    }
    tx.put(&scope, vpc);
    Ok(Body::new())
}

pub const INVALID_INSTANCE_ID_NOT_FOUND: ErrorDef =
    ErrorDef::new(404, "InvalidInstanceId.NotFound", "The specified instance does not exist.");

fn grant_instance_to_cen(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    cen_grant(call, tx, true)
}

fn revoke_instance_from_cen(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    cen_grant(call, tx, false)
}
