"""Shared by the NAT gateway end-to-end tests (seed 004 chapter 16): the documented errors, a VPC with
a NAT gateway, EIPs bound to it, and the calls the SDKs no longer generate a class for (the NAT
bandwidth package actions) through the generic call of each SDK flavour.

Response shapes: the reference prints CreateNatGateway's table ids as flat lower-case arrays in its
example (``"forwardTableIds": ["ftb-..."]``, line ~23230) but names them ForwardTableIds / SnatTableIds /
BandwidthPackageIds in its response table (line ~23200); the table wins, in the shape both SDKs read
(``ForwardTableIds.ForwardTableId``, as DescribeNatGateways prints it)."""

from types import SimpleNamespace

import pytest
import requests

from eip_helpers import generic_call, is_tea
from helpers import create_security_group, create_vpc, create_vswitch, run_instance
from pc_helpers import VpcTeaApi

# --- errors (status, code, message) as the chapter's tables print them -----------------------------
# Every *.NotFound code is 404 (the project's gateway rule, spec/FORMAT.md) where a table prints 400.

REGION_NOT_FOUND = (404, "InvalidRegionId.NotFound", "The specified RegionId does not exist in our records.")
GW_NOT_FOUND = (404, "InvalidNatGatewayId.NotFound", "The specified NatGatewayId does not exist in our records.")
NATGW_NOT_EXIST = (404, "NATGW_NOT_EXIST", "The NatGateway not exist.")
SPEC = (400, "InvalidParameter.Spec.ValueNotSupported", "The specified Spec is not valid.")
SPEC_SAME = (400, "NATGW_MODIFY_SPEC_SAME", "The specified Spec is same with now.")
NAME = (400, "InvalidParameter.Name.Malformed", "The specified Name is not valid.")
DESCRIPTION = (400, "InvalidParameter.Description.Malformed", "The specified Description is not valid.")
HAS_PACKAGES = (400, "DependencyViolation.BandwidthPackages",
                "There are BandwidthPackages on specified NatGateway not deleted.")
VPC_HAS_NAT = (400, "DependencyViolation.NatGateway", "Specified object has dependent resources NatGateway.")
ISP = (400, "InvalidParameter.BandwidthPackage.n.ISP.ValueNotSupport",
       "The specified ISP of BandwidthPackage is not valid.")
ZONE_NOT_FOUND = (404, "InvalidZoneId.NotFound", "Specified value of ZoneId is not exists.")
IP_QUOTA = (400, "QuotaExceeded.BandwidthPackageIps", "The specified ipCount exceeded quota.")
PACKAGE_QUOTA = (400, "QuotaExceeded.BandwidthPackageCountOnNatGateway",
                 "BandwidthPackage count limit on one NatGateway exceeded.")
ONE_PACKAGE = (400, "MissingParameter.BandwidthPackage",
               "only support one BandwidthPackage be created with NatGateway.")

PACKAGE_NOT_FOUND = (404, "InvalidBandwidthPackageId.NotFound",
                     "The specified bandwidthPackageId does not exist in our records.")
LOCKED = (404, "BandwidthPackage.FinancialLocked", "The specified BandwidthPackage has been Financail Lock.")
BANDWIDTH = (404, "InvalidBandwidth.ValueNotSupported", "The specified value of Bandwidth not supported.")
IP_COUNT = (400, "InvalidIpCount.ValueNotSupported", "The specified value of IpCount not supported.")
REMOVE_ALL = (400, "InvalidIpCount.ValueNotSupported", "Can not remove all ips of the bandwidthPackage.")
NOT_IN_PACKAGE = (404, "invalidRemovedIpAddresses.NotFound",
                  "Some of the specified value of RemovedIpAddress not found in specified BandwidthPackage.")
NOT_NAT_IP = (404, "InvalidRemovedIpAddresses.NotFound", "Some of remove ip is not natPublicIp.")
IP_USED_BY_DNAT = (400, "DependencyViolation.ForwardEntry", "The ip has been used by ForwardEntry.")
IP_USED_BY_SNAT = (400, "DependencyViolation.SnatEntry", "The ip has been used by SnatEntry.")
PACKAGE_USED_BY_DNAT = (400, "DependencyViolation.ForwardEntry",
                        "The specified BandwidthPackageId has dependent resource.")
