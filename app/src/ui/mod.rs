//! Pages (one file per route) and the components they share.

pub mod auth;
pub mod cart_state;
pub mod components;
pub mod layout;
pub mod pages;
pub mod params;
#[cfg(any(feature = "hydrate", test))]
pub mod qr_decode;
