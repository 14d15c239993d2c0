//! Configuration from the environment, with defaults that work on a fresh machine
//! (`make run` starts PostgreSQL and Valkey on these ports).

use std::time::Duration;

use secrecy::SecretString;

mod queue;
pub use queue::QueueConfig;

/// At most `max` attempts per window of `window_secs` (a rate limit's setting).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub max: u64,
    pub window_secs: u64,
}

pub const DEFAULT_DATABASE_URL: &str = "postgres://ticket_sales@127.0.0.1:54329/ticket_sales";
pub const DEFAULT_VALKEY_URL: &str = "redis://127.0.0.1:63799";

/// The longest seat hold: a Stripe Checkout Session lives at most 24 hours.
pub const MAX_HOLD_SECS: u64 = 23 * 3600;

/// Where metrics are served when `METRICS_ADDR` is not set.
pub const DEFAULT_METRICS_ADDR: &str = "127.0.0.1:9100";

/// Secrets are wrapped in [`SecretString`], so `{:?}` never prints them.
/// Grouped by concern: the shop itself here, then mail, the waiting room,
/// rate limits and metrics each in their own part.
#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: SecretString,
    pub database_max_connections: u32,
    /// `DATABASE_REPLICA_URL`: a streaming replica the catalogue and event
    /// pages read while it is within `database_replica_max_lag` of the
    /// primary (`db::replica`); `None`: they read the primary.
    pub database_replica_url: Option<SecretString>,
    /// `DATABASE_REPLICA_MAX_LAG_SECS` (2): how far behind the replica may be
    /// and still be read.
    pub database_replica_max_lag: Duration,
    /// `DATABASE_LISTEN_URL`: the primary itself, for `LISTEN` (`db::known_users`)
    /// when `DATABASE_URL` is a pooler in transaction mode (no session to hold
    /// it). `None`: `DATABASE_URL`.
    pub database_listen_url: Option<SecretString>,
    /// `MIGRATE_ON_SERVE` (true): `serve` applies pending migrations first. Set
    /// false where a separate job migrates (Kubernetes, or behind PgBouncer,
    /// which migrations must not go through).
    pub migrate_on_serve: bool,
    pub valkey_url: SecretString,
    /// Prefix of every Valkey key this instance writes; tests give each run its own.
    pub valkey_prefix: String,
    /// Signs what the shop hands out and takes back (error messages in links).
    /// Every instance must share it; without one each process makes its own.
    pub app_secret: SecretString,
    /// True when `app_secret` was made up at start (no `APP_SECRET`).
    pub app_secret_generated: bool,
    /// Public base URL of the shop, used in links sent to Stripe and emails.
    pub app_base_url: String,
    /// A session expires after this long without a request.
    pub session_idle_timeout: Duration,
    /// Where the client's address comes from: the TCP peer (`ConnectInfo`), or
    /// what the load balancer in front says (`RightmostXForwardedFor`, `XRealIp`,
    /// `CfConnectingIp`, ...). Rate limits key on it.
    pub client_ip_source: axum_client_ip::ClientIpSource,
    /// How long a checkout holds seats before the sweeper releases them.
    pub reservation_timeout: Duration,
    /// How long the seats offered to the next buyer on a waiting list are held.
    pub waiting_list_offer: Duration,
    /// How often the sweeper looks for holds that ran out.
    pub sweeper_interval: Duration,
    /// How long the shared catalogue page is served from an instance's copy
    /// (`backend::fresh`); zero asks the database every time.
    pub catalogue_fresh: Duration,
    /// Where event covers are kept: `file:///path` (default: `.data/covers`
    /// under the working directory) or `s3://bucket/prefix`.
    pub cover_store_url: String,
    /// Stripe: `None` without a secret key, and checkout then says payments are off.
    pub stripe: Option<StripeConfig>,
    pub mail: MailConfig,
    pub queue: QueueConfig,
    pub limits: LimitsConfig,
    pub metrics: MetricsConfig,
}

