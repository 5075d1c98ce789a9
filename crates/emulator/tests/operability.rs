//! The operator's side of the emulator, against the real process: quotas, a durable clock, the
//! data-directory lock, the request log, error envelopes for requests refused by the HTTP layer,
//! state export/import, metrics, fault injection and the index of `/_emulator/`.

mod common;

use std::process::{Command, Stdio};
use std::time::Duration;

use common::Server;
use serde_json::{json, Value};

async fn get(url: &str) -> (u16, Value) {
    let r = reqwest::get(url).await.expect("GET");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn post(url: &str, body: Value) -> (u16, Value) {
    let r = reqwest::Client::new().post(url).json(&body).send().await.expect("POST");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn vpc_count(server: &Server) -> u64 {
    let v = server.client().ok("DescribeVpcs", &[("RegionId", "cn-hangzhou")]).await;
    v["TotalCount"].as_u64().expect("TotalCount")
}

#[tokio::test(flavor = "multi_thread")]
async fn quotas_come_from_flags_and_the_control_endpoint() {
    let server = Server::ephemeral(&["--quota", "vpcs_per_region=2", "--quota", "vswitches_per_vpc=1"]);
    let vpc = server.client();
    let (status, quotas) = get(&server.control("quotas")).await;
    assert_eq!(status, 200);
    assert_eq!((quotas["vpcs_per_region"].as_u64(), quotas["vswitches_per_vpc"].as_u64()), (Some(2), Some(1)));
    assert_eq!(quotas["route_entries_per_table"], 48, "the others keep their real defaults");
    vpc.create_vpc("10.0.0.0/8").await;
    vpc.create_vpc("10.0.0.0/8").await;
    assert_eq!(vpc.err("CreateVpc", &[("RegionId", "cn-hangzhou")]).await.code, "QuotaExceeded.Vpc");

    let (status, quotas) = post(&server.control("quotas"), json!({"vpcs_per_region": 3})).await;
    assert_eq!((status, quotas["vpcs_per_region"].as_u64()), (200, Some(3)));
    vpc.create_vpc("10.0.0.0/8").await;
    assert_eq!(vpc.err("CreateVpc", &[("RegionId", "cn-hangzhou")]).await.code, "QuotaExceeded.Vpc");

    let (status, answer) = post(&server.control("quotas"), json!({"vpcs_per_region": 9, "vpcs": 1})).await;
    assert_eq!(status, 400);
    assert!(answer["message"].as_str().unwrap_or_default().contains("\"vpcs\""), "{answer}");
    assert_eq!(get(&server.control("quotas")).await.1["vpcs_per_region"], 3, "nothing merged");

    // Per account: the other account keeps the server-wide value.
    let (status, mine) =
        post(&server.control("quotas?account_id=1234567890123456"), json!({"vpcs_per_region": 4})).await;
    assert_eq!((status, mine["vpcs_per_region"].as_u64()), (200, Some(4)));
    assert_eq!(get(&server.control("quotas?account_id=42")).await.1["vpcs_per_region"], 3);
    vpc.create_vpc("10.0.0.0/8").await;

    // An unknown name on the command line stops the server at once.
    let out = Command::new(env!("CARGO_BIN_EXE_alicloud-emulator"))
        .args(["serve", "--ephemeral", "--listen", "127.0.0.1:0", "--quota", "vpcs=3"])
        .output()
        .expect("run");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown quota"), "{}", String::from_utf8_lossy(&out.stderr));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_clock_is_durable_and_reset_drops_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let advanced = {
        let server = Server::durable(dir.path());
        let (status, clock) = post(&server.control("clock/advance"), json!({"seconds": 86400})).await;
        assert_eq!(status, 200);
        assert!(clock["offset_ms"].as_i64() >= Some(86_400_000));
        server.client().create_vpc("10.0.0.0/8").await;
        let clock = get(&server.control("clock")).await.1;
        server.kill();
        clock["now_ms"].as_i64().expect("now_ms")
    };
    let server = Server::durable(dir.path());
    let clock = get(&server.control("clock")).await.1;
    assert!(clock["offset_ms"].as_i64() >= Some(86_400_000), "the offset survives a restart: {clock}");
    assert!(clock["now_ms"].as_i64() >= Some(advanced), "time does not go back after a restart");
    let vpcs = server.client().ok("DescribeVpcs", &[("RegionId", "cn-hangzhou")]).await;
    let created = vpcs["Vpcs"]["Vpc"][0]["CreationTime"].as_str().expect("CreationTime").to_string();
    assert!(created.as_str() <= clock["now"].as_str().unwrap_or_default(), "{created} is not in the future");

    let (status, _) = post(&server.control("reset"), json!({})).await;
    assert_eq!(status, 200);
    assert_eq!(get(&server.control("clock")).await.1["offset_ms"], 0, "reset drops the offset");
    drop(server);
    let server = Server::durable(dir.path());
    assert_eq!(get(&server.control("clock")).await.1["offset_ms"], 0, "and the reset is durable");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_server_on_one_data_dir_exits_naming_the_holder() {
    let dir = tempfile::tempdir().expect("tempdir");
    let log = dir.path().join("first.log");
    let first = Server::logged(&["--data-dir", dir.path().join("data").to_str().expect("utf-8")], &log);
    let out = Command::new(env!("CARGO_BIN_EXE_alicloud-emulator"))
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(dir.path().join("data"))
        .stdout(Stdio::null())
        .output()
        .expect("run");
    assert!(!out.status.success(), "the second server must not start");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&first.pid().to_string()), "names the holder's PID: {err}");
    assert!(err.contains("data"), "names the directory: {err}");
    // The first one goes on serving and logged its data directory.
    first.client().create_vpc("10.0.0.0/8").await;
    let text = std::fs::read_to_string(&log).expect("log");
    assert!(text.contains("data_dir"), "{text}");
}

