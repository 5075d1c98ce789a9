"""Connects a VPC to an office network over IPsec, against alicloud-emulator, with the official Tea
SDK: a VPN gateway, a customer gateway and an IPsec connection, the configuration to load into the
office's device, a route to the office published into the VPC's route table, and a flow log
capturing the VPC's traffic; then everything is torn down again (in a finally block, so the
example can run any number of times against a durable server).

    pip install alibabacloud-vpc20160428 requests
    python3 examples/vpn_gateway.py        # server on 127.0.0.1:9760 (ALICLOUD_EMULATOR_ENDPOINT)

Transitional states (a gateway is `provisioning`, then `updating` after each change) last the
server's --transition-delay; the example moves the emulated clock instead of sleeping.
"""

import json
import os

import requests
from alibabacloud_tea_openapi.models import Config
from alibabacloud_vpc20160428 import models
from alibabacloud_vpc20160428.client import Client as VpcClient

ENDPOINT = os.environ.get("ALICLOUD_EMULATOR_ENDPOINT", "127.0.0.1:9760")
CONTROL = f"http://{ENDPOINT}/_emulator"
REGION = "cn-hangzhou"
OFFICE_IP = "203.0.113.77"  # the office's public address (a documentation address, RFC 5737)


def client():
    # The only change from a program that talks to the real cloud: the endpoint (and http).
    return VpcClient(Config(access_key_id="testid", access_key_secret="testsecret", region_id=REGION,
                            endpoint=ENDPOINT, protocol="http"))


def settle(check):
    """Moves the emulated clock a second at a time until ``check()`` is true."""
    for _ in range(600):
        if check():
            return
        requests.post(f"{CONTROL}/clock/advance", json={"seconds": 1}).raise_for_status()
    raise SystemExit("the emulated resource never settled")


def gateway_active(vpc, gw):
    return lambda: vpc.describe_vpn_gateway(
        models.DescribeVpnGatewayRequest(region_id=REGION, vpn_gateway_id=gw)).body.status == "active"


