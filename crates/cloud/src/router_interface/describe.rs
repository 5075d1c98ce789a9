//! DescribeRouterInterfaces (11.2): Filter.N.Key / Filter.N.Value.M (values OR-ed, filters
//! AND-ed), paging, and every field of 11.2 plus those of the SDKs' models.

use acs_api::{ApiError, Value as Param};
use acs_store::{Read, Scope, View};
use serde_json::{json, Value};

use super::{vrouter_vpc, RouterInterface, DELETED, INVALID_FILTER_KEY, PARAM_NOT_NULL, VROUTER};
use crate::billing;
use crate::clock::format_time;
use crate::context::Call;
use crate::dispatch::{body, Body};
use crate::paging::Page;

/// The filter keys 11.2 documents (matched without regard to case: the reference's own example
/// writes `Filter.1.status`).
const FILTER_KEYS: &[&str] = &[
    "RouterInterfaceId",
    "RouterId",
    "RouterType",
    "RouterInterfaceOwnerId",
    "OppositeInterfaceId",
    "OppositeRouterType",
    "OppositeRouterId",
    "OppositeInterfaceOwnerId",
    "Status",
    "Name",
];

/// What a pay-as-you-go interface shows as EndTime (it never expires).
const NEVER_ENDS: &str = "2999-09-08T16:00:00Z";
const CHARGE_TYPE: &str = "AfterPay";
const NORMAL: &str = "Normal";
const FINANCIAL_LOCKED: &str = "FinancialLocked";

/// (documented key, values) of each filter: a filter without a key or without values is
/// InvalidParam.NotNull, an undocumented key InvalidFilterKey.ValueNotSupported.
fn parse_filters(call: &Call<'_>) -> Result<Vec<(&'static str, Vec<String>)>, ApiError> {
    call.params
        .objects("Filter")
        .into_iter()
        .map(|f| {
            let key = f.get("Key").and_then(Param::as_str).ok_or(PARAM_NOT_NULL)?;
            let key = FILTER_KEYS.iter().find(|k| k.eq_ignore_ascii_case(key)).ok_or(INVALID_FILTER_KEY)?;
            let values: Vec<String> = match f.get("Value") {
                Some(Param::List(vs)) => vs.iter().filter_map(|v| v.as_str().map(str::to_string)).collect(),
                Some(Param::Str(s)) => vec![s.clone()],
                _ => Vec::new(),
            };
            if values.is_empty() {
                return Err(PARAM_NOT_NULL.into());
            }
            Ok((*key, values))
        })
        .collect()
}

/// The value of `key` on `ri`, as the filters compare it.
fn field<'a>(call: &'a Call<'_>, ri: &'a RouterInterface, key: &str) -> &'a str {
    match key {
        "RouterInterfaceId" => &ri.id,
        "RouterId" => &ri.router_id,
        "RouterType" => &ri.router_type,
        "RouterInterfaceOwnerId" => call.account,
        "OppositeInterfaceId" => &ri.opposite_interface_id,
        "OppositeRouterType" => &ri.opposite_router_type,
        "OppositeRouterId" => &ri.opposite_router_id,
        "OppositeInterfaceOwnerId" => &ri.opposite_interface_owner_id,
        "Status" => ri.status(call),
        _ => &ri.name,
    }
}

/// Mainland China regions (cn-*, except Hong Kong): a link leaving or entering them is
/// cross-border.
fn mainland(region: &str) -> bool {
    region.starts_with("cn-") && region != "cn-hongkong"
}

pub(super) fn describe_router_interfaces(call: &Call<'_>, view: &View<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let page = Page::from_params(call.params);
    let filters = parse_filters(call)?;
    let rg = call.str("ResourceGroupId");
    let (items, total) = view.page::<RouterInterface>(
        &scope,
        |ri| {
            rg.is_none_or(|r| r == ri.resource_group_id)
                && filters.iter().all(|(key, values)| values.iter().any(|v| v == field(call, ri, key)))
        },
        page.offset(),
        page.size,
    );
    let business = if billing::is_overdue(view, call.account) { FINANCIAL_LOCKED } else { NORMAL };
    let items: Vec<Value> = items.iter().map(|ri| item(call, view, ri, business)).collect();
    let mut out = body(json!({ "RouterInterfaceSet": { "RouterInterfaceType": items } }));
    page.annotate(&mut out, total);
    Ok(out)
}

fn item(call: &Call<'_>, r: &impl Read, ri: &RouterInterface, business: &str) -> Value {
    let peer = ri.opposite(r, call.account);
    let (opposite_status, opposite_spec, opposite_bandwidth, opposite_business) = match &peer {
        Some(p) => (p.status(call).to_string(), p.spec.clone(), p.bandwidth(), business),
        None if !ri.opposite_interface_id.is_empty() => (DELETED.to_string(), String::new(), 0, ""),
        None => (String::new(), String::new(), 0, ""),
    };
    let opposite_vpc = match &peer {
        Some(p) => p.vpc_id.clone(),
        None if ri.opposite_router_type == VROUTER && !ri.opposite_router_id.is_empty() => {
            let scope = Scope::new(call.account, ri.opposite_region_id.clone());
            vrouter_vpc(r, &scope, &ri.opposite_router_id).unwrap_or_default()
        }
        None => String::new(),
    };
    let delay = call.cloud.config.transition_delay_ms;
    let connected = ri.connected_ms.filter(|t| call.settled(*t)).map(|t| format_time(t + delay)).unwrap_or_default();
    // Two literals: one would exceed serde_json's macro recursion limit.
    let mut out = body(json!({
        "RouterInterfaceId": ri.id,
        "Name": ri.name,
        "Description": ri.description,
        "Role": ri.role,
        "Spec": ri.spec,
        "Bandwidth": ri.bandwidth(),
        "Status": ri.status(call),
        "BusinessStatus": business,
        "ChargeType": CHARGE_TYPE,
        "CreationTime": format_time(ri.created_ms),
        "ConnectedTime": connected,
        "EndTime": NEVER_ENDS,
        "RouterId": ri.router_id,
        "RouterType": ri.router_type,
        "VpcInstanceId": ri.vpc_id,
        "AccessPointId": ri.access_point_id,
        "CrossBorder": mainland(&ri.region) != mainland(&ri.opposite_region_id),
        "OppositeRegionId": ri.opposite_region_id,
        "OppositeInterfaceId": ri.opposite_interface_id,
        "OppositeRouterId": ri.opposite_router_id,
        "OppositeRouterType": ri.opposite_router_type,
        "OppositeInterfaceOwnerId": ri.opposite_interface_owner_id,
        "OppositeAccessPointId": ri.opposite_access_point_id,
        "OppositeVpcInstanceId": opposite_vpc,
        "OppositeInterfaceStatus": opposite_status,
        "OppositeInterfaceSpec": opposite_spec,
        "OppositeBandwidth": opposite_bandwidth,
        "OppositeInterfaceBusinessStatus": opposite_business,
    }));
    out.extend(body(json!({
        "HealthCheckSourceIp": ri.health_check_source_ip,
        "HealthCheckTargetIp": ri.health_check_target_ip,
        "HcRate": ri.hc_rate,
        "HcThreshold": ri.hc_threshold,
        "HasReservationData": false,
        "ReservationActiveTime": "",
        "ReservationBandwidth": "",
        "ReservationInternetChargeType": "",
        "ReservationOrderType": "",
        "FastLinkMode": false,
        "Ipv6Status": "",
        "ResourceGroupId": ri.resource_group_id,
        "Tags": { "Tags": [] },
    })));
    Value::Object(out)
}
