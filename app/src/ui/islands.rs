//! What the page's islands share in the browser. Islands are hydrated one by
//! one and share no reactive context, so they speak through window events, and
//! each says when it is live (browser tests and `make bench-pages` wait for it).

#[cfg(feature = "hydrate")]
use leptos::prelude::*;

/// Dispatched on `window` whenever an island changed the cart.
pub const CART_CHANGED: &str = "ts-cart-changed";

/// Marks `<body data-hydrated>`: the wasm has started. Called by the entry
/// point before the islands hydrate.
pub fn page_started() {
    #[cfg(feature = "hydrate")]
    if let Some(body) = document().body() {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}

/// Called first in every island: once the island is live, it is counted in
/// `<body data-islands>`, so a page is interactive when that count equals the
/// number of `<leptos-island>` elements.
pub fn mark_ready() {
    #[cfg(feature = "hydrate")]
    Effect::new(|_| {
        if let Some(body) = document().body() {
            let live = body
                .get_attribute("data-islands")
                .and_then(|n| n.parse::<u32>().ok())
                .unwrap_or(0);
            let _ = body.set_attribute("data-islands", &(live + 1).to_string());
        }
    });
}

/// What the visitor typed into the input `id` before its island woke up (the
/// server-rendered form works from the first paint; a lazy island may arrive a
/// moment later): its value where it differs from the one the server rendered.
/// Read while the island is built, before hydration sets the field from the
/// island's state, so nothing typed is lost.
pub fn typed_before_hydration(id: &str) -> Option<String> {
    #[cfg(feature = "hydrate")]
    {
        let field = document().get_element_by_id(id)?;
        let read = |key: &str| {
            js_sys::Reflect::get(&field, &wasm_bindgen::JsValue::from_str(key))
                .ok()?
                .as_string()
        };
        let (value, rendered) = (read("value")?, read("defaultValue")?);
        (value != rendered).then_some(value)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = id;
        None
    }
}

/// After an island re-rendered the part of the page that had the focus (the
/// button of a cart line just removed), gives the focus to the element
/// `fallback` (with `tabindex="-1"`), so that a keyboard or screen reader
/// user goes on from there rather than from the top of the page.
pub fn keep_focus(fallback: &'static str) {
    #[cfg(feature = "hydrate")]
    request_animation_frame(move || {
        use wasm_bindgen::JsCast;
        let document = document();
        let lost = match (document.active_element(), document.body()) {
            (None, _) => true,
            (Some(active), Some(body)) => active.is_same_node(Some(&body)),
            (Some(_), None) => false,
        };
        if let Some(target) = document
            .get_element_by_id(fallback)
            .filter(|_| lost)
            .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = target.focus();
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = fallback;
}

/// Tells the other islands (the header's count) that the cart changed.
pub fn announce_cart_changed() {
    #[cfg(feature = "hydrate")]
    if let Ok(event) = web_sys::Event::new(CART_CHANGED) {
        let _ = window().dispatch_event(&event);
    }
}

/// Runs `then` each time another island changed the cart (browser only).
pub fn on_cart_changed(then: impl Fn() + 'static) {
    #[cfg(feature = "hydrate")]
    {
        let handle = window_event_listener_untyped(CART_CHANGED, move |_| then());
        // Islands live as long as the page.
        std::mem::forget(handle);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = then;
}

/// Replaces (while typing) or pushes (a deliberate change) the page's URL
/// without reloading it.
pub fn set_url(href: &str, replace: bool) {
    #[cfg(feature = "hydrate")]
    if let Ok(history) = window().history() {
        let state = wasm_bindgen::JsValue::NULL;
        let _ = if replace {
            history.replace_state_with_url(&state, "", Some(href))
        } else {
            history.push_state_with_url(&state, "", Some(href))
        };
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (href, replace);
}

/// Loads the page again (after an island's change that the server renders,
/// e.g. a submitted application).
pub fn reload() {
    #[cfg(feature = "hydrate")]
    let _ = window().location().reload();
}
