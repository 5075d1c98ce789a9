"""BGP on virtual border routers (seed 004 chapter 12; docs/express_connect/bgp.md): groups on a
VBR, their peers, and the networks the VBR advertises. Every documented error the model produces
is checked with its exact status, code and message (typos included: 'netowrk',
'InvalidBgpDiscription'). The VBRs come from bgp_helpers.make_vbr, which needs the
physical-connection family (its control endpoints drive a connection to Enabled)."""

import pytest
from alibabacloud_vpc20160428 import models as m

from bgp_helpers import PEERING_MASK, enabled_physical_connection, make_vbr
from conftest import TRANSITION_DELAY_SECONDS as DELAY
from helpers import REGION, assert_error

REGION_UNSUPPORTED = ("InvalidRegionId.NotFound", 'Specified value of "regionId" is not supported.')
REGION_NOT_FOUND = ("InvalidRegionId.NotFound", "The specified RegionId is not found.")
REGION_NOT_IN_RECORDS = ("InvalidRegionId.NotFound", "The specified RegionId does not exist in our records.")
BGP_QUOTA = ("QuotaExceeded.Bgp", "bgp peer count per vbr quota exceed.")
NETWORK_QUOTA = ("QuotaExceeded.BgpNetwork", "bgp network count per vbr quota exceed.")
PEER_IP_NEEDED = ("InvalidPeerIpAddress", "multi pconn peer ip can not be null.")
VBR_NETWORK = ("InvalidVbrNetwork", "vbr netowrk not exists")
GROUP_NOT_FOUND = ("InvalidBgpGroup", "bgp group not exists")
NAME = ("InvalidBgpName.Malformed", "Specified Bgp Group name is not valid.")
DESCRIPTION = ("InvalidBgpDescription.Malformed", "Specified Bgp Group description is not valid.")
DISCRIPTION = ("InvalidBgpDiscription.Malformed", "Specified Bgp Group description is not valid.")
AUTH_KEY = ("InvalidBgpAuthkey.Malformed", "Specified Bgp Group authkey is not valid.")
PEER_ASN = ("InvalidPeerAsn.Malformed", "invalid peer asn cannot equals aliyun asn:45104")
NOT_NULL = ("InvalidParams.NotNull", "invalid peer asn cannot equals aliyun asn:45104")
IP = ("InvalidIP.Malformed", "Ip malformed.")
INSTANCE_NOT_FOUND = ("InvalidParams.NotFound", "instance not found")
VPC_NOT_FOUND = ("InvalidParams.NotFound", "vpc instance not found")
ALREADY_EXISTS = ("InvalidParams.AlreadyExists", "bgp network already exists")
CANNOT_OPERATE = ("InvalidStatus.CannotOperate", "invalid status cannot operate")
VBR_HAS_GROUPS = ("DependencyViolation.BgpGroup", "bgp group exists, cannot delete vbr.")


def error(call, status, row):
    assert_error(call, status, row[0], row[1])


@pytest.fixture
def pc(old, emulator):
    return enabled_physical_connection(old, emulator)


@pytest.fixture
def vbr(old, emulator, pc):
    return make_vbr(old, emulator, pc_id=pc)


def create_group(old, vbr_id, **params):
    params.setdefault("PeerAsn", 65001)
    return old.CreateBgpGroup(RouterId=vbr_id, **params)["BgpGroupId"]


def groups(old, **params):
    return old.DescribeBgpGroups(**params)["BgpGroups"]["BgpGroup"]


def peers(old, **params):
    return old.DescribeBgpPeers(**params)["BgpPeers"]["BgpPeer"]


def networks(old, **params):
    return old.DescribeBgpNetworks(**params)["BgpNetworks"]["BgpNetwork"]


# --- groups --------------------------------------------------------------------------------------


