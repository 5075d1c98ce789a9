//! Physical connections (VPC reference chapter 14): the leased lines of Express Connect, their
//! application lifecycle (the provider's steps are driven through `/_emulator/` endpoints,
//! `provider.rs`), LOAs (`loa.rs`) and orders (`orders.rs`). Virtual border routers ride on them
//! (the `vbr` family asks through [`get`], and objects to terminating or deleting a connection
//! through the `physical_connection_in_use` seam). Behaviour and choices:
//! docs/express_connect/physical_connection.md.

mod describe;
mod lifecycle;
mod loa;
mod orders;
mod provider;

use acs_api::{ApiError, ErrorDef};
use acs_store::{Entity, Read, Scope, Tx};
use serde::{Deserialize, Serialize};

pub(crate) use orders::fulfil;
pub use provider::{provider_step, STEPS};

use crate::context::Call;
use crate::dispatch::{Actions, Handler};
use crate::quota::Quota;

pub const INVALID_PHYSICAL_CONNECTION_ID_NOT_FOUND: ErrorDef = ErrorDef::new(
    404,
    "InvalidPhysicalConnectionId.NotFound",
    "The PhysicalConnectionId provided does not exist in our records.",
);
pub const INVALID_PHYSICAL_CONNECTION_ID_NOT_MATCHED: ErrorDef =
    ErrorDef::new(400, "InvalidPhysicalConnectionId.NotMatched", "instance id not matched.");
pub const FORBIDDEN_NOT_ALLOWED_IN_STATE: ErrorDef =
    ErrorDef::new(400, "Forbidden.NotAllowedInState", "The request does not allow in this state.");
/// Objections the VBR family may raise through the seam (rows of DeletePhysicalConnection).
pub const FORBIDDEN_VBR_EXISTS: ErrorDef = ErrorDef::new(400, "Forbidden.VBRExists", "vbr owner's vbr still exists.");
pub const FORBIDDEN_ASSOCIATE_TO_VBR: ErrorDef =
    ErrorDef::new(400, "Forbidden.AssociateToVBR", "The physical connection still associate to VBR.");
pub const INVALID_ACCESS_POINT_ID_NOT_ENABLED: ErrorDef =
    ErrorDef::new(400, "InvalidAccessPointId.NotEnabled", "Invalid access point status.");
pub const INVALID_REDUNDANT_ID_NOT_FOUND: ErrorDef = ErrorDef::new(
    404,
    "InvalidRedundantPhysicalConnectionId.NotFound",
    "The RedundantPhysicalConnectionId does not found.",
);
pub const INVALID_REDUNDANT_PHYSICAL_CONNECTION: ErrorDef = ErrorDef::new(
    400,
    "InvalidRedundantPhysicalConnection",
    "redundant physical connection doesn't belong to current user.",
);
pub const INVALID_REDUNDANT_STATUS: ErrorDef =
    ErrorDef::new(400, "InvalidRedundantPhysicalConnectionStatus", "invalid redundant physical connection status.");
pub const QUOTA_EXCEEDED_PER_AP: ErrorDef =
    ErrorDef::new(400, "QuotaExceeded.pConnPerAP", "Physical connection count per ap quota exceed.");
pub const QUOTA_EXCEEDED_FREE_PER_AP: ErrorDef =
    ErrorDef::new(400, "QuotaExceeded.freePconnPerAP", "free physical connections count excceeded.");
pub const INVALID_BANDWIDTH: ErrorDef = ErrorDef::new(400, "InvalidBandwidth", "invalid physical connection banwidth.");
pub const INVALID_STATUS: ErrorDef = ErrorDef::new(400, "InvalidStatus", "invalid physical connection status.");
pub const INVALID_FILTER_KEY: ErrorDef = crate::paging::INVALID_FILTER_KEY;
/// The overdue rule of 14.1 has no code; ConnectRouterInterface documents this one for the same rule.
pub const FORBIDDEN_BILLS_OUTSTANDING: ErrorDef =
    ErrorDef::new(400, "Forbidden.BillsOutstanding", "You cannot use this action because you have bills outstanding.");

pub const ERRORS: &[ErrorDef] = &[
    INVALID_PHYSICAL_CONNECTION_ID_NOT_FOUND,
    INVALID_PHYSICAL_CONNECTION_ID_NOT_MATCHED,
    FORBIDDEN_NOT_ALLOWED_IN_STATE,
    FORBIDDEN_VBR_EXISTS,
    FORBIDDEN_ASSOCIATE_TO_VBR,
    INVALID_ACCESS_POINT_ID_NOT_ENABLED,
    INVALID_REDUNDANT_ID_NOT_FOUND,
    INVALID_REDUNDANT_PHYSICAL_CONNECTION,
    INVALID_REDUNDANT_STATUS,
    QUOTA_EXCEEDED_PER_AP,
    QUOTA_EXCEEDED_FREE_PER_AP,
    INVALID_BANDWIDTH,
    INVALID_STATUS,
    INVALID_FILTER_KEY,
    FORBIDDEN_BILLS_OUTSTANDING,
];

