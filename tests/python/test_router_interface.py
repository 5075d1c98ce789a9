"""Router interfaces (VPC reference chapter 11; seeds 000/001 for ModifyRouterInterfaceSpec) through
the old core SDK's request classes and the Tea client: a pair between two VPCs, its state machines
(Idle -> Connecting -> Active <-> Inactive, Activating after a Spec change), the limits, the
opposite rules, filters, and every documented error the emulator can produce, with its exact
HTTP status, code and message. The rules: docs/express_connect/router_interface.md."""

import pytest
from alibabacloud_vpc20160428 import models as m

from conftest import TRANSITION_DELAY_SECONDS as DELAY
from helpers import REGION, assert_error
from ri_helpers import (
    AP_NOT_ALLOWED, AP_NOT_EXIST, BILLS, BILLS_CREATE, CONCURRENT, DESCRIPTION, DESCRIPTION_CREATE, FILTER_KEY,
    INSTANCE_NOT_FOUND, LINK_ROLE, LOCKED, MODIFY_PARAM, NAME, NOT_ACTIVE, NOT_FOUND, NOT_FOUND_RECORDS,
    NOT_IDLE_OR_INACTIVE, NOT_INACTIVE, NOT_INITIATING, NOT_NULL, ONE_CONNECTION, OPPOSITE, OPPOSITE_AP_NOT_ALLOWED,
    OPPOSITE_ROUTER_TYPE, OPPOSITE_ROUTER_TYPE_CREATE, OWNER, PER_ROUTER, REFERRED, REGION_NOT_FOUND as REGION_ERROR,
    REGION_CREATE, ROLE, ROUTER_NOT_FOUND, ROUTER_TYPE, SPEC, SPECS, STATUS_ERROR, VPC_CONNECTED, VPC_DEPENDENCY,
    create_interface, describe, ids, interface, items, make_pair, point, status, tea_api,
)

@pytest.fixture(params=["old", "tea"])
def api(request, old, tea):
    """Either SDK flavour with the same calling convention."""
    return old if request.param == "old" else tea_api(tea)


@pytest.fixture(params=["old", "tea"])
def api_delayed(request, old_delayed, tea_delayed):
    return old_delayed if request.param == "old" else tea_api(tea_delayed)


@pytest.fixture
def account(emulator):
    return emulator.billing()["account_id"]


@pytest.fixture
def pair(api):
    return make_pair(api)


def connected(api, pair):
    api.ConnectRouterInterface(RouterInterfaceId=pair.init)
    return pair


# --- CreateRouterInterface ----------------------------------------------------------------------


def test_create_a_pair_and_describe_it(api, pair, account):
    init = interface(api, pair.init)
    assert pair.init.startswith("ri-")
    assert init["Status"] == "Idle" and init["Role"] == "InitiatingSide"
    assert init["Spec"] == "Small.1" and init["Bandwidth"] == 10
    assert init["RouterType"] == "VRouter" and init["RouterId"] == pair.vrt1 and init["VpcInstanceId"] == pair.vpc1
    assert init["OppositeInterfaceId"] == pair.acc and init["OppositeRouterId"] == pair.vrt2
    assert init["OppositeRouterType"] == "VRouter" and init["OppositeRegionId"] == REGION
    assert init["OppositeInterfaceOwnerId"] == account
    assert init["OppositeVpcInstanceId"] == pair.vpc2
    assert init["OppositeInterfaceSpec"] == "Negative" and init["OppositeInterfaceStatus"] == "Idle"
    assert init["BusinessStatus"] == "Normal" and init["OppositeInterfaceBusinessStatus"] == "Normal"
    assert init["ChargeType"] == "AfterPay" and init["CrossBorder"] is False
    assert init["ConnectedTime"] == "" and init["CreationTime"].endswith("Z")
    assert init["HasReservationData"] is False
    acc = interface(api, pair.acc)
    assert acc["Role"] == "AcceptingSide" and acc["Spec"] == "Negative" and acc["Bandwidth"] == 0
    assert acc["OppositeInterfaceSpec"] == "Small.1" and acc["OppositeBandwidth"] == 10


