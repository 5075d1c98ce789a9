"""ECS instances (docs/ecs.md, Instances and Instance types): the lifecycle (CreateInstance,
RunInstances, Start/Stop/Reboot/DeleteInstance), DescribeInstances and its filters,
DescribeInstanceAttribute, private addresses taken from the vSwitch, public addresses from
198.18.0.0/16, security groups, the VPC dependencies, the instance type catalogue,
DescribeResourcesModification, the ECS DescribeRegions / DescribeZones, subscription billing at
creation, and the transitional states of the delayed server.

Tests taking the ``ecs`` fixture run once with the old core request classes and once with the Tea
client (V3 signature). The seeds give codes only for ModifyInstanceNetworkSpec / ModifyInstanceSpec;
for the other calls a code is asserted where docs/ecs.md or the API description
(spec/patches/ecs-2014-05-26.json, which docs/ecs.md points to for its choices) names it, else only
that the call is refused with a 4xx."""

import ipaddress
import json
import xml.etree.ElementTree as ET

import pytest
from alibabacloud_ecs20140526 import models as em

from conftest import TRANSITION_DELAY_SECONDS as DELAY
from helpers import (
    DAY,
    ECS_VERSION,
    G6_LARGE_PRICE,
    IMAGE_ID,
    INSTANCE_TYPE,
    REGION,
    ZONE,
    ZONE2,
    assert_error,
    assert_rejected,
    bandwidth_price,
    classic_network,
    common_request,
    create_classic_instance,
    create_instance,
    create_security_group,
    describe_instance,
    describe_instances,
    ecs_network,
    expiry_ms,
    free_addresses,
    in_public_pool,
    instance_params,
    instance_status,
    lock_reasons,
    private_ips,
    public_ips,
    raw_response,
    run_instance,
    run_instances,
    run_subscription,
    system_table,
    type_price,
)

NOT_FOUND = ("InvalidInstanceId.NotFound", "The specified InstanceId does not exist.")
# docs/ecs.md: "A call that needs a stable status answers IncorrectInstanceStatus". Its HTTP status
# is 403 as in seed 002 (and the real service); the message is only asserted for the seed's call.
INCORRECT_STATUS = "IncorrectInstanceStatus"
NOT_ENOUGH_BALANCE = ("InvalidAccountStatus.NotEnoughBalance", "Your account does not have enough balance.")
# Codes of the API description (spec/patches/ecs-2014-05-26.json).
INITIALIZING = ("IncorrectInstanceStatus.Initializing", "The specified instance status does not support this operation.")
NOT_SAME_VPC = ("InvalidParameter.Mismatch", "Specified security group and virtual switch are not in the same VPC.")
GROUP_NOT_FOUND = ("InvalidSecurityGroupId.NotFound", "The specified SecurityGroupId does not exist.")
GROUP_IN_USE = ("DependencyViolation", "There is still instance(s) in the specified security group.")
INVALID_PERIOD = ("InvalidPeriod", "The specified period is not valid.")
UNKNOWN_TYPE = ("InvalidInstanceType.ValueNotSupported",
                "The specified InstanceType does not exist or beyond the permitted range.")
ROUTE_DEPENDENCY = ("DependencyViolation.RouteEntry", "Specified instance is used by route entry.")
USABLE_IN_A_24 = 252  # a /24 has 256 addresses, 4 of them reserved
SIZES = {"large": 2, "xlarge": 4, "2xlarge": 8, "4xlarge": 16, "8xlarge": 32}
GIB_PER_VCPU = {"g6": 4, "g7": 4, "c6": 2, "c7": 2, "r6": 8, "r7": 8}


def ids(ecs, **filters):
    return sorted(i["InstanceId"] for i in describe_instances(ecs, PageSize=100, **filters))


def gone(ecs, instance_id):
    return describe_instances(ecs, InstanceIds=json.dumps([instance_id])) == []


# --- CreateInstance / RunInstances ---------------------------------------------------------------


def test_create_instance_is_stopped(ecs, net):
    created = ecs.CreateInstance(**instance_params(net, InstanceName="web-1", Description="first"))
    instance_id = created["InstanceId"]
    assert created["RequestId"] and instance_id.startswith("i-")
    item = describe_instance(ecs, instance_id)
    assert item["Status"] == "Stopped"
    assert item["InstanceId"] == instance_id
    assert item["InstanceName"] == "web-1"
    assert item["InstanceType"] == INSTANCE_TYPE
    assert item["ImageId"] == IMAGE_ID
    assert item["RegionId"] == REGION
    assert item["ZoneId"] == ZONE  # the vSwitch's zone
    assert item["InstanceNetworkType"] == "vpc"
    assert item["InstanceChargeType"] == "PostPaid"  # the default
    assert item["VpcAttributes"]["VpcId"] == net.vpc_id
    assert item["VpcAttributes"]["VSwitchId"] == net.vswitch_id
    assert item["SecurityGroupIds"]["SecurityGroupId"] == [net.security_group_id]
    assert item["InternetMaxBandwidthOut"] == 0
    assert public_ips(item) == []
    assert item["CreationTime"]


def test_run_instances_are_running_with_their_ids_in_instance_id_sets(ecs, net):
    body = ecs.RunInstances(Amount=3, **instance_params(net, InstanceName="batch"))
    new = body["InstanceIdSets"]["InstanceIdSet"]
    assert body["RequestId"]
    assert len(new) == 3 and len(set(new)) == 3
    assert all(i.startswith("i-") for i in new)
    assert ids(ecs) == sorted(new)
    assert {instance_status(ecs, i) for i in new} == {"Running"}
    # Amount defaults to 1.
    single = ecs.RunInstances(**instance_params(net))["InstanceIdSets"]["InstanceIdSet"]
    assert len(single) == 1
    assert ecs.DescribeInstances()["TotalCount"] == 4


