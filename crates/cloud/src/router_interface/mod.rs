//! Router interfaces (VPC reference chapter 11, seeds 000/001 for ModifyRouterInterfaceSpec):
//! the two ends of a connection between two routers (VRouters or virtual border routers).
//!
//! An interface is an initiator (`InitiatingSide`, with a Spec that sets the link's bandwidth) or
//! an acceptor (`AcceptingSide`, Spec `Negative`) on a vRouter or a VBR, and names its opposite
//! (region, router, interface, owner). ConnectRouterInterface joins an Idle initiator and the
//! acceptor that names it back; both go through `Connecting` to `Active`. Activate/Deactivate
//! move one side between `Inactive` and `Active` (through `Activating` / `Deactivating`), and
//! ModifyRouterInterfaceSpec changes an Active initiator's Spec (through `Activating`).
//! Transitional states last the configured transition delay, derived from the timestamp of the
//! last change ([`Call::settled`]). docs/express_connect/router_interface.md has the rules.
//!
//! Interfaces answer route next hops of type `RouterInterface` and block deleting their VPC
//! (DependencyViolation.RouterInterface) or their VBR (through [`Dependents`]).

mod describe;
mod lifecycle;
mod opposite;

use std::sync::Arc;

use acs_api::{ApiError, ErrorDef};
use acs_store::{Entity, Read, Scope, Tx};
use serde::{Deserialize, Serialize};

use crate::context::{Call, Cloud, Dependents, NextHop, NextHopResolver};
use crate::dispatch::{Actions, Handler};
use crate::quota::Quota;
use crate::{region, route_table, vbr, vpc, vrouter};

// --- errors, as the API description has them ----------------------------------------------------

/// CreateRouterInterface's wording (RegionId and OppositeRegionId).
pub const REGION_NOT_FOUND_CREATE: ErrorDef =
    ErrorDef::new(404, "InvalidRegionId.NotFound", "The regionId provided does not exist in our records.");
/// ActivateRouterInterface's and ModifyRouterInterfaceAttribute's wording.
pub const REGION_NOT_FOUND: ErrorDef =
    ErrorDef::new(404, "InvalidRegionId.NotFound", "The specified RegionId does not exist in our records.");
/// Connect, Deactivate and ModifyRouterInterfaceSpec.
pub const NOT_FOUND: ErrorDef = ErrorDef::new(
    404,
    "InvalidRouterInterfaceId.NotFound",
    "The specified RouterInterfaceId does not exist in our record.",
);
/// Activate and ModifyRouterInterfaceAttribute.
pub const NOT_FOUND_RECORDS: ErrorDef = ErrorDef::new(
    404,
    "InvalidRouterInterfaceId.NotFound",
    "The specified RouterInterfaceId does not exist in our records.",
);
/// DeleteRouterInterface documents this code for an interface that does not exist.
pub const INSTANCE_NOT_FOUND: ErrorDef =
    ErrorDef::new(404, "InvalidInstanceId.NotFound", "The InstanceId provided does not exist in our records.");
pub const ROUTER_NOT_FOUND: ErrorDef =
    ErrorDef::new(404, "InvalidRouterId.NotFound", "The specified RouterId does not exist in our recored.");
pub const ROLE_NOT_SUPPORTED: ErrorDef =
    ErrorDef::new(400, "InvalidRole.ValueNotSupported", "The specified Role is not valid.");
pub const SPEC_NOT_SUPPORTED: ErrorDef =
    ErrorDef::new(400, "InvalidSpec.ValudNotSupported", "The specified Spec is not supported.");
pub const BILLS_OUTSTANDING_CREATE: ErrorDef = ErrorDef::new(
    400,
    "Forbidden.BillsOutstanding",
    "You cannot create more RouterInterface because you have bills outstanding.",
);
pub const BILLS_OUTSTANDING: ErrorDef =
    ErrorDef::new(400, "Forbidden.BillsOutstanding", "You cannot use this action because you have bills outstanding.");
