//! Starts the real `alicloud-emulator` binary for end-to-end tests and talks to it through the
//! official Rust SDK (`aliyun-openapi-core-rust-sdk`).

#![allow(dead_code)]

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use aliyun_openapi_core_rust_sdk::client::error::Error as SdkError;
use aliyun_openapi_core_rust_sdk::client::rpc::RPClient;
use serde_json::Value;

pub const AK: &str = "testid";
pub const SECRET: &str = "testsecret";

pub struct Server {
    child: Child,
    pub port: u16,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("free port")
}

impl Server {
    /// An in-memory server.
    pub fn ephemeral(extra: &[&str]) -> Self {
        let mut args = vec!["--ephemeral"];
        args.extend_from_slice(extra);
        Self::start(&args)
    }

    /// A durable server over `dir`.
    pub fn durable(dir: &Path) -> Self {
        Self::start(&["--data-dir", dir.to_str().expect("utf-8 path")])
    }

    pub fn start(args: &[&str]) -> Self {
        Self::start_with(args, Stdio::null())
    }

    /// A server whose log (stderr) goes to `log`.
    pub fn logged(args: &[&str], log: &Path) -> Self {
        Self::start_with(args, std::fs::File::create(log).expect("log file").into())
    }

    fn start_with(args: &[&str], stderr: Stdio) -> Self {
        let port = free_port();
        let listen = format!("127.0.0.1:{port}");
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_alicloud-emulator"));
        cmd.env_remove("ALICLOUD_EMULATOR_LOG").env_remove("ALICLOUD_EMULATOR_QUOTAS");
        cmd.arg("serve").arg("--listen").arg(&listen).args(args).stdout(Stdio::null()).stderr(stderr);
        if let Ok(path) = std::env::var("ALICLOUD_EMULATOR_RECORD_CALLS") {
            cmd.arg("--record-calls").arg(path);
        }
        let child = cmd.spawn().expect("start alicloud-emulator");
        let server = Server { child, port };
        server.wait_healthy();
        server
    }

    fn wait_healthy(&self) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        panic!("alicloud-emulator did not start on port {}", self.port);
    }

    /// `http://127.0.0.1:PORT/_emulator/<path>`
    pub fn control(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}/_emulator/{path}", self.port)
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn client(&self) -> Vpc {
        Vpc { endpoint: self.endpoint(), secret: SECRET.into(), ak: AK.into(), version: "2016-04-28" }
    }

    /// ECS calls (API 2014-05-26) on the same endpoint.
    pub fn ecs(&self) -> Vpc {
        Vpc { version: "2014-05-26", ..self.client() }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Sends SIGTERM and waits up to `within` for the process to exit; None if it did not.
    pub fn terminate(&mut self, within: Duration) -> Option<std::process::ExitStatus> {
        let pid = self.child.id().to_string();
        Command::new("kill").args(["-TERM", &pid]).status().expect("kill -TERM");
        let deadline = Instant::now() + within;
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }

    /// SIGKILL: no shutdown code runs.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An error as the SDK reports it.
#[derive(Debug)]
pub struct CallError {
    pub code: String,
    pub message: String,
}

/// Calls of one product (VPC unless made by [`Server::ecs`]) through the official Rust SDK.
#[derive(Clone)]
pub struct Vpc {
    endpoint: String,
    ak: String,
    secret: String,
    version: &'static str,
}

impl Vpc {
    pub fn with_credentials(&self, ak: &str, secret: &str) -> Vpc {
        Vpc { ak: ak.into(), secret: secret.into(), ..self.clone() }
    }

    pub async fn call(&self, action: &str, params: &[(&str, &str)]) -> Result<Value, CallError> {
        let client = RPClient::new(self.ak.clone(), self.secret.clone(), self.endpoint.clone());
        let res = client.version(self.version).post(action).query(params.to_vec()).json::<Value>().await;
        res.map_err(|e| match e {
            SdkError::InvalidResponse { error_code, error_message, .. } => {
                CallError { code: error_code, message: error_message }
            }
            other => CallError { code: "Transport".into(), message: other.to_string() },
        })
    }

    pub async fn ok(&self, action: &str, params: &[(&str, &str)]) -> Value {
        match self.call(action, params).await {
            Ok(v) => v,
            Err(e) => panic!("{action} failed: {} {}", e.code, e.message),
        }
    }

    pub async fn err(&self, action: &str, params: &[(&str, &str)]) -> CallError {
        match self.call(action, params).await {
            Ok(v) => panic!("{action} succeeded unexpectedly: {v}"),
            Err(e) => e,
        }
    }

    /// CreateVpc in cn-hangzhou; returns the VpcId.
    pub async fn create_vpc(&self, cidr: &str) -> String {
        let v = self.ok("CreateVpc", &[("RegionId", "cn-hangzhou"), ("CidrBlock", cidr)]).await;
        v["VpcId"].as_str().expect("VpcId").to_string()
    }
}
