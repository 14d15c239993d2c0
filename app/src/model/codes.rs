//! An event's codes as its organizer manages them (issue 30): the form that
//! makes them and the list that shows them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::price::Discount;
use super::{Currency, VenueTime};

/// The form that makes codes, as typed: one code, a list of them (one per
/// line, or a CSV's first column), or, left empty, `count` random ones.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    pub codes: String,
    /// How many random codes, when `codes` is empty.
    #[serde(default)]
    pub count: String,
    /// `none`, `percent` or `amount`.
    #[serde(default)]
    pub discount_kind: String,
    /// The percentage or the amount off each ticket.
    #[serde(default)]
    pub discount: String,
    /// Tickets it may be used for in all; empty: no limit.
    #[serde(default)]
    pub max_uses: String,
    /// Tickets one buyer may take with it; empty: no limit.
    #[serde(default)]
    pub max_per_buyer: String,
    /// On the venue's clock (`datetime-local`); empty: from now, no end.
    #[serde(default)]
    pub valid_from: String,
    #[serde(default)]
    pub valid_until: String,
    /// The ticket types it covers, by checkbox (`types[0]`, `types[2]`, …:
    /// unticked boxes send nothing, hence a map).
    #[serde(default)]
    pub types: BTreeMap<String, Uuid>,
    /// A checkbox: a refunded ticket's use comes back to the code.
    #[serde(default)]
    pub gives_back: Option<String>,
}

/// One of the event's ticket types, to tick in the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeTypeChoice {
    pub id: Uuid,
    pub name: String,
    pub hidden: bool,
}

/// One code in the organizer's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeRow {
    pub id: Uuid,
    pub code: String,
    pub discount: Discount,
    /// The names of the types it covers.
    pub types: Vec<String>,
    pub used: i32,
    pub max_uses: Option<i32>,
    pub max_per_buyer: Option<i32>,
    pub valid_from: Option<VenueTime>,
    pub valid_until: Option<VenueTime>,
    pub disabled: bool,
    pub gives_back: bool,
}

/// The codes page of an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventCodesView {
    pub event_id: Uuid,
    pub title: String,
    pub currency: Currency,
    pub time_zone: String,
    pub types: Vec<CodeTypeChoice>,
    /// The newest first, at most [`CODES_SHOWN`] (the CSV has them all).
    pub codes: Vec<CodeRow>,
    /// How many the event has in all.
    pub total: i64,
}

/// Codes the page lists; a bulk batch of thousands is for the CSV.
pub const CODES_SHOWN: i64 = 200;
