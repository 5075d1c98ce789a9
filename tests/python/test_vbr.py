"""Virtual border routers (Express Connect, VPC reference chapter 13) through the old core SDK's
request classes and the Tea client: the nine actions, the VLAN and peering rules, terminate and
recover with the seven-day VLAN hold, associations with further physical connections, both
describe actions, and the VBR's route table (docs/express_connect/vbr.md)."""

import pytest

from conftest import TRANSITION_DELAY_SECONDS as DELAY
from helpers import OldApi, assert_error, ecs_network, make_acs, make_tea, run_instance
from pc_helpers import AP, AP_B, VpcTeaApi, create_pc, to_confirmed, to_enabled
from vbr_helpers import (HOLD_SECONDS, PEERING, associate, create_vbr, for_pc, for_pc_ids, links, status_of,
                         unassociate, vbr_ids, vbr_item, vbrs)

# --- documented errors (status, code, message) ---------------------------------------------------

PC_NOT_FOUND = (404, "InvalidPhysicalConnectionId.NotFound", "The specified PhysicalConnectionId is not found.")
PC_NOT_ENABLED = (400, "InvalidPhysicalConnectionId.NotEnabled",
                  "The specified PhysicalConnectionId is not in Enabled state.")
PC_NOT_OWNED = (404, "InvalidPhysicalConnectionId.NotFound",
                "The specified PhysicalConnectionId does not belong to user.")
OWNER_NOT_FOUND = (404, "InvalidVbrOwnerId.NotFound", "The specified VbrOwnerId is not valid.")
QUOTA = (400, "QuotaExceeded.vbrPerpConn", "Virtual boarder router per PhysicalConnection quota exceed.")
VBR_NOT_FOUND = (404, "InvalidVbrId.NotFound", "The specified VirutalBorderRouter does not exist in our records.")
VBR_NOT_FOUND_SHORT = (404, "InvalidVbrId.NotFound", "The specified VirutalBorderRouter is not found.")
VBR_OR_PC_NOT_FOUND = (404, "InvalidVbrId.NotFound",
                       "The specified VirutalBorderRouter or PhysicalConnection does not exist in our records.")
IN_STATE = (400, "InvalidOperation.OperationNotAllowedInState",
            "The specified VirutalBorderRouter is in invalid state.")
IN_STATE_RECOVER = (400, "InvalidOperation.OperationNotAllowedInState",
                    "The specified VirutalBorderRouter is in invalid state")
VLAN_IN_USE = (400, "OperationFailed.VlanIdAlreadyInUse", "The specifed vlanId has been used.")
VBR_EXISTS = (400, "Forbidden.VBRExists", "vbr owner's vbr still exists.")
ASSOCIATED_TO_VBR = (400, "Forbidden.AssociateToVBR", "The physical connection still associate to VBR.")
STILL_ASSOCIATED = (400, "InvalidStatus.NotAllowed", "The virtual border has been associated by physicalConnection.")
VLAN_MALFORMED = (400, "InvalidVlanId.Malformed", "The specified VlanId is not valid.")
VLAN_USED = (400, "InvalidVlanId.Used", "The specified VlanId has been used.")
LOCAL_MALFORMED = (400, "InvalidLocalGatewayIp.Malformed", "The specified LocalGatewayIp is not valid.")
PEER_MALFORMED = (400, "InvalidPeerGatewayIp.Malformed", "The specified PeerGatewayIp is not valid.")
IP_MALFORMED = (400, "InvalidIp.Malformed", "The specified ip address is not valid.")
MASK_MALFORMED = (400, "InvalidPeeringSubnetMask.Malformed", "The specified PeeringSubnetMask is not valid.")
NOT_SAME_SUBNET = (400, "InvalidIp.NotSameSubnet", "Local gateway ip and peer gateway ip are not in the same subnet.")
TOO_MANY = (400, "EXCEED_ASSOCIATE_MAX_NUM", "assocaite virtual boarder num too many.")
VBR_STATUS = (400, "InvalidStatus.NotAllowed", "Invalid virtual border router status.")
NOT_ALLOWED = (400, "PHYSICAL_NOT_ALLOW_ASSOCIATE_VBR", "The specified operation not allow.")
NOT_ASSOCIATED = (400, "PHYSICAL_NOT_ASSOCIATE_TO_VBR",
                  "The specified PhysicalConnection have not associate to the vbr.")
MUST_NOT_NULL = (400, "PARAMETER_MUST_NOT_NULL", "The specified physical connection id or vbrId must not be null.")
BAD_NAME = (400, "InvalidName.Malformed", "The specified ?Name? is not valid.")
BAD_DESCRIPTION = (400, "InvalidDescription.Malformed", "The specifid ?Description? is not valid.")
FILTER_KEY = (404, "InvalidFilterKey.ValueNotSupported", "Specified filter key is not supported: Filter.X.key")
PC_NOT_IN_STATE = (400, "Forbidden.NotAllowedInState", "The request does not allow in this state.")
TABLE_NOT_FOUND = (404, "InvalidRouteTableId.NotFound", "Specified route table does not exist.")


def missing(name):
    return (400, "MissingParameter",
            f"The input parameter '{name}' that is mandatory for processing this request is not supplied.")


# The fields of a DescribeVirtualBorderRouters item and of its links (chapter 13.3).
ITEM_FIELDS = {
    "VbrId", "Name", "Description", "Status", "RouteTableId", "CreationTime", "ActivationTime", "TerminationTime",
    "RecoveryTime", "PhysicalConnectionId", "PhysicalConnectionStatus", "PhysicalConnectionBusinessStatus",
    "PhysicalConnectionOwnerUid", "AccessPointId", "VlanId", "VlanInterfaceId", "CircuitCode", "LocalGatewayIp",
    "PeerGatewayIp", "PeeringSubnetMask", "DetectMultiplier", "MinRxInterval", "MinTxInterval", "AssociatedCens",
    "AssociatedPhysicalConnections",
}
LINK_FIELDS = {
    "CircuitCode", "PhysicalConnectionId", "PhysicalConnectionStatus", "PhysicalConnectionOwnerUid", "VlanId",
    "VlanInterfaceId", "LocalGatewayIp", "PeerGatewayIp", "PeeringSubnetMask", "Status",
}
# The fields of a DescribeVirtualBorderRoutersForPhysicalConnection item (chapter 13.4).
FOR_PC_FIELDS = {
    "VbrId", "VbrOwnerUid", "Status", "Type", "EccId", "CircuitCode", "VlanId", "LocalGatewayIp", "PeerGatewayIp",
    "PeeringSubnetMask", "CreationTime", "ActivationTime", "TerminationTime", "RecoveryTime",
}


