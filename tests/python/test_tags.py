"""Tags (issue 12): VPC TagResources / UnTagResources / ListTagResources and ECS TagResources /
UntagResources / ListTagResources / DescribeTags, Tag.N on the create calls, Tags.Tag[] in the
Describe answers and Tag.N filters, with their documented errors. Each test runs with the old core
request classes and with the Tea client (signature V3)."""

import re
import uuid

import pytest
from alibabacloud_vpc20160428 import models as vpc_models

from helpers import (
    REGION,
    ZONE,
    ZONE2,
    TeaApi,
    assert_error,
    create_instance,
    ecs_network,
    make_tea,
    run_instances,
)

# Old core request classes name list setters in the plural (set_Tags, set_ResourceIds...); Tea
# models take the wire names. Tests use the wire names; the old flavour renames them.
OLD_NAMES = {"Tag": "Tags", "Tags": "Tagss", "ResourceId": "ResourceIds", "TagKey": "TagKeys", "TagFilter": "TagFilters"}


class Plural:
    def __init__(self, api):
        self.api = api

    def __getattr__(self, action):
        def call(**params):
            return getattr(self.api, action)(**{OLD_NAMES.get(k, k): v for k, v in params.items()})

        return call


class VpcTea(TeaApi):
    """TeaApi for the VPC client, whose method names spell vSwitch as one word (create_vswitch)."""

    def __getattr__(self, action):
        if not action[:1].isupper():
            raise AttributeError(action)
        model = action

        def call(**params):
            request = getattr(self.models, f"{model}Request")()
            params.setdefault("RegionId", REGION)
            request.from_map(params)
            name = re.sub(r"(?<!^)(?=[A-Z])", "_", action.replace("VSwitch", "Vswitch")).lower()
            return getattr(self.client, name)(request).body.to_map()

        return call


@pytest.fixture(params=["old", "tea"])
def vpc(request, old, emulator):
    if request.param == "old":
        return Plural(old)
    return VpcTea(make_tea(emulator.endpoint), models=vpc_models)


@pytest.fixture(params=["old", "tea"])
def ecs_api(request, ecs_old, ecs_tea_api):
    return Plural(ecs_old) if request.param == "old" else ecs_tea_api


def tags(item):
    return [(t.get("Key", t.get("TagKey")), t.get("Value", t.get("TagValue"))) for t in item["Tags"]["Tag"]]


def test_vpc_tags_on_create_describe_filter_and_untag(vpc):
    vpc_id = vpc.CreateVpc(CidrBlock="10.0.0.0/8", Tag=[{"Key": "env", "Value": "dev"}])["VpcId"]
    other = vpc.CreateVpc(CidrBlock="10.0.0.0/8")["VpcId"]
    assert tags(vpc.DescribeVpcAttribute(VpcId=vpc_id)) == [("env", "dev")]
    vpc.TagResources(ResourceType="VPC", ResourceId=[vpc_id], Tag=[{"Key": "env", "Value": "prod"}, {"Key": "team", "Value": "net"}])
    [item] = vpc.DescribeVpcs(VpcId=vpc_id)["Vpcs"]["Vpc"]
    assert tags(item) == [("env", "prod"), ("team", "net")]
    found = vpc.DescribeVpcs(Tag=[{"Key": "team", "Value": "net"}])
    assert [v["VpcId"] for v in found["Vpcs"]["Vpc"]] == [vpc_id]
    [plain] = vpc.DescribeVpcs(VpcId=other)["Vpcs"]["Vpc"]
    assert plain["Tags"] == {"Tag": []}
    listed = vpc.ListTagResources(ResourceType="VPC", ResourceId=[vpc_id])
    assert listed["TagResources"]["TagResource"] == [
        {"ResourceId": vpc_id, "ResourceType": "VPC", "TagKey": "env", "TagValue": "prod"},
        {"ResourceId": vpc_id, "ResourceType": "VPC", "TagKey": "team", "TagValue": "net"},
    ]
    vpc.UnTagResources(ResourceType="VPC", ResourceId=[vpc_id], TagKey=["env"])
    assert tags(vpc.DescribeVpcAttribute(VpcId=vpc_id)) == [("team", "net")]
    vpc.UnTagResources(ResourceType="VPC", ResourceId=[vpc_id], All=True)
    assert tags(vpc.DescribeVpcAttribute(VpcId=vpc_id)) == []


