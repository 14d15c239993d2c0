//! The holding page's document: the shop's stylesheet, header and card, the
//! event it queues for and the opening on the venue's clock. Plain HTML with a
//! meta refresh (no JavaScript), since every waiting visitor asks for it again
//! every few seconds.

use app::backend::AppState;
use app::backend::queue::QueueSign;
use app::i18n::{Arg, Locale, format, text};
use axum::body::Body;
use axum::http::{StatusCode, header};
use axum::response::Response;
use html_escape::encode_text;
use uuid::Uuid;

use super::REFRESH_SECS;

/// The shop's stylesheet, by its hashed name when the build hashed it (as
/// `leptos_meta::HashedStylesheet` names it on the other pages).
fn stylesheet(state: &AppState) -> String {
    let options = &state.leptos_options;
    let mut name = options.output_name.to_string();
    if options.hash_files {
        let hashes = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(|dir| dir.join(options.hash_file.as_ref())))
            .and_then(|file| std::fs::read_to_string(file).ok())
            .unwrap_or_default();
        if let Some(hash) = hashes
            .lines()
            .filter_map(|line| line.trim().split_once(':'))
            .find_map(|(kind, hash)| (kind == "css").then(|| hash.trim().to_string()))
        {
            name = format!("{name}.{hash}");
        }
    }
    format!("/{}/{name}.css", options.site_pkg_dir)
}

/// The message `key` in `locale`, escaped for HTML (the shop's own words;
/// values that are HTML are put in by the caller).
pub fn say(locale: Locale, key: &str, args: &[(&str, Arg)]) -> String {
    encode_text(&text(locale, key, args)).into_owned()
}

/// What the page says the visitor waits for: "Queue Night — sale opens Sat, 20 Mar 2027, 10:00 GMT".
fn heading(locale: Locale, event: Uuid, sign: &QueueSign) -> String {
    let title = if sign.title.is_empty() {
        say(locale, "queue-this-event", &[])
    } else {
        encode_text(&sign.title).into_owned()
    };
    let opens = match &sign.opens_at {
        None => String::new(),
        Some(at) => format!(
            "<p class=\"text-sm text-slate-600\">{} <span data-testid=\"queue-opens\">{}</span></p>",
            say(locale, "queue-sale-opens", &[]),
            encode_text(&format::venue_time(locale, at))
        ),
    };
    let queue_for = say(locale, "queue-for", &[]);
    format!(
        "<p class=\"text-sm font-medium uppercase tracking-wide text-indigo-700\">{queue_for}</p>\
         <p class=\"text-xl font-bold\"><a class=\"hover:underline\" href=\"/events/{event}\" data-testid=\"queue-event\">{title}</a></p>{opens}"
    )
}

/// The holding page around `body` (already HTML, made here from fixed text and numbers).
pub fn document(
    state: &AppState,
    locale: Locale,
    event: Uuid,
    sign: &QueueSign,
    body: &str,
) -> Response {
    let title = if sign.title.is_empty() {
        say(locale, "queue-title", &[])
    } else {
        say(
            locale,
            "queue-title-for",
            &[("title", sign.title.as_str().into())],
        )
    };
    let html = format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta http-equiv=\"refresh\" content=\"{REFRESH_SECS}\"><title>{title}</title>\
         <link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">\
         <link rel=\"stylesheet\" href=\"{css}\"></head>\
         <body class=\"min-h-screen bg-slate-50 text-slate-900 antialiased\">\
         <header class=\"border-b border-slate-200 bg-white\"><div class=\"mx-auto flex max-w-6xl items-center px-4 py-3 sm:px-6\">\
         <a href=\"/\" class=\"flex items-center gap-2 text-lg font-bold tracking-tight text-indigo-700\">\
         <svg aria-hidden=\"true\" viewBox=\"0 0 64 64\" class=\"h-8 w-8\" width=\"32\" height=\"32\"><rect width=\"64\" height=\"64\" rx=\"14\" fill=\"#4f46e5\"/>\
         <path d=\"M14 22h36v6a4 4 0 0 0 0 8v6H14v-6a4 4 0 0 0 0-8z\" fill=\"#fff\"/></svg>Ticket Sales</a></div></header>\
         <main id=\"main\" class=\"mx-auto w-full max-w-xl px-4 py-10\">\
         <div class=\"space-y-4 rounded-xl bg-white p-6 shadow-sm\" data-testid=\"queue-page\">{heading}{body}</div></main></body></html>",
        lang = locale.tag(),
        css = stylesheet(state),
        heading = heading(locale, event, sign),
    );
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
        .header(header::CACHE_CONTROL, "no-store")
        .body(Body::from(html))
        .expect("static response")
}
