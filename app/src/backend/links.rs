//! Links mailed to a user: confirm an address, reset a password, confirm a new
//! address. Each is a row in `email_links` (expiry, single use); what the link
//! carries is the row's id and an HMAC of it under `APP_SECRET`, so neither a
//! guessed id nor a copy of the database makes a working link.

use std::time::Duration;

use crate::backend::error::BackendResult;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use sqlx::PgConnection;
use uuid::Uuid;

/// What a link is for (`email_link_purpose`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "email_link_purpose", rename_all = "snake_case")]
pub enum LinkPurpose {
    VerifyEmail,
    ResetPassword,
    ChangeEmail,
    /// Mailed to the old address after a change: puts it back.
    RestoreEmail,
}

impl LinkPurpose {
    /// How long a link works.
    pub fn lifetime(self) -> Duration {
        match self {
            Self::VerifyEmail => Duration::from_secs(48 * 3600),
            // A password reset is the most dangerous link to leave lying in a mailbox.
            Self::ResetPassword => Duration::from_secs(3600),
            Self::ChangeEmail => Duration::from_secs(24 * 3600),
            // Long enough to notice a change one did not make.
            Self::RestoreEmail => Duration::from_secs(7 * 24 * 3600),
        }
    }

    /// The page the link opens.
    pub fn path(self) -> &'static str {
        match self {
            Self::VerifyEmail => "/verify-email",
            Self::ResetPassword => "/reset-password",
            Self::ChangeEmail => "/confirm-email",
            Self::RestoreEmail => "/restore-email",
        }
    }
}

/// Why a link does nothing (told to its visitor as an `InputRefusal::Link*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkRefusal {
    /// Not one of ours, or not whole.
    Invalid,
    Expired,
    Used,
}

/// Signs and checks the tokens in mailed links.
#[derive(Clone)]
pub struct LinkKey(Vec<u8>);

impl std::fmt::Debug for LinkKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LinkKey(..)")
    }
}

/// Bytes of the HMAC kept in a token (128 bits).
const MAC_BYTES: usize = 16;

impl LinkKey {
    pub fn new(secret: &[u8]) -> Self {
        Self(secret.to_vec())
    }

    fn mac(&self, id: Uuid) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes keys of any size");
        mac.update(b"ticket-sales email link v1\0");
        mac.update(id.as_bytes());
        mac
    }

    /// The token for link `id`: 64 hex digits (the id, then its MAC).
    pub fn token(&self, id: Uuid) -> String {
        let mac = self.mac(id).finalize().into_bytes();
        format!("{}{}", id.simple(), hex::encode(&mac[..MAC_BYTES]))
    }

    /// The link id a token names, when its MAC is right.
    pub fn open(&self, token: &str) -> Option<Uuid> {
        let token = token.trim();
        if token.len() != 64 || !token.is_ascii() {
            return None;
        }
        let (id, mac) = token.split_at(32);
        let id = Uuid::try_parse(id).ok()?;
        let mac = hex::decode(mac).ok()?;
        self.mac(id).verify_truncated_left(&mac).ok().map(|()| id)
    }

    /// The full URL of link `id` on the shop at `base_url`.
    pub fn url(&self, base_url: &str, purpose: LinkPurpose, id: Uuid) -> String {
        format!("{base_url}{}?token={}", purpose.path(), self.token(id))
    }
}

/// A link row that was just made.
pub async fn create(
    conn: &mut PgConnection,
    user: Uuid,
    purpose: LinkPurpose,
    email: &str,
) -> BackendResult<Uuid> {
    Ok(sqlx::query_scalar!(
        r#"INSERT INTO email_links (user_id, purpose, email, expires_at)
           VALUES ($1, $2, $3, now() + make_interval(secs => $4)) RETURNING id"#,
        user,
        purpose as LinkPurpose,
        email,
        purpose.lifetime().as_secs_f64()
    )
    .fetch_one(conn)
    .await?)
}

/// The user and address of a link that was just used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsedLink {
    pub user_id: Uuid,
    pub email: String,
}

/// Uses the link the token names, once: in the caller's transaction, so a
/// refusal further on (a taken address, say) leaves the link unused.
pub async fn consume(
    conn: &mut PgConnection,
    key: &LinkKey,
    purpose: LinkPurpose,
    token: &str,
) -> BackendResult<Result<UsedLink, LinkRefusal>> {
    let Some(id) = key.open(token) else {
        return Ok(Err(LinkRefusal::Invalid));
    };
    let used = sqlx::query_as!(
        UsedLink,
        "UPDATE email_links SET used_at = now()
         WHERE id = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now()
         RETURNING user_id, email",
        id,
        purpose as LinkPurpose
    )
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(used) = used {
        return Ok(Ok(used));
    }
    let found = sqlx::query!(
        r#"SELECT used_at IS NOT NULL AS "used!" FROM email_links WHERE id = $1 AND purpose = $2"#,
        id,
        purpose as LinkPurpose
    )
    .fetch_optional(&mut *conn)
    .await?;
    Ok(Err(match found {
        None => LinkRefusal::Invalid,
        Some(link) if link.used => LinkRefusal::Used,
        Some(_) => LinkRefusal::Expired,
    }))
}

/// Whether a token names a link that would still work (for showing a form
/// before it is used).
pub async fn usable(
    conn: &mut PgConnection,
    key: &LinkKey,
    purpose: LinkPurpose,
    token: &str,
) -> BackendResult<Result<(), LinkRefusal>> {
    let Some(id) = key.open(token) else {
        return Ok(Err(LinkRefusal::Invalid));
    };
    let found = sqlx::query!(
        r#"SELECT used_at IS NOT NULL AS "used!", expires_at <= now() AS "expired!"
           FROM email_links WHERE id = $1 AND purpose = $2"#,
        id,
        purpose as LinkPurpose
    )
    .fetch_optional(conn)
    .await?;
    Ok(match found {
        None => Err(LinkRefusal::Invalid),
        Some(l) if l.used => Err(LinkRefusal::Used),
        Some(l) if l.expired => Err(LinkRefusal::Expired),
        Some(_) => Ok(()),
    })
}

/// Every other unused link of this purpose for the user stops working (after a
/// password reset, the other reset links mailed before it).
pub async fn retire_others(
    conn: &mut PgConnection,
    user: Uuid,
    purpose: LinkPurpose,
) -> BackendResult<()> {
    sqlx::query!(
        "UPDATE email_links SET used_at = now() WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL",
        user,
        purpose as LinkPurpose
    )
    .execute(conn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_open_only_under_their_key() {
        let key = LinkKey::new(b"secret");
        let id = Uuid::new_v4();
        let token = key.token(id);
        assert_eq!(token.len(), 64);
        assert_eq!(key.open(&token), Some(id));
        assert_eq!(LinkKey::new(b"other").open(&token), None);
        // Another id with this id's MAC, a cut token, a flipped digit: refused.
        let forged = format!("{}{}", Uuid::new_v4().simple(), &token[32..]);
        assert_eq!(key.open(&forged), None);
        assert_eq!(key.open(&token[..63]), None);
        let mut flipped = token.clone().into_bytes();
        flipped[40] = if flipped[40] == b'0' { b'1' } else { b'0' };
        assert_eq!(key.open(&String::from_utf8(flipped).unwrap()), None);
        assert_eq!(key.open("é".repeat(32).as_str()), None);
        assert!(
            key.url("https://shop.example", LinkPurpose::ResetPassword, id)
                .starts_with("https://shop.example/reset-password?token=")
        );
    }
}
