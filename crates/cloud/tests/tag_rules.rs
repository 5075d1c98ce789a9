//! The tag family: VPC and ECS TagResources / UnTag / ListTagResources / DescribeTags, tags on
//! create calls, `Tags.Tag[]` in Describe answers, `Tag.N` filters, the limits, and tags
//! dropped with their resource.

mod common;

use common::{cloud, code, id, ok};
use serde_json::Value;

fn vpc(c: &acs_cloud::Cloud, extra: &[(&str, &str)]) -> String {
    let mut p = vec![("CidrBlock", "10.0.0.0/8")];
    p.extend_from_slice(extra);
    id(&ok(c, "CreateVpc", &p), "VpcId")
}

fn tags_of_vpc(c: &acs_cloud::Cloud, vpc: &str) -> Value {
    ok(c, "DescribeVpcs", &[("VpcId", vpc)])["Vpcs"]["Vpc"][0]["Tags"]["Tag"].clone()
}

#[test]
fn vpc_tags_are_set_on_create_added_replaced_listed_and_removed() {
    let c = cloud(0);
    let v = vpc(&c, &[("Tag.1.Key", "env"), ("Tag.1.Value", "dev")]);
    assert_eq!(tags_of_vpc(&c, &v), serde_json::json!([{ "Key": "env", "Value": "dev" }]));
    ok(
        &c,
        "TagResources",
        &[
            ("ResourceType", "VPC"),
            ("ResourceId.1", &v),
            ("Tag.1.Key", "env"),
            ("Tag.1.Value", "prod"),
            ("Tag.2.Key", "team"),
        ],
    );
    assert_eq!(
        tags_of_vpc(&c, &v),
        serde_json::json!([{ "Key": "env", "Value": "prod" }, { "Key": "team", "Value": "" }])
    );
    let list = ok(&c, "ListTagResources", &[("ResourceType", "VPC"), ("ResourceId.1", &v)]);
    assert_eq!(list["TagResources"]["TagResource"].as_array().map(Vec::len), Some(2));
    assert_eq!(list["TagResources"]["TagResource"][0]["ResourceType"], "VPC");
    assert_eq!(list["NextToken"], "");
    // Tag filters of DescribeVpcs.
    let other = vpc(&c, &[]);
    let found = ok(&c, "DescribeVpcs", &[("Tag.1.Key", "env"), ("Tag.1.Value", "prod")]);
    assert_eq!(found["TotalCount"], 1);
    assert_eq!(found["Vpcs"]["Vpc"][0]["VpcId"], v.as_str());
    assert_eq!(ok(&c, "DescribeVpcs", &[("Tag.1.Key", "env"), ("Tag.1.Value", "dev")])["TotalCount"], 0);
    assert_eq!(ok(&c, "DescribeVpcs", &[("VpcId", &other)])["Vpcs"]["Vpc"][0]["Tags"]["Tag"], serde_json::json!([]));
    ok(&c, "UnTagResources", &[("ResourceType", "VPC"), ("ResourceId.1", &v), ("TagKey.1", "env")]);
    assert_eq!(tags_of_vpc(&c, &v), serde_json::json!([{ "Key": "team", "Value": "" }]));
    ok(&c, "UnTagResources", &[("ResourceType", "VPC"), ("ResourceId.1", &v), ("All", "true")]);
    assert_eq!(tags_of_vpc(&c, &v), serde_json::json!([]));
}

