"""NAT gateways (seed 004 chapter 16.1-16.3, 16.8, 16.12) through the old core request classes and the
Tea client (V3): creation with its Spec, tables and inline bandwidth packages, ClientToken, the
attribute and spec changes, DescribeNatGateways' filters and pages, deletion refused while bandwidth
packages remain (Force), the VPC it blocks, the route it publishes, and EIPs bound to it (chapter 19,
InstanceType Nat)."""

from types import SimpleNamespace

import pytest

from eip_helpers import is_tea
from helpers import (
    api_error, assert_error, assert_rejected, create_security_group, missing, parse_time, run_instance, system_table,
)
from nat_helpers import (  # noqa: F401 (api is a fixture)
    DESCRIPTION, EIP_STATUS_ASSOCIATE, GW_NOT_FOUND, HAS_PACKAGES, INSTAN_NOT_FOUND, IP_QUOTA, ISP, NAME,
    ONE_PACKAGE, REGION_NOT_FOUND, SPEC, SPEC_SAME, VPC_HAS_NAT, ZONE_NOT_FOUND, api, bind_eip, call,
    create_gateway, eip_item, gateway, gateway_ips, gateway_ns, gateways, network, new_gateway, other_gateway,
    packages, required, set_quota, table_ids,
)

VPC_NOT_FOUND = (404, "InvalidVpcId.NotFound", "Specified VPC does not exist.")
ROUTE_EXISTS = (400, "InvalidCIDRBlock.Duplicate", "Specified CIDR block is already exists.")
INSTANCE_STATUS = (400, "IncorrectInstanceStatus", "Current instance status does not support this operation.")
VPC_CREATING = (400, "VpcStatusError", "The Vpc is creating .")
NOT_MATCH = (400, "IdempotenceParamNotMatch",
             "Request uses a client token in a previous request but is not identical to that request.")


# --- CreateNatGateway --------------------------------------------------------------------------------


def test_create_returns_the_gateway_and_its_tables(api, old):
    vpc_id, vsw = network(old)
    body = create_gateway(api, vpc_id)
    gw = gateway_ns(api, vpc_id, vsw, body)
    assert gw.id.startswith("ngw-") and gw.ftb.startswith("ftb-") and gw.stb.startswith("stb-")
    assert body["RequestId"]
    item = gateway(api, gw.id)
    assert (item["NatGatewayId"], item["VpcId"], item["RegionId"]) == (gw.id, vpc_id, "cn-hangzhou")
    assert (item["Spec"], item["Description"]) == ("Small", "")  # Spec: Small (default)
    assert (item["Status"], item["BusinessStatus"], item["InstanceChargeType"]) == ("Available", "Normal", "PostPaid")
    assert table_ids(item, "ForwardTable") == [gw.ftb] and table_ids(item, "SnatTable") == [gw.stb]
    parse_time(item["CreationTime"])
    if not is_tea(api):  # the Tea model no longer has BandwidthPackageIds
        assert table_ids(item, "BandwidthPackage") == []
    [vpc] = api.DescribeVpcs(VpcId=vpc_id)["Vpcs"]["Vpc"]
    assert vpc["NatGatewayIds"]["NatGatewayIds"] == [gw.id]


def test_the_name_defaults_to_the_gateway_id(api, old):
    # Name: "If this parameter is not specified, the gateway ID is used by default" (line 23193).
    vpc_id, _ = network(old)
    gw_id = create_gateway(api, vpc_id)["NatGatewayId"]
    assert gateway(api, gw_id)["Name"] == gw_id


@pytest.mark.parametrize("spec", ["Small", "Middle", "Large", "XLarge.1"])
def test_create_takes_every_spec(api, old, spec):
    vpc_id, _ = network(old)
    gw_id = create_gateway(api, vpc_id, Spec=spec, Name="nat-web", Description="egress for web")["NatGatewayId"]
    item = gateway(api, gw_id)
    assert (item["Spec"], item["Name"], item["Description"]) == (spec, "nat-web", "egress for web")


