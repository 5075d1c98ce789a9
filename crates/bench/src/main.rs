//! `alicloud-emulator-bench`: starts the release `alicloud-emulator` on a free 127.0.0.1 port
//! and measures it with V1-signed calls (fresh nonce and timestamp on every call, as the SDKs
//! send them) over keep-alive HTTP/1.1 connections.
//!
//! Scenarios: describe-vpcs, create-vpcs, describe-by-id, startup, memory, all; and the long
//! ones `all` leaves out: wal (the WAL's size under maximum write load) and soak (RSS under mixed
//! load with ClientTokens, then idle). Each prints one result line when it finishes; a Markdown
//! table of every result is printed at the end.

mod client;
mod seed;
mod server;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::{Parser, ValueEnum};

use client::{LoadSpec, Stats};
use server::{Server, Storage};

#[derive(Parser, Debug)]
#[command(name = "alicloud-emulator-bench", about = "Benchmarks alicloud-emulator with V1-signed RPC calls")]
struct Cli {
    /// Scenario to run.
    #[arg(value_enum, default_value = "all", value_name = "SCENARIO")]
    scenario_arg: Scenario,
    /// Scenario to run (same as the positional argument, which it overrides).
    #[arg(long, value_enum)]
    scenario: Option<Scenario>,
    /// The alicloud-emulator binary (default: the one next to this binary).
    #[arg(long)]
    server_bin: Option<PathBuf>,
    /// Concurrent keep-alive connections.
    #[arg(long, short = 'c', default_value_t = 16)]
    connections: usize,
    /// Measured seconds of each load run.
    #[arg(long, default_value_t = 10.0)]
    duration: f64,
    /// Upper bound on the measured calls of each load run.
    #[arg(long, default_value_t = 2_000_000)]
    requests: u64,
    /// Unmeasured seconds before each read load run.
    #[arg(long, default_value_t = 1.0)]
    warmup: f64,
    /// Threads of the load generator's runtime (it shares the machine with the server).
    #[arg(long, default_value_t = 1)]
    client_threads: usize,
    /// VPCs stored for describe-vpcs.
    #[arg(long, default_value_t = 10_000)]
    vpcs: usize,
    /// Start-up runs per data set.
    #[arg(long, default_value_t = 20)]
    startup_runs: usize,
    /// VPCs stored for the large data set (describe-by-id, startup, memory).
    #[arg(long, default_value_t = 100_000)]
    large: usize,
    /// PostgreSQL server for the replicas scenario (a fresh database is created on it per run).
    #[arg(long, env = "ALICLOUD_EMULATOR_TEST_DATABASE_URL")]
    database_url: Option<String>,
    /// Largest number of replicas the replicas scenario runs (from 1 up).
    #[arg(long, default_value_t = 3)]
    max_replicas: usize,
    /// Seconds the soak scenario waits idle after its load before measuring RSS again.
    #[arg(long, default_value_t = 30.0)]
    idle: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Scenario {
    DescribeVpcs,
    CreateVpcs,
    DescribeById,
    Startup,
    Memory,
    /// Reads and writes spread over 1, 2, 3 replicas on one PostgreSQL database (not in `all`).
    Replicas,
    All,
    /// Not part of `all`: `--duration` seconds of ModifyVpcAttribute at full speed, WAL size sampled.
    Wal,
    /// Not part of `all`: `--duration` seconds of CreateVpc (ClientToken) / DescribeVpcs / DeleteVpc,
    /// RSS sampled, then `--idle` seconds idle.
    Soak,
}

/// One row of the final table.
struct Row {
    scenario: String,
    result: String,
    p50: String,
    p99: String,
    p999: String,
    errors: String,
    target: String,
    met: Option<bool>,
}

struct Bench {
    bin: PathBuf,
    cli: Cli,
    /// Seeded data directories by VPC count (reused: no scenario reading them writes).
    seeds: HashMap<usize, (tempfile::TempDir, Vec<String>)>,
    rows: Vec<Row>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let scenario = cli.scenario.unwrap_or(cli.scenario_arg);
    let bin = match &cli.server_bin {
        Some(b) => b.clone(),
        None => match std::env::current_exe() {
            Ok(exe) => exe.with_file_name("alicloud-emulator"),
            Err(e) => {
                eprintln!("alicloud-emulator-bench: {e}");
                return ExitCode::FAILURE;
            }
        },
    };
    if !bin.is_file() {
        eprintln!(
            "alicloud-emulator-bench: no server binary at {} (build it with `cargo build --release -p alicloud-emulator` or pass --server-bin)",
            bin.display()
        );
        return ExitCode::FAILURE;
    }
    let mut bench = Bench { bin, cli, seeds: HashMap::new(), rows: Vec::new() };
    let all = scenario == Scenario::All;
    let started = Instant::now();
    let mut failed = false;
    let mut run = |s: Scenario, bench: &mut Bench| {
        if all || scenario == s {
            if let Err(e) = bench.run(s) {
                eprintln!("{s:?}: failed: {e}");
                failed = true;
            }
        }
    };
    run(Scenario::DescribeVpcs, &mut bench);
    run(Scenario::CreateVpcs, &mut bench);
    run(Scenario::DescribeById, &mut bench);
    run(Scenario::Startup, &mut bench);
    run(Scenario::Memory, &mut bench);
    if !all {
        run(Scenario::Wal, &mut bench);
        run(Scenario::Soak, &mut bench);
        run(Scenario::Replicas, &mut bench);
    }
    eprintln!("total bench time {:.1} s", started.elapsed().as_secs_f64());
    println!();
    println!("| Scenario | Result | p50 | p99 | p99.9 | Errors | Target | Met |");
    println!("|---|---|---|---|---|---|---|---|");
    for r in &bench.rows {
        let met = match r.met {
            Some(true) => "yes",
            Some(false) => "**no**",
            None => "-",
        };
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            r.scenario, r.result, r.p50, r.p99, r.p999, r.errors, r.target, met
        );
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
}

impl Bench {
    fn run(&mut self, s: Scenario) -> Result<(), String> {
        match s {
            Scenario::DescribeVpcs => self.describe_vpcs(),
            Scenario::CreateVpcs => self.create_vpcs(),
            Scenario::DescribeById => self.describe_by_id(),
            Scenario::Startup => self.startup(),
            Scenario::Memory => self.memory(),
            Scenario::Replicas => self.replicas(),
            Scenario::Wal => self.wal(),
            Scenario::Soak => self.soak(),
            Scenario::All => Ok(()),
        }
    }

