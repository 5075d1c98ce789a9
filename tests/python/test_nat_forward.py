"""DNAT (forward) entries (seed 004 chapter 16.13-16.16) through the old core request classes and the Tea
client (V3): [ExternalIp:ExternalPort] of a protocol forwarded to [InternalIp:InternalPort] in the
VPC; the external IP is the gateway's (an EIP bound to it or a bandwidth package IP) and not used by
SNAT; each (ExternalIp, ExternalPort, protocol) and each (protocol, InternalIp, InternalPort) once;
100 entries a table; modify, delete, describe filters and pages."""

import pytest
import requests

from helpers import assert_error, assert_rejected, create_vswitch, missing
from nat_helpers import (  # noqa: F401 (api and gw are fixtures)
    ALREADY_BOUNDED, DNAT_ECS_HAS_EIP, DNAT_IP_IN_SNAT, EXTERNAL_IP_MALFORMED, EXTERNAL_IP_NOT_FOUND, EXTERNAL_PORT,
    FORWARD_QUOTA, FORWARD_STATUS, FTB_NOT_FOUND, FTB_NOT_FOUND_DESCRIBE, FWD_NOT_FOUND, INTERNAL_IP_MALFORMED,
    INTERNAL_OUTSIDE_CREATE, INTERNAL_OUTSIDE_MODIFY, INTERNAL_PORT, IP_NOT_IN_NATGW, NAME, PROTOCOL, VSW_CIDR, api,
    bind_eip, create_package, dnat, forward_entries, gateway_ips, gw, instance_in, new_gateway, other_gateway,
    package_ips, set_quota, snat,
)

WEB = "192.168.1.10"
DB = "192.168.1.20"


def test_create_and_describe(api, gw):
    entry = dnat(api, gw.ftb, gw.ip, WEB, "8080", "80", "TCP", ForwardEntryName="web")
    assert entry.startswith("fwd-")
    [item] = forward_entries(api, gw.ftb)
    assert (item["ForwardEntryId"], item["ForwardTableId"], item["Status"]) == (entry, gw.ftb, "Available")
    assert (item["ExternalIp"], item["ExternalPort"], item["InternalIp"], item["InternalPort"]) == (
        gw.ip, "8080", WEB, "80")
    # The response prints the protocol in lower case ("tcp", "any": line ~25940 and its example).
    assert item["IpProtocol"] == "tcp"
    assert gateway_ips(api, gw.id) == {gw.ip: "UsedByForwardTable"}


def test_one_external_ip_forwards_many_ports_and_protocols(api, gw):
    dnat(api, gw.ftb, gw.ip, WEB, "80", "80", "TCP")
    dnat(api, gw.ftb, gw.ip, WEB, "80", "80", "UDP")
    dnat(api, gw.ftb, gw.ip, DB, "3306", "3306", "TCP")
    dnat(api, gw.ftb, gw.ip, WEB, "1", "65535", "TCP")
    dnat(api, gw.ftb, gw.ip, DB, "65535", "1", "UDP")
    assert len(forward_entries(api, gw.ftb)) == 5
    assert sorted(e["IpProtocol"] for e in forward_entries(api, gw.ftb)) == ["tcp", "tcp", "tcp", "udp", "udp"]


def test_port_ranges_and_any(api, gw):
    # Ports are 1-65535; the emulator also takes a range "a/b" and "any" with IpProtocol Any (the
    # describe example prints ExternalPort "any" for protocol "any", line ~25960).
    _, second_ip = bind_eip(api, gw.id)
    ranged = dnat(api, gw.ftb, gw.ip, WEB, "1000/1010", "2000/2010", "UDP")
    everything = dnat(api, gw.ftb, second_ip, DB, "Any", "Any", "Any")
    items = {e["ForwardEntryId"]: e for e in forward_entries(api, gw.ftb)}
    assert (items[ranged]["ExternalPort"], items[ranged]["InternalPort"]) == ("1000/1010", "2000/2010")
    assert (items[everything]["IpProtocol"], items[everything]["ExternalPort"].lower()) == ("any", "any")


def test_bandwidth_package_ips_serve_dnat(api, old):
    g = new_gateway(api, old)
    package_id = create_package(api, g.id, 5, 1)
    [ip] = package_ips(api, package_id)
    dnat(api, g.ftb, ip, WEB)
    assert package_ips(api, package_id) == {ip: "UsedByForwardTable"}


