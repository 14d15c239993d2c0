//! The visitor's language. Every sentence a buyer reads is a Fluent message in
//! `app/locales/<tag>.ftl` (one file per language; a key missing there falls
//! back to English). The server picks the language for each request (the
//! `lang` cookie the header's switch and sign-in set, else `Accept-Language`)
//! and puts the words into the page; islands receive theirs as a [`Words`]
//! prop, so the wasm carries no messages, plural rules or locale data.
//! Dates, times, numbers and money are written by ICU4X's CLDR data
//! ([`format`], server only).

use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
mod fluent;
#[cfg(feature = "ssr")]
pub mod format;

#[cfg(feature = "ssr")]
pub use fluent::{missing_keys, negotiate, text};

/// A language the shop is written in, ordered as [`Locale::ALL`] lists them.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    #[default]
    En,
    De,
    Fr,
}

/// The cookie that keeps the visitor's choice (and the account's, once signed in).
pub const COOKIE: &str = "lang";

/// The `Set-Cookie` value that keeps `locale` for a year.
pub fn cookie(locale: Locale, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!(
        "{COOKIE}={}; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax{secure}",
        locale.tag()
    )
}

impl Locale {
    pub const ALL: [Locale; 3] = [Locale::En, Locale::De, Locale::Fr];

    /// The BCP 47 tag, as in `<html lang>` and the cookie.
    pub fn tag(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::De => "de",
            Self::Fr => "fr",
        }
    }

    pub fn from_tag(tag: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|locale| locale.tag().eq_ignore_ascii_case(tag.trim()))
    }

    /// The language's name in itself, as the switch offers it.
    pub fn endonym(self) -> &'static str {
        match self {
            Self::En => "English",
            Self::De => "Deutsch",
            Self::Fr => "Français",
        }
    }

    /// The language's name in English, as the organizer's pages (still
    /// English) write it.
    pub fn english_name(self) -> &'static str {
        match self {
            Self::En => "English",
            Self::De => "German",
            Self::Fr => "French",
        }
    }
}

/// A value put into a message: `{ $count }`, `{ $name }`.
#[derive(Debug, Clone)]
pub enum Arg {
    Text(String),
    Number(i64),
}

impl From<&str> for Arg {
    fn from(text: &str) -> Self {
        Self::Text(text.to_string())
    }
}

impl From<String> for Arg {
    fn from(text: String) -> Self {
        Self::Text(text)
    }
}

impl From<i64> for Arg {
    fn from(n: i64) -> Self {
        Self::Number(n)
    }
}

impl From<u32> for Arg {
    fn from(n: u32) -> Self {
        Self::Number(n.into())
    }
}

impl From<i32> for Arg {
    fn from(n: i32) -> Self {
        Self::Number(n.into())
    }
}

/// The language of the page being rendered or the server function being
/// answered (set on the request by the server's language layer).
pub fn use_locale() -> Locale {
    #[cfg(feature = "ssr")]
    {
        leptos::prelude::use_context::<axum::http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<Locale>().copied())
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        Locale::default()
    }
}

/// The message `key` in the page's language. Server-rendered components only:
/// an island takes its words as a [`Words`] prop (in the browser this is the
/// key itself, which a browser test would show).
pub fn t(key: &str) -> String {
    t_with(key, &[])
}

/// The message `key` with its values filled in.
pub fn t_with(key: &str, args: &[(&str, Arg)]) -> String {
    #[cfg(feature = "ssr")]
    {
        text(use_locale(), key, args)
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = args;
        key.to_string()
    }
}

/// A time at the venue in the page's language: "Sat, 5 Dec 2026, 19:30 CET".
/// Server-rendered components only (the browser build writes English).
pub fn venue_time(at: &crate::model::VenueTime) -> String {
    #[cfg(feature = "ssr")]
    {
        format::venue_time(use_locale(), at)
    }
    #[cfg(not(feature = "ssr"))]
    {
        at.label()
    }
}

/// A time that belongs to no venue, in the page's language: "Sat, 5 Dec
/// 2026, 19:30 UTC". Server-rendered components only, as [`venue_time`].
pub fn utc_time(at: chrono::DateTime<chrono::Utc>) -> String {
    #[cfg(feature = "ssr")]
    {
        format!("{} UTC", format::date_time(use_locale(), &at.naive_utc()))
    }
    #[cfg(not(feature = "ssr"))]
    {
        crate::model::format_utc_time(at)
    }
}

/// The messages an island shows, already in the visitor's language: chosen on
/// the server, sent with the island's props.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Words(Vec<(String, String)>);

impl Words {
    /// The messages `keys` in the page's language.
    pub fn of(keys: &[&str]) -> Self {
        Self(keys.iter().map(|key| (key.to_string(), t(key))).collect())
    }

    /// Adds a message with values filled in on the server.
    pub fn with(mut self, key: &str, args: &[(&str, Arg)]) -> Self {
        self.0.push((key.to_string(), t_with(key, args)));
        self
    }

    /// The message `key` (the key itself if the server did not send it).
    pub fn get(&self, key: &str) -> String {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, text)| text.clone())
            .unwrap_or_else(|| key.to_string())
    }
}
