//! Customer gateways: the on-premises end of an IPsec connection, named by its public address.
//! The address must be a public unicast IPv4 address (private, loopback, link-local, multicast,
//! shared, unspecified and broadcast addresses are InvalidIpAddress.WrongFormat) and unique in
//! the region; a gateway used by IPsec connections cannot be deleted.

use std::net::Ipv4Addr;

use acs_api::{ApiError, ErrorDef};
use acs_store::{Entity, Read, Scope, Tx, View};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::{connection, QUOTA_FULL_};
use crate::context::Call;
use crate::dispatch::{body, Body};
use crate::ids::new_id;
use crate::paging::Page;
use crate::quota::Quota;
use crate::tag;

/// The ResourceType of customer gateways in VPC TagResources.
pub const TAG_TYPE: &str = "CUSTOMERGATEWAY";

pub const NOT_FOUND: ErrorDef = ErrorDef::new(
    404,
    "InvalidCustomerGatewayInstanceId.NotFound",
    "The specified customer gateway instance id does not exist.",
);
pub const ALREADY_EXIST: ErrorDef =
    ErrorDef::new(400, "InvalidIpAddress.AlreadyExist", "Specified IpAddress is already exist.");
pub const WRONG_FORMAT: ErrorDef =
    ErrorDef::new(400, "InvalidIpAddress.WrongFormat", "Specified IpAddress is invalid.");
pub const IN_USE: ErrorDef = ErrorDef::new(
    400,
    "DependencyViolation.VpnConnection",
    "The specified customer gateway is used by IPsec connections.",
);

pub const CUSTOMER_GATEWAYS_PER_REGION: Quota =
    Quota { name: "customer_gateways_per_region", default: 100, about: "customer gateways in one region" };

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CustomerGateway {
    pub id: String,
    pub ip_address: String,
    pub name: String,
    pub description: String,
    pub created_ms: i64,
}

impl Entity for CustomerGateway {
    const KIND: &'static str = "customer_gateway";
    fn id(&self) -> &str {
        &self.id
    }
}

impl CustomerGateway {
    /// As DescribeCustomerGateway(s) show it: the attributes and the tags.
    fn described(&self, r: &impl Read, scope: &Scope) -> Value {
        let mut v = self.view();
        v["Tags"] = tag::vpc_tags(r, scope, &self.id);
        v
    }

    fn view(&self) -> Value {
        json!({
            "CustomerGatewayId": self.id,
            "IpAddress": self.ip_address,
            "Name": self.name,
            "Description": self.description,
            "CreateTime": self.created_ms,
        })
    }
}

pub fn get(r: &impl Read, scope: &Scope, id: &str) -> Result<CustomerGateway, ApiError> {
    r.get::<CustomerGateway>(scope, id).ok_or_else(|| NOT_FOUND.into())
}

/// A public unicast address.
fn is_public(ip: Ipv4Addr) -> bool {
    let shared = (ip.octets()[0] == 100) && (ip.octets()[1] & 0xc0) == 64;
    !(ip.is_private()
        || ip.is_loopback()
        || ip.is_link_local()
        || ip.is_multicast()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || shared
        || ip.octets()[0] == 0
        || ip.octets()[0] >= 240)
}

pub(super) fn create(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let raw = call.required("IpAddress")?;
    let ip: Ipv4Addr = raw.parse().map_err(|_| ApiError::from(WRONG_FORMAT))?;
    if !is_public(ip) {
        return Err(WRONG_FORMAT.into());
    }
    let address = ip.to_string();
    if tx.any::<CustomerGateway>(&scope, |c| c.ip_address == address) {
        return Err(ALREADY_EXIST.into());
    }
    if tx.list::<CustomerGateway>(&scope).len() >= call.quota(tx, &CUSTOMER_GATEWAYS_PER_REGION) {
        return Err(QUOTA_FULL_.into());
    }
    let cgw = CustomerGateway {
        id: new_id("cgw", &scope.region),
        ip_address: address,
        name: call.str("Name").unwrap_or_default().to_string(),
        description: call.str("Description").unwrap_or_default().to_string(),
        created_ms: call.now_ms,
    };
    let out = body(cgw.view());
    tag::create_with(call, tx, &scope, tag::Product::Vpc, TAG_TYPE, &cgw.id, "Tags")?;
    tx.put(&scope, cgw);
    Ok(out)
}

pub(super) fn describe_one(call: &Call<'_>, view: &View<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    Ok(body(get(view, &scope, call.required("CustomerGatewayId")?)?.described(view, &scope)))
}

pub(super) fn describe_all(call: &Call<'_>, view: &View<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let page = Page::from_params(call.params);
    let wanted = call.str("CustomerGatewayId");
    let tags = tag::filter(call, "Tag");
    let (items, total) = view.page::<CustomerGateway>(
        &scope,
        |c| wanted.is_none_or(|w| w == c.id) && tag::matches(view, &scope, &c.id, &tags),
        page.offset(),
        page.size,
    );
    let items: Vec<Value> = items.iter().map(|c| c.described(view, &scope)).collect();
    let mut out = body(json!({ "CustomerGateways": { "CustomerGateway": items } }));
    page.annotate(&mut out, total);
    Ok(out)
}

pub(super) fn modify(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let mut cgw = get(tx, &scope, call.required("CustomerGatewayId")?)?;
    call.update(&mut cgw.name, "Name");
    call.update(&mut cgw.description, "Description");
    let out = body(cgw.view());
    tx.put(&scope, cgw);
    Ok(out)
}

pub(super) fn delete(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let cgw = get(tx, &scope, call.required("CustomerGatewayId")?)?;
    if connection::count_of_customer_gateway(tx, &scope, &cgw.id) > 0 {
        return Err(IN_USE.into());
    }
    tx.delete::<CustomerGateway>(&scope, &cgw.id);
    tag::forget(tx, &scope, &cgw.id);
    Ok(Body::new())
}
