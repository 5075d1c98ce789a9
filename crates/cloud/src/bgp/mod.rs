//! BGP on virtual border routers (VPC reference chapter 12): groups, peers and advertised networks.
//!
//! A BGP group belongs to a VBR (its `RouterId`) and carries the session settings (peer ASN,
//! authentication key); its peers are the on-premises neighbours; the VBR advertises networks
//! (`AddBgpNetwork`) independently of groups. Groups and peers are `Pending` for the transition
//! delay after creation and `Modifying` for the delay after a change, then `Available`; networks
//! are `Pending`, then `Available`. Deletions take effect at once. BGP groups block deleting their
//! VBR (DependencyViolation.BgpGroup, through the `vbr_in_use` seam); a network whose VBR is gone
//! is gone with it. The rules and the choices where the reference is silent are in
//! docs/express_connect/bgp.md.

mod group;
mod network;
mod peer;

use std::sync::Arc;

use acs_api::{ApiError, ErrorDef};
use acs_store::{Entity, Read, Scope, Tx};
use serde::{Deserialize, Serialize};

use crate::context::{Call, Cloud, Dependents};
use crate::dispatch::{Actions, Handler};
use crate::quota::Quota;
use crate::vbr::{self, VirtualBorderRouter};

/// CreateBgpGroup's wording of the region error (12.2).
pub const REGION_NOT_FOUND: ErrorDef =
    ErrorDef::new(404, "InvalidRegionId.NotFound", "The specified RegionId is not found.");
/// The wording of DescribeBgpGroups, DescribeBgpPeers, AddBgpNetwork and ModifyBgpPeerAttribute.
pub const REGION_NOT_IN_RECORDS: ErrorDef =
    ErrorDef::new(404, "InvalidRegionId.NotFound", "The specified RegionId does not exist in our records.");
/// The quota row of every action of the chapter; its description is the group quota of the VBR
/// (CreateBgpGroup) and its message the peer quota (CreateBgpPeer): both answer with it.
pub const BGP_QUOTA: ErrorDef = ErrorDef::new(400, "QuotaExceeded.Bgp", "bgp peer count per vbr quota exceed.");
pub const NETWORK_QUOTA: ErrorDef =
    ErrorDef::new(400, "QuotaExceeded.BgpNetwork", "bgp network count per vbr quota exceed.");
pub const PEER_IP_NEEDED: ErrorDef = ErrorDef::new(400, "InvalidPeerIpAddress", "multi pconn peer ip can not be null.");
/// An unknown VBR (CreateBgpGroup, AddBgpNetwork, DeleteBgpNetwork) or a block the VBR does not
/// advertise (DeleteBgpNetwork). The typo is the reference's.
pub const VBR_NETWORK_NOT_FOUND: ErrorDef = ErrorDef::new(400, "InvalidVbrNetwork", "vbr netowrk not exists");
pub const GROUP_NOT_FOUND: ErrorDef = ErrorDef::new(400, "InvalidBgpGroup", "bgp group not exists");
pub const AUTH_KEY_MALFORMED: ErrorDef =
    ErrorDef::new(400, "InvalidBgpAuthkey.Malformed", "Specified Bgp Group authkey is not valid.");
pub const PEER_ASN_MALFORMED: ErrorDef =
    ErrorDef::new(400, "InvalidPeerAsn.Malformed", "invalid peer asn cannot equals aliyun asn:45104");
/// A CreateBgpGroup without RouterId (the seed marks it optional; the message is the table's).
pub const ROUTER_ID_NULL: ErrorDef =
    ErrorDef::new(400, "InvalidParams.NotNull", "invalid peer asn cannot equals aliyun asn:45104");
