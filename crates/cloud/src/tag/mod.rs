//! Tags of every taggable resource, in both products: one [`TagSet`] per tagged resource, keyed
//! by the resource's id in its (account, region) partition. Families plug in with one line
//! ([`Cloud::register_taggable`]: product, ResourceType as the real API spells it, existence
//! check), accept `Tag.N` on their create calls ([`create_with`]), render `Tags.Tag[]` in their
//! Describe answers ([`vpc_tags`] / [`ecs_tags`]), filter by `Tag.N` ([`filter`], [`matches`])
//! and drop the tags with the resource ([`forget`]).
//!
//! Limits (VPC TagResources, ECS TagResources references): at most 20 tags per resource and per
//! call, at most 50 resources per call, keys 1-128 characters, values up to 128, neither
//! starting with `aliyun` or `acs:` nor containing `http://` / `https://`; a key set again
//! replaces its value.

use acs_api::{ApiError, ErrorDef};
use acs_store::{Entity, Read, Scope, Tx, View};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::context::Call;
use crate::dispatch::{body, Actions, Body, Handler};

/// Whether a resource of a registered type exists in the scope.
pub type Exists = fn(&Tx<'_>, &Scope, &str) -> bool;

pub const MAX_TAGS: usize = 20;
pub const MAX_RESOURCES: usize = 50;
const MAX_LEN: usize = 128;

// VPC (TagResources / UnTagResources / ListTagResources reference, 2016-04-28).
pub const VPC_INVALID_TAG_KEY: ErrorDef = ErrorDef::new(400, "InvalidTagKey", "The tag keys are not valid.");
pub const VPC_INVALID_TAG_VALUE: ErrorDef = ErrorDef::new(400, "InvalidTagValue", "The tag values are not valid.");
pub const VPC_INSTANCE_IDS_NOT_FOUND: ErrorDef =
    ErrorDef::new(404, "InvalidInstanceIds.NotFound", "The instanceIds are not found");
pub const VPC_INSTANCE_TYPE_NOT_FOUND: ErrorDef =
    ErrorDef::new(404, "InvalidInstanceType.NotFound", "The instance type is not found");
pub const VPC_QUOTA_EXCEEDED_TAG_NUM: ErrorDef =
    ErrorDef::new(400, "QuotaExceeded.TagNum", "Custom Tags quota exceeded");
pub const VPC_TAG_KEY_DUPLICATED: ErrorDef =
    ErrorDef::new(400, "Forbidden.TagKey.Duplicated", "The specified tag key already exists.");
pub const VPC_SIZE_LIMIT_TAG_NUM: ErrorDef =
    ErrorDef::new(400, "SizeLimitExceeded.TagNum", "The maximum number of tags is exceeded.");
pub const VPC_SIZE_LIMIT_RESOURCE_ID: ErrorDef =
    ErrorDef::new(400, "SizeLimitExceeded.ResourceId", "The maximum number of resource IDs is exceeded.");
pub const VPC_FORBIDDEN_TAG_KEYS: ErrorDef =
    ErrorDef::new(400, "Forbidden.TagKeys", "The request do not allow to operate the tag keys");

// ECS (TagResources / UntagResources / ListTagResources / DescribeTags reference, 2014-05-26).
pub const ECS_INVALID_TAG_KEY: ErrorDef =
    ErrorDef::new(400, "InvalidTagKey.Malformed", "The specified Tag.n.Key is not valid.");
pub const ECS_INVALID_TAG_VALUE: ErrorDef =
    ErrorDef::new(400, "InvalidTagValue.Malformed", "The specified Tag.n.Value is not valid.");
pub const ECS_QUOTA_EXCEED: ErrorDef =
    ErrorDef::new(400, "OperationDenied.QuotaExceed", "The quota of tags on resource is beyond permitted range.");
pub const ECS_NUMBER_EXCEED_TAGS: ErrorDef =
    ErrorDef::new(400, "NumberExceed.Tags", "The Tags parameter's number is exceed , Valid : 20.");
pub const ECS_NUMBER_EXCEED_RESOURCE_IDS: ErrorDef =
    ErrorDef::new(400, "NumberExceed.ResourceIds", "The ResourceIds parameter's number is exceed , Valid : 50.");
pub const ECS_DUPLICATE_TAG_KEY: ErrorDef =
    ErrorDef::new(400, "Duplicate.TagKey", "The Tag.N.Key contain duplicate key.");
pub const ECS_RESOURCE_ID_NOT_FOUND: ErrorDef =
    ErrorDef::new(404, "InvalidResourceId.NotFound", "The specified ResourceIds are not found in our records.");
pub const ECS_RESOURCE_TYPE_NOT_FOUND: ErrorDef =
    ErrorDef::new(404, "InvalidResourceType.NotFound", "The ResourceType provided does not exist in our records.");
pub const ECS_MISSING_TAGS: ErrorDef =
    ErrorDef::new(404, "MissingParameter.Tags", "The parameter - Tags should not be null.");
pub const ECS_INVALID_NEXT_TOKEN: ErrorDef =
    ErrorDef::new(403, "Invalid.NextToken", "The specified NextToken is not valid.");
pub const ECS_BOTH_EMPTY: ErrorDef = ErrorDef::new(
    403,
    "BothEmpty.TagsAndResources",
    "The specified Tags and ResourcesIds are not allow to both empty.",
);

pub const ERRORS: &[ErrorDef] = &[
    VPC_INVALID_TAG_KEY,
    VPC_INVALID_TAG_VALUE,
    VPC_INSTANCE_IDS_NOT_FOUND,
    VPC_INSTANCE_TYPE_NOT_FOUND,
    VPC_QUOTA_EXCEEDED_TAG_NUM,
    VPC_TAG_KEY_DUPLICATED,
    VPC_SIZE_LIMIT_TAG_NUM,
    VPC_SIZE_LIMIT_RESOURCE_ID,
    VPC_FORBIDDEN_TAG_KEYS,
    ECS_INVALID_TAG_KEY,
    ECS_INVALID_TAG_VALUE,
    ECS_QUOTA_EXCEED,
    ECS_NUMBER_EXCEED_TAGS,
    ECS_NUMBER_EXCEED_RESOURCE_IDS,
    ECS_DUPLICATE_TAG_KEY,
    ECS_RESOURCE_ID_NOT_FOUND,
    ECS_RESOURCE_TYPE_NOT_FOUND,
    ECS_MISSING_TAGS,
    ECS_INVALID_NEXT_TOKEN,
    ECS_BOTH_EMPTY,
];

pub(crate) const VPC_ACTIONS: Actions = &[
    ("TagResources", Handler::Write(vpc_tag_resources)),
    ("UnTagResources", Handler::Write(vpc_untag_resources)),
    ("ListTagResources", Handler::Read(vpc_list_tag_resources)),
];

pub(crate) const ECS_ACTIONS: Actions = &[
    ("TagResources", Handler::Write(ecs_tag_resources)),
    ("UntagResources", Handler::Write(ecs_untag_resources)),
    ("ListTagResources", Handler::Read(ecs_list_tag_resources)),
    ("DescribeTags", Handler::Read(describe_tags)),
];

/// The ResourceType values the real APIs accept (VPC's upper-case family names, ECS's lower-case
/// ones). A known type no family has registered yet has no resources: its ids are not found.
pub const VPC_TYPES: &[&str] = &[
    "VPC",
    "VSWITCH",
    "ROUTETABLE",
    "EIP",
    "VpnGateway",
    "NATGATEWAY",
    "COMMONBANDWIDTHPACKAGE",
    "PREFIXLIST",
    "CUSTOMERGATEWAY",
    "VPNCONNECTION",
    "IPV4GATEWAY",
    "FLOWLOG",
    "NETWORKACL",
    "HAVIP",
    "TRAFFICMIRRORFILTER",
    "TRAFFICMIRRORSESSION",
    "DHCPOPTIONSSET",
    "GATEWAYENDPOINT",
    "IPV6GATEWAY",
    "SSLVPNSERVER",
    "VPNPBRROUTEENTRY",
    "PUBLICIPADDRESSPOOL",
];
pub const ECS_TYPES: &[&str] = &[
    "instance",
    "disk",
    "snapshot",
    "image",
    "securitygroup",
    "volume",
    "eni",
    "ddh",
    "ddhcluster",
    "keypair",
    "launchtemplate",
    "reservedinstance",
    "snapshotpolicy",
    "elasticityassurance",
    "capacityreservation",
    "command",
    "invocation",
    "activation",
    "managedinstance",
];

/// The tags of one resource, in the order they were first set.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TagSet {
    pub resource_id: String,
    /// "Vpc" or "Ecs".
    pub product: String,
    /// The ResourceType as the product spells it (VPC, VSWITCH, instance...).
    pub resource_type: String,
    pub tags: Vec<(String, String)>,
}