def test_run_instances_through_typed_tea_models(ecs_tea, net):
    request = em.RunInstancesRequest(
        region_id=REGION, image_id=IMAGE_ID, instance_type="ecs.c7.xlarge", security_group_id=net.security_group_id,
        v_switch_id=net.vswitch_id, amount=2, internet_charge_type="PayByTraffic", internet_max_bandwidth_out=5,
    )
    new = ecs_tea.run_instances(request).body.instance_id_sets.instance_id_set
    assert len(new) == 2
    body = ecs_tea.describe_instances(em.DescribeInstancesRequest(region_id=REGION, instance_ids=json.dumps(new))).body
    assert body.total_count == 2
    for item in body.instances.instance:
        assert item.status == "Running"
        assert item.instance_type == "ecs.c7.xlarge"
        assert item.internet_max_bandwidth_out == 5
        assert item.internet_charge_type == "PayByTraffic"
        assert item.vpc_attributes.v_switch_id == net.vswitch_id
        [address] = item.public_ip_address.ip_address
        assert in_public_pool(address)


@pytest.mark.parametrize("amount", [0, 101])
def test_run_instances_amount_out_of_range(ecs, net, amount):
    # docs/ecs.md: Amount 1-100; the code is the API description's (its message is "%s").
    _, _, message = assert_error(lambda: ecs.RunInstances(Amount=amount, **instance_params(net)), 403,
                                 "InvalidParam.Amount")
    assert message and "%s" not in message, message
    assert ecs.DescribeInstances()["TotalCount"] == 0


def test_run_instances_at_most_100(ecs_tea_api, net):
    new = run_instances(ecs_tea_api, net, 100)
    assert len(set(new)) == 100


def test_image_and_type_must_be_in_the_catalogue(ecs, net):
    assert_error(lambda: create_instance(ecs, net, ImageId="m-my-own-image"), 404, "InvalidImageId.NotFound",
                 "The specified ImageId does not exist.")
    assert create_instance(ecs, net)
    assert_error(lambda: create_instance(ecs, net, InstanceType="ecs.g6.huge"), 400, *UNKNOWN_TYPE)
    assert_error(lambda: run_instance(ecs, net, InstanceType="ecs.g6.huge"), 400, *UNKNOWN_TYPE)
    assert ecs.DescribeInstances()["TotalCount"] == 1


def test_instance_needs_a_security_group_of_its_vpc(old, ecs, net):
    other = ecs_network(old, ecs, cidr="10.0.0.0/8", vswitch_cidr="10.0.1.0/24")
    assert_error(lambda: create_instance(ecs, net, SecurityGroupId=other.security_group_id), 400, *NOT_SAME_VPC)
    classic_group = create_security_group(ecs)
    assert_error(lambda: create_instance(ecs, net, SecurityGroupId=classic_group), 400, *NOT_SAME_VPC)
    # ...and a classic-network instance one without a VPC.
    assert_rejected(lambda: create_instance(ecs, net, VSwitchId=None, ZoneId=ZONE))
    assert_error(lambda: create_instance(ecs, net, SecurityGroupId="sg-doesnotexist"), 404, *GROUP_NOT_FOUND)
    # A classic-network instance needs ZoneId.
    assert_error(lambda: create_instance(ecs, net, VSwitchId=None, SecurityGroupId=classic_group), 400,
                 code_prefix="Missing")
    # A vSwitch in another zone than ZoneId.
    assert_error(lambda: create_instance(ecs, net, ZoneId=ZONE2), 400, "InvalidParameter.Mismatch",
                 "Specified virtual switch is not in the specified zone.")
    assert ecs.DescribeInstances()["TotalCount"] == 0


def test_cpu_and_memory_of_an_instance(ecs, net):
    instance_id = run_instance(ecs, net, InstanceType="ecs.r7.2xlarge")
    item = describe_instance(ecs, instance_id)
    assert item["Cpu"] == 8
    # Memory in MiB, as the real DescribeInstances answers (the catalogue's MemorySize is GiB).
    assert item["Memory"] == 64 * 1024
    assert item["InstanceTypeFamily"] == "ecs.r7"


# --- Start / Stop / Reboot / Delete --------------------------------------------------------------


def test_start_stop_reboot(ecs, net):
    instance_id = create_instance(ecs, net)
    assert instance_status(ecs, instance_id) == "Stopped"
    assert_error(lambda: ecs.StopInstance(InstanceId=instance_id), 403, INCORRECT_STATUS)
    assert_error(lambda: ecs.RebootInstance(InstanceId=instance_id), 403, INCORRECT_STATUS)

    assert ecs.StartInstance(InstanceId=instance_id)["RequestId"]
    assert instance_status(ecs, instance_id) == "Running"
    assert_error(lambda: ecs.StartInstance(InstanceId=instance_id), 403, INCORRECT_STATUS)

    assert ecs.RebootInstance(InstanceId=instance_id)["RequestId"]
    assert instance_status(ecs, instance_id) == "Running"

    assert ecs.StopInstance(InstanceId=instance_id)["RequestId"]
    assert instance_status(ecs, instance_id) == "Stopped"
    assert ecs.DescribeInstanceAttribute(InstanceId=instance_id)["Status"] == "Stopped"


@pytest.mark.parametrize("action", ["StartInstance", "StopInstance", "RebootInstance", "DeleteInstance",
                                    "DescribeInstanceAttribute", "AllocatePublicIpAddress"])
def test_unknown_instance(ecs, action):
    assert_error(lambda: ecs.call(action, InstanceId="i-doesnotexist"), 404, *NOT_FOUND)


