"""Custom route entries, with HaVips as next hops (seed 004 chapter 9.8-9.11, and the rules of
CreateVSwitch / DeleteVSwitch / DeleteVpc about route entries, chapters 6-7): creating, showing,
filtering and paging them, the per-HaVip and per-table limits, the dependencies they create, and
their Pending state on the server with a transition delay."""

from types import SimpleNamespace

import pytest
from alibabacloud_vpc20160428 import models as m

from conftest import TRANSITION_DELAY_SECONDS as DELAY
from helpers import ENTRY_NOT_FOUND, REGION, SYSTEM_DENIED, assert_error, create_havip, create_vpc, create_vswitch, free_addresses

ENTRY_DUPLICATE = ("InvalidRouteEntry.Duplicate", "The route entry already exist.")
CIDR_DUPLICATE = ("InvalidCIDRBlock.Duplicate", "Specified CIDR block is already exists.")
HAVIP_LIMIT = ("CountLimitExceed.HaVipRouteEntry", "There can be 5 route entry to HaVip at most in one route table.")
QUOTA = ("QuotaExceeded", "Route entry quota exceeded in this route table.")
VPC_MISMATCH = ("INVALID_VPC_ID", "The Specified VpcId not match.")
HAVIP_NOT_FOUND = ("InvalidHaVipId.NotFound", "The specified HaVip does not exist in the specified VPC.")
OVERLAPS_ENTRY = ("InvalidCidrBlock.Overlapped", "Specified CIDR block overlapped with other entry.")
ROUTE_DEPENDENCY = ("DependencyViolation.RouteEntry", "Specified object has dependent resources")
HAVIP_DEPENDENCY = ("DependencyViolation.HaVip",
                    "VSwitch cannot be deleted when there are some HaVip dependent with it.")
STATUS_BLOCKED = ("IncorrectRouteEntryStatus", "Some route entry status blocked this operation.")
STATUS_ERROR = ("IncorrectRouteEntryStatus", "Specified routeEntry status error.")
NOT_MATCH = ("IdempotenceParamNotMatch",
             "Request uses a client token in a previous request but is not identical to that request.")
USABLE_IN_A_24 = 252


def make_net(old):
    """A VPC 10.0.0.0/8 with a vSwitch 10.0.1.0/24 holding one HaVip."""
    vpc = create_vpc(old, "10.0.0.0/8")
    vsw = create_vswitch(old, vpc["VpcId"], "10.0.1.0/24")
    return SimpleNamespace(vpc_id=vpc["VpcId"], table=vpc["RouteTableId"], vsw=vsw, havip=create_havip(old, vsw))


@pytest.fixture
def net(old):
    return make_net(old)


def route(old, table, destination, havip, **params):
    """CreateRouteEntry to a HaVip; returns the response."""
    return old.CreateRouteEntry(RouteTableId=table, DestinationCidrBlock=destination, NextHopType="HaVip",
                                NextHopId=havip, **params)


def entries(old, table, **filters):
    """DescribeRouteEntryList items (one page of up to 100)."""
    body = old.DescribeRouteEntryList(RouteTableId=table, MaxResult=100, **filters)
    return body["RouteEntrys"]["RouteEntry"]


def destinations(old, table, **filters):
    return sorted(e["DestinationCidrBlock"] for e in entries(old, table, **filters))


def table_entries(old, table):
    """The RouteEntry items DescribeRouteTables shows for a table."""
    [item] = old.DescribeRouteTables(RouteTableId=table)["RouteTables"]["RouteTable"]
    return item["RouteEntrys"]["RouteEntry"]


def more_havips(old, net, count):
    return [create_havip(old, net.vsw) for _ in range(count)]


# --- CreateRouteEntry: the entry and how it is shown --------------------------------------------


@pytest.mark.parametrize("destination", ["0.0.0.0/0", "192.168.0.0/24", "172.16.0.0/12", "10.2.0.0/16",
                                         "8.8.8.8"])
