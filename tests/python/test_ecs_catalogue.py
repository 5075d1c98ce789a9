"""Images, disks, ENIs, instance type families and zone resources (issue 12): DescribeImages and
the ImageId check, DescribeDisks (system disk, data disks), DescribeNetworkInterfaces (primary
ENI), DescribeInstanceTypeFamilies, DescribeZones' AvailableResources. Tests taking ``ecs`` run
with the old core request classes and with the Tea client."""

import pytest

from helpers import (IMAGE_ID, USER_DATA_SIZE, TeaApi, assert_error, big_user_data, ecs_network, instance_params,
                     run_instance)


def test_describe_images(ecs):
    images = ecs.DescribeImages(PageSize=50)["Images"]["Image"]
    assert IMAGE_ID in [i["ImageId"] for i in images]
    [one] = ecs.DescribeImages(ImageId=IMAGE_ID)["Images"]["Image"]
    assert (one["OSType"], one["ImageOwnerAlias"], one["Status"], one["IsPublic"]) == ("linux", "system", "Available", True)
    assert all(i["OSType"] == "windows" for i in ecs.DescribeImages(OSType="windows")["Images"]["Image"])


def test_unknown_image_is_refused(old, ecs, ecs_old):
    net = ecs_network(old, ecs_old)
    assert_error(lambda: run_instance(ecs, net, ImageId="m-nothere"), 404, "InvalidImageId.NotFound",
                 "The specified ImageId does not exist.")


def test_disks_and_primary_eni(old, ecs, ecs_old):
    net = ecs_network(old, ecs_old)
    # Old core sends SystemDisk.Category / SystemDisk.Size as flat parameters; Tea as a struct.
    system_disk = {"Category": "cloud_essd", "Size": 60}
    if isinstance(ecs, TeaApi):
        instance = run_instance(ecs, net, SystemDisk=system_disk)
    else:
        instance = run_instance(ecs, net, **{f"SystemDisk.{k}": v for k, v in system_disk.items()})
    [disk] = ecs.DescribeDisks(InstanceId=instance)["Disks"]["Disk"]
    assert (disk["Type"], disk["Category"], disk["Size"], disk["Status"]) == ("system", "cloud_essd", 60, "In_use")
    assert disk["ImageId"] == IMAGE_ID and disk["DiskId"].startswith("d-")
    [eni] = ecs.DescribeNetworkInterfaces(InstanceId=instance)["NetworkInterfaceSets"]["NetworkInterfaceSet"]
    assert (eni["Type"], eni["VpcId"], eni["VSwitchId"]) == ("Primary", net.vpc_id, net.vswitch_id)
    assert eni["SecurityGroupIds"]["SecurityGroupId"] == [net.security_group_id]
    assert eni["NetworkInterfaceId"].startswith("eni-")


def test_data_disks(old, ecs_old):
    net = ecs_network(old, ecs_old)
    [instance] = ecs_old.RunInstances(ImageId=IMAGE_ID, InstanceType="ecs.g6.large", VSwitchId=net.vswitch_id,
                                      SecurityGroupId=net.security_group_id,
                                      DataDisks=[{"Size": 100, "Category": "cloud_ssd"}])["InstanceIdSets"]["InstanceIdSet"]
    disks = ecs_old.DescribeDisks(InstanceId=instance, DiskType="data")["Disks"]["Disk"]
    assert [(d["Size"], d["Category"], d["Device"]) for d in disks] == [(100, "cloud_ssd", "/dev/xvdb")]


def test_instance_type_families_and_zone_resources(ecs):
    families = ecs.DescribeInstanceTypeFamilies()["InstanceTypeFamilies"]["InstanceTypeFamily"]
    assert {"InstanceTypeFamilyId": "ecs.g6", "Generation": "ecs-4"} in families
    zone = ecs.DescribeZones()["Zones"]["Zone"][0]
    [info] = zone["AvailableResources"]["ResourcesInfo"]
    assert "ecs.g6" in info["InstanceTypeFamilies"]["supportedInstanceTypeFamily"]
    assert "ecs.g6.large" in info["InstanceTypes"]["supportedInstanceType"]
    assert "cloud_essd" in info["SystemDiskCategories"]["supportedSystemDiskCategory"]