pub const INTERFACES_PER_ROUTER: ErrorDef = ErrorDef::new(
    400,
    "LimitationExceed.InterfaceNumberOnRouter",
    "Total number of RouterInterfaces on a Router exceeded.",
);
pub const ACCESS_POINT_NOT_ALLOWED: ErrorDef = ErrorDef::new(
    400,
    "InvalidAccessPoint.ValueNotAllowed",
    "The non-vbr router interface cannot have access point configured.",
);
pub const OPPOSITE_ACCESS_POINT_NOT_ALLOWED: ErrorDef = ErrorDef::new(
    400,
    "InvalidAccessPoint.ValueNotAllowed",
    "The non-vbr opposite router interface cannot have opposite access point configured.",
);
pub const ACCESS_POINT_NOT_MATCH: ErrorDef =
    ErrorDef::new(400, "InvalidAccessPoint.NotMatch", "The accessPoint id is not matched");
pub const ACCESS_POINT_NOT_EXIST: ErrorDef =
    ErrorDef::new(400, "InvalidAccessPoint.NotExist", "The accessPoint not exit");
/// An OppositeInterfaceOwnerId that is not the caller (ModifyRouterInterfaceAttribute's row;
/// CreateRouterInterface's by patch).
pub const OWNER_ERROR: ErrorDef = ErrorDef::new(400, "Forbbiden", "The Router instance owener error");
/// Seed 000; Create, Connect and ModifyRouterInterfaceAttribute by patch.
pub const OPPOSITE_NOT_FOUND: ErrorDef = ErrorDef::new(404, "InvalidOpposite.NotFound", "The opposite not exit.");
pub const LINK_ROLE_NOT_SUPPORTED: ErrorDef =
    ErrorDef::new(400, "LinkRole.NotSupport", "This linkrole is not supported");
/// A VBR that is not active cannot take a new interface (the VBR family's code).
pub const VBR_NOT_ACTIVE: ErrorDef = crate::vbr::NOT_ALLOWED_IN_STATE;
pub const NOT_INITIATING_SIDE: ErrorDef =
    ErrorDef::new(400, "IncorrectRole.NotInitiatingSide", "The specified RouterInterface is not InitiatingSide.");
pub const ONLY_ONE_CONNECTION: ErrorDef =
    ErrorDef::new(400, "Forbidden.OnlyOneConnection", "The Specified routers have a connection already");
pub const CONNECTING_CONCURRENTLY: ErrorDef =
    ErrorDef::new(400, "Forbidden.OnlyOneConnection", "Cannot connect concurrently between same routers");
pub const STATUS_NOT_INACTIVE: ErrorDef = ErrorDef::new(
    400,
    "IncorrectStatus",
    "RouterInterface can be operated by this action only when it's status is Inactive.",
);
pub const STATUS_NOT_ACTIVE: ErrorDef = ErrorDef::new(
    400,
    "IncorrectStatus",
    "RouterInterface can be operated by this action only when it's status is Active.",
);
pub const STATUS_NOT_IDLE_OR_INACTIVE: ErrorDef = ErrorDef::new(
    400,
    "IncorrectStatus",
    "This openeration would be allowed only when status of this RouterInterface is Idle/Inactive.",
);
pub const FINANCIAL_LOCKED: ErrorDef = ErrorDef::new(
    400,
    "Forbidden.FinancileLocked",
    "This RouterInterface is financiel locked because of bills outstanding.",
);
/// Seed 000: the interface is not in a state its Spec can change in (also an overdue account).
pub const INSTANCE_STATUS_ERROR: ErrorDef =
    ErrorDef::new(400, "InvalidInstance.StatusError", "The router instance owener error.");
pub const MODIFY_PARAM_INVALID: ErrorDef =
    ErrorDef::new(400, "InvalidParam.ModifyRouterInterface", "Modify routerinterface param invalide");