def test_create_refuses_what_the_reference_does_not_allow(api, old):
    vpc_id, _ = network(old)
    assert_error(lambda: create_gateway(api, vpc_id, Spec="Huge"), *SPEC)
    assert_error(lambda: create_gateway(api, vpc_id, Name="-nat"), *NAME)
    assert_error(lambda: create_gateway(api, vpc_id, Name="n"), *NAME)
    assert_error(lambda: create_gateway(api, vpc_id, Name="http://nat"), *NAME)
    assert_error(lambda: create_gateway(api, vpc_id, Description="x"), *DESCRIPTION)
    assert_error(lambda: create_gateway(api, vpc_id, Description="https://nat"), *DESCRIPTION)
    assert_error(lambda: api.CreateNatGateway(), 400, *missing("VpcId"))
    # A VPC that does not exist: the table has no row for it; the VPC's own code.
    assert_error(lambda: create_gateway(api, "vpc-unknown"), *VPC_NOT_FOUND)
    assert gateways(api) == []


def test_create_with_inline_bandwidth_packages(api, old):
    vpc_id, vsw = network(old)
    body = create_gateway(api, vpc_id, packages=[dict(Bandwidth="5", IpCount="2", Zone="cn-hangzhou-b"),
                                                 dict(Bandwidth="10", IpCount="1", ISP="BGP")])
    gw = gateway_ns(api, vpc_id, vsw, body)
    ids = table_ids(body, "BandwidthPackage")
    assert len(ids) == 2 and all(i.startswith("bwp-") for i in ids)
    listed = {p["BandwidthPackageId"]: p for p in packages(api, NatGatewayId=gw.id)}
    assert sorted(listed) == sorted(ids)
    by_bandwidth = {p["Bandwidth"]: p for p in listed.values()}
    assert sorted(by_bandwidth) == ["10", "5"]
    assert (by_bandwidth["5"]["IpCount"], by_bandwidth["5"]["ZoneId"]) == ("2", "cn-hangzhou-b")
    assert (by_bandwidth["10"]["IpCount"], by_bandwidth["10"]["ISP"]) == ("1", "BGP")
    for p in listed.values():
        assert p["NatGatewayId"] == gw.id and p["InstanceChargeType"] == "PostPaid"
        assert len(p["PublicIpAddresses"]["PublicIpAddresse"]) == int(p["IpCount"])
    if not is_tea(api):
        assert sorted(table_ids(gateway(api, gw.id), "BandwidthPackage")) == sorted(ids)


def test_create_takes_up_to_four_inline_packages(api, old):
    vpc_id, _ = network(old)
    four = [dict(Bandwidth="5", IpCount="1")] * 4
    assert len(table_ids(create_gateway(api, vpc_id, packages=four), "BandwidthPackage")) == 4
    vpc2, _ = network(old, "10.0.0.0/8", "10.0.1.0/24")
    # n is 1 to 4 (line ~23100); a fifth is the one package error the table has for it.
    assert_error(lambda: create_gateway(api, vpc2, packages=four + [dict(Bandwidth="5", IpCount="1")]),
                 *ONE_PACKAGE)


def test_create_refuses_bad_inline_packages(api, old, emulator):
    vpc_id, _ = network(old)
    assert_error(lambda: create_gateway(api, vpc_id, packages=[dict(Bandwidth="5", IpCount="1", ISP="Satellite")]),
                 *ISP)
    assert_error(lambda: create_gateway(api, vpc_id, packages=[dict(Bandwidth="5", IpCount="1",
                                                                    Zone="cn-hangzhou-z")]), *ZONE_NOT_FOUND)
    # IpCount is 1 to 50 (line ~23075), the addresses of one package a quota (QuotaExceeded.BandwidthPackageIps:
    # "The IP address quota has been reached"), here lowered to 3.
    assert_rejected(lambda: create_gateway(api, vpc_id, packages=[dict(Bandwidth="5", IpCount="51")]))
    set_quota(emulator, nat_bandwidth_package_ips=3)
    assert_error(lambda: create_gateway(api, vpc_id, packages=[dict(Bandwidth="5", IpCount="4")]), *IP_QUOTA)
    assert gateways(api) == [] and packages(api) == []


