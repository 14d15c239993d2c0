//! Form building blocks: labelled fields whose errors come from live checks as
//! the user types and from the server's answer.

use leptos::prelude::*;

use leptos::server::ServerActionError;
use leptos::server_fn::ServerFn;
use leptos::server_fn::error::ServerFnUrlError;

use crate::error::{AppError, InputRefusal};
use crate::i18n::Words;
use crate::ui::islands::typed_before_hydration;

/// The error a plain (no-JavaScript) form post to `I` brought back in the URL,
/// if any. Read on the server and handed to an island as a prop: islands do
/// not see the page's context in the browser.
pub fn url_error<I: ServerFn>() -> Option<AppError> {
    use_context::<ServerActionError>()
        .filter(|err| err.path() == I::PATH)
        .map(|err| ServerFnUrlError::<AppError>::decode_err(err.err()))
}

/// The error of a server action's last run, if it failed; before it has run in
/// this page, the one a plain form post brought back (`from_url`).
pub fn action_error<I, O>(
    action: ServerAction<I>,
    from_url: Option<AppError>,
) -> Signal<Option<AppError>>
where
    I: ServerFn<Output = O, Error = AppError> + Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    Signal::derive(move || match action.value().get() {
        Some(result) => result.err(),
        None => from_url.clone(),
    })
}

/// The server's message for one field.
pub fn field_error(error: Signal<Option<AppError>>, field: &'static str) -> Signal<Option<String>> {
    Signal::derive(move || error.get().and_then(|e| e.for_field(field)))
}

/// A labelled input. It shows the server's message for this field until the user
/// edits it; from then on, the live check (`validate`) speaks.
#[component]
pub fn Field(
    #[prop(into)] label: String,
    name: &'static str,
    value: RwSignal<String>,
    #[prop(into)] server_error: Signal<Option<String>>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(optional)] validate: Option<Check>,
    #[prop(optional)] multiline: bool,
    #[prop(optional, into)] hint: Option<String>,
    /// The form was sent (or came back refused): from then on an empty field
    /// says what it needs too, so one refusal does not hide the others.
    #[prop(optional)]
    tried: Option<Signal<bool>>,
    /// Tells apart two fields of one name on a page (two forms asking for the
    /// current password): `field-{form}-{name}` rather than `field-{name}`.
    #[prop(optional)]
    form: Option<&'static str>,
) -> impl IntoView {
    let id = match form {
        Some(form) => format!("field-{form}-{name}"),
        None => format!("field-{name}"),
    };
    if let Some(typed) = typed_before_hydration(&id) {
        value.set(typed);
    }
    let validate = StoredValue::new(validate);
    let edited = RwSignal::new(false);
    // A new answer from the server takes over again.
    Effect::new(move |_| {
        server_error.track();
        edited.set(false);
    });
    let live_error = move || {
        let current = value.get();
        if current.is_empty() && !tried.is_some_and(|t| t.get()) {
            return None;
        }
        validate.with_value(|check| check.as_ref().and_then(|check| check.say(&current)))
    };
    let error = move || {
        if edited.get() {
            live_error()
        } else {
            server_error.get().or_else(live_error)
        }
    };
    let input_class = move || input_class(error().is_some());
    let error_id = format!("{id}-error");
    let input = if multiline {
        view! {
            <textarea
                id=id.clone()
                name=name
                rows="4"
                class=input_class
                aria-invalid=move || error().is_some().to_string()
                aria-describedby=error_id.clone()
                bind:value=value
                on:input=move |_| edited.set(true)
            ></textarea>
        }
        .into_any()
    } else {
        view! {
            <input
                id=id.clone()
                name=name
                type=input_type
                autocomplete=autocomplete
                class=input_class
                aria-invalid=move || error().is_some().to_string()
                aria-describedby=error_id.clone()
                bind:value=value
                on:input=move |_| edited.set(true)
            />
        }
        .into_any()
    };
    view! {
        <div>
            <label for=id class="block text-sm font-medium text-slate-700">{label}</label>
            {input}
            {hint.map(|text| view! { <p class="mt-1 text-xs text-slate-600">{text}</p> })}
            <p id=error_id class="mt-1 min-h-5 text-sm text-rose-700" data-testid=format!("error-{name}")>
                {error}
            </p>
        </div>
    }
}

