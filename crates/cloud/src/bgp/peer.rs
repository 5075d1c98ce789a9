//! CreateBgpPeer, DescribeBgpPeers, DeleteBgpPeer, ModifyBgpPeerAttribute (12.6-12.8, 12.11).

use acs_api::ApiError;
use acs_store::{Read, Scope, Tx, View};
use serde_json::{json, Value};

use super::{
    active_vbr, available_group, peers_of_vbr, scope_or, BgpGroup, BgpNetwork, BgpPeer, ALIYUN_ASN, ALREADY_EXISTS,
    AVAILABLE, BGP_QUOTA, CANNOT_OPERATE, GROUP_NOT_FOUND, HOLD_SECONDS, IP_MALFORMED, KEEPALIVE_SECONDS,
    PEERS_PER_VBR, PEER_IP_NEEDED, PEER_NOT_FOUND, REGION_NOT_IN_RECORDS, ROUTE_LIMIT, VPC_NOT_FOUND,
};
use crate::clock::format_minutes;
use crate::context::Call;
use crate::dispatch::{body, Body};
use crate::ids::new_id;
use crate::paging::Page;
use crate::vbr::{self, VirtualBorderRouter};

/// The BFD hop count the SDKs document as the default.
const BFD_MULTI_HOP: i64 = 255;

/// The address a peer of `vbr` may take (the description checks the IPv4 format): not one of the
/// VBR's own gateway addresses, and not the address of another of its peers (`own` is the peer
/// being modified).
fn check_address(r: &impl Read, scope: &Scope, vbr: &VirtualBorderRouter, ip: &str, own: &str) -> Result<(), ApiError> {
    if vbr.associations.iter().any(|a| a.local_gateway_ip == ip) {
        return Err(IP_MALFORMED.into());
    }
    if peers_of_vbr(r, scope, &vbr.id).iter().any(|p| p.id != own && p.peer_ip == ip) {
        return Err(ALREADY_EXISTS.into());
    }
    Ok(())
}

/// Adds a peer to an `Available` group of an active VBR. Without PeerIpAddress the peer takes the
/// peer gateway IP of the VBR's link, which must then be the only one.
pub(super) fn create_bgp_peer(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let group = available_group(call, tx, &scope, call.required("BgpGroupId")?)?;
    let vbr = active_vbr(call, tx, &scope, &group.vbr_id)?;
    let ip = match (call.str("PeerIpAddress"), vbr.associations.as_slice()) {
        (Some(ip), _) => ip.to_string(),
        (None, [only]) => only.peer_gateway_ip.clone(),
        (None, _) => return Err(PEER_IP_NEEDED.into()),
    };
    check_address(tx, &scope, &vbr, &ip, "")?;
    if peers_of_vbr(tx, &scope, &vbr.id).len() >= call.quota(tx, &PEERS_PER_VBR) {
        return Err(BGP_QUOTA.into());
    }
    let id = new_id("bgp", &scope.region);
    tx.put(
        &scope,
        BgpPeer {
            id: id.clone(),
            region: scope.region.clone(),
            group_id: group.id,
            vbr_id: vbr.id,
            peer_ip: ip,
            enable_bfd: call.params.bool("EnableBfd").unwrap_or(false),
            created_ms: call.now_ms,
            modified_ms: None,
        },
    );
    Ok(body(json!({ "BgpPeerId": id })))
}

/// Peers by id, group and VBR. No group is a default one (IsDefault=true finds none).
pub(super) fn describe_bgp_peers(call: &Call<'_>, view: &View<'_>) -> Result<Body, ApiError> {
    let scope = scope_or(call, REGION_NOT_IN_RECORDS)?;
    let page = Page::from_params(call.params);
    let id = call.str("BgpPeerId");
    let group_id = call.str("BgpGroupId");
    let router = call.str("RouterId");
    let defaults_only = call.params.bool("IsDefault") == Some(true);
    let (items, total) = view.page::<BgpPeer>(
        &scope,
        |p| {
            !defaults_only
                && id.is_none_or(|i| i == p.id)
                && group_id.is_none_or(|g| g == p.group_id)
                && router.is_none_or(|r| r == p.vbr_id)
        },
        page.offset(),
        page.size,
    );
    let items: Vec<Value> = items.iter().map(|p| item(call, view, &scope, p)).collect();
    let mut out = body(json!({ "BgpPeers": { "BgpPeer": items } }));
    page.annotate(&mut out, total);
    Ok(out)
}

