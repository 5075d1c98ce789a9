"""Shared helpers of the end-to-end suite: SDK client factories, a uniform way to call an action
through the old core SDK's generated request classes (or a Tea client, for ECS), and one assertion
for API errors raised by either SDK flavour."""

import importlib
import ipaddress
import json
import re
import warnings
from datetime import datetime, timezone
from types import SimpleNamespace

from alibabacloud_ecs20140526 import models as ecs_models
from alibabacloud_ecs20140526.client import Client as EcsTeaClient
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
ECS_VERSION = "2014-05-26"
VPC_REQUESTS = "aliyunsdkvpc.request.v20160428"
ECS_REQUESTS = "aliyunsdkecs.request.v20140526"


# --- clients -------------------------------------------------------------------------------------


def make_acs(endpoint, key_id=ACCESS_KEY_ID, secret=ACCESS_KEY_SECRET):
    """Old core client (aliyun-python-sdk-core) pointed at the emulator."""
    client = AcsClient(key_id, secret, REGION)
    client.add_endpoint(REGION, "Vpc", endpoint)
    client.add_endpoint(REGION, "Ecs", endpoint)
    return client


def make_tea(endpoint, v1=False, key_id=ACCESS_KEY_ID, secret=ACCESS_KEY_SECRET, client_class=TeaClient):
    """Tea client (alibabacloud_vpc20160428, or ``client_class``): signature V3 by default, V1 with
    ``v1=True``."""
    config = Config(
        access_key_id=key_id,
        access_key_secret=secret,
        region_id=REGION,
        endpoint=endpoint,
        protocol="http",
    )
    if v1:
        config.signature_algorithm = "v2"
    return client_class(config)


def make_ecs_tea(endpoint, v1=False, key_id=ACCESS_KEY_ID, secret=ACCESS_KEY_SECRET):
    """Tea ECS client (alibabacloud_ecs20140526)."""
    return make_tea(endpoint, v1=v1, key_id=key_id, secret=secret, client_class=EcsTeaClient)


class OldApi:
    """Calls actions through the old core SDK's generated request classes:
    ``old.CreateVpc(CidrBlock="10.0.0.0/8")`` builds ``CreateVpcRequest``, calls its
    ``set_<Name>`` setter for each parameter (``add_query_param`` when the class has none, e.g.
    RegionId, which the client otherwise fills in) and returns the parsed JSON body. ``package``
    picks the product: VPC_REQUESTS (default) or ECS_REQUESTS."""

    def __init__(self, client, endpoint, package=VPC_REQUESTS):
        self.client = client
        self.endpoint = endpoint
        self.package = package

    def request(self, action, **params):
        module = importlib.import_module(f"{self.package}.{action}Request")
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


class TeaApi:
    """Calls actions through a Tea client with the wire parameter names, like OldApi:
    ``api.RunInstances(Amount=2, ImageId=...)`` builds ``RunInstancesRequest`` with ``from_map``
    (RegionId defaults to REGION where the request has one), calls ``run_instances`` and returns
    the response body as a dict with the wire names (``to_map``)."""

    def __init__(self, client, models=ecs_models):
        self.client = client
        self.models = models

    def call(self, action, **params):
        request = getattr(self.models, f"{action}Request")()
        if "RegionId" not in params and hasattr(request, "region_id"):
            params["RegionId"] = REGION
        request.from_map(params)
        method = getattr(self.client, re.sub(r"(?<!^)(?=[A-Z])", "_", action).lower())
        return method(request).body.to_map()

    def __getattr__(self, action):
        if not action[:1].isupper():
            raise AttributeError(action)
        return lambda **params: self.call(action, **params)


def common_request(endpoint, action, method="POST", version=VERSION, **params):
    """A CommonRequest for any action name (described or not)."""
    req = CommonRequest(domain=endpoint, version=version, action_name=action)
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


USER_DATA_SIZE = ("InvalidUserData.SizeExceeded", "The specified parameter UserData exceeds the size.")


def big_user_data(ecs_old, action, **params):
    """``action`` with a valid base64 UserData one block over 32 KB, sent in the form body (in the
    query, as both SDKs send it, it would make the URL longer than the server accepts)."""
    request = ecs_old.request(action, **params)
    request.add_body_params("UserData", "QUFB" * (8 * 1024 + 1))
    return ecs_old.client.do_action_with_exception(request)


def missing(name):
    """(Code, Message) of a MissingParameter answer the action documents: the documented code, and
    the real service's message naming the parameter that was not supplied."""
    return ("MissingParameter",
            f'The input parameter "{name}" that is mandatory for processing this request is not supplied.')


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


# --- ECS -----------------------------------------------------------------------------------------
# ``ecs`` below is an OldApi of ECS_REQUESTS or a TeaApi: both take wire parameter names and
# return the response body as a dict.

IMAGE_ID = "aliyun_3_x64_20G_alibase_20240819.vhd"  # in the public image catalogue (DescribeImages)
INSTANCE_TYPE = "ecs.g6.large"  # 2 vCPUs, 8 GiB
PUBLIC_POOL = ipaddress.ip_network("198.18.0.0/16")  # ECS fixed IPs; EIPs take 198.19.0.0/16
DAY = 24 * 3600
MONTH_MS = 30 * DAY * 1000  # prices are prorated over a 30-day month


def type_price(cpus, memory_gib, burstable=False):
    """Monthly price of an instance type: 60 CNY per vCPU + 8 per GiB, half for burstable ones."""
    price = 60 * cpus + 8 * memory_gib
    return price / 2 if burstable else price


def bandwidth_price(mbps, charge_type="PayByBandwidth"):
    """Monthly price of outbound bandwidth: PayByBandwidth 23 CNY per Mbit/s up to 5, 80 above."""
    if charge_type != "PayByBandwidth":
        return 0
    return 23 * min(mbps, 5) + 80 * max(mbps - 5, 0)


