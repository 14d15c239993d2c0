//! Password hashing with argon2id at OWASP's recommended cost.

use crate::backend::error::{BackendError, BackendResult};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::LazyLock;

/// The threads that hash: one per CPU, the same threads for the life of the
/// process. Each hash takes 19 MiB and a core for tens of milliseconds; more at
/// once would only queue inside the OS while every one holds its memory. And
/// glibc keeps freed memory in the arena of the thread that used it, so hashing
/// on whichever blocking thread was free left a few hundred MiB behind after a
/// burst of sign-ins; a fixed pool bounds that to one buffer per thread.
static HASHING: LazyLock<rayon::ThreadPool> = LazyLock::new(|| {
    rayon::ThreadPoolBuilder::new()
        .num_threads(std::thread::available_parallelism().map_or(2, |cpus| cpus.get()))
        .thread_name(|n| format!("password-hash-{n}"))
        // A panic fails that one hash (its answer is dropped), not the process.
        .panic_handler(|_| tracing::error!("a password hash panicked"))
        .build()
        .expect("the password hashing threads start")
});

/// Runs `work` on a hashing thread (it must not stall the async runtime),
/// queued behind earlier hashes.
async fn on_hashing_thread<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> BackendResult<T> {
    let (done, answer) = tokio::sync::oneshot::channel();
    HASHING.spawn(move || {
        // The asker may have gone (a cancelled request): nothing to tell.
        let _ = done.send(work());
    });
    answer
        .await
        .map_err(|err| BackendError::PasswordHash(err.to_string()))
}

/// OWASP: argon2id, m = 19 MiB, t = 2, p = 1.
fn hasher() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

pub async fn hash_password(password: String) -> BackendResult<String> {
    on_hashing_thread(move || {
        let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
        hasher()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|err| BackendError::PasswordHash(err.to_string()))
    })
    .await?
}

/// Checks a password against a stored hash; a malformed hash counts as a mismatch.
pub async fn verify_password(password: String, hash: String) -> BackendResult<bool> {
    on_hashing_thread(move || {
        PasswordHash::new(&hash)
            .map(|parsed| {
                hasher()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_use_argon2id() {
        let hash = hash_password("correct horse".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(
            verify_password("correct horse".into(), hash.clone())
                .await
                .unwrap()
        );
        assert!(!verify_password("wrong horse".into(), hash).await.unwrap());
        assert!(
            !verify_password("x".into(), "not a hash".into())
                .await
                .unwrap()
        );
    }
}