PACKAGE_USED_BY_SNAT = (400, "DependencyViolation.SnatEntry",
                        "The specified BandwidthPackageId has dependent resource.")

STB_NOT_FOUND = (404, "InvalidSnatTableId.NotFound", "Specified SNAT table does not exist.")
SNAT_IP_MALFORMED = (400, "InvalidSnatIp.Malformed", "The specified SnatIp is not a valid IP address.")
SNAT_IP_NOT_FOUND = (404, "InvalidSnatIp.NotFound", "The specified SnatIp is not found in the NAT Gateway.")
SNAT_IP_IN_DNAT = (400, "Forbidden.IpUsedInForwardTable", "The specified SnatIp already used in forward table.")
SNAT_IP_IN_DNAT_MODIFY = (400, "Forbidden.IpUsedInForwardTable", "The specified SnatIp already used in forward table")
SNAT_DUPLICATED = (400, "Forbidden.SourceVSwitchId.Duplicated", "The specified SourceCIDR is duplicated.")
SNAT_HAVIP = (400, "Forbidden.SourceVSwitchId.IncludeHaVip", "There is some HaVips under specified VSwitch")
SNAT_LIMIT = (400, "Forbidden.SnatEntryCountLimited", "SNAT entry in the specified SNAT table reaches its limit.")
SNAT_POOL = (400, "SNAT_IP_POOL_COUNT_TOO_MANY", "The Snat pool ip too many.")
SOURCE_CIDR_OUTSIDE = (400, "NOT_ALLOW_USE_SOURCECIDR",
                       "The User not in nat_scope_unlimited white list. Cannot use SourceCidr param.")
VSW_NOT_FOUND = (404, "InvalidVSwitchId.NotFound", "The specified virtual switch does not exist.")
SNAT_INVALID = (400, "INVALID_PARAMETER", "The parameter is invalid.")
SNAT_ECS_HAS_EIP = (400, "Forbidden", "The specified Instance already bind eip")
SNAT_ENTRY_NOT_FOUND = (404, "InvalidSnatEntryId.NotFound", "Specified SNAT entry does not exist.")

FTB_NOT_FOUND = (404, "InvalidForwardTableId.NotFound", "Specified forward table does not exist.")
FTB_NOT_FOUND_DESCRIBE = (404, "InvalidForwardTableId.NotFound", "Specified forwardTableId does not exist")
FWD_NOT_FOUND = (404, "InvalidForwardEntryId.NotFound", "Specified forward entry ID does not exist")
EXTERNAL_IP_MALFORMED = (400, "InvalidExternalIp.Malformed", "The specified ExternalIp is not a valid IP address.")
INTERNAL_IP_MALFORMED = (400, "InvalidInternalIp.Malformed", "The specified InternalIp is not a valid IP address.")
EXTERNAL_PORT = (400, "InvalidExternalPort.Malformed", "The specified ExternalPort is not a valid port.")
INTERNAL_PORT = (400, "InvalidInternalPort.Malformed", "The specified InternalPort is not a valid port.")
PROTOCOL = (400, "InvalidProtocal.ValueNotSupported", "The specified IpProtocol does not support.")
EXTERNAL_IP_NOT_FOUND = (404, "InvalidExternalIp.NotFound",
                         "Specified External Ip address does not found on the VRouter")
IP_NOT_IN_NATGW = (400, "InvalidIp.NotInNatgw", "The specified Ip not belong to natgateway.")
DNAT_IP_IN_SNAT = (400, "Forbidden.ExternalIp.UsedInSnatTable", "The specified ExternalIp is already used in SnatTable")
DNAT_ECS_HAS_EIP = (400, "Forbindden", "The specified Instance already bind eip")
FORWARD_QUOTA = (400, "QuotaExceeded", "Forward entry quota exceeded in this route table.")
ALREADY_BOUNDED = (400, "Forbidden.Already.Bounded", "The specified instance already bounded")
# CreateForwardEntry documents two codes for an InternalIp outside the VPC (line ~25800):
# Forbidden.DestnationIpOutOfVpcCIDR and Forbidden.InternalIpOutOfVpcCIDR, with one message.
INTERNAL_OUTSIDE_CREATE = {
    (400, "Forbidden.DestnationIpOutOfVpcCIDR", "The specified Internal Ip is Out of VPC CIDR."),
    (400, "Forbidden.InternalIpOutOfVpcCIDR", "The specified Internal Ip is Out of VPC CIDR."),
}
INTERNAL_OUTSIDE_MODIFY = (400, "Forbidden.DestnationIpOutOfVpcCIDR",
                           "The specified Destination Ip is Out of VPC CIDR.")
