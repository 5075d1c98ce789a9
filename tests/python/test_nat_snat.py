"""SNAT entries (seed 004 chapter 16.17-16.20) through the old core request classes and the Tea client
(V3): a vSwitch (SourceVSwitchId) or a CIDR block (SourceCIDR), never both, takes the gateway's public
IPs (EIPs bound to it, or its bandwidth packages' IPs) to the Internet; each vSwitch or block once;
an IP used by a DNAT entry is not free for SNAT; modify, delete, describe filters and pages."""

from helpers import assert_error, assert_rejected, create_havip, create_vswitch
from nat_helpers import (  # noqa: F401 (api and gw are fixtures)
    NAME, SNAT_DUPLICATED, SNAT_ECS_HAS_EIP, SNAT_ENTRY_NOT_FOUND, SNAT_HAVIP, SNAT_INVALID, SNAT_IP_IN_DNAT,
    SNAT_IP_IN_DNAT_MODIFY, SNAT_IP_MALFORMED, SNAT_IP_NOT_FOUND, SNAT_LIMIT, SNAT_POOL, SNAT_STATUS,
    SOURCE_CIDR_OUTSIDE, STB_NOT_FOUND, VSW2_CIDR, VSW_CIDR, VSW_NOT_FOUND, api, bind_eip, create_package, dnat,
    gateway_ips, gw, instance_in, network, new_gateway, other_gateway, package_ips, set_quota, snat, snat_entries,
)

VSWITCH_HAS_SNAT = (400, "DependencyViolation.SnatEntry", "The specified vSwitch is used by SnatEntry.")
EIP_STATUS = (400, "IncorrectEipStatus", "Current elastic IP status does not support this operation.")
# DeleteSnatEntry prints InvalidSnatEntryId.NotFound twice (line ~27290), with two messages.
ENTRY_GONE = {SNAT_ENTRY_NOT_FOUND, (404, "InvalidSnatEntryId.NotFound", "Specified Snat entry ID does not exist")}


def test_an_entry_for_a_vswitch(api, gw):
    entry = snat(api, gw.stb, gw.ip, SourceVSwitchId=gw.vswitch_id, SnatEntryName="web-out")
    assert entry.startswith("snat-")
    [item] = snat_entries(api, gw.stb)
    assert (item["SnatEntryId"], item["SnatTableId"], item["SnatIp"]) == (entry, gw.stb, gw.ip)
    # The reference's example shows the vSwitch's block beside its id (line ~26930).
    assert (item["SourceVSwitchId"], item["SourceCIDR"], item["Status"]) == (gw.vswitch_id, VSW_CIDR, "Available")
    assert gateway_ips(api, gw.id) == {gw.ip: "UsedBySnatTable"}


def test_entries_for_cidr_blocks(api, gw):
    block = snat(api, gw.stb, gw.ip, SourceCIDR=VSW2_CIDR)
    one_ecs = snat(api, gw.stb, gw.ip, SourceCIDR="192.168.1.10/32")
    items = {e["SnatEntryId"]: e for e in snat_entries(api, gw.stb)}
    assert (items[block]["SourceCIDR"], items[block]["SourceVSwitchId"]) == (VSW2_CIDR, "")
    assert items[one_ecs]["SourceCIDR"] == "192.168.1.10/32"


def test_several_ips_in_one_entry(api, gw):
    _, second_ip = bind_eip(api, gw.id)
    snat(api, gw.stb, f"{gw.ip},{second_ip}", SourceVSwitchId=gw.vswitch_id)
    [item] = snat_entries(api, gw.stb)
    assert sorted(item["SnatIp"].split(",")) == sorted([gw.ip, second_ip])
    assert gateway_ips(api, gw.id) == {gw.ip: "UsedBySnatTable", second_ip: "UsedBySnatTable"}


def test_an_eip_that_an_entry_uses_stays_bound(api, gw):
    # The chapter has no rule for it; the emulator keeps the address (docs/nat.md) with the EIP's
    # IncorrectEipStatus (19.5's code).
    entry = snat(api, gw.stb, gw.ip, SourceVSwitchId=gw.vswitch_id)
    assert_error(lambda: api.UnassociateEipAddress(AllocationId=gw.allocation, InstanceId=gw.id, InstanceType="Nat"),
                 *EIP_STATUS)
    api.DeleteSnatEntry(SnatTableId=gw.stb, SnatEntryId=entry)
    api.UnassociateEipAddress(AllocationId=gw.allocation, InstanceId=gw.id, InstanceType="Nat")
    assert gateway_ips(api, gw.id) == {}