def test_delete_a_stopped_instance(ecs, net):
    instance_id = create_instance(ecs, net)
    assert ecs.DeleteInstance(InstanceId=instance_id)["RequestId"]
    assert gone(ecs, instance_id)
    assert_error(lambda: ecs.DescribeInstanceAttribute(InstanceId=instance_id), 404, *NOT_FOUND)
    assert_error(lambda: ecs.DeleteInstance(InstanceId=instance_id), 404, *NOT_FOUND)


def test_delete_a_running_instance_needs_force(ecs, net):
    instance_id = run_instance(ecs, net)
    assert_error(lambda: ecs.DeleteInstance(InstanceId=instance_id), 403, INCORRECT_STATUS)
    assert_error(lambda: ecs.DeleteInstance(InstanceId=instance_id, Force=False), 403, INCORRECT_STATUS)
    assert instance_status(ecs, instance_id) == "Running"
    ecs.DeleteInstance(InstanceId=instance_id, Force=True)
    assert gone(ecs, instance_id)


def test_delete_a_subscription_instance_only_once_expired(ecs, net, emulator):
    instance_id = run_subscription(ecs, net, period=1, unit="Week")
    ecs.StopInstance(InstanceId=instance_id)
    # docs/ecs.md names no code; ChargeTypeViolation (403) is the real DeleteInstance's.
    assert_error(lambda: ecs.DeleteInstance(InstanceId=instance_id), 403, "ChargeTypeViolation")
    assert_error(lambda: ecs.DeleteInstance(InstanceId=instance_id, Force=True), 403, "ChargeTypeViolation")
    emulator.advance(8 * DAY)
    ecs.DeleteInstance(InstanceId=instance_id)
    assert gone(ecs, instance_id)


def test_an_expired_subscription_instance_is_stopped_with_a_financial_lock(ecs, net, emulator):
    start = emulator.now_ms()
    instance_id = run_subscription(ecs, net, period=1, unit="Week")
    item = describe_instance(ecs, instance_id)
    assert item["InstanceChargeType"] == "PrePaid"
    assert item["Status"] == "Running"
    assert lock_reasons(item) == []
    # ExpiredTime is a week away (the day it is rounded to, if any, left open).
    assert 7 * DAY * 1000 - DAY * 1000 <= expiry_ms(ecs, instance_id) - start <= 8 * DAY * 1000
    emulator.advance(8 * DAY)
    item = describe_instance(ecs, instance_id)
    assert item["Status"] == "Stopped"
    assert lock_reasons(item) == ["financial"]
    attribute = ecs.DescribeInstanceAttribute(InstanceId=instance_id)
    assert attribute["Status"] == "Stopped"
    assert [lock["LockReason"] for lock in attribute["OperationLocks"]["LockReason"]] == ["financial"]


# --- DescribeInstances ---------------------------------------------------------------------------


def test_describe_instances_filters(old, ecs, net):
    net2 = ecs_network(old, ecs, cidr="10.0.0.0/8", vswitch_cidr="10.0.2.0/24", zone=ZONE2)
    classic = classic_network(ecs)
    a = run_instance(ecs, net, InstanceName="alpha", InternetChargeType="PayByTraffic", InternetMaxBandwidthOut=1)
    b = create_instance(ecs, net, InstanceName="beta", InstanceType="ecs.c6.large")
    c = run_subscription(ecs, net2, InstanceName="gamma", InternetChargeType="PayByBandwidth",
                         InternetMaxBandwidthOut=5)
    d = create_classic_instance(ecs, classic, InstanceName="delta")

    assert ids(ecs) == sorted([a, b, c, d])
    assert ids(ecs, VpcId=net.vpc_id) == sorted([a, b])
    assert ids(ecs, VSwitchId=net2.vswitch_id) == [c]
    assert ids(ecs, ZoneId=ZONE2) == [c]
    assert ids(ecs, ZoneId=ZONE) == sorted([a, b, d])
    assert ids(ecs, Status="Stopped") == sorted([b, d])
    assert ids(ecs, Status="Running") == sorted([a, c])
    assert ids(ecs, InstanceName="alpha") == [a]
    assert ids(ecs, InstanceType="ecs.c6.large") == [b]
    assert ids(ecs, InstanceType=INSTANCE_TYPE) == sorted([a, c, d])
    assert ids(ecs, InstanceChargeType="PrePaid") == [c]
    assert ids(ecs, InstanceChargeType="PostPaid") == sorted([a, b, d])
    assert ids(ecs, InternetChargeType="PayByBandwidth") == [c]
    assert a in ids(ecs, InternetChargeType="PayByTraffic")
    assert ids(ecs, SecurityGroupId=net2.security_group_id) == [c]
    assert ids(ecs, SecurityGroupId=classic.security_group_id) == [d]
    assert ids(ecs, InstanceNetworkType="classic") == [d]
    assert ids(ecs, InstanceNetworkType="vpc") == sorted([a, b, c])
    assert ids(ecs, InstanceIds=json.dumps([a, c])) == sorted([a, c])
    assert ids(ecs, InstanceIds=json.dumps([a, "i-doesnotexist"])) == [a]
    # Filters combine.
    assert ids(ecs, VpcId=net.vpc_id, Status="Running") == [a]
    assert ids(ecs, VpcId=net.vpc_id, InstanceChargeType="PrePaid") == []
    classic_item = describe_instance(ecs, d)
    assert classic_item["InstanceNetworkType"] == "classic"
    assert classic_item["ZoneId"] == ZONE


