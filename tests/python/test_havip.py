"""High-availability virtual IPs (CreateHaVip, DeleteHaVip, DescribeHaVips). The seeds only name
these actions; a HaVip takes a private address of its vSwitch (the first address and the last
three of the block are reserved, seed 004 chapter 7.4) and blocks deleting that vSwitch
(DependencyViolation.HaVip, chapter 7.5). The address errors are the emulator's choice.
Routes to HaVips are in test_route_entry_havip.py."""

import pytest
from alibabacloud_vpc20160428 import models as m

from helpers import REGION, assert_error, create_havip, create_vpc, create_vswitch, free_addresses

HAVIP_NOT_FOUND = ("InvalidHaVipId.NotFound", "The specified HaVip does not exist in the specified VPC.")
NOT_IN_VSWITCH = ("InvalidIpAddress.NotInVSwitch",
                  "The specified IpAddress is not in the CIDR block of the VSwitch.")
ALREADY_USED = ("InvalidIpAddress.AlreadyUsed", "The specified IpAddress is already in use.")
HAVIP_DEPENDENCY = ("DependencyViolation.HaVip",
                    "VSwitch cannot be deleted when there are some HaVip dependent with it.")
FILTER_KEY = ("InvalidFilterKey.ValueNotSupported", "Specified filter key is not supported: Filter.X.key")
# A /24 has 256 addresses, 4 of them reserved.
USABLE_IN_A_24 = 252


@pytest.fixture
def vpc(old):
    return create_vpc(old, "10.0.0.0/8")


@pytest.fixture
def vsw(old, vpc):
    return create_vswitch(old, vpc["VpcId"], "10.0.1.0/24")


def havips(old, **params):
    return old.DescribeHaVips(**params)["HaVips"]["HaVip"]


def havip_ids(old, *filters):
    """HaVip ids matching Filter.N (each filter a (key, [values]) pair), sorted."""
    body = old.DescribeHaVips(Filters=[dict(Key=k, Value=v) for k, v in filters], PageSize=50)
    return sorted(h["HaVipId"] for h in body["HaVips"]["HaVip"])


# --- CreateHaVip --------------------------------------------------------------------------------


def test_create_ha_vip_takes_the_first_usable_address(old, vpc, vsw):
    assert free_addresses(old, vsw) == USABLE_IN_A_24
    created = old.CreateHaVip(VSwitchId=vsw, Name="ha1", Description="the first one")
    assert created["RequestId"] and created["HaVipId"].startswith("havip-")
    # 10.0.1.0 is reserved: the lowest usable address is .1.
    assert created["IpAddress"] == "10.0.1.1"
    assert free_addresses(old, vsw) == USABLE_IN_A_24 - 1
    second = old.CreateHaVip(VSwitchId=vsw)
    assert second["IpAddress"] == "10.0.1.2"
    assert free_addresses(old, vsw) == USABLE_IN_A_24 - 2

    [item] = havips(old, Filters=[dict(Key="HaVipId", Value=[created["HaVipId"]])])
    assert item["HaVipId"] == created["HaVipId"]
    assert item["RegionId"] == REGION
    assert item["VpcId"] == vpc["VpcId"] and item["VSwitchId"] == vsw
    assert item["IpAddress"] == "10.0.1.1"
    assert item["Status"] == "Available"
    assert item["Name"] == "ha1" and item["Description"] == "the first one"
    assert item["CreateTime"]
    assert item["AssociatedInstances"]["associatedInstance"] == []


@pytest.mark.parametrize("address", ["10.0.1.1", "10.0.1.100", "10.0.1.252"])
def test_create_ha_vip_with_a_usable_address(old, vsw, address):
    assert old.CreateHaVip(VSwitchId=vsw, IpAddress=address)["IpAddress"] == address
    assert free_addresses(old, vsw) == USABLE_IN_A_24 - 1
    assert [h["IpAddress"] for h in havips(old)] == [address]


@pytest.mark.parametrize(
    "address",
    [
        "10.0.1.0",  # the first address of the block: reserved
        "10.0.1.253", "10.0.1.254", "10.0.1.255",  # the last three: reserved
        "10.0.2.5", "192.168.1.1",  # outside the block
        "not-an-address",
    ],
)
def test_create_ha_vip_with_an_address_outside_the_usable_range(old, vsw, address):
    assert_error(lambda: old.CreateHaVip(VSwitchId=vsw, IpAddress=address), 400, *NOT_IN_VSWITCH)
    assert havips(old) == []
    assert free_addresses(old, vsw) == USABLE_IN_A_24


