//! The holding page's document: the shop's stylesheet, header and card, the
//! event it queues for and the opening on the venue's clock, and where the
//! visitor stands. Plain HTML and one small script (`public/queue.js`, no
//! WebAssembly for a page a million visitors hold open): the script asks only
//! the public progress and moves the numbers on the page, reloading it when
//! the visitor's number has come; without it, a meta refresh reloads the page.

use app::backend::AppState;
use std::time::Duration;

use app::backend::queue::{Progress, QueueSign};
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

/// The estimated wait in words, in the unit a visitor plans by (minutes
/// rounded up, hours and days to the nearest). `public/queue.js` words its
/// updates by the same steps.
pub fn estimate(locale: Locale, wait: Duration) -> String {
    let secs = wait.as_secs();
    let (key, count) = match secs {
        0..=59 => ("queue-wait-under-minute", 0),
        60..=119 => ("queue-wait-minute", 1),
        120..=5399 => ("queue-wait-minutes", secs.div_ceil(60)),
        5400..=129_599 => ("queue-wait-hours", (secs + 1800) / 3600),
        _ => ("queue-wait-days", (secs + 43_200) / 86_400),
    };
    say(locale, key, &[("count", (count as i64).into())])
}

/// The estimate's words with `#` for the count, for the script to fill in.
fn estimate_templates(locale: Locale) -> String {
    let attr = |name: &str, key: &str| {
        let words = text(locale, key, &[("count", "#".into())]);
        format!(
            " data-{name}=\"{}\"",
            html_escape::encode_double_quoted_attribute(&words)
        )
    };
    [
        attr("wait-under", "queue-wait-under-minute"),
        attr("wait-minute", "queue-wait-minute"),
        attr("wait-minutes", "queue-wait-minutes"),
        attr("wait-hours", "queue-wait-hours"),
        attr("wait-days", "queue-wait-days"),
    ]
    .concat()
}

/// How long until the sale opens (zero once it has).
pub fn until_opening(progress: &Progress) -> Duration {
    let left = progress.opens_ms - chrono::Utc::now().timestamp_millis();
    Duration::from_millis(left.max(0) as u64)
}

/// Where a waiting visitor stands: their place once drawn (`number`), else
/// how many wait for the draw at the opening.
pub fn waiting(locale: Locale, progress: &Progress, number: Option<u64>) -> String {
    let count = |n: u64| format!("<span data-testid=\"queue-waiting-count\">{n}</span>");
    let (place, wait, note) = match number {
        Some(number) => {
            let (position, wait) = progress.position(number);
            // Values that are HTML go in after the words are escaped.
            let place = say(
                locale,
                "queue-place",
                &[("position", "\u{1}".into()), ("waiting", "\u{2}".into())],
            )
            .replace(
                '\u{1}',
                &format!("<strong data-testid=\"queue-position\">{position}</strong>"),
            )
            .replace('\u{2}', &count(progress.waiting));
            (place, wait, "queue-letting-through")
        }
        None => {
            let place = say(
                locale,
                "queue-waiting",
                &[
                    ("count", (progress.waiting as i64).into()),
                    ("waiting", "\u{1}".into()),
                ],
            )
            .replace('\u{1}', &count(progress.waiting));
            match progress.general_ms {
                // Drawn and still no number: a place in the general draw.
                Some(general) if progress.drawn => {
                    let left = general - chrono::Utc::now().timestamp_millis();
                    let until = Duration::from_millis(left.max(0) as u64);
                    (place, until, "queue-general-draw")
                }
                Some(_) => (place, until_opening(progress), "queue-presale"),
                None => (place, until_opening(progress), "queue-before-opening"),
            }
        }
    };
    let wait = say(locale, "queue-estimated-wait", &[("wait", "\u{1}".into())]).replace(
        '\u{1}',
        &format!(
            "<strong data-testid=\"queue-wait\">{}</strong>",
            estimate(locale, wait)
        ),
    );
    format!(
        "<h1 class=\"text-2xl font-bold\">{}</h1>\
         <p class=\"text-2xl\">{place}</p><p>{wait}</p><p>{}</p>\
         <p class=\"text-sm text-slate-600\">{}</p>",
        say(locale, "queue-in-queue", &[]),
        say(locale, note, &[]),
        say(locale, "queue-keep-open", &[]),
    )
}