def test_describe_instances_paging(ecs, net):
    new = run_instances(ecs, net, 25)
    body = ecs.DescribeInstances()
    assert (body["TotalCount"], body["PageNumber"], body["PageSize"]) == (25, 1, 10)
    assert len(body["Instances"]["Instance"]) == 10
    seen = []
    for page in (1, 2, 3):
        body = ecs.DescribeInstances(PageNumber=page, PageSize=10)
        assert body["PageNumber"] == page and body["TotalCount"] == 25
        seen += [i["InstanceId"] for i in body["Instances"]["Instance"]]
    assert len(seen) == 25 and sorted(seen) == sorted(new)
    assert ecs.DescribeInstances(PageNumber=4, PageSize=10)["Instances"]["Instance"] == []
    body = ecs.DescribeInstances(PageSize=100)
    assert body["PageSize"] == 100 and len(body["Instances"]["Instance"]) == 25
    assert_rejected(lambda: ecs.DescribeInstances(PageSize=101))


def test_describe_instances_at_most_100_ids(ecs, net):
    new = run_instances(ecs, net, 3)
    listed = new + [f"i-missing{n:04d}" for n in range(97)]
    assert ids(ecs, InstanceIds=json.dumps(listed)) == sorted(new)
    assert_error(lambda: ecs.DescribeInstances(InstanceIds=json.dumps(listed + ["i-onemore"])), 400,
                 "InvalidParameter", "The specified parameter InstanceIds is not valid.")
    assert_error(lambda: ecs.DescribeInstances(InstanceIds="i-notjson"), 400, "InvalidParameter")


def test_describe_instance_attribute(ecs, net):
    instance_id = run_instance(ecs, net, InstanceName="attr", InternetChargeType="PayByBandwidth",
                               InternetMaxBandwidthOut=3)
    body = ecs.DescribeInstanceAttribute(InstanceId=instance_id)
    assert body["RequestId"]
    assert body["InstanceId"] == instance_id
    assert body["InstanceName"] == "attr"
    assert body["InstanceType"] == INSTANCE_TYPE
    assert body["Status"] == "Running"
    assert body["RegionId"] == REGION and body["ZoneId"] == ZONE
    assert body["VpcAttributes"]["VpcId"] == net.vpc_id
    assert body["VpcAttributes"]["VSwitchId"] == net.vswitch_id
    item = describe_instance(ecs, instance_id)
    assert body["VpcAttributes"]["PrivateIpAddress"]["IpAddress"] == private_ips(item)
    assert body["SecurityGroupIds"]["SecurityGroupId"] == [net.security_group_id]
    assert body["InternetChargeType"] == "PayByBandwidth"
    assert body["InternetMaxBandwidthOut"] == 3
    assert body["PublicIpAddress"]["IpAddress"] == public_ips(item) and len(public_ips(item)) == 1
    assert body["InstanceChargeType"] == "PostPaid"


def test_the_ecs_api_answers_xml_too(acs, emulator, ecs_old, net):
    instance_id = run_instance(ecs_old, net)
    req = common_request(emulator.endpoint, "DescribeInstances", version=ECS_VERSION, RegionId=REGION)
    req.set_accept_format("XML")
    status, _headers, body = raw_response(acs, req)
    assert status == 200
    root = ET.fromstring(body)
    assert root.tag == "DescribeInstancesResponse"
    assert root.findtext("TotalCount") == "1"
    assert [e.findtext("InstanceId") for e in root.findall("Instances/Instance")] == [instance_id]


def test_tea_v1_signature(ecs_tea_v1, ecs_old, net):
    instance_id = run_instance(ecs_old, net)
    body = ecs_tea_v1.describe_instance_attribute(em.DescribeInstanceAttributeRequest(instance_id=instance_id)).body
    assert body.instance_id == instance_id and body.status == "Running"
    ecs_tea_v1.stop_instance(em.StopInstanceRequest(instance_id=instance_id))
    assert instance_status(ecs_old, instance_id) == "Stopped"


# --- addresses -----------------------------------------------------------------------------------


def test_private_addresses_come_from_the_vswitch(old, ecs, net):
    assert free_addresses(old, net.vswitch_id) == USABLE_IN_A_24
    first = create_instance(ecs, net)
    assert free_addresses(old, net.vswitch_id) == USABLE_IN_A_24 - 1
    more = run_instances(ecs, net, 3)
    assert free_addresses(old, net.vswitch_id) == USABLE_IN_A_24 - 4
    addresses = []
    for instance_id in [first, *more]:
        [address] = private_ips(describe_instance(ecs, instance_id))
        address = ipaddress.ip_address(address)
        assert address in net.cidr
        # The first address and the last three are reserved.
        assert address not in (net.cidr[0], net.cidr[-3], net.cidr[-2], net.cidr[-1])
        addresses.append(address)
    assert len(set(addresses)) == 4

    chosen = create_instance(ecs, net, PrivateIpAddress="192.168.1.50")
    assert private_ips(describe_instance(ecs, chosen)) == ["192.168.1.50"]
    assert free_addresses(old, net.vswitch_id) == USABLE_IN_A_24 - 5
    assert_error(lambda: create_instance(ecs, net, PrivateIpAddress="192.168.1.50"), 400,
                 "InvalidPrivateIpAddress.Duplicated", "Specified private IP address is duplicated.")
    assert_error(lambda: create_instance(ecs, net, PrivateIpAddress="192.168.2.50"), 400, "InvalidPrivateIpAddress",
                 "Specified private IP address is not in the CIDR block of virtual switch.")
    assert free_addresses(old, net.vswitch_id) == USABLE_IN_A_24 - 5

    ecs.DeleteInstance(InstanceId=chosen)
    assert free_addresses(old, net.vswitch_id) == USABLE_IN_A_24 - 4
    # The address is free again.
    assert private_ips(describe_instance(ecs, create_instance(ecs, net, PrivateIpAddress="192.168.1.50"))) \
        == ["192.168.1.50"]
    for instance_id in more:
        ecs.DeleteInstance(InstanceId=instance_id, Force=True)
    assert free_addresses(old, net.vswitch_id) == USABLE_IN_A_24 - 2