def test_vswitch_and_route_table_tags(vpc):
    vpc_id = vpc.CreateVpc(CidrBlock="10.0.0.0/8")["VpcId"]
    a = vpc.CreateVSwitch(VpcId=vpc_id, CidrBlock="10.1.0.0/24", ZoneId=ZONE, Tag=[{"Key": "tier", "Value": "a"}])["VSwitchId"]
    b = vpc.CreateVSwitch(VpcId=vpc_id, CidrBlock="10.2.0.0/24", ZoneId=ZONE2)["VSwitchId"]
    vpc.TagResources(ResourceType="VSWITCH", ResourceId=[b], Tag=[{"Key": "tier", "Value": "b"}])
    assert tags(vpc.DescribeVSwitchAttributes(VSwitchId=a)) == [("tier", "a")]
    found = vpc.DescribeVSwitches(VpcId=vpc_id, Tag=[{"Key": "tier", "Value": "b"}])["VSwitches"]["VSwitch"]
    assert [v["VSwitchId"] for v in found] == [b]
    rtb = vpc.CreateRouteTable(VpcId=vpc_id, Tag=[{"Key": "k", "Value": "v"}])["RouteTableId"]
    [table] = vpc.DescribeRouteTableList(RouteTableId=rtb)["RouterTableList"]["RouterTableListType"]
    assert tags(table) == [("k", "v")]
    vpc.DeleteVSwitch(VSwitchId=a)
    vpc.DeleteRouteTable(RouteTableId=rtb)
    assert vpc.ListTagResources(ResourceType="VSWITCH", ResourceId=[a])["TagResources"]["TagResource"] == []
    assert vpc.ListTagResources(ResourceType="ROUTETABLE")["TagResources"]["TagResource"] == []


def network(vpc):
    vpc_id = vpc.CreateVpc(CidrBlock="10.0.0.0/8")["VpcId"]
    vsw = vpc.CreateVSwitch(VpcId=vpc_id, CidrBlock="10.1.0.0/24", ZoneId=ZONE)["VSwitchId"]
    return vpc_id, vsw


def vpn_gateway(vpc, _):
    return vpc.CreateVpnGateway(VpcId=network(vpc)[0], Bandwidth=10)["VpnGatewayId"]


def customer_gateway(vpc, tag):
    octet = uuid.uuid4().int % 250 + 1
    return vpc.CreateCustomerGateway(IpAddress=f"203.0.{octet}.{uuid.uuid4().int % 250 + 1}", Tags=tag)["CustomerGatewayId"]


def vpn_connection(vpc, tag):
    gw = vpn_gateway(vpc, None)
    cgw = customer_gateway(vpc, [])
    return vpc.CreateVpnConnection(VpnGatewayId=gw, CustomerGatewayId=cgw, LocalSubnet="10.0.0.0/16",
                                   RemoteSubnet="192.168.0.0/16", Tags=tag)["VpnConnectionId"]


def flow_log(vpc, tag):
    params = {"ResourceType": "VPC", "ResourceId": network(vpc)[0], "TrafficType": "All", "ProjectName": "p",
              "LogStoreName": "s"}
    # CreateFlowLog's ResourceId is a single id: only its Tag.N takes the old classes' plural setter.
    if isinstance(vpc, Plural):
        return vpc.api.CreateFlowLog(Tags=tag, **params)["FlowLogId"]
    return vpc.CreateFlowLog(Tag=tag, **params)["FlowLogId"]


def first(container, item, id_field, wanted):
    return [x for x in container[item[0]][item[1]] if x[id_field] == wanted]


