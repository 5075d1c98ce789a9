//! ECS security groups: containers of instances, in a VPC or (without a VpcId) in the classic
//! network, with their rules (`rules.rs`: Authorize/Revoke, DescribeSecurityGroupAttribute). A group blocks the deletion of its VPC
//! (DependencyViolation.SecurityGroup, through [`Dependents`]) and cannot be deleted while
//! instances are in it (the instance family answers [`instance_count`] questions).

pub mod rules;

use std::sync::Arc;

use acs_api::{ApiError, ErrorDef};
use acs_store::{Entity, Read, Scope, Tx, View};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::clock::format_time;
use crate::context::{Call, Cloud, Dependents};
use crate::dispatch::{body, Actions, Body, Handler};
use crate::ids::new_id;
use crate::paging::Page;
use crate::{instance, tag, vpc};

/// The ResourceType of security groups in ECS TagResources.
pub const TAG_TYPE: &str = "securitygroup";

pub const INVALID_SECURITY_GROUP_ID_NOT_FOUND: ErrorDef =
    ErrorDef::new(404, "InvalidSecurityGroupId.NotFound", "The specified SecurityGroupId does not exist.");
/// RunInstances words the same code differently.
pub const INVALID_SECURITY_GROUP_ID_NOT_FOUND_RUN: ErrorDef = ErrorDef::new(
    404,
    "InvalidSecurityGroupId.NotFound",
    "The SecurityGroupId provided does not exist in our records.",
);
pub const DEPENDENCY_VIOLATION: ErrorDef =
    ErrorDef::new(403, "DependencyViolation", "There is still instance(s) in the specified security group.");
pub const INVALID_VPC_ID_NOT_FOUND: ErrorDef =
    ErrorDef::new(404, "InvalidVpcId.NotFound", "Specified VPC does not exist.");
pub const INCORRECT_VPC_STATUS: ErrorDef =
    ErrorDef::new(400, "IncorrectVpcStatus", "Current VPC status does not support this operation.");
pub const DEPENDENCY_VIOLATION_SECURITY_GROUP: ErrorDef =
    ErrorDef::new(400, "DependencyViolation.SecurityGroup", "Specified object has dependent resources");

pub const ERRORS: &[ErrorDef] = &[
    INVALID_SECURITY_GROUP_ID_NOT_FOUND,
    INVALID_SECURITY_GROUP_ID_NOT_FOUND_RUN,
    DEPENDENCY_VIOLATION,
    INVALID_VPC_ID_NOT_FOUND,
    INCORRECT_VPC_STATUS,
    DEPENDENCY_VIOLATION_SECURITY_GROUP,
];

pub(crate) const ACTIONS: Actions = &[
    ("CreateSecurityGroup", Handler::Write(create_security_group)),
    ("DescribeSecurityGroups", Handler::Read(describe_security_groups)),
    ("DeleteSecurityGroup", Handler::Write(delete_security_group)),
    ("ModifySecurityGroupAttribute", Handler::Write(modify_security_group_attribute)),
    ("AuthorizeSecurityGroup", Handler::Write(rules::authorize_security_group)),
    ("AuthorizeSecurityGroupEgress", Handler::Write(rules::authorize_security_group_egress)),
    ("RevokeSecurityGroup", Handler::Write(rules::revoke_security_group)),
    ("RevokeSecurityGroupEgress", Handler::Write(rules::revoke_security_group_egress)),
    ("DescribeSecurityGroupAttribute", Handler::Read(rules::describe_security_group_attribute)),
];

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SecurityGroup {
    pub id: String,
    pub region: String,
    /// Empty for a classic-network group.
    pub vpc_id: String,
    pub name: String,
    pub description: String,
    pub group_type: String,
    pub resource_group_id: String,
    pub created_ms: i64,
    /// Ingress and egress rules, oldest first.
    #[serde(default)]
    pub rules: Vec<rules::Rule>,
}

impl Entity for SecurityGroup {
    const KIND: &'static str = "security_group";
    fn id(&self) -> &str {
        &self.id
    }
    fn parent(&self) -> Option<&str> {
        (!self.vpc_id.is_empty()).then_some(self.vpc_id.as_str())
    }
}

/// Plugs security groups into the VPC deletion seam.
pub fn register(cloud: &Cloud) {
    cloud.register_dependents(Arc::new(Seams));
    cloud.register_taggable("Ecs", TAG_TYPE, |tx, scope, id| tx.exists::<SecurityGroup>(scope, id));
}

