//! BGP on virtual border routers (VPC reference chapter 12): groups, peers and advertised networks.

use acs_api::ErrorDef;

use crate::dispatch::Actions;

pub const ERRORS: &[ErrorDef] = &[];

pub(crate) const ACTIONS: Actions = &[];
