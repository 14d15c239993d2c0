use leptos::prelude::*;

use crate::error::AppError;
use crate::model::UserView;

/// The parameters Leptos carries a plain form post's error back in, and the
/// signature the server adds to them.
pub const ERROR_PARAMETERS: &[&str] = &["__err", "__path", "__exp", "__sig"];

/// `path`, with `query` minus the parameters named in `dropped` (no `?` when
/// nothing is left).
pub fn with_query_without(path: &str, query: &str, dropped: &[&str]) -> String {
    let kept: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .filter(|(key, _)| !dropped.contains(&key.as_ref()))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if kept.is_empty() {
        return path.to_string();
    }
    let query = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(kept)
        .finish();
    format!("{path}?{query}")
}

/// Whether `path` is one of this site's paths as a browser reads a `Location`:
/// it starts with one `/`, and not `//` or `/\\` (browsers read both as
/// "another host"), with no control characters (browsers drop tabs and
/// newlines, which could join two slashes).
pub fn is_site_path(path: &str) -> bool {
    path.starts_with('/')
        && !path[1..].starts_with(['/', '\\'])
        && !path.chars().any(char::is_control)
}

/// Where to go after signing in: only paths on this site, never another host.
pub fn safe_next(next: Option<&str>) -> String {
    const HOME: &str = "/account";
    // Any origin will do: only whether `next` stays on it matters.
    let Ok(base) = url::Url::parse("http://shop.invalid/") else {
        return HOME.into();
    };
    let Some(next) = next else {
        return HOME.into();
    };
    // Browsers drop tabs and newlines and read `\` as `/`, so `/<TAB>/evil.example`
    // would become `//evil.example`; control characters would also make the
    // redirect header invalid. Neither is ever part of a path we link to.
    if !next.starts_with('/')
        || next.starts_with("//")
        || next.chars().any(|c| c.is_control() || c == '\\')
    {
        return HOME.into();
    }
    match base.join(next) {
        Ok(url) if url.origin() == base.origin() => {
            // The parsed form: percent-encoded, so always a valid header value.
            // Leptos's error parameters are never passed on: only the server
            // puts an error in a link (and signs it).
            let to = with_query_without(url.path(), url.query().unwrap_or(""), ERROR_PARAMETERS);
            // Checked again after normalising: `/.//evil.example` becomes
            // `//evil.example` only now.
            if is_site_path(&to) { to } else { HOME.into() }
        }
        _ => HOME.into(),
    }
}

#[server(endpoint = "auth/me")]
pub async fn current_user() -> Result<Option<UserView>, AppError> {
    use crate::backend::{access, http::serve};
    serve(|_| async move { Ok(access::current_user().await?.map(|u| u.view())) }).await
}

/// Creates an account and mails the link that confirms its address. The
/// answer is the same whether or not the address has an account (its owner is
/// mailed instead), so sign-up tells nobody which addresses are known: the new
/// buyer signs in once the mail has come.
#[server(endpoint = "auth/sign_up")]
pub async fn sign_up(name: String, email: String, password: String) -> Result<(), AppError> {
    use crate::backend::accounts::{NewAccount, register};
    use crate::backend::{access, http::serve, rate_limit};
    serve(|state| async move {
        rate_limit::limit_auth_from_ip(&state, &access::client_ip(&state).await).await?;
        let mut account = NewAccount::parse(&name, &email, &password)?;
        account.locale = crate::i18n::use_locale();
        rate_limit::limit_auth_for_account(&state, account.email.as_str()).await?;
        // Sign-up mails the address too.
        rate_limit::limit_mail_to(&state, account.email.as_str()).await?;
        register(&state.db, account).await?;
        // No address in the link: a crafted one must not make the page say anything.
        leptos_axum::redirect("/signup?sent=1");
        Ok(())
    })
    .await
}

#[server(endpoint = "auth/sign_in")]
pub async fn sign_in(
    email: String,
    password: String,
    next: Option<String>,
) -> Result<(), AppError> {
    use crate::backend::auth::Credentials;
    use crate::backend::{access, http::serve, rate_limit};
    use crate::error::InputRefusal;
    use crate::model::Email;
    serve(|state| async move {
        let email = Email::parse(&email, "email")?;
        let address = email.as_str().to_string();
        let ip = access::client_ip(&state).await;
        let device = access::request_cookie(rate_limit::device_cookie(&state));
        let throttle =
            rate_limit::SignInThrottle::new(&state, email.as_str(), &ip, device.as_deref());
        throttle.attempt().await?;
        // Unknown email and wrong password get the same answer.
        let Some(user) = access::auth_session()
            .await?
            .authenticate(Credentials { email, password })
            .await?
        else {
            return Err(AppError::input_refused(InputRefusal::WrongCredentials));
        };
        throttle.succeeded().await?;
        access::sign_in_as(&state, &user).await?;
        // This browser is known to the account from now on (see SignInThrottle).
        access::set_cookie(&rate_limit::device_set_cookie(&state, &address));
        // The language the account chose follows it to this browser.
        if let Some(locale) = crate::backend::accounts::locale_of(&state.db, user.id).await? {
            access::set_cookie(&crate::i18n::cookie(locale, state.config.is_https()));
        }
        leptos_axum::redirect(&safe_next(next.as_deref()));
        Ok(())
    })
    .await
}