#[derive(Debug, Clone)]
pub struct MailConfig {
    /// Where mail is sent: `smtp://user:pass@host:587?tls=required` (STARTTLS),
    /// `smtps://user:pass@host:465` (TLS), or plain `smtp://127.0.0.1:1025` for a
    /// local catcher. Without it messages wait in the outbox until one is set.
    pub smtp_url: Option<SecretString>,
    /// The sender of every message, e.g. `Ticket Sales <tickets@shop.example>`.
    pub from: lettre::message::Mailbox,
    /// Where buyers are told to write for help (default: the sender's address).
    pub support_email: String,
    /// How often the mail worker looks for due messages.
    pub poll_interval: Duration,
    /// How long a worker's claim on a message lasts: after a crash, another
    /// instance sends it once this is over. Longer than an SMTP conversation
    /// may take (30 s), or a slow send could be sent twice.
    pub lease: Duration,
    /// Links (verification, reset, address change) mailed to one address per hour.
    pub limit_per_address_per_hour: u64,
}

/// Rate limits (`rate_limit::Bucket` says which applies where).
#[derive(Debug, Clone)]
pub struct LimitsConfig {
    /// Failed sign-ins per client address, and sign-ups and password changes per
    /// client address, per window.
    pub auth_per_ip: u64,
    /// Failed sign-ins per (account, client address); sign-ups per email and
    /// password changes per account.
    pub auth_per_account: u64,
    /// Failed sign-ins per account from all addresses together: a high ceiling
    /// against guessing spread over many addresses.
    pub auth_per_account_global: u64,
    pub auth_window: Duration,
    /// Checkouts a buyer may start per minute.
    pub checkout_per_minute: u64,
    /// Checkouts started per minute from one client address (all its buyers).
    pub checkout_per_ip_per_minute: u64,
    /// Cart changes per minute from one client address (guests included).
    pub cart_per_ip_per_minute: u64,
}

#[derive(Debug, Clone)]
pub struct MetricsConfig {
    /// `METRICS_ADDR` (127.0.0.1:9100): Prometheus metrics on a port of their
    /// own, kept off the public one; `off` for none.
    pub addr: Option<std::net::SocketAddr>,
    /// `METRICS_TOKEN`: when set, `/metrics` is also served on the public port
    /// to requests bearing it (`Authorization: Bearer …`); never without it.
    pub token: Option<SecretString>,
}

#[derive(Debug, Clone)]
pub struct StripeConfig {
    pub secret_key: SecretString,
    /// Every secret a webhook may be signed with: one, or two while the endpoint's
    /// secret is being rolled (Stripe then signs with both).
    pub webhook_secrets: Vec<SecretString>,
    /// Stripe's API, or the local emulator's (`http://127.0.0.1:12111/`).
    pub api_base: Option<String>,
}

