"""VPN gateways, customer gateways, IPsec connections, VPN routes and SSL-VPN (seed 004 chapter 15)
through both SDK flavours: the old core request classes (aliyunsdkvpc) and the Tea client
(alibabacloud_vpc20160428), every lifecycle and every documented error the model produces.
Codes the reference leaves out (dependencies, disabled features, route keys) are the emulator's
choice, listed in spec/patches/vpc-2016-04-28.d/vpn.json and docs/vpn.md."""

import ipaddress
import json

import pytest
import requests
from alibabacloud_vpc20160428 import models as vpc_models

from helpers import OldApi, TeaApi, assert_error, create_vpc, create_vswitch, make_acs, make_tea, system_table

GW_NOT_FOUND = ("InvalidVpnGatewayInstanceId.NotFound", "The specified vpn gateway instance id does not exist.")
CGW_NOT_FOUND = ("InvalidCustomerGatewayInstanceId.NotFound",
                 "The specified customer gateway instance id does not exist.")
VCO_NOT_FOUND = ("InvalidVpnConnectionInstanceId.NotFound", "The specified vpn connection instance id does not exist.")
CONFIGURING = ("VpnGateway.Configuring", "The specified service is configuring.")
LOCKED = ("VpnGateway.FinancialLocked", "The specified service is financial locked.")
QUOTA = ("Resource.QuotaFull", "The quota of resource is full.")
QUOTA_ = ("Resource.QuotaFull", "The quota of resource is full")
INVALID_NAME = ("InvalidName", "The name is not valid")
INVALID_DESCRIPTION = ("InvalidDescription", "The description is not valid")
IP_EXISTS = ("InvalidIpAddress.AlreadyExist", "Specified IpAddress is already exist.")
IP_FORMAT = ("InvalidIpAddress.WrongFormat", "Specified IpAddress is invalid.")
VCO_EXISTS = ("InvalidVpnConnection.AlreadyExists", "Vpn connection already exists.")
FORBIDDEN_RELEASE = ("ForbiddenRelease", "Forbidden to release a prepaid instance within validity period")
VPN_ADDRESSES = [ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24")]
DAY = 24 * 3600


@pytest.fixture(params=["old", "tea"])
def api(request, emulator):
    """The same calls through the old core request classes and through the Tea client."""
    if request.param == "old":
        return OldApi(make_acs(emulator.endpoint), emulator.endpoint)
    return TeaApi(make_tea(emulator.endpoint), models=vpc_models)


@pytest.fixture
def net(old):
    vpc = create_vpc(old, "10.0.0.0/16")["VpcId"]
    create_vswitch(old, vpc, "10.0.1.0/24")
    return vpc


def set_quota(emulator, **values):
    requests.post(f"{emulator.url}/_emulator/quotas", json=values, timeout=5).raise_for_status()


def gateway(api, vpc, **params):
    params.setdefault("Bandwidth", 10)
    return api.CreateVpnGateway(VpcId=vpc, **params)["VpnGatewayId"]


def connection(api, gw, cgw, **params):
    params.setdefault("LocalSubnet", "10.0.0.0/16")
    params.setdefault("RemoteSubnet", "192.168.0.0/16")
    return api.CreateVpnConnection(VpnGatewayId=gw, CustomerGatewayId=cgw, **params)["VpnConnectionId"]


def err(call, status, pair):
    assert_error(call, status, pair[0], pair[1])


# --- VPN gateways ------------------------------------------------------------------------------


def test_vpn_gateway_lifecycle(api, net, old):
    gw = gateway(api, net, EnableSsl=True, SslConnections=10, Name="gw-one")
    d = api.DescribeVpnGateway(VpnGatewayId=gw)
    assert d["VpnGatewayId"] == gw and d["VpcId"] == net and d["VSwitchId"].startswith("vsw-")
    assert d["Spec"] == "10M" and d["Status"] == "active" and d["BusinessStatus"] == "Normal"
    assert d["IpsecVpn"] == "enable" and d["SslVpn"] == "enable" and d["SslMaxConnections"] == 10
    assert d["ChargeType"] == "PayByTraffic" and d["Name"] == "gw-one"
    assert any(ipaddress.ip_address(d["InternetIp"]) in n for n in VPN_ADDRESSES)
    listed = api.DescribeVpnGateways(VpcId=net)
    assert listed["TotalCount"] == 1 and listed["VpnGateways"]["VpnGateway"][0]["VpnGatewayId"] == gw
    assert api.DescribeVpnGateways(Status="init")["TotalCount"] == 0
    m = api.ModifyVpnGatewayAttribute(VpnGatewayId=gw, Name="renamed", Description="The office link")
    assert m["Name"] == "renamed" and m["Description"] == "The office link" and m["Spec"] == "10M"
    err(lambda: api.ModifyVpnGatewayAttribute(VpnGatewayId=gw, Name="9lives"), 400, INVALID_NAME)
    err(lambda: api.ModifyVpnGatewayAttribute(VpnGatewayId=gw, Description="http://x"), 400, INVALID_DESCRIPTION)
    err(lambda: api.CreateVpnGateway(VpcId=net, Bandwidth=5), 400, QUOTA)
    err(lambda: old.DeleteVpc(VpcId=net), 400, ("DependencyViolation.Tunnel", "Specified object has dependent tunnel."))
    api.DeleteVpnGateway(VpnGatewayId=gw)
    err(lambda: api.DescribeVpnGateway(VpnGatewayId=gw), 404, GW_NOT_FOUND)
    err(lambda: api.DeleteVpnGateway(VpnGatewayId=gw), 404, GW_NOT_FOUND)
    err(lambda: api.ModifyVpnGatewayAttribute(VpnGatewayId=gw, Name="x1"), 404, GW_NOT_FOUND)


def test_vpn_gateway_parameters(api, net):
    assert_error(lambda: api.CreateVpnGateway(VpcId=net, Bandwidth=15), 400, "InvalidParameter")
    assert_error(lambda: api.CreateVpnGateway(VpcId=net, Bandwidth=5, Name="x"), 400, *INVALID_NAME)
    assert_error(lambda: api.CreateVpnGateway(VpcId=net, Bandwidth=5, Name="a" * 101), 400, *INVALID_NAME)
    assert_error(lambda: api.CreateVpnGateway(VpcId="vpc-missing", Bandwidth=5), 404, "InvalidVpcId.NotFound")
    assert_error(lambda: api.CreateVpnGateway(VpcId=net, Bandwidth=5, InstanceChargeType="PREPAY"), 400,
                 "MissingPeriod", "Period is mandatory for this action.")
    assert_error(lambda: api.CreateVpnGateway(VpcId=net, Bandwidth=5, InstanceChargeType="PREPAY", Period=10), 400,
                 "InvalidParameter")
    gw = gateway(api, net, EnableIpsec=False, Bandwidth=100)
    d = api.DescribeVpnGateway(VpnGatewayId=gw)
    assert d["Spec"] == "100M" and d["IpsecVpn"] == "disable" and d["SslVpn"] == "disable"
    assert d["Name"] == gw


def test_subscription_gateway_is_ordered_and_kept_until_expiry(api, net, emulator):
    created = api.CreateVpnGateway(VpcId=net, Bandwidth=5, InstanceChargeType="PREPAY", Period=1)
    gw, order = created["VpnGatewayId"], str(created["OrderId"])
    assert api.DescribeVpnGateway(VpnGatewayId=gw)["Status"] == "init"
    assert emulator.pay_order(order).status_code == 200
    d = api.DescribeVpnGateway(VpnGatewayId=gw)
    assert d["Status"] == "active" and d["ChargeType"] == "Prepay"
    assert d["EndTime"] > d["CreateTime"]
    err(lambda: api.DeleteVpnGateway(VpnGatewayId=gw), 403, FORBIDDEN_RELEASE)
    emulator.advance(31 * DAY)
    api.DeleteVpnGateway(VpnGatewayId=gw)
    emulator.set_billing(balance=1)
    assert_error(lambda: api.CreateVpnGateway(VpcId=net, Bandwidth=5, InstanceChargeType="PREPAY", Period=1,
                                              AutoPay=True), 403, "InvalidAccountStatus.NotEnoughBalance")


def test_vpn_gateway_configuring_and_financial_lock(delayed):
    api = OldApi(make_acs(delayed.endpoint), delayed.endpoint)
    vpc = create_vpc(api, "10.0.0.0/16")["VpcId"]
    delayed.advance(10)
    gw = gateway(api, vpc)
    assert api.DescribeVpnGateway(VpnGatewayId=gw)["Status"] == "provisioning"
    cgw = api.CreateCustomerGateway(IpAddress="8.8.8.8")["CustomerGatewayId"]
    err(lambda: connection(api, gw, cgw), 400, CONFIGURING)
    err(lambda: api.DeleteVpnGateway(VpnGatewayId=gw), 400, CONFIGURING)
    delayed.advance(10)
    vco = connection(api, gw, cgw)
    assert api.DescribeVpnGateway(VpnGatewayId=gw)["Status"] == "updating"
    err(lambda: api.DeleteVpnConnection(VpnConnectionId=vco), 400, CONFIGURING)
    err(lambda: api.ModifyVpnConnectionAttribute(VpnConnectionId=vco, Name="x1"), 400, CONFIGURING)
    delayed.advance(10)
    delayed.set_billing(overdue=True)
    assert api.DescribeVpnGateway(VpnGatewayId=gw)["BusinessStatus"] == "FinancialLocked"
    err(lambda: api.ModifyVpnConnectionAttribute(VpnConnectionId=vco, Name="x1"), 400, LOCKED)
    api.DeleteVpnConnection(VpnConnectionId=vco)


# --- customer gateways -------------------------------------------------------------------------


def test_customer_gateway_lifecycle(api, emulator):
    created = api.CreateCustomerGateway(IpAddress="8.8.8.8", Name="office", Description="Head office")
    cgw = created["CustomerGatewayId"]
    assert cgw.startswith("cgw-") and created["IpAddress"] == "8.8.8.8" and created["CreateTime"] > 0
    d = api.DescribeCustomerGateway(CustomerGatewayId=cgw)
    assert (d["Name"], d["Description"], d["IpAddress"]) == ("office", "Head office", "8.8.8.8")
    err(lambda: api.CreateCustomerGateway(IpAddress="8.8.8.8"), 400, IP_EXISTS)
    for bad in ["10.1.1.1", "192.168.0.1", "127.0.0.1", "0.0.0.0", "224.0.0.5", "1.2.3", "host.example"]:
        err(lambda: api.CreateCustomerGateway(IpAddress=bad), 400, IP_FORMAT)
    err(lambda: api.CreateCustomerGateway(IpAddress="8.8.4.4", Name="_x"), 400, INVALID_NAME)
    err(lambda: api.CreateCustomerGateway(IpAddress="8.8.4.4", Description="x"), 400, INVALID_DESCRIPTION)
    m = api.ModifyCustomerGatewayAttribute(CustomerGatewayId=cgw, Name="branch", Description="Branch office")
    assert (m["Name"], m["Description"], m["IpAddress"]) == ("branch", "Branch office", "8.8.8.8")
    err(lambda: api.ModifyCustomerGatewayAttribute(CustomerGatewayId=cgw, Name="1x"), 400, INVALID_NAME)
    err(lambda: api.ModifyCustomerGatewayAttribute(CustomerGatewayId=cgw, Description="1"), 400, INVALID_DESCRIPTION)
    api.CreateCustomerGateway(IpAddress="8.8.4.4")
    page = api.DescribeCustomerGateways(PageSize=1, PageNumber=2)
    assert page["TotalCount"] == 2 and len(page["CustomerGateways"]["CustomerGateway"]) == 1
    assert api.DescribeCustomerGateways(CustomerGatewayId=cgw)["CustomerGateways"]["CustomerGateway"][0]["Name"] == "branch"
    set_quota(emulator, customer_gateways_per_region=2)
    err(lambda: api.CreateCustomerGateway(IpAddress="1.1.1.1"), 400, QUOTA_)
    api.DeleteCustomerGateway(CustomerGatewayId=cgw)
    for call in (lambda: api.DescribeCustomerGateway(CustomerGatewayId=cgw),
                 lambda: api.DeleteCustomerGateway(CustomerGatewayId=cgw),
                 lambda: api.ModifyCustomerGatewayAttribute(CustomerGatewayId=cgw, Name="abc")):
        err(call, 404, CGW_NOT_FOUND)


# --- IPsec connections -------------------------------------------------------------------------


def test_ipsec_connection_lifecycle(api, net):
    gw = gateway(api, net)
    gw_ip = api.DescribeVpnGateway(VpnGatewayId=gw)["InternetIp"]
    cgw = api.CreateCustomerGateway(IpAddress="8.8.8.8")["CustomerGatewayId"]
    created = api.CreateVpnConnection(VpnGatewayId=gw, CustomerGatewayId=cgw, LocalSubnet="10.0.0.0/16,10.1.0.0/16",
                                      RemoteSubnet="192.168.0.0/16", Name="to-office",
                                      IkeConfig=json.dumps({"IkeVersion": "ikev2", "Psk": "s3cret",
                                                            "IkeLifetime": 3600}),
                                      IpsecConfig=json.dumps({"IpsecEncAlg": "aes256"}))
    vco = created["VpnConnectionId"]
    assert created["Name"] == "to-office" and created["CreateTime"] > 0
    d = api.DescribeVpnConnection(VpnConnectionId=vco)
    assert d["LocalSubnet"] == "10.0.0.0/16,10.1.0.0/16" and d["RemoteSubnet"] == "192.168.0.0/16"
    assert d["Status"] == "ike_sa_not_established" and d["EffectImmediately"] is False
    ike, ipsec = d["IkeConfig"], d["IpsecConfig"]
    assert (ike["IkeVersion"], ike["Psk"], ike["IkeLifetime"]) == ("ikev2", "s3cret", 3600)
    assert (ike["IkeMode"], ike["IkeEncAlg"], ike["IkeAuthAlg"], ike["IkePfs"]) == ("main", "aes", "sha1", "group2")
    assert (ike["LocalId"], ike["RemoteId"]) == (gw_ip, "8.8.8.8")
    assert ipsec == {"IpsecEncAlg": "aes256", "IpsecAuthAlg": "sha1", "IpsecPfs": "group2", "IpsecLifetime": 86400}
    err(lambda: connection(api, gw, cgw), 400, VCO_EXISTS)
    m = api.ModifyVpnConnectionAttribute(VpnConnectionId=vco, EffectImmediately=True, Name="renamed",
                                         RemoteSubnet="192.168.1.0/24",
                                         IkeConfig=json.dumps({"IkeMode": "aggressive", "LocalIdIPsec": "gw.example"}))
    assert m["Name"] == "renamed" and m["RemoteSubnet"] == "192.168.1.0/24" and m["EffectImmediately"] is True
    assert m["IkeConfig"]["IkeMode"] == "aggressive" and m["IkeConfig"]["LocalId"] == "gw.example"
    assert m["IkeConfig"]["Psk"] == "s3cret" and m["IkeConfig"]["IkeVersion"] == "ikev1"
    listed = api.DescribeVpnConnections(VpnGatewayId=gw, CustomerGatewayId=cgw)
    assert listed["TotalCount"] == 1
    assert listed["VpnConnections"]["VpnConnection"][0]["Status"] == "ipsec_sa_established"
    cfg = api.DownloadVpnConnectionConfig(VpnConnectionId=vco)["VpnConnectionConfig"]
    assert (cfg["Local"], cfg["Remote"]) == (gw_ip, "8.8.8.8")
    assert (cfg["LocalSubnet"], cfg["RemoteSubnet"]) == ("10.0.0.0/16,10.1.0.0/16", "192.168.1.0/24")
    assert cfg["IkeConfig"]["Psk"] == "s3cret" and cfg["IpsecConfig"]["IpsecEncAlg"] == "aes256"
    err(lambda: api.DeleteCustomerGateway(CustomerGatewayId=cgw), 400,
        ("DependencyViolation.VpnConnection", "The specified customer gateway is used by IPsec connections."))
    err(lambda: api.DeleteVpnGateway(VpnGatewayId=gw), 400,
        ("DependencyViolation.VpnConnection", "The specified vpn gateway has IPsec connections."))
    api.DeleteVpnConnection(VpnConnectionId=vco)
    for call in (lambda: api.DescribeVpnConnection(VpnConnectionId=vco),
                 lambda: api.DeleteVpnConnection(VpnConnectionId=vco),
                 lambda: api.ModifyVpnConnectionAttribute(VpnConnectionId=vco, Name="abc"),
                 lambda: api.DownloadVpnConnectionConfig(VpnConnectionId=vco)):
        err(call, 404, VCO_NOT_FOUND)
    api.DeleteCustomerGateway(CustomerGatewayId=cgw)
    api.DeleteVpnGateway(VpnGatewayId=gw)


def test_ipsec_connection_errors(api, net, emulator):
    gw = gateway(api, net)
    cgw = api.CreateCustomerGateway(IpAddress="8.8.8.8")["CustomerGatewayId"]
    err(lambda: connection(api, "vpn-missing", cgw), 404, GW_NOT_FOUND)
    err(lambda: connection(api, gw, "cgw-missing"), 404, CGW_NOT_FOUND)
    err(lambda: connection(api, gw, cgw, Name="1x"), 400, INVALID_NAME)
    for param, bad in [("IkeConfig", "{not json"), ("IkeConfig", '{"IkeEncAlg": "aes512"}'),
                       ("IkeConfig", '{"IkeLifetime": 90000}'), ("IkeConfig", '{"Psk": "' + "p" * 101 + '"}'),
                       ("IpsecConfig", '{"IpsecPfs": "group3"}'), ("IpsecConfig", '"aes"'),
                       ("LocalSubnet", "10.0.0.0/8,not-a-cidr")]:
        assert_error(lambda: connection(api, gw, cgw, **{param: bad}), 400, "InvalidParameter")
    set_quota(emulator, ipsec_connections_per_vpn_gateway=1)
    connection(api, gw, cgw)
    other = api.CreateCustomerGateway(IpAddress="8.8.4.4")["CustomerGatewayId"]
    err(lambda: connection(api, gw, other), 400, QUOTA_)
    vpc2 = create_vpc(api, "172.16.0.0/16")["VpcId"]
    no_ipsec = gateway(api, vpc2, EnableIpsec=False)
    err(lambda: connection(api, no_ipsec, other), 400,
        ("VpnGateway.IpsecVpnDisabled", "The IPsec-VPN function of the specified vpn gateway is disabled."))


# --- VPN routes --------------------------------------------------------------------------------


def vpc_routes(old, vpc, gw):
    table = system_table(old, vpc)["RouteTableId"]
    entries = old.DescribeRouteEntryList(RouteTableId=table)["RouteEntrys"]["RouteEntry"]
    return sorted(e["DestinationCidrBlock"] for e in entries
                  if e["NextHops"]["NextHop"] and e["NextHops"]["NextHop"][0]["NextHopId"] == gw)


def test_vpn_routes_published_to_the_vpc(api, net, old, emulator):
    gw = gateway(api, net)
    cgw = api.CreateCustomerGateway(IpAddress="8.8.8.8")["CustomerGatewayId"]
    vco = connection(api, gw, cgw)
    dbr = dict(VpnGatewayId=gw, NextHop=vco)
    created = api.CreateVpnRouteEntry(RouteDest="192.168.10.0/24", Weight=100, PublishVpc=False, OverlayMode="Ipsec", **dbr)
    assert (created["RouteDest"], created["NextHop"], created["Weight"]) == ("192.168.10.0/24", vco, 100)
    assert (created["State"], created["VpnInstanceId"], created["OverlayMode"]) == ("normal", gw, "Ipsec")
    err(lambda: api.CreateVpnRouteEntry(RouteDest="192.168.10.0/24", Weight=100, PublishVpc=False, **dbr), 400,
        ("InvalidVpnRouteEntry.AlreadyExists", "The specified vpn route entry already exists."))
    assert_error(lambda: api.CreateVpnRouteEntry(RouteDest="192.168.11.0/24", Weight=50, PublishVpc=False, **dbr), 400,
                 "InvalidParameter")
    err(lambda: api.CreateVpnRouteEntry(RouteDest="192.168.11.1/24", Weight=0, PublishVpc=False, **dbr), 400,
        ("InvalidRouteDest.Malformed", "The specified RouteDest is not valid."))
    err(lambda: api.CreateVpnRouteEntry(RouteDest="192.168.11.0/24", Weight=0, PublishVpc=False, VpnGatewayId=gw,
                                        NextHop="vco-missing"), 404,
        ("InvalidNextHop.NotFound", "The specified next hop is not an IPsec connection of the vpn gateway."))
    err(lambda: api.CreateVpnRouteEntry(RouteDest="192.168.11.0/24", Weight=0, PublishVpc=False,
                                        VpnGatewayId="vpn-missing", NextHop=vco), 404, GW_NOT_FOUND)
    assert vpc_routes(old, net, gw) == []
    api.PublishVpnRouteEntry(RouteDest="192.168.10.0/24", RouteType="dbr", PublishVpc=True, **dbr)
    assert vpc_routes(old, net, gw) == ["192.168.10.0/24"]
    entries = api.DescribeVpnRouteEntries(VpnGatewayId=gw)
    assert entries["TotalCount"] == 1 and entries["VpnRouteEntries"]["VpnRouteEntry"][0]["State"] == "published"
    api.PublishVpnRouteEntry(RouteDest="192.168.10.0/24", RouteType="dbr", PublishVpc=False, **dbr)
    assert vpc_routes(old, net, gw) == []
    api.CreateVpnRouteEntry(RouteDest="172.30.0.0/16", Weight=0, PublishVpc=True, **dbr)
    assert vpc_routes(old, net, gw) == ["172.30.0.0/16"]
    pbr = dict(RouteSource="10.0.1.0/24", RouteDest="192.168.20.0/24", **dbr)
    api.CreateVpnPbrRouteEntry(Weight=0, PublishVpc=False, **pbr)
    missing = ("InvalidVpnRouteEntry.NotFound", "The specified vpn route entry does not exist.")
    err(lambda: api.ModifyVpnPbrRouteEntryWeight(Weight=100, NewWeight=0, **pbr), 404, missing)
    api.ModifyVpnPbrRouteEntryWeight(Weight=0, NewWeight=100, **pbr)
    page = api.DescribeVpnRouteEntries(VpnGatewayId=gw, PageSize=2, PageNumber=2)
    assert page["TotalCount"] == 3 and len(page["VpnRouteEntries"]["VpnRouteEntry"]) == 1
    err(lambda: api.DeleteVpnPbrRouteEntry(Weight=0, **pbr), 404, missing)
    api.DeleteVpnPbrRouteEntry(Weight=100, **pbr)
    api.DeleteVpnRouteEntry(RouteDest="172.30.0.0/16", Weight=0, **dbr)
    assert vpc_routes(old, net, gw) == []
    err(lambda: api.DeleteVpnRouteEntry(RouteDest="172.30.0.0/16", Weight=0, **dbr), 404, missing)
    set_quota(emulator, vpn_routes_per_vpn_gateway=1)
    err(lambda: api.CreateVpnRouteEntry(RouteDest="192.168.30.0/24", Weight=0, PublishVpc=False, **dbr), 400, QUOTA)
    err(lambda: api.CreateVpnPbrRouteEntry(RouteSource="10.0.2.0/24", RouteDest="192.168.31.0/24", Weight=0,
                                           PublishVpc=False, **dbr), 400, QUOTA)
    # The connection's deletion takes its routes with it.
    api.DeleteVpnConnection(VpnConnectionId=vco)
    assert api.DescribeVpnRouteEntries(VpnGatewayId=gw)["TotalCount"] == 0


def test_vpn_routes_refused_while_configuring(delayed):
    api = OldApi(make_acs(delayed.endpoint), delayed.endpoint)
    vpc = create_vpc(api, "10.0.0.0/16")["VpcId"]
    delayed.advance(10)
    gw = gateway(api, vpc)
    delayed.advance(10)
    cgw = api.CreateCustomerGateway(IpAddress="8.8.8.8")["CustomerGatewayId"]
    vco = connection(api, gw, cgw)
    params = dict(VpnGatewayId=gw, NextHop=vco, RouteDest="192.168.0.0/24", Weight=0)
    err(lambda: api.CreateVpnRouteEntry(PublishVpc=False, **params), 400, CONFIGURING)
    delayed.advance(10)
    api.CreateVpnRouteEntry(PublishVpc=False, **params)
    err(lambda: api.PublishVpnRouteEntry(VpnGatewayId=gw, NextHop=vco, RouteDest="192.168.0.0/24", RouteType="dbr",
                                         PublishVpc=True), 400, CONFIGURING)
    delayed.advance(10)
    delayed.set_billing(overdue=True)
    err(lambda: api.DeleteVpnRouteEntry(**params), 400, LOCKED)


# --- SSL-VPN -----------------------------------------------------------------------------------


def test_ssl_vpn_server_and_client_certificates(api, net, emulator):
    plain = gateway(api, net)
    server = dict(ClientIpPool="192.168.100.0/24", LocalSubnet="10.0.0.0/16")
    err(lambda: api.CreateSslVpnServer(VpnGatewayId=plain, **server), 400,
        ("VpnGateway.SslVpnDisabled", "The SSL-VPN function of the specified vpn gateway is disabled."))
    api.DeleteVpnGateway(VpnGatewayId=plain)
    gw = gateway(api, net, EnableSsl=True, SslConnections=20)
    err(lambda: api.CreateSslVpnServer(VpnGatewayId="vpn-missing", **server), 404, GW_NOT_FOUND)
    err(lambda: api.CreateSslVpnServer(VpnGatewayId=gw, ClientIpPool="10.0.8.0/24", LocalSubnet="10.0.0.0/16"), 400,
        ("InvalidParameter.ClientIpPoolConflict", "The ClientIpPool conflicts with the LocalSubnet."))
    err(lambda: api.CreateSslVpnServer(VpnGatewayId=gw, ClientIpPool="192.168.100.7/24", LocalSubnet="10.0.0.0/16"),
        400, ("InvalidParameter.ClientIpPool", "The specified ClientIpPool is invalid."))
    for port in (22, 443, 4500):
        err(lambda: api.CreateSslVpnServer(VpnGatewayId=gw, Port=port, **server), 400,
            ("InvalidParameter.Port", "The specified port cannot be used."))
    assert_error(lambda: api.CreateSslVpnServer(VpnGatewayId=gw, Proto="SCTP", **server), 400, "InvalidParameter")
    err(lambda: api.CreateSslVpnServer(VpnGatewayId=gw, Name="1x", **server), 400, INVALID_NAME)
    created = api.CreateSslVpnServer(VpnGatewayId=gw, Name="remote-staff", **server)
    vss = created["SslVpnServerId"]
    assert created["Name"] == "remote-staff"
    err(lambda: api.CreateSslVpnServer(VpnGatewayId=gw, **server), 400, QUOTA_)
    [s] = api.DescribeSslVpnServers(VpnGatewayId=gw)["SslVpnServers"]["SslVpnServer"]
    assert (s["Cipher"], s["Proto"], s["Port"], s["Compress"]) == ("AES-128-CBC", "UDP", 1194, False)
    assert (s["Connections"], s["MaxConnections"], s["LocalSubnet"]) == (0, 20, "10.0.0.0/16")
    assert s["InternetIp"] == api.DescribeVpnGateway(VpnGatewayId=gw)["InternetIp"]
    m = api.ModifySslVpnServer(SslVpnServerId=vss, ClientIpPool="192.168.200.0/24", Cipher="AES-256-CBC",
                               Proto="TCP", Port=1195, Compress=True)
    assert (m["ClientIpPool"], m["Cipher"], m["Proto"], m["Port"], m["Compress"]) == \
        ("192.168.200.0/24", "AES-256-CBC", "TCP", 1195, True)
    err(lambda: api.ModifySslVpnServer(SslVpnServerId=vss, ClientIpPool="10.0.0.0/24"), 400,
        ("InvalidParameter.ClientIpPoolConflict", "The ClientIpPool conflicts with the LocalSubnet."))
    err(lambda: api.ModifySslVpnServer(SslVpnServerId=vss, ClientIpPool="192.168.200.0/24", Name="_"), 400, INVALID_NAME)
    err(lambda: api.DeleteVpnGateway(VpnGatewayId=gw), 400,
        ("DependencyViolation.SslVpnServer", "The specified vpn gateway has SSL-VPN servers."))
    cert = api.CreateSslVpnClientCert(SslVpnServerId=vss, Name="laptop")["SslVpnClientCertId"]
    err(lambda: api.CreateSslVpnClientCert(SslVpnServerId=vss, Name="-x"), 400, INVALID_NAME)

    def status():
        keys = api.DescribeSslVpnClientCerts(SslVpnServerId=vss)["SslVpnClientCertKeys"]["SslVpnClientCertKey"]
        return keys[0]["Status"]

    assert status() == "normal"
    emulator.advance(3 * 365 * DAY - 2 * DAY)
    assert status() == "expiring-soon"
    emulator.advance(3 * DAY)
    assert status() == "expired"
    assert api.ModifySslVpnClientCert(SslVpnClientCertId=cert, Name="phone")["Name"] == "phone"
    err(lambda: api.ModifySslVpnClientCert(SslVpnClientCertId=cert, Name="9"), 400, INVALID_NAME)
    logs = api.DescribeVpnSslServerLogs(VpnSslServerId=vss, PageSize=5, From=2018020201, To=2018020206)
    assert (logs["Count"], logs["IsCompleted"], logs["PageNumber"], logs["PageSize"]) == (0, True, 1, 5)
    err(lambda: api.DeleteSslVpnServer(SslVpnServerId=vss), 400,
        ("DependencyViolation.SslVpnClientCert", "The specified SSL-VPN server has client certificates."))
    set_quota(emulator, ssl_client_certs_per_ssl_vpn_server=1)
    err(lambda: api.CreateSslVpnClientCert(SslVpnServerId=vss), 400, QUOTA_)
    api.DeleteSslVpnClientCert(SslVpnClientCertId=cert)
    cert_missing = ("InvalidSslVpnClientCertId.NotFound", "The specified SSL-VPN client certificate does not exist.")
    err(lambda: api.DeleteSslVpnClientCert(SslVpnClientCertId=cert), 404, cert_missing)
    err(lambda: api.ModifySslVpnClientCert(SslVpnClientCertId=cert, Name="abc"), 404, cert_missing)
    api.DeleteSslVpnServer(SslVpnServerId=vss)
    server_missing = ("InvalidSslVpnServerId.NotFound", "The specified SSL-VPN server does not exist.")
    for call in (lambda: api.DeleteSslVpnServer(SslVpnServerId=vss),
                 lambda: api.ModifySslVpnServer(SslVpnServerId=vss, Name="abc"),
                 lambda: api.CreateSslVpnClientCert(SslVpnServerId=vss),
                 lambda: api.DescribeVpnSslServerLogs(VpnSslServerId=vss)):
        err(call, 404, server_missing)
    api.DeleteVpnGateway(VpnGatewayId=gw)


def test_ssl_vpn_refused_while_configuring(delayed):
    api = OldApi(make_acs(delayed.endpoint), delayed.endpoint)
    vpc = create_vpc(api, "10.0.0.0/16")["VpcId"]
    delayed.advance(10)
    gw = gateway(api, vpc, EnableSsl=True)
    server = dict(VpnGatewayId=gw, ClientIpPool="192.168.100.0/24", LocalSubnet="10.0.0.0/16")
    err(lambda: api.CreateSslVpnServer(**server), 400, CONFIGURING)
    delayed.advance(10)
    vss = api.CreateSslVpnServer(**server)["SslVpnServerId"]
    err(lambda: api.CreateSslVpnClientCert(SslVpnServerId=vss), 400, CONFIGURING)
    err(lambda: api.ModifySslVpnServer(SslVpnServerId=vss, Name="abc"), 400, CONFIGURING)
    err(lambda: api.DeleteSslVpnServer(SslVpnServerId=vss), 400, CONFIGURING)
    delayed.advance(10)
    cert = api.CreateSslVpnClientCert(SslVpnServerId=vss)["SslVpnClientCertId"]
    err(lambda: api.DeleteSslVpnClientCert(SslVpnClientCertId=cert), 400, CONFIGURING)
    delayed.advance(10)
    delayed.set_billing(overdue=True)
    for call in (lambda: api.CreateSslVpnClientCert(SslVpnServerId=vss),
                 lambda: api.ModifySslVpnServer(SslVpnServerId=vss, Name="abc"),
                 lambda: api.DeleteSslVpnServer(SslVpnServerId=vss)):
        err(call, 400, LOCKED)


def route_calls(api, gw, vco, dest="192.168.0.0/24"):
    """Each route action with its key parameters (weight 0)."""
    dbr = dict(VpnGatewayId=gw, NextHop=vco, RouteDest=dest)
    pbr = dict(RouteSource="10.0.1.0/24", **dbr)
    return {
        "CreateVpnRouteEntry": lambda: api.CreateVpnRouteEntry(Weight=0, PublishVpc=False, **dbr),
        "CreateVpnPbrRouteEntry": lambda: api.CreateVpnPbrRouteEntry(Weight=0, PublishVpc=False, **pbr),
        "PublishVpnRouteEntry": lambda: api.PublishVpnRouteEntry(RouteType="dbr", PublishVpc=True, **dbr),
        "ModifyVpnPbrRouteEntryWeight": lambda: api.ModifyVpnPbrRouteEntryWeight(Weight=0, NewWeight=100, **pbr),
        "DeleteVpnRouteEntry": lambda: api.DeleteVpnRouteEntry(Weight=0, **dbr),
        "DeleteVpnPbrRouteEntry": lambda: api.DeleteVpnPbrRouteEntry(Weight=0, **pbr),
    }


def test_every_route_action_checks_gateway_destination_and_key(api, net):
    gw = gateway(api, net)
    cgw = api.CreateCustomerGateway(IpAddress="8.8.8.8")["CustomerGatewayId"]
    vco = connection(api, gw, cgw)
    for name, call in route_calls(api, "vpn-missing", vco).items():
        err(call, 404, GW_NOT_FOUND)
    for name, call in route_calls(api, gw, vco, dest="192.168.0.9/24").items():
        err(call, 400, ("InvalidRouteDest.Malformed", "The specified RouteDest is not valid."))
    missing = ("InvalidVpnRouteEntry.NotFound", "The specified vpn route entry does not exist.")
    for name in ("PublishVpnRouteEntry", "ModifyVpnPbrRouteEntryWeight", "DeleteVpnRouteEntry", "DeleteVpnPbrRouteEntry"):
        err(route_calls(api, gw, vco)[name], 404, missing)
    for name in ("CreateVpnRouteEntry", "CreateVpnPbrRouteEntry"):
        err(route_calls(api, gw, "vco-missing")[name], 404,
            ("InvalidNextHop.NotFound", "The specified next hop is not an IPsec connection of the vpn gateway."))
        route_calls(api, gw, vco)[name]()
        err(route_calls(api, gw, vco)[name], 400,
            ("InvalidVpnRouteEntry.AlreadyExists", "The specified vpn route entry already exists."))
    err(lambda: api.ModifyVpnConnectionAttribute(VpnConnectionId=vco, Name="1x"), 400, INVALID_NAME)


def test_configuring_and_locked_gateways_refuse_every_change(delayed):
    api = OldApi(make_acs(delayed.endpoint), delayed.endpoint)
    vpc = create_vpc(api, "10.0.0.0/16")["VpcId"]
    delayed.advance(10)
    gw = gateway(api, vpc, EnableSsl=True)
    cgw = api.CreateCustomerGateway(IpAddress="8.8.8.8")["CustomerGatewayId"]
    delayed.advance(10)
    vco = connection(api, gw, cgw)
    delayed.advance(10)
    for name in ("CreateVpnRouteEntry", "CreateVpnPbrRouteEntry"):
        route_calls(api, gw, vco)[name]()
        delayed.advance(10)
    # Each change below puts the gateway back into `updating`, so every route action meets it.
    vss = api.CreateSslVpnServer(VpnGatewayId=gw, ClientIpPool="192.168.100.0/24",
                                 LocalSubnet="10.0.0.0/16")["SslVpnServerId"]
    for name, call in route_calls(api, gw, vco).items():
        err(call, 400, CONFIGURING)
        delayed.advance(10)
        api.ModifySslVpnServer(SslVpnServerId=vss, Name="touched")
    delayed.advance(10)
    delayed.set_billing(overdue=True)
    other = api.CreateCustomerGateway(IpAddress="8.8.4.4")["CustomerGatewayId"]
    err(lambda: connection(api, gw, other), 400, LOCKED)
    err(lambda: api.CreateSslVpnServer(VpnGatewayId=gw, ClientIpPool="192.168.50.0/24", LocalSubnet="10.0.0.0/16"),
        400, LOCKED)
    for name, call in route_calls(api, gw, vco).items():
        err(call, 400, LOCKED)


def test_ssl_vpn_server_modify_checks_pool_and_port(api, net):
    gw = gateway(api, net, EnableSsl=True)
    vss = api.CreateSslVpnServer(VpnGatewayId=gw, ClientIpPool="192.168.100.0/24",
                                 LocalSubnet="10.0.0.0/16,10.1.0.0/16")["SslVpnServerId"]
    err(lambda: api.ModifySslVpnServer(SslVpnServerId=vss, ClientIpPool="192.168.100.3/24"), 400,
        ("InvalidParameter.ClientIpPool", "The specified ClientIpPool is invalid."))
    err(lambda: api.ModifySslVpnServer(SslVpnServerId=vss, ClientIpPool="192.168.100.0/24", Port=53), 400,
        ("InvalidParameter.Port", "The specified port cannot be used."))
    m = api.ModifySslVpnServer(SslVpnServerId=vss, ClientIpPool="192.168.100.0/24", LocalSubnet="172.16.0.0/16")
    assert m["LocalSubnet"] == "172.16.0.0/16" and m["Port"] == 1194
