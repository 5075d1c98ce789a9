"""vSwitches (seed 004 chapter 7: DescribeVSwitches 7.1, ModifyVSwitchAttribute 7.2,
DescribeVSwitchAttributes 7.3, CreateVSwitch 7.4, DeleteVSwitch 7.5)."""

import pytest
from alibabacloud_vpc20160428 import models as m

from helpers import REGION, ZONE, ZONE2, assert_error, create_vpc, create_vswitch, missing, system_table

MASK_LENGTH = ("InvalidCirdrBlock.MaskLength", "Specified CIDR block is not valid .")
NOT_IN_VPC = ("InvalidParameter", "Specified CIDR block is not valid in VPC.")
OVERLAPPED = ("InvalidCidrBlock.Overlapped", "Specified CIDR block overlapped with other subnets.")
INVALID_NAME = ("InvalidVSwitchName.Malformed", "Specified virtual switch name is not valid.")


@pytest.fixture
def vpc(old):
    return create_vpc(old, "10.0.0.0/8")


# --- CreateVSwitch ------------------------------------------------------------------------------


def test_create_vswitch_and_describe_it(old, vpc):
    vsw = create_vswitch(old, vpc["VpcId"], "10.0.1.0/24", VSwitchName="web", Description="Web tier")
    assert vsw.startswith("vsw-")
    body = old.DescribeVSwitches(VpcId=vpc["VpcId"])
    assert body["RequestId"]
    assert (body["TotalCount"], body["PageNumber"], body["PageSize"]) == (1, 1, 10)
    [item] = body["VSwitches"]["VSwitch"]
    assert item["VSwitchId"] == vsw and item["VpcId"] == vpc["VpcId"]
    assert item["CidrBlock"] == "10.0.1.0/24" and item["ZoneId"] == ZONE
    assert item["VSwitchName"] == "web" and item["Description"] == "Web tier"
    assert item["Status"] == "Available"
    assert item["IsDefault"] is False
    assert item["AvailableIpAddressCount"] == 252
    assert item["CreationTime"].endswith("Z")
    assert item["RouteTable"] == {"RouteTableId": vpc["RouteTableId"], "RouteTableType": "System"}
    # The VPC lists it.
    assert old.DescribeVpcAttribute(VpcId=vpc["VpcId"])["VSwitchIds"]["VSwitchId"] == [vsw]


@pytest.mark.parametrize(
    "cidr,available",
    [("10.0.0.0/16", 65536 - 4), ("10.1.0.0/24", 252), ("10.2.0.0/28", 12), ("10.3.0.0/29", 4)],
)
def test_available_ip_address_count_reserves_four_addresses(old, vpc, cidr, available):
    vsw = create_vswitch(old, vpc["VpcId"], cidr)
    assert old.DescribeVSwitchAttributes(VSwitchId=vsw)["AvailableIpAddressCount"] == available


@pytest.mark.parametrize("cidr", ["10.0.0.0/15", "10.0.0.0/8", "10.0.0.0/30", "10.0.0.4/32"])
def test_vswitch_mask_must_be_16_to_29(old, vpc, cidr):
    assert_error(lambda: create_vswitch(old, vpc["VpcId"], cidr), 400, *MASK_LENGTH)


def test_vswitch_must_be_inside_the_vpc(old):
    vpc_id = create_vpc(old, "192.168.0.0/16")["VpcId"]
    for cidr in ("10.0.0.0/24", "192.169.0.0/24", "172.16.0.0/16"):
        assert_error(lambda: create_vswitch(old, vpc_id, cidr), 400, *NOT_IN_VPC)
    assert create_vswitch(old, vpc_id, "192.168.255.0/24")


def test_a_vswitch_may_take_the_whole_vpc_block(old):
    # seed 7.4: a vSwitch with the VPC's own block is the only vSwitch of that VPC.
    vpc_id = create_vpc(old, "192.168.0.0/16")["VpcId"]
    assert create_vswitch(old, vpc_id, "192.168.0.0/16")
    assert_error(lambda: create_vswitch(old, vpc_id, "192.168.1.0/24"), 400, *OVERLAPPED)


@pytest.mark.parametrize("cidr", ["10.0.1.0/24", "10.0.0.0/16", "10.0.1.128/25"])
def test_vswitch_blocks_may_not_overlap(old, vpc, cidr):
    create_vswitch(old, vpc["VpcId"], "10.0.1.0/24")
    assert_error(lambda: create_vswitch(old, vpc["VpcId"], cidr), 400, *OVERLAPPED)


def test_adjacent_blocks_and_other_vpcs_do_not_overlap(old, vpc):
    create_vswitch(old, vpc["VpcId"], "10.0.1.0/24")
    assert create_vswitch(old, vpc["VpcId"], "10.0.2.0/24")
    assert create_vswitch(old, vpc["VpcId"], "10.0.0.0/24", zone=ZONE2)
    other = create_vpc(old, "10.0.0.0/8")["VpcId"]
    assert create_vswitch(old, other, "10.0.1.0/24")


