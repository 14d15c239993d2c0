//! Sessions in Valkey under the shop's key prefix (`{VALKEY_PREFIX}session:{id}`),
//! like every other key the shop writes, so several shops or test runs share
//! one Valkey without meeting. (tower-sessions' Redis store writes bare ids.)
//! A session key expires with its session.

use fred::prelude::{Expiration, KeysInterface, SetOptions};
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

use super::valkey::Valkey;

#[derive(Clone)]
pub struct ValkeySessions {
    valkey: Valkey,
}

impl std::fmt::Debug for ValkeySessions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ValkeySessions").finish_non_exhaustive()
    }
}

impl ValkeySessions {
    pub fn new(valkey: Valkey) -> Self {
        Self { valkey }
    }

    /// Where the session `id` lives.
    pub fn key(&self, id: &Id) -> String {
        self.valkey.key(&format!("session:{id}"))
    }

    /// Writes the record if `options` allows (NX: only a new id, XX: only an
    /// existing one); whether it was written.
    async fn write(&self, record: &Record, options: SetOptions) -> session_store::Result<bool> {
        let data = serde_json::to_vec(record)
            .map_err(|err| session_store::Error::Encode(err.to_string()))?;
        let expire = Expiration::EXAT(record.expiry_date.unix_timestamp());
        self.valkey
            .pool()
            .next()
            .set(
                self.key(&record.id),
                data.as_slice(),
                Some(expire),
                Some(options),
                false,
            )
            .await
            .map_err(backend)
    }
}

fn backend(err: fred::error::Error) -> session_store::Error {
    session_store::Error::Backend(err.to_string())
}

#[async_trait::async_trait]
impl SessionStore for ValkeySessions {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // A new id never takes over an existing session.
        while !self.write(record, SetOptions::NX).await? {
            record.id = Id::default();
        }
        Ok(())
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        self.write(record, SetOptions::XX).await?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let data: Option<Vec<u8>> = self
            .valkey
            .pool()
            .next()
            .get(self.key(id))
            .await
            .map_err(backend)?;
        data.map(|bytes| {
            serde_json::from_slice(&bytes)
                .map_err(|err| session_store::Error::Decode(err.to_string()))
        })
        .transpose()
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        let _: () = self
            .valkey
            .pool()
            .next()
            .del(self.key(id))
            .await
            .map_err(backend)?;
        Ok(())
    }
}