def test_a_group_is_created_described_modified_and_deleted(old, vbr):
    created = old.CreateBgpGroup(RouterId=vbr, PeerAsn=4200000001, AuthKey="!PWZ2wsq", Name="idc-1",
                                 Description="Beijing IDC", IsFakeAsn=True)
    group_id = created["BgpGroupId"]
    assert group_id.startswith("bgpg-") and created["RequestId"]
    [item] = groups(old, BgpGroupId=group_id)
    assert item == {
        "BgpGroupId": group_id, "LocalAsn": 45104, "Hold": 30, "Description": "Beijing IDC",
        "AuthKey": "!PWZ2wsq", "IsFake": True, "PeerAsn": 4200000001, "Keepalive": 10, "RouteLimit": 99,
        "Name": "idc-1", "Status": "Available", "RouterId": vbr, "RegionId": REGION, "IpVersion": "IPv4",
    }
    old.ModifyBgpGroupAttribute(BgpGroupId=group_id, PeerAsn=65010, Name="idc-2", Description="Moved",
                                IsFakeAsn=False)
    [item] = groups(old, BgpGroupId=group_id)
    assert (item["PeerAsn"], item["Name"], item["Description"], item["IsFake"]) == (65010, "idc-2", "Moved", False)
    assert item["AuthKey"] == "!PWZ2wsq"
    old.ModifyBgpGroupAttribute(BgpGroupId=group_id, ClearAuthKey=True)
    assert groups(old, BgpGroupId=group_id)[0]["AuthKey"] == ""
    old.DeleteBgpGroup(BgpGroupId=group_id)
    assert groups(old) == []
    error(lambda: old.DeleteBgpGroup(BgpGroupId=group_id), 400, GROUP_NOT_FOUND)


@pytest.mark.parametrize("asn", [45104, 0, 4294967296, "AS65001"])
def test_create_group_peer_asn(old, vbr, asn):
    error(lambda: old.CreateBgpGroup(RouterId=vbr, PeerAsn=asn), 400, PEER_ASN)


@pytest.mark.parametrize("params,row", [
    (dict(Name="1abc"), NAME),
    (dict(Name="http://x"), NAME),
    (dict(Description="x"), DESCRIPTION),
    (dict(Description="https://example.com"), DESCRIPTION),
    (dict(AuthKey="with space"), AUTH_KEY),
    (dict(AuthKey="k" * 65), AUTH_KEY),
    (dict(AuthKey="密钥"), AUTH_KEY),
])
def test_create_group_malformed_parameters(old, vbr, params, row):
    error(lambda: create_group(old, vbr, **params), 400, row)


def test_create_group_needs_an_active_vbr_of_the_region(old, vbr):
    error(lambda: old.CreateBgpGroup(PeerAsn=65001), 400, NOT_NULL)
    error(lambda: old.CreateBgpGroup(RouterId="vbr-nope", PeerAsn=65001), 400, VBR_NETWORK)
    error(lambda: old.CreateBgpGroup(RouterId=vbr, PeerAsn=65001, RegionId="xx-nowhere-1"), 404, REGION_NOT_FOUND)
    old.TerminateVirtualBorderRouter(VbrId=vbr)
    error(lambda: create_group(old, vbr), 400, CANNOT_OPERATE)
    old.RecoverVirtualBorderRouter(VbrId=vbr)
    create_group(old, vbr)


def test_a_vbr_holds_eight_groups_and_describe_pages(old, emulator, pc, vbr):
    other = make_vbr(old, emulator, vlan=11, pc_id=pc)
    for _ in range(8):
        create_group(old, vbr)
    error(lambda: create_group(old, vbr), 400, BGP_QUOTA)
    create_group(old, other)
    assert old.DescribeBgpGroups()["TotalCount"] == 9
    assert [g["RouterId"] for g in groups(old, RouterId=other)] == [other]
    page = old.DescribeBgpGroups(PageSize=4, PageNumber=3)
    assert (page["TotalCount"], page["PageNumber"], page["PageSize"]) == (9, 3, 4)
    assert len(page["BgpGroups"]["BgpGroup"]) == 1
    assert groups(old, IsDefault=True) == []
    error(lambda: old.DescribeBgpGroups(RegionId="xx-nowhere-1"), 404, REGION_NOT_IN_RECORDS)


