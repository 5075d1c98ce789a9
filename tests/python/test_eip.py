"""EIPs (VPC reference chapter 19) through the old core SDK and the Tea client (V3): allocation with
its defaults, ranges, quota and subscription orders; binding to ECS instances and HaVips with the
Associating / InUse / Unassociating transitions; the instance's EipAddress; release; every
DescribeEipAddresses filter; monitoring samples; gateway info. Rules and choices: docs/eip.md."""

import ipaddress
from datetime import timedelta

import pytest

from eip_helpers import allocate, api, eip, eips, filter_params, is_tea  # noqa: F401 (api is a fixture)
from helpers import (assert_error, create_classic_instance, classic_network, create_havip, describe_instance,
                     ecs_network, hour_time, minute_time, run_instance, utc)

EIP_POOL = ipaddress.ip_network("198.19.0.0/16")
NOT_FOUND = (404, "InvalidAllocationId.NotFound", "Specified allocation ID is not found")
QUOTA = (400, "QuotaExceeded.Eip", "Elastic IP address quota exceeded")
BAD_CHARGE_TYPE = (400, "InvalidParameter", 'Specified value of "InternetChargeType" is not valid')
BAD_BANDWIDTH = (400, "InvalidParameter", 'Specified value of "Bandwidth" is not valid.')
BAD_PARAMETER = (400, "InvalidParameter", "The specified parameter is not valid.")
DUPLICATED = (400, "InvalidAssociation.Duplicated", "Specified instance already is associated.")
NOT_IN_VPC = (400, "OperationDenied", "Specified instance is not in VPC.")
MISMATCH = (400, "InvalidParameter.Mismatch",
            "Specified elastic IP address and ECS instance are not in the same region.")
EIP_STATUS_ASSOCIATE = (400, "IncorrectEipStatus", "Current elastic IP status does not support this operation")
EIP_STATUS = (400, "IncorrectEipStatus", "Current elastic IP status does not support this operation.")
INSTAN_NOT_FOUND = (404, "InvalidInstanId.NotFound", "Specified instance does not exist.")
INSTANCE_NOT_FOUND = (404, "InvalidInstanceId.NotFound", "Specified instance does not exist.")
INSTANCE_STATUS_ASSOCIATE = (400, "IncorrectInstanceStatus", "Current instance status does not support this operation.")
INSTANCE_STATUS_UNASSOCIATE = (400, "IncorrectInstanceStatus",
                               "The current status of instance does not support this operation.")
BAD_TYPE = (400, "InvalidInstanceType.ValueNotSupported", "The specified value of InstanceType is not supported.")
HAVIP_STATUS = (400, "IncorrectHaVipStatus",
                "HaVip can be operated by this action only when it's status is Available or InUse.")
HAS_PUBLIC_IP = (400, "BIND_INSTANCE_HAVE_PORTMAP_OR_BIND_EIP", "The instance may have portMap or already bind eip.")
BINDING = (400, "InvalidBindingStatus", "The eip binding status invalid.")
PREPAID = (400, "Forbidden.ChargeTypeIsPrepaid", "It's forbidden to release a prepaid EIP")
BALANCE = (400, "InsufficientBalance.Eip", "Your account does not have enough balance.")
MODIFY_BANDWIDTH = (400, "InvalidParameter", 'Specified value of "Bandwidth" is not supported.')
MODIFY_INVALID = (400, "InvalidParameter", "The parameter is invalid.")
FILTER_KEY = (404, "InvalidFilterKey.NotFound", "The specified filter key is invalid.")
FILTER_VALUE = (404, "InvalidFilterValue", "The specified filter value is invalid.")
LOCK_REASON = (404, "InvalidLockReason.NotFound", "The specified LockReason is not found")
ASSOCIATED_TYPE = (400, "InvalidIAssociatedInstanceType.ValueNotSupported",
                   "The specified value of AssociatedInstanceType is not supported.")
