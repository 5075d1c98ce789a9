"""Security group rules and membership (issue 12): AuthorizeSecurityGroup(Egress),
RevokeSecurityGroup(Egress), DescribeSecurityGroupAttribute, ModifySecurityGroupAttribute,
Join/LeaveSecurityGroup, ModifyInstanceAttribute and DescribeUserData, with their documented errors
(spec/patches/ecs-2014-05-26.d/security_group.json). Tests taking ``ecs`` run with the old core
request classes and with the Tea client."""

from helpers import assert_error, create_security_group, ecs_network, run_instance

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