@pytest.fixture(scope="session")
def tea_api(tea):
    return VpcTeaApi(tea)


@pytest.fixture(params=["old", "tea"])
def api(request, old, tea_api):
    """Either SDK flavour, called the same way."""
    return old if request.param == "old" else tea_api


@pytest.fixture(params=["old", "tea"])
def dapi(request, delayed):
    """Either SDK flavour on the delayed server (transitions last DELAY seconds of emulated time)."""
    if request.param == "old":
        return OldApi(make_acs(delayed.endpoint), delayed.endpoint)
    return VpcTeaApi(make_tea(delayed.endpoint))


@pytest.fixture
def pc(api, emulator):
    """An Enabled physical connection at AP."""
    return to_enabled(api, emulator)


def account(emulator):
    return emulator.billing()["account_id"]


# --- create, describe, delete --------------------------------------------------------------------


def test_a_vbr_from_creation_to_deletion(api, emulator, pc):
    body = api.CreateVirtualBorderRouter(PhysicalConnectionId=pc, VlanId=10, Name="vbr-1", Description="The first",
                                         CircuitCode="cc-001", **PEERING)
    assert set(body) == {"RequestId", "VbrId"}
    vbr = body["VbrId"]
    assert vbr.startswith("vbr-")
    item = vbr_item(api, vbr)
    assert set(item) == ITEM_FIELDS
    assert (item["VbrId"], item["Name"], item["Description"], item["Status"]) == (vbr, "vbr-1", "The first", "active")
    assert item["RouteTableId"].startswith("vtb-")
    assert (item["PhysicalConnectionId"], item["PhysicalConnectionStatus"]) == (pc, "Enabled")
    assert item["PhysicalConnectionBusinessStatus"] == "Normal"
    assert item["PhysicalConnectionOwnerUid"] == account(emulator)
    assert item["AccessPointId"] == AP
    assert item["VlanId"] == 10 and item["VlanInterfaceId"].startswith("ri-")
    assert item["CircuitCode"] == "cc-001"
    assert (item["LocalGatewayIp"], item["PeerGatewayIp"], item["PeeringSubnetMask"]) == (
        "10.0.0.1", "10.0.0.2", "255.255.255.252")
    assert (item["DetectMultiplier"], item["MinRxInterval"], item["MinTxInterval"]) == (3, 300, 300), "BFD defaults"
    assert item["CreationTime"].endswith("Z") and item["ActivationTime"].endswith("Z")
    assert item["TerminationTime"] == "" and item["RecoveryTime"] == ""
    assert item["AssociatedCens"]["AssociatedCen"] == []
    [link] = links(item)
    assert set(link) == LINK_FIELDS
    assert link == {
        "CircuitCode": "cc-001", "PhysicalConnectionId": pc, "PhysicalConnectionStatus": "Enabled",
        "PhysicalConnectionOwnerUid": account(emulator), "VlanId": "10", "VlanInterfaceId": item["VlanInterfaceId"],
        "LocalGatewayIp": "10.0.0.1", "PeerGatewayIp": "10.0.0.2", "PeeringSubnetMask": "255.255.255.252",
        "Status": "Enabled",
    }

    assert set(api.DeleteVirtualBorderRouter(VbrId=vbr)) == {"RequestId"}
    assert vbrs(api) == []
    assert_error(lambda: api.DeleteVirtualBorderRouter(VbrId=vbr), *VBR_NOT_FOUND)


def test_name_description_and_circuit_code_are_optional(api, pc):
    vbr = create_vbr(api, pc, 1)
    item = vbr_item(api, vbr)
    assert (item["Name"], item["Description"], item["CircuitCode"]) == ("", "", "")


def test_the_same_client_token_creates_one_vbr(api, pc):
    first = create_vbr(api, pc, 7, ClientToken="vbr-token-1")
    assert create_vbr(api, pc, 7, ClientToken="vbr-token-1") == first
    assert vbr_ids(api) == [first]


def test_the_owner_may_name_itself(api, emulator, pc):
    vbr = create_vbr(api, pc, 5, VbrOwnerId=int(account(emulator)))
    assert vbr_item(api, vbr)["PhysicalConnectionOwnerUid"] == account(emulator)


def test_a_vbr_for_another_account_is_unknown(api, pc):
    assert_error(lambda: create_vbr(api, pc, 5, VbrOwnerId=999999), *OWNER_NOT_FOUND)
    assert vbrs(api) == []


# --- the physical connection ---------------------------------------------------------------------


def test_the_connection_must_exist_and_be_enabled(api, emulator):
    assert_error(lambda: create_vbr(api, "pc-doesnotexist", 10), *PC_NOT_FOUND)
    confirmed = to_confirmed(api, emulator)
    assert_error(lambda: create_vbr(api, confirmed, 10), *PC_NOT_ENABLED)
    terminated = to_enabled(api, emulator, AccessPointId=AP_B)
    api.TerminatePhysicalConnection(PhysicalConnectionId=terminated)
    assert_error(lambda: create_vbr(api, terminated, 10), *PC_NOT_ENABLED)
    elsewhere = create_pc(api, RegionId="cn-shanghai", AccessPointId="ap-cn-shanghai-nh-A")
    assert_error(lambda: create_vbr(api, elsewhere, 10), *PC_NOT_FOUND)
    assert vbrs(api) == []