def test_create_with_every_attribute(api):
    vpc = api.CreateVpc(CidrBlock="10.0.0.0/16")
    ri = create_interface(api, vpc["VRouterId"], spec="Large.2", Name="to-shanghai", Description="Main link",
                          opposite_region="cn-shanghai", HealthCheckSourceIp="10.0.0.9",
                          HealthCheckTargetIp="192.168.0.9")
    item = interface(api, ri)
    assert item["Name"] == "to-shanghai" and item["Description"] == "Main link"
    assert item["OppositeRegionId"] == "cn-shanghai" and item["Bandwidth"] == 2000
    assert item["HealthCheckSourceIp"] == "10.0.0.9" and item["HealthCheckTargetIp"] == "192.168.0.9"


@pytest.mark.parametrize("spec,mbps", SPECS)
def test_create_with_each_spec(old, spec, mbps):
    vpc = old.CreateVpc(CidrBlock="10.0.0.0/16")
    ri = create_interface(old, vpc["VRouterId"], spec=spec)
    item = interface(old, ri)
    assert item["Spec"] == spec and item["Bandwidth"] == mbps


def test_create_parameter_errors(api):
    vrt = api.CreateVpc(CidrBlock="10.0.0.0/16")["VRouterId"]

    def create(**params):
        base = dict(RouterType="VRouter", RouterId=vrt, Role="InitiatingSide", Spec="Mini.2", OppositeRegionId=REGION)
        base.update(params)
        return lambda: api.CreateRouterInterface(**base)

    assert_error(create(RegionId="mars-1"), 404, *REGION_CREATE)
    assert_error(create(OppositeRegionId="mars-1"), 404, *REGION_CREATE)
    assert_error(create(Role="Initiator"), 400, *ROLE)
    assert_error(create(RouterType="Router"), 400, *ROUTER_TYPE)
    assert_error(create(OppositeRouterType="Router"), 400, *OPPOSITE_ROUTER_TYPE_CREATE)
    assert_error(create(Spec="Large"), 400, *SPEC)
    assert_error(create(Spec="Negative"), 400, *SPEC)
    assert_error(create(Role="AcceptingSide", Spec="Large.1"), 400, *SPEC)
    assert_error(create(RouterId="vrt-doesnotexist"), 404, *ROUTER_NOT_FOUND)
    assert_error(create(Description="http://x"), 400, *DESCRIPTION_CREATE)
    assert_error(create(Name="1st"), 400, *NAME)
    assert_error(create(AccessPointId="ap-cn-hangzhou-yh-A"), 400, *AP_NOT_ALLOWED)
    assert_error(create(OppositeAccessPointId="ap-cn-hangzhou-yh-A"), 400, *OPPOSITE_AP_NOT_ALLOWED)
    assert_error(create(Role="AcceptingSide", Spec="Negative", OppositeRouterType="VBR",
                        OppositeAccessPointId="ap-nowhere-A"), 400, *AP_NOT_EXIST)
    assert_error(create(OppositeInterfaceOwnerId="999"), 400, *OWNER)
    assert_error(create(OppositeInterfaceId="ri-doesnotexist"), 404, *OPPOSITE)
    assert_error(create(OppositeRouterId="vrt-doesnotexist"), 404, *OPPOSITE)
    assert_error(create(OppositeRouterId=vrt), 400, *LINK_ROLE)
    assert_error(create(OppositeRouterId="vbr-doesnotexist", OppositeRouterType="VRouter"), 404, *OPPOSITE)
    assert_error(create(HealthCheckSourceIp="10.0.0.9"), 400, "InvalidParameter")
    assert items(api) == []


def test_the_opposite_has_the_other_role(api):
    vrt1 = api.CreateVpc(CidrBlock="10.0.0.0/16")["VRouterId"]
    vrt2 = api.CreateVpc(CidrBlock="10.1.0.0/16")["VRouterId"]
    other = create_interface(api, vrt2)
    assert_error(lambda: create_interface(api, vrt1, OppositeInterfaceId=other), 400, *LINK_ROLE)
    # A vRouter's initiator cannot have a VBR accept (a VBR is always the initiator).
    assert_error(lambda: create_interface(api, vrt1, OppositeRouterType="VBR"), 400, *LINK_ROLE)
    acc = create_interface(api, vrt2, role="AcceptingSide")
    ri = create_interface(api, vrt1, OppositeInterfaceId=acc)
    assert interface(api, ri)["OppositeRouterId"] == vrt2


