//! The browser entry point. Pages are rendered on the server; this only wakes
//! the page's islands (the `#[island]` components of the `app` crate, whose
//! hydration functions this bundle exports).

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    app::ui::islands::page_started();
}

/// Room for `wasm-split` to move read-only data into the chunks that use it.
/// Its splitter (wasm_split_cli_support 0.2) realigns each chunk's data, which
/// makes the data segment a few hundred bytes longer than the original; it
/// then finds the segment "overlong" and keeps all of it in the main module,
/// so every page downloaded the door's 64 KB QR tables and every island's
/// strings. This unused, highly compressible block is that slack (it costs
/// a few bytes compressed). See the architecture chapter, "Bundle size".
#[used]
static WASM_SPLIT_SLACK: [u8; 8192] = [0x5A; 8192];
