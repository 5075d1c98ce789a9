"""ClientToken idempotency (CreateVpc, CreateVSwitch, CreateRouteTable, AssociateRouteTable...):
a retry with the same token and parameters gets the first result without doing anything again; a
different request with the same token is refused; tokens are at most 64 ASCII characters."""

import pytest
from alibabacloud_vpc20160428 import models as m

from helpers import REGION, ZONE, assert_error, create_vpc

NOT_MATCH = ("IdempotenceParamNotMatch",
             "Request uses a client token in a previous request but is not identical to that request.")


def test_create_vpc_retry_returns_the_same_vpc(old):
    first = old.CreateVpc(CidrBlock="10.0.0.0/8", VpcName="once", ClientToken="token-vpc-1")
    again = old.CreateVpc(CidrBlock="10.0.0.0/8", VpcName="once", ClientToken="token-vpc-1")
    for key in ("VpcId", "VRouterId", "RouteTableId"):
        assert again[key] == first[key]
    assert again["RequestId"] != first["RequestId"]
    assert old.DescribeVpcs()["TotalCount"] == 1
    assert old.DescribeVRouters()["TotalCount"] == 1


def test_same_token_with_other_parameters_is_refused(old):
    old.CreateVpc(CidrBlock="10.0.0.0/8", ClientToken="token-vpc-2")
    assert_error(lambda: old.CreateVpc(CidrBlock="192.168.0.0/16", ClientToken="token-vpc-2"), 400, *NOT_MATCH)
    assert_error(lambda: old.CreateVpc(CidrBlock="10.0.0.0/8", VpcName="other", ClientToken="token-vpc-2"),
                 400, *NOT_MATCH)
    assert old.DescribeVpcs()["TotalCount"] == 1


def test_different_tokens_create_different_vpcs(old):
    a = old.CreateVpc(ClientToken="token-a")["VpcId"]
    b = old.CreateVpc(ClientToken="token-b")["VpcId"]
    assert a != b and old.DescribeVpcs()["TotalCount"] == 2


def test_client_token_length(old):
    assert old.CreateVpc(ClientToken="t" * 64)["VpcId"]
    assert_error(lambda: old.CreateVpc(ClientToken="t" * 65), 400)
    assert old.DescribeVpcs()["TotalCount"] == 1


def test_a_failed_call_records_nothing(old):
    assert_error(lambda: old.CreateVpc(CidrBlock="8.8.8.0/24", ClientToken="token-retry"), 400, "InvalidParameter")
    # The token was not used up by the failure: a corrected request goes through.
    assert old.CreateVpc(CidrBlock="10.0.0.0/8", ClientToken="token-retry")["VpcId"]


def test_the_same_token_on_different_actions_does_not_conflict(old):
    vpc_id = old.CreateVpc(ClientToken="shared-token")["VpcId"]
    table = old.CreateRouteTable(VpcId=vpc_id, ClientToken="shared-token")["RouteTableId"]
    assert table.startswith("vtb-")


def test_create_vswitch_retry(old):
    vpc_id = create_vpc(old)["VpcId"]
    params = dict(VpcId=vpc_id, CidrBlock="192.168.1.0/24", ZoneId=ZONE, ClientToken="token-vsw")
    first = old.CreateVSwitch(**params)["VSwitchId"]
    # Without the token the retry would overlap the first vSwitch.
    assert old.CreateVSwitch(**params)["VSwitchId"] == first
    assert old.DescribeVSwitches(VpcId=vpc_id)["TotalCount"] == 1
    assert_error(lambda: old.CreateVSwitch(**{**params, "CidrBlock": "192.168.2.0/24"}), 400, *NOT_MATCH)


def test_create_route_table_and_association_retry(old):
    vpc_id = create_vpc(old)["VpcId"]
    vsw = old.CreateVSwitch(VpcId=vpc_id, CidrBlock="192.168.1.0/24", ZoneId=ZONE)["VSwitchId"]
    first = old.CreateRouteTable(VpcId=vpc_id, ClientToken="token-rt")["RouteTableId"]
    assert old.CreateRouteTable(VpcId=vpc_id, ClientToken="token-rt")["RouteTableId"] == first
    assert old.DescribeRouteTableList(VpcId=vpc_id)["TotalCount"] == 2
    for _ in range(2):
        old.AssociateRouteTable(RouteTableId=first, VSwitchId=vsw, ClientToken="token-assoc")
    assert old.DescribeVSwitchAttributes(VSwitchId=vsw)["RouteTable"]["RouteTableId"] == first


def test_tea_retry_and_mixing_sdks(old, tea):
    request = m.CreateVpcRequest(region_id=REGION, cidr_block="10.0.0.0/8", client_token="token-tea")
    first = tea.create_vpc(request).body.vpc_id
    assert tea.create_vpc(request).body.vpc_id == first
    # The token belongs to the account, whichever SDK sends it.
    assert old.CreateVpc(CidrBlock="10.0.0.0/8", ClientToken="token-tea")["VpcId"] == first
    assert_error(
        lambda: tea.create_vpc(m.CreateVpcRequest(region_id=REGION, cidr_block="172.16.0.0/12",
                                                  client_token="token-tea")),
        400, *NOT_MATCH,
    )
    assert old.DescribeVpcs()["TotalCount"] == 1


@pytest.mark.parametrize("client_fixture", ["tea", "tea_v1"])
def test_tea_client_token_too_long(request, client_fixture):
    client = request.getfixturevalue(client_fixture)
    assert_error(lambda: client.create_vpc(m.CreateVpcRequest(region_id=REGION, client_token="x" * 65)), 400)
