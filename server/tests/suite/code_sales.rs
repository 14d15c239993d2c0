//! Codes as organizers make them (one, a pasted list, many random; exported,
//! disabled) and money downstream of a code: what Stripe is asked for, what
//! a refund pays back, the sales dashboard, the exports and the mail.

use crate::support;

use std::collections::BTreeMap;
use std::time::Duration;

use app::backend::codes::{self, ALPHABET, NewCode, RANDOM_LEN};
use app::backend::mail::{Delivery, Mailer, deliver_due};
use app::backend::orders::reserve::{Reservation, reserve_with_codes};
use app::backend::orders::settle::{Payment, confirm_payment};
use app::backend::payments::EventKind;
use app::backend::{BackendError, sales};
use app::error::AppError;
use app::model::price::Discount;
use app::model::{CheckoutRefusal, EventCodesView, OrderView, Role};
use reqwest::StatusCode;
use sqlx::PgPool;
use support::mail::MailCatcher;
use support::shop::{counters, shop_with, until_status};
use support::{create_user, email_of, eur, fixtures, session_user};
use uuid::Uuid;

async fn csv(app: &support::TestApp, client: &reqwest::Client, path: &str) -> Vec<String> {
    let res = app.get_with(client, path).await;
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    res.text()
        .await
        .unwrap()
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn organizers_make_codes_in_bulk_and_from_a_list_export_and_disable_them(db: PgPool) {
    let app = support::spawn(db.clone()).await;
    let event = fixtures::event(&db)
        .title("Code Night")
        .ticket_type("Standing", 2500, 10)
        .ticket_type("Fans", 2000, 5)
        .create()
        .await;
    let organizer = app.signed_in(&email_of(&db, event.organizer).await).await;
    let (id, standing, fans) = (
        event.id.to_string(),
        event.types[0].to_string(),
        event.types[1].to_string(),
    );
    let make = |extra: Vec<(&'static str, String)>| {
        let mut form: Vec<(&str, String)> = vec![
            ("event", id.clone()),
            ("form[discount_kind]", "percent".into()),
            ("form[discount]", "15".into()),
            ("form[types][0]", standing.clone()),
            ("form[types][1]", fans.clone()),
        ];
        form.extend(extra);
        form
    };
    let send = |form: Vec<(&'static str, String)>| {
        let (app, organizer) = (&app, &organizer);
        async move {
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.call(organizer, "organizer/make_codes", &form).await
        }
    };

    // Twenty random ones.
    let res = send(make(vec![("form[count]", "20".into())])).await;
    assert!(res.status().is_success(), "{}", res.text().await.unwrap());
    assert!(
        res.headers()["location"]
            .to_str()
            .unwrap()
            .ends_with("/codes?made=20&already=0")
    );
    // A pasted CSV (header, repeats, as typed) and a list naming one the event has.
    let res = send(make(vec![(
        "form[codes]",
        "code,note\nfan-club-1,first\nFANCLUB1,again\n\"press 2026\",x\n".into(),
    )]))
    .await;
    assert!(res.status().is_success());
    assert!(
        res.headers()["location"]
            .to_str()
            .unwrap()
            .ends_with("made=2&already=0")
    );
    let res = send(make(vec![("form[codes]", "PRESS2026\nNEW12345".into())])).await;
    assert!(
        res.headers()["location"]
            .to_str()
            .unwrap()
            .ends_with("made=1&already=1")
    );
    // A bad line refuses the lot, naming it.
    let res = send(make(vec![("form[codes]", "GOODCODE1\nno!\n".into())])).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(support::app_error(res).await.to_string().contains("Line 2"));

    let page: EventCodesView = app
        .call(&organizer, "organizer/codes", &[("event", &id)])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page.total, 23);
    assert_eq!(page.codes.len(), 23);
    let random: Vec<&str> = page
        .codes
        .iter()
        .map(|c| c.code.as_str())
        .filter(|c| !["FANCLUB1", "PRESS2026", "NEW12345"].contains(c))
        .collect();
    assert_eq!(random.len(), 20);
    for code in &random {
        assert!(
            code.len() == RANDOM_LEN && code.bytes().all(|b| ALPHABET.contains(&b)),
            "{code}"
        );
    }
    assert!(
        page.codes
            .iter()
            .all(|c| c.discount == Discount::Percent(15) && c.types == ["Standing", "Fans"])
    );

    // The CSV has them all.
    let rows = csv(
        &app,
        &organizer,
        &format!("/organizer/events/{id}/codes.csv"),
    )
    .await;
    assert_eq!(rows.len(), 24, "a header and 23 codes");
    assert!(rows[0].starts_with("Code,Ticket types,Discount,Used"));
    for code in &random {
        assert!(
            rows.iter()
                .any(|r| r.starts_with(&format!("{code},Standing | Fans,15%,0,"))),
            "{code}"
        );
    }

    // Disabling one: the page and the CSV say so.
    let fanclub = page.codes.iter().find(|c| c.code == "FANCLUB1").unwrap();
    let res = app
        .call(
            &organizer,
            "organizer/disable_code",
            &[("event", &id), ("code", &fanclub.id.to_string())],
        )
        .await;
    assert!(res.status().is_success());
    let rows = csv(
        &app,
        &organizer,
        &format!("/organizer/events/{id}/codes.csv"),
    )
    .await;
    let row = rows.iter().find(|r| r.starts_with("FANCLUB1,")).unwrap();
    assert!(row.contains(",disabled,"), "{row}");

    // Another organizer, a buyer: nothing of these.
    let other = fixtures::organizer(&db).await;
    let other = app.signed_in(&email_of(&db, other).await).await;
    for (endpoint, form) in [
        ("organizer/codes", vec![("event", id.clone())]),
        (
            "organizer/make_codes",
            make(vec![("form[count]", "1".into())]),
        ),
        (
            "organizer/disable_code",
            vec![("event", id.clone()), ("code", fanclub.id.to_string())],
        ),
    ] {
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let res = app.call(&other, endpoint, &form).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{endpoint}");
    }
    let res = app
        .get_with(&other, &format!("/organizer/events/{id}/codes.csv"))
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    create_user(&db, "buyer@example.com", Role::Buyer).await;
    let buyer = app.signed_in("buyer@example.com").await;
    let res = app.call(&buyer, "organizer/codes", &[("event", &id)]).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // A type of another event is not one to cover.
    let elsewhere = fixtures::event(&db).by(event.organizer).create().await;
    let res = send(vec![
        ("event", id.clone()),
        ("form[types][0]", elsewhere.types[0].to_string()),
    ])
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let total: i64 = sqlx::query_scalar("SELECT count(*) FROM event_codes")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(total, 23, "the refusals made nothing");
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn one_buyer_takes_no_more_tickets_with_a_code_than_it_allows_them(db: PgPool) {
    let event = fixtures::event(&db)
        .ticket_type("Standing", 2500, 50)
        .max_per_order(10)
        .create()
        .await;
    let organizer = session_user(&db, event.organizer).await;
    codes::create(
        &db,
        &organizer,
        event.id,
        "TWOEACH",
        &NewCode {
            discount: Discount::Percent(10),
            max_per_buyer: Some(2),
            ticket_types: event.types.clone(),
            ..NewCode::default()
        },
    )
    .await
    .unwrap();
    let with = BTreeMap::from([(event.id, "TWOEACH".to_string())]);
    let cart = |n: i64| BTreeMap::from([(event.types[0], n)]);
    let hold = Duration::from_secs(1800);
    let buyer = fixtures::buyer(&db).await;
    let refused = |result: Result<Reservation, BackendError>| match result {
        Err(BackendError::User(AppError::Refused(CheckoutRefusal::CodeUsedUpByBuyer {
            code,
            most,
        }))) => code == "TWOEACH" && most == 2,
        _ => false,
    };
    assert!(refused(
        reserve_with_codes(&db, buyer, &cart(3), &with, hold).await
    ));
    let Ok(Reservation::New(order)) = reserve_with_codes(&db, buyer, &cart(2), &with, hold).await
    else {
        panic!("two are allowed");
    };
    confirm_payment(
        &db,
        &Payment {
            event_id: "evt_two_each".into(),
            event_type: EventKind::CheckoutCompleted,
            order_id: order.id,
            amount: eur(4500),
            payment_intent: Some("pi_two_each".into()),
        },
    )
    .await
    .unwrap();
    // Paid for: still counted against this buyer.
    assert!(refused(
        reserve_with_codes(&db, buyer, &cart(1), &with, hold).await
    ));
    // Without the code the buyer may buy more; another buyer has their own two.
    assert!(matches!(
        reserve_with_codes(&db, buyer, &cart(1), &BTreeMap::new(), hold).await,
        Ok(Reservation::New(_))
    ));
    let other = fixtures::buyer(&db).await;
    assert!(matches!(
        reserve_with_codes(&db, other, &cart(2), &with, hold).await,
        Ok(Reservation::New(_))
    ));
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn refunding_one_discounted_ticket_of_three_pays_back_what_it_cost_and_every_figure_follows(
    db: PgPool,
) {
    let catcher = MailCatcher::start().await;
    let shop = shop_with(db.clone(), &[("SMTP_URL", &catcher.smtp_url())]).await;
    let mailer = Mailer::from_config(&shop.app.state.config)
        .unwrap()
        .unwrap();
    let app = &shop.app;
    let event = fixtures::event(&db)
        .title("Code Night")
        .ticket_type("Standing", 2500, 10)
        .create()
        .await;
    let standing = event.types[0];
    let organizer_user = session_user(&db, event.organizer).await;
    codes::create(
        &db,
        &organizer_user,
        event.id,
        "FRIENDS7",
        &NewCode {
            discount: Discount::Fixed(700),
            max_uses: Some(3),
            ticket_types: vec![standing],
            refund_gives_use_back: true,
            ..NewCode::default()
        },
    )
    .await
    .unwrap();

    // The buyer arrives by the link, takes three and pays at Stripe.
    create_user(&db, "friend@example.com", Role::Buyer).await;
    let buyer = app.signed_in("friend@example.com").await;
    let id = event.id.to_string();
    let res = app
        .call(
            &buyer,
            "catalogue/event",
            &[("id", &id), ("code", "friends7")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = app
        .call(
            &buyer,
            "cart/add",
            &[
                ("picks[0][ticket_type_id]", &standing.to_string()),
                ("picks[0][quantity]", "3"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = app.call(&buyer, "checkout/start", &[]).await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );
    let (order, session): (Uuid, String) =
        sqlx::query_as("SELECT id, stripe_session_id FROM orders")
            .fetch_one(&db)
            .await
            .unwrap();
    let at_stripe = shop.listed("sessions").await;
    let at_stripe = at_stripe
        .iter()
        .find(|s| s["id"] == session.as_str())
        .unwrap();
    assert_eq!(at_stripe["amount_total"], 5400, "3 × (€25.00 − €7.00)");
    shop.control(&format!("sessions/{session}/pay")).await;
    until_status(&db, order, "paid").await;
    let prices: Vec<i64> =
        sqlx::query_scalar("SELECT price_minor FROM tickets WHERE order_id = $1 ORDER BY seat_no")
            .bind(order)
            .fetch_all(&db)
            .await
            .unwrap();
    assert_eq!(prices, vec![1800, 1800, 1800]);
    let used = || async {
        sqlx::query_scalar::<_, i32>("SELECT used FROM event_codes")
            .fetch_one(&db)
            .await
            .unwrap()
    };
    assert_eq!(used().await, 3);
    let figures = sales::dashboard(&db, &organizer_user, event.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            figures.total.discounts.minor,
            figures.total.gross.minor,
            figures.total.net.minor
        ),
        (2100, 5400, 5400)
    );
    assert_eq!(figures.codes.len(), 1);
    let code = &figures.codes[0];
    assert_eq!(
        (
            code.code.as_str(),
            code.tickets,
            code.discounts.minor,
            code.revenue.minor
        ),
        ("FRIENDS7", 3, 2100, 5400)
    );

    // The organizer refunds the first ticket: what it cost goes back.
    let organizer = app.signed_in(&email_of(&db, event.organizer).await).await;
    let first: Uuid =
        sqlx::query_scalar("SELECT id FROM tickets WHERE order_id = $1 AND seat_no = 1")
            .bind(order)
            .fetch_one(&db)
            .await
            .unwrap();
    let res = app
        .call(
            &organizer,
            "organizer/refund",
            &[
                ("order", &order.to_string()),
                ("tickets[0]", &first.to_string()),
                ("reason", "Cannot come."),
                ("restock", "1"),
            ],
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );
    let refunds = shop.listed("refunds").await;
    assert_eq!(refunds.len(), 1);
    assert_eq!(refunds[0]["amount"], 1800, "not the €25.00 list price");
    assert_eq!(
        used().await,
        2,
        "this code gives a refunded ticket's use back"
    );
    assert_eq!(counters(&db, standing).await, (0, 2));
    let figures = sales::dashboard(&db, &organizer_user, event.id)
        .await
        .unwrap()
        .unwrap();
    let total = &figures.total;
    assert_eq!(
        (
            total.sold,
            total.discounts.minor,
            total.gross.minor,
            total.refunded.minor,
            total.net.minor
        ),
        (2, 2100, 5400, 1800, 3600)
    );
    let code = &figures.codes[0];
    assert_eq!(
        (code.tickets, code.discounts.minor, code.revenue.minor),
        (2, 1400, 3600)
    );
    let seen: OrderView = app
        .call(&buyer, "orders/get", &[("id", &order.to_string())])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!((seen.total.minor, seen.refunded.minor), (5400, 1800));
    assert_eq!(seen.lines[0].code, Some(("FRIENDS7".to_string(), eur(700))));
    assert!(seen.words.line_codes[0].contains("FRIENDS7"));

    // The exports carry the code and what it took off.
    let orders = csv(
        app,
        &organizer,
        &format!("/organizer/events/{id}/orders.csv"),
    )
    .await;
    assert!(
        orders[1].ends_with(",54.00,18.00,EUR,21.00,FRIENDS7"),
        "{}",
        orders[1]
    );
    let attendees = csv(
        app,
        &organizer,
        &format!("/organizer/events/{id}/attendees.csv"),
    )
    .await;
    assert_eq!(attendees.len(), 4);
    assert!(
        attendees[1..]
            .iter()
            .all(|r| r.ends_with(",18.00,FRIENDS7,7.00")),
        "{attendees:?}"
    );
    assert_eq!(
        attendees
            .iter()
            .filter(|r| r.contains(",refunded,"))
            .count(),
        1
    );

    // The mail says it: the confirmation per line, the refund its amount.
    deliver_due(&db, &mailer, Delivery::default())
        .await
        .unwrap();
    let mails = catcher.wait_for("friend@example.com", 2).await;
    let confirmation = mails
        .iter()
        .find(|m| m["subject"].as_str().unwrap().starts_with("Your tickets"))
        .expect("the confirmation");
    let text = confirmation["text"].as_str().unwrap();
    assert!(
        text.contains("Code FRIENDS7: €7.00 off each ticket"),
        "{text}"
    );
    assert!(text.contains("€54.00"), "{text}");
    let refund = mails
        .iter()
        .find(|m| !m["subject"].as_str().unwrap().starts_with("Your tickets"))
        .expect("the refund's message");
    assert!(
        refund["text"].as_str().unwrap().contains("€18.00"),
        "{refund}"
    );
}
