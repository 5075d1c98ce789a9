//! CreateBgpGroup, DescribeBgpGroups, ModifyBgpGroupAttribute, DeleteBgpGroup (12.2-12.5).

use acs_api::ApiError;
use acs_store::{Read, Tx, View};
use serde_json::{json, Value};

use super::{
    active_vbr, available_group, scope_or, BgpGroup, BgpPeer, ALIYUN_ASN, AUTH_KEY_MALFORMED, BGP_QUOTA,
    CANNOT_OPERATE, GROUPS_PER_VBR, HOLD_SECONDS, KEEPALIVE_SECONDS, PEER_ASN_MALFORMED, REGION_NOT_FOUND,
    REGION_NOT_IN_RECORDS, ROUTER_ID_NULL, ROUTE_LIMIT, VBR_NETWORK_NOT_FOUND,
};
use crate::context::Call;
use crate::dispatch::{body, Body};
use crate::ids::new_id;
use crate::paging::Page;
use crate::vbr;

/// A peer ASN is 1 to 4294967295 (checked by the description) and not Alibaba Cloud's own.
fn peer_asn(call: &Call<'_>) -> Result<Option<i64>, ApiError> {
    match call.params.int("PeerASN") {
        Some(ALIYUN_ASN) => Err(PEER_ASN_MALFORMED.into()),
        other => Ok(other),
    }
}

/// An authentication key is 1 to 64 (the length is checked by the description) printable ASCII
/// characters without spaces: what router MD5 keys accept everywhere.
fn auth_key<'a>(call: &'a Call<'_>, name: &str) -> Result<Option<&'a str>, ApiError> {
    match call.str(name) {
        Some(key) if !key.bytes().all(|b| b.is_ascii_graphic()) => Err(AUTH_KEY_MALFORMED.into()),
        other => Ok(other),
    }
}

pub(super) fn create_bgp_group(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = scope_or(call, REGION_NOT_FOUND)?;
    let asn = peer_asn(call)?.ok_or_else(|| acs_api::common::missing_parameter("PeerASN"))?;
    let key = auth_key(call, "Authkey")?.unwrap_or_default().to_string();
    let vbr_id = call.str("RouterId").ok_or(ROUTER_ID_NULL)?;
    if vbr::get(tx, &scope, vbr_id).is_none() {
        return Err(VBR_NETWORK_NOT_FOUND.into());
    }
    let vbr = active_vbr(call, tx, &scope, vbr_id)?;
    if tx.child_ids::<BgpGroup>(&scope, &vbr.id).len() >= call.quota(tx, &GROUPS_PER_VBR) {
        return Err(BGP_QUOTA.into());
    }
    let id = new_id("bgpg", &scope.region);
    tx.put(
        &scope,
        BgpGroup {
            id: id.clone(),
            region: scope.region.clone(),
            vbr_id: vbr.id,
            name: call.str("Name").unwrap_or_default().to_string(),
            description: call.str("Description").unwrap_or_default().to_string(),
            peer_asn: asn,
            auth_key: key,
            is_fake: call.params.bool("IsFakeAsn").unwrap_or(false),
            created_ms: call.now_ms,
            modified_ms: None,
        },
    );
    Ok(body(json!({ "BgpGroupId": id })))
}

/// Groups by id and VBR. No group is a default one (IsDefault=true finds none).
pub(super) fn describe_bgp_groups(call: &Call<'_>, view: &View<'_>) -> Result<Body, ApiError> {
    let scope = scope_or(call, REGION_NOT_IN_RECORDS)?;
    let page = Page::from_params(call.params);
    let id = call.str("BgpGroupId");
    let router = call.str("RouterId");
    let defaults_only = call.params.bool("IsDefault") == Some(true);
    let (items, total) = view.page::<BgpGroup>(
        &scope,
        |g| !defaults_only && id.is_none_or(|i| i == g.id) && router.is_none_or(|r| r == g.vbr_id),
        page.offset(),
        page.size,
    );
    let items: Vec<Value> = items.iter().map(|g| item(call, g)).collect();
    let mut out = body(json!({ "BgpGroups": { "BgpGroup": items } }));
    page.annotate(&mut out, total);
    Ok(out)
}

fn item(call: &Call<'_>, g: &BgpGroup) -> Value {
    json!({
        "BgpGroupId": g.id,
        "LocalAsn": ALIYUN_ASN,
        "Hold": HOLD_SECONDS,
        "Description": g.description,
        "AuthKey": g.auth_key,
        "IsFake": g.is_fake,
        "PeerAsn": g.peer_asn,
        "Keepalive": KEEPALIVE_SECONDS,
        "RouteLimit": ROUTE_LIMIT,
        "Name": g.name,
        "Status": g.status(call),
        "RouterId": g.vbr_id,
        "RegionId": g.region,
        "IpVersion": "IPv4",
    })
}

/// Changes name, description, peer ASN, key (ClearAuthKey=true removes it, whatever AuthKey
/// says) and IsFakeAsn of an `Available` group on an active VBR; the group is then `Modifying`
/// for the transition delay.
pub(super) fn modify_bgp_group_attribute(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let asn = peer_asn(call)?;
    let key = auth_key(call, "AuthKey")?;
    let mut group = available_group(call, tx, &scope, call.required("BgpGroupId")?)?;
    active_vbr(call, tx, &scope, &group.vbr_id)?;
    call.update(&mut group.name, "Name");
    call.update(&mut group.description, "Description");
    if let Some(asn) = asn {
        group.peer_asn = asn;
    }
    if call.params.bool("ClearAuthKey") == Some(true) {
        group.auth_key.clear();
    } else if let Some(key) = key {
        group.auth_key = key.to_string();
    }
    if let Some(fake) = call.params.bool("IsFakeAsn") {
        group.is_fake = fake;
    }
    group.modified_ms = Some(call.now_ms);
    tx.put(&scope, group);
    Ok(Body::new())
}

/// An `Available` group without peers.
pub(super) fn delete_bgp_group(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let group = available_group(call, tx, &scope, call.required("BgpGroupId")?)?;
    if !tx.child_ids::<BgpPeer>(&scope, &group.id).is_empty() {
        return Err(CANNOT_OPERATE.into());
    }
    tx.delete::<BgpGroup>(&scope, &group.id);
    Ok(Body::new())
}