CHARGE_TYPE = (400, "InvalidChargeType.ValueNotSupported", "The specified ChargeType is not supported.")
START_MALFORMED = (400, "InvalidStartTime.Malformed", 'The specified parameter "StartTime" is not valid.')
END_MALFORMED = (400, "InvalidEndTime.Malformed", 'The specified parameter "EndTime" is not valid.')
PERIOD = (400, "InvalidPeriod.ValueNotSupported", 'The specified parameter "Period" is not valid.')
TOO_EARLY = (400, "InvalidStartTime.TooEarly", 'The specified parameter "StartTime" is too early.')
MONITOR_NOT_FOUND = (404, "InvalidAllocationId.NotFound", "Specified allocation id is not found.")
TOO_MANY = (400, "OperationDenied.TooManyDataQueried", "Specified operation is denied as too many data to return.")


# --- AllocateEipAddress ------------------------------------------------------------------------


def test_allocate_takes_the_documented_defaults(api):
    out = api.AllocateEipAddress()
    assert out["AllocationId"].startswith("eip-") and out["ResourceGroupId"]
    assert ipaddress.ip_address(out["EipAddress"]) in EIP_POOL
    assert "OrderId" not in out or out["OrderId"] is None
    item = eip(api, out["AllocationId"])
    assert item["IpAddress"] == out["EipAddress"]
    assert (item["Bandwidth"], item["ISP"], item["Status"]) == ("5", "BGP", "Available")
    assert (item["ChargeType"], item["InternetChargeType"]) == ("PostPaid", "PayByTraffic")
    assert item["RegionId"] == "cn-hangzhou"
    if not is_tea(api):  # the Tea model has no AvailableRegions
        assert item["AvailableRegions"]["AvailableRegion"] == ["cn-hangzhou"]
    assert item["InstanceId"] == "" and item["BandwidthPackageId"] == ""


def test_allocate_with_every_parameter(api):
    out = api.AllocateEipAddress(Bandwidth="200", ISP="ChinaMobile", InternetChargeType="PayByBandwidth",
                                 Netmode="Public", Name="web", Description="front door")
    item = eip(api, out["AllocationId"])
    assert (item["Bandwidth"], item["ISP"], item["InternetChargeType"]) == ("200", "ChinaMobile", "PayByBandwidth")
    assert (item["Name"], item["Description"]) == ("web", "front door")


@pytest.mark.parametrize("bandwidth", ["0", "201", "fast"])
def test_allocate_refuses_bandwidths_outside_1_to_200(api, bandwidth):
    assert_error(lambda: api.AllocateEipAddress(Bandwidth=bandwidth), *BAD_BANDWIDTH)


def test_allocate_refuses_unknown_values(api):
    assert_error(lambda: api.AllocateEipAddress(InternetChargeType="Free"), *BAD_CHARGE_TYPE)
    assert_error(lambda: api.AllocateEipAddress(InstanceChargeType="PrePaid", InternetChargeType="PayByTraffic"),
                 *BAD_CHARGE_TYPE)
    assert_error(lambda: api.AllocateEipAddress(ISP="Satellite"), 400, "InvalidParameter")
    assert_error(lambda: api.AllocateEipAddress(Name="1st"), *BAD_PARAMETER)


def test_addresses_are_unique_and_the_region_quota_is_20(api, old):
    addresses = [api.AllocateEipAddress()["EipAddress"] for _ in range(20)]
    assert len(set(addresses)) == 20
    assert_error(lambda: api.AllocateEipAddress(), *QUOTA)
    assert old.AllocateEipAddress(RegionId="cn-beijing")["AllocationId"], "the quota is per region"


def test_a_subscription_is_paid_at_once_and_kept(api, emulator):
    before = emulator.balance()
    out = api.AllocateEipAddress(InstanceChargeType="PrePaid", Bandwidth="10", Period=2, PricingCycle="Month")
    order = emulator.order(out["OrderId"])
    assert order["instance_id"] == out["AllocationId"]
    # PayByBandwidth: 23 CNY per Mbit/s up to 5, 80 above, for two 30-day months.
    assert emulator.balance() == pytest.approx(before - 2 * (23 * 5 + 80 * 5))
    item = eip(api, out["AllocationId"])
    assert (item["ChargeType"], item["InternetChargeType"]) == ("PrePaid", "PayByBandwidth")
    assert item["ExpiredTime"]
    assert_error(lambda: api.ReleaseEipAddress(AllocationId=out["AllocationId"]), *PREPAID)
    emulator.set_billing(balance=0)
    assert_error(lambda: api.ModifyEipAddressAttribute(AllocationId=out["AllocationId"], Bandwidth="50"), *BALANCE)
    api.ModifyEipAddressAttribute(AllocationId=out["AllocationId"], Bandwidth="5")
    emulator.advance(61 * 24 * 3600)
    api.ReleaseEipAddress(AllocationId=out["AllocationId"])


