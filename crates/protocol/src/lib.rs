//! The RPC wire protocol of Alibaba Cloud's VPC/ECS APIs, as the official SDKs speak it
//! (facts: shared/clients/protocol.md).
//!
//! - [`request`]: HTTP request -> [`RpcRequest`] (query + form parameters, action, version, format)
//! - [`signature`]: V1 (HMAC-SHA1) and V3 (ACS3-HMAC-SHA256) canonical forms and signatures
//! - [`auth`]: [`authenticate`] a request against [`Credentials`], with replay protection
//!   by [`NonceCache`]
//! - [`encode`]: success bodies and the error envelope as JSON or XML

pub mod auth;
pub mod encode;
pub mod nonce;
pub mod request;
pub mod signature;

pub use auth::{authenticate, Caller, Credentials};
pub use encode::{encode_error, encode_success, new_request_id, Encoded};
pub use nonce::NonceCache;
pub use request::{Format, RpcRequest};
