"""Route entries (seed 004 chapter 9.8-9.11: CreateRouteEntry, DeleteRouteEntry,
ModifyRouteEntry, DescribeRouteEntryList).

These tests need no next hop: every CreateRouteEntry that passes the other checks ends with its
next hop's not-found error, and the entries shown are the System ones. Custom entries (to HaVips,
the first next hop the emulator has) are in test_route_entry_havip.py."""

import pytest
from alibabacloud_vpc20160428 import models as m

from helpers import ENTRY_NOT_FOUND, REGION, SYSTEM_DENIED, assert_error, create_vpc, create_vswitch, missing

INSTANCE_NOT_FOUND = ("InvalidInstanId.NotFound", "Specified instance does not exist.")
INVALID_CIDR = ("InvalidCidrBlock", "Specified CIDR block is not valid.")
MALFORMED_CIDR = ("InvalidCidrBlock.Malformed", "Specified CIDR block is not valid.")
TABLE_NOT_FOUND = ("InvalidRouteTableId.NotFound", "Specified route table does not exist.")
INVALID_NEXT_HOP_TYPE = ("InvalidNextHopType", 'Specified parameter "NextHopType" is not valid')


@pytest.fixture
def vpc(old):
    return create_vpc(old, "10.0.0.0/8")


def ri_hops(*ids, **extra):
    return [dict(NextHopType="RouterInterface", NextHopId=i, **extra) for i in ids]


def custom_entries(old, table_id):
    return old.DescribeRouteEntryList(RouteTableId=table_id, RouteEntryType="Custom")["RouteEntrys"]["RouteEntry"]


# --- CreateRouteEntry: next hops ----------------------------------------------------------------


@pytest.mark.parametrize(
    "hop_type,hop_id,status,code,message",
    [
        ("Instance", "i-doesnotexist", 404, *INSTANCE_NOT_FOUND),
        ("HaVip", "havip-doesnotexist", 404, "InvalidHaVipId.NotFound",
         "The specified HaVip does not exist in the specified VPC."),
        ("RouterInterface", "ri-doesnotexist", 400, "InvalidRouterInterface", "invalid router interface."),
        ("NetworkInterface", "eni-doesnotexist", 404, "InvalidNextHopId.NotFound", "Specified next hop does not exist."),
        ("VpnGateway", "vpn-doesnotexist", 404, "InvalidNextHopId.NotFound", "Specified next hop does not exist."),
        ("IPv6Gateway", "ipv6gw-doesnotexist", 404, "InvalidNextHopId.NotFound", "Specified next hop does not exist."),
    ],
)
def test_next_hop_that_does_not_exist(old, vpc, hop_type, hop_id, status, code, message):
    assert_error(
        lambda: old.CreateRouteEntry(RouteTableId=vpc["RouteTableId"], DestinationCidrBlock="192.168.0.0/24",
                                     NextHopType=hop_type, NextHopId=hop_id),
        status, code, message,
    )
    assert custom_entries(old, vpc["RouteTableId"]) == []


def test_next_hop_that_cannot_take_routes_yet(old, vpc):
    # A subscription VPN gateway whose order is unpaid is still `init`: it takes no route.
    create_vswitch(old, vpc["VpcId"], "10.0.1.0/24")
    created = old.CreateVpnGateway(VpcId=vpc["VpcId"], Bandwidth=5, InstanceChargeType="PREPAY", Period=1)
    assert_error(
        lambda: old.CreateRouteEntry(RouteTableId=vpc["RouteTableId"], DestinationCidrBlock="192.168.0.0/24",
                                     NextHopType="VpnGateway", NextHopId=created["VpnGatewayId"]),
        400, "IncorrectInstanceStatus", "Current instance status does not support this operation.",
    )
    assert custom_entries(old, vpc["RouteTableId"]) == []


def test_next_hop_type_defaults_to_instance(old, vpc):
    assert_error(
        lambda: old.CreateRouteEntry(RouteTableId=vpc["RouteTableId"], DestinationCidrBlock="192.168.0.0/24",
                                     NextHopId="i-doesnotexist"),
        404, *INSTANCE_NOT_FOUND,
    )


