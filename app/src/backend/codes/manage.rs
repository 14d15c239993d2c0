//! Codes as their organizer makes and sees them: the form read into a
//! [`NewCode`] (one code, a pasted list or CSV column, or N random ones) and
//! the event's codes page.

use std::collections::BTreeSet;

use chrono::Datelike;

use sqlx::PgPool;
use uuid::Uuid;

use super::{MAX_BULK, NewCode, create_bulk, insert, invalid, organizers};
use crate::backend::auth::SessionUser;
use crate::backend::error::BackendResult;
use crate::backend::zones::{Tzdb, venue_time};
use crate::error::AppError;
use crate::model::price::Discount;
use crate::model::{
    CODES_SHOWN, Clocks, CodeForm, CodeRow, CodeTypeChoice, Currency, EventCodesView, Money, Role,
    parse_datetime_local,
};

/// What a form made: the new codes, and those typed that the event had
/// already (left as they were).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Made {
    pub codes: Vec<String>,
    pub already: Vec<String>,
}

/// The event's currency and time zone, when `organizer` manages it.
async fn managed(
    db: &PgPool,
    organizer: &SessionUser,
    event: Uuid,
) -> BackendResult<(String, Currency, String)> {
    let row = sqlx::query!(
        r#"SELECT title, currency AS "currency!: Currency", time_zone FROM events
           WHERE id = $1 AND may_manage(organizer_id, $2, $3)"#,
        event,
        organizer.id,
        organizer.role == Role::Admin
    )
    .fetch_optional(db)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok((row.title, row.currency, row.time_zone))
}

/// Makes the codes the form asks for.
pub async fn make(
    db: &PgPool,
    organizer: &SessionUser,
    event: Uuid,
    form: &CodeForm,
) -> BackendResult<Made> {
    let (_, currency, zone) = managed(db, organizer, event).await?;
    let spec = read_spec(form, &currency, &zone)?;
    let typed = read_codes(&form.codes)?;
    if typed.is_empty() {
        let count = read_count(&form.count)?;
        let codes = create_bulk(db, organizer, event, count, &spec).await?;
        return Ok(Made {
            codes,
            already: Vec::new(),
        });
    }
    let made: BTreeSet<String> = insert(db, organizer, event, &typed, &spec)
        .await?
        .into_iter()
        .map(|(_, code)| code)
        .collect();
    let (codes, already) = typed.into_iter().partition(|c| made.contains(c));
    Ok(Made { codes, already })
}

fn read_count(raw: &str) -> Result<u32, AppError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(1);
    }
    raw.parse::<u32>()
        .ok()
        .filter(|n| (1..=MAX_BULK).contains(n))
        .ok_or_else(|| invalid("count", "Make between 1 and 5,000 codes at a time."))
}

/// Codes typed one per line, or pasted from a CSV (its first column; a
/// first line reading `code` is its header), normalized and without repeats.
/// Any line that is not a code refuses the lot, naming it.
pub fn read_codes(raw: &str) -> Result<Vec<String>, AppError> {
    let mut codes: Vec<String> = Vec::new();
    for (n, line) in raw.lines().enumerate() {
        let first = line
            .split([',', ';', '\t'])
            .next()
            .unwrap_or_default()
            .trim()
            .trim_matches('"')
            .trim();
        if first.is_empty() || (n == 0 && first.eq_ignore_ascii_case("code")) {
            continue;
        }
        let code = organizers(first).ok_or_else(|| {
            let shown: String = first.chars().take(40).collect();
            AppError::Invalid {
                field: Some("codes".into()),
                message: format!(
                    "Line {}: “{shown}” is not a code: 6 to 32 letters and digits.",
                    n + 1
                ),
            }
        })?;
        if !codes.contains(&code) {
            codes.push(code);
        }
        if codes.len() > MAX_BULK as usize {
            return Err(invalid("codes", "Import at most 5,000 codes at a time."));
        }
    }
    Ok(codes)
}

fn optional_count(raw: &str, field: &str, message: &str) -> Result<Option<i32>, AppError> {
    AppError::optional_whole(raw, 1..=1_000_000, field, message)
}

fn optional_time(
    raw: &str,
    zone: &str,
    field: &str,
) -> Result<Option<chrono::DateTime<chrono::Utc>>, AppError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let local = parse_datetime_local(raw)
        .filter(|t| (2000..=2200).contains(&t.year()))
        .ok_or_else(|| invalid(field, "Give a date and time, or leave it empty."))?;
    Tzdb.to_utc(zone, local).map(Some).map_err(|_| {
        invalid(
            field,
            "That time does not exist once on the venue's clock (the clocks change then).",
        )
    })
}