FORWARD_STATUS = (400, "IncorretForwardEntryStatus", "Some Forward entry status blocked this operation..")
SNAT_STATUS = (400, "IncorretSnatEntryStatus", "Some Snat entry status blocked this operation..")

EIP_STATUS_ASSOCIATE = (400, "IncorrectEipStatus", "Current elastic IP status does not support this operation")
INSTAN_NOT_FOUND = (404, "InvalidInstanId.NotFound", "Specified instance does not exist.")

VPC_CIDR = "192.168.0.0/16"
VSW_CIDR = "192.168.1.0/24"
VSW2_CIDR = "192.168.2.0/24"


def required(name):
    """(status, code, message) for a required parameter left out where the action's table has no
    MissingParameter row: the gateway's own Missing<Name> answer (crates/api/src/error.rs)."""
    return 400, f"Missing{name}", f"{name} is mandatory for this action."


@pytest.fixture(params=["old", "tea"])
def api(request, old, tea):
    """The VPC calls through the old core request classes or the Tea client (V3)."""
    return old if request.param == "old" else VpcTeaApi(tea)


@pytest.fixture
def gw(api, old):
    """A NAT gateway (new_gateway) with an EIP bound to it: gw.allocation, gw.ip."""
    g = new_gateway(api, old)
    g.allocation, g.ip = bind_eip(api, g.id)
    return g


def instance_in(ecs_old, g):
    """A running instance in the gateway's vSwitch: (instance id, private IP)."""
    net = SimpleNamespace(vpc_id=g.vpc_id, vswitch_id=g.vswitch_id,
                          security_group_id=create_security_group(ecs_old, g.vpc_id))
    instance = run_instance(ecs_old, net)
    attributes = ecs_old.DescribeInstanceAttribute(InstanceId=instance)
    return instance, attributes["VpcAttributes"]["PrivateIpAddress"]["IpAddress"][0]


def set_quota(emulator, **values):
    requests.post(f"{emulator.url}/_emulator/quotas", json=values, timeout=5).raise_for_status()


# --- NAT gateways -----------------------------------------------------------------------------------


def flat(params):
    """BandwidthPackage=[{...}] (and any list of objects) as wire names: BandwidthPackage.1.Bandwidth=..."""
    out = {}
    for name, value in params.items():
        if isinstance(value, list):
            for n, item in enumerate(value, 1):
                for field, v in item.items():
                    out[f"{name}.{n}.{field}"] = v
        else:
            out[name] = value
    return out


def create_gateway(api, vpc_id, packages=None, **params):
    """CreateNatGateway; returns the response body. With ``packages`` (a list of dicts: Bandwidth,
    IpCount, ISP, Zone) the inline BandwidthPackage.N: the old core class takes them as query
    parameters, the Tea model no longer has them, so the Tea flavour goes through its generic call."""
    if packages is None:
        return api.CreateNatGateway(VpcId=vpc_id, **params)
    wire = flat(dict(params, BandwidthPackage=packages))
    if is_tea(api):
        return generic_call(api, "CreateNatGateway", VpcId=vpc_id, **wire)
    return api.CreateNatGateway(VpcId=vpc_id, **wire)


def table_ids(body, kind):
    """ForwardTableIds.ForwardTableId (kind "ForwardTable"), SnatTableIds.SnatTableId, BandwidthPackageIds..."""
    return list((body.get(f"{kind}Ids") or {}).get(f"{kind}Id") or [])


def gateway_ns(api, vpc_id, vswitch_id, body):
    [ftb] = table_ids(body, "ForwardTable")
    [stb] = table_ids(body, "SnatTable")
    return SimpleNamespace(vpc_id=vpc_id, vswitch_id=vswitch_id, id=body["NatGatewayId"], ftb=ftb, stb=stb)


def network(old, cidr=VPC_CIDR, vswitch_cidr=VSW_CIDR, region=None):
    extra = {"RegionId": region} if region else {}
    vpc_id = create_vpc(old, cidr, **extra)["VpcId"]
    vsw = create_vswitch(old, vpc_id, vswitch_cidr, **extra) if vswitch_cidr else None
    return vpc_id, vsw


