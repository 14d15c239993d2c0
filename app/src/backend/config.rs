//! Configuration from the environment, with defaults that work on a fresh machine
//! (`make run` starts PostgreSQL and Valkey on these ports).

use std::time::Duration;

use secrecy::SecretString;

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
#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: SecretString,
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
    /// How long a checkout holds seats before the sweeper releases them.
    pub reservation_timeout: Duration,
    pub database_max_connections: u32,
    /// A session expires after this long without a request.
    pub session_idle_timeout: Duration,
    /// Where the client's address comes from: the TCP peer (`ConnectInfo`), or
    /// what the load balancer in front says (`RightmostXForwardedFor`, `XRealIp`,
    /// `CfConnectingIp`, ...). Rate limits key on it.
    pub client_ip_source: axum_client_ip::ClientIpSource,
    /// Failed sign-ins per client address, and sign-ups and password changes per
    /// client address, per window.
    pub auth_limit_per_ip: u64,
    /// Failed sign-ins per (account, client address); sign-ups per email and
    /// password changes per account.
    pub auth_limit_per_account: u64,
    /// Failed sign-ins per account from all addresses together: a high ceiling
    /// against guessing spread over many addresses.
    pub auth_limit_per_account_global: u64,
    pub auth_limit_window: Duration,
    /// Stripe: `None` without a secret key, and checkout then says payments are off.
    pub stripe: Option<StripeConfig>,
    /// Checkouts a buyer may start per minute.
    pub checkout_limit_per_minute: u64,
    /// Checkouts started per minute from one client address (all its buyers).
    pub checkout_limit_per_ip_per_minute: u64,
    /// Cart changes per minute from one client address (guests included).
    pub cart_limit_per_ip_per_minute: u64,
    /// How often the sweeper looks for holds that ran out.
    pub sweeper_interval: Duration,
    /// Where event covers are kept: `file:///path` (default: `.data/covers`
    /// under the working directory) or `s3://bucket/prefix`.
    pub cover_store_url: String,
    /// Where mail is sent: `smtp://user:pass@host:587?tls=required` (STARTTLS),
    /// `smtps://user:pass@host:465` (TLS), or plain `smtp://127.0.0.1:1025` for a
    /// local catcher. Without it messages wait in the outbox until one is set.
    pub smtp_url: Option<SecretString>,
    /// The sender of every message, e.g. `Ticket Sales <tickets@shop.example>`.
    pub mail_from: lettre::message::Mailbox,
    /// Where buyers are told to write for help (default: the sender's address).
    pub support_email: String,
    /// How often the mail worker looks for due messages.
    pub mail_poll_interval: Duration,
    /// Links (verification, reset, address change) mailed to one address per hour.
    pub mail_limit_per_address_per_hour: u64,
    /// How long a worker's claim on a message lasts: after a crash, another
    /// instance sends it once this is over. Longer than an SMTP conversation
    /// may take (30 s), or a slow send could be sent twice.
    pub mail_lease: Duration,
    /// The waiting room: visitors let through to checkout per second, per event
    /// (a fraction lets one through every few seconds).
    pub queue_admit_per_sec: f64,
    /// How long an admission lasts (the admitted visitor's time to check out).
    pub queue_admission: Duration,
    /// Places one client address may hold in one event's queue (an office or a
    /// family shares an address; a bot farm's addresses cost it each).
    pub queue_places_per_address: u64,
    /// Arrivals per second at an event's page that turn its queue on by itself
    /// for 15 minutes (0: only the organizer's switch turns it on).
    pub queue_auto_arrivals_per_sec: u64,
    /// How long the shared catalogue page is served from an instance's copy
    /// (`backend::fresh`); zero asks the database every time.
    pub catalogue_fresh: Duration,
    /// How long the seats offered to the next buyer on a waiting list are held.
    pub waiting_list_offer: Duration,
    /// `METRICS_ADDR` (127.0.0.1:9100): Prometheus metrics on a port of their
    /// own, kept off the public one; `off` for none.
    pub metrics_addr: Option<std::net::SocketAddr>,
    /// `METRICS_TOKEN`: when set, `/metrics` is also served on the public port
    /// to requests bearing it (`Authorization: Bearer …`); never without it.
    pub metrics_token: Option<SecretString>,
    /// `MIGRATE_ON_SERVE` (true): `serve` applies pending migrations first. Set
    /// false where a separate job migrates (Kubernetes, or behind PgBouncer,
    /// which migrations must not go through).
    pub migrate_on_serve: bool,
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
        let get = |name: &str, default: &str| {
            lookup(name)
                .filter(|v| !v.trim().is_empty())
                .unwrap_or_else(|| default.to_string())
        };
        let reservation_secs = parse_number(
            "RESERVATION_TIMEOUT_SECS",
            &get("RESERVATION_TIMEOUT_SECS", "1800"),
        )?;
        // The hold is the shop's own timer: shorter than Stripe's 30-minute minimum
        // session lifetime is fine (the sweeper expires the session itself), but a
        // session cannot outlive 24 hours, so neither may a hold.
        if !(60..=MAX_HOLD_SECS).contains(&reservation_secs) {
            return Err(ConfigError::Invalid {
                name: "RESERVATION_TIMEOUT_SECS",
                reason: format!("must be between 60 seconds and {MAX_HOLD_SECS} (23 hours)"),
            });
        }
        let app_base_url = get("APP_BASE_URL", "http://127.0.0.1:3000")
            .trim_end_matches('/')
            .to_string();
        if !(app_base_url.starts_with("http://") || app_base_url.starts_with("https://")) {
            return Err(ConfigError::Invalid {
                name: "APP_BASE_URL",
                reason: "must start with http:// or https://".into(),
            });
        }
        let stripe = match lookup("STRIPE_SECRET_KEY").filter(|v| !v.trim().is_empty()) {
            None => None,
            Some(secret_key) => Some(StripeConfig {
                secret_key: secret_key.into(),
                // Never defaulted: without it no webhook could be trusted.
                webhook_secrets: webhook_secrets(lookup("STRIPE_WEBHOOK_SECRET"))?,
                api_base: lookup("STRIPE_API_BASE")
                    .filter(|v| !v.trim().is_empty())
                    .map(|base| {
                        if base.ends_with('/') {
                            base
                        } else {
                            format!("{base}/")
                        }
                    }),
            }),
        };
        let (app_secret, app_secret_generated) =
            match lookup("APP_SECRET").filter(|v| !v.trim().is_empty()) {
                Some(secret) => (secret.into(), false),
                None => (uuid::Uuid::new_v4().simple().to_string().into(), true),
            };
        let mail_from: lettre::message::Mailbox =
            get("MAIL_FROM", "Ticket Sales <tickets@localhost>")
                .parse()
                .map_err(|err| ConfigError::Invalid {
                    name: "MAIL_FROM",
                    reason: format!(
                        "not a mailbox like `Ticket Sales <tickets@shop.example>` ({err})"
                    ),
                })?;
        let smtp_url = lookup("SMTP_URL").filter(|v| !v.trim().is_empty());
        if let Some(url) = &smtp_url
            && let Err(err) = lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::from_url(url)
        {
            return Err(ConfigError::Invalid {
                name: "SMTP_URL",
                reason: format!("expected smtp://, smtps:// or smtp://...?tls=required ({err})"),
            });
        }
        let waiting_list_offer_secs = parse_number(
            "WAITING_LIST_OFFER_SECS",
            &get("WAITING_LIST_OFFER_SECS", "1800"),
        )?;
        if !(60..=MAX_HOLD_SECS).contains(&waiting_list_offer_secs) {
            return Err(ConfigError::Invalid {
                name: "WAITING_LIST_OFFER_SECS",
                reason: format!("must be between 60 seconds and {MAX_HOLD_SECS} (23 hours)"),
            });
        }
        Ok(Self {
            queue_admit_per_sec: match get("QUEUE_ADMIT_PER_SEC", "10").trim().parse::<f64>() {
                Ok(rate) if (0.01..=100_000.0).contains(&rate) => rate,
                _ => {
                    return Err(ConfigError::Invalid {
                        name: "QUEUE_ADMIT_PER_SEC",
                        reason: "must be a number from 0.01 to 100000".into(),
                    });
                }
            },
            queue_admission: Duration::from_secs(
                parse_number("QUEUE_ADMISSION_SECS", &get("QUEUE_ADMISSION_SECS", "600"))?
                    .clamp(30, 86_400),
            ),
            queue_places_per_address: parse_number(
                "QUEUE_PLACES_PER_ADDRESS",
                &get("QUEUE_PLACES_PER_ADDRESS", "2"),
            )?
            .clamp(1, 1_000_000),
            queue_auto_arrivals_per_sec: parse_number(
                "QUEUE_AUTO_ARRIVALS_PER_SEC",
                &get("QUEUE_AUTO_ARRIVALS_PER_SEC", "0"),
            )?,
            waiting_list_offer: Duration::from_secs(waiting_list_offer_secs),
            catalogue_fresh: Duration::from_millis(
                parse_number("CATALOGUE_FRESH_MS", &get("CATALOGUE_FRESH_MS", "1000"))?.min(10_000),
            ),
            // Every hit reads PostgreSQL and Valkey: loopback unless asked otherwise.
            metrics_addr: match get("METRICS_ADDR", DEFAULT_METRICS_ADDR).trim() {
                "off" => None,
                addr => Some(addr.parse().map_err(|_| ConfigError::Invalid {
                    name: "METRICS_ADDR",
                    reason: format!(
                        "expected an address such as 0.0.0.0:9100, or off, got {addr:?}"
                    ),
                })?),
            },
            metrics_token: match lookup("METRICS_TOKEN").filter(|v| !v.trim().is_empty()) {
                Some(token) if token.trim().len() < 16 => {
                    return Err(ConfigError::Invalid {
                        name: "METRICS_TOKEN",
                        reason: "use at least 16 characters".into(),
                    });
                }
                token => token.map(|t| SecretString::from(t.trim().to_string())),
            },
            migrate_on_serve: match get("MIGRATE_ON_SERVE", "true").trim() {
                "true" | "1" => true,
                "false" | "0" => false,
                other => {
                    return Err(ConfigError::Invalid {
                        name: "MIGRATE_ON_SERVE",
                        reason: format!("expected true or false, got {other:?}"),
                    });
                }
            },
            support_email: get("SUPPORT_EMAIL", mail_from.email.as_ref()),
            mail_from,
            smtp_url: smtp_url.map(Into::into),
            mail_poll_interval: Duration::from_secs(
                parse_number(
                    "MAIL_POLL_INTERVAL_SECS",
                    &get("MAIL_POLL_INTERVAL_SECS", "2"),
                )?
                .max(1),
            ),
            mail_lease: Duration::from_secs(
                parse_number("MAIL_LEASE_SECS", &get("MAIL_LEASE_SECS", "120"))?.max(1),
            ),
            mail_limit_per_address_per_hour: parse_number(
                "MAIL_RATE_LIMIT_PER_ADDRESS_PER_HOUR",
                &get("MAIL_RATE_LIMIT_PER_ADDRESS_PER_HOUR", "5"),
            )?,
            app_secret,
            app_secret_generated,
            stripe,
            cart_limit_per_ip_per_minute: parse_number(
                "CART_RATE_LIMIT_PER_IP_PER_MINUTE",
                &get("CART_RATE_LIMIT_PER_IP_PER_MINUTE", "120"),
            )?,
            checkout_limit_per_ip_per_minute: parse_number(
                "CHECKOUT_RATE_LIMIT_PER_IP_PER_MINUTE",
                &get("CHECKOUT_RATE_LIMIT_PER_IP_PER_MINUTE", "30"),
            )?,
            checkout_limit_per_minute: parse_number(
                "CHECKOUT_RATE_LIMIT_PER_MINUTE",
                &get("CHECKOUT_RATE_LIMIT_PER_MINUTE", "10"),
            )?,
            sweeper_interval: Duration::from_secs(
                parse_number("SWEEPER_INTERVAL_SECS", &get("SWEEPER_INTERVAL_SECS", "15"))?.max(1),
            ),
            database_url: get("DATABASE_URL", DEFAULT_DATABASE_URL).into(),
            valkey_url: get("VALKEY_URL", DEFAULT_VALKEY_URL).into(),
            valkey_prefix: get("VALKEY_PREFIX", "ts:"),
            app_base_url,
            cover_store_url: match lookup("COVER_STORE_URL").filter(|v| !v.trim().is_empty()) {
                Some(url) => url,
                None => format!(
                    "file://{}",
                    std::env::current_dir()
                        .unwrap_or_default()
                        .join(".data/covers")
                        .display()
                ),
            },
            reservation_timeout: Duration::from_secs(reservation_secs),
            database_max_connections: parse_number(
                "DATABASE_MAX_CONNECTIONS",
                &get("DATABASE_MAX_CONNECTIONS", "20"),
            )? as u32,
            session_idle_timeout: Duration::from_secs(parse_number(
                "SESSION_IDLE_TIMEOUT_SECS",
                &get("SESSION_IDLE_TIMEOUT_SECS", "259200"),
            )?),
            client_ip_source: client_ip_source(
                lookup("CLIENT_IP_SOURCE"),
                lookup("TRUST_FORWARDED_FOR"),
            )?,
            auth_limit_per_ip: parse_number(
                "AUTH_RATE_LIMIT_PER_IP",
                &get("AUTH_RATE_LIMIT_PER_IP", "30"),
            )?,
            auth_limit_per_account: parse_number(
                "AUTH_RATE_LIMIT_PER_ACCOUNT",
                &get("AUTH_RATE_LIMIT_PER_ACCOUNT", "10"),
            )?,
            auth_limit_per_account_global: parse_number(
                "AUTH_RATE_LIMIT_PER_ACCOUNT_GLOBAL",
                &get("AUTH_RATE_LIMIT_PER_ACCOUNT_GLOBAL", "100"),
            )?,
            auth_limit_window: Duration::from_secs(parse_number(
                "AUTH_RATE_LIMIT_WINDOW_SECS",
                &get("AUTH_RATE_LIMIT_WINDOW_SECS", "600"),
            )?),
        })
    }

    pub fn auth_limit_ip(&self) -> Limit {
        Limit {
            max: self.auth_limit_per_ip,
            window_secs: self.auth_limit_window.as_secs(),
        }
    }

    pub fn auth_limit_account(&self) -> Limit {
        Limit {
            max: self.auth_limit_per_account,
            window_secs: self.auth_limit_window.as_secs(),
        }
    }

    pub fn auth_limit_account_global(&self) -> Limit {
        Limit {
            max: self.auth_limit_per_account_global,
            window_secs: self.auth_limit_window.as_secs(),
        }
    }

    /// Cookies get the `Secure` flag when the shop is served over https.
    pub fn is_https(&self) -> bool {
        self.app_base_url.starts_with("https://")
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
            config.metrics_addr,
            Some(DEFAULT_METRICS_ADDR.parse().unwrap())
        );
        assert!(config.metrics_addr.unwrap().ip().is_loopback());
        assert!(config.metrics_token.is_none());
        assert_eq!(config_metrics_off().metrics_addr, None);
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
        assert_eq!(mail.support_email, "tickets@localhost");
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
