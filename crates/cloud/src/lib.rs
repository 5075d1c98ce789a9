//! The emulated cloud. One module per resource family, each owning its entities, rules and
//! errors; families use each other only through the functions they export (never each other's
//! stored records directly). Every action is a [`Handler`] that runs inside one store
//! transaction (or one consistent read snapshot) and returns the response body.

pub mod clock;
mod context;
mod dispatch;
pub mod errors;
pub(crate) mod idempotency;
mod ids;
mod paging;
mod public_ip;
pub mod quota;
pub mod state;
mod status;

pub mod bgp;
pub mod billing;
pub mod eip;
pub mod flow_log;
pub mod havip;
pub mod image;
pub mod instance;
pub mod instance_type;
pub mod key_pair;
pub mod nat;
pub mod physical_connection;
pub mod region;
pub mod route_table;
pub mod router_interface;
pub mod security_group;
pub mod tag;
pub mod vbr;
pub mod vpc;
pub mod vpn;
pub mod vrouter;
pub mod vswitch;

pub use clock::Clock;
pub use context::{Call, Cloud, Config, Dependents, EipTarget, EipTargetState, NextHop, NextHopResolver};
pub use dispatch::{handler, implemented, resolve, store_error, Body, Handler};