def test_client_token_makes_create_idempotent(api, old):
    vpc_id, _ = network(old)
    first = create_gateway(api, vpc_id, ClientToken="nat-token-1", Name="once")
    again = create_gateway(api, vpc_id, ClientToken="nat-token-1", Name="once")
    assert again["NatGatewayId"] == first["NatGatewayId"]
    assert table_ids(again, "ForwardTable") == table_ids(first, "ForwardTable")
    assert table_ids(again, "SnatTable") == table_ids(first, "SnatTable")
    assert len(gateways(api)) == 1
    assert_error(lambda: create_gateway(api, vpc_id, ClientToken="nat-token-1", Name="other"), *NOT_MATCH)
    assert len(gateways(api)) == 1


# --- ModifyNatGatewayAttribute / ModifyNatGatewaySpec ------------------------------------------------


def test_modify_attribute(api, old):
    gw = new_gateway(api, old)
    api.ModifyNatGatewayAttribute(NatGatewayId=gw.id, Name="renamed", Description="another description")
    item = gateway(api, gw.id)
    assert (item["Name"], item["Description"]) == ("renamed", "another description")
    api.ModifyNatGatewayAttribute(NatGatewayId=gw.id, Description="only this")
    assert (gateway(api, gw.id)["Name"], gateway(api, gw.id)["Description"]) == ("renamed", "only this")
    assert_error(lambda: api.ModifyNatGatewayAttribute(NatGatewayId=gw.id, Name="1abc"), *NAME)
    assert_error(lambda: api.ModifyNatGatewayAttribute(NatGatewayId=gw.id, Description="http://x"), *DESCRIPTION)
    assert_error(lambda: api.ModifyNatGatewayAttribute(NatGatewayId="ngw-unknown", Name="abc"), *GW_NOT_FOUND)
    assert_error(lambda: api.ModifyNatGatewayAttribute(Name="abc"), *required("NatGatewayId"))
    assert gateway(api, gw.id)["Name"] == "renamed"


def test_modify_spec(api, old):
    gw = new_gateway(api, old)
    api.ModifyNatGatewaySpec(NatGatewayId=gw.id, Spec="Large")
    assert gateway(api, gw.id)["Spec"] == "Large"
    api.ModifyNatGatewaySpec(NatGatewayId=gw.id, Spec="Middle", ClientToken="spec-token")
    assert gateway(api, gw.id)["Spec"] == "Middle"
    assert_error(lambda: api.ModifyNatGatewaySpec(NatGatewayId=gw.id, Spec="Middle"), *SPEC_SAME)
    assert_error(lambda: api.ModifyNatGatewaySpec(NatGatewayId=gw.id, Spec="Huge"), *SPEC)
    assert_error(lambda: api.ModifyNatGatewaySpec(NatGatewayId="ngw-unknown", Spec="Small"), *GW_NOT_FOUND)
    assert_error(lambda: api.ModifyNatGatewaySpec(NatGatewayId=gw.id), *required("Spec"))
    assert gateway(api, gw.id)["Spec"] == "Middle"


def test_modify_spec_takes_small_middle_and_large_only(api, old):
    # ModifyNatGatewaySpec's Spec: "Valid values: Small (default value), Middle, Large" (lines 23600-23606);
    # XLarge.1 is a value of CreateNatGateway and DescribeNatGateways only.
    gw = new_gateway(api, old)
    assert_error(lambda: api.ModifyNatGatewaySpec(NatGatewayId=gw.id, Spec="XLarge.1"), *SPEC)
    assert gateway(api, gw.id)["Spec"] == "Small"


# --- DescribeNatGateways -------------------------------------------------------------------------------