pub const IP_MALFORMED: ErrorDef = ErrorDef::new(400, "InvalidIP.Malformed", "Ip malformed.");
/// An unknown peer for ModifyBgpPeerAttribute (the row of 12.6).
pub const PEER_NOT_FOUND: ErrorDef = ErrorDef::new(404, "InvalidParams.NotFound", "instance not found");
/// An unknown VpcId (AddBgpNetwork) or an unknown peer (DeleteBgpPeer, whose table has no other
/// not-found row).
pub const VPC_NOT_FOUND: ErrorDef = ErrorDef::new(404, "InvalidParams.NotFound", "vpc instance not found");
pub const ALREADY_EXISTS: ErrorDef = ErrorDef::new(400, "InvalidParams.AlreadyExists", "bgp network already exists");
pub const CANNOT_OPERATE: ErrorDef = ErrorDef::new(400, "InvalidStatus.CannotOperate", "invalid status cannot operate");
/// DeleteVirtualBorderRouter on a VBR that still has BGP groups (the current reference's row).
pub const VBR_HAS_GROUPS: ErrorDef =
    ErrorDef::new(400, "DependencyViolation.BgpGroup", "bgp group exists, cannot delete vbr.");

pub const ERRORS: &[ErrorDef] = &[
    REGION_NOT_FOUND,
    REGION_NOT_IN_RECORDS,
    BGP_QUOTA,
    NETWORK_QUOTA,
    PEER_IP_NEEDED,
    VBR_NETWORK_NOT_FOUND,
    GROUP_NOT_FOUND,
    AUTH_KEY_MALFORMED,
    PEER_ASN_MALFORMED,
    ROUTER_ID_NULL,
    IP_MALFORMED,
    PEER_NOT_FOUND,
    VPC_NOT_FOUND,
    ALREADY_EXISTS,
    CANNOT_OPERATE,
    VBR_HAS_GROUPS,
];

pub(crate) const ACTIONS: Actions = &[
    ("CreateBgpGroup", Handler::Write(group::create_bgp_group)),
    ("DescribeBgpGroups", Handler::Read(group::describe_bgp_groups)),
    ("ModifyBgpGroupAttribute", Handler::Write(group::modify_bgp_group_attribute)),
    ("DeleteBgpGroup", Handler::Write(group::delete_bgp_group)),
    ("CreateBgpPeer", Handler::Write(peer::create_bgp_peer)),
    ("DescribeBgpPeers", Handler::Read(peer::describe_bgp_peers)),
    ("ModifyBgpPeerAttribute", Handler::Write(peer::modify_bgp_peer_attribute)),
    ("DeleteBgpPeer", Handler::Write(peer::delete_bgp_peer)),
    ("AddBgpNetwork", Handler::Write(network::add_bgp_network)),
    ("DescribeBgpNetworks", Handler::Read(network::describe_bgp_networks)),
    ("DeleteBgpNetwork", Handler::Write(network::delete_bgp_network)),
];

/// Statuses of groups, peers and networks.
pub const PENDING: &str = "Pending";
pub const MODIFYING: &str = "Modifying";
pub const AVAILABLE: &str = "Available";

/// The Alibaba Cloud side's ASN, which a peer ASN may not equal.
pub const ALIYUN_ASN: i64 = 45104;
/// Session settings the API does not change (the reference's sample values).
pub const HOLD_SECONDS: i64 = 30;
pub const KEEPALIVE_SECONDS: i64 = 10;
pub const ROUTE_LIMIT: i64 = 99;
/// BGP groups per VBR (the emulator's choice: the reference names the quota without a number).
pub const GROUPS_PER_VBR: Quota = Quota { name: "bgp_groups_per_vbr", default: 8, about: "BGP groups on one VBR" };
/// BGP peers per VBR (the current reference: "at most eight BGP peers for each VBR").
pub const PEERS_PER_VBR: Quota = Quota { name: "bgp_peers_per_vbr", default: 8, about: "BGP peers on one VBR" };
/// Advertised networks per VBR (the emulator's choice).
pub const NETWORKS_PER_VBR: Quota =
    Quota { name: "bgp_networks_per_vbr", default: 50, about: "advertised BGP networks of one VBR" };

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BgpGroup {
    pub id: String,
    pub region: String,
    /// The VBR (`RouterId`).
    pub vbr_id: String,
    pub name: String,
    pub description: String,
    pub peer_asn: i64,
    pub auth_key: String,
    pub is_fake: bool,
    pub created_ms: i64,
    /// The last ModifyBgpGroupAttribute (the group is `Modifying` for the delay after it).
    #[serde(default)]
    pub modified_ms: Option<i64>,
}