# --- AssociateEipAddress / UnassociateEipAddress -------------------------------------------------


def test_an_instance_takes_one_eip_and_shows_it(api, old, ecs, net):
    instance = run_instance(ecs, net)
    first, second = allocate(api, Bandwidth="8"), allocate(api)
    api.AssociateEipAddress(AllocationId=first, InstanceId=instance, InstanceType="EcsInstance",
                            InstanceRegionId="cn-hangzhou")
    item = eip(api, first)
    assert (item["Status"], item["InstanceId"], item["InstanceType"], item["InstanceRegionId"]) == (
        "InUse", instance, "EcsInstance", "cn-hangzhou")
    shown = describe_instance(ecs, instance)["EipAddress"]
    assert (shown["AllocationId"], shown["IpAddress"], shown["Bandwidth"]) == (first, item["IpAddress"], 8)
    assert shown["InternetChargeType"] == "PayByTraffic"
    attribute = ecs.DescribeInstanceAttribute(InstanceId=instance)
    assert attribute["EipAddress"]["AllocationId"] == first
    assert [e["AllocationId"] for e in eips(api, AssociatedInstanceId=instance)] == [first]
    assert_error(lambda: api.AssociateEipAddress(AllocationId=second, InstanceId=instance), *DUPLICATED)
    assert_error(lambda: api.AssociateEipAddress(AllocationId=first, InstanceId=instance), *EIP_STATUS_ASSOCIATE)
    assert_error(lambda: api.ReleaseEipAddress(AllocationId=first), *EIP_STATUS)
    api.UnassociateEipAddress(AllocationId=first, InstanceId=instance)
    assert eip(api, first)["Status"] == "Available"
    assert describe_instance(ecs, instance)["EipAddress"]["AllocationId"] == ""
    api.AssociateEipAddress(AllocationId=second, InstanceId=instance)
    api.ReleaseEipAddress(AllocationId=first)
    assert_error(lambda: api.ReleaseEipAddress(AllocationId=first), *NOT_FOUND)


def test_eip_address_comes_before_public_ip_address(old, ecs_old, net):
    instance = run_instance(ecs_old, net)
    allocation = allocate(old)
    old.AssociateEipAddress(AllocationId=allocation, InstanceId=instance)
    item = ecs_old.DescribeInstances(InstanceIds=f'["{instance}"]')["Instances"]["Instance"][0]
    keys = list(item)
    assert keys.index("EipAddress") < keys.index("PublicIpAddress")
    keys = list(ecs_old.DescribeInstanceAttribute(InstanceId=instance))
    assert keys.index("EipAddress") < keys.index("PublicIpAddress")


def test_targets_are_checked(api, old, ecs_old, net):
    allocation = allocate(api)
    assert_error(lambda: api.AssociateEipAddress(AllocationId=allocation, InstanceId="i-unknown"), *INSTAN_NOT_FOUND)
    assert_error(lambda: api.AssociateEipAddress(AllocationId=allocation, InstanceId="ngw-1", InstanceType="Nat"),
                 *INSTAN_NOT_FOUND)
    assert_error(lambda: api.AssociateEipAddress(AllocationId=allocation, InstanceId="x", InstanceType="Vm"),
                 *BAD_TYPE)
    assert_error(lambda: api.AssociateEipAddress(AllocationId=allocation, InstanceId="x", Mode="BRIDGE"),
                 *BAD_PARAMETER)
    assert_error(lambda: api.AssociateEipAddress(AllocationId="eip-unknown", InstanceId="x"), *NOT_FOUND)
    assert_error(lambda: api.AssociateEipAddress(AllocationId=allocation, InstanceId="x",
                                                 InstanceRegionId="cn-beijing"), *MISMATCH)
    with_ip = run_instance(ecs_old, net, InternetMaxBandwidthOut=5)
    assert_error(lambda: api.AssociateEipAddress(AllocationId=allocation, InstanceId=with_ip), *HAS_PUBLIC_IP)
    classic = create_classic_instance(ecs_old, classic_network(ecs_old))
    assert_error(lambda: api.AssociateEipAddress(AllocationId=allocation, InstanceId=classic), *NOT_IN_VPC)


