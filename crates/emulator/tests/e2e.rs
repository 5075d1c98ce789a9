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
    let e = vpc.err("CreateNatGateway", &[HZ, ("VpcId", "vpc-x")]).await;
    assert_eq!(e.code, "UnsupportedOperation");
    assert!(e.message.contains("CreateNatGateway"));
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
