//! End to end: the real server process driven by the official Rust SDK
//! (`aliyun-openapi-core-rust-sdk`), plus durability and concurrency checks.

mod common;

use std::collections::HashSet;
use std::sync::Arc;

use common::{Server, Vpc};
use serde_json::Value;

const HZ: (&str, &str) = ("RegionId", "cn-hangzhou");

#[tokio::test(flavor = "multi_thread")]
async fn rust_sdk_walks_a_vpc_through_its_life() {
    let server = Server::ephemeral(&[]);
    let vpc = server.client();
    let created = vpc.ok("CreateVpc", &[HZ, ("CidrBlock", "192.168.0.0/16"), ("VpcName", "rust-sdk")]).await;
    let vpc_id = created["VpcId"].as_str().unwrap().to_string();
    assert!(vpc_id.starts_with("vpc-"));
    assert!(created["VRouterId"].as_str().unwrap().starts_with("vrt-"));
    let system_table = created["RouteTableId"].as_str().unwrap().to_string();

    let vsw = vpc
        .ok("CreateVSwitch", &[HZ, ("VpcId", &vpc_id), ("CidrBlock", "192.168.1.0/24"), ("ZoneId", "cn-hangzhou-b")])
        .await;
    let vsw_id = vsw["VSwitchId"].as_str().unwrap().to_string();

    let listed = vpc.ok("DescribeVpcs", &[HZ, ("VpcId", &vpc_id)]).await;
    assert_eq!(listed["TotalCount"], 1);
    let item = &listed["Vpcs"]["Vpc"][0];
    assert_eq!(item["VpcName"], "rust-sdk");
    assert_eq!(item["Status"], "Available");
    assert_eq!(item["IsDefault"], Value::Bool(false));
    assert_eq!(item["VSwitchIds"]["VSwitchId"][0], vsw_id.as_str());

    let attrs = vpc.ok("DescribeVSwitchAttributes", &[HZ, ("VSwitchId", &vsw_id)]).await;
    assert_eq!(attrs["AvailableIpAddressCount"], 252, "a /24 minus the 4 reserved addresses");
    assert_eq!(attrs["RouteTable"]["RouteTableId"], system_table.as_str());

    // A custom route table takes the vSwitch over.
    let custom = vpc.ok("CreateRouteTable", &[HZ, ("VpcId", &vpc_id), ("RouteTableName", "custom")]).await;
    let custom_id = custom["RouteTableId"].as_str().unwrap().to_string();
    vpc.ok("AssociateRouteTable", &[HZ, ("RouteTableId", &custom_id), ("VSwitchId", &vsw_id)]).await;
    let attrs = vpc.ok("DescribeVSwitchAttributes", &[HZ, ("VSwitchId", &vsw_id)]).await;
    assert_eq!(attrs["RouteTable"]["RouteTableType"], "Custom");

    // Deletion order is enforced.
    let e = vpc.err("DeleteVpc", &[HZ, ("VpcId", &vpc_id)]).await;
    assert_eq!(e.code, "DependencyViolation.VSwitch");
    let e = vpc.err("DeleteRouteTable", &[HZ, ("RouteTableId", &custom_id)]).await;
    assert_eq!(e.code, "DependencyViolation.VSwitch");
    vpc.ok("UnassociateRouteTable", &[HZ, ("RouteTableId", &custom_id), ("VSwitchId", &vsw_id)]).await;
    vpc.ok("DeleteRouteTable", &[HZ, ("RouteTableId", &custom_id)]).await;
    vpc.ok("DeleteVSwitch", &[("VSwitchId", &vsw_id)]).await;
    vpc.ok("DeleteVpc", &[HZ, ("VpcId", &vpc_id)]).await;
    let e = vpc.err("DescribeVpcAttribute", &[HZ, ("VpcId", &vpc_id)]).await;
    assert_eq!((e.code.as_str(), e.message.as_str()), ("InvalidVpcId.NotFound", "Specified VPC does not exist."));
    let listed = vpc.ok("DescribeVpcs", &[HZ, ("VpcId", &vpc_id)]).await;
    assert_eq!(listed["Vpcs"]["Vpc"], Value::Array(vec![]), "filtered by a gone id: empty list, not an error");
}