def test_modify_group_errors(old, vbr):
    group_id = create_group(old, vbr)
    error(lambda: old.ModifyBgpGroupAttribute(BgpGroupId="bgpg-nope", Name="n1"), 400, GROUP_NOT_FOUND)
    error(lambda: old.ModifyBgpGroupAttribute(BgpGroupId=group_id, PeerAsn=45104), 400, PEER_ASN)
    error(lambda: old.ModifyBgpGroupAttribute(BgpGroupId=group_id, AuthKey="a b"), 400, AUTH_KEY)
    error(lambda: old.ModifyBgpGroupAttribute(BgpGroupId=group_id, Name="9"), 400, NAME)
    error(lambda: old.ModifyBgpGroupAttribute(BgpGroupId=group_id, Description="9"), 400, DISCRIPTION)
    error(lambda: old.ModifyBgpGroupAttribute(BgpGroupId=group_id, RegionId="xx-nowhere-1"), 404,
          REGION_UNSUPPORTED)
    old.TerminateVirtualBorderRouter(VbrId=vbr)
    error(lambda: old.ModifyBgpGroupAttribute(BgpGroupId=group_id, Name="later"), 400, CANNOT_OPERATE)


def test_groups_block_deleting_the_vbr_and_peers_the_group(old, vbr):
    group_id = create_group(old, vbr)
    peer_id = old.CreateBgpPeer(BgpGroupId=group_id)["BgpPeerId"]
    error(lambda: old.DeleteVirtualBorderRouter(VbrId=vbr), 400, VBR_HAS_GROUPS)
    error(lambda: old.DeleteBgpGroup(BgpGroupId=group_id), 400, CANNOT_OPERATE)
    error(lambda: old.DeleteBgpGroup(BgpGroupId=group_id, RegionId="xx-nowhere-1"), 404, REGION_UNSUPPORTED)
    old.DeleteBgpPeer(BgpPeerId=peer_id)
    error(lambda: old.DeleteBgpPeer(BgpPeerId=peer_id), 404, VPC_NOT_FOUND)
    error(lambda: old.DeleteBgpPeer(BgpPeerId=peer_id, RegionId="xx-nowhere-1"), 404, REGION_UNSUPPORTED)
    # The BGP configuration of a terminated VBR can be removed, then the VBR deleted.
    old.TerminateVirtualBorderRouter(VbrId=vbr)
    old.DeleteBgpGroup(BgpGroupId=group_id)
    old.DeleteVirtualBorderRouter(VbrId=vbr)


# --- peers ---------------------------------------------------------------------------------------


def test_a_peer_takes_the_peer_gateway_ip_of_the_only_link(old, vbr):
    group_id = create_group(old, vbr, AuthKey="secret")
    created = old.CreateBgpPeer(BgpGroupId=group_id, EnableBfd=True)
    peer_id = created["BgpPeerId"]
    assert peer_id.startswith("bgp-")
    [item] = peers(old, BgpPeerId=peer_id)
    assert item["PeerIpAddress"] == "10.0.10.2"
    assert (item["BgpGroupId"], item["RouterId"], item["RegionId"]) == (group_id, vbr, REGION)
    assert (item["PeerAsn"], item["LocalAsn"], item["AuthKey"]) == (65001, 45104, "secret")
    assert (item["EnableBfd"], item["Status"], item["BgpStatus"]) == (True, "Available", "Established")
    assert (item["AdvertisedRouteCount"], item["ReceivedRouteCount"], item["IpVersion"]) == (0, 0, "IPv4")
    error(lambda: old.CreateBgpPeer(BgpGroupId=group_id), 400, ALREADY_EXISTS)
    error(lambda: old.CreateBgpPeer(BgpGroupId=group_id, PeerIpAddress="10.0.10.1"), 400, IP)
    error(lambda: old.CreateBgpPeer(BgpGroupId=group_id, PeerIpAddress="10.0.10.300"), 400, IP)
    error(lambda: old.CreateBgpPeer(BgpGroupId="bgpg-nope"), 400, GROUP_NOT_FOUND)
    error(lambda: old.CreateBgpPeer(BgpGroupId=group_id, RegionId="xx-nowhere-1"), 404, REGION_UNSUPPORTED)
    other = create_group(old, vbr)
    old.CreateBgpPeer(BgpGroupId=other, PeerIpAddress="192.168.7.7")
    assert len(peers(old, RouterId=vbr)) == 2
    assert [p["PeerIpAddress"] for p in peers(old, BgpGroupId=other)] == ["192.168.7.7"]
    assert peers(old, IsDefault=True) == []
    error(lambda: old.DescribeBgpPeers(RegionId="xx-nowhere-1"), 404, REGION_NOT_IN_RECORDS)
    old.TerminateVirtualBorderRouter(VbrId=vbr)
    assert peers(old, BgpPeerId=peer_id)[0]["BgpStatus"] == "Idle"
    error(lambda: old.CreateBgpPeer(BgpGroupId=other, PeerIpAddress="192.168.7.8"), 400, CANNOT_OPERATE)