def test_a_full_vswitch_takes_no_more_instances(old, ecs_tea_api, net):
    small = ecs_network(old, ecs_tea_api, cidr="10.0.0.0/8", vswitch_cidr="10.0.2.0/29")
    assert free_addresses(old, small.vswitch_id) == 4
    run_instances(ecs_tea_api, small, 4)
    assert free_addresses(old, small.vswitch_id) == 0
    assert_error(lambda: run_instance(ecs_tea_api, small), 400, "QuotaExceeded.PrivateIpAddress")
    assert ecs_tea_api.DescribeInstances(VpcId=small.vpc_id)["TotalCount"] == 4


def test_public_ips_come_from_the_benchmark_pool_and_never_collide(old, ecs, net):
    new = run_instances(ecs, net, 20, InternetMaxBandwidthOut=5)
    addresses = [a for i in new for a in public_ips(describe_instance(ecs, i))]
    assert len(addresses) == 20 and len(set(addresses)) == 20
    assert all(in_public_pool(a) for a in addresses)
    # Without bandwidth, no address.
    assert public_ips(describe_instance(ecs, run_instance(ecs, net))) == []
    # Another region draws from the same pool.
    shanghai_group = create_security_group(ecs, RegionId="cn-shanghai")
    other = ecs.RunInstances(RegionId="cn-shanghai", ZoneId="cn-shanghai-b", ImageId=IMAGE_ID,
                             InstanceType=INSTANCE_TYPE, SecurityGroupId=shanghai_group,
                             InternetMaxBandwidthOut=1)["InstanceIdSets"]["InstanceIdSet"]
    [item] = ecs.DescribeInstances(RegionId="cn-shanghai", InstanceIds=json.dumps(other))["Instances"]["Instance"]
    assert item["RegionId"] == "cn-shanghai"
    [address] = public_ips(item)
    assert in_public_pool(address) and address not in addresses
    # Instances of one region are not listed in another.
    assert other[0] not in ids(ecs)


def test_allocate_public_ip_address(ecs, net):
    # A pay-as-you-go instance upgraded from 0 Mbit/s gets no address by itself (seed 002).
    instance_id = run_instance(ecs, net, InternetChargeType="PayByTraffic")
    assert_error(lambda: ecs.AllocatePublicIpAddress(InstanceId=instance_id), 400,
                 "AllocateIpInvalidInstanceBandwidth")  # no bandwidth
    ecs.ModifyInstanceNetworkSpec(InstanceId=instance_id, InternetMaxBandwidthOut=5)
    item = describe_instance(ecs, instance_id)
    assert item["InternetMaxBandwidthOut"] == 5 and public_ips(item) == []

    body = ecs.AllocatePublicIpAddress(InstanceId=instance_id)
    assert body["RequestId"] and in_public_pool(body["IpAddress"])
    assert public_ips(describe_instance(ecs, instance_id)) == [body["IpAddress"]]
    assert ecs.DescribeInstanceAttribute(InstanceId=instance_id)["PublicIpAddress"]["IpAddress"] == [body["IpAddress"]]
    # It has one now.
    assert_error(lambda: ecs.AllocatePublicIpAddress(InstanceId=instance_id), 403, "AllocatedAlready",
                 "There is an IpAddress allocated already for the specified instance.")
    assert public_ips(describe_instance(ecs, instance_id)) == [body["IpAddress"]]


def test_a_deleted_instance_gives_its_public_ip_back_to_no_one_else_twice(ecs, net):
    # Addresses stay unique after deletions too.
    first = run_instances(ecs, net, 5, InternetMaxBandwidthOut=1)
    for instance_id in first[:3]:
        ecs.DeleteInstance(InstanceId=instance_id, Force=True)
    second = run_instances(ecs, net, 5, InternetMaxBandwidthOut=1)
    addresses = [a for i in first[3:] + second for a in public_ips(describe_instance(ecs, i))]
    assert len(addresses) == 7 and len(set(addresses)) == 7


# --- security groups -----------------------------------------------------------------------------


def test_security_groups(ecs, net):
    named = create_security_group(ecs, net.vpc_id, SecurityGroupName="web", Description="web servers")
    assert named.startswith("sg-")
    classic = create_security_group(ecs)
    body = ecs.DescribeSecurityGroups(VpcId=net.vpc_id)
    groups = {g["SecurityGroupId"]: g for g in body["SecurityGroups"]["SecurityGroup"]}
    assert set(groups) == {net.security_group_id, named}
    assert body["TotalCount"] == 2
    assert groups[named]["VpcId"] == net.vpc_id
    assert groups[named]["SecurityGroupName"] == "web"
    assert groups[named]["Description"] == "web servers"
    everything = ecs.DescribeSecurityGroups()["SecurityGroups"]["SecurityGroup"]
    assert {g["SecurityGroupId"] for g in everything} == {net.security_group_id, named, classic}
    [item] = [g for g in everything if g["SecurityGroupId"] == classic]
    assert not item.get("VpcId")

    ecs.DeleteSecurityGroup(SecurityGroupId=named)
    assert {g["SecurityGroupId"] for g in ecs.DescribeSecurityGroups()["SecurityGroups"]["SecurityGroup"]} \
        == {net.security_group_id, classic}
    assert_error(lambda: ecs.DeleteSecurityGroup(SecurityGroupId=named), 404, *GROUP_NOT_FOUND)


