//! The messages about a buyer's order: confirmation (with QR codes and the
//! calendar file), refund, a hold that expired, a waiting-list offer.

use std::fmt::Write as _;

use chrono::{DateTime, Utc};
use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};
use lettre::message::header::ContentType;
use sqlx::PgPool;
use uuid::Uuid;

use super::{ComposeError, Composer, Draft};
use crate::backend::zones::venue_time;
use crate::model::{Currency, Money, OrderLineView, RefundCause, VenueTime, order_reference};

impl Composer {
    pub(super) fn confirmation(&self, order: &OrderMail) -> Result<Draft, ComposeError> {
        let mut html = String::new();
        let mut plain = String::new();
        let _ = write!(
            html,
            "<p>Hello {},</p><p>Your order <strong>{}</strong> is confirmed. Show the QR code of each ticket at the door; each one admits one person, once.</p>",
            text(&order.buyer_name),
            order.reference
        );
        let _ = writeln!(
            plain,
            "Hello {},\n\nYour order {} is confirmed. Show the QR code of each ticket at the door; each one admits one person, once.\n",
            order.buyer_name, order.reference
        );
        let mut inline = Vec::new();
        for event in &order.events {
            let _ = write!(
                html,
                "<h2 style=\"font-size:18px;margin:24px 0 4px\">{}</h2><p style=\"margin:0 0 12px;color:#475569\">{}<br>{}</p>",
                text(&event.title),
                text(&event.starts.label()),
                text(&event.venue)
            );
            let _ = writeln!(
                plain,
                "{}\n{}\n{}\n",
                event.title,
                event.starts.label(),
                event.venue
            );
            for ticket in order.tickets.iter().filter(|p| p.event_id == event.id) {
                let cid = format!("ticket-{}@ticket-sales", ticket.id.simple());
                inline.push((cid.clone(), qr_png(&ticket.code)?));
                let link = self.url(&format!("/tickets/{}", ticket.id));
                let _ = write!(
                    html,
                    "<table role=\"presentation\" style=\"width:100%;border:1px solid #e2e8f0;border-radius:8px;margin:0 0 12px\"><tr><td style=\"padding:12px;vertical-align:top\"><strong>{} · ticket {} of {}</strong><br><a href=\"{}\">Open this ticket</a><br><span style=\"font-family:monospace;font-size:11px;color:#64748b\">{}</span></td><td style=\"padding:12px;width:160px\"><img src=\"cid:{}\" width=\"160\" height=\"160\" alt=\"QR code of ticket {}\" style=\"display:block\"></td></tr></table>",
                    text(&ticket.type_name),
                    ticket.seat_no,
                    order.seats,
                    attr(&link),
                    text(&ticket.code),
                    attr(&cid),
                    ticket.seat_no
                );
                let _ = writeln!(
                    plain,
                    "  {} · ticket {} of {}: {}",
                    ticket.type_name, ticket.seat_no, order.seats, link
                );
            }
        }
        html.push_str(&lines_table(order));
        let _ = writeln!(plain, "\n{}", lines_text(order));
        let order_link = self.url(&format!("/orders/{}", order.id));
        let _ = write!(
            html,
            "<p>Your order and tickets are also on <a href=\"{}\">your order page</a>. The attached calendar file adds the event to your calendar.</p>",
            attr(&order_link)
        );
        let _ = writeln!(
            plain,
            "Your order and tickets: {order_link}\nThe attached calendar file adds the event to your calendar."
        );
        let calendar = ContentType::parse("text/calendar; charset=utf-8; method=PUBLISH")
            .expect("a valid content type");
        Ok(Draft {
            subject: match order.events.as_slice() {
                [one] => format!("Your tickets for {}", one.title),
                _ => format!("Your tickets (order {})", order.reference),
            },
            html,
            text: plain,
            inline_png: inline,
            attachments: vec![(
                "event.ics".into(),
                calendar,
                calendar_file(order, &self.base_url).into_bytes(),
            )],
        })
    }

