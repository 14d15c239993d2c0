//! The messages about a buyer's order: confirmation ([`confirmation`]: QR
//! codes and the calendar file), refund, a hold that expired, a waiting-list
//! offer.

use std::fmt::Write as _;

use chrono::{DateTime, Utc};
use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};
use sqlx::PgPool;
use uuid::Uuid;

use super::{
    ComposeError, Composer, Draft, hello, hello_html, labelled, locale_of, say, say_html, strong,
};
use crate::backend::zones::venue_time;
use crate::i18n::{Locale, format};
use crate::model::{Currency, Money, OrderLineView, RefundCause, VenueTime, order_reference};

mod confirmation;

impl Composer {
    pub(super) fn refund(&self, order: &OrderMail) -> Draft {
        let locale = order.locale;
        let reason = order
            .refund_reason
            .clone()
            .unwrap_or_else(|| say(locale, "mail-refund-default-reason", &[]));
        let link = self.url(&format!("/orders/{}", order.id));
        let money = format!(
            "{} {}",
            say(
                locale,
                "mail-refund-money",
                &[("amount", format::money(locale, &order.total).into())]
            ),
            say(locale, "mail-refund-no-longer-admit", &[])
        );
        let see = say(locale, "mail-see-order", &[]);
        Draft {
            locale,
            subject: say(
                locale,
                "mail-refund-subject",
                &[("reference", order.reference.as_str().into())],
            ),
            html: format!(
                "<p>{}</p><p>{}</p><p>{}</p>{}<p><a href=\"{}\">{}</a></p>",
                hello_html(locale, &order.buyer_name),
                text(&reason),
                text(&money),
                lines_table(order),
                attr(&link),
                text(&see)
            ),
            text: format!(
                "{}\n\n{reason}\n\n{money}\n\n{}\n{}",
                hello(locale, &order.buyer_name),
                lines_text(order),
                labelled(locale, &see, &link)
            ),
            inline_png: Vec::new(),
            attachments: Vec::new(),
        }
    }

    /// A refund an organizer made: which tickets, how much, why.
    pub(super) async fn organizer_refund(
        &self,
        db: &PgPool,
        refund: Uuid,
    ) -> Result<Draft, ComposeError> {
        let r = sqlx::query!(
            r#"SELECT order_id, amount_minor, cause AS "cause: RefundCause", reason FROM refunds WHERE id = $1"#,
            refund
        )
        .fetch_optional(db)
        .await?
        .ok_or(ComposeError::Gone)?;
        let order = OrderMail::load(db, r.order_id)
            .await?
            .ok_or(ComposeError::Gone)?;
        let locale = order.locale;
        let reason = r.cause.explain_in(locale, &r.reason);
        let tickets = sqlx::query!(
            r#"SELECT event_title(e.id, e.title, $2) AS "title!", t.name AS type_name, p.seat_no
               FROM refund_tickets rp JOIN tickets p ON p.id = rp.ticket_id
               JOIN ticket_types t ON t.id = p.ticket_type_id JOIN events e ON e.id = t.event_id
               WHERE rp.refund_id = $1 ORDER BY p.seat_no"#,
            refund,
            locale.tag()
        )
        .fetch_all(db)
        .await?;
        let amount = order.total.currency.amount(r.amount_minor);
        let link = self.url(&format!("/orders/{}", order.id));
        let (list_html, list_text) = ticket_list(tickets.iter().map(|t| {
            say(
                locale,
                "mail-refund-ticket",
                &[
                    ("title", t.title.as_str().into()),
                    ("type", t.type_name.as_str().into()),
                    ("seat", t.seat_no.into()),
                ],
            )
        }));
        let reference = [("reference", order.reference.as_str().into())];
        let (subject, money) = if r.amount_minor == 0 {
            (
                say(locale, "mail-refund-cancelled-subject", &reference),
                say(locale, "mail-refund-free", &[]),
            )
        } else {
            (
                say(locale, "mail-refund-subject", &reference),
                say(
                    locale,
                    "mail-refund-money",
                    &[("amount", format::money(locale, &amount).into())],
                ),
            )
        };
        // Part of the payment refunded with no ticket (in Stripe's dashboard).
        let (lead_html, lead_text) = if tickets.is_empty() {
            let part = say(locale, "mail-refund-part", &[]);
            (format!("<p>{}</p>", text(&part)), format!("{part}\n"))
        } else {
            let lead = say(locale, "mail-refund-tickets", &[]);
            (
                format!("<p>{}</p>{list_html}", text(&lead)),
                format!("{lead}\n{list_text}"),
            )
        };
        let given = say(locale, "mail-reason-given", &[("reason", reason.into())]);
        let see = say(locale, "mail-see-order", &[]);
        Ok(Draft {
            locale,
            subject,
            html: format!(
                "<p>{}</p>{lead_html}<p>{}</p><p>{}</p><p><a href=\"{}\">{}</a></p>",
                hello_html(locale, &order.buyer_name),
                text(&given),
                text(&money),
                attr(&link),
                text(&see)
            ),
            text: format!(
                "{}\n\n{lead_text}\n{given}\n\n{money}\n\n{}",
                hello(locale, &order.buyer_name),
                labelled(locale, &see, &link)
            ),
            inline_png: Vec::new(),
            attachments: Vec::new(),
        })
    }