def test_delete_security_group_in_use(ecs, net):
    instance_id = create_instance(ecs, net)
    assert_error(lambda: ecs.DeleteSecurityGroup(SecurityGroupId=net.security_group_id), 403, *GROUP_IN_USE)
    ecs.DeleteInstance(InstanceId=instance_id)
    ecs.DeleteSecurityGroup(SecurityGroupId=net.security_group_id)
    assert ecs.DescribeSecurityGroups(VpcId=net.vpc_id)["SecurityGroups"]["SecurityGroup"] == []


def test_security_group_of_an_unknown_vpc(ecs):
    assert_error(lambda: create_security_group(ecs, "vpc-doesnotexist"), 404, "InvalidVpcId.NotFound",
                 "Specified VPC does not exist.")


# --- VPC dependencies ----------------------------------------------------------------------------


def test_delete_vpc_and_vswitch_while_instances_remain(old, ecs, net):
    instance_id = run_instance(ecs, net)
    # The instance is named first (docs/ecs.md), before the vSwitch and the group it also has.
    assert_error(lambda: old.DeleteVpc(VpcId=net.vpc_id), 400, "DependencyViolation.Instance",
                 "Specified object has dependent resources")
    assert_error(lambda: old.DeleteVSwitch(VSwitchId=net.vswitch_id), 400, "DependencyViolation.Instance")
    ecs.DeleteInstance(InstanceId=instance_id, Force=True)
    # Which of the vSwitch and the group is named next is left open.
    _, code, _ = assert_error(lambda: old.DeleteVpc(VpcId=net.vpc_id), 400, code_prefix="DependencyViolation.")
    assert code in ("DependencyViolation.VSwitch", "DependencyViolation.SecurityGroup")
    old.DeleteVSwitch(VSwitchId=net.vswitch_id)
    assert_error(lambda: old.DeleteVpc(VpcId=net.vpc_id), 400, "DependencyViolation.SecurityGroup")
    ecs.DeleteSecurityGroup(SecurityGroupId=net.security_group_id)
    old.DeleteVpc(VpcId=net.vpc_id)
    assert old.DescribeVpcs()["TotalCount"] == 0


def test_delete_vpc_with_only_a_security_group(old, ecs):
    vpc_id = old.CreateVpc(CidrBlock="10.0.0.0/8")["VpcId"]
    group = create_security_group(ecs, vpc_id)
    assert_error(lambda: old.DeleteVpc(VpcId=vpc_id), 400, "DependencyViolation.SecurityGroup")
    ecs.DeleteSecurityGroup(SecurityGroupId=group)
    old.DeleteVpc(VpcId=vpc_id)


# --- instance types ------------------------------------------------------------------------------


def catalogue(ecs, **filters):
    return {t["InstanceTypeId"]: t for t in ecs.DescribeInstanceTypes(**filters)["InstanceTypes"]["InstanceType"]}


def test_describe_instance_types_catalogue(ecs):
    types = catalogue(ecs)
    for family, ratio in GIB_PER_VCPU.items():
        for size, cpus in SIZES.items():
            name = f"ecs.{family}.{size}"
            assert name in types, name
            assert types[name]["CpuCoreCount"] == cpus
            assert types[name]["MemorySize"] == cpus * ratio
            assert types[name]["InstanceTypeFamily"] == f"ecs.{family}"
        # Whatever other sizes the family has keep its ratio, from 2 to 32 vCPUs.
        for name, item in types.items():
            if name.startswith(f"ecs.{family}."):
                assert 2 <= item["CpuCoreCount"] <= 32, item
                assert item["MemorySize"] == item["CpuCoreCount"] * ratio, item
    assert (types["ecs.t5-lc1m1.small"]["CpuCoreCount"], types["ecs.t5-lc1m1.small"]["MemorySize"]) == (1, 1)
    assert (types["ecs.t5-c1m4.2xlarge"]["CpuCoreCount"], types["ecs.t5-c1m4.2xlarge"]["MemorySize"]) == (8, 32)
    assert any(name.startswith("ecs.t6-") for name in types)
    assert {t["InstanceTypeFamily"] for t in types.values()} >= {
        "ecs.g6", "ecs.g7", "ecs.c6", "ecs.c7", "ecs.r6", "ecs.r7", "ecs.t5", "ecs.t6"}


def test_describe_instance_types_filters(ecs_old, ecs_tea):
    # Assumption: the real filters InstanceTypes.N and InstanceTypeFamily are honoured.
    assert set(catalogue(ecs_old, InstanceTypess=["ecs.g6.large", "ecs.c7.xlarge"])) == {"ecs.g6.large", "ecs.c7.xlarge"}
    r7 = catalogue(ecs_old, InstanceTypeFamily="ecs.r7")
    assert r7 and all(name.startswith("ecs.r7.") for name in r7)
    body = ecs_tea.describe_instance_types(em.DescribeInstanceTypesRequest(instance_types=["ecs.r6.4xlarge"])).body
    [item] = body.instance_types.instance_type
    assert (item.instance_type_id, item.cpu_core_count, item.memory_size) == ("ecs.r6.4xlarge", 16, 128)


def offered(ecs, instance_id, **params):
    body = ecs.DescribeResourcesModification(ResourceId=instance_id, DestinationResource="InstanceType", **params)
    return {
        supported["Value"]
        for zone in body["AvailableZones"]["AvailableZone"]
        for resource in zone["AvailableResources"]["AvailableResource"]
        for supported in resource["SupportedResources"]["SupportedResource"]
    }


