//! `#[server]` functions by domain: thin wrappers that authorize, parse input and
//! call into `backend`.

pub mod catalogue;