    /// Seats came back for a buyer on a waiting list: they are held until the
    /// offer ends, and paying is one click from the cart.
    pub(super) async fn offer(
        &self,
        db: &PgPool,
        order: &OrderMail,
    ) -> Result<Draft, ComposeError> {
        let held = sqlx::query!(
            "SELECT o.reserved_until, e.time_zone FROM orders o
             JOIN order_items i ON i.order_id = o.id JOIN ticket_types t ON t.id = i.ticket_type_id
             JOIN events e ON e.id = t.event_id
             WHERE o.id = $1 LIMIT 1",
            order.id
        )
        .fetch_optional(db)
        .await?
        .ok_or(ComposeError::Gone)?;
        let locale = order.locale;
        let event = order.events.first().ok_or(ComposeError::Gone)?;
        let until = format::venue_time(locale, &venue_time(held.reserved_until, &held.time_zone));
        let total = format::money(locale, &order.total);
        let link = self.url("/cart");
        let (mut list_html, mut list_text) = (String::from("<ul>"), String::new());
        for line in &order.lines {
            let _ = write!(
                list_html,
                "<li>{} × {} · {}</li>",
                line.quantity,
                text(&line.title),
                text(&line.type_name)
            );
            let _ = writeln!(
                list_text,
                "- {} × {} · {}",
                line.quantity, line.title, line.type_name
            );
        }
        list_html.push_str("</ul>");
        let pay = say(locale, "mail-offer-pay", &[]);
        let otherwise = say(locale, "mail-offer-otherwise", &[]);
        Ok(Draft {
            locale,
            subject: say(
                locale,
                "mail-offer-subject",
                &[("title", event.title.as_str().into())],
            ),
            html: format!(
                r#"<p>{}</p><p>{}</p>{list_html}<p><a href="{}">{}</a></p><p style="color:#475569;font-size:13px">{}</p>"#,
                hello_html(locale, &order.buyer_name),
                say_html(
                    locale,
                    "mail-offer-lead",
                    &[("total", total.as_str().into())],
                    &[("title", strong(&event.title)), ("until", strong(&until))]
                ),
                attr(&link),
                text(&pay),
                text(&otherwise)
            ),
            text: format!(
                "{}\n\n{}\n{list_text}\n{}\n\n{otherwise}",
                hello(locale, &order.buyer_name),
                say(
                    locale,
                    "mail-offer-lead",
                    &[
                        ("title", event.title.as_str().into()),
                        ("until", until.as_str().into()),
                        ("total", total.as_str().into()),
                    ]
                ),
                labelled(locale, &pay, &link)
            ),
            inline_png: Vec::new(),
            attachments: Vec::new(),
        })
    }

