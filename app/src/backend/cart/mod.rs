//! Whose cart a request is about, and the cart checked against the database.

pub mod code;
pub mod store;

use std::collections::BTreeMap;

use chrono::Utc;
use sqlx::PgPool;
use uuid::Uuid;

use crate::backend::auth::AuthSession;
use crate::backend::valkey::Valkey;

use crate::backend::codes::{self, EventCodes};
use crate::backend::error::{BackendError, BackendResult};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::model::{
    Buyable, CartCode, CartLineView, CartView, CheckoutRefusal, Currency, EventStatus, price,
};
use store::CartOwner;

const GUEST_CART_KEY: &str = "guest_cart";

fn session_error(err: tower_sessions::session::Error) -> BackendError {
    tracing::error!(error = %err, "session store failed");
    AppError::SessionsUnavailable.into()
}

/// The cart owner for this request. A guest gets a random cart id in the session
/// when `create` is set (adding to a cart); otherwise `None` means "no cart yet".
pub async fn owner(auth: &AuthSession, create: bool) -> BackendResult<Option<CartOwner>> {
    if let Some(user) = &auth.user {
        return Ok(Some(CartOwner::User(user.id)));
    }
    if let Some(id) = auth
        .session
        .get::<Uuid>(GUEST_CART_KEY)
        .await
        .map_err(session_error)?
    {
        return Ok(Some(CartOwner::Guest(id)));
    }
    if !create {
        return Ok(None);
    }
    let id = Uuid::new_v4();
    auth.session
        .insert(GUEST_CART_KEY, id)
        .await
        .map_err(session_error)?;
    Ok(Some(CartOwner::Guest(id)))
}

/// The session's guest ids: its current one, and the one it had before
/// signing in (a place in a queue or an admission taken as a guest stays
/// the visitor's after they sign in).
pub async fn guest_ids(auth: &AuthSession) -> BackendResult<Vec<Uuid>> {
    let mut ids = Vec::new();
    for key in [GUEST_CART_KEY, FORMER_GUEST_KEY] {
        if let Some(id) = auth.session.get::<Uuid>(key).await.map_err(session_error)? {
            ids.push(id);
        }
    }
    Ok(ids)
}

/// Where the session keeps its guest id once signed in.
const FORMER_GUEST_KEY: &str = "former_guest";

/// At sign-in: the guest's cart joins the buyer's (quantities add up).
pub async fn merge_at_sign_in(
    valkey: &Valkey,
    auth: &AuthSession,
    user: Uuid,
) -> BackendResult<()> {
    if let Some(guest) = auth
        .session
        .remove::<Uuid>(GUEST_CART_KEY)
        .await
        .map_err(session_error)?
    {
        auth.session
            .insert(FORMER_GUEST_KEY, guest)
            .await
            .map_err(session_error)?;
        store::merge_guest_into_user(valkey, guest, user).await?;
    }
    Ok(())
}

/// The cart with live availability, each line explaining why it cannot be bought
/// as it is (sold out, sale ended, over the per-order maximum) before checkout
/// fails; `pending_order` is the buyer's order awaiting payment, if any.
/// Titles are in `locale` where the organizer gave one.
pub async fn view(
    db: &PgPool,
    valkey: &Valkey,
    owner: Option<CartOwner>,
    pending_order: Option<Uuid>,
    locale: Locale,
) -> BackendResult<CartView> {
    let Some(owner) = owner else {
        return Ok(CartView::default());
    };
    let lines: BTreeMap<Uuid, i64> = store::lines(valkey, owner).await?;
    let ids: Vec<Uuid> = lines.keys().copied().collect();
    let entered = store::codes(valkey, owner).await?;
    let rows = sqlx::query!(
        r#"SELECT t.id, t.event_id, event_title(e.id, e.title, $2) AS "title!", t.name, e.starts_at, e.time_zone, t.price_minor,
                  e.currency AS "currency!: Currency",
                  tickets_left(t, e) AS "available!",
                  t.max_per_order, e.status AS "status: EventStatus", t.sale_starts_at, t.sale_ends_at,
                  u.suspended_at IS NOT NULL AS "paused!", type_hidden(t) AS "hidden!"
           FROM ticket_types t JOIN events e ON e.id = t.event_id JOIN users u ON u.id = e.organizer_id
           WHERE t.id = ANY($1) ORDER BY e.starts_at, e.id, t.position, t.id"#,
        &ids,
        locale.tag()
    )
    .fetch_all(db)
    .await?;
    // The codes entered for the cart's events, and which are still usable.
    let in_cart: EventCodes = entered
        .into_iter()
        .filter(|(event, _)| rows.iter().any(|r| r.event_id == *event))
        .collect();
    let offers = codes::usable(db, &in_cart).await?;
    let mut codes: Vec<CartCode> = Vec::new();
    for r in &rows {
        if let Some(code) = in_cart.get(&r.event_id)
            && !codes.iter().any(|c| c.event_id == r.event_id)
        {
            let offer = offers.get(&r.event_id);
            // Fewer uses left than the cart's tickets it covers: said now,
            // not first at checkout.
            let wanted: i64 = offer.map_or(0, |o| {
                rows.iter()
                    .filter(|row| o.ticket_types.contains(&row.id))
                    .map(|row| lines.get(&row.id).copied().unwrap_or(0))
                    .sum()
            });
            let uses_left = offer.and_then(|o| o.uses_left);
            codes.push(CartCode {
                event_id: r.event_id,
                title: r.title.clone(),
                code: code.clone(),
                usable: offer.is_some() && uses_left.is_none_or(|left| i64::from(left) >= wanted),
                uses_left: offer.and(uses_left),
                said: String::new(),
            });
        }
    }
    let now = Utc::now();
    let views = rows
        .into_iter()
        .map(|r| {
            let quantity = lines.get(&r.id).copied().unwrap_or(0);
            let line_title = format!("{} · {}", r.title, r.name);
            let list_price = r.currency.amount(r.price_minor);
            let offer = offers
                .get(&r.event_id)
                .filter(|o| o.ticket_types.contains(&r.id));
            let off = offer.map_or(0, |o| price::off(&list_price, o.discount).minor);
            let unit_price = r.currency.amount(r.price_minor - off);
            let hidden_problem =
                (r.hidden && offer.is_none()).then(|| CheckoutRefusal::NotOnSale {
                    title: line_title.clone(),
                });
            CartLineView {
                list_price: (off > 0).then_some(list_price),
                code: offer.map(|o| o.code.clone()),
                problem: hidden_problem.or(Buyable {
                    title: &line_title,
                    status: r.status,
                    paused: r.paused,
                    sale_starts_at: r.sale_starts_at,
                    sale_ends_at: r.sale_ends_at,
                    available: r.available,
                    max_per_order: r.max_per_order,
                }
                .problem(quantity, now)),
                ticket_type_id: r.id,
                event_id: r.event_id,
                title: r.title,
                type_name: r.name,
                starts_at: crate::backend::zones::venue_time(r.starts_at, &r.time_zone),
                amount: price::line(&unit_price, quantity),
                unit_price,
                quantity,
                available: r.available,
                max_per_order: r.max_per_order,
            }
        })
        .collect();
    Ok(CartView {
        lines: views,
        pending_order,
        codes,
        words: Default::default(),
    })
}