impl Entity for TagSet {
    const KIND: &'static str = "tag_set";
    fn id(&self) -> &str {
        &self.resource_id
    }
}

/// Which product's wording of the rules a call gets.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Product {
    Vpc,
    Ecs,
}

/// How one product words the tag rules.
struct Wording {
    code: &'static str,
    types: &'static [&'static str],
    invalid_key: ErrorDef,
    invalid_value: ErrorDef,
    too_many_in_call: ErrorDef,
    too_many_on_resource: ErrorDef,
    duplicate: ErrorDef,
    not_found: ErrorDef,
    bad_type: ErrorDef,
    too_many_resources: ErrorDef,
}

const VPC_WORDING: Wording = Wording {
    code: "Vpc",
    types: VPC_TYPES,
    invalid_key: VPC_INVALID_TAG_KEY,
    invalid_value: VPC_INVALID_TAG_VALUE,
    too_many_in_call: VPC_SIZE_LIMIT_TAG_NUM,
    too_many_on_resource: VPC_QUOTA_EXCEEDED_TAG_NUM,
    duplicate: VPC_TAG_KEY_DUPLICATED,
    not_found: VPC_INSTANCE_IDS_NOT_FOUND,
    bad_type: VPC_INSTANCE_TYPE_NOT_FOUND,
    too_many_resources: VPC_SIZE_LIMIT_RESOURCE_ID,
};