def test_bandwidth_package_ips_serve_snat(api, old):
    g = new_gateway(api, old)
    package_id = create_package(api, g.id, 5, 1)
    [ip] = package_ips(api, package_id)
    snat(api, g.stb, ip, SourceVSwitchId=g.vswitch_id)
    assert package_ips(api, package_id) == {ip: "UsedBySnatTable"}


def test_source_is_a_vswitch_or_a_cidr_block(api, gw):
    # "This parameter and the SourceVSwtichId parameter cannot be used at the same time" (line 26613).
    assert_error(lambda: snat(api, gw.stb, gw.ip, SourceVSwitchId=gw.vswitch_id, SourceCIDR=VSW2_CIDR),
                 *SNAT_INVALID)
    assert_error(lambda: snat(api, gw.stb, gw.ip), *SNAT_INVALID)
    assert_error(lambda: snat(api, gw.stb, gw.ip, SourceCIDR="192.168.1.0/33"), *SNAT_INVALID)
    # A block outside the VPC (the table's description of NOT_ALLOW_USE_SOURCECIDR, line 26739).
    assert_error(lambda: snat(api, gw.stb, gw.ip, SourceCIDR="10.0.0.0/24"), *SOURCE_CIDR_OUTSIDE)
    assert_error(lambda: snat(api, gw.stb, gw.ip, SourceVSwitchId="vsw-unknown"), *VSW_NOT_FOUND)
    assert snat_entries(api, gw.stb) == []


def test_a_vswitch_of_another_vpc_is_refused(api, old, gw):
    _, foreign = network(old, "10.0.0.0/8", "10.0.1.0/24")
    # "The VSwitch specified in the SNAT entry must belong to the same VPC as the NAT Gateway"
    # (line 26483): another VPC's vSwitch is not found for this gateway.
    assert_error(lambda: snat(api, gw.stb, gw.ip, SourceVSwitchId=foreign), *VSW_NOT_FOUND)
    assert snat_entries(api, gw.stb) == []


def test_each_source_once(api, gw):
    snat(api, gw.stb, gw.ip, SourceVSwitchId=gw.vswitch_id)
    snat(api, gw.stb, gw.ip, SourceCIDR=VSW2_CIDR)
    assert_error(lambda: snat(api, gw.stb, gw.ip, SourceVSwitchId=gw.vswitch_id), *SNAT_DUPLICATED)
    assert_error(lambda: snat(api, gw.stb, gw.ip, SourceCIDR=VSW2_CIDR), *SNAT_DUPLICATED)
    assert len(snat_entries(api, gw.stb)) == 2


def test_snat_ip_must_be_the_gateways(api, gw):
    assert_error(lambda: snat(api, gw.stb, "198.19.1", SourceVSwitchId=gw.vswitch_id), *SNAT_IP_MALFORMED)
    assert_error(lambda: snat(api, gw.stb, f"{gw.ip},x", SourceVSwitchId=gw.vswitch_id), *SNAT_IP_MALFORMED)
    assert_error(lambda: snat(api, gw.stb, "8.8.8.8", SourceVSwitchId=gw.vswitch_id), *SNAT_IP_NOT_FOUND)
    unbound = api.AllocateEipAddress()["EipAddress"]
    assert_error(lambda: snat(api, gw.stb, unbound, SourceVSwitchId=gw.vswitch_id), *SNAT_IP_NOT_FOUND)
    assert snat_entries(api, gw.stb) == []


def test_an_ip_used_by_dnat_is_not_free_for_snat(api, gw):
    _, second_ip = bind_eip(api, gw.id)
    dnat(api, gw.ftb, gw.ip, "192.168.1.10")
    assert_error(lambda: snat(api, gw.stb, gw.ip, SourceVSwitchId=gw.vswitch_id), *SNAT_IP_IN_DNAT)
    entry = snat(api, gw.stb, second_ip, SourceVSwitchId=gw.vswitch_id)
    assert_error(lambda: api.ModifySnatEntry(SnatTableId=gw.stb, SnatEntryId=entry, SnatIp=gw.ip),
                 *SNAT_IP_IN_DNAT_MODIFY)


