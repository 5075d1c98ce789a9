"""Documented error codes of the ECS lifecycle actions (the API description,
spec/ecs-2014-05-26.json: each parameter's ``invalid`` row and each action's ``errors``), with the
exact HTTP status, code and message: CreateInstance / RunInstances, DescribeInstances,
Start/Stop/Reboot/DeleteInstance, AllocatePublicIpAddress, CreateSecurityGroup,
DescribeResourcesModification, DescribeRegions and DescribeZones.

Tests taking the ``ecs`` fixture run once with the old core request classes and once with the Tea
client (V3 signature)."""

from types import SimpleNamespace

import pytest

from conftest import TRANSITION_DELAY_SECONDS as DELAY
from helpers import (
    DAY,
    PUBLIC_POOL,
    ZONE,
    ZONE2,
    assert_error,
    classic_network,
    create_instance,
    create_security_group,
    create_vswitch,
    describe_instance,
    ecs_network,
    instance_params,
    public_ips,
    run_instance,
    run_instances,
    run_subscription,
)

LAUNCH = ["CreateInstance", "RunInstances"]
LOCKED = ("InstanceLockedForSecurity",
          "The specified operation is denied as your instance is locked for security reasons.")  # 403
EXPIRED = ("InstanceExpired", "The prePaid instance has been expired.")  # 403, StartInstance's
EXPIRED_OR_IN_ARREARS = ("InstanceExpiredOrInArrears", "The specified operation is denied as your prepay instance "
                         "is expired (prepay mode) or in arrears (afterpay mode).")  # 403
INCORRECT_STATUS = ("IncorrectInstanceStatus", "The current status of the resource does not support this operation.")
VPC_NOT_READY = ("IncorrectVpcStatus", "Current VPC status does not support this operation.")
TOKEN = ("InvalidClientToken.ValueNotSupported", "The ClientToken provided is invalid.")  # 400
CHARGE_TYPE_NOT_FOUND = ("InvalidInstanceChargeType.NotFound",
                         "The InstanceChargeType does not exist in our records")  # 404
LANGUAGE_NOT_FOUND = ("InvalidAcceptLanguage.NotFound",
                      "Only Chinese (zh-CN), English (en-US), and Japanese (ja) are allowed.")  # 404
# The two launch actions word some codes differently.
ARREARAGE = {"CreateInstance": "Your account has an outstanding payment.",
             "RunInstances": "Your account has been in arrears."}  # 400 Account.Arrearage
GROUP_NOT_FOUND = {"CreateInstance": "The specified SecurityGroupId does not exist.",
                   "RunInstances": "The SecurityGroupId provided does not exist in our records."}  # 404
VPC_NOT_READY_STATUS = {"CreateInstance": 403, "RunInstances": 400}


def launch(ecs, action, net, **params):
    """CreateInstance or RunInstances in ``net`` (helpers.instance_params)."""
    return ecs.call(action, **instance_params(net, **params))


def instance_count(ecs):
    return ecs.DescribeInstances()["TotalCount"]


def case_ids(cases):
    """Test ids "Param=value" (the value cut short) of (param, value, ...) cases."""
    return [f"{case[0]}={str(case[1])[:12]}" for case in cases]


# --- CreateInstance / RunInstances ---------------------------------------------------------------


@pytest.mark.parametrize("action", LAUNCH)
def test_launch_on_an_overdue_account(ecs, net, emulator, action):
    emulator.set_billing(overdue=True)
    assert_error(lambda: launch(ecs, action, net), 400, "Account.Arrearage", ARREARAGE[action])
    emulator.set_billing(overdue=False)
    launch(ecs, action, net)
    assert instance_count(ecs) == 1


