"""Connects two VPCs (in two regions) through a pair of router interfaces, routes traffic over the
link, changes its Spec, and tears everything down again, against alicloud-emulator, with the
official Tea SDK.

    pip install alibabacloud-vpc20160428 requests
    python3 examples/router_interfaces.py        # server on 127.0.0.1:9760 (ALICLOUD_EMULATOR_ENDPOINT)

Transitional states (Connecting, Activating, Deactivating) last the server's --transition-delay;
the example moves the emulated clock instead of sleeping, so it runs the same with any delay.
Every run registers an account of its own (POST /_emulator/accounts) and starts from an empty
cloud, so it can run any number of times against a durable server, even after a run that stopped
half-way.
"""

import os
import secrets

import requests
from alibabacloud_tea_openapi.models import Config
from alibabacloud_vpc20160428 import models
from alibabacloud_vpc20160428.client import Client as VpcClient

ENDPOINT = os.environ.get("ALICLOUD_EMULATOR_ENDPOINT", "127.0.0.1:9760")
CONTROL = f"http://{ENDPOINT}/_emulator"
HANGZHOU, SHANGHAI = "cn-hangzhou", "cn-shanghai"


def register_account():
    """A new account with its own AccessKey and resources."""
    account = {"access_key_id": "example-" + secrets.token_hex(8), "access_key_secret": secrets.token_hex(16),
               "account_id": str(10**15 + secrets.randbelow(9 * 10**15))}
    requests.post(f"{CONTROL}/accounts", json=account).raise_for_status()
    return account


def client(account):
    # The only change from a program that talks to the real cloud: the endpoint (and http).
    return VpcClient(Config(access_key_id=account["access_key_id"], access_key_secret=account["access_key_secret"],
                            region_id=HANGZHOU, endpoint=ENDPOINT, protocol="http"))


def interface(vpc, region, ri):
    """The DescribeRouterInterfaces item of one interface."""
    found = vpc.describe_router_interfaces(models.DescribeRouterInterfacesRequest(
        region_id=region,
        filter=[models.DescribeRouterInterfacesRequestFilter(key="RouterInterfaceId", value=[ri])])).body
    return found.router_interface_set.router_interface_type[0]


def wait_for(vpc, region, ri, status):
    """Moves the emulated clock a second at a time until the interface is in ``status``."""
    for _ in range(600):
        current = interface(vpc, region, ri).status
        if current == status:
            return
        requests.post(f"{CONTROL}/clock/advance", json={"seconds": 1}).raise_for_status()
    raise SystemExit(f"{ri} never became {status} (still {current})")


def wait_available(vpc, region, vpc_id):
    for _ in range(600):
        attrs = vpc.describe_vpc_attribute(models.DescribeVpcAttributeRequest(region_id=region, vpc_id=vpc_id)).body
        if attrs.status == "Available":
            return
        requests.post(f"{CONTROL}/clock/advance", json={"seconds": 1}).raise_for_status()
    raise SystemExit(f"{vpc_id} never became Available")


def show(vpc, region, ri):
    i = interface(vpc, region, ri)
    print(f"  {ri} ({i.role}, {region}): {i.status}, Spec {i.spec} ({i.bandwidth} Mbit/s), "
          f"opposite {i.opposite_interface_id or '-'} {i.opposite_interface_status or ''}")