def test_unassociate_checks_the_binding(api, old, ecs_old, net):
    instance, other = run_instance(ecs_old, net), run_instance(ecs_old, net)
    allocation = allocate(api)
    assert_error(lambda: api.UnassociateEipAddress(AllocationId=allocation, InstanceId=instance), *EIP_STATUS)
    api.AssociateEipAddress(AllocationId=allocation, InstanceId=instance)
    assert_error(lambda: api.UnassociateEipAddress(AllocationId=allocation, InstanceId="i-unknown"),
                 *INSTANCE_NOT_FOUND)
    assert_error(lambda: api.UnassociateEipAddress(AllocationId=allocation, InstanceId=other), *BINDING)
    assert_error(lambda: api.UnassociateEipAddress(AllocationId=allocation, InstanceId=instance,
                                                   InstanceType="Router"), *BAD_TYPE)
    api.UnassociateEipAddress(AllocationId=allocation, InstanceId=instance, InstanceType="EcsInstance")


def test_a_havip_takes_an_eip(api, old, ecs_old, net):
    havip = create_havip(old, net.vswitch_id)
    allocation = allocate(api)
    api.AssociateEipAddress(AllocationId=allocation, InstanceId=havip, InstanceType="HaVip")
    item = old.DescribeHaVips()["HaVips"]["HaVip"][0]
    assert item["Status"] == "InUse"
    assert item["AssociatedEipAddresses"]["associatedEipAddresse"] == [eip(api, allocation)["IpAddress"]]
    assert [e["AllocationId"] for e in eips(api, AssociatedInstanceType="HaVip")] == [allocation]
    assert_error(lambda: old.DeleteHaVip(HaVipId=havip), 400, "IncorrectHaVipStatus")
    api.UnassociateEipAddress(AllocationId=allocation, InstanceId=havip, InstanceType="HaVip")
    old.DeleteHaVip(HaVipId=havip)


def test_a_released_instance_leaves_its_eip(api, old, ecs_old, net):
    instance = run_instance(ecs_old, net)
    allocation = allocate(api)
    api.AssociateEipAddress(AllocationId=allocation, InstanceId=instance)
    ecs_old.DeleteInstance(InstanceId=instance, Force=True)
    item = eip(api, allocation)
    assert (item["Status"], item["InstanceId"]) == ("Available", "")
    api.ReleaseEipAddress(AllocationId=allocation)


def test_transitions_last_the_delay(old_delayed, ecs_old_delayed, delayed):
    net = ecs_network(old_delayed, ecs_old_delayed, settle=lambda: delayed.advance(5))
    havip = create_havip(old_delayed, net.vswitch_id)
    instance = run_instance(ecs_old_delayed, net)
    allocation = allocate(old_delayed)
    assert_error(lambda: old_delayed.AssociateEipAddress(AllocationId=allocation, InstanceId=instance),
                 *INSTANCE_STATUS_ASSOCIATE)
    assert_error(lambda: old_delayed.AssociateEipAddress(AllocationId=allocation, InstanceId=havip,
                                                         InstanceType="HaVip"), *HAVIP_STATUS)
    delayed.advance(10)
    old_delayed.AssociateEipAddress(AllocationId=allocation, InstanceId=instance)
    assert eip(old_delayed, allocation)["Status"] == "Associating"
    assert_error(lambda: old_delayed.UnassociateEipAddress(AllocationId=allocation, InstanceId=instance),
                 *EIP_STATUS)
    assert_error(lambda: old_delayed.ModifyEipAddressAttribute(AllocationId=allocation, Bandwidth="6"),
                 *EIP_STATUS)
    delayed.advance(5)
    assert eip(old_delayed, allocation)["Status"] == "InUse"
    ecs_old_delayed.StopInstance(InstanceId=instance)
    assert_error(lambda: old_delayed.UnassociateEipAddress(AllocationId=allocation, InstanceId=instance),
                 *INSTANCE_STATUS_UNASSOCIATE)
    delayed.advance(5)
    old_delayed.UnassociateEipAddress(AllocationId=allocation, InstanceId=instance)
    item = eip(old_delayed, allocation)
    assert (item["Status"], item["InstanceId"]) == ("Unassociating", instance)
    assert [e["AllocationId"] for e in eips(old_delayed, Status="Unassociating")] == [allocation]
    assert_error(lambda: old_delayed.ReleaseEipAddress(AllocationId=allocation), *EIP_STATUS)
    delayed.advance(5)
    assert eip(old_delayed, allocation)["Status"] == "Available"
    old_delayed.ReleaseEipAddress(AllocationId=allocation)


