//! Security group rules (Authorize/Revoke, ingress and egress, DescribeSecurityGroupAttribute),
//! ModifySecurityGroupAttribute, Join/LeaveSecurityGroup, ModifyInstanceAttribute and
//! DescribeUserData.

mod common;

use acs_cloud::Cloud;
use common::{cloud, code, id, ok};
use serde_json::Value;

fn vpc_group(c: &Cloud) -> (String, String, String) {
    let vpc = id(&ok(c, "CreateVpc", &[("CidrBlock", "192.168.0.0/16")]), "VpcId");
    let vsw = ok(c, "CreateVSwitch", &[("VpcId", &vpc), ("CidrBlock", "192.168.1.0/24"), ("ZoneId", "cn-hangzhou-b")]);
    let sg = id(&ok(c, "CreateSecurityGroup", &[("VpcId", &vpc)]), "SecurityGroupId");
    (vpc, id(&vsw, "VSwitchId"), sg)
}

fn rules(c: &Cloud, sg: &str) -> Vec<Value> {
    let attr = ok(c, "DescribeSecurityGroupAttribute", &[("SecurityGroupId", sg)]);
    attr["Permissions"]["Permission"].as_array().cloned().unwrap_or_default()
}

#[test]
fn rules_are_added_once_listed_and_revoked() {
    let c = cloud(0);
    let (_, _, sg) = vpc_group(&c);
    let ssh = [
        ("SecurityGroupId", sg.as_str()),
        ("IpProtocol", "tcp"),
        ("PortRange", "22/22"),
        ("SourceCidrIp", "0.0.0.0/0"),
    ];
    ok(&c, "AuthorizeSecurityGroup", &ssh);
    ok(&c, "AuthorizeSecurityGroup", &ssh);
    ok(
        &c,
        "AuthorizeSecurityGroupEgress",
        &[
            ("SecurityGroupId", &sg),
            ("IpProtocol", "all"),
            ("DestCidrIp", "10.0.0.0/8"),
            ("Policy", "drop"),
            ("Priority", "5"),
        ],
    );
    let r = rules(&c, &sg);
    assert_eq!(r.len(), 2, "a duplicate is not added: {r:?}");
    assert_eq!(r[0]["Direction"], "ingress");
    assert_eq!(r[0]["IpProtocol"], "TCP");
    assert_eq!(r[0]["PortRange"], "22/22");
    assert_eq!(r[0]["NicType"], "intranet");
    assert_eq!(r[0]["Policy"], "Accept");
    assert_eq!(r[1]["Direction"], "egress");
    assert_eq!(r[1]["PortRange"], "-1/-1");
    assert_eq!(r[1]["DestCidrIp"], "10.0.0.0/8");
    assert_eq!(r[1]["Policy"], "Drop");
    assert_eq!(r[1]["Priority"], "5");
    let only_egress = ok(&c, "DescribeSecurityGroupAttribute", &[("SecurityGroupId", &sg), ("Direction", "egress")]);
    assert_eq!(only_egress["Permissions"]["Permission"].as_array().map(Vec::len), Some(1));
    ok(&c, "RevokeSecurityGroup", &ssh);
    ok(&c, "RevokeSecurityGroup", &ssh);
    assert_eq!(rules(&c, &sg).len(), 1);
    let rule_id = rules(&c, &sg)[0]["SecurityGroupRuleId"].as_str().unwrap_or_default().to_string();
    ok(&c, "RevokeSecurityGroupEgress", &[("SecurityGroupId", &sg), ("SecurityGroupRuleId.1", &rule_id)]);
    assert!(rules(&c, &sg).is_empty());
    // Permissions.N adds several at once.
    ok(
        &c,
        "AuthorizeSecurityGroup",
        &[
            ("SecurityGroupId", &sg),
            ("Permissions.1.IpProtocol", "TCP"),
            ("Permissions.1.PortRange", "80/80"),
            ("Permissions.1.SourceCidrIp", "0.0.0.0/0"),
            ("Permissions.2.IpProtocol", "ICMP"),
            ("Permissions.2.PortRange", "-1/-1"),
            ("Permissions.2.SourceCidrIp", "0.0.0.0/0"),
        ],
    );
    assert_eq!(rules(&c, &sg).len(), 2);
}

