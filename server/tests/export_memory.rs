//! An export's memory stays the same whatever the event's size: the heap this
//! process holds while 10,000 tickets are exported (counted by a global
//! allocator, so the figure does not depend on the machine) grows by a small
//! fraction of the file, and no more than for 1,000 tickets. Its own test
//! binary, since the counter sees every allocation of the process.

mod support;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};

use app::backend::exports::{self, Export, ExportedEvent};
use futures::StreamExt;
use sqlx::PgPool;
use support::fixtures;
use uuid::Uuid;

struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);

fn grew(by: isize) {
    let now = LIVE.fetch_add(by, Ordering::Relaxed) + by;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

// SAFETY: every call is passed straight to the system allocator; only counts are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grew(layout.size() as isize);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        grew(new_size as isize - layout.size() as isize);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

/// `orders` paid orders of ten tickets each, buyers with long names so the
/// file is large.
async fn tickets(db: &PgPool, ticket_type: Uuid, orders: i32) {
    sqlx::query(
        "WITH buyers AS (
             INSERT INTO users (email, name, password_hash, email_verified_at)
             SELECT 'mem' || i || '-' || $1 || '@example.com', repeat('Ticket Holder ', 6) || i, 'x', now()
             FROM generate_series(1, $2) i RETURNING id),
         made AS (
             INSERT INTO orders (user_id, status, total_minor, currency, reserved_until, paid_at)
             SELECT id, 'paid', 25000, 'EUR', now(), now() FROM buyers RETURNING id),
         lines AS (
             INSERT INTO order_items (order_id, ticket_type_id, quantity, unit_price_minor, amount_minor, currency)
             SELECT id, $1, 10, 2500, 25000, 'EUR' FROM made RETURNING order_id)
         INSERT INTO tickets (order_id, ticket_type_id, seat_no, code, price_minor)
         SELECT order_id, $1, s, md5(random()::text) || md5(random()::text), 2500 FROM lines, generate_series(1, 10) s",
    )
    .bind(ticket_type)
    .bind(orders)
    .execute(db)
    .await
    .unwrap();
}

/// Exports the attendees, reading slower than the database answers (a slow
/// download); returns the file's size and the heap's growth at its peak.
async fn export(db: &PgPool, event: Uuid) -> (usize, isize) {
    let exported = ExportedEvent {
        id: event,
        title: "Memory".into(),
        time_zone: "Europe/Paris".into(),
    };
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let mut stream = Box::pin(exports::csv(db.clone(), exported, Export::Attendees, true));
    let mut size = 0;
    while let Some(chunk) = stream.next().await {
        size += chunk.expect("a chunk").len();
        tokio::time::sleep(std::time::Duration::from_micros(200)).await;
    }
    drop(stream);
    (size, PEAK.load(Ordering::Relaxed) - base)
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn ten_thousand_tickets_export_in_the_memory_of_a_thousand(db: PgPool) {
    let small = fixtures::event(&db).title("Small").create().await;
    let large = fixtures::event(&db).title("Large").create().await;
    tickets(&db, small.types[0], 100).await;
    tickets(&db, large.types[0], 1000).await;
    // Warm up: the pool's connections and buffers exist before counting.
    export(&db, small.id).await;

    let (small_size, small_peak) = export(&db, small.id).await;
    let (large_size, large_peak) = export(&db, large.id).await;
    println!(
        "1,000 tickets: {small_size} bytes, heap peak +{small_peak}; 10,000 tickets: {large_size} bytes, heap peak +{large_peak}"
    );
    assert!(large_size > 1_500_000, "{large_size} bytes");
    assert!(large_size > 9 * small_size);
    // Built in memory, the file alone would be the peak; streamed, the
    // channel's 64 rows and the driver's buffers are.
    assert!(
        large_peak < 1024 * 1024 && large_peak * 8 < large_size as isize,
        "heap grew by {large_peak} bytes for a {large_size}-byte file"
    );
    assert!(
        large_peak < 2 * small_peak.max(64 * 1024),
        "10,000 tickets took {large_peak} bytes at the peak, 1,000 took {small_peak}"
    );
}
