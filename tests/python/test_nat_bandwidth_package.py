"""NAT bandwidth packages (seed 004 chapter 16.4-16.7, 16.9-16.11, 16.21): a shared bandwidth and a group
of public IPs on a NAT gateway, at most four a gateway and 50 IPs a package; IPs added and removed
(never the last one, never one an SNAT or DNAT entry uses); deletion refused while entries use its
IPs unless Force; conversion. The SDKs no longer generate classes for these actions: both flavours
call them generically (old core CommonRequest, Tea call_api with signature V3)."""

import ipaddress

from eip_helpers import is_tea
from helpers import assert_error, assert_rejected, missing, parse_time
from nat_helpers import (  # noqa: F401 (api is a fixture)
    BANDWIDTH, DESCRIPTION, IP_COUNT, IP_QUOTA, IP_USED_BY_DNAT, IP_USED_BY_SNAT, ISP, LOCKED, NAME,
    NATGW_NOT_EXIST, NOT_IN_PACKAGE, NOT_NAT_IP, PACKAGE_NOT_FOUND, PACKAGE_QUOTA, PACKAGE_USED_BY_DNAT,
    PACKAGE_USED_BY_SNAT, REMOVE_ALL, ZONE_NOT_FOUND, api, call, create_package, dnat, forward_entries, gateway,
    gateway_ips, new_gateway, package, package_ips, packages, remove_ips, required, set_quota, snat, snat_entries,
    table_ids,
)


def test_create_and_describe(api, old):
    gw = new_gateway(api, old)
    package_id = create_package(api, gw.id, 10, 3, Name="nat-pkg", Description="egress pool", ISP="BGP",
                                InternetChargeType="PayByTraffic", Zone="cn-hangzhou-b")
    assert package_id.startswith("bwp-")
    item = package(api, package_id)
    assert (item["BandwidthPackageId"], item["NatGatewayId"], item["RegionId"]) == (package_id, gw.id, "cn-hangzhou")
    assert (item["Bandwidth"], item["IpCount"], item["ISP"], item["ZoneId"]) == ("10", "3", "BGP", "cn-hangzhou-b")
    assert (item["Name"], item["Description"], item["InternetChargeType"]) == ("nat-pkg", "egress pool", "PayByTraffic")
    assert (item["Status"], item["BusinessStatus"], item["InstanceChargeType"]) == ("Available", "Normal", "PostPaid")
    parse_time(item["CreationTime"])
    ips = item["PublicIpAddresses"]["PublicIpAddresse"]
    assert len(ips) == 3 and len({ip["IpAddress"] for ip in ips}) == 3
    assert all(ip["UsingStatus"] == "Idle" and ip["AllocationId"] for ip in ips)
    assert all(ipaddress.ip_address(ip["IpAddress"]) for ip in ips)
    if not is_tea(api):  # the Tea model no longer has BandwidthPackageIds
        assert table_ids(gateway(api, gw.id), "BandwidthPackage") == [package_id]


def test_create_defaults(api, old):
    gw = new_gateway(api, old)
    item = package(api, create_package(api, gw.id, 5, 1))
    assert (item["Bandwidth"], item["IpCount"], item["ISP"]) == ("5", "1", "BGP")
    assert item["ZoneId"]  # "the system randomly allocates a zone"


def test_create_refuses_what_the_reference_does_not_allow(api, old, emulator):
    gw = new_gateway(api, old)
    assert_error(lambda: create_package(api, "ngw-unknown"), *NATGW_NOT_EXIST)
    assert_error(lambda: create_package(api, gw.id, Zone="cn-hangzhou-z"), *ZONE_NOT_FOUND)
    assert_error(lambda: create_package(api, gw.id, ISP="Satellite"), *ISP)
    assert_error(lambda: create_package(api, gw.id, Name="-pkg"), *NAME)
    assert_error(lambda: create_package(api, gw.id, Description="http://pkg"), *DESCRIPTION)
    assert_error(lambda: call(api, "CreateBandwidthPackage", NatGatewayId=gw.id, IpCount=1), 400,
                 *missing("Bandwidth"))
    assert_error(lambda: call(api, "CreateBandwidthPackage", NatGatewayId=gw.id, Bandwidth=5), 400,
                 *missing("IpCount"))
    # Bandwidth is 5 to 1000 (line ~23740); the table has no row for it.
    assert_rejected(lambda: create_package(api, gw.id, bandwidth=4))
    assert_rejected(lambda: create_package(api, gw.id, bandwidth=1001))
    # IpCount is 1 to 50 (line ~23745); beyond the quota of addresses a package (50, lowered to 3
    # here) it is QuotaExceeded.BandwidthPackageIps.
    assert_rejected(lambda: create_package(api, gw.id, ip_count=51))
    set_quota(emulator, nat_bandwidth_package_ips=3)
    assert_error(lambda: create_package(api, gw.id, ip_count=4), *IP_QUOTA)
    assert packages(api) == []


