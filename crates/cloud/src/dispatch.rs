//! Action name -> handler, and the one place a call is executed: inside a store transaction
//! (writes, with ClientToken idempotency) or a consistent snapshot (reads).

use std::collections::HashMap;
use std::sync::OnceLock;

use acs_api::{common, ActionSpec, ApiError, Params};
use acs_store::{StoreError, Tx, View};
use serde_json::{Map, Value};

use crate::context::{Call, Cloud};
use crate::idempotency;

/// A response body without RequestId (the protocol layer adds it).
pub type Body = Map<String, Value>;

/// A JSON object literal as a response body.
pub(crate) fn body(v: Value) -> Body {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

#[derive(Clone, Copy)]
pub enum Handler {
    /// Answers from a consistent snapshot; changes nothing.
    Read(fn(&Call<'_>, &View<'_>) -> Result<Body, ApiError>),
    /// Runs in one atomic transaction.
    Write(fn(&Call<'_>, &mut Tx<'_>) -> Result<Body, ApiError>),
}

/// The actions of one family: (action name, handler).
pub type Actions = &'static [(&'static str, Handler)];

/// Every implemented action, by product code.
fn families() -> [(&'static str, Actions); 22] {
    [
        ("Vpc", crate::nat::ACTIONS),
        ("Vpc", crate::eip::ACTIONS),
        ("Vpc", crate::vpn::ACTIONS),
        ("Vpc", crate::flow_log::ACTIONS),
        ("Vpc", crate::bgp::ACTIONS),
        ("Vpc", crate::physical_connection::ACTIONS),
        ("Vpc", crate::router_interface::ACTIONS),
        ("Vpc", crate::vbr::ACTIONS),
        ("Ecs", crate::instance::ACTIONS),
        ("Ecs", crate::instance_type::ACTIONS),
        ("Ecs", crate::region::ECS_ACTIONS),
        ("Ecs", crate::security_group::ACTIONS),
        ("Vpc", crate::havip::ACTIONS),
        ("Vpc", crate::region::ACTIONS),
        ("Vpc", crate::vpc::ACTIONS),
        ("Vpc", crate::vswitch::ACTIONS),
        ("Vpc", crate::vrouter::ACTIONS),
        ("Vpc", crate::route_table::ACTIONS),
        ("Vpc", crate::tag::VPC_ACTIONS),
        ("Ecs", crate::tag::ECS_ACTIONS),
        ("Ecs", crate::image::ACTIONS),
        ("Ecs", crate::key_pair::ACTIONS),
    ]
}

fn table() -> &'static HashMap<(&'static str, &'static str), Handler> {
    static TABLE: OnceLock<HashMap<(&'static str, &'static str), Handler>> = OnceLock::new();
    TABLE.get_or_init(|| {
        families()
            .into_iter()
            .flat_map(|(product, actions)| actions.iter().map(move |(name, h)| ((product, *name), *h)))
            .collect()
    })
}

pub fn handler(product: &str, action: &str) -> Option<Handler> {
    table().get(&(product, action)).copied()
}

/// (product, action) of every implemented action, sorted.
pub fn implemented() -> Vec<(&'static str, &'static str)> {
    let mut v: Vec<_> = table().keys().copied().collect();
    v.sort_unstable();
    v
}

/// Why a write transaction ended without committing.
enum Abort {
    Api(ApiError),
    Store(StoreError),
}

impl From<StoreError> for Abort {
    fn from(e: StoreError) -> Self {
        Abort::Store(e)
    }
}

/// A storage failure as the caller sees it: a shared database that cannot be reached is the
/// real service's retryable `ServiceUnavailable`; anything else an `InternalError`.
pub fn store_error(e: StoreError) -> ApiError {
    match e {
        StoreError::Unavailable(cause) => {
            common::SERVICE_UNAVAILABLE.with_message(format!("{} ({cause})", common::SERVICE_UNAVAILABLE.message))
        }
        other => ApiError::internal(other),
    }
}

/// The handler of a described action, or the emulator's answer that it has none yet: a 400,
/// so that clients do not retry (a 5xx would be retried forever).
pub fn resolve(product: &str, action: &ActionSpec) -> Result<Handler, ApiError> {
    handler(product, &action.name).ok_or_else(|| {
        common::UNSUPPORTED_OPERATION.with_message(format!(
            "The action {} of {} is described but not supported by alicloud-emulator yet.",
            action.name, product
        ))
    })
}

impl Cloud {
    /// Executes one decoded call on behalf of `account`. The call's time is read once the
    /// transaction (or snapshot) is held, so time order matches commit order.
    pub fn execute(
        &self,
        handler: Handler,
        action: &ActionSpec,
        account: &str,
        params: &Params,
    ) -> Result<Body, ApiError> {
        if matches!(handler, Handler::Read(_)) {
            self.store.refresh().map_err(store_error)?;
        }
        self.execute_refreshed(handler, action, account, params)
    }

    /// [`Cloud::execute`] for a caller that has just caught up with the store
    /// ([`acs_store::Store::refresh`]): a read does not catch up again (a write always does,
    /// under the write lock).
    pub fn execute_refreshed(
        &self,
        handler: Handler,
        action: &ActionSpec,
        account: &str,
        params: &Params,
    ) -> Result<Body, ApiError> {
        let call = |now_ms| Call { cloud: self, action: &action.name, account, params, now_ms };
        match handler {
            Handler::Read(f) => self.store.read(|view| f(&call(self.now_in(view)), view)),
            Handler::Write(f) => self
                .store
                .write(|tx| idempotency::run(&call(self.now_in(tx)), tx, f).map_err(Abort::Api))
                .map_err(|e| match e {
                    Abort::Api(e) => e,
                    Abort::Store(e) => store_error(e),
                }),
        }
    }
}