G6_LARGE_PRICE = type_price(2, 8)  # 184


def create_security_group(ecs, vpc_id=None, **params):
    """CreateSecurityGroup (without vpc_id: a classic-network group); returns its id."""
    if vpc_id is not None:
        params["VpcId"] = vpc_id
    return ecs.CreateSecurityGroup(**params)["SecurityGroupId"]


def ecs_network(old, ecs, cidr="192.168.0.0/16", vswitch_cidr="192.168.1.0/24", zone=ZONE, settle=None,
                region=None):
    """A VPC, a vSwitch in it and a security group of the VPC, as a namespace (vpc_id, vswitch_id,
    security_group_id, zone, cidr). ``settle`` is called after each VPC resource is created (the
    delayed server's advance, so that they are Available)."""
    extra = {"RegionId": region} if region else {}
    vpc_id = old.CreateVpc(CidrBlock=cidr, **extra)["VpcId"]
    if settle:
        settle()
    vsw = old.CreateVSwitch(VpcId=vpc_id, CidrBlock=vswitch_cidr, ZoneId=zone, **extra)["VSwitchId"]
    if settle:
        settle()
    sg = create_security_group(ecs, vpc_id, **extra)
    return SimpleNamespace(vpc_id=vpc_id, vswitch_id=vsw, security_group_id=sg, zone=zone,
                           cidr=ipaddress.ip_network(vswitch_cidr))


def instance_params(net, **params):
    """CreateInstance / RunInstances parameters in ``net``; a parameter given as None is left out
    (VSwitchId=None: a classic-network instance, which then needs ZoneId)."""
    base = dict(ImageId=IMAGE_ID, InstanceType=INSTANCE_TYPE, SecurityGroupId=net.security_group_id,
                VSwitchId=net.vswitch_id)
    base.update(params)
    return {k: v for k, v in base.items() if v is not None}


def run_instances(ecs, net, amount=1, **params):
    """RunInstances: the new ids (InstanceIdSets.InstanceIdSet)."""
    body = ecs.RunInstances(Amount=amount, **instance_params(net, **params))
    return body["InstanceIdSets"]["InstanceIdSet"]


def run_instance(ecs, net, **params):
    """One Running instance (RunInstances); returns its id."""
    [instance_id] = run_instances(ecs, net, 1, **params)
    return instance_id


def create_instance(ecs, net, **params):
    """One Stopped instance (CreateInstance); returns its id."""
    return ecs.CreateInstance(**instance_params(net, **params))["InstanceId"]


def run_subscription(ecs, net, period=1, unit="Month", **params):
    """A Running subscription (PrePaid) instance."""
    return run_instance(ecs, net, InstanceChargeType="PrePaid", Period=period, PeriodUnit=unit, **params)


def classic_network(ecs, zone=ZONE):
    """What a classic-network instance needs: a security group without a VPC, and a zone."""
    return SimpleNamespace(vpc_id=None, vswitch_id=None, security_group_id=create_security_group(ecs),
                           zone=zone, cidr=None)


def create_classic_instance(ecs, classic, **params):
    """A classic-network instance (CreateInstance without VSwitchId, with ZoneId): Stopped."""
    return create_instance(ecs, classic, VSwitchId=None, ZoneId=classic.zone, **params)


def describe_instances(ecs, **filters):
    return ecs.DescribeInstances(**filters)["Instances"]["Instance"]


def describe_instance(ecs, instance_id):
    """The DescribeInstances item of one instance (filter InstanceIds, a JSON array string)."""
    items = describe_instances(ecs, InstanceIds=json.dumps([instance_id]))
    assert len(items) == 1, items
    return items[0]


def instance_status(ecs, instance_id):
    return describe_instance(ecs, instance_id)["Status"]


def public_ips(item):
    """PublicIpAddress.IpAddress of a DescribeInstances / DescribeInstanceAttribute item."""
    return list((item.get("PublicIpAddress") or {}).get("IpAddress") or [])


def private_ips(item):
    return list(item["VpcAttributes"]["PrivateIpAddress"]["IpAddress"])


def in_public_pool(address):
    return ipaddress.ip_address(address) in PUBLIC_POOL


def lock_reasons(item):
    return [lock["LockReason"] for lock in (item.get("OperationLocks") or {}).get("LockReason") or []]


def utc(ms):
    return datetime.fromtimestamp(ms / 1000, tz=timezone.utc)


def minute_time(dt):
    """StartTime format of a temporary upgrade: yyyy-MM-ddThh:mmZ."""
    return dt.strftime("%Y-%m-%dT%H:%MZ")


def hour_time(dt):
    """EndTime format of a temporary upgrade: yyyy-MM-ddThhZ."""
    return dt.strftime("%Y-%m-%dT%HZ")


def parse_time(text):
    """An API time (yyyy-MM-ddThh:mmZ, with seconds or fractions too) as an aware datetime."""
    for fmt in ("%Y-%m-%dT%H:%M:%S.%fZ", "%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%MZ", "%Y-%m-%dT%HZ"):
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=timezone.utc)
        except ValueError:
            pass
    raise AssertionError(f"not an API time: {text!r}")


def expiry_ms(ecs, instance_id):
    """ExpiredTime of a subscription instance (DescribeInstanceAttribute), in ms since the epoch."""
    text = ecs.DescribeInstanceAttribute(InstanceId=instance_id)["ExpiredTime"]
    return parse_time(text).timestamp() * 1000


def assert_rejected(call):
    """``call`` fails with some 4xx API error (where the docs name no code); returns the error."""
    got = api_error(call)
    assert 400 <= got[0] < 500, got
    return got
