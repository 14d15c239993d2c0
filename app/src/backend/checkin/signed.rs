//! Tickets a door can check without a network. A ticket's QR carries its id
//! and version signed with its event's Ed25519 key (`event_door_keys`, made
//! the first time a ticket of the event is shown), so a device holding the
//! event's public key tells a real ticket from a forged or altered one with
//! no network. The printed code under the QR keeps working as before.
//!
//! The payload: `TS1-` and, in URL-safe base64 without padding, the
//! ticket's id (16 bytes), its version (2 bytes, big-endian) and the
//! signature (64 bytes) over [`message`]: 114 characters, a small QR.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::signature::{ED25519, Ed25519KeyPair, KeyPair, UnparsedPublicKey};
use sqlx::PgPool;
use uuid::Uuid;

use crate::backend::error::{BackendError, BackendResult};

/// What a signed payload starts with (and a printed code never does).
pub const PREFIX: &str = "TS1-";

/// The signed message's first bytes: what was signed, and for what.
const TAG: &[u8] = b"ticket-sales:ticket:v1:";

const SIGNATURE_LEN: usize = 64;
const BODY_LEN: usize = 16 + 2 + SIGNATURE_LEN;
/// Its length in base64 (no padding).
const ENCODED_LEN: usize = (BODY_LEN * 4).div_ceil(3);

/// What a ticket's signature covers: its event, its id and its version.
pub fn message(event: Uuid, ticket: Uuid, version: u16) -> Vec<u8> {
    let mut message = Vec::with_capacity(TAG.len() + 34);
    message.extend_from_slice(TAG);
    message.extend_from_slice(event.as_bytes());
    message.extend_from_slice(ticket.as_bytes());
    message.extend_from_slice(&version.to_be_bytes());
    message
}

/// An event's door key: signs its tickets.
pub struct DoorKey {
    event: Uuid,
    pair: Ed25519KeyPair,
}

impl DoorKey {
    /// A fresh key pair for `event`, as PKCS#8.
    fn generate() -> BackendResult<Vec<u8>> {
        let rng = ring::rand::SystemRandom::new();
        Ed25519KeyPair::generate_pkcs8(&rng)
            .map(|doc| doc.as_ref().to_vec())
            .map_err(|_| BackendError::DoorKey("no randomness for a door key".into()))
    }

    /// The event's key, made (once, whoever asks first) when it has none.
    pub async fn of_event(db: &PgPool, event: Uuid) -> BackendResult<Self> {
        if let Some(pkcs8) = sqlx::query_scalar!(
            "SELECT pkcs8 FROM event_door_keys WHERE event_id = $1",
            event
        )
        .fetch_optional(db)
        .await?
        {
            return Self::read(event, &pkcs8);
        }
        let pkcs8 = Self::generate()?;
        let public = Self::read(event, &pkcs8)?.public_key();
        // Two first asks at once: one key is kept, and both read it back.
        sqlx::query!(
            "INSERT INTO event_door_keys (event_id, pkcs8, public_key) VALUES ($1, $2, $3)
             ON CONFLICT (event_id) DO NOTHING",
            event,
            pkcs8,
            &public[..]
        )
        .execute(db)
        .await?;
        let kept = sqlx::query_scalar!(
            "SELECT pkcs8 FROM event_door_keys WHERE event_id = $1",
            event
        )
        .fetch_one(db)
        .await?;
        Self::read(event, &kept)
    }

    fn read(event: Uuid, pkcs8: &[u8]) -> BackendResult<Self> {
        Ed25519KeyPair::from_pkcs8(pkcs8)
            .map(|pair| Self { event, pair })
            .map_err(|_| BackendError::DoorKey(format!("event {event}'s door key is unreadable")))
    }

    /// The public half, for the event's door devices.
    pub fn public_key(&self) -> [u8; 32] {
        let mut public = [0u8; 32];
        public.copy_from_slice(self.pair.public_key().as_ref());
        public
    }

    /// Ticket `ticket`'s payload at `version`.
    pub fn sign(&self, ticket: Uuid, version: u16) -> String {
        let signature = self.pair.sign(&message(self.event, ticket, version));
        let mut body = Vec::with_capacity(BODY_LEN);
        body.extend_from_slice(ticket.as_bytes());
        body.extend_from_slice(&version.to_be_bytes());
        body.extend_from_slice(signature.as_ref());
        format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(body))
    }
}

/// A door key's public half as a door device receives it.
pub fn encode_key(public_key: &[u8; 32]) -> String {
    URL_SAFE_NO_PAD.encode(public_key)
}