# --- ModifyEipAddressAttribute -------------------------------------------------------------------


def test_modify_changes_name_description_and_bandwidth(api):
    allocation = allocate(api)
    api.ModifyEipAddressAttribute(AllocationId=allocation, Name="eip1", Description="the first", Bandwidth="100")
    item = eip(api, allocation)
    assert (item["Name"], item["Description"], item["Bandwidth"]) == ("eip1", "the first", "100")
    assert_error(lambda: api.ModifyEipAddressAttribute(AllocationId=allocation, Bandwidth="201"), *MODIFY_BANDWIDTH)
    assert_error(lambda: api.ModifyEipAddressAttribute(AllocationId=allocation, Name="-x"), *MODIFY_INVALID)
    assert_error(lambda: api.ModifyEipAddressAttribute(AllocationId=allocation, Description="http://x"),
                 *MODIFY_INVALID)
    assert_error(lambda: api.ModifyEipAddressAttribute(AllocationId="eip-unknown", Name="abc"), *NOT_FOUND)


# --- DescribeEipAddresses ------------------------------------------------------------------------


def test_describe_filters_and_pages(api, emulator):
    unicom = allocate(api, ISP="ChinaUnicom")
    named = allocate(api, Name="web", Description="front door")
    others = [allocate(api) for _ in range(3)]
    address = eip(api, named)["IpAddress"]

    def ids(**params):
        return sorted(e["AllocationId"] for e in eips(api, PageSize=50, **params))

    assert ids() == sorted([unicom, named, *others])
    assert ids(ISP="ChinaUnicom") == [unicom]
    assert ids(EipAddress=address) == [named]
    assert ids(AllocationId=f"{unicom},{named}") == sorted([unicom, named])
    assert ids(Status="Available") == ids() and ids(Status="InUse") == []
    assert ids(ChargeType="PostPaid") == ids() and ids(ChargeType="PrePaid") == []
    assert ids(**filter_params(api, "Name", "web")) == [named]
    assert ids(**filter_params(api, "Description", "front door")) == [named]
    assert ids(LockReason="financial") == []
    assert ids(IncludeReservationData=True) == ids()
    page = api.DescribeEipAddresses(PageSize=2, PageNumber=3)
    assert (page["TotalCount"], page["PageNumber"], page["PageSize"]) == (5, 3, 2)
    assert len(page["EipAddresses"]["EipAddress"]) == 1
    emulator.set_billing(overdue=True)
    assert len(ids(LockReason="financial")) == 5
    assert eip(api, named)["OperationLocks"]["LockReason"] == [{"LockReason": "financial"}]


def test_describe_refuses_unknown_values(api):
    assert_error(lambda: api.DescribeEipAddresses(**filter_params(api, "Color", "red")), *FILTER_KEY)
    assert_error(lambda: api.DescribeEipAddresses(**filter_params(api, "Name", "")), *FILTER_VALUE)
    assert_error(lambda: api.DescribeEipAddresses(LockReason="boredom"), *LOCK_REASON)
    assert_error(lambda: api.DescribeEipAddresses(AssociatedInstanceType="Router"), *ASSOCIATED_TYPE)
    assert_error(lambda: api.DescribeEipAddresses(ChargeType="Free"), *CHARGE_TYPE)


# --- DescribeEipMonitorData / DescribeEipGatewayInfo --------------------------------------------


