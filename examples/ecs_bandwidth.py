"""Walks an ECS instance through a bandwidth upgrade, a temporary upgrade that expires, and a
change refused on an overdue account, against alicloud-emulator, with the official Tea SDKs.

Every run registers an account of its own (POST /_emulator/accounts), so it starts from an empty
cloud and can run any number of times against a durable server: the subscription instance it buys
cannot be deleted, and VPCs count against a quota.

    pip install alibabacloud-ecs20140526 alibabacloud-vpc20160428 requests
    python3 examples/ecs_bandwidth.py            # server on 127.0.0.1:9760 (ALICLOUD_EMULATOR_ENDPOINT)
"""

import datetime
import os
import secrets

import requests
from alibabacloud_ecs20140526 import models as ecs_models
from alibabacloud_ecs20140526.client import Client as EcsClient
from alibabacloud_tea_openapi.models import Config
from alibabacloud_vpc20160428 import models as vpc_models
from alibabacloud_vpc20160428.client import Client as VpcClient
from Tea.exceptions import TeaException

ENDPOINT = os.environ.get("ALICLOUD_EMULATOR_ENDPOINT", "127.0.0.1:9760")
CONTROL = f"http://{ENDPOINT}/_emulator"
REGION = "cn-hangzhou"


def register_account():
    """A new account with its own AccessKey, resources, orders and balance."""
    account = {"access_key_id": "example-" + secrets.token_hex(8), "access_key_secret": secrets.token_hex(16),
               "account_id": str(10**15 + secrets.randbelow(9 * 10**15))}
    requests.post(f"{CONTROL}/accounts", json=account).raise_for_status()
    return account


def config(account):
    # The only change from a program that talks to the real cloud: the endpoint (and http).
    return Config(access_key_id=account["access_key_id"], access_key_secret=account["access_key_secret"],
                  region_id=REGION, endpoint=ENDPOINT, protocol="http")


def advance(seconds):
    return requests.post(f"{CONTROL}/clock/advance", json={"seconds": seconds}).json()["now"]


def bandwidth(ecs, instance_id):
    a = ecs.describe_instance_attribute(
        ecs_models.DescribeInstanceAttributeRequest(instance_id=instance_id)).body
    return a.internet_max_bandwidth_out, a.public_ip_address.ip_address


def main():
    account = register_account()
    billing = f"{CONTROL}/billing"
    print("account", account["account_id"], "AccessKey", account["access_key_id"])
    vpc, ecs = VpcClient(config(account)), EcsClient(config(account))

    # A VPC, a vSwitch, a security group and a one-month subscription instance with no bandwidth.
    vpc_id = vpc.create_vpc(vpc_models.CreateVpcRequest(region_id=REGION, cidr_block="10.0.0.0/8")).body.vpc_id
    vsw_id = vpc.create_vswitch(vpc_models.CreateVSwitchRequest(
        region_id=REGION, vpc_id=vpc_id, zone_id="cn-hangzhou-b", cidr_block="10.1.0.0/24")).body.v_switch_id
    sg_id = ecs.create_security_group(ecs_models.CreateSecurityGroupRequest(
        region_id=REGION, vpc_id=vpc_id)).body.security_group_id
    run = ecs.run_instances(ecs_models.RunInstancesRequest(
        region_id=REGION, image_id="aliyun_3_x64_20G_alibase", instance_type="ecs.g7.large",
        v_switch_id=vsw_id, security_group_id=sg_id, instance_charge_type="PrePaid", period=1,
        internet_charge_type="PayByTraffic", internet_max_bandwidth_out=0)).body
    instance_id = run.instance_id_sets.instance_id_set[0]
    print("instance", instance_id, "bought with order", run.order_id, "for", run.trade_price, "CNY")

    # 1. A bandwidth upgrade from 0 Mbit/s: an order, and a public IP for the subscription.
    order = ecs.modify_instance_network_spec(ecs_models.ModifyInstanceNetworkSpecRequest(
        instance_id=instance_id, internet_max_bandwidth_out=10)).body.order_id
    out, ips = bandwidth(ecs, instance_id)
    print("upgraded to", out, "Mbit/s, public IP", ips, "order", order)
    assert out == 10 and len(ips) == 1

    # The next change must wait five minutes: move the emulated clock instead of sleeping.
    print("clock now", advance(300))

    # 2. A temporary upgrade to 50 Mbit/s until the top of the hour after next, then back to 10.
    now = datetime.datetime.fromisoformat(requests.get(f"{CONTROL}/clock").json()["now"].replace("Z", "+00:00"))
    end = now.replace(minute=0, second=0) + datetime.timedelta(hours=2)
    ecs.modify_instance_network_spec(ecs_models.ModifyInstanceNetworkSpecRequest(
        instance_id=instance_id, internet_max_bandwidth_out=50,
        start_time=now.strftime("%Y-%m-%dT%H:%MZ"), end_time=end.strftime("%Y-%m-%dT%HZ")))
    print("temporary upgrade:", bandwidth(ecs, instance_id)[0], "Mbit/s until", end.strftime("%Y-%m-%dT%HZ"))
    assert bandwidth(ecs, instance_id)[0] == 50
    print("clock now", advance((end - now).total_seconds()))
    print("after EndTime:", bandwidth(ecs, instance_id)[0], "Mbit/s")
    assert bandwidth(ecs, instance_id)[0] == 10

    # 3. An overdue account cannot change its instances.
    requests.post(billing, json={"overdue": True, "account_id": account["account_id"]}).raise_for_status()
    try:
        ecs.modify_instance_network_spec(ecs_models.ModifyInstanceNetworkSpecRequest(
            instance_id=instance_id, internet_max_bandwidth_out=20))
        raise SystemExit("the change should have been refused")
    except TeaException as e:
        print("overdue account:", e.code, "-", e.message)
        assert e.code == "Account.Arrearage"
    requests.post(billing, json={"overdue": False, "account_id": account["account_id"]}).raise_for_status()

    bill = requests.get(billing, params={"account_id": account["account_id"]}).json()
    print("balance", bill["balance"], "CNY after", len(bill["orders"]), "orders")


if __name__ == "__main__":
    main()