def test_next_hop_type_without_next_hop_id(old, vpc):
    assert_error(
        lambda: old.CreateRouteEntry(RouteTableId=vpc["RouteTableId"], DestinationCidrBlock="192.168.0.0/24",
                                     NextHopType="Instance"),
        400, *missing("NextHopId"),
    )


def test_unknown_next_hop_type(old, vpc):
    assert_error(
        lambda: old.CreateRouteEntry(RouteTableId=vpc["RouteTableId"], DestinationCidrBlock="192.168.0.0/24",
                                     NextHopType="Teleporter", NextHopId="tp-1"),
        400, *INVALID_NEXT_HOP_TYPE,
    )


def test_neither_next_hop_nor_list(old, vpc):
    assert_error(
        lambda: old.CreateRouteEntry(RouteTableId=vpc["RouteTableId"], DestinationCidrBlock="192.168.0.0/24"),
        400, "InvalidNexthopTypeAndList.BothNull", "both nexthopType and nextHopList are null.",
    )


def test_both_next_hop_and_list(old, vpc):
    assert_error(
        lambda: old.CreateRouteEntry(RouteTableId=vpc["RouteTableId"], DestinationCidrBlock="192.168.0.0/24",
                                     NextHopType="RouterInterface", NextHopId="ri-1",
                                     NextHopLists=ri_hops("ri-2", "ri-3")),
        400, "InvalidNexthopTypeAndList.BothNotNull", "both nexthopType and nextHopList are not null.",
    )


@pytest.mark.parametrize("count", [1, 5])
def test_next_hop_list_size_is_2_to_4(old, vpc, count):
    assert_error(
        lambda: old.CreateRouteEntry(RouteTableId=vpc["RouteTableId"], DestinationCidrBlock="192.168.0.0/24",
                                     NextHopLists=ri_hops(*[f"ri-{i}" for i in range(count)])),
        400, "InvalidNexthopListSize", "nexthop size is illegal. Must be between 2 and 4.",
    )


def test_next_hop_list_of_unknown_router_interfaces(old, vpc):
    assert_error(
        lambda: old.CreateRouteEntry(RouteTableId=vpc["RouteTableId"], DestinationCidrBlock="192.168.0.0/24",
                                     NextHopLists=ri_hops("ri-1", "ri-2", Weight=50)),
        400, "InvalidRouterInterface", "invalid router interface.",
    )


def test_next_hop_list_only_takes_router_interfaces(old, vpc):
    hops = [dict(NextHopType="Instance", NextHopId="i-1"), dict(NextHopType="Instance", NextHopId="i-2")]
    assert_error(
        lambda: old.CreateRouteEntry(RouteTableId=vpc["RouteTableId"], DestinationCidrBlock="192.168.0.0/24",
                                     NextHopLists=hops),
        400, *INVALID_NEXT_HOP_TYPE,
    )


def test_next_hop_list_weight_out_of_range(old, vpc):
    assert_error(
        lambda: old.CreateRouteEntry(RouteTableId=vpc["RouteTableId"], DestinationCidrBlock="192.168.0.0/24",
                                     NextHopLists=ri_hops("ri-1", "ri-2", Weight=256)),
        400, "INVALID_WEIGHT_PARAM", "Specified value of weight invalid",
    )


# --- CreateRouteEntry: destinations ------------------------------------------------------------


@pytest.mark.parametrize("destination", ["100.64.0.0/10", "100.64.1.0/24", "100.127.255.255/32"])
def test_destination_in_the_cloud_service_range(old, vpc, destination):
    assert_error(
        lambda: old.CreateRouteEntry(RouteTableId=vpc["RouteTableId"], DestinationCidrBlock=destination,
                                     NextHopType="Instance", NextHopId="i-1"),
        400, *INVALID_CIDR,
    )


@pytest.mark.parametrize("destination", ["10.0.1.0/24", "10.0.0.0/16", "10.0.1.128/25", "10.0.1.7"])
def test_destination_may_not_overlap_a_vswitch(old, vpc, destination):
    create_vswitch(old, vpc["VpcId"], "10.0.1.0/24")
    custom = old.CreateRouteTable(VpcId=vpc["VpcId"])["RouteTableId"]
    for table in (vpc["RouteTableId"], custom):
        assert_error(
            lambda: old.CreateRouteEntry(RouteTableId=table, DestinationCidrBlock=destination,
                                         NextHopType="Instance", NextHopId="i-1"),
            400, *INVALID_CIDR,
        )