# Per family: ResourceType (as Terraform spells it), create(vpc, tags) -> id (tags None when the
# create call takes none), the list call, its filter parameter, its container, the id field,
# the single Describe call (or None), the delete call.
FAMILIES = {
    "EIP": (
        "EIP",
        lambda vpc, tag: vpc.AllocateEipAddress(Tag=tag)["AllocationId"],
        "DescribeEipAddresses", "Tag", ("EipAddresses", "EipAddress"), "AllocationId", None,
        lambda vpc, i: vpc.ReleaseEipAddress(AllocationId=i),
    ),
    "COMMONBANDWIDTHPACKAGE": (
        "COMMONBANDWIDTHPACKAGE",
        lambda vpc, tag: vpc.CreateCommonBandwidthPackage(Bandwidth=10, Tag=tag)["BandwidthPackageId"],
        "DescribeCommonBandwidthPackages", "Tag", ("CommonBandwidthPackages", "CommonBandwidthPackage"),
        "BandwidthPackageId", None, lambda vpc, i: vpc.DeleteCommonBandwidthPackage(BandwidthPackageId=i),
    ),
    "HAVIP": (
        "HAVIP",
        lambda vpc, tag: vpc.CreateHaVip(VSwitchId=network(vpc)[1], Tag=tag)["HaVipId"],
        "DescribeHaVips", "Tags", ("HaVips", "HaVip"), "HaVipId", None,
        lambda vpc, i: vpc.DeleteHaVip(HaVipId=i),
    ),
    "VpnGateWay": (
        "VpnGateWay", None, "DescribeVpnGateways", "Tag", ("VpnGateways", "VpnGateway"), "VpnGatewayId",
        "DescribeVpnGateway", lambda vpc, i: vpc.DeleteVpnGateway(VpnGatewayId=i),
    ),
    "CUSTOMERGATEWAY": (
        "CUSTOMERGATEWAY", customer_gateway, "DescribeCustomerGateways", "Tag", ("CustomerGateways", "CustomerGateway"),
        "CustomerGatewayId", "DescribeCustomerGateway", lambda vpc, i: vpc.DeleteCustomerGateway(CustomerGatewayId=i),
    ),
    "VPNCONNECTION": (
        "VPNCONNECTION", vpn_connection, "DescribeVpnConnections", "Tag", ("VpnConnections", "VpnConnection"),
        "VpnConnectionId", "DescribeVpnConnection", lambda vpc, i: vpc.DeleteVpnConnection(VpnConnectionId=i),
    ),
    "FLOWLOG": (
        "FLOWLOG", flow_log, "DescribeFlowLogs", "Tags", ("FlowLogs", "FlowLog"), "FlowLogId", None,
        lambda vpc, i: vpc.DeleteFlowLog(FlowLogId=i),
    ),
}


@pytest.mark.parametrize("family", list(FAMILIES))
def test_public_network_and_vpn_resources_take_tags(vpc, family):
    """Terraform tags every resource type through TagResources and reads Tags.Tag[] back (or
    ListTagResources); the create calls that take Tag.N / Tags.N store them; the list calls filter
    by tag; a deleted resource's tags go with it."""
    rtype, create, list_call, filter_param, container, id_field, single, delete = FAMILIES[family]
    marker = uuid.uuid4().hex[:12]
    created_with = [] if create is None else [("made", marker)]
    rid = (create or vpn_gateway)(vpc, [{"Key": "made", "Value": marker}] if create else None)
    vpc.TagResources(ResourceType=rtype, ResourceId=[rid], Tag=[{"Key": "env", "Value": marker}])
    want = created_with + [("env", marker)]
    listed = getattr(vpc, list_call)(**{filter_param: [{"Key": "env", "Value": marker}]})
    [item] = first(listed, container, id_field, rid)
    assert len(listed[container[0]][container[1]]) == 1
    # DescribeVpnConnections names the container of each item Tag, the other answers Tags.
    assert tags({"Tags": item["Tag" if family == "VPNCONNECTION" else "Tags"]}) == want
    assert getattr(vpc, list_call)(**{filter_param: [{"Key": "env", "Value": "other"}]})[container[0]][container[1]] == []
    if single:
        assert tags(getattr(vpc, single)(**{id_field: rid})) == want
    listed_tags = vpc.ListTagResources(ResourceType=rtype, ResourceId=[rid])["TagResources"]["TagResource"]
    assert sorted((t["TagKey"], t["TagValue"]) for t in listed_tags) == sorted(want)
    if create is not None:
        bad = [{"Key": "aliyun:x", "Value": "v"}]
        assert_error(lambda: create(vpc, bad), 400, "InvalidTagKey", "The tag keys are not valid.")
    delete(vpc, rid)
    assert vpc.ListTagResources(ResourceType=rtype, ResourceId=[rid])["TagResources"]["TagResource"] == []


