"""Route tables (seed 004 chapter 9.1-9.7: ModifyRouteTableAttributes, DescribeRouteTableList,
DescribeRouteTables, CreateRouteTable, AssociateRouteTable, UnassociateRouteTable,
DeleteRouteTable)."""

import pytest
from alibabacloud_vpc20160428 import models as m

from helpers import REGION, assert_error, create_vpc, create_vswitch, system_table

TABLE_NOT_FOUND = ("InvalidRouteTableId.NotFound", "Specified route table does not exist.")


@pytest.fixture
def vpc(old):
    return create_vpc(old, "10.0.0.0/8")


def table_list(old, **filters):
    return old.DescribeRouteTableList(**filters)["RouterTableList"]["RouterTableListType"]


def table_of(old, vswitch_id):
    return old.DescribeVSwitchAttributes(VSwitchId=vswitch_id)["RouteTable"]


# --- CreateRouteTable / DescribeRouteTableList -------------------------------------------------


def test_create_route_table_and_list_it(old, vpc):
    table = old.CreateRouteTable(VpcId=vpc["VpcId"], RouteTableName="custom-1",
                                 Description="My custom table")["RouteTableId"]
    assert table.startswith("vtb-") and table != vpc["RouteTableId"]
    body = old.DescribeRouteTableList(VpcId=vpc["VpcId"])
    assert body["RequestId"]
    assert (body["TotalCount"], body["PageNumber"], body["PageSize"]) == (2, 1, 10)
    items = {t["RouteTableId"]: t for t in body["RouterTableList"]["RouterTableListType"]}
    custom, system = items[table], items[vpc["RouteTableId"]]
    assert custom["RouteTableType"] == "Custom" and system["RouteTableType"] == "System"
    assert custom["RouteTableName"] == "custom-1" and custom["Description"] == "My custom table"
    for item in (custom, system):
        assert item["VpcId"] == vpc["VpcId"]
        assert item["RouterId"] == vpc["VRouterId"]
        assert item["RouterType"] == "VRouter"
        assert item["VSwitchIds"] == {"VSwitchId": []}
        assert item["CreationTime"].endswith("Z")


def test_create_route_table_in_unknown_vpc(old):
    assert_error(
        lambda: old.CreateRouteTable(VpcId="vpc-doesnotexist"),
        404,
        "InvalidVpcId.NotFound",
        "Specified VPC does not exist.",
    )


@pytest.mark.parametrize("description", ["a", "1st table", "http://table", "d" * 257])
def test_create_route_table_invalid_description(old, vpc, description):
    assert_error(
        lambda: old.CreateRouteTable(VpcId=vpc["VpcId"], Description=description),
        400,
        "InvalidParameter.Description.Malformed",
        "The specified Description is not valid.",
    )


def test_route_table_name_format(old, vpc):
    # No documented code for a bad RouteTableName: the generic 400 InvalidParameter.
    assert_error(lambda: old.CreateRouteTable(VpcId=vpc["VpcId"], RouteTableName="1table"), 400)
    table = old.CreateRouteTable(VpcId=vpc["VpcId"], RouteTableName="t1")["RouteTableId"]
    assert_error(lambda: old.ModifyRouteTableAttributes(RouteTableId=table, RouteTableName="http://t"), 400)
    assert table_list(old, RouteTableId=table)[0]["RouteTableName"] == "t1"


def test_describe_route_table_list_filters(old, vpc):
    custom = old.CreateRouteTable(VpcId=vpc["VpcId"], RouteTableName="findme")["RouteTableId"]
    other = create_vpc(old, "192.168.0.0/16")

    def ids(**filters):
        return sorted(t["RouteTableId"] for t in table_list(old, **filters))

    assert ids() == sorted([vpc["RouteTableId"], custom, other["RouteTableId"]])
    assert ids(VpcId=other["VpcId"]) == [other["RouteTableId"]]
    assert ids(RouteTableId=custom) == [custom]
    assert ids(RouterId=vpc["VRouterId"]) == sorted([vpc["RouteTableId"], custom])
    assert ids(RouterType="VRouter", VpcId=vpc["VpcId"]) == sorted([vpc["RouteTableId"], custom])
    assert ids(RouterType="VBR") == []
    assert ids(RouteTableId="vtb-doesnotexist") == []
    assert ids(VpcId="vpc-doesnotexist") == []


