"""VPCs (seed 004 chapter 6: CreateVpc 6.1, DeleteVpc 6.2, DescribeVpcs 6.3, ModifyVpcAttribute
6.4, DescribeVpcAttribute 6.5, GrantInstanceToCen 6.6, RevokeInstanceFromCen 6.7)."""

import pytest
from alibabacloud_vpc20160428 import models as m

from helpers import REGION, assert_error, create_vpc, create_vswitch

INVALID_CIDR = ("InvalidParameter", "Specified CIDR block is not valid")
INVALID_NAME = ("InvalidVpcName.Malformed", "Specified VPC name is not valid.")
INVALID_DESCRIPTION = ("InvalidVpcDiscription.Malformed", "Specified VPC description is not valid.")


# --- CreateVpc ----------------------------------------------------------------------------------


def test_create_vpc_creates_its_vrouter_and_system_route_table(old):
    created = old.CreateVpc()
    vpc_id, router_id, table_id = created["VpcId"], created["VRouterId"], created["RouteTableId"]
    assert vpc_id.startswith("vpc-") and router_id.startswith("vrt-") and table_id.startswith("vtb-")
    assert created["RequestId"] and created["ResourceGroupId"]

    attr = old.DescribeVpcAttribute(VpcId=vpc_id)
    assert attr["CidrBlock"] == "172.16.0.0/12"  # the documented default
    assert attr["Status"] == "Available"
    assert attr["VRouterId"] == router_id
    assert attr["RegionId"] == REGION

    routers = old.DescribeVRouters(VRouterId=router_id)["VRouters"]["VRouter"]
    assert [(r["VpcId"], r["RouteTableIds"]["RouteTableId"]) for r in routers] == [(vpc_id, [table_id])]

    tables = old.DescribeRouteTableList(VpcId=vpc_id)["RouterTableList"]["RouterTableListType"]
    assert [(t["RouteTableId"], t["RouteTableType"], t["RouterId"]) for t in tables] == [
        (table_id, "System", router_id)
    ]


@pytest.mark.parametrize(
    "cidr",
    ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "10.1.0.0/16", "172.20.0.0/24", "192.168.10.0/24"],
)
def test_create_vpc_accepts_private_ranges_and_their_subnets(old, cidr):
    vpc_id = create_vpc(old, cidr)["VpcId"]
    assert old.DescribeVpcAttribute(VpcId=vpc_id)["CidrBlock"] == cidr


@pytest.mark.parametrize(
    "cidr",
    [
        "11.0.0.0/8",  # not a private range
        "172.32.0.0/16",  # outside 172.16.0.0/12
        "10.0.0.0/7",  # mask shorter than 8 / larger than 10.0.0.0/8
        "192.168.0.0/25",  # mask longer than 24
        "10.0.0.0/28",
        "192.168.0.0",  # no mask
        "not-a-cidr",
    ],
)
def test_create_vpc_rejects_other_blocks(old, cidr):
    assert_error(lambda: create_vpc(old, cidr), 400, *INVALID_CIDR)
    assert old.DescribeVpcs()["TotalCount"] == 0


@pytest.mark.parametrize(
    "name",
    ["ab", "x" * 128, "vpc-1_a.b", "Vpc.Name", "专有网络"],
)
def test_vpc_name_accepted(old, name):
    vpc_id = old.CreateVpc(VpcName=name)["VpcId"]
    assert old.DescribeVpcAttribute(VpcId=vpc_id)["VpcName"] == name


@pytest.mark.parametrize(
    "name",
    ["a", "x" * 129, "1vpc", "_vpc", "-vpc", "my vpc", "vpc/1", "http://vpc", "https://vpc"],
)
def test_vpc_name_rejected(old, name):
    assert_error(lambda: old.CreateVpc(VpcName=name), 400, *INVALID_NAME)


@pytest.mark.parametrize("description", ["ab", "This is my first Vpc.", "d" * 256])
def test_vpc_description_accepted(old, description):
    vpc_id = old.CreateVpc(Description=description)["VpcId"]
    assert old.DescribeVpcAttribute(VpcId=vpc_id)["Description"] == description