    /// An order that ended unpaid, told as what happened to it.
    pub(super) fn unpaid_end(&self, order: &OrderMail, end: UnpaidEnd) -> Draft {
        let locale = order.locale;
        let reference = [("reference", order.reference.as_str().into())];
        let (subject, what) = match end {
            UnpaidEnd::Expired => (
                say(locale, "mail-expired-subject", &reference),
                say(locale, "mail-expired-lead", &reference),
            ),
            UnpaidEnd::Declined => (
                say(locale, "mail-declined-subject", &reference),
                say(locale, "mail-declined-lead", &reference),
            ),
        };
        let mut html = format!(
            "<p>{}</p><p>{}</p>",
            hello_html(locale, &order.buyer_name),
            text(&what)
        );
        let mut plain = format!("{}\n\n{what}\n\n", hello(locale, &order.buyer_name));
        for event in &order.events {
            let link = self.url(&format!("/events/{}", event.id));
            let get = say(
                locale,
                "mail-get-tickets",
                &[("title", event.title.as_str().into())],
            );
            let _ = write!(
                html,
                "<p><a href=\"{}\">{}</a></p>",
                attr(&link),
                text(&get)
            );
            let _ = writeln!(plain, "{}", labelled(locale, &get, &link));
        }
        Draft {
            locale,
            subject,
            html,
            text: plain,
            inline_png: Vec::new(),
            attachments: Vec::new(),
        }
    }
}

/// An order as its messages tell it.
pub(super) struct OrderMail {
    id: Uuid,
    /// The buyer's language.
    locale: Locale,
    reference: String,
    buyer_name: String,
    total: Money,
    refund_reason: Option<String>,
    seats: i64,
    events: Vec<EventMail>,
    lines: Vec<OrderLineView>,
    tickets: Vec<TicketMail>,
}

struct EventMail {
    id: Uuid,
    title: String,
    venue: String,
    starts: VenueTime,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
}

struct TicketMail {
    id: Uuid,
    event_id: Uuid,
    type_name: String,
    seat_no: i32,
    code: String,
    /// What its QR carries: the payload a door checks offline.
    payload: String,
}

impl OrderMail {
    pub(super) async fn load(db: &PgPool, id: Uuid) -> Result<Option<Self>, ComposeError> {
        let Some(o) = sqlx::query!(
            r#"SELECT o.id, o.total_minor,
                      o.currency AS "currency!: Currency", o.refund_cause AS "refund_cause: RefundCause",
                      o.refund_reason, u.name AS buyer_name
               FROM orders o JOIN users u ON u.id = o.user_id WHERE o.id = $1"#,
            id
        )
        .fetch_optional(db)
        .await?
        else {
            return Ok(None);
        };
        let currency = o.currency;
        // The same query as the webhook's (its offline data is already there).
        let buyer = sqlx::query_scalar!("SELECT user_id FROM orders WHERE id = $1", id)
            .fetch_one(db)
            .await?;
        let locale = locale_of(db, buyer).await?;
        let events = sqlx::query!(
            r#"SELECT DISTINCT e.id, event_title(e.id, e.title, $2) AS "title!", e.venue, e.starts_at,
                      e.ends_at, e.time_zone
               FROM order_items i JOIN ticket_types t ON t.id = i.ticket_type_id
               JOIN events e ON e.id = t.event_id
               WHERE i.order_id = $1 ORDER BY e.starts_at, e.id"#,
            id,
            locale.tag()
        )
        .fetch_all(db)
        .await?
        .into_iter()
        .map(|e| EventMail {
            starts: venue_time(e.starts_at, &e.time_zone),
            id: e.id,
            title: e.title,
            venue: e.venue,
            starts_at: e.starts_at,
            ends_at: e.ends_at,
        })
        .collect();
        let lines = crate::backend::orders::views::lines(db, id, &currency, locale).await?;
        let rows = sqlx::query!(
            r#"SELECT p.id, t.event_id, t.name AS type_name, p.seat_no, p.code, p.version
               FROM tickets p JOIN ticket_types t ON t.id = p.ticket_type_id
               JOIN events e ON e.id = t.event_id
               WHERE p.order_id = $1 ORDER BY e.starts_at, e.id, t.position, t.id, p.seat_no"#,
            id
        )
        .fetch_all(db)
        .await?;
        let mut signer = crate::backend::checkin::signed::Signer::new(db);
        let mut tickets = Vec::with_capacity(rows.len());
        for p in rows {
            tickets.push(TicketMail {
                payload: signer
                    .sign(p.event_id, p.id, p.version as u16)
                    .await
                    .map_err(|err| ComposeError::Build(err.to_string()))?,
                id: p.id,
                event_id: p.event_id,
                type_name: p.type_name,
                seat_no: p.seat_no,
                code: p.code,
            });
        }
        Ok(Some(Self {
            reference: order_reference(o.id),
            id: o.id,
            locale,
            buyer_name: o.buyer_name,
            total: currency.amount(o.total_minor),
            refund_reason: o.refund_cause.map(|cause| {
                cause.explain_in(locale, o.refund_reason.as_deref().unwrap_or_default())
            }),
            seats: lines.iter().map(|l| i64::from(l.quantity)).sum(),
            events,
            lines,
            tickets,
        }))
    }
}

