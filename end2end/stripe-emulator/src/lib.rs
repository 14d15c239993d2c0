//! The Stripe emulator (work in progress).
