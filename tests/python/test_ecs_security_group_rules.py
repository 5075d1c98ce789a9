"""Security group rules and membership (issue 12): AuthorizeSecurityGroup(Egress),
RevokeSecurityGroup(Egress), DescribeSecurityGroupAttribute, ModifySecurityGroupAttribute,
Join/LeaveSecurityGroup, ModifyInstanceAttribute and DescribeUserData, with their documented errors
(spec/patches/ecs-2014-05-26.d/security_group.json). Tests taking ``ecs`` run with the old core
request classes and with the Tea client."""

import pytest

from conftest import TRANSITION_DELAY_SECONDS as DELAY
from helpers import (USER_DATA_SIZE, TeaApi, assert_error, big_user_data, create_instance, create_security_group,
                     describe_instance, ecs_network, run_instance)

SSH = dict(IpProtocol="tcp", PortRange="22/22", SourceCidrIp="0.0.0.0/0")


def permissions(ecs, group, **params):
    return ecs.DescribeSecurityGroupAttribute(SecurityGroupId=group, **params)["Permissions"]["Permission"]


def test_authorize_is_idempotent_and_revoke_removes(old, ecs, ecs_old):
    net = ecs_network(old, ecs_old)
    sg = net.security_group_id
    ecs.AuthorizeSecurityGroup(SecurityGroupId=sg, **SSH)
    ecs.AuthorizeSecurityGroup(SecurityGroupId=sg, **SSH)
    ecs.AuthorizeSecurityGroupEgress(SecurityGroupId=sg, IpProtocol="all", PortRange="-1/-1", DestCidrIp="10.0.0.0/8",
                                     Policy="drop", Priority=10, Description="deny lan")
    rules = permissions(ecs, sg)
    assert [(r["Direction"], r["IpProtocol"], r["PortRange"]) for r in rules] == [
        ("ingress", "TCP", "22/22"),
        ("egress", "ALL", "-1/-1"),
    ]
    ingress, egress = rules
    assert ingress["SourceCidrIp"] == "0.0.0.0/0" and ingress["Policy"] == "Accept" and ingress["NicType"] == "intranet"
    assert egress["DestCidrIp"] == "10.0.0.0/8" and egress["Policy"] == "Drop" and egress["Priority"] == "10"
    assert egress["Description"] == "deny lan" and egress["SecurityGroupRuleId"].startswith("sgr-")
    assert [r["Direction"] for r in permissions(ecs, sg, Direction="egress")] == ["egress"]
    ecs.RevokeSecurityGroup(SecurityGroupId=sg, **SSH)
    ecs.RevokeSecurityGroup(SecurityGroupId=sg, **SSH)
    ecs.RevokeSecurityGroupEgress(SecurityGroupId=sg, IpProtocol="all", PortRange="-1/-1", DestCidrIp="10.0.0.0/8",
                                  Policy="drop", Priority=10)
    assert permissions(ecs, sg) == []


def test_group_sources_and_attributes(old, ecs, ecs_old):
    net = ecs_network(old, ecs_old)
    peer = create_security_group(ecs, net.vpc_id)
    ecs.AuthorizeSecurityGroup(SecurityGroupId=net.security_group_id, IpProtocol="tcp", PortRange="80/443", SourceGroupId=peer)
    [rule] = permissions(ecs, net.security_group_id)
    assert rule["SourceGroupId"] == peer and rule["PortRange"] == "80/443"
    ecs.ModifySecurityGroupAttribute(SecurityGroupId=peer, SecurityGroupName="peer-sg", Description="the peers")
    attr = ecs.DescribeSecurityGroupAttribute(SecurityGroupId=peer)
    assert (attr["SecurityGroupName"], attr["Description"], attr["VpcId"]) == ("peer-sg", "the peers", net.vpc_id)
    assert attr["Permissions"] == {"Permission": []}
    assert permissions(ecs, net.security_group_id)[0]["SourceGroupName"] == "peer-sg"