pub const REFERRED_BY_ROUTE_ENTRY: ErrorDef = ErrorDef::new(
    400,
    "DependencyViolation.RouterInterfaceReferedByRouteEntry",
    "RouterInterface cannot be deleted when it is refered by a route table entry as next hop.",
);
pub const INVALID_FILTER_KEY: ErrorDef = crate::paging::INVALID_FILTER_KEY;
pub const PARAM_NOT_NULL: ErrorDef = ErrorDef::new(400, "InvalidParam.NotNull", "The parameter must not be null.");
/// DeleteVpc, while the VPC's vRouter has a connected interface (one ConnectRouterInterface
/// was called for, whatever its status since).
pub const DEPENDENCY_VIOLATION_CONNECTED: ErrorDef =
    ErrorDef::new(400, "DependencyViolation.RouteInterface", "Specified object has dependent route interface .");
/// DeleteVpc, while the VPC's vRouter has interfaces (none connected).
pub const DEPENDENCY_VIOLATION_ROUTER_INTERFACE: ErrorDef = ErrorDef::new(
    400,
    "DependencyViolation.RouterInterface",
    "Specified object has dependent resources RouterInterface.",
);
/// DeleteVirtualBorderRouter, while the VBR has interfaces (the VBR family's code).
pub const VBR_HAS_ROUTER_INTERFACES: ErrorDef = crate::vbr::ROUTER_INTERFACE_NOT_DELETED;

pub const ERRORS: &[ErrorDef] = &[
    REGION_NOT_FOUND_CREATE,
    REGION_NOT_FOUND,
    NOT_FOUND,
    NOT_FOUND_RECORDS,
    INSTANCE_NOT_FOUND,
    ROUTER_NOT_FOUND,
    ROLE_NOT_SUPPORTED,
    SPEC_NOT_SUPPORTED,
    BILLS_OUTSTANDING_CREATE,
    BILLS_OUTSTANDING,
    INTERFACES_PER_ROUTER,
    ACCESS_POINT_NOT_ALLOWED,
    OPPOSITE_ACCESS_POINT_NOT_ALLOWED,
    ACCESS_POINT_NOT_MATCH,
    ACCESS_POINT_NOT_EXIST,
    OWNER_ERROR,
    OPPOSITE_NOT_FOUND,
    LINK_ROLE_NOT_SUPPORTED,
    VBR_NOT_ACTIVE,
    NOT_INITIATING_SIDE,
    ONLY_ONE_CONNECTION,
    CONNECTING_CONCURRENTLY,
    STATUS_NOT_INACTIVE,
    STATUS_NOT_ACTIVE,
    STATUS_NOT_IDLE_OR_INACTIVE,
    FINANCIAL_LOCKED,
    INSTANCE_STATUS_ERROR,
    MODIFY_PARAM_INVALID,
    REFERRED_BY_ROUTE_ENTRY,
    INVALID_FILTER_KEY,
    PARAM_NOT_NULL,
    DEPENDENCY_VIOLATION_CONNECTED,
    DEPENDENCY_VIOLATION_ROUTER_INTERFACE,
    VBR_HAS_ROUTER_INTERFACES,
];

pub(crate) const ACTIONS: Actions = &[
    ("CreateRouterInterface", Handler::Write(lifecycle::create_router_interface)),
    ("DescribeRouterInterfaces", Handler::Read(describe::describe_router_interfaces)),
    ("ConnectRouterInterface", Handler::Write(lifecycle::connect_router_interface)),
    ("ActivateRouterInterface", Handler::Write(lifecycle::activate_router_interface)),
    ("DeactivateRouterInterface", Handler::Write(lifecycle::deactivate_router_interface)),
    ("ModifyRouterInterfaceSpec", Handler::Write(lifecycle::modify_router_interface_spec)),
    ("ModifyRouterInterfaceAttribute", Handler::Write(opposite::modify_router_interface_attribute)),
    ("DeleteRouterInterface", Handler::Write(lifecycle::delete_router_interface)),
];