#[tokio::test(flavor = "multi_thread")]
async fn every_call_is_one_log_line_in_text_or_json() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text_log = dir.path().join("text.log");
    let server = Server::logged(&["--ephemeral"], &text_log);
    server.client().create_vpc("10.0.0.0/8").await;
    server.client().err("DeleteVpc", &[("RegionId", "cn-hangzhou"), ("VpcId", "vpc-nope")]).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    let text = std::fs::read_to_string(&text_log).expect("log");
    let calls: Vec<&str> = text.lines().filter(|l| l.contains("alicloud_emulator::call")).collect();
    assert_eq!(calls.len(), 2, "{text}");
    assert!(calls[0].contains("action=\"CreateVpc\"") || calls[0].contains("action=CreateVpc"), "{}", calls[0]);
    assert!(calls[1].contains("InvalidVpcId.NotFound") && calls[1].contains("status=404"), "{}", calls[1]);
    assert!(calls.iter().all(|l| l.contains("1234567890123456") && l.contains("latency_ms")), "{text}");

    let json_log = dir.path().join("json.log");
    let server = Server::logged(&["--ephemeral", "--log-format", "json"], &json_log);
    server.client().create_vpc("10.0.0.0/8").await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    let text = std::fs::read_to_string(&json_log).expect("log");
    let call = text
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .find(|l| l["target"] == "alicloud_emulator::call")
        .unwrap_or_else(|| panic!("no JSON call line in {text}"));
    assert_eq!((call["action"].as_str(), call["status"].as_u64()), (Some("CreateVpc"), Some(200)));
    assert_eq!(call["product"], "Vpc");
    assert!(call["request_id"].as_str().is_some_and(|r| !r.is_empty()), "{call}");
}

#[tokio::test(flavor = "multi_thread")]
async fn requests_refused_by_the_http_layer_get_the_error_envelope() {
    let server = Server::ephemeral(&["--max-body-bytes", "1024", "--max-url-bytes", "2048"]);
    let client = reqwest::Client::new();
    let check = |status: u16, body: &Value, code: &str| {
        assert_eq!(body["Code"], code, "{body}");
        assert!(body["RequestId"].as_str().is_some_and(|r| !r.is_empty()), "{body}");
        assert!(body["Message"].as_str().is_some_and(|m| !m.is_empty()), "{body}");
        status
    };
    let big = client.post(server.endpoint()).body(vec![b'a'; 4096]).send().await.expect("POST");
    let status = big.status().as_u16();
    assert_eq!(check(status, &big.json().await.unwrap_or(Value::Null), "RequestEntityTooLarge"), 413);

    let long = client.get(format!("{}/?Action=DescribeVpcs&x={}", server.endpoint(), "a".repeat(4096))).send().await;
    let long = long.expect("GET");
    let status = long.status().as_u16();
    assert_eq!(check(status, &long.json().await.unwrap_or(Value::Null), "RequestURITooLong"), 414);

    let put = client.put(server.endpoint()).send().await.expect("PUT");
    let status = put.status().as_u16();
    assert_eq!(check(status, &put.json().await.unwrap_or(Value::Null), "UnsupportedHTTPMethod"), 405);

    // What hyper refuses before any handler runs: a URL over its own limit, a garbled request
    // line, oversized headers.
    let huge_url = format!("GET /?Action=DescribeVpcs&x={} HTTP/1.1\r\nHost: localhost\r\n\r\n", "a".repeat(100_000));
    let garbled = "GET / HTTP/9.9 nonsense\r\n\r\n".to_string();
    let fat_headers = format!("GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: {}\r\n\r\n", "b".repeat(600_000));
    for (raw, status, code) in [
        (huge_url, 414, "RequestURITooLong"),
        (garbled, 400, "MalformedRequest"),
        (fat_headers, 431, "RequestHeaderFieldsTooLarge"),
    ] {
        let answer = raw_exchange(server.port, raw.as_bytes()).await;
        let (head, body) = answer.split_once("\r\n\r\n").unwrap_or_else(|| panic!("no head in {answer:?}"));
        assert!(head.starts_with(&format!("HTTP/1.1 {status} ")), "{head}");
        let body: Value = serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body:?}"));
        assert_eq!(check(status, &body, code), status);
    }

    // The server is still fine.
    server.client().create_vpc("10.0.0.0/8").await;
}

