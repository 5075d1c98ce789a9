//! Virtual border routers (VPC reference chapter 13): routers on a physical connection, each with
//! its own route table; router interfaces and BGP groups attach to them.

use acs_api::ErrorDef;
use acs_store::{Entity, Read, Scope};
use serde::{Deserialize, Serialize};

use crate::dispatch::Actions;

pub const ERRORS: &[ErrorDef] = &[];

pub(crate) const ACTIONS: Actions = &[];

/// The statuses of chapter 13.3.
pub const UNCONFIRMED: &str = "unconfirmed";
pub const ACTIVE: &str = "active";
pub const TERMINATED: &str = "terminated";

/// The VBR's link over one physical connection.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Association {
    pub physical_connection_id: String,
    pub vlan_id: i64,
    pub circuit_code: String,
    pub local_gateway_ip: String,
    pub peer_gateway_ip: String,
    pub peering_subnet_mask: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct VirtualBorderRouter {
    pub id: String,
    pub region: String,
    pub name: String,
    pub description: String,
    pub status: String,
    /// The VBR's route table (`vtb-...`).
    pub route_table_id: String,
    /// The physical connection it was created on first, then any associated later.
    pub associations: Vec<Association>,
    pub created_ms: i64,
}

impl Entity for VirtualBorderRouter {
    const KIND: &'static str = "vbr";
    fn id(&self) -> &str {
        &self.id
    }
}

impl VirtualBorderRouter {
    pub fn is_active(&self) -> bool {
        self.status == ACTIVE
    }
}

/// The VBR, if it exists in the scope.
pub fn get(r: &impl Read, scope: &Scope, id: &str) -> Option<VirtualBorderRouter> {
    r.get::<VirtualBorderRouter>(scope, id)
}