const ECS_WORDING: Wording = Wording {
    code: "Ecs",
    types: ECS_TYPES,
    invalid_key: ECS_INVALID_TAG_KEY,
    invalid_value: ECS_INVALID_TAG_VALUE,
    too_many_in_call: ECS_NUMBER_EXCEED_TAGS,
    too_many_on_resource: ECS_QUOTA_EXCEED,
    duplicate: ECS_DUPLICATE_TAG_KEY,
    not_found: ECS_RESOURCE_ID_NOT_FOUND,
    bad_type: ECS_RESOURCE_TYPE_NOT_FOUND,
    too_many_resources: ECS_NUMBER_EXCEED_RESOURCE_IDS,
};

impl Product {
    fn wording(self) -> &'static Wording {
        match self {
            Product::Vpc => &VPC_WORDING,
            Product::Ecs => &ECS_WORDING,
        }
    }
}

fn reserved(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    lower.starts_with("aliyun") || lower.starts_with("acs:") || lower.contains("http://") || lower.contains("https://")
}

/// The `Tag.N.Key` / `Tag.N.Value` pairs of the call (param `name`), checked.
fn requested(call: &Call<'_>, name: &str, product: Product) -> Result<Vec<(String, String)>, ApiError> {
    let objects = call.params.objects(name);
    if objects.len() > MAX_TAGS {
        return Err(product.wording().too_many_in_call.into());
    }
    let mut out: Vec<(String, String)> = Vec::new();
    for o in objects {
        let key = o.get("Key").and_then(acs_api::Value::as_str).unwrap_or_default();
        let value = o.get("Value").and_then(acs_api::Value::as_str).unwrap_or_default();
        if key.is_empty() || key.chars().count() > MAX_LEN || reserved(key) {
            return Err(product.wording().invalid_key.into());
        }
        if value.chars().count() > MAX_LEN || reserved(value) {
            return Err(product.wording().invalid_value.into());
        }
        if out.iter().any(|(k, _)| k == key) {
            return Err(product.wording().duplicate.into());
        }
        out.push((key.to_string(), value.to_string()));
    }
    Ok(out)
}

