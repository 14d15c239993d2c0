//! The browser entry point. Pages are rendered on the server; this only wakes
//! the page's islands (the `#[island]` components of the `app` crate, whose
//! hydration functions this bundle exports).

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    app::ui::islands::page_started();
}