#[test]
fn vpc_tag_limits_and_errors() {
    let c = cloud(0);
    let v = vpc(&c, &[]);
    let t = |extra: &[(&str, &str)]| {
        let mut p = vec![("ResourceType", "VPC"), ("ResourceId.1", v.as_str())];
        p.extend_from_slice(extra);
        code(&c, "TagResources", &p)
    };
    assert_eq!(t(&[("Tag.1.Key", "aliyun:x")]), "InvalidTagKey");
    assert_eq!(t(&[("Tag.1.Key", "acs:x")]), "InvalidTagKey");
    let long = "k".repeat(129);
    assert_eq!(t(&[("Tag.1.Key", &long)]), "InvalidTagKey");
    assert_eq!(t(&[("Tag.1.Key", "a"), ("Tag.1.Value", &long)]), "InvalidTagValue");
    assert_eq!(t(&[("Tag.1.Key", "a"), ("Tag.2.Key", "a")]), "Forbidden.TagKey.Duplicated");
    assert_eq!(
        code(&c, "TagResources", &[("ResourceType", "VPC"), ("ResourceId.1", "vpc-nope"), ("Tag.1.Key", "a")]),
        "InvalidInstanceIds.NotFound"
    );
    assert_eq!(
        code(&c, "TagResources", &[("ResourceType", "BOGUS"), ("ResourceId.1", &v), ("Tag.1.Key", "a")]),
        "InvalidInstanceType.NotFound"
    );
    // A real type no family implements yet has no resources.
    assert_eq!(
        code(&c, "TagResources", &[("ResourceType", "EIP"), ("ResourceId.1", &v), ("Tag.1.Key", "a")]),
        "InvalidInstanceIds.NotFound"
    );
    // 20 per resource, counted after merging.
    let keys: Vec<String> = (1..=20).map(|n| format!("k{n}")).collect();
    let names: Vec<String> = (1..=20).map(|n| format!("Tag.{n}.Key")).collect();
    let mut p: Vec<(&str, &str)> = vec![("ResourceType", "VPC"), ("ResourceId.1", &v)];
    p.extend(names.iter().map(String::as_str).zip(keys.iter().map(String::as_str)));
    ok(&c, "TagResources", &p);
    // Setting an existing key again replaces its value: still 20.
    ok(
        &c,
        "TagResources",
        &[("ResourceType", "VPC"), ("ResourceId.1", &v), ("Tag.1.Key", "k1"), ("Tag.1.Value", "again")],
    );
    assert_eq!(t(&[("Tag.1.Key", "one-more")]), "QuotaExceeded.TagNum");
    assert_eq!(
        code(&c, "CreateVpc", &[("Tag.1.Key", "aliyun-reserved")]),
        "InvalidTagKey",
        "a create with a bad tag creates nothing"
    );
    assert_eq!(ok(&c, "DescribeVpcs", &[])["TotalCount"], 1);
}

#[test]
fn tags_follow_vswitches_and_route_tables_and_go_with_them() {
    let c = cloud(0);
    let v = vpc(&c, &[]);
    let vsw = id(
        &ok(
            &c,
            "CreateVSwitch",
            &[
                ("VpcId", &v),
                ("CidrBlock", "10.1.0.0/24"),
                ("ZoneId", "cn-hangzhou-b"),
                ("Tag.1.Key", "tier"),
                ("Tag.1.Value", "web"),
            ],
        ),
        "VSwitchId",
    );
    let rtb = id(&ok(&c, "CreateRouteTable", &[("VpcId", &v), ("Tag.1.Key", "rt")]), "RouteTableId");
    let attrs = ok(&c, "DescribeVSwitchAttributes", &[("VSwitchId", &vsw)]);
    assert_eq!(attrs["Tags"]["Tag"][0]["Value"], "web");
    assert_eq!(ok(&c, "DescribeVSwitches", &[("Tag.1.Key", "tier")])["TotalCount"], 1);
    assert_eq!(ok(&c, "DescribeVSwitches", &[("Tag.1.Key", "nope")])["TotalCount"], 0);
    let list = ok(&c, "DescribeRouteTableList", &[("RouteTableId", &rtb)]);
    assert_eq!(list["RouterTableList"]["RouterTableListType"][0]["Tags"]["Tag"][0]["Key"], "rt");
    ok(&c, "DeleteVSwitch", &[("VSwitchId", &vsw)]);
    ok(&c, "DeleteRouteTable", &[("RouteTableId", &rtb)]);
    let left = ok(&c, "ListTagResources", &[("ResourceType", "VSWITCH"), ("ResourceId.1", &vsw)]);
    assert_eq!(left["TagResources"]["TagResource"], serde_json::json!([]));
    assert!(acs_cloud::state::export(&c).is_ok_and(|d| !d.to_string().contains("\"tag_set\"")));
}

#[test]
fn list_tag_resources_pages_with_next_token() {
    let c = cloud(0);
    let vpcs: Vec<String> = (0..3).map(|_| vpc(&c, &[("Tag.1.Key", "a"), ("Tag.2.Key", "b")])).collect();
    let first = ok(&c, "ListTagResources", &[("ResourceType", "VPC"), ("MaxResults", "4")]);
    assert_eq!(first["TagResources"]["TagResource"].as_array().map(Vec::len), Some(4));
    let token = first["NextToken"].as_str().unwrap_or_default().to_string();
    assert!(!token.is_empty());
    let second = ok(&c, "ListTagResources", &[("ResourceType", "VPC"), ("MaxResults", "4"), ("NextToken", &token)]);
    assert_eq!(second["TagResources"]["TagResource"].as_array().map(Vec::len), Some(2));
    assert_eq!(second["NextToken"], "");
    assert_eq!(vpcs.len(), 3);
}