@pytest.mark.parametrize("port", ["0", "65536", "http", "-1"])
def test_ports_are_1_to_65535(api, gw, port):
    assert_error(lambda: dnat(api, gw.ftb, gw.ip, WEB, external_port=port), *EXTERNAL_PORT)
    assert_error(lambda: dnat(api, gw.ftb, gw.ip, WEB, internal_port=port), *INTERNAL_PORT)
    assert forward_entries(api, gw.ftb) == []


def test_create_refuses_malformed_values(api, gw):
    assert_error(lambda: dnat(api, gw.ftb, "198.19.1", WEB), *EXTERNAL_IP_MALFORMED)
    assert_error(lambda: dnat(api, gw.ftb, gw.ip, "192.168.1"), *INTERNAL_IP_MALFORMED)
    assert_error(lambda: dnat(api, gw.ftb, gw.ip, WEB, protocol="ICMP"), *PROTOCOL)
    assert_error(lambda: dnat(api, gw.ftb, gw.ip, WEB, ForwardEntryName="-web"), *NAME)
    got = assert_rejected(lambda: dnat(api, gw.ftb, gw.ip, "10.0.0.5"))
    assert got in INTERNAL_OUTSIDE_CREATE, got
    assert_error(lambda: api.CreateForwardEntry(ForwardTableId=gw.ftb, ExternalPort="80", InternalIp=WEB,
                                                InternalPort="80", IpProtocol="TCP"), 400, *missing("ExternalIp"))
    assert_error(lambda: dnat(api, "ftb-unknown", gw.ip, WEB), *FTB_NOT_FOUND)
    assert forward_entries(api, gw.ftb) == []


def test_the_external_ip_must_be_the_gateways(api, old, gw):
    # An address the cloud does not know: not found on the gateway's router.
    assert_error(lambda: dnat(api, gw.ftb, "8.8.8.8", WEB), *EXTERNAL_IP_NOT_FOUND)
    # An address of the account that belongs to another NAT gateway.
    other = other_gateway(api, old)
    _, theirs = bind_eip(api, other.id)
    assert_error(lambda: dnat(api, gw.ftb, theirs, WEB), *IP_NOT_IN_NATGW)
    assert forward_entries(api, gw.ftb) == []


def test_an_ip_used_by_snat_is_not_free_for_dnat(api, gw):
    _, second_ip = bind_eip(api, gw.id)
    snat(api, gw.stb, gw.ip, SourceVSwitchId=gw.vswitch_id)
    assert_error(lambda: dnat(api, gw.ftb, gw.ip, WEB), *DNAT_IP_IN_SNAT)
    entry = dnat(api, gw.ftb, second_ip, WEB)
    assert_error(lambda: api.ModifyForwardEntry(ForwardTableId=gw.ftb, ForwardEntryId=entry, ExternalIp=gw.ip),
                 *DNAT_IP_IN_SNAT)


def test_external_and_internal_endpoints_are_unique(api, gw):
    _, second_ip = bind_eip(api, gw.id)
    dnat(api, gw.ftb, gw.ip, WEB, "80", "80", "TCP")
    # The same (ExternalIp, ExternalPort, protocol) cannot go to two targets (line 25531) ...
    assert_error(lambda: dnat(api, gw.ftb, gw.ip, DB, "80", "8080", "TCP"), *ALREADY_BOUNDED)
    # ... nor can two entries lead to the same (protocol, InternalIp, InternalPort) (line 25534).
    # 16.13's table has no row for either: Forbidden.Already.Bounded is 16.15's code for the case.
    assert_error(lambda: dnat(api, gw.ftb, second_ip, WEB, "8080", "80", "TCP"), *ALREADY_BOUNDED)
    assert len(forward_entries(api, gw.ftb)) == 1


def test_an_instance_with_an_eip_is_refused(api, ecs_old, gw):
    instance, private_ip = instance_in(ecs_old, gw)
    dnat(api, gw.ftb, gw.ip, private_ip, "22", "22")  # without an EIP of its own: fine
    other = dnat(api, gw.ftb, gw.ip, WEB, "80", "80")
    own = api.AllocateEipAddress()["AllocationId"]
    api.AssociateEipAddress(AllocationId=own, InstanceId=instance)
    assert_error(lambda: dnat(api, gw.ftb, gw.ip, private_ip, "81", "81"), *DNAT_ECS_HAS_EIP)
    assert_error(lambda: api.ModifyForwardEntry(ForwardTableId=gw.ftb, ForwardEntryId=other, InternalIp=private_ip),
                 *DNAT_ECS_HAS_EIP)


