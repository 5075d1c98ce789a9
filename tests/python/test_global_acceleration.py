"""Global Acceleration (VPC reference chapter 17) through the old core SDK and the Tea client (V3):
dedicated-bandwidth instances bound to an ECS instance of another region of their service area,
shared-bandwidth instances whose EIPs bind across regions, the status rules of delete, and every
documented error the model produces. Rules and choices: docs/eip.md."""

import pytest

from eip_helpers import allocate, api, eip, generic_call  # noqa: F401 (api is a fixture)
from helpers import IMAGE_ID, INSTANCE_TYPE, assert_error, ecs_network, run_instance

NOT_FOUND = (404, "InvalidGlobalAccelerationInstanceId.NotFound",
             "The specified GlobalAccelerationInstanceId is not found.")
NOT_FOUND_IP = (404, "InvalidBandwidthPackageId.NotFound",
                "The specified bandwidthPackageId does not exist in our records.")
STATUS = (400, "IncorrectGlobalAccelerationInstanceIdStatus",
          "Current GlobalAccelerationInstance status does not support this operation.")
BACKEND_NOT_FOUND = (404, "InvalidBackendServerId.NotFound", "The specified BackendServerId is not found.")
NOT_IN_VPC = (400, "InvalidBackendServerId.NotInVPC", "The specified BackendServerId is not in VPC.")
SAME_REGION = (400, "InvalidBackendServerRegionId.EqualRegionId",
               "The specified BackendServerRegionId can not be the same as RegionId.")
OUTSIDE = (400, "InvalidParameter", "The specified parameter is not valid.")
BAD_TYPE = (404, "InvalidBackendServerType.NotFound", "The specified BackendServerType is not supported.")
DUPLICATED = (400, "InvalidAssociation.Duplicated", "Specified instance already is associated.")
TASK_CONFLICT = (400, "TaskConflict.AssociateGlobalAccelerationInstance", "Operate too frequent.")
LOCATION = (400, "InvalidServiceLocation.ValueNotSupported", "The specified ServiceLocation is not supported.")
NAME = (400, "InvalidGlobalAccelerationInstanceName.Malformed", "The specified Name is not valid.")
DESCRIPTION = (400, "InvalidGlobalAccelerationInstanceDescription.Malformed", "The specified Description is not valid.")
MISMATCH = (400, "InvalidParameter.Mismatch",
            "Specified elastic IP address and ECS instance are not in the same region.")


def create(api, **params):
    base = dict(Bandwidth=10, ServiceLocation="china-mainland")
    base.update(params)
    return api.CreateGlobalAccelerationInstance(**base)


def item(api, ga_id):
    body = api.DescribeGlobalAccelerationInstances(GlobalAccelerationInstanceId=ga_id)
    [found] = body["GlobalAccelerationInstances"]["GlobalAccelerationInstance"]
    return found


@pytest.fixture
def beijing(old, ecs_old):
    """A VPC network in cn-beijing."""
    return ecs_network(old, ecs_old, zone="cn-beijing-a", region="cn-beijing")


def test_create_describe_modify_delete(api):
    out = create(api, Name="GA-1", Description="My GA")
    ga_id = out["GlobalAccelerationInstanceId"]
    assert ga_id.startswith("ga-") and out["IpAddress"].startswith("198.19.")
    got = item(api, ga_id)
    assert (got["Bandwidth"], got["BandwidthType"], got["ServiceLocation"]) == ("10", "Exclusive", "china-mainland")
    assert (got["Status"], got["ChargeType"], got["Name"], got["Description"]) == ("Available", "PostPaid", "GA-1", "My GA")
    api.ModifyGlobalAccelerationInstanceAttributes(GlobalAccelerationInstanceId=ga_id, Name="GA-2", Description="Other")
    api.ModifyGlobalAccelerationInstanceSpec(GlobalAccelerationInstanceId=ga_id, Bandwidth=1000)
    got = item(api, ga_id)
    assert (got["Name"], got["Description"], got["Bandwidth"]) == ("GA-2", "Other", "1000")
    shared = create(api, BandwidthType="Sharing", ServiceLocation="europe")["GlobalAccelerationInstanceId"]
    listed = api.DescribeGlobalAccelerationInstances(BandwidthType="Sharing")
    assert [g["GlobalAccelerationInstanceId"] for g in
            listed["GlobalAccelerationInstances"]["GlobalAccelerationInstance"]] == [shared]
    assert api.DescribeGlobalAccelerationInstances(Status="Inuse")["TotalCount"] == 0
    api.DeleteGlobalAccelerationInstance(GlobalAccelerationInstanceId=ga_id)
    assert_error(lambda: api.DeleteGlobalAccelerationInstance(GlobalAccelerationInstanceId=ga_id), *NOT_FOUND)
    assert_error(lambda: api.ModifyGlobalAccelerationInstanceSpec(GlobalAccelerationInstanceId=ga_id, Bandwidth=10),
                 *NOT_FOUND)
    assert_error(lambda: api.ModifyGlobalAccelerationInstanceAttributes(GlobalAccelerationInstanceId=ga_id,
                                                                        Name="GA-3"), *NOT_FOUND)


