//! The rules of Global Acceleration (docs/eip.md): dedicated-bandwidth instances bound to an ECS
//! instance of another region of their service area, shared-bandwidth instances and their EIPs
//! bound across regions, deletion rules.

mod common;

use acs_cloud::Cloud;
use common::{call, cloud, code, id, ok};
use serde_json::Value;

/// A Running VPC instance in `region`.
fn instance(c: &Cloud, region: &str, zone: &str) -> String {
    let r = ("RegionId", region);
    let vpc = id(&ok(c, "CreateVpc", &[r, ("CidrBlock", "192.168.0.0/16")]), "VpcId");
    let vsw = ok(c, "CreateVSwitch", &[r, ("VpcId", &vpc), ("CidrBlock", "192.168.1.0/24"), ("ZoneId", zone)]);
    let vsw = id(&vsw, "VSwitchId");
    let sg = id(&ok(c, "Ecs:CreateSecurityGroup", &[r, ("VpcId", &vpc)]), "SecurityGroupId");
    let run = ok(
        c,
        "Ecs:RunInstances",
        &[r, ("ImageId", "img"), ("InstanceType", "ecs.g6.large"), ("VSwitchId", &vsw), ("SecurityGroupId", &sg)],
    );
    run["InstanceIdSets"]["InstanceIdSet"][0].as_str().unwrap_or_default().to_string()
}

fn ga(c: &Cloud, extra: &[(&str, &str)]) -> String {
    let mut p = vec![("Bandwidth", "10"), ("ServiceLocation", "china-mainland")];
    p.extend_from_slice(extra);
    id(&ok(c, "CreateGlobalAccelerationInstance", &p), "GlobalAccelerationInstanceId")
}

fn item(c: &Cloud, ga: &str) -> Value {
    ok(c, "DescribeGlobalAccelerationInstances", &[("GlobalAccelerationInstanceId", ga)])["GlobalAccelerationInstances"]
        ["GlobalAccelerationInstance"][0]
        .clone()
}

#[test]
fn a_dedicated_instance_accelerates_one_backend_of_another_region() {
    let c = cloud(0);
    let g = ga(&c, &[]);
    assert!(item(&c, &g)["IpAddress"].as_str().is_some_and(|ip| ip.starts_with("198.19.")));
    let backend = instance(&c, "cn-beijing", "cn-beijing-a");
    let assoc = |region: &str, server: &str| {
        call(
            &c,
            "AssociateGlobalAccelerationInstance",
            &[("GlobalAccelerationInstanceId", &g), ("BackendServerId", server), ("BackendServerRegionId", region)],
        )
        .err()
        .map(|e| e.code.into_owned())
    };
    assert_eq!(assoc("cn-hangzhou", &backend).as_deref(), Some("InvalidBackendServerRegionId.EqualRegionId"));
    assert_eq!(assoc("us-west-1", &backend).as_deref(), Some("InvalidParameter"));
    assert_eq!(assoc("cn-beijing", "i-none").as_deref(), Some("InvalidBackendServerId.NotFound"));
    assert_eq!(assoc("cn-beijing", &backend), None);
    assert_eq!(item(&c, &g)["Status"], "InUse");
    assert_eq!(item(&c, &g)["BackendServers"]["BackendServer"][0]["ServerId"], backend.as_str());
    assert_eq!(assoc("cn-beijing", &backend).as_deref(), Some("IncorrectGlobalAccelerationInstanceIdStatus"));
    let related = ok(&c, "DescribeServerRelatedGlobalAccelerationInstances", &[("ServerId", &backend)]);
    assert_eq!(
        related["GlobalAccelerationInstances"]["GlobalAccelerationInstance"][0]["GlobalAccelerationInstanceId"],
        g.as_str()
    );
    assert_eq!(
        code(&c, "DeleteGlobalAccelerationInstance", &[("GlobalAccelerationInstanceId", &g)]),
        "IncorrectGlobalAccelerationInstanceIdStatus"
    );
    ok(&c, "UnassociateGlobalAccelerationInstance", &[("GlobalAccelerationInstanceId", &g)]);
    assert_eq!(
        code(&c, "UnassociateGlobalAccelerationInstance", &[("GlobalAccelerationInstanceId", &g)]),
        "IncorrectGlobalAccelerationInstanceIdStatus"
    );
    ok(&c, "DeleteGlobalAccelerationInstance", &[("GlobalAccelerationInstanceId", &g)]);
    assert_eq!(
        code(&c, "DeleteGlobalAccelerationInstance", &[("GlobalAccelerationInstanceId", &g)]),
        "InvalidGlobalAccelerationInstanceId.NotFound"
    );
}

