//! Spawning the emulator under test, waiting for it to answer, and measuring its process.

use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long a server may take to answer /_emulator/health before the bench gives up.
const START_TIMEOUT: Duration = Duration::from_secs(60);
/// Delay between two health probes (start-up time is measured to about this precision).
const PROBE_INTERVAL: Duration = Duration::from_micros(250);

/// Where the server keeps its state.
#[derive(Clone, Debug)]
pub enum Storage {
    /// `--data-dir <dir>`: durable SQLite (the default storage).
    Durable(PathBuf),
    /// `--ephemeral`
    #[allow(dead_code)]
    Ephemeral,
    /// `--database-url <url>`: a replica of a shared deployment.
    Postgres(String),
}

/// A running emulator; killed (SIGKILL) and reaped when dropped.
pub struct Server {
    child: Child,
    pub addr: SocketAddr,
    /// From spawning the process until /_emulator/health answered 200.
    pub startup: Duration,
    /// CPU time (user + system) the server had used by then.
    pub startup_cpu: Duration,
    log: tempfile::NamedTempFile,
}

impl Server {
    /// Spawns `bin serve` on a free 127.0.0.1 port and waits until it is healthy.
    pub fn start(bin: &Path, storage: &Storage) -> Result<Server, String> {
        // The port is free when probed; another process could take it before the server binds,
        // in which case the server exits and we try another port (bounded).
        let mut last_err = String::new();
        for _ in 0..5 {
            let port = free_port()?;
            match Self::start_on(bin, storage, port) {
                Ok(s) => return Ok(s),
                Err(e) => last_err = e,
            }
        }
        Err(last_err)
    }

    fn start_on(bin: &Path, storage: &Storage, port: u16) -> Result<Server, String> {
        let addr: SocketAddr = SocketAddr::from(([127, 0, 0, 1], port));
        let log = tempfile::NamedTempFile::new().map_err(|e| e.to_string())?;
        let stderr = log.reopen().map_err(|e| e.to_string())?;
        let mut cmd = Command::new(bin);
        cmd.arg("serve").arg("--listen").arg(addr.to_string());
        match storage {
            Storage::Durable(dir) => {
                cmd.arg("--data-dir").arg(dir);
            }
            Storage::Ephemeral => {
                cmd.arg("--ephemeral");
            }
            Storage::Postgres(url) => {
                cmd.arg("--database-url").arg(url);
            }
        }
        // The bench controls every setting: no variable of the caller's environment leaks in.
        for (k, _) in std::env::vars_os() {
            if k.to_string_lossy().starts_with("ALICLOUD_EMULATOR_") {
                cmd.env_remove(k);
            }
        }
        cmd.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::from(stderr));
        let spawned = Instant::now();
        let child = cmd.spawn().map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
        let mut server = Server { child, addr, startup: Duration::ZERO, startup_cpu: Duration::ZERO, log };
        loop {
            if health_ok(addr) {
                server.startup = spawned.elapsed();
                server.startup_cpu = server.cpu_time();
                return Ok(server);
            }
            if let Ok(Some(status)) = server.child.try_wait() {
                return Err(format!("server exited ({status}) before answering: {}", server.log_tail()));
            }
            if spawned.elapsed() > START_TIMEOUT {
                return Err(format!(
                    "server did not answer /_emulator/health within {START_TIMEOUT:?}: {}",
                    server.log_tail()
                ));
            }
            std::thread::sleep(PROBE_INTERVAL);
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Resident set size in bytes (VmRSS of /proc/<pid>/status).
    pub fn rss_bytes(&self) -> Result<u64, String> {
        rss_of(self.pid())
    }

    /// CPU time (user + system) the server process has used so far.
    pub fn cpu_time(&self) -> Duration {
        process_cpu_time(&format!("/proc/{}/stat", self.pid()))
    }

    fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(self.log.path()).unwrap_or_default();
        let tail: Vec<&str> = text.lines().rev().take(5).collect();
        tail.into_iter().rev().collect::<Vec<_>>().join(" | ")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Resident set size of a process in bytes (VmRSS of /proc/<pid>/status).
pub fn rss_of(pid: u32) -> Result<u64, String> {
    let status =
        std::fs::read_to_string(format!("/proc/{pid}/status")).map_err(|e| format!("/proc/{pid}/status: {e}"))?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map(|kb| kb * 1024)
        .ok_or_else(|| "no VmRSS in /proc status".to_string())
}

/// CPU time (utime + stime) of a process from its /proc stat file; zero if unreadable.
pub fn process_cpu_time(stat_path: &str) -> Duration {
    let Ok(stat) = std::fs::read_to_string(stat_path) else {
        return Duration::ZERO;
    };
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    let Some(rest) = stat.rfind(')').map(|i| &stat[i + 1..]) else {
        return Duration::ZERO;
    };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<u64>().ok()).unwrap_or(0);
    // fields[0] is field 3 (state): utime = field 14 -> index 11, stime -> index 12.
    // /proc reports in USER_HZ, which is 100 on Linux.
    Duration::from_millis((ticks(11) + ticks(12)) * 10)
}

fn free_port() -> Result<u16, String> {
    let l = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("no free port: {e}"))?;
    l.local_addr().map(|a| a.port()).map_err(|e| e.to_string())
}

/// One `GET /_emulator/health` over a fresh connection; true on HTTP 200.
fn health_ok(addr: SocketAddr) -> bool {
    let Ok(mut s) = TcpStream::connect_timeout(&addr, Duration::from_millis(200)) else {
        return false;
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
    let _ = s.set_nodelay(true);
    let req = format!("GET /_emulator/health HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    if s.write_all(req.as_bytes()).is_err() {
        return false;
    }
    let mut buf = [0u8; 64];
    let mut got = 0;
    while got < 12 {
        match s.read(&mut buf[got..]) {
            Ok(0) | Err(_) => break,
            Ok(n) => got += n,
        }
    }
    got >= 12 && buf.starts_with(b"HTTP/1.1 200")
}
