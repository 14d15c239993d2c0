//! The confirmation of a paid order: each ticket with its QR code (an inline
//! PNG), the order's lines, and the events as a calendar file.

use std::fmt::Write as _;

use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};
use lettre::message::header::ContentType;

use super::super::{
    ComposeError, Composer, Draft, hello, hello_html, labelled, link_markup, say, say_html, strong,
};
use super::{OrderMail, lines_table, lines_text};
use crate::i18n::format;

impl Composer {
    pub(in super::super) fn confirmation(&self, order: &OrderMail) -> Result<Draft, ComposeError> {
        let locale = order.locale;
        let mut html = String::new();
        let mut plain = String::new();
        let _ = write!(
            html,
            "<p>{}</p><p>{}</p>",
            hello_html(locale, &order.buyer_name),
            say_html(
                locale,
                "mail-confirmed-lead",
                &[],
                &[("reference", strong(&order.reference))]
            )
        );
        let _ = writeln!(
            plain,
            "{}\n\n{}\n",
            hello(locale, &order.buyer_name),
            say(
                locale,
                "mail-confirmed-lead",
                &[("reference", order.reference.as_str().into())]
            )
        );
        let mut inline = Vec::new();
        for event in &order.events {
            let when = format::venue_time(locale, &event.starts);
            let _ = write!(
                html,
                "<h2 style=\"font-size:18px;margin:24px 0 4px\">{}</h2><p style=\"margin:0 0 12px;color:#475569\">{}<br>{}</p>",
                text(&event.title),
                text(&when),
                text(&event.venue)
            );
            let _ = writeln!(plain, "{}\n{}\n{}\n", event.title, when, event.venue);
            for ticket in order.tickets.iter().filter(|p| p.event_id == event.id) {
                let cid = format!("ticket-{}@ticket-sales", ticket.id.simple());
                inline.push((cid.clone(), qr_png(&ticket.payload)?));
                let link = self.url(&format!("/tickets/{}", ticket.id));
                let heading = say(
                    locale,
                    "mail-confirmed-ticket",
                    &[
                        ("type", ticket.type_name.as_str().into()),
                        ("seat", ticket.seat_no.into()),
                        ("seats", order.seats.into()),
                    ],
                );
                let _ = write!(
                    html,
                    "<table role=\"presentation\" style=\"width:100%;border:1px solid #e2e8f0;border-radius:8px;margin:0 0 12px\"><tr><td style=\"padding:12px;vertical-align:top\"><strong>{}</strong><br><a href=\"{}\">{}</a><br><span style=\"font-family:monospace;font-size:11px;color:#64748b\">{}</span></td><td style=\"padding:12px;width:160px\"><img src=\"cid:{}\" width=\"160\" height=\"160\" alt=\"{}\" style=\"display:block\"></td></tr></table>",
                    text(&heading),
                    attr(&link),
                    text(&say(locale, "mail-confirmed-open-ticket", &[])),
                    text(&ticket.code),
                    attr(&cid),
                    attr(&say(
                        locale,
                        "mail-confirmed-qr",
                        &[("seat", ticket.seat_no.into())]
                    ))
                );
                let _ = writeln!(plain, "  {}", labelled(locale, &heading, &link));
            }
        }
        html.push_str(&lines_table(order));
        let _ = writeln!(plain, "\n{}", lines_text(order));
        let order_link = self.url(&format!("/orders/{}", order.id));
        let calendar_note = say(locale, "mail-confirmed-calendar", &[]);
        let _ = write!(
            html,
            "<p>{} {}</p>",
            say_html(
                locale,
                "mail-confirmed-order-page",
                &[],
                &link_markup(&order_link)
            ),
            text(&calendar_note)
        );
        let _ = writeln!(
            plain,
            "{}\n{calendar_note}",
            labelled(
                locale,
                &say(locale, "mail-confirmed-your-order", &[]),
                &order_link
            )
        );
        let calendar = ContentType::parse("text/calendar; charset=utf-8; method=PUBLISH")
            .expect("a valid content type");
        Ok(Draft {
            locale,
            subject: match order.events.as_slice() {
                [one] => say(
                    locale,
                    "mail-confirmed-subject",
                    &[("title", one.title.as_str().into())],
                ),
                _ => say(
                    locale,
                    "mail-confirmed-subject-several",
                    &[("reference", order.reference.as_str().into())],
                ),
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
    calendar.name(&say(order.locale, "shop-name", &[]));
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
                .description(&say(
                    order.locale,
                    "mail-calendar-description",
                    &[
                        ("reference", order.reference.as_str().into()),
                        ("url", format!("{base_url}/orders/{}", order.id).into()),
                    ],
                ))
                .done(),
        );
    }
    calendar.done().to_string()
}
