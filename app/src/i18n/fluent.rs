//! The messages, parsed once from the files compiled into the server.

use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use fluent_langneg::{NegotiationStrategy, accepted_languages, negotiate_languages};
use fluent_syntax::ast::Entry;
use unic_langid::LanguageIdentifier;

use super::{Arg, Locale};

/// Each language's file. A new language is a file here and a [`Locale`].
fn source(locale: Locale) -> &'static str {
    match locale {
        Locale::En => include_str!("../../locales/en.ftl"),
        Locale::De => include_str!("../../locales/de.ftl"),
        Locale::Fr => include_str!("../../locales/fr.ftl"),
    }
}

fn language_id(locale: Locale) -> LanguageIdentifier {
    locale.tag().parse().expect("the shop's tags are valid")
}

fn bundle(locale: Locale) -> &'static FluentBundle<FluentResource> {
    static BUNDLES: OnceLock<Vec<FluentBundle<FluentResource>>> = OnceLock::new();
    let bundles = BUNDLES.get_or_init(|| {
        Locale::ALL
            .into_iter()
            .map(|locale| {
                let resource = FluentResource::try_new(source(locale).to_string()).unwrap_or_else(
                    |(_, errors)| panic!("locales/{}.ftl does not parse: {errors:?}", locale.tag()),
                );
                let mut bundle = FluentBundle::new_concurrent(vec![language_id(locale)]);
                // No Unicode isolation marks around values: our values are
                // names and numbers in the same script, and the marks would
                // show up in titles and mails.
                bundle.set_use_isolating(false);
                bundle
                    .add_resource(resource)
                    .unwrap_or_else(|errors| panic!("locales/{}.ftl: {errors:?}", locale.tag()));
                bundle
            })
            .collect()
    });
    &bundles[Locale::ALL.iter().position(|l| *l == locale).unwrap_or(0)]
}

/// The message `key` in `locale`, else in English, else the key itself.
pub fn text(locale: Locale, key: &str, args: &[(&str, Arg)]) -> String {
    let mut values = FluentArgs::new();
    for (name, value) in args {
        match value {
            Arg::Text(text) => values.set(*name, FluentValue::from(text.as_str())),
            Arg::Number(n) => values.set(*name, FluentValue::from(*n)),
        }
    }
    lookup(&[bundle(locale), bundle(Locale::En)], key, &values)
}

/// The first of `bundles` that has `key` formats it.
fn lookup(bundles: &[&FluentBundle<FluentResource>], key: &str, values: &FluentArgs) -> String {
    for bundle in bundles {
        if let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) {
            let mut errors = Vec::new();
            let text = bundle.format_pattern(pattern, Some(values), &mut errors);
            if errors.is_empty() {
                return text.into_owned();
            }
            tracing::warn!(key, ?errors, "message did not format");
        }
    }
    key.to_string()
}

/// The language a browser asks for in `Accept-Language` that the shop speaks
/// (English when it asks for none of ours).
pub fn negotiate(accept_language: &str) -> Locale {
    let asked = accepted_languages::parse(accept_language);
    let offered: Vec<LanguageIdentifier> = Locale::ALL.into_iter().map(language_id).collect();
    let default = language_id(Locale::En);
    negotiate_languages(
        &asked,
        &offered,
        Some(&default),
        NegotiationStrategy::Lookup,
    )
    .first()
    .and_then(|id| Locale::from_tag(&id.to_string()))
    .unwrap_or_default()
}

/// The English messages `locale`'s file lacks (they fall back to English).
pub fn missing_keys(locale: Locale) -> Vec<String> {
    let ids = |locale: Locale| -> Vec<String> {
        let resource = FluentResource::try_new(source(locale).to_string())
            .unwrap_or_else(|(resource, _)| resource);
        resource
            .entries()
            .filter_map(|entry| match entry {
                Entry::Message(message) => Some(message.id.name.to_string()),
                _ => None,
            })
            .collect()
    };
    let present = ids(locale);
    ids(Locale::En)
        .into_iter()
        .filter(|id| !present.contains(id))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_browser_language_is_chosen_among_ours() {
        assert_eq!(negotiate("de-DE,de;q=0.9,en;q=0.8"), Locale::De);
        assert_eq!(negotiate("fr-CH, fr;q=0.9"), Locale::Fr);
        assert_eq!(negotiate("en-US,en;q=0.9,de;q=0.8"), Locale::En);
        assert_eq!(negotiate("es-ES,es;q=0.9,fr;q=0.5"), Locale::Fr);
        assert_eq!(negotiate("ja"), Locale::En);
        assert_eq!(negotiate(""), Locale::En);
        assert_eq!(negotiate(";;;q=x,,"), Locale::En);
    }

    #[test]
    fn every_language_has_every_message() {
        for locale in Locale::ALL {
            let missing = missing_keys(locale);
            assert!(
                missing.is_empty(),
                "locales/{}.ftl lacks {} messages (they show in English): {}",
                locale.tag(),
                missing.len(),
                missing.join(", ")
            );
        }
    }

    #[test]
    fn every_file_parses_and_fills_in_values() {
        for locale in Locale::ALL {
            let resource = FluentResource::try_new(source(locale).to_string());
            assert!(
                resource.is_ok(),
                "locales/{}.ftl: {:?}",
                locale.tag(),
                resource.err().map(|e| e.1)
            );
        }
        assert_eq!(
            text(Locale::En, "results-count", &[("count", Arg::Number(1))]),
            "1 event"
        );
        assert_eq!(
            text(Locale::De, "results-count", &[("count", Arg::Number(3))]),
            "3 Veranstaltungen"
        );
        // French counts 0 and 1 as singular.
        assert_eq!(
            text(Locale::Fr, "results-count", &[("count", Arg::Number(0))]),
            "0 événement"
        );
    }

    #[test]
    fn a_missing_message_falls_back_to_english_then_to_its_key() {
        let made = |locale: Locale, source: &str| {
            let mut made = FluentBundle::new_concurrent(vec![language_id(locale)]);
            made.add_resource(FluentResource::try_new(source.to_string()).unwrap())
                .unwrap();
            made
        };
        let german = made(Locale::De, "both = Beide\n");
        let english = made(Locale::En, "both = Both\nenglish-only = Only in English\n");
        let none = FluentArgs::new();
        assert_eq!(lookup(&[&german, &english], "both", &none), "Beide");
        assert_eq!(
            lookup(&[&german, &english], "english-only", &none),
            "Only in English"
        );
        assert_eq!(lookup(&[&german, &english], "nowhere", &none), "nowhere");
        assert_eq!(text(Locale::De, "no-such-message", &[]), "no-such-message");
    }
}