def test_five_interfaces_per_router(api):
    vrt = api.CreateVpc(CidrBlock="10.0.0.0/16")["VRouterId"]
    for _ in range(5):
        create_interface(api, vrt, spec="Mini.2")
    assert_error(lambda: create_interface(api, vrt), 400, *PER_ROUTER)
    other = api.CreateVpc(CidrBlock="10.1.0.0/16")["VRouterId"]
    create_interface(api, other)


def test_no_new_interfaces_while_overdue(api, emulator):
    vrt = api.CreateVpc(CidrBlock="10.0.0.0/16")["VRouterId"]
    emulator.set_billing(overdue=True)
    assert_error(lambda: create_interface(api, vrt), 400, *BILLS_CREATE)
    emulator.set_billing(overdue=False)
    create_interface(api, vrt)


def test_create_is_idempotent_with_a_client_token(old):
    vrt = old.CreateVpc(CidrBlock="10.0.0.0/16")["VRouterId"]
    first = create_interface(old, vrt, ClientToken="ri-token-1")
    assert create_interface(old, vrt, ClientToken="ri-token-1") == first
    assert len(items(old)) == 1


# --- ConnectRouterInterface ---------------------------------------------------------------------


def test_connect_makes_both_sides_active(api, pair):
    api.ConnectRouterInterface(RouterInterfaceId=pair.init)
    init, acc = interface(api, pair.init), interface(api, pair.acc)
    assert init["Status"] == "Active" and acc["Status"] == "Active"
    assert init["OppositeInterfaceStatus"] == "Active" and init["ConnectedTime"].endswith("Z")
    assert_error(lambda: api.ConnectRouterInterface(RouterInterfaceId=pair.init), 400, *ONE_CONNECTION)


def test_connect_errors(api, pair, emulator):
    assert_error(lambda: api.ConnectRouterInterface(RouterInterfaceId="ri-doesnotexist"), 404, *NOT_FOUND)
    assert_error(lambda: api.ConnectRouterInterface(RouterInterfaceId=pair.acc), 400, *NOT_INITIATING)
    emulator.set_billing(overdue=True)
    assert_error(lambda: api.ConnectRouterInterface(RouterInterfaceId=pair.init), 400, *BILLS)
    emulator.set_billing(overdue=False)
    # An initiator whose acceptor does not name it back.
    lone = create_interface(api, pair.vrt1, OppositeInterfaceId=pair.acc)
    assert_error(lambda: api.ConnectRouterInterface(RouterInterfaceId=lone), 404, *OPPOSITE)
    without = create_interface(api, pair.vrt1)
    assert_error(lambda: api.ConnectRouterInterface(RouterInterfaceId=without), 404, *OPPOSITE)


def test_one_connection_between_two_routers(api_delayed, delayed):
    api = api_delayed
    pair = make_pair(api, settle=lambda: delayed.advance(DELAY))
    init2 = create_interface(api, pair.vrt1, spec="Mini.2")
    acc2 = create_interface(api, pair.vrt2, role="AcceptingSide")
    point(api, init2, acc2, pair.vrt2)
    point(api, acc2, init2, pair.vrt1)
    api.ConnectRouterInterface(RouterInterfaceId=pair.init)
    assert_error(lambda: api.ConnectRouterInterface(RouterInterfaceId=init2), 400, *CONCURRENT)
    delayed.advance(DELAY)
    assert_error(lambda: api.ConnectRouterInterface(RouterInterfaceId=init2), 400, *ONE_CONNECTION)


def test_connecting_lasts_the_transition_delay(api_delayed, delayed):
    api = api_delayed
    pair = make_pair(api, settle=lambda: delayed.advance(DELAY))
    api.ConnectRouterInterface(RouterInterfaceId=pair.init)
    assert status(api, pair.init) == "Connecting" and status(api, pair.acc) == "Connecting"
    assert interface(api, pair.init)["ConnectedTime"] == ""
    assert_error(lambda: api.DeactivateRouterInterface(RouterInterfaceId=pair.init), 400, *NOT_ACTIVE)
    assert_error(lambda: api.DeleteRouterInterface(RouterInterfaceId=pair.acc), 400, *NOT_IDLE_OR_INACTIVE)
    delayed.advance(DELAY - 1)
    assert status(api, pair.init) == "Connecting"
    delayed.advance(1)
    assert status(api, pair.init) == "Active" and status(api, pair.acc) == "Active"
    assert interface(api, pair.init)["ConnectedTime"].endswith("Z")


