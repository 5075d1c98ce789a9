//! `alicloud-emulator`: a local Alibaba Cloud VPC/ECS control plane.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use alicloud_emulator::{config::ServeArgs, server};

// Responses are built from many small allocations; mimalloc serves them markedly faster than the
// system allocator (see BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "alicloud-emulator",
    version,
    about = "A local implementation of the Alibaba Cloud network control plane"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the API server.
    Serve(Box<ServeArgs>),
    /// Print the implemented actions as JSON lines ({"product","action"}), for coverage reports.
    Actions,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Serve(args) => match server::run(*args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("alicloud-emulator: {e}");
                ExitCode::FAILURE
            }
        },
        Command::Actions => {
            for (product, action) in acs_cloud::implemented() {
                println!("{}", serde_json::json!({ "product": product, "action": action }));
            }
            ExitCode::SUCCESS
        }
    }
}