/// `STRIPE_WEBHOOK_SECRET`: one `whsec_...` secret, or two separated by a comma
/// while Stripe rolls the endpoint's secret. Never defaulted: without one no
/// webhook could be trusted.
fn webhook_secrets(raw: Option<String>) -> Result<Vec<SecretString>, ConfigError> {
    let secrets: Vec<SecretString> = raw
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| SecretString::from(s.to_string()))
        .collect();
    if secrets.is_empty() {
        return Err(ConfigError::Invalid {
            name: "STRIPE_WEBHOOK_SECRET",
            reason: "must be set when STRIPE_SECRET_KEY is (the whsec_... secret of your endpoint)"
                .into(),
        });
    }
    Ok(secrets)
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{name} is not valid: {reason}")]
    Invalid { name: &'static str, reason: String },
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads configuration through `lookup`, so tests need not touch the process environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let env = Env(&lookup);
        let app_base_url = env
            .get("APP_BASE_URL", "http://127.0.0.1:3000")
            .trim_end_matches('/')
            .to_string();
        if !(app_base_url.starts_with("http://") || app_base_url.starts_with("https://")) {
            return Err(ConfigError::Invalid {
                name: "APP_BASE_URL",
                reason: "must start with http:// or https://".into(),
            });
        }
        let (app_secret, app_secret_generated) = match env.set("APP_SECRET") {
            Some(secret) => (secret.into(), false),
            None => (uuid::Uuid::new_v4().simple().to_string().into(), true),
        };
        Ok(Self {
            reservation_timeout: env.hold("RESERVATION_TIMEOUT_SECS")?,
            database_url: env.get("DATABASE_URL", DEFAULT_DATABASE_URL).into(),
            database_max_connections: env.number("DATABASE_MAX_CONNECTIONS", "20")? as u32,
            database_replica_url: env.set("DATABASE_REPLICA_URL").map(Into::into),
            database_replica_max_lag: env
                .secs("DATABASE_REPLICA_MAX_LAG_SECS", "2")?
                .max(Duration::from_secs(1)),
            database_listen_url: env.set("DATABASE_LISTEN_URL").map(Into::into),
            migrate_on_serve: env.flag("MIGRATE_ON_SERVE", true)?,
            valkey_url: env.get("VALKEY_URL", DEFAULT_VALKEY_URL).into(),
            valkey_prefix: {
                let prefix = env.get("VALKEY_PREFIX", "ts:");
                // A brace would make the prefix the hash tag of every key (one slot for all on a cluster).
                if prefix.contains(['{', '}']) {
                    return Err(ConfigError::Invalid {
                        name: "VALKEY_PREFIX",
                        reason: "must not contain { or }".into(),
                    });
                }
                prefix
            },
            app_secret,
            app_secret_generated,
            app_base_url,
            session_idle_timeout: env.secs("SESSION_IDLE_TIMEOUT_SECS", "259200")?,
            client_ip_source: client_ip_source(
                lookup("CLIENT_IP_SOURCE"),
                lookup("TRUST_FORWARDED_FOR"),
            )?,
            waiting_list_offer: env.hold("WAITING_LIST_OFFER_SECS")?,
            sweeper_interval: env
                .secs("SWEEPER_INTERVAL_SECS", "15")?
                .max(Duration::from_secs(1)),
            catalogue_fresh: Duration::from_millis(
                env.number("CATALOGUE_FRESH_MS", "1000")?.min(10_000),
            ),
            cover_store_url: env.set("COVER_STORE_URL").unwrap_or_else(|| {
                format!(
                    "file://{}",
                    std::env::current_dir()
                        .unwrap_or_default()
                        .join(".data/covers")
                        .display()
                )
            }),
            stripe: StripeConfig::read(&env)?,
            mail: MailConfig::read(&env)?,
            queue: QueueConfig::read(&env)?,
            limits: LimitsConfig::read(&env)?,
            metrics: MetricsConfig::read(&env)?,
        })
    }

    /// Cookies get the `Secure` flag when the shop is served over https.
    pub fn is_https(&self) -> bool {
        self.app_base_url.starts_with("https://")
    }
}

/// Reads one variable at a time, naming it in any error.
struct Env<'a, F>(&'a F);