def test_describe_filters_and_pages(api, old):
    vpc_a, _ = network(old)
    vpc_b, _ = network(old, "10.0.0.0/8", "10.0.1.0/24")
    a = create_gateway(api, vpc_a, Name="alpha", Spec="Large")["NatGatewayId"]
    b = create_gateway(api, vpc_b, Name="beta")["NatGatewayId"]
    assert {g["NatGatewayId"] for g in gateways(api)} == {a, b}
    assert [g["NatGatewayId"] for g in gateways(api, VpcId=vpc_b)] == [b]
    assert [g["NatGatewayId"] for g in gateways(api, NatGatewayId=a)] == [a]
    assert [g["NatGatewayId"] for g in gateways(api, Name="beta")] == [b]
    assert [g["NatGatewayId"] for g in gateways(api, Spec="Large")] == [a]
    assert {g["NatGatewayId"] for g in gateways(api, InstanceChargeType="PostPaid")} == {a, b}
    assert gateways(api, NatGatewayId="ngw-unknown") == []
    assert gateways(api, VpcId=vpc_a, Name="beta") == []
    assert_error(lambda: gateways(api, Spec="Huge"), *SPEC)
    assert_rejected(lambda: gateways(api, PageSize=51))  # at most 50 (line 24644)

    first = api.DescribeNatGateways(PageSize=1, PageNumber=1)
    second = api.DescribeNatGateways(PageSize=1, PageNumber=2)
    third = api.DescribeNatGateways(PageSize=1, PageNumber=3)
    assert (first["TotalCount"], first["PageSize"], first["PageNumber"]) == (2, 1, 1)
    assert (second["TotalCount"], second["PageNumber"]) == (2, 2)
    pages = first["NatGateways"]["NatGateway"] + second["NatGateways"]["NatGateway"]
    assert sorted(g["NatGatewayId"] for g in pages) == sorted([a, b])
    assert third["NatGateways"]["NatGateway"] == []
    defaults = api.DescribeNatGateways()
    assert (defaults["PageSize"], defaults["PageNumber"], defaults["TotalCount"]) == (10, 1, 2)


def test_describe_is_per_region(api, old):
    vpc_id, _ = network(old)
    create_gateway(api, vpc_id)
    assert gateways(api, RegionId="cn-shanghai") == []


# --- DeleteNatGateway ----------------------------------------------------------------------------------


def test_delete(api, old):
    gw = new_gateway(api, old)
    api.DeleteNatGateway(NatGatewayId=gw.id)
    assert gateways(api) == []
    [vpc] = api.DescribeVpcs(VpcId=gw.vpc_id)["Vpcs"]["Vpc"]
    assert vpc["NatGatewayIds"]["NatGatewayIds"] == []
    assert_error(lambda: api.DeleteNatGateway(NatGatewayId=gw.id), *GW_NOT_FOUND)
    assert_error(lambda: api.DeleteNatGateway(), *required("NatGatewayId"))


def test_delete_is_refused_while_bandwidth_packages_remain_unless_forced(api, old):
    vpc_id, vsw = network(old)
    gw = gateway_ns(api, vpc_id, vsw, create_gateway(api, vpc_id, packages=[dict(Bandwidth="5", IpCount="1")]))
    assert_error(lambda: api.DeleteNatGateway(NatGatewayId=gw.id), *HAS_PACKAGES)
    assert_error(lambda: api.DeleteNatGateway(NatGatewayId=gw.id, Force=False), *HAS_PACKAGES)
    assert [g["NatGatewayId"] for g in gateways(api)] == [gw.id]
    api.DeleteNatGateway(NatGatewayId=gw.id, Force=True)
    assert gateways(api) == [] and packages(api) == []


def test_delete_after_its_packages_are_deleted(api, old):
    vpc_id, vsw = network(old)
    body = create_gateway(api, vpc_id, packages=[dict(Bandwidth="5", IpCount="1")])
    [package_id] = [p["BandwidthPackageId"] for p in packages(api, NatGatewayId=body["NatGatewayId"])]
    call(api, "DeleteBandwidthPackage", BandwidthPackageId=package_id)
    api.DeleteNatGateway(NatGatewayId=body["NatGatewayId"])
    assert gateways(api) == []


def test_a_vpc_with_a_nat_gateway_cannot_be_deleted(api, old):
    gw = new_gateway(api, old)
    old.DeleteVSwitch(VSwitchId=gw.vswitch_id)
    assert_error(lambda: api.DeleteVpc(VpcId=gw.vpc_id), *VPC_HAS_NAT)
    api.DeleteNatGateway(NatGatewayId=gw.id)
    api.DeleteVpc(VpcId=gw.vpc_id)
    assert api.DescribeVpcs(VpcId=gw.vpc_id)["TotalCount"] == 0


# --- every action's region check ------------------------------------------------------------------------