#[tokio::test(flavor = "multi_thread")]
async fn gateway_errors_reach_the_rust_sdk() {
    let server = Server::ephemeral(&[]);
    let vpc = server.client();
    let e = vpc.with_credentials("testid", "wrong").err("DescribeVpcs", &[HZ]).await;
    assert_eq!(e.code, "SignatureDoesNotMatch");
    assert!(e.message.contains("server string to sign is:POST&%2F&"), "{}", e.message);
    let e = vpc.with_credentials("nobody", "x").err("DescribeVpcs", &[HZ]).await;
    assert_eq!(e.code, "InvalidAccessKeyId.NotFound");
    let e = vpc.err("DescribeNothing", &[HZ]).await;
    assert_eq!(e.code, "InvalidAction.NotFound");
    // A real VPC action (the SDKs have it) that the emulator does not describe.
    let e = vpc.err("CreateNetworkAcl", &[HZ, ("VpcId", "vpc-x")]).await;
    assert_eq!(e.code, "UnsupportedOperation");
    assert!(e.message.contains("CreateNetworkAcl"));
    let e = vpc.err("DeleteVpc", &[HZ]).await;
    assert_eq!((e.code.as_str(), e.message.as_str()), ("MissingVpcId", "VpcId is mandatory for this action."));
    let e = vpc.err("DescribeVpcs", &[HZ, ("PageSize", "51")]).await;
    assert_eq!(e.code, "InvalidParameter");
    let e = vpc.err("CreateVpc", &[("RegionId", "mars-north-1")]).await;
    assert_eq!(e.code, "InvalidRegionId.NotFound");
}

#[tokio::test(flavor = "multi_thread")]
async fn concurrent_creates_respect_the_vswitch_quota() {
    let server = Server::ephemeral(&[]);
    let vpc = server.client();
    let vpc_id = Arc::new(vpc.create_vpc("10.0.0.0/8").await);
    // 30 concurrent creates with distinct blocks: exactly 24 (the quota) may succeed.
    let tasks: Vec<_> = (0..30)
        .map(|i| {
            let (vpc, vpc_id) = (vpc.clone(), vpc_id.clone());
            tokio::spawn(async move {
                let cidr = format!("10.{i}.0.0/24");
                vpc.call(
                    "CreateVSwitch",
                    &[HZ, ("VpcId", vpc_id.as_str()), ("CidrBlock", cidr.as_str()), ("ZoneId", "cn-hangzhou-h")],
                )
                .await
            })
        })
        .collect();
    let mut ok = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => ok += 1,
            Err(e) => assert_eq!(e.code, "QuotaExceeded.VSwitch"),
        }
    }
    assert_eq!(ok, 24);
    let listed = vpc.ok("DescribeVSwitches", &[HZ, ("VpcId", &vpc_id), ("PageSize", "50")]).await;
    assert_eq!(listed["TotalCount"], 24);
}

/// Creates VPCs from several tasks until the server dies; returns the ids it acknowledged.
async fn create_until_killed(vpc: &Vpc) -> Vec<String> {
    let regions = ["cn-hangzhou", "cn-beijing", "cn-shanghai", "cn-shenzhen"];
    let tasks: Vec<_> = regions
        .iter()
        .map(|region| {
            let vpc = vpc.clone();
            let region = region.to_string();
            tokio::spawn(async move {
                let mut acked = Vec::new();
                for _ in 0..10 {
                    match vpc.call("CreateVpc", &[("RegionId", region.as_str())]).await {
                        Ok(v) => acked.push(v["VpcId"].as_str().unwrap_or_default().to_string()),
                        Err(e) if e.code == "Transport" => break,
                        Err(e) => panic!("unexpected {}", e.code),
                    }
                }
                acked
            })
        })
        .collect();
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    all
}

