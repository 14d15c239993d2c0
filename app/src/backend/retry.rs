//! The one policy every retried job follows: work is claimed with a lease (no
//! other instance takes it until the lease ends, so each piece is worked on by
//! one instance at a time), and a failed attempt waits out a backoff that
//! doubles with each attempt, never blocking the work behind it. Holds,
//! refunds and mail keep their claim (attempts, when next) in their own rows;
//! a cancelled event's refunds go through the refunds' claim.

use std::future::Future;
use std::time::Duration;

use futures::StreamExt;

/// After a failed attempt: try again after a backoff that doubles with each
/// attempt (5 s, 10 s, 20 s, ... at most 10 minutes).
pub fn backoff(attempts: i32) -> Duration {
    let exponent = u32::try_from(attempts.saturating_sub(1))
        .unwrap_or(0)
        .min(10);
    Duration::from_secs((5u64 << exponent).min(600))
}

/// How much one pass of a job takes on.
#[derive(Debug, Clone, Copy)]
pub struct Lease {
    /// Pieces of work claimed per pass.
    pub batch: i64,
    /// How long a claim keeps other instances off a piece.
    pub lease: Duration,
    /// Pieces worked on at once (calls to Stripe or SMTP under way).
    pub concurrency: usize,
}

/// Works through `claimed` at most `concurrency` at a time; every outcome, in
/// no particular order.
pub async fn work_through<T, F, Fut, R>(claimed: Vec<T>, concurrency: usize, work: F) -> Vec<R>
where
    F: FnMut(T) -> Fut,
    Fut: Future<Output = R>,
{
    futures::stream::iter(claimed)
        .map(work)
        .buffer_unordered(concurrency.max(1))
        .collect()
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_ten_minutes() {
        assert_eq!(backoff(1), Duration::from_secs(5));
        assert_eq!(backoff(2), Duration::from_secs(10));
        assert_eq!(backoff(4), Duration::from_secs(40));
        assert_eq!(backoff(30), Duration::from_secs(600));
        assert_eq!(backoff(0), Duration::from_secs(5));
    }
}
