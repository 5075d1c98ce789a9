//! Named quotas: every limit the emulated products enforce as a quota has a name and the real
//! service's default, and can be changed without a rebuild.
//!
//! The value of a quota for an account is, first found: the account's own override (stored,
//! `POST /_emulator/quotas?account_id=UID`), the server-wide override (stored, `POST
//! /_emulator/quotas`), the `--quota NAME=N` flag, the default. Overrides are kept in the store,
//! so they are durable, exported with the state, shared by every replica and dropped by
//! `/_emulator/reset` (the flags then apply again).
//!
//! A family declares its quotas as [`Quota`] constants next to the rules that use them and lists
//! them in [`all`]; a rule reads the value through [`Call::quota`].

use std::collections::BTreeMap;

use acs_store::{Entity, Read, Scope, StoreError};
use serde::{Deserialize, Serialize};

use crate::context::{Call, Cloud};

/// One named quota.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    /// Its name in `--quota NAME=N` and `/_emulator/quotas`.
    pub name: &'static str,
    /// The real service's default.
    pub default: usize,
    /// What it counts, for README and the index of the control endpoints.
    pub about: &'static str,
}

/// Every quota of every family, in the order `/_emulator/quotas` lists them.
pub fn all() -> &'static [Quota] {
    &[
        crate::vpc::VPCS_PER_REGION,
        crate::vpc::USER_CIDRS_PER_VPC,
        crate::vswitch::VSWITCHES_PER_VPC,
        crate::route_table::ENTRIES_PER_TABLE,
        crate::route_table::ENTRIES_PER_HA_VIP,
        crate::instance::DOWNGRADES_PER_SUBSCRIPTION,
        crate::physical_connection::OPEN_APPLICATIONS_QUOTA,
        crate::physical_connection::PER_ACCESS_POINT_QUOTA,
        crate::vbr::VBRS_PER_PHYSICAL_CONNECTION,
        crate::router_interface::INTERFACES_PER_ROUTER_LIMIT,
        crate::bgp::GROUPS_PER_VBR,
        crate::bgp::PEERS_PER_VBR,
        crate::bgp::NETWORKS_PER_VBR,
        crate::eip::EIPS_PER_REGION,
        crate::eip::PACKAGES_PER_REGION,
        crate::eip::EIPS_PER_PACKAGE,
        crate::vpn::GATEWAYS_PER_VPC,
        crate::vpn::CUSTOMER_GATEWAYS_PER_REGION,
        crate::vpn::CONNECTIONS_PER_GATEWAY,
        crate::vpn::ROUTES_PER_GATEWAY,
        crate::vpn::SERVERS_PER_GATEWAY,
        crate::vpn::CERTS_PER_SERVER,
        crate::nat::PACKAGES_PER_GATEWAY,
        crate::nat::IPS_PER_PACKAGE,
        crate::nat::FORWARD_ENTRIES_PER_TABLE,
        crate::nat::SNAT_ENTRIES_PER_TABLE,
        crate::nat::IPS_PER_SNAT_ENTRY,
    ]
}

/// The quota called `name`.
pub fn by_name(name: &str) -> Option<&'static Quota> {
    all().iter().find(|q| q.name == name)
}

/// A stored override of one quota.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct QuotaOverride {
    name: String,
    value: usize,
}

impl Entity for QuotaOverride {
    const KIND: &'static str = "quota";
    fn id(&self) -> &str {
        &self.name
    }
}

/// Where overrides live: ("", "") server-wide, (account, "") for one account.
fn scope_of(account: Option<&str>) -> Scope {
    Scope::new(account.unwrap_or_default(), "")
}

/// Checks `--quota NAME=N` values at start-up.
pub fn parse_flag(s: &str) -> Result<(String, usize), String> {
    let (name, value) = s.split_once('=').ok_or_else(|| format!("expected NAME=N, got {s:?}"))?;
    let name = name.trim();
    if by_name(name).is_none() {
        return Err(format!("unknown quota {name:?} (known: {})", names()));
    }
    let value = value.trim().parse::<usize>().map_err(|_| format!("quota {name}: {value:?} is not a whole number"))?;
    Ok((name.to_string(), value))
}

fn names() -> String {
    all().iter().map(|q| q.name).collect::<Vec<_>>().join(", ")
}

impl Cloud {
    /// The value of `quota` for `account` (see the module docs for the order).
    pub fn quota(&self, r: &impl Read, account: &str, quota: &Quota) -> usize {
        self.quota_for(r, Some(account), quota)
    }

    /// The value of `quota` for `account`, or server-wide when `None` (no account override).
    fn quota_for(&self, r: &impl Read, account: Option<&str>, quota: &Quota) -> usize {
        let stored = |scope: Scope| r.get::<QuotaOverride>(&scope, quota.name).map(|o| o.value);
        account
            .and_then(|a| stored(scope_of(Some(a))))
            .or_else(|| stored(scope_of(None)))
            .or_else(|| self.config.quotas.get(quota.name).copied())
            .unwrap_or(quota.default)
    }

    /// Every quota's value for `account` (or server-wide when `None`), by name.
    pub fn quotas(&self, account: Option<&str>) -> BTreeMap<&'static str, usize> {
        self.store.read(|view| all().iter().map(|q| (q.name, self.quota_for(view, account, q))).collect())
    }

    /// Merges `values` (name -> whole number) into the overrides of `account` (or the
    /// server-wide ones), all or nothing: an unknown name or a bad value changes nothing.
    pub fn set_quotas(
        &self,
        account: Option<&str>,
        values: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<BTreeMap<&'static str, usize>, String> {
        let mut checked = Vec::with_capacity(values.len());
        for (name, value) in values {
            let quota = by_name(name).ok_or_else(|| format!("unknown quota {name:?} (known: {})", names()))?;
            let value = value
                .as_u64()
                .and_then(|v| usize::try_from(v).ok())
                .ok_or_else(|| format!("quota {name}: expected a whole number >= 0, got {value}"))?;
            checked.push(QuotaOverride { name: quota.name.to_string(), value });
        }
        let scope = scope_of(account);
        self.store
            .write(|tx| {
                for o in checked {
                    tx.put(&scope, o);
                }
                Ok::<_, StoreError>(())
            })
            .map_err(|e| e.to_string())?;
        Ok(self.quotas(account))
    }
}

impl Call<'_> {
    /// The value of `quota` for the calling account.
    pub fn quota(&self, r: &impl Read, quota: &Quota) -> usize {
        self.cloud.quota(r, self.account, quota)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_snake_case() {
        let mut seen = std::collections::HashSet::new();
        for q in all() {
            assert!(seen.insert(q.name), "duplicate quota {}", q.name);
            assert!(q.name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'), "{}", q.name);
        }
    }

    #[test]
    fn flags_name_known_quotas() {
        assert_eq!(parse_flag("vpcs_per_region=20"), Ok(("vpcs_per_region".into(), 20)));
        assert!(parse_flag("vpcs=20").is_err());
        assert!(parse_flag("vpcs_per_region=-1").is_err());
        assert!(parse_flag("vpcs_per_region").is_err());
    }
}