#[tokio::test(flavor = "multi_thread")]
async fn acknowledged_writes_survive_sigkill_under_load() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::durable(dir.path());
    let vpc = server.client();
    let load = tokio::spawn({
        let vpc = vpc.clone();
        async move { create_until_killed(&vpc).await }
    });
    tokio::time::sleep(std::time::Duration::from_millis(60)).await;
    server.kill();
    let acked = load.await.unwrap();
    let restarted = Server::durable(dir.path());
    let vpc = restarted.client();
    let mut stored = HashSet::new();
    for region in ["cn-hangzhou", "cn-beijing", "cn-shanghai", "cn-shenzhen"] {
        let listed = vpc.ok("DescribeVpcs", &[("RegionId", region), ("PageSize", "50")]).await;
        for v in listed["Vpcs"]["Vpc"].as_array().unwrap() {
            stored.insert(v["VpcId"].as_str().unwrap().to_string());
            // The vRouter and System route table of each survived with it.
            assert_eq!(v["RouterTableIds"]["RouterTableIds"].as_array().unwrap().len(), 1);
        }
    }
    for id in &acked {
        assert!(stored.contains(id), "acknowledged {id} was lost");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn state_survives_a_restart_and_ephemeral_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let id = {
        let server = Server::durable(&data);
        server.client().create_vpc("172.16.0.0/12").await
    };
    let server = Server::durable(&data);
    let got = server.client().ok("DescribeVpcAttribute", &[HZ, ("VpcId", &id)]).await;
    assert_eq!(got["CidrBlock"], "172.16.0.0/12");

    let empty = dir.path().join("never");
    let eph = Server::ephemeral(&["--data-dir", empty.to_str().unwrap()]);
    eph.client().create_vpc("10.0.0.0/8").await;
    drop(eph);
    assert!(!empty.exists(), "--ephemeral wrote to disk");
}

/// ECS through the Rust SDK on the same endpoint; instances, their changes and their orders are
/// durable like every other record (a SIGKILL right after the answers loses nothing).
#[tokio::test(flavor = "multi_thread")]
async fn rust_sdk_changes_an_instance_and_the_change_survives_a_kill() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let server = Server::durable(&data);
    let (vpc, ecs) = (server.client(), server.ecs());
    let vpc_id = vpc.create_vpc("10.0.0.0/8").await;
    let vsw = vpc
        .ok("CreateVSwitch", &[HZ, ("VpcId", &vpc_id), ("ZoneId", "cn-hangzhou-b"), ("CidrBlock", "10.1.0.0/24")])
        .await;
    let vsw = vsw["VSwitchId"].as_str().unwrap().to_string();
    let sg = ecs.ok("CreateSecurityGroup", &[HZ, ("VpcId", &vpc_id)]).await;
    let sg = sg["SecurityGroupId"].as_str().unwrap().to_string();
    let created = ecs
        .ok(
            "CreateInstance",
            &[
                HZ,
                ("ImageId", "img"),
                ("InstanceType", "ecs.g7.large"),
                ("VSwitchId", &vsw),
                ("SecurityGroupId", &sg),
                ("InstanceChargeType", "PrePaid"),
                ("Period", "1"),
                ("InternetChargeType", "PayByBandwidth"),
            ],
        )
        .await;
    let id = created["InstanceId"].as_str().unwrap().to_string();
    assert!(created["OrderId"].is_string(), "a subscription purchase answers its order");
    let changed = ecs.ok("ModifyInstanceNetworkSpec", &[("InstanceId", &id), ("InternetMaxBandwidthOut", "5")]).await;
    let order = changed["OrderId"].as_str().unwrap().to_string();
    let again = ecs.err("ModifyInstanceNetworkSpec", &[("InstanceId", &id), ("InternetMaxBandwidthOut", "6")]).await;
    assert_eq!(again.code, "Throttling");
    assert_eq!(
        ecs.err("ModifyInstanceSpec", &[("InstanceId", &id), ("InstanceType", "ecs.g7.xlarge")]).await.code,
        "ChargeTypeViolation",
        "ModifyInstanceSpec is for pay-as-you-go instances"
    );
    server.kill();

    let server = Server::durable(&data);
    let attrs = server.ecs().ok("DescribeInstanceAttribute", &[("InstanceId", &id)]).await;
    assert_eq!(attrs["InternetMaxBandwidthOut"], 5);
    assert_eq!(attrs["PublicIpAddress"]["IpAddress"].as_array().map(Vec::len), Some(1));
    let billing: Value = reqwest_billing(&server.endpoint()).await;
    let orders = billing["orders"].as_array().cloned().unwrap_or_default();
    assert!(orders.iter().any(|o| o["order_id"] == order.as_str() && o["status"] == "Paid"), "{billing}");
}