@pytest.mark.parametrize("action", LAUNCH)
def test_launch_in_a_vswitch_not_yet_available(old_delayed, ecs_tea_delayed, delayed, action):
    # A vSwitch needs an Available VPC, so a pending vSwitch is what a launch can meet.
    ecs = ecs_tea_delayed
    vpc_id = old_delayed.CreateVpc(CidrBlock="192.168.0.0/16")["VpcId"]
    delayed.advance(DELAY)
    net = SimpleNamespace(vswitch_id=create_vswitch(old_delayed, vpc_id, "192.168.1.0/24"),
                          security_group_id=create_security_group(ecs, vpc_id))
    assert_error(lambda: launch(ecs, action, net), VPC_NOT_READY_STATUS[action], *VPC_NOT_READY)
    delayed.advance(DELAY)
    launch(ecs, action, net)


# (parameter, value, code, message) of the launch parameters' ``invalid`` rows, all 400.
MALFORMED = [
    ("ClientToken", "t" * 65, *TOKEN),
    ("ClientToken", "jeton-clé", *TOKEN),
    ("InstanceName", "a", "InvalidInstanceName.Malformed", 'The specified parameter "InstanceName" is not valid.'),
    ("InstanceName", "a" * 129, "InvalidInstanceName.Malformed",
     'The specified parameter "InstanceName" is not valid.'),
    ("Description", "d", "InvalidDescription.Malformed", 'The specified parameter "Description" is not valid.'),
    ("Description", "d" * 257, "InvalidDescription.Malformed", 'The specified parameter "Description" is not valid.'),
    ("HostName", "h", "InvalidHostName.Malformed", 'The specified parameter "HostName" is not valid.'),
    ("HostName", "h" * 65, "InvalidHostName.Malformed", 'The specified parameter "HostName" is not valid.'),
    ("Password", "Ab1!cd2", "InvalidPassword.Malformed", 'The specified parameter "Password" is not valid.'),
    ("Password", "Ab1!" * 7 + "xyz", "InvalidPassword.Malformed", 'The specified parameter "Password" is not valid.'),
    ("InternetMaxBandwidthOut", 101, "InvalidParameter",
     'The specified parameter "InternetMaxBandwidthOut" is not valid.'),
    ("InternetMaxBandwidthOut", -1, "InvalidParameter",
     'The specified parameter "InternetMaxBandwidthOut" is not valid.'),
    ("PrivateIpAddress", "192.168.1.300", "InvalidPrivateIpAddress.Malformed",
     "Specified private IP address is malformed."),
    ("PrivateIpAddress", "192.168.1", "InvalidPrivateIpAddress.Malformed",
     "Specified private IP address is malformed."),
]


@pytest.mark.parametrize("action", LAUNCH)
@pytest.mark.parametrize("param,value,code,message", MALFORMED, ids=case_ids(MALFORMED))
def test_launch_with_a_malformed_parameter(ecs, net, action, param, value, code, message):
    assert_error(lambda: launch(ecs, action, net, **{param: value}), 400, code, message)
    assert instance_count(ecs) == 0


@pytest.mark.parametrize("action", LAUNCH)
def test_launch_parameters_at_their_limits_are_fine(ecs_tea_api, net, action):
    launch(ecs_tea_api, action, net, ClientToken="t" * 64, InstanceName="ab", Description="d" * 256,
           HostName="h" * 64, Password="Ab1!" * 7 + "xy", InternetMaxBandwidthOut=100,
           PrivateIpAddress="192.168.1.10")
    launch(ecs_tea_api, action, net, InstanceName="a" * 128, Description="de", HostName="hh",
           Password="Ab1!cd2e", InternetMaxBandwidthOut=0)
    assert instance_count(ecs_tea_api) == 2


@pytest.mark.parametrize("action", LAUNCH)
def test_launch_with_an_unknown_instance_charge_type(ecs, net, action):
    assert_error(lambda: launch(ecs, action, net, InstanceChargeType="Subscription"), 404, *CHARGE_TYPE_NOT_FOUND)


@pytest.mark.parametrize("action", LAUNCH)
def test_subscription_without_a_period(ecs, net, action):
    assert_error(lambda: launch(ecs, action, net, InstanceChargeType="PrePaid"), 400,
                 "MissingParamter", 'The specified parameter "Period" is not null.')  # the published spelling
    assert instance_count(ecs) == 0