def test_rule_errors(old, ecs, ecs_old):
    net = ecs_network(old, ecs_old)
    sg = net.security_group_id

    def auth(**p):
        return lambda: ecs.AuthorizeSecurityGroup(SecurityGroupId=sg, **p)

    assert_error(auth(IpProtocol="sctp", SourceCidrIp="0.0.0.0/0"), 400, "InvalidIpProtocol.ValueNotSupported",
                 "The parameter IpProtocol must be specified with case insensitive TCP, UDP, ICMP, GRE or All.")
    assert_error(auth(IpProtocol="tcp", SourceCidrIp="0.0.0.0/0"), 400, "InvalidPortRange.Malformed")
    assert_error(auth(IpProtocol="tcp", PortRange="443/80", SourceCidrIp="0.0.0.0/0"), 400, "InvalidParam.PortRange")
    assert_error(auth(IpProtocol="tcp", PortRange="22/22"), 403, "MissingParameter")
    assert_error(auth(IpProtocol="tcp", PortRange="22/22", SourceCidrIp="10.0.0.999/8"), 400, "InvalidParam.SourceCidrIp")
    assert_error(auth(IpProtocol="tcp", PortRange="22/22", SourceGroupId="sg-nothere"), 404, "InvalidSourceGroupId.NotFound")
    assert_error(auth(IpProtocol="tcp", PortRange="22/22", SourceCidrIp="0.0.0.0/0", Priority=0), 400, "InvalidPriority.Malformed")
    assert_error(auth(IpProtocol="tcp", PortRange="22/22", SourceCidrIp="0.0.0.0/0", Policy="allow"), 400, "InvalidPolicy.Malformed")
    assert_error(lambda: ecs.AuthorizeSecurityGroupEgress(SecurityGroupId=sg, IpProtocol="all"), 403, "MissingParameter")
    assert_error(lambda: ecs.AuthorizeSecurityGroupEgress(SecurityGroupId=sg, IpProtocol="all", DestGroupId="sg-nothere"),
                 404, "InvalidDestGroupId.NotFound")
    assert_error(lambda: ecs.AuthorizeSecurityGroup(SecurityGroupId="sg-nothere", **SSH), 404, "InvalidSecurityGroupId.NotFound")
    assert_error(lambda: ecs.DescribeSecurityGroupAttribute(SecurityGroupId="sg-nothere"), 404,
                 "InvalidSecurityGroupId.NotFound")


def test_membership_user_data_and_instance_attributes(old, ecs, ecs_old):
    net = ecs_network(old, ecs_old)
    instance = run_instance(ecs, net, UserData="IyEvYmluL3NoCmVjaG8gaGkK")
    assert ecs.DescribeUserData(InstanceId=instance)["UserData"] == "IyEvYmluL3NoCmVjaG8gaGkK"
    second = create_security_group(ecs, net.vpc_id)
    ecs.JoinSecurityGroup(InstanceId=instance, SecurityGroupId=second)
    groups = ecs.DescribeInstanceAttribute(InstanceId=instance)["SecurityGroupIds"]["SecurityGroupId"]
    assert groups == [net.security_group_id, second]
    assert_error(lambda: ecs.JoinSecurityGroup(InstanceId=instance, SecurityGroupId=second), 403,
                 "InvalidInstanceId.AlreadyExists")
    ecs.LeaveSecurityGroup(InstanceId=instance, SecurityGroupId=net.security_group_id)
    assert_error(lambda: ecs.LeaveSecurityGroup(InstanceId=instance, SecurityGroupId=net.security_group_id), 403,
                 "InstanceNotInSecurityGroup")
    assert_error(lambda: ecs.LeaveSecurityGroup(InstanceId=instance, SecurityGroupId=second), 403,
                 "InstanceLastSecurityGroup", "The specified security group is the last security group for the instance.")
    ecs.ModifyInstanceAttribute(InstanceId=instance, InstanceName="web-1", Description="the first", HostName="web1",
                                UserData="ZWNobyBieWUK")
    attr = ecs.DescribeInstanceAttribute(InstanceId=instance)
    assert (attr["InstanceName"], attr["Description"], attr["HostName"]) == ("web-1", "the first", "web1")
    assert ecs.DescribeUserData(InstanceId=instance)["UserData"] == "ZWNobyBieWUK"
    assert_error(lambda: ecs.ModifyInstanceAttribute(InstanceId=instance, UserData="%%%"), 400,
                 "InvalidUserData.Base64FormatInvalid")
    assert_error(lambda: ecs.DescribeUserData(InstanceId="i-nothere"), 404, "InvalidInstanceId.NotFound")
    assert_error(lambda: ecs.JoinSecurityGroup(InstanceId="i-nothere", SecurityGroupId=second), 404,
                 "InvalidInstanceId.NotFound")


