//! The waiting room's settings (`QUEUE_*`).

use std::time::Duration;

use super::{ConfigError, Env};

/// The waiting room.
#[derive(Debug, Clone)]
pub struct QueueConfig {
    /// Visitors let through to checkout per second, per event (a fraction lets
    /// one through every few seconds).
    pub admit_per_sec: f64,
    /// How long an admission lasts (the admitted visitor's time to check out).
    pub admission: Duration,
    /// Places one client address may hold in one event's queue (an office or a
    /// family shares an address; a bot farm's addresses cost it each).
    pub places_per_address: u64,
    /// Client addresses one place may be asked for from (taken, then its
    /// turn asked for) before it is moved to the back: a phone changing
    /// networks uses two or three; a program sharing one place among many
    /// addresses more.
    pub addresses_per_place: u64,
    /// Arrivals per second at an event's page that turn its queue on by itself
    /// for 15 minutes (0: only the organizer's switch turns it on).
    pub auto_arrivals_per_sec: u64,
    /// How long after the opening the first turn comes: every visitor waiting
    /// learns their number from the draw first (their holding page asks within
    /// a few seconds), so a page slower to ask does not lose its turn.
    pub draw: Duration,
    /// The proof of work a place costs: about 2^bits hashes (21: a few
    /// seconds on a phone, `queue::challenge`). 0 asks for none.
    pub proof_bits: u32,
    /// Browser checks passed per second, per event, past which an automatic
    /// check costs four times the work (again each second it stays past, up
    /// to 64 times), for ten minutes after the last raise. Passed, not asked
    /// for: raising the strength costs whoever raises it the work.
    pub check_raise_per_sec: u64,
    /// An account takes a place only once its address is confirmed (it
    /// could not check out before anyway); guests are limited per address.
    pub verified_accounts: bool,
}

impl QueueConfig {
    pub(super) fn read<F: Fn(&str) -> Option<String>>(
        env: &Env<'_, F>,
    ) -> Result<Self, ConfigError> {
        Ok(Self {
            admit_per_sec: match env.get("QUEUE_ADMIT_PER_SEC", "10").trim().parse::<f64>() {
                Ok(rate) if (0.01..=100_000.0).contains(&rate) => rate,
                _ => {
                    return Err(ConfigError::Invalid {
                        name: "QUEUE_ADMIT_PER_SEC",
                        reason: "must be a number from 0.01 to 100000".into(),
                    });
                }
            },
            admission: Duration::from_secs(
                env.number("QUEUE_ADMISSION_SECS", "600")?.clamp(30, 86_400),
            ),
            places_per_address: env
                .number("QUEUE_PLACES_PER_ADDRESS", "2")?
                .clamp(1, 1_000_000),
            addresses_per_place: env.number("QUEUE_ADDRESSES_PER_PLACE", "4")?.clamp(1, 1000),
            auto_arrivals_per_sec: env.number("QUEUE_AUTO_ARRIVALS_PER_SEC", "0")?,
            draw: Duration::from_secs(env.number("QUEUE_DRAW_SECS", "10")?.min(300)),
            // 1 or 2 would leave each of the eight parts nothing to do.
            proof_bits: match env.number("QUEUE_PROOF_BITS", "21")?.min(28) {
                1 | 2 => 3,
                bits => bits as u32,
            },
            check_raise_per_sec: env.number("QUEUE_CHECK_RAISE_PER_SEC", "100")?.max(1),
            verified_accounts: env.get("QUEUE_VERIFIED_ACCOUNTS", "true").trim() != "false",
        })
    }
}