def test_values_are_checked(api):
    assert_error(lambda: create(api, Bandwidth=15), 400, "InvalidParameter")
    assert_error(lambda: create(api, ServiceLocation="mars"), *LOCATION)
    assert_error(lambda: create(api, Name="1ga"), *NAME)
    assert_error(lambda: create(api, Description="http://ga"), *DESCRIPTION)
    ga_id = create(api)["GlobalAccelerationInstanceId"]
    assert_error(lambda: api.ModifyGlobalAccelerationInstanceAttributes(GlobalAccelerationInstanceId=ga_id,
                                                                        Name="-"), *NAME)
    assert_error(lambda: api.ModifyGlobalAccelerationInstanceAttributes(GlobalAccelerationInstanceId=ga_id,
                                                                        Description="x"), *DESCRIPTION)
    assert_error(lambda: api.ModifyGlobalAccelerationInstanceSpec(GlobalAccelerationInstanceId=ga_id, Bandwidth=150),
                 400, "InvalidParameter")


def test_a_dedicated_instance_takes_one_backend_of_another_region(api, old, ecs_old, beijing):
    ga_id = create(api)["GlobalAccelerationInstanceId"]
    backend = run_instance(ecs_old, beijing, RegionId="cn-beijing")
    bind = dict(GlobalAccelerationInstanceId=ga_id, BackendServerId=backend, BackendServerRegionId="cn-beijing")
    assert_error(lambda: generic_call(api, "AssociateGlobalAccelerationInstance", **dict(bind, BackendServerRegionId="cn-hangzhou")),
                 *SAME_REGION)
    assert_error(lambda: generic_call(api, "AssociateGlobalAccelerationInstance", **dict(bind, BackendServerRegionId="eu-west-1")),
                 *OUTSIDE)
    assert_error(lambda: generic_call(api, "AssociateGlobalAccelerationInstance", **dict(bind, BackendServerId="i-unknown")),
                 *BACKEND_NOT_FOUND)
    assert_error(lambda: generic_call(api, "AssociateGlobalAccelerationInstance", **dict(bind, BackendServerType="Vm")), *BAD_TYPE)
    assert_error(lambda: generic_call(api, "AssociateGlobalAccelerationInstance", **dict(bind, GlobalAccelerationInstanceId="ga-x")),
                 *NOT_FOUND)
    generic_call(api, "AssociateGlobalAccelerationInstance", **bind)
    got = item(api, ga_id)
    assert got["Status"] == "InUse"
    [server] = got["BackendServers"]["BackendServer"]
    assert (server["ServerId"], server["RegionId"], server["ServerType"]) == (backend, "cn-beijing", "EcsInstance")
    assert api.DescribeGlobalAccelerationInstances(ServerId=backend)["TotalCount"] == 1
    related = api.DescribeServerRelatedGlobalAccelerationInstances(ServerId=backend, ServerType="EcsInstance")
    [rel] = related["GlobalAccelerationInstances"]["GlobalAccelerationInstance"]
    assert (rel["GlobalAccelerationInstanceId"], rel["ServerIpAddress"]) == (ga_id, server["ServerIpAddress"])
    assert_error(lambda: generic_call(api, "AssociateGlobalAccelerationInstance", **bind), *STATUS)
    assert_error(lambda: api.DeleteGlobalAccelerationInstance(GlobalAccelerationInstanceId=ga_id), *STATUS)
    api.UnassociateGlobalAccelerationInstance(GlobalAccelerationInstanceId=ga_id, InstanceType="RemoteEcsInstance")
    assert_error(lambda: api.UnassociateGlobalAccelerationInstance(GlobalAccelerationInstanceId=ga_id), *STATUS)
    assert_error(lambda: api.UnassociateGlobalAccelerationInstance(GlobalAccelerationInstanceId="ga-x"), *NOT_FOUND)
    api.DeleteGlobalAccelerationInstance(GlobalAccelerationInstanceId=ga_id)