@pytest.mark.parametrize("action", LAUNCH)
@pytest.mark.parametrize("period,unit", [(10, "Month"), (5, "Week")])
def test_subscription_with_an_invalid_period(ecs, net, action, period, unit):
    assert_error(lambda: launch(ecs, action, net, InstanceChargeType="PrePaid", Period=period, PeriodUnit=unit),
                 400, "InvalidPeriod", "The specified period is not valid.")


@pytest.mark.parametrize("action", LAUNCH)
def test_private_ip_address_outside_the_vswitch_or_taken(ecs, net, action):
    assert_error(lambda: launch(ecs, action, net, PrivateIpAddress="192.168.2.50"), 400, "InvalidPrivateIpAddress",
                 "Specified private IP address is not in the CIDR block of virtual switch.")
    launch(ecs, action, net, PrivateIpAddress="192.168.1.50")
    assert_error(lambda: launch(ecs, action, net, PrivateIpAddress="192.168.1.50"), 400,
                 "InvalidPrivateIpAddress.Duplicated", "Specified private IP address is duplicated.")
    assert instance_count(ecs) == 1


@pytest.mark.parametrize("action", LAUNCH)
def test_launch_in_a_full_vswitch(old, ecs, action):
    small = ecs_network(old, ecs, vswitch_cidr="192.168.1.0/29")  # 4 usable addresses
    run_instances(ecs, small, 4)
    assert_error(lambda: launch(ecs, action, small), 400, "QuotaExceeded.PrivateIpAddress",
                 "Don't have enough private IPs in this switch")
    assert instance_count(ecs) == 4


@pytest.mark.parametrize("action", LAUNCH)
def test_launch_with_unknown_vswitch_group_or_zone(ecs, net, action):
    assert_error(lambda: launch(ecs, action, net, VSwitchId="vsw-doesnotexist"), 404,
                 "InvalidVSwitchId.NotFound", "Specified virtual switch does not exist.")
    assert_error(lambda: launch(ecs, action, net, SecurityGroupId="sg-doesnotexist"), 404,
                 "InvalidSecurityGroupId.NotFound", GROUP_NOT_FOUND[action])
    # A classic-network instance (no VSwitchId) in a zone the region does not have.
    classic = classic_network(ecs)
    assert_error(lambda: launch(ecs, action, classic, ZoneId="cn-hangzhou-zz"), 404,
                 "InvalidZoneId.NotFound", "The specified zoneId does not exist.")
    assert instance_count(ecs) == 0


@pytest.mark.parametrize("action", LAUNCH)
def test_launch_with_a_group_or_zone_not_of_the_vswitch(old, ecs, net, action):
    other = ecs_network(old, ecs, cidr="10.0.0.0/8", vswitch_cidr="10.0.1.0/24")
    assert_error(lambda: launch(ecs, action, net, SecurityGroupId=other.security_group_id), 400,
                 "InvalidParameter.Mismatch", "Specified security group and virtual switch are not in the same VPC.")
    assert_error(lambda: launch(ecs, action, net, ZoneId=ZONE2), 400,
                 "InvalidParameter.Mismatch", "Specified virtual switch is not in the specified zone.")
    assert instance_count(ecs) == 0


@pytest.mark.parametrize("amount,min_amount", [(2, 3), (2, 0), (100, 101)])
def test_run_instances_with_an_invalid_min_amount(ecs, net, amount, min_amount):
    assert_error(lambda: run_instances(ecs, net, amount, MinAmount=min_amount), 400,
                 "InvalidMinAmount.Malformed", "The specified parameter MinAmount is not valid.")
    assert instance_count(ecs) == 0
    assert len(run_instances(ecs, net, 2, MinAmount=2)) == 2


# --- DescribeInstances ---------------------------------------------------------------------------