def test_describe_route_table_list_filter_by_name(old, vpc):
    # seed 9.2 documents RouteTableName as a request parameter of DescribeRouteTableList.
    custom = old.CreateRouteTable(VpcId=vpc["VpcId"], RouteTableName="findme")["RouteTableId"]
    old.CreateRouteTable(VpcId=vpc["VpcId"], RouteTableName="other")
    assert [t["RouteTableId"] for t in table_list(old, RouteTableName="findme")] == [custom]


def test_describe_route_table_list_paging(old, vpc):
    tables = {vpc["RouteTableId"]} | {old.CreateRouteTable(VpcId=vpc["VpcId"])["RouteTableId"] for _ in range(4)}
    seen = []
    for page in (1, 2, 3):
        body = old.DescribeRouteTableList(VpcId=vpc["VpcId"], PageNumber=page, PageSize=2)
        assert (body["TotalCount"], body["PageNumber"], body["PageSize"]) == (5, page, 2)
        seen += [t["RouteTableId"] for t in body["RouterTableList"]["RouterTableListType"]]
    assert len(seen) == 5 and set(seen) == tables


# --- ModifyRouteTableAttributes -----------------------------------------------------------------


def test_modify_route_table_attributes(old, vpc):
    table = old.CreateRouteTable(VpcId=vpc["VpcId"], RouteTableName="before")["RouteTableId"]
    assert old.ModifyRouteTableAttributes(RouteTableId=table, RouteTableName="after",
                                          Description="Changed")["RequestId"]
    [item] = table_list(old, RouteTableId=table)
    assert (item["RouteTableName"], item["Description"]) == ("after", "Changed")
    # The System table can be named too.
    old.ModifyRouteTableAttributes(RouteTableId=vpc["RouteTableId"], RouteTableName="main")
    assert system_table(old, vpc["VpcId"])["RouteTableName"] == "main"


@pytest.mark.parametrize("description", ["a", "1st table", "https://table", "d" * 257])
def test_modify_route_table_attributes_invalid_description(old, vpc, description):
    assert_error(
        lambda: old.ModifyRouteTableAttributes(RouteTableId=vpc["RouteTableId"], Description=description),
        400,
        "InvalidParameter.Description.Malformed",
        "The specified Description is not valid.",
    )


def test_modify_route_table_attributes_unknown_table(old):
    assert_error(
        lambda: old.ModifyRouteTableAttributes(RouteTableId="vtb-doesnotexist", RouteTableName="abc"),
        404,
        *TABLE_NOT_FOUND,
    )


# --- AssociateRouteTable / UnassociateRouteTable -------------------------------------------------


def test_associate_and_unassociate_a_vswitch(old, vpc):
    vsw = create_vswitch(old, vpc["VpcId"], "10.0.1.0/24")
    other = create_vswitch(old, vpc["VpcId"], "10.0.2.0/24")
    custom = old.CreateRouteTable(VpcId=vpc["VpcId"])["RouteTableId"]
    assert system_table(old, vpc["VpcId"])["VSwitchIds"]["VSwitchId"] == [vsw, other]

    assert old.AssociateRouteTable(RouteTableId=custom, VSwitchId=vsw)["RequestId"]
    assert table_of(old, vsw) == {"RouteTableId": custom, "RouteTableType": "Custom"}
    assert table_of(old, other) == {"RouteTableId": vpc["RouteTableId"], "RouteTableType": "System"}
    [item] = table_list(old, RouteTableId=custom)
    assert item["VSwitchIds"] == {"VSwitchId": [vsw]}
    assert system_table(old, vpc["VpcId"])["VSwitchIds"]["VSwitchId"] == [other]
    listed = old.DescribeVSwitches(RouteTableId=custom)["VSwitches"]["VSwitch"]
    assert [(v["VSwitchId"], v["RouteTable"]["RouteTableType"]) for v in listed] == [(vsw, "Custom")]
    [table] = old.DescribeRouteTables(RouteTableId=custom)["RouteTables"]["RouteTable"]
    assert table["VSwitchIds"] == {"VSwitchId": [vsw]}
    # Associating again with the same table is harmless.
    old.AssociateRouteTable(RouteTableId=custom, VSwitchId=vsw)

    assert old.UnassociateRouteTable(RouteTableId=custom, VSwitchId=vsw)["RequestId"]
    assert table_of(old, vsw) == {"RouteTableId": vpc["RouteTableId"], "RouteTableType": "System"}
    assert table_list(old, RouteTableId=custom)[0]["VSwitchIds"] == {"VSwitchId": []}


