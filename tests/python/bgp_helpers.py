"""Setup shared by the BGP tests: a virtual border router on an Enabled physical connection.

The physical connection's provider-side steps are driven through the emulator's control endpoints
(`POST /_emulator/physical-connections/{id}/{step}`); the step names follow the physical-connection
family (docs/express_connect/)."""

import uuid

import requests

# The provider's steps that take a new connection from Initial to Confirmed, in order.
PROVIDER_STEPS = ("approve", "allocate", "confirm")
PEERING_MASK = "255.255.255.252"


def enabled_physical_connection(old, emulator, access_point=0, settle=lambda: None):
    """A physical connection at the region's ``access_point``-th access point (the last one if there
    are fewer), driven to Enabled. ``settle`` runs after each step (a delayed server advances its
    clock there)."""
    points = old.DescribeAccessPoints()["AccessPointSet"]["AccessPointType"]
    pc_id = old.CreatePhysicalConnection(
        AccessPointId=points[min(access_point, len(points) - 1)]["AccessPointId"],
        LineOperator="CT",
        PeerLocation="Hangzhou IDC",
        PortType="1000Base-LX",
        ClientToken=str(uuid.uuid4()),
    )["PhysicalConnectionId"]
    settle()
    for step in PROVIDER_STEPS:
        r = requests.post(f"{emulator.url}/_emulator/physical-connections/{pc_id}/{step}", timeout=5)
        assert r.status_code == 200, f"{step}: {r.status_code} {r.text}"
        settle()
    old.EnablePhysicalConnection(PhysicalConnectionId=pc_id)
    settle()
    return pc_id


def make_vbr(old, emulator, vlan=10, pc_id=None, settle=lambda: None):
    """A VBR on VLAN ``vlan`` of an Enabled physical connection (a new one unless ``pc_id``):
    local gateway 10.0.<vlan>.1, peer gateway 10.0.<vlan>.2, /30. Returns the VbrId."""
    pc_id = pc_id or enabled_physical_connection(old, emulator, settle=settle)
    vbr_id = old.CreateVirtualBorderRouter(
        PhysicalConnectionId=pc_id,
        VlanId=vlan,
        LocalGatewayIp=f"10.0.{vlan}.1",
        PeerGatewayIp=f"10.0.{vlan}.2",
        PeeringSubnetMask=PEERING_MASK,
    )["VbrId"]
    settle()
    return vbr_id

