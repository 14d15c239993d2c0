//! The signed-in users this instance has read, kept for a while: the auth
//! layer needs the session's user on every request (`auth::Users`), and
//! reading it from PostgreSQL each time was one query per request (static
//! files included).
//!
//! Why it stays right: any change to an account (or its removal) makes
//! PostgreSQL notify every instance at commit (the `users_changed` trigger), and
//! each instance listens and forgets that user's copy. Copies are kept only
//! while this instance hears its own probe (a notification it sends through
//! the pool every few seconds): when the listening connection drops, or
//! `LISTEN` holds nothing (a pooler in transaction mode), everything is
//! forgotten and nothing is kept until the probes come back. A copy
//! older than [`KEEP_FOR`] is read again anyway. What is left is the moment
//! between a change's commit and its notification (milliseconds), in which
//! another instance may still serve the old copy. On the instance that makes
//! a change, [`forget_here`] drops the copy at once (the writes in
//! `db::users` call it), so the next request there reads the new row.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sqlx::PgPool;
use sqlx::postgres::PgListener;
use uuid::Uuid;

/// The longest a copy is served without being read again.
pub const KEEP_FOR: Duration = Duration::from_secs(60);

/// Most copies kept; past it all are forgotten (one per user active in the last minute).
const MOST: usize = 100_000;

/// The channel the `users_changed` trigger notifies, with the user's id.
const CHANNEL: &str = "users_changed";

type Map<T> = Mutex<HashMap<Uuid, (Instant, T)>>;

/// What [`forget_here`] asks of each instance's copies.
trait Forget: Send + Sync {
    fn forget(&self, id: Uuid);
}

impl<T: Send> Forget for Map<T> {
    fn forget(&self, id: Uuid) {
        self.lock().unwrap_or_else(|e| e.into_inner()).remove(&id);
    }
}

/// Every instance's copies in this process, for [`forget_here`].
static IN_PROCESS: Mutex<Vec<std::sync::Weak<dyn Forget>>> = Mutex::new(Vec::new());

/// Drops `id`'s copy on every instance in this process: called by the writes
/// that change an account, before the notification reaches the others.
pub fn forget_here(id: Uuid) {
    let mut all = IN_PROCESS.lock().unwrap_or_else(|e| e.into_inner());
    all.retain(|copies| match copies.upgrade() {
        Some(copies) => {
            copies.forget(id);
            true
        }
        None => false,
    });
}

/// Users read on this instance (as `T`), forgotten when PostgreSQL says they changed.
pub struct KnownUsers<T> {
    copies: Arc<Map<T>>,
    /// Copies are kept only while notifications arrive.
    listening: Arc<AtomicBool>,
}

impl<T> Clone for KnownUsers<T> {
    fn clone(&self) -> Self {
        Self {
            copies: self.copies.clone(),
            listening: self.listening.clone(),
        }
    }
}

