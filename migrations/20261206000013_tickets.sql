-- One word for what a buyer holds: a ticket (the glossary's word, already
-- the Rust types' and the UI's). The tables, their columns, constraints and
-- indexes follow; /passes/{id} redirects to /tickets/{id} for links already
-- mailed. No function or view names these tables, so nothing else changes.
ALTER TABLE passes RENAME TO tickets;
ALTER TABLE tickets RENAME CONSTRAINT passes_pkey TO tickets_pkey;
ALTER TABLE tickets RENAME CONSTRAINT passes_code_key TO tickets_code_key;
ALTER TABLE tickets RENAME CONSTRAINT passes_seat_key TO tickets_seat_key;
ALTER TABLE tickets RENAME CONSTRAINT passes_seat_no_check TO tickets_seat_no_check;
ALTER TABLE tickets RENAME CONSTRAINT passes_code_check TO tickets_code_check;
ALTER TABLE tickets RENAME CONSTRAINT passes_check_in_check TO tickets_check_in_check;
ALTER TABLE tickets RENAME CONSTRAINT passes_order_id_fkey TO tickets_order_id_fkey;
ALTER TABLE tickets RENAME CONSTRAINT passes_checked_in_by_fkey TO tickets_checked_in_by_fkey;
ALTER TABLE tickets RENAME CONSTRAINT passes_ticket_type_id_fkey TO tickets_ticket_type_id_fkey;
ALTER TABLE tickets RENAME CONSTRAINT passes_price_not_negative TO tickets_price_not_negative;
ALTER INDEX passes_ticket_type RENAME TO tickets_ticket_type;

ALTER TABLE refund_passes RENAME TO refund_tickets;
ALTER TABLE refund_tickets RENAME COLUMN pass_id TO ticket_id;
ALTER TABLE refund_tickets RENAME CONSTRAINT refund_passes_pkey TO refund_tickets_pkey;
ALTER TABLE refund_tickets RENAME CONSTRAINT refund_passes_once TO refund_tickets_once;
ALTER TABLE refund_tickets RENAME CONSTRAINT refund_passes_refund_id_fkey TO refund_tickets_refund_id_fkey;
ALTER TABLE refund_tickets RENAME CONSTRAINT refund_passes_pass_id_fkey TO refund_tickets_ticket_id_fkey;
ALTER TABLE refund_tickets RENAME CONSTRAINT refund_passes_amount_minor_check TO refund_tickets_amount_minor_check;