#[test]
fn a_shared_instance_lends_its_eips_to_other_regions() {
    let c = cloud(0);
    let g = ga(&c, &[("BandwidthType", "Sharing")]);
    assert_eq!(item(&c, &g)["IpAddress"], "");
    let e = id(&ok(&c, "AllocateEipAddress", &[]), "AllocationId");
    let backend = instance(&c, "cn-shanghai", "cn-shanghai-b");
    let bind = |region: &str| {
        call(&c, "AssociateEipAddress", &[("AllocationId", &e), ("InstanceId", &backend), ("InstanceRegionId", region)])
            .err()
            .map(|e| e.code.into_owned())
    };
    assert_eq!(bind("cn-shanghai").as_deref(), Some("InvalidParameter.Mismatch"), "not in a GA instance yet");
    ok(&c, "AddGlobalAccelerationInstanceIp", &[("GlobalAccelerationInstanceId", &g), ("IpInstanceId", &e)]);
    assert_eq!(bind("us-west-1").as_deref(), Some("InvalidParameter.Mismatch"), "outside the service area");
    assert_eq!(bind("cn-shanghai"), None);
    let attr = ok(&c, "Ecs:DescribeInstanceAttribute", &[("RegionId", "cn-shanghai"), ("InstanceId", &backend)]);
    assert_eq!(attr["EipAddress"]["AllocationId"], e.as_str());
    let eip = ok(&c, "DescribeEipAddresses", &[("AllocationId", &e)])["EipAddresses"]["EipAddress"][0].clone();
    assert_eq!(
        (eip["InstanceId"].as_str(), eip["InstanceRegionId"].as_str()),
        (Some(backend.as_str()), Some("cn-shanghai"))
    );
    let other = id(&ok(&c, "AllocateEipAddress", &[]), "AllocationId");
    ok(&c, "AddGlobalAccelerationInstanceIp", &[("GlobalAccelerationInstanceId", &g), ("IpInstanceId", &other)]);
    assert_eq!(
        code(
            &c,
            "AssociateEipAddress",
            &[("AllocationId", &other), ("InstanceId", &backend), ("InstanceRegionId", "cn-shanghai")]
        ),
        "InvalidAssociation.Duplicated"
    );
    assert_eq!(
        code(&c, "ReleaseEipAddress", &[("AllocationId", &other)]),
        "TaskConflict.AssociateGlobalAccelerationInstance"
    );
    assert_eq!(
        code(&c, "RemoveGlobalAccelerationInstanceIp", &[("GlobalAccelerationInstanceId", &g), ("IpInstanceId", &e)]),
        "IncorrectEipStatus"
    );
    assert_eq!(
        code(&c, "DeleteGlobalAccelerationInstance", &[("GlobalAccelerationInstanceId", &g)]),
        "IncorrectGlobalAccelerationInstanceIdStatus"
    );
    ok(&c, "UnassociateEipAddress", &[("AllocationId", &e), ("InstanceId", &backend)]);
    assert_eq!(
        ok(&c, "Ecs:DescribeInstanceAttribute", &[("RegionId", "cn-shanghai"), ("InstanceId", &backend)])["EipAddress"]
            ["AllocationId"],
        ""
    );
    ok(
        &c,
        "AssociateEipAddress",
        &[("AllocationId", &e), ("InstanceId", &backend), ("InstanceRegionId", "cn-shanghai")],
    );
    ok(&c, "Ecs:DeleteInstance", &[("RegionId", "cn-shanghai"), ("InstanceId", &backend), ("Force", "true")]);
    let eip = ok(&c, "DescribeEipAddresses", &[("AllocationId", &e)])["EipAddresses"]["EipAddress"][0].clone();
    assert_eq!(eip["Status"], "Available");
    for x in [&e, &other] {
        ok(&c, "RemoveGlobalAccelerationInstanceIp", &[("GlobalAccelerationInstanceId", &g), ("IpInstanceId", x)]);
    }
    assert_eq!(
        code(&c, "RemoveGlobalAccelerationInstanceIp", &[("GlobalAccelerationInstanceId", &g), ("IpInstanceId", &e)]),
        "OperationFailed.EipNotInGlobalAccelerationInstance"
    );
    ok(&c, "DeleteGlobalAccelerationInstance", &[("GlobalAccelerationInstanceId", &g)]);
    ok(&c, "ReleaseEipAddress", &[("AllocationId", &e)]);
}

#[test]
fn values_are_checked() {
    let c = cloud(0);
    assert_eq!(
        code(&c, "CreateGlobalAccelerationInstance", &[("Bandwidth", "15"), ("ServiceLocation", "europe")]),
        "InvalidParameter"
    );
    assert_eq!(
        code(&c, "CreateGlobalAccelerationInstance", &[("Bandwidth", "10"), ("ServiceLocation", "mars")]),
        "InvalidServiceLocation.ValueNotSupported"
    );
    let g = ga(&c, &[("Name", "GA-1")]);
    assert_eq!(
        code(&c, "ModifyGlobalAccelerationInstanceAttributes", &[("GlobalAccelerationInstanceId", &g), ("Name", "1")]),
        "InvalidGlobalAccelerationInstanceName.Malformed"
    );
    ok(&c, "ModifyGlobalAccelerationInstanceSpec", &[("GlobalAccelerationInstanceId", &g), ("Bandwidth", "200")]);
    assert_eq!(item(&c, &g)["Bandwidth"], "200");
    let e = id(&ok(&c, "AllocateEipAddress", &[]), "AllocationId");
    assert_eq!(
        code(&c, "AddGlobalAccelerationInstanceIp", &[("GlobalAccelerationInstanceId", &g), ("IpInstanceId", &e)]),
        "OperationUnsupported.ExclusiveGlobalAccelerationInstance"
    );
    assert_eq!(
        code(&c, "AddGlobalAccelerationInstanceIp", &[("GlobalAccelerationInstanceId", "ga-x"), ("IpInstanceId", &e)]),
        "InvalidBandwidthPackageId.NotFound"
    );
}