/// The registered spelling of `resource_type` (case-insensitive), or the product's error for a
/// type its API does not have.
fn resource_type(call: &Call<'_>, product: Product) -> Result<(String, Option<Exists>), ApiError> {
    let given = call.required("ResourceType")?;
    let known = product
        .wording()
        .types
        .iter()
        .find(|t| t.eq_ignore_ascii_case(given))
        .ok_or_else(|| ApiError::from(product.wording().bad_type))?;
    Ok((known.to_string(), call.cloud.taggable(product.wording().code, known)))
}

/// The tags of a resource.
pub fn tags_of(r: &impl Read, scope: &Scope, id: &str) -> Vec<(String, String)> {
    r.get::<TagSet>(scope, id).map(|t| t.tags).unwrap_or_default()
}

/// `{"Tag": [{"Key", "Value"}]}` as VPC Describe answers carry it.
pub fn vpc_tags(r: &impl Read, scope: &Scope, id: &str) -> Value {
    let tags: Vec<Value> = tags_of(r, scope, id).into_iter().map(|(k, v)| json!({ "Key": k, "Value": v })).collect();
    json!({ "Tag": tags })
}

/// `{"Tag": [{"TagKey", "TagValue"}]}` as ECS Describe answers carry it.
pub fn ecs_tags(r: &impl Read, scope: &Scope, id: &str) -> Value {
    let tags: Vec<Value> =
        tags_of(r, scope, id).into_iter().map(|(k, v)| json!({ "TagKey": k, "TagValue": v })).collect();
    json!({ "Tag": tags })
}

/// The `Tag.N.Key` / `Tag.N.Value` filter of a Describe call (param `name`): (key, value if given).
pub fn filter(call: &Call<'_>, name: &str) -> Vec<(String, Option<String>)> {
    call.params
        .objects(name)
        .into_iter()
        .filter_map(|o| {
            let key = o.get("Key").and_then(acs_api::Value::as_str)?.to_string();
            let value = o.get("Value").and_then(acs_api::Value::as_str).map(str::to_string);
            Some((key, value))
        })
        .collect()
}

/// Whether the resource carries every (key, value) of the filter.
pub fn matches(r: &impl Read, scope: &Scope, id: &str, filter: &[(String, Option<String>)]) -> bool {
    if filter.is_empty() {
        return true;
    }
    let tags = tags_of(r, scope, id);
    filter.iter().all(|(k, v)| tags.iter().any(|(tk, tv)| tk == k && v.as_ref().is_none_or(|v| v == tv)))
}

/// Stores the tags of a create call on the new resource: `param` is `Tag` (`Tag.N`), or `Tags`
/// on the calls that spell it so (CreateCustomerGateway, CreateVpnConnection).
pub fn create_with(
    call: &Call<'_>,
    tx: &mut Tx<'_>,
    scope: &Scope,
    product: Product,
    resource_type: &str,
    id: &str,
    param: &str,
) -> Result<(), ApiError> {
    let tags = requested(call, param, product)?;
    if !tags.is_empty() {
        set(tx, scope, product, resource_type, id, &tags)?;
    }
    Ok(())
}

/// Drops the tags of a deleted resource.
pub fn forget(tx: &mut Tx<'_>, scope: &Scope, id: &str) {
    tx.delete::<TagSet>(scope, id);
}

fn set(
    tx: &mut Tx<'_>,
    scope: &Scope,
    product: Product,
    resource_type: &str,
    id: &str,
    tags: &[(String, String)],
) -> Result<(), ApiError> {
    let mut current = tx.get::<TagSet>(scope, id).unwrap_or_else(|| TagSet {
        resource_id: id.to_string(),
        product: product.wording().code.to_string(),
        resource_type: resource_type.to_string(),
        tags: Vec::new(),
    });
    for (k, v) in tags {
        match current.tags.iter_mut().find(|(ck, _)| ck == k) {
            Some(slot) => slot.1 = v.clone(),
            None => current.tags.push((k.clone(), v.clone())),
        }
    }
    if current.tags.len() > MAX_TAGS {
        return Err(product.wording().too_many_on_resource.into());
    }
    tx.put(scope, current);
    Ok(())
}

fn resource_ids(call: &Call<'_>, product: Product) -> Result<Vec<String>, ApiError> {
    let ids = call.params.strings("ResourceId");
    if ids.len() > MAX_RESOURCES {
        return Err(product.wording().too_many_resources.into());
    }
    Ok(ids)
}

