//! What an instance brings with it: its system disk and the data disks it was created with
//! (DescribeDisks), and its primary elastic network interface (DescribeNetworkInterfaces). They
//! live and die with the instance; their ids are derived from the instance's.

use acs_api::ApiError;
use acs_store::{Read, View};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::{Instance, RUNNING};
use crate::clock::format_time;
use crate::context::Call;
use crate::dispatch::{body, Body};
use crate::ids::stable_hash;
use crate::paging::Page;
use crate::tag;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Disk {
    pub id: String,
    /// system | data
    pub kind: String,
    pub category: String,
    /// GiB
    pub size: i64,
    pub device: String,
    pub name: String,
    pub delete_with_instance: bool,
}

fn derived_id(prefix: &str, instance_id: &str, n: usize) -> String {
    let h = stable_hash(&format!("{instance_id}/{n}"));
    format!(
        "{prefix}-{}{:018x}",
        instance_id.trim_start_matches("i-").chars().take(2).collect::<String>(),
        h & 0x3ff_ffff_ffff_ffff
    )
}

/// The disks of a new instance: SystemDisk.Category / .Size (cloud_efficiency, at least the
/// image's size) and DataDisk.N.
pub(super) fn from_call(call: &Call<'_>, instance_id: &str, image_size: i64) -> Vec<Disk> {
    let mut disks = vec![Disk {
        id: derived_id("d", instance_id, 0),
        kind: "system".into(),
        category: call.str("SystemDisk.Category").unwrap_or("cloud_efficiency").to_string(),
        size: call.params.int("SystemDisk.Size").unwrap_or(40).max(image_size),
        device: "/dev/xvda".into(),
        name: call.str("SystemDisk.DiskName").unwrap_or_default().to_string(),
        delete_with_instance: true,
    }];
    for (n, d) in call.params.objects("DataDisk").into_iter().enumerate() {
        let s = |k: &str| d.get(k).and_then(acs_api::Value::as_str).map(str::to_string);
        let size = match d.get("Size") {
            Some(acs_api::Value::Int(i)) => *i,
            _ => 20,
        };
        let letter = (b'b' + n as u8) as char;
        disks.push(Disk {
            id: derived_id("d", instance_id, n + 1),
            kind: "data".into(),
            category: s("Category").unwrap_or_else(|| "cloud_efficiency".into()),
            size,
            device: s("Device").unwrap_or_else(|| format!("/dev/xvd{letter}")),
            name: s("DiskName").unwrap_or_default(),
            delete_with_instance: !matches!(d.get("DeleteWithInstance"), Some(acs_api::Value::Bool(false))),
        });
    }
    disks
}

/// The instance's disks (instances stored before disks were kept get a 40 GiB system disk).
pub(super) fn of(i: &Instance) -> Vec<Disk> {
    if !i.disks.is_empty() {
        return i.disks.clone();
    }
    vec![Disk {
        id: derived_id("d", &i.id, 0),
        kind: "system".into(),
        category: "cloud_efficiency".into(),
        size: 40,
        device: "/dev/xvda".into(),
        name: String::new(),
        delete_with_instance: true,
    }]
}

pub(super) fn describe_disks(call: &Call<'_>, view: &View<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let page = Page::from_params(call.params);
    let ids: Vec<String> = match call.str("DiskIds") {
        Some(s) => serde_json::from_str(s).unwrap_or_else(|_| vec![s.to_string()]),
        None => Vec::new(),
    };
    let instance = call.str("InstanceId");
    let wanted = |d: &Disk, i: &Instance| {
        (ids.is_empty() || ids.contains(&d.id))
            && instance.is_none_or(|x| x == i.id)
            && call.str("ZoneId").is_none_or(|z| z == i.zone_id)
            && call.str("DiskType").is_none_or(|t| t == "all" || t == d.kind)
            && call.str("Category").is_none_or(|c| c == "all" || c == d.category)
            && call.str("Status").is_none_or(|s| s == "All" || s == "In_use")
            && call.str("DiskName").is_none_or(|n| n == d.name)
    };
    let rows: Vec<Value> = view
        .list::<Instance>(&scope)
        .iter()
        .flat_map(|i| of(i).into_iter().filter(|d| wanted(d, i)).map(move |d| render_disk(i, &d)))
        .collect();
    let total = rows.len();
    let items: Vec<Value> = rows.into_iter().skip(page.offset()).take(page.size).collect();
    let mut out = body(json!({ "Disks": { "Disk": items }, "NextToken": "" }));
    page.annotate(&mut out, total);
    Ok(out)
}