/// The form's discount, limits, window and types; what the event's own
/// checks (`codes::check`) then refuse is said there.
pub fn read_spec(form: &CodeForm, currency: &Currency, zone: &str) -> Result<NewCode, AppError> {
    let discount = match form.discount_kind.trim() {
        "" | "none" => Discount::None,
        "percent" => form
            .discount
            .trim()
            .trim_end_matches('%')
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|p| (1..=100).contains(p))
            .map(Discount::Percent)
            .ok_or_else(|| {
                invalid(
                    "discount",
                    "A percentage off must be a whole number from 1 to 100.",
                )
            })?,
        "amount" => Money::parse(&form.discount, currency)
            .ok()
            .filter(|m| m.minor > 0)
            .map(|m| Discount::Fixed(m.minor))
            .ok_or_else(|| invalid("discount", "Give the amount off each ticket, above zero."))?,
        _ => return Err(invalid("discount_kind", "Choose what the code takes off.")),
    };
    Ok(NewCode {
        discount,
        max_uses: optional_count(
            &form.max_uses,
            "max_uses",
            "Give how many tickets in all (1 or more), or leave it empty.",
        )?,
        max_per_buyer: optional_count(
            &form.max_per_buyer,
            "max_per_buyer",
            "Give how many tickets per buyer (1 or more), or leave it empty.",
        )?,
        valid_from: optional_time(&form.valid_from, zone, "valid_from")?,
        valid_until: optional_time(&form.valid_until, zone, "valid_until")?,
        ticket_types: form.types.values().copied().collect(),
        refund_gives_use_back: form.gives_back.is_some(),
    })
}

/// The event's codes page; not found unless `organizer` manages the event.
pub async fn page(
    db: &PgPool,
    organizer: &SessionUser,
    event: Uuid,
) -> BackendResult<EventCodesView> {
    let (title, currency, time_zone) = managed(db, organizer, event).await?;
    let types = sqlx::query_as!(
        CodeTypeChoice,
        "SELECT id, name, hidden FROM ticket_types WHERE event_id = $1 ORDER BY position, created_at, id",
        event
    )
    .fetch_all(db)
    .await?;
    let rows = sqlx::query!(
        r#"SELECT c.id, c.code, c.percent_off, c.amount_off_minor, c.used, c.max_uses,
                  c.max_uses_per_buyer, c.valid_from, c.valid_until,
                  c.disabled_at IS NOT NULL AS "disabled!", c.refund_gives_use_back,
                  array(SELECT t.name FROM event_code_types ct JOIN ticket_types t ON t.id = ct.ticket_type_id
                        WHERE ct.code_id = c.id ORDER BY t.position, t.id) AS "types!"
           FROM event_codes c WHERE c.event_id = $1
           ORDER BY c.created_at DESC, c.code LIMIT $2"#,
        event,
        CODES_SHOWN
    )
    .fetch_all(db)
    .await?;
    let total = sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM event_codes WHERE event_id = $1"#,
        event
    )
    .fetch_one(db)
    .await?;
    let codes = rows
        .into_iter()
        .map(|r| CodeRow {
            id: r.id,
            code: r.code,
            discount: Discount::from_columns(r.percent_off, r.amount_off_minor),
            types: r.types,
            used: r.used,
            max_uses: r.max_uses,
            max_per_buyer: r.max_uses_per_buyer,
            valid_from: r.valid_from.map(|at| venue_time(at, &time_zone)),
            valid_until: r.valid_until.map(|at| venue_time(at, &time_zone)),
            disabled: r.disabled,
            gives_back: r.refund_gives_use_back,
        })
        .collect();
    Ok(EventCodesView {
        event_id: event,
        title,
        currency,
        time_zone,
        types,
        codes,
        total,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pasted_list_or_csv_column_is_read_as_codes() {
        assert_eq!(
            read_codes("code,note\nfan-club-1,first\n\"PRESS 2026\";x\n\nfanclub1\n").unwrap(),
            vec!["FANCLUB1".to_string(), "PRESS2026".to_string()]
        );
        assert_eq!(read_codes("").unwrap(), Vec::<String>::new());
        let refused = read_codes("GOODCODE\nab\n").unwrap_err().to_string();
        assert!(refused.contains("Line 2"), "{refused}");
    }

    #[test]
    fn the_form_reads_discounts_limits_and_windows_on_the_venue_clock() {
        let eur = Currency::from_stored("EUR".into());
        let form = CodeForm {
            discount_kind: "amount".into(),
            discount: "5.50".into(),
            max_uses: "100".into(),
            max_per_buyer: "2".into(),
            valid_from: "2026-07-01T10:00".into(),
            gives_back: Some("true".into()),
            ..CodeForm::default()
        };
        let spec = read_spec(&form, &eur, "Europe/Paris").unwrap();
        assert_eq!(spec.discount, Discount::Fixed(550));
        assert_eq!((spec.max_uses, spec.max_per_buyer), (Some(100), Some(2)));
        assert_eq!(
            spec.valid_from.unwrap().to_rfc3339(),
            "2026-07-01T08:00:00+00:00"
        );
        assert!(spec.refund_gives_use_back);
        for (kind, discount) in [("percent", "0"), ("percent", "101"), ("amount", "-1")] {
            let form = CodeForm {
                discount_kind: kind.into(),
                discount: discount.into(),
                ..CodeForm::default()
            };
            assert!(read_spec(&form, &eur, "UTC").is_err(), "{kind} {discount}");
        }
        let form = CodeForm {
            max_uses: "0".into(),
            ..CodeForm::default()
        };
        assert!(read_spec(&form, &eur, "UTC").is_err());
    }
}