def test_four_packages_a_gateway(api, old):
    gw = new_gateway(api, old)
    for _ in range(4):
        create_package(api, gw.id, 5, 1)
    assert_error(lambda: create_package(api, gw.id, 5, 1), *PACKAGE_QUOTA)
    assert len(packages(api, NatGatewayId=gw.id)) == 4


def test_describe_filters_and_pages(api, old):
    gw = new_gateway(api, old)
    a, b, c = (create_package(api, gw.id, 5, 1) for _ in range(3))
    assert {p["BandwidthPackageId"] for p in packages(api)} == {a, b, c}
    assert [p["BandwidthPackageId"] for p in packages(api, BandwidthPackageId=b)] == [b]
    assert {p["BandwidthPackageId"] for p in packages(api, NatGatewayId=gw.id)} == {a, b, c}
    assert packages(api, NatGatewayId="ngw-unknown") == []
    assert packages(api, BandwidthPackageId="bwp-unknown") == []
    seen = []
    for number in (1, 2):
        page = call(api, "DescribeBandwidthPackages", PageSize=2, PageNumber=number)
        assert (page["TotalCount"], page["PageSize"], page["PageNumber"]) == (3, 2, number)
        seen += [p["BandwidthPackageId"] for p in page["BandwidthPackages"]["BandwidthPackage"]]
    assert sorted(seen) == sorted([a, b, c])
    defaults = call(api, "DescribeBandwidthPackages")
    assert (defaults["PageSize"], defaults["PageNumber"]) == (10, 1)


def test_modify_attribute_and_spec(api, old):
    gw = new_gateway(api, old)
    package_id = create_package(api, gw.id, 5, 1)
    call(api, "ModifyBandwidthPackageAttribute", BandwidthPackageId=package_id, Name="renamed",
         Description="another pool")
    item = package(api, package_id)
    assert (item["Name"], item["Description"]) == ("renamed", "another pool")
    assert_error(lambda: call(api, "ModifyBandwidthPackageAttribute", BandwidthPackageId=package_id, Name="1x"),
                 *NAME)
    assert_error(lambda: call(api, "ModifyBandwidthPackageAttribute", BandwidthPackageId=package_id,
                              Description="x"), *DESCRIPTION)
    assert_error(lambda: call(api, "ModifyBandwidthPackageAttribute", BandwidthPackageId="bwp-unknown",
                              Name="abc"), *PACKAGE_NOT_FOUND)

    # The parameter is spelled BandWidth (line ~24330).
    call(api, "ModifyBandwidthPackageSpec", BandwidthPackageId=package_id, BandWidth=200)
    assert package(api, package_id)["Bandwidth"] == "200"
    assert_error(lambda: call(api, "ModifyBandwidthPackageSpec", BandwidthPackageId=package_id, BandWidth=4),
                 *BANDWIDTH)
    assert_error(lambda: call(api, "ModifyBandwidthPackageSpec", BandwidthPackageId=package_id, BandWidth=1001),
                 *BANDWIDTH)
    assert package(api, package_id)["Bandwidth"] == "200"
    assert_error(lambda: call(api, "ModifyBandwidthPackageSpec", BandwidthPackageId="bwp-unknown", BandWidth=10),
                 *PACKAGE_NOT_FOUND)


# --- AddBandwidthPackageIps / RemoveBandwidthPackageIps ------------------------------------------------