pub(crate) const ACTIONS: Actions = &[
    ("CreatePhysicalConnection", Handler::Write(lifecycle::create)),
    ("CancelPhysicalConnection", Handler::Write(lifecycle::cancel)),
    ("DescribePhysicalConnections", Handler::Read(describe::describe)),
    ("ModifyPhysicalConnectionAttribute", Handler::Write(lifecycle::modify)),
    ("TerminatePhysicalConnection", Handler::Write(lifecycle::terminate)),
    ("EnablePhysicalConnection", Handler::Write(lifecycle::enable)),
    ("DeletePhysicalConnection", Handler::Write(lifecycle::delete)),
    ("ApplyPhysicalConnectionLOA", Handler::Write(loa::apply)),
    ("CompletePhysicalConnectionLOA", Handler::Write(loa::complete)),
    ("DescribePhysicalConnectionLOA", Handler::Read(loa::describe)),
    ("CreatePhysicalConnectionSetupOrder", Handler::Write(orders::setup)),
    ("CreatePhysicalConnectionOccupancyOrder", Handler::Write(orders::occupancy)),
];

/// The statuses of chapter 14.3.
pub const INITIAL: &str = "Initial";
pub const APPROVED: &str = "Approved";
pub const ALLOCATING: &str = "Allocating";
pub const ALLOCATED: &str = "Allocated";
pub const CONFIRMED: &str = "Confirmed";
pub const ENABLED: &str = "Enabled";
pub const REJECTED: &str = "Rejected";
pub const CANCELED: &str = "Canceled";
pub const ALLOCATION_FAILED: &str = "Allocation Failed";
pub const TERMINATING: &str = "Terminating";
pub const TERMINATED: &str = "Terminated";

/// The statuses of an LOA (DescribePhysicalConnectionLOA).
pub const LOA_APPLYING: &str = "Applying";
pub const LOA_AVAILABLE: &str = "Available";
pub const LOA_REJECTED: &str = "Rejected";
pub const LOA_COMPLETING: &str = "Completing";
pub const LOA_COMPLETE: &str = "Complete";
pub const LOA_DELETED: &str = "Deleted";

/// The defaults of CreatePhysicalConnection.
pub const DEFAULT_PORT_TYPE: &str = "1000Base-T";
pub const DEFAULT_TYPE: &str = "VPC";
/// ChargeType values (DescribePhysicalConnections).
pub const PREPAID: &str = "Prepaid";
pub const POST_PAID: &str = "PostPaid";

/// At most this many connections of an account in a region may be open applications (not
/// Enabled and not ended), 14.1.
pub const OPEN_APPLICATIONS_QUOTA: Quota = Quota {
    name: "open_physical_connection_applications",
    default: 5,
    about: "physical connections of one account in one region that are open applications",
};
/// The emulator's choice: at most this many live connections of an account per access point.
pub const PER_ACCESS_POINT_QUOTA: Quota = Quota {
    name: "physical_connections_per_access_point",
    default: 10,
    about: "live physical connections of one account at one access point",
};

/// One engineer of an LOA application (`PMInfo.N`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Engineer {
    pub name: String,
    pub gender: String,
    pub certificate_type: String,
    pub certificate_no: String,
    pub contact_info: String,
}

/// The letter of authorization of a connection: applied for by the user, approved or rejected
/// by the provider, completed by the user once the line is built.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Loa {
    pub status: String,
    pub company_name: String,
    pub construction_time: String,
    pub line_type: String,
    pub si: String,
    pub peer_location: String,
    pub bandwidth: Option<i64>,
    pub line_operator: String,
    pub engineers: Vec<Engineer>,
    pub line_code: String,
    pub line_label: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PhysicalConnection {
    pub id: String,
    pub region: String,
    pub access_point_id: String,
    /// The last recorded status. Allocating and Terminating are transitional: they end (as
    /// Allocated and Terminated) once the transition delay has passed since `status_ms`; use
    /// [`PhysicalConnection::status_at`] for the status at a given time.
    pub status: String,
    pub name: String,
    pub description: String,
    pub created_ms: i64,
    /// When `status` was recorded.
    #[serde(default)]
    pub status_ms: i64,
    #[serde(default)]
    pub line_operator: String,
    #[serde(default)]
    pub peer_location: String,
    #[serde(default)]
    pub circuit_code: String,
    #[serde(default)]
    pub port_type: String,
    /// Mbit/s.
    #[serde(default)]
    pub bandwidth: i64,
    #[serde(default)]
    pub redundant_id: String,
    /// `Type` (VPC).
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub enabled_ms: Option<i64>,
    /// Prepaid | PostPaid (set by occupancy orders).
    #[serde(default)]
    pub charge_type: String,
    /// End of the subscription bought by prepaid occupancy orders.
    #[serde(default)]
    pub end_ms: Option<i64>,
    /// The port of the access point's device, assigned when resources are allocated.
    #[serde(default)]
    pub port_number: String,
    #[serde(default)]
    pub loa: Option<Loa>,
}