impl<F: Fn(&str) -> Option<String>> Env<'_, F> {
    /// Set and not blank.
    fn set(&self, name: &str) -> Option<String> {
        (self.0)(name).filter(|v| !v.trim().is_empty())
    }

    fn get(&self, name: &str, default: &str) -> String {
        self.set(name).unwrap_or_else(|| default.to_string())
    }

    fn number(&self, name: &'static str, default: &str) -> Result<u64, ConfigError> {
        parse_number(name, &self.get(name, default))
    }

    fn secs(&self, name: &'static str, default: &str) -> Result<Duration, ConfigError> {
        Ok(Duration::from_secs(self.number(name, default)?))
    }

    /// A hold of seats (30 minutes by default): the shop's own timer may be
    /// shorter than Stripe's 30-minute minimum session lifetime (the sweeper
    /// expires the session itself), but a session cannot outlive 24 hours, so
    /// neither may a hold.
    fn hold(&self, name: &'static str) -> Result<Duration, ConfigError> {
        let secs = self.number(name, "1800")?;
        if !(60..=MAX_HOLD_SECS).contains(&secs) {
            return Err(ConfigError::Invalid {
                name,
                reason: format!("must be between 60 seconds and {MAX_HOLD_SECS} (23 hours)"),
            });
        }
        Ok(Duration::from_secs(secs))
    }

    fn flag(&self, name: &'static str, default: bool) -> Result<bool, ConfigError> {
        match self.set(name).as_deref().map(str::trim) {
            None => Ok(default),
            Some("true" | "1") => Ok(true),
            Some("false" | "0") => Ok(false),
            Some(other) => Err(ConfigError::Invalid {
                name,
                reason: format!("expected true or false, got {other:?}"),
            }),
        }
    }
}

impl StripeConfig {
    fn read<F: Fn(&str) -> Option<String>>(env: &Env<'_, F>) -> Result<Option<Self>, ConfigError> {
        let Some(secret_key) = env.set("STRIPE_SECRET_KEY") else {
            return Ok(None);
        };
        Ok(Some(Self {
            secret_key: secret_key.into(),
            // Never defaulted: without it no webhook could be trusted.
            webhook_secrets: webhook_secrets(env.set("STRIPE_WEBHOOK_SECRET"))?,
            api_base: env.set("STRIPE_API_BASE").map(|base| {
                if base.ends_with('/') {
                    base
                } else {
                    format!("{base}/")
                }
            }),
        }))
    }
}

impl MailConfig {
    fn read<F: Fn(&str) -> Option<String>>(env: &Env<'_, F>) -> Result<Self, ConfigError> {
        let from: lettre::message::Mailbox = env
            .get("MAIL_FROM", "Ticket Sales <tickets@localhost>")
            .parse()
            .map_err(|err| ConfigError::Invalid {
                name: "MAIL_FROM",
                reason: format!("not a mailbox like `Ticket Sales <tickets@shop.example>` ({err})"),
            })?;
        let smtp_url = env.set("SMTP_URL");
        if let Some(url) = &smtp_url
            && let Err(err) = lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::from_url(url)
        {
            return Err(ConfigError::Invalid {
                name: "SMTP_URL",
                reason: format!("expected smtp://, smtps:// or smtp://...?tls=required ({err})"),
            });
        }
        Ok(Self {
            support_email: env.get("SUPPORT_EMAIL", from.email.as_ref()),
            from,
            smtp_url: smtp_url.map(Into::into),
            poll_interval: env
                .secs("MAIL_POLL_INTERVAL_SECS", "2")?
                .max(Duration::from_secs(1)),
            lease: env
                .secs("MAIL_LEASE_SECS", "120")?
                .max(Duration::from_secs(1)),
            limit_per_address_per_hour: env.number("MAIL_RATE_LIMIT_PER_ADDRESS_PER_HOUR", "5")?,
        })
    }
}

impl LimitsConfig {
    fn read<F: Fn(&str) -> Option<String>>(env: &Env<'_, F>) -> Result<Self, ConfigError> {
        Ok(Self {
            auth_per_ip: env.number("AUTH_RATE_LIMIT_PER_IP", "30")?,
            auth_per_account: env.number("AUTH_RATE_LIMIT_PER_ACCOUNT", "10")?,
            auth_per_account_global: env.number("AUTH_RATE_LIMIT_PER_ACCOUNT_GLOBAL", "100")?,
            auth_window: env.secs("AUTH_RATE_LIMIT_WINDOW_SECS", "600")?,
            checkout_per_minute: env.number("CHECKOUT_RATE_LIMIT_PER_MINUTE", "10")?,
            checkout_per_ip_per_minute: env
                .number("CHECKOUT_RATE_LIMIT_PER_IP_PER_MINUTE", "30")?,
            cart_per_ip_per_minute: env.number("CART_RATE_LIMIT_PER_IP_PER_MINUTE", "120")?,
        })
    }