def test_a_cross_region_pair(api):
    pair = make_pair(api, region2="ap-southeast-1")
    api.ConnectRouterInterface(RouterInterfaceId=pair.init)
    init = interface(api, pair.init)
    assert init["Status"] == "Active" and init["CrossBorder"] is True
    assert init["OppositeRegionId"] == "ap-southeast-1" and init["OppositeVpcInstanceId"] == pair.vpc2
    assert status(api, pair.acc, region="ap-southeast-1") == "Active"
    assert ids(api) == [pair.init]


# --- ActivateRouterInterface / DeactivateRouterInterface ------------------------------------------


def test_deactivate_and_activate(api_delayed, delayed):
    api = api_delayed
    pair = make_pair(api, settle=lambda: delayed.advance(DELAY))
    api.ConnectRouterInterface(RouterInterfaceId=pair.init)
    delayed.advance(DELAY)
    api.DeactivateRouterInterface(RouterInterfaceId=pair.init)
    assert status(api, pair.init) == "Deactivating"
    assert interface(api, pair.acc)["OppositeInterfaceStatus"] == "Deactivating"
    assert_error(lambda: api.ActivateRouterInterface(RouterInterfaceId=pair.init), 400, *NOT_INACTIVE)
    delayed.advance(DELAY)
    assert status(api, pair.init) == "Inactive" and status(api, pair.acc) == "Active"
    api.ActivateRouterInterface(RouterInterfaceId=pair.init)
    assert status(api, pair.init) == "Activating"
    delayed.advance(DELAY)
    assert status(api, pair.init) == "Active"


def test_activate_errors(api, pair, emulator):
    assert_error(lambda: api.ActivateRouterInterface(RegionId="mars-1", RouterInterfaceId=pair.init), 404,
                 *REGION_ERROR)
    assert_error(lambda: api.ActivateRouterInterface(RouterInterfaceId="ri-doesnotexist"), 404, *NOT_FOUND_RECORDS)
    assert_error(lambda: api.ActivateRouterInterface(RouterInterfaceId=pair.init), 400, *NOT_INACTIVE)
    connected(api, pair)
    assert_error(lambda: api.ActivateRouterInterface(RouterInterfaceId=pair.init), 400, *NOT_INACTIVE)
    api.DeactivateRouterInterface(RouterInterfaceId=pair.init)
    emulator.set_billing(overdue=True)
    assert_error(lambda: api.ActivateRouterInterface(RouterInterfaceId=pair.init), 400, *LOCKED)
    emulator.set_billing(overdue=False)
    api.ActivateRouterInterface(RouterInterfaceId=pair.init)
    assert status(api, pair.init) == "Active"


def test_deactivate_errors(api, pair, emulator):
    assert_error(lambda: api.DeactivateRouterInterface(RouterInterfaceId="ri-doesnotexist"), 404, *NOT_FOUND)
    assert_error(lambda: api.DeactivateRouterInterface(RouterInterfaceId=pair.init), 400, *NOT_ACTIVE)
    connected(api, pair)
    emulator.set_billing(overdue=True)
    assert_error(lambda: api.DeactivateRouterInterface(RouterInterfaceId=pair.init), 400, *LOCKED)
    assert interface(api, pair.init)["BusinessStatus"] == "FinancialLocked"
    emulator.set_billing(overdue=False)
    api.DeactivateRouterInterface(RouterInterfaceId=pair.init)
    assert status(api, pair.init) == "Inactive"
    assert_error(lambda: api.DeactivateRouterInterface(RouterInterfaceId=pair.init), 400, *NOT_ACTIVE)


# --- ModifyRouterInterfaceSpec (seeds 000/001) ------------------------------------------------------


@pytest.mark.parametrize("spec,mbps", SPECS)
def test_modify_spec_to_each_value(api, pair, spec, mbps):
    connected(api, pair)
    assert api.ModifyRouterInterfaceSpec(RouterInterfaceId=pair.init, Spec=spec)["Spec"] == spec
    init = interface(api, pair.init)
    assert init["Spec"] == spec and init["Bandwidth"] == mbps and init["Status"] == "Active"
    acc = interface(api, pair.acc)
    assert acc["OppositeInterfaceSpec"] == spec and acc["OppositeBandwidth"] == mbps


