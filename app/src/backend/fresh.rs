//! Answers kept for a moment on each instance: during an on-sale everyone
//! reloads the same catalogue page, and one database query per second per
//! instance serves them all.
//!
//! Why a short lifetime and no invalidation messages: what such a page shows
//! changes in two ways, an organizer's edit and the availability figures, and
//! both may be a second or two old on a listing (checkout always decides on the
//! database's counters). An entry lives [`FRESH_FOR`]; after that the next
//! request asks the database again while the others arriving at the same
//! moment wait for that one answer instead of asking too (one query, not a
//! stampede). So every instance shows an edit within about a second, with
//! nothing to deliver and nothing to lose when Valkey or a message is down.
//! Only answers that are the same for everyone are kept (the catalogue
//! without a search text); anything personal is computed per request.

use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::OnceCell;

/// How long an answer is served from memory.
pub const FRESH_FOR: Duration = Duration::from_secs(1);

/// Most entries kept; past it the map is emptied (the keys are few in practice).
const MOST_ENTRIES: usize = 1024;

type Slot<V> = Arc<OnceCell<V>>;
/// Each key's answer (or the load under way) and when it was asked for.
type Entries<K, V> = Arc<Mutex<HashMap<K, (Instant, Slot<V>)>>>;

/// A per-instance map of answers, each fresh for [`FRESH_FOR`].
pub struct Fresh<K, V> {
    entries: Entries<K, V>,
    ttl: Duration,
}

impl<K, V> Clone for Fresh<K, V> {
    fn clone(&self) -> Self {
        Self {
            entries: self.entries.clone(),
            ttl: self.ttl,
        }
    }
}

impl<K: Eq + Hash + Clone, V: Clone> Default for Fresh<K, V> {
    fn default() -> Self {
        Self::new(FRESH_FOR)
    }
}

impl<K: Eq + Hash + Clone, V: Clone> Fresh<K, V> {
    pub fn new(ttl: Duration) -> Self {
        Self {
            entries: Arc::new(Mutex::new(HashMap::new())),
            ttl,
        }
    }

    /// The answer for `key`: the one kept, while fresh; else `load`'s, which
    /// the callers arriving meanwhile share. A failed load is not kept.
    pub async fn get_or_load<E, F, Fut>(&self, key: &K, load: F) -> Result<V, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<V, E>>,
    {
        let slot = {
            let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
            let now = Instant::now();
            match entries.get(key) {
                Some((at, slot)) if now.duration_since(*at) < self.ttl => slot.clone(),
                _ => {
                    if entries.len() >= MOST_ENTRIES {
                        entries.clear();
                    }
                    let slot: Slot<V> = Arc::new(OnceCell::new());
                    entries.insert(key.clone(), (now, slot.clone()));
                    slot
                }
            }
        };
        let result = slot.get_or_try_init(load).await.cloned();
        if result.is_err() {
            // Next time, ask again rather than keep an empty slot for a second.
            let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
            if entries.get(key).is_some_and(|(_, s)| Arc::ptr_eq(s, &slot)) {
                entries.remove(key);
            }
        }
        result
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    #[tokio::test]
    async fn one_load_per_lifetime_shared_by_concurrent_callers() {
        let fresh: Fresh<u8, usize> = Fresh::new(Duration::from_millis(200));
        let loads = Arc::new(AtomicUsize::new(0));
        let load = || {
            let loads = loads.clone();
            async move {
                tokio::time::sleep(Duration::from_millis(20)).await;
                Ok::<_, ()>(loads.fetch_add(1, Ordering::SeqCst) + 1)
            }
        };
        let answers = futures::future::join_all((0..50).map(|_| fresh.get_or_load(&1, load))).await;
        assert!(answers.iter().all(|a| *a == Ok(1)), "one load for all");
        assert_eq!(
            fresh.get_or_load(&2, load).await,
            Ok(2),
            "another key loads"
        );
        assert_eq!(fresh.get_or_load(&1, load).await, Ok(1), "still fresh");
        tokio::time::sleep(Duration::from_millis(250)).await;
        assert_eq!(
            fresh.get_or_load(&1, load).await,
            Ok(3),
            "stale: loaded again"
        );
        let failed = fresh
            .get_or_load(&3, || async { Err::<usize, _>("down") })
            .await;
        assert_eq!(failed, Err("down"));
        assert_eq!(
            fresh.get_or_load(&3, load).await,
            Ok(4),
            "a failure is not kept"
        );
    }
}
