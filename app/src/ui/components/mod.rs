pub mod error_panel;
pub mod event_card;
