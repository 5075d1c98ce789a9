//! Command-line configuration of `serve` (every flag also reads an environment variable).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

/// Documented defaults (README "Configuration").
pub const DEFAULT_LISTEN: &str = "127.0.0.1:9760";
pub const DEFAULT_ACCESS_KEY_ID: &str = "testid";
pub const DEFAULT_ACCESS_KEY_SECRET: &str = "testsecret";
pub const DEFAULT_ACCOUNT_ID: &str = "1234567890123456";
/// How far a request's timestamp may be from the real clock, either way.
pub const TIMESTAMP_WINDOW: Duration = Duration::from_secs(15 * 60);

#[derive(Args, Debug, Clone)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "ALICLOUD_EMULATOR_LISTEN", default_value = DEFAULT_LISTEN)]
    pub listen: SocketAddr,
    /// Directory of the durable state (SQLite, WAL mode); created if missing.
    #[arg(long, env = "ALICLOUD_EMULATOR_DATA_DIR", default_value = "./alicloud-emulator-data")]
    pub data_dir: PathBuf,
    /// Keep the state in this PostgreSQL database (`postgres://user@host:port/db`), shared by every
    /// replica pointed at it; `--data-dir` is then unused.
    #[arg(long, env = "ALICLOUD_EMULATOR_DATABASE_URL", hide_env_values = true, conflicts_with = "ephemeral")]
    pub database_url: Option<String>,
    /// Connections to the database each replica keeps at most.
    #[arg(long, env = "ALICLOUD_EMULATOR_DATABASE_POOL", default_value_t = 16)]
    pub database_pool: u32,
    /// Keep all state in memory; nothing is written to disk (--data-dir is ignored).
    #[arg(long, env = "ALICLOUD_EMULATOR_EPHEMERAL")]
    pub ephemeral: bool,
    /// Start even if the stored state is damaged: rows that cannot be read are moved to the
    /// database's `quarantine` table, an emptied (0-byte) database file is renamed aside; the log
    /// says what was moved. Without it such state stops the start with a message naming it.
    #[arg(long, env = "ALICLOUD_EMULATOR_REPAIR")]
    pub repair: bool,
    /// AccessKey ID of the default account.
    #[arg(long, env = "ALICLOUD_EMULATOR_ACCESS_KEY_ID", default_value = DEFAULT_ACCESS_KEY_ID)]
    pub access_key_id: String,
    /// AccessKey secret of the default account.
    #[arg(long, env = "ALICLOUD_EMULATOR_ACCESS_KEY_SECRET", default_value = DEFAULT_ACCESS_KEY_SECRET)]
    pub access_key_secret: String,
    /// Account (UID) of the default account.
    #[arg(long, env = "ALICLOUD_EMULATOR_ACCOUNT_ID", default_value = DEFAULT_ACCOUNT_ID)]
    pub account_id: String,
    /// How long transitional states (Pending...) last: `0`, `500ms`, `3s`, `1m`.
    #[arg(long, env = "ALICLOUD_EMULATOR_TRANSITION_DELAY", default_value = "0s", value_parser = parse_duration)]
    pub transition_delay: Duration,
    /// Append one JSON line per answered call ({"product","action","code"}) to this file; the
    /// test suites use it to build COVERAGE.md.
    #[arg(long, env = "ALICLOUD_EMULATOR_RECORD_CALLS")]
    pub record_calls: Option<PathBuf>,
    /// Change a quota: `--quota vpcs_per_region=50` (repeatable; the env var takes a comma-separated
    /// list). Names and defaults: README "Quotas".
    #[arg(long = "quota", value_name = "NAME=N", env = "ALICLOUD_EMULATOR_QUOTAS", value_delimiter = ',', value_parser = acs_cloud::quota::parse_flag)]
    pub quotas: Vec<(String, usize)>,
    /// Replace the state with this state document (from `GET /_emulator/state`) at start.
    #[arg(long, env = "ALICLOUD_EMULATOR_IMPORT", value_name = "FILE")]
    pub import: Option<std::path::PathBuf>,
    /// Token required for `/_emulator/` writes (as `Authorization: Bearer <token>` or
    /// `X-Emulator-Admin-Token`). Without it, a server listening on a non-loopback address takes
    /// admin writes from loopback peers only.
    #[arg(long, env = "ALICLOUD_EMULATOR_ADMIN_TOKEN", hide_env_values = true)]
    pub admin_token: Option<String>,
    /// The most connections served at once; one more is answered 503 ServiceUnavailable and
    /// closed. Keep it below the process's file-descriptor limit (`ulimit -n`).
    #[arg(long, env = "ALICLOUD_EMULATOR_MAX_CONNECTIONS", default_value_t = 512)]
    pub max_connections: usize,
    /// How long a connection may take to send a request's headers, counted from when it is ready
    /// for one: also how long an idle keep-alive connection stays open.
    #[arg(long, env = "ALICLOUD_EMULATOR_IDLE_TIMEOUT", default_value = "15s", value_parser = parse_duration)]
    pub idle_timeout: Duration,
    /// On SIGINT/SIGTERM, how long open connections may take to finish before they are dropped.
    #[arg(long, env = "ALICLOUD_EMULATOR_SHUTDOWN_TIMEOUT", default_value = "10s", value_parser = parse_duration)]
    pub shutdown_timeout: Duration,

    /// Log filter (tracing's env-filter syntax), e.g. `info` or `alicloud_emulator=debug`. At
    /// `info` every answered call is one line (target `alicloud_emulator::call`).
    #[arg(long, env = "ALICLOUD_EMULATOR_LOG", default_value = "info")]
    pub log: String,
    /// Log line format: `text` or `json` (one JSON object per line).
    #[arg(long, env = "ALICLOUD_EMULATOR_LOG_FORMAT", default_value = "text", value_parser = ["text", "json"])]
    pub log_format: String,
    /// Largest request body accepted; larger ones get 413 RequestEntityTooLarge.
    #[arg(long, env = "ALICLOUD_EMULATOR_MAX_BODY_BYTES", default_value_t = DEFAULT_MAX_BODY_BYTES)]
    pub max_body_bytes: usize,
    /// Longest request URL (path and query) accepted; longer ones get 414 RequestURITooLong. The
    /// HTTP layer refuses URLs over 65534 bytes whatever this says.
    #[arg(long, env = "ALICLOUD_EMULATOR_MAX_URL_BYTES", default_value_t = DEFAULT_MAX_URL_BYTES)]
    pub max_url_bytes: usize,
}

