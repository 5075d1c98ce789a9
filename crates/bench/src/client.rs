//! The load generator: V1-signed RPC calls over keep-alive HTTP/1.1 connections (hyper 1), one
//! connection per worker, latencies recorded per call.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use acs_protocol::signature::{percent_encode, v1_sign, v1_string_to_sign};
use bytes::Bytes;
use http::{header, Method, Request, StatusCode};
use http_body_util::{BodyExt, Empty};
use hyper::client::conn::http1::{self, SendRequest};
use hyper_util::rt::TokioIo;
use time::macros::format_description;
use time::OffsetDateTime;
use tokio::net::TcpStream;

pub const ACCESS_KEY_ID: &str = "testid";
pub const ACCESS_KEY_SECRET: &str = "testsecret";
pub const VPC_VERSION: &str = "2016-04-28";

/// Query string of a V1-signed POST, as the SDKs send it (old core and Tea: POST, every
/// parameter in the query, empty body): common parameters, a fresh UUIDv4 SignatureNonce, the
/// current Timestamp, and the Signature first (as the Rust SDK orders it).
pub fn signed_query(action: &str, params: &[(&str, String)]) -> String {
    let timestamp = OffsetDateTime::now_utc()
        .format(format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z"))
        .unwrap_or_default();
    let mut all: Vec<(String, String)> = vec![
        ("Action".into(), action.into()),
        ("Version".into(), VPC_VERSION.into()),
        ("Format".into(), "JSON".into()),
        ("AccessKeyId".into(), ACCESS_KEY_ID.into()),
        ("SignatureMethod".into(), "HMAC-SHA1".into()),
        ("SignatureVersion".into(), "1.0".into()),
        ("SignatureNonce".into(), uuid::Uuid::new_v4().to_string()),
        ("Timestamp".into(), timestamp),
    ];
    all.extend(params.iter().map(|(k, v)| (k.to_string(), v.clone())));
    let signature = v1_sign(ACCESS_KEY_SECRET, &v1_string_to_sign("POST", &all));
    let mut q = format!("Signature={}", percent_encode(&signature));
    for (k, v) in &all {
        q.push('&');
        q.push_str(&percent_encode(k));
        q.push('=');
        q.push_str(&percent_encode(v));
    }
    q
}

/// One keep-alive HTTP/1.1 connection to the server.
pub struct Conn {
    sender: SendRequest<Empty<Bytes>>,
    host: String,
}

impl Conn {
    pub async fn connect(addr: SocketAddr) -> Result<Conn, String> {
        let stream = TcpStream::connect(addr).await.map_err(|e| format!("connect {addr}: {e}"))?;
        stream.set_nodelay(true).map_err(|e| e.to_string())?;
        let (sender, conn) = http1::handshake(TokioIo::new(stream)).await.map_err(|e| format!("handshake: {e}"))?;
        tokio::spawn(async move {
            let _ = conn.await;
        });
        Ok(Conn { sender, host: addr.to_string() })
    }

    /// Sends one request with an empty body; returns the status and the whole body.
    pub async fn request(&mut self, method: Method, path_and_query: &str) -> Result<(StatusCode, Bytes), String> {
        let req = Request::builder()
            .method(method)
            .uri(path_and_query)
            .header(header::HOST, &self.host)
            .header(header::CONTENT_LENGTH, "0")
            .header(header::USER_AGENT, "alicloud-emulator-bench")
            .body(Empty::<Bytes>::new())
            .map_err(|e| e.to_string())?;
        self.sender.ready().await.map_err(|e| e.to_string())?;
        let res = self.sender.send_request(req).await.map_err(|e| e.to_string())?;
        let status = res.status();
        let body = res.into_body().collect().await.map_err(|e| e.to_string())?.to_bytes();
        Ok((status, body))
    }

    /// One signed RPC call (POST /?<signed query>).
    pub async fn call(&mut self, action: &str, params: &[(&str, String)]) -> Result<(StatusCode, Bytes), String> {
        let q = signed_query(action, params);
        self.request(Method::POST, &format!("/?{q}")).await
    }
}

/// Latencies and outcome of one measured run.
#[derive(Default)]
pub struct Stats {
    /// measured calls (successful or not)
    pub calls: u64,
    pub errors: u64,
    pub first_error: Option<String>,
    /// wall time the measured calls took
    pub elapsed: Duration,
    /// sorted latencies of the measured calls, nanoseconds
    pub latencies: Vec<u64>,
    /// CPU time the server and this process used during the measurement
    pub server_cpu: Duration,
    pub client_cpu: Duration,
}

impl Stats {
    pub fn rate(&self) -> f64 {
        self.calls as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// The q-quantile latency (0 < q <= 1), nearest-rank.
    pub fn pct(&self, q: f64) -> Duration {
        if self.latencies.is_empty() {
            return Duration::ZERO;
        }
        let rank = ((q * self.latencies.len() as f64).ceil() as usize).clamp(1, self.latencies.len());
        Duration::from_nanos(self.latencies[rank - 1])
    }

    pub fn cpu_per_call_us(cpu: Duration, calls: u64) -> f64 {
        cpu.as_secs_f64() * 1e6 / calls.max(1) as f64
    }

    fn merge(&mut self, w: WorkerResult) {
        self.calls += w.latencies.len() as u64;
        self.errors += w.errors;
        if self.first_error.is_none() {
            self.first_error = w.first_error;
        }
        self.latencies.extend(w.latencies);
    }

    fn finish(&mut self) {
        self.latencies.sort_unstable();
    }
}

/// The worker's keep-alive connection, opened again after a failure; a failed connect is
/// counted as an error.
async fn connected<'a>(conn: &'a mut Option<Conn>, addr: SocketAddr, out: &mut WorkerResult) -> Option<&'a mut Conn> {
    if conn.is_none() {
        match Conn::connect(addr).await {
            Ok(c) => *conn = Some(c),
            Err(e) => {
                out.errors += 1;
                out.first_error.get_or_insert(e);
                return None;
            }
        }
    }
    conn.as_mut()
}