def test_vswitch_quota_is_24_per_vpc(old, vpc):
    for i in range(24):
        create_vswitch(old, vpc["VpcId"], f"10.{i}.0.0/24")
    assert_error(
        lambda: create_vswitch(old, vpc["VpcId"], "10.200.0.0/24"),
        400,
        "QuotaExceeded.VSwitch",
        "Virtual switch quota exceeded.",
    )
    # Per VPC.
    other = create_vpc(old, "10.0.0.0/8")["VpcId"]
    assert create_vswitch(old, other, "10.200.0.0/24")


@pytest.mark.parametrize("name", ["a", "ab", "vsw-1_a.b", "x" * 128, "交换机"])
def test_vswitch_name_accepted(old, vpc, name):
    # CreateVSwitch documents 1 to 128 characters.
    vsw = create_vswitch(old, vpc["VpcId"], "10.0.1.0/24", VSwitchName=name)
    assert old.DescribeVSwitchAttributes(VSwitchId=vsw)["VSwitchName"] == name


@pytest.mark.parametrize("name", ["1vsw", "x" * 129, "my vsw", "http://vsw", "https://vsw"])
def test_vswitch_name_rejected(old, vpc, name):
    assert_error(
        lambda: create_vswitch(old, vpc["VpcId"], "10.0.1.0/24", VSwitchName=name), 400, *INVALID_NAME
    )


@pytest.mark.parametrize("description", ["a", "1st subnet", "http://subnet", "d" * 257])
def test_vswitch_description_rejected(old, vpc, description):
    assert_error(
        lambda: create_vswitch(old, vpc["VpcId"], "10.0.1.0/24", Description=description),
        400,
        "InvalidVSwitchDiscription.Malformed",
        "Specified virtual switch description is not valid.",
    )


def test_create_vswitch_in_unknown_zone(old, vpc):
    for zone in ("cn-hangzhou-z", "cn-shanghai-a"):
        assert_error(
            lambda: create_vswitch(old, vpc["VpcId"], "10.0.1.0/24", zone=zone),
            404,
            "InvalidZoneId.NotFound",
            "Specified zone does not exist.",
        )


def test_create_vswitch_in_unknown_vpc(old):
    assert_error(
        lambda: create_vswitch(old, "vpc-doesnotexist", "10.0.1.0/24"),
        404,
        "InvalidVpcId.NotFound",
        "Specified VPC does not exist.",
    )


def test_create_vswitch_missing_parameters(old, vpc):
    assert_error(lambda: old.CreateVSwitch(VpcId=vpc["VpcId"], ZoneId=ZONE), 400, *missing("CidrBlock"))
    assert_error(lambda: old.CreateVSwitch(CidrBlock="10.0.1.0/24", ZoneId=ZONE), 400, *missing("VpcId"))
    assert_error(lambda: old.CreateVSwitch(VpcId=vpc["VpcId"], CidrBlock="10.0.1.0/24"), 400,
                 *missing("ZoneId"))


def test_vswitch_ipv6_block(old):
    vpc_id = old.CreateVpc(CidrBlock="10.0.0.0/8", EnableIpv6=True)["VpcId"]
    vpc_block = old.DescribeVpcAttribute(VpcId=vpc_id)["Ipv6CidrBlock"]
    vsw = create_vswitch(old, vpc_id, "10.0.1.0/24", Ipv6CidrBlock=5)
    block = old.DescribeVSwitchAttributes(VSwitchId=vsw)["Ipv6CidrBlock"]
    assert block.endswith("::/64") and block[:6] == vpc_block[:6]
    assert_error(lambda: create_vswitch(old, vpc_id, "10.0.2.0/24", Ipv6CidrBlock=256), 400)


# --- DeleteVSwitch ------------------------------------------------------------------------------


def test_delete_vswitch(old, vpc):
    vsw = create_vswitch(old, vpc["VpcId"], "10.0.1.0/24")
    assert old.DeleteVSwitch(VSwitchId=vsw)["RequestId"]
    assert old.DescribeVSwitches(VpcId=vpc["VpcId"])["VSwitches"]["VSwitch"] == []
    assert_error(
        lambda: old.DeleteVSwitch(VSwitchId=vsw), 404, "InvalidVSwitchId.NotFound", "VSwitch not exist."
    )
    # The block is free again.
    assert create_vswitch(old, vpc["VpcId"], "10.0.1.0/24")


