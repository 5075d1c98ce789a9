//! ModifyInstanceAttribute, DescribeUserData, and the membership of security groups
//! (JoinSecurityGroup / LeaveSecurityGroup): an instance is in 1 to 5 groups of its own VPC (or
//! of the classic network), and changes membership only when Running or Stopped.

use acs_api::{ApiError, ErrorDef};
use acs_store::{Tx, View};
use serde_json::json;

use super::errors::{INCORRECT_INSTANCE_STATUS, LOCKED_FOR_SECURITY};
use super::{find, Instance, RUNNING, STOPPED};
use crate::context::Call;
use crate::dispatch::{body, Body};
use crate::security_group;

/// The most security groups an instance can be in.
pub const MAX_GROUPS: usize = 5;
/// UserData is at most 32 KB once base64-encoded.
pub const MAX_USER_DATA: usize = 32 * 1024;

pub const ALREADY_IN_GROUP: ErrorDef = ErrorDef::new(
    403,
    "InvalidInstanceId.AlreadyExists",
    "The specified instance already exists in the specified security group.",
);
pub const GROUP_LIMIT: ErrorDef = ErrorDef::new(
    403,
    "InstanceSecurityGroupLimitExceeded",
    "Exceeding the allowed amount of security group that an instance can join.",
);
pub const GROUP_VPC_MISMATCH: ErrorDef = ErrorDef::new(
    403,
    "InvalidInstanceId.Mismatch",
    "The specified instance and security group are not in the same VPC.",
);
pub const LAST_GROUP: ErrorDef = ErrorDef::new(
    403,
    "InstanceLastSecurityGroup",
    "The specified security group is the last security group for the instance.",
);
pub const NOT_IN_GROUP: ErrorDef = ErrorDef::new(403, "InstanceNotInSecurityGroup", "The instance not in the group.");
pub const USER_DATA_SIZE: ErrorDef =
    ErrorDef::new(400, "InvalidUserData.SizeExceeded", "The specified parameter UserData exceeds the size.");
pub const USER_DATA_BASE64: ErrorDef =
    ErrorDef::new(400, "InvalidUserData.Base64FormatInvalid", "The specified UserData is not valid base64 string.");

pub const ERRORS: &[ErrorDef] =
    &[ALREADY_IN_GROUP, GROUP_LIMIT, GROUP_VPC_MISMATCH, LAST_GROUP, NOT_IN_GROUP, USER_DATA_SIZE, USER_DATA_BASE64];

/// A UserData parameter, checked: base64, at most 32 KB.
pub(super) fn user_data(call: &Call<'_>) -> Result<Option<String>, ApiError> {
    let Some(data) = call.str("UserData") else { return Ok(None) };
    if data.len() > MAX_USER_DATA {
        return Err(USER_DATA_SIZE.into());
    }
    let base64 = |c: char| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=' | '\n' | '\r');
    if !data.chars().all(base64) {
        return Err(USER_DATA_BASE64.into());
    }
    Ok(Some(data.to_string()))
}

fn membership_status(call: &Call<'_>, inst: &Instance) -> Result<(), ApiError> {
    if inst.security_locked {
        return Err(LOCKED_FOR_SECURITY.into());
    }
    let status = inst.status(call);
    if status != RUNNING && status != STOPPED {
        return Err(INCORRECT_INSTANCE_STATUS.into());
    }
    Ok(())
}

/// Checks that every group exists and is in the instance's network.
fn check_groups(tx: &Tx<'_>, scope: &acs_store::Scope, inst: &Instance, ids: &[String]) -> Result<(), ApiError> {
    for id in ids {
        let group = security_group::get(tx, scope, id).ok_or(security_group::INVALID_SECURITY_GROUP_ID_NOT_FOUND)?;
        if group.vpc_id != inst.vpc_id {
            return Err(GROUP_VPC_MISMATCH.into());
        }
    }
    Ok(())
}

pub(super) fn join_security_group(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let (scope, mut inst) = find(call, tx)?;
    let group_id = call.required("SecurityGroupId")?.to_string();
    check_groups(tx, &scope, &inst, std::slice::from_ref(&group_id))?;
    membership_status(call, &inst)?;
    if inst.security_group_ids.contains(&group_id) {
        return Err(ALREADY_IN_GROUP.into());
    }
    if inst.security_group_ids.len() >= MAX_GROUPS {
        return Err(GROUP_LIMIT.into());
    }
    inst.security_group_ids.push(group_id);
    tx.put(&scope, inst);
    Ok(Body::new())
}

pub(super) fn leave_security_group(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let (scope, mut inst) = find(call, tx)?;
    let group_id = call.required("SecurityGroupId")?;
    security_group::get(tx, &scope, group_id).ok_or(security_group::INVALID_SECURITY_GROUP_ID_NOT_FOUND)?;
    membership_status(call, &inst)?;
    if !inst.security_group_ids.iter().any(|g| g == group_id) {
        return Err(NOT_IN_GROUP.into());
    }
    if inst.security_group_ids.len() == 1 {
        return Err(LAST_GROUP.into());
    }
    inst.security_group_ids.retain(|g| g != group_id);
    tx.put(&scope, inst);
    Ok(Body::new())
}

/// Name, description, host name, user data (base64) and the set of security groups; a password
/// is accepted and not kept.
pub(super) fn modify_instance_attribute(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let (scope, mut inst) = find(call, tx)?;
    if inst.security_locked {
        return Err(LOCKED_FOR_SECURITY.into());
    }
    call.update(&mut inst.name, "InstanceName");
    call.update(&mut inst.description, "Description");
    call.update(&mut inst.host_name, "HostName");
    if let Some(data) = user_data(call)? {
        inst.user_data = data;
    }
    let groups = call.params.strings("SecurityGroupIds");
    if !groups.is_empty() {
        if groups.len() > MAX_GROUPS {
            return Err(GROUP_LIMIT.into());
        }
        check_groups(tx, &scope, &inst, &groups)?;
        inst.security_group_ids = groups;
    }
    tx.put(&scope, inst);
    Ok(Body::new())
}

pub(super) fn describe_user_data(call: &Call<'_>, view: &View<'_>) -> Result<Body, ApiError> {
    let (scope, inst) = find(call, view)?;
    Ok(body(json!({ "RegionId": scope.region, "InstanceId": inst.id, "UserData": inst.user_data })))
}
