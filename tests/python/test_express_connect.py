"""Express Connect across its families: a virtual border router on a physical connection, a router
interface pair between the VBR and a VPC, routes over it in both route tables, BGP on the VBR, and
the rules that tie them together (what blocks deleting what, a VBR-side interface's access point
and status), through the old core SDK."""

import pytest

from bgp_helpers import make_vbr
from helpers import assert_error

NOT_DELETED = (400, "InvalidOperation.RouterInterfaceNotDeleted",
               "The specified VirutalBorderRouter still has routerInterface.")
NOT_IN_STATE = (400, "InvalidOperation.OperationNotAllowedInState",
                "The specified VirutalBorderRouter is in invalid state.")
AP_NOT_MATCH = (400, "InvalidAccessPoint.NotMatch", "The accessPoint id is not matched")


@pytest.fixture
def vbr(old, emulator):
    return make_vbr(old, emulator)


def vbr_interface(old, vbr_id, **params):
    return old.CreateRouterInterface(RouterType="VBR", RouterId=vbr_id, Role="InitiatingSide", Spec="Small.1",
                                     OppositeRegionId="cn-hangzhou", **params)["RouterInterfaceId"]


def vbr_table(old, vbr_id):
    found = old.DescribeVirtualBorderRouters(Filters=[{"Key": "VbrId", "Value": [vbr_id]}])
    return found["VirtualBorderRouterSet"]["VirtualBorderRouterType"][0]["RouteTableId"]


def test_a_vbr_and_a_vpc_connect_through_router_interfaces(old, vbr):
    vpc = old.CreateVpc(CidrBlock="192.168.0.0/16")
    init = vbr_interface(old, vbr)
    acc = old.CreateRouterInterface(RouterType="VRouter", RouterId=vpc["VRouterId"], Role="AcceptingSide",
                                    Spec="Negative", OppositeRegionId="cn-hangzhou")["RouterInterfaceId"]
    old.ModifyRouterInterfaceAttribute(RouterInterfaceId=init, OppositeInterfaceId=acc,
                                       OppositeRouterId=vpc["VRouterId"], OppositeRouterType="VRouter")
    old.ModifyRouterInterfaceAttribute(RouterInterfaceId=acc, OppositeInterfaceId=init, OppositeRouterId=vbr,
                                       OppositeRouterType="VBR")
    old.ConnectRouterInterface(RouterInterfaceId=init)
    statuses = old.DescribeRouterInterfaces()["RouterInterfaceSet"]["RouterInterfaceType"]
    assert {ri["RouterInterfaceId"]: ri["Status"] for ri in statuses} == {init: "Active", acc: "Active"}

    # Each side routes the other's traffic over its interface: the VBR's own table takes routes.
    old.CreateRouteEntry(RouteTableId=vbr_table(old, vbr), DestinationCidrBlock="192.168.0.0/16",
                         NextHopType="RouterInterface", NextHopId=init)
    old.CreateRouteEntry(RouteTableId=vpc["RouteTableId"], DestinationCidrBlock="10.100.0.0/16",
                         NextHopType="RouterInterface", NextHopId=acc)
    entries = old.DescribeRouteEntryList(RouteTableId=vbr_table(old, vbr))["RouteEntrys"]["RouteEntry"]
    assert [e["DestinationCidrBlock"] for e in entries] == ["192.168.0.0/16"], "a VBR table has no system entries"

    assert_error(lambda: old.DeleteVirtualBorderRouter(VbrId=vbr), *NOT_DELETED)
    # A route from the VPC table cannot point at the VBR's interface: it is not in that VPC.
    assert_error(lambda: old.CreateRouteEntry(RouteTableId=vpc["RouteTableId"], DestinationCidrBlock="10.101.0.0/16",
                                              NextHopType="RouterInterface", NextHopId=init),
                 400, "INVALID_VPC_ID", "The Specified VpcId not match.")


def test_a_vbr_side_interface_needs_the_vbrs_access_point_and_an_active_vbr(old, emulator, vbr):
    assert_error(lambda: vbr_interface(old, vbr, AccessPointId="ap-cn-hangzhou-xs-A"), *AP_NOT_MATCH)
    ri = vbr_interface(old, vbr, AccessPointId="ap-cn-hangzhou-yh-A")
    item = old.DescribeRouterInterfaces(Filters=[{"Key": "RouterInterfaceId", "Value": [ri]}])
    assert item["RouterInterfaceSet"]["RouterInterfaceType"][0]["AccessPointId"] == "ap-cn-hangzhou-yh-A"
    old.DeleteRouterInterface(RouterInterfaceId=ri)
    old.TerminateVirtualBorderRouter(VbrId=vbr)
    assert_error(lambda: vbr_interface(old, vbr), *NOT_IN_STATE)


def test_bgp_groups_block_deleting_their_vbr(old, emulator):
    vbr = make_vbr(old, emulator, vlan=12)
    group = old.CreateBgpGroup(RouterId=vbr, PeerAsn=65001)["BgpGroupId"]
    assert_error(lambda: old.DeleteVirtualBorderRouter(VbrId=vbr), 400, "DependencyViolation.BgpGroup",
                 "bgp group exists, cannot delete vbr.")
    old.DeleteBgpGroup(BgpGroupId=group)
    old.DeleteVirtualBorderRouter(VbrId=vbr)

