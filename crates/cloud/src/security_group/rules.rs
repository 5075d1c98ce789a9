//! Security group rules: AuthorizeSecurityGroup(Egress), RevokeSecurityGroup(Egress) and the
//! rules part of DescribeSecurityGroupAttribute. A rule is given by the top-level parameters or
//! by `Permissions.N.*` (not both). Authorizing a rule that already exists (same direction,
//! protocol, ports, peer, policy, priority, NIC type) succeeds without adding it, and revoking a
//! rule that does not exist succeeds too: that is what makes Ansible's and Terraform's re-runs
//! idempotent. At most 200 rules per group (AuthorizationLimitExceed).

use acs_api::{ApiError, ErrorDef};
use acs_store::{Scope, Tx, View};
use ipnet::Ipv4Net;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::{get, SecurityGroup, INVALID_SECURITY_GROUP_ID_NOT_FOUND};
use crate::clock::format_time;
use crate::context::Call;
use crate::dispatch::{body, Body};
use crate::ids::new_id;

pub const MAX_RULES: usize = 200;

pub const INVALID_IP_PROTOCOL: ErrorDef = ErrorDef::new(
    400,
    "InvalidIpProtocol.ValueNotSupported",
    "The parameter %s must be specified with case insensitive TCP, UDP, ICMP, GRE or All.",
);
pub const INVALID_PORT_RANGE: ErrorDef = ErrorDef::new(
    400,
    "InvalidParam.PortRange",
    "The specified parameter %s is not valid. It should be two integers less than 65535 in ?/? format.",
);
pub const PORT_RANGE_MISSING: ErrorDef =
    ErrorDef::new(400, "InvalidPortRange.Malformed", "The specified parameter PortRange must set.");
pub const INVALID_SOURCE_CIDR: ErrorDef =
    ErrorDef::new(400, "InvalidParam.SourceCidrIp", "The specified parameter %s is not valid.");
pub const INVALID_DEST_CIDR: ErrorDef =
    ErrorDef::new(400, "InvalidParam.DestCidrIp", "The specified parameter %s is not valid.");
pub const MISSING_SOURCE: ErrorDef =
    ErrorDef::new(403, "MissingParameter", "The input parameter SourceGroupId or SourceCidrIp cannot be both blank.");
pub const MISSING_DEST: ErrorDef =
    ErrorDef::new(403, "MissingParameter", "The input parameter DestGroupId or DestCidrIp cannot be both blank.");
pub const SOURCE_GROUP_NOT_FOUND: ErrorDef =
    ErrorDef::new(404, "InvalidSourceGroupId.NotFound", "The SourceGroupId provided does not exist in our records.");
pub const DEST_GROUP_NOT_FOUND: ErrorDef =
    ErrorDef::new(404, "InvalidDestGroupId.NotFound", "The DestGroupId provided does not exist in our records.");
pub const SOURCE_GROUP_MISMATCH: ErrorDef = ErrorDef::new(
    400,
    "InvalidSourceGroupId.Mismatch",
    "Specified security group and source group are not in the same VPC.",
);
pub const DEST_GROUP_MISMATCH: ErrorDef = ErrorDef::new(
    400,
    "InvalidDestGroupId.Mismatch",
    "Specified security group and destination group are not in the same VPC.",
);
pub const SAME_GROUP: ErrorDef = ErrorDef::new(
    403,
    "InvalidParamter.Conflict",
    "The specified SecurityGroupId should be different from the SourceGroupId.",
);
pub const LIMIT_EXCEEDED: ErrorDef =
    ErrorDef::new(403, "AuthorizationLimitExceed", "The limit of authorization records in the security group reaches.");
pub const PERMISSIONS_CONFLICT: ErrorDef = ErrorDef::new(
    400,
    "InvalidParam.Permissions",
    "The specified parameter Permissions cannot coexist with other parameters.",
);