REGIONAL = ["CreateNatGateway", "ModifyNatGatewayAttribute", "ModifyNatGatewaySpec", "CreateBandwidthPackage",
            "DescribeBandwidthPackages", "ModifyBandwidthPackageSpec", "ModifyBandwidthPackageAttribute",
            "DescribeNatGateways", "AddBandwidthPackageIps", "RemoveBandwidthPackageIps", "DeleteBandwidthPackage",
            "DeleteNatGateway", "CreateForwardEntry", "DescribeForwardTableEntries", "ModifyForwardEntry",
            "DeleteForwardEntry", "CreateSnatEntry", "DescribeSnatTableEntries", "ModifySnatEntry", "DeleteSnatEntry"]
ANY_IDS = dict(VpcId="vpc-any", NatGatewayId="ngw-any", Spec="Small", BandwidthPackageId="bwp-any", Bandwidth=5,
               BandWidth=5, IpCount=1, ForwardTableId="ftb-any", ForwardEntryId="fwd-any", ExternalIp="198.19.0.1",
               ExternalPort="80", InternalIp="192.168.1.1", InternalPort="80", IpProtocol="TCP",
               SnatTableId="stb-any", SnatEntryId="snat-any", SnatIp="198.19.0.1", SourceCIDR="192.168.1.0/24")


def test_an_unknown_region_gets_the_documented_message(api):
    # Each table of 16.1-16.20 prints 404 InvalidRegionId.NotFound "The specified RegionId does not
    # exist in our records." (e.g. lines 23273, 23508, 23659).
    params = dict(ANY_IDS, RegionId="cn-nowhere")
    params["RemovedIpAddresses.1"] = "198.19.0.1"
    answers = {action: api_error(lambda: call(api, action, **params)) for action in REGIONAL}
    assert {a: got for a, got in answers.items() if got != REGION_NOT_FOUND} == {}


# --- the route to the gateway ----------------------------------------------------------------------------


def nat_routes(old, vpc_id):
    table = system_table(old, vpc_id)["RouteTableId"]
    entries = old.DescribeRouteEntryList(RouteTableId=table)["RouteEntrys"]["RouteEntry"]
    return [(e["DestinationCidrBlock"], hop["NextHopType"], hop["NextHopId"])
            for e in entries for hop in (e.get("NextHops") or {}).get("NextHop") or []
            if hop.get("NextHopType") == "NatGateway"]


def test_the_gateway_publishes_a_default_route_to_itself(api, old):
    # "a route entry of which the destination CIDR block is 0.0.0.0/0 and the next hop is the NAT
    # Gateway is automatically added to the route table of the VPC" (line ~23036).
    gw = new_gateway(api, old)
    assert nat_routes(old, gw.vpc_id) == [("0.0.0.0/0", "NatGateway", gw.id)]
    api.DeleteNatGateway(NatGatewayId=gw.id)
    assert nat_routes(old, gw.vpc_id) == []


def test_a_default_route_already_there_refuses_the_gateway(api, old, ecs_old):
    # "If a route entry of which the destination CIDR block is 0.0.0.0/0 already exists [...] the NAT
    # Gateway cannot be created" (line ~23040); no row names the code: the route table's duplicate.
    vpc_id, vsw = network(old)
    instance = run_instance(ecs_old, SimpleNamespace(vpc_id=vpc_id, vswitch_id=vsw,
                                                     security_group_id=create_security_group(ecs_old, vpc_id)))
    table = system_table(old, vpc_id)["RouteTableId"]
    old.CreateRouteEntry(RouteTableId=table, DestinationCidrBlock="0.0.0.0/0", NextHopType="Instance",
                         NextHopId=instance)
    assert_error(lambda: create_gateway(api, vpc_id), *ROUTE_EXISTS)
    assert gateways(api) == []


# --- EIPs bound to the gateway (chapter 19, InstanceType Nat) -----------------------------------------