# --- documented errors of the four rule actions ----------------------------------------------------

RULE_ACTIONS = ["AuthorizeSecurityGroup", "AuthorizeSecurityGroupEgress", "RevokeSecurityGroup",
                "RevokeSecurityGroupEgress"]
TOKEN = ("InvalidClientToken.ValueNotSupported", "The ClientToken provided is invalid.")
PROTOCOL = ("InvalidIpProtocol.ValueNotSupported",
            "The parameter IpProtocol must be specified with case insensitive TCP, UDP, ICMP, GRE or All.")
PORTS = ("InvalidParam.PortRange",
         "The specified parameter PortRange is not valid. It should be two integers less than 65535 in ?/? format.")


def cidr_error(name):
    return (f"InvalidParam.{name}", f"The specified parameter {name} is not valid.")


@pytest.mark.parametrize("action", RULE_ACTIONS)
def test_rule_action_errors(old, ecs, ecs_old, action):
    net = ecs_network(old, ecs_old)
    sg = net.security_group_id
    ingress = not action.endswith("Egress")
    # The peer of the rule: the source of an ingress rule, the destination of an egress one.
    peer_cidr, peer_group, local_cidr = (("SourceCidrIp", "SourceGroupId", "DestCidrIp") if ingress
                                         else ("DestCidrIp", "DestGroupId", "SourceCidrIp"))
    other_vpc = old.CreateVpc(CidrBlock="10.0.0.0/8")["VpcId"]
    stranger = create_security_group(ecs, other_vpc)
    tcp = dict(IpProtocol="tcp", PortRange="22/22")
    to_any = {peer_cidr: "0.0.0.0/0"}

    def call(**p):
        return lambda: ecs.call(action, **{"SecurityGroupId": sg, **p})

    cases = [
        (dict(IpProtocol="sctp", **to_any), 400, *PROTOCOL),
        (dict(IpProtocol="tcp", **to_any), 400, "InvalidPortRange.Malformed", "The specified parameter PortRange must set."),
        (dict(IpProtocol="tcp", PortRange="443/80", **to_any), 400, *PORTS),
        (dict(tcp, **{peer_cidr: "10.0.0.999/8"}), 400, *cidr_error(peer_cidr)),
        (dict(tcp, **to_any, **{local_cidr: "192.168.1.0/33"}), 400, *cidr_error(local_cidr)),
        (dict(tcp), 403, "MissingParameter",
         f"The input parameter {peer_group} or {peer_cidr} cannot be both blank."),
        (dict(tcp, **{peer_group: sg}), 403, "InvalidParamter.Conflict",
         "The specified SecurityGroupId should be different from the SourceGroupId."),
        (dict(tcp, **{peer_group: "sg-nothere"}), 404, f"Invalid{peer_group}.NotFound",
         f"The {peer_group} provided does not exist in our records."),
        (dict(tcp, **{peer_group: stranger}), 400, f"Invalid{peer_group}.Mismatch",
         f"Specified security group and {'source' if ingress else 'destination'} group are not in the same VPC."),
        (dict(tcp, **to_any, Priority=101), 400, "InvalidPriority.Malformed", "The parameter Priority is invalid."),
        (dict(tcp, **to_any, Policy="allow"), 400, "InvalidPolicy.Malformed",
         "The specified parameter Policy is not valid."),
        (dict(tcp, **to_any, NicType="public"), 400, "InvalidNicType.ValueNotSupported",
         "The specified NicType does not exist."),
        (dict(tcp, **to_any, ClientToken="t" * 65), 400, *TOKEN),
        (dict(tcp, **to_any, Permissions=[dict(tcp, **to_any)]), 400, "InvalidParam.Permissions",
         "The specified parameter Permissions cannot coexist with other parameters."),
        (dict(tcp, **to_any, SecurityGroupId="sg-nothere"), 404, "InvalidSecurityGroupId.NotFound",
         "The specified SecurityGroupId does not exist."),
    ]
    for params, status, code, message in cases:
        assert_error(call(**params), status, code, message)
    assert permissions(ecs, sg) == []


