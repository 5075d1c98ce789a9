//! NAT gateways (chapter 16 of the VPC reference): the gateway and its two tables (gateway.rs),
//! NAT bandwidth packages, groups of public addresses that belong to one gateway (package.rs),
//! SNAT entries (snat.rs) and DNAT (forward) entries (forward.rs). docs/nat.md has the rules in
//! the order they are checked and the choices made where the reference is silent.
//!
//! A gateway lives in a VPC. Creating it adds a 0.0.0.0/0 route to it in the VPC's system table
//! (through `route_table::add_published`; the NatGateway next hop resolves through the seam
//! registered here), so a VPC that already routes 0.0.0.0/0 elsewhere cannot take one. Its
//! public addresses are the EIPs bound to it (it registers as the EIP target `Nat`, which takes
//! several) and the addresses of its bandwidth packages (from the global EIP pool). An address
//! serves either SNAT entries or DNAT entries, never both.

use std::sync::Arc;

use acs_api::{ApiError, ErrorDef};
use acs_store::{Entity, Read, Scope, Tx};
use serde::{Deserialize, Serialize};

use crate::context::{Call, Cloud, Dependents, EipTarget, EipTargetState, NextHop, NextHopResolver};
use crate::dispatch::{Actions, Body, Handler};
use crate::paging::Page;
use crate::quota::Quota;
use crate::{eip, route_table};

mod forward;
mod gateway;
mod package;
mod snat;

pub use forward::ForwardEntry;
pub use gateway::NatGateway;
pub use package::NatPackage;
pub use snat::SnatEntry;

/// The EIP `InstanceType` of NAT gateways (AssociateEipAddress).
pub const EIP_INSTANCE_TYPE: &str = "Nat";
/// The ResourceType of NAT gateways in TagResources.
pub const TAG_TYPE: &str = "NATGATEWAY";

/// Chapter 16's wording of an unknown region (every action of it).
pub const REGION_NOT_FOUND: ErrorDef = crate::router_interface::REGION_NOT_FOUND;
pub const GATEWAY_NOT_FOUND: ErrorDef =
    ErrorDef::new(404, "InvalidNatGatewayId.NotFound", "The specified NatGatewayId does not exist in our records.");
pub const NATGW_NOT_EXIST: ErrorDef = ErrorDef::new(404, "NATGW_NOT_EXIST", "The NatGateway not exist.");
pub const VPC_STATUS_ERROR: ErrorDef = ErrorDef::new(400, "VpcStatusError", "The Vpc is creating .");
pub const SPEC_SAME: ErrorDef = ErrorDef::new(400, "NATGW_MODIFY_SPEC_SAME", "The specified Spec is same with now.");
pub const ONLY_ONE_PACKAGE: ErrorDef = ErrorDef::new(
    400,
    "MissingParameter.BandwidthPackage",
    "only support one BandwidthPackage be created with NatGateway.",
);
pub const HAS_PACKAGES: ErrorDef = ErrorDef::new(
    400,
    "DependencyViolation.BandwidthPackages",
    "There are BandwidthPackages on specified NatGateway not deleted.",
);
/// DeleteVpc's code for a VPC that still has a NAT gateway.
pub const VPC_HAS_GATEWAY: ErrorDef =
    ErrorDef::new(400, "DependencyViolation.NatGateway", "Specified object has dependent resources NatGateway.");
pub const ZONE_NOT_FOUND: ErrorDef = eip::package::ZONE_NOT_FOUND;
pub const IP_QUOTA: ErrorDef =
    ErrorDef::new(400, "QuotaExceeded.BandwidthPackageIps", "The specified ipCount exceeded quota.");
pub const PACKAGE_QUOTA: ErrorDef = ErrorDef::new(
    400,
    "QuotaExceeded.BandwidthPackageCountOnNatGateway",
    "BandwidthPackage count limit on one NatGateway exceeded.",
);
pub const NO_AVAILABLE_IP: ErrorDef = ErrorDef::new(400, "ZONE_NO_AVAILABLE_IP", "The Zone have no available ip.");

