//! The waiting room of an on-sale: visitors wait for their turn to check out.
//!
//! All of it lives in Valkey, so every instance shares one queue and one
//! admission rate, and a restart loses nobody's place. Per event, `q:{event}:m`
//! holds what the queue needs to know without the database (when the sale
//! opens, whether it is sold out, what the holding page names; the sweeper
//! refreshes it: [`facts`]) and its counters; [`turns`] gives each visitor a
//! number (a draw for those who came before the opening) and lets numbers
//! through at a fixed rate by raising one value, "admitted up to N", that
//! every waiting visitor compares with their own: waiting costs Valkey
//! nothing per visitor.
//!
//! A visitor is their account, or a guest's session: one place each, however
//! many tabs or connections, and at most `QUEUE_PLACES_PER_ADDRESS` places
//! per client address (`q:{event}:ip:{digest}`). The queue knows them by a
//! [`Member`]: an opaque digest under `APP_SECRET`, so neither Valkey nor a
//! cookie carries an account or session id. The shop hands the visitor two
//! signed cookies: their place and number (so a poll needs neither the
//! session, the database nor Valkey) and, once their number has come, a
//! short-lived admission bound to that account or session, which checkout for
//! a queued event requires. The first account that checks out with an
//! admission owns it (`q:{event}:c:{admission}`): a guest admitted and then
//! signed in as one account cannot lend it to a second. Without Valkey nobody
//! is let through (the queue fails closed); admissions already given stay valid.

pub mod challenge;
mod cookies;
mod facts;
mod progress;
mod turns;

pub use cookies::{Admission, Gate, QueueCookies, admission_cookie, place_cookie};
pub use facts::{
    QueueFacts, QueueSign, active_events, facts, has_facts, lengths, refresh, refresh_if_live,
    refresh_one, set_facts,
};
pub use progress::Progress;
pub use turns::{Joined, Place, Turn, admit, join, number, progress, to_back};

use fred::interfaces::{KeysInterface, LuaInterface, SetsInterface};
use uuid::Uuid;

use super::BackendResult;
use super::valkey::Valkey;

/// How long queue keys outlive their last write.
pub const KEEP_SECS: i64 = 2 * 24 * 3600;

/// How long the queue stays on after arrivals went past the configured rate.
pub const AUTO_SECS: i64 = 15 * 60;

/// Who holds a place: an account, or a guest's session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visitor {
    Account(Uuid),
    Guest(Uuid),
}

impl Visitor {
    /// Who the visitor is, before it is made opaque ([`QueueCookies::member`]).
    fn identity(&self) -> String {
        match self {
            Self::Account(id) => format!("u:{}", id.simple()),
            Self::Guest(id) => format!("g:{}", id.simple()),
        }
    }
}

/// A visitor as the queue and its cookies know them: 32 hex digits of an HMAC
/// of their account or session id, the same for the same visitor every time,
/// telling nothing about who they are.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Member(String);

impl Member {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn parse(raw: &str) -> Option<Self> {
        (raw.len() == 32 && raw.bytes().all(|b| b.is_ascii_hexdigit()))
            .then(|| Self(raw.to_ascii_lowercase()))
    }
}

/// One of the event's queue keys. The event's id is the key's hash tag
/// (`{…}`), so on a Valkey Cluster all of them live in one slot, as the
/// queue's scripts, which touch several at once, need.
pub(super) fn key(valkey: &Valkey, event: Uuid, part: &str) -> String {
    valkey.key(&format!("q:{{{}}}:{part}", event.simple()))
}

/// Events with a live queue, for the sweeper to keep its facts fresh.
pub(super) fn active_key(valkey: &Valkey) -> String {
    valkey.key("q:active")
}

/// What the organizer sets for an event's queue (see [`switch`]).
#[derive(Debug, Clone, Copy)]
pub struct QueueSettings<'a> {
    pub on: bool,
    pub presale_until: &'a str,
    pub check: crate::model::QueueCheck,
    pub register_minutes: Option<i32>,
    /// Visitors let through a minute (`None`: the shop's rate).
    pub admit_per_minute: Option<i32>,
}

