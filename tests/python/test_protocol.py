"""The RPC protocol as the SDKs see it: signatures, credentials, dispatch, formats, missing
parameters (shared/clients/protocol.md)."""

import json
import xml.etree.ElementTree as ET

from alibabacloud_ecs20140526 import models as em
from alibabacloud_vpc20160428 import models as m

from helpers import (
    ECS_VERSION,
    REGION,
    VERSION,
    ZONE,
    OldApi,
    assert_error,
    common_request,
    make_acs,
    make_tea,
    raw_response,
)


def test_old_core_wrong_secret_is_reported_as_invalid_access_key_secret(emulator):
    # Old core compares the server's string to sign (after "string to sign is:") with its own;
    # they match, so the fault is the secret.
    old = OldApi(make_acs(emulator.endpoint, secret="not-the-secret"), emulator.endpoint)
    assert_error(lambda: old.DescribeVpcs(), 400, "InvalidAccessKeySecret")


def test_tea_v3_wrong_secret_is_signature_does_not_match(emulator):
    tea = make_tea(emulator.endpoint, secret="not-the-secret")
    _, _, message = assert_error(
        lambda: tea.describe_vpcs(m.DescribeVpcsRequest(region_id=REGION)),
        400,
        "SignatureDoesNotMatch",
    )
    assert message.startswith("Specified signature is not matched with our calculation.")
    assert "string to sign is:ACS3-HMAC-SHA256\n" in message


def test_tea_v1_wrong_secret_is_signature_does_not_match(emulator):
    tea = make_tea(emulator.endpoint, v1=True, secret="not-the-secret")
    _, _, message = assert_error(
        lambda: tea.describe_vpcs(m.DescribeVpcsRequest(region_id=REGION)),
        400,
        "SignatureDoesNotMatch",
    )
    assert "string to sign is:POST&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeVpcs" in message


def test_unknown_access_key_id_is_not_found(emulator):
    message = "Specified access key is not found."
    old = OldApi(make_acs(emulator.endpoint, key_id="nobody"), emulator.endpoint)
    assert_error(lambda: old.DescribeVpcs(), 404, "InvalidAccessKeyId.NotFound", message)
    for v1 in (False, True):
        tea = make_tea(emulator.endpoint, v1=v1, key_id="nobody")
        assert_error(
            lambda: tea.describe_vpcs(m.DescribeVpcsRequest(region_id=REGION)),
            404,
            "InvalidAccessKeyId.NotFound",
            message,
        )


def test_unknown_action_is_not_found(acs, emulator):
    assert_error(
        lambda: acs.do_action_with_exception(common_request(emulator.endpoint, "DescribeNothing")),
        404,
        "InvalidAction.NotFound",
        "Specified api is not found, please check your url and method.",
    )


def test_real_but_unimplemented_vpc_action_is_unsupported_operation(acs, emulator):
    # Every action the reference describes is implemented (the NAT family was the last); a real VPC
    # action of the SDKs that the emulator does not have, with its ordinary parameters, is refused
    # the same way.
    req = common_request(
        emulator.endpoint,
        "CreateTrafficMirrorFilter",
        RegionId=REGION,
        TrafficMirrorFilterName="mirror-any",
    )
    _, _, message = assert_error(lambda: acs.do_action_with_exception(req), 400, "UnsupportedOperation")
    assert "CreateTrafficMirrorFilter" in message


def test_missing_required_parameter_is_a_missing_code(acs, emulator):
    req = common_request(emulator.endpoint, "DeleteVpc", RegionId=REGION)
    _, code, message = assert_error(
        lambda: acs.do_action_with_exception(req), 400, code_prefix="Missing"
    )
    assert "VpcId" in code + message


def test_format_xml_returns_an_xml_document_rooted_at_the_action_response(acs, emulator, old):
    created = old.CreateVpc(CidrBlock="10.0.0.0/8")
    vsw = old.CreateVSwitch(VpcId=created["VpcId"], CidrBlock="10.0.1.0/24", ZoneId=ZONE)["VSwitchId"]
    req = common_request(emulator.endpoint, "DescribeVpcs", RegionId=REGION)
    req.set_accept_format("XML")
    status, _headers, body = raw_response(acs, req)
    assert status == 200
    assert body.startswith(b"<?xml")
    root = ET.fromstring(body)
    assert root.tag == "DescribeVpcsResponse"
    assert root.findtext("RequestId")
    assert root.findtext("TotalCount") == "1"
    # Lists nest as in the seed's XML sample (6.3).
    [vpc] = root.findall("Vpcs/Vpc")
    assert vpc.findtext("VpcId") == created["VpcId"]
    assert vpc.findtext("IsDefault") == "false"
    assert [e.text for e in vpc.findall("VSwitchIds/VSwitchId")] == [vsw]
    assert [e.text for e in vpc.findall("RouterTableIds/RouterTableIds")] == [created["RouteTableId"]]
    assert vpc.find("UserCidrs") is not None and list(vpc.find("UserCidrs")) == []


