//! The outbox: a message is a row written in the transaction of the change that
//! causes it, at most one per (kind, subject), and delivered later by whichever
//! instance's worker claims it first.

use std::time::Duration;

use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::backend::error::BackendResult;
use crate::backend::retry::backoff;

/// What a message says (`mail_kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "mail_kind", rename_all = "snake_case")]
pub enum MailKind {
    /// The order was paid (or a free order confirmed): its tickets.
    OrderConfirmed,
    OrderRefunded,
    /// The hold ran out unpaid.
    OrderExpired,
    OrderDeclined,
    ApplicationApproved,
    ApplicationRejected,
    VerifyEmail,
    ResetPassword,
    ChangeEmail,
    /// An organizer refunded some or all of an order's tickets (`about`: the refund).
    TicketsRefunded,
    /// An organizer invited someone to check tickets in (`about`: the invitation).
    DoorInvite,
    /// Seats came back for a buyer on a waiting list and are held for them
    /// (`about`: the offer's order).
    WaitingListOffer,
    /// The account's address was changed: to the old address, with a link that
    /// restores it (`about`: that link).
    EmailChanged,
    /// Someone signed up with an address that has an account: its owner is
    /// told (the form says nothing). `about` names nothing: each is its own.
    SignUpAttempt,
    /// Seats came back but the buyer at the head of the list could not take
    /// them, and was passed over (`about`: the waiting-list entry).
    WaitingListSkipped,
    /// An admin suspended the organizer (`about`: the suspension).
    OrganizerSuspended,
    /// The suspension was lifted (`about`: the suspension).
    SuspensionLifted,
}

/// Writes a message to `recipient` about `about`, unless one of this kind about
/// it was written before (a replayed webhook, a second settlement). True when
/// this call wrote it.
pub async fn enqueue(
    conn: &mut PgConnection,
    kind: MailKind,
    about: Uuid,
    recipient: &str,
) -> BackendResult<bool> {
    let written = sqlx::query!(
        "INSERT INTO outbox (kind, about, recipient) VALUES ($1, $2, $3)
         ON CONFLICT (kind, about) DO NOTHING",
        kind as MailKind,
        about,
        recipient
    )
    .execute(conn)
    .await?
    .rows_affected();
    Ok(written == 1)
}

/// Writes a message about an order to its buyer (see [`enqueue`]).
pub async fn enqueue_for_order(
    conn: &mut PgConnection,
    kind: MailKind,
    order: Uuid,
) -> BackendResult<bool> {
    let written = sqlx::query!(
        "INSERT INTO outbox (kind, about, recipient)
         SELECT $1, o.id, u.email FROM orders o JOIN users u ON u.id = o.user_id WHERE o.id = $2
         ON CONFLICT (kind, about) DO NOTHING",
        kind as MailKind,
        order
    )
    .execute(conn)
    .await?
    .rows_affected();
    Ok(written == 1)
}

/// Writes a message about `about` (a refund, say) to the buyer of `order`.
pub async fn enqueue_for_order_about(
    conn: &mut PgConnection,
    kind: MailKind,
    about: Uuid,
    order: Uuid,
) -> BackendResult<bool> {
    let written = sqlx::query!(
        "INSERT INTO outbox (kind, about, recipient)
         SELECT $1, $2, u.email FROM orders o JOIN users u ON u.id = o.user_id WHERE o.id = $3
         ON CONFLICT (kind, about) DO NOTHING",
        kind as MailKind,
        about,
        order
    )
    .execute(conn)
    .await?
    .rows_affected();
    Ok(written == 1)
}

/// Writes a message about `about` to the user's current address (see [`enqueue`]).
pub async fn enqueue_to_user(
    conn: &mut PgConnection,
    kind: MailKind,
    about: Uuid,
    user: Uuid,
) -> BackendResult<bool> {
    let written = sqlx::query!(
        "INSERT INTO outbox (kind, about, recipient) SELECT $1, $2, email FROM users WHERE id = $3
         ON CONFLICT (kind, about) DO NOTHING",
        kind as MailKind,
        about,
        user
    )
    .execute(conn)
    .await?
    .rows_affected();
    Ok(written == 1)
}

/// A message a worker has claimed for the length of its lease.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claimed {
    pub id: Uuid,
    pub kind: MailKind,
    pub about: Uuid,
    pub recipient: String,
    /// 1 on the first try.
    pub attempts: i32,
}

/// Claims up to `limit` due messages for `lease`: no other worker takes them
/// until it ends, so a worker that dies mid-send leaves its messages to the
/// next one once the lease is over.
pub async fn claim(db: &PgPool, limit: i64, lease: Duration) -> BackendResult<Vec<Claimed>> {
    Ok(sqlx::query_as!(
        Claimed,
        r#"UPDATE outbox m
           SET send_after = now() + make_interval(secs => $2), attempts = m.attempts + 1
           FROM (SELECT id FROM outbox
                 WHERE sent_at IS NULL AND failed_at IS NULL AND send_after <= now()
                 ORDER BY send_after LIMIT $1 FOR UPDATE SKIP LOCKED) due
           WHERE m.id = due.id
           RETURNING m.id, m.kind AS "kind: MailKind", m.about, m.recipient, m.attempts"#,
        limit,
        lease.as_secs_f64()
    )
    .fetch_all(db)
    .await?)
}

pub async fn mark_sent(db: &PgPool, id: Uuid) -> BackendResult<()> {
    sqlx::query!(
        "UPDATE outbox SET sent_at = now(), last_error = NULL WHERE id = $1",
        id
    )
    .execute(db)
    .await?;
    Ok(())
}

/// After a failed try: again after the backoff, or given up (with the reason)
/// when `give_up` says so. True when given up.
pub async fn failed_attempt(
    db: &PgPool,
    message: &Claimed,
    error: &str,
    give_up: bool,
) -> BackendResult<bool> {
    sqlx::query!(
        "UPDATE outbox SET last_error = $2,
                send_after = now() + make_interval(secs => $3),
                failed_at = CASE WHEN $4 THEN now() END
         WHERE id = $1",
        message.id,
        error,
        backoff(message.attempts).as_secs_f64(),
        give_up
    )
    .execute(db)
    .await?;
    Ok(give_up)
}