def test_vpc_list_tag_resources_pages(vpc):
    for _ in range(3):
        vpc.CreateVpc(CidrBlock="10.0.0.0/8", Tag=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}])
    first = vpc.ListTagResources(ResourceType="VPC", MaxResults=5)
    assert len(first["TagResources"]["TagResource"]) == 5 and first["NextToken"]
    rest = vpc.ListTagResources(ResourceType="VPC", MaxResults=5, NextToken=first["NextToken"])
    assert len(rest["TagResources"]["TagResource"]) == 1 and rest["NextToken"] == ""


def test_vpc_tag_errors(vpc):
    vpc_id = vpc.CreateVpc(CidrBlock="10.0.0.0/8")["VpcId"]

    def tag(*pairs, ids=(vpc_id,), rtype="VPC"):
        return lambda: vpc.TagResources(ResourceType=rtype, ResourceId=list(ids), Tag=[{"Key": k, "Value": v} for k, v in pairs])

    assert_error(tag(("aliyun:x", "")), 400, "InvalidTagKey", "The tag keys are not valid.")
    assert_error(tag(("acs:x", "")), 400, "InvalidTagKey")
    assert_error(tag(("k" * 129, "")), 400, "InvalidTagKey")
    assert_error(tag(("k", "v" * 129)), 400, "InvalidTagValue", "The tag values are not valid.")
    assert_error(tag(("k", "1"), ("k", "2")), 400, "Forbidden.TagKey.Duplicated")
    assert_error(tag(("k", "1"), ids=("vpc-nothere",)), 404, "InvalidInstanceIds.NotFound")
    assert_error(tag(("k", "1"), rtype="BOGUS"), 404, "InvalidInstanceType.NotFound")
    vpc.TagResources(ResourceType="VPC", ResourceId=[vpc_id], Tag=[{"Key": f"k{n}", "Value": ""} for n in range(20)])
    assert_error(tag(("one-more", "")), 400, "QuotaExceeded.TagNum", "Custom Tags quota exceeded")
    assert_error(
        lambda: vpc.UnTagResources(ResourceType="VPC", ResourceId=[vpc_id], TagKey=["acs:reserved"]),
        400,
        "Forbidden.TagKeys",
    )
    assert_error(lambda: vpc.CreateVpc(CidrBlock="10.0.0.0/8", Tag=[{"Key": "aliyun", "Value": ""}]), 400, "InvalidTagKey")