def test_associate_unknown_table_or_vswitch(old, vpc):
    vsw = create_vswitch(old, vpc["VpcId"], "10.0.1.0/24")
    custom = old.CreateRouteTable(VpcId=vpc["VpcId"])["RouteTableId"]
    assert_error(lambda: old.AssociateRouteTable(RouteTableId="vtb-doesnotexist", VSwitchId=vsw),
                 404, *TABLE_NOT_FOUND)
    assert_error(lambda: old.UnassociateRouteTable(RouteTableId="vtb-doesnotexist", VSwitchId=vsw),
                 404, *TABLE_NOT_FOUND)
    assert_error(lambda: old.AssociateRouteTable(RouteTableId=custom, VSwitchId="vsw-doesnotexist"),
                 404, "InvalidVSwitchId.NotFound")


def test_associate_rules_chosen_by_the_emulator(old, vpc):
    # Not documented by the seed; the emulator's choices.
    vsw = create_vswitch(old, vpc["VpcId"], "10.0.1.0/24")
    first = old.CreateRouteTable(VpcId=vpc["VpcId"])["RouteTableId"]
    second = old.CreateRouteTable(VpcId=vpc["VpcId"])["RouteTableId"]
    # The System table is implicit: nothing to associate with it.
    assert_error(lambda: old.AssociateRouteTable(RouteTableId=vpc["RouteTableId"], VSwitchId=vsw),
                 400, "OperationDenied")
    # A vSwitch uses one Custom table at a time.
    old.AssociateRouteTable(RouteTableId=first, VSwitchId=vsw)
    assert_error(lambda: old.AssociateRouteTable(RouteTableId=second, VSwitchId=vsw),
                 400, "OperationConflict")
    # Only vSwitches of the table's VPC.
    other_vpc = create_vpc(old, "192.168.0.0/16")["VpcId"]
    stranger = create_vswitch(old, other_vpc, "192.168.1.0/24")
    assert_error(lambda: old.AssociateRouteTable(RouteTableId=second, VSwitchId=stranger),
                 404, "InvalidVSwitchId.NotFound")


def test_deleting_a_vswitch_drops_its_association(old, vpc):
    vsw = create_vswitch(old, vpc["VpcId"], "10.0.1.0/24")
    custom = old.CreateRouteTable(VpcId=vpc["VpcId"])["RouteTableId"]
    old.AssociateRouteTable(RouteTableId=custom, VSwitchId=vsw)
    old.DeleteVSwitch(VSwitchId=vsw)
    assert table_list(old, RouteTableId=custom)[0]["VSwitchIds"] == {"VSwitchId": []}
    old.DeleteRouteTable(RouteTableId=custom)


# --- DeleteRouteTable ---------------------------------------------------------------------------


def test_delete_route_table(old, vpc):
    vsw = create_vswitch(old, vpc["VpcId"], "10.0.1.0/24")
    custom = old.CreateRouteTable(VpcId=vpc["VpcId"])["RouteTableId"]
    old.AssociateRouteTable(RouteTableId=custom, VSwitchId=vsw)
    # Emulator choice: a table still used by a vSwitch cannot be deleted.
    assert_error(lambda: old.DeleteRouteTable(RouteTableId=custom), 400, "DependencyViolation.VSwitch")
    old.UnassociateRouteTable(RouteTableId=custom, VSwitchId=vsw)
    assert old.DeleteRouteTable(RouteTableId=custom)["RequestId"]
    assert table_list(old, RouteTableId=custom) == []
    assert_error(lambda: old.DeleteRouteTable(RouteTableId=custom), 404, *TABLE_NOT_FOUND)