@pytest.mark.parametrize("action,peer", [("AuthorizeSecurityGroup", "SourceCidrIp"),
                                         ("AuthorizeSecurityGroupEgress", "DestCidrIp")])
def test_rule_limit(old, ecs_old, ecs_tea_api, action, peer):
    ecs = ecs_tea_api
    sg = ecs_network(old, ecs_old).security_group_id

    def rules(first, count):
        return [{"IpProtocol": "tcp", "PortRange": f"{p}/{p}", peer: "0.0.0.0/0"} for p in range(first, first + count)]

    ecs.call(action, SecurityGroupId=sg, Permissions=rules(1, 100))
    ecs.call(action, SecurityGroupId=sg, Permissions=rules(101, 100))
    assert len(permissions(ecs, sg)) == 200
    # A rule the group already has is no new record.
    ecs.call(action, SecurityGroupId=sg, Permissions=rules(1, 1))
    assert_error(lambda: ecs.call(action, SecurityGroupId=sg, Permissions=rules(201, 1)), 403,
                 "AuthorizationLimitExceed", "The limit of authorization records in the security group reaches.")
    assert len(permissions(ecs, sg)) == 200


def test_group_attribute_errors(old, ecs, ecs_old):
    sg = ecs_network(old, ecs_old).security_group_id
    assert_error(lambda: ecs.DescribeSecurityGroupAttribute(SecurityGroupId=sg, NicType="public"), 400,
                 "InvalidNicType.ValueNotSupported", "The specified NicType does not exist.")
    modify = ecs.ModifySecurityGroupAttribute
    assert_error(lambda: modify(SecurityGroupId="sg-nothere", SecurityGroupName="web"), 404,
                 "InvalidSecurityGroupId.NotFound", "The specified SecurityGroupId does not exist.")
    assert_error(lambda: modify(SecurityGroupId=sg, SecurityGroupName="1web"), 400,
                 "InvalidSecurityGroupName.Malformed", "Specified security group name is not valid.")
    assert_error(lambda: modify(SecurityGroupId=sg, Description="http://web"), 400,
                 "InvalidSecurityGroupDiscription.Malformed",  # the published spelling
                 "Specified security group description is not valid.")


# --- documented errors of membership and ModifyInstanceAttribute ----------------------------------

LOCKED = ("InstanceLockedForSecurity",
          "The specified operation is denied as your instance is locked for security reasons.")
GROUP_LIMIT = ("InstanceSecurityGroupLimitExceeded",
               "Exceeding the allowed amount of security group that an instance can join.")
GROUP_MISMATCH = ("InvalidInstanceId.Mismatch", "The specified instance and security group are not in the same VPC.")
GROUP_NOT_FOUND = ("InvalidSecurityGroupId.NotFound", "The specified SecurityGroupId does not exist.")
INSTANCE_NOT_FOUND = ("InvalidInstanceId.NotFound", "The specified InstanceId does not exist.")