#[derive(Default)]
struct WorkerResult {
    latencies: Vec<u64>,
    errors: u64,
    first_error: Option<String>,
}

impl WorkerResult {
    fn record(&mut self, took: Duration, outcome: &Result<(StatusCode, Bytes), String>) {
        self.latencies.push(took.as_nanos() as u64);
        let err = match outcome {
            Ok((s, _)) if s.is_success() => return,
            Ok((s, body)) => format!("HTTP {s}: {}", String::from_utf8_lossy(body)),
            Err(e) => e.clone(),
        };
        self.errors += 1;
        self.first_error.get_or_insert(err);
    }
}

/// How a fixed-duration run is shaped.
#[derive(Clone, Copy, Debug)]
pub struct LoadSpec {
    pub connections: usize,
    /// unmeasured calls first (connections warm, lazily decoded state decoded)
    pub warmup: Duration,
    pub duration: Duration,
    /// upper bound on measured calls, whatever the duration
    pub max_calls: u64,
    pub client_threads: usize,
}

pub fn runtime(threads: usize) -> tokio::runtime::Runtime {
    let mut b = if threads <= 1 {
        tokio::runtime::Builder::new_current_thread()
    } else {
        let mut b = tokio::runtime::Builder::new_multi_thread();
        b.worker_threads(threads);
        b
    };
    b.enable_all().build().expect("tokio runtime")
}