def test_create_ha_vip_with_an_address_in_use(old, vsw):
    create_havip(old, vsw, IpAddress="10.0.1.7")
    assert_error(lambda: old.CreateHaVip(VSwitchId=vsw, IpAddress="10.0.1.7"), 400, *ALREADY_USED)
    # An address chosen by the emulator skips the taken ones.
    create_havip(old, vsw, IpAddress="10.0.1.1")
    assert old.CreateHaVip(VSwitchId=vsw)["IpAddress"] == "10.0.1.2"
    assert free_addresses(old, vsw) == USABLE_IN_A_24 - 3


def test_a_full_vswitch(old, vpc):
    # A /29 holds 8 addresses, 4 of them reserved.
    small = create_vswitch(old, vpc["VpcId"], "10.0.2.0/29")
    assert free_addresses(old, small) == 4
    addresses = [old.CreateHaVip(VSwitchId=small)["IpAddress"] for _ in range(4)]
    assert addresses == ["10.0.2.1", "10.0.2.2", "10.0.2.3", "10.0.2.4"]
    assert free_addresses(old, small) == 0
    assert_error(lambda: old.CreateHaVip(VSwitchId=small), 400, "InvalidVSwitchId.IpNotEnough")


def test_create_ha_vip_unknown_vswitch_or_missing_parameter(old):
    assert_error(lambda: old.CreateHaVip(VSwitchId="vsw-doesnotexist"), 404, "InvalidVSwitchId.NotFound")
    assert_error(lambda: old.CreateHaVip(), 400, "MissingVSwitchId", "VSwitchId is mandatory for this action.")


# --- DeleteHaVip --------------------------------------------------------------------------------


def test_delete_ha_vip_gives_the_address_back(old, vsw):
    havip = create_havip(old, vsw)
    old.DeleteHaVip(HaVipId=havip)
    assert havips(old) == []
    assert free_addresses(old, vsw) == USABLE_IN_A_24
    # The address can be taken again.
    assert old.CreateHaVip(VSwitchId=vsw, IpAddress="10.0.1.1")["IpAddress"] == "10.0.1.1"


def test_delete_ha_vip_that_does_not_exist(old, vsw):
    assert_error(lambda: old.DeleteHaVip(HaVipId="havip-doesnotexist"), 404, *HAVIP_NOT_FOUND)
    havip = create_havip(old, vsw)
    old.DeleteHaVip(HaVipId=havip)
    assert_error(lambda: old.DeleteHaVip(HaVipId=havip), 404, *HAVIP_NOT_FOUND)


def test_a_vswitch_holding_a_ha_vip_cannot_be_deleted(old, vpc, vsw):
    havip = create_havip(old, vsw)
    assert_error(lambda: old.DeleteVSwitch(VSwitchId=vsw), 400, *HAVIP_DEPENDENCY)
    assert old.DescribeVSwitches(VpcId=vpc["VpcId"])["TotalCount"] == 1
    old.DeleteHaVip(HaVipId=havip)
    old.DeleteVSwitch(VSwitchId=vsw)
    old.DeleteVpc(VpcId=vpc["VpcId"])
    assert old.DescribeVpcs()["TotalCount"] == 0


# --- DescribeHaVips -----------------------------------------------------------------------------