def new_gateway(api, old, **params):
    """A VPC 192.168.0.0/16 with a vSwitch 192.168.1.0/24 and a NAT gateway (ids as a namespace:
    vpc_id, vswitch_id, id, ftb, stb)."""
    vpc_id, vsw = network(old)
    return gateway_ns(api, vpc_id, vsw, create_gateway(api, vpc_id, **params))


def other_gateway(api, old):
    """A second VPC (10.0.0.0/8, vSwitch 10.0.1.0/24) with a NAT gateway."""
    vpc_id, vsw = network(old, "10.0.0.0/8", "10.0.1.0/24")
    return gateway_ns(api, vpc_id, vsw, create_gateway(api, vpc_id))


def gateways(api, **params):
    return api.DescribeNatGateways(**params)["NatGateways"]["NatGateway"]


def gateway(api, gw_id):
    [item] = gateways(api, NatGatewayId=gw_id)
    return item


def gateway_ips(api, gw_id):
    """IpLists.IpList of the gateway as {IpAddress: UsingStatus}."""
    items = (gateway(api, gw_id).get("IpLists") or {}).get("IpList") or []
    return {ip["IpAddress"]: ip.get("UsingStatus") for ip in items}


# --- EIPs on a gateway --------------------------------------------------------------------------------


def bind_eip(api, gw_id, **params):
    """Allocates an EIP and associates it with the NAT gateway; returns (allocation id, address)."""
    out = api.AllocateEipAddress(**params)
    api.AssociateEipAddress(AllocationId=out["AllocationId"], InstanceId=gw_id, InstanceType="Nat")
    return out["AllocationId"], out["EipAddress"]


def eip_item(api, allocation_id):
    [item] = api.DescribeEipAddresses(AllocationId=allocation_id)["EipAddresses"]["EipAddress"]
    return item


# --- NAT bandwidth packages (no SDK class: generic calls) ------------------------------------------


def call(api, action, **params):
    """An action through the generic call of either flavour (CommonRequest / call_api V3)."""
    return generic_call(api, action, **{k: v for k, v in params.items() if v is not None})


def create_package(api, gw_id, bandwidth=5, ip_count=2, **params):
    """CreateBandwidthPackage; returns the new id."""
    return call(api, "CreateBandwidthPackage", NatGatewayId=gw_id, Bandwidth=bandwidth, IpCount=ip_count,
                **params)["BandwidthPackageId"]


def packages(api, **params):
    return call(api, "DescribeBandwidthPackages", **params)["BandwidthPackages"]["BandwidthPackage"]


def package(api, package_id):
    [item] = packages(api, BandwidthPackageId=package_id)
    return item


def package_ips(api, package_id):
    """PublicIpAddresses.PublicIpAddresse as {IpAddress: UsingStatus}."""
    items = (package(api, package_id).get("PublicIpAddresses") or {}).get("PublicIpAddresse") or []
    return {ip["IpAddress"]: ip.get("UsingStatus") for ip in items}


def remove_ips(api, package_id, *addresses):
    return call(api, "RemoveBandwidthPackageIps", BandwidthPackageId=package_id,
                **{f"RemovedIpAddresses.{n}": ip for n, ip in enumerate(addresses, 1)})


# --- entries ------------------------------------------------------------------------------------------


def snat(api, stb, snat_ip, **params):
    """CreateSnatEntry; returns the new SnatEntryId."""
    return api.CreateSnatEntry(SnatTableId=stb, SnatIp=snat_ip, **params)["SnatEntryId"]


def snat_entries(api, stb, **params):
    return api.DescribeSnatTableEntries(SnatTableId=stb, **params)["SnatTableEntries"]["SnatTableEntry"]


def dnat(api, ftb, external_ip, internal_ip, external_port="80", internal_port="80", protocol="TCP", **params):
    """CreateForwardEntry; returns the new ForwardEntryId."""
    return api.CreateForwardEntry(ForwardTableId=ftb, ExternalIp=external_ip, ExternalPort=external_port,
                                  InternalIp=internal_ip, InternalPort=internal_port, IpProtocol=protocol,
                                  **params)["ForwardEntryId"]


def forward_entries(api, ftb, **params):
    return api.DescribeForwardTableEntries(ForwardTableId=ftb, **params)["ForwardTableEntries"]["ForwardTableEntry"]

