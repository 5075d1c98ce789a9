//! The server binary's pieces: configuration, the HTTP server, the RPC pipeline and the
//! emulator's own control endpoints under `/_emulator/`.

pub mod accounts;
pub mod admin;
pub mod config;
mod connections;
mod control;
pub mod data_dir;
mod envelope_io;
pub mod faults;
pub mod metrics;
mod rpc;
pub mod server;