def test_describe_ha_vips_filters(old, vpc, vsw):
    other_vsw = create_vswitch(old, vpc["VpcId"], "10.0.2.0/24")
    other_vpc = create_vpc(old, "192.168.0.0/16")["VpcId"]
    far_vsw = create_vswitch(old, other_vpc, "192.168.1.0/24")
    a = create_havip(old, vsw)
    b = create_havip(old, other_vsw, IpAddress="10.0.2.9")
    c = create_havip(old, far_vsw)

    assert havip_ids(old) == sorted([a, b, c])
    assert havip_ids(old, ("HaVipId", [a])) == [a]
    assert havip_ids(old, ("HaVipId", [a, c])) == sorted([a, c])  # values of one filter: any
    assert havip_ids(old, ("HaVipId", ["havip-doesnotexist"])) == []
    assert havip_ids(old, ("VpcId", [vpc["VpcId"]])) == sorted([a, b])
    assert havip_ids(old, ("VpcId", [other_vpc])) == [c]
    assert havip_ids(old, ("VSwitchId", [other_vsw])) == [b]
    assert havip_ids(old, ("IpAddress", ["10.0.2.9"])) == [b]
    assert havip_ids(old, ("IpAddress", ["10.0.2.10"])) == []
    assert havip_ids(old, ("Status", ["Available"])) == sorted([a, b, c])
    assert havip_ids(old, ("Status", ["InUse"])) == []
    # Several filters: all of them.
    assert havip_ids(old, ("VpcId", [vpc["VpcId"]]), ("VSwitchId", [vsw])) == [a]
    assert havip_ids(old, ("VpcId", [other_vpc]), ("VSwitchId", [vsw])) == []


@pytest.mark.parametrize("key", ["Name", "vpcid", "ResourceGroupId"])
def test_describe_ha_vips_unknown_filter_key(old, vsw, key):
    create_havip(old, vsw)
    assert_error(lambda: old.DescribeHaVips(Filters=[dict(Key=key, Value=["x"])]), 404, *FILTER_KEY)


def test_describe_ha_vips_paging(old, vsw):
    created = {create_havip(old, vsw) for _ in range(12)}
    pages = [old.DescribeHaVips(PageSize=5, PageNumber=n) for n in (1, 2, 3, 4)]
    assert [len(p["HaVips"]["HaVip"]) for p in pages] == [5, 5, 2, 0]
    for number, page in enumerate(pages, start=1):
        assert page["TotalCount"] == 12
        assert page["PageNumber"] == number and page["PageSize"] == 5
    seen = [h["HaVipId"] for p in pages for h in p["HaVips"]["HaVip"]]
    assert len(seen) == 12 and set(seen) == created
    # Defaults: page 1 of 10.
    first = old.DescribeHaVips()
    assert first["PageNumber"] == 1 and first["PageSize"] == 10
    assert len(first["HaVips"]["HaVip"]) == 10 and first["TotalCount"] == 12


def test_describe_ha_vips_empty(old):
    body = old.DescribeHaVips()
    assert body["HaVips"]["HaVip"] == [] and body["TotalCount"] == 0


# --- Tea SDK ------------------------------------------------------------------------------------


@pytest.mark.parametrize("client_fixture", ["tea", "tea_v1"])
def test_ha_vips_through_tea(request, old, vpc, vsw, client_fixture):
    client = request.getfixturevalue(client_fixture)
    created = client.create_ha_vip(m.CreateHaVipRequest(region_id=REGION, v_switch_id=vsw,
                                                        ip_address="10.0.1.50", name="tea-vip")).body
    assert created.ha_vip_id.startswith("havip-") and created.ip_address == "10.0.1.50"

    body = client.describe_ha_vips(m.DescribeHaVipsRequest(
        region_id=REGION, filter=[m.DescribeHaVipsRequestFilter(key="VpcId", value=[vpc["VpcId"]])])).body
    assert body.total_count == 1
    [item] = body.ha_vips.ha_vip
    assert item.ha_vip_id == created.ha_vip_id and item.v_switch_id == vsw and item.vpc_id == vpc["VpcId"]
    assert item.status == "Available" and item.name == "tea-vip" and item.ip_address == "10.0.1.50"

    assert_error(
        lambda: client.describe_ha_vips(m.DescribeHaVipsRequest(
            region_id=REGION, filter=[m.DescribeHaVipsRequestFilter(key="Colour", value=["red"])])),
        404, *FILTER_KEY,
    )
    assert_error(
        lambda: client.create_ha_vip(m.CreateHaVipRequest(region_id=REGION, v_switch_id=vsw,
                                                          ip_address="10.0.1.50")),
        400, *ALREADY_USED,
    )
    client.delete_ha_vip(m.DeleteHaVipRequest(region_id=REGION, ha_vip_id=created.ha_vip_id))
    assert free_addresses(old, vsw) == USABLE_IN_A_24
    assert_error(
        lambda: client.delete_ha_vip(m.DeleteHaVipRequest(region_id=REGION, ha_vip_id=created.ha_vip_id)),
        404, *HAVIP_NOT_FOUND,
    )
