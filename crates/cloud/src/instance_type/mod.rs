//! The ECS instance-type catalogue: a built-in list of real families with their vCPUs and
//! memory, the monthly price the billing family charges for each, and which types an instance
//! may change to (DescribeResourcesModification, ModifyInstanceSpec).

use std::sync::OnceLock;

use acs_api::ApiError;
use acs_store::View;
use serde_json::{json, Value};

use crate::context::Call;
use crate::dispatch::{body, Actions, Body, Handler};

pub(crate) const ACTIONS: Actions = &[
    ("DescribeInstanceTypes", Handler::Read(describe_instance_types)),
    ("DescribeInstanceTypeFamilies", Handler::Read(describe_instance_type_families)),
];

/// The families of the catalogue, in catalogue order, with their generation.
pub fn families() -> Vec<(&'static str, &'static str)> {
    let mut out: Vec<(&'static str, &'static str)> = Vec::new();
    for t in catalogue() {
        if !out.iter().any(|(f, _)| *f == t.family) {
            out.push((t.family, generation(t.family)));
        }
    }
    out
}

/// ecs-1 .. ecs-4 as the real catalogue files them (g5/c5/r5 and burstable t5 are ecs-3, the
/// 6th generation ecs-4...).
fn generation(family: &str) -> &'static str {
    match family {
        "ecs.t5" => "ecs-3",
        f if f.ends_with('7') => "ecs-5",
        f if f.ends_with('6') => "ecs-4",
        _ => "ecs-3",
    }
}

fn describe_instance_type_families(call: &Call<'_>, _: &View<'_>) -> Result<Body, ApiError> {
    call.scope()?;
    let items: Vec<Value> = families()
        .into_iter()
        .filter(|(_, g)| call.str("Generation").is_none_or(|want| want == *g))
        .map(|(f, g)| json!({ "InstanceTypeFamilyId": f, "Generation": g }))
        .collect();
    Ok(body(json!({ "InstanceTypeFamilies": { "InstanceTypeFamily": items } })))
}

#[derive(Debug, Clone, PartialEq)]
pub struct InstanceType {
    /// `ecs.g6.large`
    pub id: String,
    /// `ecs.g6`
    pub family: &'static str,
    pub cpu: u32,
    pub memory_gib: f64,
    /// Burstable (t5/t6) types only change among themselves.
    pub burstable: bool,
}

/// Enterprise families: (family, GiB of memory per vCPU, category).
const ENTERPRISE: &[(&str, f64, &str)] = &[
    ("ecs.g6", 4.0, "General-purpose"),
    ("ecs.g7", 4.0, "General-purpose"),
    ("ecs.c6", 2.0, "Compute-optimized"),
    ("ecs.c7", 2.0, "Compute-optimized"),
    ("ecs.r6", 8.0, "Memory-optimized"),
    ("ecs.r7", 8.0, "Memory-optimized"),
];
/// Sizes of the enterprise families: (suffix, vCPUs).
const SIZES: &[(&str, u32)] =
    &[("large", 2), ("xlarge", 4), ("2xlarge", 8), ("3xlarge", 12), ("4xlarge", 16), ("6xlarge", 24), ("8xlarge", 32)];
/// Burstable types: (id, family, vCPUs, GiB).
const BURSTABLE: &[(&str, &str, u32, f64)] = &[
    ("ecs.t5-lc2m1.nano", "ecs.t5", 1, 0.5),
    ("ecs.t5-lc1m1.small", "ecs.t5", 1, 1.0),
    ("ecs.t5-lc1m2.small", "ecs.t5", 1, 2.0),
    ("ecs.t5-lc1m2.large", "ecs.t5", 2, 4.0),
    ("ecs.t5-lc1m4.large", "ecs.t5", 2, 8.0),
    ("ecs.t5-c1m1.large", "ecs.t5", 2, 2.0),
    ("ecs.t5-c1m2.large", "ecs.t5", 2, 4.0),
    ("ecs.t5-c1m4.large", "ecs.t5", 2, 8.0),
    ("ecs.t5-c1m1.xlarge", "ecs.t5", 4, 4.0),
    ("ecs.t5-c1m2.xlarge", "ecs.t5", 4, 8.0),
    ("ecs.t5-c1m4.xlarge", "ecs.t5", 4, 16.0),
    ("ecs.t5-c1m2.2xlarge", "ecs.t5", 8, 16.0),
    ("ecs.t5-c1m4.2xlarge", "ecs.t5", 8, 32.0),
    ("ecs.t6-c4m1.large", "ecs.t6", 2, 0.5),
    ("ecs.t6-c2m1.large", "ecs.t6", 2, 1.0),
    ("ecs.t6-c1m1.large", "ecs.t6", 2, 2.0),
    ("ecs.t6-c1m2.large", "ecs.t6", 2, 4.0),
    ("ecs.t6-c1m4.large", "ecs.t6", 2, 8.0),
    ("ecs.t6-c1m4.xlarge", "ecs.t6", 4, 16.0),
    ("ecs.t6-c1m4.2xlarge", "ecs.t6", 8, 32.0),
];

