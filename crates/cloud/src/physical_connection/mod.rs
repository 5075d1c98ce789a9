//! Physical connections (VPC reference chapter 14): the leased lines of Express Connect, their
//! application lifecycle (the provider's steps are driven through `/_emulator/` endpoints), LOAs
//! and orders. Virtual border routers ride on them (the `vbr` family asks through [`get`]).

use acs_api::ErrorDef;
use acs_store::{Entity, Read, Scope};
use serde::{Deserialize, Serialize};

use crate::dispatch::Actions;

pub const ERRORS: &[ErrorDef] = &[];

pub(crate) const ACTIONS: Actions = &[];

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

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PhysicalConnection {
    pub id: String,
    pub region: String,
    pub access_point_id: String,
    pub status: String,
    pub name: String,
    pub description: String,
    pub created_ms: i64,
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
}

/// The physical connection, if it exists in the scope.
pub fn get(r: &impl Read, scope: &Scope, id: &str) -> Option<PhysicalConnection> {
    r.get::<PhysicalConnection>(scope, id)
}
