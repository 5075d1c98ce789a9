//! The server binary's pieces: configuration, the HTTP server, the RPC pipeline and the
//! emulator's own control endpoints under `/_emulator/`.

pub mod accounts;
pub mod admin;
pub mod config;
mod connections;
mod control;
mod rpc;
pub mod server;