/// 8 MiB: far above any documented parameter (UserData is at most 32 KB).
pub const DEFAULT_MAX_BODY_BYTES: usize = 8 * 1024 * 1024;
/// 32 KiB of URL (the old core SDK sends every parameter in the query).
pub const DEFAULT_MAX_URL_BYTES: usize = 32 * 1024;

/// The request size limits in force.
#[derive(Debug, Clone, Copy)]
pub struct RequestLimits {
    pub max_body_bytes: usize,
    pub max_url_bytes: usize,
}

/// `250ms`, `3s`, `2m` or a bare number of seconds.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let (number, unit) = match s.find(|c: char| !c.is_ascii_digit() && c != '.') {
        Some(i) => s.split_at(i),
        None => (s, "s"),
    };
    let n: f64 = number.parse().map_err(|_| format!("invalid duration {s:?}"))?;
    let secs = match unit {
        "ms" => n / 1000.0,
        "s" => n,
        "m" => n * 60.0,
        _ => return Err(format!("invalid duration unit in {s:?} (use ms, s or m)")),
    };
    if !secs.is_finite() || secs < 0.0 {
        return Err(format!("invalid duration {s:?}"));
    }
    Ok(Duration::from_secs_f64(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("0").unwrap(), Duration::ZERO);
        assert_eq!(parse_duration("250ms").unwrap(), Duration::from_millis(250));
        assert_eq!(parse_duration("3s").unwrap(), Duration::from_secs(3));
        assert_eq!(parse_duration("2m").unwrap(), Duration::from_secs(120));
        assert!(parse_duration("3h").is_err());
        assert!(parse_duration("x").is_err());
    }
}