def test_a_vswitch_with_a_havip_is_refused(api, old, gw):
    create_havip(old, gw.vswitch_id)
    assert_error(lambda: snat(api, gw.stb, gw.ip, SourceVSwitchId=gw.vswitch_id), *SNAT_HAVIP)


def test_an_instance_with_an_eip_is_refused(api, old, ecs_old, gw):
    instance, private_ip = instance_in(ecs_old, gw)
    own = api.AllocateEipAddress()["AllocationId"]
    api.AssociateEipAddress(AllocationId=own, InstanceId=instance)
    assert_error(lambda: snat(api, gw.stb, gw.ip, SourceCIDR=f"{private_ip}/32"), *SNAT_ECS_HAS_EIP)


def test_entry_name_and_tables(api, gw):
    assert_error(lambda: snat(api, gw.stb, gw.ip, SourceVSwitchId=gw.vswitch_id, SnatEntryName="-x"), *NAME)
    assert_error(lambda: snat(api, "stb-unknown", gw.ip, SourceVSwitchId=gw.vswitch_id), *STB_NOT_FOUND)
    assert_error(lambda: snat_entries(api, "stb-unknown"), *STB_NOT_FOUND)


def test_the_table_quota(api, old, gw, emulator):
    set_quota(emulator, snat_entries_per_table=2)
    snat(api, gw.stb, gw.ip, SourceVSwitchId=gw.vswitch_id)
    snat(api, gw.stb, gw.ip, SourceCIDR=VSW2_CIDR)
    assert_error(lambda: snat(api, gw.stb, gw.ip, SourceCIDR="192.168.3.0/24"), *SNAT_LIMIT)
    assert len(snat_entries(api, gw.stb)) == 2


def test_the_ips_an_entry_lists_are_limited(api, gw, emulator):
    set_quota(emulator, snat_ips_per_entry=2)
    _, second_ip = bind_eip(api, gw.id)
    _, third_ip = bind_eip(api, gw.id)
    assert_error(lambda: snat(api, gw.stb, f"{gw.ip},{second_ip},{third_ip}", SourceVSwitchId=gw.vswitch_id),
                 *SNAT_POOL)
    entry = snat(api, gw.stb, f"{gw.ip},{second_ip}", SourceVSwitchId=gw.vswitch_id)
    assert_error(lambda: api.ModifySnatEntry(SnatTableId=gw.stb, SnatEntryId=entry,
                                             SnatIp=f"{gw.ip},{second_ip},{third_ip}"), *SNAT_POOL)


# --- ModifySnatEntry / DeleteSnatEntry ----------------------------------------------------------------------


def test_modify_the_ips(api, gw):
    _, second_ip = bind_eip(api, gw.id)
    entry = snat(api, gw.stb, gw.ip, SourceVSwitchId=gw.vswitch_id)
    api.ModifySnatEntry(SnatTableId=gw.stb, SnatEntryId=entry, SnatIp=second_ip)
    [item] = snat_entries(api, gw.stb)
    assert item["SnatIp"] == second_ip
    assert gateway_ips(api, gw.id) == {gw.ip: "Idle", second_ip: "UsedBySnatTable"}
    assert_error(lambda: api.ModifySnatEntry(SnatTableId=gw.stb, SnatEntryId=entry, SnatIp="1.2.3"),
                 *SNAT_IP_MALFORMED)
    assert_error(lambda: api.ModifySnatEntry(SnatTableId=gw.stb, SnatEntryId=entry, SnatIp="8.8.8.8"),
                 *SNAT_IP_NOT_FOUND)
    assert_error(lambda: api.ModifySnatEntry(SnatTableId=gw.stb, SnatEntryId="snat-unknown", SnatIp=gw.ip),
                 *SNAT_ENTRY_NOT_FOUND)
    assert_error(lambda: api.ModifySnatEntry(SnatTableId="stb-unknown", SnatEntryId=entry, SnatIp=gw.ip),
                 *STB_NOT_FOUND)
    assert snat_entries(api, gw.stb)[0]["SnatIp"] == second_ip