// --- vocabulary ---------------------------------------------------------------------------------

pub const INITIATING_SIDE: &str = "InitiatingSide";
pub const ACCEPTING_SIDE: &str = "AcceptingSide";
pub const VROUTER: &str = "VRouter";
pub const VBR: &str = "VBR";

pub const IDLE: &str = "Idle";
pub const CONNECTING: &str = "Connecting";
pub const ACTIVATING: &str = "Activating";
pub const ACTIVE: &str = "Active";
pub const DEACTIVATING: &str = "Deactivating";
pub const INACTIVE: &str = "Inactive";
/// What a peer shows for an opposite interface that no longer exists.
pub const DELETED: &str = "Deleted";

/// The NextHopType of route entries pointing at an interface.
pub const NEXT_HOP_TYPE: &str = route_table::ROUTER_INTERFACE;

/// The acceptor's Spec.
pub const NEGATIVE: &str = "Negative";

/// Seed 000: each Spec and its bandwidth in Mbit/s.
pub const SPECS: &[(&str, i64)] = &[
    ("Mini.2", 2),
    ("Mini.5", 5),
    ("Small.1", 10),
    ("Small.2", 20),
    ("Small.5", 50),
    ("Middle.1", 100),
    ("Middle.2", 200),
    ("Middle.5", 500),
    ("Large.1", 1_000),
    ("Large.2", 2_000),
    ("Large.5", 5_000),
    ("Xlarge.1", 10_000),
];

/// Router interfaces per router (11.1: "Up to five router interfaces can be created on a VRouter").
pub const INTERFACES_PER_ROUTER_LIMIT: Quota =
    Quota { name: "router_interfaces_per_router", default: 5, about: "router interfaces on one VRouter or VBR" };

/// Health-check defaults shown until ModifyRouterInterfaceAttribute sets HcRate / HcThreshold.
pub const DEFAULT_HC_RATE_MS: i64 = 2_000;
pub const DEFAULT_HC_THRESHOLD: i64 = 8;

/// The bandwidth of a Spec (0 for Negative).
pub fn bandwidth_of(spec: &str) -> i64 {
    SPECS.iter().find(|(s, _)| *s == spec).map_or(0, |(_, mbps)| *mbps)
}

// --- the record ---------------------------------------------------------------------------------

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RouterInterface {
    pub id: String,
    pub region: String,
    /// [`INITIATING_SIDE`] or [`ACCEPTING_SIDE`].
    pub role: String,
    /// One of [`SPECS`] for an initiator, [`NEGATIVE`] for an acceptor.
    pub spec: String,
    /// [`VROUTER`] or [`VBR`].
    pub router_type: String,
    pub router_id: String,
    /// The VPC of a vRouter-side interface ("" on a VBR).
    pub vpc_id: String,
    pub access_point_id: String,
    pub opposite_region_id: String,
    pub opposite_interface_id: String,
    pub opposite_router_id: String,
    pub opposite_router_type: String,
    pub opposite_interface_owner_id: String,
    pub opposite_access_point_id: String,
    pub name: String,
    pub description: String,
    pub health_check_source_ip: String,
    pub health_check_target_ip: String,
    pub hc_rate: i64,
    pub hc_threshold: i64,
    pub resource_group_id: String,
    pub created_ms: i64,
    /// The stable status it is in or heading for: [`IDLE`], [`ACTIVE`] or [`INACTIVE`].
    pub status: String,
    /// The transitional status shown until the delay after `since_ms` has passed
    /// ([`CONNECTING`], [`ACTIVATING`], [`DEACTIVATING`]).
    pub transition: Option<String>,
    pub since_ms: i64,
    /// When ConnectRouterInterface was called (the connection is made a delay later).
    pub connected_ms: Option<i64>,
}

impl Entity for RouterInterface {
    const KIND: &'static str = "router_interface";
    fn id(&self) -> &str {
        &self.id
    }
    /// Indexed by router, for the per-router limit and the VPC / VBR dependency checks.
    fn parent(&self) -> Option<&str> {
        Some(&self.router_id)
    }
}