def test_a_vbr_on_two_connections_needs_the_peer_address(old, emulator, vbr):
    second = enabled_physical_connection(old, emulator, access_point=1)
    old.AssociatePhysicalConnectionToVirtualBorderRouter(
        VbrId=vbr, PhysicalConnectionId=second, VlanId=20, LocalGatewayIp="10.1.0.1", PeerGatewayIp="10.1.0.2",
        PeeringSubnetMask=PEERING_MASK)
    group_id = create_group(old, vbr)
    error(lambda: old.CreateBgpPeer(BgpGroupId=group_id), 400, PEER_IP_NEEDED)
    error(lambda: old.CreateBgpPeer(BgpGroupId=group_id, PeerIpAddress="10.1.0.1"), 400, IP)
    old.CreateBgpPeer(BgpGroupId=group_id, PeerIpAddress="10.1.0.2")


def test_a_vbr_holds_eight_peers(old, vbr):
    groups_ = [create_group(old, vbr), create_group(old, vbr)]
    for i in range(8):
        old.CreateBgpPeer(BgpGroupId=groups_[i % 2], PeerIpAddress=f"172.16.0.{i + 1}")
    error(lambda: old.CreateBgpPeer(BgpGroupId=groups_[0], PeerIpAddress="172.16.1.1"), 400, BGP_QUOTA)
    page = old.DescribeBgpPeers(PageSize=5, PageNumber=2)
    assert (page["TotalCount"], len(page["BgpPeers"]["BgpPeer"])) == (8, 3)


def test_modify_peer(old, emulator, pc, vbr):
    foreign = create_group(old, make_vbr(old, emulator, vlan=11, pc_id=pc))
    a, b = create_group(old, vbr), create_group(old, vbr)
    peer_id = old.CreateBgpPeer(BgpGroupId=a)["BgpPeerId"]
    old.CreateBgpPeer(BgpGroupId=b, PeerIpAddress="172.16.0.9")
    old.ModifyBgpPeerAttribute(BgpPeerId=peer_id, BgpGroupId=b, PeerIpAddress="172.16.0.1", EnableBfd=True)
    [item] = peers(old, BgpPeerId=peer_id)
    assert (item["BgpGroupId"], item["PeerIpAddress"], item["EnableBfd"]) == (b, "172.16.0.1", True)
    old.DeleteBgpGroup(BgpGroupId=a)
    error(lambda: old.ModifyBgpPeerAttribute(BgpPeerId="bgp-nope"), 404, INSTANCE_NOT_FOUND)
    error(lambda: old.ModifyBgpPeerAttribute(BgpPeerId=peer_id, BgpGroupId=foreign), 400, GROUP_NOT_FOUND)
    error(lambda: old.ModifyBgpPeerAttribute(BgpPeerId=peer_id, PeerIpAddress="172.16.0.9"), 400, ALREADY_EXISTS)
    error(lambda: old.ModifyBgpPeerAttribute(BgpPeerId=peer_id, PeerIpAddress="1.2.3"), 400, IP)
    error(lambda: old.ModifyBgpPeerAttribute(BgpPeerId=peer_id, RegionId="xx-nowhere-1"), 404,
          REGION_NOT_IN_RECORDS)
    old.TerminateVirtualBorderRouter(VbrId=vbr)
    error(lambda: old.ModifyBgpPeerAttribute(BgpPeerId=peer_id, EnableBfd=False), 400, CANNOT_OPERATE)


# --- networks ------------------------------------------------------------------------------------


