"""Allocates an EIP, binds it to an ECS instance, moves it into an Internet Shared Bandwidth
package, caps it there, and tears everything down again, against alicloud-emulator, with the
official Tea SDKs. Everything it creates is removed even when a step fails, so it can run any number
of times against a durable server.

    pip install alibabacloud-ecs20140526 alibabacloud-vpc20160428 requests
    python3 examples/eip_bandwidth.py            # server on 127.0.0.1:9760 (ALICLOUD_EMULATOR_ENDPOINT)
"""

import os

import requests
from alibabacloud_ecs20140526 import models as ecs_models
from alibabacloud_ecs20140526.client import Client as EcsClient
from alibabacloud_tea_openapi.models import Config
from alibabacloud_vpc20160428 import models as vpc_models
from alibabacloud_vpc20160428.client import Client as VpcClient

ENDPOINT = os.environ.get("ALICLOUD_EMULATOR_ENDPOINT", "127.0.0.1:9760")
CONTROL = f"http://{ENDPOINT}/_emulator"
REGION = "cn-hangzhou"


def config():
    # The only change from a program that talks to the real cloud: the endpoint (and http).
    return Config(access_key_id="testid", access_key_secret="testsecret", region_id=REGION,
                  endpoint=ENDPOINT, protocol="http")


def settle():
    """Lets transitional states (Pending, Associating...) pass: the emulator's clock moves on demand."""
    requests.post(f"{CONTROL}/clock/advance", json={"seconds": 60}, timeout=5)


def eip_item(vpc, allocation_id):
    body = vpc.describe_eip_addresses(vpc_models.DescribeEipAddressesRequest(
        region_id=REGION, allocation_id=allocation_id)).body
    return body.eip_addresses.eip_address[0]


def main():
    vpc, ecs = VpcClient(config()), EcsClient(config())
    undo = []  # teardown steps, run newest first whatever happens
    try:
        # A VPC, a vSwitch, a security group and a pay-as-you-go instance without a public IP.
        vpc_id = vpc.create_vpc(vpc_models.CreateVpcRequest(region_id=REGION, cidr_block="10.0.0.0/8")).body.vpc_id
        undo.append(("DeleteVpc", lambda: vpc.delete_vpc(vpc_models.DeleteVpcRequest(region_id=REGION, vpc_id=vpc_id))))
        settle()
        vsw_id = vpc.create_vswitch(vpc_models.CreateVSwitchRequest(
            region_id=REGION, vpc_id=vpc_id, zone_id="cn-hangzhou-b", cidr_block="10.1.0.0/24")).body.v_switch_id
        undo.append(("DeleteVSwitch", lambda: vpc.delete_vswitch(
            vpc_models.DeleteVSwitchRequest(region_id=REGION, v_switch_id=vsw_id))))
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
        print("instance", instance_id, "running in", vsw_id)

        # 1. An EIP of 5 Mbit/s, bound to the instance.
        eip = vpc.allocate_eip_address(vpc_models.AllocateEipAddressRequest(region_id=REGION, bandwidth="5")).body
        undo.append(("ReleaseEipAddress", lambda: vpc.release_eip_address(
            vpc_models.ReleaseEipAddressRequest(region_id=REGION, allocation_id=eip.allocation_id))))
        vpc.associate_eip_address(vpc_models.AssociateEipAddressRequest(
            region_id=REGION, allocation_id=eip.allocation_id, instance_id=instance_id))

        def unbind():
            vpc.unassociate_eip_address(vpc_models.UnassociateEipAddressRequest(
                region_id=REGION, allocation_id=eip.allocation_id, instance_id=instance_id))
            settle()
        undo.append(("UnassociateEipAddress", unbind))
        settle()
        shown = ecs.describe_instance_attribute(
            ecs_models.DescribeInstanceAttributeRequest(instance_id=instance_id)).body.eip_address
        print("EIP", eip.eip_address, eip_item(vpc, eip.allocation_id).status, "on", instance_id,
              "- the instance shows", shown.ip_address, f"at {shown.bandwidth} Mbit/s")

        # 2. A 100 Mbit/s shared bandwidth package; the EIP moves into it and is billed by it.
        package_id = vpc.create_common_bandwidth_package(vpc_models.CreateCommonBandwidthPackageRequest(
            region_id=REGION, bandwidth=100, name="shared-web")).body.bandwidth_package_id
        undo.append(("DeleteCommonBandwidthPackage", lambda: vpc.delete_common_bandwidth_package(
            vpc_models.DeleteCommonBandwidthPackageRequest(region_id=REGION, bandwidth_package_id=package_id,
                                                           force=True))))
        vpc.add_common_bandwidth_package_ip(vpc_models.AddCommonBandwidthPackageIpRequest(
            region_id=REGION, bandwidth_package_id=package_id, ip_instance_id=eip.allocation_id))
        item = eip_item(vpc, eip.allocation_id)
        print("in package", item.bandwidth_package_id, f"- now {item.bandwidth} Mbit/s",
              f"(its own {item.eip_bandwidth} Mbit/s kept for later)")

        # 3. A cap for this EIP inside the package.
        vpc.modify_common_bandwidth_package_ip_bandwidth(vpc_models.ModifyCommonBandwidthPackageIpBandwidthRequest(
            region_id=REGION, bandwidth_package_id=package_id, eip_id=eip.allocation_id, bandwidth="20"))
        print(f"capped at {eip_item(vpc, eip.allocation_id).bandwidth} Mbit/s")

        # 4. Out of the package again: its own bandwidth is back.
        vpc.remove_common_bandwidth_package_ip(vpc_models.RemoveCommonBandwidthPackageIpRequest(
            region_id=REGION, bandwidth_package_id=package_id, ip_instance_id=eip.allocation_id))
        print(f"out of the package: {eip_item(vpc, eip.allocation_id).bandwidth} Mbit/s")
    finally:
        failed = []
        for name, step in reversed(undo):
            try:
                step()
            except Exception as e:  # keep tearing down; report at the end
                failed.append(f"{name}: {e}")
        if failed:
            print("teardown left something behind:", *failed, sep="\n  ")
        else:
            print("torn down: no EIP, package, instance or VPC left")


if __name__ == "__main__":
    main()
