//! AddBgpNetwork, DescribeBgpNetworks, DeleteBgpNetwork (12.1, 12.9, 12.10): the blocks a VBR
//! advertises to its peers. A network whose VBR no longer exists is gone with it.

use acs_api::validate::parse_cidr;
use acs_api::ApiError;
use acs_store::{Read, Tx, View};
use serde_json::{json, Value};

use super::{
    active_vbr, scope_or, BgpNetwork, ALREADY_EXISTS, CANNOT_OPERATE, IP_MALFORMED, NETWORKS_PER_VBR, NETWORK_QUOTA,
    PENDING, REGION_NOT_IN_RECORDS, VBR_NETWORK_NOT_FOUND, VPC_NOT_FOUND,
};
use crate::context::Call;
use crate::dispatch::{body, Body};
use crate::paging::Page;
use crate::{vbr, vpc};

/// The block in canonical form (the description has checked it is one).
fn block(text: &str) -> Result<String, ApiError> {
    parse_cidr(text).map(|net| net.to_string()).ok_or_else(|| IP_MALFORMED.into())
}

/// Advertises a block from an active VBR; VpcId, when given, must name a VPC of the region.
pub(super) fn add_bgp_network(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = scope_or(call, REGION_NOT_IN_RECORDS)?;
    let cidr = block(call.required("DstCidrBlock")?)?;
    let vbr_id = call.required("RouterId")?;
    if vbr::get(tx, &scope, vbr_id).is_none() {
        return Err(VBR_NETWORK_NOT_FOUND.into());
    }
    let vpc_id = match call.str("VpcId") {
        Some(id) => vpc::get(tx, &scope, id).map_err(|_| VPC_NOT_FOUND)?.id,
        None => String::new(),
    };
    let vbr = active_vbr(call, tx, &scope, vbr_id)?;
    let key = BgpNetwork::key(&vbr.id, &cidr);
    if tx.exists::<BgpNetwork>(&scope, &key) {
        return Err(ALREADY_EXISTS.into());
    }
    if tx.child_ids::<BgpNetwork>(&scope, &vbr.id).len() >= call.quota(tx, &NETWORKS_PER_VBR) {
        return Err(NETWORK_QUOTA.into());
    }
    tx.put(
        &scope,
        BgpNetwork {
            key,
            region: scope.region.clone(),
            vbr_id: vbr.id,
            dst_cidr_block: cidr,
            vpc_id,
            created_ms: call.now_ms,
        },
    );
    Ok(Body::new())
}

/// Networks by VBR (`routeId`, sent as RouterId) and block (`dstCidrBlock`).
pub(super) fn describe_bgp_networks(call: &Call<'_>, view: &View<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let page = Page::from_params(call.params);
    let router = call.str("routeId");
    let wanted = call.str("dstCidrBlock").map(|b| parse_cidr(b).map_or_else(|| b.to_string(), |n| n.to_string()));
    let (items, total) = view.page::<BgpNetwork>(
        &scope,
        |n| {
            router.is_none_or(|r| r == n.vbr_id)
                && wanted.as_deref().is_none_or(|b| b == n.dst_cidr_block)
                && vbr::get(view, &scope, &n.vbr_id).is_some()
        },
        page.offset(),
        page.size,
    );
    let items: Vec<Value> = items
        .iter()
        .map(|n| {
            json!({
                "DstCidrBlock": n.dst_cidr_block,
                "VpcId": n.vpc_id,
                "RouterId": n.vbr_id,
                "Status": n.status(call),
            })
        })
        .collect();
    let mut out = body(json!({ "BgpNetworks": { "BgpNetwork": items } }));
    page.annotate(&mut out, total);
    Ok(out)
}

/// Withdraws an advertised block (not while it is still `Pending`).
pub(super) fn delete_bgp_network(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let cidr = block(call.required("dstCidrBlock")?)?;
    let vbr_id = call.required("routeId")?;
    if vbr::get(tx, &scope, vbr_id).is_none() {
        return Err(VBR_NETWORK_NOT_FOUND.into());
    }
    let network = tx.get::<BgpNetwork>(&scope, &BgpNetwork::key(vbr_id, &cidr)).ok_or(VBR_NETWORK_NOT_FOUND)?;
    if network.status(call) == PENDING {
        return Err(CANNOT_OPERATE.into());
    }
    tx.delete::<BgpNetwork>(&scope, &network.key);
    Ok(Body::new())
}