fn tag_resources(call: &Call<'_>, tx: &mut Tx<'_>, product: Product) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let (rtype, exists) = resource_type(call, product)?;
    let ids = resource_ids(call, product)?;
    let tags = requested(call, "Tag", product)?;
    if tags.is_empty() && product == Product::Ecs {
        return Err(ECS_MISSING_TAGS.into());
    }
    for id in &ids {
        if !exists.is_some_and(|f| f(tx, &scope, id)) {
            return Err(product.wording().not_found.into());
        }
        set(tx, &scope, product, &rtype, id, &tags)?;
    }
    Ok(Body::new())
}

fn untag_resources(call: &Call<'_>, tx: &mut Tx<'_>, product: Product) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let (_, exists) = resource_type(call, product)?;
    let ids = resource_ids(call, product)?;
    let keys = call.params.strings("TagKey");
    let all = call.params.bool("All").unwrap_or(false);
    if keys.len() > MAX_TAGS {
        return Err(product.wording().too_many_in_call.into());
    }
    if product == Product::Vpc && keys.iter().any(|k| reserved(k)) {
        return Err(VPC_FORBIDDEN_TAG_KEYS.into());
    }
    for id in &ids {
        if !exists.is_some_and(|f| f(tx, &scope, id)) {
            return Err(product.wording().not_found.into());
        }
        let Some(mut set) = tx.get::<TagSet>(&scope, id) else { continue };
        if keys.is_empty() {
            // Without TagKey.N the real services remove every tag only when All=true.
            if !all {
                continue;
            }
            set.tags.clear();
        } else {
            set.tags.retain(|(k, _)| !keys.contains(k));
        }
        if set.tags.is_empty() {
            tx.delete::<TagSet>(&scope, id);
        } else {
            tx.put(&scope, set);
        }
    }
    Ok(Body::new())
}

fn vpc_tag_resources(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    tag_resources(call, tx, Product::Vpc)
}
fn ecs_tag_resources(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    tag_resources(call, tx, Product::Ecs)
}
fn vpc_untag_resources(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    untag_resources(call, tx, Product::Vpc)
}
fn ecs_untag_resources(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    untag_resources(call, tx, Product::Ecs)
}

/// (resource id, type, key, value) rows of the scope's tags of one type, in storage order.
fn rows(view: &View<'_>, scope: &Scope, product: Product, rtype: &str) -> Vec<(String, String, String, String)> {
    view.select::<TagSet>(scope, |t| t.product == product.wording().code && t.resource_type == rtype)
        .into_iter()
        .flat_map(|t| {
            let (id, ty) = (t.resource_id, t.resource_type);
            t.tags.into_iter().map(move |(k, v)| (id.clone(), ty.clone(), k, v))
        })
        .collect()
}

fn list_tag_resources(call: &Call<'_>, view: &View<'_>, product: Product) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let (rtype, _) = resource_type(call, product)?;
    let ids = resource_ids(call, product)?;
    let wanted = filter(call, "Tag");
    if wanted.len() > MAX_TAGS {
        return Err(product.wording().too_many_in_call.into());
    }
    if product == Product::Ecs && ids.is_empty() && wanted.is_empty() && call.params.objects("TagFilter").is_empty() {
        return Err(ECS_BOTH_EMPTY.into());
    }
    // ECS TagFilter.N.TagKey / TagValues.M: the resource has the key with one of the values.
    let tag_filters: Vec<(String, Vec<String>)> = call
        .params
        .objects("TagFilter")
        .into_iter()
        .filter_map(|o| {
            let key = o.get("TagKey").and_then(acs_api::Value::as_str)?.to_string();
            let values = match o.get("TagValues") {
                Some(acs_api::Value::List(vs)) => vs.iter().filter_map(|v| v.as_str().map(str::to_string)).collect(),
                _ => Vec::new(),
            };
            Some((key, values))
        })
        .collect();
    let selected = |id: &str| {
        (ids.is_empty() || ids.iter().any(|i| i == id))
            && matches(view, &scope, id, &wanted)
            && tag_filters.iter().all(|(k, vs)| {
                tags_of(view, &scope, id).iter().any(|(tk, tv)| tk == k && (vs.is_empty() || vs.contains(tv)))
            })
    };
    let all: Vec<_> = rows(view, &scope, product, &rtype).into_iter().filter(|r| selected(&r.0)).collect();
    let start = match call.str("NextToken") {
        None => 0,
        Some(t) => match parse_token(t) {
            Some(n) => n,
            None if product == Product::Ecs => return Err(ECS_INVALID_NEXT_TOKEN.into()),
            None => 0,
        },
    };
    let size = match product {
        Product::Vpc => call.params.int("MaxResults").unwrap_or(50).clamp(1, 50) as usize,
        Product::Ecs => 50,
    };
    let page: Vec<Value> = all
        .iter()
        .skip(start)
        .take(size)
        .map(|(id, ty, k, v)| json!({ "ResourceId": id, "ResourceType": ty, "TagKey": k, "TagValue": v }))
        .collect();
    let next = if start + size < all.len() { token(start + size) } else { String::new() };
    Ok(body(json!({ "NextToken": next, "TagResources": { "TagResource": page } })))
}