def test_modify_spec_goes_through_activating(api_delayed, delayed):
    api = api_delayed
    pair = make_pair(api, settle=lambda: delayed.advance(DELAY))
    api.ConnectRouterInterface(RouterInterfaceId=pair.init)
    assert_error(lambda: api.ModifyRouterInterfaceSpec(RouterInterfaceId=pair.init, Spec="Large.1"), 400,
                 *STATUS_ERROR)
    delayed.advance(DELAY)
    assert api.ModifyRouterInterfaceSpec(RouterInterfaceId=pair.init, Spec="Large.1")["Spec"] == "Large.1"
    item = interface(api, pair.init)
    assert item["Status"] == "Activating" and item["Spec"] == "Large.1" and item["Bandwidth"] == 1000
    assert_error(lambda: api.ModifyRouterInterfaceSpec(RouterInterfaceId=pair.init, Spec="Mini.2"), 400,
                 *STATUS_ERROR)
    delayed.advance(DELAY)
    assert status(api, pair.init) == "Active"


def test_modify_spec_with_a_value_not_supported(api, pair):
    connected(api, pair)
    for spec in ["Large", "large.1", "Xlarge.2", "Negative"]:
        assert_error(lambda: api.ModifyRouterInterfaceSpec(RouterInterfaceId=pair.init, Spec=spec), 400, *SPEC)
    # An acceptor's Spec is Negative: it takes no other, and Negative changes nothing.
    assert_error(lambda: api.ModifyRouterInterfaceSpec(RouterInterfaceId=pair.acc, Spec="Large.1"), 400, *SPEC)
    assert api.ModifyRouterInterfaceSpec(RouterInterfaceId=pair.acc, Spec="Negative")["Spec"] == "Negative"
    assert interface(api, pair.acc)["Spec"] == "Negative"
    assert interface(api, pair.init)["Spec"] == "Small.1"


def test_modify_spec_of_an_interface_that_does_not_exist(api):
    assert_error(lambda: api.ModifyRouterInterfaceSpec(RouterInterfaceId="ri-doesnotexist", Spec="Large.1"), 404,
                 *NOT_FOUND)


def test_modify_spec_needs_an_active_interface(api, pair):
    assert_error(lambda: api.ModifyRouterInterfaceSpec(RouterInterfaceId=pair.init, Spec="Large.1"), 400,
                 *STATUS_ERROR)
    connected(api, pair)
    api.DeactivateRouterInterface(RouterInterfaceId=pair.init)
    assert_error(lambda: api.ModifyRouterInterfaceSpec(RouterInterfaceId=pair.init, Spec="Large.1"), 400,
                 *STATUS_ERROR)


def test_modify_spec_is_refused_while_overdue(api, pair, emulator):
    connected(api, pair)
    emulator.set_billing(overdue=True)
    assert_error(lambda: api.ModifyRouterInterfaceSpec(RouterInterfaceId=pair.init, Spec="Large.1"), 400,
                 *STATUS_ERROR)
    emulator.set_billing(overdue=False)
    api.ModifyRouterInterfaceSpec(RouterInterfaceId=pair.init, Spec="Large.1")


def test_modify_spec_when_the_opposite_is_gone(api, pair):
    # Documented as 400; every *.NotFound answers 404 (the gateway's rule).
    without = create_interface(api, pair.vrt1)
    assert_error(lambda: api.ModifyRouterInterfaceSpec(RouterInterfaceId=without, Spec="Large.1"), 404, *OPPOSITE)
    connected(api, pair)
    api.DeactivateRouterInterface(RouterInterfaceId=pair.acc)
    api.DeleteRouterInterface(RouterInterfaceId=pair.acc)
    assert interface(api, pair.init)["OppositeInterfaceStatus"] == "Deleted"
    assert_error(lambda: api.ModifyRouterInterfaceSpec(RouterInterfaceId=pair.init, Spec="Large.1"), 404, *OPPOSITE)


def test_modify_spec_with_the_tea_model(tea):
    api = tea_api(tea)
    pair = connected(api, make_pair(api))
    body = tea.modify_router_interface_spec(m.ModifyRouterInterfaceSpecRequest(
        region_id=REGION, router_interface_id=pair.init, spec="Middle.2")).body
    assert body.spec == "Middle.2" and body.request_id


# --- ModifyRouterInterfaceAttribute ------------------------------------------------------------------