struct Seams;

impl Dependents for Seams {
    fn vpc_in_use(&self, tx: &Tx<'_>, scope: &Scope, vpc_id: &str) -> Option<ApiError> {
        (!tx.child_ids::<SecurityGroup>(scope, vpc_id).is_empty()).then(|| DEPENDENCY_VIOLATION_SECURITY_GROUP.into())
    }
}

/// The group, if it exists in the scope.
pub fn get(r: &impl Read, scope: &Scope, id: &str) -> Option<SecurityGroup> {
    r.get::<SecurityGroup>(scope, id)
}

fn create_security_group(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let vpc_id = match call.str("VpcId") {
        Some(id) => {
            let vpc = vpc::get(tx, &scope, id).map_err(|_| INVALID_VPC_ID_NOT_FOUND)?;
            if !call.settled(vpc.created_ms) {
                return Err(INCORRECT_VPC_STATUS.into());
            }
            vpc.id
        }
        None => String::new(),
    };
    let id = new_id("sg", &scope.region);
    tx.put(
        &scope,
        SecurityGroup {
            id: id.clone(),
            region: scope.region.clone(),
            vpc_id,
            name: call.str("SecurityGroupName").unwrap_or_default().to_string(),
            description: call.str("Description").unwrap_or_default().to_string(),
            group_type: call.str("SecurityGroupType").unwrap_or("normal").to_string(),
            resource_group_id: call.resource_group(),
            created_ms: call.now_ms,
            rules: Vec::new(),
        },
    );
    tag::create_with(call, tx, &scope, tag::Product::Ecs, TAG_TYPE, &id, "Tag")?;
    Ok(body(json!({ "SecurityGroupId": id })))
}

fn delete_security_group(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let group = get(tx, &scope, call.required("SecurityGroupId")?).ok_or(INVALID_SECURITY_GROUP_ID_NOT_FOUND)?;
    if instance::count_in_security_group(tx, &scope, &group.id) > 0 {
        return Err(DEPENDENCY_VIOLATION.into());
    }
    tx.delete::<SecurityGroup>(&scope, &group.id);
    tag::forget(tx, &scope, &group.id);
    Ok(Body::new())
}

fn modify_security_group_attribute(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let mut group = get(tx, &scope, call.required("SecurityGroupId")?).ok_or(INVALID_SECURITY_GROUP_ID_NOT_FOUND)?;
    call.update(&mut group.name, "SecurityGroupName");
    call.update(&mut group.description, "Description");
    tx.put(&scope, group);
    Ok(Body::new())
}

fn describe_security_groups(call: &Call<'_>, view: &View<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let page = Page::from_params(call.params);
    let mut ids = call.params.strings("SecurityGroupIds");
    ids.extend(call.str("SecurityGroupId").map(str::to_string));
    let network = call.str("NetworkType");
    let tags = tag::filter(call, "Tag");
    let (groups, total) = view.page::<SecurityGroup>(
        &scope,
        |g| {
            tag::matches(view, &scope, &g.id, &tags)
                && (ids.is_empty() || ids.contains(&g.id))
                && call.str("VpcId").is_none_or(|v| v == g.vpc_id)
                && call.str("SecurityGroupName").is_none_or(|n| n == g.name)
                && call.str("ResourceGroupId").is_none_or(|r| r == g.resource_group_id)
                && network.is_none_or(|n| (n == "vpc") != g.vpc_id.is_empty())
        },
        page.offset(),
        page.size,
    );
    let members = instance::counts_by_security_group(view, &scope);
    let items: Vec<Value> = groups
        .iter()
        .map(|g| {
            json!({
                "SecurityGroupId": g.id,
                "SecurityGroupName": g.name,
                "Description": g.description,
                "VpcId": g.vpc_id,
                "SecurityGroupType": g.group_type,
                "CreationTime": format_time(g.created_ms),
                "ResourceGroupId": g.resource_group_id,
                "EcsCount": members.get(&g.id).copied().unwrap_or(0),
                "ServiceManaged": false,
                "Tags": tag::ecs_tags(view, &scope, &g.id),
            })
        })
        .collect();
    let mut out = body(json!({ "RegionId": scope.region, "SecurityGroups": { "SecurityGroup": items } }));
    page.annotate(&mut out, total);
    Ok(out)
}
