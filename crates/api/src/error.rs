//! Typed API errors. Every error the emulator returns is an [`ApiError`] built from an
//! [`ErrorDef`]: the documented HTTP status, Code and wire message of one row of an action's
//! error table (or of the common gateway errors). The envelope (RequestId, HostId, Recommend)
//! is added by the protocol layer.

use std::borrow::Cow;
use std::fmt;

/// One documented error: status, code and message exactly as the API description lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ErrorDef {
    pub status: u16,
    pub code: &'static str,
    pub message: &'static str,
}

impl ErrorDef {
    pub const fn new(status: u16, code: &'static str, message: &'static str) -> Self {
        Self { status, code, message }
    }

    /// The same code and status with a message that carries request-specific detail
    /// (a parameter name, the server's string to sign...).
    pub fn with_message(self, message: impl Into<String>) -> ApiError {
        ApiError { status: self.status, code: Cow::Borrowed(self.code), message: Cow::Owned(message.into()) }
    }
}

/// An error answer to an API call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: u16,
    pub code: Cow<'static, str>,
    pub message: Cow<'static, str>,
}

impl ApiError {
    /// An error whose code/message are only known at run time (from the API description).
    pub fn dynamic(status: u16, code: impl Into<String>, message: impl Into<String>) -> Self {
        Self { status, code: Cow::Owned(code.into()), message: Cow::Owned(message.into()) }
    }

    /// Server-side failure with a cause (storage I/O...). Clients see InternalError (500).
    pub fn internal(cause: impl fmt::Display) -> Self {
        common::INTERNAL_ERROR.with_message(format!("{} ({cause})", common::INTERNAL_ERROR.message))
    }

    pub fn is(&self, def: ErrorDef) -> bool {
        self.code == def.code
    }
}

impl From<ErrorDef> for ApiError {
    fn from(d: ErrorDef) -> Self {
        ApiError { status: d.status, code: Cow::Borrowed(d.code), message: Cow::Borrowed(d.message) }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.code, self.status, self.message)
    }
}

impl std::error::Error for ApiError {}

/// Errors every action can return: the API gateway's own (signature, throttling, dispatch) and the
/// generic parameter errors. Sources: the protocol research notes (shared/clients/protocol.md §5)
/// and the seed's common error rows.
pub mod common {
    use super::ErrorDef;

    pub const SIGNATURE_DOES_NOT_MATCH: ErrorDef =
        ErrorDef::new(400, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation.");
    pub const INCOMPLETE_SIGNATURE: ErrorDef =
        ErrorDef::new(400, "IncompleteSignature", "The request signature does not conform to Aliyun standards.");
    pub const INVALID_ACCESS_KEY_ID_NOT_FOUND: ErrorDef =
        ErrorDef::new(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.");
    pub const SIGNATURE_NONCE_USED: ErrorDef =
        ErrorDef::new(400, "SignatureNonceUsed", "Specified signature nonce was used already.");
    /// A SignatureNonce longer than the emulator keeps (acs_protocol::nonce::MAX_NONCE_LEN). The
    /// gateway documents no code of its own for a malformed nonce, so this is its generic
    /// parameter error, naming the parameter.
    pub const INVALID_SIGNATURE_NONCE: ErrorDef = ErrorDef::new(
        400,
        "InvalidParameter",
        "The specified parameter \"SignatureNonce\" is not valid: it must be at most 128 characters.",
    );
    pub const INVALID_TIMESTAMP_EXPIRED: ErrorDef =
        ErrorDef::new(400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.");
    pub const INVALID_TIMESTAMP_FORMAT: ErrorDef =
        ErrorDef::new(400, "InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted.");
    pub const INVALID_SIGNATURE_METHOD: ErrorDef =
        ErrorDef::new(400, "InvalidSignatureMethod", "Specified signature method is not supported.");
    pub const UNSUPPORTED_SIGNATURE_VERSION: ErrorDef =
        ErrorDef::new(400, "UnsupportedSignatureVersion", "Specified signature version is not supported.");
    pub const INVALID_ACTION_NOT_FOUND: ErrorDef =
        ErrorDef::new(404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.");
    pub const INVALID_VERSION: ErrorDef =
        ErrorDef::new(400, "InvalidVersion", "Specified parameter Version is not valid.");
    /// `Missing<Name>`: the code is built from the parameter name (see [`missing_parameter`]).
    pub const MISSING_PARAMETER: ErrorDef = ErrorDef::new(
        400,
        "MissingParameter",
        "The input parameter that is mandatory for processing this request is not supplied.",
    );
    pub const INVALID_PARAMETER: ErrorDef =
        ErrorDef::new(400, "InvalidParameter", "The specified parameter is not valid.");
    /// Our own code for an action that is described but whose behaviour the emulator does not
    /// have yet: a 4xx so that clients do not retry it.
    pub const UNSUPPORTED_OPERATION: ErrorDef =
        ErrorDef::new(400, "UnsupportedOperation", "The action is not supported by alicloud-emulator yet.");
    /// The gateway's answer when it cannot take the call now (the emulator: too many open
    /// connections, or a shared database that cannot be reached); clients retry it.
    pub const SERVICE_UNAVAILABLE: ErrorDef =
        ErrorDef::new(503, "ServiceUnavailable", "The request has failed due to a temporary failure of the server.");
    pub const INTERNAL_ERROR: ErrorDef =
        ErrorDef::new(500, "InternalError", "The request processing has failed due to some unknown error.");
    pub const INVALID_REGION_ID_NOT_FOUND: ErrorDef =
        ErrorDef::new(404, "InvalidRegionId.NotFound", "Specified value of \"regionId\" is not supported.");

    /// `Missing<Name>` / "<Name> is mandatory for this action." (the gateway's answer for a
    /// required parameter the action's error table does not cover).
    pub fn missing_parameter(name: &str) -> super::ApiError {
        super::ApiError::dynamic(400, format!("Missing{name}"), format!("{name} is mandatory for this action."))
    }

    /// The real service's message for a mandatory parameter that is not supplied, naming it:
    /// `The input parameter "VpcId" that is mandatory for processing this request is not supplied.`
    pub fn not_supplied(name: &str) -> String {
        format!("The input parameter \"{name}\" that is mandatory for processing this request is not supplied.")
    }

    /// A documented `MissingParameter` error (its status and Code kept) for the parameter `name`:
    /// a documented message that names the parameter is kept as it is; a generic one ("Miss
    /// mandatory parameter.") becomes [`not_supplied`], so the caller learns which parameter.
    pub fn missing_documented(status: u16, code: &str, message: &str, name: &str) -> super::ApiError {
        if names(message, name) {
            super::ApiError::dynamic(status, code.to_string(), message.to_string())
        } else {
            super::ApiError::dynamic(status, code.to_string(), not_supplied(name))
        }
    }

    /// Whether a documented message names the parameter (`'VlanId'` or `"VlanId"`).
    pub fn names(message: &str, name: &str) -> bool {
        message.contains(&format!("'{name}'")) || message.contains(&format!("\"{name}\""))
    }

    /// A value of the wrong type or outside its documented range.
    pub fn invalid_parameter(name: &str, detail: &str) -> super::ApiError {
        super::ApiError::dynamic(
            400,
            "InvalidParameter",
            format!("The specified parameter \"{name}\" is not valid: {detail}"),
        )
    }
}