/// Sends raw bytes on a new connection and reads until the server closes it.
async fn raw_exchange(port: u16, request: &[u8]) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.expect("connect");
    // The server may answer and close before it has read everything: a failed write is fine.
    let _ = stream.write_all(request).await;
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut answer)).await;
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn state_exports_and_imports_whole_or_not_at_all() {
    let source = Server::ephemeral(&[]);
    let vpc = source.client();
    let vpc_id = vpc.create_vpc("10.0.0.0/8").await;
    vpc.ok(
        "CreateVSwitch",
        &[("RegionId", "cn-hangzhou"), ("VpcId", &vpc_id), ("ZoneId", "cn-hangzhou-b"), ("CidrBlock", "10.1.0.0/24")],
    )
    .await;
    post(&source.control("quotas"), json!({"vpcs_per_region": 7})).await;
    post(&source.control("clock/advance"), json!({"seconds": 3600})).await;
    post(&source.control("billing"), json!({"balance": 12.5})).await;
    let (status, doc) = get(&source.control("state")).await;
    assert_eq!(status, 200);
    assert_eq!((doc["format"].as_str(), doc["version"].as_u64()), (Some("alicloud-emulator-state"), Some(1)));
    let kinds: Vec<&str> =
        doc["resources"].as_array().expect("resources").iter().filter_map(|r| r["kind"].as_str()).collect();
    for kind in ["vpc", "vswitch", "route_table", "vrouter", "quota", "clock", "billing_account"] {
        assert!(kinds.contains(&kind), "{kind} missing from {kinds:?}");
    }

    // Into a durable server, through the endpoint.
    let dir = tempfile::tempdir().expect("tempdir");
    let target = Server::durable(dir.path());
    target.client().create_vpc("192.168.0.0/16").await;
    let (status, answer) = post(&target.control("state"), doc.clone()).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(vpc_count(&target).await, 1, "the state was replaced, not merged");
    let attrs = target.client().ok("DescribeVpcAttribute", &[("RegionId", "cn-hangzhou"), ("VpcId", &vpc_id)]).await;
    assert_eq!(attrs["VSwitchIds"]["VSwitchId"].as_array().map(Vec::len), Some(1));
    assert_eq!(get(&target.control("quotas")).await.1["vpcs_per_region"], 7);
    assert!(get(&target.control("clock")).await.1["offset_ms"].as_i64() >= Some(3_600_000));
    assert_eq!(get(&target.control("billing")).await.1["balance"], 12.5);

    // A bad document changes nothing and names the problem.
    let mut bad = doc.clone();
    bad["resources"][1]["body"] = json!({"unexpected": true});
    let (status, answer) = post(&target.control("state"), bad).await;
    assert_eq!(status, 400);
    assert!(answer["message"].as_str().unwrap_or_default().contains("resources[1]"), "{answer}");
    let mut unknown = doc.clone();
    unknown["version"] = json!(99);
    assert_eq!(post(&target.control("state"), unknown).await.0, 400);
    assert_eq!(vpc_count(&target).await, 1);

    // It survives a restart, and `serve --import` loads one at start.
    target.kill();
    let target = Server::durable(dir.path());
    assert_eq!(vpc_count(&target).await, 1);
    let file = dir.path().join("state.json");
    std::fs::write(&file, doc.to_string()).expect("write");
    let imported = Server::ephemeral(&["--import", file.to_str().expect("utf-8")]);
    assert_eq!(vpc_count(&imported).await, 1);
    std::fs::write(&file, "{\"format\": \"something else\"}").expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_alicloud-emulator"))
        .args(["serve", "--ephemeral", "--listen", "127.0.0.1:0", "--import"])
        .arg(&file)
        .output()
        .expect("run");
    assert!(!out.status.success(), "a bad import file stops the server");
    assert!(String::from_utf8_lossy(&out.stderr).contains("format"));
}

