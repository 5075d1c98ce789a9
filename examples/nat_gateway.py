"""Gives a VPC's instances the Internet through a NAT gateway, against alicloud-emulator, with the
official Tea SDKs: a NAT gateway (which publishes 0.0.0.0/0 into the VPC's route table), two EIPs bound
to it, an SNAT entry that takes the whole vSwitch out through one, and a DNAT entry that forwards the
other's port 8080 to port 80 of an instance without a public IP; then everything is torn down
again, newest first, even when a step fails.

    pip install alibabacloud-ecs20140526 alibabacloud-vpc20160428 requests
    python3 examples/nat_gateway.py        # server on 127.0.0.1:9760 (ALICLOUD_EMULATOR_ENDPOINT)

Every run registers an account of its own (POST /_emulator/accounts) and starts from an empty cloud,
so it can run any number of times against a durable server, even after a run that stopped half-way.
Transitional states last the server's --transition-delay; the example moves the emulated clock
instead of sleeping.
"""

import os
import secrets

import requests
from alibabacloud_ecs20140526 import models as ecs_models
from alibabacloud_ecs20140526.client import Client as EcsClient
from alibabacloud_tea_openapi.models import Config
from alibabacloud_vpc20160428 import models
from alibabacloud_vpc20160428.client import Client as VpcClient

ENDPOINT = os.environ.get("ALICLOUD_EMULATOR_ENDPOINT", "127.0.0.1:9760")
CONTROL = f"http://{ENDPOINT}/_emulator"
REGION = "cn-hangzhou"


def register_account():
    """A new account with its own AccessKey and resources."""
    account = {"access_key_id": "example-" + secrets.token_hex(8), "access_key_secret": secrets.token_hex(16),
               "account_id": str(10**15 + secrets.randbelow(9 * 10**15))}
    requests.post(f"{CONTROL}/accounts", json=account, timeout=5).raise_for_status()
    return account


def config(account):
    # The only change from a program that talks to the real cloud: the endpoint (and http).
    return Config(access_key_id=account["access_key_id"], access_key_secret=account["access_key_secret"],
                  region_id=REGION, endpoint=ENDPOINT, protocol="http")


def settle():
    """Lets transitional states (Pending, Initiating...) pass: the emulator's clock moves on demand."""
    requests.post(f"{CONTROL}/clock/advance", json={"seconds": 60}, timeout=5).raise_for_status()