def test_membership_errors(old, ecs, ecs_old, emulator):
    net = ecs_network(old, ecs_old)
    instance = run_instance(ecs, net)
    stranger = create_security_group(ecs, old.CreateVpc(CidrBlock="10.0.0.0/8")["VpcId"])
    join = lambda group: lambda: ecs.JoinSecurityGroup(InstanceId=instance, SecurityGroupId=group)  # noqa: E731
    leave = lambda group: lambda: ecs.LeaveSecurityGroup(InstanceId=instance, SecurityGroupId=group)  # noqa: E731
    assert_error(join("sg-nothere"), 404, *GROUP_NOT_FOUND)
    assert_error(join(stranger), 403, *GROUP_MISMATCH)
    assert_error(leave("sg-nothere"), 404, *GROUP_NOT_FOUND)
    assert_error(lambda: ecs.LeaveSecurityGroup(InstanceId="i-nothere", SecurityGroupId=net.security_group_id), 404,
                 *INSTANCE_NOT_FOUND)
    more = [create_security_group(ecs, net.vpc_id) for _ in range(5)]
    for group in more[:4]:
        ecs.JoinSecurityGroup(InstanceId=instance, SecurityGroupId=group)
    assert_error(join(more[4]), 403, *GROUP_LIMIT)
    emulator.security_lock(instance)
    assert_error(join(more[4]), 403, *LOCKED)
    assert_error(leave(more[0]), 403, *LOCKED)
    emulator.security_lock(instance, locked=False)
    ecs.LeaveSecurityGroup(InstanceId=instance, SecurityGroupId=more[0])
    ecs.JoinSecurityGroup(InstanceId=instance, SecurityGroupId=more[4])


def test_membership_while_pending(delayed, old_delayed, ecs_old_delayed, ecs_tea_delayed):
    ecs = ecs_tea_delayed
    net = ecs_network(old_delayed, ecs_old_delayed, settle=lambda: delayed.advance(DELAY))
    second = create_security_group(ecs, net.vpc_id)
    instance = create_instance(ecs, net)
    assert describe_instance(ecs, instance)["Status"] == "Pending"
    incorrect = ("IncorrectInstanceStatus", "The current status of the resource does not support this operation.")
    assert_error(lambda: ecs.JoinSecurityGroup(InstanceId=instance, SecurityGroupId=second), 403, *incorrect)
    assert_error(lambda: ecs.LeaveSecurityGroup(InstanceId=instance, SecurityGroupId=net.security_group_id), 403,
                 *incorrect)


def test_modify_instance_attribute_errors(old, ecs, ecs_old, emulator):
    net = ecs_network(old, ecs_old)
    instance = run_instance(ecs, net)
    stranger = create_security_group(ecs, old.CreateVpc(CidrBlock="10.0.0.0/8")["VpcId"])

    def modify(groups=None, **p):
        if groups is not None:
            # The old core class names its setter set_SecurityGroupIdss: send the wire names.
            p.update({"SecurityGroupIds": groups} if isinstance(ecs, TeaApi)
                     else {f"SecurityGroupIds.{n}": g for n, g in enumerate(groups, 1)})
        return lambda: ecs.ModifyInstanceAttribute(**{"InstanceId": instance, **p})

    assert_error(modify(InstanceId="i-nothere", InstanceName="web"), 404, *INSTANCE_NOT_FOUND)
    assert_error(modify(InstanceName="w"), 400, "InvalidInstanceName.Malformed", "Specified instance name is not valid.")
    assert_error(modify(Description="d" * 257), 400, "InvalidDescription.Malformed", "Specified description is not valid.")
    assert_error(modify(HostName="h"), 400, "InvalidHostName.Malformed", "Specified host name is not valid.")
    assert_error(lambda: big_user_data(ecs_old, "ModifyInstanceAttribute", InstanceId=instance), 400,
                 *USER_DATA_SIZE)
    assert_error(modify(groups=["sg-nothere"]), 404, *GROUP_NOT_FOUND)
    assert_error(modify(groups=[stranger]), 403, *GROUP_MISMATCH)
    six = [net.security_group_id] + [create_security_group(ecs, net.vpc_id) for _ in range(5)]
    assert_error(modify(groups=six), 403, *GROUP_LIMIT)
    modify(groups=six[:5])()
    groups = ecs.DescribeInstanceAttribute(InstanceId=instance)["SecurityGroupIds"]["SecurityGroupId"]
    assert groups == six[:5]
    emulator.security_lock(instance)
    assert_error(modify(InstanceName="web"), 403, *LOCKED)