    fn spec(&self, warmup: bool) -> LoadSpec {
        LoadSpec {
            connections: self.cli.connections.max(1),
            warmup: Duration::from_secs_f64(if warmup { self.cli.warmup.max(0.0) } else { 0.0 }),
            duration: Duration::from_secs_f64(self.cli.duration.clamp(0.1, 3600.0)),
            max_calls: self.cli.requests.max(1),
            client_threads: self.cli.client_threads.max(1),
        }
    }

    /// A data directory holding `n` seeded VPCs (seeded once per bench run).
    fn seeded(&mut self, n: usize) -> Result<(PathBuf, Vec<String>), String> {
        let (dir, ids) = match self.seeds.entry(n) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
                let t = Instant::now();
                let ids = seed::seed_vpcs(dir.path(), n)?;
                eprintln!("seeded {n} VPCs (+ vRouters, route tables) in {:.2} s", t.elapsed().as_secs_f64());
                e.insert((dir, ids))
            }
        };
        Ok((dir.path().to_path_buf(), ids.clone()))
    }

    fn start(&self, dir: &Path) -> Result<Server, String> {
        Server::start(&self.bin, &Storage::Durable(dir.to_path_buf()))
    }

    fn load_row(&mut self, scenario: String, stats: &Stats, target: String, met: Option<bool>) {
        self.rows.push(Row {
            scenario,
            result: format!("{:.0} calls/s", stats.rate()),
            p50: ms(stats.pct(0.50)),
            p99: ms(stats.pct(0.99)),
            p999: ms(stats.pct(0.999)),
            errors: format!("{} / {}", stats.errors, stats.calls),
            target,
            met,
        });
    }

    fn print_load(name: &str, stats: &Stats, note: &str) {
        println!(
            "{name}: {:.0} calls/s, p50 {}, p99 {}, p99.9 {}, max {}, errors {} of {} calls in {:.1} s; CPU/call: server {:.0} us, bench {:.0} us{note}",
            stats.rate(),
            ms(stats.pct(0.50)),
            ms(stats.pct(0.99)),
            ms(stats.pct(0.999)),
            ms(stats.pct(1.0)),
            stats.errors,
            stats.calls,
            stats.elapsed.as_secs_f64(),
            Stats::cpu_per_call_us(stats.server_cpu, stats.calls),
            Stats::cpu_per_call_us(stats.client_cpu, stats.calls),
        );
        if let Some(e) = &stats.first_error {
            eprintln!("{name}: first error: {}", truncate(e, 400));
        }
    }

    /// One signed DescribeVpcs outside the load, to check the data the load will read.
    fn check_describe(addr: std::net::SocketAddr, params: &[(&str, String)], want_total: usize) -> Result<(), String> {
        let rt = client::runtime(1);
        let (status, body) = rt.block_on(async {
            let mut c = client::Conn::connect(addr).await?;
            c.call("DescribeVpcs", params).await
        })?;
        let v: serde_json::Value = serde_json::from_slice(&body)
            .map_err(|e| format!("DescribeVpcs answered non-JSON ({e}): {}", String::from_utf8_lossy(&body)))?;
        let total = v.get("TotalCount").and_then(|t| t.as_u64());
        if !status.is_success() || total != Some(want_total as u64) {
            return Err(format!(
                "DescribeVpcs check: HTTP {status}, TotalCount {total:?} (want {want_total}): {}",
                truncate(&String::from_utf8_lossy(&body), 300)
            ));
        }
        Ok(())
    }

    fn describe_vpcs(&mut self) -> Result<(), String> {
        let n = self.cli.vpcs;
        let (dir, _) = self.seeded(n)?;
        let srv = self.start(&dir)?;
        let params = vec![("RegionId", seed::REGION.to_string()), ("PageSize", "10".to_string())];
        Self::check_describe(srv.addr, &params, n)?;
        let spec = self.spec(true);
        let p = params.clone();
        let stats = client::run_load(&[srv.addr], spec, || srv.cpu_time(), "DescribeVpcs", Arc::new(move || p.clone()));
        drop(srv);
        let name = format!("describe-vpcs ({n} VPCs, PageSize=10)");
        Self::print_load(&name, &stats, &format!(", {} connections", spec.connections));
        let met = stats.errors == 0 && stats.rate() >= 10_000.0 && stats.pct(0.99) < Duration::from_millis(5);
        self.load_row(name, &stats, ">= 10,000/s, p99 < 5 ms".into(), Some(met));
        Ok(())
    }

    fn create_vpcs(&mut self) -> Result<(), String> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let srv = self.start(dir.path())?;
        let regions: Vec<&'static str> = acs_cloud::region::REGIONS.iter().map(|r| r.id).collect();
        let nregions = regions.len();
        let spec = self.spec(false);
        let (stats, extra) = client::run_create_rounds(
            srv.addr,
            spec,
            || srv.cpu_time(),
            regions,
            acs_cloud::vpc::VPCS_PER_REGION.default,
        );
        drop(srv);
        let name = "create-vpcs (durable SQLite)".to_string();
        Self::print_load(
            &name,
            &stats,
            &format!(
                "; {} rounds of {} creates over {nregions} regions, {} resets (median {}) excluded, wall {:.1} s",
                extra.rounds,
                nregions * acs_cloud::vpc::VPCS_PER_REGION.default,
                extra.resets,
                ms(extra.reset_median),
                extra.wall.as_secs_f64()
            ),
        );
        let met = stats.errors == 0 && stats.rate() >= 2_000.0 && stats.pct(0.99) < Duration::from_millis(5);
        self.load_row(name, &stats, ">= 2,000/s, p99 < 5 ms".into(), Some(met));
        Ok(())
    }

    fn describe_by_id(&mut self) -> Result<(), String> {
        let mut results = Vec::new();
        for n in [1_000usize, self.cli.large] {
            let (dir, ids) = self.seeded(n)?;
            // A VPC from the middle of the creation order.
            let id = ids[ids.len() / 2].clone();
            let srv = self.start(&dir)?;
            let params = vec![("RegionId", seed::REGION.to_string()), ("VpcId", id)];
            Self::check_describe(srv.addr, &params, 1)?;
            let spec = self.spec(true);
            let p = params.clone();
            let stats =
                client::run_load(&[srv.addr], spec, || srv.cpu_time(), "DescribeVpcs", Arc::new(move || p.clone()));
            drop(srv);
            let name = format!("describe-by-id ({n} VPCs)");
            Self::print_load(&name, &stats, "");
            results.push((n, stats));
        }
        let (small, large) = (&results[0].1, &results[1].1);
        let rate_ratio = small.rate() / large.rate().max(1e-9);
        let p50_ratio = large.pct(0.5).as_secs_f64() / small.pct(0.5).as_secs_f64().max(1e-12);
        println!(
            "describe-by-id: {} -> {} VPCs: throughput {:.2}x lower, p50 {:.2}x higher",
            results[0].0, results[1].0, rate_ratio, p50_ratio
        );
        let met = small.errors == 0 && large.errors == 0 && rate_ratio <= 1.5 && p50_ratio <= 1.5;
        let (n0, n1) = (results[0].0, results[1].0);
        let mut rows = Vec::new();
        for (n, stats) in &results {
            rows.push((format!("describe-by-id ({n} VPCs)"), stats));
        }
        for (i, (name, stats)) in rows.into_iter().enumerate() {
            let (target, m) = if i == 0 {
                ("baseline".to_string(), None)
            } else {
                (
                    format!("within 1.5x of {n0}: {rate_ratio:.2}x calls/s, {p50_ratio:.2}x p50 ({n0} -> {n1})"),
                    Some(met),
                )
            };
            self.load_row(name, stats, target, m);
        }
        Ok(())
    }

    fn startup(&mut self) -> Result<(), String> {
        let runs = self.cli.startup_runs.max(1);
        let large = self.cli.large;
        let empty = tempfile::tempdir().map_err(|e| e.to_string())?;
        let (large_dir, _) = self.seeded(large)?;
        for (label, dir, fresh) in [
            ("empty data dir".to_string(), empty.path().to_path_buf(), true),
            (format!("{large} VPCs stored"), large_dir, false),
        ] {
            let mut times = Vec::with_capacity(runs);
            let mut cpu = Vec::with_capacity(runs);
            for i in 0..runs {
                // "Empty": a data dir that does not exist yet, as on a first start.
                let d = if fresh { dir.join(format!("run-{i}")) } else { dir.clone() };
                let srv = self.start(&d)?;
                times.push(srv.startup);
                cpu.push(srv.startup_cpu);
            }
            times.sort();
            cpu.sort();
            let median = times[times.len() / 2];
            let max = times[times.len() - 1];
            let name = format!("startup ({label})");
            println!(
                "{name}: median {}, min {}, max {} over {runs} runs (spawn -> /_emulator/health 200); server CPU by then: median {}",
                ms(median),
                ms(times[0]),
                ms(max),
                ms(cpu[cpu.len() / 2])
            );
            let met = median < Duration::from_millis(50);
            self.rows.push(Row {
                scenario: name,
                result: format!("median {}, max {} ({runs} runs)", ms(median), ms(max)),
                p50: "-".into(),
                p99: "-".into(),
                p999: "-".into(),
                errors: "-".into(),
                target: "< 50 ms".into(),
                met: Some(met),
            });
        }
        Ok(())
    }

    /// DescribeVpcs and CreateVpc with the connections spread over 1..=max_replicas replicas on
    /// one fresh database each.
    fn replicas(&mut self) -> Result<(), String> {
        let base = self.cli.database_url.clone().ok_or("the replicas scenario needs --database-url")?;
        for n in 1..=self.cli.max_replicas.max(1) {
            let url = acs_store::fresh_database(&base).ok_or("cannot create a database on --database-url")?;
            let servers = (0..n)
                .map(|_| Server::start(&self.bin, &Storage::Postgres(url.clone())))
                .collect::<Result<Vec<_>, _>>()?;
            let addrs: Vec<_> = servers.iter().map(|s| s.addr).collect();
            let cpu = || servers.iter().map(Server::cpu_time).sum();
            // 100 VPCs to read; a quota that writes never reach.
            seed::allow_vpcs(addrs[0], 10_000_000)?;
            seed::create_vpcs_via_api(addrs[0], 100)?;
            let params = vec![("RegionId", seed::REGION.to_string()), ("PageSize", "10".to_string())];
            Self::check_describe(addrs[n - 1], &params, 100)?;
            let spec = self.spec(true);
            let p = params.clone();
            let reads = client::run_load(&addrs, spec, cpu, "DescribeVpcs", Arc::new(move || p.clone()));
            let name = format!("replicas: DescribeVpcs, {n} replica(s)");
            Self::print_load(&name, &reads, &format!(", {} connections", spec.connections));
            self.load_row(name, &reads, "(no target)".into(), None);
            let region = vec![("RegionId", seed::REGION.to_string())];
            let writes = client::run_load(&addrs, self.spec(false), cpu, "CreateVpc", Arc::new(move || region.clone()));
            let name = format!("replicas: CreateVpc, {n} replica(s)");
            Self::print_load(&name, &writes, &format!(", {} connections", spec.connections));
            self.load_row(name, &writes, "(no target)".into(), None);
        }
        Ok(())
    }

    fn memory(&mut self) -> Result<(), String> {
        let settle = Duration::from_millis(300);
        let empty = tempfile::tempdir().map_err(|e| e.to_string())?;
        let srv = self.start(empty.path())?;
        std::thread::sleep(settle);
        let idle = srv.rss_bytes()?;
        drop(srv);

        let large = self.cli.large;
        let (dir, _) = self.seeded(large)?;
        let srv = self.start(&dir)?;
        std::thread::sleep(settle);
        let loaded = srv.rss_bytes()?;
        let params = vec![("RegionId", seed::REGION.to_string()), ("PageSize", "10".to_string())];
        let t = Instant::now();
        Self::check_describe(srv.addr, &params, large)?;
        let first_call = t.elapsed();
        std::thread::sleep(settle);
        let after = srv.rss_bytes()?;
        drop(srv);
        println!(
            "memory: idle RSS {} (empty); {large} VPCs: {} after start, {} after one DescribeVpcs (that first call took {})",
            mb(idle),
            mb(loaded),
            mb(after),
            ms(first_call)
        );
        self.rows.push(Row {
            scenario: "memory: idle RSS (empty)".into(),
            result: mb(idle),
            p50: "-".into(),
            p99: "-".into(),
            p999: "-".into(),
            errors: "-".into(),
            target: "< 30 MB".into(),
            met: Some(idle < 30 * 1024 * 1024),
        });
        self.rows.push(Row {
            scenario: format!("memory: RSS with {large} VPCs"),
            result: format!(
                "{} after start, {} after 1 DescribeVpcs (first call {})",
                mb(loaded),
                mb(after),
                ms(first_call)
            ),
            p50: "-".into(),
            p99: "-".into(),
            p999: "-".into(),
            errors: "-".into(),
            target: "(no target)".into(),
            met: None,
        });
        Ok(())
    }
}

