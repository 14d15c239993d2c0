//! Who is asking: the signed-in user and their role, checked on the server in
//! every server function. A refusal is an error, never a redirect that keeps going.

use axum::http::request::Parts;
use leptos::prelude::use_context;

use secrecy::ExposeSecret;

use super::auth::{AuthSession, SessionUser};
use super::cart::{self, store::CartOwner};
use super::codes::{self, CodeOffer, EventCodes};
use super::rate_limit::{self, Bucket};
use super::state::AppState;
use crate::backend::error::BackendResult;
use crate::error::AppError;
use crate::model::Role;
use uuid::Uuid;

pub async fn auth_session() -> Result<AuthSession, AppError> {
    leptos_axum::extract::<AuthSession>().await.map_err(|err| {
        tracing::error!(error = %err, "auth session unavailable");
        AppError::SessionsUnavailable
    })
}

pub async fn current_user() -> Result<Option<SessionUser>, AppError> {
    Ok(auth_session().await?.user)
}

/// The signed-in user, or 401.
pub async fn require_user() -> Result<SessionUser, AppError> {
    current_user().await?.ok_or(AppError::Unauthorized)
}

/// The signed-in user with exactly this role, or 401 / 403.
pub async fn require_role(role: Role) -> Result<SessionUser, AppError> {
    let user = require_user().await?;
    if user.role == role {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

/// The signed-in organizer or admin (the organizer's pages check ownership of
/// each event themselves), or 401 / 403.
pub async fn require_organizer() -> Result<SessionUser, AppError> {
    let user = require_user().await?;
    if matches!(user.role, Role::Organizer | Role::Admin) {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

/// The value of the request's cookie `name`, if it carries one.
pub fn request_cookie(name: &str) -> Option<String> {
    cookie_values(&use_context::<Parts>()?.headers, name)
        .into_iter()
        .next()
}

/// Every value `headers` carry for cookie `name`, in order (a browser sends a
/// name twice when cookies of two paths share it), read by the `cookie` crate.
pub fn cookie_values(headers: &axum::http::HeaderMap, name: &str) -> Vec<String> {
    use tower_sessions::cookie::Cookie;
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .filter(|cookie| cookie.name() == name)
        // A value may be sent in double quotes (RFC 6265): they are not part of it.
        .map(|cookie| cookie.value_trimmed().to_string())
        .collect()
}

/// Adds a `Set-Cookie` header to the response.
pub fn set_cookie(value: &str) {
    if let (Some(response), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        axum::http::HeaderValue::from_str(value),
    ) {
        response.append_header(axum::http::header::SET_COOKIE, value);
    }
}

/// The signed-in organizer (or admin), refused with [`AppError::Suspended`]
/// while an admin's suspension is in force: for what changes their events or
/// takes buyers' data out. Refunds, cancelling (which refunds) and the door
/// use [`require_organizer`] and keep working.
pub async fn require_active_organizer(state: &AppState) -> Result<SessionUser, AppError> {
    let user = require_organizer().await?;
    ensure_not_suspended(state, &user).await?;
    Ok(user)
}

/// [`AppError::Suspended`] while an admin's suspension of `user` is in force.
pub async fn ensure_not_suspended(state: &AppState, user: &SessionUser) -> Result<(), AppError> {
    let suspended = sqlx::query_scalar!(
        r#"SELECT suspended_at IS NOT NULL AS "suspended!" FROM users WHERE id = $1"#,
        user.id
    )
    .fetch_optional(&state.db)
    .await
    .map_err(|err| AppError::from(super::error::BackendError::from(err)))?;
    if suspended == Some(true) {
        return Err(AppError::Suspended {
            support: state.config.mail.support_email.clone(),
        });
    }
    Ok(())
}

/// The caller's IP address, for rate limits. `X-Forwarded-For` is only believed
/// when the shop is configured to sit behind a proxy that sets it.
pub async fn client_ip(state: &AppState) -> String {
    let Some(mut parts) = use_context::<Parts>() else {
        return "unknown".into();
    };
    client_ip_of(&mut parts, state).await
}

/// The client's address from a request's parts (for handlers outside Leptos).
pub async fn client_ip_of(parts: &mut Parts, state: &AppState) -> String {
    use axum::extract::FromRequestParts;
    // The router puts `CLIENT_IP_SOURCE` in the request's extensions; axum-client-ip
    // reads the TCP peer or the header the load balancer sets, as it says.
    match axum_client_ip::ClientIp::from_request_parts(parts, state).await {
        Ok(axum_client_ip::ClientIp(ip)) => ip.to_string(),
        Err(err) => {
            // Misconfigured (the header it names is missing): one shared bucket,
            // and a log line that says why.
            tracing::warn!(source = %state.config.client_ip_source, error = %err, "client address not found where CLIENT_IP_SOURCE says");
            "unknown".into()
        }
    }
}

/// Signs `user` in on this session under a fresh session id, whatever the session
/// held before (an anonymous visit or another account): a session id known
/// before sign-in is never one that carries it.
pub async fn sign_in_as(state: &AppState, user: &SessionUser) -> Result<(), AppError> {
    let mut auth = auth_session().await?;
    // A guest's cart joins the buyer's; Valkey being down must not block signing in.
    if let Err(err) = super::cart::merge_at_sign_in(&state.valkey, &auth, user.id).await {
        tracing::warn!(error = %err, "guest cart not merged at sign-in");
    }
    auth.session.cycle_id().await.map_err(|err| {
        tracing::error!(error = %err, "session store failed");
        AppError::SessionsUnavailable
    })?;
    auth.login(user).await?;
    // Saved with the login anyway: the next requests need not write it again.
    super::auth::mark_in_use(&auth.session).await;
    Ok(())
}

/// The visitor's admissions to queued sales, as this request shows them.
pub async fn queue_gate(state: &AppState) -> Result<super::queue::Gate, AppError> {
    use super::queue::{Gate, Visitor};
    let cookies = use_context::<Parts>()
        .and_then(|parts| {
            parts
                .headers
                .get_all(axum::http::header::COOKIE)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .map(str::to_string)
                .reduce(|a, b| format!("{a}; {b}"))
        })
        .unwrap_or_default();
    let auth = auth_session().await?;
    let mut visitors = Vec::new();
    if let Some(user) = &auth.user {
        visitors.push(Visitor::Account(user.id));
    }
    visitors.extend(
        super::cart::guest_ids(&auth)
            .await
            .map_err(|_| AppError::SessionsUnavailable)?
            .into_iter()
            .map(Visitor::Guest),
    );
    Ok(Gate::new(
        state.config.app_secret.expose_secret().as_bytes(),
        &cookies,
        visitors,
    ))
}

/// `typed` for `event`, from client address `ip`: the offer, kept for the
/// cart, when the code is usable. Every other code (unknown, disabled,
/// outside its window, used up, malformed) is `None` alike, and counts as a
/// wrong guess for the address and the signed-in buyer.
pub async fn enter_code(
    state: &AppState,
    owner: CartOwner,
    ip: &str,
    event: Uuid,
    typed: &str,
) -> BackendResult<Option<CodeOffer>> {
    // A signed-in buyer's guesses count against their account, so a page
    // elsewhere that fills their address's count (or others behind the same
    // address) does not lock them out; a guest's against their address.
    let guesser = match owner {
        CartOwner::User(buyer) => [Bucket::CodeByBuyer(buyer)],
        CartOwner::Guest(_) => [Bucket::CodeFromAddress(ip)],
    };
    rate_limit::guess(state, &guesser).await?;
    let Some(code) = codes::normalize(typed) else {
        return Ok(None);
    };
    let offer = codes::usable(&state.db, &EventCodes::from([(event, code)]))
        .await?
        .remove(&event);
    if let Some(offer) = &offer {
        rate_limit::forgive(state, &guesser).await?;
        cart::store::keep_code(&state.valkey, owner, event, &offer.code).await?;
    }
    Ok(offer)
}

#[cfg(test)]
mod tests {
    use super::cookie_values;
    use axum::http::{HeaderMap, HeaderValue, header::COOKIE};

    #[test]
    fn cookies_are_read_from_every_cookie_header_in_order() {
        let mut headers = HeaderMap::new();
        headers.append(
            COOKIE,
            HeaderValue::from_static("lang=de; ts_x=1;  lang = fr"),
        );
        headers.append(COOKIE, HeaderValue::from_static("broken; lang=\"en\""));
        assert_eq!(cookie_values(&headers, "lang"), ["de", "fr", "en"]);
        assert_eq!(cookie_values(&headers, "ts_x"), ["1"]);
        assert!(cookie_values(&headers, "lan").is_empty());
        assert!(cookie_values(&HeaderMap::new(), "lang").is_empty());
    }
}
