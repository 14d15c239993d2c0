pub mod account;
pub mod admin;
pub mod home;
pub mod not_found;
pub mod organizer;
pub mod sign_in;
pub mod sign_up;
