//! The rules of flow logs (chapter 20): the captured resource must exist and be of its type,
//! TrafficType values, Active/Inactive, every DescribeFlowLogs filter, INVALID_PARAMETER for
//! everything rejected.

mod common;

use common::{call, cloud, code, id, ok};

fn flow_log(c: &acs_cloud::Cloud, rtype: &str, rid: &str, traffic: &str) -> Result<String, String> {
    call(
        c,
        "CreateFlowLog",
        &[
            ("ResourceType", rtype),
            ("ResourceId", rid),
            ("TrafficType", traffic),
            ("ProjectName", "proj"),
            ("LogStoreName", "store"),
            ("FlowLogName", "fl-one"),
        ],
    )
    .map(|b| id(&b, "FlowLogId"))
    .map_err(|e| e.code.into_owned())
}

fn listed(c: &acs_cloud::Cloud, filters: &[(&str, &str)]) -> Vec<serde_json::Value> {
    let out = ok(c, "DescribeFlowLogs", filters);
    out["FlowLogs"]["FlowLog"].as_array().cloned().unwrap_or_default()
}

#[test]
fn resources_must_exist_and_be_of_their_type() {
    let c = cloud(0);
    let vpc = id(&ok(&c, "CreateVpc", &[("CidrBlock", "10.0.0.0/16")]), "VpcId");
    let vsw = id(
        &ok(&c, "CreateVSwitch", &[("VpcId", &vpc), ("CidrBlock", "10.0.1.0/24"), ("ZoneId", "cn-hangzhou-b")]),
        "VSwitchId",
    );
    assert!(flow_log(&c, "VPC", &vpc, "All").is_ok());
    assert!(flow_log(&c, "VSwitch", &vsw, "Allow").is_ok());
    assert_eq!(flow_log(&c, "VSwitch", &vpc, "All").unwrap_err(), "INVALID_PARAMETER", "a VPC is not a vSwitch");
    assert_eq!(flow_log(&c, "VPC", "vpc-missing", "All").unwrap_err(), "INVALID_PARAMETER");
    assert_eq!(flow_log(&c, "NetworkInterface", "eni-1", "All").unwrap_err(), "INVALID_PARAMETER", "no ENI exists");
    assert_eq!(flow_log(&c, "Router", &vpc, "All").unwrap_err(), "INVALID_PARAMETER");
    assert_eq!(flow_log(&c, "VPC", &vpc, "all").unwrap_err(), "INVALID_PARAMETER", "TrafficType is case-sensitive");
    assert_eq!(code(&c, "CreateFlowLog", &[("ResourceType", "VPC"), ("ResourceId", &vpc)]), "MissingParameter");
    let bad_name = call(
        &c,
        "CreateFlowLog",
        &[
            ("ResourceType", "VPC"),
            ("ResourceId", &vpc),
            ("TrafficType", "Drop"),
            ("ProjectName", "p"),
            ("LogStoreName", "s"),
            ("FlowLogName", "1bad"),
        ],
    );
    assert_eq!(bad_name.unwrap_err().code, "INVALID_PARAMETER");
    // Deleting the VSwitch takes its flow log with it.
    ok(&c, "DeleteVSwitch", &[("VSwitchId", &vsw)]);
    assert_eq!(listed(&c, &[("ResourceType", "VSwitch")]).len(), 0);
}

#[test]
fn lifecycle_and_filters() {
    let c = cloud(0);
    let vpc = id(&ok(&c, "CreateVpc", &[("CidrBlock", "10.0.0.0/16")]), "VpcId");
    let a = flow_log(&c, "VPC", &vpc, "All").unwrap();
    let b = flow_log(&c, "VPC", &vpc, "Drop").unwrap();
    assert_eq!(listed(&c, &[]).len(), 2);
    assert_eq!(listed(&c, &[("TrafficType", "Drop")])[0]["FlowLogId"], b);
    assert_eq!(listed(&c, &[("FlowLogId", &a)])[0]["Status"], "Active");
    assert_eq!(listed(&c, &[("ResourceId", &vpc), ("ProjectName", "proj"), ("LogStoreName", "store")]).len(), 2);
    assert_eq!(listed(&c, &[("ProjectName", "other")]).len(), 0);
    ok(&c, "DeactiveFlowLog", &[("FlowLogId", &a)]);
    assert_eq!(listed(&c, &[("Status", "Inactive")])[0]["FlowLogId"], a);
    ok(&c, "ActiveFlowLog", &[("FlowLogId", &a)]);
    assert_eq!(listed(&c, &[("Status", "Inactive")]).len(), 0);
    ok(&c, "ModifyFlowLogAttribute", &[("FlowLogId", &a), ("FlowLogName", "renamed"), ("Description", "About it")]);
    let shown = &listed(&c, &[("FlowLogName", "renamed")])[0];
    assert_eq!((shown["FlowLogId"].as_str(), shown["Description"].as_str()), (Some(a.as_str()), Some("About it")));
    assert_eq!(
        code(&c, "ModifyFlowLogAttribute", &[("FlowLogId", &a), ("Description", "http://x")]),
        "INVALID_PARAMETER"
    );
    let page = ok(&c, "DescribeFlowLogs", &[("PageSize", "1"), ("PageNumber", "2")]);
    assert_eq!(
        (page["TotalCount"].as_str(), page["FlowLogs"]["FlowLog"].as_array().map(Vec::len)),
        (Some("2"), Some(1))
    );
    ok(&c, "DeleteFlowLog", &[("FlowLogId", &a)]);
    for action in ["DeleteFlowLog", "ActiveFlowLog", "DeactiveFlowLog", "ModifyFlowLogAttribute"] {
        assert_eq!(code(&c, action, &[("FlowLogId", &a)]), "INVALID_PARAMETER", "{action}");
    }
    // The VPC's deletion takes its flow logs with it.
    ok(&c, "DeleteVpc", &[("VpcId", &vpc)]);
    assert!(listed(&c, &[]).is_empty());
}