def test_ecs_tags_on_instances_and_security_groups(old, ecs_api, ecs_old):
    net = ecs_network(old, ecs_old)
    sg = ecs_api.CreateSecurityGroup(VpcId=net.vpc_id, Tag=[{"Key": "role", "Value": "web"}])["SecurityGroupId"]
    ids = run_instances(ecs_api, net, 2, Tag=[{"Key": "app", "Value": "demo"}])
    found = ecs_api.DescribeInstances(Tag=[{"Key": "app", "Value": "demo"}])["Instances"]["Instance"]
    assert sorted(i["InstanceId"] for i in found) == sorted(ids)
    assert all(tags(i) == [("app", "demo")] for i in found)
    [group] = ecs_api.DescribeSecurityGroups(Tag=[{"Key": "role"}])["SecurityGroups"]["SecurityGroup"]
    assert group["SecurityGroupId"] == sg and tags(group) == [("role", "web")]
    ecs_api.TagResources(ResourceType="instance", ResourceId=[ids[0]], Tag=[{"Key": "only", "Value": "one"}])
    [one] = ecs_api.DescribeInstances(Tag=[{"Key": "only"}])["Instances"]["Instance"]
    assert one["InstanceId"] == ids[0]
    listed = ecs_api.ListTagResources(ResourceType="instance", ResourceId=[ids[0]])["TagResources"]["TagResource"]
    assert [(t["TagKey"], t["TagValue"], t["ResourceType"]) for t in listed] == [("app", "demo", "instance"), ("only", "one", "instance")]
    described = ecs_api.DescribeTags(ResourceType="instance")
    assert described["TotalCount"] == 2
    counts = {t["TagKey"]: t["ResourceTypeCount"]["Instance"] for t in described["Tags"]["Tag"]}
    assert counts == {"app": 2, "only": 1}
    ecs_api.UntagResources(ResourceType="instance", ResourceId=[ids[0]], TagKey=["only"])
    assert ecs_api.DescribeInstances(Tag=[{"Key": "only"}])["Instances"]["Instance"] == []


def test_ecs_tag_errors(old, ecs_api, ecs_old):
    net = ecs_network(old, ecs_old)
    [iid] = run_instances(ecs_api, net, 1)

    def tag(pairs, ids=(iid,), rtype="instance"):
        return lambda: ecs_api.TagResources(ResourceType=rtype, ResourceId=list(ids), Tag=[{"Key": k, "Value": v} for k, v in pairs])

    assert_error(tag([("aliyun-x", "")]), 400, "InvalidTagKey.Malformed", "The specified Tag.n.Key is not valid.")
    assert_error(tag([("k", "https://x")]), 400, "InvalidTagValue.Malformed")
    assert_error(tag([("k", "1"), ("k", "2")]), 400, "Duplicate.TagKey")
    assert_error(tag([("k", "1")], ids=("i-nothere",)), 404, "InvalidResourceId.NotFound")
    assert_error(tag([("k", "1")], rtype="bogus"), 404, "InvalidResourceType.NotFound")
    ecs_api.TagResources(ResourceType="instance", ResourceId=[iid], Tag=[{"Key": f"k{n}", "Value": ""} for n in range(20)])
    assert_error(tag([("more", "")]), 400, "OperationDenied.QuotaExceed")
    assert_error(lambda: ecs_api.ListTagResources(ResourceType="instance"), 403, "BothEmpty.TagsAndResources")
    assert_error(
        lambda: ecs_api.ListTagResources(ResourceType="instance", ResourceId=[iid], NextToken="garbage"),
        403,
        "Invalid.NextToken",
    )
    assert_error(lambda: ecs_api.DescribeTags(ResourceType="bogus"), 404, "InvalidResourceType.NotFound")


def test_ecs_tags_go_with_the_instance(old, ecs_old):
    ecs = Plural(ecs_old)
    net = ecs_network(old, ecs_old)
    [iid] = run_instances(ecs, net, 1, Tag=[{"Key": "gone", "Value": "soon"}])
    ecs.DeleteInstance(InstanceId=iid, Force=True)
    assert ecs.ListTagResources(ResourceType="instance", Tag=[{"Key": "gone"}])["TagResources"]["TagResource"] == []



# --- the tag rules of every create call that takes Tag.N, and the list limits of the tag calls ----

def pairs(*kv):
    return [{"Key": k, "Value": v} for k, v in kv]


TOO_MANY = pairs(*[(f"k{n}", "") for n in range(21)])

