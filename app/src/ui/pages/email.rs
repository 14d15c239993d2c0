//! The pages mailed links open (verify an address, reset a password, confirm a
//! new address), the forgotten-password form, and the notice that asks an
//! unverified buyer to confirm their address. Plain server pages and form
//! posts: none of them needs the browser to run code.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::api::auth::{
    ConfirmEmail, ForgotPassword, MailedLink, ResendVerification, ResetPassword, RestoreEmail,
    VerifyEmail, link_usable, reset_link,
};
use crate::error::AppError;
use crate::i18n::{Arg, t, t_with};
use crate::ui::components::form::{Field, FormError, SubmitButton, field_error, url_error};

fn query(name: &str) -> Option<String> {
    use_query_map().read_untracked().get(name)
}

/// The message `key` around markup (a link, a name in bold) that stands in it
/// as `{ $name }`, where each language puts it: its words before and after.
pub(crate) fn around(key: &str, name: &str, args: &[(&str, Arg)]) -> (String, String) {
    const PLACE: &str = "\u{1}";
    let mut values = args.to_vec();
    values.push((name, PLACE.into()));
    let text = t_with(key, &values);
    match text.split_once(PLACE) {
        Some((before, after)) => (before.to_string(), after.to_string()),
        None => (text, String::new()),
    }
}

fn card(title: String, body: impl IntoView + 'static) -> impl IntoView {
    view! {
        <Title text=title.clone() />
        <section class="mx-auto max-w-md rounded-2xl border border-slate-200 bg-white p-8 shadow-sm">
            <h1 class="text-2xl font-bold">{title}</h1>
            <div class="mt-4 space-y-4 text-slate-700">{body}</div>
        </section>
    }
}

fn success(text: String) -> impl IntoView {
    view! {
        <p role="status" class="rounded-lg bg-emerald-50 px-4 py-3 text-emerald-800" data-testid="email-status">{text}</p>
    }
}

fn problem(err: AppError) -> impl IntoView {
    view! {
        <p role="alert" class="rounded-lg border border-rose-200 bg-rose-50 px-4 py-3 text-rose-800" data-testid="email-status">
            {err.to_string()}
        </p>
    }
}

/// `/verify-email?token=…`: the link in the verification mail.
#[component]
pub fn VerifyEmailPage() -> impl IntoView {
    mailed_link_page(LinkPage {
        link: MailedLink::VerifyEmail,
        title: "email-verify-title",
        intro: "email-verify-intro",
        button: "email-verify-submit",
        done: "email-verify-done",
    })
}

/// `/confirm-email?token=…`: the link mailed to a new address.
#[component]
pub fn ConfirmEmailPage() -> impl IntoView {
    mailed_link_page(LinkPage {
        link: MailedLink::ConfirmEmail,
        title: "email-confirm-title",
        intro: "email-confirm-intro",
        button: "email-confirm-submit",
        done: "email-confirm-done",
    })
}

/// `/restore-email?token=…`: the link mailed to the old address after a change.
#[component]
pub fn RestoreEmailPage() -> impl IntoView {
    mailed_link_page(LinkPage {
        link: MailedLink::RestoreEmail,
        title: "email-restore-title",
        intro: "email-restore-intro",
        button: "email-restore-submit",
        done: "email-restore-done",
    })
}

/// What a page opened from a mailed link says and does: it checks the link,
/// then asks for a click (a POST) before it uses it, so a mail scanner
/// following the link changes nothing. The texts are message keys.
struct LinkPage {
    link: MailedLink,
    title: &'static str,
    intro: &'static str,
    button: &'static str,
    done: &'static str,
}

fn mailed_link_page(page: LinkPage) -> impl IntoView {
    let token = query("token").unwrap_or_default();
    let done = query("done").is_some();
    let link = page.link;
    let error = match link {
        MailedLink::VerifyEmail => url_error::<VerifyEmail>(),
        MailedLink::ConfirmEmail => url_error::<ConfirmEmail>(),
        MailedLink::RestoreEmail => url_error::<RestoreEmail>(),
    };
    let checked = token.clone();
    let usable = Resource::new(
        move || checked.clone(),
        move |token| link_usable(token, link),
    );
    let (intro, button) = (t(page.intro), t(page.button));
    let body = if done {
        view! {
            {success(t(page.done))}
            <p><A href="/signin" attr:class="font-semibold text-indigo-700 hover:underline">{t("email-sign-in")}</A>
            " · " <A href="/" attr:class="font-semibold text-indigo-700 hover:underline">{t("email-browse")}</A></p>
        }
        .into_any()
    } else if let Some(err) = error {
        problem(err).into_any()
    } else {
        view! {
            <Suspense fallback=|| view! { <p class="text-slate-600">{t("email-checking")}</p> }>
                {move || {
                    let token = token.clone();
                    let (intro, button) = (intro.clone(), button.clone());
                    Suspend::new(async move {
                        match usable.await {
                            Ok(()) => link_form(link, token, intro, button),
                            Err(err) if link == MailedLink::RestoreEmail => {
                                let (before, after) = around("email-restore-failed", "link", &[]);
                                view! {
                                    {problem(err)}
                                    <p>{before}
                                    <A href="/forgot-password" attr:class="font-semibold text-indigo-700 hover:underline">{t("email-restore-failed-link")}</A>
                                    {after}</p>
                                }
                                .into_any()
                            }
                            Err(err) => {
                                let (before, after) = around("email-link-failed", "link", &[]);
                                view! {
                                    {problem(err)}
                                    <p>{before} <A href="/account" attr:class="font-semibold text-indigo-700 hover:underline">{t("email-link-failed-link")}</A>
                                    {after}</p>
                                }
                                .into_any()
                            }
                        }
                    })
                }}
            </Suspense>
        }
        .into_any()
    };
    card(t(page.title), body)
}

