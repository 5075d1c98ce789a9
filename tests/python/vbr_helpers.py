"""Helpers of the virtual border router tests (VPC reference chapter 13): the peering parameters
of a link, shortcuts to create VBRs and read them back through both describe actions."""

PEERING = dict(LocalGatewayIp="10.0.0.1", PeerGatewayIp="10.0.0.2", PeeringSubnetMask="255.255.255.252")

DAY = 24 * 3600
HOLD_SECONDS = 7 * DAY  # a terminated VBR keeps its VLAN ID this long


def create_vbr(api, pc_id, vlan, **params):
    """CreateVirtualBorderRouter on ``pc_id`` with VLAN ``vlan`` and PEERING (``params`` override
    them; a parameter given as None is left out); returns the new VbrId."""
    base = dict(PhysicalConnectionId=pc_id, VlanId=vlan, **PEERING)
    base.update(params)
    return api.CreateVirtualBorderRouter(**{k: v for k, v in base.items() if v is not None})["VbrId"]


def associate(api, vbr_id, pc_id, vlan, **params):
    """AssociatePhysicalConnectionToVirtualBorderRouter with PEERING (``params`` override them; None
    leaves a parameter out)."""
    base = dict(VbrId=vbr_id, PhysicalConnectionId=pc_id, VlanId=None if vlan is None else str(vlan), **PEERING)
    base.update(params)
    return api.AssociatePhysicalConnectionToVirtualBorderRouter(**{k: v for k, v in base.items() if v is not None})


def unassociate(api, vbr_id, pc_id):
    return api.UnassociatePhysicalConnectionFromVirtualBorderRouter(VbrId=vbr_id, PhysicalConnectionId=pc_id)


def filters(*pairs):
    """Filter list of (key, values) pairs, in the old core setter's shape (VpcTeaApi renames it)."""
    return [dict(Key=k, Value=list(v)) for k, v in pairs]


def vbrs(api, *pairs, **params):
    """The DescribeVirtualBorderRouters items passing the (key, values) filters."""
    if pairs:
        params["Filters"] = filters(*pairs)
    return api.DescribeVirtualBorderRouters(**params)["VirtualBorderRouterSet"]["VirtualBorderRouterType"]


def vbr_ids(api, *pairs, **params):
    return sorted(v["VbrId"] for v in vbrs(api, *pairs, **params))


def vbr_item(api, vbr_id):
    """The DescribeVirtualBorderRouters item of one VBR."""
    [item] = vbrs(api, ("VbrId", [vbr_id]))
    return item


def status_of(api, vbr_id):
    return vbr_item(api, vbr_id)["Status"]


def links(item):
    """AssociatedPhysicalConnections.AssociatedPhysicalConnection of a DescribeVirtualBorderRouters item."""
    return item["AssociatedPhysicalConnections"]["AssociatedPhysicalConnection"]


def for_pc(api, pc_id, *pairs, **params):
    """The DescribeVirtualBorderRoutersForPhysicalConnection items of ``pc_id``."""
    if pairs:
        params["Filters"] = filters(*pairs)
    body = api.DescribeVirtualBorderRoutersForPhysicalConnection(PhysicalConnectionId=pc_id, **params)
    return body["VirtualBorderRouterForPhysicalConnectionSet"]["VirtualBorderRouterForPhysicalConnectionType"]


def for_pc_ids(api, pc_id, *pairs, **params):
    return sorted(v["VbrId"] for v in for_pc(api, pc_id, *pairs, **params))
