"""Accounts registered at run time (POST /_emulator/accounts): each signs with its own AccessKey and
sees only its own resources, orders and balance; public IPs stay unique across accounts."""

import requests
from alibabacloud_vpc20160428 import models as vpc_models

from helpers import OldApi, TeaApi, assert_error, ecs_network, make_acs, make_ecs_tea, make_tea

OTHER = {"access_key_id": "other-key", "access_key_secret": "other-secret", "account_id": "2222222222222222"}


def register(emulator, **account):
    return requests.post(f"{emulator.url}/_emulator/accounts", json=account, timeout=5)


def test_a_registered_account_has_its_own_resources(emulator, old, tea):
    r = register(emulator, **OTHER)
    assert r.status_code == 200, r.text
    listed = requests.get(f"{emulator.url}/_emulator/accounts", timeout=5).json()
    assert {"access_key_id": "other-key", "account_id": "2222222222222222"} in listed["registered"]
    assert "other-secret" not in str(listed)

    other = make_tea(emulator.endpoint, key_id="other-key", secret="other-secret")
    mine = old.CreateVpc(CidrBlock="10.0.0.0/8")["VpcId"]
    theirs = other.create_vpc(vpc_models.CreateVpcRequest(region_id="cn-hangzhou", cidr_block="10.0.0.0/8")).body.vpc_id
    assert [v["VpcId"] for v in old.DescribeVpcs()["Vpcs"]["Vpc"]] == [mine]
    seen = other.describe_vpcs(vpc_models.DescribeVpcsRequest(region_id="cn-hangzhou")).body.to_map()
    assert [v["VpcId"] for v in seen["Vpcs"]["Vpc"]] == [theirs]
    # Another account's VPC does not exist for the caller.
    assert_error(lambda: old.DeleteVpc(VpcId=theirs), 404, "InvalidVpcId.NotFound")


def test_a_wrong_secret_of_a_registered_key_is_refused(emulator):
    register(emulator, **OTHER)
    wrong = make_acs(emulator.endpoint, key_id="other-key", secret="nope")
    api = OldApi(wrong, emulator.endpoint)
    # The old core SDK turns the server's SignatureDoesNotMatch into its own InvalidAccessKeySecret
    # when its string to sign equals the server's, i.e. when only the secret is wrong.
    assert_error(lambda: api.DescribeVpcs(), 400, "InvalidAccessKeySecret")


def test_public_ips_never_collide_across_accounts(emulator, old, ecs_old):
    register(emulator, **OTHER)
    other_acs = make_acs(emulator.endpoint, key_id="other-key", secret="other-secret")
    other_old = OldApi(other_acs, emulator.endpoint)
    other_ecs = TeaApi(make_ecs_tea(emulator.endpoint, key_id="other-key", secret="other-secret"))
    addresses = []
    for vpc_api, ecs_api in ((old, ecs_old), (other_old, other_ecs)):
        net = ecs_network(vpc_api, ecs_api)
        run = ecs_api.RunInstances(RegionId="cn-hangzhou", ImageId="img", InstanceType="ecs.g6.large",
                                   VSwitchId=net.vswitch_id, SecurityGroupId=net.security_group_id,
                                   InternetMaxBandwidthOut=5, Amount=3)
        ids = run["InstanceIdSets"]["InstanceIdSet"]
        for item in ecs_api.DescribeInstances(RegionId="cn-hangzhou")["Instances"]["Instance"]:
            assert item["InstanceId"] in ids, "each account sees only its own instances"
            addresses += item["PublicIpAddress"]["IpAddress"]
    assert len(addresses) == 6 and len(set(addresses)) == 6


def test_billing_is_per_account(emulator):
    register(emulator, **OTHER)
    requests.post(f"{emulator.url}/_emulator/billing", json={"account_id": OTHER["account_id"], "balance": 5},
                  timeout=5).raise_for_status()
    assert requests.get(f"{emulator.url}/_emulator/billing", params={"account_id": OTHER["account_id"]},
                        timeout=5).json()["balance"] == 5
    assert requests.get(f"{emulator.url}/_emulator/billing", timeout=5).json()["balance"] == 10000


def test_registration_is_checked(emulator):
    assert register(emulator, access_key_id="k", access_key_secret="s", account_id="12ab").status_code == 400
    assert register(emulator, access_key_id="", access_key_secret="s", account_id="1").status_code == 400
    assert register(emulator, access_key_id="testid", access_key_secret="s", account_id="1").status_code == 409


def test_registration_never_rekeys_or_adds_keys_unless_asked(emulator):
    assert register(emulator, **OTHER).status_code == 200
    # The same id again with another secret: refused, the old secret still works.
    r = register(emulator, **{**OTHER, "access_key_secret": "stolen"})
    assert r.status_code == 409 and r.json()["status"] == "error", r.text
    api = OldApi(make_acs(emulator.endpoint, key_id="other-key", secret="other-secret"), emulator.endpoint)
    assert api.DescribeVpcs()["TotalCount"] == 0
    # Another key for an account that has one (the default account included): refused.
    second = {"access_key_id": "second-key", "access_key_secret": "s", "account_id": OTHER["account_id"]}
    assert register(emulator, **second).status_code == 409
    default = {"access_key_id": "mine", "access_key_secret": "s", "account_id": "1234567890123456"}
    assert register(emulator, **default).status_code == 409
    # Asked explicitly: both allowed.
    assert register(emulator, **second, replace=True).status_code == 200
    assert register(emulator, **{**OTHER, "access_key_secret": "new-secret"}, replace=True).status_code == 200
    rekeyed = OldApi(make_acs(emulator.endpoint, key_id="other-key", secret="new-secret"), emulator.endpoint)
    assert rekeyed.DescribeVpcs()["TotalCount"] == 0


def test_admin_endpoints_refuse_web_pages(emulator):
    r = requests.post(f"{emulator.url}/_emulator/reset", headers={"Origin": "http://evil.example"}, timeout=5)
    assert r.status_code == 403 and r.json()["status"] == "error"
    r = requests.get(f"{emulator.url}/_emulator/accounts", headers={"Host": "rebound.example"}, timeout=5)
    assert r.status_code == 403