def test_a_pending_vswitch_blocks_deleting_its_route_table(old_delayed, delayed):
    # 9.7 documents IncorrectVSwitchStatus for DeleteRouteTable: the table's vSwitch is Pending.
    old = old_delayed
    vpc_id = create_vpc(old, "10.0.0.0/8")["VpcId"]
    delayed.advance(5)
    vsw = create_vswitch(old, vpc_id, "10.0.1.0/24")
    custom = old.CreateRouteTable(VpcId=vpc_id)["RouteTableId"]
    old.AssociateRouteTable(RouteTableId=custom, VSwitchId=vsw)
    assert_error(lambda: old.DeleteRouteTable(RouteTableId=custom), 400, "IncorrectVSwitchStatus",
                 "The current virtual switch status does not support this operation.")
    delayed.advance(5)
    assert_error(lambda: old.DeleteRouteTable(RouteTableId=custom), 400, "DependencyViolation.VSwitch")


def test_the_system_route_table_cannot_be_deleted(old, vpc):
    assert_error(lambda: old.DeleteRouteTable(RouteTableId=vpc["RouteTableId"]), 400, "OperationDenied")


def test_deleting_a_vpc_deletes_its_custom_tables(old, vpc):
    custom = old.CreateRouteTable(VpcId=vpc["VpcId"])["RouteTableId"]
    old.DeleteVpc(VpcId=vpc["VpcId"])
    assert table_list(old, RouteTableId=custom) == []


# --- DescribeRouteTables ------------------------------------------------------------------------


def test_describe_route_tables_response_shape(old, vpc):
    vsw = create_vswitch(old, vpc["VpcId"], "10.0.1.0/24")
    body = old.DescribeRouteTables(VRouterId=vpc["VRouterId"])
    assert body["RequestId"]
    assert (body["TotalCount"], body["PageNumber"], body["PageSize"]) == (1, 1, 10)
    [table] = body["RouteTables"]["RouteTable"]
    assert table["RouteTableId"] == vpc["RouteTableId"]
    assert table["RouteTableType"] == "System"
    assert table["VRouterId"] == vpc["VRouterId"]
    assert table["VSwitchIds"] == {"VSwitchId": [vsw]}
    entries = {e["DestinationCidrBlock"]: e for e in table["RouteEntrys"]["RouteEntry"]}
    # One System entry per vSwitch block, plus the cloud-service route (seed 9.3 sample).
    assert set(entries) == {"10.0.1.0/24", "100.64.0.0/10"}
    for entry in entries.values():
        assert entry["Type"] == "System" and entry["Status"] == "Available"
        assert entry["RouteTableId"] == vpc["RouteTableId"]
        assert entry["NextHops"] == {"NextHop": []}
        assert entry["InstanceId"] == ""
    assert entries["100.64.0.0/10"]["NextHopType"] == "service"


def test_custom_tables_show_system_entries_of_the_vswitches(old, vpc):
    create_vswitch(old, vpc["VpcId"], "10.0.1.0/24")
    create_vswitch(old, vpc["VpcId"], "10.0.2.0/24")
    custom = old.CreateRouteTable(VpcId=vpc["VpcId"])["RouteTableId"]
    [table] = old.DescribeRouteTables(RouteTableId=custom)["RouteTables"]["RouteTable"]
    assert table["RouteTableType"] == "Custom"
    destinations = sorted(e["DestinationCidrBlock"] for e in table["RouteEntrys"]["RouteEntry"])
    assert destinations == ["10.0.1.0/24", "10.0.2.0/24"]
    assert {e["Type"] for e in table["RouteEntrys"]["RouteEntry"]} == {"System"}


