"""Regions, zones and access points (seed 004 chapter 10: DescribeZones 10.1,
DescribeAccessPoints 10.2, DescribeRegions 10.3)."""

import re

import pytest
from alibabacloud_vpc20160428 import models as m

from helpers import REGION, ZONE, assert_error, create_vpc, create_vswitch

CJK = re.compile(r"[\u4e00-\u9fff]")


# --- DescribeRegions ----------------------------------------------------------------------------


def regions(old, **params):
    return {r["RegionId"]: r for r in old.DescribeRegions(**params)["Regions"]["Region"]}


def test_describe_regions_defaults_to_chinese_names(old):
    default = regions(old)
    assert {"cn-hangzhou", "cn-shanghai", "cn-beijing"} <= set(default)
    assert CJK.search(default["cn-hangzhou"]["LocalName"])
    assert regions(old, AcceptLanguage="zh-CN") == default
    for region in default.values():
        assert region["RegionEndpoint"].startswith("vpc") and region["RegionEndpoint"].endswith(".aliyuncs.com")


def test_describe_regions_in_english(old):
    english = regions(old, AcceptLanguage="en-US")
    assert english["cn-hangzhou"]["LocalName"] == "China (Hangzhou)"
    # The seed's sample (10.3).
    assert english["eu-central-1"]["LocalName"] == "Germany (Frankfurt)"
    assert english["eu-central-1"]["RegionEndpoint"] == "vpc.eu-central-1.aliyuncs.com"
    assert english["cn-qingdao"]["RegionEndpoint"] == "vpc.aliyuncs.com"
    assert not any(CJK.search(r["LocalName"]) for r in english.values())
    assert set(english) == set(regions(old))


def test_describe_regions_through_tea(tea, tea_v1):
    body = tea.describe_regions(m.DescribeRegionsRequest(accept_language="en-US")).body
    names = {r.region_id: r.local_name for r in body.regions.region}
    assert names["cn-hangzhou"] == "China (Hangzhou)"
    body = tea_v1.describe_regions(m.DescribeRegionsRequest()).body
    assert any(r.region_id == REGION and r.region_endpoint for r in body.regions.region)


# --- DescribeZones ------------------------------------------------------------------------------


def test_describe_zones(old):
    body = old.DescribeZones()
    assert body["RequestId"]
    zones = body["Zones"]["Zone"]
    assert ZONE in [z["ZoneId"] for z in zones]
    for zone in zones:
        assert zone["ZoneId"].startswith(f"{REGION}-") and zone["LocalName"]
    # As in the seed's sample (10.1).
    assert {z["ZoneId"]: z["LocalName"] for z in zones}["cn-hangzhou-b"] == "China Hangzhou Zone B"


def test_every_region_has_zones_and_every_zone_takes_vswitches(old):
    for region in regions(old):
        zones = old.DescribeZones(RegionId=region)["Zones"]["Zone"]
        assert zones and all(z["ZoneId"].startswith(f"{region}-") for z in zones), region
    vpc_id = create_vpc(old, "10.0.0.0/8")["VpcId"]
    for i, zone in enumerate(old.DescribeZones()["Zones"]["Zone"]):
        assert create_vswitch(old, vpc_id, f"10.{i}.0.0/24", zone=zone["ZoneId"])


def test_describe_zones_of_an_unknown_region(old, tea):
    expected = (404, "InvalidRegionId.NotFound", 'Specified value of "regionId" is not supported.')
    assert_error(lambda: old.DescribeZones(RegionId="xx-nowhere-1"), *expected)
    assert_error(lambda: tea.describe_zones(m.DescribeZonesRequest(region_id="xx-nowhere-1")), *expected)


def test_describe_zones_through_tea(tea, tea_v1):
    for client in (tea, tea_v1):
        zones = client.describe_zones(m.DescribeZonesRequest(region_id="cn-shanghai")).body.zones.zone
        assert zones and all(z.zone_id.startswith("cn-shanghai-") and z.local_name for z in zones)


# --- DescribeAccessPoints -----------------------------------------------------------------------