    fn per_auth_window(&self, max: u64) -> Limit {
        Limit {
            max,
            window_secs: self.auth_window.as_secs(),
        }
    }

    pub fn auth_ip(&self) -> Limit {
        self.per_auth_window(self.auth_per_ip)
    }

    pub fn auth_account(&self) -> Limit {
        self.per_auth_window(self.auth_per_account)
    }

    pub fn auth_account_global(&self) -> Limit {
        self.per_auth_window(self.auth_per_account_global)
    }
}

impl MetricsConfig {
    fn read<F: Fn(&str) -> Option<String>>(env: &Env<'_, F>) -> Result<Self, ConfigError> {
        Ok(Self {
            // Every hit reads PostgreSQL and Valkey: loopback unless asked otherwise.
            addr: match env.get("METRICS_ADDR", DEFAULT_METRICS_ADDR).trim() {
                "off" => None,
                addr => Some(addr.parse().map_err(|_| ConfigError::Invalid {
                    name: "METRICS_ADDR",
                    reason: format!(
                        "expected an address such as 0.0.0.0:9100, or off, got {addr:?}"
                    ),
                })?),
            },
            token: match env.set("METRICS_TOKEN") {
                Some(token) if token.trim().len() < 16 => {
                    return Err(ConfigError::Invalid {
                        name: "METRICS_TOKEN",
                        reason: "use at least 16 characters".into(),
                    });
                }
                token => token.map(|t| SecretString::from(t.trim().to_string())),
            },
        })
    }
}

/// `CLIENT_IP_SOURCE`, one of axum-client-ip's sources (default `ConnectInfo`,
/// the TCP peer). The old `TRUST_FORWARDED_FOR` trusted the leftmost
/// `X-Forwarded-For` entry, which the client writes itself: it is refused.
fn client_ip_source(
    raw: Option<String>,
    old: Option<String>,
) -> Result<axum_client_ip::ClientIpSource, ConfigError> {
    if old.is_some_and(|v| v.trim() == "true") {
        return Err(ConfigError::Invalid {
            name: "TRUST_FORWARDED_FOR",
            reason: "was replaced by CLIENT_IP_SOURCE (e.g. RightmostXForwardedFor behind one proxy that appends to X-Forwarded-For, or XRealIp)".into(),
        });
    }
    let raw = raw
        .filter(|v| !v.trim().is_empty())
        .unwrap_or_else(|| "ConnectInfo".into());
    raw.trim().parse().map_err(|_| ConfigError::Invalid {
        name: "CLIENT_IP_SOURCE",
        reason: format!(
            "{raw:?} is not one of ConnectInfo, RightmostXForwardedFor, XRealIp, CfConnectingIp, TrueClientIp, FlyClientIp, CloudFrontViewerAddress, XEnvoyExternalAddress"
        ),
    })
}