/// The session is `Established` once the peer is `Available` on an active VBR (the emulated
/// on-premises side always answers), `Idle` otherwise.
fn item(call: &Call<'_>, r: &impl Read, scope: &Scope, p: &BgpPeer) -> Value {
    let group = r.get::<BgpGroup>(scope, &p.group_id);
    let vbr_active = vbr::get(r, scope, &p.vbr_id).is_some_and(|v| v.status(call) == vbr::ACTIVE);
    let status = p.status(call);
    let session = if status == AVAILABLE && vbr_active { "Established" } else { "Idle" };
    let advertised = r.child_ids::<BgpNetwork>(scope, &p.vbr_id).len();
    // A group cannot be deleted while it has peers: the defaults are never seen.
    let (description, key, fake, asn) =
        group.map(|g| (g.description, g.auth_key, g.is_fake, g.peer_asn)).unwrap_or_default();
    json!({
        "BgpGroupId": p.group_id,
        "LocalAsn": ALIYUN_ASN,
        "PeerIpAddress": p.peer_ip,
        "Hold": HOLD_SECONDS,
        "Description": description,
        "AuthKey": key,
        "IsFake": fake,
        "PeerAsn": asn,
        "Keepalive": KEEPALIVE_SECONDS,
        "RouteLimit": ROUTE_LIMIT,
        "BgpPeerId": p.id,
        "Name": "",
        "Status": status,
        "BgpStatus": session,
        "RouterId": p.vbr_id,
        "RegionId": p.region,
        "EnableBfd": p.enable_bfd,
        "IpVersion": "IPv4",
        "BfdMultiHop": BFD_MULTI_HOP,
        "GmtModified": format_minutes(p.modified_ms.unwrap_or(p.created_ms)),
        "AdvertisedRouteCount": advertised,
        "ReceivedRouteCount": 0,
    })
}

/// Moves the peer to another group of its VBR (BgpGroupId), changes its address or BFD; the peer
/// must be `Available` and is then `Modifying` for the transition delay.
pub(super) fn modify_bgp_peer_attribute(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = scope_or(call, REGION_NOT_IN_RECORDS)?;
    let mut peer = tx.get::<BgpPeer>(&scope, call.required("BgpPeerId")?).ok_or(PEER_NOT_FOUND)?;
    if peer.status(call) != AVAILABLE {
        return Err(CANNOT_OPERATE.into());
    }
    let vbr = active_vbr(call, tx, &scope, &peer.vbr_id)?;
    if let Some(group_id) = call.str("BgpGroupId") {
        if tx.get::<BgpGroup>(&scope, group_id).is_none_or(|g| g.vbr_id != peer.vbr_id) {
            return Err(GROUP_NOT_FOUND.into());
        }
        peer.group_id = available_group(call, tx, &scope, group_id)?.id;
    }
    if let Some(ip) = call.str("PeerIpAddress") {
        check_address(tx, &scope, &vbr, ip, &peer.id)?;
        peer.peer_ip = ip.to_string();
    }
    if let Some(bfd) = call.params.bool("EnableBfd") {
        peer.enable_bfd = bfd;
    }
    peer.modified_ms = Some(call.now_ms);
    tx.put(&scope, peer);
    Ok(Body::new())
}

/// An `Available` peer; an unknown one answers the table's only not-found row.
pub(super) fn delete_bgp_peer(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let peer = tx.get::<BgpPeer>(&scope, call.required("BgpPeerId")?).ok_or(VPC_NOT_FOUND)?;
    if peer.status(call) != AVAILABLE {
        return Err(CANNOT_OPERATE.into());
    }
    tx.delete::<BgpPeer>(&scope, &peer.id);
    Ok(Body::new())
}
