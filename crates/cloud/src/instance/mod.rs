//! ECS instances (docs/ecs.md): the lifecycle the seed calls need, their network and billing
//! state, and the two seed calls that change them, ModifyInstanceNetworkSpec (seed 002,
//! `network_spec.rs`) and ModifyInstanceSpec (seed 003, `spec.rs`), whose shared steps live in
//! `change.rs`. Instances take private addresses from the vSwitch family, public ones from the
//! pool in `public_ip.rs`, pay through the billing family, and answer the route-table and
//! VPC/vSwitch seams (next hop `Instance`, DependencyViolation.Instance).

pub mod attribute;
mod change;
mod describe;
pub mod disks;
mod errors;
mod lifecycle;
mod modification;
mod network_spec;

mod spec;

use std::sync::Arc;

use acs_api::ApiError;
use acs_store::{Entity, Read, Scope, Tx};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

pub(crate) use change::parse_utc;
pub use errors::ERRORS;
pub use network_spec::DOWNGRADES_PER_SUBSCRIPTION;

use crate::billing::{ControlError, Order};
use crate::context::{Call, Cloud, Dependents, EipTarget, EipTargetState, NextHop, NextHopResolver};
use crate::dispatch::{Actions, Handler};
use crate::route_table;

pub(crate) const ACTIONS: Actions = &[
    ("CreateInstance", Handler::Write(lifecycle::create_instance)),
    ("RunInstances", Handler::Write(lifecycle::run_instances)),
    ("StartInstance", Handler::Write(lifecycle::start_instance)),
    ("StopInstance", Handler::Write(lifecycle::stop_instance)),
    ("RebootInstance", Handler::Write(lifecycle::reboot_instance)),
    ("DeleteInstance", Handler::Write(lifecycle::delete_instance)),
    ("AllocatePublicIpAddress", Handler::Write(lifecycle::allocate_public_ip_address)),
    ("DescribeInstances", Handler::Read(describe::describe_instances)),
    ("DescribeInstanceAttribute", Handler::Read(describe::describe_instance_attribute)),
    ("DescribeResourcesModification", Handler::Read(modification::describe_resources_modification)),
    ("ModifyInstanceNetworkSpec", Handler::Write(network_spec::modify_instance_network_spec)),
    ("ModifyInstanceSpec", Handler::Write(spec::modify_instance_spec)),
    ("ModifyInstanceAttribute", Handler::Write(attribute::modify_instance_attribute)),
    ("DescribeUserData", Handler::Read(attribute::describe_user_data)),
    ("DescribeDisks", Handler::Read(disks::describe_disks)),
    ("DescribeNetworkInterfaces", Handler::Read(disks::describe_network_interfaces)),
    ("JoinSecurityGroup", Handler::Write(attribute::join_security_group)),
    ("LeaveSecurityGroup", Handler::Write(attribute::leave_security_group)),
];

pub const RUNNING: &str = "Running";
pub const STOPPED: &str = "Stopped";
pub const PRE_PAID: &str = "PrePaid";
pub const PAY_BY_BANDWIDTH: &str = "PayByBandwidth";

/// A temporary bandwidth upgrade: `out`/`inbound` apply from `start_ms` until `end_ms`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Temporary {
    pub out: i64,
    pub inbound: i64,
    pub start_ms: i64,
    pub end_ms: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Instance {
    pub id: String,
    pub region: String,
    pub zone_id: String,
    pub name: String,
    pub description: String,
    pub host_name: String,
    pub image_id: String,
    pub instance_type: String,
    /// Empty for a classic-network instance.
    pub vpc_id: String,
    pub vswitch_id: String,
    pub private_ip: String,
    pub security_group_ids: Vec<String>,
    /// PrePaid | PostPaid
    pub charge_type: String,
    /// PayByTraffic | PayByBandwidth
    pub internet_charge_type: String,
    pub bandwidth_out: i64,
    pub bandwidth_in: i64,
    pub temporary: Option<Temporary>,
    pub public_ip: Option<String>,
    /// When a public IP reserved by a scheduled temporary upgrade starts to show.
    #[serde(default)]
    pub public_ip_from: Option<i64>,
    pub resource_group_id: String,
    pub created_ms: i64,
    pub started_ms: i64,
    /// When a subscription ends.
    pub expired_ms: Option<i64>,
    /// The statuses of the latest transition, each lasting the transition delay; the last one
    /// is stable (`["Pending", "Starting", "Running"]`).
    pub phases: Vec<String>,
    pub since_ms: i64,
    /// The last successful network or spec change (the five-minute rule).
    pub last_change_ms: Option<i64>,
    /// Bandwidth downgrades of a subscription instance (at most three).
    pub downgrades: u32,
    pub security_locked: bool,
    /// Base64, as given to RunInstances / CreateInstance / ModifyInstanceAttribute.
    #[serde(default)]
    pub user_data: String,
    /// The system disk first, then the data disks (empty for instances stored before disks).
    #[serde(default)]
    pub disks: Vec<disks::Disk>,
    /// The SSH key pair bound to the instance (RunInstances KeyPairName, AttachKeyPair).
    #[serde(default)]
    pub key_pair_name: String,
}

