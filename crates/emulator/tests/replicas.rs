//! A shared deployment: several real server processes on one PostgreSQL database behave as one
//! server. Each test gets a fresh database on the server named by
//! `ALICLOUD_EMULATOR_TEST_DATABASE_URL` (started by `scripts/test`); without it they are skipped
//! and say so.

mod common;

use std::collections::BTreeSet;
use std::time::Duration;

use common::Server;
use serde_json::{json, Value};

const REGION: (&str, &str) = ("RegionId", "cn-hangzhou");

/// `n` replicas on a fresh database, or `None` (skipped) without a test database server.
fn replicas(n: usize) -> Option<(String, Vec<Server>)> {
    // The synchronous PostgreSQL client may not run on the test's async workers.
    let Some(url) = std::thread::spawn(acs_store::fresh_test_database).join().expect("thread") else {
        eprintln!("ALICLOUD_EMULATOR_TEST_DATABASE_URL not set: replica test skipped");
        return None;
    };
    let servers = (0..n).map(|_| Server::start(&["--database-url", &url])).collect();
    Some((url, servers))
}

async fn post(url: &str, body: Value) -> Value {
    reqwest::Client::new().post(url).json(&body).send().await.expect("POST").json().await.expect("JSON")
}

async fn get(url: &str) -> Value {
    reqwest::get(url).await.expect("GET").json().await.expect("JSON")
}

