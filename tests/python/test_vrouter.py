"""vRouters (seed 004 chapter 8: DescribeVRouters 8.1, ModifyVRouterAttribute 8.2)."""

import pytest
from alibabacloud_vpc20160428 import models as m

from helpers import REGION, assert_error, create_vpc, missing


def test_describe_vrouters_response_shape(old):
    created = create_vpc(old)
    body = old.DescribeVRouters()
    assert body["RequestId"]
    assert (body["TotalCount"], body["PageNumber"], body["PageSize"]) == (1, 1, 10)
    [router] = body["VRouters"]["VRouter"]
    assert router["VRouterId"] == created["VRouterId"]
    assert router["VpcId"] == created["VpcId"]
    assert router["RegionId"] == REGION
    assert router["VRouterName"] == "" and router["Description"] == ""
    assert router["CreationTime"].endswith("Z")
    assert router["RouteTableIds"] == {"RouteTableId": [created["RouteTableId"]]}


def test_describe_vrouters_lists_custom_route_tables_too(old):
    created = create_vpc(old)
    custom = old.CreateRouteTable(VpcId=created["VpcId"])["RouteTableId"]
    [router] = old.DescribeVRouters(VRouterId=created["VRouterId"])["VRouters"]["VRouter"]
    assert sorted(router["RouteTableIds"]["RouteTableId"]) == sorted([created["RouteTableId"], custom])


def test_describe_vrouters_filter_and_paging(old):
    routers = {create_vpc(old)["VRouterId"] for _ in range(5)}
    some = next(iter(routers))
    assert [r["VRouterId"] for r in old.DescribeVRouters(VRouterId=some)["VRouters"]["VRouter"]] == [some]
    unknown = old.DescribeVRouters(VRouterId="vrt-doesnotexist")
    assert unknown["VRouters"] == {"VRouter": []} and unknown["TotalCount"] == 0
    seen = []
    for page in (1, 2):
        body = old.DescribeVRouters(PageNumber=page, PageSize=3)
        assert body["TotalCount"] == 5 and body["PageNumber"] == page
        seen += [r["VRouterId"] for r in body["VRouters"]["VRouter"]]
    assert len(seen) == 5 and set(seen) == routers


def test_modify_vrouter_attribute(old):
    router = create_vpc(old)["VRouterId"]
    assert old.ModifyVRouterAttribute(VRouterId=router, VRouterName="core-router",
                                      Description="The VPC router")["RequestId"]
    [item] = old.DescribeVRouters(VRouterId=router)["VRouters"]["VRouter"]
    assert (item["VRouterName"], item["Description"]) == ("core-router", "The VPC router")


@pytest.mark.parametrize("name", ["a", "1router", "router one", "http://router", "r" * 129])
def test_modify_vrouter_attribute_invalid_name(old, name):
    router = create_vpc(old)["VRouterId"]
    assert_error(
        lambda: old.ModifyVRouterAttribute(VRouterId=router, VRouterName=name),
        400,
        "InvalidVRouterName.Malformed",
        "Specified virtual router name is not valid.",
    )


@pytest.mark.parametrize("description", ["a", "1 router", "https://router", "d" * 257])
def test_modify_vrouter_attribute_invalid_description(old, description):
    router = create_vpc(old)["VRouterId"]
    assert_error(
        lambda: old.ModifyVRouterAttribute(VRouterId=router, Description=description),
        400,
        "InvalidVRouterDiscription.Malformed",
        "Specified virtual router description is not valid.",
    )


def test_modify_vrouter_attribute_unknown_or_missing_router(old):
    assert_error(
        lambda: old.ModifyVRouterAttribute(VRouterId="vrt-doesnotexist", VRouterName="abc"),
        404,
        "InvalidVRouterId.NotFound",
        "Specified virtual router does not exist.",
    )
    assert_error(
        lambda: old.ModifyVRouterAttribute(VRouterName="abc"),
        400,
        *missing("VRouterId"),
    )


def test_vrouters_through_tea_v3(tea, old):
    created = create_vpc(old)
    tea.modify_vrouter_attribute(
        m.ModifyVRouterAttributeRequest(region_id=REGION, vrouter_id=created["VRouterId"], vrouter_name="tea-router")
    )
    body = tea.describe_vrouters(m.DescribeVRoutersRequest(region_id=REGION)).body
    assert body.total_count == 1
    router = body.vrouters.vrouter[0]
    assert (router.vrouter_id, router.vpc_id, router.vrouter_name) == (
        created["VRouterId"], created["VpcId"], "tea-router")
    assert router.route_table_ids.route_table_id == [created["RouteTableId"]]


def test_vrouters_through_tea_v1(tea_v1, old):
    created = create_vpc(old)
    body = tea_v1.describe_vrouters(
        m.DescribeVRoutersRequest(region_id=REGION, vrouter_id=created["VRouterId"])
    ).body
    assert [r.vrouter_id for r in body.vrouters.vrouter] == [created["VRouterId"]]