def test_the_table_quota(api, gw, emulator):
    # "A maximum of 100 DNAT entries can be added to a DNAT table" (line 25565); lowered to 2 here.
    # The create table has no row for it: QuotaExceeded is ModifyForwardEntry's (line ~26240).
    set_quota(emulator, forward_entries_per_table=2)
    dnat(api, gw.ftb, gw.ip, WEB, "80", "80")
    dnat(api, gw.ftb, gw.ip, WEB, "81", "81")
    assert_error(lambda: dnat(api, gw.ftb, gw.ip, WEB, "82", "82"), *FORWARD_QUOTA)
    assert len(forward_entries(api, gw.ftb)) == 2


def test_the_table_quota_defaults_to_100(emulator):
    quotas = requests.get(f"{emulator.url}/_emulator/quotas", timeout=5).json()
    assert quotas["forward_entries_per_table"] == 100


# --- ModifyForwardEntry ----------------------------------------------------------------------------------


def test_modify(api, gw):
    _, second_ip = bind_eip(api, gw.id)
    entry = dnat(api, gw.ftb, gw.ip, WEB, "8080", "80", "TCP")
    api.ModifyForwardEntry(ForwardTableId=gw.ftb, ForwardEntryId=entry, InternalPort="8000", InternalIp=DB)
    [item] = forward_entries(api, gw.ftb)
    assert (item["ExternalIp"], item["ExternalPort"], item["InternalIp"], item["InternalPort"], item["IpProtocol"]) == (
        gw.ip, "8080", DB, "8000", "tcp")
    api.ModifyForwardEntry(ForwardTableId=gw.ftb, ForwardEntryId=entry, ExternalIp=second_ip, ExternalPort="9090",
                           IpProtocol="UDP")
    [item] = forward_entries(api, gw.ftb)
    assert (item["ExternalIp"], item["ExternalPort"], item["IpProtocol"]) == (second_ip, "9090", "udp")
    assert gateway_ips(api, gw.id) == {gw.ip: "Idle", second_ip: "UsedByForwardTable"}


def test_modify_refuses_what_create_refuses(api, gw):
    entry = dnat(api, gw.ftb, gw.ip, WEB, "8080", "80", "TCP")
    modify = dict(ForwardTableId=gw.ftb, ForwardEntryId=entry)
    assert_error(lambda: api.ModifyForwardEntry(ExternalIp="1.2.3", **modify), *EXTERNAL_IP_MALFORMED)
    assert_error(lambda: api.ModifyForwardEntry(InternalIp="x", **modify), *INTERNAL_IP_MALFORMED)
    assert_error(lambda: api.ModifyForwardEntry(ExternalPort="0", **modify), *EXTERNAL_PORT)
    assert_error(lambda: api.ModifyForwardEntry(InternalPort="70000", **modify), *INTERNAL_PORT)
    assert_error(lambda: api.ModifyForwardEntry(IpProtocol="GRE", **modify), *PROTOCOL)
    assert_error(lambda: api.ModifyForwardEntry(InternalIp="10.0.0.5", **modify), *INTERNAL_OUTSIDE_MODIFY)
    assert_error(lambda: api.ModifyForwardEntry(ExternalIp="8.8.8.8", **modify), *EXTERNAL_IP_NOT_FOUND)
    assert_error(lambda: api.ModifyForwardEntry(ForwardTableId=gw.ftb, ForwardEntryId="fwd-unknown",
                                                InternalPort="81"), *FWD_NOT_FOUND)
    assert_error(lambda: api.ModifyForwardEntry(ForwardTableId="ftb-unknown", ForwardEntryId=entry,
                                                InternalPort="81"), *FTB_NOT_FOUND)
    [item] = forward_entries(api, gw.ftb)
    assert (item["ExternalIp"], item["ExternalPort"], item["InternalIp"], item["InternalPort"]) == (
        gw.ip, "8080", WEB, "80")


def test_modify_keeps_endpoints_unique(api, gw):
    dnat(api, gw.ftb, gw.ip, WEB, "80", "80", "TCP")
    entry = dnat(api, gw.ftb, gw.ip, DB, "81", "81", "TCP")
    assert_error(lambda: api.ModifyForwardEntry(ForwardTableId=gw.ftb, ForwardEntryId=entry, ExternalPort="80"),
                 *ALREADY_BOUNDED)
    assert_error(lambda: api.ModifyForwardEntry(ForwardTableId=gw.ftb, ForwardEntryId=entry, InternalIp=WEB,
                                                InternalPort="80"), *ALREADY_BOUNDED)
    # Changing an entry to what it already is does not collide with itself.
    api.ModifyForwardEntry(ForwardTableId=gw.ftb, ForwardEntryId=entry, ExternalPort="81")