def test_networks_are_advertised_described_and_withdrawn(old, emulator, pc, vbr):
    other = make_vbr(old, emulator, vlan=11, pc_id=pc)
    vpc_id = old.CreateVpc(CidrBlock="192.168.0.0/16")["VpcId"]
    old.AddBgpNetwork(RouterId=vbr, DstCidrBlock="192.168.1.0/24", VpcId=vpc_id)
    old.AddBgpNetwork(RouterId=vbr, DstCidrBlock="10.110.192.12/32")
    old.AddBgpNetwork(RouterId=other, DstCidrBlock="192.168.1.0/24")
    assert networks(old, RouterId=vbr) == [
        {"DstCidrBlock": "192.168.1.0/24", "VpcId": vpc_id, "RouterId": vbr, "Status": "Available"},
        {"DstCidrBlock": "10.110.192.12/32", "VpcId": "", "RouterId": vbr, "Status": "Available"},
    ]
    assert len(networks(old, DstCidrBlock="192.168.1.0/24")) == 2
    page = old.DescribeBgpNetworks(PageSize=2, PageNumber=2)
    assert (page["TotalCount"], page["PageNumber"], page["PageSize"]) == (3, 2, 2)
    assert len(page["BgpNetworks"]["BgpNetwork"]) == 1

    error(lambda: old.AddBgpNetwork(RouterId=vbr, DstCidrBlock="192.168.1.0/24"), 400, ALREADY_EXISTS)
    error(lambda: old.AddBgpNetwork(RouterId=vbr, DstCidrBlock="192.168.1.1/24"), 400, IP)
    error(lambda: old.AddBgpNetwork(RouterId="vbr-nope", DstCidrBlock="10.0.0.0/8"), 400, VBR_NETWORK)
    error(lambda: old.AddBgpNetwork(RouterId=vbr, DstCidrBlock="10.0.0.0/8", VpcId="vpc-nope"), 404, VPC_NOT_FOUND)
    error(lambda: old.AddBgpNetwork(RouterId=vbr, DstCidrBlock="10.0.0.0/8", RegionId="xx-nowhere-1"), 404,
          REGION_NOT_IN_RECORDS)

    old.DeleteBgpNetwork(RouterId=vbr, DstCidrBlock="192.168.1.0/24")
    error(lambda: old.DeleteBgpNetwork(RouterId=vbr, DstCidrBlock="192.168.1.0/24"), 400, VBR_NETWORK)
    error(lambda: old.DeleteBgpNetwork(RouterId="vbr-nope", DstCidrBlock="10.0.0.0/8"), 400, VBR_NETWORK)
    error(lambda: old.DeleteBgpNetwork(RouterId=vbr, DstCidrBlock="10.0.0.1/8"), 400, IP)
    error(lambda: old.DeleteBgpNetwork(RouterId=vbr, DstCidrBlock="10.0.0.0/8", RegionId="xx-nowhere-1"), 404,
          REGION_UNSUPPORTED)

    old.TerminateVirtualBorderRouter(VbrId=other)
    error(lambda: old.AddBgpNetwork(RouterId=other, DstCidrBlock="10.0.0.0/8"), 400, CANNOT_OPERATE)
    # A VBR's networks go with it.
    old.DeleteVirtualBorderRouter(VbrId=other)
    assert [n["DstCidrBlock"] for n in networks(old)] == ["10.110.192.12/32"]


def test_a_vbr_advertises_fifty_networks(old, vbr):
    for i in range(50):
        old.AddBgpNetwork(RouterId=vbr, DstCidrBlock=f"10.{i}.0.0/16")
    error(lambda: old.AddBgpNetwork(RouterId=vbr, DstCidrBlock="11.0.0.0/8"), 400, NETWORK_QUOTA)


# --- transitions ---------------------------------------------------------------------------------


