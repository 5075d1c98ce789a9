// End-to-end tests through the Node SDK @alicloud/pop-core, changing nothing but the endpoint.
// pop-core signs V1 and sends GET with a query string, or POST with every parameter (the
// signature included) in a form body and no query string: both paths are exercised here.
'use strict';

const test = require('node:test');
const assert = require('node:assert');
const net = require('node:net');
const path = require('node:path');
const { spawn } = require('node:child_process');
const RPCClient = require('@alicloud/pop-core').RPCClient;

const BIN = process.env.ALICLOUD_EMULATOR_BIN
  || path.join(__dirname, '..', '..', 'target', 'debug', 'alicloud-emulator');

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function startServer() {
  const port = await freePort();
  const args = ['serve', '--ephemeral', '--listen', `127.0.0.1:${port}`];
  if (process.env.ALICLOUD_EMULATOR_RECORD_CALLS) {
    args.push('--record-calls', process.env.ALICLOUD_EMULATOR_RECORD_CALLS);
  }
  const child = spawn(BIN, args, { stdio: 'ignore' });
  const deadline = Date.now() + 10000;
  for (;;) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/_emulator/health`);
      if (res.ok) break;
    } catch (e) {
      if (Date.now() > deadline) throw new Error(`alicloud-emulator did not start: ${e}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return { child, endpoint: `http://127.0.0.1:${port}` };
}

function client(endpoint, secret = 'testsecret', apiVersion = '2016-04-28') {
  return new RPCClient({ accessKeyId: 'testid', accessKeySecret: secret, endpoint, apiVersion });
}

test('pop-core drives the VPC API over GET and form POST', async (t) => {
  const { child, endpoint } = await startServer();
  t.after(() => child.kill('SIGKILL'));
  const vpc = client(endpoint);
  const hz = { RegionId: 'cn-hangzhou' };

  await t.test('create over form POST, read over GET', async () => {
    // The description goes through every character pop-core encodes specially.
    const created = await vpc.request('CreateVpc',
      { ...hz, CidrBlock: '10.0.0.0/8', VpcName: 'node-vpc', Description: "node's vpc *~!()" }, { method: 'POST' });
    assert.match(created.VpcId, /^vpc-/);
    const listed = await vpc.request('DescribeVpcs', { ...hz, VpcId: created.VpcId });
    assert.strictEqual(listed.TotalCount, 1);
    assert.strictEqual(listed.Vpcs.Vpc[0].VpcName, 'node-vpc');
    assert.strictEqual(listed.Vpcs.Vpc[0].Description, "node's vpc *~!()");
    assert.strictEqual(listed.Vpcs.Vpc[0].IsDefault, false);
    assert.deepStrictEqual(listed.Vpcs.Vpc[0].VSwitchIds.VSwitchId, []);
  });

  await t.test('a success body with Code "200" is accepted', async () => {
    const tables = await vpc.request('DescribeRouteTableList', hz, { method: 'POST' });
    assert.strictEqual(tables.Code, '200');
    assert.strictEqual(tables.RouterTableList.RouterTableListType[0].RouteTableType, 'System');
  });

  await t.test('errors reach the caller with their code', async () => {
    await assert.rejects(vpc.request('DeleteVpc', { ...hz, VpcId: 'vpc-missing' }, { method: 'POST' }), (err) => {
      assert.strictEqual(err.code, 'InvalidVpcId.NotFound');
      assert.strictEqual(err.data.Message, 'Specified VPC does not exist.');
      return true;
    });
    await assert.rejects(client(endpoint, 'wrong').request('DescribeVpcs', hz), (err) => {
      assert.strictEqual(err.code, 'SignatureDoesNotMatch');
      assert.match(err.data.Message, /server string to sign is:GET&%2F&/);
      return true;
    });
    await assert.rejects(vpc.request('CreateVSwitch', { ...hz, VpcId: 'vpc-x', CidrBlock: '10.0.0.0/24' }), (err) => {
      // CreateVSwitch documents MissingParameter, so that is the code, not MissingZoneId; the
      // message names the parameter.
      assert.strictEqual(err.code, 'MissingParameter');
      assert.strictEqual(err.data.Message,
        'The input parameter "ZoneId" that is mandatory for processing this request is not supplied.');
      return true;
    });
  });
});

test('pop-core drives ECS on the same endpoint: an instance and its bandwidth', async (t) => {
  const { child, endpoint } = await startServer();
  t.after(() => child.kill('SIGKILL'));
  const vpc = client(endpoint);
  const ecs = client(endpoint, 'testsecret', '2014-05-26');
  const hz = { RegionId: 'cn-hangzhou' };
  const { VpcId } = await vpc.request('CreateVpc', { ...hz, CidrBlock: '10.0.0.0/8' }, { method: 'POST' });
  const { VSwitchId } = await vpc.request('CreateVSwitch',
    { ...hz, VpcId, ZoneId: 'cn-hangzhou-b', CidrBlock: '10.1.0.0/24' }, { method: 'POST' });
  const { SecurityGroupId } = await ecs.request('CreateSecurityGroup', { ...hz, VpcId }, { method: 'POST' });
  const run = await ecs.request('RunInstances', {
    ...hz, ImageId: 'aliyun_3_x64', InstanceType: 'ecs.c7.large', VSwitchId, SecurityGroupId,
    InternetMaxBandwidthOut: 0,
  }, { method: 'POST' });
  const [id] = run.InstanceIdSets.InstanceIdSet;
  const listed = await ecs.request('DescribeInstances', { ...hz, InstanceIds: JSON.stringify([id]) });
  assert.strictEqual(listed.TotalCount, 1);
  assert.strictEqual(listed.Instances.Instance[0].Status, 'Running');
  assert.deepStrictEqual(listed.Instances.Instance[0].VpcAttributes.PrivateIpAddress.IpAddress, ['10.1.0.1']);

  const changed = await ecs.request('ModifyInstanceNetworkSpec',
    { InstanceId: id, InternetMaxBandwidthOut: 10, AllocatePublicIp: true }, { method: 'POST' });
  assert.match(changed.OrderId, /^[0-9]{15}$/);
  const attrs = await ecs.request('DescribeInstanceAttribute', { InstanceId: id });
  assert.strictEqual(attrs.InternetMaxBandwidthOut, 10);
  assert.strictEqual(attrs.PublicIpAddress.IpAddress.length, 1);
  // The five-minute rule, as documented (the closest code: Throttling).
  await assert.rejects(ecs.request('ModifyInstanceNetworkSpec', { InstanceId: id, InternetMaxBandwidthOut: 20 }),
    (err) => {
      assert.strictEqual(err.code, 'Throttling');
      return true;
    });
});