#[server(endpoint = "auth/sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    use crate::backend::{access, http::serve};
    serve(|_| async move {
        access::auth_session().await?.logout().await?;
        leptos_axum::redirect("/");
        Ok(())
    })
    .await
}

#[server(endpoint = "auth/change_password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
) -> Result<(), AppError> {
    use crate::backend::{access, accounts, http::serve, rate_limit};
    serve(|state| async move {
        let user = access::require_user().await?;
        rate_limit::limit_auth_from_ip(&state, &access::client_ip(&state).await).await?;
        rate_limit::limit_auth_for_account(&state, &user.email).await?;
        let updated =
            accounts::change_password(&state.db, &user, &current_password, &new_password).await?;
        // Other sessions end (their digest no longer matches); this one carries
        // on under a new id, so an id seen before the change is worth nothing.
        let mut auth = access::auth_session().await?;
        auth.login(&updated).await?;
        auth.session.cycle_id().await.map_err(|err| {
            tracing::error!(error = %err, "session id not cycled after a password change");
            AppError::SessionsUnavailable
        })?;
        Ok(())
    })
    .await
}

/// Mails a new link that verifies the signed-in user's address.
#[server(endpoint = "auth/resend_verification")]
pub async fn resend_verification(next: Option<String>) -> Result<(), AppError> {
    use crate::backend::accounts::{self, Resent};
    use crate::backend::{access, http::serve, rate_limit};
    use crate::error::InputRefusal;
    serve(|state| async move {
        let user = access::require_user().await?;
        rate_limit::limit_mail_to(&state, &user.email).await?;
        if accounts::resend_verification(&state.db, &user).await? == Resent::AlreadyVerified {
            return Err(AppError::input_refused(InputRefusal::AlreadyConfirmed));
        }
        let back = safe_next(next.as_deref());
        let joint = if back.contains('?') { '&' } else { '?' };
        leptos_axum::redirect(&format!("{back}{joint}verification=sent"));
        Ok(())
    })
    .await
}

/// The mailed links whose page asks before it acts (mail scanners follow
/// links; only the person's click on the page's button may use one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum MailedLink {
    VerifyEmail,
    ConfirmEmail,
    RestoreEmail,
}

/// Whether a mailed link still works (its page shows the button, or why not).
#[server(endpoint = "auth/link_usable")]
pub async fn link_usable(token: String, link: MailedLink) -> Result<(), AppError> {
    use crate::backend::links::LinkPurpose;
    use crate::backend::{accounts, http::serve};
    serve(|state| async move {
        let purpose = match link {
            MailedLink::VerifyEmail => LinkPurpose::VerifyEmail,
            MailedLink::ConfirmEmail => LinkPurpose::ChangeEmail,
            MailedLink::RestoreEmail => LinkPurpose::RestoreEmail,
        };
        accounts::link_usable(&state.db, &state.link_key(), purpose, &token).await?;
        Ok(())
    })
    .await
}

/// Uses a verification link: the button on the page the mail's link opens.
#[server(endpoint = "auth/verify_email")]
pub async fn verify_email(token: String) -> Result<(), AppError> {
    use crate::backend::{accounts, http::serve};
    serve(|state| async move {
        accounts::verify_email(&state.db, &state.link_key(), &token).await?;
        leptos_axum::redirect("/verify-email?done=1");
        Ok(())
    })
    .await
}

/// Mails a reset link if the address has an account; the answer is the same
/// either way.
#[server(endpoint = "auth/forgot_password")]
pub async fn forgot_password(email: String) -> Result<(), AppError> {
    use crate::backend::{access, accounts, http::serve, rate_limit};
    use crate::model::Email;
    serve(|state| async move {
        rate_limit::limit_auth_from_ip(&state, &access::client_ip(&state).await).await?;
        let email = Email::parse(&email, "email")?;
        rate_limit::limit_mail_to(&state, email.as_str()).await?;
        accounts::request_password_reset(&state.db, &email).await?;
        leptos_axum::redirect("/forgot-password?sent=1");
        Ok(())
    })
    .await
}

/// Whether a reset link still works (the reset page shows its form, or why not).
#[server(endpoint = "auth/reset_link")]
pub async fn reset_link(token: String) -> Result<(), AppError> {
    use crate::backend::{accounts, http::serve};
    serve(|state| async move {
        accounts::reset_link_usable(&state.db, &state.link_key(), &token).await?;
        Ok(())
    })
    .await
}