def test_key_pairs(old, ecs, ecs_old):
    created = ecs.CreateKeyPair(KeyPairName="deploy-key")
    assert created["KeyPairName"] == "deploy-key" and "PRIVATE KEY" in created["PrivateKeyBody"]
    assert_error(lambda: ecs.CreateKeyPair(KeyPairName="deploy-key"), 400, "KeyPair.AlreadyExist",
                 "The key pair already exist.")
    imported = ecs.ImportKeyPair(KeyPairName="laptop", PublicKeyBody="ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHk me@laptop")
    assert len(imported["KeyPairFingerPrint"].split(":")) == 16
    assert_error(lambda: ecs.ImportKeyPair(KeyPairName="bad", PublicKeyBody="not a key"), 400,
                 "InvalidPublicKeyBody.Malformed")
    listed = ecs.DescribeKeyPairs(KeyPairName="lap*")["KeyPairs"]["KeyPair"]
    assert [k["KeyPairName"] for k in listed] == ["laptop"]
    net = ecs_network(old, ecs_old)
    instance = run_instance(ecs, net, KeyPairName="deploy-key")
    [item] = ecs.DescribeInstances(KeyPairName="deploy-key")["Instances"]["Instance"]
    assert item["InstanceId"] == instance and item["KeyPairName"] == "deploy-key"
    result = ecs.AttachKeyPair(KeyPairName="laptop", InstanceIds=f'["{instance}"]')
    assert (result["TotalCount"], result["FailCount"]) == ("1", "0")
    assert ecs.DescribeInstances(KeyPairName="laptop")["TotalCount"] == 1
    ecs.DetachKeyPair(KeyPairName="laptop", InstanceIds=f'["{instance}"]')
    assert ecs.DescribeInstances(KeyPairName="laptop")["TotalCount"] == 0
    assert_error(lambda: ecs.AttachKeyPair(KeyPairName="ghost", InstanceIds=f'["{instance}"]'), 404,
                 "InvalidKeyPairName.NotFound")
    ecs.DeleteKeyPairs(KeyPairNames='["laptop", "deploy-key"]')
    assert ecs.DescribeKeyPairs()["KeyPairs"]["KeyPair"] == []


def test_describe_available_resource(ecs):
    zones = ecs.DescribeAvailableResource(DestinationResource="InstanceType", ZoneId="cn-hangzhou-b",
                                          InstanceType="ecs.g6.large")["AvailableZones"]["AvailableZone"]
    [zone] = zones
    [resource] = zone["AvailableResources"]["AvailableResource"]
    assert resource["Type"] == "InstanceType"
    assert [r["Value"] for r in resource["SupportedResources"]["SupportedResource"]] == ["ecs.g6.large"]
    none = ecs.DescribeAvailableResource(DestinationResource="InstanceType", InstanceType="ecs.nope.large")
    assert none["AvailableZones"]["AvailableZone"] == []


KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHk me@laptop"
KEY_NAME_MALFORMED = ("InvalidKeyPairName.Malformed", "Specified Key Pair name is not valid.")
KEY_PAIR_NOT_FOUND = ("InvalidKeyPairName.NotFound", "The specified KeyPairName does not exist.")


def test_key_pair_errors(old, ecs, ecs_old):
    for name in ["k", "1key", "my key", "http://key"]:
        assert_error(lambda: ecs.CreateKeyPair(KeyPairName=name), 400, *KEY_NAME_MALFORMED)
        assert_error(lambda: ecs.ImportKeyPair(KeyPairName=name, PublicKeyBody=KEY), 400, *KEY_NAME_MALFORMED)
    ecs.ImportKeyPair(KeyPairName="laptop", PublicKeyBody=KEY)
    assert_error(lambda: ecs.ImportKeyPair(KeyPairName="laptop", PublicKeyBody=KEY), 400, "KeyPair.AlreadyExist",
                 "The key pair already exist.")
    net = ecs_network(old, ecs_old)
    instance = run_instance(ecs, net)
    assert_error(lambda: ecs.DetachKeyPair(KeyPairName="ghost", InstanceIds=f'["{instance}"]'), 404,
                 *KEY_PAIR_NOT_FOUND)


def test_key_pair_quota(ecs_tea_api):
    ecs = ecs_tea_api
    for n in range(500):
        ecs.ImportKeyPair(KeyPairName=f"key-{n}", PublicKeyBody=KEY)
    quota = ("QuotaExceed.KeyPair", "The key pair quota exceeds.")
    assert_error(lambda: ecs.CreateKeyPair(KeyPairName="one-more"), 400, *quota)
    assert_error(lambda: ecs.ImportKeyPair(KeyPairName="one-more", PublicKeyBody=KEY), 400, *quota)
    ecs.DeleteKeyPairs(KeyPairNames='["key-0"]')
    ecs.CreateKeyPair(KeyPairName="one-more")


@pytest.mark.parametrize("action", ["CreateInstance", "RunInstances"])
def test_instance_key_pair_and_user_data_errors(old, ecs, ecs_old, action):
    net = ecs_network(old, ecs_old)
    create = lambda **p: lambda: ecs.call(action, **instance_params(net, **p))  # noqa: E731
    assert_error(create(KeyPairName="ghost"), 404, *KEY_PAIR_NOT_FOUND)
    assert_error(create(UserData="%%%"), 400, "InvalidUserData.Base64FormatInvalid",
                 "The specified UserData is not valid base64 string.")
    assert_error(lambda: big_user_data(ecs_old, action, **instance_params(net)), 400, *USER_DATA_SIZE)
    assert ecs.DescribeInstances()["TotalCount"] == 0
