//! Images (the catalogue and the ImageId check), instance disks, primary ENIs, instance type
//! families and the zones' available resources.

mod common;

use common::{cloud, code, id, ok};

fn network(c: &acs_cloud::Cloud) -> (String, String) {
    let vpc = id(&ok(c, "CreateVpc", &[("CidrBlock", "192.168.0.0/16")]), "VpcId");
    let vsw = id(
        &ok(c, "CreateVSwitch", &[("VpcId", &vpc), ("CidrBlock", "192.168.1.0/24"), ("ZoneId", "cn-hangzhou-b")]),
        "VSwitchId",
    );
    let sg = id(&ok(c, "CreateSecurityGroup", &[("VpcId", &vpc)]), "SecurityGroupId");
    (vsw, sg)
}

#[test]
fn images_are_a_catalogue_and_run_instances_checks_them() {
    let c = cloud(0);
    let all = ok(&c, "DescribeImages", &[("PageSize", "50")]);
    assert!(all["TotalCount"].as_u64().unwrap_or_default() >= 5);
    let one = ok(&c, "DescribeImages", &[("ImageId", "ubuntu_22_04_x64_20G_alibase_20240710.vhd")]);
    assert_eq!(one["Images"]["Image"][0]["OSType"], "linux");
    assert_eq!(ok(&c, "DescribeImages", &[("OSType", "windows")])["TotalCount"], 1);
    let (vsw, sg) = network(&c);
    let run = |image: &str| {
        code(
            &c,
            "RunInstances",
            &[("ImageId", image), ("InstanceType", "ecs.g6.large"), ("VSwitchId", &vsw), ("SecurityGroupId", &sg)],
        )
    };
    assert_eq!(run("m-private"), "InvalidImageId.NotFound");
}

#[test]
fn instances_have_disks_and_a_primary_eni() {
    let c = cloud(0);
    let (vsw, sg) = network(&c);
    let run = ok(
        &c,
        "RunInstances",
        &[
            ("ImageId", "win2022_21H2_x64_dtc_zh-cn_40G_alibase_20240716.vhd"),
            ("InstanceType", "ecs.g6.large"),
            ("VSwitchId", &vsw),
            ("SecurityGroupId", &sg),
            ("SystemDisk.Category", "cloud_essd"),
            ("SystemDisk.Size", "20"),
            ("DataDisk.1.Size", "100"),
            ("DataDisk.1.Category", "cloud_ssd"),
        ],
    );
    let inst = run["InstanceIdSets"]["InstanceIdSet"][0].as_str().unwrap_or_default().to_string();
    let disks = ok(&c, "DescribeDisks", &[("InstanceId", &inst)]);
    assert_eq!(disks["TotalCount"], 2);
    let system = &disks["Disks"]["Disk"][0];
    assert_eq!(
        (system["Type"].as_str(), system["Category"].as_str(), system["Size"].as_i64()),
        (Some("system"), Some("cloud_essd"), Some(40)),
        "at least the image's size"
    );
    let data = &disks["Disks"]["Disk"][1];
    assert_eq!(
        (data["Type"].as_str(), data["Size"].as_i64(), data["Device"].as_str()),
        (Some("data"), Some(100), Some("/dev/xvdb"))
    );
    assert_eq!(ok(&c, "DescribeDisks", &[("DiskType", "system")])["TotalCount"], 1);
    let enis = ok(&c, "DescribeNetworkInterfaces", &[("InstanceId", &inst)]);
    let eni = &enis["NetworkInterfaceSets"]["NetworkInterfaceSet"][0];
    assert_eq!(eni["Type"], "Primary");
    assert_eq!(eni["VSwitchId"], vsw.as_str());
    assert_eq!(eni["SecurityGroupIds"]["SecurityGroupId"][0], sg.as_str());
    ok(&c, "StopInstance", &[("InstanceId", &inst)]);
    ok(&c, "DeleteInstance", &[("InstanceId", &inst)]);
    assert_eq!(ok(&c, "DescribeDisks", &[])["TotalCount"], 0);
    assert_eq!(ok(&c, "DescribeNetworkInterfaces", &[])["TotalCount"], 0);
}

#[test]
fn families_and_zone_resources_come_from_the_type_catalogue() {
    let c = cloud(0);
    let families = ok(&c, "DescribeInstanceTypeFamilies", &[]);
    let list = families["InstanceTypeFamilies"]["InstanceTypeFamily"].as_array().cloned().unwrap_or_default();
    assert!(list.iter().any(|f| f["InstanceTypeFamilyId"] == "ecs.g6" && f["Generation"] == "ecs-4"));
    let g5 = ok(&c, "DescribeInstanceTypeFamilies", &[("Generation", "ecs-5")]);
    assert!(g5["InstanceTypeFamilies"]["InstanceTypeFamily"]
        .as_array()
        .is_some_and(|l| l.iter().all(|f| f["Generation"] == "ecs-5")));
    let zones = ok(&c, "Ecs:DescribeZones", &[]);
    let info = &zones["Zones"]["Zone"][0]["AvailableResources"]["ResourcesInfo"][0];
    let supported = info["InstanceTypeFamilies"]["supportedInstanceTypeFamily"].as_array().cloned().unwrap_or_default();
    assert!(supported.iter().any(|f| f == "ecs.g6"));
    assert!(info["InstanceTypes"]["supportedInstanceType"]
        .as_array()
        .is_some_and(|l| l.iter().any(|t| t == "ecs.g6.large")));
}