def test_add_ips(api, old):
    gw = new_gateway(api, old)
    package_id = create_package(api, gw.id, 5, 1)
    call(api, "AddBandwidthPackageIps", BandwidthPackageId=package_id, IpCount="2")
    assert package(api, package_id)["IpCount"] == "3"
    assert len(package_ips(api, package_id)) == 3
    call(api, "AddBandwidthPackageIps", BandwidthPackageId=package_id, IpCount="1", ClientToken="add-once")
    call(api, "AddBandwidthPackageIps", BandwidthPackageId=package_id, IpCount="1", ClientToken="add-once")
    assert package(api, package_id)["IpCount"] == "4"
    for bad in ("0", "51", "two"):
        assert_error(lambda: call(api, "AddBandwidthPackageIps", BandwidthPackageId=package_id, IpCount=bad),
                     *IP_COUNT)
    assert_error(lambda: call(api, "AddBandwidthPackageIps", BandwidthPackageId="bwp-unknown", IpCount="1"),
                 *PACKAGE_NOT_FOUND)


def test_a_package_holds_at_most_50_ips(api, old):
    gw = new_gateway(api, old)
    package_id = create_package(api, gw.id, 5, 49)
    call(api, "AddBandwidthPackageIps", BandwidthPackageId=package_id, IpCount="1")
    assert_error(lambda: call(api, "AddBandwidthPackageIps", BandwidthPackageId=package_id, IpCount="1"),
                 *IP_QUOTA)
    assert package(api, package_id)["IpCount"] == "50"


def test_remove_ips(api, old):
    gw = new_gateway(api, old)
    package_id = create_package(api, gw.id, 5, 3)
    first, second, third = sorted(package_ips(api, package_id))
    remove_ips(api, package_id, first, second)
    assert package(api, package_id)["IpCount"] == "1"
    assert list(package_ips(api, package_id)) == [third]
    assert_error(lambda: remove_ips(api, package_id, third), *REMOVE_ALL)
    assert list(package_ips(api, package_id)) == [third]


def test_remove_checks_the_addresses(api, old):
    gw = new_gateway(api, old)
    package_id = create_package(api, gw.id, 5, 2)
    other_id = create_package(api, gw.id, 5, 2)
    [theirs, _] = sorted(package_ips(api, other_id))
    mine, _ = sorted(package_ips(api, package_id))
    # Another package's address: not in the specified package; an address that is no NAT public IP
    # (an EIP's, or none of the cloud's) is the second row of the table.
    assert_error(lambda: remove_ips(api, package_id, theirs), *NOT_IN_PACKAGE)
    eip_address = api.AllocateEipAddress()["EipAddress"]
    assert_error(lambda: remove_ips(api, package_id, eip_address), *NOT_NAT_IP)
    assert_error(lambda: remove_ips(api, package_id, mine, "8.8.8.8"), *NOT_NAT_IP)
    assert len(package_ips(api, package_id)) == 2, "a refused call removes nothing"
    assert_error(lambda: remove_ips(api, "bwp-unknown", mine), *PACKAGE_NOT_FOUND)
    assert_error(lambda: call(api, "RemoveBandwidthPackageIps", BandwidthPackageId=package_id),
                 *required("RemovedIpAddresses"))


def test_ips_in_use_by_entries_stay(api, old):
    gw = new_gateway(api, old)
    package_id = create_package(api, gw.id, 5, 3)
    for_snat, for_dnat, free = sorted(package_ips(api, package_id))
    snat(api, gw.stb, for_snat, SourceVSwitchId=gw.vswitch_id)
    dnat(api, gw.ftb, for_dnat, "192.168.1.10")
    assert package_ips(api, package_id) == {for_snat: "UsedBySnatTable", for_dnat: "UsedByForwardTable",
                                            free: "Idle"}
    assert_error(lambda: remove_ips(api, package_id, for_snat), *IP_USED_BY_SNAT)
    assert_error(lambda: remove_ips(api, package_id, for_dnat), *IP_USED_BY_DNAT)
    remove_ips(api, package_id, free)
    assert sorted(package_ips(api, package_id)) == sorted([for_snat, for_dnat])