def test_format_xml_error_has_the_error_root(acs, emulator):
    req = common_request(emulator.endpoint, "DeleteVpc", RegionId=REGION, VpcId="vpc-missing")
    req.set_accept_format("XML")
    status, _headers, body = raw_response(acs, req)
    assert status == 404
    root = ET.fromstring(body)
    assert root.tag == "Error"
    assert root.findtext("Code") == "InvalidVpcId.NotFound"


def test_json_error_envelope(acs, emulator):
    req = common_request(emulator.endpoint, "DeleteVpc", RegionId=REGION, VpcId="vpc-missing")
    status, headers, body = raw_response(acs, req)
    assert status == 404
    assert headers["Content-Type"].startswith("application/json")
    doc = json.loads(body)
    assert doc["Code"] == "InvalidVpcId.NotFound"
    assert doc["Message"] == "Specified VPC does not exist."
    assert doc["RequestId"] and doc["HostId"]
    assert "InvalidVpcId.NotFound" in doc["Recommend"]


def test_success_has_a_request_id_with_every_sdk(old, tea, tea_v1):
    assert old.DescribeRegions()["RequestId"]
    assert tea.describe_regions(m.DescribeRegionsRequest()).body.request_id
    assert tea_v1.describe_regions(m.DescribeRegionsRequest()).body.request_id


def test_common_request_get_is_accepted(acs, emulator):
    # CommonRequest defaults to GET; old core signs the method.
    req = common_request(emulator.endpoint, "DescribeZones", method="GET", RegionId=REGION)
    doc = json.loads(acs.do_action_with_exception(req))
    assert doc["Zones"]["Zone"]


def test_page_size_above_50_is_rejected(old):
    for action in ("DescribeVpcs", "DescribeVSwitches", "DescribeVRouters", "DescribeRouteTables",
                   "DescribeRouteTableList", "DescribeAccessPoints"):
        assert_error(lambda: old.call(action, PageSize=51), 400)
        # 50 is the documented maximum and is accepted.
        assert old.call(action, PageSize=50)["PageSize"] == 50


def test_malformed_list_indexes_are_invalid_parameters(acs, emulator):
    # Tag.-1 used to be dropped silently and Tag.01 merged with Tag.1.
    for key in ("Tag.-1.Key", "Tag.01.Key", "Tag.x.Key"):
        req = common_request(emulator.endpoint, "DescribeVpcs", RegionId=REGION, **{key: "k"})
        assert_error(lambda: acs.do_action_with_exception(req), 400, "InvalidParameter")
    req = common_request(emulator.endpoint, "DescribeVpcs", RegionId=REGION, **{"Tag.1.Key": "k"})
    assert json.loads(acs.do_action_with_exception(req))["TotalCount"] == 0


def test_json_list_of_ids_must_hold_strings(acs, emulator):
    req = common_request(emulator.endpoint, "DescribeInstances", version=ECS_VERSION, RegionId=REGION,
                         InstanceIds="[1,2,3]")
    assert_error(lambda: acs.do_action_with_exception(req), 400, "InvalidParameter",
                 "The specified parameter InstanceIds is not valid.")
    req = common_request(emulator.endpoint, "DescribeInstances", version=ECS_VERSION, RegionId=REGION,
                         InstanceIds='["i-1","i-2"]')
    assert json.loads(acs.do_action_with_exception(req))["TotalCount"] == 0


def test_emulator_clock_endpoint(emulator):
    before = emulator.clock()["now_ms"]
    after = emulator.advance(60)["now_ms"]
    assert after - before >= 60_000


def test_real_but_undescribed_action_is_unsupported_operation(acs, emulator, ecs_tea):
    """An action of the SDKs (spec/known-actions.json) that the emulator does not describe answers
    400 UnsupportedOperation naming it, in both products and both SDK flavours; a name no SDK
    has stays 404 InvalidAction.NotFound."""
    for action, version in (("DescribeLaunchTemplates", ECS_VERSION), ("CreateIpv6Gateway", VERSION)):
        req = common_request(emulator.endpoint, action, version=version, RegionId=REGION)
        _, _, message = assert_error(lambda: acs.do_action_with_exception(req), 400, "UnsupportedOperation")
        assert action in message
    _, _, message = assert_error(
        lambda: ecs_tea.describe_launch_templates(em.DescribeLaunchTemplatesRequest(region_id=REGION)),
        400,
        "UnsupportedOperation",
    )
    assert "DescribeLaunchTemplates" in message
    req = common_request(emulator.endpoint, "DescribeNothingAtAll", version=ECS_VERSION)
    assert_error(lambda: acs.do_action_with_exception(req), 404, "InvalidAction.NotFound")