impl<T: Clone + Send + 'static> KnownUsers<T> {
    /// Starts listening for changes on a connection of its own made like
    /// `listen_via`'s (`DATABASE_LISTEN_URL` when `db` goes through a pooler),
    /// probing through `db`; the task ends when `db` closes.
    pub fn listen(db: PgPool, listen_via: PgPool) -> Self {
        let known = Self {
            copies: Arc::new(Mutex::new(HashMap::new())),
            listening: Arc::new(AtomicBool::new(false)),
        };
        let forget: Arc<dyn Forget> = known.copies.clone();
        IN_PROCESS
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(Arc::downgrade(&forget));
        tokio::spawn(known.clone().keep_listening(db, listen_via));
        known
    }

    /// The user `id`: the copy kept, else `load`'s answer (kept while listening).
    pub async fn get_or_load<E, F, Fut>(&self, id: Uuid, load: F) -> Result<Option<T>, E>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<Option<T>, E>>,
    {
        if let Some(user) = self.copy(id) {
            return Ok(Some(user));
        }
        // Whether this answer may be kept is decided before it is read: a
        // change notified while it is read then finds it already in place or
        // finds the listener down.
        let keep = self.listening.load(Ordering::Acquire);
        let user = load().await?;
        if let (true, Some(user)) = (keep, &user) {
            let mut copies = self.lock();
            if copies.len() >= MOST {
                copies.clear();
            }
            copies.insert(id, (Instant::now(), user.clone()));
        }
        Ok(user)
    }

    fn copy(&self, id: Uuid) -> Option<T> {
        if !self.listening.load(Ordering::Acquire) {
            return None;
        }
        let copies = self.lock();
        copies
            .get(&id)
            .filter(|(at, _)| at.elapsed() < KEEP_FOR)
            .map(|(_, user)| user.clone())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Uuid, (Instant, T)>> {
        self.copies.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Forgets `id`'s copy (a change was committed).
    fn forget(&self, id: Uuid) {
        self.lock().remove(&id);
    }

    fn forget_all(&self) {
        self.listening.store(false, Ordering::Release);
        self.lock().clear();
    }

    async fn keep_listening(self, db: PgPool, listen_via: PgPool) {
        while !db.is_closed() {
            match self.listen_once(&db, &listen_via).await {
                Ok(()) => tracing::info!("lost the users_changed notifications; listening again"),
                Err(err) => tracing::warn!(error = %err, "users_changed not listened to; retrying"),
            }
            self.forget_all();
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    }

    /// Listens until the connection drops (`Ok`) or cannot be made (`Err`).
    /// Copies are kept only while this instance hears its own probes: a
    /// notification it sends through the pool every [`PROBE_EVERY`] must come
    /// back before the next. Behind a pooler in transaction mode, where
    /// `LISTEN` holds no connection, none comes back, and nothing is kept.
    async fn listen_once(&self, db: &PgPool, listen_via: &PgPool) -> Result<(), sqlx::Error> {
        let mut listener = PgListener::connect_with(listen_via).await?;
        // A lost connection ends this listener (`Ok(None)`) instead of being
        // made again inside `try_recv`, with no way to tell when listening resumed.
        listener.eager_reconnect(false);
        listener.listen(CHANNEL).await?;
        let probes = Arc::new(Probes::default());
        let prober = tokio::spawn(self.clone().probe(db.clone(), probes.clone()));
        let heard = async {
            while let Some(note) = listener.try_recv().await? {
                let payload = note.payload();
                if let Some(seq) = probes.own(payload) {
                    probes.heard.fetch_max(seq, Ordering::AcqRel);
                    if seq == probes.sent.load(Ordering::Acquire)
                        && !self.listening.load(Ordering::Acquire)
                    {
                        // Anything read before now may have changed unnoticed.
                        self.lock().clear();
                        self.listening.store(true, Ordering::Release);
                    }
                } else if let Ok(id) = Uuid::parse_str(payload) {
                    self.forget(id);
                } else if !payload.starts_with(PROBE) {
                    self.lock().clear();
                }
            }
            Ok(())
        }
        .await;
        prober.abort();
        heard
    }

    /// Sends a probe every [`PROBE_EVERY`]; one not heard by then stops the
    /// copies until a later one is.
    async fn probe(self, db: PgPool, probes: Arc<Probes>) {
        loop {
            let sent = probes.sent.load(Ordering::Acquire);
            if sent > probes.heard.load(Ordering::Acquire) {
                self.forget_all();
            }
            let seq = sent + 1;
            probes.sent.store(seq, Ordering::Release);
            let payload = format!("{PROBE}{}:{seq}", probes.nonce);
            if let Err(err) = sqlx::query!(
                r#"SELECT 1 AS "sent!" FROM pg_notify($1, $2)"#,
                CHANNEL,
                payload
            )
            .fetch_one(&db)
            .await
            {
                tracing::debug!(error = %err, "users_changed probe not sent");
            }
            tokio::time::sleep(PROBE_EVERY).await;
        }
    }
}

/// How often an instance checks it still hears the notifications.
const PROBE_EVERY: Duration = Duration::from_secs(5);

/// What a probe's payload starts with (never a user's id).
const PROBE: &str = "probe:";

/// This listener's probes: sent and heard, by sequence number.
struct Probes {
    nonce: String,
    sent: std::sync::atomic::AtomicU64,
    heard: std::sync::atomic::AtomicU64,
}

impl Default for Probes {
    fn default() -> Self {
        Self {
            nonce: Uuid::new_v4().simple().to_string(),
            sent: Default::default(),
            heard: Default::default(),
        }
    }
}

impl Probes {
    /// The sequence number of one of this listener's own probes.
    fn own(&self, payload: &str) -> Option<u64> {
        payload
            .strip_prefix(PROBE)?
            .strip_prefix(self.nonce.as_str())?
            .strip_prefix(':')?
            .parse()
            .ok()
    }
}
