#![recursion_limit = "256"]
//! Everything shared by the server and the browser: pages, components, routes,
//! `#[server]` functions and the plain data they exchange. Server-only code lives
//! in [`backend`], compiled only with the `ssr` feature.

pub mod api;
pub mod app;
pub mod error;
pub mod i18n;
pub mod model;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod backend;

pub use app::{App, shell};