def main():
    account = register_account()
    vpc, ecs = VpcClient(config(account)), EcsClient(config(account))
    undo = []  # teardown steps, run newest first whatever happens
    try:
        # A VPC, a vSwitch, a security group and an instance without a public IP.
        vpc_id = vpc.create_vpc(models.CreateVpcRequest(region_id=REGION, cidr_block="192.168.0.0/16")).body.vpc_id
        undo.append(("DeleteVpc", lambda: vpc.delete_vpc(models.DeleteVpcRequest(region_id=REGION, vpc_id=vpc_id))))
        settle()
        vsw_id = vpc.create_vswitch(models.CreateVSwitchRequest(
            region_id=REGION, vpc_id=vpc_id, zone_id="cn-hangzhou-b", cidr_block="192.168.1.0/24")).body.v_switch_id
        undo.append(("DeleteVSwitch", lambda: vpc.delete_vswitch(
            models.DeleteVSwitchRequest(region_id=REGION, v_switch_id=vsw_id))))
        settle()
        sg_id = ecs.create_security_group(ecs_models.CreateSecurityGroupRequest(
            region_id=REGION, vpc_id=vpc_id)).body.security_group_id
        undo.append(("DeleteSecurityGroup", lambda: ecs.delete_security_group(
            ecs_models.DeleteSecurityGroupRequest(region_id=REGION, security_group_id=sg_id))))
        run = ecs.run_instances(ecs_models.RunInstancesRequest(
            region_id=REGION, image_id="aliyun_3_x64_20G_alibase", instance_type="ecs.g7.large",
            v_switch_id=vsw_id, security_group_id=sg_id)).body
        instance_id = run.instance_id_sets.instance_id_set[0]
        undo.append(("DeleteInstance", lambda: ecs.delete_instance(
            ecs_models.DeleteInstanceRequest(instance_id=instance_id, force=True))))
        settle()
        private_ip = ecs.describe_instance_attribute(ecs_models.DescribeInstanceAttributeRequest(
            instance_id=instance_id)).body.vpc_attributes.private_ip_address.ip_address[0]
        print("instance", instance_id, "at", private_ip, "in", vsw_id)

        # 1. A NAT gateway: its SNAT and DNAT (forward) tables come with it.
        nat = vpc.create_nat_gateway(models.CreateNatGatewayRequest(
            region_id=REGION, vpc_id=vpc_id, spec="Small", name="egress")).body
        undo.append(("DeleteNatGateway", lambda: vpc.delete_nat_gateway(
            models.DeleteNatGatewayRequest(region_id=REGION, nat_gateway_id=nat.nat_gateway_id))))
        settle()
        snat_table = nat.snat_table_ids.snat_table_id[0]
        forward_table = nat.forward_table_ids.forward_table_id[0]
        print("NAT gateway", nat.nat_gateway_id, "SNAT table", snat_table, "DNAT table", forward_table)
        table = vpc.describe_route_table_list(models.DescribeRouteTableListRequest(
            region_id=REGION, vpc_id=vpc_id)).body.router_table_list.router_table_list_type[0].route_table_id
        for entry in vpc.describe_route_entry_list(models.DescribeRouteEntryListRequest(
                region_id=REGION, route_table_id=table)).body.route_entrys.route_entry:
            for hop in entry.next_hops.next_hop if entry.next_hops else []:
                if hop.next_hop_type == "NatGateway":
                    print("route", entry.destination_cidr_block, "->", hop.next_hop_type, hop.next_hop_id)

        # 2. Two EIPs bound to the gateway (InstanceType Nat): an address serves SNAT or DNAT, not both.
        def bind_eip():
            eip = vpc.allocate_eip_address(models.AllocateEipAddressRequest(region_id=REGION, bandwidth="5")).body
            undo.append(("ReleaseEipAddress", lambda: vpc.release_eip_address(
                models.ReleaseEipAddressRequest(region_id=REGION, allocation_id=eip.allocation_id))))
            vpc.associate_eip_address(models.AssociateEipAddressRequest(
                region_id=REGION, allocation_id=eip.allocation_id, instance_id=nat.nat_gateway_id,
                instance_type="Nat"))
            undo.append(("UnassociateEipAddress", lambda: vpc.unassociate_eip_address(
                models.UnassociateEipAddressRequest(region_id=REGION, allocation_id=eip.allocation_id,
                                                    instance_id=nat.nat_gateway_id, instance_type="Nat"))))
            settle()
            print("EIP", eip.eip_address, "bound to", nat.nat_gateway_id)
            return eip.eip_address

        egress_ip, ingress_ip = bind_eip(), bind_eip()

        # 3. SNAT: the whole vSwitch reaches the Internet from the first EIP.
        snat_id = vpc.create_snat_entry(models.CreateSnatEntryRequest(
            region_id=REGION, snat_table_id=snat_table, snat_ip=egress_ip, source_vswitch_id=vsw_id,
            snat_entry_name="vswitch-out")).body.snat_entry_id
        undo.append(("DeleteSnatEntry", lambda: vpc.delete_snat_entry(models.DeleteSnatEntryRequest(
            region_id=REGION, snat_table_id=snat_table, snat_entry_id=snat_id))))
        settle()
        snat = vpc.describe_snat_table_entries(models.DescribeSnatTableEntriesRequest(
            region_id=REGION, snat_table_id=snat_table)).body.snat_table_entries.snat_table_entry[0]
        print("SNAT", snat.snat_entry_id, snat.source_cidr, "->", snat.snat_ip, snat.status)

        # 4. DNAT: the second EIP's TCP port 8080 is forwarded to port 80 of the instance.
        forward_id = vpc.create_forward_entry(models.CreateForwardEntryRequest(
            region_id=REGION, forward_table_id=forward_table, external_ip=ingress_ip, external_port="8080",
            internal_ip=private_ip, internal_port="80", ip_protocol="TCP",
            forward_entry_name="web")).body.forward_entry_id
        undo.append(("DeleteForwardEntry", lambda: vpc.delete_forward_entry(models.DeleteForwardEntryRequest(
            region_id=REGION, forward_table_id=forward_table, forward_entry_id=forward_id))))
        settle()
        dnat = vpc.describe_forward_table_entries(models.DescribeForwardTableEntriesRequest(
            region_id=REGION, forward_table_id=forward_table)).body.forward_table_entries.forward_table_entry[0]
        print(f"DNAT {dnat.forward_entry_id} {dnat.ip_protocol} {dnat.external_ip}:{dnat.external_port}"
              f" -> {dnat.internal_ip}:{dnat.internal_port} {dnat.status}")

        gateway = vpc.describe_nat_gateways(models.DescribeNatGatewaysRequest(
            region_id=REGION, nat_gateway_id=nat.nat_gateway_id)).body.nat_gateways.nat_gateway[0]
        print("gateway", gateway.nat_gateway_id, gateway.status, gateway.spec,
              "IPs:", ", ".join(f"{ip.ip_address} ({ip.using_status})" for ip in gateway.ip_lists.ip_list))
    finally:
        failed = []
        for name, step in reversed(undo):
            try:
                step()
                settle()
            except Exception as e:  # keep tearing down; report at the end
                failed.append(f"{name}: {e}")
        if failed:
            print("teardown left something behind:", *failed, sep="\n  ")
            raise SystemExit(1)
        print("torn down: no entry, EIP, NAT gateway, instance or VPC left")


if __name__ == "__main__":
    main()
