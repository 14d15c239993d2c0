//! Password hashing with argon2id at OWASP's recommended cost.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::LazyLock;
use tokio::sync::Semaphore;

use super::{BackendError, BackendResult};

/// At most one hash per CPU at a time. Each takes 19 MiB and a core for tens of
/// milliseconds: more at once only queue inside the OS while every one holds
/// its memory (a burst of sign-ins otherwise swelled a server past 1.5 GB).
static HASHING: LazyLock<Semaphore> = LazyLock::new(|| {
    Semaphore::new(std::thread::available_parallelism().map_or(2, |cpus| cpus.get()))
});

/// Runs `work` on a blocking thread (it must not stall the async runtime) once
/// a hashing slot is free.
async fn on_hashing_thread<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> BackendResult<T> {
    let _slot = HASHING
        .acquire()
        .await
        .map_err(|err| BackendError::PasswordHash(err.to_string()))?;
    tokio::task::spawn_blocking(work)
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