#[test]
fn rule_errors() {
    let c = cloud(0);
    let (_, _, sg) = vpc_group(&c);
    let auth = |p: &[(&str, &str)]| {
        let mut v = vec![("SecurityGroupId", sg.as_str())];
        v.extend_from_slice(p);
        code(&c, "AuthorizeSecurityGroup", &v)
    };
    assert_eq!(auth(&[("IpProtocol", "sctp"), ("SourceCidrIp", "0.0.0.0/0")]), "InvalidIpProtocol.ValueNotSupported");
    assert_eq!(auth(&[("IpProtocol", "tcp"), ("SourceCidrIp", "0.0.0.0/0")]), "InvalidPortRange.Malformed");
    assert_eq!(
        auth(&[("IpProtocol", "tcp"), ("PortRange", "80/22"), ("SourceCidrIp", "0.0.0.0/0")]),
        "InvalidParam.PortRange"
    );
    assert_eq!(
        auth(&[("IpProtocol", "tcp"), ("PortRange", "1/70000"), ("SourceCidrIp", "0.0.0.0/0")]),
        "InvalidParam.PortRange"
    );
    assert_eq!(auth(&[("IpProtocol", "tcp"), ("PortRange", "22/22")]), "MissingParameter");
    assert_eq!(
        auth(&[("IpProtocol", "tcp"), ("PortRange", "22/22"), ("SourceCidrIp", "300.0.0.0/8")]),
        "InvalidParam.SourceCidrIp"
    );
    assert_eq!(
        auth(&[("IpProtocol", "tcp"), ("PortRange", "22/22"), ("SourceGroupId", "sg-nope")]),
        "InvalidSourceGroupId.NotFound"
    );
    assert_eq!(
        auth(&[("IpProtocol", "tcp"), ("PortRange", "22/22"), ("SourceGroupId", &sg)]),
        "InvalidParamter.Conflict"
    );
    assert_eq!(
        auth(&[("IpProtocol", "tcp"), ("PortRange", "22/22"), ("SourceCidrIp", "0.0.0.0/0"), ("Priority", "101")]),
        "InvalidPriority.Malformed"
    );
    assert_eq!(
        auth(&[("IpProtocol", "tcp"), ("PortRange", "22/22"), ("SourceCidrIp", "0.0.0.0/0"), ("Policy", "maybe")]),
        "InvalidPolicy.Malformed"
    );
    let (_, _, other_vpc_group) = vpc_group(&c);
    assert_eq!(
        auth(&[("IpProtocol", "tcp"), ("PortRange", "22/22"), ("SourceGroupId", &other_vpc_group)]),
        "InvalidSourceGroupId.Mismatch"
    );
    assert_eq!(
        code(&c, "AuthorizeSecurityGroupEgress", &[("SecurityGroupId", &sg), ("IpProtocol", "all")]),
        "MissingParameter"
    );
    assert_eq!(
        code(&c, "DescribeSecurityGroupAttribute", &[("SecurityGroupId", "sg-nope")]),
        "InvalidSecurityGroupId.NotFound"
    );
    // 200 rules at most.
    for port in 1..=200 {
        let range = format!("{port}/{port}");
        ok(
            &c,
            "AuthorizeSecurityGroup",
            &[("SecurityGroupId", &sg), ("IpProtocol", "tcp"), ("PortRange", &range), ("SourceCidrIp", "0.0.0.0/0")],
        );
    }
    assert_eq!(
        auth(&[("IpProtocol", "udp"), ("PortRange", "1/1"), ("SourceCidrIp", "0.0.0.0/0")]),
        "AuthorizationLimitExceed"
    );
}

#[test]
fn group_attributes_membership_and_instance_attributes() {
    let c = cloud(0);
    let (vpc, vsw, sg) = vpc_group(&c);
    ok(
        &c,
        "ModifySecurityGroupAttribute",
        &[("SecurityGroupId", &sg), ("SecurityGroupName", "web-sg"), ("Description", "web tier")],
    );
    let attr = ok(&c, "DescribeSecurityGroupAttribute", &[("SecurityGroupId", &sg)]);
    assert_eq!((attr["SecurityGroupName"].as_str(), attr["Description"].as_str()), (Some("web-sg"), Some("web tier")));
    let run = ok(
        &c,
        "RunInstances",
        &[
            ("ImageId", "aliyun_3_x64_20G_alibase_20240819.vhd"),
            ("InstanceType", "ecs.g6.large"),
            ("VSwitchId", &vsw),
            ("SecurityGroupId", &sg),
            ("UserData", "IyEvYmluL3NoCg=="),
        ],
    );
    let inst = run["InstanceIdSets"]["InstanceIdSet"][0].as_str().unwrap_or_default().to_string();
    assert_eq!(ok(&c, "DescribeUserData", &[("InstanceId", &inst)])["UserData"], "IyEvYmluL3NoCg==");
    let second = id(&ok(&c, "CreateSecurityGroup", &[("VpcId", &vpc)]), "SecurityGroupId");
    ok(&c, "JoinSecurityGroup", &[("InstanceId", &inst), ("SecurityGroupId", &second)]);
    assert_eq!(
        code(&c, "JoinSecurityGroup", &[("InstanceId", &inst), ("SecurityGroupId", &second)]),
        "InvalidInstanceId.AlreadyExists"
    );
    let groups =
        ok(&c, "DescribeInstanceAttribute", &[("InstanceId", &inst)])["SecurityGroupIds"]["SecurityGroupId"].clone();
    assert_eq!(groups, serde_json::json!([sg, second]));
    ok(&c, "LeaveSecurityGroup", &[("InstanceId", &inst), ("SecurityGroupId", &sg)]);
    assert_eq!(
        code(&c, "LeaveSecurityGroup", &[("InstanceId", &inst), ("SecurityGroupId", &sg)]),
        "InstanceNotInSecurityGroup"
    );
    assert_eq!(
        code(&c, "LeaveSecurityGroup", &[("InstanceId", &inst), ("SecurityGroupId", &second)]),
        "InstanceLastSecurityGroup"
    );
    let (_, _, foreign) = vpc_group(&c);
    assert_eq!(
        code(&c, "JoinSecurityGroup", &[("InstanceId", &inst), ("SecurityGroupId", &foreign)]),
        "InvalidInstanceId.Mismatch"
    );
    ok(
        &c,
        "ModifyInstanceAttribute",
        &[("InstanceId", &inst), ("InstanceName", "web-1"), ("Description", "first"), ("UserData", "ZWNobyBoaQ==")],
    );
    let attr = ok(&c, "DescribeInstanceAttribute", &[("InstanceId", &inst)]);
    assert_eq!((attr["InstanceName"].as_str(), attr["Description"].as_str()), (Some("web-1"), Some("first")));
    assert_eq!(ok(&c, "DescribeUserData", &[("InstanceId", &inst)])["UserData"], "ZWNobyBoaQ==");
    assert_eq!(
        code(&c, "ModifyInstanceAttribute", &[("InstanceId", &inst), ("UserData", "not base64!")]),
        "InvalidUserData.Base64FormatInvalid"
    );
    assert_eq!(code(&c, "DescribeUserData", &[("InstanceId", "i-nope")]), "InvalidInstanceId.NotFound");
}