def test_describe_resources_modification(ecs, net):
    instance_id = create_instance(ecs, net)  # ecs.g6.large: 2 vCPUs, 8 GiB
    every = set(catalogue(ecs))
    enterprise = {t for t in every if not t.startswith("ecs.t")}
    assert offered(ecs, instance_id) == enterprise - {INSTANCE_TYPE}
    # Larger / smaller: only the types that are so by every measure are asserted.
    upgrade = offered(ecs, instance_id, OperationType="Upgrade")
    assert {"ecs.g6.xlarge", "ecs.c6.xlarge", "ecs.r7.8xlarge", "ecs.g7.2xlarge"} <= upgrade
    assert not upgrade & {INSTANCE_TYPE, "ecs.c6.large", "ecs.c7.large"}
    downgrade = offered(ecs, instance_id, OperationType="Downgrade")
    assert {"ecs.c6.large", "ecs.c7.large"} <= downgrade
    assert not downgrade & {INSTANCE_TYPE, "ecs.g6.xlarge", "ecs.r6.8xlarge"}
    assert upgrade <= enterprise and downgrade <= enterprise


def test_describe_resources_modification_of_a_burstable_instance(ecs, net):
    instance_id = create_instance(ecs, net, InstanceType="ecs.t5-lc1m1.small")
    burstable = {t for t in catalogue(ecs) if t.startswith("ecs.t")}
    assert offered(ecs, instance_id) == burstable - {"ecs.t5-lc1m1.small"}


def test_describe_resources_modification_of_an_unknown_instance(ecs):
    assert_error(lambda: offered(ecs, "i-doesnotexist"), 404, "InvalidResourceId.NotFound")


# --- regions and zones ---------------------------------------------------------------------------


def test_ecs_describe_regions_and_zones(ecs, ecs_tea):
    regions = ecs.DescribeRegions()["Regions"]["Region"]
    assert {REGION, "cn-shanghai"} <= {r["RegionId"] for r in regions}
    zones = {z["ZoneId"] for z in ecs.DescribeZones(RegionId=REGION)["Zones"]["Zone"]}
    assert {ZONE, ZONE2} <= zones
    assert all(z.startswith(REGION + "-") for z in zones)
    typed = ecs_tea.describe_zones(em.DescribeZonesRequest(region_id="cn-shanghai")).body.zones.zone
    assert "cn-shanghai-b" in {z.zone_id for z in typed}
    assert REGION in {r.region_id for r in ecs_tea.describe_regions(em.DescribeRegionsRequest()).body.regions.region}


# --- subscription billing at creation ------------------------------------------------------------


def test_billing_starts_with_10000_cny(emulator):
    billing = emulator.billing()
    assert float(billing["balance"]) == 10000
    assert billing["overdue"] is False
    assert billing["orders"] == []
    assert billing["account_id"]


def test_a_subscription_is_paid_from_the_balance_when_created(ecs, net, emulator):
    run_instance(ecs, net)  # pay-as-you-go: nothing now
    assert emulator.balance() == pytest.approx(10000)
    start = emulator.now_ms()
    instance_id = run_subscription(ecs, net, period=2, InternetChargeType="PayByTraffic", InternetMaxBandwidthOut=5)
    assert emulator.balance() == pytest.approx(10000 - 2 * G6_LARGE_PRICE, abs=0.01)
    # Two months later, give or take the length of the months and any rounding of the time.
    assert 58 * DAY * 1000 <= expiry_ms(ecs, instance_id) - start <= 63 * DAY * 1000
    assert describe_instance(ecs, instance_id)["InstanceChargeType"] == "PrePaid"


def test_a_subscription_price_counts_bandwidth_and_burstable_types(ecs, net, emulator):
    # Assumption: "its monthly price" is the type's plus the PayByBandwidth bandwidth's.
    run_subscription(ecs, net, InternetChargeType="PayByBandwidth", InternetMaxBandwidthOut=10)
    spent = G6_LARGE_PRICE + bandwidth_price(10)  # 184 + 515
    assert emulator.balance() == pytest.approx(10000 - spent, abs=0.01)
    run_subscription(ecs, net, period=3, InstanceType="ecs.t5-lc1m1.small")
    spent += 3 * type_price(1, 1, burstable=True)  # 3 x 34
    assert emulator.balance() == pytest.approx(10000 - spent, abs=0.01)


def test_a_subscription_needs_enough_balance(ecs, net, emulator):
    emulator.set_billing(balance=100)
    assert_error(lambda: run_subscription(ecs, net), 403, *NOT_ENOUGH_BALANCE)
    assert_error(lambda: create_instance(ecs, net, InstanceChargeType="PrePaid", Period=1), 403, *NOT_ENOUGH_BALANCE)
    assert ecs.DescribeInstances()["TotalCount"] == 0
    assert emulator.balance() == pytest.approx(100)
    # Pay-as-you-go needs no balance now.
    assert run_instance(ecs, net)


@pytest.mark.parametrize("period,unit,ok", [
    (1, "Month", True), (9, "Month", True), (10, "Month", False), (0, "Month", False),
    (1, "Week", True), (4, "Week", True), (5, "Week", False),
])
def test_subscription_periods(ecs_tea_api, net, period, unit, ok):
    call = lambda: run_subscription(ecs_tea_api, net, period=period, unit=unit)  # noqa: E731
    if ok:
        assert call()
    else:
        assert_error(call, 400, *INVALID_PERIOD)
        assert ecs_tea_api.DescribeInstances()["TotalCount"] == 0


# --- transitions (the server with --transition-delay) --------------------------------------------


@pytest.fixture
def delayed_net(old_delayed, ecs_old_delayed, delayed):
    return ecs_network(old_delayed, ecs_old_delayed, settle=lambda: delayed.advance(DELAY))


