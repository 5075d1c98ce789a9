//! DescribeEipAddresses, DescribeEipMonitorData (deterministic samples) and DescribeEipGatewayInfo.

use acs_api::{ApiError, ErrorDef};
use acs_store::{Read, View};
use serde_json::{json, Value};

use super::{package, Eip};
use crate::billing;
use crate::clock::{format_minutes, format_time};
use crate::context::Call;
use crate::dispatch::{body, Body};
use crate::ids::stable_hash;
use crate::paging::{filters, Page};
use crate::tag;

pub const FILTER_KEY_NOT_FOUND: ErrorDef =
    ErrorDef::new(404, "InvalidFilterKey.NotFound", "The specified filter key is invalid.");
pub const FILTER_VALUE_INVALID: ErrorDef =
    ErrorDef::new(404, "InvalidFilterValue", "The specified filter value is invalid.");
pub const START_MALFORMED: ErrorDef =
    ErrorDef::new(400, "InvalidStartTime.Malformed", "The specified parameter \"StartTime\" is not valid.");
pub const END_MALFORMED: ErrorDef =
    ErrorDef::new(400, "InvalidEndTime.Malformed", "The specified parameter \"EndTime\" is not valid.");
pub const START_TOO_EARLY: ErrorDef =
    ErrorDef::new(400, "InvalidStartTime.TooEarly", "The specified parameter \"StartTime\" is too early.");
pub const MONITOR_NOT_FOUND: ErrorDef =
    ErrorDef::new(404, "InvalidAllocationId.NotFound", "Specified allocation id is not found.");
pub const TOO_MANY_DATA: ErrorDef = ErrorDef::new(
    400,
    "OperationDenied.TooManyDataQueried",
    "Specified operation is denied as too many data to return.",
);

/// Filter keys DescribeEipAddresses takes (the ones its examples show).
const FILTER_KEYS: &[&str] = &["Name", "Description"];
/// Monitoring data is kept for 30 days.
const RETENTION_MS: i64 = 30 * 24 * 3_600_000;
/// At most this many points per query.
const MAX_POINTS: i64 = 200;

pub(super) fn describe_eip_addresses(call: &Call<'_>, view: &View<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let page = Page::from_params(call.params);
    let filters = filters(call.params);
    for (key, values) in &filters {
        if !FILTER_KEYS.contains(&key.as_str()) {
            return Err(FILTER_KEY_NOT_FOUND.into());
        }
        if values.is_empty() || values.iter().any(String::is_empty) {
            return Err(FILTER_VALUE_INVALID.into());
        }
    }
    let ids: Vec<&str> = call.str("AllocationId").map(|s| s.split(',').map(str::trim).collect()).unwrap_or_default();
    let locked = billing::is_overdue(view, call.account);
    let lock_reason = call.str("LockReason");
    // The table spells the pay-as-you-go value Postpaid; clients send PostPaid.
    let charge = call.str("ChargeType").map(|c| if c == "Postpaid" { "PostPaid" } else { c });
    let associated_type =
        call.str("AssociatedInstanceType").or_else(|| call.str("AssociatedInstanceId").map(|_| super::ECS_INSTANCE));
    let eq = |param: Option<&str>, field: &str| param.is_none_or(|v| v == field);
    let tags = tag::filter(call, "Tag");
    let (items, total) = view.page::<Eip>(
        &scope,
        |e| {
            let target = e.shown_target(call);
            (ids.is_empty() || ids.contains(&e.id.as_str()))
                && eq(call.str("EipAddress"), &e.ip_address)
                && eq(call.str("ISP"), &e.isp)
                && eq(charge, &e.charge_type)
                && eq(call.str("Status"), e.status(call))
                && eq(call.str("ResourceGroupId"), &e.resource_group_id)
                && eq(call.str("AssociatedInstanceId"), target.map_or("", |t| t.id.as_str()))
                && eq(associated_type, target.map_or("", |t| t.kind.as_str()))
                && lock_reason.is_none_or(|r| r == "financial" && locked)
                && tag::matches(view, &scope, &e.id, &tags)
                && filters
                    .iter()
                    .all(|(key, values)| values.contains(if key == "Name" { &e.name } else { &e.description }))
        },
        page.offset(),
        page.size,
    );
    let items: Vec<Value> = items.iter().map(|e| render(call, view, e, locked)).collect();
    let mut out = body(json!({ "EipAddresses": { "EipAddress": items } }));
    page.annotate(&mut out, total);
    Ok(out)
}