/// The classes of a text input, red while it has an error to show.
pub fn input_class(invalid: bool) -> &'static str {
    if invalid {
        "mt-1 block w-full rounded-lg border px-3 py-2 text-slate-900 shadow-sm focus:outline-none focus:ring-2 border-rose-500 focus:ring-rose-500"
    } else {
        "mt-1 block w-full rounded-lg border px-3 py-2 text-slate-900 shadow-sm focus:outline-none focus:ring-2 border-slate-300 focus:border-indigo-600 focus:ring-indigo-500"
    }
}

/// A banner for errors no control of the form shows beside itself (wrong
/// password, limits, outages, and any field the form has no place for), so
/// that no refusal goes unsaid. `beside` names the fields the form shows next
/// to their controls; by default there are none.
#[component]
pub fn FormError(
    error: Signal<Option<AppError>>,
    #[prop(optional)] beside: Option<fn(&str) -> bool>,
) -> impl IntoView {
    let message = move || {
        error.get().and_then(|e| match e {
            AppError::Invalid {
                field: Some(field), ..
            } if beside.is_some_and(|shown| shown(&field)) => None,
            other => Some(other.to_string()),
        })
    };
    view! {
        <Show when=move || message().is_some()>
            <div role="alert" class="rounded-lg border border-rose-200 bg-rose-50 px-4 py-3 text-sm text-rose-800" data-testid="form-error">
                {message}
            </div>
        </Show>
    }
}

/// The primary button of a form, disabled while the action runs.
#[component]
pub fn SubmitButton(
    #[prop(into)] label: String,
    #[prop(into)] pending: Signal<bool>,
) -> impl IntoView {
    view! {
        <button
            type="submit"
            class="inline-flex w-full items-center justify-center rounded-lg bg-indigo-600 px-4 py-2.5 font-semibold text-white shadow-sm hover:bg-indigo-700 disabled:cursor-wait disabled:opacity-60"
            disabled=move || pending.get()
        >
            {label}
        </button>
    }
}

/// A live check as the user types: the rule the server applies too, and the
/// words for what it refuses, which the server sent with the island (see
/// [`checks::words`]).
#[derive(Clone)]
pub struct Check {
    rule: fn(&str) -> Option<InputRefusal>,
    words: Words,
}

impl Check {
    /// What to show beside the field for `value`, if the rule refuses it.
    fn say(&self, value: &str) -> Option<String> {
        (self.rule)(value).map(|refusal| self.words.get(refusal.key()))
    }
}

/// Live checks, the same rules the server applies.
pub mod checks {
    use super::Check;
    use crate::error::InputRefusal;
    use crate::i18n::Words;
    use crate::model::{Email, NAME_MAX, PASSWORD_MAX, PASSWORD_MIN, Password, check_name};

    /// Everything the live checks may refuse.
    fn refusals() -> [InputRefusal; 6] {
        [
            InputRefusal::EmailMissing,
            InputRefusal::EmailMalformed,
            InputRefusal::PasswordTooShort {
                min: PASSWORD_MIN as u32,
            },
            InputRefusal::PasswordTooLong {
                max: PASSWORD_MAX as u32,
            },
            InputRefusal::NameMissing,
            InputRefusal::NameTooLong {
                max: NAME_MAX as u32,
            },
        ]
    }

    /// `words` with the sentences of the live checks' refusals, written on
    /// the server for an island whose form checks as the user types.
    pub fn words(words: Words) -> Words {
        refusals().iter().fold(words, |words, refusal| {
            words.with(refusal.key(), &refusal.args())
        })
    }

    pub fn email(words: &Words) -> Check {
        Check {
            rule: |value| Email::check(value).err(),
            words: words.clone(),
        }
    }
    pub fn password(words: &Words) -> Check {
        Check {
            rule: |value| Password::check(value).err(),
            words: words.clone(),
        }
    }
    pub fn name(words: &Words) -> Check {
        Check {
            rule: |value| check_name(value).err(),
            words: words.clone(),
        }
    }
}