def test_backends_must_be_vpc_instances_without_an_eip(api, old, ecs_old, beijing):
    ga_id = create(api)["GlobalAccelerationInstanceId"]
    sg = ecs_old.CreateSecurityGroup(RegionId="cn-beijing")["SecurityGroupId"]
    classic = ecs_old.CreateInstance(RegionId="cn-beijing", ImageId=IMAGE_ID, InstanceType=INSTANCE_TYPE,
                                     SecurityGroupId=sg, ZoneId="cn-beijing-a")["InstanceId"]
    bind = dict(GlobalAccelerationInstanceId=ga_id, BackendServerRegionId="cn-beijing")
    assert_error(lambda: generic_call(api, "AssociateGlobalAccelerationInstance", BackendServerId=classic, **bind), *NOT_IN_VPC)
    related = lambda: api.DescribeServerRelatedGlobalAccelerationInstances(ServerId=classic)  # noqa: E731
    assert_error(related, *NOT_IN_VPC)
    assert_error(lambda: api.DescribeServerRelatedGlobalAccelerationInstances(ServerId="i-unknown"), *BACKEND_NOT_FOUND)
    assert_error(lambda: api.DescribeServerRelatedGlobalAccelerationInstances(ServerId=classic, ServerType="Vm"),
                 *BAD_TYPE)
    backend = run_instance(ecs_old, beijing, RegionId="cn-beijing")
    own = old.AllocateEipAddress(RegionId="cn-beijing")["AllocationId"]
    old.AssociateEipAddress(RegionId="cn-beijing", AllocationId=own, InstanceId=backend)
    assert_error(lambda: generic_call(api, "AssociateGlobalAccelerationInstance", BackendServerId=backend, **bind), *DUPLICATED)


def test_a_shared_instance_lends_its_eips_to_other_regions(api, old, ecs_old, beijing):
    ga_id = create(api, BandwidthType="Sharing")["GlobalAccelerationInstanceId"]
    assert item(api, ga_id)["IpAddress"] == ""
    allocation = allocate(api)
    backend = run_instance(ecs_old, beijing, RegionId="cn-beijing")
    bind = dict(AllocationId=allocation, InstanceId=backend, InstanceRegionId="cn-beijing")
    assert_error(lambda: api.AssociateEipAddress(**bind), *MISMATCH)
    assert_error(lambda: api.AddGlobalAccelerationInstanceIp(GlobalAccelerationInstanceId="ga-x",
                                                             IpInstanceId=allocation), *NOT_FOUND_IP)
    api.AddGlobalAccelerationInstanceIp(GlobalAccelerationInstanceId=ga_id, IpInstanceId=allocation)
    ips = item(api, ga_id)["PublicIpAddresses"]["PublicIpAddress"]
    assert [ip["AllocationId"] for ip in ips] == [allocation]
    api.AssociateEipAddress(**bind)
    got = eip(api, allocation)
    assert (got["Status"], got["InstanceId"], got["InstanceRegionId"]) == ("InUse", backend, "cn-beijing")
    attr = ecs_old.DescribeInstanceAttribute(RegionId="cn-beijing", InstanceId=backend)
    assert attr["EipAddress"]["AllocationId"] == allocation
    assert_error(lambda: api.DeleteGlobalAccelerationInstance(GlobalAccelerationInstanceId=ga_id), *STATUS)
    api.UnassociateEipAddress(AllocationId=allocation, InstanceId=backend)
    assert_error(lambda: api.ReleaseEipAddress(AllocationId=allocation), *TASK_CONFLICT)
    api.RemoveGlobalAccelerationInstanceIp(GlobalAccelerationInstanceId=ga_id, IpInstanceId=allocation)
    assert_error(lambda: api.RemoveGlobalAccelerationInstanceIp(GlobalAccelerationInstanceId="ga-x",
                                                                IpInstanceId=allocation), *NOT_FOUND_IP)
    api.DeleteGlobalAccelerationInstance(GlobalAccelerationInstanceId=ga_id)
    api.ReleaseEipAddress(AllocationId=allocation)


def test_a_binding_in_progress_is_a_task_conflict(old_delayed, ecs_old_delayed, delayed):
    net = ecs_network(old_delayed, ecs_old_delayed, zone="cn-beijing-a", region="cn-beijing",
                      settle=lambda: delayed.advance(5))
    backend = run_instance(ecs_old_delayed, net, RegionId="cn-beijing")
    delayed.advance(10)
    ga_id = create(old_delayed)["GlobalAccelerationInstanceId"]
    bind = dict(GlobalAccelerationInstanceId=ga_id, BackendServerId=backend, BackendServerRegionId="cn-beijing")
    generic_call(old_delayed, "AssociateGlobalAccelerationInstance", **bind)
    assert item(old_delayed, ga_id)["Status"] == "Associating"
    assert_error(lambda: generic_call(old_delayed, "AssociateGlobalAccelerationInstance", **bind), *TASK_CONFLICT)
    assert_error(lambda: old_delayed.UnassociateGlobalAccelerationInstance(GlobalAccelerationInstanceId=ga_id), *STATUS)
    delayed.advance(5)
    old_delayed.UnassociateGlobalAccelerationInstance(GlobalAccelerationInstanceId=ga_id)
    assert item(old_delayed, ga_id)["Status"] == "Unassociating"
    assert_error(lambda: old_delayed.DeleteGlobalAccelerationInstance(GlobalAccelerationInstanceId=ga_id), *STATUS)
    delayed.advance(5)
    old_delayed.DeleteGlobalAccelerationInstance(GlobalAccelerationInstanceId=ga_id)