impl Entity for Instance {
    const KIND: &'static str = "instance";
    fn id(&self) -> &str {
        &self.id
    }
    fn parent(&self) -> Option<&str> {
        (!self.vswitch_id.is_empty()).then_some(self.vswitch_id.as_str())
    }
}

impl Instance {
    pub fn is_vpc(&self) -> bool {
        !self.vpc_id.is_empty()
    }

    pub fn is_prepaid(&self) -> bool {
        self.charge_type == PRE_PAID
    }

    /// A subscription past its end.
    pub fn expired(&self, now_ms: i64) -> bool {
        self.is_prepaid() && self.expired_ms.is_some_and(|e| now_ms >= e)
    }

    /// The status at `now_ms`: the phase of the latest transition that time has reached. An
    /// expired subscription is stopped.
    pub fn status_at(&self, now_ms: i64, delay_ms: i64) -> &str {
        if self.expired(now_ms) {
            return STOPPED;
        }
        let last = self.phases.len().saturating_sub(1);
        let reached = if delay_ms <= 0 { last } else { ((now_ms - self.since_ms).max(0) / delay_ms) as usize };
        self.phases.get(reached.min(last)).map_or(STOPPED, String::as_str)
    }

    pub fn status(&self, call: &Call<'_>) -> &str {
        self.status_at(call.now_ms, call.cloud.config.transition_delay_ms)
    }

    /// Starts a transition through `phases` at `now_ms`.
    fn transition(&mut self, phases: &[&str], now_ms: i64) {
        self.phases = phases.iter().map(|p| (*p).to_string()).collect();
        self.since_ms = now_ms;
    }

    /// The temporary upgrade that is scheduled or in effect at `now_ms`.
    pub fn pending_temporary(&self, now_ms: i64) -> Option<&Temporary> {
        self.temporary.as_ref().filter(|t| now_ms < t.end_ms)
    }

    /// The public IP shown at `now_ms`.
    pub fn public_ip_at(&self, now_ms: i64) -> Option<&str> {
        self.public_ip.as_deref().filter(|_| self.public_ip_from.is_none_or(|from| now_ms >= from))
    }

    /// (outbound, inbound) bandwidth in effect at `now_ms`: a temporary upgrade between its
    /// start and end, else the purchased bandwidth.
    pub fn bandwidth(&self, now_ms: i64) -> (i64, i64) {
        match self.pending_temporary(now_ms) {
            Some(t) if now_ms >= t.start_ms => (t.out, t.inbound),
            _ => (self.bandwidth_out, self.bandwidth_in),
        }
    }
}

/// The instance named by the call's `id_param`: in the RegionId's partition when the call gives
/// one, else in any region of the account (ECS calls such as ModifyInstanceSpec carry no RegionId).
pub(crate) fn find_by(
    call: &Call<'_>,
    r: &impl Read,
    id_param: &str,
    not_found: acs_api::ErrorDef,
) -> Result<(Scope, Instance), ApiError> {
    let id = call.required(id_param)?;
    let found = match call.scope_if_given()? {
        Some(scope) => r.get::<Instance>(&scope, id).map(|i| (scope, i)),
        None => r.find::<Instance>(call.account, id),
    };
    found.ok_or_else(|| not_found.into())
}

fn find(call: &Call<'_>, r: &impl Read) -> Result<(Scope, Instance), ApiError> {
    find_by(call, r, "InstanceId", errors::INSTANCE_NOT_FOUND)
}

/// Whether the instance of VPC `vpc_id` holding private address `ip` has a public address (a
/// fixed one or an EIP); `None` when no instance holds it. NAT entries for such an instance are
/// refused.
pub fn has_public_address(call: &Call<'_>, r: &impl Read, scope: &Scope, vpc_id: &str, ip: &str) -> Option<bool> {
    crate::vswitch::in_vpc(r, scope, vpc_id).iter().find_map(|vsw| {
        r.children::<Instance>(scope, &vsw.id)
            .into_iter()
            .find(|i| i.private_ip == ip)
            .map(|i| i.public_ip_at(call.now_ms).is_some() || !crate::eip::of_target(r, scope, &i.id).is_empty())
    })
}

/// Binds (Some) or unbinds (None) a key pair: AttachKeyPair / DetachKeyPair.
pub fn set_key_pair(tx: &mut Tx<'_>, scope: &Scope, id: &str, name: Option<&str>) -> Result<(), ApiError> {
    let mut inst = tx.get::<Instance>(scope, id).ok_or(errors::INSTANCE_NOT_FOUND)?;
    inst.key_pair_name = name.unwrap_or_default().to_string();
    tx.put(scope, inst);
    Ok(())
}

/// The instance, if it exists in the scope.
pub fn get(r: &impl Read, scope: &Scope, id: &str) -> Option<Instance> {
    r.get::<Instance>(scope, id)
}