impl RouterInterface {
    /// The status as the call sees it: the transitional one until the delay has passed.
    pub fn status(&self, call: &Call<'_>) -> &str {
        match &self.transition {
            Some(t) if !call.settled(self.since_ms) => t,
            _ => &self.status,
        }
    }

    pub fn is_initiator(&self) -> bool {
        self.role == INITIATING_SIDE
    }

    pub fn bandwidth(&self) -> i64 {
        bandwidth_of(&self.spec)
    }

    /// Moves to `target` through `transition` (lasting the transition delay) from `now_ms`.
    fn start(&mut self, transition: &str, target: &str, now_ms: i64) {
        self.transition = Some(transition.to_string());
        self.status = target.to_string();
        self.since_ms = now_ms;
    }

    /// The scope of the opposite interface (the owner is always the caller's account).
    fn opposite_scope(&self, account: &str) -> Scope {
        Scope::new(account, self.opposite_region_id.clone())
    }

    /// The opposite interface, if one is named and still exists.
    pub fn opposite(&self, r: &impl Read, account: &str) -> Option<RouterInterface> {
        if self.opposite_interface_id.is_empty() {
            return None;
        }
        r.get::<RouterInterface>(&self.opposite_scope(account), &self.opposite_interface_id)
    }
}

// --- lookups shared by the handlers ---------------------------------------------------------------

/// The caller's partition in the RegionId region, with the action's own not-found wording.
fn scope_or(call: &Call<'_>, not_found: ErrorDef) -> Result<Scope, ApiError> {
    let id = call.required("RegionId")?;
    region::region(id).ok_or(not_found)?;
    Ok(Scope::new(call.account, id))
}

fn find(r: &impl Read, scope: &Scope, id: &str, not_found: ErrorDef) -> Result<RouterInterface, ApiError> {
    r.get::<RouterInterface>(scope, id).ok_or_else(|| not_found.into())
}

/// The VPC of a vRouter.
fn vrouter_vpc(r: &impl Read, scope: &Scope, id: &str) -> Option<String> {
    vrouter::get(r, scope, id).map(|v| v.vpc_id)
}

/// Whether a router of `router_type` with `id` exists in the scope; its VPC for a vRouter.
fn router_exists(r: &impl Read, scope: &Scope, router_type: &str, id: &str) -> Option<String> {
    match router_type {
        VROUTER => vrouter_vpc(r, scope, id),
        _ => vbr::get(r, scope, id).map(|_| String::new()),
    }
}

/// The access point of a VBR: that of the physical connection it was created on ("" if unknown).
fn vbr_access_point(r: &impl Read, scope: &Scope, vbr_id: &str) -> String {
    vbr::get(r, scope, vbr_id)
        .and_then(|v| v.associations.first().map(|a| a.physical_connection_id.clone()))
        .and_then(|pc| crate::physical_connection::get(r, scope, &pc))
        .map(|pc| pc.access_point_id)
        .unwrap_or_default()
}

/// Whether `id` is an access point of `region_id` in the catalogue.
fn access_point_exists(region_id: &str, id: &str) -> bool {
    region::region(region_id).is_some_and(|r| region::access_points(r).iter().any(|ap| ap.id == id))
}

/// Routers the id's prefix names: `vbr-...` is a VBR, anything else a vRouter.
fn router_type_of(router_id: &str) -> &'static str {
    if router_id.starts_with("vbr-") {
        VBR
    } else {
        VROUTER
    }
}

// --- seams ---------------------------------------------------------------------------------------

/// Plugs router interfaces into the route-table, VPC and VBR seams.
pub fn register(cloud: &Cloud) {
    let seams = Arc::new(Seams);
    cloud.register_next_hop(NEXT_HOP_TYPE, seams.clone());
    cloud.register_dependents(seams);
}

struct Seams;