@pytest.mark.parametrize("description", ["a", "d" * 257, "1st vpc", " leading space", "http://x.y", "https://x.y"])
def test_vpc_description_rejected(old, description):
    assert_error(lambda: old.CreateVpc(Description=description), 400, *INVALID_DESCRIPTION)


def test_create_vpc_in_unknown_region(old):
    assert_error(
        lambda: old.CreateVpc(RegionId="xx-nowhere-1"),
        404,
        "InvalidRegionId.NotFound",
        'Specified value of "regionId" is not supported.',
    )


def test_user_cidr_single_block(old):
    vpc_id = old.CreateVpc(UserCidr="10.0.0.0/8")["VpcId"]
    assert old.DescribeVpcAttribute(VpcId=vpc_id)["UserCidrs"]["UserCidr"] == ["10.0.0.0/8"]


def test_user_cidr_up_to_three_comma_separated_blocks(old):
    # seed 6.1: "Separate multiple CIDR blocks by using commas (,). Up to three CIDR blocks".
    vpc_id = old.CreateVpc(UserCidr="10.0.0.0/8,172.16.0.0/16,192.168.1.0/24")["VpcId"]
    vpcs = old.DescribeVpcs(VpcId=vpc_id)["Vpcs"]["Vpc"]
    assert vpcs[0]["UserCidrs"]["UserCidr"] == ["10.0.0.0/8", "172.16.0.0/16", "192.168.1.0/24"]


def test_user_cidr_more_than_three_blocks(old):
    assert_error(
        lambda: old.CreateVpc(UserCidr="10.0.0.0/8,172.16.0.0/16,192.168.1.0/24,192.168.2.0/24"),
        400,
        "InvalidUserCidr.Quota",
        "Specified UserCidr number is greater than 3.",
    )


def test_user_cidr_malformed(old):
    assert_error(
        lambda: old.CreateVpc(UserCidr="ten.zero/8"),
        400,
        "InvalidParameter",
        "Specified UserCidr invalid format.",
    )


def test_user_cidr_bad_mask(old):
    # The seed gives no range; the emulator accepts masks /8 to /24, like VPC blocks.
    assert_error(
        lambda: old.CreateVpc(UserCidr="192.168.0.0/30"),
        400,
        "InvalidParameter",
        "Specified UserCidr Subnet mask is not valid .",
    )


@pytest.mark.parametrize("cidr", ["100.64.0.0/10", "100.64.1.0/24", "100.0.0.0/8"])
def test_user_cidr_overlapping_shared_range(old, cidr):
    assert_error(
        lambda: old.CreateVpc(UserCidr=cidr),
        400,
        "InvalidUserCidr.Malformed",
        "Specified UserCidr overlapping in of 100.64.0.0/10.",
    )


def test_enable_ipv6_gives_an_ipv6_block(old):
    vpc_id = old.CreateVpc(EnableIpv6=True)["VpcId"]
    assert old.DescribeVpcAttribute(VpcId=vpc_id)["Ipv6CidrBlock"]
    other = old.CreateVpc()["VpcId"]
    assert old.DescribeVpcAttribute(VpcId=other)["Ipv6CidrBlock"] == ""


def test_vpc_quota_is_ten_per_region(old):
    for _ in range(10):
        old.CreateVpc()
    assert_error(lambda: old.CreateVpc(), 400, "QuotaExceeded.Vpc", "VPC quota exceeded.")
    assert old.DescribeVpcs()["TotalCount"] == 10
    # The quota is per region...
    assert old.CreateVpc(RegionId="cn-shanghai")["VpcId"]
    # ... and deleting a VPC frees a slot.
    victim = old.DescribeVpcs(PageSize=1)["Vpcs"]["Vpc"][0]["VpcId"]
    old.DeleteVpc(VpcId=victim)
    assert old.CreateVpc()["VpcId"]


# --- DeleteVpc ----------------------------------------------------------------------------------