/// Every type of the catalogue, enterprise families first.
pub fn catalogue() -> &'static [InstanceType] {
    static TYPES: OnceLock<Vec<InstanceType>> = OnceLock::new();
    TYPES.get_or_init(|| {
        let enterprise = ENTERPRISE.iter().flat_map(|(family, ratio, _)| {
            SIZES.iter().map(move |(size, cpu)| InstanceType {
                id: format!("{family}.{size}"),
                family,
                cpu: *cpu,
                memory_gib: f64::from(*cpu) * ratio,
                burstable: false,
            })
        });
        let burstable = BURSTABLE.iter().map(|(id, family, cpu, mem)| InstanceType {
            id: (*id).to_string(),
            family,
            cpu: *cpu,
            memory_gib: *mem,
            burstable: true,
        });
        enterprise.chain(burstable).collect()
    })
}

pub fn get(id: &str) -> Option<&'static InstanceType> {
    catalogue().iter().find(|t| t.id == id)
}

impl InstanceType {
    /// Memory in MiB, as DescribeInstances reports it.
    pub fn memory_mib(&self) -> i64 {
        (self.memory_gib * 1024.0).round() as i64
    }

    /// Monthly price in cents (docs/ecs.md): 60 CNY per vCPU + 8 per GiB, burstable at half.
    pub fn monthly_cents(&self) -> i64 {
        let full = i64::from(self.cpu) * 6_000 + (self.memory_gib * 800.0).round() as i64;
        if self.burstable {
            full / 2
        } else {
            full
        }
    }

    fn category(&self) -> &'static str {
        ENTERPRISE.iter().find(|(f, _, _)| *f == self.family).map_or("Shared", |(_, _, c)| c)
    }

    /// Elastic network interfaces the type supports (grows with size, as in the real families).
    fn eni_quantity(&self) -> u32 {
        (self.cpu / 2 + 1).clamp(2, 8)
    }

    /// The types this one may change to: the other types of its class (enterprise or burstable).
    pub fn resize_targets(&self) -> impl Iterator<Item = &'static InstanceType> + '_ {
        catalogue().iter().filter(move |t| t.burstable == self.burstable && t.id != self.id)
    }
}

fn describe_instance_types(call: &Call<'_>, _: &View<'_>) -> Result<Body, ApiError> {
    let wanted = call.params.strings("InstanceTypes");
    let family = call.str("InstanceTypeFamily");
    let items: Vec<Value> = catalogue()
        .iter()
        .filter(|t| wanted.is_empty() || wanted.contains(&t.id))
        .filter(|t| family.is_none_or(|f| f == t.family))
        .map(|t| {
            // Burstable types earn CPU credits: a baseline of 10-20% per vCPU, 30 credits per vCPU to start.
            let (baseline, initial) = if t.burstable { (t.cpu * 10, t.cpu * 30) } else { (0, 0) };
            json!({
                "InstanceTypeId": t.id,
                "InstanceTypeFamily": t.family,
                "CpuCoreCount": t.cpu,
                "MemorySize": t.memory_gib,
                "InstanceFamilyLevel": if t.burstable { "CreditEntryLevel" } else { "EnterpriseLevel" },
                "InstanceCategory": t.category(),
                "EniQuantity": t.eni_quantity(),
                "BaselineCredit": baseline,
                "InitialCredit": initial,
            })
        })
        .collect();
    Ok(body(json!({ "InstanceTypes": { "InstanceType": items } })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_has_the_families_from_large_to_8xlarge() {
        for family in ["g6", "g7", "c6", "c7", "r6", "r7"] {
            for size in ["large", "8xlarge"] {
                assert!(get(&format!("ecs.{family}.{size}")).is_some(), "ecs.{family}.{size}");
            }
        }
        let g6 = get("ecs.g6.2xlarge").map(|t| (t.cpu, t.memory_gib));
        assert_eq!(g6, Some((8, 32.0)));
        assert_eq!(get("ecs.r7.8xlarge").map(|t| t.memory_mib()), Some(256 * 1024));
        assert!(catalogue().iter().any(|t| t.family == "ecs.t5") && catalogue().iter().any(|t| t.family == "ecs.t6"));
    }

    #[test]
    fn resize_targets_stay_in_class() {
        let t5 = get("ecs.t5-c1m1.large").map(|t| t.resize_targets().all(|x| x.burstable && x.id != t.id));
        assert_eq!(t5, Some(true));
        let g6 = get("ecs.g6.large").map(|t| t.resize_targets().any(|x| x.id == "ecs.c7.xlarge"));
        assert_eq!(g6, Some(true));
    }

    #[test]
    fn prices_follow_the_table() {
        // 2 vCPUs x 60 + 8 GiB x 8 = 184 CNY
        assert_eq!(get("ecs.g6.large").map(InstanceType::monthly_cents), Some(18_400));
        // burstable at half: (2 x 60 + 2 x 8) / 2 = 68 CNY
        assert_eq!(get("ecs.t5-c1m1.large").map(InstanceType::monthly_cents), Some(6_800));
    }
}