impl NextHopResolver for Seams {
    /// Routes may point at an interface of the table's own VPC in any state (a route is usually
    /// added before the connection is made). A VBR-side interface belongs to no VPC: its router
    /// id stands in, so that a VPC's table never matches it.
    fn resolve(&self, _call: &Call<'_>, tx: &Tx<'_>, scope: &Scope, id: &str) -> Option<NextHop> {
        tx.get::<RouterInterface>(scope, id).map(|ri| NextHop {
            vpc_id: Some(if ri.vpc_id.is_empty() { ri.router_id } else { ri.vpc_id }),
            usable: true,
        })
    }
}

impl Dependents for Seams {
    fn vpc_in_use(&self, tx: &Tx<'_>, scope: &Scope, vpc_id: &str) -> Option<ApiError> {
        let vpc = vpc::get(tx, scope, vpc_id).ok()?;
        let interfaces = tx.children::<RouterInterface>(scope, &vpc.vrouter_id);
        if interfaces.iter().any(|ri| ri.connected_ms.is_some()) {
            return Some(DEPENDENCY_VIOLATION_CONNECTED.into());
        }
        (!interfaces.is_empty()).then(|| DEPENDENCY_VIOLATION_ROUTER_INTERFACE.into())
    }

    fn vbr_in_use(&self, tx: &Tx<'_>, scope: &Scope, vbr_id: &str) -> Option<ApiError> {
        (!tx.child_ids::<RouterInterface>(scope, vbr_id).is_empty()).then(|| VBR_HAS_ROUTER_INTERFACES.into())
    }
}

#[cfg(test)]
mod tests {
    use acs_store::Store;

    use super::*;
    use crate::context::Config;

    fn on_router(id: &str, router_id: &str) -> RouterInterface {
        RouterInterface {
            id: id.into(),
            region: "cn-hangzhou".into(),
            role: INITIATING_SIDE.into(),
            spec: "Large.1".into(),
            router_type: VBR.into(),
            router_id: router_id.into(),
            vpc_id: String::new(),
            access_point_id: String::new(),
            opposite_region_id: "cn-hangzhou".into(),
            opposite_interface_id: String::new(),
            opposite_router_id: String::new(),
            opposite_router_type: String::new(),
            opposite_interface_owner_id: String::new(),
            opposite_access_point_id: String::new(),
            name: String::new(),
            description: String::new(),
            health_check_source_ip: String::new(),
            health_check_target_ip: String::new(),
            hc_rate: DEFAULT_HC_RATE_MS,
            hc_threshold: DEFAULT_HC_THRESHOLD,
            resource_group_id: String::new(),
            created_ms: 0,
            status: IDLE.into(),
            transition: None,
            since_ms: 0,
            connected_ms: None,
        }
    }

    #[test]
    fn interfaces_block_deleting_their_vbr() {
        let cloud = Cloud::new(Store::ephemeral(), Config::default());
        let scope = Scope::new("1", "cn-hangzhou");
        let objection = cloud
            .store
            .write(|tx| {
                tx.put(&scope, on_router("ri-1", "vbr-1"));
                let busy = cloud.vbr_in_use(tx, &scope, "vbr-1");
                let free = cloud.vbr_in_use(tx, &scope, "vbr-2");
                Ok::<_, acs_store::StoreError>((busy, free))
            })
            .ok();
        let (busy, free) = objection.unwrap_or_default();
        assert_eq!(busy, Some(VBR_HAS_ROUTER_INTERFACES.into()));
        assert_eq!(free, None);
    }

    #[test]
    fn specs_have_their_bandwidths() {
        assert_eq!(bandwidth_of("Mini.2"), 2);
        assert_eq!(bandwidth_of("Xlarge.1"), 10_000);
        assert_eq!(bandwidth_of(NEGATIVE), 0);
        assert_eq!(router_type_of("vbr-x"), VBR);
        assert_eq!(router_type_of("vrt-x"), VROUTER);
    }
}
