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
use crate::ui::components::form::{Field, FormError, SubmitButton, field_error, url_error};

fn query(name: &str) -> Option<String> {
    use_query_map().read_untracked().get(name)
}

fn card(title: &'static str, body: impl IntoView + 'static) -> impl IntoView {
    view! {
        <Title text=title />
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
        title: "Confirm your email",
        intro: "Confirm that this address is yours: tickets and receipts are sent to it.",
        button: "Confirm my address",
        done: "Your email address is confirmed. You can buy tickets now.",
    })
}

/// `/confirm-email?token=…`: the link mailed to a new address.
#[component]
pub fn ConfirmEmailPage() -> impl IntoView {
    mailed_link_page(LinkPage {
        link: MailedLink::ConfirmEmail,
        title: "Your new email address",
        intro: "Use this address for your account from now on? Your old address is told, with a way to undo the change.",
        button: "Use this address",
        done: "Your account now uses its new address. Sign in with it from now on.",
    })
}

/// `/restore-email?token=…`: the link mailed to the old address after a change.
#[component]
pub fn RestoreEmailPage() -> impl IntoView {
    mailed_link_page(LinkPage {
        link: MailedLink::RestoreEmail,
        title: "Undo the address change",
        intro: "Put this address back on your account? Everyone signed in to it (whoever made the change too) is signed out, and we mail this address a link to choose a new password.",
        button: "Restore my address and sign everyone out",
        done: "Your address is back and everyone is signed out. We mailed you a link to choose a new password: open it to sign in again.",
    })
}

/// What a page opened from a mailed link says and does: it checks the link,
/// then asks for a click (a POST) before it uses it, so a mail scanner
/// following the link changes nothing.
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
    let (intro, button) = (page.intro, page.button);
    let body = if done {
        view! {
            {success(page.done.into())}
            <p><A href="/signin" attr:class="font-semibold text-indigo-700 hover:underline">"Sign in"</A>
            " · " <A href="/" attr:class="font-semibold text-indigo-700 hover:underline">"Browse events"</A></p>
        }
        .into_any()
    } else if let Some(err) = error {
        problem(err).into_any()
    } else {
        view! {
            <Suspense fallback=|| view! { <p class="text-slate-600">"Checking your link…"</p> }>
                {move || {
                    let token = token.clone();
                    Suspend::new(async move {
                        match usable.await {
                            Ok(()) => link_form(link, token, intro, button),
                            Err(err) if link == MailedLink::RestoreEmail => view! {
                                {problem(err)}
                                <p>"Address changed without you? "
                                <A href="/forgot-password" attr:class="font-semibold text-indigo-700 hover:underline">"Reset your password"</A>
                                " from an address you use, or write to support."</p>
                            }
                            .into_any(),
                            Err(err) => view! {
                                {problem(err)}
                                <p>"Signed in? Your " <A href="/account" attr:class="font-semibold text-indigo-700 hover:underline">"account page"</A>
                                " sends a new link."</p>
                            }
                            .into_any(),
                        }
                    })
                }}
            </Suspense>
        }
        .into_any()
    };
    card(page.title, body)
}

/// The button that uses the link (a plain form post).
fn link_form(
    link: MailedLink,
    token: String,
    intro: &'static str,
    button: &'static str,
) -> AnyView {
    let fields = move |pending: Signal<bool>| {
        view! {
            <input type="hidden" name="token" value=token.clone() />
            <SubmitButton label=button pending />
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
    card(
        "Forgot your password?",
        view! {
            <Show when=move || sent fallback=move || view! {
                <p>"Type the address you signed up with. If it has an account, we mail it a link to choose a new password."</p>
                <ActionForm action attr:class="space-y-4">
                    <FormError error beside=|f| f == "email" />
                    <Field label="Email" name="email" input_type="email" autocomplete="email" value=email
                        server_error=field_error(error, "email") />
                    <SubmitButton label="Send me a link" pending=action.pending() />
                </ActionForm>
            }>
                {success("If an account uses that address, a link to reset its password is on its way. It works once, for one hour.".into())}
                <p>"No mail after a few minutes? Check your spam folder, or "
                    <a href="/forgot-password" class="font-semibold text-indigo-700 hover:underline">"ask again"</a> "."</p>
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
        "Choose a new password",
        view! {
            <Suspense fallback=|| view! { <p class="text-slate-600">"Checking your link…"</p> }>
                {move || {
                    let token = token.clone();
                    Suspend::new(async move {
                        match usable.await {
                            Ok(()) => view! { <ResetForm token /> }.into_any(),
                            Err(err) => view! {
                                {problem(err)}
                                <p><A href="/forgot-password" attr:class="font-semibold text-indigo-700 hover:underline">"Ask for a new link"</A></p>
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
        <p>"Signing in elsewhere ends once you change it."</p>
        <ActionForm action attr:class="space-y-4">
            <FormError error beside=|f| f == "new_password" />
            <input type="hidden" name="token" value=token />
            <Field label="New password" name="new_password" input_type="password" autocomplete="new-password"
                value=password server_error=field_error(error, "new_password") />
            <SubmitButton label="Set new password" pending=action.pending() />
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
    view! {
        <div class="rounded-xl border border-amber-200 bg-amber-50 p-4 text-sm text-amber-900" data-testid="verify-notice">
            <p>"Confirm your email address to buy tickets: open the link we sent to "<strong>{email}</strong>"."</p>
            {sent.then(|| view! { <p role="status" class="mt-2 font-semibold">"A new link is on its way."</p> })}
            {error.map(|err| view! { <p role="alert" class="mt-2 font-semibold text-rose-800">{err.to_string()}</p> })}
            <ActionForm action attr:class="mt-2">
                <input type="hidden" name="next" value=here />
                <button type="submit" class="font-semibold text-indigo-700 underline hover:text-indigo-900">"Send the link again"</button>
            </ActionForm>
        </div>
    }
}
