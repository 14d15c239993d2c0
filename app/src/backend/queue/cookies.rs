//! The queue's two signed cookies: a visitor's place and number (so a poll
//! needs neither the session, the database nor Valkey) and, once admitted, a short-lived
//! admission bound to the account or session, which checkout requires.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use uuid::Uuid;

use super::{Member, Visitor};

/// Signs what the shop hands a visitor: their place, their admission.
#[derive(Clone)]
pub struct QueueCookies {
    key: Vec<u8>,
}

impl QueueCookies {
    pub fn new(secret: &[u8]) -> Self {
        let mut key = b"queue:".to_vec();
        key.extend_from_slice(secret);
        Self { key }
    }

    pub(super) fn sign(&self, text: &str) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("any key length");
        mac.update(text.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    pub(super) fn verify(&self, text: &str, signature: &str) -> bool {
        let Ok(bytes) = hex::decode(signature) else {
            return false;
        };
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("any key length");
        mac.update(text.as_bytes());
        mac.verify_slice(&bytes).is_ok()
    }

    /// The visitor as the queue knows them.
    pub fn member(&self, visitor: Visitor) -> Member {
        let digest = self.sign(&format!("v.{}", visitor.identity()));
        Member(digest[..32].to_string())
    }

    /// A client address as the queue counts places by it (never the address
    /// itself). An IPv6 address counts by its /64: one household's or phone's
    /// network, whose devices each pick addresses of their own in it.
    pub fn address(&self, ip: &str) -> String {
        let network = match ip.parse::<std::net::IpAddr>() {
            Ok(std::net::IpAddr::V6(v6)) if v6.to_ipv4_mapped().is_none() => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
            Ok(std::net::IpAddr::V6(v6)) => v6
                .to_ipv4_mapped()
                .map(|v4| v4.to_string())
                .unwrap_or_default(),
            _ => ip.to_string(),
        };
        self.sign(&format!("ip.{network}"))[..32].to_string()
    }

    /// The visitor's place in `event`'s queue and its number (`None` until
    /// the draw), as a cookie value.
    pub fn place(&self, event: Uuid, member: &Member, number: Option<u64>) -> String {
        let number = number.unwrap_or(0);
        let text = format!("p.{}.{}.{number}", event.simple(), member.0);
        format!("{}.{number}.{}", member.0, self.sign(&text))
    }

    /// Who holds the place and its number, if the cookie value is one the
    /// shop signed for `event`.
    pub fn read_place(&self, event: Uuid, value: &str) -> Option<(Member, Option<u64>)> {
        let mut parts = value.rsplitn(3, '.');
        let (Some(signature), Some(number), Some(member)) =
            (parts.next(), parts.next(), parts.next())
        else {
            return None;
        };
        let member = Member::parse(member)?;
        let number = number.parse::<u64>().ok()?;
        let text = format!("p.{}.{}.{number}", event.simple(), member.0);
        self.verify(&text, signature)
            .then_some((member, (number > 0).then_some(number)))
    }

    /// An admission to `event`'s checkout until `until_ms`, as a cookie value.
    pub fn admission(&self, event: Uuid, member: &Member, until_ms: i64) -> String {
        let text = format!("a.{}.{}.{until_ms}", event.simple(), member.0);
        format!("{}.{until_ms}.{}", member.0, self.sign(&text))
    }

    /// The admission the cookie value gives one of `members` to `event` at `now_ms`.
    pub fn admits(
        &self,
        event: Uuid,
        value: &str,
        members: &[Member],
        now_ms: i64,
    ) -> Option<Admission> {
        let mut parts = value.rsplitn(3, '.');
        let (Some(signature), Some(until), Some(member)) =
            (parts.next(), parts.next(), parts.next())
        else {
            return None;
        };
        let until_ms = until.parse::<i64>().ok()?;
        let text = format!("a.{}.{member}.{until_ms}", event.simple());
        (until_ms > now_ms
            && members.iter().any(|m| m.0 == member)
            && self.verify(&text, signature))
        .then(|| Admission {
            id: format!("{member}.{until_ms}"),
            until_ms,
        })
    }
}

/// One admission to an event's checkout: who it was given to and until when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Admission {
    /// The same for every copy of the one cookie.
    pub id: String,
    pub until_ms: i64,
}

/// The cookie holding a visitor's place in `event`'s queue.
pub fn place_cookie(event: Uuid) -> String {
    format!("ts_q_{}", event.simple())
}

/// The cookie holding a visitor's admission to `event`'s checkout.
pub fn admission_cookie(event: Uuid) -> String {
    format!("ts_admit_{}", event.simple())
}

/// What a request shows of the visitor's admissions: the admission cookies it
/// carries, and who the visitor is (their account, their guest session).
pub struct Gate {
    cookies: QueueCookies,
    admissions: Vec<(String, String)>,
    members: Vec<Member>,
}

impl Gate {
    pub fn new(secret: &[u8], cookie_header: &str, visitors: Vec<Visitor>) -> Self {
        let admissions = tower_sessions::cookie::Cookie::split_parse(cookie_header)
            .filter_map(Result::ok)
            .filter(|cookie| cookie.name().starts_with("ts_admit_"))
            .map(|cookie| {
                let value = cookie.value_trimmed().to_string();
                (cookie.name().to_string(), value)
            })
            .collect();
        let cookies = QueueCookies::new(secret);
        let members = visitors.into_iter().map(|v| cookies.member(v)).collect();
        Self {
            cookies,
            admissions,
            members,
        }
    }

    /// The visitor's live admission to `event`'s checkout, if they hold one.
    pub fn admission(&self, event: Uuid) -> Option<Admission> {
        let name = admission_cookie(event);
        let now_ms = chrono::Utc::now().timestamp_millis();
        self.admissions
            .iter()
            .filter(|(n, _)| *n == name)
            .find_map(|(_, value)| self.cookies.admits(event, value, &self.members, now_ms))
    }

    /// Whether the visitor holds a live admission to `event`'s checkout (who
    /// may use it is settled at checkout: [`claim_admission`]).
    pub fn admits(&self, event: Uuid) -> bool {
        self.admission(event).is_some()
    }
}