@pytest.mark.parametrize("param,value,code,message", [
    ("InstanceChargeType", "Subscription", *CHARGE_TYPE_NOT_FOUND),
    ("InternetChargeType", "PayByHour", "InvalidInternetChargeType.ValueNotSupported",
     "The specified InternetChargeType is not valid"),
    ("InstanceNetworkType", "hybrid", "InvalidNetworkType.NotFound", "The specified InstanceNetworkType is not found"),
    ("Status", "Deleted", "InvalidStatus.NotFound", "The specified Status is not found"),
])
def test_describe_instances_with_an_unknown_filter_value(ecs, net, param, value, code, message):
    run_instance(ecs, net)
    assert_error(lambda: ecs.DescribeInstances(**{param: value}), 404, code, message)


# --- Start / Stop / Reboot / Delete / AllocatePublicIpAddress ------------------------------------


def instance_ready_for(ecs, net, action):
    """An instance on which ``action`` succeeds."""
    if action in ("StartInstance", "DeleteInstance"):
        return create_instance(ecs, net)  # Stopped
    if action == "AllocatePublicIpAddress":
        # Pay-as-you-go, given bandwidth after its creation: no address yet.
        instance_id = run_instance(ecs, net, InternetChargeType="PayByTraffic")
        ecs.ModifyInstanceNetworkSpec(InstanceId=instance_id, InternetMaxBandwidthOut=5)
        return instance_id
    return run_instance(ecs, net)  # Running


@pytest.mark.parametrize("action", ["StartInstance", "StopInstance", "RebootInstance", "DeleteInstance",
                                    "AllocatePublicIpAddress"])
def test_instance_locked_for_security(ecs, net, emulator, action):
    instance_id = instance_ready_for(ecs, net, action)
    emulator.security_lock(instance_id)
    assert_error(lambda: ecs.call(action, InstanceId=instance_id), 403, *LOCKED)
    emulator.security_lock(instance_id, locked=False)
    ecs.call(action, InstanceId=instance_id)


@pytest.mark.parametrize("action,error", [
    ("StartInstance", EXPIRED),
    ("StopInstance", EXPIRED_OR_IN_ARREARS),
    ("RebootInstance", EXPIRED_OR_IN_ARREARS),
    ("AllocatePublicIpAddress", EXPIRED_OR_IN_ARREARS),
])
def test_expired_subscription_instance(ecs, net, emulator, action, error):
    # An expired subscription shows Stopped, yet StopInstance documents InstanceExpiredOrInArrears
    # (not IncorrectInstanceStatus), as Start and Reboot answer their expiry codes before the status.
    instance_id = run_subscription(ecs, net, period=1, unit="Week", InternetMaxBandwidthOut=5)
    emulator.advance(8 * DAY)
    assert_error(lambda: ecs.call(action, InstanceId=instance_id), 403, *error)
    # The lock answers first.
    emulator.security_lock(instance_id)
    assert_error(lambda: ecs.call(action, InstanceId=instance_id), 403, *LOCKED)


def test_allocate_public_ip_address_while_pending(ecs_tea_delayed, old_delayed, ecs_old_delayed, delayed):
    ecs = ecs_tea_delayed
    net = ecs_network(old_delayed, ecs_old_delayed, settle=lambda: delayed.advance(DELAY))
    instance_id = create_instance(ecs, net, InternetChargeType="PayByTraffic", InternetMaxBandwidthOut=5)
    assert describe_instance(ecs, instance_id)["Status"] == "Pending"
    assert_error(lambda: ecs.AllocatePublicIpAddress(InstanceId=instance_id), 403, *INCORRECT_STATUS)