/// The button that uses the link (a plain form post).
fn link_form(link: MailedLink, token: String, intro: String, button: String) -> AnyView {
    let fields = move |pending: Signal<bool>| {
        view! {
            <input type="hidden" name="token" value=token.clone() />
            <SubmitButton label=button.clone() pending />
        }
    };
    let form = match link {
        MailedLink::VerifyEmail => {
            let action = ServerAction::<VerifyEmail>::new();
            view! { <ActionForm action attr:class="space-y-4">{fields(action.pending().into())}</ActionForm> }.into_any()
        }
        MailedLink::ConfirmEmail => {
            let action = ServerAction::<ConfirmEmail>::new();
            view! { <ActionForm action attr:class="space-y-4">{fields(action.pending().into())}</ActionForm> }.into_any()
        }
        MailedLink::RestoreEmail => {
            let action = ServerAction::<RestoreEmail>::new();
            view! { <ActionForm action attr:class="space-y-4">{fields(action.pending().into())}</ActionForm> }.into_any()
        }
    };
    view! { <p>{intro}</p>{form} }.into_any()
}

/// `/forgot-password`: asks for the address; the answer never says whether it
/// has an account.
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let sent = query("sent").is_some();
    let action = ServerAction::<ForgotPassword>::new();
    let error = Signal::stored(url_error::<ForgotPassword>());
    let email = RwSignal::new(String::new());
    let (no_mail, no_mail_end) = around("email-forgot-no-mail", "link", &[]);
    card(
        t("email-forgot-title"),
        view! {
            <Show when=move || sent fallback=move || view! {
                <p>{t("email-forgot-intro")}</p>
                <ActionForm action attr:class="space-y-4">
                    <FormError error beside=|f| f == "email" />
                    <Field label=t("email-forgot-email") name="email" input_type="email" autocomplete="email" value=email
                        server_error=field_error(error, "email") />
                    <SubmitButton label=t("email-forgot-submit") pending=action.pending() />
                </ActionForm>
            }>
                {success(t("email-forgot-sent"))}
                <p>{no_mail.clone()}
                    <a href="/forgot-password" class="font-semibold text-indigo-700 hover:underline">{t("email-forgot-ask-again")}</a>
                    {no_mail_end.clone()}</p>
            </Show>
        },
    )
}

/// `/reset-password?token=…`: the link in the reset mail; the form shows only
/// while the link works.
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let token = query("token").unwrap_or_default();
    let shown = token.clone();
    let usable = Resource::new(move || shown.clone(), reset_link);
    card(
        t("email-reset-title"),
        view! {
            <Suspense fallback=|| view! { <p class="text-slate-600">{t("email-checking")}</p> }>
                {move || {
                    let token = token.clone();
                    Suspend::new(async move {
                        match usable.await {
                            Ok(()) => view! { <ResetForm token /> }.into_any(),
                            Err(err) => view! {
                                {problem(err)}
                                <p><A href="/forgot-password" attr:class="font-semibold text-indigo-700 hover:underline">{t("email-reset-new-link")}</A></p>
                            }
                            .into_any(),
                        }
                    })
                }}
            </Suspense>
        },
    )
}

#[component]
fn ResetForm(token: String) -> impl IntoView {
    let action = ServerAction::<ResetPassword>::new();
    let error = Signal::stored(url_error::<ResetPassword>());
    let password = RwSignal::new(String::new());
    view! {
        <p>{t("email-reset-intro")}</p>
        <ActionForm action attr:class="space-y-4">
            <FormError error beside=|f| f == "new_password" />
            <input type="hidden" name="token" value=token />
            <Field label=t("email-reset-password") name="new_password" input_type="password" autocomplete="new-password"
                value=password server_error=field_error(error, "new_password") />
            <SubmitButton label=t("email-reset-submit") pending=action.pending() />
        </ActionForm>
    }
}

/// For a signed-in buyer whose address is not confirmed yet: why checkout
/// waits, and a button that mails the link again (coming back to `here`).
#[component]
pub fn VerifyNotice(email: String, here: &'static str) -> impl IntoView {
    let sent = query("verification").is_some_and(|v| v == "sent");
    let action = ServerAction::<ResendVerification>::new();
    let error = url_error::<ResendVerification>();
    let (before, after) = around("email-notice-text", "email", &[]);
    view! {
        <div class="rounded-xl border border-amber-200 bg-amber-50 p-4 text-sm text-amber-900" data-testid="verify-notice">
            <p>{before}<strong>{email}</strong>{after}</p>
            {sent.then(|| view! { <p role="status" class="mt-2 font-semibold">{t("email-notice-sent")}</p> })}
            {error.map(|err| view! { <p role="alert" class="mt-2 font-semibold text-rose-800">{err.to_string()}</p> })}
            <ActionForm action attr:class="mt-2">
                <input type="hidden" name="next" value=here />
                <button type="submit" class="font-semibold text-indigo-700 underline hover:text-indigo-900">{t("email-notice-resend")}</button>
            </ActionForm>
        </div>
    }
}