def test_delete_vpc_removes_it_with_its_vrouter_and_route_table(old):
    created = create_vpc(old)
    old.DeleteVpc(VpcId=created["VpcId"])
    assert old.DescribeVpcs(VpcId=created["VpcId"])["Vpcs"]["Vpc"] == []
    assert old.DescribeVRouters(VRouterId=created["VRouterId"])["VRouters"]["VRouter"] == []
    assert old.DescribeRouteTableList(RouteTableId=created["RouteTableId"])["TotalCount"] == 0
    assert_error(lambda: old.DescribeVpcAttribute(VpcId=created["VpcId"]), 404, "InvalidVpcId.NotFound")


def test_delete_unknown_vpc(old):
    assert_error(
        lambda: old.DeleteVpc(VpcId="vpc-doesnotexist"),
        404,
        "InvalidVpcId.NotFound",
        "Specified VPC does not exist.",
    )


def test_delete_vpc_with_a_vswitch_is_a_dependency_violation(old):
    vpc_id = create_vpc(old)["VpcId"]
    vsw = create_vswitch(old, vpc_id, "192.168.1.0/24")
    assert_error(
        lambda: old.DeleteVpc(VpcId=vpc_id),
        400,
        "DependencyViolation.VSwitch",
        "Specified object has dependent resources",
    )
    old.DeleteVSwitch(VSwitchId=vsw)
    old.DeleteVpc(VpcId=vpc_id)
    assert old.DescribeVpcs()["TotalCount"] == 0


# --- DescribeVpcs -------------------------------------------------------------------------------


def test_describe_vpcs_response_shape(old):
    created = create_vpc(old, "10.0.0.0/8", VpcName="shape", Description="Shape test")
    body = old.DescribeVpcs(VpcId=created["VpcId"])
    assert body["RequestId"]
    assert (body["TotalCount"], body["PageNumber"], body["PageSize"]) == (1, 1, 10)
    [vpc] = body["Vpcs"]["Vpc"]
    assert vpc["VpcId"] == created["VpcId"]
    assert vpc["VRouterId"] == created["VRouterId"]
    assert vpc["VpcName"] == "shape" and vpc["Description"] == "Shape test"
    assert vpc["CidrBlock"] == "10.0.0.0/8"
    assert vpc["RegionId"] == REGION
    assert vpc["Status"] == "Available"
    assert vpc["IsDefault"] is False
    assert vpc["CreationTime"].endswith("Z")
    # Wrapped lists, present even when empty.
    assert vpc["VSwitchIds"] == {"VSwitchId": []}
    assert vpc["UserCidrs"] == {"UserCidr": []}
    assert vpc["NatGatewayIds"] == {"NatGatewayIds": []}
    assert vpc["RouterTableIds"] == {"RouterTableIds": [created["RouteTableId"]]}


def test_describe_vpcs_lists_vswitches_of_each_vpc(old):
    vpc_id = create_vpc(old)["VpcId"]
    a = create_vswitch(old, vpc_id, "192.168.1.0/24")
    b = create_vswitch(old, vpc_id, "192.168.2.0/24")
    [vpc] = old.DescribeVpcs(VpcId=vpc_id)["Vpcs"]["Vpc"]
    assert sorted(vpc["VSwitchIds"]["VSwitchId"]) == sorted([a, b])


def test_describe_vpcs_filters(old):
    ids = [create_vpc(old, VpcName=f"vpc-{i}")["VpcId"] for i in range(4)]
    other = create_vpc(old, VpcName="other", ResourceGroupId="rg-emulatortest")["VpcId"]

    assert [v["VpcId"] for v in old.DescribeVpcs(VpcName="vpc-2")["Vpcs"]["Vpc"]] == [ids[2]]
    assert [v["VpcId"] for v in old.DescribeVpcs(VpcId=ids[1])["Vpcs"]["Vpc"]] == [ids[1]]
    by_group = old.DescribeVpcs(ResourceGroupId="rg-emulatortest")["Vpcs"]["Vpc"]
    assert [v["VpcId"] for v in by_group] == [other]
    # Isdefault=false leaves out the default VPC only; there is none here.
    assert old.DescribeVpcs(IsDefault=False)["TotalCount"] == 5