pub const ERRORS: &[ErrorDef] = &[
    INVALID_IP_PROTOCOL,
    INVALID_PORT_RANGE,
    PORT_RANGE_MISSING,
    INVALID_SOURCE_CIDR,
    INVALID_DEST_CIDR,
    MISSING_SOURCE,
    MISSING_DEST,
    SOURCE_GROUP_NOT_FOUND,
    DEST_GROUP_NOT_FOUND,
    SOURCE_GROUP_MISMATCH,
    DEST_GROUP_MISMATCH,
    SAME_GROUP,
    LIMIT_EXCEEDED,
    PERMISSIONS_CONFLICT,
];

pub const INGRESS: &str = "ingress";
pub const EGRESS: &str = "egress";

/// One rule of a group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rule {
    pub id: String,
    /// ingress | egress
    pub direction: String,
    /// TCP | UDP | ICMP | GRE | ALL (upper case, as DescribeSecurityGroupAttribute answers)
    pub ip_protocol: String,
    pub port_range: String,
    /// The peer: a CIDR block or a group (ingress: the source, egress: the destination).
    pub peer_cidr: String,
    pub peer_group_id: String,
    /// Ingress: the destination CIDR on the group's side; egress: the source CIDR.
    pub local_cidr: String,
    pub source_port_range: String,
    /// Accept | Drop
    pub policy: String,
    pub priority: i64,
    /// intranet | internet
    pub nic_type: String,
    pub description: String,
    pub created_ms: i64,
}

impl Rule {
    /// Two rules are the same when everything but the id, description and time agrees.
    fn same(&self, other: &Rule) -> bool {
        self.direction == other.direction
            && self.ip_protocol == other.ip_protocol
            && self.port_range == other.port_range
            && self.peer_cidr == other.peer_cidr
            && self.peer_group_id == other.peer_group_id
            && self.local_cidr == other.local_cidr
            && self.source_port_range == other.source_port_range
            && self.policy == other.policy
            && self.priority == other.priority
            && self.nic_type == other.nic_type
    }
}

/// A field of one requested rule: from `Permissions.N` or the top-level parameters.
type Field<'a> = &'a dyn Fn(&str) -> Option<String>;

fn with_name(def: ErrorDef, name: &str) -> ApiError {
    def.with_message(def.message.replace("%s", name))
}

fn cidr(value: &str) -> Option<String> {
    if let Ok(net) = value.parse::<Ipv4Net>() {
        return Some(net.to_string());
    }
    value.parse::<std::net::Ipv4Addr>().ok().map(|a| a.to_string())
}

fn port_range(protocol: &str, given: Option<String>) -> Result<String, ApiError> {
    match protocol {
        "TCP" | "UDP" => {
            let range = given.ok_or(PORT_RANGE_MISSING)?;
            let bad = || with_name(INVALID_PORT_RANGE, "PortRange");
            let (a, b) = range.split_once('/').ok_or_else(bad)?;
            let (a, b): (i64, i64) = (a.parse().map_err(|_| bad())?, b.parse().map_err(|_| bad())?);
            if !(1..=65535).contains(&a) || !(1..=65535).contains(&b) || a > b {
                return Err(bad());
            }
            Ok(format!("{a}/{b}"))
        }
        // ICMP, GRE and ALL have no ports: -1/-1 whatever is given.
        _ => Ok("-1/-1".to_string()),
    }
}