# --- DeleteBandwidthPackage ------------------------------------------------------------------------------


def test_delete(api, old):
    gw = new_gateway(api, old)
    package_id = create_package(api, gw.id)
    call(api, "DeleteBandwidthPackage", BandwidthPackageId=package_id)
    assert packages(api) == []
    assert_error(lambda: call(api, "DeleteBandwidthPackage", BandwidthPackageId=package_id), *PACKAGE_NOT_FOUND)


def test_delete_is_refused_while_entries_use_its_ips_unless_forced(api, old):
    gw = new_gateway(api, old)
    with_snat = create_package(api, gw.id, 5, 1)
    with_dnat = create_package(api, gw.id, 5, 1)
    [snat_ip] = package_ips(api, with_snat)
    [dnat_ip] = package_ips(api, with_dnat)
    snat(api, gw.stb, snat_ip, SourceVSwitchId=gw.vswitch_id)
    dnat(api, gw.ftb, dnat_ip, "192.168.1.10")
    assert_error(lambda: call(api, "DeleteBandwidthPackage", BandwidthPackageId=with_snat), *PACKAGE_USED_BY_SNAT)
    assert_error(lambda: call(api, "DeleteBandwidthPackage", BandwidthPackageId=with_dnat), *PACKAGE_USED_BY_DNAT)
    assert_error(lambda: call(api, "DeleteBandwidthPackage", BandwidthPackageId=with_dnat, Force="false"),
                 *PACKAGE_USED_BY_DNAT)
    assert len(packages(api)) == 2
    call(api, "DeleteBandwidthPackage", BandwidthPackageId=with_snat, Force="true")
    call(api, "DeleteBandwidthPackage", BandwidthPackageId=with_dnat, Force="true")
    assert packages(api) == []
    # The entries that used the released addresses go with them.
    assert snat_entries(api, gw.stb) == [] and forward_entries(api, gw.ftb) == []


# --- ConvertBandwidthPackage --------------------------------------------------------------------------------


def test_convert(api, old):
    gw = new_gateway(api, old)
    package_id = create_package(api, gw.id, 5, 2)
    addresses = package_ips(api, package_id)
    [snat_ip, _] = sorted(addresses)
    snat(api, gw.stb, snat_ip, SourceVSwitchId=gw.vswitch_id)
    out = call(api, "ConvertBandwidthPackage", BandwidthPackageId=package_id, ClientToken="convert-1")
    assert out["ConvertInstanceId"] and out["RequestId"]
    again = call(api, "ConvertBandwidthPackage", BandwidthPackageId=package_id, ClientToken="convert-1")
    assert again["ConvertInstanceId"] == out["ConvertInstanceId"]
    # The chapter says no more (line 27319); the emulator's conversion (docs/nat.md): the addresses
    # become EIPs bound to the gateway, so the entries keep them, and the package goes.
    assert packages(api) == []
    assert set(gateway_ips(api, gw.id)) == set(addresses)
    assert [e["SnatIp"] for e in snat_entries(api, gw.stb)] == [snat_ip]
    assert_error(lambda: call(api, "ConvertBandwidthPackage", BandwidthPackageId="bwp-unknown"), *PACKAGE_NOT_FOUND)


def test_an_overdue_account_cannot_change_its_packages(api, old, emulator):
    # BandwidthPackage.FinancialLocked: "locked due to insufficient account balance" (16.6, 16.9, 16.10).
    gw = new_gateway(api, old)
    package_id = create_package(api, gw.id, 5, 2)
    first = sorted(package_ips(api, package_id))[0]
    emulator.set_billing(overdue=True)
    assert_error(lambda: call(api, "ModifyBandwidthPackageSpec", BandwidthPackageId=package_id, BandWidth=10),
                 *LOCKED)
    assert_error(lambda: call(api, "AddBandwidthPackageIps", BandwidthPackageId=package_id, IpCount="1"), *LOCKED)
    assert_error(lambda: remove_ips(api, package_id, first), *LOCKED)
    emulator.set_billing(overdue=False)
    call(api, "ModifyBandwidthPackageSpec", BandwidthPackageId=package_id, BandWidth=10)
    assert package(api, package_id)["Bandwidth"] == "10"
