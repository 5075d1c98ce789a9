"""Internet Shared Bandwidth (VPC reference chapter 18) through the old core SDK and the Tea client
(V3): packages with their ranges, ISP and Ratio; pay-as-you-go EIPs join and leave them (a member is
billed by the package, with its own bandwidth kept for when it leaves); per-EIP caps never above the
package; spec changes; deletion refused while EIPs are in it unless Force. Rules: docs/eip.md."""

import pytest

from eip_helpers import allocate, api, eip, is_tea  # noqa: F401 (api is a fixture)
from helpers import assert_error, missing

PACKAGE_NOT_FOUND = (404, "InvalidBandwidthPackageId.NotFound",
                     "The specified bandwidthPackageId does not exist in our records.")
BANDWIDTH = (404, "InvalidBandwidth.ValueNotSupported", "The specified value of Bandwidth not supported.")
LOCKED = (404, "BandwidthPackage.FinancialLocked", "The specified BandwidthPackage has been Financail Lock.")
ZONE = (404, "InvalidZoneId.NotFound", "Specified value of ZoneId is not exists.")
NAME = (400, "InvalidParameter.Name.Malformed", "The specified Name is not valid.")
DESCRIPTION = (400, "InvalidParameter.Description.Malformed", "The specified Description is not valid.")
MISSING = (400, *missing("Bandwidth"))
EIP_NOT_FOUND = (404, "InvalidAllocationId.NotFound", "Specified allocation ID is not found")
HAS_EIPS = (400, "DependencyViolation.EipAddresses",
            "The Internet Shared Bandwidth instance still has EIPs; remove them or delete it with Force.")
IN_A_PACKAGE = (400, "OperationFailed.EipInBandwidthPackage",
                "The specified EIP is already in an Internet Shared Bandwidth instance.")
NOT_IN_PACKAGE = (400, "OperationFailed.EipNotInBandwidthPackage",
                  "The specified EIP is not in the specified Internet Shared Bandwidth instance.")
PREPAID = (400, "OperationUnsupported.PrePaidEip",
           "Only pay-as-you-go EIPs can be added to an Internet Shared Bandwidth instance.")
QUOTA = (400, "QuotaExceeded.CommonBandwidthPackage",
         "The quota of Internet Shared Bandwidth instances in the region is exceeded.")
EIP_STATUS = (400, "IncorrectEipStatus", "Current elastic IP status does not support this operation.")


def create(api, bandwidth=100, **params):
    return api.CreateCommonBandwidthPackage(Bandwidth=bandwidth, **params)["BandwidthPackageId"]


def packages(api, **params):
    return api.DescribeCommonBandwidthPackages(**params)["CommonBandwidthPackages"]["CommonBandwidthPackage"]


def package(api, package_id):
    [item] = packages(api, BandwidthPackageId=package_id)
    return item


def members(api, package_id):
    return [ip["AllocationId"] for ip in package(api, package_id)["PublicIpAddresses"]["PublicIpAddresse"]]


def test_create_describe_and_modify(api):
    out = api.CreateCommonBandwidthPackage(Bandwidth=50, Name="shared", Description="for the web tier",
                                           ISP="BGP", Ratio=20, InternetChargeType="PayByBandwidth",
                                           Zone="cn-hangzhou-b")
    assert out["BandwidthPackageId"].startswith("cbwp-") and out["ResourceGroupId"]
    item = package(api, out["BandwidthPackageId"])
    assert (item["Bandwidth"], item["Name"], item["Description"]) == ("50", "shared", "for the web tier")
    assert (item["ISP"], item["Ratio"], item["InternetChargeType"]) == ("BGP", 20, "PayByBandwidth")
    assert (item["Status"], item["BusinessStatus"], item["InstanceChargeType"]) == ("Available", "Normal", "PostPaid")
    assert item["RegionId"] == "cn-hangzhou"
    if not is_tea(api):  # the Tea model has no ZoneId
        assert item["ZoneId"] == "cn-hangzhou-b"
    api.ModifyCommonBandwidthPackageAttribute(BandwidthPackageId=out["BandwidthPackageId"], Name="renamed",
                                              Description="another tier")
    item = package(api, out["BandwidthPackageId"])
    assert (item["Name"], item["Description"]) == ("renamed", "another tier")
    assert [p["BandwidthPackageId"] for p in packages(api, Name="renamed")] == [out["BandwidthPackageId"]]
    defaults = package(api, create(api, 5))
    assert (defaults["ISP"], defaults["Ratio"], defaults["InternetChargeType"]) == ("BGP", 20, "PayByTraffic")