def main():
    vpc = client(register_account())

    # 1. Two VPCs, one per region; each has a vRouter and a System route table.
    a = vpc.create_vpc(models.CreateVpcRequest(region_id=HANGZHOU, cidr_block="10.0.0.0/16")).body
    b = vpc.create_vpc(models.CreateVpcRequest(region_id=SHANGHAI, cidr_block="10.1.0.0/16")).body
    wait_available(vpc, HANGZHOU, a.vpc_id)
    wait_available(vpc, SHANGHAI, b.vpc_id)
    print("VPC", a.vpc_id, "(vRouter", a.vrouter_id + ") in", HANGZHOU)
    print("VPC", b.vpc_id, "(vRouter", b.vrouter_id + ") in", SHANGHAI)

    # 2. The interfaces: the initiator sets the bandwidth (Spec); the acceptor's Spec is Negative.
    init = vpc.create_router_interface(models.CreateRouterInterfaceRequest(
        region_id=HANGZHOU, router_type="VRouter", router_id=a.vrouter_id, role="InitiatingSide",
        spec="Small.1", opposite_region_id=SHANGHAI, name="hangzhou-to-shanghai")).body.router_interface_id
    acc = vpc.create_router_interface(models.CreateRouterInterfaceRequest(
        region_id=SHANGHAI, router_type="VRouter", router_id=b.vrouter_id, role="AcceptingSide",
        spec="Negative", opposite_region_id=HANGZHOU, opposite_interface_id=init,
        name="shanghai-from-hangzhou")).body.router_interface_id
    # The initiator learns its opposite once the acceptor exists.
    vpc.modify_router_interface_attribute(models.ModifyRouterInterfaceAttributeRequest(
        region_id=HANGZHOU, router_interface_id=init, opposite_interface_id=acc,
        opposite_router_id=b.vrouter_id, opposite_router_type="VRouter"))
    print("created the pair:")
    show(vpc, HANGZHOU, init)
    show(vpc, SHANGHAI, acc)

    # 3. Connect (from the initiator): both sides go Connecting -> Active.
    vpc.connect_router_interface(models.ConnectRouterInterfaceRequest(region_id=HANGZHOU, router_interface_id=init))
    wait_for(vpc, HANGZHOU, init, "Active")
    wait_for(vpc, SHANGHAI, acc, "Active")
    print("connected at", interface(vpc, HANGZHOU, init).connected_time + ":")
    show(vpc, HANGZHOU, init)
    show(vpc, SHANGHAI, acc)

    # 4. Route each VPC's traffic for the other over its interface.
    vpc.create_route_entry(models.CreateRouteEntryRequest(
        region_id=HANGZHOU, route_table_id=a.route_table_id, destination_cidr_block="10.1.0.0/16",
        next_hop_type="RouterInterface", next_hop_id=init))
    vpc.create_route_entry(models.CreateRouteEntryRequest(
        region_id=SHANGHAI, route_table_id=b.route_table_id, destination_cidr_block="10.0.0.0/16",
        next_hop_type="RouterInterface", next_hop_id=acc))
    print("routes: 10.1.0.0/16 via", init, "and 10.0.0.0/16 via", acc)

    # 5. More bandwidth: Active -> Activating -> Active with the new Spec.
    spec = vpc.modify_router_interface_spec(models.ModifyRouterInterfaceSpecRequest(
        region_id=HANGZHOU, router_interface_id=init, spec="Large.1")).body.spec
    print("spec changed to", spec, "- now", interface(vpc, HANGZHOU, init).status)
    wait_for(vpc, HANGZHOU, init, "Active")
    show(vpc, HANGZHOU, init)
    show(vpc, SHANGHAI, acc)
    assert interface(vpc, SHANGHAI, acc).opposite_bandwidth == 1000

    # 6. Tear down: routes first, then deactivate (only Idle or Inactive interfaces can be
    # deleted), delete both sides, and the VPCs.
    vpc.delete_route_entry(models.DeleteRouteEntryRequest(
        region_id=HANGZHOU, route_table_id=a.route_table_id, destination_cidr_block="10.1.0.0/16", next_hop_id=init))
    vpc.delete_route_entry(models.DeleteRouteEntryRequest(
        region_id=SHANGHAI, route_table_id=b.route_table_id, destination_cidr_block="10.0.0.0/16", next_hop_id=acc))
    for region, ri in ((HANGZHOU, init), (SHANGHAI, acc)):
        vpc.deactivate_router_interface(models.DeactivateRouterInterfaceRequest(region_id=region,
                                                                                router_interface_id=ri))
        wait_for(vpc, region, ri, "Inactive")
    print("deactivated:")
    show(vpc, HANGZHOU, init)
    show(vpc, SHANGHAI, acc)
    vpc.delete_router_interface(models.DeleteRouterInterfaceRequest(region_id=HANGZHOU, router_interface_id=init))
    print("deleted", init, "- its peer now sees", interface(vpc, SHANGHAI, acc).opposite_interface_status)
    vpc.delete_router_interface(models.DeleteRouterInterfaceRequest(region_id=SHANGHAI, router_interface_id=acc))
    vpc.delete_vpc(models.DeleteVpcRequest(region_id=HANGZHOU, vpc_id=a.vpc_id))
    vpc.delete_vpc(models.DeleteVpcRequest(region_id=SHANGHAI, vpc_id=b.vpc_id))
    print("torn down: no interfaces and no VPCs left")


if __name__ == "__main__":
    main()
