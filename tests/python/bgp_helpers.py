"""Setup shared by the BGP tests: a virtual border router on an Enabled physical connection.

The physical connection comes from pc_helpers.to_enabled (the provider's steps through the
emulator's control endpoints)."""

from pc_helpers import AP, AP_B, to_enabled

PEERING_MASK = "255.255.255.252"


def enabled_physical_connection(old, emulator, access_point=0, settle=lambda: None):
    """An Enabled physical connection at the first (or, with ``access_point=1``, the second) access
    point of the tests; ``settle`` ends the provider's Allocating phase on a delayed server."""
    return to_enabled(old, emulator, settle=settle, AccessPointId=(AP, AP_B)[min(access_point, 1)])


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

