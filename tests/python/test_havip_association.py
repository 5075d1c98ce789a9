"""AssociateHaVip / UnassociateHaVip with ECS instances (VPC reference rules: the same vSwitch, at
most two instances, the instance Running or Stopped, the HaVip Available or InUse), through the old
core SDK and the Tea client (V3)."""

import pytest

from helpers import assert_error, create_havip, create_instance, ecs_network, run_instance

NOT_FOUND = (404, "InvalidInstanceId.NotFound", "The specified instance does not exist.")
HAVIP_NOT_FOUND = (404, "InvalidHaVipId.NotFound", "The specified HaVip does not exist in the specified VPC.")
OTHER_VSWITCH = (400, "InvalidVSwitchId.NotMatch", "The HaVip and the instance must belong to the same vSwitch.")
TOO_MANY = (400, "QuotaExceeded.HaVipAssociation", "A HaVip can be associated with at most two instances.")
NOT_ASSOCIATED = (400, "InvalidInstanceId.NotAssociated", "The specified instance is not associated with the HaVip.")
INSTANCE_STATUS = (400, "IncorrectInstanceStatus", "Current instance status does not support this operation.")
HAVIP_STATUS = (400, "IncorrectHaVipStatus",
                "This operation is denied because satus of the specified HaVip is neither Available nor InUse.")


@pytest.fixture(params=["old", "tea"])
def vpc_api(request, old, tea_v1):
    """The VPC calls through the old core request classes or the Tea client."""
    if request.param == "old":
        return old
    from pc_helpers import VpcTeaApi
    return VpcTeaApi(tea_v1)


def havip_item(api, havip):
    items = api.DescribeHaVips(Filter=[{"Key": "HaVipId", "Value": [havip]}])["HaVips"]["HaVip"]
    return items[0]


def test_a_havip_takes_two_instances_of_its_vswitch(vpc_api, old, ecs, net):
    havip = create_havip(old, net.vswitch_id)
    first, second, third = (run_instance(ecs, net) for _ in range(3))
    vpc_api.AssociateHaVip(HaVipId=havip, InstanceId=first)
    vpc_api.AssociateHaVip(HaVipId=havip, InstanceId=second)
    item = havip_item(vpc_api, havip)
    assert item["Status"] == "InUse"
    assert item["AssociatedInstances"]["associatedInstance"] == [first, second]
    assert item["MasterInstanceId"] == first
    assert_error(lambda: vpc_api.AssociateHaVip(HaVipId=havip, InstanceId=third), *TOO_MANY)
    assert_error(lambda: old.DeleteHaVip(HaVipId=havip), *HAVIP_STATUS)
    vpc_api.UnassociateHaVip(HaVipId=havip, InstanceId=first)
    assert_error(lambda: vpc_api.UnassociateHaVip(HaVipId=havip, InstanceId=first), *NOT_ASSOCIATED)
    vpc_api.UnassociateHaVip(HaVipId=havip, InstanceId=second)
    assert havip_item(vpc_api, havip)["Status"] == "Available"
    assert_error(lambda: vpc_api.UnassociateHaVip(HaVipId="havip-nothere", InstanceId=second), 404,
                 "InvalidHaVipId.NotFound", "The specified HaVip does not exist in the specified VPC.")
    old.DeleteHaVip(HaVipId=havip)


def test_unknown_resources_and_other_vswitches_are_refused(vpc_api, old, ecs, net):
    havip = create_havip(old, net.vswitch_id)
    assert_error(lambda: vpc_api.AssociateHaVip(HaVipId=havip, InstanceId="i-unknown"), *NOT_FOUND)
    assert_error(lambda: vpc_api.UnassociateHaVip(HaVipId=havip, InstanceId="i-unknown"), *NOT_FOUND)
    instance = create_instance(ecs, net)
    assert_error(lambda: vpc_api.AssociateHaVip(HaVipId="havip-unknown", InstanceId=instance), *HAVIP_NOT_FOUND)
    other = ecs_network(old, ecs, cidr="10.0.0.0/16", vswitch_cidr="10.0.1.0/24")
    elsewhere = create_instance(ecs, other)
    assert_error(lambda: vpc_api.AssociateHaVip(HaVipId=havip, InstanceId=elsewhere), *OTHER_VSWITCH)


def test_a_released_instance_leaves_its_havip(old, ecs, net):
    havip = create_havip(old, net.vswitch_id)
    instance = create_instance(ecs, net)
    old.AssociateHaVip(HaVipId=havip, InstanceId=instance)
    ecs.DeleteInstance(InstanceId=instance)
    assert havip_item(old, havip)["Status"] == "Available"


def test_transitional_instances_and_havips_are_refused(old_delayed, ecs_old_delayed, delayed):
    net = ecs_network(old_delayed, ecs_old_delayed, settle=lambda: delayed.advance(5))
    havip = create_havip(old_delayed, net.vswitch_id)
    instance = run_instance(ecs_old_delayed, net)
    assert_error(lambda: old_delayed.AssociateHaVip(HaVipId=havip, InstanceId=instance), *HAVIP_STATUS)
    delayed.advance(5)
    assert_error(lambda: old_delayed.AssociateHaVip(HaVipId=havip, InstanceId=instance), *INSTANCE_STATUS)
    delayed.advance(5)
    old_delayed.AssociateHaVip(HaVipId=havip, InstanceId=instance)