impl Entity for PhysicalConnection {
    const KIND: &'static str = "physical_connection";
    fn id(&self) -> &str {
        &self.id
    }
}

impl PhysicalConnection {
    pub fn is_enabled(&self) -> bool {
        self.status == ENABLED
    }

    /// The status at `now_ms` when transitions last `delay_ms`.
    pub fn status_at(&self, now_ms: i64, delay_ms: i64) -> &str {
        let settled = crate::status::settled_at(now_ms, self.status_ms, delay_ms);
        match self.status.as_str() {
            ALLOCATING if settled => ALLOCATED,
            TERMINATING if settled => TERMINATED,
            s => s,
        }
    }

    /// The status at the time of the call.
    pub fn current_status(&self, call: &Call<'_>) -> &str {
        self.status_at(call.now_ms, call.cloud.config.transition_delay_ms)
    }

    /// Records the end of a finished transition, so that the next change starts from it.
    fn settle(&mut self, now_ms: i64, delay_ms: i64) {
        let current = self.status_at(now_ms, delay_ms).to_string();
        if current != self.status {
            self.status = current;
            self.status_ms = self.status_ms.saturating_add(delay_ms.max(0));
        }
    }

    fn set_status(&mut self, status: &str, now_ms: i64) {
        self.status = status.to_string();
        self.status_ms = now_ms;
    }

    /// Ends the LOA with the application (cancelled, rejected, allocation failed).
    fn drop_loa(&mut self) {
        if let Some(loa) = self.loa.as_mut() {
            if loa.status != LOA_COMPLETE {
                loa.status = LOA_DELETED.to_string();
            }
        }
    }

    pub fn loa_status(&self) -> &str {
        self.loa.as_ref().map_or("", |l| l.status.as_str())
    }

    /// Spec: the port's speed class.
    pub fn spec(&self) -> &'static str {
        port_spec(&self.port_type).0
    }
}

/// (Spec, capacity in Mbit/s) of a port type.
fn port_spec(port_type: &str) -> (&'static str, i64) {
    match port_type {
        "100Base-T" => ("100M", 100),
        "10GBase-T" | "10GBase-LR" => ("10G", 10_000),
        _ => ("1G", 1_000),
    }
}

/// Whether a status is an open application (counts against the quota of five): not Enabled,
/// not ended.
fn is_open(status: &str) -> bool {
    matches!(status, INITIAL | APPROVED | ALLOCATING | ALLOCATED | CONFIRMED | REJECTED)
}

/// Whether a connection at this status holds a place at its access point.
fn is_live(status: &str) -> bool {
    is_open(status) || matches!(status, ENABLED | TERMINATING)
}

/// The physical connection, if it exists in the scope.
pub fn get(r: &impl Read, scope: &Scope, id: &str) -> Option<PhysicalConnection> {
    r.get::<PhysicalConnection>(scope, id)
}

/// The connection `id` of the scope, with its finished transitions recorded.
fn get_settled(call: &Call<'_>, r: &impl Read, scope: &Scope, id: &str) -> Result<PhysicalConnection, ApiError> {
    let mut pc = get(r, scope, id).ok_or(INVALID_PHYSICAL_CONNECTION_ID_NOT_FOUND)?;
    pc.settle(call.now_ms, call.cloud.config.transition_delay_ms);
    Ok(pc)
}

/// Which account owns each connection id, so that a redundant connection of another account is
/// told apart from one that does not exist. Kept in the global partition.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Owner {
    id: String,
    account: String,
}

impl Entity for Owner {
    const KIND: &'static str = "physical_connection_owner";
    fn id(&self) -> &str {
        &self.id
    }
}

fn owners() -> Scope {
    Scope::new("", "")
}

fn record_owner(tx: &mut Tx<'_>, account: &str, id: &str) {
    tx.put(&owners(), Owner { id: id.to_string(), account: account.to_string() });
}

fn forget_owner(tx: &mut Tx<'_>, id: &str) {
    tx.delete::<Owner>(&owners(), id);
}

fn owner_of(r: &impl Read, id: &str) -> Option<String> {
    r.get::<Owner>(&owners(), id).map(|o| o.account)
}