/// Closed-loop load: `connections` workers, each sending `action` with `params()` back to back
/// over its own keep-alive connection (to `addrs` in turn), for warmup + duration (or until
/// max_calls measured).
pub fn run_load(
    addrs: &[SocketAddr],
    spec: LoadSpec,
    server_cpu: impl Fn() -> Duration,
    action: &'static str,
    params: Arc<dyn Fn() -> Vec<(&'static str, String)> + Send + Sync>,
) -> Stats {
    let rt = runtime(spec.client_threads);
    rt.block_on(async move {
        let start = Instant::now();
        let measure_from = start + spec.warmup;
        let deadline = measure_from + spec.duration;
        let measured = Arc::new(AtomicU64::new(0));
        let mut cpu_marks: Option<(Duration, Duration)> = None;
        let mut handles = Vec::new();
        for worker in 0..spec.connections {
            // Connections are spread over the servers (replicas) round robin.
            let addr = addrs[worker % addrs.len()];
            let params = params.clone();
            let measured = measured.clone();
            handles.push(tokio::spawn(async move {
                let mut out = WorkerResult::default();
                let mut conn: Option<Conn> = None;
                loop {
                    let now = Instant::now();
                    if now >= deadline || measured.load(Ordering::Relaxed) >= spec.max_calls {
                        break;
                    }
                    let Some(c) = connected(&mut conn, addr, &mut out).await else {
                        tokio::time::sleep(Duration::from_millis(10)).await;
                        continue;
                    };
                    let p = params();
                    let t0 = Instant::now();
                    let res = c.call(action, &p).await;
                    let took = t0.elapsed();
                    if t0 >= measure_from {
                        measured.fetch_add(1, Ordering::Relaxed);
                        out.record(took, &res);
                    }
                    if res.is_err() {
                        conn = None;
                    }
                }
                out
            }));
        }
        // Sample CPU counters at the start of the measured window.
        tokio::time::sleep_until(measure_from.into()).await;
        let marks_at = Instant::now();
        cpu_marks.get_or_insert((server_cpu(), own_cpu()));
        let mut stats = Stats::default();
        for h in handles {
            if let Ok(w) = h.await {
                stats.merge(w);
            }
        }
        stats.elapsed = marks_at.elapsed();
        if let Some((s0, c0)) = cpu_marks {
            stats.server_cpu = server_cpu().saturating_sub(s0);
            stats.client_cpu = own_cpu().saturating_sub(c0);
        }
        stats.finish();
        stats
    })
}

/// CPU time of this process (all threads).
pub fn own_cpu() -> Duration {
    crate::server::process_cpu_time("/proc/self/stat")
}

/// CreateVpc under the per-region quota: rounds of `regions.len() * per_region` creates (each
/// region gets exactly `per_region`), spread over `connections` workers; between rounds every
/// worker waits at a barrier while one calls `POST /_emulator/reset`. Only the CreateVpc calls
/// are measured; `elapsed` is the sum of the rounds' active times (resets and barrier waits
/// excluded). Stops after the first round that ends past `duration` (or at max_calls).
pub fn run_create_rounds(
    addr: SocketAddr,
    spec: LoadSpec,
    server_cpu: impl Fn() -> Duration,
    regions: Vec<&'static str>,
    per_region: usize,
) -> (Stats, CreateExtra) {
    let rt = runtime(spec.client_threads);
    rt.block_on(async move {
        let per_round = (regions.len() * per_region) as u64;
        let regions = Arc::new(regions);
        let slot = Arc::new(AtomicU64::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let barrier = Arc::new(tokio::sync::Barrier::new(spec.connections));
        let shared = Arc::new(parking::Mutex::new(RoundClock {
            round_start: Instant::now(),
            active: Duration::ZERO,
            resets: Vec::new(),
            rounds: 0,
            reset_error: None,
        }));
        let started = Instant::now();
        let deadline = started + spec.duration;
        let max_rounds = spec.max_calls.div_ceil(per_round.max(1)).max(1);
        let (s0, c0) = (server_cpu(), own_cpu());
        let mut handles = Vec::new();
        for _ in 0..spec.connections {
            let (regions, slot, stop, barrier, shared) =
                (regions.clone(), slot.clone(), stop.clone(), barrier.clone(), shared.clone());
            handles.push(tokio::spawn(async move {
                let mut out = WorkerResult::default();
                let mut conn: Option<Conn> = None;
                loop {
                    // One round: take slots until the round is full.
                    loop {
                        let s = slot.fetch_add(1, Ordering::Relaxed);
                        if s >= per_round {
                            break;
                        }
                        let region = regions[(s % regions.len() as u64) as usize];
                        let Some(c) = connected(&mut conn, addr, &mut out).await else { continue };
                        let p = [("RegionId", region.to_string())];
                        let t0 = Instant::now();
                        let res = c.call("CreateVpc", &p).await;
                        out.record(t0.elapsed(), &res);
                        if res.is_err() {
                            conn = None;
                        }
                    }
                    let leader = barrier.wait().await.is_leader();
                    if leader {
                        let now = Instant::now();
                        let rounds_done = {
                            let mut clock = shared.lock();
                            let round_time = now - clock.round_start;
                            clock.active += round_time;
                            clock.rounds += 1;
                            clock.rounds
                        };
                        if now >= deadline || rounds_done >= max_rounds {
                            stop.store(true, Ordering::Relaxed);
                        } else {
                            let t = Instant::now();
                            let reset = match conn.as_mut() {
                                Some(c) => c.request(Method::POST, "/_emulator/reset").await,
                                None => match Conn::connect(addr).await {
                                    Ok(c) => conn.insert(c).request(Method::POST, "/_emulator/reset").await,
                                    Err(e) => Err(e),
                                },
                            };
                            let took = t.elapsed();
                            let mut clock = shared.lock();
                            clock.resets.push(took);
                            match reset {
                                Ok((s, _)) if s.is_success() => {}
                                Ok((s, b)) => {
                                    clock.reset_error =
                                        Some(format!("reset: HTTP {s}: {}", String::from_utf8_lossy(&b)));
                                    stop.store(true, Ordering::Relaxed);
                                }
                                Err(e) => {
                                    clock.reset_error = Some(format!("reset: {e}"));
                                    stop.store(true, Ordering::Relaxed);
                                }
                            }
                            slot.store(0, Ordering::Relaxed);
                            clock.round_start = Instant::now();
                        }
                    }
                    barrier.wait().await;
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                }
                out
            }));
        }
        let mut stats = Stats::default();
        for h in handles {
            if let Ok(w) = h.await {
                stats.merge(w);
            }
        }
        stats.server_cpu = server_cpu().saturating_sub(s0);
        stats.client_cpu = own_cpu().saturating_sub(c0);
        stats.finish();
        let clock = shared.lock();
        stats.elapsed = clock.active;
        if let Some(e) = &clock.reset_error {
            stats.errors += 1;
            stats.first_error.get_or_insert(e.clone());
        }
        let mut resets = clock.resets.clone();
        resets.sort();
        let extra = CreateExtra {
            rounds: clock.rounds,
            resets: resets.len(),
            reset_median: resets.get(resets.len() / 2).copied().unwrap_or_default(),
            wall: started.elapsed(),
        };
        (stats, extra)
    })
}

struct RoundClock {
    round_start: Instant,
    active: Duration,
    resets: Vec<Duration>,
    rounds: u64,
    reset_error: Option<String>,
}

/// What a create run did besides the measured calls.
pub struct CreateExtra {
    pub rounds: u64,
    pub resets: usize,
    pub reset_median: Duration,
    pub wall: Duration,
}

mod parking {
    /// A std mutex that ignores poisoning (a panicking worker must not hide the results).
    pub struct Mutex<T>(std::sync::Mutex<T>);
    impl<T> Mutex<T> {
        pub fn new(t: T) -> Self {
            Self(std::sync::Mutex::new(t))
        }
        pub fn lock(&self) -> std::sync::MutexGuard<'_, T> {
            self.0.lock().unwrap_or_else(|e| e.into_inner())
        }
    }
}

/// Mixed closed-loop load for the soak scenario: each worker, in its own region, repeats
/// CreateVpc with a fresh ClientToken, DescribeVpcs, DeleteVpc, until the deadline. Every call is
/// measured.
pub fn run_mixed(addr: SocketAddr, spec: LoadSpec, regions: Vec<&'static str>) -> Stats {
    let rt = runtime(spec.client_threads);
    rt.block_on(async move {
        let started = Instant::now();
        let deadline = started + spec.duration;
        let handles: Vec<_> = (0..spec.connections)
            .map(|w| {
                let region = regions[w % regions.len().max(1)].to_string();
                tokio::spawn(async move {
                    let mut out = WorkerResult::default();
                    let mut conn: Option<Conn> = None;
                    while Instant::now() < deadline {
                        let Some(c) = connected(&mut conn, addr, &mut out).await else {
                            tokio::time::sleep(Duration::from_millis(10)).await;
                            continue;
                        };
                        let token = uuid::Uuid::new_v4().to_string();
                        let create = vec![("RegionId", region.clone()), ("ClientToken", token)];
                        let (took, res) = timed(c.call("CreateVpc", &create)).await;
                        out.record(took, &res);
                        let vpc_id = match &res {
                            Ok((s, body)) if s.is_success() => serde_json::from_slice::<serde_json::Value>(body)
                                .ok()
                                .and_then(|v| v["VpcId"].as_str().map(str::to_string)),
                            _ => None,
                        };
                        let (took, res) = timed(c.call("DescribeVpcs", &[("RegionId", region.clone())])).await;
                        out.record(took, &res);
                        if let Some(id) = vpc_id {
                            let (took, res) =
                                timed(c.call("DeleteVpc", &[("RegionId", region.clone()), ("VpcId", id)])).await;
                            out.record(took, &res);
                        }
                        if res.is_err() {
                            conn = None;
                        }
                    }
                    out
                })
            })
            .collect();
        let mut stats = Stats::default();
        for h in handles {
            if let Ok(w) = h.await {
                stats.merge(w);
            }
        }
        stats.elapsed = started.elapsed();
        stats.finish();
        stats
    })
}

async fn timed<T>(f: impl std::future::Future<Output = T>) -> (Duration, T) {
    let t0 = Instant::now();
    let out = f.await;
    (t0.elapsed(), out)
}
