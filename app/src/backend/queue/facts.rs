//! What the queue knows without the database (when the sale opens, whether
//! it sold out, what the holding page names), copied into Valkey by the
//! sweeper (and by the editor when the organizer saves) and read with the
//! queue's progress.

use fred::interfaces::{HashesInterface, KeysInterface, SetsInterface, SortedSetsInterface};
use uuid::Uuid;

use super::{KEEP_SECS, active_key, key, retire};

use crate::backend::error::BackendResult;
use crate::backend::valkey::Valkey;
use crate::backend::zones::venue_time;
use crate::i18n::Locale;
use crate::model::VenueTime;

/// What the queue needs to know about the event, from the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueFacts {
    pub opens_ms: i64,
    pub sold_out: bool,
    /// The event's title, for the holding page.
    pub title: String,
    /// Its title in other languages, for visitors reading one of them.
    pub translated_titles: Vec<(Locale, String)>,
    /// When the sale opens on the venue's clock (the holding page writes it
    /// in each visitor's language).
    pub opens_at: VenueTime,
    /// The end of a presale for code holders (Unix ms): the general sale's
    /// draw. `None`: no presale.
    pub general_ms: Option<i64>,
    /// How hard the browser check is.
    pub check: crate::model::QueueCheck,
    /// Visitors let through a minute (`None`: `QUEUE_ADMIT_PER_SEC`).
    pub admit_per_minute: Option<i32>,
}

/// What the holding page names: the event and its opening.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct QueueSign {
    pub title: String,
    pub opens_at: Option<VenueTime>,
}

/// How a venue's wall clock is kept in Valkey.
const LOCAL_FORMAT: &str = "%Y-%m-%dT%H:%M:%S";

/// Writes what the queue knows about the event (the sweeper and the first
/// visitor do; a poll only reads it).
pub async fn set_facts(valkey: &Valkey, event: Uuid, facts: &QueueFacts) -> BackendResult<()> {
    let meta = key(valkey, event, "m");
    let pool = valkey.pool().next();
    let mut fields = vec![
        ("opens".to_string(), facts.opens_ms.to_string()),
        (
            "sold_out".to_string(),
            if facts.sold_out { "1" } else { "0" }.to_string(),
        ),
        ("title".to_string(), facts.title.clone()),
        (
            "opens_local".to_string(),
            facts.opens_at.local.format(LOCAL_FORMAT).to_string(),
        ),
        ("opens_zone".to_string(), facts.opens_at.zone.clone()),
        (
            "general".to_string(),
            facts.general_ms.unwrap_or(0).to_string(),
        ),
        ("check".to_string(), facts.check.as_str().to_string()),
        // Empty: the shop's rate.
        (
            "rate".to_string(),
            facts
                .admit_per_minute
                .map(|per_minute| (f64::from(per_minute) / 60.0).to_string())
                .unwrap_or_default(),
        ),
    ];
    // Every language's field is written, so a translation removed is gone.
    for locale in Locale::ALL {
        let translated = facts
            .translated_titles
            .iter()
            .find(|(l, _)| *l == locale)
            .map(|(_, title)| title.clone())
            .unwrap_or_default();
        fields.push((title_field(locale), translated));
    }
    let _: () = pool.hset(&meta, fields).await?;
    let _: () = pool.expire(&meta, KEEP_SECS, None).await?;
    let _: () = pool.sadd(active_key(valkey), event.to_string()).await?;
    Ok(())
}

/// Whether the queue already knows the event's facts.
pub async fn has_facts(valkey: &Valkey, event: Uuid) -> BackendResult<bool> {
    let known: bool = valkey
        .pool()
        .next()
        .hexists(key(valkey, event, "m"), "opens")
        .await?;
    Ok(known)
}

/// The hash field of the event's title in `locale`.
fn title_field(locale: Locale) -> String {
    format!("title:{}", locale.tag())
}

impl super::Progress {
    /// The event (its title in `locale` where the organizer gave one) and
    /// opening the holding page names (empty before the facts are known).
    pub fn sign(&self, locale: Locale) -> QueueSign {
        let opens_at = (!self.opens_zone.is_empty()).then(|| VenueTime {
            utc: chrono::DateTime::from_timestamp_millis(self.opens_ms).unwrap_or_default(),
            local: chrono::NaiveDateTime::parse_from_str(&self.opens_local, LOCAL_FORMAT)
                .unwrap_or_default(),
            zone: self.opens_zone.clone(),
        });
        QueueSign {
            title: self.title_in(locale).to_string(),
            opens_at,
        }
    }
}