def test_modify_attributes(api, pair):
    api.ModifyRouterInterfaceAttribute(RouterInterfaceId=pair.init, Name="link-1", Description="The main link",
                                       HealthCheckSourceIp="10.0.0.5", HealthCheckTargetIp="192.168.0.1",
                                       HcRate=3000, HcThreshold=5)
    item = interface(api, pair.init)
    assert item["Name"] == "link-1" and item["Description"] == "The main link"
    assert item["HealthCheckSourceIp"] == "10.0.0.5" and item["HealthCheckTargetIp"] == "192.168.0.1"
    assert item["HcRate"] == 3000 and item["HcThreshold"] == 5
    api.ModifyRouterInterfaceAttribute(RouterInterfaceId=pair.init, DeleteHealthCheckIp=True)
    item = interface(api, pair.init)
    assert item["HealthCheckSourceIp"] == "" and item["HealthCheckTargetIp"] == ""


def test_modify_attribute_errors(api, pair, emulator):
    def modify(ri=pair.init, **params):
        return lambda: api.ModifyRouterInterfaceAttribute(RouterInterfaceId=ri, **params)

    assert_error(modify(RegionId="mars-1", Name="x1"), 404, *REGION_ERROR)
    assert_error(modify(ri="ri-doesnotexist", Name="x1"), 404, *NOT_FOUND_RECORDS)
    assert_error(modify(Name="1st"), 400, *NAME)
    assert_error(modify(Description="https://x"), 400, *DESCRIPTION)
    assert_error(modify(OppositeRouterType="Router"), 400, *OPPOSITE_ROUTER_TYPE)
    assert_error(modify(OppositeInterfaceOwnerId="999"), 400, *OWNER)
    assert_error(modify(OppositeInterfaceId="ri-doesnotexist"), 404, *OPPOSITE)
    other = create_interface(api, pair.vrt2)
    assert_error(modify(OppositeInterfaceId=other), 400, *LINK_ROLE)
    assert_error(modify(HealthCheckSourceIp="10.0.0.5"), 400, *MODIFY_PARAM)
    assert_error(modify(HealthCheckSourceIp="10.0.0.5", HealthCheckTargetIp="not-an-ip"), 400, *MODIFY_PARAM)
    assert_error(modify(HealthCheckSourceIp="10.9.0.5", HealthCheckTargetIp="192.168.0.1"), 400, *MODIFY_PARAM)
    emulator.set_billing(overdue=True)
    assert_error(modify(Name="x1"), 400, *LOCKED)
    emulator.set_billing(overdue=False)
    # The opposite changes only while the interface is Idle.
    connected(api, pair)
    assert_error(modify(OppositeInterfaceId=pair.acc), 400, *MODIFY_PARAM)
    api.ModifyRouterInterfaceAttribute(RouterInterfaceId=pair.init, Name="renamed")
    assert interface(api, pair.init)["Name"] == "renamed"


# --- DeleteRouterInterface, routes, DeleteVpc ------------------------------------------------------


def test_delete_only_idle_or_inactive(api, pair):
    assert_error(lambda: api.DeleteRouterInterface(RouterInterfaceId="ri-doesnotexist"), 404, *INSTANCE_NOT_FOUND)
    connected(api, pair)
    assert_error(lambda: api.DeleteRouterInterface(RouterInterfaceId=pair.init), 400, *NOT_IDLE_OR_INACTIVE)
    api.DeactivateRouterInterface(RouterInterfaceId=pair.init)
    api.DeleteRouterInterface(RouterInterfaceId=pair.init)
    assert ids(api) == [pair.acc]
    assert interface(api, pair.acc)["OppositeInterfaceStatus"] == "Deleted"


def test_routes_point_at_interfaces_of_their_vpc(api, pair):
    def route(hop):
        return api.CreateRouteEntry(RouteTableId=pair.table1, DestinationCidrBlock="10.1.0.0/16",
                                    NextHopType="RouterInterface", NextHopId=hop)

    assert_error(lambda: route("ri-doesnotexist"), 400, "InvalidRouterInterface", "invalid router interface.")
    assert_error(lambda: route(pair.acc), 400, "INVALID_VPC_ID", "The Specified VpcId not match.")
    route(pair.init)
    [entry] = api.DescribeRouteEntryList(RouteTableId=pair.table1, RouteEntryType="Custom")["RouteEntrys"]["RouteEntry"]
    assert entry["NextHops"]["NextHop"][0]["NextHopId"] == pair.init
    assert_error(lambda: api.DeleteRouterInterface(RouterInterfaceId=pair.init), 400, *REFERRED)
    assert_error(lambda: api.DeleteVpc(VpcId=pair.vpc1), 400, "DependencyViolation.RouteEntry")
    api.DeleteRouteEntry(RouteTableId=pair.table1, DestinationCidrBlock="10.1.0.0/16", NextHopId=pair.init)
    api.DeleteRouterInterface(RouterInterfaceId=pair.init)