/// Reads and checks one requested rule.
fn requested(
    call: &Call<'_>,
    tx: &Tx<'_>,
    scope: &Scope,
    group: &SecurityGroup,
    direction: &str,
    field: Field<'_>,
) -> Result<Rule, ApiError> {
    let protocol = field("IpProtocol").unwrap_or_default().to_ascii_uppercase();
    if !["TCP", "UDP", "ICMP", "GRE", "ALL"].contains(&protocol.as_str()) {
        return Err(with_name(INVALID_IP_PROTOCOL, "IpProtocol"));
    }
    let port_range = port_range(&protocol, field("PortRange"))?;
    let ingress = direction == INGRESS;
    let (peer_cidr_name, peer_group_name, local_cidr_name) = if ingress {
        ("SourceCidrIp", "SourceGroupId", "DestCidrIp")
    } else {
        ("DestCidrIp", "DestGroupId", "SourceCidrIp")
    };
    let bad_cidr = |name: &str| {
        let def = if name == "SourceCidrIp" { INVALID_SOURCE_CIDR } else { INVALID_DEST_CIDR };
        with_name(def, name)
    };
    let peer_cidr = match field(peer_cidr_name) {
        Some(v) => cidr(&v).ok_or_else(|| bad_cidr(peer_cidr_name))?,
        None => String::new(),
    };
    let local_cidr = match field(local_cidr_name) {
        Some(v) => cidr(&v).ok_or_else(|| bad_cidr(local_cidr_name))?,
        None => String::new(),
    };
    let peer_group_id = field(peer_group_name).unwrap_or_default();
    if peer_cidr.is_empty() && peer_group_id.is_empty() {
        return Err(if ingress { MISSING_SOURCE } else { MISSING_DEST }.into());
    }
    if !peer_group_id.is_empty() {
        if peer_group_id == group.id {
            return Err(SAME_GROUP.into());
        }
        let peer = get(tx, scope, &peer_group_id).ok_or(if ingress {
            SOURCE_GROUP_NOT_FOUND
        } else {
            DEST_GROUP_NOT_FOUND
        })?;
        if peer.vpc_id != group.vpc_id {
            return Err(if ingress { SOURCE_GROUP_MISMATCH } else { DEST_GROUP_MISMATCH }.into());
        }
    }
    // VPC groups only have intranet rules; classic ones default to internet.
    let nic_type = if group.vpc_id.is_empty() {
        field("NicType").unwrap_or_else(|| "internet".to_string())
    } else {
        "intranet".to_string()
    };
    Ok(Rule {
        id: new_id("sgr", &scope.region),
        direction: direction.to_string(),
        ip_protocol: protocol,
        port_range,
        peer_cidr,
        peer_group_id,
        local_cidr,
        source_port_range: field("SourcePortRange").unwrap_or_default(),
        policy: field("Policy").map_or_else(|| "Accept".to_string(), |p| capitalized(&p)),
        priority: field("Priority").and_then(|p| p.parse().ok()).unwrap_or(1),
        nic_type,
        description: field("Description").unwrap_or_default(),
        created_ms: call.now_ms,
    })
}

fn capitalized(policy: &str) -> String {
    if policy.eq_ignore_ascii_case("drop") {
        "Drop".to_string()
    } else {
        "Accept".to_string()
    }
}

/// The rules of the call: `Permissions.N.*` or the top-level parameters.
fn requested_all(
    call: &Call<'_>,
    tx: &Tx<'_>,
    scope: &Scope,
    group: &SecurityGroup,
    direction: &str,
) -> Result<Vec<Rule>, ApiError> {
    let permissions = call.params.objects("Permissions");
    if permissions.is_empty() {
        let top =
            |name: &str| call.str(name).map(str::to_string).or_else(|| call.params.int(name).map(|i| i.to_string()));
        return Ok(vec![requested(call, tx, scope, group, direction, &top)?]);
    }
    if call.str("IpProtocol").is_some() {
        return Err(PERMISSIONS_CONFLICT.into());
    }
    permissions
        .into_iter()
        .map(|p| {
            let field = |name: &str| match p.get(name) {
                Some(acs_api::Value::Str(s)) => Some(s.clone()),
                Some(acs_api::Value::Int(i)) => Some(i.to_string()),
                _ => None,
            };
            requested(call, tx, scope, group, direction, &field)
        })
        .collect()
}

fn group_of(call: &Call<'_>, tx: &Tx<'_>, scope: &Scope) -> Result<SecurityGroup, ApiError> {
    get(tx, scope, call.required("SecurityGroupId")?).ok_or_else(|| INVALID_SECURITY_GROUP_ID_NOT_FOUND.into())
}