impl Entity for BgpGroup {
    const KIND: &'static str = "bgp_group";
    fn id(&self) -> &str {
        &self.id
    }
    fn parent(&self) -> Option<&str> {
        Some(&self.vbr_id)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BgpPeer {
    pub id: String,
    pub region: String,
    pub group_id: String,
    pub vbr_id: String,
    pub peer_ip: String,
    pub enable_bfd: bool,
    pub created_ms: i64,
    #[serde(default)]
    pub modified_ms: Option<i64>,
}

impl Entity for BgpPeer {
    const KIND: &'static str = "bgp_peer";
    fn id(&self) -> &str {
        &self.id
    }
    fn parent(&self) -> Option<&str> {
        Some(&self.group_id)
    }
}

/// A block a VBR advertises; keyed by VBR and block.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BgpNetwork {
    pub key: String,
    pub region: String,
    pub vbr_id: String,
    pub dst_cidr_block: String,
    pub vpc_id: String,
    pub created_ms: i64,
}

impl Entity for BgpNetwork {
    const KIND: &'static str = "bgp_network";
    fn id(&self) -> &str {
        &self.key
    }
    fn parent(&self) -> Option<&str> {
        Some(&self.vbr_id)
    }
}

impl BgpNetwork {
    fn key(vbr_id: &str, cidr: &str) -> String {
        format!("{vbr_id} {cidr}")
    }

    fn status(&self, call: &Call<'_>) -> &'static str {
        if call.settled(self.created_ms) {
            AVAILABLE
        } else {
            PENDING
        }
    }
}

/// `Pending` for the delay after creation, `Modifying` for the delay after a change, else
/// `Available`.
fn lifecycle(call: &Call<'_>, created_ms: i64, modified_ms: Option<i64>) -> &'static str {
    if !call.settled(created_ms) {
        PENDING
    } else if modified_ms.is_some_and(|t| !call.settled(t)) {
        MODIFYING
    } else {
        AVAILABLE
    }
}

impl BgpGroup {
    pub fn status(&self, call: &Call<'_>) -> &'static str {
        lifecycle(call, self.created_ms, self.modified_ms)
    }
}

impl BgpPeer {
    pub fn status(&self, call: &Call<'_>) -> &'static str {
        lifecycle(call, self.created_ms, self.modified_ms)
    }
}

/// The call's scope; an unknown region answers with the action's own wording of the error.
fn scope_or(call: &Call<'_>, wording: ErrorDef) -> Result<Scope, ApiError> {
    call.scope_or(wording)
}

/// The VBR, which must be active (not terminated, not recovering) for BGP to be configured on it.
fn active_vbr(call: &Call<'_>, r: &impl Read, scope: &Scope, vbr_id: &str) -> Result<VirtualBorderRouter, ApiError> {
    match vbr::get(r, scope, vbr_id) {
        Some(v) if v.status(call) == vbr::ACTIVE => Ok(v),
        _ => Err(CANNOT_OPERATE.into()),
    }
}

/// The group, which must exist (InvalidBgpGroup) and be `Available` (InvalidStatus.CannotOperate).
fn available_group(call: &Call<'_>, r: &impl Read, scope: &Scope, id: &str) -> Result<BgpGroup, ApiError> {
    let group = r.get::<BgpGroup>(scope, id).ok_or(GROUP_NOT_FOUND)?;
    if group.status(call) != AVAILABLE {
        return Err(CANNOT_OPERATE.into());
    }
    Ok(group)
}

/// Every peer of the VBR's groups.
fn peers_of_vbr(r: &impl Read, scope: &Scope, vbr_id: &str) -> Vec<BgpPeer> {
    r.child_ids::<BgpGroup>(scope, vbr_id).iter().flat_map(|g| r.children::<BgpPeer>(scope, g)).collect()
}

/// Plugs BGP groups into the VBR's deletion.
pub fn register(cloud: &Cloud) {
    cloud.register_dependents(Arc::new(Seams));
}

struct Seams;

impl Dependents for Seams {
    fn vbr_in_use(&self, tx: &Tx<'_>, scope: &Scope, vbr_id: &str) -> Option<ApiError> {
        (!tx.child_ids::<BgpGroup>(scope, vbr_id).is_empty()).then(|| VBR_HAS_GROUPS.into())
    }
}
