//! Accounts and organizer applications as the UI sees them, and the parsing rules
//! for what users type (shared by the browser's live checks and the server).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{AppError, InputRefusal};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(
    feature = "ssr",
    sqlx(type_name = "user_role", rename_all = "lowercase")
)]
pub enum Role {
    Buyer,
    Organizer,
    Admin,
}

impl Role {
    /// The word for the role in messages ("buyer", "organizer", "admin").
    pub fn label(self) -> &'static str {
        match self {
            Self::Buyer => "buyer",
            Self::Organizer => "organizer",
            Self::Admin => "admin",
        }
    }
}

/// The signed-in user, as far as pages need to know.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserView {
    pub id: Uuid,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub email_verified: bool,
}

impl UserView {
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }
    pub fn is_organizer(&self) -> bool {
        self.role == Role::Organizer
    }
}

pub const PASSWORD_MIN: usize = 8;
/// Long enough for any passphrase, short enough that hashing stays cheap to refuse.
pub const PASSWORD_MAX: usize = 128;

/// A normalised (trimmed, lower-case) email address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str, field: &str) -> Result<Self, AppError> {
        Self::check(raw).map_err(|refusal| AppError::input(field, refusal))
    }
    /// The rule itself, which the browser's live check runs too.
    pub fn check(raw: &str) -> Result<Self, InputRefusal> {
        let email = raw.trim().to_lowercase();
        if email.is_empty() {
            return Err(InputRefusal::EmailMissing);
        }
        if email.len() > 254
            || !email_address::EmailAddress::is_valid(&email)
            || !email.contains('.')
        {
            return Err(InputRefusal::EmailMalformed);
        }
        Ok(Self(email))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A password that meets the length rules. Never trimmed: spaces are characters.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    pub fn parse(raw: &str, field: &str) -> Result<Self, AppError> {
        Self::check(raw).map_err(|refusal| AppError::input(field, refusal))
    }
    /// The rule itself, which the browser's live check runs too.
    pub fn check(raw: &str) -> Result<Self, InputRefusal> {
        let chars = raw.chars().count();
        if chars < PASSWORD_MIN {
            return Err(InputRefusal::PasswordTooShort {
                min: PASSWORD_MIN as u32,
            });
        }
        if chars > PASSWORD_MAX {
            return Err(InputRefusal::PasswordTooLong {
                max: PASSWORD_MAX as u32,
            });
        }
        Ok(Self(raw.to_string()))
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(..)")
    }
}

/// The longest name an account may have.
pub const NAME_MAX: usize = 100;

/// A person's name for their account: required, trimmed, at most [`NAME_MAX`].
pub fn parse_name(raw: &str, field: &str) -> Result<String, AppError> {
    check_name(raw).map_err(|refusal| AppError::input(field, refusal))
}

/// The rule of [`parse_name`], which the browser's live check runs too.
pub fn check_name(raw: &str) -> Result<String, InputRefusal> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(InputRefusal::NameMissing);
    }
    if name.chars().count() > NAME_MAX {
        return Err(InputRefusal::NameTooLong {
            max: NAME_MAX as u32,
        });
    }
    Ok(name.to_string())
}

/// A required single-line text, trimmed, with a maximum length, refused in
/// English words (the organizer's and admin's forms).
pub fn parse_text(raw: &str, field: &str, label: &str, max: usize) -> Result<String, AppError> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(AppError::invalid(field, format!("Enter {label}.")));
    }
    if text.chars().count() > max {
        return Err(AppError::invalid(
            field,
            format!("Keep {label} under {max} characters."),
        ));
    }
    Ok(text.to_string())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(
    feature = "ssr",
    sqlx(type_name = "organizer_kind", rename_all = "lowercase")
)]
pub enum OrganizerKind {
    Individual,
    Company,
}

