//! Pages (one file per route) and the components they share. Pages render on
//! the server only; the interactive parts are `#[island]`s, the only code the
//! browser downloads. The catalogue and the header's cart count are in the main
//! wasm; every other island is `lazy`, a chunk of its own fetched only by the
//! pages that show it (so buyers never download the editor or the door).

pub mod auth;
pub mod cart_state;
pub mod components;
pub mod islands;
pub mod layout;
pub mod pages;
pub mod params;
#[cfg(any(feature = "hydrate", test))]
pub mod qr_decode;