def seconds_time(ms):
    return utc(ms).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_monitor_data_is_deterministic_and_bounded(api, emulator):
    allocation = allocate(api, Bandwidth="2")
    created = emulator.now_ms()
    emulator.advance(2 * 3600)
    start = created - created % 60_000 + 60_000
    window = dict(AllocationId=allocation, StartTime=seconds_time(start), EndTime=seconds_time(start + 3_600_000))
    first = api.DescribeEipMonitorData(**window)["EipMonitorDatas"]["EipMonitorData"]
    assert first == api.DescribeEipMonitorData(**window)["EipMonitorDatas"]["EipMonitorData"]
    assert len(first) == 60
    for point in first:
        assert point["EipFlow"] == point["EipRX"] + point["EipTX"]
        assert point["EipBandwidth"] == point["EipFlow"] // 60
        assert point["EipRX"] <= 2 * 125_000 * 60
    assert [p["TimeStamp"] for p in first[:2]] == [seconds_time(start), seconds_time(start + 60_000)]
    hourly = api.DescribeEipMonitorData(Period=600, **window)["EipMonitorDatas"]["EipMonitorData"]
    assert len(hourly) == 6
    # Seconds other than 00 move a time to the next minute.
    odd = dict(window, StartTime=seconds_time(start - 30_000))
    assert api.DescribeEipMonitorData(**odd)["EipMonitorDatas"]["EipMonitorData"] == first
    # A window shorter than the period: the one sample at StartTime.
    short = dict(window, EndTime=seconds_time(start + 60_000))
    assert len(api.DescribeEipMonitorData(Period=3600, **short)["EipMonitorDatas"]["EipMonitorData"]) == 1


def test_monitor_data_rules(api, emulator):
    allocation = allocate(api)
    now = emulator.now_ms()
    start, end = seconds_time(now - now % 60_000), seconds_time(now - now % 60_000 + 600_000)

    def query(**params):
        base = dict(AllocationId=allocation, StartTime=start, EndTime=end)
        base.update(params)
        return lambda: api.DescribeEipMonitorData(**base)

    assert_error(query(StartTime="yesterday"), *START_MALFORMED)
    assert_error(query(EndTime="2019-01-01T00:00Z"), *END_MALFORMED)
    assert_error(query(EndTime=seconds_time(now - 3_600_000)), *END_MALFORMED)
    assert_error(query(Period=30), *PERIOD)
    assert_error(query(StartTime=seconds_time(now - 31 * 24 * 3_600_000)), *TOO_EARLY)
    assert_error(query(EndTime=seconds_time(now + 201 * 60_000)), *TOO_MANY)
    assert_error(query(AllocationId="eip-unknown"), *MONITOR_NOT_FOUND)


def test_gateway_info_lists_no_eni_eips(api):
    out = api.DescribeEipGatewayInfo(InstanceId="eni-unknown")
    assert (out["Code"], out["Message"]) == ("200", "successful")
    assert out["EipInfos"]["EipInfo"] == []


# --- ModifyInstanceNetworkSpec on an instance with an EIP (seed 002) -----------------------------

EIP_TEMPORARY = (400, "BandwidthUpgradeDenied.EipBoundInstance",
                 "The specified VPC instance has bound EIP, temporary bandwidth upgrade is denied.")
EIP_BANDWIDTH = (403, "InvalidInstance.InstanceNotSupported", "The special vpc instance with eip not need bandwidth.")
EIP_BOUND = (403, "InvalidInstance.EipNotSupport",
             "The specified instance with eip is not supported, please unassociate eip first.")


def test_an_instance_with_an_eip_takes_its_bandwidth_from_it(api, ecs, net, emulator):
    instance = run_instance(ecs, net)
    allocation = allocate(api)
    api.AssociateEipAddress(AllocationId=allocation, InstanceId=instance)
    now = utc(emulator.now_ms())
    assert_error(lambda: ecs.ModifyInstanceNetworkSpec(InstanceId=instance, InternetMaxBandwidthOut=5),
                 *EIP_BANDWIDTH)
    assert_error(lambda: ecs.ModifyInstanceNetworkSpec(InstanceId=instance, NetworkChargeType="PayByBandwidth"),
                 *EIP_BOUND)
    assert_error(lambda: ecs.ModifyInstanceNetworkSpec(InstanceId=instance, InternetMaxBandwidthOut=10,
                                                       StartTime=minute_time(now),
                                                       EndTime=hour_time(now + timedelta(hours=3))),
                 *EIP_TEMPORARY)
    api.UnassociateEipAddress(AllocationId=allocation, InstanceId=instance)
    assert ecs.ModifyInstanceNetworkSpec(InstanceId=instance, InternetMaxBandwidthOut=5)["RequestId"]