/// GET /_emulator/billing.
async fn reqwest_billing(endpoint: &str) -> Value {
    let response = reqwest::get(format!("{endpoint}/_emulator/billing")).await.expect("billing");
    response.json().await.expect("billing JSON")
}

/// Accounts registered at run time sign their own calls, own their own resources, and are as
/// durable as those resources.
#[tokio::test(flavor = "multi_thread")]
async fn registered_accounts_are_isolated_and_durable() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let server = Server::durable(&data);
    let registered = reqwest::Client::new()
        .post(format!("{}/_emulator/accounts", server.endpoint()))
        .json(&serde_json::json!({"access_key_id": "k2", "access_key_secret": "s2", "account_id": "2222"}))
        .send()
        .await
        .expect("register");
    assert_eq!(registered.status(), 200);
    let other = server.client().with_credentials("k2", "s2");
    let theirs = other.create_vpc("10.0.0.0/8").await;
    assert_eq!(
        server.client().err("DescribeVpcAttribute", &[HZ, ("VpcId", &theirs)]).await.code,
        "InvalidVpcId.NotFound"
    );
    drop(server);

    let server = Server::durable(&data);
    let other = server.client().with_credentials("k2", "s2");
    let got = other.ok("DescribeVpcAttribute", &[HZ, ("VpcId", &theirs)]).await;
    assert_eq!(got["VpcId"], theirs.as_str());
}

/// The admin gate in front of every /_emulator/ endpoint: web pages of other origins and
/// rebinding Host names are refused; with --admin-token, writes need the token.
#[tokio::test(flavor = "multi_thread")]
async fn admin_endpoints_refuse_other_origins_and_need_the_token() {
    let server = Server::ephemeral(&["--admin-token", "s3cret"]);
    let http = reqwest::Client::new();
    let url = |path: &str| format!("{}{path}", server.endpoint());
    let refused = |r: reqwest::Response| async move {
        assert_eq!(r.status(), 403);
        let body: Value = r.json().await.expect("JSON");
        assert_eq!(body["status"], "error");
        body["message"].as_str().unwrap_or_default().to_string()
    };
    let health = http.get(url("/_emulator/health")).send().await.unwrap();
    assert_eq!(health.status(), 200, "reads need no token");
    let m = refused(http.post(url("/_emulator/reset")).send().await.unwrap()).await;
    assert!(m.contains("admin token"), "{m}");
    let ok = http.post(url("/_emulator/reset")).bearer_auth("s3cret").send().await.unwrap();
    assert_eq!(ok.status(), 200);
    let ok = http.post(url("/_emulator/clock/advance")).header("X-Emulator-Admin-Token", "s3cret");
    assert_eq!(ok.json(&serde_json::json!({"seconds": 1})).send().await.unwrap().status(), 200);
    // A page elsewhere, even with the token (a browser may hold it), and a rebinding name.
    let cross = http.post(url("/_emulator/reset")).bearer_auth("s3cret").header("Origin", "http://evil.example");
    refused(cross.send().await.unwrap()).await;
    let page = http.get(url("/_emulator/accounts")).header("Sec-Fetch-Site", "cross-site");
    refused(page.send().await.unwrap()).await;
    let rebinding = http.get(url("/_emulator/billing")).header("Host", "evil.example");
    refused(rebinding.send().await.unwrap()).await;
    // Paths that exist only later are behind the same gate.
    let later = http.get(url("/_emulator/not-yet")).header("Origin", "http://evil.example");
    refused(later.send().await.unwrap()).await;
    // The API itself is not an admin endpoint.
    server.client().ok("DescribeVpcs", &[HZ]).await;
}