impl Bench {
    /// A row with only a result and a target.
    fn plain_row(&mut self, scenario: String, result: String, target: &str, met: Option<bool>) {
        let dash = || "-".to_string();
        self.rows.push(Row {
            scenario,
            result,
            p50: dash(),
            p99: dash(),
            p999: dash(),
            errors: dash(),
            target: target.into(),
            met,
        });
    }

    fn wal(&mut self) -> Result<(), String> {
        let n = 1_000;
        let (dir, ids) = self.seeded(n)?;
        // The seeded data set is shared with other scenarios: write to a copy.
        let work = tempfile::tempdir().map_err(|e| e.to_string())?;
        std::fs::copy(dir.join("state.sqlite3"), work.path().join("state.sqlite3")).map_err(|e| e.to_string())?;
        let wal_path = work.path().join("state.sqlite3-wal");
        let srv = self.start(work.path())?;
        let spec = self.spec(false);
        let ids = Arc::new(ids);
        let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let params = Arc::new(move || {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            vec![
                ("RegionId", seed::REGION.to_string()),
                ("VpcId", ids[i % ids.len()].clone()),
                ("Description", format!("description number {i}")),
            ]
        });
        let sampler =
            Sampler::start(Duration::from_secs(1), move || std::fs::metadata(&wal_path).map_or(0, |m| m.len()));
        let stats = client::run_load(&[srv.addr], spec, || srv.cpu_time(), "ModifyVpcAttribute", params);
        let samples = sampler.stop();
        drop(srv);
        let name = format!("wal ({:.0} s of ModifyVpcAttribute, {n} VPCs)", spec.duration.as_secs_f64());
        Self::print_load(&name, &stats, &format!(", {} connections", spec.connections));
        let largest = samples.iter().map(|(_, b)| *b).max().unwrap_or(0);
        let last = samples.last().map_or(0, |(_, b)| *b);
        println!(
            "{name}: WAL largest {}, at the end {}; by minute: {}",
            mb(largest),
            mb(last),
            by_minute(&samples, mb)
        );
        self.load_row(name.clone(), &stats, "(load)".into(), None);
        let met = stats.errors == 0 && largest < 128 * 1024 * 1024;
        self.plain_row(
            format!("{name}: WAL size"),
            format!("largest {}, at the end {} (sampled every second)", mb(largest), mb(last)),
            "< 128 MB",
            Some(met),
        );
        Ok(())
    }