/// The organizer's switch: the event's on-sale goes through the queue (or no
/// longer does), with a presale for code holders until `presale_until` (on
/// the venue's clock, `datetime-local`; empty: none), a browser check of
/// strength `check`, places taken from `register_minutes` before the
/// opening (`None`: any time) and `admit_per_minute` let through (`None`:
/// the shop's rate). Only the event's organizer (or an admin) may
/// turn it.
pub async fn switch(
    db: &sqlx::PgPool,
    valkey: &Valkey,
    user: &super::auth::SessionUser,
    event: Uuid,
    settings: &QueueSettings<'_>,
) -> BackendResult<()> {
    let QueueSettings {
        on,
        presale_until,
        check,
        register_minutes,
        admit_per_minute,
    } = *settings;
    use crate::model::Clocks;
    let admin = user.role == crate::model::Role::Admin;
    let zone = sqlx::query_scalar!(
        "SELECT time_zone FROM events WHERE id = $1 AND may_manage(organizer_id, $2, $3)",
        event,
        user.id,
        admin
    )
    .fetch_optional(db)
    .await?
    .ok_or(crate::error::AppError::NotFound)?;
    let presale = match presale_until.trim() {
        "" => None,
        typed => Some(
            crate::model::parse_datetime_local(typed)
                .filter(|t| (2000..=2200).contains(&chrono::Datelike::year(t)))
                .and_then(|local| super::zones::Tzdb.to_utc(&zone, local).ok())
                .ok_or_else(|| crate::error::AppError::Invalid {
                    field: Some("presale_until".into()),
                    message: "Give the presale's end as a date and time on the venue's clock, or leave it empty.".into(),
                })?,
        ),
    };
    let changed = sqlx::query!(
        "UPDATE events SET queue_enabled = $3, presale_ends_at = $5, queue_check = $6,
                           queue_register_minutes = $7, queue_admit_per_minute = $8
         WHERE id = $1 AND may_manage(organizer_id, $2, $4)",
        event,
        user.id,
        on,
        admin,
        presale,
        check as crate::model::QueueCheck,
        register_minutes,
        admit_per_minute
    )
    .execute(db)
    .await?
    .rows_affected();
    if changed == 0 {
        return Err(crate::error::AppError::NotFound.into());
    }
    if on {
        // The queue knows when the sale opens (and its presale ends) before
        // the first visitor comes.
        if let Err(err) = refresh_one(db, valkey, event).await {
            tracing::warn!(%event, error = %err, "queue facts not written; the first visitor writes them");
        }
    }
    tracing::info!(%event, on, "event queue switched");
    Ok(())
}

/// Forgets an event's queue (the event is over or cancelled).
pub async fn retire(valkey: &Valkey, event: Uuid) -> BackendResult<()> {
    let pool = valkey.pool().next();
    let _: () = pool.srem(active_key(valkey), event.to_string()).await?;
    Ok(())
}

/// Claims the admission for the account and spends it on this checkout, in
/// one step: the first account that checks out with it owns it; it makes one
/// order (given back when the checkout reserves nothing); and an account
/// uses one admission while it lasts, so a program's many places (guests
/// signing in as one account) buy no more than the account's own would.
const CLAIM: &str = r#"
local owner = redis.call('GET', KEYS[1])
if owner and owner ~= ARGV[1] then return 0 end
local used = redis.call('GET', KEYS[3])
if used and used ~= ARGV[3] then return 0 end
if not redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[2]) then return 0 end
if not owner then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) end
redis.call('SET', KEYS[3], ARGV[3], 'PX', ARGV[2])
return 1
"#;

fn admission_left_ms(admission: &Admission) -> i64 {
    (admission.until_ms - chrono::Utc::now().timestamp_millis()).max(1000)
}

/// Whether `account` may check out with `admission` now, spending it: the
/// first account that does owns it; an admission already spent on an order,
/// another account's, or a second one of an account that used another
/// still running, is refused.
pub async fn claim_admission(
    valkey: &Valkey,
    event: Uuid,
    admission: &Admission,
    account: Uuid,
) -> BackendResult<bool> {
    let owned: i64 = valkey
        .pool()
        .next()
        .eval(
            CLAIM,
            vec![
                key(valkey, event, &format!("c:{}", admission.id)),
                key(valkey, event, &format!("u:{}", admission.id)),
                key(valkey, event, &format!("by:{}", account.simple())),
            ],
            vec![
                account.simple().to_string(),
                // Kept a minute past the turn, for instances whose clocks differ.
                (admission_left_ms(admission) + 60_000).to_string(),
                admission.id.clone(),
            ],
        )
        .await?;
    Ok(owned == 1)
}

/// Gives an admission back, and frees the account that spent it for another.
const UNSPEND: &str = r#"
redis.call('DEL', KEYS[1])
if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
return 1
"#;

/// The checkout that spent the admission reserved nothing new: the turn is
/// the visitor's again, and `account` may use this admission or another.
pub async fn unspend_admission(
    valkey: &Valkey,
    event: Uuid,
    admission: &Admission,
    account: Uuid,
) -> BackendResult<()> {
    let _: i64 = valkey
        .pool()
        .next()
        .eval(
            UNSPEND,
            vec![
                key(valkey, event, &format!("u:{}", admission.id)),
                key(valkey, event, &format!("by:{}", account.simple())),
            ],
            vec![admission.id.clone()],
        )
        .await?;
    Ok(())
}