def test_delete_vswitch_without_region_finds_it_in_any_region(old, tea):
    # The seed's DeleteVSwitch has no RegionId parameter (old core always adds its own region; the
    # Tea client sends none when region_id is not set).
    vpc_id = old.CreateVpc(RegionId="cn-shanghai", CidrBlock="10.0.0.0/8")["VpcId"]
    vsw = old.CreateVSwitch(RegionId="cn-shanghai", VpcId=vpc_id, CidrBlock="10.0.1.0/24",
                            ZoneId="cn-shanghai-b")["VSwitchId"]
    tea.delete_vswitch(m.DeleteVSwitchRequest(v_switch_id=vsw))
    assert old.DescribeVSwitches(RegionId="cn-shanghai")["TotalCount"] == 0


def test_delete_vswitch_missing_id(old):
    assert_error(lambda: old.DeleteVSwitch(), 400, *missing("VSwitchId"))


# --- ModifyVSwitchAttribute / DescribeVSwitchAttributes -------------------------------------------


def test_modify_vswitch_attribute(old, vpc):
    vsw = create_vswitch(old, vpc["VpcId"], "10.0.1.0/24", VSwitchName="before")
    old.ModifyVSwitchAttribute(VSwitchId=vsw, VSwitchName="after", Description="Described now")
    attr = old.DescribeVSwitchAttributes(VSwitchId=vsw)
    assert (attr["VSwitchName"], attr["Description"]) == ("after", "Described now")


def test_modify_vswitch_attribute_errors(old, vpc):
    vsw = create_vswitch(old, vpc["VpcId"], "10.0.1.0/24", VSwitchName="keep")
    assert_error(lambda: old.ModifyVSwitchAttribute(VSwitchId=vsw, VSwitchName="-bad"), 400, *INVALID_NAME)
    # 2 to 128 characters here (CreateVSwitch allows 1).
    assert_error(lambda: old.ModifyVSwitchAttribute(VSwitchId=vsw, VSwitchName="a"), 400, *INVALID_NAME)
    assert_error(
        lambda: old.ModifyVSwitchAttribute(VSwitchId=vsw, Description="2 many"),
        400,
        "InvalidVSwitchDiscription.Malformed",
        "Specified virtual switch description is not valid.",
    )
    assert_error(
        lambda: old.ModifyVSwitchAttribute(VSwitchId="vsw-doesnotexist", VSwitchName="abc"),
        404,
        "InvalidVSwitchId.NotFound",
        "The specified virtual switch does not exists.",
    )
    assert old.DescribeVSwitchAttributes(VSwitchId=vsw)["VSwitchName"] == "keep"


def test_describe_vswitch_attributes_response_shape(old, vpc):
    vsw = create_vswitch(old, vpc["VpcId"], "10.0.1.0/24", VSwitchName="attrs")
    body = old.DescribeVSwitchAttributes(VSwitchId=vsw)
    assert body["RequestId"]
    assert body["VSwitchId"] == vsw and body["VpcId"] == vpc["VpcId"]
    assert body["ZoneId"] == ZONE and body["CidrBlock"] == "10.0.1.0/24"
    assert body["Status"] == "Available" and body["IsDefault"] is False
    assert body["AvailableIpAddressCount"] == 252
    assert body["RouteTable"] == {"RouteTableId": vpc["RouteTableId"], "RouteTableType": "System"}
    assert body["CloudResources"] == {"CloudResourceSetType": []}


def test_describe_vswitch_attributes_unknown(old):
    # No documented error of its own; the emulator answers like DeleteVSwitch.
    assert_error(lambda: old.DescribeVSwitchAttributes(VSwitchId="vsw-doesnotexist"), 404,
                 "InvalidVSwitchId.NotFound")


# --- DescribeVSwitches --------------------------------------------------------------------------


def test_describe_vswitches_filters(old, vpc):
    a = create_vswitch(old, vpc["VpcId"], "10.0.1.0/24", VSwitchName="alpha")
    b = create_vswitch(old, vpc["VpcId"], "10.0.2.0/24", zone=ZONE2, VSwitchName="beta")
    other_vpc = create_vpc(old, "192.168.0.0/16")["VpcId"]
    c = create_vswitch(old, other_vpc, "192.168.1.0/24")

    def ids(**filters):
        return sorted(v["VSwitchId"] for v in old.DescribeVSwitches(**filters)["VSwitches"]["VSwitch"])

    assert ids() == sorted([a, b, c])
    assert ids(VpcId=vpc["VpcId"]) == sorted([a, b])
    assert ids(ZoneId=ZONE2) == [b]
    assert ids(VSwitchName="alpha") == [a]
    assert ids(VSwitchId=c) == [c]
    assert ids(VpcId=other_vpc, ZoneId=ZONE2) == []
    assert ids(RouteTableId=system_table(old, other_vpc)["RouteTableId"]) == [c]