    fn soak(&mut self) -> Result<(), String> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let srv = self.start(dir.path())?;
        std::thread::sleep(Duration::from_millis(300));
        let at_start = srv.rss_bytes()?;
        let pid = srv.pid();
        let sampler = Sampler::start(Duration::from_secs(1), move || server::rss_of(pid).unwrap_or(0));
        let regions: Vec<&'static str> = acs_cloud::region::REGIONS.iter().map(|r| r.id).collect();
        let spec = self.spec(false);
        let stats = client::run_mixed(srv.addr, spec, regions);
        let samples = sampler.stop();
        let after_load = srv.rss_bytes()?;
        std::thread::sleep(Duration::from_secs_f64(self.cli.idle.max(0.0)));
        let after_idle = srv.rss_bytes()?;
        let db = std::fs::metadata(dir.path().join("state.sqlite3")).map_or(0, |m| m.len());
        drop(srv);
        let minutes = spec.duration.as_secs_f64() / 60.0;
        let name = format!("soak ({minutes:.1} min of CreateVpc+ClientToken / DescribeVpcs / DeleteVpc)");
        Self::print_load(&name, &stats, &format!(", {} connections", spec.connections));
        println!(
            "{name}: RSS at start {}, after the load {}, after {:.0} s idle {}; database file {}; RSS by minute: {}",
            mb(at_start),
            mb(after_load),
            self.cli.idle,
            mb(after_idle),
            mb(db),
            by_minute(&samples, mb)
        );
        self.load_row(name.clone(), &stats, "(load)".into(), None);
        self.plain_row(
            format!("{name}: RSS"),
            format!(
                "start {}, after load {}, after {:.0} s idle {}",
                mb(at_start),
                mb(after_load),
                self.cli.idle,
                mb(after_idle)
            ),
            "(flat)",
            None,
        );
        Ok(())
    }
}