def test_pending_and_modifying_last_the_transition_delay(old_delayed, delayed):
    old = old_delayed
    vbr = make_vbr(old, delayed, settle=lambda: delayed.advance(DELAY))
    group_id = create_group(old, vbr)
    assert groups(old)[0]["Status"] == "Pending"
    error(lambda: old.ModifyBgpGroupAttribute(BgpGroupId=group_id, Name="later"), 400, CANNOT_OPERATE)
    error(lambda: old.CreateBgpPeer(BgpGroupId=group_id), 400, CANNOT_OPERATE)
    delayed.advance(DELAY)
    old.ModifyBgpGroupAttribute(BgpGroupId=group_id, Name="now")
    assert groups(old)[0]["Status"] == "Modifying"
    error(lambda: old.DeleteBgpGroup(BgpGroupId=group_id), 400, CANNOT_OPERATE)
    delayed.advance(DELAY)
    assert groups(old)[0]["Status"] == "Available"

    peer_id = old.CreateBgpPeer(BgpGroupId=group_id)["BgpPeerId"]
    assert (peers(old)[0]["Status"], peers(old)[0]["BgpStatus"]) == ("Pending", "Idle")
    error(lambda: old.DeleteBgpPeer(BgpPeerId=peer_id), 400, CANNOT_OPERATE)
    error(lambda: old.ModifyBgpPeerAttribute(BgpPeerId=peer_id, EnableBfd=True), 400, CANNOT_OPERATE)
    delayed.advance(DELAY)
    assert (peers(old)[0]["Status"], peers(old)[0]["BgpStatus"]) == ("Available", "Established")
    old.DeleteBgpPeer(BgpPeerId=peer_id)

    old.AddBgpNetwork(RouterId=vbr, DstCidrBlock="10.0.0.0/8")
    assert networks(old)[0]["Status"] == "Pending"
    error(lambda: old.DeleteBgpNetwork(RouterId=vbr, DstCidrBlock="10.0.0.0/8"), 400, CANNOT_OPERATE)
    delayed.advance(DELAY)
    old.DeleteBgpNetwork(RouterId=vbr, DstCidrBlock="10.0.0.0/8")


# --- Tea -----------------------------------------------------------------------------------------


def test_bgp_through_tea(old, tea, vbr):
    group_id = tea.create_bgp_group(m.CreateBgpGroupRequest(
        region_id=REGION, router_id=vbr, peer_asn=65001, auth_key="k3y", name="tea-group")).body.bgp_group_id
    peer_id = tea.create_bgp_peer(m.CreateBgpPeerRequest(
        region_id=REGION, bgp_group_id=group_id, peer_ip_address="10.0.10.2", enable_bfd=True)).body.bgp_peer_id
    tea.add_bgp_network(m.AddBgpNetworkRequest(region_id=REGION, router_id=vbr, dst_cidr_block="10.9.0.0/16"))

    body = tea.describe_bgp_groups(m.DescribeBgpGroupsRequest(region_id=REGION, router_id=vbr)).body
    [g] = body.bgp_groups.bgp_group
    assert (g.bgp_group_id, g.name, g.auth_key, g.status) == (group_id, "tea-group", "k3y", "Available")
    body = tea.describe_bgp_peers(m.DescribeBgpPeersRequest(region_id=REGION, bgp_group_id=group_id)).body
    [p] = body.bgp_peers.bgp_peer
    assert (p.bgp_peer_id, p.peer_ip_address, p.enable_bfd, p.advertised_route_count) == (peer_id, "10.0.10.2", True, 1)
    body = tea.describe_bgp_networks(m.DescribeBgpNetworksRequest(region_id=REGION, router_id=vbr)).body
    [n] = body.bgp_networks.bgp_network
    assert (n.dst_cidr_block, n.router_id, n.status) == ("10.9.0.0/16", vbr, "Available")

    tea.modify_bgp_group_attribute(m.ModifyBgpGroupAttributeRequest(region_id=REGION, bgp_group_id=group_id,
                                                                    peer_asn=65002))
    tea.modify_bgp_peer_attribute(m.ModifyBgpPeerAttributeRequest(region_id=REGION, bgp_peer_id=peer_id,
                                                                  enable_bfd=False))
    error(lambda: tea.create_bgp_group(m.CreateBgpGroupRequest(region_id=REGION, router_id=vbr, peer_asn=45104)),
          400, PEER_ASN)
    error(lambda: tea.delete_bgp_group(m.DeleteBgpGroupRequest(region_id=REGION, bgp_group_id=group_id)),
          400, CANNOT_OPERATE)
    tea.delete_bgp_network(m.DeleteBgpNetworkRequest(region_id=REGION, router_id=vbr, dst_cidr_block="10.9.0.0/16"))
    tea.delete_bgp_peer(m.DeleteBgpPeerRequest(region_id=REGION, bgp_peer_id=peer_id))
    tea.delete_bgp_group(m.DeleteBgpGroupRequest(region_id=REGION, bgp_group_id=group_id))
    assert old.DescribeBgpGroups()["BgpGroups"]["BgpGroup"] == []