/// DeleteVSwitch while an SNAT entry translates the vSwitch. 4.x (DeleteVSwitch) lists no code for
/// it; the real service answers DependencyViolation.SnatEntry (Terraform's vSwitch delete retries on
/// it), with a message the emulator chose.
pub const VSWITCH_HAS_SNAT: ErrorDef =
    ErrorDef::new(400, "DependencyViolation.SnatEntry", "The specified vSwitch is used by SnatEntry.");
/// Errors the reference does not print, chosen by the emulator.
pub const CHOSEN: &[ErrorDef] = &[VSWITCH_HAS_SNAT];

pub const ERRORS: &[ErrorDef] = &[
    GATEWAY_NOT_FOUND,
    NATGW_NOT_EXIST,
    VPC_STATUS_ERROR,
    SPEC_SAME,
    ONLY_ONE_PACKAGE,
    HAS_PACKAGES,
    VPC_HAS_GATEWAY,
    IP_QUOTA,
    PACKAGE_QUOTA,
    NO_AVAILABLE_IP,
    package::PACKAGE_NOT_FOUND,
    package::FINANCIAL_LOCKED,
    package::NOT_IN_PACKAGE,
    package::NOT_NAT_IP,
    package::REMOVE_ALL,
    package::IP_USED_BY_DNAT,
    package::IP_USED_BY_SNAT,
    package::PACKAGE_USED_BY_DNAT,
    package::PACKAGE_USED_BY_SNAT,
    snat::TABLE_NOT_FOUND,
    snat::ENTRY_NOT_FOUND,
    snat::ENTRY_NOT_FOUND_MODIFY,
    snat::HAS_HA_VIP,
    snat::TOO_MANY_IPS,
    snat::COUNT_LIMITED,
    snat::CIDR_OUTSIDE,
    snat::VSWITCH_NOT_FOUND,
    snat::INVALID_PARAMETER,
    snat::DUPLICATED,
    snat::IP_NOT_FOUND,
    snat::IP_IN_DNAT,
    snat::IP_IN_DNAT_MODIFY,
    snat::HAS_EIP,
    snat::STATUS,
    forward::TABLE_NOT_FOUND,
    forward::TABLE_NOT_FOUND_DESCRIBE,
    forward::ENTRY_NOT_FOUND,
    forward::EXTERNAL_PORT,
    forward::INTERNAL_PORT,
    forward::OUTSIDE_VPC,
    forward::OUTSIDE_VPC_MODIFY,
    forward::STATUS,
    forward::EXTERNAL_IP_NOT_FOUND,
    forward::IP_IN_SNAT,
    forward::HAS_EIP,
    forward::NOT_IN_GATEWAY,
    forward::QUOTA_EXCEEDED,
    forward::BOUNDED,
];

/// Bandwidth packages of one gateway (documented: up to four).
pub const PACKAGES_PER_GATEWAY: Quota = Quota {
    name: "nat_bandwidth_packages_per_gateway",
    default: 4,
    about: "NAT bandwidth packages of one NAT gateway (QuotaExceeded.BandwidthPackageCountOnNatGateway)",
};
/// Public addresses of one bandwidth package (documented IpCount range: 1 to 50).
pub const IPS_PER_PACKAGE: Quota = Quota {
    name: "nat_bandwidth_package_ips",
    default: 50,
    about: "public addresses of one NAT bandwidth package (QuotaExceeded.BandwidthPackageIps)",
};
/// DNAT entries of one forward table (documented: at most 100).
pub const FORWARD_ENTRIES_PER_TABLE: Quota = Quota {
    name: "forward_entries_per_table",
    default: 100,
    about: "DNAT entries of one forward table (QuotaExceeded)",
};
/// SNAT entries of one SNAT table (the reference states no number; the real service's default).
pub const SNAT_ENTRIES_PER_TABLE: Quota = Quota {
    name: "snat_entries_per_table",
    default: 40,
    about: "SNAT entries of one SNAT table (Forbidden.SnatEntryCountLimited)",
};
/// Public addresses one SNAT entry may list (the reference states no number).
pub const IPS_PER_SNAT_ENTRY: Quota = Quota {
    name: "snat_ips_per_entry",
    default: 20,
    about: "public addresses listed by one SNAT entry (SNAT_IP_POOL_COUNT_TOO_MANY)",
};

