"""Shared helpers of the end-to-end suite: SDK client factories, a uniform way to call an action
through the old core SDK's generated request classes, and one assertion for API errors raised by
either SDK flavour."""

import importlib
import json
import warnings

from alibabacloud_tea_openapi.models import Config
from alibabacloud_vpc20160428.client import Client as TeaClient
from aliyunsdkcore.acs_exception.exceptions import ServerException
from aliyunsdkcore.client import AcsClient
from aliyunsdkcore.request import CommonRequest
from Tea.exceptions import TeaException

ACCESS_KEY_ID = "testid"
ACCESS_KEY_SECRET = "testsecret"
REGION = "cn-hangzhou"
ZONE = "cn-hangzhou-b"
ZONE2 = "cn-hangzhou-g"
VERSION = "2016-04-28"


# --- clients -------------------------------------------------------------------------------------


def make_acs(endpoint, key_id=ACCESS_KEY_ID, secret=ACCESS_KEY_SECRET):
    """Old core client (aliyun-python-sdk-core) pointed at the emulator."""
    client = AcsClient(key_id, secret, REGION)
    client.add_endpoint(REGION, "Vpc", endpoint)
    return client


def make_tea(endpoint, v1=False, key_id=ACCESS_KEY_ID, secret=ACCESS_KEY_SECRET):
    """Tea client (alibabacloud_vpc20160428): signature V3 by default, V1 with ``v1=True``."""
    config = Config(
        access_key_id=key_id,
        access_key_secret=secret,
        region_id=REGION,
        endpoint=endpoint,
        protocol="http",
    )
    if v1:
        config.signature_algorithm = "v2"
    return TeaClient(config)


class OldApi:
    """Calls actions through the old core SDK's generated request classes:
    ``old.CreateVpc(CidrBlock="10.0.0.0/8")`` builds ``CreateVpcRequest``, calls its
    ``set_<Name>`` setter for each parameter (``add_query_param`` when the class has none, e.g.
    RegionId, which the client otherwise fills in) and returns the parsed JSON body."""

    def __init__(self, client, endpoint):
        self.client = client
        self.endpoint = endpoint

    def request(self, action, **params):
        module = importlib.import_module(f"aliyunsdkvpc.request.v20160428.{action}Request")
        req = getattr(module, f"{action}Request")()
        for name, value in params.items():
            setter = getattr(req, f"set_{name}", None)
            if setter is not None:
                setter(value)
            else:
                req.add_query_param(name, value)
        if params.get("RegionId", REGION) != REGION:
            # The client only knows the endpoint of its own region.
            req.set_endpoint(self.endpoint)
        return req

    def call(self, action, **params):
        return json.loads(self.client.do_action_with_exception(self.request(action, **params)))

    def __getattr__(self, action):
        if not action[:1].isupper():
            raise AttributeError(action)
        return lambda **params: self.call(action, **params)


def common_request(endpoint, action, method="POST", **params):
    """A CommonRequest for any action name (described or not)."""
    req = CommonRequest(domain=endpoint, version=VERSION, action_name=action)
    req.set_method(method)
    for name, value in params.items():
        req.add_query_param(name, value)
    return req


def raw_response(client, request):
    """(status, headers, body bytes) without old core's forcing of Format=JSON."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return client.get_response(request)


# --- errors --------------------------------------------------------------------------------------


def api_error(call):
    """Runs ``call`` (no arguments), which must fail with an API error, and returns
    (http status, code, message) whichever SDK raised it."""
    try:
        result = call()
    except ServerException as e:  # old core
        return e.get_http_status(), e.get_error_code(), e.get_error_msg()
    except TeaException as e:  # Tea V3 / V1
        message = (e.data or {}).get("Message") if isinstance(e.data, dict) else None
        return e.status_code, e.code, message if message is not None else e.message
    raise AssertionError(f"expected an API error, the call succeeded with {result!r}")


def assert_error(call, status, code=None, message=None, message_contains=None, code_prefix=None):
    """Asserts that ``call`` fails with this HTTP status and error code (``code_prefix``: a code
    starting with it) and message (exact with ``message``, a substring with
    ``message_contains``). Returns the (status, code, message) it got."""
    got = api_error(call)
    got_status, got_code, got_message = got
    assert got_status == status, f"expected {status} {code or code_prefix}, got {got}"
    if code is not None:
        assert got_code == code, f"expected {status} {code}, got {got}"
    if code_prefix is not None:
        assert got_code.startswith(code_prefix), f"expected {status} {code_prefix}*, got {got}"
    if message is not None:
        assert got_message == message, got
    if message_contains is not None:
        assert message_contains in got_message, got
    return got


# --- common resources ----------------------------------------------------------------------------


def create_vpc(old, cidr="192.168.0.0/16", **params):
    """CreateVpc through the old core SDK; returns the response (VpcId, VRouterId, RouteTableId)."""
    return old.CreateVpc(CidrBlock=cidr, **params)


def create_vswitch(old, vpc_id, cidr, zone=ZONE, **params):
    """CreateVSwitch through the old core SDK; returns the new VSwitchId."""
    return old.CreateVSwitch(VpcId=vpc_id, CidrBlock=cidr, ZoneId=zone, **params)["VSwitchId"]


def system_table(old, vpc_id):
    """The System route table item of a VPC (DescribeRouteTableList)."""
    tables = old.DescribeRouteTableList(VpcId=vpc_id)["RouterTableList"]["RouterTableListType"]
    return next(t for t in tables if t["RouteTableType"] == "System")


def create_havip(old, vswitch_id, **params):
    """CreateHaVip through the old core SDK; returns the new HaVipId."""
    return old.CreateHaVip(VSwitchId=vswitch_id, **params)["HaVipId"]


def free_addresses(old, vswitch_id):
    """The vSwitch's AvailableIpAddressCount (DescribeVSwitchAttributes)."""
    return old.DescribeVSwitchAttributes(VSwitchId=vswitch_id)["AvailableIpAddressCount"]


# Route entry errors shared by the route entry test modules.
# The seed prints 400; every *.NotFound code is 404 (the project's gateway rule, spec/FORMAT.md).
ENTRY_NOT_FOUND = ("InvalidRouteEntry.NotFound", "Route entry not exists.")
SYSTEM_DENIED = ("OperationDenied", "Specified operation is denied as route entry type is system.")
