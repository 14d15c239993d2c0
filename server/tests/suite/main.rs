//! The server's integration tests, in one binary. Each test binary links the
//! whole shop (hundreds of megabytes with its debug line tables), so one binary
//! instead of one per file keeps CI's disk use and link time down. Two stay
//! apart: the export memory test installs its own global allocator, and the
//! observability tests read process-wide counters that no other test may move.

#[path = "../support/mod.rs"]
mod support;

mod accounts;
mod admin;
mod authz;
mod bad_input;
mod cancellation;
mod capacity;
mod catalogue;
mod checkin;
mod checkout;
mod code_entry;
mod code_sales;
mod codes;
mod covers;
mod door_staff;
mod event_languages;
mod events;
mod exports;
mod faults;
mod health;
mod languages;
mod mail;
mod migrations;
mod organizers;
mod pages;
mod payments;
mod pooler;
mod presale;
mod queue;
mod queue_check;
mod quotas;
mod refunds;
mod replica;
mod sales;
mod security;
mod session_users;
mod stock_invariant;
mod stripe_rules;
mod tickets;
mod valkey_cluster;
mod waiting_list;
