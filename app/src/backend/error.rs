//! Errors of the server-side layer, mapped once into what the user sees.

use crate::error::{AppError, InputRefusal, Service};

pub type BackendResult<T> = Result<T, BackendError>;

#[derive(Debug, thiserror::Error)]
pub enum BackendError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("cache error: {0}")]
    Valkey(#[from] fred::error::Error),
    #[error("password hashing error: {0}")]
    PasswordHash(String),
    /// A service the shop needs could not be set up as it started (said to
    /// whoever started it, never to a visitor).
    #[error("{0}")]
    Setup(String),
    /// An event's door key could not be made or read (a bug or a damaged
    /// row: the ticket is not shown rather than shown unsigned).
    #[error("door key: {0}")]
    DoorKey(String),
    /// A user-facing refusal decided by domain logic (validation, access).
    #[error("{0}")]
    User(AppError),
}

impl From<AppError> for BackendError {
    fn from(value: AppError) -> Self {
        Self::User(value)
    }
}

impl BackendError {
    /// PostgreSQL refused a value itself (SQLSTATE class 22, "data exception":
    /// a NUL byte in text, a number or date out of range). Input the shop's own
    /// checks let through is the sender's fault, never a 500.
    fn is_bad_data(&self) -> bool {
        matches!(self, Self::Database(sqlx::Error::Database(db))
            if db.code().is_some_and(|code| code.starts_with("22")))
    }

    /// True when the failure is the database or cache being unreachable rather
    /// than a bug: the user is told to retry instead of "something went wrong".
    fn is_outage(&self) -> bool {
        match self {
            Self::Database(err) => matches!(
                err,
                sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed
            ),
            Self::Valkey(err) => matches!(
                err.kind(),
                fred::error::ErrorKind::IO
                    | fred::error::ErrorKind::Timeout
                    | fred::error::ErrorKind::Canceled
            ),
            _ => false,
        }
    }
}

/// What a replica may answer wrongly but the primary rightly: not found (a
/// row too new for it) or no answer at all.
impl super::db::replica::ReplicaMayLack for BackendError {
    fn replica_may_lack(&self) -> bool {
        matches!(self, Self::User(AppError::NotFound)) || self.is_outage()
    }
}

impl From<BackendError> for AppError {
    fn from(err: BackendError) -> Self {
        if let BackendError::User(user) = err {
            return user;
        }
        if let BackendError::Database(db_err) = &err
            && let Some(refusal) = super::db::constraint_refusal(db_err)
        {
            tracing::info!(error = %err, "input refused by a constraint");
            return refusal;
        }
        if err.is_bad_data() {
            tracing::info!(error = %err, "input refused by the database");
            return AppError::input_refused(InputRefusal::Unreadable);
        }
        // The full detail goes to the log; the browser gets a plain sentence.
        tracing::error!(error = %err, "request failed");
        if err.is_outage() {
            match err {
                BackendError::Valkey(_) => AppError::SessionsUnavailable,
                _ => AppError::Unavailable(Service::Shop),
            }
        } else {
            AppError::Internal
        }
    }
}

impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        BackendError::from(err).into()
    }
}