@pytest.mark.parametrize(
    "destination", ["192.168.0.0/24", "10.1.2.3", "0.0.0.0/0", "100.0.0.0/8", "2408:4004::/64", "2408:4004::1"]
)
def test_acceptable_destinations_reach_the_next_hop_check(old, vpc, destination):
    # seed 9.8: the destination "cannot be 100.64.0.0/10 or be included by 100.64.0.0/10" (a block
    # that contains it, like 0.0.0.0/0, is fine); an address without a mask is a /32 (/128) route;
    # IPv4 and IPv6 destinations are supported.
    assert_error(
        lambda: old.CreateRouteEntry(RouteTableId=vpc["RouteTableId"], DestinationCidrBlock=destination,
                                     NextHopType="Instance", NextHopId="i-1"),
        404, *INSTANCE_NOT_FOUND,
    )


@pytest.mark.parametrize("destination", ["garbage", "10.0.0.0/33", "300.1.1.0/24"])
def test_malformed_destination(old, vpc, destination):
    assert_error(
        lambda: old.CreateRouteEntry(RouteTableId=vpc["RouteTableId"], DestinationCidrBlock=destination,
                                     NextHopType="Instance", NextHopId="i-1"),
        400, *MALFORMED_CIDR,
    )


def test_create_route_entry_unknown_table_or_missing_parameters(old, vpc):
    assert_error(
        lambda: old.CreateRouteEntry(RouteTableId="vtb-doesnotexist", DestinationCidrBlock="192.168.0.0/24",
                                     NextHopType="Instance", NextHopId="i-1"),
        404, *TABLE_NOT_FOUND,
    )
    assert_error(
        lambda: old.CreateRouteEntry(RouteTableId=vpc["RouteTableId"], NextHopType="Instance", NextHopId="i-1"),
        400, *missing("DestinationCidrBlock"),
    )
    assert_error(
        lambda: old.CreateRouteEntry(DestinationCidrBlock="192.168.0.0/24", NextHopType="Instance",
                                     NextHopId="i-1"),
        400, *missing("RouteTableId"),
    )


# --- DeleteRouteEntry / ModifyRouteEntry --------------------------------------------------------


@pytest.mark.parametrize("destination", ["10.0.1.0/24", "100.64.0.0/10"])
def test_system_entries_cannot_be_deleted(old, vpc, destination):
    create_vswitch(old, vpc["VpcId"], "10.0.1.0/24")
    assert_error(
        lambda: old.DeleteRouteEntry(RouteTableId=vpc["RouteTableId"], DestinationCidrBlock=destination),
        400, *SYSTEM_DENIED,
    )


def test_delete_route_entry_that_does_not_exist(old, vpc):
    assert_error(
        lambda: old.DeleteRouteEntry(RouteTableId=vpc["RouteTableId"], DestinationCidrBlock="192.168.0.0/24"),
        404, *ENTRY_NOT_FOUND,
    )
    assert_error(
        lambda: old.DeleteRouteEntry(RouteTableId=vpc["RouteTableId"], DestinationCidrBlock="192.168.0.0/24",
                                     NextHopId="i-1"),
        404, *ENTRY_NOT_FOUND,
    )


def test_delete_route_entry_unknown_table_or_missing_parameters(old, vpc):
    assert_error(
        lambda: old.DeleteRouteEntry(RouteTableId="vtb-doesnotexist", DestinationCidrBlock="192.168.0.0/24"),
        404, *TABLE_NOT_FOUND,
    )
    assert_error(lambda: old.DeleteRouteEntry(RouteTableId=vpc["RouteTableId"]), 400,
                 *missing("DestinationCidrBlock"))