/// Samples a value on a thread every `every` until stopped: (seconds since start, value).
struct Sampler {
    stop: Arc<std::sync::atomic::AtomicBool>,
    handle: std::thread::JoinHandle<Vec<(f64, u64)>>,
}

impl Sampler {
    fn start(every: Duration, f: impl Fn() -> u64 + Send + 'static) -> Sampler {
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = stop.clone();
        let handle = std::thread::spawn(move || {
            let t0 = Instant::now();
            let mut out = vec![(0.0, f())];
            while !flag.load(std::sync::atomic::Ordering::Relaxed) {
                std::thread::sleep(every);
                out.push((t0.elapsed().as_secs_f64(), f()));
            }
            out
        });
        Sampler { stop, handle }
    }

    fn stop(self) -> Vec<(f64, u64)> {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        self.handle.join().unwrap_or_default()
    }
}

/// The largest sample of each minute, as "0-1 min: X, 1-2 min: Y, ...".
fn by_minute(samples: &[(f64, u64)], fmt: fn(u64) -> String) -> String {
    let mut maxima: Vec<u64> = Vec::new();
    for (t, v) in samples {
        let m = (*t / 60.0) as usize;
        if maxima.len() <= m {
            maxima.resize(m + 1, 0);
        }
        maxima[m] = maxima[m].max(*v);
    }
    maxima.iter().enumerate().map(|(m, v)| format!("{m}-{} min: {}", m + 1, fmt(*v))).collect::<Vec<_>>().join(", ")
}

fn truncate(s: &str, n: usize) -> String {
    if s.len() <= n {
        return s.to_string();
    }
    let mut end = n;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", &s[..end])
}