#[test]
fn key_pairs_are_created_imported_listed_bound_and_deleted() {
    let c = cloud(0);
    let created = ok(&c, "CreateKeyPair", &[("KeyPairName", "deploy-key")]);
    assert!(created["PrivateKeyBody"].as_str().is_some_and(|k| k.contains("PRIVATE KEY")));
    assert_eq!(code(&c, "CreateKeyPair", &[("KeyPairName", "deploy-key")]), "KeyPair.AlreadyExist");
    let imported = ok(
        &c,
        "ImportKeyPair",
        &[("KeyPairName", "laptop"), ("PublicKeyBody", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHk me@laptop")],
    );
    assert_eq!(imported["KeyPairFingerPrint"].as_str().map(|f| f.split(':').count()), Some(16));
    assert_eq!(
        code(&c, "ImportKeyPair", &[("KeyPairName", "bad"), ("PublicKeyBody", "hello")]),
        "InvalidPublicKeyBody.Malformed"
    );
    assert_eq!(ok(&c, "DescribeKeyPairs", &[])["TotalCount"], 2);
    assert_eq!(ok(&c, "DescribeKeyPairs", &[("KeyPairName", "dep*")])["TotalCount"], 1);
    let (vsw, sg) = network(&c);
    let base = [
        ("ImageId", "img"),
        ("InstanceType", "ecs.g6.large"),
        ("VSwitchId", vsw.as_str()),
        ("SecurityGroupId", sg.as_str()),
    ];
    let mut with_key = base.to_vec();
    with_key.push(("KeyPairName", "nope"));
    assert_eq!(code(&c, "RunInstances", &with_key), "InvalidKeyPairName.NotFound");
    let run = ok(&c, "RunInstances", &base);
    let inst = run["InstanceIdSets"]["InstanceIdSet"][0].as_str().unwrap_or_default().to_string();
    let ids = format!("[\"{inst}\", \"i-nothere\"]");
    let attached = ok(&c, "AttachKeyPair", &[("KeyPairName", "laptop"), ("InstanceIds", &ids)]);
    assert_eq!((attached["TotalCount"].as_str(), attached["FailCount"].as_str()), (Some("2"), Some("1")));
    assert_eq!(ok(&c, "DescribeInstances", &[("KeyPairName", "laptop")])["TotalCount"], 1);
    ok(&c, "DetachKeyPair", &[("KeyPairName", "laptop"), ("InstanceIds", &format!("[\"{inst}\"]"))]);
    assert_eq!(ok(&c, "DescribeInstances", &[("KeyPairName", "laptop")])["TotalCount"], 0);
    assert_eq!(
        code(&c, "AttachKeyPair", &[("KeyPairName", "nope"), ("InstanceIds", &ids)]),
        "InvalidKeyPairName.NotFound"
    );
    ok(&c, "DeleteKeyPairs", &[("KeyPairNames", "[\"laptop\", \"deploy-key\", \"ghost\"]")]);
    assert_eq!(ok(&c, "DescribeKeyPairs", &[])["TotalCount"], 0);
}

#[test]
fn available_resources_follow_the_catalogue() {
    let c = cloud(0);
    let types =
        ok(&c, "DescribeAvailableResource", &[("DestinationResource", "InstanceType"), ("ZoneId", "cn-hangzhou-b")]);
    let zones = types["AvailableZones"]["AvailableZone"].as_array().cloned().unwrap_or_default();
    assert_eq!(zones.len(), 1);
    let supported = &zones[0]["AvailableResources"]["AvailableResource"][0]["SupportedResources"]["SupportedResource"];
    assert!(supported.as_array().is_some_and(|l| l.iter().any(|r| r["Value"] == "ecs.g6.large")));
    let disks =
        ok(&c, "DescribeAvailableResource", &[("DestinationResource", "SystemDisk"), ("InstanceType", "ecs.g6.large")]);
    assert!(disks["AvailableZones"]["AvailableZone"].as_array().is_some_and(|z| z.len() > 1));
    let none = ok(
        &c,
        "DescribeAvailableResource",
        &[("DestinationResource", "InstanceType"), ("InstanceType", "ecs.nope.large")],
    );
    assert_eq!(none["AvailableZones"]["AvailableZone"], serde_json::json!([]));
}