def test_a_connection_with_vbrs_cannot_be_terminated(api, emulator):
    pc_a = to_enabled(api, emulator)
    pc_b = to_enabled(api, emulator, AccessPointId=AP_B)
    vbr = create_vbr(api, pc_a, 10)
    assert_error(lambda: api.TerminatePhysicalConnection(PhysicalConnectionId=pc_a), *VBR_EXISTS)
    # DeletePhysicalConnection takes only ended connections, and none of them carries a VBR: a VBR
    # needs an Enabled connection and keeps it from being terminated.
    assert_error(lambda: api.DeletePhysicalConnection(PhysicalConnectionId=pc_a), *PC_NOT_IN_STATE)
    associate(api, vbr, pc_b, 30)
    assert_error(lambda: api.TerminatePhysicalConnection(PhysicalConnectionId=pc_b), *ASSOCIATED_TO_VBR)
    unassociate(api, vbr, pc_b)
    api.TerminatePhysicalConnection(PhysicalConnectionId=pc_b)
    api.TerminateVirtualBorderRouter(VbrId=vbr)
    # A terminated VBR still exists.
    assert_error(lambda: api.TerminatePhysicalConnection(PhysicalConnectionId=pc_a), *VBR_EXISTS)
    api.DeleteVirtualBorderRouter(VbrId=vbr)
    api.TerminatePhysicalConnection(PhysicalConnectionId=pc_a)
    for pc_id in (pc_a, pc_b):
        api.DeletePhysicalConnection(PhysicalConnectionId=pc_id)


def test_a_connection_takes_ten_vbrs(api, emulator, pc):
    created = [create_vbr(api, pc, vlan) for vlan in range(1, 11)]
    assert_error(lambda: create_vbr(api, pc, 11), *QUOTA)
    api.TerminateVirtualBorderRouter(VbrId=created[0])
    assert_error(lambda: create_vbr(api, pc, 11), *QUOTA)  # a terminated VBR still counts
    api.DeleteVirtualBorderRouter(VbrId=created[0])
    create_vbr(api, pc, 11)
    assert_error(lambda: create_vbr(api, pc, 12), *QUOTA)
    other = to_enabled(api, emulator, AccessPointId=AP_B)
    create_vbr(api, other, 12)
    assert len(vbrs(api, PageSize=50)) == 11


def test_associated_vbrs_count_towards_the_quota(api, emulator, pc):
    other = to_enabled(api, emulator, AccessPointId=AP_B)
    stranger = create_vbr(api, other, 100)
    for vlan in range(1, 10):
        create_vbr(api, pc, vlan)
    associate(api, stranger, pc, 200)
    assert_error(lambda: create_vbr(api, pc, 10), *QUOTA)  # nine created + one associated
    unassociate(api, stranger, pc)
    create_vbr(api, pc, 10)
    # Associate documents the quota too: the connection carries ten VBRs already.
    assert_error(lambda: associate(api, stranger, pc, 200), *QUOTA)
    assert len(for_pc(api, pc, PageSize=50)) == 10


# --- VLANs ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("vlan", [0, 3000, -1, "ten"])
def test_vlan_ids_are_1_to_2999(api, pc, vlan):
    assert_error(lambda: create_vbr(api, pc, vlan), *VLAN_MALFORMED)
    assert vbrs(api) == []


def test_vlan_ids_at_the_bounds(api, pc):
    low = create_vbr(api, pc, 1)
    high = create_vbr(api, pc, 2999)
    assert (vbr_item(api, low)["VlanId"], vbr_item(api, high)["VlanId"]) == (1, 2999)


def test_a_vlan_id_is_used_once_per_connection(api, emulator, pc):
    create_vbr(api, pc, 10)
    assert_error(lambda: create_vbr(api, pc, 10), *VLAN_USED)
    other = to_enabled(api, emulator, AccessPointId=AP_B)
    create_vbr(api, other, 10)  # another connection has its own VLANs
    assert vbr_ids(api, ("VlanId", ["10"])) == sorted(vbr_ids(api))


def test_a_terminated_vbr_holds_its_vlan_for_seven_days(api, emulator, pc):
    vbr = create_vbr(api, pc, 10)
    assert set(api.TerminateVirtualBorderRouter(VbrId=vbr)) == {"RequestId"}
    item = vbr_item(api, vbr)
    assert item["Status"] == "terminated" and item["TerminationTime"].endswith("Z")
    assert_error(lambda: create_vbr(api, pc, 10), *VLAN_USED)
    mover = create_vbr(api, pc, 20)
    assert_error(lambda: api.ModifyVirtualBorderRouterAttribute(VbrId=mover, VlanId=10), *VLAN_USED)
    emulator.advance(HOLD_SECONDS - 1)
    assert_error(lambda: create_vbr(api, pc, 10), *VLAN_USED)
    emulator.advance(1)
    taker = create_vbr(api, pc, 10)
    assert_error(lambda: api.RecoverVirtualBorderRouter(VbrId=vbr), *VLAN_IN_USE)
    assert status_of(api, vbr) == "terminated"
    api.TerminateVirtualBorderRouter(VbrId=taker)
    assert_error(lambda: api.RecoverVirtualBorderRouter(VbrId=vbr), *VLAN_IN_USE)  # held by the taker now
    api.DeleteVirtualBorderRouter(VbrId=taker)
    # A terminated VBR's VLAN stays held for its seven days even once the VBR is deleted.
    assert_error(lambda: api.RecoverVirtualBorderRouter(VbrId=vbr), *VLAN_IN_USE)
    emulator.advance(HOLD_SECONDS)
    assert set(api.RecoverVirtualBorderRouter(VbrId=vbr)) == {"RequestId"}
    item = vbr_item(api, vbr)
    assert item["Status"] == "active" and item["RecoveryTime"].endswith("Z")
    assert_error(lambda: create_vbr(api, pc, 10), *VLAN_USED)


def test_recover_checks_the_vlans_of_associated_connections(api, emulator, pc):
    other = to_enabled(api, emulator, AccessPointId=AP_B)
    vbr = create_vbr(api, pc, 10)
    associate(api, vbr, other, 30)
    api.TerminateVirtualBorderRouter(VbrId=vbr)
    assert_error(lambda: create_vbr(api, other, 30), *VLAN_USED)  # the associated link's VLAN is held too
    emulator.advance(HOLD_SECONDS)
    create_vbr(api, other, 30)
    assert_error(lambda: api.RecoverVirtualBorderRouter(VbrId=vbr), *VLAN_IN_USE)


