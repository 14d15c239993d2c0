//! The event's languages in the editor: the one its title and description are
//! written in, and the same text in the shop's other languages (optional).

use std::collections::BTreeMap;

use leptos::prelude::*;

use super::fields::EditorField;
use crate::i18n::Locale;
use crate::model::{EventForm, TranslationForm, translation_field};

/// One other language's title and description as signals.
#[derive(Clone, Copy)]
pub struct TranslationSignals {
    locale: Locale,
    title: RwSignal<String>,
    description: RwSignal<String>,
}

/// The language and one translation per language of the shop.
#[derive(Clone, Copy)]
pub struct LanguageSignals {
    pub language: RwSignal<String>,
    translations: [TranslationSignals; 3],
}

impl LanguageSignals {
    pub fn new(initial: &EventForm) -> Self {
        let typed = |locale: Locale| {
            let form = initial
                .translations
                .get(locale.tag())
                .cloned()
                .unwrap_or_default();
            TranslationSignals {
                locale,
                title: RwSignal::new(form.title),
                description: RwSignal::new(form.description),
            }
        };
        Self {
            language: RwSignal::new(initial.language.clone()),
            translations: Locale::ALL.map(typed),
        }
    }

    /// The translations as the form sends them (blank ones included: the
    /// rules skip them).
    pub fn forms(&self) -> BTreeMap<String, TranslationForm> {
        self.translations
            .iter()
            .map(|t| {
                let form = TranslationForm {
                    title: t.title.get(),
                    description: t.description.get(),
                };
                (t.locale.tag().to_string(), form)
            })
            .collect()
    }
}

#[component]
pub fn LanguageFields(
    languages: LanguageSignals,
    error_for: impl Fn(String) -> Signal<Option<String>> + Copy + Send + Sync + 'static,
    touched: RwSignal<Vec<String>>,
) -> impl IntoView {
    let language = languages.language;
    view! {
        <fieldset class="space-y-4 rounded-xl border border-slate-200 p-4" data-testid="languages">
            <legend class="px-1"><h2 class="text-lg font-semibold">"Languages"</h2></legend>
            <div class="sm:w-60">
                <label for="field-language" class="block text-sm font-medium text-slate-700">"Title and description written in"</label>
                <select id="field-language" name="form[language]" class="mt-1 block w-full rounded-lg border border-slate-300 px-3 py-2"
                    on:change=move |ev| language.set(event_target_value(&ev))>
                    {Locale::ALL
                        .into_iter()
                        .map(|l| view! {
                            <option value=l.tag() selected=move || language.get() == l.tag()>{l.english_name()}</option>
                        })
                        .collect_view()}
                </select>
                <p class="mt-1 min-h-5 text-sm text-rose-700" data-testid="error-language">{move || error_for("language".into()).get()}</p>
            </div>
            <p class="text-sm text-slate-600">
                "Buyers who read the shop in another language see the title and description you give for it here, and the ones above where you leave it empty."
            </p>
            <p class="min-h-5 text-sm text-rose-700" data-testid="error-translations">{move || error_for("translations".into()).get()}</p>
            {languages
                .translations
                .into_iter()
                .map(|t| {
                    let tag = t.locale.tag();
                    // The event's own language needs no translation: its box
                    // shows only while something typed in it must be cleared.
                    let hidden = move || {
                        language.get() == tag && t.title.with(|s| s.trim().is_empty())
                            && t.description.with(|s| s.trim().is_empty())
                    };
                    view! {
                        <div class="grid gap-4 sm:grid-cols-2" hidden=hidden data-testid=format!("translation-{tag}")>
                            <h3 class="sm:col-span-2 text-sm font-semibold text-slate-700">
                                {format!("In {} (optional)", t.locale.english_name())}
                            </h3>
                            <EditorField label=title_label(t.locale) name=translation_field(tag, "title")
                                value=t.title error=error_for(translation_field(tag, "title")) touched wide=true />
                            <EditorField label=description_label(t.locale) name=translation_field(tag, "description")
                                value=t.description error=error_for(translation_field(tag, "description")) touched
                                wide=true multiline=true />
                        </div>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}

fn title_label(locale: Locale) -> &'static str {
    match locale {
        Locale::En => "Title in English",
        Locale::De => "Title in German",
        Locale::Fr => "Title in French",
    }
}

fn description_label(locale: Locale) -> &'static str {
    match locale {
        Locale::En => "Description in English",
        Locale::De => "Description in German",
        Locale::Fr => "Description in French",
    }
}
