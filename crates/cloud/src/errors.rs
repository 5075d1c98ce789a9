//! Errors shared by several families. Family-specific errors live in each family's module; every
//! [`ErrorDef`] is listed in [`all`] so a test can check it against the API description.

use acs_api::ErrorDef;

pub const IDEMPOTENCE_PARAM_NOT_MATCH: ErrorDef = ErrorDef::new(
    400,
    "IdempotenceParamNotMatch",
    "Request uses a client token in a previous request but is not identical to that request.",
);
pub const FORBIDDEN_VPC_NOT_FOUND: ErrorDef =
    ErrorDef::new(400, "Forbidden.VpcNotFound", "Specified VPC can not found.");

/// Every error definition of the crate, with whether it must appear verbatim in the API
/// description (errors the seeds do not document, chosen by the emulator, are `false`).
pub fn all() -> Vec<(ErrorDef, bool)> {
    let mut v = vec![(IDEMPOTENCE_PARAM_NOT_MATCH, true), (FORBIDDEN_VPC_NOT_FOUND, true)];
    v.extend(crate::region::ERRORS.iter().map(|e| (*e, true)));
    v.extend(crate::vpc::ERRORS.iter().map(|e| (*e, true)));
    v.extend(crate::vswitch::ERRORS.iter().map(|e| (*e, true)));
    v.extend(crate::vswitch::CHOSEN.iter().map(|e| (*e, false)));
    v.extend(crate::havip::ERRORS.iter().map(|e| (*e, true)));
    v.extend(crate::vrouter::ERRORS.iter().map(|e| (*e, true)));
    v.extend(crate::route_table::ERRORS.iter().map(|e| (*e, true)));
    v.extend(crate::route_table::ENTRY_ERRORS.iter().map(|e| (*e, true)));
    v.extend(crate::route_table::NEXT_HOP_ERRORS.iter().map(|e| (*e, true)));
    v.extend(crate::route_table::CHOSEN.iter().map(|e| (*e, false)));
    v.push((crate::vpc::INVALID_INSTANCE_ID_NOT_FOUND, true));
    v.extend(crate::billing::ERRORS.iter().map(|e| (*e, true)));
    v.extend(crate::instance::ERRORS.iter().map(|e| (*e, true)));
    v.extend(crate::instance::attribute::ERRORS.iter().map(|e| (*e, true)));
    v.extend(crate::security_group::ERRORS.iter().map(|e| (*e, true)));
    v.extend(crate::security_group::rules::ERRORS.iter().map(|e| (*e, true)));
    v.extend(crate::physical_connection::ERRORS.iter().map(|e| (*e, true)));
    v.extend(crate::vbr::ERRORS.iter().map(|e| (*e, true)));
    v.extend(crate::vbr::LINK_ERRORS.iter().map(|e| (*e, true)));
    v.push((crate::vbr::PHYSICAL_CONNECTION_NOT_OWNED, true));
    v.extend(crate::router_interface::ERRORS.iter().map(|e| (*e, true)));
    v.extend(crate::bgp::ERRORS.iter().map(|e| (*e, true)));
    v.extend(crate::eip::ERRORS.iter().map(|e| (*e, true)));
    v.extend(crate::eip::CHOSEN.iter().map(|e| (*e, false)));
    v.extend(crate::flow_log::ERRORS.iter().map(|e| (*e, true)));
    v.extend(crate::vpn::ERRORS.iter().map(|e| (*e, true)));
    v.extend(crate::nat::ERRORS.iter().map(|e| (*e, true)));
    v.extend(crate::nat::CHOSEN.iter().map(|e| (*e, false)));
    v.extend(crate::tag::ERRORS.iter().map(|e| (*e, true)));
    v.extend(crate::image::ERRORS.iter().map(|e| (*e, true)));
    v.extend(crate::key_pair::ERRORS.iter().map(|e| (*e, true)));
    v
}