# --- peering addresses ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params, error",
    [
        (dict(LocalGatewayIp="10.0.0.300"), LOCAL_MALFORMED),
        (dict(LocalGatewayIp="fe80::1"), LOCAL_MALFORMED),
        (dict(PeerGatewayIp="x"), PEER_MALFORMED),
        (dict(PeerGatewayIp="10.0.0"), PEER_MALFORMED),
        (dict(PeeringSubnetMask="255.0.255.0"), MASK_MALFORMED),
        (dict(PeeringSubnetMask="255.255.255.254"), MASK_MALFORMED),
        (dict(PeeringSubnetMask="255.255.255.255"), MASK_MALFORMED),
        (dict(PeeringSubnetMask="254.0.0.0"), MASK_MALFORMED),
        (dict(PeeringSubnetMask="30"), MASK_MALFORMED),
        (dict(PeerGatewayIp="10.0.0.9"), NOT_SAME_SUBNET),
        (dict(PeerGatewayIp="10.0.0.1"), NOT_SAME_SUBNET),
        (dict(LocalGatewayIp=None), missing("LocalGatewayIp")),
        (dict(PeerGatewayIp=None), missing("PeerGatewayIp")),
        (dict(PeeringSubnetMask=None), missing("PeeringSubnetMask")),
        (dict(LocalGatewayIp=None, PeerGatewayIp=None, PeeringSubnetMask=None), missing("LocalGatewayIp")),
    ],
)
def test_create_checks_the_peering_parameters(api, pc, params, error):
    assert_error(lambda: create_vbr(api, pc, 10, **params), *error)
    assert vbrs(api) == []


def test_peering_subnets_from_8_to_30_bits(api, pc):
    wide = create_vbr(api, pc, 1, LocalGatewayIp="10.1.0.1", PeerGatewayIp="10.200.3.4", PeeringSubnetMask="255.0.0.0")
    narrow = create_vbr(api, pc, 2, LocalGatewayIp="192.168.7.9", PeerGatewayIp="192.168.7.10",
                        PeeringSubnetMask="255.255.255.252")
    assert vbr_item(api, wide)["PeeringSubnetMask"] == "255.0.0.0"
    assert vbr_item(api, narrow)["LocalGatewayIp"] == "192.168.7.9"


def test_create_names_the_missing_parameter(api, pc):
    assert_error(lambda: create_vbr(api, None, 10), *missing("PhysicalConnectionId"))
    # 13.1 documents no MissingParameter row for VlanId: the gateway's own form answers, never a
    # row naming another parameter (PhysicalConnectionId, which was given).
    assert_error(lambda: create_vbr(api, pc, None), 400, "MissingVlanId", "VlanId is mandatory for this action.")


def test_associate_names_a_missing_vlan_id(api, emulator, pc):
    vbr = create_vbr(api, pc, 10)
    second = to_enabled(api, emulator, AccessPointId=AP_B)
    assert_error(lambda: associate(api, vbr, None, 21), *missing("PhysicalConnectionId"))
    # The reference documents this row for AssociatePhysicalConnectionToVirtualBorderRouter.
    assert_error(lambda: associate(api, vbr, second, None), *missing("VlanId"))


# --- name and description ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params, error",
    [
        (dict(Name="1vbr"), BAD_NAME),
        (dict(Name="a"), BAD_NAME),
        (dict(Name="vbr one"), BAD_NAME),
        (dict(Name="http://vbr"), BAD_NAME),
        (dict(Name="v" * 129), BAD_NAME),
        (dict(Description="x"), BAD_DESCRIPTION),
        (dict(Description="1st vbr"), BAD_DESCRIPTION),
        (dict(Description="https://vbr"), BAD_DESCRIPTION),
        (dict(Description="d" * 257), BAD_DESCRIPTION),
    ],
)
def test_create_rejects_malformed_names_and_descriptions(api, pc, params, error):
    assert_error(lambda: create_vbr(api, pc, 10, **params), *error)
    assert vbrs(api) == []


def test_names_and_descriptions_at_their_limits(api, pc):
    vbr = create_vbr(api, pc, 10, Name="v" * 128, Description="d" * 256)
    item = vbr_item(api, vbr)
    assert (len(item["Name"]), len(item["Description"])) == (128, 256)
    other = create_vbr(api, pc, 11, Name="边界路由器_1.a-b", Description="Line to the office")
    assert vbr_item(api, other)["Name"] == "边界路由器_1.a-b"


# --- terminate, recover, delete ------------------------------------------------------------------


def test_terminate_and_recover_follow_the_statuses(api, pc):
    for action in ("TerminateVirtualBorderRouter", "RecoverVirtualBorderRouter", "ModifyVirtualBorderRouterAttribute"):
        assert_error(lambda: getattr(api, action)(VbrId="vbr-doesnotexist"), *VBR_NOT_FOUND_SHORT)
    for action in ("DeleteVirtualBorderRouter",):
        assert_error(lambda: getattr(api, action)(VbrId="vbr-doesnotexist"), *VBR_NOT_FOUND)
    vbr = create_vbr(api, pc, 10)
    assert_error(lambda: api.RecoverVirtualBorderRouter(VbrId=vbr), *IN_STATE_RECOVER)
    api.TerminateVirtualBorderRouter(VbrId=vbr)
    assert_error(lambda: api.TerminateVirtualBorderRouter(VbrId=vbr), *IN_STATE)
    assert_error(lambda: api.ModifyVirtualBorderRouterAttribute(VbrId=vbr, Name="renamed"), *IN_STATE)
    api.RecoverVirtualBorderRouter(VbrId=vbr)
    assert status_of(api, vbr) == "active", "no transition delay on this server"
    assert_error(lambda: api.RecoverVirtualBorderRouter(VbrId=vbr), *IN_STATE_RECOVER)
    api.TerminateVirtualBorderRouter(VbrId=vbr)
    api.DeleteVirtualBorderRouter(VbrId=vbr)  # a terminated VBR may be deleted
    assert vbrs(api) == []