def test_a_gateway_takes_several_eips(api, old):
    gw = new_gateway(api, old)
    first, first_ip = bind_eip(api, gw.id)
    second, second_ip = bind_eip(api, gw.id)
    assert gateway_ips(api, gw.id) == {first_ip: "Idle", second_ip: "Idle"}
    item = eip_item(api, first)
    assert (item["Status"], item["InstanceId"], item["InstanceType"]) == ("InUse", gw.id, "Nat")
    listed = api.DescribeEipAddresses(AssociatedInstanceType="Nat", AssociatedInstanceId=gw.id)
    assert sorted(e["AllocationId"] for e in listed["EipAddresses"]["EipAddress"]) == sorted([first, second])
    ip_list = gateway(api, gw.id)["IpLists"]["IpList"]
    assert {ip["AllocationId"] for ip in ip_list} == {first, second}

    api.UnassociateEipAddress(AllocationId=first, InstanceId=gw.id, InstanceType="Nat")
    assert gateway_ips(api, gw.id) == {second_ip: "Idle"}
    item = eip_item(api, first)
    assert (item["Status"], item["InstanceId"]) == ("Available", "")


def test_an_eip_on_a_gateway_is_not_free_for_another_target(api, old):
    gw = new_gateway(api, old)
    allocation, _ = bind_eip(api, gw.id)
    other = other_gateway(api, old).id
    assert_error(lambda: api.AssociateEipAddress(AllocationId=allocation, InstanceId=other, InstanceType="Nat"),
                 *EIP_STATUS_ASSOCIATE)
    free = api.AllocateEipAddress()["AllocationId"]
    assert_error(lambda: api.AssociateEipAddress(AllocationId=free, InstanceId="ngw-unknown", InstanceType="Nat"),
                 *INSTAN_NOT_FOUND)


def test_force_delete_releases_the_gateway_eips(api, old):
    gw = new_gateway(api, old)
    allocation, _ = bind_eip(api, gw.id)
    api.DeleteNatGateway(NatGatewayId=gw.id, Force=True)
    assert gateways(api) == []
    item = eip_item(api, allocation)
    assert (item["Status"], item["InstanceId"]) == ("Available", "")


# --- transitions -----------------------------------------------------------------------------------------


def test_a_new_gateway_is_initiating_for_the_transition_delay(old_delayed, delayed):
    vpc_id = old_delayed.CreateVpc(CidrBlock="192.168.0.0/16")["VpcId"]
    delayed.advance(60)
    gw_id = old_delayed.CreateNatGateway(VpcId=vpc_id)["NatGatewayId"]
    assert gateway(old_delayed, gw_id)["Status"] == "Initiating"
    delayed.advance(60)
    assert gateway(old_delayed, gw_id)["Status"] == "Available"


def test_a_vpc_being_created_takes_no_gateway(old_delayed, delayed):
    vpc_id = old_delayed.CreateVpc(CidrBlock="192.168.0.0/16")["VpcId"]
    assert_error(lambda: old_delayed.CreateNatGateway(VpcId=vpc_id), *VPC_CREATING)
    delayed.advance(60)
    assert old_delayed.CreateNatGateway(VpcId=vpc_id)["NatGatewayId"].startswith("ngw-")


def test_an_initiating_gateway_takes_no_eip_yet(old_delayed, delayed):
    vpc_id = old_delayed.CreateVpc(CidrBlock="192.168.0.0/16")["VpcId"]
    delayed.advance(60)
    gw_id = old_delayed.CreateNatGateway(VpcId=vpc_id)["NatGatewayId"]
    allocation = old_delayed.AllocateEipAddress()["AllocationId"]
    assert_error(lambda: old_delayed.AssociateEipAddress(AllocationId=allocation, InstanceId=gw_id,
                                                         InstanceType="Nat"), *INSTANCE_STATUS)
    delayed.advance(60)
    old_delayed.AssociateEipAddress(AllocationId=allocation, InstanceId=gw_id, InstanceType="Nat")


def test_a_spec_change_is_pending_for_the_transition_delay(old_delayed, delayed):
    # Status "Pending: The NAT Gateway is being configured" (line 24766).
    vpc_id = old_delayed.CreateVpc(CidrBlock="192.168.0.0/16")["VpcId"]
    delayed.advance(60)
    gw_id = old_delayed.CreateNatGateway(VpcId=vpc_id)["NatGatewayId"]
    delayed.advance(60)
    old_delayed.ModifyNatGatewaySpec(NatGatewayId=gw_id, Spec="Large")
    assert (gateway(old_delayed, gw_id)["Status"], gateway(old_delayed, gw_id)["Spec"]) == ("Pending", "Large")
    delayed.advance(60)
    assert gateway(old_delayed, gw_id)["Status"] == "Available"