def test_route_to_a_ha_vip(old, net, destination):
    created = route(old, net.table, destination, net.havip)
    assert created["RequestId"] and created["RouteEntryId"].startswith("rte-")

    [entry] = entries(old, net.table, RouteEntryType="Custom")
    assert entry["RouteEntryId"] == created["RouteEntryId"]
    assert entry["RouteTableId"] == net.table
    # Shown as given (a bare address is not rewritten to a /32).
    assert entry["DestinationCidrBlock"] == destination
    assert entry["Type"] == "Custom" and entry["Status"] == "Available" and entry["IpVersion"] == "IPv4"
    [hop] = entry["NextHops"]["NextHop"]
    assert hop["NextHopType"] == "HaVip" and hop["NextHopId"] == net.havip
    assert hop["Enabled"] == 1 and hop["NextHopRegionId"] == REGION

    [shown] = [e for e in table_entries(old, net.table) if e["Type"] == "Custom"]
    assert shown["RouteEntryId"] == created["RouteEntryId"]
    assert shown["DestinationCidrBlock"] == destination
    assert shown["NextHopType"] == "HaVip" and shown["InstanceId"] == net.havip
    assert shown["Status"] == "Available" and shown["RouteTableId"] == net.table
    # The System entries are still there.
    assert sorted(e["DestinationCidrBlock"] for e in table_entries(old, net.table) if e["Type"] == "System") == [
        "10.0.1.0/24", "100.64.0.0/10"]


@pytest.mark.parametrize("first,second", [("192.168.0.0/24", "192.168.0.0/24"), ("172.16.5.7", "172.16.5.7/32")])
def test_same_destination_twice(old, net, first, second):
    # A bare address is a host route: 172.16.5.7 and 172.16.5.7/32 are the same destination.
    route(old, net.table, first, net.havip)
    other = create_havip(old, net.vsw)
    assert_error(lambda: route(old, net.table, second, net.havip), 400, *ENTRY_DUPLICATE)
    assert_error(lambda: route(old, net.table, second, other), 400, *CIDR_DUPLICATE)
    assert destinations(old, net.table, RouteEntryType="Custom") == [first]
    assert [e["DestinationCidrBlock"] for e in entries(old, net.table, DestinationCidrBlock=second)] == [first]


def test_a_host_route_is_not_its_network(old, net):
    route(old, net.table, "172.16.5.7", net.havip)
    route(old, net.table, "172.16.5.0/24", net.havip)
    route(old, net.table, "172.16.5.8", net.havip)
    assert destinations(old, net.table, RouteEntryType="Custom") == ["172.16.5.0/24", "172.16.5.7", "172.16.5.8"]


def test_at_most_5_routes_to_one_ha_vip_in_one_table(old, net):
    for i in range(5):
        route(old, net.table, f"192.168.{i}.0/24", net.havip)
    assert_error(lambda: route(old, net.table, "192.168.5.0/24", net.havip), 400, *HAVIP_LIMIT)
    # Another HaVip still takes routes in that table...
    [other] = more_havips(old, net, 1)
    route(old, net.table, "192.168.5.0/24", other)
    # ...and the same HaVip takes 5 in another table.
    custom = old.CreateRouteTable(VpcId=net.vpc_id)["RouteTableId"]
    for i in range(5):
        route(old, custom, f"192.168.{i}.0/24", net.havip)
    assert_error(lambda: route(old, custom, "192.168.5.0/24", net.havip), 400, *HAVIP_LIMIT)
    assert len(entries(old, net.table, RouteEntryType="Custom")) == 6
    assert len(entries(old, custom, RouteEntryType="Custom")) == 5
    # Deleting one of its routes makes room again.
    old.DeleteRouteEntry(RouteTableId=net.table, DestinationCidrBlock="192.168.0.0/24")
    route(old, net.table, "192.168.6.0/24", net.havip)