def test_recovering_lasts_the_transition_delay(dapi, delayed):
    pc = to_enabled(dapi, delayed, settle=lambda: delayed.advance(DELAY))
    other = to_enabled(dapi, delayed, settle=lambda: delayed.advance(DELAY), AccessPointId=AP_B)
    third = to_enabled(dapi, delayed, settle=lambda: delayed.advance(DELAY))
    vbr = create_vbr(dapi, pc, 10)
    assert status_of(dapi, vbr) == "active", "active from creation"
    associate(dapi, vbr, other, 20)
    dapi.TerminateVirtualBorderRouter(VbrId=vbr)
    assert status_of(dapi, vbr) == "terminated", "terminated at once"
    assert_error(lambda: associate(dapi, vbr, third, 30), *VBR_STATUS)
    assert_error(lambda: unassociate(dapi, vbr, other), *VBR_STATUS)
    dapi.RecoverVirtualBorderRouter(VbrId=vbr)
    assert status_of(dapi, vbr) == "recovering"
    assert [v["Status"] for v in for_pc(dapi, pc)] == ["recovering"]
    assert vbr_ids(dapi, ("Status", ["recovering"])) == [vbr]
    assert_error(lambda: dapi.TerminateVirtualBorderRouter(VbrId=vbr), *IN_STATE)
    assert_error(lambda: dapi.RecoverVirtualBorderRouter(VbrId=vbr), *IN_STATE_RECOVER)
    assert_error(lambda: dapi.DeleteVirtualBorderRouter(VbrId=vbr), *IN_STATE)
    assert_error(lambda: unassociate(dapi, vbr, other), *VBR_STATUS)
    delayed.advance(DELAY - 1)
    assert status_of(dapi, vbr) == "recovering"
    delayed.advance(1)
    assert status_of(dapi, vbr) == "active"
    unassociate(dapi, vbr, other)
    dapi.DeleteVirtualBorderRouter(VbrId=vbr)


def test_a_terminating_connection_takes_no_vbr(dapi, delayed):
    pc = to_enabled(dapi, delayed, settle=lambda: delayed.advance(DELAY))
    dapi.TerminatePhysicalConnection(PhysicalConnectionId=pc)
    assert_error(lambda: create_vbr(dapi, pc, 10), *PC_NOT_ENABLED)
    delayed.advance(DELAY)
    assert_error(lambda: create_vbr(dapi, pc, 10), *PC_NOT_ENABLED)


def test_delete_needs_the_associations_undone(api, emulator, pc):
    other = to_enabled(api, emulator, AccessPointId=AP_B)
    vbr = create_vbr(api, pc, 10)
    associate(api, vbr, other, 10)
    assert_error(lambda: api.DeleteVirtualBorderRouter(VbrId=vbr), *STILL_ASSOCIATED)
    api.TerminateVirtualBorderRouter(VbrId=vbr)
    assert_error(lambda: api.DeleteVirtualBorderRouter(VbrId=vbr), *STILL_ASSOCIATED)
    api.RecoverVirtualBorderRouter(VbrId=vbr)
    unassociate(api, vbr, other)
    api.DeleteVirtualBorderRouter(VbrId=vbr)
    assert for_pc(api, other) == [] and for_pc(api, pc) == []


# --- associate / unassociate ---------------------------------------------------------------------


def test_associate_adds_links_on_other_connections(api, emulator, pc):
    second = to_enabled(api, emulator, AccessPointId=AP_B)
    vbr = create_vbr(api, pc, 10, CircuitCode="first")
    body = associate(api, vbr, second, 30, CircuitCode="second", LocalGatewayIp="172.16.0.1",
                     PeerGatewayIp="172.16.0.2", PeeringSubnetMask="255.255.255.0")
    assert set(body) == {"RequestId"}
    item = vbr_item(api, vbr)
    assert (item["PhysicalConnectionId"], item["VlanId"], item["CircuitCode"]) == (pc, 10, "first"), \
        "the VBR's own fields are those of its first connection"
    first_link, second_link = links(item)
    assert first_link["PhysicalConnectionId"] == pc and first_link["VlanId"] == "10"
    assert second_link["PhysicalConnectionId"] == second
    assert (second_link["VlanId"], second_link["CircuitCode"], second_link["Status"]) == ("30", "second", "Enabled")
    assert (second_link["LocalGatewayIp"], second_link["PeerGatewayIp"], second_link["PeeringSubnetMask"]) == (
        "172.16.0.1", "172.16.0.2", "255.255.255.0")
    assert second_link["VlanInterfaceId"].startswith("ri-")
    assert second_link["VlanInterfaceId"] != first_link["VlanInterfaceId"]
    [row] = for_pc(api, second)
    assert (row["VbrId"], row["VlanId"], row["CircuitCode"], row["LocalGatewayIp"]) == (vbr, 30, "second", "172.16.0.1")
    assert_error(lambda: create_vbr(api, second, 30), *VLAN_USED)  # the link holds its VLAN on the connection
    create_vbr(api, second, 10)

    assert set(unassociate(api, vbr, second)) == {"RequestId"}
    assert [link["PhysicalConnectionId"] for link in links(vbr_item(api, vbr))] == [pc]
    assert vbr not in for_pc_ids(api, second)
    create_vbr(api, second, 30)


def test_associate_rules(api, emulator, pc):
    vbr = create_vbr(api, pc, 10)
    assert_error(lambda: associate(api, vbr, pc, 11), *NOT_ALLOWED)  # already on it
    assert_error(lambda: associate(api, "vbr-doesnotexist", pc, 11), *VBR_NOT_FOUND)
    assert_error(lambda: associate(api, vbr, "pc-doesnotexist", 11), *PC_NOT_FOUND)
    confirmed = to_confirmed(api, emulator)
    assert_error(lambda: associate(api, vbr, confirmed, 11), *PC_NOT_ENABLED)
    api.CancelPhysicalConnection(PhysicalConnectionId=confirmed)
    second = to_enabled(api, emulator)
    create_vbr(api, second, 20)
    assert_error(lambda: associate(api, vbr, second, 20), *VLAN_USED)
    for vlan in (0, 3000, "x"):
        assert_error(lambda: associate(api, vbr, second, vlan), *VLAN_MALFORMED)
    assert_error(lambda: associate(api, vbr, second, 21, LocalGatewayIp="10.0.0.256"), *LOCAL_MALFORMED)
    assert_error(lambda: associate(api, vbr, second, 21, PeerGatewayIp="peer"), *PEER_MALFORMED)
    assert_error(lambda: associate(api, vbr, second, 21, PeeringSubnetMask="255.255.0.255"), *MASK_MALFORMED)
    assert_error(lambda: associate(api, vbr, second, 21, PeerGatewayIp="10.0.1.2"), *NOT_SAME_SUBNET)
    for name in ("LocalGatewayIp", "PeerGatewayIp", "PeeringSubnetMask"):
        assert_error(lambda: associate(api, vbr, second, 21, **{name: None}), *missing(name))
    assert len(links(vbr_item(api, vbr))) == 1, "nothing was associated"
    associate(api, vbr, second, 21)
    assert_error(lambda: associate(api, vbr, second, 22), *NOT_ALLOWED)  # already associated