pub(crate) const ACTIONS: Actions = &[
    ("CreateNatGateway", Handler::Write(gateway::create)),
    ("ModifyNatGatewayAttribute", Handler::Write(gateway::modify_attribute)),
    ("ModifyNatGatewaySpec", Handler::Write(gateway::modify_spec)),
    ("DescribeNatGateways", Handler::Read(gateway::describe)),
    ("DeleteNatGateway", Handler::Write(gateway::delete)),
    ("CreateBandwidthPackage", Handler::Write(package::create)),
    ("DescribeBandwidthPackages", Handler::Read(package::describe)),
    ("ModifyBandwidthPackageSpec", Handler::Write(package::modify_spec)),
    ("ModifyBandwidthPackageAttribute", Handler::Write(package::modify_attribute)),
    ("AddBandwidthPackageIps", Handler::Write(package::add_ips)),
    ("RemoveBandwidthPackageIps", Handler::Write(package::remove_ips)),
    ("DeleteBandwidthPackage", Handler::Write(package::delete)),
    ("ConvertBandwidthPackage", Handler::Write(package::convert)),
    ("CreateSnatEntry", Handler::Write(snat::create)),
    ("DescribeSnatTableEntries", Handler::Read(snat::describe)),
    ("ModifySnatEntry", Handler::Write(snat::modify)),
    ("DeleteSnatEntry", Handler::Write(snat::delete)),
    ("CreateForwardEntry", Handler::Write(forward::create)),
    ("DescribeForwardTableEntries", Handler::Read(forward::describe)),
    ("ModifyForwardEntry", Handler::Write(forward::modify)),
    ("DeleteForwardEntry", Handler::Write(forward::delete)),
];

pub const SNAT: &str = "snat";
pub const FORWARD: &str = "forward";

/// One of a gateway's two tables, kept as its own record so that an entry call finds the
/// gateway from the table id it names.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NatTable {
    pub id: String,
    pub nat_gateway_id: String,
    /// [`SNAT`] or [`FORWARD`].
    pub kind: String,
}

impl Entity for NatTable {
    const KIND: &'static str = "nat_table";
    fn id(&self) -> &str {
        &self.id
    }
    fn parent(&self) -> Option<&str> {
        Some(&self.nat_gateway_id)
    }
}

/// The table `id` of `kind` and its gateway, or `not_found`.
fn table(r: &impl Read, scope: &Scope, id: &str, kind: &str, not_found: ErrorDef) -> Result<NatGateway, ApiError> {
    r.get::<NatTable>(scope, id)
        .filter(|t| t.kind == kind)
        .and_then(|t| r.get::<NatGateway>(scope, &t.nat_gateway_id))
        .ok_or_else(|| not_found.into())
}

/// Status of an entry (SNAT or DNAT) created at `created_ms` and last modified at `modified_ms`:
/// Pending, then Available; Modifying during the transition after a modification.
fn entry_status(call: &Call<'_>, created_ms: i64, modified_ms: Option<i64>) -> &'static str {
    if !call.settled(created_ms) {
        "Pending"
    } else if modified_ms.is_some_and(|m| !call.settled(m)) {
        "Modifying"
    } else {
        crate::status::AVAILABLE
    }
}

fn in_transition(status: &str) -> bool {
    status != crate::status::AVAILABLE
}

/// Who uses a public address of a gateway.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Use {
    Idle,
    Snat,
    Dnat,
}

impl Use {
    fn using_status(self) -> &'static str {
        match self {
            Use::Idle => "Idle",
            Use::Snat => "UsedBySnatTable",
            Use::Dnat => "UsedByForwardTable",
        }
    }
}

/// What uses `address` among the gateway's entries.
fn use_of(r: &impl Read, scope: &Scope, gw: &NatGateway, address: &str) -> Use {
    if forward::entries(r, scope, gw).iter().any(|e| e.external_ip == address) {
        Use::Dnat
    } else if snat::entries(r, scope, gw).iter().any(|e| e.snat_ips.iter().any(|ip| ip == address)) {
        Use::Snat
    } else {
        Use::Idle
    }
}

/// The public addresses a gateway owns: (allocation id, address) of its EIPs, then of its
/// bandwidth packages.
fn addresses(r: &impl Read, scope: &Scope, gw_id: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> =
        eip::of_target(r, scope, gw_id).into_iter().map(|e| (e.allocation_id, e.ip_address)).collect();
    for p in r.children::<NatPackage>(scope, gw_id) {
        out.extend(p.ips.into_iter().map(|ip| (ip.allocation_id, ip.address)));
    }
    out
}