def test_create_refuses_what_the_reference_does_not_allow(api):
    assert_error(lambda: create(api, 0), *BANDWIDTH)
    assert_error(lambda: create(api, 1001), *BANDWIDTH)
    assert_error(lambda: create(api, 5, Zone="cn-hangzhou-z"), *ZONE)
    assert_error(lambda: create(api, 5, Name="-shared"), *NAME)
    assert_error(lambda: create(api, 5, Description="https://x"), *DESCRIPTION)
    assert_error(lambda: create(api, 5, Ratio=50), 400, "InvalidParameter")
    assert_error(lambda: create(api, 5, ISP="Satellite"), 400, "InvalidParameter")
    assert_error(lambda: api.CreateCommonBandwidthPackage(), *MISSING)
    package_id = create(api)
    assert_error(lambda: api.ModifyCommonBandwidthPackageAttribute(BandwidthPackageId=package_id, Name="1"), *NAME)
    assert_error(lambda: api.ModifyCommonBandwidthPackageAttribute(BandwidthPackageId=package_id,
                                                                   Description="x"), *DESCRIPTION)
    assert_error(lambda: api.ModifyCommonBandwidthPackageAttribute(BandwidthPackageId="cbwp-unknown", Name="abc"),
                 *PACKAGE_NOT_FOUND)


def test_the_region_quota_is_5(api):
    for _ in range(5):
        create(api)
    assert_error(lambda: create(api), *QUOTA)


def test_members_are_billed_by_the_package_and_capped_below_it(api):
    package_id = create(api, 100, InternetChargeType="PayByBandwidth")
    allocation = allocate(api, Bandwidth="7")
    api.AddCommonBandwidthPackageIp(BandwidthPackageId=package_id, IpInstanceId=allocation)
    api.AddCommonBandwidthPackageIp(BandwidthPackageId=package_id, IpInstanceId=allocation)  # already there
    assert members(api, package_id) == [allocation]
    item = eip(api, allocation)
    assert (item["BandwidthPackageId"], item["BandwidthPackageType"]) == (package_id, "CommonBandwidthPackage")
    assert (item["Bandwidth"], item["EipBandwidth"], item["InternetChargeType"]) == ("100", "7", "PayByBandwidth")
    assert_error(lambda: api.ModifyEipAddressAttribute(AllocationId=allocation, Bandwidth="9"), *EIP_STATUS)

    cap = dict(BandwidthPackageId=package_id, EipId=allocation)
    assert_error(lambda: api.ModifyCommonBandwidthPackageIpBandwidth(Bandwidth="101", **cap), *BANDWIDTH)
    api.ModifyCommonBandwidthPackageIpBandwidth(Bandwidth="40", **cap)
    assert eip(api, allocation)["Bandwidth"] == "40"
    assert_error(lambda: api.ModifyCommonBandwidthPackageSpec(BandwidthPackageId=package_id, Bandwidth=30), *BANDWIDTH)
    api.CancelCommonBandwidthPackageIpBandwidth(**cap)
    assert eip(api, allocation)["Bandwidth"] == "100"
    api.ModifyCommonBandwidthPackageSpec(BandwidthPackageId=package_id, Bandwidth=30)
    assert package(api, package_id)["Bandwidth"] == "30"
    assert eip(api, allocation)["Bandwidth"] == "30"

    api.RemoveCommonBandwidthPackageIp(BandwidthPackageId=package_id, IpInstanceId=allocation)
    item = eip(api, allocation)
    assert (item["Bandwidth"], item["BandwidthPackageId"], item["InternetChargeType"]) == ("7", "", "PayByTraffic")
    assert members(api, package_id) == []