fn render(call: &Call<'_>, view: &View<'_>, e: &Eip, locked: bool) -> Value {
    let scope = acs_store::Scope::new(call.account, e.region.as_str());
    let (bandwidth, internet_charge_type) = package::effective(view, &scope, e);
    let target = e.shown_target(call);
    let locks: Vec<Value> = if locked { vec![json!({ "LockReason": "financial" })] } else { Vec::new() };
    let in_package = !e.package_id.is_empty();
    json!({
        "ChargeType": e.charge_type,
        "Status": e.status(call),
        "RegionId": e.region,
        "ResourceGroupId": e.resource_group_id,
        "AllocationTime": format_time(e.created_ms),
        "IpAddress": e.ip_address,
        "AllocationId": e.id,
        "AvailableRegions": { "AvailableRegion": [e.region] },
        "InternetChargeType": internet_charge_type,
        "Bandwidth": bandwidth.to_string(),
        "BandwidthPackageId": e.package_id,
        "BandwidthPackageType": if in_package { "CommonBandwidthPackage" } else { "" },
        "Description": e.description,
        "EipBandwidth": if in_package { e.bandwidth.to_string() } else { String::new() },
        "ExpiredTime": e.expired_ms.map(format_minutes).unwrap_or_default(),
        "HDMonitorStatus": "false",
        "HasReservationData": "false",
        "ISP": e.isp,
        "InstanceId": target.map_or("", |t| t.id.as_str()),
        "InstanceRegionId": target.map_or("", |t| t.region.as_str()),
        "InstanceType": target.map_or("", |t| t.kind.as_str()),
        "Name": e.name,
        "OperationLocks": { "LockReason": locks },
        "ReservationActiveTime": "",
        "ReservationBandwidth": "",
        "ReservationInternetChargeType": "",
        "ReservationOrderType": "",
        "Tags": tag::vpc_tags(view, &scope, &e.id),
    })
}

/// `YYYY-MM-DDThh:mm:ssZ`; seconds other than 00 move the time to the next minute.
fn parse_time(s: &str) -> Option<i64> {
    let (head, secs) = s.strip_suffix('Z')?.rsplit_once(':')?;
    if secs.len() != 2 || !secs.bytes().all(|b| b.is_ascii_digit()) || secs >= "60" {
        return None;
    }
    let minute = crate::instance::parse_utc(&format!("{head}Z"), true)?;
    Some(if secs == "00" { minute } else { minute + 60_000 })
}

/// Samples every `Period` seconds from StartTime to EndTime (at most 200; a window shorter than
/// the period gives the one sample at StartTime), for the times the EIP existed and that have
/// passed. Values derive from the EIP and the time only, so a query always answers the same, and
/// stay within the EIP's bandwidth.
pub(super) fn describe_eip_monitor_data(call: &Call<'_>, view: &View<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let start = parse_time(call.required("StartTime")?).ok_or(START_MALFORMED)?;
    let end = parse_time(call.required("EndTime")?).ok_or(END_MALFORMED)?;
    let eip = view.get::<Eip>(&scope, call.required("AllocationId")?).ok_or(MONITOR_NOT_FOUND)?;
    if end < start {
        return Err(END_MALFORMED.into());
    }
    if start < call.now_ms - RETENTION_MS {
        return Err(START_TOO_EARLY.into());
    }
    let period_ms = call.params.int("Period").unwrap_or(60) * 1000;
    let points = ((end - start) / period_ms).max(1);
    if points > MAX_POINTS {
        return Err(TOO_MANY_DATA.into());
    }
    let (bandwidth, _) = package::effective(view, &scope, &eip);
    let period_s = period_ms / 1000;
    // Bytes the EIP can carry in one direction in one period.
    let capacity = (bandwidth.max(1) * 125_000 * period_s) as u64;
    let samples: Vec<Value> = (0..points)
        .map(|n| start + n * period_ms)
        .filter(|t| *t + period_ms > eip.created_ms && *t <= call.now_ms)
        .map(|t| {
            let h = stable_hash(&format!("{}@{t}", eip.id));
            let rx = (h % (capacity / 8 + 1)) as i64;
            let tx = ((h >> 20) % (capacity / 16 + 1)) as i64;
            let flow = rx + tx;
            json!({
                "TimeStamp": format_time(t),
                "EipTX": tx,
                "EipFlow": flow,
                "EipPackets": flow / 800,
                "EipRX": rx,
                "EipBandwidth": flow / period_s,
            })
        })
        .collect();
    Ok(body(json!({ "EipMonitorDatas": { "EipMonitorData": samples } })))
}

/// The emulator has no elastic network interfaces, so no EIP is bound to one in the multi-EIP
/// mode: the answer lists none.
pub(super) fn describe_eip_gateway_info(call: &Call<'_>, _view: &View<'_>) -> Result<Body, ApiError> {
    call.scope()?;
    call.required("InstanceId")?;
    let infos: Vec<Value> = Vec::new();
    Ok(body(json!({ "Code": "200", "Message": "successful", "EipInfos": { "EipInfo": infos } })))
}