def test_allocate_public_ip_address_from_an_exhausted_pool(ecs_tea_api, net, emulator):
    ecs = ecs_tea_api
    waiting = instance_ready_for(ecs, net, "AllocatePublicIpAddress")
    # Every address of the pool but the .0 and .255 ones (about 1300 calls), taken by
    # classic-network instances, which need no vSwitch addresses.
    size = PUBLIC_POOL.num_addresses - 2 * PUBLIC_POOL.num_addresses // 256
    classic = classic_network(ecs)
    for amount in [100] * (size // 100) + [size % 100]:
        run_instances(ecs, classic, amount, VSwitchId=None, ZoneId=ZONE, InternetMaxBandwidthOut=1)
    assert_error(lambda: ecs.AllocatePublicIpAddress(InstanceId=waiting), 400,
                 "InsufficientPublicIp", "Ip address not found")
    # ModifyInstanceNetworkSpec's AllocatePublicIp finds the pool empty too, and changes nothing
    # (after the five minutes that follow the bandwidth change of instance_ready_for).
    emulator.advance(301)
    assert_error(lambda: ecs.ModifyInstanceNetworkSpec(InstanceId=waiting, InternetMaxBandwidthOut=6,
                                                       AllocatePublicIp=True),
                 400, "IpAllocationError", "Allocate public ip failed.")
    item = describe_instance(ecs, waiting)
    assert public_ips(item) == []
    assert item["InternetMaxBandwidthOut"] == 5


# --- CreateSecurityGroup -------------------------------------------------------------------------

GROUP_NAME = ("InvalidSecurityGroupName.Malformed", "Specified security group name is not valid.")
GROUP_DESCRIPTION = ("InvalidSecurityGroupDiscription.Malformed",  # the published spelling
                     "Specified security group description is not valid.")
GROUP_MALFORMED = [
    ("SecurityGroupName", "a", *GROUP_NAME),
    ("SecurityGroupName", "a" * 129, *GROUP_NAME),
    ("SecurityGroupName", "1group", *GROUP_NAME),
    ("SecurityGroupName", "web servers", *GROUP_NAME),
    ("SecurityGroupName", "http://group", *GROUP_NAME),
    ("Description", "d", *GROUP_DESCRIPTION),
    ("Description", "d" * 257, *GROUP_DESCRIPTION),
    ("Description", "https://group", *GROUP_DESCRIPTION),
    ("ClientToken", "t" * 65, *TOKEN),
]


@pytest.mark.parametrize("param,value,code,message", GROUP_MALFORMED, ids=case_ids(GROUP_MALFORMED))
def test_create_security_group_with_a_malformed_parameter(ecs, net, param, value, code, message):
    assert_error(lambda: create_security_group(ecs, net.vpc_id, **{param: value}), 400, code, message)
    assert ecs.DescribeSecurityGroups()["TotalCount"] == 1  # the fixture's


def test_create_security_group_in_a_pending_vpc(old_delayed, ecs_old_delayed, delayed):
    vpc_id = old_delayed.CreateVpc(CidrBlock="192.168.0.0/16")["VpcId"]
    assert_error(lambda: create_security_group(ecs_old_delayed, vpc_id), 400, *VPC_NOT_READY)
    delayed.advance(DELAY)
    assert create_security_group(ecs_old_delayed, vpc_id)


# --- DescribeResourcesModification, DescribeRegions, DescribeZones -------------------------------


def test_describe_resources_modification_with_unknown_values(ecs, net):
    instance_id = create_instance(ecs, net)
    assert_error(lambda: ecs.DescribeResourcesModification(ResourceId=instance_id, DestinationResource="Disk"),
                 404, "Invalid.DestinationResource", "The specified DestinationResource is not valid.")
    assert_error(lambda: ecs.DescribeResourcesModification(ResourceId=instance_id, DestinationResource="InstanceType",
                                                           OperationType="Sidegrade"),
                 400, "Invalid.OperationType", "The specified operationType is not valid.")


def test_describe_regions_and_zones_with_unknown_values(ecs):
    assert_error(lambda: ecs.DescribeRegions(AcceptLanguage="fr-FR"), 404, *LANGUAGE_NOT_FOUND)
    assert_error(lambda: ecs.DescribeZones(AcceptLanguage="fr-FR"), 404, *LANGUAGE_NOT_FOUND)
    assert_error(lambda: ecs.DescribeZones(InstanceChargeType="Subscription"), 404, *CHARGE_TYPE_NOT_FOUND)
    assert ecs.DescribeRegions(AcceptLanguage="ja")["Regions"]["Region"]
    assert ecs.DescribeZones(AcceptLanguage="en-US", InstanceChargeType="PrePaid")["Zones"]["Zone"]