def test_describe_vpcs_by_comma_separated_ids(old):
    # seed 6.3: "You can specify up to 20 VPC IDs. Separate multiple VPC IDs with commas."
    ids = [create_vpc(old)["VpcId"] for _ in range(3)]
    body = old.DescribeVpcs(VpcId=f"{ids[0]},{ids[2]}")
    assert body["TotalCount"] == 2
    assert sorted(v["VpcId"] for v in body["Vpcs"]["Vpc"]) == sorted([ids[0], ids[2]])


def test_describe_vpcs_list_limits(old):
    vpc_id = create_vpc(old)["VpcId"]
    twenty = ",".join([vpc_id] + [f"vpc-unknown{i}" for i in range(19)])
    assert [v["VpcId"] for v in old.DescribeVpcs(VpcId=twenty)["Vpcs"]["Vpc"]] == [vpc_id]
    # At most 20 VPC IDs, at most 5 tags (Tag.N, N from 1 to 5).
    assert_error(lambda: old.DescribeVpcs(VpcId=twenty + ",vpc-one-more"), 400)
    assert_error(lambda: old.DescribeVpcs(Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(6)]), 400)
    # No VPC carries tags here, so a tag filter matches nothing.
    assert old.DescribeVpcs(Tags=[{"Key": "env", "Value": "prod"}])["Vpcs"]["Vpc"] == []


def test_describe_vpcs_unknown_id_or_name_is_an_empty_list(old):
    create_vpc(old)
    for filters in ({"VpcId": "vpc-doesnotexist"}, {"VpcName": "nobody"}):
        body = old.DescribeVpcs(**filters)
        assert body["Vpcs"] == {"Vpc": []}
        assert body["TotalCount"] == 0


def test_describe_vpcs_paging(old):
    ids = {create_vpc(old)["VpcId"] for _ in range(7)}
    seen = []
    for page in (1, 2, 3):
        body = old.DescribeVpcs(PageNumber=page, PageSize=3)
        assert (body["TotalCount"], body["PageNumber"], body["PageSize"]) == (7, page, 3)
        seen += [v["VpcId"] for v in body["Vpcs"]["Vpc"]]
    assert len(seen) == 7 and set(seen) == ids
    beyond = old.DescribeVpcs(PageNumber=4, PageSize=3)
    assert beyond["Vpcs"]["Vpc"] == [] and beyond["TotalCount"] == 7


def test_describe_vpcs_is_per_region(old):
    hangzhou = create_vpc(old)["VpcId"]
    assert_error(lambda: old.DescribeVpcAttribute(RegionId="cn-shanghai", VpcId=hangzhou), 404,
                 "InvalidVpcId.NotFound")
    assert_error(lambda: old.CreateVSwitch(RegionId="cn-shanghai", VpcId=hangzhou, CidrBlock="192.168.1.0/24",
                                           ZoneId="cn-shanghai-b"), 404, "InvalidVpcId.NotFound")
    assert old.DescribeVpcs(RegionId="cn-shanghai")["TotalCount"] == 0
    shanghai = old.CreateVpc(RegionId="cn-shanghai")["VpcId"]
    [vpc] = old.DescribeVpcs(RegionId="cn-shanghai")["Vpcs"]["Vpc"]
    assert (vpc["VpcId"], vpc["RegionId"]) == (shanghai, "cn-shanghai")


# --- ModifyVpcAttribute / DescribeVpcAttribute ---------------------------------------------------


def test_modify_vpc_attribute(old):
    vpc_id = create_vpc(old, VpcName="before")["VpcId"]
    old.ModifyVpcAttribute(VpcId=vpc_id, VpcName="after", Description="Now described")
    attr = old.DescribeVpcAttribute(VpcId=vpc_id)
    assert (attr["VpcName"], attr["Description"]) == ("after", "Now described")
    # Only what is given changes.
    old.ModifyVpcAttribute(VpcId=vpc_id, Description="Again")
    attr = old.DescribeVpcAttribute(VpcId=vpc_id)
    assert (attr["VpcName"], attr["Description"]) == ("after", "Again")