def test_modify_route_entry_that_does_not_exist(old, vpc):
    # ModifyRouteEntry documents only Forbidden; an unknown (or System) entry answers like
    # DeleteRouteEntry.
    create_vswitch(old, vpc["VpcId"], "10.0.1.0/24")
    system_id = old.DescribeRouteEntryList(RouteTableId=vpc["RouteTableId"])["RouteEntrys"]["RouteEntry"][0][
        "RouteEntryId"]
    for entry_id in ("rte-doesnotexist", system_id):
        assert_error(lambda: old.ModifyRouteEntry(RouteEntryId=entry_id, RouteEntryName="named"), 404,
                     *ENTRY_NOT_FOUND)


# --- DescribeRouteEntryList ---------------------------------------------------------------------


def test_describe_route_entry_list_response_shape(old, vpc):
    create_vswitch(old, vpc["VpcId"], "10.0.1.0/24")
    body = old.DescribeRouteEntryList(RouteTableId=vpc["RouteTableId"])
    assert body["RequestId"]
    assert body["NextToken"] == ""
    entries = {e["DestinationCidrBlock"]: e for e in body["RouteEntrys"]["RouteEntry"]}
    assert set(entries) == {"10.0.1.0/24", "100.64.0.0/10"}
    for entry in entries.values():
        assert entry["RouteEntryId"].startswith("rte-")
        assert entry["RouteTableId"] == vpc["RouteTableId"]
        assert entry["Type"] == "System" and entry["Status"] == "Available"
        assert entry["IpVersion"] == "IPv4"
        [hop] = entry["NextHops"]["NextHop"]
        assert isinstance(hop["NextHopRelatedInfo"], dict)
        assert isinstance(hop["Enabled"], int) and isinstance(hop["Weight"], int)
    # Entry ids are stable.
    again = old.DescribeRouteEntryList(RouteTableId=vpc["RouteTableId"])["RouteEntrys"]["RouteEntry"]
    assert sorted(e["RouteEntryId"] for e in again) == sorted(e["RouteEntryId"] for e in entries.values())


def test_system_entries_follow_the_vswitches(old, vpc):
    a = create_vswitch(old, vpc["VpcId"], "10.0.1.0/24")
    create_vswitch(old, vpc["VpcId"], "10.0.2.0/24")

    def destinations():
        entries = old.DescribeRouteEntryList(RouteTableId=vpc["RouteTableId"])["RouteEntrys"]["RouteEntry"]
        return sorted(e["DestinationCidrBlock"] for e in entries)

    assert destinations() == ["10.0.1.0/24", "10.0.2.0/24", "100.64.0.0/10"]
    old.DeleteVSwitch(VSwitchId=a)
    assert destinations() == ["10.0.2.0/24", "100.64.0.0/10"]


def test_describe_route_entry_list_filters(old, vpc):
    create_vswitch(old, vpc["VpcId"], "10.0.1.0/24")
    create_vswitch(old, vpc["VpcId"], "10.0.2.0/24")
    table = vpc["RouteTableId"]

    def destinations(**filters):
        entries = old.DescribeRouteEntryList(RouteTableId=table, **filters)["RouteEntrys"]["RouteEntry"]
        return sorted(e["DestinationCidrBlock"] for e in entries)

    everything = ["10.0.1.0/24", "10.0.2.0/24", "100.64.0.0/10"]
    assert destinations() == everything
    assert destinations(RouteEntryType="System") == everything
    assert destinations(RouteEntryType="Custom") == []
    assert destinations(DestinationCidrBlock="10.0.2.0/24") == ["10.0.2.0/24"]
    assert destinations(DestinationCidrBlock="10.9.0.0/24") == []
    assert destinations(IpVersion="IPv4") == everything
    assert destinations(IpVersion="IPv6") == []
    assert destinations(NextHopType="Instance") == []
    assert destinations(RouteEntryName="nothing-named-so") == []
    some = old.DescribeRouteEntryList(RouteTableId=table, DestinationCidrBlock="10.0.1.0/24")
    entry_id = some["RouteEntrys"]["RouteEntry"][0]["RouteEntryId"]
    assert destinations(RouteEntryId=entry_id) == ["10.0.1.0/24"]