def test_a_vpc_with_interfaces_cannot_be_deleted(api, pair):
    assert_error(lambda: api.DeleteVpc(VpcId=pair.vpc2), 400, *VPC_DEPENDENCY)
    api.DeleteRouterInterface(RouterInterfaceId=pair.acc)
    api.DeleteVpc(VpcId=pair.vpc2)


def test_a_vpc_with_a_connected_interface_cannot_be_deleted(api, pair):
    connected(api, pair)
    api.DeactivateRouterInterface(RouterInterfaceId=pair.init)
    assert_error(lambda: api.DeleteVpc(VpcId=pair.vpc1), 400, *VPC_CONNECTED)
    api.DeleteRouterInterface(RouterInterfaceId=pair.init)
    api.DeleteVpc(VpcId=pair.vpc1)


# --- DescribeRouterInterfaces --------------------------------------------------------------------------


def test_filters(api, pair, account):
    both = sorted([pair.init, pair.acc])
    assert ids(api) == both
    assert ids(api, ("RouterInterfaceId", [pair.init, pair.acc])) == both
    assert ids(api, ("RouterId", [pair.vrt1])) == [pair.init]
    assert ids(api, ("RouterType", ["VRouter"])) == both
    assert ids(api, ("RouterType", ["VBR"])) == []
    assert ids(api, ("RouterInterfaceOwnerId", [account])) == both
    assert ids(api, ("OppositeInterfaceId", [pair.acc])) == [pair.init]
    assert ids(api, ("OppositeRouterType", ["VRouter"])) == both
    assert ids(api, ("OppositeRouterId", [pair.vrt1])) == [pair.acc]
    assert ids(api, ("OppositeInterfaceOwnerId", [account])) == both
    assert ids(api, ("Status", ["Idle", "Active"])) == both
    assert ids(api, ("status", ["Idle"])) == both  # the reference's own spelling of the key
    assert ids(api, ("Name", ["nobody"])) == []
    # Filters are AND-ed.
    assert ids(api, ("Status", ["Idle"]), ("RouterId", [pair.vrt2])) == [pair.acc]


def test_filter_errors(api):
    assert_error(lambda: describe(api, ("Colour", ["red"])), 404, *FILTER_KEY)
    assert_error(lambda: describe(api, ("Status", [])), 400, *NOT_NULL)


def test_paging(old):
    vrt = old.CreateVpc(CidrBlock="10.0.0.0/16")["VRouterId"]
    made = sorted(create_interface(old, vrt, spec="Mini.2") for _ in range(3))
    first = old.DescribeRouterInterfaces(PageSize=2, PageNumber=1)
    second = old.DescribeRouterInterfaces(PageSize=2, PageNumber=2)
    assert first["TotalCount"] == 3 and first["PageSize"] == 2 and first["PageNumber"] == 1
    got = [i["RouterInterfaceId"] for body in (first, second) for i in body["RouterInterfaceSet"]["RouterInterfaceType"]]
    assert sorted(got) == made
    assert_error(lambda: old.DescribeRouterInterfaces(PageSize=51), 400, "InvalidParameter")


def test_describe_with_the_tea_model(tea):
    api = tea_api(tea)
    pair = make_pair(api)
    body = tea.describe_router_interfaces(m.DescribeRouterInterfacesRequest(
        region_id=REGION, filter=[m.DescribeRouterInterfacesRequestFilter(key="RouterInterfaceId",
                                                                          value=[pair.init])])).body
    [item] = body.router_interface_set.router_interface_type
    assert item.router_interface_id == pair.init and item.spec == "Small.1" and item.bandwidth == 10
    assert item.opposite_interface_id == pair.acc and item.status == "Idle"
    assert item.tags.tags == [] and item.fast_link_mode is False