#[test]
fn ecs_tags_on_instances_and_security_groups() {
    let c = cloud(0);
    let v = vpc(&c, &[]);
    let vsw = id(
        &ok(&c, "CreateVSwitch", &[("VpcId", &v), ("CidrBlock", "10.1.0.0/24"), ("ZoneId", "cn-hangzhou-b")]),
        "VSwitchId",
    );
    let sg = id(
        &ok(&c, "CreateSecurityGroup", &[("VpcId", &v), ("Tag.1.Key", "role"), ("Tag.1.Value", "web")]),
        "SecurityGroupId",
    );
    let run = ok(
        &c,
        "RunInstances",
        &[
            ("ImageId", "aliyun_3_x64_20G_alibase_20240819.vhd"),
            ("InstanceType", "ecs.g6.large"),
            ("VSwitchId", &vsw),
            ("SecurityGroupId", &sg),
            ("Amount", "2"),
            ("Tag.1.Key", "app"),
            ("Tag.1.Value", "demo"),
        ],
    );
    let ids: Vec<String> = run["InstanceIdSets"]["InstanceIdSet"]
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
        .unwrap_or_default();
    assert_eq!(ids.len(), 2);
    let found = ok(&c, "DescribeInstances", &[("Tag.1.Key", "app"), ("Tag.1.Value", "demo")]);
    assert_eq!(found["TotalCount"], 2);
    assert_eq!(found["Instances"]["Instance"][0]["Tags"]["Tag"][0]["TagKey"], "app");
    let groups = ok(&c, "DescribeSecurityGroups", &[("Tag.1.Key", "role")]);
    assert_eq!(groups["SecurityGroups"]["SecurityGroup"][0]["Tags"]["Tag"][0]["TagValue"], "web");
    ok(&c, "Ecs:TagResources", &[("ResourceType", "instance"), ("ResourceId.1", &ids[0]), ("Tag.1.Key", "only")]);
    assert_eq!(ok(&c, "DescribeInstances", &[("Tag.1.Key", "only")])["TotalCount"], 1);
    let tags = ok(&c, "DescribeTags", &[("ResourceType", "instance")]);
    assert_eq!(tags["TotalCount"], 2);
    assert_eq!(tags["Tags"]["Tag"][0]["ResourceTypeCount"]["Instance"], 2);
    let listed = ok(&c, "Ecs:ListTagResources", &[("ResourceType", "instance"), ("TagFilter.1.TagKey", "only")]);
    assert_eq!(listed["TagResources"]["TagResource"].as_array().map(Vec::len), Some(2));
    ok(&c, "Ecs:UntagResources", &[("ResourceType", "instance"), ("ResourceId.1", &ids[0]), ("TagKey.1", "only")]);
    assert_eq!(ok(&c, "DescribeInstances", &[("Tag.1.Key", "only")])["TotalCount"], 0);
    // Errors.
    let t = |p: &[(&str, &str)]| code(&c, "Ecs:TagResources", p);
    assert_eq!(
        t(&[("ResourceType", "instance"), ("ResourceId.1", "i-nope"), ("Tag.1.Key", "a")]),
        "InvalidResourceId.NotFound"
    );
    assert_eq!(
        t(&[("ResourceType", "bogus"), ("ResourceId.1", &ids[0]), ("Tag.1.Key", "a")]),
        "InvalidResourceType.NotFound"
    );
    assert_eq!(t(&[("ResourceType", "instance"), ("ResourceId.1", &ids[0])]), "MissingParameter.Tags");
    assert_eq!(
        t(&[("ResourceType", "instance"), ("ResourceId.1", &ids[0]), ("Tag.1.Key", "aliyun")]),
        "InvalidTagKey.Malformed"
    );
    assert_eq!(
        t(&[("ResourceType", "instance"), ("ResourceId.1", &ids[0]), ("Tag.1.Key", "a"), ("Tag.2.Key", "a")]),
        "Duplicate.TagKey"
    );
    assert_eq!(code(&c, "Ecs:ListTagResources", &[("ResourceType", "instance")]), "BothEmpty.TagsAndResources");
    assert_eq!(
        code(
            &c,
            "Ecs:ListTagResources",
            &[("ResourceType", "instance"), ("ResourceId.1", &ids[0]), ("NextToken", "zz")]
        ),
        "Invalid.NextToken"
    );
}