fn authorize(call: &Call<'_>, tx: &mut Tx<'_>, direction: &str) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let mut group = group_of(call, tx, &scope)?;
    for rule in requested_all(call, tx, &scope, &group, direction)? {
        if group.rules.iter().any(|r| r.same(&rule)) {
            continue;
        }
        if group.rules.len() >= MAX_RULES {
            return Err(LIMIT_EXCEEDED.into());
        }
        group.rules.push(rule);
    }
    tx.put(&scope, group);
    Ok(Body::new())
}

fn revoke(call: &Call<'_>, tx: &mut Tx<'_>, direction: &str) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let mut group = group_of(call, tx, &scope)?;
    let by_id = call.params.strings("SecurityGroupRuleId");
    if by_id.is_empty() {
        for rule in requested_all(call, tx, &scope, &group, direction)? {
            group.rules.retain(|r| !r.same(&rule));
        }
    } else {
        group.rules.retain(|r| !(r.direction == direction && by_id.contains(&r.id)));
    }
    tx.put(&scope, group);
    Ok(Body::new())
}

pub(super) fn authorize_security_group(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    authorize(call, tx, INGRESS)
}
pub(super) fn authorize_security_group_egress(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    authorize(call, tx, EGRESS)
}
pub(super) fn revoke_security_group(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    revoke(call, tx, INGRESS)
}
pub(super) fn revoke_security_group_egress(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    revoke(call, tx, EGRESS)
}

/// DescribeSecurityGroupAttribute: the group and its rules (Direction ingress | egress | all).
pub(super) fn describe_security_group_attribute(call: &Call<'_>, view: &View<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let group = get(view, &scope, call.required("SecurityGroupId")?).ok_or(INVALID_SECURITY_GROUP_ID_NOT_FOUND)?;
    let direction = call.str("Direction").unwrap_or("all");
    let nic = call.str("NicType");
    let name_of = |id: &str| get(view, &scope, id).map(|g| g.name).unwrap_or_default();
    let permissions: Vec<Value> = group
        .rules
        .iter()
        .filter(|r| (direction == "all" || r.direction == direction) && nic.is_none_or(|n| n == r.nic_type))
        .map(|r| {
            let ingress = r.direction == INGRESS;
            let (source_cidr, dest_cidr) =
                if ingress { (&r.peer_cidr, &r.local_cidr) } else { (&r.local_cidr, &r.peer_cidr) };
            let (source_group, dest_group) =
                if ingress { (r.peer_group_id.as_str(), "") } else { ("", r.peer_group_id.as_str()) };
            json!({
                "SecurityGroupRuleId": r.id,
                "Direction": r.direction,
                "IpProtocol": r.ip_protocol,
                "PortRange": r.port_range,
                "SourcePortRange": r.source_port_range,
                "SourceCidrIp": source_cidr,
                "Ipv6SourceCidrIp": "",
                "SourceGroupId": source_group,
                "SourceGroupName": if source_group.is_empty() { String::new() } else { name_of(source_group) },
                "SourceGroupOwnerAccount": "",
                "SourcePrefixListId": "",
                "SourcePrefixListName": "",
                "DestCidrIp": dest_cidr,
                "Ipv6DestCidrIp": "",
                "DestGroupId": dest_group,
                "DestGroupName": if dest_group.is_empty() { String::new() } else { name_of(dest_group) },
                "DestGroupOwnerAccount": "",
                "DestPrefixListId": "",
                "DestPrefixListName": "",
                "Policy": r.policy,
                "Priority": r.priority.to_string(),
                "NicType": r.nic_type,
                "Description": r.description,
                "CreateTime": format_time(r.created_ms),
                "PortRangeListId": "",
                "PortRangeListName": "",
            })
        })
        .collect();
    Ok(body(json!({
        "RegionId": scope.region,
        "SecurityGroupId": group.id,
        "SecurityGroupName": group.name,
        "Description": group.description,
        "VpcId": group.vpc_id,
        "InnerAccessPolicy": "Accept",
        "Permissions": { "Permission": permissions },
    })))
}