def test_modify_vpc_attribute_validates_name_and_description(old):
    vpc_id = create_vpc(old, VpcName="keep")["VpcId"]
    assert_error(lambda: old.ModifyVpcAttribute(VpcId=vpc_id, VpcName="9lives"), 400, *INVALID_NAME)
    assert_error(
        lambda: old.ModifyVpcAttribute(VpcId=vpc_id, Description="http://example.com"),
        400,
        *INVALID_DESCRIPTION,
    )
    assert old.DescribeVpcAttribute(VpcId=vpc_id)["VpcName"] == "keep"


def test_modify_vpc_attribute_unknown_vpc(old):
    assert_error(
        lambda: old.ModifyVpcAttribute(VpcId="vpc-doesnotexist", VpcName="abc"),
        404,
        "InvalidVpcId.NotFound",
        "Specified VPC does not exist.",
    )


def test_modify_vpc_attribute_cidr_block(old):
    vpc_id = create_vpc(old, "192.168.0.0/16")["VpcId"]
    assert_error(
        lambda: old.ModifyVpcAttribute(VpcId=vpc_id, CidrBlock="192.168.0.0/33"),
        400,
        "InvalidCidrBlock.Malformed",
        "Specified CIDR block is not valid.",
    )
    old.ModifyVpcAttribute(VpcId=vpc_id, CidrBlock="192.168.0.0/24")
    assert old.DescribeVpcAttribute(VpcId=vpc_id)["CidrBlock"] == "192.168.0.0/24"


def test_describe_vpc_attribute_response_shape(old):
    created = create_vpc(old, "10.0.0.0/8", VpcName="attr")
    vsw = create_vswitch(old, created["VpcId"], "10.1.0.0/24")
    body = old.DescribeVpcAttribute(VpcId=created["VpcId"])
    assert body["RequestId"]
    assert body["VpcId"] == created["VpcId"] and body["VpcName"] == "attr"
    assert body["IsDefault"] is False and body["ClassicLinkEnabled"] is False
    assert body["VSwitchIds"] == {"VSwitchId": [vsw]}
    assert body["UserCidrs"] == {"UserCidr": []}
    assert body["AssociatedCens"] == {"AssociatedCen": []}
    counts = {r["ResourceType"]: r["ResourceCount"] for r in body["CloudResources"]["CloudResourceSetType"]}
    assert counts["VSwitch"] == 1 and counts["VRouter"] == 1 and counts["RouteTable"] == 1
    assert all(isinstance(n, int) for n in counts.values())


def test_describe_vpc_attribute_unknown_vpc(old):
    assert_error(
        lambda: old.DescribeVpcAttribute(VpcId="vpc-doesnotexist"),
        404,
        "InvalidVpcId.NotFound",
        "Specified VPC does not exist.",
    )


# --- GrantInstanceToCen / RevokeInstanceFromCen ---------------------------------------------------


def test_grant_and_revoke_instance_to_cen(old):
    vpc_id = create_vpc(old)["VpcId"]
    grant = dict(CenId="cen-7qthudw0ll6jmc", CenOwnerId=123456789, InstanceId=vpc_id, InstanceType="VPC")
    assert old.GrantInstanceToCen(**grant)["RequestId"]
    assert old.RevokeInstanceFromCen(**grant)["RequestId"]


def test_grant_instance_to_cen_unknown_vpc(old):
    # The seed documents no errors for these actions; an unknown VPC is InvalidVpcId.NotFound.
    grant = dict(CenId="cen-1", CenOwnerId=1, InstanceId="vpc-doesnotexist", InstanceType="VPC")
    assert_error(lambda: old.GrantInstanceToCen(**grant), 404, "InvalidVpcId.NotFound")
    assert_error(lambda: old.RevokeInstanceFromCen(**grant), 404, "InvalidVpcId.NotFound")


def test_grant_instance_to_cen_invalid_instance_type(old):
    vpc_id = create_vpc(old)["VpcId"]
    grant = dict(CenId="cen-1", CenOwnerId=1, InstanceId=vpc_id, InstanceType="ECS")
    assert_error(lambda: old.GrantInstanceToCen(**grant), 400)


