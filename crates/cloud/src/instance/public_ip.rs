//! The public IP pools: 198.18.0.0/15 for instances, the range reserved for benchmarking
//! (RFC 2544), so an emulated address is never a real one; other families (VPN gateways) take
//! their own ranges through [`allocate_from`]. Addresses are unique across accounts and regions
//! (one global partition) and handed out round-robin, so a released address is reused last.

use std::net::Ipv4Addr;

use acs_store::{Entity, Read, Scope, Tx};
use serde::{Deserialize, Serialize};

/// A range of public addresses: its blocks (first address, size) and the id of its cursor.
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

/// ECS instances: 198.18.0.0/15.
pub const INSTANCES: Pool = Pool::new("cursor", &[(u32::from_be_bytes([198, 18, 0, 0]), 1 << 17)]);

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

fn pool() -> Scope {
    Scope::new("", "")
}

/// Takes a free address for the instance; `None` when the pool is exhausted.
pub fn allocate(tx: &mut Tx<'_>, instance_id: &str) -> Option<String> {
    allocate_from(tx, &INSTANCES, instance_id)
}

/// Takes a free address of `range` for `owner_id`; `None` when the range is exhausted.
pub fn allocate_from(tx: &mut Tx<'_>, range: &Pool, owner_id: &str) -> Option<String> {
    let size = range.size();
    let mut cursor = tx.get::<Cursor>(&pool(), range.cursor).unwrap_or(Cursor { id: range.cursor.into(), next: 0 });
    for step in 0..size {
        let n = (cursor.next + step) % size;
        let address = range.address(n);
        // Skip the .0 and .255 addresses, which many tools treat as special.
        if matches!(address.octets()[3], 0 | 255) {
            continue;
        }
        let address = address.to_string();
        if tx.exists::<PublicIp>(&pool(), &address) {
            continue;
        }
        cursor.next = (n + 1) % size;
        tx.put(&pool(), cursor);
        tx.put(&pool(), PublicIp { address: address.clone(), instance_id: owner_id.to_string() });
        return Some(address);
    }
    None
}

pub fn release(tx: &mut Tx<'_>, address: &str) {
    tx.delete::<PublicIp>(&pool(), address);
}