    pub(super) fn refund(&self, order: &OrderMail) -> Draft {
        let reason = order
            .refund_reason
            .clone()
            .unwrap_or_else(|| "Your order was refunded.".into());
        let link = self.url(&format!("/orders/{}", order.id));
        Draft {
            subject: format!("Refund for order {}", order.reference),
            html: format!(
                "<p>Hello {},</p><p>{}</p><p>{} goes back to the card you paid with; banks usually show it within 5–10 days. The tickets of this order no longer admit.</p>{}<p><a href=\"{}\">See the order</a></p>",
                text(&order.buyer_name),
                text(&reason),
                text(&order.total.to_string()),
                lines_table(order),
                attr(&link)
            ),
            text: format!(
                "Hello {},\n\n{}\n\n{} goes back to the card you paid with; banks usually show it within 5-10 days. The tickets of this order no longer admit.\n\n{}\nSee the order: {}",
                order.buyer_name,
                reason,
                order.total,
                lines_text(order),
                link
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
        let reason = r.cause.explain(&r.reason);
        let order = OrderMail::load(db, r.order_id)
            .await?
            .ok_or(ComposeError::Gone)?;
        let tickets = sqlx::query!(
            r#"SELECT e.title, t.name AS type_name, p.seat_no
               FROM refund_tickets rp JOIN tickets p ON p.id = rp.ticket_id
               JOIN ticket_types t ON t.id = p.ticket_type_id JOIN events e ON e.id = t.event_id
               WHERE rp.refund_id = $1 ORDER BY p.seat_no"#,
            refund
        )
        .fetch_all(db)
        .await?;
        let amount = order.total.currency.amount(r.amount_minor);
        let link = self.url(&format!("/orders/{}", order.id));
        let (list_html, list_text) = ticket_list(
            tickets
                .iter()
                .map(|t| format!("{} · {} · ticket {}", t.title, t.type_name, t.seat_no)),
        );
        let free = r.amount_minor == 0;
        let (subject, money_html, money_text) = if free {
            (
                format!("Tickets cancelled (order {})", order.reference),
                "These free tickets were cancelled.".to_string(),
                "These free tickets were cancelled.".to_string(),
            )
        } else {
            (
                format!("Refund for order {}", order.reference),
                format!(
                    "{} goes back to the card you paid with; banks usually show it within 5–10 days.",
                    text(&amount.to_string())
                ),
                format!(
                    "{amount} goes back to the card you paid with; banks usually show it within 5-10 days."
                ),
            )
        };
        // Part of the payment refunded with no ticket (in Stripe's dashboard).
        let (lead_html, lead_text) = if tickets.is_empty() {
            (
                "<p>The organizer refunded part of your payment; your tickets still admit.</p>"
                    .to_string(),
                "The organizer refunded part of your payment; your tickets still admit.\n"
                    .to_string(),
            )
        } else {
            (
                format!(
                    "<p>The organizer refunded these tickets, which no longer admit:</p>{list_html}"
                ),
                format!(
                    "The organizer refunded these tickets, which no longer admit:\n{list_text}"
                ),
            )
        };
        Ok(Draft {
            subject,
            html: format!(
                "<p>Hello {},</p>{lead_html}<p>The reason given: {}</p><p>{money_html}</p><p><a href=\"{}\">See the order</a></p>",
                text(&order.buyer_name),
                text(&reason),
                attr(&link)
            ),
            text: format!(
                "Hello {},\n\n{lead_text}\nThe reason given: {}\n\n{money_text}\n\nSee the order: {link}",
                order.buyer_name, reason
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
        let event = order.events.first().ok_or(ComposeError::Gone)?;
        let until = venue_time(held.reserved_until, &held.time_zone).label();
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
        Ok(Draft {
            subject: format!("Tickets for {} are held for you", event.title),
            html: format!(
                r#"<p>Hello {},</p><p>Seats came back for <strong>{}</strong> and you are next on the waiting list. They are held for you until <strong>{}</strong> ({}):</p>{list_html}<p><a href="{}">Pay for them now</a></p><p style="color:#475569;font-size:13px">If you do not pay by then, they go to the next person waiting.</p>"#,
                text(&order.buyer_name),
                text(&event.title),
                text(&until),
                text(&order.total.to_string()),
                attr(&link)
            ),
            text: format!(
                "Hello {},\n\nSeats came back for {} and you are next on the waiting list. They are held for you until {} ({}):\n{list_text}\nPay for them now: {link}\n\nIf you do not pay by then, they go to the next person waiting.",
                order.buyer_name, event.title, until, order.total
            ),
            inline_png: Vec::new(),
            attachments: Vec::new(),
        })
    }

    /// An order that ended unpaid, told as what happened to it.
    pub(super) fn unpaid_end(&self, order: &OrderMail, end: UnpaidEnd) -> Draft {
        let event_links: Vec<(String, String)> = order
            .events
            .iter()
            .map(|e| (e.title.clone(), self.url(&format!("/events/{}", e.id))))
            .collect();
        let (subject, what) = match end {
            UnpaidEnd::Expired => (
                format!("Your reservation {} has expired", order.reference),
                format!(
                    "The tickets you reserved in order {} were held for you, but no payment arrived in time, so they have gone back on sale. Nothing was charged.",
                    order.reference
                ),
            ),
            UnpaidEnd::Declined => (
                format!("Payment declined for order {}", order.reference),
                format!(
                    "Your bank declined the payment for order {}, so its tickets have gone back on sale. Nothing was charged.",
                    order.reference
                ),
            ),
        };
        let mut html = format!(
            "<p>Hello {},</p><p>{}</p>",
            text(&order.buyer_name),
            text(&what)
        );
        let mut plain = format!("Hello {},\n\n{what}\n\n", order.buyer_name);
        for (title, link) in &event_links {
            let _ = write!(
                html,
                "<p><a href=\"{}\">Get tickets for {}</a></p>",
                attr(link),
                text(title)
            );
            let _ = writeln!(plain, "Get tickets for {title}: {link}");
        }
        Draft {
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
        let events = sqlx::query!(
            r#"SELECT DISTINCT e.id, e.title, e.venue, e.starts_at, e.ends_at, e.time_zone
               FROM order_items i JOIN ticket_types t ON t.id = i.ticket_type_id
               JOIN events e ON e.id = t.event_id
               WHERE i.order_id = $1 ORDER BY e.starts_at, e.id"#,
            id
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
        let lines = crate::backend::orders::views::lines(db, id, &currency).await?;
        let tickets = sqlx::query_as!(
            TicketMail,
            r#"SELECT p.id, t.event_id, t.name AS type_name, p.seat_no, p.code
               FROM tickets p JOIN ticket_types t ON t.id = p.ticket_type_id
               JOIN events e ON e.id = t.event_id
               WHERE p.order_id = $1 ORDER BY e.starts_at, e.id, t.position, t.id, p.seat_no"#,
            id
        )
        .fetch_all(db)
        .await?;
        Ok(Some(Self {
            reference: order_reference(o.id),
            id: o.id,
            buyer_name: o.buyer_name,
            total: currency.amount(o.total_minor),
            refund_reason: o
                .refund_cause
                .map(|cause| cause.explain(o.refund_reason.as_deref().unwrap_or_default())),
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
    let mut html = String::from(
        "<table role=\"presentation\" style=\"width:100%;border-collapse:collapse;margin:16px 0\">",
    );
    for line in &order.lines {
        let _ = write!(
            html,
            "<tr><td style=\"padding:4px 0\">{} × {} · {}</td><td style=\"padding:4px 0;text-align:right\">{}</td></tr>",
            line.quantity,
            text(&line.type_name),
            text(&line.title),
            text(&line.amount.to_string())
        );
    }
    let _ = write!(
        html,
        "<tr><td style=\"padding:8px 0;border-top:1px solid #e2e8f0\"><strong>Total</strong></td><td style=\"padding:8px 0;border-top:1px solid #e2e8f0;text-align:right\"><strong>{}</strong></td></tr></table>",
        text(&order.total.to_string())
    );
    html
}

fn lines_text(order: &OrderMail) -> String {
    let mut plain = String::new();
    for line in &order.lines {
        let _ = writeln!(
            plain,
            "{} x {} · {}: {}",
            line.quantity, line.type_name, line.title, line.amount
        );
    }
    let _ = writeln!(plain, "Total: {}", order.total);
    plain
}

/// A ticket's QR code as a PNG that every mail client shows (SVG is not).
fn qr_png(code: &str) -> Result<Vec<u8>, ComposeError> {
    let qr = qrcode::QrCode::new(code.as_bytes())
        .map_err(|err| ComposeError::Build(format!("QR code: {err}")))?;
    let image = qr
        .render::<image::Luma<u8>>()
        .min_dimensions(320, 320)
        .quiet_zone(true)
        .build();
    let mut png = Vec::new();
    image::DynamicImage::ImageLuma8(image)
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .map_err(|err| ComposeError::Build(format!("QR image: {err}")))?;
    Ok(png)
}

/// One calendar entry per event of the order (RFC 5545), in UTC.
fn calendar_file(order: &OrderMail, base_url: &str) -> String {
    use icalendar::{Calendar, Component, Event, EventLike};
    let mut calendar = Calendar::new();
    calendar.name("Ticket Sales");
    for event in &order.events {
        calendar.push(
            Event::new()
                .uid(&format!(
                    "{}-{}@ticket-sales",
                    order.id.simple(),
                    event.id.simple()
                ))
                .summary(&event.title)
                .location(&event.venue)
                .starts(event.starts_at)
                .ends(event.ends_at)
                .url(&format!("{base_url}/orders/{}", order.id))
                .description(&format!(
                    "Order {}. Your tickets: {base_url}/orders/{}",
                    order.reference, order.id
                ))
                .done(),
        );
    }
    calendar.done().to_string()
}
