"""Helpers of the router interface tests (test_router_interface*.py): a pair of interfaces between
two VPCs, DescribeRouterInterfaces by filters, and the documented errors (code, message)."""

from types import SimpleNamespace

from alibabacloud_vpc20160428 import models as vpc_models

from helpers import REGION, OldApi, TeaApi

SPECS = [
    ("Mini.2", 2), ("Mini.5", 5), ("Small.1", 10), ("Small.2", 20), ("Small.5", 50), ("Middle.1", 100),
    ("Middle.2", 200), ("Middle.5", 500), ("Large.1", 1000), ("Large.2", 2000), ("Large.5", 5000),
    ("Xlarge.1", 10000),
]

# Errors as chapter 11 (and seeds 000/001, patches) document them: (code, message). Every
# *.NotFound answers 404.
REGION_CREATE = ("InvalidRegionId.NotFound", "The regionId provided does not exist in our records.")
REGION_NOT_FOUND = ("InvalidRegionId.NotFound", "The specified RegionId does not exist in our records.")
NOT_FOUND = ("InvalidRouterInterfaceId.NotFound", "The specified RouterInterfaceId does not exist in our record.")
NOT_FOUND_RECORDS = ("InvalidRouterInterfaceId.NotFound",
                     "The specified RouterInterfaceId does not exist in our records.")
INSTANCE_NOT_FOUND = ("InvalidInstanceId.NotFound", "The InstanceId provided does not exist in our records.")
ROUTER_NOT_FOUND = ("InvalidRouterId.NotFound", "The specified RouterId does not exist in our recored.")
ROLE = ("InvalidRole.ValueNotSupported", "The specified Role is not valid.")
SPEC = ("InvalidSpec.ValudNotSupported", "The specified Spec is not supported.")
ROUTER_TYPE = ("InvalidRouterType.ValueNotSupported", "The specified RouterType is not valid.")
OPPOSITE_ROUTER_TYPE_CREATE = ("InvalidRouterType.ValueNotSupported", "The specified RouterType is not valid")
DESCRIPTION_CREATE = ("InvalidDescription.Malformed", 'The specifid "Description" is not valid.')
NAME = ("InvalidName.Malformd", "The attribute name is illeagl.")
BILLS_CREATE = ("Forbidden.BillsOutstanding",
                "You cannot create more RouterInterface because you have bills outstanding.")
BILLS = ("Forbidden.BillsOutstanding", "You cannot use this action because you have bills outstanding.")
PER_ROUTER = ("LimitationExceed.InterfaceNumberOnRouter", "Total number of RouterInterfaces on a Router exceeded.")
AP_NOT_ALLOWED = ("InvalidAccessPoint.ValueNotAllowed",
                  "The non-vbr router interface cannot have access point configured.")
OPPOSITE_AP_NOT_ALLOWED = ("InvalidAccessPoint.ValueNotAllowed",
                           "The non-vbr opposite router interface cannot have opposite access point configured.")
AP_NOT_EXIST = ("InvalidAccessPoint.NotExist", "The accessPoint not exit")
OWNER = ("Forbbiden", "The Router instance owener error")
OPPOSITE = ("InvalidOpposite.NotFound", "The opposite not exit.")
LINK_ROLE = ("LinkRole.NotSupport", "This linkrole is not supported")
NOT_INITIATING = ("IncorrectRole.NotInitiatingSide", "The specified RouterInterface is not InitiatingSide.")
ONE_CONNECTION = ("Forbidden.OnlyOneConnection", "The Specified routers have a connection already")
CONCURRENT = ("Forbidden.OnlyOneConnection", "Cannot connect concurrently between same routers")
NOT_INACTIVE = ("IncorrectStatus", "RouterInterface can be operated by this action only when it's status is Inactive.")
NOT_ACTIVE = ("IncorrectStatus", "RouterInterface can be operated by this action only when it's status is Active.")
NOT_IDLE_OR_INACTIVE = ("IncorrectStatus",
                        "This openeration would be allowed only when status of this RouterInterface is Idle/Inactive.")
