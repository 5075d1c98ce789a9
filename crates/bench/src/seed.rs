//! Seeding many VPCs without the API: CreateVpc stops at the quota of 10 VPCs per region and
//! the server may not be changed for the bench, so the bench writes the state directly, before
//! the server starts, through the store's own write path (`acs_store::Store`) and the
//! cloud's own types. Each VPC comes with its vRouter and System route table, written in the
//! order CreateVpc writes them, so the data is what CreateVpc would have made.

use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use acs_cloud::route_table::{RouteTable, SYSTEM};
use acs_cloud::vpc::{Vpc, DEFAULT_CIDR};
use acs_cloud::vrouter::VRouter;
use acs_store::{Scope, Store, StoreError};

/// The emulator's default account (`--account-id` default).
pub const ACCOUNT: &str = "1234567890123456";
pub const REGION: &str = "cn-hangzhou";

/// Writes `n` VPCs (with their vRouters and System route tables) in `REGION` into the durable
/// store under `dir`; returns the VPC ids, oldest first.
///
/// Everything goes through the store's own write path (`Store::write` / `Tx::put`), so rows,
/// bodies, sequence numbers and any index columns are exactly what the server writes, in
/// CreateVpc's order (vRouter, route table, VPC). Ids grow with creation order, so SQLite
/// appends to its B-tree instead of inserting at random places in one larger than its cache.
pub fn seed_vpcs(dir: &Path, n: usize) -> Result<Vec<String>, String> {
    let store = Store::sqlite(dir).map_err(|e| format!("open store {}: {e}", dir.display()))?;
    let scope = Scope::new(ACCOUNT, REGION);
    let now_ms = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or_default();
    let rg = default_resource_group(ACCOUNT);
    let mut ids = Vec::with_capacity(n);
    for first in (0..n).step_by(BATCH) {
        store
            .write(|tx| -> Result<(), StoreError> {
                for i in first..(first + BATCH).min(n) {
                    let vpc_id = new_id("vpc", REGION, i);
                    let router_id = new_id("vrt", REGION, i);
                    let table_id = new_id("vtb", REGION, i);
                    tx.put(
                        &scope,
                        VRouter {
                            id: router_id.clone(),
                            vpc_id: vpc_id.clone(),
                            region: REGION.into(),
                            name: String::new(),
                            description: String::new(),
                            created_ms: now_ms,
                        },
                    );
                    tx.put(
                        &scope,
                        RouteTable {
                            id: table_id,
                            vpc_id: vpc_id.clone(),
                            router_id: router_id.clone(),
                            router_type: "VRouter".into(),
                            table_type: SYSTEM.into(),
                            name: String::new(),
                            description: String::new(),
                            resource_group_id: rg.clone(),
                            created_ms: now_ms,
                            vswitch_ids: Vec::new(),
                        },
                    );
                    tx.put(
                        &scope,
                        Vpc {
                            id: vpc_id.clone(),
                            region: REGION.into(),
                            name: format!("bench-{i}"),
                            description: String::new(),
                            cidr_block: DEFAULT_CIDR.into(),
                            user_cidrs: Vec::new(),
                            ipv6_cidr_block: String::new(),
                            vrouter_id: router_id,
                            is_default: false,
                            resource_group_id: rg.clone(),
                            created_ms: now_ms,
                            cen_grants: Vec::new(),
                        },
                    );
                    ids.push(vpc_id);
                }
                Ok(())
            })
            .map_err(|e| format!("seed {}: {e}", dir.display()))?;
    }
    Ok(ids)
}

/// VPCs per write transaction while seeding.
const BATCH: usize = 5_000;

/// The account's default resource group as `Call::resource_group` derives it (FNV-1a of the
/// account id), which CreateVpc uses when the request names none.
fn default_resource_group(account: &str) -> String {
    let h = account.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
    format!("rg-acfm{:010x}", h & 0xff_ffff_ffff)
}

/// An id shaped like the emulator's (`<prefix>-` + 2 region characters + 20 lower-case
/// alphanumerics: here the creation index, then random characters); clients treat ids as opaque.
fn new_id(prefix: &str, region: &str, index: usize) -> String {
    let h = region.bytes().fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
    let alphabet = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let a = alphabet[(h % 26) as usize] as char;
    let b = alphabet[((h / 26) % 36) as usize] as char;
    let tail = uuid::Uuid::new_v4().simple().to_string();
    format!("{prefix}-{a}{b}{index:08}{}", &tail[..12])
}

/// Sets `vpcs_per_region` on a running server (`POST /_emulator/quotas`), so that write loads
/// never stop at the quota.
pub fn allow_vpcs(addr: std::net::SocketAddr, n: usize) -> Result<(), String> {
    use std::io::{Read as _, Write as _};
    let body = format!("{{\"vpcs_per_region\": {n}}}");
    let req = format!(
        "POST /_emulator/quotas HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let mut s = std::net::TcpStream::connect(addr).map_err(|e| format!("connect {addr}: {e}"))?;
    s.write_all(req.as_bytes()).map_err(|e| e.to_string())?;
    let mut answer = String::new();
    s.read_to_string(&mut answer).map_err(|e| e.to_string())?;
    if answer.starts_with("HTTP/1.1 200") {
        Ok(())
    } else {
        Err(format!("POST /_emulator/quotas: {answer}"))
    }
}

/// Creates `n` VPCs in `REGION` through the API of a running server.
pub fn create_vpcs_via_api(addr: std::net::SocketAddr, n: usize) -> Result<(), String> {
    crate::client::runtime(1).block_on(async {
        let mut conn = crate::client::Conn::connect(addr).await?;
        for _ in 0..n {
            let (status, body) = conn.call("CreateVpc", &[("RegionId", REGION.to_string())]).await?;
            if !status.is_success() {
                return Err(format!("CreateVpc: {status} {}", String::from_utf8_lossy(&body)));
            }
        }
        Ok(())
    })
}