# VPC creates: name -> (the tag parameter, create(vpc, tags)).
VPC_CREATES = {
    "CreateVpc": lambda vpc, tag: vpc.CreateVpc(CidrBlock="10.0.0.0/8", Tag=tag),
    "CreateVSwitch": lambda vpc, tag: vpc.CreateVSwitch(VpcId=vpc.CreateVpc(CidrBlock="10.0.0.0/8")["VpcId"],
                                                         CidrBlock="10.1.0.0/24", ZoneId=ZONE, Tag=tag),
    "CreateRouteTable": lambda vpc, tag: vpc.CreateRouteTable(VpcId=vpc.CreateVpc(CidrBlock="10.0.0.0/8")["VpcId"], Tag=tag),
    "AllocateEipAddress": lambda vpc, tag: vpc.AllocateEipAddress(Tag=tag),
    "CreateCommonBandwidthPackage": lambda vpc, tag: vpc.CreateCommonBandwidthPackage(Bandwidth=10, Tag=tag),
    "CreateHaVip": lambda vpc, tag: vpc.CreateHaVip(VSwitchId=network(vpc)[1], Tag=tag),
    "CreateCustomerGateway": customer_gateway,
    "CreateVpnConnection": vpn_connection,
    "CreateFlowLog": flow_log,
}


@pytest.mark.parametrize("action", list(VPC_CREATES))
def test_vpc_creates_check_their_tags(vpc, action):
    """Each VPC create that takes Tag.N (Tags.N) answers the tag codes its table documents, and
    creates nothing when the tags are refused."""
    create = VPC_CREATES[action]
    assert_error(lambda: create(vpc, pairs(("k", "v" * 129))), 400, "InvalidTagValue", "The tag values are not valid.")
    assert_error(lambda: create(vpc, pairs(("k", "1"), ("k", "2"))), 400, "Forbidden.TagKey.Duplicated",
                 "The specified tag key already exists.")
    assert_error(lambda: create(vpc, TOO_MANY), 400, "SizeLimitExceeded.TagNum", "The maximum number of tags is exceeded.")
    assert_error(lambda: create(vpc, pairs(("acs:k", "v"))), 400, "InvalidTagKey", "The tag keys are not valid.")
    create(vpc, TOO_MANY[:20])


def test_vpc_tag_calls_limit_their_lists(vpc):
    vpc_id = vpc.CreateVpc(CidrBlock="10.0.0.0/8")["VpcId"]
    many_ids = [vpc_id] + [f"vpc-x{n}" for n in range(50)]
    resource_ids = (400, "SizeLimitExceeded.ResourceId", "The maximum number of resource IDs is exceeded.")
    tag_num = (400, "SizeLimitExceeded.TagNum", "The maximum number of tags is exceeded.")
    bad_type = (404, "InvalidInstanceType.NotFound", "The instance type is not found")
    assert_error(lambda: vpc.TagResources(ResourceType="VPC", ResourceId=[vpc_id], Tag=TOO_MANY), *tag_num)
    assert_error(lambda: vpc.TagResources(ResourceType="VPC", ResourceId=many_ids, Tag=pairs(("k", ""))), *resource_ids)
    untag = vpc.UnTagResources
    assert_error(lambda: untag(ResourceType="VPC", ResourceId=["vpc-nothere"], TagKey=["k"]), 404,
                 "InvalidInstanceIds.NotFound", "The instanceIds are not found")
    assert_error(lambda: untag(ResourceType="BOGUS", ResourceId=[vpc_id], TagKey=["k"]), *bad_type)
    assert_error(lambda: untag(ResourceType="VPC", ResourceId=many_ids, TagKey=["k"]), *resource_ids)
    assert_error(lambda: untag(ResourceType="VPC", ResourceId=[vpc_id], TagKey=[f"k{n}" for n in range(21)]), *tag_num)
    assert_error(lambda: vpc.ListTagResources(ResourceType="BOGUS"), *bad_type)
    assert_error(lambda: vpc.ListTagResources(ResourceType="VPC", ResourceId=many_ids), *resource_ids)
    assert_error(lambda: vpc.ListTagResources(ResourceType="VPC", Tag=TOO_MANY), *tag_num)