def test_delete(api, gw):
    entry = snat(api, gw.stb, gw.ip, SourceVSwitchId=gw.vswitch_id)
    assert_error(lambda: api.DeleteSnatEntry(SnatTableId="stb-unknown", SnatEntryId=entry), *STB_NOT_FOUND)
    api.DeleteSnatEntry(SnatTableId=gw.stb, SnatEntryId=entry)
    assert snat_entries(api, gw.stb) == []
    assert gateway_ips(api, gw.id) == {gw.ip: "Idle"}
    got = assert_rejected(lambda: api.DeleteSnatEntry(SnatTableId=gw.stb, SnatEntryId=entry))
    assert got in ENTRY_GONE, got
    # The vSwitch is free again.
    snat(api, gw.stb, gw.ip, SourceVSwitchId=gw.vswitch_id)


def test_a_vswitch_an_entry_translates_is_not_deleted(api, old, gw):
    # DeleteVSwitch's table has no code for it; the real service's (Terraform retries on it).
    vswitch_id = create_vswitch(old, gw.vpc_id, "192.168.77.0/24")
    entry = snat(api, gw.stb, gw.ip, SourceVSwitchId=vswitch_id)
    snat(api, gw.stb, gw.ip, SourceCIDR="192.168.78.0/24")
    assert_error(lambda: api.DeleteVSwitch(VSwitchId=vswitch_id), *VSWITCH_HAS_SNAT)
    api.DeleteSnatEntry(SnatTableId=gw.stb, SnatEntryId=entry)
    api.DeleteVSwitch(VSwitchId=vswitch_id)


# --- DescribeSnatTableEntries -----------------------------------------------------------------------------


def test_describe_filters_and_pages(api, old, gw):
    ids = [snat(api, gw.stb, gw.ip, SourceCIDR=f"192.168.{n}.0/24") for n in (11, 12, 13)]
    assert [e["SnatEntryId"] for e in snat_entries(api, gw.stb, SnatEntryId=ids[1])] == [ids[1]]
    assert snat_entries(api, gw.stb, SnatEntryId="snat-unknown") == []
    seen = []
    for number in (1, 2):
        page = api.DescribeSnatTableEntries(SnatTableId=gw.stb, PageSize=2, PageNumber=number)
        assert (page["TotalCount"], page["PageSize"], page["PageNumber"]) == (3, 2, number)
        seen += [e["SnatEntryId"] for e in page["SnatTableEntries"]["SnatTableEntry"]]
    assert sorted(seen) == sorted(ids)
    assert snat_entries(api, other_gateway(api, old).stb) == [], "each gateway has its own table"


# --- transitions ---------------------------------------------------------------------------------------------


def test_a_pending_entry_cannot_be_modified_or_deleted(old_delayed, delayed):
    vpc_id = old_delayed.CreateVpc(CidrBlock="192.168.0.0/16")["VpcId"]
    delayed.advance(60)
    vsw = create_vswitch(old_delayed, vpc_id, VSW_CIDR)
    delayed.advance(60)
    body = old_delayed.CreateNatGateway(VpcId=vpc_id)
    delayed.advance(60)
    gw_id, stb = body["NatGatewayId"], body["SnatTableIds"]["SnatTableId"][0]
    _, ip = bind_eip(old_delayed, gw_id)
    delayed.advance(60)
    entry = snat(old_delayed, stb, ip, SourceVSwitchId=vsw)
    assert snat_entries(old_delayed, stb)[0]["Status"] == "Pending"
    # "You cannot modify [delete] an SNAT entry that is in the Pending or Modifying state" (16.19, 16.20);
    # 16.19 has no code for it: IncorretSnatEntryStatus is 16.20's.
    assert_error(lambda: old_delayed.ModifySnatEntry(SnatTableId=stb, SnatEntryId=entry, SnatIp=ip), *SNAT_STATUS)
    assert_error(lambda: old_delayed.DeleteSnatEntry(SnatTableId=stb, SnatEntryId=entry), *SNAT_STATUS)
    delayed.advance(60)
    assert snat_entries(old_delayed, stb)[0]["Status"] == "Available"
    old_delayed.DeleteSnatEntry(SnatTableId=stb, SnatEntryId=entry)