/// A payload as read from a QR, not yet checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedCode {
    pub ticket: Uuid,
    pub version: u16,
    signature: Vec<u8>,
}

impl SignedCode {
    /// The payload in `text`, if it has the payload's form (whether it is
    /// signed is [`Self::signed_by`]'s question).
    pub fn read(text: &str) -> Option<Self> {
        // The length first: a scanner's input may be anything, of any size.
        let encoded = text.trim().strip_prefix(PREFIX)?;
        if encoded.len() != ENCODED_LEN {
            return None;
        }
        let body = URL_SAFE_NO_PAD.decode(encoded).ok()?;
        Some(Self {
            ticket: Uuid::from_slice(&body[..16]).ok()?,
            version: u16::from_be_bytes([body[16], body[17]]),
            signature: body[18..].to_vec(),
        })
    }

    /// Whether `event`'s key (its public half) signed this payload.
    pub fn signed_by(&self, event: Uuid, public_key: &[u8]) -> bool {
        UnparsedPublicKey::new(&ED25519, public_key)
            .verify(&message(event, self.ticket, self.version), &self.signature)
            .is_ok()
    }
}

/// Signs tickets of any events, reading each event's key once.
pub struct Signer<'a> {
    db: &'a PgPool,
    keys: Vec<DoorKey>,
}

impl<'a> Signer<'a> {
    pub fn new(db: &'a PgPool) -> Self {
        Self {
            db,
            keys: Vec::new(),
        }
    }

    /// The payload of `event`'s ticket `ticket` at `version`.
    pub async fn sign(&mut self, event: Uuid, ticket: Uuid, version: u16) -> BackendResult<String> {
        if !self.keys.iter().any(|key| key.event == event) {
            self.keys.push(DoorKey::of_event(self.db, event).await?);
        }
        let key = self
            .keys
            .iter()
            .find(|key| key.event == event)
            .expect("just read");
        Ok(key.sign(ticket, version))
    }
}

/// The printed code of the ticket a signed payload names, when its event's
/// key signed it at the ticket's current version; `None` for anything else
/// (forged, altered, an older version, no such ticket).
pub async fn printed_code(db: &PgPool, signed: &SignedCode) -> BackendResult<Option<String>> {
    let ticket = sqlx::query!(
        r#"SELECT p.code, p.version, t.event_id, k.public_key
           FROM tickets p JOIN ticket_types t ON t.id = p.ticket_type_id
           JOIN event_door_keys k ON k.event_id = t.event_id
           WHERE p.id = $1"#,
        signed.ticket
    )
    .fetch_optional(db)
    .await?;
    Ok(ticket
        .filter(|p| {
            i32::from(p.version) == i32::from(signed.version)
                && signed.signed_by(p.event_id, &p.public_key)
        })
        .map(|p| p.code))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(event: Uuid) -> DoorKey {
        DoorKey::read(event, &DoorKey::generate().unwrap()).unwrap()
    }

    #[test]
    fn a_payload_is_read_back_and_checked_against_its_events_key() {
        let (event, ticket) = (Uuid::new_v4(), Uuid::new_v4());
        let door = key(event);
        let text = door.sign(ticket, 3);
        assert!(text.starts_with(PREFIX));
        assert_eq!(text.len(), PREFIX.len() + 110, "{text}");
        let read = SignedCode::read(&text).expect("its form");
        assert_eq!((read.ticket, read.version), (ticket, 3));
        assert!(read.signed_by(event, &door.public_key()));
        // Another event's key, or this key's signature claimed for another event.
        let other = Uuid::new_v4();
        assert!(!read.signed_by(event, &key(other).public_key()));
        assert!(!read.signed_by(other, &door.public_key()));
        // Any byte changed: the id, the version, the signature.
        let body = URL_SAFE_NO_PAD.decode(&text[PREFIX.len()..]).unwrap();
        for at in [0, 15, 16, 17, 18, BODY_LEN - 1] {
            let mut altered = body.clone();
            altered[at] ^= 1;
            let altered = format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(altered));
            let read = SignedCode::read(&altered).expect("still its form");
            assert!(!read.signed_by(event, &door.public_key()), "byte {at}");
        }
        // Not the form at all.
        for text in [
            "",
            "TS1-",
            "ts1-abc",
            "abcdef0123456789",
            &text[..text.len() - 2],
        ] {
            assert_eq!(SignedCode::read(text), None, "{text}");
        }
    }
}
