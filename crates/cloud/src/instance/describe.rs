//! DescribeInstances and DescribeInstanceAttribute: one rendering of an instance for both.

use acs_api::ApiError;
use acs_store::{Read, Scope, View};
use serde_json::{json, Value};

use super::{find, Instance};
use crate::clock::format_minutes;
use crate::context::Call;
use crate::dispatch::{body, Body};
use crate::ids::stable_hash;
use crate::paging::Page;
use crate::{eip, instance_type, tag};

/// What a pay-as-you-go instance reports as its expiry.
const NEVER_EXPIRES: &str = "2099-12-31T15:59Z";

pub(super) fn describe_instance_attribute(call: &Call<'_>, view: &View<'_>) -> Result<Body, ApiError> {
    let (scope, inst) = find(call, view)?;
    Ok(fields(call, view, &scope, &inst))
}

pub(super) fn describe_instances(call: &Call<'_>, view: &View<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let page = Page::from_params(call.params);
    let ids = call.params.strings("InstanceIds");
    let matches = |field: &str, param: &str| call.str(param).is_none_or(|v| v == field);
    let tags = tag::filter(call, "Tag");
    let (items, total) = view.page::<Instance>(
        &scope,
        |i| {
            tag::matches(view, &scope, &i.id, &tags)
                && (ids.is_empty() || ids.contains(&i.id))
                && matches(&i.vpc_id, "VpcId")
                && matches(&i.vswitch_id, "VSwitchId")
                && matches(&i.zone_id, "ZoneId")
                && matches(&i.name, "InstanceName")
                && matches(&i.instance_type, "InstanceType")
                && matches(&i.charge_type, "InstanceChargeType")
                && matches(&i.internet_charge_type, "InternetChargeType")
                && matches(&i.resource_group_id, "ResourceGroupId")
                && matches(&i.key_pair_name, "KeyPairName")
                && matches(network_type(i), "InstanceNetworkType")
                && matches(i.status(call), "Status")
                && call.str("SecurityGroupId").is_none_or(|g| i.security_group_ids.iter().any(|x| x == g))
        },
        page.offset(),
        page.size,
    );
    let items: Vec<Value> = items
        .iter()
        .map(|i| {
            let mut f = fields(call, view, &scope, i);
            let family = instance_type::get(&i.instance_type).map_or("", |t| t.family);
            f.insert("InstanceTypeFamily".into(), json!(family));
            f.insert("ResourceGroupId".into(), json!(i.resource_group_id));
            f.insert("StartTime".into(), json!(format_minutes(i.started_ms)));
            f.insert("Tags".into(), tag::ecs_tags(view, &scope, &i.id));
            f.insert("KeyPairName".into(), json!(i.key_pair_name));
            Value::Object(f)
        })
        .collect();
    let mut out = body(json!({ "Instances": { "Instance": items } }));
    page.annotate(&mut out, total);
    Ok(out)
}

fn network_type(i: &Instance) -> &'static str {
    if i.is_vpc() {
        "vpc"
    } else {
        "classic"
    }
}

/// The fields both actions report.
fn fields(call: &Call<'_>, view: &View<'_>, scope: &Scope, i: &Instance) -> Body {
    let itype = instance_type::get(&i.instance_type);
    let (out, inbound) = i.bandwidth(call.now_ms);
    let status = i.status(call);
    let mut locks = Vec::new();
    if i.expired(call.now_ms) {
        locks.push(json!({ "LockReason": "financial" }));
    }
    if i.security_locked {
        locks.push(json!({ "LockReason": "security" }));
    }
    let vpc_ips: Vec<&str> = if i.is_vpc() { vec![i.private_ip.as_str()] } else { Vec::new() };
    let inner_ips: Vec<&str> = if i.is_vpc() { Vec::new() } else { vec![i.private_ip.as_str()] };
    let h = stable_hash(&i.id);
    let eip = eip::of_target(view, scope, &i.id).into_iter().next();
    let eip = eip.map_or_else(
        || json!({ "AllocationId": "", "IpAddress": "", "InternetChargeType": "", "Bandwidth": 0 }),
        |e| {
            json!({
                "AllocationId": e.allocation_id,
                "IpAddress": e.ip_address,
                "InternetChargeType": e.internet_charge_type,
                "Bandwidth": e.bandwidth,
            })
        },
    );
    body(json!({
        "InstanceId": i.id,
        "InstanceName": i.name,
        "Description": i.description,
        "HostName": i.host_name,
        "ImageId": i.image_id,
        "InstanceType": i.instance_type,
        "Cpu": itype.map_or(0, |t| t.cpu),
        "Memory": itype.map_or(0, instance_type::InstanceType::memory_mib),
        "RegionId": i.region,
        "ZoneId": i.zone_id,
        "Status": status,
        "InstanceNetworkType": network_type(i),
        "InstanceChargeType": i.charge_type,
        "InternetChargeType": i.internet_charge_type,
        "InternetMaxBandwidthOut": out,
        "InternetMaxBandwidthIn": inbound,
        "CreationTime": format_minutes(i.created_ms),
        "ExpiredTime": i.expired_ms.map_or_else(|| NEVER_EXPIRES.to_string(), format_minutes),
        "StoppedMode": if status == super::STOPPED { "KeepCharging" } else { "Not-applicable" },
        "SerialNumber": format!("{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", h >> 32, (h >> 16) & 0xffff, h & 0xffff, (h >> 48) & 0xffff, h & 0xffff_ffff_ffff),
        "SecurityGroupIds": { "SecurityGroupId": i.security_group_ids },
        // Before PublicIpAddress: a popular client library reads them in this order.
        "EipAddress": eip,
        "PublicIpAddress": { "IpAddress": i.public_ip_at(call.now_ms).into_iter().collect::<Vec<_>>() },
        "InnerIpAddress": { "IpAddress": inner_ips },
        "VpcAttributes": {
            "VpcId": i.vpc_id,
            "VSwitchId": i.vswitch_id,
            "NatIpAddress": "",
            "PrivateIpAddress": { "IpAddress": vpc_ips },
        },
        "OperationLocks": { "LockReason": locks },
    }))
}
