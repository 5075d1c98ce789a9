"""Transitional states, on the server started with --transition-delay (TRANSITION_DELAY_SECONDS of
emulated time): a new VPC or vSwitch is Pending until the delay has passed, and operations that
need it stable are refused meanwhile. Time moves with /_emulator/clock/advance, never by
sleeping."""

from alibabacloud_vpc20160428 import models as m

from conftest import TRANSITION_DELAY_SECONDS as DELAY
from helpers import REGION, ZONE, assert_error

VPC_STATUS = ("IncorrectVpcStatus", "Current VPC status does not support this operation.")


def vpc_status(old, vpc_id):
    return old.DescribeVpcAttribute(VpcId=vpc_id)["Status"]


def vswitch_status(old, vsw):
    return old.DescribeVSwitchAttributes(VSwitchId=vsw)["Status"]


def test_a_new_vpc_is_pending_until_the_delay_has_passed(old_delayed, delayed):
    old = old_delayed
    created = old.CreateVpc(CidrBlock="10.0.0.0/8")
    vpc_id = created["VpcId"]
    assert vpc_status(old, vpc_id) == "Pending"
    assert old.DescribeVpcs(VpcId=vpc_id)["Vpcs"]["Vpc"][0]["Status"] == "Pending"

    # Operations that need an Available VPC.
    assert_error(lambda: old.CreateVSwitch(VpcId=vpc_id, CidrBlock="10.0.1.0/24", ZoneId=ZONE), 400, *VPC_STATUS)
    assert_error(lambda: old.CreateRouteTable(VpcId=vpc_id), 400, *VPC_STATUS)
    assert_error(lambda: old.ModifyVpcAttribute(VpcId=vpc_id, VpcName="renamed"), 400, *VPC_STATUS)
    assert_error(lambda: old.DeleteVpc(VpcId=vpc_id), 400, *VPC_STATUS)
    assert_error(
        lambda: old.CreateRouteEntry(RouteTableId=created["RouteTableId"], DestinationCidrBlock="192.168.0.0/24",
                                     NextHopType="Instance", NextHopId="i-1"),
        400, *VPC_STATUS,
    )

    delayed.advance(DELAY - 1)
    assert vpc_status(old, vpc_id) == "Pending"
    delayed.advance(1)
    assert vpc_status(old, vpc_id) == "Available"
    assert old.CreateVSwitch(VpcId=vpc_id, CidrBlock="10.0.1.0/24", ZoneId=ZONE)["VSwitchId"]


def test_a_new_vswitch_is_pending_until_the_delay_has_passed(old_delayed, delayed):
    old = old_delayed
    created = old.CreateVpc(CidrBlock="10.0.0.0/8")
    vpc_id = created["VpcId"]
    delayed.advance(DELAY)
    vsw = old.CreateVSwitch(VpcId=vpc_id, CidrBlock="10.0.1.0/24", ZoneId=ZONE)["VSwitchId"]
    assert vswitch_status(old, vsw) == "Pending"
    assert old.DescribeVSwitches(VpcId=vpc_id)["VSwitches"]["VSwitch"][0]["Status"] == "Pending"
    entries = old.DescribeRouteEntryList(RouteTableId=created["RouteTableId"])["RouteEntrys"]["RouteEntry"]
    assert {e["DestinationCidrBlock"]: e["Status"] for e in entries}["10.0.1.0/24"] == "Pending"

    assert_error(
        lambda: old.DeleteVSwitch(VSwitchId=vsw),
        400, "IncorrectVSwitchStatus", "The current virtual switch status does not support this operation.",
    )
    assert_error(
        lambda: old.CreateVSwitch(VpcId=vpc_id, CidrBlock="10.0.2.0/24", ZoneId=ZONE),
        400, "IncorrectVSwitchStatus", "VSwitch Creation simultaneously is not supported.",
    )

    delayed.advance(DELAY)
    assert vswitch_status(old, vsw) == "Available"
    assert old.CreateVSwitch(VpcId=vpc_id, CidrBlock="10.0.2.0/24", ZoneId=ZONE)["VSwitchId"]
    delayed.advance(DELAY)
    old.DeleteVSwitch(VSwitchId=vsw)
    assert old.DescribeVSwitches(VpcId=vpc_id)["TotalCount"] == 1


def test_transitions_seen_through_tea(tea_delayed, delayed):
    tea = tea_delayed
    vpc_id = tea.create_vpc(m.CreateVpcRequest(region_id=REGION, cidr_block="192.168.0.0/16")).body.vpc_id
    describe = m.DescribeVpcAttributeRequest(region_id=REGION, vpc_id=vpc_id)
    assert tea.describe_vpc_attribute(describe).body.status == "Pending"
    assert_error(
        lambda: tea.create_vswitch(m.CreateVSwitchRequest(region_id=REGION, vpc_id=vpc_id, zone_id=ZONE,
                                                          cidr_block="192.168.1.0/24")),
        400, *VPC_STATUS,
    )
    delayed.advance(DELAY)
    assert tea.describe_vpc_attribute(describe).body.status == "Available"
    vsw = tea.create_vswitch(m.CreateVSwitchRequest(region_id=REGION, vpc_id=vpc_id, zone_id=ZONE,
                                                    cidr_block="192.168.1.0/24")).body.v_switch_id
    items = tea.describe_vswitches(m.DescribeVSwitchesRequest(region_id=REGION, v_switch_id=vsw)).body
    assert items.v_switches.v_switch[0].status == "Pending"


def test_the_plain_server_has_no_transitions(old):
    vpc_id = old.CreateVpc()["VpcId"]
    assert vpc_status(old, vpc_id) == "Available"
    vsw = old.CreateVSwitch(VpcId=vpc_id, CidrBlock="172.16.1.0/24", ZoneId=ZONE)["VSwitchId"]
    assert vswitch_status(old, vsw) == "Available"
