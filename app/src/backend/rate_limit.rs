//! Fixed-window rate limits counted in Valkey, so every server instance shares them.

use fred::prelude::KeysInterface;
use fred::types::ExpireOptions;
use hmac::{Hmac, KeyInit, Mac};
use secrecy::ExposeSecret;
use sha2::Sha256;
use uuid::Uuid;

use super::config::Config;
use super::state::AppState;
use super::valkey::Valkey;

use crate::backend::error::{BackendError, BackendResult};
use crate::error::AppError;

pub use super::config::Limit;

/// Every bucket the shop counts attempts in, named here once: its key in
/// Valkey (under `rl:`) and the limit the configuration gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bucket<'a> {
    /// Sign-in attempts from a client address (any account).
    SignInFromAddress(&'a str),
    /// Sign-in attempts on an account from one client address.
    SignInPair { email: &'a str, ip: &'a str },
    /// Sign-in attempts on an account from everywhere: a high ceiling.
    SignInAccount(&'a str),
    /// Sign-in attempts from a browser that signed in to the account before.
    SignInDevice(&'a str),
    /// Sign-ups, password changes and resets from a client address.
    AuthFromAddress(&'a str),
    /// Sign-ups for an address and password changes of an account.
    AuthForAccount(&'a str),
    /// Mail asked for one address (verification, reset, address change, invitation).
    MailTo(&'a str),
    /// Checkouts a buyer starts.
    CheckoutByBuyer(Uuid),
    /// Checkouts started from a client address (all its buyers).
    CheckoutFromAddress(&'a str),
    /// Cart changes from a client address (guests included).
    CartFromAddress(&'a str),
    /// Cover uploads of an organizer (each costs a decode).
    CoverUploads(Uuid),
    /// Wrong codes entered from a client address (guests included).
    CodeFromAddress(&'a str),
    /// Wrong codes entered by a signed-in buyer, from anywhere.
    CodeByBuyer(Uuid),
    /// Failed browser checks before a queue's place, from a client address
    /// (a digest: `queue::QueueCookies::address`).
    CheckFailedFromAddress(&'a str),
}

impl Bucket<'_> {
    /// Its counter's name (the Valkey key is `rl:` and this, under the prefix).
    pub fn name(&self) -> String {
        match self {
            Self::SignInFromAddress(ip) => format!("signin:ip:{ip}"),
            Self::SignInPair { email, ip } => format!("signin:pair:{email}:{ip}"),
            Self::SignInAccount(email) => format!("signin:account:{email}"),
            Self::SignInDevice(id) => format!("signin:device:{id}"),
            Self::AuthFromAddress(ip) => format!("auth:ip:{ip}"),
            Self::AuthForAccount(email) => format!("auth:account:{email}"),
            Self::MailTo(email) => format!("mail:to:{email}"),
            Self::CheckoutByBuyer(user) => format!("checkout:user:{user}"),
            Self::CheckoutFromAddress(ip) => format!("checkout:ip:{ip}"),
            Self::CartFromAddress(ip) => format!("cart:ip:{ip}"),
            Self::CoverUploads(organizer) => format!("covers:{organizer}"),
            Self::CodeFromAddress(ip) => format!("code:ip:{ip}"),
            Self::CodeByBuyer(user) => format!("code:user:{user}"),
            Self::CheckFailedFromAddress(ip) => format!("check:ip:{ip}"),
        }
    }

    /// How many attempts it allows per window.
    pub fn limit(&self, config: &Config) -> Limit {
        let per_minute = |max| Limit {
            max,
            window_secs: 60,
        };
        let per_hour = |max| Limit {
            max,
            window_secs: 3600,
        };
        match self {
            Self::SignInFromAddress(_) | Self::AuthFromAddress(_) => config.limits.auth_ip(),
            Self::SignInPair { .. } | Self::SignInDevice(_) | Self::AuthForAccount(_) => {
                config.limits.auth_account()
            }
            Self::SignInAccount(_) => config.limits.auth_account_global(),
            Self::MailTo(_) => per_hour(config.mail.limit_per_address_per_hour),
            Self::CheckoutByBuyer(_) => per_minute(config.limits.checkout_per_minute),
            Self::CheckoutFromAddress(_) => per_minute(config.limits.checkout_per_ip_per_minute),
            Self::CartFromAddress(_) => per_minute(config.limits.cart_per_ip_per_minute),
            Self::CoverUploads(_) => per_hour(super::covers::UPLOADS_PER_HOUR),
            // Wrong codes only (right ones are forgiven): a room of fans
            // behind one address gets 30 per ten minutes, a buyer 10.
            Self::CodeFromAddress(_) => Limit {
                max: 30,
                window_secs: 600,
            },
            Self::CodeByBuyer(_) => Limit {
                max: 10,
                window_secs: 600,
            },
            // A browser's check rarely fails (a slow phone's expired one is
            // not counted): a program posting junk costs a page each.
            Self::CheckFailedFromAddress(_) => Limit {
                max: 30,
                window_secs: 600,
            },
        }
    }
}

/// Counts one attempt in `bucket`; past its limit, refuses with the seconds
/// left in the window.
pub async fn limit(state: &AppState, bucket: Bucket<'_>) -> BackendResult<()> {
    hit(&state.valkey, &bucket.name(), bucket.limit(&state.config)).await
}

async fn hit(valkey: &Valkey, bucket: &str, limit: Limit) -> BackendResult<()> {
    let (count, ttl) = count_one(valkey, bucket, limit).await?;
    if count > limit.max {
        return Err(refusal(ttl));
    }
    Ok(())
}

/// Adds one to `bucket` (its window starts with the first), returning the count
/// and the seconds left.
async fn count_one(valkey: &Valkey, bucket: &str, limit: Limit) -> BackendResult<(u64, i64)> {
    let key = valkey.key(&format!("rl:{bucket}"));
    let pipeline = valkey.pool().next().pipeline();
    let _: () = pipeline.incr(&key).await?;
    let _: () = pipeline
        .expire(&key, limit.window_secs as i64, Some(ExpireOptions::NX))
        .await?;
    let _: () = pipeline.ttl(&key).await?;
    let (count, _, ttl): (u64, i64, i64) = pipeline.all().await?;
    Ok((count, ttl))
}

/// Guesses at a secret (a code): each counts in every bucket before it is
/// checked, so a burst of parallel guesses is refused too; [`forgive`] a
/// right one, so only wrong ones add up.
pub async fn guess(state: &AppState, buckets: &[Bucket<'_>]) -> BackendResult<()> {
    for bucket in buckets {
        limit(state, *bucket).await?;
    }
    Ok(())
}

/// A right guess: its count comes off again.
pub async fn forgive(state: &AppState, buckets: &[Bucket<'_>]) -> BackendResult<()> {
    for bucket in buckets {
        forgive_one(&state.valkey, &bucket.name()).await?;
    }
    Ok(())
}

async fn forgive_one(valkey: &Valkey, bucket: &str) -> BackendResult<()> {
    let key = valkey.key(&format!("rl:{bucket}"));
    let left: i64 = valkey.pool().decr(&key).await?;
    // Its window ended meanwhile: no counter is left behind without an expiry.
    if left <= 0 {
        let _: i64 = valkey.pool().del(&key).await?;
    }
    Ok(())
}

fn refusal(ttl: i64) -> BackendError {
    BackendError::User(AppError::RateLimited {
        retry_after_secs: ttl.max(1) as u64,
    })
}

/// Sign-in attempts are counted before the password is checked (so a burst of
/// parallel guesses is refused too); a success forgives its own attempt and
/// clears its client's failures, so only failures add up.
///
/// A browser that has signed in to the account before carries a device cookie
/// for it (OWASP's "device cookie": a random id signed with `APP_SECRET` for
/// that account). Its attempts count against that device alone, so other
/// clients' failures never lock the owner out. Every other client is counted
/// per client address, per (account, client) pair and, with a much higher
/// ceiling, per account from everywhere.
pub struct SignInThrottle<'a> {
    state: &'a AppState,
    buckets: Vec<(String, Limit)>,
    /// The pair or device count a success clears.
    own: String,
    /// The shared counts a success forgives its attempt in.
    shared: Vec<String>,
}

impl<'a> SignInThrottle<'a> {
    /// `device`: the request's device cookie, if it carries one.
    pub fn new(state: &'a AppState, email: &str, ip: &str, device: Option<&str>) -> Self {
        let config = &state.config;
        let counted = |bucket: Bucket<'_>| (bucket.name(), bucket.limit(config));
        match device.and_then(|value| devices(state).read(email, value)) {
            Some(id) => {
                let own = counted(Bucket::SignInDevice(&id));
                Self {
                    state,
                    own: own.0.clone(),
                    buckets: vec![own],
                    shared: Vec::new(),
                }
            }
            None => {
                let (client, pair, account) = (
                    counted(Bucket::SignInFromAddress(ip)),
                    counted(Bucket::SignInPair { email, ip }),
                    counted(Bucket::SignInAccount(email)),
                );
                Self {
                    state,
                    own: pair.0.clone(),
                    shared: vec![client.0.clone(), account.0.clone()],
                    buckets: vec![client, pair, account],
                }
            }
        }
    }

    /// Before the password is checked: counts this attempt, and refuses it when
    /// any count goes past its limit.
    pub async fn attempt(&self) -> BackendResult<()> {
        for (bucket, limit) in &self.buckets {
            hit(&self.state.valkey, bucket, *limit).await?;
        }
        Ok(())
    }

    /// The right password: this attempt is forgiven, and so are this client's
    /// earlier failures on this account.
    pub async fn succeeded(&self) -> BackendResult<()> {
        let valkey = &self.state.valkey;
        let key = |bucket: &str| valkey.key(&format!("rl:{bucket}"));
        let _: i64 = valkey.pool().del(key(&self.own)).await?;
        for bucket in &self.shared {
            forgive_one(valkey, bucket).await?;
        }
        Ok(())
    }
}

fn devices(state: &AppState) -> Devices {
    Devices::new(state.config.app_secret.expose_secret().as_bytes())
}

/// Signs and reads device cookies: `<random id>.<HMAC of the account and the id>`.
pub struct Devices {
    key: Vec<u8>,
}

impl Devices {
    pub fn new(secret: &[u8]) -> Self {
        let mut key = b"device:".to_vec();
        key.extend_from_slice(secret);
        Self { key }
    }

    fn mac(&self, email: &str, id: &str) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("any key length");
        mac.update(email.as_bytes());
        mac.update(b"\0");
        mac.update(id.as_bytes());
        mac
    }

    /// A new device cookie value for the account `email`.
    pub fn issue(&self, email: &str) -> String {
        let id = uuid::Uuid::new_v4().simple().to_string();
        let signature = hex::encode(self.mac(email, &id).finalize().into_bytes());
        format!("{id}.{signature}")
    }

    /// The device's id, when `value` is a device cookie issued for `email`.
    pub fn read(&self, email: &str, value: &str) -> Option<String> {
        let (id, signature) = value.split_once('.')?;
        if id.len() != 32 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let signature = hex::decode(signature).ok()?;
        self.mac(email, id)
            .verify_slice(&signature)
            .ok()
            .map(|()| id.to_string())
    }
}

/// The device cookie's name (`__Host-` under https, so no sibling host sets it).
pub fn device_cookie(state: &AppState) -> &'static str {
    if state.config.is_https() {
        "__Host-ts_device"
    } else {
        "ts_device"
    }
}

/// The `Set-Cookie` value that remembers this browser for `email` for a year.
pub fn device_set_cookie(state: &AppState, email: &str) -> String {
    let secure = if state.config.is_https() {
        "; Secure"
    } else {
        ""
    };
    format!(
        "{}={}; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax{secure}",
        device_cookie(state),
        devices(state).issue(email)
    )
}

/// Sign-up and password changes from one client address.
pub async fn limit_auth_from_ip(state: &AppState, ip: &str) -> BackendResult<()> {
    limit(state, Bucket::AuthFromAddress(ip)).await
}

/// Sign-ups for one email address and password changes of one account,
/// whichever address they come from.
pub async fn limit_auth_for_account(state: &AppState, email: &str) -> BackendResult<()> {
    limit(state, Bucket::AuthForAccount(email)).await
}

/// Messages asked for one address (verification, reset, address change): the
/// shop must not become a way to flood someone's inbox.
pub async fn limit_mail_to(state: &AppState, email: &str) -> BackendResult<()> {
    limit(state, Bucket::MailTo(email)).await
}

#[cfg(test)]
mod tests {
    use super::Devices;

    #[test]
    fn a_device_cookie_counts_only_for_its_account_and_key() {
        let devices = Devices::new(b"secret");
        let cookie = devices.issue("ada@example.com");
        let id = devices
            .read("ada@example.com", &cookie)
            .expect("ada's device");
        assert_eq!(id.len(), 32);
        assert_eq!(devices.read("bob@example.com", &cookie), None);
        assert_eq!(
            Devices::new(b"other").read("ada@example.com", &cookie),
            None
        );
        let forged = format!("{}{}", "0".repeat(32), &cookie[32..]);
        assert_eq!(devices.read("ada@example.com", &forged), None);
        assert_eq!(devices.read("ada@example.com", "garbage"), None);
        assert_ne!(
            devices.issue("ada@example.com"),
            cookie,
            "a new id each time"
        );
    }
}