/// Sets a new password through a mailed link; every session of the account ends.
#[server(endpoint = "auth/reset_password")]
pub async fn reset_password(token: String, new_password: String) -> Result<(), AppError> {
    use crate::backend::{access, accounts, http::serve, rate_limit};
    serve(|state| async move {
        rate_limit::limit_auth_from_ip(&state, &access::client_ip(&state).await).await?;
        accounts::reset_password(&state.db, &state.link_key(), &token, &new_password).await?;
        // This browser too: it signs in again with the new password.
        access::auth_session().await?.logout().await?;
        leptos_axum::redirect("/signin?reset=1");
        Ok(())
    })
    .await
}

/// Mails a link to a new address; the account's address changes when it is used.
#[server(endpoint = "auth/change_email")]
pub async fn change_email(current_password: String, new_email: String) -> Result<(), AppError> {
    use crate::backend::{access, accounts, http::serve, rate_limit};
    serve(|state| async move {
        let user = access::require_user().await?;
        rate_limit::limit_auth_from_ip(&state, &access::client_ip(&state).await).await?;
        rate_limit::limit_auth_for_account(&state, &user.email).await?;
        rate_limit::limit_mail_to(&state, &new_email.trim().to_lowercase()).await?;
        accounts::request_email_change(&state.db, &user, &current_password, &new_email).await?;
        leptos_axum::redirect("/account?email_change=sent");
        Ok(())
    })
    .await
}

/// Uses an address-change link (the button on the page it opens); the old
/// address is told, with a way back.
#[server(endpoint = "auth/confirm_email")]
pub async fn confirm_email(token: String) -> Result<(), AppError> {
    use crate::backend::{accounts, http::serve};
    serve(|state| async move {
        accounts::confirm_email_change(&state.db, &state.link_key(), &token).await?;
        leptos_axum::redirect("/confirm-email?done=1");
        Ok(())
    })
    .await
}

/// Undoes an address change from the link mailed to the old address: the
/// address comes back, everyone is signed out (this browser too), and a link
/// to choose a new password goes to it.
#[server(endpoint = "auth/restore_email")]
pub async fn restore_email(token: String) -> Result<(), AppError> {
    use crate::backend::{access, accounts, http::serve, rate_limit};
    serve(|state| async move {
        rate_limit::limit_auth_from_ip(&state, &access::client_ip(&state).await).await?;
        accounts::restore_email(&state.db, &state.link_key(), &token).await?;
        access::auth_session().await?.logout().await?;
        leptos_axum::redirect("/restore-email?done=1");
        Ok(())
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next(Some("/admin")), "/admin");
        assert_eq!(safe_next(Some("//evil.example")), "/account");
        assert_eq!(safe_next(Some("https://evil.example")), "/account");
        assert_eq!(safe_next(Some("/\\evil.example")), "/account");
        assert_eq!(safe_next(None), "/account");
        // Browsers strip tabs and newlines: these would turn into //evil.example.
        assert_eq!(safe_next(Some("/\t/evil.example")), "/account");
        assert_eq!(safe_next(Some("/\n/evil.example")), "/account");
        assert_eq!(safe_next(Some("/\r\n/evil.example")), "/account");
        assert_eq!(safe_next(Some("/\u{0}x")), "/account");
        assert_eq!(safe_next(Some("/\u{7f}x")), "/account");
        assert_eq!(safe_next(Some("/%09/evil.example")), "/%09/evil.example");
        assert_eq!(safe_next(Some("http:evil.example")), "/account");
        assert_eq!(safe_next(Some("")), "/account");
        // Same-site paths keep their query and are normalised.
        assert_eq!(
            safe_next(Some("/organizer/events/1/checkin?x=1")),
            "/organizer/events/1/checkin?x=1"
        );
        assert_eq!(safe_next(Some("/a/../admin")), "/admin");
        // An error of someone's choosing is never carried into the redirect.
        assert_eq!(
            safe_next(Some("/signin?x=1&__path=%2Fapi&__err=Zm9v&__sig=00")),
            "/signin?x=1"
        );
        assert_eq!(safe_next(Some("/café")), "/caf%C3%A9");
        // Normalising must not make another host out of a path.
        assert_eq!(safe_next(Some("/.//evil.example/")), "/account");
        assert_eq!(safe_next(Some("/a/..//evil.example")), "/account");
        assert_eq!(safe_next(Some("/./%2F/evil.example")), "/%2F/evil.example");
    }

    #[test]
    fn only_single_slash_paths_are_site_paths() {
        use super::is_site_path;
        assert!(is_site_path("/"));
        assert!(is_site_path("/orders?x=//y"));
        assert!(!is_site_path("//evil.example/"));
        assert!(!is_site_path("/\\evil.example/"));
        assert!(!is_site_path("evil.example"));
        assert!(!is_site_path("/\t/evil.example"));
    }
}