#[tokio::test(flavor = "multi_thread")]
async fn metrics_count_calls_codes_and_resources() {
    let server = Server::ephemeral(&[]);
    server.client().create_vpc("10.0.0.0/8").await;
    server.client().err("DeleteVpc", &[("RegionId", "cn-hangzhou"), ("VpcId", "vpc-nope")]).await;
    let r = reqwest::get(server.control("metrics")).await.expect("GET");
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.headers()["content-type"].to_str().unwrap_or_default().contains("openmetrics-text"));
    let text = r.text().await.expect("text");
    for line in [
        r#"alicloud_emulator_api_calls_total{product="Vpc",action="CreateVpc",code="200"} 1"#,
        r#"alicloud_emulator_api_calls_total{product="Vpc",action="DeleteVpc",code="InvalidVpcId.NotFound"} 1"#,
        r#"alicloud_emulator_api_call_duration_seconds_count{product="Vpc",action="CreateVpc"} 1"#,
        r#"alicloud_emulator_resources{kind="vpc"} 1"#,
    ] {
        assert!(text.contains(line), "{line} missing from\n{text}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn faults_fail_or_delay_matching_calls() {
    let server = Server::ephemeral(&[]);
    let vpc = server.client();
    let rules = json!({"rules": [
        {"action": "CreateVpc", "code": "Throttling", "status": 400, "probability": 1.0, "count": 2},
        {"action": "DescribeVpcs", "delay_ms": 300, "count": 1}
    ]});
    let (status, listed) = post(&server.control("faults"), rules).await;
    assert_eq!((status, listed["rules"].as_array().map(Vec::len)), (200, Some(2)));
    for _ in 0..2 {
        let e = vpc.err("CreateVpc", &[("RegionId", "cn-hangzhou")]).await;
        assert_eq!(e.code, "Throttling");
    }
    assert_eq!(vpc_count(&server).await, 0, "nothing was created by the failed calls");
    vpc.create_vpc("10.0.0.0/8").await;
    let (_, listed) = get(&server.control("faults")).await;
    assert_eq!(listed["rules"].as_array().map(Vec::len), Some(0), "both counted rules are used up: {listed}");

    // A delay only: the call answers normally, late.
    post(&server.control("faults"), json!({"rules": [{"action": "*", "delay_ms": 300, "count": 1}]})).await;
    let started = std::time::Instant::now();
    assert_eq!(vpc_count(&server).await, 1);
    assert!(started.elapsed() >= Duration::from_millis(300));

    let (status, _) = post(&server.control("faults"), json!({"rules": [{"action": "*", "probability": 3}]})).await;
    assert_eq!(status, 400);
    post(&server.control("faults"), json!({"rules": [{"action": "*", "code": "ServiceUnavailable"}]})).await;
    let e = vpc.err("DescribeVpcs", &[("RegionId", "cn-hangzhou")]).await;
    assert_eq!(e.code, "ServiceUnavailable");
    let r = reqwest::Client::new().delete(server.control("faults")).send().await.expect("DELETE");
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(vpc_count(&server).await, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_index_lists_the_endpoints() {
    let server = Server::ephemeral(&[]);
    let (status, index) = get(&server.control("")).await;
    assert_eq!(status, 200);
    let paths: Vec<&str> =
        index["endpoints"].as_array().expect("endpoints").iter().filter_map(|e| e["path"].as_str()).collect();
    for p in ["/_emulator/quotas", "/_emulator/state", "/_emulator/metrics", "/_emulator/faults", "/_emulator/reset"] {
        assert!(paths.contains(&p), "{p} missing from {paths:?}");
    }
    let html = reqwest::Client::new()
        .get(server.control(""))
        .header("accept", "text/html")
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("text");
    assert!(html.starts_with("<!doctype html>") && html.contains("/_emulator/faults"), "{html}");
}
