pub mod error_panel;
pub mod event_card;
pub mod form;
pub mod qr_camera;
pub mod refusal;