/// Counts an arrival at the event's page; past `per_sec` in one second the
/// queue turns itself on for [`AUTO_SECS`]. Returns whether it is on.
pub async fn arrive(valkey: &Valkey, event: Uuid, per_sec: u64) -> BackendResult<bool> {
    let auto = key(valkey, event, "auto");
    let pool = valkey.pool().next();
    let on: bool = pool.exists(&auto).await?;
    if on || per_sec == 0 {
        return Ok(on);
    }
    let second = chrono::Utc::now().timestamp();
    let counter = key(valkey, event, &format!("arr:{second}"));
    let count: u64 = pool.incr(&counter).await?;
    if count == 1 {
        let _: () = pool.expire(&counter, 2, None).await?;
    }
    if count > per_sec {
        let _: () = pool
            .set(
                &auto,
                "1",
                Some(fred::types::Expiration::EX(AUTO_SECS)),
                None,
                false,
            )
            .await?;
        tracing::warn!(%event, arrivals = count, "arrivals past the limit: the event's queue is on");
        return Ok(true);
    }
    Ok(false)
}

/// Which of `events` have their queue on by itself (arrivals past the rate).
pub async fn auto_queued(valkey: &Valkey, events: &[Uuid]) -> BackendResult<Vec<Uuid>> {
    let mut on = Vec::new();
    for event in events {
        let exists: bool = valkey
            .pool()
            .next()
            .exists(key(valkey, *event, "auto"))
            .await?;
        if exists {
            on.push(*event);
        }
    }
    Ok(on)
}

/// Whether `event`'s queue is on: the organizer's switch, or arrivals past
/// the configured rate.
pub async fn is_on(valkey: &Valkey, event: Uuid, switched_on: bool) -> BackendResult<bool> {
    if switched_on {
        return Ok(true);
    }
    Ok(!auto_queued(valkey, &[event]).await?.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_and_admissions_are_signed_and_bound() {
        let cookies = QueueCookies::new(b"secret");
        let (event, other) = (Uuid::new_v4(), Uuid::new_v4());
        let ada_id = Uuid::new_v4();
        let ada = cookies.member(Visitor::Account(ada_id));
        let bob = cookies.member(Visitor::Guest(Uuid::new_v4()));
        assert_eq!(ada, cookies.member(Visitor::Account(ada_id)), "stable");
        let place = cookies.place(event, &ada, Some(17));
        assert_eq!(
            cookies.read_place(event, &place),
            Some((ada.clone(), Some(17)))
        );
        let undrawn = cookies.place(event, &ada, None);
        assert_eq!(
            cookies.read_place(event, &undrawn),
            Some((ada.clone(), None))
        );
        let earlier = place.replace(".17.", ".1.");
        assert_eq!(
            cookies.read_place(event, &earlier),
            None,
            "its number is signed"
        );
        // Opaque: no id of the account (or a guest's session) in the cookie.
        assert!(!place.contains(&ada_id.simple().to_string()), "{place}");
        assert!(!place.contains(&ada_id.to_string()), "{place}");
        assert_eq!(
            cookies.read_place(other, &place),
            None,
            "another event's place"
        );
        let forged = place.replace(ada.as_str(), bob.as_str());
        assert_eq!(
            cookies.read_place(event, &forged),
            None,
            "another visitor's"
        );
        assert_eq!(QueueCookies::new(b"other").read_place(event, &place), None);
        assert_ne!(
            QueueCookies::new(b"other").member(Visitor::Account(ada_id)),
            ada,
            "digests depend on the secret"
        );

        let admission = cookies.admission(event, &ada, 10_000);
        assert!(
            cookies
                .admits(event, &admission, std::slice::from_ref(&ada), 9_999)
                .is_some()
        );
        assert!(
            cookies
                .admits(event, &admission, std::slice::from_ref(&ada), 10_000)
                .is_none(),
            "ran out"
        );
        assert!(
            cookies
                .admits(event, &admission, std::slice::from_ref(&bob), 9_999)
                .is_none(),
            "bound to its visitor"
        );
        assert!(
            cookies
                .admits(other, &admission, std::slice::from_ref(&ada), 9_999)
                .is_none(),
            "and its event"
        );
        let longer = admission.replace(".10000.", ".99999.");
        assert!(
            cookies
                .admits(event, &longer, std::slice::from_ref(&ada), 9_999)
                .is_none(),
            "its end is signed"
        );
        assert!(cookies.admits(event, "garbage", &[ada], 0).is_none());
        assert_ne!(
            cookies.address("203.0.113.1"),
            cookies.address("203.0.113.2")
        );
        assert!(!cookies.address("203.0.113.1").contains("203"));
        // IPv6 by /64; a mapped IPv4 address as itself.
        assert_eq!(
            cookies.address("2001:db8:1:2:aaaa::1"),
            cookies.address("2001:db8:1:2:bbbb:cccc:dddd:eeee")
        );
        assert_ne!(
            cookies.address("2001:db8:1:2::1"),
            cookies.address("2001:db8:1:3::1")
        );
        assert_eq!(
            cookies.address("::ffff:203.0.113.1"),
            cookies.address("203.0.113.1")
        );
    }
}