def main():
    vpc = client()
    created = {}
    try:
        vpc_id = vpc.create_vpc(models.CreateVpcRequest(region_id=REGION, cidr_block="10.0.0.0/16",
                                                        vpc_name="vpn-example")).body.vpc_id
        created["vpc"] = vpc_id
        settle(lambda: vpc.describe_vpc_attribute(models.DescribeVpcAttributeRequest(
            region_id=REGION, vpc_id=vpc_id)).body.status == "Available")
        created["vsw"] = vpc.create_vswitch(models.CreateVSwitchRequest(
            region_id=REGION, vpc_id=vpc_id, cidr_block="10.0.1.0/24", zone_id="cn-hangzhou-b")).body.v_switch_id

        gw = vpc.create_vpn_gateway(models.CreateVpnGatewayRequest(
            region_id=REGION, vpc_id=vpc_id, bandwidth=10, name="office-link")).body.vpn_gateway_id
        created["gw"] = gw
        settle(gateway_active(vpc, gw))
        info = vpc.describe_vpn_gateway(models.DescribeVpnGatewayRequest(region_id=REGION, vpn_gateway_id=gw)).body
        print(f"VPN gateway {gw}: {info.spec}, public address {info.internet_ip}, {info.status}")

        existing = vpc.describe_customer_gateways(models.DescribeCustomerGatewaysRequest(
            region_id=REGION, page_size=50)).body.customer_gateways.customer_gateway
        stale = [c.customer_gateway_id for c in existing if c.ip_address == OFFICE_IP]
        for cgw_id in stale:  # left over by an interrupted run
            vpc.delete_customer_gateway(models.DeleteCustomerGatewayRequest(region_id=REGION, customer_gateway_id=cgw_id))
        cgw = vpc.create_customer_gateway(models.CreateCustomerGatewayRequest(
            region_id=REGION, ip_address=OFFICE_IP, name="office")).body.customer_gateway_id
        created["cgw"] = cgw
        print(f"customer gateway {cgw}: {OFFICE_IP}")

        vco = vpc.create_vpn_connection(models.CreateVpnConnectionRequest(
            region_id=REGION, vpn_gateway_id=gw, customer_gateway_id=cgw, name="to-office",
            local_subnet="10.0.0.0/16", remote_subnet="192.168.0.0/16", effect_immediately=True,
            ike_config=json.dumps({"IkeVersion": "ikev2", "Psk": "example-key"}),
            ipsec_config=json.dumps({"IpsecEncAlg": "aes256"}))).body.vpn_connection_id
        created["vco"] = vco
        settle(gateway_active(vpc, gw))
        config = vpc.download_vpn_connection_config(models.DownloadVpnConnectionConfigRequest(
            region_id=REGION, vpn_connection_id=vco)).body.vpn_connection_config
        print(f"IPsec connection {vco}: {config.local} <-> {config.remote}, "
              f"{config.local_subnet} <-> {config.remote_subnet}")
        print(f"  IKE {config.ike_config.ike_version}/{config.ike_config.ike_enc_alg}/{config.ike_config.ike_pfs}, "
              f"IPsec {config.ipsec_config.ipsec_enc_alg}/{config.ipsec_config.ipsec_auth_alg}, "
              f"PSK {config.ike_config.psk}")

        vpc.create_vpn_route_entry(models.CreateVpnRouteEntryRequest(
            region_id=REGION, vpn_gateway_id=gw, route_dest="192.168.0.0/16", next_hop=vco, weight=0,
            publish_vpc=True))
        created["route"] = True
        settle(gateway_active(vpc, gw))
        table = vpc.describe_route_table_list(models.DescribeRouteTableListRequest(
            region_id=REGION, vpc_id=vpc_id)).body.router_table_list.router_table_list_type[0].route_table_id
        entries = vpc.describe_route_entry_list(models.DescribeRouteEntryListRequest(
            region_id=REGION, route_table_id=table)).body.route_entrys.route_entry
        for e in entries:
            if e.next_hops.next_hop and e.next_hops.next_hop[0].next_hop_id == gw:
                print(f"published: {e.destination_cidr_block} -> {e.next_hops.next_hop[0].next_hop_type} {gw}")

        fl = vpc.create_flow_log(models.CreateFlowLogRequest(
            region_id=REGION, resource_type="VPC", resource_id=vpc_id, traffic_type="All",
            project_name="network-logs", log_store_name="vpc-traffic", flow_log_name="vpc-traffic")).body.flow_log_id
        created["fl"] = fl
        [log] = vpc.describe_flow_logs(models.DescribeFlowLogsRequest(region_id=REGION, flow_log_id=fl)).body.flow_logs.flow_log
        print(f"flow log {fl}: {log.traffic_type} traffic of {vpc_id} -> {log.project_name}/{log.log_store_name}")
    finally:
        teardown(vpc, created)
    print("torn down")


def teardown(vpc, created):
    """Deletes what the example created, in dependency order."""
    if "fl" in created:
        vpc.delete_flow_log(models.DeleteFlowLogRequest(region_id=REGION, flow_log_id=created["fl"]))
    if "vco" in created:
        settle(gateway_active(vpc, created["gw"]))
        vpc.delete_vpn_connection(models.DeleteVpnConnectionRequest(region_id=REGION, vpn_connection_id=created["vco"]))
    if "cgw" in created:
        vpc.delete_customer_gateway(models.DeleteCustomerGatewayRequest(region_id=REGION,
                                                                        customer_gateway_id=created["cgw"]))
    if "gw" in created:
        settle(gateway_active(vpc, created["gw"]))
        vpc.delete_vpn_gateway(models.DeleteVpnGatewayRequest(region_id=REGION, vpn_gateway_id=created["gw"]))
    if "vsw" in created:
        vpc.delete_vswitch(models.DeleteVSwitchRequest(region_id=REGION, v_switch_id=created["vsw"]))
    if "vpc" in created:
        vpc.delete_vpc(models.DeleteVpcRequest(region_id=REGION, vpc_id=created["vpc"]))


if __name__ == "__main__":
    main()