# --- Tea SDK ------------------------------------------------------------------------------------


def test_vpc_lifecycle_through_tea_v3(tea):
    created = tea.create_vpc(
        m.CreateVpcRequest(region_id=REGION, cidr_block="10.0.0.0/8", vpc_name="tea-vpc",
                           description="Made by Tea", user_cidr="172.16.0.0/16")
    ).body
    assert created.vpc_id.startswith("vpc-")
    assert created.vrouter_id.startswith("vrt-") and created.route_table_id.startswith("vtb-")

    body = tea.describe_vpcs(m.DescribeVpcsRequest(region_id=REGION, vpc_id=created.vpc_id)).body
    assert (body.total_count, body.page_number, body.page_size) == (1, 1, 10)
    vpc = body.vpcs.vpc[0]
    assert vpc.vpc_id == created.vpc_id and vpc.vpc_name == "tea-vpc"
    assert vpc.router_table_ids.router_table_ids == [created.route_table_id]
    assert vpc.v_switch_ids.v_switch_id == []
    assert vpc.user_cidrs.user_cidr == ["172.16.0.0/16"]
    assert vpc.is_default is False and vpc.status == "Available"

    tea.modify_vpc_attribute(
        m.ModifyVpcAttributeRequest(region_id=REGION, vpc_id=created.vpc_id, vpc_name="renamed")
    )
    attr = tea.describe_vpc_attribute(
        m.DescribeVpcAttributeRequest(region_id=REGION, vpc_id=created.vpc_id)
    ).body
    assert attr.vpc_name == "renamed" and attr.description == "Made by Tea"
    assert attr.cidr_block == "10.0.0.0/8"
    assert attr.v_switch_ids.v_switch_id == []
    assert attr.associated_cens.associated_cen == []
    assert {r.resource_type for r in attr.cloud_resources.cloud_resource_set_type} >= {"VSwitch"}

    for action, request in (
        (tea.grant_instance_to_cen, m.GrantInstanceToCenRequest),
        (tea.revoke_instance_from_cen, m.RevokeInstanceFromCenRequest),
    ):
        assert action(request(region_id=REGION, cen_id="cen-1", cen_owner_id=1,
                              instance_id=created.vpc_id, instance_type="VPC")).body.request_id

    tea.delete_vpc(m.DeleteVpcRequest(region_id=REGION, vpc_id=created.vpc_id))
    assert tea.describe_vpcs(m.DescribeVpcsRequest(region_id=REGION)).body.vpcs.vpc == []


def test_vpc_through_tea_v1(tea_v1):
    vpc_id = tea_v1.create_vpc(m.CreateVpcRequest(region_id=REGION, vpc_name="v1-vpc")).body.vpc_id
    vpc = tea_v1.describe_vpcs(m.DescribeVpcsRequest(region_id=REGION, vpc_name="v1-vpc")).body.vpcs.vpc[0]
    assert vpc.vpc_id == vpc_id and vpc.cidr_block == "172.16.0.0/12"
    assert_error(
        lambda: tea_v1.delete_vpc(m.DeleteVpcRequest(region_id=REGION, vpc_id="vpc-doesnotexist")),
        404,
        "InvalidVpcId.NotFound",
        "Specified VPC does not exist.",
    )


def test_describe_vpcs_region_is_optional(tea, old):
    # seed 6.3: RegionId is not required; the Tea client sends none when region_id is not set.
    vpc_id = create_vpc(old)["VpcId"]
    body = tea.describe_vpcs(m.DescribeVpcsRequest()).body
    assert [v.vpc_id for v in body.vpcs.vpc] == [vpc_id]


def test_tea_errors_carry_code_status_and_message(tea):
    assert_error(
        lambda: tea.create_vpc(m.CreateVpcRequest(region_id=REGION, cidr_block="8.8.8.0/24")),
        400,
        *INVALID_CIDR,
    )
    assert_error(
        lambda: tea.create_vpc(m.CreateVpcRequest(region_id=REGION, vpc_name="1bad")),
        400,
        *INVALID_NAME,
    )
