//! The public IP pool: 198.18.0.0/15, the range reserved for benchmarking (RFC 2544), so an
//! emulated address is never a real one. Addresses are unique across accounts and regions
//! (one global partition) and handed out round-robin, so a released address is reused last.

use std::net::Ipv4Addr;

use acs_store::{Entity, Read, Scope, Tx};
use serde::{Deserialize, Serialize};

const BASE: u32 = u32::from_be_bytes([198, 18, 0, 0]);
const SIZE: u32 = 1 << 17;

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
    let mut cursor = tx.get::<Cursor>(&pool(), "cursor").unwrap_or(Cursor { id: "cursor".into(), next: 0 });
    for step in 0..SIZE {
        let n = (cursor.next + step) % SIZE;
        let address = Ipv4Addr::from(BASE + n);
        // Skip the .0 and .255 addresses, which many tools treat as special.
        if matches!(address.octets()[3], 0 | 255) {
            continue;
        }
        let address = address.to_string();
        if tx.exists::<PublicIp>(&pool(), &address) {
            continue;
        }
        cursor.next = (n + 1) % SIZE;
        tx.put(&pool(), cursor);
        tx.put(&pool(), PublicIp { address: address.clone(), instance_id: instance_id.to_string() });
        return Some(address);
    }
    None
}

pub fn release(tx: &mut Tx<'_>, address: &str) {
    tx.delete::<PublicIp>(&pool(), address);
}