fn owns(r: &impl Read, scope: &Scope, gw_id: &str, address: &str) -> bool {
    addresses(r, scope, gw_id).iter().any(|(_, a)| a == address)
}

/// One page of a table's `entries` that pass the optional filter `id_param` (their id), as the
/// Describe answer `{outer: {inner: [...]}}` with the paging fields.
fn entries_page<T: Entity>(
    call: &Call<'_>,
    entries: Vec<T>,
    id_param: &str,
    (outer, inner): (&str, &str),
    view: impl Fn(&T) -> serde_json::Value,
) -> Body {
    let page = Page::from_params(call.params);
    let matching: Vec<T> = entries.into_iter().filter(|e| call.matches(id_param, e.id())).collect();
    let items: Vec<serde_json::Value> = matching.iter().skip(page.offset()).take(page.size).map(view).collect();
    let mut out = Body::new();
    out.insert(outer.into(), serde_json::json!({ inner: items }));
    page.annotate(&mut out, matching.len());
    out
}

/// Removes every record of kind `T` under `parent` (the entries of a table that goes).
fn delete_children<T: Entity>(tx: &mut Tx<'_>, scope: &Scope, parent: &str) {
    for id in tx.child_ids::<T>(scope, parent) {
        tx.delete::<T>(scope, &id);
    }
}

/// NAT gateways of a VPC (DescribeVpcs' NatGatewayIds).
pub fn ids_of_vpc(r: &impl Read, scope: &Scope, vpc_id: &str) -> Vec<String> {
    r.child_ids::<NatGateway>(scope, vpc_id)
}

/// Plugs NAT gateways into the route-table, EIP, VPC and tag seams.
pub fn register(cloud: &Cloud) {
    let seams = Arc::new(Seams);
    cloud.register_next_hop(route_table::NAT_GATEWAY, seams.clone());
    cloud.register_eip_target(EIP_INSTANCE_TYPE, seams.clone());
    cloud.register_dependents(seams);
    cloud.register_taggable("Vpc", TAG_TYPE, |tx, scope, id| tx.exists::<NatGateway>(scope, id));
}

struct Seams;

impl NextHopResolver for Seams {
    fn resolve(&self, _call: &Call<'_>, tx: &Tx<'_>, scope: &Scope, id: &str) -> Option<NextHop> {
        tx.get::<NatGateway>(scope, id).map(|g| NextHop { vpc_id: Some(g.vpc_id), usable: true })
    }
}

impl EipTarget for Seams {
    /// A gateway takes EIPs once it has finished initiating.
    fn eip_target(&self, call: &Call<'_>, tx: &Tx<'_>, scope: &Scope, id: &str) -> Option<EipTargetState> {
        let gw = tx.get::<NatGateway>(scope, id)?;
        Some(if gw.status(call) == gateway::INITIATING { EipTargetState::WrongStatus } else { EipTargetState::Ready })
    }
    fn takes_many(&self) -> bool {
        true
    }
    /// An EIP serving SNAT or DNAT entries stays with the gateway until they go.
    fn uses_address(&self, tx: &Tx<'_>, scope: &Scope, id: &str, address: &str) -> bool {
        tx.get::<NatGateway>(scope, id).is_some_and(|gw| use_of(tx, scope, &gw, address) != Use::Idle)
    }
}

impl Dependents for Seams {
    fn vpc_in_use(&self, tx: &Tx<'_>, scope: &Scope, vpc_id: &str) -> Option<ApiError> {
        (!ids_of_vpc(tx, scope, vpc_id).is_empty()).then(|| VPC_HAS_GATEWAY.into())
    }
    /// An SNAT entry for a vSwitch goes before the vSwitch (entries of CIDR blocks do not hold it).
    fn vswitch_in_use(&self, tx: &Tx<'_>, scope: &Scope, vswitch_id: &str) -> Option<ApiError> {
        (tx.count::<snat::SnatEntry>(scope, |e| e.source_vswitch_id == vswitch_id) > 0).then(|| VSWITCH_HAS_SNAT.into())
    }
}
