//! The letter of authorization (14.8, 14.9, 14.12): the user applies (Applying), the provider
//! approves (Available, with a download URL) or rejects (Rejected, apply again), the user
//! reports the finished line (Completing), the provider's confirmation of the connection
//! completes it (Complete).

use acs_api::ApiError;
use acs_store::{Tx, View};
use serde_json::{json, Value};

use super::*;
use crate::context::Call;
use crate::dispatch::{body, Body};

fn text(o: &std::collections::BTreeMap<String, acs_api::Value>, key: &str) -> String {
    o.get(key).and_then(acs_api::Value::as_str).unwrap_or_default().to_string()
}

/// Allowed while the line is not built yet (Initial to Allocated), with no LOA or a rejected
/// or deleted one.
pub(super) fn apply(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let mut pc = get_settled(call, tx, &scope, call.required("InstanceId")?)?;
    let building = matches!(pc.status.as_str(), INITIAL | APPROVED | ALLOCATING | ALLOCATED);
    let reapply = matches!(pc.loa_status(), "" | LOA_REJECTED | LOA_DELETED);
    if !building || !reapply {
        return Err(FORBIDDEN_NOT_ALLOWED_IN_STATE.into());
    }
    let engineers = call
        .params
        .objects("PMInfo")
        .into_iter()
        .map(|o| Engineer {
            name: text(o, "PMName"),
            gender: text(o, "PMGender"),
            certificate_type: text(o, "PMCertificateType"),
            certificate_no: text(o, "PMCertificateNo"),
            contact_info: text(o, "PMContactInfo"),
        })
        .collect();
    pc.loa = Some(Loa {
        status: LOA_APPLYING.to_string(),
        company_name: call.required("CompanyName")?.to_string(),
        construction_time: call.required("ConstructionTime")?.to_string(),
        line_type: call.required("LineType")?.to_string(),
        si: call.required("Si")?.to_string(),
        peer_location: call.required("PeerLocation")?.to_string(),
        bandwidth: call.params.int("Bandwidth"),
        line_operator: call.str("LineOperator").unwrap_or_default().to_string(),
        engineers,
        ..Loa::default()
    });
    tx.put(&scope, pc);
    Ok(Body::new())
}

/// Allowed once the LOA is Available (again while Completing, to correct the codes).
pub(super) fn complete(call: &Call<'_>, tx: &mut Tx<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let mut pc = get_settled(call, tx, &scope, call.required("InstanceId")?)?;
    let Some(loa) = pc.loa.as_mut().filter(|l| matches!(l.status.as_str(), LOA_AVAILABLE | LOA_COMPLETING)) else {
        return Err(FORBIDDEN_NOT_ALLOWED_IN_STATE.into());
    };
    loa.status = LOA_COMPLETING.to_string();
    loa.line_code = call.required("LineCode")?.to_string();
    loa.line_label = call.required("LineLabel")?.to_string();
    tx.put(&scope, pc);
    Ok(Body::new())
}

/// A connection no LOA was applied for has nothing to show: Forbidden.NotAllowedInState.
pub(super) fn describe(call: &Call<'_>, view: &View<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let pc = get(view, &scope, call.required("InstanceId")?).ok_or(INVALID_PHYSICAL_CONNECTION_ID_NOT_FOUND)?;
    let Some(loa) = pc.loa.as_ref() else {
        return Err(FORBIDDEN_NOT_ALLOWED_IN_STATE.into());
    };
    let engineers: Vec<Value> = loa
        .engineers
        .iter()
        .map(|e| {
            json!({
                "PMCertificateNo": e.certificate_no,
                "PMCertificateType": e.certificate_type,
                "PMContactInfo": e.contact_info,
                "PMGender": e.gender,
                "PMName": e.name,
            })
        })
        .collect();
    Ok(body(json!({
        "PhysicalConnectionLOAType": {
            "CompanyLocalizedName": loa.company_name,
            "CompanyName": loa.company_name,
            "ConstructionTime": loa.construction_time,
            "InstanceId": pc.id,
            "LineCode": loa.line_code,
            "LineLabel": loa.line_label,
            "LineType": loa.line_type,
            "LoaUrl": loa.url,
            "PMInfo": { "PMInfo": engineers },
            "SI": loa.si,
            "Status": loa.status,
        }
    })))
}
