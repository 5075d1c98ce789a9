//! What a handler gets to work with: the [`Cloud`] (store, clock, configuration, seams between
//! families) and the [`Call`] being served.

use std::collections::HashMap;
use std::sync::Arc;

use acs_api::{ApiError, Params};
use acs_store::{Scope, Store, Tx};
use parking_lot::RwLock;

use crate::clock::Clock;
use crate::region;

/// Emulator settings that change behaviour.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// How long transitional states (Pending...) last, in milliseconds of emulated time.
    pub transition_delay_ms: i64,
    /// `--quota NAME=N` values (see [`crate::quota`]).
    pub quotas: HashMap<String, usize>,
}

/// What a route's next hop resolves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NextHop {
    /// The VPC the next hop lives in (routes may only point into their own VPC).
    pub vpc_id: Option<String>,
    /// Whether its state allows routes to be added (e.g. an instance that is not being released).
    pub usable: bool,
}

/// The seam through which the route-table family checks next hops owned by other families
/// (ECS instances, router interfaces, HaVips, VPN gateways, ENIs...). Each family registers a
/// resolver for its `NextHopType` when it exists; a type with no resolver has no instances, so
/// every id of it is reported as not found.
pub trait NextHopResolver: Send + Sync {
    /// `call` gives the time of the call: a next hop still being created takes no route.
    fn resolve(&self, call: &Call<'_>, tx: &Tx<'_>, scope: &Scope, id: &str) -> Option<NextHop>;
}

/// The seam through which later families (ECS instances, security groups, router interfaces,
/// NAT gateways, HaVips...) block the deletion of a VPC or vSwitch they still have resources in,
/// answering with their documented `DependencyViolation.*` error.
pub trait Dependents: Send + Sync {
    fn vpc_in_use(&self, _tx: &Tx<'_>, _scope: &Scope, _vpc_id: &str) -> Option<ApiError> {
        None
    }
    fn vswitch_in_use(&self, _tx: &Tx<'_>, _scope: &Scope, _vswitch_id: &str) -> Option<ApiError> {
        None
    }
    /// Router interfaces and BGP groups on a virtual border router block its deletion.
    fn vbr_in_use(&self, _tx: &Tx<'_>, _scope: &Scope, _vbr_id: &str) -> Option<ApiError> {
        None
    }
    /// VBRs on a physical connection block its termination and deletion.
    fn physical_connection_in_use(&self, _tx: &Tx<'_>, _scope: &Scope, _pc_id: &str) -> Option<ApiError> {
        None
    }
}

/// What a resource that can take an EIP says about taking (or giving back) one now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EipTargetState {
    Ready,
    /// A classic-network ECS instance.
    NotInVpc,
    /// Its status does not allow binding (an instance being created, a HaVip being created...).
    WrongStatus,
    /// It already has a fixed public IP (an ECS instance bought with bandwidth).
    HasPublicIp,
}

/// The seam through which families whose resources take EIPs (ECS instances, HaVips, and NAT
/// gateways, SLB instances and ENIs when they exist) answer AssociateEipAddress and
/// UnassociateEipAddress. Each registers for its `InstanceType`; a type with no target has no
/// instances, so every id of it is reported as not found.
pub trait EipTarget: Send + Sync {
    /// The state of `id` (in the call's scope), `None` when it does not exist.
    fn eip_target(&self, call: &Call<'_>, tx: &Tx<'_>, scope: &Scope, id: &str) -> Option<EipTargetState>;
    /// Whether one resource may hold several EIPs (NAT gateways); others take one.
    fn takes_many(&self) -> bool {
        false
    }
    /// Whether `id` still uses the EIP's `address` (a NAT gateway's SNAT or DNAT entries), which
    /// then cannot be unbound.
    fn uses_address(&self, _tx: &Tx<'_>, _scope: &Scope, _id: &str, _address: &str) -> bool {
        false
    }
}

pub struct Cloud {
    pub store: Store,
    pub clock: Clock,
    pub config: Config,
    next_hops: RwLock<HashMap<String, Arc<dyn NextHopResolver>>>,
    dependents: RwLock<Vec<Arc<dyn Dependents>>>,
    eip_targets: RwLock<HashMap<String, Arc<dyn EipTarget>>>,
    /// (product, ResourceType) -> whether a resource of that type exists (the tag family's seam).
    taggables: RwLock<HashMap<(String, String), crate::tag::Exists>>,
}

impl Cloud {
    pub fn new(store: Store, config: Config) -> Self {
        let cloud = Self {
            store,
            clock: Clock::default(),
            config,
            next_hops: RwLock::new(HashMap::new()),
            dependents: RwLock::new(Vec::new()),
            eip_targets: RwLock::new(HashMap::new()),
            taggables: RwLock::new(HashMap::new()),
        };
        crate::havip::register(&cloud);
        crate::eip::register(&cloud);
        crate::flow_log::register(&cloud);
        crate::router_interface::register(&cloud);
        crate::bgp::register(&cloud);
        crate::instance::register(&cloud);
        crate::security_group::register(&cloud);
        crate::vbr::register(&cloud);
        crate::vpn::register(&cloud);
        crate::nat::register(&cloud);
        crate::vpc::register(&cloud);
        crate::vswitch::register(&cloud);
        crate::route_table::register(&cloud);
        crate::key_pair::register(&cloud);
        cloud.load_clock();
        cloud
    }

    /// Lets a family answer for next hops of `next_hop_type`.
    pub fn register_next_hop(&self, next_hop_type: &str, resolver: Arc<dyn NextHopResolver>) {
        self.next_hops.write().insert(next_hop_type.to_string(), resolver);
    }

