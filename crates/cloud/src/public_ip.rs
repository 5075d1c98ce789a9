//! Public IP pools. Every emulated public address comes from 198.18.0.0/15, the range reserved
//! for benchmarking (RFC 2544), so it is never a real one: ECS instances' fixed public IPs from
//! 198.18.0.0/16, EIPs from 198.19.0.0/16. Addresses are unique across accounts and regions
//! (one global partition, one record kind for both pools, so the pools can never hand out the
//! same address) and handed out round-robin in each pool, so a released address is reused last.

use std::net::Ipv4Addr;

use acs_store::{Entity, Read, Scope, Tx};
use serde::{Deserialize, Serialize};

/// One range of the global pool: its blocks (first address, size), with its own cursor. Other
/// families (VPN gateways) declare their own.
pub struct Pool {
    cursor: &'static str,
    blocks: &'static [(u32, u32)],
}

impl Pool {
    pub const fn new(cursor: &'static str, blocks: &'static [(u32, u32)]) -> Self {
        Self { cursor, blocks }
    }

    fn size(&self) -> u32 {
        self.blocks.iter().map(|(_, n)| n).sum()
    }

    /// The `n`-th address of the pool.
    fn address(&self, mut n: u32) -> Ipv4Addr {
        for (base, size) in self.blocks {
            if n < *size {
                return Ipv4Addr::from(base + n);
            }
            n -= size;
        }
        Ipv4Addr::UNSPECIFIED
    }
}

/// Fixed public IPs of ECS instances.
pub const ECS: Pool = Pool::new("cursor", &[(u32::from_be_bytes([198, 18, 0, 0]), 1 << 16)]);
/// Elastic IP addresses.
pub const EIP: Pool = Pool::new("eip_cursor", &[(u32::from_be_bytes([198, 19, 0, 0]), 1 << 16)]);

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct PublicIp {
    address: String,
    instance_id: String,
}

impl Entity for PublicIp {
    const KIND: &'static str = "public_ip";
    fn id(&self) -> &str {
        &self.address
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Cursor {
    id: String,
    next: u32,
}

impl Entity for Cursor {
    const KIND: &'static str = "public_ip_cursor";
    fn id(&self) -> &str {
        &self.id
    }
}

fn global() -> Scope {
    Scope::new("", "")
}

/// Takes a free address of `pool` for `owner` (an instance or EIP id); `None` when the pool is
/// exhausted.
pub fn allocate(tx: &mut Tx<'_>, pool: &Pool, owner: &str) -> Option<String> {
    let mut cursor = tx.get::<Cursor>(&global(), pool.cursor).unwrap_or(Cursor { id: pool.cursor.into(), next: 0 });
    let size = pool.size();
    for step in 0..size {
        let n = (cursor.next + step) % size;
        let address = pool.address(n);
        // Skip the .0 and .255 addresses, which many tools treat as special.
        if matches!(address.octets()[3], 0 | 255) {
            continue;
        }
        let address = address.to_string();
        if tx.exists::<PublicIp>(&global(), &address) {
            continue;
        }
        cursor.next = (n + 1) % size;
        tx.put(&global(), cursor);
        tx.put(&global(), PublicIp { address: address.clone(), instance_id: owner.to_string() });
        return Some(address);
    }
    None
}

/// Whether `address` is held by anyone (an instance, an EIP, a NAT bandwidth package...).
pub fn is_allocated(r: &impl Read, address: &str) -> bool {
    r.exists::<PublicIp>(&global(), address)
}

/// Hands a held address to a new owner (a NAT bandwidth package's address becoming an EIP).
pub fn transfer(tx: &mut Tx<'_>, address: &str, owner: &str) {
    tx.put(&global(), PublicIp { address: address.to_string(), instance_id: owner.to_string() });
}

pub fn release(tx: &mut Tx<'_>, address: &str) {
    tx.delete::<PublicIp>(&global(), address);
}