def ecs_creates(old, ecs_api, ecs_old):
    net = ecs_network(old, ecs_old)
    name = f"kp-{uuid.uuid4().hex[:8]}"
    return {
        "RunInstances": lambda tag: run_instances(ecs_api, net, 1, Tag=tag),
        "CreateInstance": lambda tag: create_instance(ecs_api, net, Tag=tag),
        "CreateSecurityGroup": lambda tag: ecs_api.CreateSecurityGroup(VpcId=net.vpc_id, Tag=tag),
        "CreateKeyPair": lambda tag: ecs_api.CreateKeyPair(KeyPairName=name, Tag=tag),
        "ImportKeyPair": lambda tag: ecs_api.ImportKeyPair(
            KeyPairName=name + "-imported", PublicKeyBody="ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHk me@laptop", Tag=tag),
    }


@pytest.mark.parametrize("action", ["RunInstances", "CreateInstance", "CreateSecurityGroup", "CreateKeyPair",
                                    "ImportKeyPair"])
def test_ecs_creates_check_their_tags(old, ecs_api, ecs_old, action):
    create = ecs_creates(old, ecs_api, ecs_old)[action]
    assert_error(lambda: create(pairs(("aliyun-k", "v"))), 400, "InvalidTagKey.Malformed",
                 "The specified Tag.n.Key is not valid.")
    assert_error(lambda: create(pairs(("k", "http://v"))), 400, "InvalidTagValue.Malformed",
                 "The specified Tag.n.Value is not valid.")
    assert_error(lambda: create(pairs(("k", "1"), ("k", "2"))), 400, "Duplicate.TagKey",
                 "The Tag.N.Key contain duplicate key.")
    assert_error(lambda: create(TOO_MANY), 400, "NumberExceed.Tags", "The Tags parameter's number is exceed , Valid : 20.")
    create(TOO_MANY[:20])


def test_ecs_tag_calls_limit_their_lists(old, ecs_api, ecs_old):
    net = ecs_network(old, ecs_old)
    [iid] = run_instances(ecs_api, net, 1)
    many_ids = [iid] + [f"i-x{n}" for n in range(50)]
    resource_ids = (400, "NumberExceed.ResourceIds", "The ResourceIds parameter's number is exceed , Valid : 50.")
    tag_num = (400, "NumberExceed.Tags", "The Tags parameter's number is exceed , Valid : 20.")
    bad_type = (404, "InvalidResourceType.NotFound", "The ResourceType provided does not exist in our records.")
    assert_error(lambda: ecs_api.TagResources(ResourceType="instance", ResourceId=[iid]), 404,
                 "MissingParameter.Tags", "The parameter - Tags should not be null.")
    assert_error(lambda: ecs_api.TagResources(ResourceType="instance", ResourceId=[iid], Tag=TOO_MANY), *tag_num)
    assert_error(lambda: ecs_api.TagResources(ResourceType="instance", ResourceId=many_ids, Tag=pairs(("k", ""))),
                 *resource_ids)
    untag = ecs_api.UntagResources
    assert_error(lambda: untag(ResourceType="instance", ResourceId=["i-nothere"], TagKey=["k"]), 404,
                 "InvalidResourceId.NotFound", "The specified ResourceIds are not found in our records.")
    assert_error(lambda: untag(ResourceType="bogus", ResourceId=[iid], TagKey=["k"]), *bad_type)
    assert_error(lambda: untag(ResourceType="instance", ResourceId=many_ids, TagKey=["k"]), *resource_ids)
    assert_error(lambda: untag(ResourceType="instance", ResourceId=[iid], TagKey=[f"k{n}" for n in range(21)]), *tag_num)
    assert_error(lambda: ecs_api.ListTagResources(ResourceType="bogus", ResourceId=[iid]), *bad_type)
    assert_error(lambda: ecs_api.ListTagResources(ResourceType="instance", ResourceId=many_ids), *resource_ids)
    assert_error(lambda: ecs_api.ListTagResources(ResourceType="instance", Tag=TOO_MANY), *tag_num)