/// With the database locked by another process, writes wait for their commit; reads and
/// /_emulator/health still answer meanwhile (commits run off the async workers).
#[tokio::test(flavor = "multi_thread")]
async fn reads_answer_while_writes_wait_for_a_locked_database() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let server = Server::durable(&data);
    let vpc = server.client();
    let vpc_id = vpc.create_vpc("10.0.0.0/8").await;
    let lock = rusqlite::Connection::open(data.join("state.sqlite3")).unwrap();
    lock.execute_batch("BEGIN EXCLUSIVE").unwrap();
    // More pending writes than the server has async workers.
    let writers = std::thread::available_parallelism().map_or(8, |n| n.get() * 2 + 2);
    let writes: Vec<_> = (0..writers)
        .map(|i| {
            let (vpc, vpc_id) = (vpc.clone(), vpc_id.clone());
            tokio::spawn(async move {
                let name = format!("renamed-{i}");
                vpc.call("ModifyVpcAttribute", &[HZ, ("VpcId", vpc_id.as_str()), ("VpcName", name.as_str())]).await
            })
        })
        .collect();
    // Let the writes reach their commit (they cannot finish while the lock is held).
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let health = format!("{}/_emulator/health", server.endpoint());
    for _ in 0..3 {
        // The timeouts only keep a regression from hanging the suite; the ordering is the test.
        let listed = tokio::time::timeout(std::time::Duration::from_secs(4), vpc.ok("DescribeVpcs", &[HZ]))
            .await
            .expect("DescribeVpcs waited for the commit");
        assert_eq!(listed["TotalCount"], 1);
        let h = tokio::time::timeout(std::time::Duration::from_secs(4), reqwest::get(&health))
            .await
            .expect("health waited for the commit")
            .unwrap();
        assert_eq!(h.status(), 200);
    }
    assert!(writes.iter().all(|w| !w.is_finished()), "a write finished while the database was locked");
    lock.execute_batch("ROLLBACK").unwrap();
    for w in writes {
        w.await.unwrap().unwrap_or_else(|e| panic!("write failed: {} {}", e.code, e.message));
    }
}

/// A damaged row stops the start with a message naming it (instead of a VPC silently missing
/// from DescribeVpcs); --repair quarantines it and says so.
#[tokio::test(flavor = "multi_thread")]
async fn damaged_state_stops_the_start_unless_repairing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (kept, damaged) = {
        let server = Server::durable(&data);
        let vpc = server.client();
        (vpc.create_vpc("10.0.0.0/8").await, vpc.create_vpc("172.16.0.0/12").await)
    };
    let db = rusqlite::Connection::open(data.join("state.sqlite3")).unwrap();
    let changed =
        db.execute("UPDATE resources SET body = '{\"broken' WHERE kind = 'vpc' AND id = ?1", [&damaged]).unwrap();
    assert_eq!(changed, 1);
    drop(db);
    let refused = std::process::Command::new(env!("CARGO_BIN_EXE_alicloud-emulator"))
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir", data.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains(&format!("vpc {damaged:?}")) && stderr.contains("--repair"), "{stderr}");

    let server = Server::start(&["--data-dir", data.to_str().unwrap(), "--repair"]);
    let listed = server.client().ok("DescribeVpcs", &[HZ]).await;
    assert_eq!(listed["TotalCount"], 1, "the count and the items agree");
    assert_eq!(listed["Vpcs"]["Vpc"][0]["VpcId"], kept.as_str());
}

/// Writes `request` on a new connection and reads until the server closes it or `wait` passes;
/// returns what was read and whether the server closed the connection.
fn raw_exchange(port: u16, request: &str, wait: std::time::Duration) -> (String, bool) {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(wait)).unwrap();
    s.write_all(request.as_bytes()).unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    let closed = loop {
        match s.read(&mut buf) {
            Ok(0) => break true,
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => break true,
            Err(_) => break false,
        }
    };
    (String::from_utf8_lossy(&got).into_owned(), closed)
}