    /// Lets a family's resources of `instance_type` take EIPs.
    pub fn register_eip_target(&self, instance_type: &str, target: Arc<dyn EipTarget>) {
        self.eip_targets.write().insert(instance_type.to_string(), target);
    }

    pub(crate) fn eip_target(&self, instance_type: &str) -> Option<Arc<dyn EipTarget>> {
        self.eip_targets.read().get(instance_type).cloned()
    }

    /// Makes a family's resources taggable: `resource_type` as the product's API spells it
    /// (VPC, VSWITCH, EIP, instance, securitygroup...), `exists` its existence check.
    pub fn register_taggable(&self, product: &str, resource_type: &str, exists: crate::tag::Exists) {
        self.taggables.write().insert((product.to_string(), resource_type.to_string()), exists);
    }

    pub(crate) fn taggable(&self, product: &str, resource_type: &str) -> Option<crate::tag::Exists> {
        self.taggables.read().get(&(product.to_string(), resource_type.to_string())).copied()
    }

    /// Lets a family veto VPC / vSwitch deletion while it has resources there.
    pub fn register_dependents(&self, dependents: Arc<dyn Dependents>) {
        self.dependents.write().push(dependents);
    }

    /// The first objection of a registered family to deleting the VPC.
    pub(crate) fn vpc_in_use(&self, tx: &Tx<'_>, scope: &Scope, vpc_id: &str) -> Option<ApiError> {
        self.dependents.read().iter().find_map(|d| d.vpc_in_use(tx, scope, vpc_id))
    }

    /// The first objection of a registered family to deleting the vSwitch.
    pub(crate) fn vswitch_in_use(&self, tx: &Tx<'_>, scope: &Scope, vswitch_id: &str) -> Option<ApiError> {
        self.dependents.read().iter().find_map(|d| d.vswitch_in_use(tx, scope, vswitch_id))
    }

    /// The first objection of a registered family to deleting the virtual border router.
    pub(crate) fn vbr_in_use(&self, tx: &Tx<'_>, scope: &Scope, vbr_id: &str) -> Option<ApiError> {
        self.dependents.read().iter().find_map(|d| d.vbr_in_use(tx, scope, vbr_id))
    }

    /// The first objection of a registered family to terminating or deleting the physical connection.
    pub(crate) fn physical_connection_in_use(&self, tx: &Tx<'_>, scope: &Scope, pc_id: &str) -> Option<ApiError> {
        self.dependents.read().iter().find_map(|d| d.physical_connection_in_use(tx, scope, pc_id))
    }

    pub(crate) fn next_hop_resolver(&self, next_hop_type: &str) -> Option<Arc<dyn NextHopResolver>> {
        self.next_hops.read().get(next_hop_type).cloned()
    }
}

/// One API call being served.
pub struct Call<'a> {
    pub cloud: &'a Cloud,
    pub action: &'a str,
    pub account: &'a str,
    pub params: &'a Params,
    /// Emulated time of the call, in Unix milliseconds.
    pub now_ms: i64,
}

impl Call<'_> {
    /// The RegionId parameter, which must name a region of the catalogue.
    pub fn region(&self) -> Result<&str, ApiError> {
        let id = self.params.required_str("RegionId")?;
        region::check_region(id)?;
        Ok(id)
    }

    /// The partition the call works in: the caller's account in the requested region.
    pub fn scope(&self) -> Result<Scope, ApiError> {
        Ok(Scope::new(self.account, self.region()?))
    }

    /// The call's scope; an unknown region answers with `wording`, the action's own spelling of
    /// InvalidRegionId.NotFound.
    pub fn scope_or(&self, wording: acs_api::ErrorDef) -> Result<Scope, ApiError> {
        self.scope().map_err(|e| if e.is(region::INVALID_REGION_ID_NOT_FOUND) { wording.into() } else { e })
    }

    /// The scope of the RegionId parameter when given, else none (the caller then looks the
    /// resource up in every region of the account).
    pub fn scope_if_given(&self) -> Result<Option<Scope>, ApiError> {
        match self.params.str("RegionId") {
            Some(_) => self.scope().map(Some),
            None => Ok(None),
        }
    }

    /// Whether a transition that started at `since_ms` has finished.
    pub fn settled(&self, since_ms: i64) -> bool {
        crate::status::settled_at(self.now_ms, since_ms, self.cloud.config.transition_delay_ms)
    }

    pub fn str(&self, name: &str) -> Option<&str> {
        self.params.str(name)
    }

    pub fn required(&self, name: &str) -> Result<&str, ApiError> {
        self.params.required_str(name)
    }

    /// Whether an item with `value` passes the optional filter parameter `name` of a Describe
    /// call: the parameter is absent, or equal to `value`.
    pub fn matches(&self, name: &str, value: &str) -> bool {
        self.str(name).is_none_or(|wanted| wanted == value)
    }

    /// Overwrites `field` with the parameter `name` when the call gives it (Modify* actions).
    pub fn update(&self, field: &mut String, name: &str) {
        if let Some(v) = self.str(name) {
            *field = v.to_string();
        }
    }

    /// The account's default resource group, which resources join when none is given.
    pub fn resource_group(&self) -> String {
        match self.str("ResourceGroupId") {
            Some(rg) => rg.to_string(),
            None => {
                let h = crate::ids::stable_hash(self.account);
                format!("rg-acfm{:010x}", h & 0xff_ffff_ffff)
            }
        }
    }
}