def test_a_vbr_rides_on_at_most_four_connections(api, emulator, pc):
    vbr = create_vbr(api, pc, 10)
    others = [to_enabled(api, emulator) for _ in range(4)]
    for pc_id in others[:3]:
        associate(api, vbr, pc_id, 10)
    assert len(links(vbr_item(api, vbr))) == 4
    assert_error(lambda: associate(api, vbr, others[3], 10), *TOO_MANY)
    unassociate(api, vbr, others[0])
    associate(api, vbr, others[3], 10)
    assert [link["PhysicalConnectionId"] for link in links(vbr_item(api, vbr))] == [pc, *others[1:]]


def test_associate_needs_an_active_vbr(api, emulator, pc):
    vbr = create_vbr(api, pc, 10)
    second = to_enabled(api, emulator, AccessPointId=AP_B)
    api.TerminateVirtualBorderRouter(VbrId=vbr)
    assert_error(lambda: associate(api, vbr, second, 10), *VBR_STATUS)
    api.RecoverVirtualBorderRouter(VbrId=vbr)
    associate(api, vbr, second, 10)


def test_unassociate_rules(api, emulator, pc):
    second = to_enabled(api, emulator, AccessPointId=AP_B)
    vbr = create_vbr(api, pc, 10)
    assert_error(lambda: unassociate(api, "vbr-doesnotexist", second), *VBR_NOT_FOUND)
    assert_error(lambda: unassociate(api, vbr, "pc-doesnotexist"), *VBR_OR_PC_NOT_FOUND)
    assert_error(lambda: unassociate(api, vbr, second), *NOT_ASSOCIATED)
    assert_error(lambda: unassociate(api, vbr, pc), *NOT_ALLOWED)  # the connection it was created on stays
    associate(api, vbr, second, 10)
    api.TerminateVirtualBorderRouter(VbrId=vbr)
    assert_error(lambda: unassociate(api, vbr, second), *VBR_STATUS)
    api.RecoverVirtualBorderRouter(VbrId=vbr)
    unassociate(api, vbr, second)
    assert_error(lambda: unassociate(api, vbr, second), *NOT_ASSOCIATED)


def test_unassociate_needs_both_ids(api, pc):
    vbr = create_vbr(api, pc, 10)
    assert_error(lambda: api.UnassociatePhysicalConnectionFromVirtualBorderRouter(VbrId=vbr), *MUST_NOT_NULL)
    assert_error(lambda: api.UnassociatePhysicalConnectionFromVirtualBorderRouter(PhysicalConnectionId=pc),
                 *MUST_NOT_NULL)


# --- DescribeVirtualBorderRouters ----------------------------------------------------------------


def test_describe_filters_and_pages(api, emulator):
    pc_a = to_enabled(api, emulator)
    pc_b = to_enabled(api, emulator, AccessPointId=AP_B)
    alpha = create_vbr(api, pc_a, 10, Name="alpha")
    beta = create_vbr(api, pc_a, 20, Name="beta")
    gamma = create_vbr(api, pc_b, 10, Name="gamma")
    api.TerminateVirtualBorderRouter(VbrId=beta)
    everyone = sorted([alpha, beta, gamma])
    assert vbr_ids(api) == everyone
    assert vbr_ids(api, ("VbrId", [alpha, gamma])) == sorted([alpha, gamma]), "values are OR-ed"
    assert vbr_ids(api, ("VbrId", ["vbr-doesnotexist"])) == []
    assert vbr_ids(api, ("Status", ["terminated"])) == [beta]
    assert vbr_ids(api, ("Status", ["active"])) == sorted([alpha, gamma])
    assert vbr_ids(api, ("Name", ["alpha", "gamma"])) == sorted([alpha, gamma])
    assert vbr_ids(api, ("PhysicalConnectionId", [pc_a])) == sorted([alpha, beta])
    assert vbr_ids(api, ("AccessPointId", [AP_B])) == [gamma]
    assert vbr_ids(api, ("AccessPointId", [AP])) == sorted([alpha, beta])
    assert vbr_ids(api, ("VlanId", ["10"])) == sorted([alpha, gamma])
    assert vbr_ids(api, ("VlanId", ["10"]), ("PhysicalConnectionId", [pc_a])) == [alpha], "filters are AND-ed"
    assert vbr_ids(api, ("VlanId", ["10"]), ("Status", ["terminated"])) == []
    for key in ("RouteTableId", "VpcId", "vbrid"):
        assert_error(lambda: vbr_ids(api, (key, ["x"])), *FILTER_KEY)

    body = api.DescribeVirtualBorderRouters()
    assert (body["TotalCount"], body["PageNumber"], body["PageSize"]) == (3, 1, 10)
    page = api.DescribeVirtualBorderRouters(PageSize=2, PageNumber=2)
    assert (page["TotalCount"], page["PageNumber"], page["PageSize"]) == (3, 2, 2)
    first = api.DescribeVirtualBorderRouters(PageSize=2, PageNumber=1)
    seen = [v["VbrId"] for p in (first, page) for v in p["VirtualBorderRouterSet"]["VirtualBorderRouterType"]]
    assert sorted(seen) == everyone
    beyond = api.DescribeVirtualBorderRouters(PageSize=2, PageNumber=3)
    assert beyond["TotalCount"] == 3 and beyond["VirtualBorderRouterSet"]["VirtualBorderRouterType"] == []
    assert_error(lambda: api.DescribeVirtualBorderRouters(PageSize=51), 400, "InvalidParameter")
    assert_error(lambda: api.DescribeVirtualBorderRouters(PageNumber=0), 400, "InvalidParameter")
    assert api.DescribeVirtualBorderRouters(RegionId="cn-shanghai")["TotalCount"] == 0


def test_describe_shows_termination_and_recovery_times(api, pc):
    vbr = create_vbr(api, pc, 10)
    api.TerminateVirtualBorderRouter(VbrId=vbr)
    item = vbr_item(api, vbr)
    assert item["TerminationTime"].endswith("Z") and item["RecoveryTime"] == ""
    [row] = for_pc(api, pc)
    assert row["Status"] == "terminated" and row["TerminationTime"] == item["TerminationTime"]
    api.RecoverVirtualBorderRouter(VbrId=vbr)
    item = vbr_item(api, vbr)
    assert item["RecoveryTime"].endswith("Z")
    [row] = for_pc(api, pc)
    assert row["Status"] == "active" and row["RecoveryTime"] == item["RecoveryTime"]