def test_describe_route_tables_filters(old, vpc):
    custom = old.CreateRouteTable(VpcId=vpc["VpcId"], RouteTableName="named")["RouteTableId"]
    other = create_vpc(old, "192.168.0.0/16")

    def ids(**filters):
        return sorted(t["RouteTableId"] for t in old.DescribeRouteTables(**filters)["RouteTables"]["RouteTable"])

    assert ids() == sorted([vpc["RouteTableId"], custom, other["RouteTableId"]])
    assert ids(VRouterId=vpc["VRouterId"]) == sorted([vpc["RouteTableId"], custom])
    assert ids(RouterId=other["VRouterId"]) == [other["RouteTableId"]]
    assert ids(RouteTableId=custom) == [custom]
    assert ids(RouteTableName="named") == [custom]
    assert ids(Type="Custom") == [custom]
    assert ids(Type="custom") == [custom]  # the seed's example value
    assert ids(Type="System") == sorted([vpc["RouteTableId"], other["RouteTableId"]])
    assert ids(RouterType="VRouter", VRouterId=other["VRouterId"]) == [other["RouteTableId"]]
    assert ids(RouterType="VBR") == []
    empty = old.DescribeRouteTables(RouteTableId="vtb-doesnotexist")
    assert empty["RouteTables"] == {"RouteTable": []} and empty["TotalCount"] == 0


def test_describe_route_tables_paging(old, vpc):
    tables = {vpc["RouteTableId"]} | {old.CreateRouteTable(VpcId=vpc["VpcId"])["RouteTableId"] for _ in range(2)}
    first = old.DescribeRouteTables(PageSize=2, PageNumber=1)
    second = old.DescribeRouteTables(PageSize=2, PageNumber=2)
    assert first["TotalCount"] == second["TotalCount"] == 3
    seen = [t["RouteTableId"] for b in (first, second) for t in b["RouteTables"]["RouteTable"]]
    assert len(seen) == 3 and set(seen) == tables


# --- Tea SDK ------------------------------------------------------------------------------------


def test_route_tables_through_tea_v3(tea, old, vpc):
    vsw = create_vswitch(old, vpc["VpcId"], "10.0.1.0/24")
    custom = tea.create_route_table(
        m.CreateRouteTableRequest(region_id=REGION, vpc_id=vpc["VpcId"], route_table_name="tea-table")
    ).body.route_table_id
    tea.associate_route_table(m.AssociateRouteTableRequest(region_id=REGION, route_table_id=custom, v_switch_id=vsw))

    listed = tea.describe_route_table_list(
        m.DescribeRouteTableListRequest(region_id=REGION, route_table_id=custom)
    ).body
    assert listed.total_count == 1
    item = listed.router_table_list.router_table_list_type[0]
    assert (item.route_table_id, item.route_table_type, item.route_table_name) == (custom, "Custom", "tea-table")
    assert item.v_switch_ids.v_switch_id == [vsw]
    assert item.router_id == vpc["VRouterId"] and item.vpc_id == vpc["VpcId"]

    tables = tea.describe_route_tables(m.DescribeRouteTablesRequest(region_id=REGION, route_table_id=custom)).body
    table = tables.route_tables.route_table[0]
    assert table.v_switch_ids.v_switch_id == [vsw]
    assert [e.destination_cidr_block for e in table.route_entrys.route_entry] == ["10.0.1.0/24"]
    assert table.route_entrys.route_entry[0].type == "System"

    tea.modify_route_table_attributes(
        m.ModifyRouteTableAttributesRequest(region_id=REGION, route_table_id=custom, description="Tea described")
    )
    tea.unassociate_route_table(
        m.UnassociateRouteTableRequest(region_id=REGION, route_table_id=custom, v_switch_id=vsw)
    )
    tea.delete_route_table(m.DeleteRouteTableRequest(region_id=REGION, route_table_id=custom))
    assert table_list(old, RouteTableId=custom) == []


def test_route_tables_through_tea_v1(tea_v1, vpc):
    body = tea_v1.describe_route_tables(
        m.DescribeRouteTablesRequest(region_id=REGION, vrouter_id=vpc["VRouterId"])
    ).body
    [table] = body.route_tables.route_table
    assert table.route_table_id == vpc["RouteTableId"] and table.route_table_type == "System"
    assert [e.destination_cidr_block for e in table.route_entrys.route_entry] == ["100.64.0.0/10"]
    assert_error(
        lambda: tea_v1.delete_route_table(m.DeleteRouteTableRequest(region_id=REGION, route_table_id="vtb-nope")),
        404,
        *TABLE_NOT_FOUND,
    )