async fn vpc_ids(server: &Server) -> BTreeSet<String> {
    let v = server.client().ok("DescribeVpcs", &[REGION, ("PageSize", "50")]).await;
    v["Vpcs"]["Vpc"].as_array().expect("Vpcs").iter().filter_map(|v| v["VpcId"].as_str().map(str::to_string)).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_write_on_one_replica_is_read_at_once_on_every_other() {
    let Some((_, servers)) = replicas(3) else { return };
    let health = get(&servers[1].control("health")).await;
    assert_eq!(health["storage"], "postgres");
    for round in 0..5 {
        let writer = &servers[round % 3];
        let vpc = writer.client().create_vpc("10.0.0.0/8").await;
        for reader in &servers {
            let attrs = reader.client().ok("DescribeVpcAttribute", &[REGION, ("VpcId", &vpc)]).await;
            assert_eq!(attrs["VpcId"], vpc.as_str());
        }
        let other = &servers[(round + 1) % 3];
        other.client().ok("DeleteVpc", &[REGION, ("VpcId", &vpc)]).await;
        let e = writer.client().err("DescribeVpcAttribute", &[REGION, ("VpcId", &vpc)]).await;
        assert_eq!(e.code, "InvalidVpcId.NotFound", "the delete on another replica is seen");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn racing_replicas_never_break_the_vswitch_quota() {
    let Some((_, servers)) = replicas(2) else { return };
    let vpc = servers[0].client().create_vpc("10.0.0.0/8").await;
    let calls: Vec<_> = (0..40)
        .map(|i| {
            let client = servers[i % 2].client();
            let (vpc, cidr) = (vpc.clone(), format!("10.{}.0.0/24", i + 1));
            tokio::spawn(async move {
                client
                    .call(
                        "CreateVSwitch",
                        &[REGION, ("VpcId", &vpc), ("ZoneId", "cn-hangzhou-b"), ("CidrBlock", &cidr)],
                    )
                    .await
            })
        })
        .collect();
    let mut created = 0;
    for call in calls {
        match call.await.expect("task") {
            Ok(_) => created += 1,
            Err(e) => assert_eq!(e.code, "QuotaExceeded.VSwitch", "{}", e.message),
        }
    }
    assert_eq!(created, 24);
    for server in &servers {
        let v = server.client().ok("DescribeVSwitches", &[REGION, ("VpcId", &vpc), ("PageSize", "50")]).await;
        assert_eq!(v["TotalCount"], 24);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn client_tokens_quotas_clock_billing_and_accounts_are_shared() {
    let Some((_, servers)) = replicas(2) else { return };
    let (a, b) = (&servers[0], &servers[1]);
    // One ClientToken, two replicas: one VPC.
    let token = [REGION, ("ClientToken", "same-token-both-replicas")];
    let first = a.client().ok("CreateVpc", &token).await;
    let again = b.client().ok("CreateVpc", &token).await;
    assert_eq!(first["VpcId"], again["VpcId"]);
    assert_eq!(vpc_ids(a).await.len(), 1);

    post(&a.control("quotas"), json!({"vpcs_per_region": 2})).await;
    assert_eq!(get(&b.control("quotas")).await["vpcs_per_region"], 2);
    b.client().create_vpc("10.0.0.0/8").await;
    assert_eq!(a.client().err("CreateVpc", &[REGION]).await.code, "QuotaExceeded.Vpc");

    let before = get(&b.control("clock")).await["offset_ms"].as_i64().unwrap_or_default();
    post(&a.control("clock/advance"), json!({"seconds": 3600})).await;
    post(&b.control("clock/advance"), json!({"seconds": 60})).await;
    let after = get(&a.control("clock")).await["offset_ms"].as_i64().unwrap_or_default();
    assert_eq!(after - before, 3_660_000, "advances on both replicas add up");

    post(&a.control("billing"), json!({"balance": 42.5})).await;
    assert_eq!(get(&b.control("billing")).await["balance"], 42.5);

    let registered =
        post(&a.control("accounts"), json!({"access_key_id": "k2", "access_key_secret": "s2", "account_id": "777"}))
            .await;
    assert_eq!(registered["account_id"], "777", "{registered}");
    let other = b.client().with_credentials("k2", "s2");
    other.ok("CreateVpc", &[REGION]).await;
    assert_eq!(vpc_ids(a).await.len(), 2, "the other account's VPC is its own");
}

/// A fault rule set through one replica hits the next call on any replica, and a counted rule
/// counts the calls of all replicas together.
#[tokio::test(flavor = "multi_thread")]
async fn fault_rules_are_shared_and_counted_across_replicas() {
    let Some((_, servers)) = replicas(2) else { return };
    let (a, b) = (&servers[0], &servers[1]);
    let rules = json!({"rules": [{"action": "DescribeVpcs", "code": "Throttling", "count": 3}]});
    post(&a.control("faults"), rules).await;
    assert_eq!(get(&b.control("faults")).await["rules"][0]["count"], 3);
    let mut throttled = 0;
    for i in 0..8 {
        let replica = &servers[i % 2];
        match replica.client().call("DescribeVpcs", &[REGION]).await {
            Ok(_) => {}
            Err(e) if e.code == "Throttling" => throttled += 1,
            Err(e) => panic!("unexpected {}: {}", e.code, e.message),
        }
        if i == 0 {
            assert_eq!(throttled, 1, "the rule set through a hits the first call, on a");
        }
    }
    assert_eq!(throttled, 3, "count 3 hits three calls in all, whichever replica takes them");
    assert_eq!(get(&a.control("faults")).await["rules"], json!([]));
    post(&b.control("faults"), json!({"rules": [{"action": "*", "code": "ServiceUnavailable"}]})).await;
    assert_eq!(a.client().err("DescribeVpcs", &[REGION]).await.code, "ServiceUnavailable");
    let cleared = reqwest::Client::new().delete(a.control("faults")).send().await.expect("DELETE");
    assert!(cleared.status().is_success());
    b.client().ok("DescribeVpcs", &[REGION]).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_killed_replica_loses_no_acknowledged_write() {
    let Some((url, mut servers)) = replicas(2) else { return };
    post(&servers[0].control("quotas"), json!({"vpcs_per_region": 10000})).await;
    let victim = servers.remove(0);
    let survivor = &servers[0];
    let client = victim.client();
    let progress = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counted = std::sync::Arc::clone(&progress);
    let writer = tokio::spawn(async move {
        let mut acknowledged = Vec::new();
        while let Ok(v) = client.call("CreateVpc", &[REGION]).await {
            acknowledged.push(v["VpcId"].as_str().unwrap_or_default().to_string());
            counted.store(acknowledged.len(), std::sync::atomic::Ordering::Relaxed);
        }
        acknowledged
    });
    // Load on the survivor at the same time.
    let busy = survivor.client();
    let reader = tokio::spawn(async move {
        for _ in 0..30 {
            busy.ok("CreateVpc", &[REGION]).await;
        }
    });
    // Killed in the middle of its writes, once it is well under way.
    for _ in 0..400 {
        if progress.load(std::sync::atomic::Ordering::Relaxed) >= 8 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    victim.kill();
    let acknowledged = writer.await.expect("writer");
    reader.await.expect("reader");
    assert!(acknowledged.len() > 5, "the writer got going ({} writes)", acknowledged.len());
    let seen = vpc_ids_all(survivor).await;
    for id in &acknowledged {
        assert!(seen.contains(id), "acknowledged {id} is lost");
    }
    // A restarted replica sees everything.
    let restarted = Server::start(&["--database-url", &url]);
    assert_eq!(vpc_ids_all(&restarted).await, seen);
}

/// Every VPC id of the account in cn-hangzhou, page by page.
async fn vpc_ids_all(server: &Server) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for page in 1.. {
        let p = page.to_string();
        let v = server.client().ok("DescribeVpcs", &[REGION, ("PageSize", "50"), ("PageNumber", &p)]).await;
        let items = v["Vpcs"]["Vpc"].as_array().cloned().unwrap_or_default();
        if items.is_empty() {
            break;
        }
        ids.extend(items.iter().filter_map(|v| v["VpcId"].as_str().map(str::to_string)));
    }
    ids
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lost_database_gets_a_retryable_error_then_the_replica_reconnects() {
    let Some((url, servers)) = replicas(1) else { return };
    let server = &servers[0];
    let vpc = server.client().create_vpc("10.0.0.0/8").await;
    let db = url.rsplit('/').next().unwrap_or_default().to_string();
    let base = std::env::var("ALICLOUD_EMULATOR_TEST_DATABASE_URL").expect("set");
    let admin = move |sql: String| {
        let base = base.clone();
        std::thread::spawn(move || {
            let mut c = postgres::Client::connect(&base, postgres::NoTls).expect("admin connection");
            c.batch_execute(&sql).expect("admin statement");
        })
        .join()
        .expect("admin thread")
    };
    // The database goes away: no new connections, the open ones cut.
    admin(format!(
        "ALTER DATABASE {db} ALLOW_CONNECTIONS false; \
         SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{db}'"
    ));
    for action in ["DescribeVpcs", "CreateVpc"] {
        let e = server.client().err(action, &[REGION]).await;
        assert_eq!(e.code, "ServiceUnavailable", "{action}: {}", e.message);
    }
    // Back: the replica reconnects by itself and nothing was half-done.
    admin(format!("ALTER DATABASE {db} ALLOW_CONNECTIONS true"));
    let mut back = false;
    for _ in 0..50 {
        if server.client().call("DescribeVpcs", &[REGION]).await.is_ok() {
            back = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(back, "the replica did not reconnect");
    assert_eq!(vpc_ids(server).await, BTreeSet::from([vpc]));
}
