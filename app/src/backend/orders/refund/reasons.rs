//! What a refund tells the buyer about why it happened. Stored with the
//! refund as written here.

pub const SOLD_OUT: &str = "Your payment arrived after the reservation had expired and the seats were sold to someone else, so it has been refunded in full.";

pub const MISMATCH: &str = "The amount paid did not match the order, so no tickets were issued and the payment has been refunded in full.";

pub const AT_STRIPE: &str = "This order was refunded in full, so its tickets no longer admit.";

pub const PART_AT_STRIPE: &str =
    "The organizer refunded part of your payment; your tickets still admit.";

pub const DISPUTE_LOST: &str = "Your bank gave the payment back to you after a dispute, so the order's tickets no longer admit.";
pub const CANCELLED_BY_BUYER: &str = "Cancelled by the buyer.";