def test_describe_route_entry_list_paging(old, vpc):
    # 24 vSwitches give 24 System entries plus the cloud-service route: 25 entries.
    for i in range(24):
        create_vswitch(old, vpc["VpcId"], f"10.{i}.0.0/24")
    table = vpc["RouteTableId"]
    first = old.DescribeRouteEntryList(RouteTableId=table, MaxResult=20)
    assert len(first["RouteEntrys"]["RouteEntry"]) == 20 and first["NextToken"]
    second = old.DescribeRouteEntryList(RouteTableId=table, MaxResult=20, NextToken=first["NextToken"])
    assert len(second["RouteEntrys"]["RouteEntry"]) == 5 and second["NextToken"] == ""
    seen = [e["RouteEntryId"] for b in (first, second) for e in b["RouteEntrys"]["RouteEntry"]]
    assert len(set(seen)) == 25
    # The default page (50) holds them all.
    whole = old.DescribeRouteEntryList(RouteTableId=table)
    assert len(whole["RouteEntrys"]["RouteEntry"]) == 25 and whole["NextToken"] == ""


@pytest.mark.parametrize("max_result", [19, 101])
def test_describe_route_entry_list_max_result_is_20_to_100(old, vpc, max_result):
    assert_error(lambda: old.DescribeRouteEntryList(RouteTableId=vpc["RouteTableId"], MaxResult=max_result), 400)


def test_describe_route_entry_list_unknown_table(old):
    assert_error(lambda: old.DescribeRouteEntryList(RouteTableId="vtb-doesnotexist"), 404, *TABLE_NOT_FOUND)


# --- Tea SDK ------------------------------------------------------------------------------------


def test_route_entries_through_tea_v3(tea, old, vpc):
    create_vswitch(old, vpc["VpcId"], "10.0.1.0/24")
    body = tea.describe_route_entry_list(
        m.DescribeRouteEntryListRequest(region_id=REGION, route_table_id=vpc["RouteTableId"],
                                        route_entry_type="System")
    ).body
    entries = body.route_entrys.route_entry
    assert sorted(e.destination_cidr_block for e in entries) == ["10.0.1.0/24", "100.64.0.0/10"]
    assert all(e.type == "System" and e.ip_version == "IPv4" for e in entries)
    assert all(len(e.next_hops.next_hop) == 1 for e in entries)

    hops = [m.CreateRouteEntryRequestNextHopList(next_hop_type="RouterInterface", next_hop_id="ri-1")]
    assert_error(
        lambda: tea.create_route_entry(m.CreateRouteEntryRequest(
            region_id=REGION, route_table_id=vpc["RouteTableId"], destination_cidr_block="192.168.0.0/24",
            next_hop_list=hops)),
        400, "InvalidNexthopListSize", "nexthop size is illegal. Must be between 2 and 4.",
    )
    assert_error(
        lambda: tea.create_route_entry(m.CreateRouteEntryRequest(
            region_id=REGION, route_table_id=vpc["RouteTableId"], destination_cidr_block="192.168.0.0/24",
            next_hop_type="Instance", next_hop_id="i-doesnotexist")),
        404, *INSTANCE_NOT_FOUND,
    )
    assert_error(
        lambda: tea.delete_route_entry(m.DeleteRouteEntryRequest(
            region_id=REGION, route_table_id=vpc["RouteTableId"], destination_cidr_block="10.0.1.0/24")),
        400, *SYSTEM_DENIED,
    )
    assert_error(
        lambda: tea.modify_route_entry(m.ModifyRouteEntryRequest(
            region_id=REGION, route_entry_id="rte-doesnotexist", route_entry_name="abc")),
        404, *ENTRY_NOT_FOUND,
    )


def test_route_entries_through_tea_v1(tea_v1, vpc):
    body = tea_v1.describe_route_entry_list(
        m.DescribeRouteEntryListRequest(region_id=REGION, route_table_id=vpc["RouteTableId"], max_result=20)
    ).body
    assert [e.destination_cidr_block for e in body.route_entrys.route_entry] == ["100.64.0.0/10"]
    assert body.next_token == ""
    assert_error(
        lambda: tea_v1.create_route_entry(m.CreateRouteEntryRequest(
            region_id=REGION, route_table_id=vpc["RouteTableId"], destination_cidr_block="192.168.0.0/24")),
        400, "InvalidNexthopTypeAndList.BothNull", "both nexthopType and nextHopList are null.",
    )