# --- DescribeVirtualBorderRoutersForPhysicalConnection -------------------------------------------


def test_describe_for_a_physical_connection(api, emulator, pc):
    other = to_enabled(api, emulator, AccessPointId=AP_B)
    one = create_vbr(api, pc, 10, CircuitCode="c-one")
    two = create_vbr(api, pc, 20, CircuitCode="c-two")
    three = create_vbr(api, other, 10)
    associate(api, three, pc, 30, CircuitCode="c-three")
    api.TerminateVirtualBorderRouter(VbrId=two)

    rows = for_pc(api, pc)
    assert sorted(r["VbrId"] for r in rows) == sorted([one, two, three])
    row = next(r for r in rows if r["VbrId"] == one)
    assert set(row) == FOR_PC_FIELDS
    assert (row["VbrOwnerUid"], row["Status"], row["Type"], row["EccId"]) == (account(emulator), "active", "VBR", "")
    assert (row["CircuitCode"], row["VlanId"]) == ("c-one", 10)
    assert (row["LocalGatewayIp"], row["PeerGatewayIp"], row["PeeringSubnetMask"]) == (
        "10.0.0.1", "10.0.0.2", "255.255.255.252")
    assert row["CreationTime"].endswith("Z") and row["ActivationTime"].endswith("Z")
    assert (row["TerminationTime"], row["RecoveryTime"]) == ("", "")
    associated = next(r for r in rows if r["VbrId"] == three)
    assert (associated["VlanId"], associated["CircuitCode"]) == (30, "c-three"), "the link on this connection"
    assert for_pc_ids(api, other) == [three]

    assert for_pc_ids(api, pc, ("VbrId", [one, three])) == sorted([one, three])
    assert for_pc_ids(api, pc, ("Status", ["terminated"])) == [two]
    assert for_pc_ids(api, pc, ("VlanId", ["30"])) == [three]
    assert for_pc_ids(api, pc, ("CircuitCode", ["c-one", "c-two"])) == sorted([one, two])
    assert for_pc_ids(api, pc, ("Status", ["active"]), ("VlanId", ["10", "20"])) == [one]
    for key in ("Name", "PhysicalConnectionId", "AccessPointId"):
        assert_error(lambda: for_pc(api, pc, (key, ["x"])), *FILTER_KEY)

    body = api.DescribeVirtualBorderRoutersForPhysicalConnection(PhysicalConnectionId=pc, PageSize=2, PageNumber=2)
    assert (body["TotalCount"], body["PageNumber"], body["PageSize"]) == (3, 2, 2)
    assert len(body["VirtualBorderRouterForPhysicalConnectionSet"]["VirtualBorderRouterForPhysicalConnectionType"]) == 1
    body = api.DescribeVirtualBorderRoutersForPhysicalConnection(PhysicalConnectionId=pc)
    assert (body["TotalCount"], body["PageNumber"], body["PageSize"]) == (3, 1, 10)


def test_describe_for_an_unknown_physical_connection(api, emulator):
    assert_error(lambda: for_pc(api, "pc-doesnotexist"), *PC_NOT_OWNED)
    elsewhere = create_pc(api, RegionId="cn-shanghai", AccessPointId="ap-cn-shanghai-nh-A")
    assert_error(lambda: for_pc(api, elsewhere), *PC_NOT_OWNED)
    assert for_pc(api, elsewhere, RegionId="cn-shanghai") == []
    initial = create_pc(api)
    assert for_pc(api, initial) == [], "any connection of the caller, whatever its status"


# --- ModifyVirtualBorderRouterAttribute ----------------------------------------------------------


def test_modify_changes_the_attributes(api, pc):
    vbr = create_vbr(api, pc, 10, Name="before", CircuitCode="c-1")
    body = api.ModifyVirtualBorderRouterAttribute(
        VbrId=vbr, Name="after", Description="Renamed line", CircuitCode="c-2", VlanId=11,
        LocalGatewayIp="192.168.10.1", PeerGatewayIp="192.168.10.2", PeeringSubnetMask="255.255.255.0",
        DetectMultiplier=10, MinRxInterval=1000, MinTxInterval=200)
    assert set(body) == {"RequestId"}
    item = vbr_item(api, vbr)
    assert (item["Name"], item["Description"], item["CircuitCode"], item["VlanId"]) == (
        "after", "Renamed line", "c-2", 11)
    assert (item["LocalGatewayIp"], item["PeerGatewayIp"], item["PeeringSubnetMask"]) == (
        "192.168.10.1", "192.168.10.2", "255.255.255.0")
    assert (item["DetectMultiplier"], item["MinRxInterval"], item["MinTxInterval"]) == (10, 1000, 200)
    [link] = links(item)
    assert (link["VlanId"], link["LocalGatewayIp"], link["CircuitCode"]) == ("11", "192.168.10.1", "c-2")
    assert [r["VlanId"] for r in for_pc(api, pc)] == [11]
    create_vbr(api, pc, 10)  # the old VLAN is free again
    # Unnamed attributes stay.
    api.ModifyVirtualBorderRouterAttribute(VbrId=vbr, PeerGatewayIp="192.168.10.200")
    item = vbr_item(api, vbr)
    assert (item["Name"], item["LocalGatewayIp"], item["PeerGatewayIp"], item["DetectMultiplier"]) == (
        "after", "192.168.10.1", "192.168.10.200", 10)
    api.ModifyVirtualBorderRouterAttribute(VbrId=vbr, DetectMultiplier=3, MinRxInterval=200, MinTxInterval=1000)
    item = vbr_item(api, vbr)
    assert (item["DetectMultiplier"], item["MinRxInterval"], item["MinTxInterval"]) == (3, 200, 1000)


def test_modify_keeps_the_vlan_rules(api, pc):
    vbr = create_vbr(api, pc, 10)
    create_vbr(api, pc, 20)
    api.ModifyVirtualBorderRouterAttribute(VbrId=vbr, VlanId=10)  # its own VLAN
    assert_error(lambda: api.ModifyVirtualBorderRouterAttribute(VbrId=vbr, VlanId=20), *VLAN_USED)
    for vlan in (0, 3000):
        assert_error(lambda: api.ModifyVirtualBorderRouterAttribute(VbrId=vbr, VlanId=vlan), *VLAN_MALFORMED)
    api.ModifyVirtualBorderRouterAttribute(VbrId=vbr, VlanId=2999)
    assert vbr_item(api, vbr)["VlanId"] == 2999


