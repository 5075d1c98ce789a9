//! The API description: what every action accepts and answers, loaded from the checked-in
//! `spec/*.json` files, plus the typed errors and the request-parameter decoder built on it.

pub mod error;
pub mod params;
pub mod response;
pub mod spec;
pub mod validate;

pub use error::{common, ApiError, ErrorDef};
pub use params::{decode, Params, Value};
pub use response::check_response;
pub use spec::{ActionSpec, Api, ErrorRow, ParamSpec, ProductSpec};
