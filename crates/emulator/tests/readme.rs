//! README's Rust snippet is `examples/readme.rs`, byte for byte, and runs as written against the
//! real server. (The Python and Node snippets are run by tests/python/test_readme.py.)

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::Server;

const README: &str = include_str!("../../../README.md");
const EXAMPLE: &str = include_str!("../examples/readme.rs");
const MARKER: &str = "<!-- snippet: rust -->\n```rust\n";

/// The fenced block after the README's `<!-- snippet: rust -->` marker.
fn readme_block() -> &'static str {
    let start = README.find(MARKER).expect("README.md has a `<!-- snippet: rust -->` block") + MARKER.len();
    let len = README[start..].find("```\n").expect("the rust block is closed");
    &README[start..start + len]
}

#[test]
fn readme_rust_snippet_is_the_example() {
    assert_eq!(readme_block(), EXAMPLE, "README.md's Rust snippet and crates/emulator/examples/readme.rs differ");
}

/// `cargo test` builds the examples next to the test binaries: target/<profile>/examples/.
fn example_binary() -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    let profile_dir = exe.parent().and_then(|deps| deps.parent()).expect("target/<profile>");
    let path = profile_dir.join("examples").join(format!("readme{}", std::env::consts::EXE_SUFFIX));
    assert!(path.exists(), "{} not built (cargo build -p alicloud-emulator --example readme)", path.display());
    path
}

#[tokio::test(flavor = "multi_thread")]
async fn readme_rust_snippet_runs() {
    let server = Server::ephemeral(&[]);
    let vpc_id = server.client().create_vpc("10.0.0.0/8").await;
    // The snippet names the README's address (127.0.0.1:9760); an HTTP proxy setting sends its
    // request to this test's server instead (the SDK's HTTP client honours http_proxy), so the
    // program runs exactly as a reader would copy it.
    let mut cmd = Command::new(example_binary());
    for var in ["http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY"] {
        cmd.env_remove(var);
    }
    let out = cmd.env("http_proxy", server.endpoint()).output().expect("run the readme example");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    let answer: serde_json::Value = serde_json::from_str(stdout.trim()).expect("DescribeVpcs JSON");
    assert_eq!(answer["TotalCount"], 1);
    assert_eq!(answer["Vpcs"]["Vpc"][0]["VpcId"], vpc_id.as_str());
}

/// README's quota table names every quota the server enforces, with its default: a family that
/// adds a quota documents it in the same change.
#[test]
fn readme_lists_every_quota_with_its_default() {
    let rows: Vec<&str> = README.lines().filter(|l| l.starts_with("| `")).collect();
    for quota in acs_cloud::quota::all() {
        let name = format!("`{}`", quota.name);
        let row = rows.iter().find(|r| r.split('|').nth(1).is_some_and(|c| c.contains(&name)));
        let Some(row) = row else { panic!("README.md's quota table has no row for {name}") };
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let position = cells[1].split(" / ").position(|n| n == name).unwrap_or(0);
        let default = cells[2].split(" / ").nth(position).unwrap_or_default();
        assert_eq!(default, quota.default.to_string(), "README.md gives {name} the default {default}");
    }
}