fn render_disk(i: &Instance, d: &Disk) -> Value {
    let system = d.kind == "system";
    json!({
        "DiskId": d.id,
        "DiskName": d.name,
        "Description": "",
        "Type": d.kind,
        "Category": d.category,
        "Size": d.size,
        "Status": "In_use",
        "RegionId": i.region,
        "ZoneId": i.zone_id,
        "InstanceId": i.id,
        "Device": d.device,
        "ImageId": if system { i.image_id.as_str() } else { "" },
        "SourceSnapshotId": "",
        "DiskChargeType": i.charge_type,
        "DeleteWithInstance": d.delete_with_instance,
        "DeleteAutoSnapshot": true,
        "EnableAutoSnapshot": true,
        "Portable": !system,
        "Encrypted": false,
        "KMSKeyId": "",
        "PerformanceLevel": if d.category == "cloud_essd" { "PL1" } else { "" },
        "IOPS": 0,
        "MultiAttach": "Disabled",
        "SerialNumber": format!("{:x}", stable_hash(&d.id) & 0xffff_ffff_ffff),
        "ResourceGroupId": i.resource_group_id,
        "CreationTime": format_time(i.created_ms),
        "AttachedTime": format_time(i.created_ms),
        "DetachedTime": "",
        "ExpiredTime": "",
        "Attachments": { "Attachment": [{ "InstanceId": i.id, "Device": d.device, "AttachedTime": format_time(i.created_ms) }] },
        "OperationLocks": { "OperationLock": [] },
        "Tags": { "Tag": [] },
        "MountInstances": { "MountInstance": [] },
    })
}

/// The id of an instance's primary ENI.
pub fn primary_eni(instance_id: &str) -> String {
    derived_id("eni", instance_id, 0)
}

/// DescribeNetworkInterfaces: the primary ENI of each VPC instance.
pub(super) fn describe_network_interfaces(call: &Call<'_>, view: &View<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let page = Page::from_params(call.params);
    let ids = call.params.strings("NetworkInterfaceId");
    let tags = tag::filter(call, "Tag");
    let rows: Vec<Value> = view
        .list::<Instance>(&scope)
        .iter()
        .filter(|i| i.is_vpc())
        .filter(|i| {
            let eni = primary_eni(&i.id);
            (ids.is_empty() || ids.contains(&eni))
                && call.str("InstanceId").is_none_or(|x| x == i.id)
                && call.str("VpcId").is_none_or(|x| x == i.vpc_id)
                && call.str("VSwitchId").is_none_or(|x| x == i.vswitch_id)
                && call.str("PrimaryIpAddress").is_none_or(|x| x == i.private_ip)
                && call.str("SecurityGroupId").is_none_or(|g| i.security_group_ids.iter().any(|x| x == g))
                && call.str("Type").is_none_or(|t| t == "Primary")
                && call.str("Status").is_none_or(|s| s == "InUse")
                && tags.is_empty()
        })
        .map(|i| render_eni(call, i))
        .collect();
    let total = rows.len();
    let items: Vec<Value> = rows.into_iter().skip(page.offset()).take(page.size).collect();
    let mut out = body(json!({ "NetworkInterfaceSets": { "NetworkInterfaceSet": items }, "NextToken": "" }));
    page.annotate(&mut out, total);
    Ok(out)
}

fn render_eni(call: &Call<'_>, i: &Instance) -> Value {
    let h = stable_hash(&i.id);
    let mac = format!("00:16:3e:{:02x}:{:02x}:{:02x}", (h >> 16) & 0xff, (h >> 8) & 0xff, h & 0xff);
    let public = i.public_ip_at(call.now_ms).unwrap_or_default().to_string();
    json!({
        "NetworkInterfaceId": primary_eni(&i.id),
        "NetworkInterfaceName": "",
        "Description": "",
        "Status": if i.status(call) == RUNNING || !i.phases.is_empty() { "InUse" } else { "Available" },
        "Type": "Primary",
        "VpcId": i.vpc_id,
        "VSwitchId": i.vswitch_id,
        "ZoneId": i.zone_id,
        "PrivateIpAddress": i.private_ip,
        "MacAddress": mac,
        "InstanceId": i.id,
        "CreationTime": format_time(i.created_ms),
        "ResourceGroupId": i.resource_group_id,
        "ServiceManaged": false,
        "OwnerId": call.account,
        "QueueNumber": 1,
        "DeleteOnRelease": true,
        "NetworkInterfaceTrafficMode": "Standard",
        "SourceDestCheck": true,
        "SecurityGroupIds": { "SecurityGroupId": i.security_group_ids },
        "AssociatedPublicIp": { "PublicIpAddress": public, "AllocationId": "" },
        "PrivateIpSets": { "PrivateIpSet": [{
            "PrivateIpAddress": i.private_ip,
            "Primary": true,
            "PrivateDnsName": "",
            "AssociatedPublicIp": { "PublicIpAddress": public, "AllocationId": "" },
        }] },
        "Ipv6Sets": { "Ipv6Set": [] },
        "Ipv4PrefixSets": { "Ipv4PrefixSet": [] },
        "Ipv6PrefixSets": { "Ipv6PrefixSet": [] },
        "Tags": { "Tag": [] },
        "Attachment": { "InstanceId": i.id, "DeviceIndex": 0, "TrunkNetworkInterfaceId": "", "NetworkCardIndex": 0 },
    })
}