def access_points(old, *filters, **params):
    """DescribeAccessPoints with Filter.N.Key / Filter.N.Value.M built from (key, [values])."""
    for n, (key, values) in enumerate(filters, start=1):
        params[f"Filter.{n}.Key"] = key
        for k, value in enumerate(values, start=1):
            params[f"Filter.{n}.Value.{k}"] = value
    return old.DescribeAccessPoints(**params)


def test_describe_access_points_response_shape(old):
    body = old.DescribeAccessPoints(PageSize=50)
    assert body["RequestId"]
    points = body["AccessPointSet"]["AccessPointType"]
    assert points and body["TotalCount"] == len(points)
    assert (body["PageNumber"], body["PageSize"]) == (1, 50)
    for ap in points:
        assert ap["AccessPointId"].startswith(f"ap-{REGION}-")
        assert ap["AttachedRegionNo"] == REGION
        assert ap["Type"] == "VPC"
        for field in ("Name", "Status", "HostOperator", "Location", "Description"):
            assert isinstance(ap[field], str)


def test_describe_access_points_paging(old):
    total = old.DescribeAccessPoints(PageSize=50)["TotalCount"]
    assert total >= 2
    seen = []
    for page in range(1, total + 1):
        body = old.DescribeAccessPoints(PageSize=1, PageNumber=page)
        assert body["TotalCount"] == total and body["PageSize"] == 1
        seen += [ap["AccessPointId"] for ap in body["AccessPointSet"]["AccessPointType"]]
    assert len(set(seen)) == total
    assert old.DescribeAccessPoints(PageSize=1, PageNumber=total + 1)["AccessPointSet"]["AccessPointType"] == []


def test_describe_access_points_filters(old):
    everything = old.DescribeAccessPoints(PageSize=50)["AccessPointSet"]["AccessPointType"]
    first, second = everything[0], everything[1]

    def ids(*filters, **params):
        body = access_points(old, *filters, PageSize=50, **params)
        assert body["TotalCount"] == len(body["AccessPointSet"]["AccessPointType"])
        return sorted(ap["AccessPointId"] for ap in body["AccessPointSet"]["AccessPointType"])

    # One value.
    status = first["Status"]
    assert ids(("Status", [status])) == sorted(a["AccessPointId"] for a in everything if a["Status"] == status)
    # Values of one filter are alternatives.
    assert ids(("AccessPointId", [first["AccessPointId"], second["AccessPointId"]])) == sorted(
        [first["AccessPointId"], second["AccessPointId"]])
    # Filters are combined.
    assert ids(("AccessPointId", [first["AccessPointId"]]), ("Status", [first["Status"]])) == [first["AccessPointId"]]
    assert ids(("AccessPointId", [first["AccessPointId"]]), ("Status", ["no-such-status"])) == []
    # Name and HostOperator parameters.
    assert first["AccessPointId"] in ids(Name=first["Name"])
    assert ids(HostOperator=first["HostOperator"]) == sorted(
        a["AccessPointId"] for a in everything if a["HostOperator"] == first["HostOperator"])


def test_describe_access_points_filter_limit(old):
    # Filter.N: N from 1 to 5.
    filters = [("Status", ["recommended"])] * 6
    assert_error(lambda: access_points(old, *filters), 400)
    assert access_points(old, *filters[:5])["RequestId"]


def test_describe_access_points_of_another_region(old):
    points = old.DescribeAccessPoints(RegionId="cn-beijing")["AccessPointSet"]["AccessPointType"]
    assert points and all(ap["AttachedRegionNo"] == "cn-beijing" for ap in points)


def test_describe_access_points_of_an_unknown_region(old):
    assert_error(
        lambda: old.DescribeAccessPoints(RegionId="xx-nowhere-1"),
        404,
        "InvalidRegionId.NotSupport",
        "The RegionId provided does not support in our records.",
    )


@pytest.mark.parametrize("client_fixture", ["tea", "tea_v1"])
def test_describe_access_points_through_tea(request, client_fixture):
    client = request.getfixturevalue(client_fixture)
    body = client.describe_access_points(m.DescribeAccessPointsRequest(region_id=REGION, page_size=2)).body
    assert body.page_size == 2 and body.total_count >= 2
    assert len(body.access_point_set.access_point_type) == 2
    assert all(ap.access_point_id.startswith("ap-") for ap in body.access_point_set.access_point_type)
