//! Server-only code: configuration, state, SQL, Valkey, authentication, domain
//! rules, seeding. Compiled only with the `ssr` feature, so the wasm build never sees it.

pub mod access;
pub mod accounts;
pub mod auth;
pub mod cancellation;
pub mod cart;
pub mod catalogue;
pub mod charts;
pub mod checkin;
pub mod codes;
pub mod config;
pub mod covers;
pub mod db;
pub mod door_staff;
pub mod error;
pub mod events;
pub mod exports;
pub mod fresh;
pub mod http;
pub mod jobs;
pub mod links;
pub mod mail;
pub mod metrics;
pub mod orders;
pub mod organizers;
pub mod outbox;
pub mod password;
pub mod payments;
pub mod queue;
pub mod rate_limit;
pub mod retry;
pub mod sales;
pub mod seed;
pub mod sessions;
pub mod state;
pub mod valkey;
pub mod waiting_list;
pub mod zones;

pub use error::{BackendError, BackendResult};
pub use state::AppState;

/// The schema migrations, embedded so the server binary migrates on start.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");