@pytest.mark.parametrize(
    "params, error",
    [
        (dict(LocalGatewayIp="10.0.0.256"), IP_MALFORMED),
        (dict(LocalGatewayIp="local"), IP_MALFORMED),
        (dict(PeerGatewayIp="10.0.0"), IP_MALFORMED),
        (dict(PeeringSubnetMask="255.255.255.253"), MASK_MALFORMED),
        (dict(PeeringSubnetMask="255.255.255.255"), MASK_MALFORMED),
        (dict(LocalGatewayIp="10.0.0.5"), NOT_SAME_SUBNET),
        (dict(PeerGatewayIp="10.0.0.1"), NOT_SAME_SUBNET),
        (dict(LocalGatewayIp="10.0.1.1", PeerGatewayIp="10.0.1.2", PeeringSubnetMask="255.255.255.254"),
         MASK_MALFORMED),
    ],
)
def test_modify_checks_the_peering_parameters(api, pc, params, error):
    vbr = create_vbr(api, pc, 10)
    assert_error(lambda: api.ModifyVirtualBorderRouterAttribute(VbrId=vbr, **params), *error)
    item = vbr_item(api, vbr)
    assert (item["LocalGatewayIp"], item["PeerGatewayIp"], item["PeeringSubnetMask"]) == (
        "10.0.0.1", "10.0.0.2", "255.255.255.252"), "unchanged"


@pytest.mark.parametrize(
    "params",
    [
        dict(DetectMultiplier=2), dict(DetectMultiplier=11), dict(MinRxInterval=199), dict(MinRxInterval=1001),
        dict(MinTxInterval=199), dict(MinTxInterval=1001), dict(Name="1vbr"), dict(Name="a"),
        dict(Description="x"), dict(Description="http://line"),
    ],
)
def test_modify_rejects_values_out_of_range(api, pc, params):
    vbr = create_vbr(api, pc, 10, Name="kept", Description="Kept too")
    assert_error(lambda: api.ModifyVirtualBorderRouterAttribute(VbrId=vbr, **params), 400)
    item = vbr_item(api, vbr)
    assert (item["Name"], item["Description"], item["DetectMultiplier"], item["MinRxInterval"],
            item["MinTxInterval"]) == ("kept", "Kept too", 3, 300, 300)


# --- the VBR's route table -----------------------------------------------------------------------


def test_the_route_table_of_a_vbr(api, old, ecs_old, pc):
    vbr = create_vbr(api, pc, 10)
    table = vbr_item(api, vbr)["RouteTableId"]
    [listed] = api.DescribeRouteTables(RouteTableId=table)["RouteTables"]["RouteTable"]
    assert (listed["RouteTableId"], listed["VRouterId"]) == (table, vbr), "the VBR is the router"
    assert [t["RouteTableId"] for t in api.DescribeRouteTables(RouterType="VBR")["RouteTables"]["RouteTable"]] == [
        table]
    net = ecs_network(old, ecs_old)
    vpc_tables = api.DescribeRouteTables(RouterType="VRouter")["RouteTables"]["RouteTable"]
    assert [t["VRouterId"] for t in vpc_tables] == [old.DescribeVpcAttribute(VpcId=net.vpc_id)["VRouterId"]]

    def route(hop_type, hop_id):
        return lambda: api.CreateRouteEntry(RouteTableId=table, DestinationCidrBlock="172.16.0.0/16",
                                            NextHopType=hop_type, NextHopId=hop_id)

    assert_error(route("Instance", "i-doesnotexist"), 404, "InvalidInstanId.NotFound",
                 "Specified instance does not exist.")
    assert_error(route("RouterInterface", "ri-doesnotexist"), 400, "InvalidRouterInterface",
                 "invalid router interface.")
    assert_error(route("VpnGateway", "vpn-doesnotexist"), 404, "InvalidNextHopId.NotFound",
                 "Specified next hop does not exist.")
    instance = run_instance(ecs_old, net)
    # An instance of a VPC is no next hop of a VBR.
    assert_error(route("Instance", instance), 400, "INVALID_VPC_ID", "The Specified VpcId not match.")
    [listed] = api.DescribeRouteTables(RouteTableId=table)["RouteTables"]["RouteTable"]
    assert all(e["Type"] == "System" for e in listed["RouteEntrys"]["RouteEntry"]), "no route was added"

    api.DeleteVirtualBorderRouter(VbrId=vbr)
    assert api.DescribeRouteTables(RouteTableId=table)["RouteTables"]["RouteTable"] == []
    assert api.DescribeRouteTables(RouterType="VBR")["RouteTables"]["RouteTable"] == []
    assert_error(lambda: api.DescribeRouteEntryList(RouteTableId=table), *TABLE_NOT_FOUND)
    assert_error(route("Instance", instance), *TABLE_NOT_FOUND)


def test_each_vbr_has_its_own_table(api, pc):
    tables = {vbr_item(api, create_vbr(api, pc, vlan))["RouteTableId"] for vlan in (1, 2, 3)}
    assert len(tables) == 3


def test_routes_need_an_active_vbr_on_a_connection_in_service(api, emulator, pc):
    vbr = create_vbr(api, pc, 10)
    table = vbr_item(api, vbr)["RouteTableId"]

    def route():
        return api.CreateRouteEntry(RouteTableId=table, DestinationCidrBlock="172.16.0.0/16",
                                    NextHopType="Instance", NextHopId="i-doesnotexist")

    api.TerminateVirtualBorderRouter(VbrId=vbr)
    assert_error(route, 400, "InvalidVBRStatus", "invalid virtual border router status.")
    api.RecoverVirtualBorderRouter(VbrId=vbr)
    emulator.set_billing(overdue=True)
    try:
        assert_error(route, 400, "InvalidPhysicalConnectionBusinessStatus",
                     "invalid physical connection business status.")
    finally:
        emulator.set_billing(overdue=False)
    assert_error(route, 404, "InvalidInstanId.NotFound", "Specified instance does not exist.")