/// Half-sent headers and idle keep-alive connections are closed after --idle-timeout.
#[test]
fn slow_and_idle_connections_are_closed() {
    let server = Server::ephemeral(&["--idle-timeout", "300ms"]);
    let wait = std::time::Duration::from_secs(5);
    let (got, closed) = raw_exchange(server.port, "GET /_emulator/health HTTP/1.1\r\nHost: 127.0.0.1\r\n", wait);
    assert!(closed, "a half-sent request kept its connection: {got:?}");
    let (got, closed) = raw_exchange(server.port, "GET /_emulator/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", wait);
    assert!(got.starts_with("HTTP/1.1 200"), "{got}");
    assert!(closed, "an idle keep-alive connection stayed open");
}

/// Absolute-form request targets (HTTP proxies, Ansible's footmark) are served by their path.
#[test]
fn absolute_form_request_targets_are_served() {
    let server = Server::ephemeral(&[]);
    let request = format!(
        "GET http://127.0.0.1:{0}/_emulator/health HTTP/1.1\r\nHost: 127.0.0.1:{0}\r\nConnection: close\r\n\r\n",
        server.port
    );
    let (got, _) = raw_exchange(server.port, &request, std::time::Duration::from_secs(5));
    assert!(got.starts_with("HTTP/1.1 200") && got.contains("\"status\":\"ok\""), "{got}");
}

/// Opens a keep-alive connection and proves the server serves it (so it holds one of the
/// --max-connections slots); None when the server refused it (a slot was still taken by a
/// connection that is closing).
fn held_connection(port: u16) -> Option<std::net::TcpStream> {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(std::time::Duration::from_secs(5))).ok()?;
    s.write_all(b"GET /_emulator/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").ok()?;
    let mut got = Vec::new();
    let mut buf = [0u8; 1024];
    // The health answer is small and has a Content-Length: its end is its closing brace.
    while !got.ends_with(b"}") {
        let n = s.read(&mut buf).ok()?;
        if n == 0 {
            break;
        }
        got.extend_from_slice(&buf[..n]);
    }
    got.starts_with(b"HTTP/1.1 200").then_some(s)
}

/// One connection over --max-connections gets 503 ServiceUnavailable in the API's envelope;
/// once a connection closes, calls are served again.
#[tokio::test(flavor = "multi_thread")]
async fn connections_over_the_limit_are_refused_with_503() {
    let server = Server::ephemeral(&["--max-connections", "2", "--idle-timeout", "60s"]);
    let port = server.port;
    let mut held = Vec::new();
    for _ in 0..200 {
        if held.len() == 2 {
            break;
        }
        match held_connection(port) {
            Some(s) => held.push(s),
            None => std::thread::sleep(std::time::Duration::from_millis(10)),
        }
    }
    assert_eq!(held.len(), 2, "two connections are served");
    let request = "GET /_emulator/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    let (refused, closed) = raw_exchange(port, request, std::time::Duration::from_secs(5));
    assert!(refused.starts_with("HTTP/1.1 503"), "{refused}");
    assert!(closed, "a refused connection is closed at once");
    let body: Value = serde_json::from_str(refused.split("\r\n\r\n").nth(1).unwrap()).unwrap();
    assert_eq!(body["Code"], "ServiceUnavailable");
    assert!(body["RequestId"].as_str().is_some_and(|r| !r.is_empty()));
    drop(held);
    let mut served = false;
    for _ in 0..100 {
        if server.client().call("DescribeRegions", &[]).await.is_ok() {
            served = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(served, "calls are served again once connections close");
}

/// SIGTERM completes even while a client holds a half-sent request (bounded by
/// --shutdown-timeout).
#[test]
fn sigterm_completes_while_a_request_is_half_sent() {
    use std::io::Write;
    let mut server = Server::ephemeral(&["--idle-timeout", "60s", "--shutdown-timeout", "500ms"]);
    let mut stuck = std::net::TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stuck.write_all(b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\nAction=").unwrap();
    let mut half_header = std::net::TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    half_header.write_all(b"GET /_emulator/health HTTP/1.1\r\nHo").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(200));
    let status = server.terminate(std::time::Duration::from_secs(10));
    assert!(status.is_some(), "the server did not exit after SIGTERM");
}
