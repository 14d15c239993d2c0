//! `#[server]` functions by domain: thin wrappers that authorize, parse input and
//! call into `backend`. Each has a fixed endpoint under `/api/`.

pub mod admin;
pub mod auth;
pub mod cart;
pub mod catalogue;
pub mod checkin;
pub mod codes;
pub mod door_staff;
pub mod events;
pub mod orders;
pub mod organizers;
pub mod refunds;
pub mod sales;
pub mod waiting_list;