def test_membership_rules(api):
    first, second = create(api), create(api)
    allocation = allocate(api)
    api.AddCommonBandwidthPackageIp(BandwidthPackageId=first, IpInstanceId=allocation)
    assert_error(lambda: api.AddCommonBandwidthPackageIp(BandwidthPackageId=second, IpInstanceId=allocation),
                 *IN_A_PACKAGE)
    assert_error(lambda: api.RemoveCommonBandwidthPackageIp(BandwidthPackageId=second, IpInstanceId=allocation),
                 *NOT_IN_PACKAGE)
    assert_error(lambda: api.ModifyCommonBandwidthPackageIpBandwidth(BandwidthPackageId=second, EipId=allocation,
                                                                     Bandwidth="5"), *NOT_IN_PACKAGE)
    assert_error(lambda: api.CancelCommonBandwidthPackageIpBandwidth(BandwidthPackageId=second, EipId=allocation),
                 *NOT_IN_PACKAGE)
    assert_error(lambda: api.AddCommonBandwidthPackageIp(BandwidthPackageId="cbwp-unknown", IpInstanceId=allocation),
                 *PACKAGE_NOT_FOUND)
    assert_error(lambda: api.RemoveCommonBandwidthPackageIp(BandwidthPackageId="cbwp-unknown",
                                                            IpInstanceId=allocation), *PACKAGE_NOT_FOUND)
    assert_error(lambda: api.AddCommonBandwidthPackageIp(BandwidthPackageId=second, IpInstanceId="eip-unknown"),
                 *EIP_NOT_FOUND)
    prepaid = allocate(api, InstanceChargeType="PrePaid")
    assert_error(lambda: api.AddCommonBandwidthPackageIp(BandwidthPackageId=second, IpInstanceId=prepaid), *PREPAID)


def test_delete_needs_force_while_eips_are_in_it(api):
    package_id = create(api)
    allocation = allocate(api, Bandwidth="3")
    api.AddCommonBandwidthPackageIp(BandwidthPackageId=package_id, IpInstanceId=allocation)
    assert_error(lambda: api.DeleteCommonBandwidthPackage(BandwidthPackageId=package_id), *HAS_EIPS)
    assert_error(lambda: api.DeleteCommonBandwidthPackage(BandwidthPackageId=package_id, Force=False), *HAS_EIPS)
    api.DeleteCommonBandwidthPackage(BandwidthPackageId=package_id, Force=True)
    assert packages(api) == []
    assert (eip(api, allocation)["BandwidthPackageId"], eip(api, allocation)["Bandwidth"]) == ("", "3")
    assert_error(lambda: api.DeleteCommonBandwidthPackage(BandwidthPackageId=package_id), *PACKAGE_NOT_FOUND)
    empty = create(api)
    api.DeleteCommonBandwidthPackage(BandwidthPackageId=empty)


def test_an_overdue_account_cannot_change_the_spec(api, emulator):
    package_id = create(api)
    emulator.set_billing(overdue=True)
    assert package(api, package_id)["BusinessStatus"] == "FinancialLocked"
    assert_error(lambda: api.ModifyCommonBandwidthPackageSpec(BandwidthPackageId=package_id, Bandwidth=200), *LOCKED)
    emulator.set_billing(overdue=False)
    assert_error(lambda: api.ModifyCommonBandwidthPackageSpec(BandwidthPackageId=package_id, Bandwidth=1001),
                 *BANDWIDTH)
    assert_error(lambda: api.ModifyCommonBandwidthPackageSpec(BandwidthPackageId="cbwp-x", Bandwidth=10),
                 *PACKAGE_NOT_FOUND)
    api.ModifyCommonBandwidthPackageSpec(BandwidthPackageId=package_id, Bandwidth=200)


@pytest.mark.parametrize("page_number,expected", [(1, 2), (2, 1)])
def test_describe_pages(api, page_number, expected):
    for _ in range(3):
        create(api)
    out = api.DescribeCommonBandwidthPackages(PageSize=2, PageNumber=page_number)
    assert out["TotalCount"] == 3 and len(out["CommonBandwidthPackages"]["CommonBandwidthPackage"]) == expected