impl OrganizerKind {
    pub fn parse(raw: &str, field: &str) -> Result<Self, AppError> {
        match raw {
            "individual" => Ok(Self::Individual),
            "company" => Ok(Self::Company),
            _ => Err(AppError::invalid(field, "Choose individual or company.")),
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Individual => "Individual",
            Self::Company => "Company",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(
    feature = "ssr",
    sqlx(type_name = "application_status", rename_all = "lowercase")
)]
pub enum ApplicationStatus {
    Pending,
    Approved,
    Rejected,
}

/// What an applicant fills in to become an organizer, after parsing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationForm {
    pub org_name: String,
    pub description: String,
    pub website: Option<String>,
    pub kind: OrganizerKind,
}

impl ApplicationForm {
    pub fn parse(
        org_name: &str,
        description: &str,
        website: &str,
        kind: &str,
    ) -> Result<Self, AppError> {
        let org_name = parse_text(org_name, "org_name", "the organization's name", 120)?;
        let description = description.trim().to_string();
        if description.chars().count() > 2000 {
            return Err(AppError::invalid(
                "description",
                "Keep the description under 2000 characters.",
            ));
        }
        let website = website.trim();
        let website = if website.is_empty() {
            None
        } else if (website.starts_with("https://") || website.starts_with("http://"))
            && website.len() <= 300
            && !website.contains(char::is_whitespace)
            && website
                .split("://")
                .nth(1)
                .is_some_and(|host| host.contains('.'))
        {
            Some(website.to_string())
        } else {
            return Err(AppError::invalid(
                "website",
                "Enter a full web address, like https://example.com, or leave it empty.",
            ));
        };
        let kind = OrganizerKind::parse(kind, "kind")?;
        Ok(Self {
            org_name,
            description,
            website,
            kind,
        })
    }
}

/// An organizer application, for the applicant and for admins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationView {
    pub id: Uuid,
    pub applicant_name: String,
    pub applicant_email: String,
    pub org_name: String,
    pub description: String,
    pub website: Option<String>,
    pub kind: OrganizerKind,
    pub status: ApplicationStatus,
    pub reason: Option<String>,
    pub decided_by_name: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            Email::parse("  Ada@Example.COM ", "email")
                .unwrap()
                .as_str(),
            "ada@example.com"
        );
        for bad in [
            "",
            "ada",
            "ada@",
            "@example.com",
            "ada@example",
            "a b@example.com",
        ] {
            let err = Email::parse(bad, "email").unwrap_err();
            assert!(err.for_field("email").is_some(), "{bad:?} accepted");
        }
    }

    #[test]
    fn passwords_have_length_limits() {
        assert!(Password::parse("12345678", "password").is_ok());
        assert_eq!(
            Password::parse("1234567", "password")
                .unwrap_err()
                .for_field("password")
                .unwrap(),
            "Use at least 8 characters."
        );
        assert_eq!(
            Password::check(&"x".repeat(129)).unwrap_err(),
            InputRefusal::PasswordTooLong { max: 128 }
        );
        assert!(!format!("{:?}", Password::parse("hunter22", "p").unwrap()).contains("hunter"));
    }

    #[test]
    fn names_are_trimmed_and_limited() {
        assert_eq!(parse_name("  Ada ", "name").unwrap(), "Ada");
        assert_eq!(check_name("  "), Err(InputRefusal::NameMissing));
        assert_eq!(
            check_name(&"x".repeat(101)),
            Err(InputRefusal::NameTooLong { max: 100 })
        );
        assert_eq!(
            parse_name("", "name")
                .unwrap_err()
                .for_field("name")
                .unwrap(),
            "Enter your name."
        );
    }

    #[test]
    fn email_refusals_are_typed_and_keep_their_english() {
        assert_eq!(Email::check(" "), Err(InputRefusal::EmailMissing));
        assert_eq!(
            Email::check("ada@example"),
            Err(InputRefusal::EmailMalformed)
        );
        assert_eq!(
            Email::parse("ada", "new_email")
                .unwrap_err()
                .for_field("new_email")
                .unwrap(),
            "Enter a valid email address, like name@example.com."
        );
    }

    #[test]
    fn application_forms_are_parsed() {
        let form = ApplicationForm::parse(" Acme Live ", "Gigs", "", "company").unwrap();
        assert_eq!(form.org_name, "Acme Live");
        assert_eq!(form.website, None);
        assert!(
            ApplicationForm::parse("", "x", "", "company")
                .unwrap_err()
                .for_field("org_name")
                .is_some()
        );
        assert!(
            ApplicationForm::parse("A", "x", "acme.example", "company")
                .unwrap_err()
                .for_field("website")
                .is_some()
        );
        assert!(
            ApplicationForm::parse("A", "x", "", "band")
                .unwrap_err()
                .for_field("kind")
                .is_some()
        );
        assert_eq!(
            ApplicationForm::parse("A", "", "https://acme.example", "individual")
                .unwrap()
                .website
                .as_deref(),
            Some("https://acme.example")
        );
    }
}

/// An event whose door the signed-in account staffs (their way back to its door page).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoorLink {
    pub event_id: Uuid,
    pub title: String,
    pub starts_at: crate::model::VenueTime,
}

impl DoorLink {
    pub fn href(&self) -> String {
        format!("/organizer/events/{}/checkin", self.event_id)
    }
}

/// Someone invited to check tickets in at an event's door.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoorStaffView {
    pub id: Uuid,
    pub email: String,
    /// Their name once they accepted.
    pub name: Option<String>,
    pub invited_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
    /// Not accepted in time.
    pub expired: bool,
}