def test_describe_vswitches_unknown_ids_are_empty(old, vpc):
    create_vswitch(old, vpc["VpcId"], "10.0.1.0/24")
    for filters in ({"VSwitchId": "vsw-doesnotexist"}, {"VpcId": "vpc-doesnotexist"},
                    {"RouteTableId": "vtb-doesnotexist"}):
        body = old.DescribeVSwitches(**filters)
        assert body["VSwitches"] == {"VSwitch": []} and body["TotalCount"] == 0


def test_describe_vswitches_in_unknown_region(old):
    assert_error(lambda: old.DescribeVSwitches(RegionId="xx-nowhere-1"), 404, "InvalidRegionId.NotFound")


def test_describe_vswitches_paging(old, vpc):
    created = {create_vswitch(old, vpc["VpcId"], f"10.{i}.0.0/24") for i in range(5)}
    seen = []
    for page in (1, 2, 3):
        body = old.DescribeVSwitches(VpcId=vpc["VpcId"], PageNumber=page, PageSize=2)
        assert (body["TotalCount"], body["PageNumber"], body["PageSize"]) == (5, page, 2)
        seen += [v["VSwitchId"] for v in body["VSwitches"]["VSwitch"]]
    assert len(seen) == 5 and set(seen) == created


# --- Tea SDK ------------------------------------------------------------------------------------


def test_vswitch_lifecycle_through_tea_v3(tea, old, vpc):
    vsw = tea.create_vswitch(
        m.CreateVSwitchRequest(region_id=REGION, vpc_id=vpc["VpcId"], zone_id=ZONE,
                               cidr_block="10.0.1.0/24", v_switch_name="tea-vsw")
    ).body.v_switch_id
    assert vsw.startswith("vsw-")

    body = tea.describe_vswitches(m.DescribeVSwitchesRequest(region_id=REGION, vpc_id=vpc["VpcId"])).body
    assert body.total_count == 1
    item = body.v_switches.v_switch[0]
    assert (item.v_switch_id, item.v_switch_name, item.cidr_block) == (vsw, "tea-vsw", "10.0.1.0/24")
    assert item.available_ip_address_count == 252
    assert item.route_table.route_table_id == vpc["RouteTableId"]
    assert item.route_table.route_table_type == "System"
    assert item.is_default is False

    tea.modify_vswitch_attribute(
        m.ModifyVSwitchAttributeRequest(region_id=REGION, v_switch_id=vsw, description="Tea made")
    )
    attr = tea.describe_vswitch_attributes(
        m.DescribeVSwitchAttributesRequest(region_id=REGION, v_switch_id=vsw)
    ).body
    assert attr.description == "Tea made" and attr.v_switch_name == "tea-vsw"
    assert attr.route_table.route_table_type == "System"

    tea.delete_vswitch(m.DeleteVSwitchRequest(region_id=REGION, v_switch_id=vsw))
    assert tea.describe_vswitches(m.DescribeVSwitchesRequest(region_id=REGION)).body.v_switches.v_switch == []


def test_vswitch_through_tea_v1(tea_v1, vpc):
    vsw = tea_v1.create_vswitch(
        m.CreateVSwitchRequest(region_id=REGION, vpc_id=vpc["VpcId"], zone_id=ZONE, cidr_block="10.0.9.0/24")
    ).body.v_switch_id
    items = tea_v1.describe_vswitches(
        m.DescribeVSwitchesRequest(region_id=REGION, v_switch_id=vsw)
    ).body.v_switches.v_switch
    assert [i.v_switch_id for i in items] == [vsw]
    assert_error(
        lambda: tea_v1.create_vswitch(
            m.CreateVSwitchRequest(region_id=REGION, vpc_id=vpc["VpcId"], zone_id=ZONE, cidr_block="10.0.9.0/24")
        ),
        400,
        *OVERLAPPED,
    )


def test_unknown_names_answer_the_not_found_codes_the_description_chose(old):
    """The reasons spec/patches/vpc-2016-04-28.d/vpc_codes.json gives for Forbidden.VpcNotFound,
    ResourceNotAvailable and the NotFound rows of DescribeVSwitches: what is answered instead."""
    vpc_id = create_vpc(old, "10.0.0.0/8")["VpcId"]
    no_vpc = (404, "InvalidVpcId.NotFound", "Specified VPC does not exist.")
    assert_error(lambda: create_vswitch(old, "vpc-nothere", "10.1.0.0/24"), *no_vpc)
    assert_error(lambda: old.DeleteVpc(VpcId="vpc-nothere"), *no_vpc)
    assert_error(lambda: create_vswitch(old, vpc_id, "10.1.0.0/24", zone="cn-hangzhou-zz"), 404,
                 "InvalidZoneId.NotFound", "Specified zone does not exist.")
    assert old.DescribeVSwitches(VSwitchId="vsw-nothere")["VSwitches"]["VSwitch"] == []
    assert old.DescribeVSwitches(VpcId="vpc-nothere")["VSwitches"]["VSwitch"] == []