def test_create_instance_is_pending_then_stopped(ecs_tea_delayed, delayed_net, delayed):
    ecs = ecs_tea_delayed
    instance_id = create_instance(ecs, delayed_net)
    assert instance_status(ecs, instance_id) == "Pending"
    assert ecs.DescribeInstanceAttribute(InstanceId=instance_id)["Status"] == "Pending"
    assert_error(lambda: ecs.StartInstance(InstanceId=instance_id), 403, INCORRECT_STATUS)
    # docs/ecs.md: DeleteInstance names the Pending state.
    assert_error(lambda: ecs.DeleteInstance(InstanceId=instance_id), 403, *INITIALIZING)
    delayed.advance(DELAY - 1)
    assert instance_status(ecs, instance_id) == "Pending"
    delayed.advance(1)
    assert instance_status(ecs, instance_id) == "Stopped"
    ecs.StartInstance(InstanceId=instance_id)
    assert instance_status(ecs, instance_id) == "Starting"
    delayed.advance(DELAY)
    assert instance_status(ecs, instance_id) == "Running"


def test_run_instances_pending_then_starting_then_running(ecs_old_delayed, delayed_net, delayed):
    ecs = ecs_old_delayed
    instance_id = run_instance(ecs, delayed_net)
    assert instance_status(ecs, instance_id) == "Pending"
    assert_error(lambda: ecs.StopInstance(InstanceId=instance_id), 403, INCORRECT_STATUS)
    assert_error(
        lambda: ecs.ModifyInstanceNetworkSpec(InstanceId=instance_id, InternetMaxBandwidthOut=5), 403,
        "IncorrectInstanceStatus", "The current status of the instance does not support this operation.",
    )
    delayed.advance(DELAY)
    assert instance_status(ecs, instance_id) == "Starting"
    assert_error(lambda: ecs.RebootInstance(InstanceId=instance_id), 403, INCORRECT_STATUS)
    assert_error(lambda: ecs.DeleteInstance(InstanceId=instance_id, Force=True), 403, INCORRECT_STATUS)
    delayed.advance(DELAY)
    assert instance_status(ecs, instance_id) == "Running"
    # Stable now.
    ecs.ModifyInstanceNetworkSpec(InstanceId=instance_id, InternetMaxBandwidthOut=5)


def test_stop_start_reboot_transitions(ecs_tea_delayed, delayed_net, delayed):
    ecs = ecs_tea_delayed
    instance_id = run_instance(ecs, delayed_net)
    delayed.advance(2 * DELAY)
    assert instance_status(ecs, instance_id) == "Running"

    ecs.StopInstance(InstanceId=instance_id)
    assert instance_status(ecs, instance_id) == "Stopping"
    assert_error(lambda: ecs.StartInstance(InstanceId=instance_id), 403, INCORRECT_STATUS)
    assert_error(lambda: ecs.DeleteInstance(InstanceId=instance_id), 403, INCORRECT_STATUS)
    delayed.advance(DELAY)
    assert instance_status(ecs, instance_id) == "Stopped"

    ecs.StartInstance(InstanceId=instance_id)
    assert instance_status(ecs, instance_id) == "Starting"
    assert_error(lambda: ecs.StopInstance(InstanceId=instance_id), 403, INCORRECT_STATUS)
    delayed.advance(DELAY)
    assert instance_status(ecs, instance_id) == "Running"

    ecs.RebootInstance(InstanceId=instance_id)
    assert instance_status(ecs, instance_id) == "Stopping"
    delayed.advance(DELAY)
    assert instance_status(ecs, instance_id) == "Starting"
    delayed.advance(DELAY)
    assert instance_status(ecs, instance_id) == "Running"

    ecs.StopInstance(InstanceId=instance_id)
    delayed.advance(DELAY)
    ecs.DeleteInstance(InstanceId=instance_id)
    assert gone(ecs, instance_id)


def test_the_plain_server_has_no_transitions(ecs, net):
    instance_id = run_instance(ecs, net)
    assert instance_status(ecs, instance_id) == "Running"
    ecs.RebootInstance(InstanceId=instance_id)
    assert instance_status(ecs, instance_id) == "Running"
    ecs.StopInstance(InstanceId=instance_id)
    assert instance_status(ecs, instance_id) == "Stopped"


def test_unknown_region_for_ecs(ecs):
    assert_error(lambda: ecs.DescribeInstances(RegionId="xx-nowhere-1"), 404, "InvalidRegionId.NotFound")


def test_delete_instance_used_by_a_route_entry(old, ecs, net):
    instance_id = run_instance(ecs, net)
    table = system_table(old, net.vpc_id)["RouteTableId"]
    old.CreateRouteEntry(RouteTableId=table, DestinationCidrBlock="172.16.0.0/24", NextHopType="Instance",
                         NextHopId=instance_id)
    assert_error(lambda: ecs.DeleteInstance(InstanceId=instance_id, Force=True), 400, *ROUTE_DEPENDENCY)
    old.DeleteRouteEntry(RouteTableId=table, DestinationCidrBlock="172.16.0.0/24", NextHopId=instance_id)
    ecs.DeleteInstance(InstanceId=instance_id, Force=True)
    assert gone(ecs, instance_id)


def test_a_route_entry_needs_an_existing_instance(old, ecs, net):
    table = system_table(old, net.vpc_id)["RouteTableId"]
    instance_id = run_instance(ecs, net)
    ecs.DeleteInstance(InstanceId=instance_id, Force=True)
    assert_error(lambda: old.CreateRouteEntry(RouteTableId=table, DestinationCidrBlock="172.16.0.0/24",
                                              NextHopType="Instance", NextHopId=instance_id),
                 404, "InvalidInstanId.NotFound", "Specified instance does not exist.")  # the seed's spelling