/// What the holding page's own requests may do: its stylesheet, its script,
/// the progress it asks for; nothing else, and it is framed nowhere.
const POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// The holding page around `body` (already HTML, made here from fixed text
/// and numbers), for the visitor holding `number` (if drawn).
pub fn document(
    state: &AppState,
    locale: Locale,
    event: Uuid,
    progress: &Progress,
    number: Option<u64>,
    body: &str,
) -> Response {
    // What the script needs: where to ask, the visitor's number, the
    // opening it waits for, and the estimate's words.
    let data = format!(
        " data-progress=\"/queue/{event}/progress\" data-number=\"{}\" data-opens=\"{}\" data-general=\"{}\" data-drawn=\"{}\" data-sold-out=\"{}\"{}",
        number.unwrap_or(0),
        progress.opens_ms,
        progress.general_ms.unwrap_or(0),
        progress.drawn,
        progress.sold_out,
        estimate_templates(locale),
    );
    frame(
        state,
        locale,
        event,
        progress,
        Frame {
            script: "/queue.js",
            policy: POLICY,
            refresh: true,
            data: &data,
            body,
        },
    )
}

/// What differs between the queue's pages.
pub struct Frame<'a> {
    /// Its one script, from `public/`.
    pub script: &'a str,
    /// Its Content-Security-Policy.
    pub policy: &'a str,
    /// Reloads itself every few seconds without JavaScript.
    pub refresh: bool,
    /// The card's attributes for the script (already escaped).
    pub data: &'a str,
    /// The card's HTML below the event's heading.
    pub body: &'a str,
}

/// A queue page: the shop's stylesheet and header, a card naming the event
/// and its opening, then `frame.body`.
pub fn frame(
    state: &AppState,
    locale: Locale,
    event: Uuid,
    progress: &Progress,
    frame: Frame<'_>,
) -> Response {
    let sign = progress.sign(locale);
    let sign = &sign;
    let title = if sign.title.is_empty() {
        say(locale, "queue-title", &[])
    } else {
        say(
            locale,
            "queue-title-for",
            &[("title", sign.title.as_str().into())],
        )
    };
    let refresh = if frame.refresh {
        format!("<noscript><meta http-equiv=\"refresh\" content=\"{REFRESH_SECS}\"></noscript>")
    } else {
        String::new()
    };
    let html = format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         {refresh}<title>{title}</title>\
         <link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">\
         <link rel=\"stylesheet\" href=\"{css}\"><script src=\"{script}\" defer></script></head>\
         <body class=\"min-h-screen bg-slate-50 text-slate-900 antialiased\">\
         <header class=\"border-b border-slate-200 bg-white\"><div class=\"mx-auto flex max-w-6xl items-center px-4 py-3 sm:px-6\">\
         <a href=\"/\" class=\"flex items-center gap-2 text-lg font-bold tracking-tight text-indigo-700\">\
         <svg aria-hidden=\"true\" viewBox=\"0 0 64 64\" class=\"h-8 w-8\" width=\"32\" height=\"32\"><rect width=\"64\" height=\"64\" rx=\"14\" fill=\"#4f46e5\"/>\
         <path d=\"M14 22h36v6a4 4 0 0 0 0 8v6H14v-6a4 4 0 0 0 0-8z\" fill=\"#fff\"/></svg>Ticket Sales</a></div></header>\
         <main id=\"main\" class=\"mx-auto w-full max-w-xl px-4 py-10\">\
         <div class=\"space-y-4 rounded-xl bg-white p-6 shadow-sm\" data-testid=\"queue-page\"{data}>{heading}{body}</div></main></body></html>",
        lang = locale.tag(),
        css = stylesheet(state),
        heading = heading(locale, event, sign),
        script = frame.script,
        data = frame.data,
        body = frame.body,
    );
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
        .header(header::CACHE_CONTROL, "no-store")
        .header(header::CONTENT_SECURITY_POLICY, frame.policy)
        .body(Body::from(html))
        .expect("static response")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_estimate_reads_in_the_unit_a_visitor_plans_by() {
        let said = |secs| estimate(Locale::En, Duration::from_secs(secs));
        assert_eq!(said(30), "less than a minute");
        assert_eq!(said(61), "about a minute");
        assert_eq!(said(20 * 60), "about 20 minutes");
        assert_eq!(said(90 * 60), "about 2 hours");
        assert_eq!(said(3 * 3600 + 60), "about 3 hours");
        assert_eq!(said(2 * 86_400 + 60), "about 2 days");
    }

    #[test]
    fn the_script_gets_the_estimates_words_with_a_mark_for_the_count() {
        let words = estimate_templates(Locale::De);
        assert!(
            words.contains("data-wait-minutes=\"etwa # Minuten\""),
            "{words}"
        );
        assert!(
            words.contains("data-wait-under=\"weniger als eine Minute\""),
            "{words}"
        );
    }
}
