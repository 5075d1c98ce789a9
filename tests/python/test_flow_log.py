"""Flow logs (seed 004 chapter 20) through both SDK flavours: a flow log on a VPC or vSwitch (the
resource must exist and be of the given type; no ENI family exists, so NetworkInterface resources
are never found), TrafficType values, Active/Inactive, rename, delete, every DescribeFlowLogs
filter. The chapter documents one code, INVALID_PARAMETER, for everything rejected."""

import pytest
from alibabacloud_vpc20160428 import models as vpc_models

from helpers import OldApi, TeaApi, assert_error, missing, create_vpc, create_vswitch, make_acs, make_tea

INVALID = ("INVALID_PARAMETER", "The parameter invalid.")


@pytest.fixture(params=["old", "tea"])
def api(request, emulator):
    if request.param == "old":
        return OldApi(make_acs(emulator.endpoint), emulator.endpoint)
    return TeaApi(make_tea(emulator.endpoint), models=vpc_models)


def create(api, rtype, rid, traffic="All", **params):
    params.setdefault("ProjectName", "flow-project")
    params.setdefault("LogStoreName", "flow-store")
    return api.CreateFlowLog(ResourceType=rtype, ResourceId=rid, TrafficType=traffic, **params)["FlowLogId"]


def listed(api, **filters):
    return api.DescribeFlowLogs(**filters)["FlowLogs"]["FlowLog"]


def test_flow_log_lifecycle(api, old):
    vpc = create_vpc(old, "10.0.0.0/16")["VpcId"]
    vsw = create_vswitch(old, vpc, "10.0.1.0/24")
    fl = create(api, "VPC", vpc, FlowLogName="vpc-log", Description="All VPC traffic")
    assert fl.startswith("fl-")
    [item] = listed(api, FlowLogId=fl)
    assert (item["FlowLogName"], item["Description"], item["Status"]) == ("vpc-log", "All VPC traffic", "Active")
    assert (item["ResourceType"], item["ResourceId"], item["TrafficType"]) == ("VPC", vpc, "All")
    assert (item["ProjectName"], item["LogStoreName"], item["RegionId"]) == ("flow-project", "flow-store", "cn-hangzhou")
    assert item["CreationTime"].endswith("Z")
    drop = create(api, "VSwitch", vsw, "Drop", ProjectName="other", LogStoreName="drops")
    assert [f["FlowLogId"] for f in listed(api, ResourceType="VSwitch")] == [drop]
    assert [f["FlowLogId"] for f in listed(api, TrafficType="Drop")] == [drop]
    assert [f["FlowLogId"] for f in listed(api, ProjectName="other", LogStoreName="drops")] == [drop]
    assert [f["FlowLogId"] for f in listed(api, ResourceId=vpc)] == [fl]
    assert [f["FlowLogId"] for f in listed(api, FlowLogName="vpc-log")] == [fl]
    assert listed(api, ProjectName="none") == []
    page = api.DescribeFlowLogs(PageSize=1, PageNumber=2)
    assert page["TotalCount"] == "2" and len(page["FlowLogs"]["FlowLog"]) == 1
    api.DeactiveFlowLog(FlowLogId=fl)
    assert [f["FlowLogId"] for f in listed(api, Status="Inactive")] == [fl]
    api.ActiveFlowLog(FlowLogId=fl)
    assert listed(api, Status="Inactive") == []
    api.ModifyFlowLogAttribute(FlowLogId=fl, FlowLogName="renamed", Description="Renamed log")
    assert listed(api, FlowLogId=fl)[0]["FlowLogName"] == "renamed"
    api.DeleteFlowLog(FlowLogId=fl)
    assert listed(api, FlowLogId=fl) == []
    for call in (lambda: api.DeleteFlowLog(FlowLogId=fl), lambda: api.ActiveFlowLog(FlowLogId=fl),
                 lambda: api.DeactiveFlowLog(FlowLogId=fl), lambda: api.ModifyFlowLogAttribute(FlowLogId=fl, FlowLogName="abc")):
        assert_error(call, 400, *INVALID)


def test_flow_log_errors(api, old):
    vpc = create_vpc(old, "10.0.0.0/16")["VpcId"]
    assert_error(lambda: create(api, "VSwitch", vpc), 400, *INVALID)
    assert_error(lambda: create(api, "VPC", "vpc-missing"), 400, *INVALID)
    assert_error(lambda: create(api, "NetworkInterface", "eni-missing"), 400, *INVALID)
    assert_error(lambda: create(api, "Subnet", vpc), 400, *INVALID)
    assert_error(lambda: create(api, "VPC", vpc, "all"), 400, *INVALID)
    assert_error(lambda: create(api, "VPC", vpc, FlowLogName="1st"), 400, *INVALID)
    assert_error(lambda: create(api, "VPC", vpc, Description="https://x"), 400, *INVALID)
    assert_error(lambda: api.CreateFlowLog(ResourceType="VPC", ResourceId=vpc, TrafficType="All", LogStoreName="s"),
                 400, *missing("ProjectName"))
    fl = create(api, "VPC", vpc)
    assert_error(lambda: api.ModifyFlowLogAttribute(FlowLogId=fl, FlowLogName="a"), 400, *INVALID)
    # The VPC's deletion takes its flow logs with it.
    old.DeleteVpc(VpcId=vpc)
    assert listed(api) == []