/// Events whose queue has facts to keep fresh.
pub async fn active_events(valkey: &Valkey) -> BackendResult<Vec<Uuid>> {
    let ids: Vec<String> = valkey.pool().next().smembers(active_key(valkey)).await?;
    Ok(ids
        .iter()
        .filter_map(|id| Uuid::try_parse(id).ok())
        .collect())
}

/// Per live queue: visitors waiting, and numbers let through so far (for the metrics).
pub async fn lengths(valkey: &Valkey) -> BackendResult<Vec<(Uuid, u64, u64)>> {
    let pool = valkey.pool().next();
    let mut out = Vec::new();
    for event in active_events(valkey).await? {
        let (seq, to, drawn): (Option<u64>, Option<u64>, Option<String>) = pool
            .hmget(key(valkey, event, "m"), vec!["seq", "admitted_to", "drawn"])
            .await?;
        let (seq, to) = (seq.unwrap_or(0), to.unwrap_or(0));
        let waiting = if drawn.as_deref() == Some("1") {
            seq.saturating_sub(to)
        } else {
            pool.zcard(key(valkey, event, "w")).await?
        };
        out.push((event, waiting, to));
    }
    Ok(out)
}

/// What the queue of `event` needs to know, from the database: when its sale
/// opens, and whether anything is left. `None` once it no longer sells.
pub async fn facts(db: &sqlx::PgPool, event: Uuid) -> BackendResult<Option<QueueFacts>> {
    let row = sqlx::query!(
        r#"SELECT e.title, e.time_zone, e.presale_ends_at, e.queue_check AS "check: crate::model::QueueCheck", e.queue_admit_per_minute,
                  min(t.sale_starts_at) AS "opens!",
                  bool_or(tickets_left(t, e) > 0) AS "left!"
           FROM events e JOIN ticket_types t ON t.event_id = e.id
           WHERE e.id = $1 AND e.status = 'published' AND e.ends_at > now()
           GROUP BY e.id"#,
        event
    )
    .fetch_optional(db)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let translated_titles = crate::backend::db::events::translations(db, event)
        .await?
        .into_iter()
        .map(|t| (t.locale, t.title))
        .collect();
    Ok(Some(QueueFacts {
        // A presale that ends before the sale opens is none.
        general_ms: row
            .presale_ends_at
            .filter(|end| *end > row.opens)
            .map(|end| end.timestamp_millis()),
        opens_ms: row.opens.timestamp_millis(),
        sold_out: !row.left,
        check: row.check,
        admit_per_minute: row.queue_admit_per_minute,
        opens_at: venue_time(row.opens, &row.time_zone),
        title: row.title,
        translated_titles,
    }))
}

/// One queue's facts, fresh from the database.
pub async fn refresh_one(db: &sqlx::PgPool, valkey: &Valkey, event: Uuid) -> BackendResult<()> {
    match facts(db, event).await? {
        Some(facts) => set_facts(valkey, event, &facts).await,
        None => retire(valkey, event).await,
    }
}

/// After the organizer saved the event: a live queue's facts at once (its
/// holding page names the new opening and waits for it), not at the next
/// sweep. A failure only delays that until the sweep, so it is logged, not raised.
pub async fn refresh_if_live(db: &sqlx::PgPool, valkey: &Valkey, event: Uuid) {
    let refreshed = async {
        if has_facts(valkey, event).await? {
            refresh_one(db, valkey, event).await?;
        }
        Ok::<_, crate::backend::error::BackendError>(())
    };
    if let Err(err) = refreshed.await {
        tracing::warn!(%event, error = %err, "queue facts not refreshed after a save");
    }
}

/// The sweeper's part: every live queue's facts, fresh from the database.
pub async fn refresh(db: &sqlx::PgPool, valkey: &Valkey) -> BackendResult<()> {
    for event in active_events(valkey).await? {
        refresh_one(db, valkey, event).await?;
    }
    Ok(())
}