fn token(offset: usize) -> String {
    format!("tk{offset:08x}")
}

fn parse_token(t: &str) -> Option<usize> {
    usize::from_str_radix(t.strip_prefix("tk")?, 16).ok()
}

fn vpc_list_tag_resources(call: &Call<'_>, view: &View<'_>) -> Result<Body, ApiError> {
    list_tag_resources(call, view, Product::Vpc)
}
fn ecs_list_tag_resources(call: &Call<'_>, view: &View<'_>) -> Result<Body, ApiError> {
    list_tag_resources(call, view, Product::Ecs)
}

/// ECS DescribeTags: the distinct (key, value) pairs of the region's ECS resources (of one type,
/// one resource, or matching Tag.N), each with how many resources of each type carry it.
fn describe_tags(call: &Call<'_>, view: &View<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let page = crate::paging::Page::from_params(call.params);
    let rtype = match call.str("ResourceType") {
        Some(t) => Some(
            ECS_TYPES
                .iter()
                .find(|k| k.eq_ignore_ascii_case(t))
                .ok_or_else(|| ApiError::from(ECS_RESOURCE_TYPE_NOT_FOUND))?
                .to_string(),
        ),
        None => None,
    };
    let rid = call.str("ResourceId");
    let wanted = filter(call, "Tag");
    let sets = view.select::<TagSet>(&scope, |t| {
        t.product == "Ecs"
            && rtype.as_ref().is_none_or(|r| *r == t.resource_type)
            && rid.is_none_or(|r| r == t.resource_id)
    });
    // (key, value) -> (instances, security groups, others)
    let mut pairs: Vec<((String, String), (i64, i64))> = Vec::new();
    for set in &sets {
        for (k, v) in &set.tags {
            if !wanted.is_empty() && !wanted.iter().any(|(wk, wv)| wk == k && wv.as_ref().is_none_or(|wv| wv == v)) {
                continue;
            }
            let idx = match pairs.iter().position(|(p, _)| p.0 == *k && p.1 == *v) {
                Some(i) => i,
                None => {
                    pairs.push(((k.clone(), v.clone()), (0, 0)));
                    pairs.len() - 1
                }
            };
            match set.resource_type.as_str() {
                "instance" => pairs[idx].1 .0 += 1,
                "securitygroup" => pairs[idx].1 .1 += 1,
                _ => {}
            }
        }
    }
    let total = pairs.len();
    let items: Vec<Value> = pairs
        .into_iter()
        .skip(page.offset())
        .take(page.size)
        .map(|((k, v), (instances, groups))| {
            json!({
                "TagKey": k,
                "TagValue": v,
                "ResourceTypeCount": {
                    "Instance": instances, "Disk": 0, "Ddh": 0, "Image": 0, "Snapshot": 0,
                    "Securitygroup": groups, "Eni": 0, "Volume": 0, "KeyPair": 0,
                    "LaunchTemplate": 0, "ReservedInstance": 0, "SnapshotPolicy": 0,
                },
            })
        })
        .collect();
    let mut out = body(json!({ "Tags": { "Tag": items } }));
    page.annotate(&mut out, total);
    Ok(out)
}