fn parse_number(name: &'static str, value: &str) -> Result<u64, ConfigError> {
    value.trim().parse().map_err(|_| ConfigError::Invalid {
        name,
        reason: format!("expected a whole number, got {value:?}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|name| map.get(name).cloned())
    }

    #[test]
    fn defaults_work_on_a_fresh_machine() {
        let config = config(&[]).unwrap();
        assert_eq!(config.database_url.expose_secret(), DEFAULT_DATABASE_URL);
        assert_eq!(config.reservation_timeout, Duration::from_secs(1800));
        assert!(!config.is_https());
        // Metrics read PostgreSQL and Valkey on every hit: loopback only, no token.
        assert_eq!(
            config.metrics.addr,
            Some(DEFAULT_METRICS_ADDR.parse().unwrap())
        );
        assert!(config.metrics.addr.unwrap().ip().is_loopback());
        assert!(config.metrics.token.is_none());
        assert_eq!(config_metrics_off().metrics.addr, None);
        assert!(
            super::Config::from_lookup(|n| (n == "METRICS_TOKEN").then(|| "short".into())).is_err()
        );
    }

    fn config_metrics_off() -> Config {
        config(&[("METRICS_ADDR", "off")]).unwrap()
    }

    #[test]
    fn debug_output_hides_secrets() {
        let config = config(&[("DATABASE_URL", "postgres://u:hunter2@db/x")]).unwrap();
        assert!(!format!("{config:?}").contains("hunter2"));
    }

    #[test]
    fn a_stripe_key_needs_a_webhook_secret() {
        assert!(config(&[]).unwrap().stripe.is_none());
        let err = config(&[("STRIPE_SECRET_KEY", "sk_test_x")]).unwrap_err();
        assert!(err.to_string().contains("STRIPE_WEBHOOK_SECRET"));
        let stripe = config(&[
            ("STRIPE_SECRET_KEY", "sk_test_x"),
            ("STRIPE_WEBHOOK_SECRET", "whsec_y"),
            ("STRIPE_API_BASE", "http://127.0.0.1:12111"),
        ])
        .unwrap()
        .stripe
        .unwrap();
        assert_eq!(stripe.api_base.as_deref(), Some("http://127.0.0.1:12111/"));
        assert!(!format!("{stripe:?}").contains("sk_test_x"));
        assert_eq!(stripe.webhook_secrets.len(), 1);
    }

    #[test]
    fn two_webhook_secrets_during_a_rotation() {
        let stripe = config(&[
            ("STRIPE_SECRET_KEY", "sk_test_x"),
            ("STRIPE_WEBHOOK_SECRET", "whsec_old, whsec_new"),
        ])
        .unwrap()
        .stripe
        .unwrap();
        let secrets: Vec<&str> = stripe
            .webhook_secrets
            .iter()
            .map(|s| s.expose_secret())
            .collect();
        assert_eq!(secrets, ["whsec_old", "whsec_new"]);
        let err = config(&[
            ("STRIPE_SECRET_KEY", "sk_test_x"),
            ("STRIPE_WEBHOOK_SECRET", " , "),
        ])
        .unwrap_err();
        assert!(err.to_string().contains("STRIPE_WEBHOOK_SECRET"));
    }

    #[test]
    fn rejects_bad_values_with_the_variable_name() {
        let err = config(&[("RESERVATION_TIMEOUT_SECS", "soon")]).unwrap_err();
        assert!(err.to_string().contains("RESERVATION_TIMEOUT_SECS"));
        assert!(config(&[("RESERVATION_TIMEOUT_SECS", "90000")]).is_err());
        assert!(config(&[("RESERVATION_TIMEOUT_SECS", "600")]).is_ok());
        let err = config(&[("APP_BASE_URL", "shop.example")]).unwrap_err();
        assert!(err.to_string().contains("APP_BASE_URL"));
        let err = config(&[("CLIENT_IP_SOURCE", "LeftmostXForwardedFor")]).unwrap_err();
        assert!(err.to_string().contains("CLIENT_IP_SOURCE"));
        let err = config(&[("MAIL_FROM", "not an address")]).unwrap_err();
        assert!(err.to_string().contains("MAIL_FROM"));
        let err = config(&[("SMTP_URL", "http://mail.example")]).unwrap_err();
        assert!(err.to_string().contains("SMTP_URL"));
        let mail = config(&[("SMTP_URL", "smtp://u:p@mail.example:587?tls=required")]).unwrap();
        assert!(!format!("{mail:?}").contains("u:p@"));
        assert_eq!(mail.mail.support_email, "tickets@localhost");
        let err = config(&[("TRUST_FORWARDED_FOR", "true")]).unwrap_err();
        assert!(err.to_string().contains("CLIENT_IP_SOURCE"));
        assert_eq!(
            config(&[("CLIENT_IP_SOURCE", "RightmostXForwardedFor")])
                .unwrap()
                .client_ip_source
                .to_string(),
            "RightmostXForwardedFor"
        );
    }
}