LOCKED = ("Forbidden.FinancileLocked", "This RouterInterface is financiel locked because of bills outstanding.")
STATUS_ERROR = ("InvalidInstance.StatusError", "The router instance owener error.")
OPPOSITE_ROUTER_TYPE = ("InvalidOppositeRouterType.ValueNotSupported",
                        "The specified OppositeRouterType is not valid.")
DESCRIPTION = ("InvalidDescription.Malformed", "The Description is illeagl.")
MODIFY_PARAM = ("InvalidParam.ModifyRouterInterface", "Modify routerinterface param invalide")
REFERRED = ("DependencyViolation.RouterInterfaceReferedByRouteEntry",
            "RouterInterface cannot be deleted when it is refered by a route table entry as next hop.")
FILTER_KEY = ("InvalidFilterKey.ValueNotSupported", "Specified filter key is not supported: Filter.X.key")
NOT_NULL = ("InvalidParam.NotNull", "The parameter must not be null.")
VPC_CONNECTED = ("DependencyViolation.RouteInterface", "Specified object has dependent route interface .")
VPC_DEPENDENCY = ("DependencyViolation.RouterInterface", "Specified object has dependent resources RouterInterface.")


def tea_api(client):
    """A Tea VPC client called like OldApi (wire parameter names, dict answers)."""
    return TeaApi(client, vpc_models)


def create_interface(api, router_id, role="InitiatingSide", spec="Small.1", opposite_region=REGION, **params):
    """CreateRouterInterface on a vRouter; returns the new id."""
    if role == "AcceptingSide" and spec == "Small.1":
        spec = "Negative"
    return api.CreateRouterInterface(RouterType="VRouter", RouterId=router_id, Role=role, Spec=spec,
                                     OppositeRegionId=opposite_region, **params)["RouterInterfaceId"]


def point(api, ri, opposite, opposite_router, region=REGION):
    """Names ``opposite`` (on ``opposite_router``) as the opposite of ``ri``."""
    api.ModifyRouterInterfaceAttribute(RegionId=region, RouterInterfaceId=ri, OppositeInterfaceId=opposite,
                                       OppositeRouterId=opposite_router, OppositeRouterType="VRouter")


def make_pair(api, settle=None, region2=REGION, spec="Small.1"):
    """Two VPCs (the second in ``region2``) and an Idle pair of interfaces naming each other: a
    namespace with vpc1, vrt1, table1, vpc2, vrt2, init, acc. ``settle`` runs after the VPCs are
    created (the delayed server's advance)."""
    v1 = api.CreateVpc(RegionId=REGION, CidrBlock="10.0.0.0/16")
    v2 = api.CreateVpc(RegionId=region2, CidrBlock="10.1.0.0/16")
    if settle:
        settle()
    init = create_interface(api, v1["VRouterId"], spec=spec, opposite_region=region2)
    acc = create_interface(api, v2["VRouterId"], role="AcceptingSide", opposite_region=REGION, RegionId=region2)
    point(api, init, acc, v2["VRouterId"])
    point(api, acc, init, v1["VRouterId"], region=region2)
    return SimpleNamespace(vpc1=v1["VpcId"], vrt1=v1["VRouterId"], table1=v1["RouteTableId"], vpc2=v2["VpcId"],
                           vrt2=v2["VRouterId"], init=init, acc=acc, region2=region2)


def describe(api, *filters, **params):
    """DescribeRouterInterfaces with Filter.N (each a (key, [values]) pair): the whole body."""
    if filters:
        items = [dict(Key=k, Value=list(v)) for k, v in filters]
        params["Filters" if isinstance(api, OldApi) else "Filter"] = items
    return api.DescribeRouterInterfaces(**params)


def items(api, *filters, **params):
    return describe(api, *filters, **params)["RouterInterfaceSet"]["RouterInterfaceType"]


def ids(api, *filters, **params):
    return sorted(i["RouterInterfaceId"] for i in items(api, *filters, PageSize=50, **params))


def interface(api, ri, region=REGION):
    """The DescribeRouterInterfaces item of one interface."""
    [item] = items(api, ("RouterInterfaceId", [ri]), RegionId=region)
    return item


def status(api, ri, region=REGION):
    return interface(api, ri, region)["Status"]
