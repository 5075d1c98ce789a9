//! Router interfaces (VPC reference chapter 11, seeds 000/001 for ModifyRouterInterfaceSpec):
//! the two ends of a connection between two routers (VRouters or virtual border routers).

use acs_api::ErrorDef;

use crate::dispatch::Actions;

pub const ERRORS: &[ErrorDef] = &[];

pub(crate) const ACTIONS: Actions = &[];