/// Items as an HTML list and as plain lines ("- ...").
fn ticket_list(items: impl Iterator<Item = String>) -> (String, String) {
    let mut html = String::from("<ul>");
    let mut plain = String::new();
    for item in items {
        let _ = write!(html, "<li>{}</li>", text(&item));
        let _ = writeln!(plain, "- {item}");
    }
    html.push_str("</ul>");
    (html, plain)
}

/// How an unpaid order ended, for its mail.
#[derive(Debug, Clone, Copy)]
pub(super) enum UnpaidEnd {
    /// Its hold ran out.
    Expired,
    /// The bank declined its payment.
    Declined,
}

fn lines_table(order: &OrderMail) -> String {
    let locale = order.locale;
    let mut html = String::from(
        "<table role=\"presentation\" style=\"width:100%;border-collapse:collapse;margin:16px 0\">",
    );
    for line in &order.lines {
        let _ = write!(
            html,
            "<tr><td style=\"padding:4px 0\">{} × {} · {}{}</td><td style=\"padding:4px 0;text-align:right\">{}</td></tr>",
            line.quantity,
            text(&line.type_name),
            text(&line.title),
            code_note(locale, line)
                .map(|note| format!("<br><small>{}</small>", text(&note)))
                .unwrap_or_default(),
            text(&format::money(locale, &line.amount))
        );
    }
    let _ = write!(
        html,
        "<tr><td style=\"padding:8px 0;border-top:1px solid #e2e8f0\"><strong>{}</strong></td><td style=\"padding:8px 0;border-top:1px solid #e2e8f0;text-align:right\"><strong>{}</strong></td></tr></table>",
        text(&say(locale, "mail-total", &[])),
        text(&format::money(locale, &order.total))
    );
    html
}

/// "Code FANCLUB: €5.00 off each ticket" for a line bought with a code that
/// took something off.
fn code_note(locale: Locale, line: &OrderLineView) -> Option<String> {
    let (code, off) = line.code.as_ref().filter(|(_, off)| off.minor > 0)?;
    Some(say(
        locale,
        "mail-code-discount",
        &[
            ("code", code.as_str().into()),
            ("amount", format::money(locale, off).into()),
        ],
    ))
}

fn lines_text(order: &OrderMail) -> String {
    let locale = order.locale;
    let mut plain = String::new();
    for line in &order.lines {
        let mut what = format!("{} x {} · {}", line.quantity, line.type_name, line.title);
        if let Some(note) = code_note(locale, line) {
            what = format!("{what} ({note})");
        }
        let _ = writeln!(
            plain,
            "{}",
            labelled(locale, &what, &format::money(locale, &line.amount))
        );
    }
    let total = format::money(locale, &order.total);
    let _ = writeln!(
        plain,
        "{}",
        labelled(locale, &say(locale, "mail-total", &[]), &total)
    );
    plain
}