/// Instances that are members of the security group.
pub fn count_in_security_group(r: &impl Read, scope: &Scope, security_group_id: &str) -> usize {
    r.count::<Instance>(scope, |i| i.security_group_ids.iter().any(|g| g == security_group_id))
}

/// Members of every security group of the scope, counted in one pass over its instances.
pub fn counts_by_security_group(r: &impl Read, scope: &Scope) -> std::collections::HashMap<String, usize> {
    let mut counts = std::collections::HashMap::new();
    for inst in r.list::<Instance>(scope) {
        for group in inst.security_group_ids {
            *counts.entry(group).or_insert(0) += 1;
        }
    }
    counts
}

/// The default inbound bandwidth for an outbound one (seed 002): 10 Mbit/s, or the outbound
/// bandwidth when that is above 10.
pub fn default_inbound(out: i64) -> i64 {
    out.max(10)
}

/// Applies the change an order held, now that the order is paid (billing's control endpoint).
/// A change that can no longer apply (the subscription expired, the temporary window passed)
/// refuses the payment, which then takes no money; released instances cancel their orders.
pub(crate) fn fulfil(tx: &mut Tx<'_>, order: &Order, change: Value, now_ms: i64) -> Result<(), ApiError> {
    let scope = Scope::new(order.account_id.clone(), order.region.clone());
    let mut inst = tx
        .get::<Instance>(&scope, &order.instance_id)
        .ok_or_else(|| errors::INSTANCE_NOT_FOUND.with_message("The order's instance no longer exists."))?;
    if inst.expired(now_ms) {
        return Err(errors::EXPIRED_OR_IN_ARREARS.with_message("The subscription expired; cancel the order."));
    }
    change::apply_held(tx, &scope, &mut inst, change, now_ms)
}

/// Locks or unlocks an instance for security reasons (control endpoint).
pub fn set_security_lock(cloud: &Cloud, account: &str, instance_id: &str, locked: bool) -> Result<Value, ControlError> {
    let outcome = cloud.store.write(|tx| {
        let Some((scope, mut inst)) = tx.find::<Instance>(account, instance_id) else {
            return Ok(None);
        };
        inst.security_locked = locked;
        tx.put(&scope, inst);
        Ok::<_, acs_store::StoreError>(Some(()))
    });
    match outcome {
        Ok(Some(())) => Ok(json!({ "instance_id": instance_id, "security_locked": locked })),
        Ok(None) => Err((404, format!("no instance {instance_id} in account {account}"))),
        Err(e) => Err((500, e.to_string())),
    }
}

/// Plugs instances into the route-table and VPC/vSwitch seams.
/// The ResourceType of instances in ECS TagResources.
pub const TAG_TYPE: &str = "instance";

pub fn register(cloud: &Cloud) {
    cloud.register_taggable("Ecs", TAG_TYPE, |tx, scope, id| tx.exists::<Instance>(scope, id));
    let seams = Arc::new(Seams);
    cloud.register_next_hop(route_table::INSTANCE, seams.clone());
    cloud.register_eip_target(crate::eip::ECS_INSTANCE, seams.clone());
    cloud.register_dependents(seams);
}

struct Seams;

impl EipTarget for Seams {
    /// A VPC instance that is Running or Stopped and has no fixed public IP takes an EIP.
    fn eip_target(&self, call: &Call<'_>, tx: &Tx<'_>, scope: &Scope, id: &str) -> Option<EipTargetState> {
        let inst = tx.get::<Instance>(scope, id)?;
        Some(if !inst.is_vpc() {
            EipTargetState::NotInVpc
        } else if !matches!(inst.status(call), RUNNING | STOPPED) {
            EipTargetState::WrongStatus
        } else if inst.public_ip.is_some() {
            EipTargetState::HasPublicIp
        } else {
            EipTargetState::Ready
        })
    }
}

impl NextHopResolver for Seams {
    fn resolve(&self, _call: &Call<'_>, tx: &Tx<'_>, scope: &Scope, id: &str) -> Option<NextHop> {
        tx.get::<Instance>(scope, id).map(|i| NextHop { vpc_id: i.is_vpc().then(|| i.vpc_id.clone()), usable: true })
    }
}

impl Dependents for Seams {
    /// Instances are children of their vSwitch: look in the VPC's vSwitches, not the whole region.
    fn vpc_in_use(&self, tx: &Tx<'_>, scope: &Scope, vpc_id: &str) -> Option<ApiError> {
        crate::vswitch::ids_in_vpc(tx, scope, vpc_id).iter().find_map(|vsw| self.vswitch_in_use(tx, scope, vsw))
    }
    fn vswitch_in_use(&self, tx: &Tx<'_>, scope: &Scope, vswitch_id: &str) -> Option<ApiError> {
        (!tx.child_ids::<Instance>(scope, vswitch_id).is_empty())
            .then(|| crate::vpc::DEPENDENCY_VIOLATION_INSTANCE.into())
    }
}