def test_at_most_48_custom_entries_in_a_table(old, net):
    havips = [net.havip, *more_havips(old, net, 9)]  # 10 HaVips x 5 routes: the table quota binds first
    for i in range(48):
        route(old, net.table, f"172.16.{i}.0/24", havips[i // 5])
    assert_error(lambda: route(old, net.table, "172.16.48.0/24", havips[9]), 400, *QUOTA)
    assert len(entries(old, net.table, RouteEntryType="Custom")) == 48
    old.DeleteRouteEntry(RouteTableId=net.table, DestinationCidrBlock="172.16.0.0/24")
    route(old, net.table, "172.16.48.0/24", havips[9])
    assert len(entries(old, net.table, RouteEntryType="Custom")) == 48


def test_ha_vip_of_another_vpc(old, net):
    other = make_net(old)
    assert_error(lambda: route(old, net.table, "192.168.0.0/24", other.havip), 400, *VPC_MISMATCH)
    assert entries(old, net.table, RouteEntryType="Custom") == []


def test_ha_vip_that_does_not_exist(old, net):
    assert_error(lambda: route(old, net.table, "192.168.0.0/24", "havip-doesnotexist"), 404, *HAVIP_NOT_FOUND)
    [gone] = more_havips(old, net, 1)
    old.DeleteHaVip(HaVipId=gone)
    assert_error(lambda: route(old, net.table, "192.168.0.0/24", gone), 404, *HAVIP_NOT_FOUND)
    # A HaVip is not an instance: the type decides which kind of next hop is looked up.
    assert_error(
        lambda: old.CreateRouteEntry(RouteTableId=net.table, DestinationCidrBlock="192.168.0.0/24",
                                     NextHopType="Instance", NextHopId=net.havip),
        404, "InvalidInstanId.NotFound", "Specified instance does not exist.",
    )
    assert entries(old, net.table, RouteEntryType="Custom") == []


def test_create_route_entry_retry_with_client_token(old, net):
    params = dict(RouteTableId=net.table, DestinationCidrBlock="192.168.0.0/24", NextHopType="HaVip",
                  NextHopId=net.havip, ClientToken="token-rte")
    first = old.CreateRouteEntry(**params)["RouteEntryId"]
    # Without the token the retry would be a duplicate.
    assert old.CreateRouteEntry(**params)["RouteEntryId"] == first
    assert [e["RouteEntryId"] for e in entries(old, net.table, RouteEntryType="Custom")] == [first]
    assert_error(lambda: old.CreateRouteEntry(**{**params, "DestinationCidrBlock": "192.168.1.0/24"}),
                 400, *NOT_MATCH)
    assert len(entries(old, net.table, RouteEntryType="Custom")) == 1


# --- DescribeRouteEntryList ---------------------------------------------------------------------


def test_describe_route_entry_list_filters_custom_entries(old, net):
    [other] = more_havips(old, net, 1)
    one = route(old, net.table, "192.168.0.0/24", net.havip, RouteEntryName="to-first")["RouteEntryId"]
    route(old, net.table, "192.168.1.0/24", net.havip)
    route(old, net.table, "0.0.0.0/0", other)
    custom = ["0.0.0.0/0", "192.168.0.0/24", "192.168.1.0/24"]
    system = ["10.0.1.0/24", "100.64.0.0/10"]

    assert destinations(old, net.table) == sorted(custom + system)
    assert destinations(old, net.table, RouteEntryType="Custom") == custom
    assert destinations(old, net.table, RouteEntryType="System") == system
    assert destinations(old, net.table, NextHopId=net.havip) == ["192.168.0.0/24", "192.168.1.0/24"]
    assert destinations(old, net.table, NextHopId=other) == ["0.0.0.0/0"]
    assert destinations(old, net.table, NextHopType="HaVip") == custom
    assert destinations(old, net.table, NextHopType="Instance") == []
    assert destinations(old, net.table, DestinationCidrBlock="192.168.1.0/24") == ["192.168.1.0/24"]
    assert destinations(old, net.table, DestinationCidrBlock="0.0.0.0/0") == ["0.0.0.0/0"]
    assert destinations(old, net.table, RouteEntryId=one) == ["192.168.0.0/24"]
    assert destinations(old, net.table, RouteEntryName="to-first") == ["192.168.0.0/24"]
    assert destinations(old, net.table, NextHopId=other, DestinationCidrBlock="192.168.0.0/24") == []
    assert destinations(old, net.table, RouteEntryType="System", NextHopId=net.havip) == []
    assert [e["RouteEntryName"] for e in entries(old, net.table, RouteEntryId=one)] == ["to-first"]


def test_describe_route_entry_list_pages_over_custom_entries(old, net):
    havips = [net.havip, *more_havips(old, net, 4)]
    for i in range(25):
        route(old, net.table, f"172.16.{i}.0/24", havips[i // 5])
    # 25 custom entries, plus the vSwitch's System entry and the cloud-service route.

    def pages(max_result, **filters):
        out, token = [], None
        while True:
            params = dict(filters, MaxResult=max_result, **({"NextToken": token} if token else {}))
            body = old.DescribeRouteEntryList(RouteTableId=net.table, **params)
            out.append([e["RouteEntryId"] for e in body["RouteEntrys"]["RouteEntry"]])
            token = body["NextToken"]
            if not token:
                return out

    every = pages(20)
    assert [len(p) for p in every] == [20, 7]
    assert len({i for p in every for i in p}) == 27
    custom = pages(20, RouteEntryType="Custom")
    assert [len(p) for p in custom] == [20, 5]
    custom_ids = {e["RouteEntryId"] for e in entries(old, net.table, RouteEntryType="Custom")}
    assert {i for p in custom for i in p} == custom_ids
    assert [len(p) for p in pages(25, RouteEntryType="Custom")] == [25]
    assert [len(p) for p in pages(100)] == [27]
    assert [len(p) for p in pages(50)] == [27]
    # MaxResult is 20 to 100, with or without a token.
    first = old.DescribeRouteEntryList(RouteTableId=net.table, MaxResult=20)
    for bad in (19, 101):
        assert_error(lambda: old.DescribeRouteEntryList(RouteTableId=net.table, MaxResult=bad), 400)
        assert_error(lambda: old.DescribeRouteEntryList(RouteTableId=net.table, MaxResult=bad,
                                                        NextToken=first["NextToken"]), 400)


# --- CreateVSwitch against route destinations ---------------------------------------------------


@pytest.mark.parametrize("destination", [
    "10.5.0.0/24",
    "10.5.0.1/24",
])
def test_a_vswitch_block_may_not_equal_a_route_destination(old, net, destination):
    # 9.8's example destination 192.168.0.1/24 is written with host bits: it is 192.168.0.0/24.
    route(old, net.table, destination, net.havip)
    assert_error(lambda: create_vswitch(old, net.vpc_id, "10.5.0.0/24"), 400, *OVERLAPS_ENTRY)
    assert old.DescribeVSwitches(VpcId=net.vpc_id)["TotalCount"] == 1


def test_a_vswitch_block_may_be_inside_a_route_destination(old, net):
    # Chapter 7.4: the block "can be the subnet of the destination CIDR block".
    route(old, net.table, "10.5.0.0/16", net.havip)
    route(old, net.table, "0.0.0.0/0", net.havip)
    vsw = create_vswitch(old, net.vpc_id, "10.5.1.0/24")
    assert old.DescribeVSwitchAttributes(VSwitchId=vsw)["CidrBlock"] == "10.5.1.0/24"


def test_a_route_in_a_custom_table_also_reserves_its_destination(old, net):
    custom = old.CreateRouteTable(VpcId=net.vpc_id)["RouteTableId"]
    route(old, custom, "10.6.0.0/24", net.havip)
    assert_error(lambda: create_vswitch(old, net.vpc_id, "10.6.0.0/24"), 400, *OVERLAPS_ENTRY)


# --- Dependencies -------------------------------------------------------------------------------


@pytest.mark.parametrize("custom_table", [False, True])
def test_deleting_everything_in_order(old, net, custom_table):
    table = old.CreateRouteTable(VpcId=net.vpc_id)["RouteTableId"] if custom_table else net.table
    route(old, table, "0.0.0.0/0", net.havip)
    assert free_addresses(old, net.vsw) == USABLE_IN_A_24 - 1

    assert_error(lambda: old.DeleteVpc(VpcId=net.vpc_id), 400, *ROUTE_DEPENDENCY)
    assert_error(lambda: old.DeleteVSwitch(VSwitchId=net.vsw), 400, *HAVIP_DEPENDENCY)
    assert_error(lambda: old.DeleteHaVip(HaVipId=net.havip), 400, ROUTE_DEPENDENCY[0])
    assert old.DescribeHaVips()["TotalCount"] == 1

    old.DeleteRouteEntry(RouteTableId=table, DestinationCidrBlock="0.0.0.0/0", NextHopId=net.havip)
    assert entries(old, table, RouteEntryType="Custom") == []
    old.DeleteHaVip(HaVipId=net.havip)
    assert free_addresses(old, net.vsw) == USABLE_IN_A_24
    old.DeleteVSwitch(VSwitchId=net.vsw)
    old.DeleteVpc(VpcId=net.vpc_id)
    assert old.DescribeVpcs()["TotalCount"] == 0
    assert old.DescribeHaVips()["TotalCount"] == 0


# --- DeleteRouteEntry / ModifyRouteEntry --------------------------------------------------------


def test_delete_route_entry(old, net):
    [other] = more_havips(old, net, 1)
    route(old, net.table, "192.168.0.0/24", net.havip)
    route(old, net.table, "192.168.1.0/24", net.havip)
    route(old, net.table, "8.8.8.8", other)

    # By destination alone.
    old.DeleteRouteEntry(RouteTableId=net.table, DestinationCidrBlock="192.168.0.0/24")
    # By destination and next hop: another next hop does not match.
    assert_error(lambda: old.DeleteRouteEntry(RouteTableId=net.table, DestinationCidrBlock="192.168.1.0/24",
                                              NextHopId=other), 404, *ENTRY_NOT_FOUND)
    old.DeleteRouteEntry(RouteTableId=net.table, DestinationCidrBlock="192.168.1.0/24", NextHopId=net.havip)
    assert destinations(old, net.table, RouteEntryType="Custom") == ["8.8.8.8"]
    # Gone entries, and System ones.
    assert_error(lambda: old.DeleteRouteEntry(RouteTableId=net.table, DestinationCidrBlock="192.168.0.0/24"),
                 404, *ENTRY_NOT_FOUND)
    for system in ("10.0.1.0/24", "100.64.0.0/10"):
        assert_error(lambda: old.DeleteRouteEntry(RouteTableId=net.table, DestinationCidrBlock=system),
                     400, *SYSTEM_DENIED)
    # A host route is deleted by its address.
    old.DeleteRouteEntry(RouteTableId=net.table, DestinationCidrBlock="8.8.8.8", NextHopId=other)
    assert entries(old, net.table, RouteEntryType="Custom") == []


def test_modify_route_entry_renames_it(old, net):
    entry_id = route(old, net.table, "0.0.0.0/0", net.havip)["RouteEntryId"]
    assert entries(old, net.table, RouteEntryId=entry_id)[0]["RouteEntryName"] == ""
    old.ModifyRouteEntry(RouteEntryId=entry_id, RouteEntryName="default-route")
    assert entries(old, net.table, RouteEntryId=entry_id)[0]["RouteEntryName"] == "default-route"
    assert destinations(old, net.table, RouteEntryName="default-route") == ["0.0.0.0/0"]
    [shown] = [e for e in table_entries(old, net.table) if e["RouteEntryId"] == entry_id]
    assert shown["RouteEntryName"] == "default-route"
    for name in ("ab", "r" * 128, "路由", "Route_1.b-c"):
        old.ModifyRouteEntry(RouteEntryId=entry_id, RouteEntryName=name)
        assert entries(old, net.table, RouteEntryId=entry_id)[0]["RouteEntryName"] == name


@pytest.mark.parametrize("name", ["a", "r" * 129, "1route", "_route", "http://route", "https://route"])
def test_modify_route_entry_name_format(old, net, name):
    # 2 to 128 characters, starting with a letter (or a Chinese character), not with http(s)://.
    entry_id = route(old, net.table, "0.0.0.0/0", net.havip, RouteEntryName="kept")["RouteEntryId"]
    assert_error(lambda: old.ModifyRouteEntry(RouteEntryId=entry_id, RouteEntryName=name), 400)
    assert entries(old, net.table, RouteEntryId=entry_id)[0]["RouteEntryName"] == "kept"


# --- Transitions (server with --transition-delay) ----------------------------------------------


def delayed_net(old, delayed, vswitches=1):
    """make_net on the delayed server, waiting for each resource to settle."""
    vpc = create_vpc(old, "10.0.0.0/8")
    delayed.advance(DELAY)
    vsws = []
    for i in range(1, vswitches + 1):
        vsws.append(create_vswitch(old, vpc["VpcId"], f"10.0.{i}.0/24"))
        delayed.advance(DELAY)
    havip = create_havip(old, vsws[0])
    delayed.advance(DELAY)
    return SimpleNamespace(vpc_id=vpc["VpcId"], table=vpc["RouteTableId"], vsws=vsws, havip=havip)


def test_a_new_route_entry_is_pending_and_blocks_the_table(old_delayed, delayed):
    old = old_delayed
    net = delayed_net(old, delayed)
    entry_id = route(old, net.table, "192.168.0.0/24", net.havip)["RouteEntryId"]
    assert entries(old, net.table, RouteEntryId=entry_id)[0]["Status"] == "Pending"
    assert [e["Status"] for e in table_entries(old, net.table) if e["Type"] == "Custom"] == ["Pending"]

    assert_error(lambda: route(old, net.table, "192.168.1.0/24", net.havip), 400, *STATUS_BLOCKED)
    assert_error(lambda: old.DeleteRouteEntry(RouteTableId=net.table, DestinationCidrBlock="192.168.0.0/24"),
                 400, *STATUS_ERROR)
    assert_error(lambda: create_vswitch(old, net.vpc_id, "10.0.9.0/24"), 400, *STATUS_BLOCKED)

    delayed.advance(DELAY - 1)
    assert entries(old, net.table, RouteEntryId=entry_id)[0]["Status"] == "Pending"
    delayed.advance(1)
    assert entries(old, net.table, RouteEntryId=entry_id)[0]["Status"] == "Available"
    old.DeleteRouteEntry(RouteTableId=net.table, DestinationCidrBlock="192.168.0.0/24")
    route(old, net.table, "192.168.1.0/24", net.havip)
    delayed.advance(DELAY)
    assert create_vswitch(old, net.vpc_id, "10.0.9.0/24")
    assert destinations(old, net.table, RouteEntryType="Custom") == ["192.168.1.0/24"]


def test_a_pending_route_entry_blocks_deleting_a_vswitch(old_delayed, delayed):
    # Chapter 7.5: "A VSwitch cannot be deleted when the VPC to which it belongs is creating or
    # deleting a VSwitch or route entry."
    old = old_delayed
    net = delayed_net(old, delayed, vswitches=2)
    route(old, net.table, "192.168.0.0/24", net.havip)
    assert_error(lambda: old.DeleteVSwitch(VSwitchId=net.vsws[1]), 400, *STATUS_BLOCKED)
    delayed.advance(DELAY)
    old.DeleteVSwitch(VSwitchId=net.vsws[1])


def pending_vswitch(old, delayed):
    """A delayed net with an Available route 192.168.0.0/24 to its HaVip, then a new vSwitch still
    Pending (it adds a Pending System entry to the tables of its VPC)."""
    net = delayed_net(old, delayed)
    route(old, net.table, "192.168.0.0/24", net.havip)
    delayed.advance(DELAY)
    create_vswitch(old, net.vpc_id, "10.0.2.0/24")
    assert "Pending" in [e["Status"] for e in entries(old, net.table, RouteEntryType="System")]
    return net


def test_a_pending_vswitch_blocks_deleting_route_entries(old_delayed, delayed):
    # 9.9: "You cannot delete a route entry from a VPC that is creating or deleting a VSwitch or
    # route entry."
    old = old_delayed
    net = pending_vswitch(old, delayed)
    assert_error(lambda: old.DeleteRouteEntry(RouteTableId=net.table, DestinationCidrBlock="192.168.0.0/24"),
                 400, STATUS_BLOCKED[0])
    delayed.advance(DELAY)
    old.DeleteRouteEntry(RouteTableId=net.table, DestinationCidrBlock="192.168.0.0/24")


def test_a_pending_vswitch_blocks_creating_route_entries(old_delayed, delayed):
    # 9.8: IncorrectRouteEntryStatus "Some route entry status blocked this operation." when "the
    # route table includes entries in the Pending or Modifying status" - the new vSwitch's System
    # entry is one.
    old = old_delayed
    net = pending_vswitch(old, delayed)
    assert_error(lambda: route(old, net.table, "192.168.1.0/24", net.havip), 400, *STATUS_BLOCKED)
    delayed.advance(DELAY)
    route(old, net.table, "192.168.1.0/24", net.havip)


# --- Tea SDK ------------------------------------------------------------------------------------


@pytest.mark.parametrize("client_fixture", ["tea", "tea_v1"])
def test_routes_to_ha_vips_through_tea(request, old, net, client_fixture):
    client = request.getfixturevalue(client_fixture)
    created = client.create_route_entry(m.CreateRouteEntryRequest(
        region_id=REGION, route_table_id=net.table, destination_cidr_block="0.0.0.0/0",
        next_hop_type="HaVip", next_hop_id=net.havip)).body
    assert created.route_entry_id.startswith("rte-")

    listed = client.describe_route_entry_list(m.DescribeRouteEntryListRequest(
        region_id=REGION, route_table_id=net.table, next_hop_id=net.havip)).body
    [entry] = listed.route_entrys.route_entry
    assert entry.route_entry_id == created.route_entry_id and entry.type == "Custom"
    assert [(h.next_hop_type, h.next_hop_id) for h in entry.next_hops.next_hop] == [("HaVip", net.havip)]

    [table] = client.describe_route_tables(m.DescribeRouteTablesRequest(
        region_id=REGION, route_table_id=net.table)).body.route_tables.route_table
    [shown] = [e for e in table.route_entrys.route_entry if e.type == "Custom"]
    assert (shown.next_hop_type, shown.instance_id) == ("HaVip", net.havip)

    client.modify_route_entry(m.ModifyRouteEntryRequest(region_id=REGION, route_entry_id=created.route_entry_id,
                                                        route_entry_name="via-tea"))
    assert entries(old, net.table, RouteEntryId=created.route_entry_id)[0]["RouteEntryName"] == "via-tea"
    assert_error(
        lambda: client.create_route_entry(m.CreateRouteEntryRequest(
            region_id=REGION, route_table_id=net.table, destination_cidr_block="0.0.0.0/0",
            next_hop_type="HaVip", next_hop_id=net.havip)),
        400, *ENTRY_DUPLICATE,
    )
    client.delete_route_entry(m.DeleteRouteEntryRequest(
        region_id=REGION, route_table_id=net.table, destination_cidr_block="0.0.0.0/0", next_hop_id=net.havip))
    assert entries(old, net.table, RouteEntryType="Custom") == []


def test_a_creating_havip_takes_no_route(old_delayed, delayed):
    old = old_delayed
    vpc = create_vpc(old, "10.0.0.0/8")
    delayed.advance(DELAY)
    vsw = create_vswitch(old, vpc["VpcId"], "10.0.1.0/24")
    delayed.advance(DELAY)
    havip = create_havip(old, vsw)
    assert_error(lambda: route(old, vpc["RouteTableId"], "192.168.0.0/24", havip), 400, "IncorrectHaVipStatus",
                 "This operation is denied because satus of the specified HaVip is neither Available nor InUse.")
    delayed.advance(DELAY)
    route(old, vpc["RouteTableId"], "192.168.0.0/24", havip)


def test_an_entry_is_not_deleted_while_another_is_pending(old_delayed, delayed):
    old = old_delayed
    net = delayed_net(old, delayed)
    route(old, net.table, "192.168.0.0/24", net.havip)
    delayed.advance(DELAY)
    route(old, net.table, "192.168.1.0/24", net.havip)
    assert_error(lambda: old.DeleteRouteEntry(RouteTableId=net.table, DestinationCidrBlock="192.168.0.0/24"),
                 400, "IncorrectRouteEntryStatus", "Vpc NotStable route entry.")
    delayed.advance(DELAY)
    old.DeleteRouteEntry(RouteTableId=net.table, DestinationCidrBlock="192.168.0.0/24")


def test_no_entry_is_deleted_while_the_vpc_is_pending(old_delayed, delayed):
    old = old_delayed
    vpc = create_vpc(old, "10.0.0.0/8")
    assert_error(lambda: old.DeleteRouteEntry(RouteTableId=vpc["RouteTableId"], DestinationCidrBlock="192.168.0.0/24"),
                 400, "IncorrectVpcStatus", "Current VPC status does not support this operation.")
    delayed.advance(DELAY)
    assert_error(lambda: old.DeleteRouteEntry(RouteTableId=vpc["RouteTableId"], DestinationCidrBlock="192.168.0.0/24"),
                 404, *ENTRY_NOT_FOUND)