# --- DeleteForwardEntry / DescribeForwardTableEntries ----------------------------------------------------


def test_delete(api, gw):
    entry = dnat(api, gw.ftb, gw.ip, WEB)
    assert_error(lambda: api.DeleteForwardEntry(ForwardTableId="ftb-unknown", ForwardEntryId=entry), *FTB_NOT_FOUND)
    api.DeleteForwardEntry(ForwardTableId=gw.ftb, ForwardEntryId=entry)
    assert forward_entries(api, gw.ftb) == []
    assert gateway_ips(api, gw.id) == {gw.ip: "Idle"}
    assert_error(lambda: api.DeleteForwardEntry(ForwardTableId=gw.ftb, ForwardEntryId=entry), *FWD_NOT_FOUND)
    assert_error(lambda: api.DeleteForwardEntry(ForwardTableId=gw.ftb), 400, *missing("ForwardEntryId"))
    # The endpoints are free again.
    dnat(api, gw.ftb, gw.ip, WEB)


def test_describe_filters_and_pages(api, old, gw):
    ids = [dnat(api, gw.ftb, gw.ip, WEB, str(port), str(port)) for port in (80, 81, 82)]
    assert [e["ForwardEntryId"] for e in forward_entries(api, gw.ftb, ForwardEntryId=ids[1])] == [ids[1]]
    assert forward_entries(api, gw.ftb, ForwardEntryId="fwd-unknown") == []
    seen = []
    for number in (1, 2):
        page = api.DescribeForwardTableEntries(ForwardTableId=gw.ftb, PageSize=2, PageNumber=number)
        assert (page["TotalCount"], page["PageSize"], page["PageNumber"]) == (3, 2, number)
        seen += [e["ForwardEntryId"] for e in page["ForwardTableEntries"]["ForwardTableEntry"]]
    assert sorted(seen) == sorted(ids)
    defaults = api.DescribeForwardTableEntries(ForwardTableId=gw.ftb)
    assert (defaults["PageSize"], defaults["PageNumber"], defaults["TotalCount"]) == (10, 1, 3)
    assert_error(lambda: forward_entries(api, "ftb-unknown"), *FTB_NOT_FOUND_DESCRIBE)
    assert forward_entries(api, other_gateway(api, old).ftb) == [], "each gateway has its own table"


def test_entries_go_with_their_gateway(api, old, gw):
    dnat(api, gw.ftb, gw.ip, WEB)
    api.DeleteNatGateway(NatGatewayId=gw.id, Force=True)
    assert_error(lambda: forward_entries(api, gw.ftb), *FTB_NOT_FOUND_DESCRIBE)


# --- transitions ---------------------------------------------------------------------------------------------


def test_a_pending_entry_blocks_the_table(old_delayed, delayed):
    vpc_id = old_delayed.CreateVpc(CidrBlock="192.168.0.0/16")["VpcId"]
    delayed.advance(60)
    create_vswitch(old_delayed, vpc_id, VSW_CIDR)
    delayed.advance(60)
    body = old_delayed.CreateNatGateway(VpcId=vpc_id)
    delayed.advance(60)
    ftb = body["ForwardTableIds"]["ForwardTableId"][0]
    _, ip = bind_eip(old_delayed, body["NatGatewayId"])
    delayed.advance(60)
    entry = dnat(old_delayed, ftb, ip, WEB, "80", "80")
    assert forward_entries(old_delayed, ftb)[0]["Status"] == "Pending"
    # "If any DNAT entry in the DNAT table is in the Pending or Modifying state, a new DNAT entry
    # cannot be added" (line 25538); nor can it be modified or deleted (lines ~26080, ~26340).
    assert_error(lambda: dnat(old_delayed, ftb, ip, WEB, "81", "81"), *FORWARD_STATUS)
    assert_error(lambda: old_delayed.ModifyForwardEntry(ForwardTableId=ftb, ForwardEntryId=entry, InternalPort="81"),
                 *FORWARD_STATUS)
    assert_error(lambda: old_delayed.DeleteForwardEntry(ForwardTableId=ftb, ForwardEntryId=entry), *FORWARD_STATUS)
    delayed.advance(60)
    assert forward_entries(old_delayed, ftb)[0]["Status"] == "Available"
    old_delayed.DeleteForwardEntry(ForwardTableId=ftb, ForwardEntryId=entry)
