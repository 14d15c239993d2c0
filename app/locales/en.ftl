# The shop's words in English: the reference every other file follows. A key
# missing from another language's file shows in English (a unit test lists it).

## Every page

shop-name = Ticket Sales
shop-description = Tickets for concerts, comedy, theatre and conferences.
skip-to-content = Skip to content
nav-events = Events
nav-cart = Cart
nav-sign-in = Sign in
nav-sign-up = Sign up
nav-organizer = Organizer
nav-admin = Admin
nav-orders = Orders
nav-sign-out = Sign out
nav-language = Language
footer-tagline = Ticket Sales · open-source ticketing written in Rust

## The catalogue (home page)

home-title = Find your next night out
home-lead = Concerts, comedy, theatre and conferences. Pay securely, get a QR ticket for every seat.
home-loading = Loading events…
search-label = Search
search-placeholder = Artist, event or venue
search-filters = Filters
search-from = From
search-to = To
search-min-price = Min price
search-max-price = Max price
search-available = Available only
search-sort = Sort events
sort-date = Soonest first
sort-price = Lowest price
search-submit = Search
results-count = { $count ->
    [one] 1 event
   *[other] { $count } events
}
results-by-currency = { $count ->
    [one] 1 event
   *[other] { $count } events
}, cheapest first within each currency ({ $currencies })
results-currency-then = , then
no-results-prices = No event can match: the lowest price asked for is above the highest. Swap them, or clear one.
no-results-dates = No event can match: the “From” date is after the “To” date. Swap them, or clear one.
no-results = No events match your search. Try fewer words or a wider date range.
pages-label = Pages
page-previous = Previous
page-next = Next
page-of = Page { $page } of { $pages }

## An event's card

card-untitled = Untitled event
card-by = by { $organizer }
card-on-sale = On sale { $date }
card-free = Free
card-free-and-paid = Free and paid
card-from = from { $price }
availability-sold-out = Sold out
availability-only-left = Only { $count } left
availability-available = Available

## What goes wrong, in plain words

error-unauthorized = Please sign in to continue.
error-forbidden = You do not have access to this page.
error-not-found = We could not find what you were looking for.
error-suspended = Your organizer account is suspended by an admin, so this is not possible now. Refunds to your buyers and your door still work; write to { $support } to have the suspension lifted.
error-rate-limited = Too many attempts. Try again in { $seconds } seconds.
error-unavailable-shop = The shop is temporarily unavailable. Please try again in a moment.
error-unavailable-payments = The payment provider is temporarily unavailable. Please try again in a moment.
error-unavailable-images = Storing images is temporarily unavailable. Please try again in a moment.
error-sessions-unavailable = Signing in and carts are temporarily unavailable. Please try again in a moment; if your cart is empty then, add your tickets again.
error-payment-unavailable = The payment provider could not be reached. Nothing was charged and your seats were released; please try again.
error-checkout-pending = Your payment page is still being prepared. Your seats stay reserved; please try again in a moment.
error-internal = Something went wrong on our side. Please try again.
error-network = Could not reach the shop. Check your connection and try again.
refusal-empty-cart = Your cart is empty.
refusal-no-longer-exists = A ticket in your cart no longer exists; please remove it.
refusal-not-on-sale = { $title } is no longer on sale.
refusal-code-not-accepted = The code { $code } cannot be used for this order.
refusal-presale-only = { $title } is in a presale: until it ends, only tickets your code covers are sold.
refusal-code-used-up-by-buyer = You have used the code { $code } for { $most } tickets, as many as one buyer may.
refusal-not-admitted = The sale of { $title } is queued: wait in the queue for your turn to check out.
refusal-sales-paused = Sales for { $title } are paused.
refusal-not-open-yet = Sales for { $title } have not opened yet.
refusal-sale-ended = Sales for { $title } have ended.
refusal-sold-out = { $title } is sold out.
refusal-over-per-order = At most { $max } tickets per order for { $title }.
refusal-only-left = Only { $left } left for { $title }.
refusal-buyer-holds-maximum = You already have { $have } tickets for { $title }, the most one buyer may hold.
refusal-buyer-may-add = You already have { $have } tickets for { $title }; one buyer may hold { $max }, so you can add { $more } more.
refusal-mixed-currencies = Your cart has tickets priced in different currencies; please buy them in separate orders.
refusal-over-maximum-charge = One order can total at most { $most }; please buy fewer tickets at once.
refusal-price-changed = The price of { $title } has just changed; please check your cart and try again.
refusal-try-again = { $title } could not be reserved; please try again.
refusal-email-not-verified = Confirm your email address before checkout: open the link we sent to { $email }, or ask for a new one.

# The event page and the cart, in English (the reference). Merged into ../en.ftl.

## An event's page
## (Also shown there: availability-sold-out, availability-only-left and
## availability-available, from the catalogue's section.)

event-loading = Loading…
# $end: when the event ends (date and time at the venue); $organizer: a name.
event-until-by = Until { $end } · by { $organizer }
# $zone: an IANA time zone, e.g. Europe/Berlin.
event-time-zone = Times are the venue's local time ({ $zone }).
event-queue-admitted = It is your turn: choose your tickets and check out.
event-queue-notice = So that everyone gets a fair chance, tickets for this event are sold through a queue: visitors are let through in turn.
event-queue-join = Wait in the queue
event-queue-opens = Places in the queue open on { $date }. Everyone who takes one before the sale opens is drawn in a random order.
event-waiting-list = Waiting list
event-waiting-list-joined = You are on the waiting list. If seats come back, they are held for you and we mail you.
event-presale = Presale for code holders until { $date }: sign in and enter your code above before you join the queue to be drawn first. Everyone else is drawn then.
event-code-label = Have a code?
event-code-apply = Apply
event-code-applied = Code { $code } is applied.
event-code-percent = { $percent }% off the tickets it covers.
event-code-amount = { $amount } off each ticket it covers.
event-code-unlocks = It unlocks tickets not on general sale.
event-code-not-valid = This code is not valid for this event.
event-code-too-many = Too many wrong codes. Try again in { $minutes } min.
event-list-price = List price { $price }
event-quota-until = Set aside for code holders until { $date }
# $type: a ticket type's name ("Standing").
event-waiting-list-quantity = { $type }: how many
event-waiting-list-join = Join the waiting list for { $type }
event-picker-limit = Up to { $max } per order
# Button labels for screen readers, beside "−" and "+".
event-picker-fewer = One fewer { $type }
event-picker-more = One more { $type }
# $total: an amount of money, already written ("€29.00").
event-picker-total = Total { $total }
event-add-to-cart = Add to cart
event-added-to-cart = Added to your cart.
event-view-cart = View cart

## Where a sale stands (an event's page)

# $date: a date and time at the venue.
sale-open-until = On sale until { $date }
sale-opens-from = On sale from { $date }
sale-ended = Sale ended
sale-cancelled = This event has been cancelled
sale-paused = Sales are paused
sale-draft = Draft: only you can see this page. Publish the event to sell tickets.
sale-on-sale = On sale

## The cart

cart-title = Your cart
cart-loading = Loading your cart…
cart-empty = Your cart is empty.
cart-updated = Cart updated.
cart-browse = Browse events
# $total: one amount per currency, joined by " + " ("€10.00 + £5.00").
cart-total = Total { $total }
cart-pending-order = You have an order waiting for payment; its seats are held for you.
cart-continue-payment = Continue to payment
cart-view-order = View the order
cart-cancel-order = Cancel it and release the seats
cart-get-free = Get free tickets
cart-check-out = Check out
cart-sign-in-to-check-out = Sign in to check out
cart-seats-held = Seats are held for you only once you check out.
# $price: one ticket's price, already written.
cart-line-each = { $price } each
cart-line-each-with-code = { $price } each with code { $code } (list price { $list })
cart-code = Code { $code } for { $event }
cart-code-not-valid = Code { $code } for { $event } is no longer valid; remove it to check out.
cart-code-too-few = Code { $code } for { $event } can be used for { $left } more tickets only; lower the quantity or remove the code.
cart-code-remove = Remove code
# $count: tickets of this type still available.
cart-line-available = { $count } available
# The quantity field's label (for screen readers).
cart-quantity = Quantity
cart-update = Update
cart-remove = Remove

## Signing in

signin-title = Sign in
signin-new-here = New here?
signin-create-account = Create an account
signin-password-reset = Your password was changed and every other session signed out. Sign in with the new one.
signin-forgot-password = Forgot your password?
signin-email = Email
signin-password = Password
signin-submit = Sign in

## Signing up

signup-sent-title = Check your mail
signup-sent-text = We sent a message to the address you gave. Open its link to confirm your address, then sign in.
signup-sent-spam = Nothing after a few minutes? Check your spam folder. If that address has an account already, the message says how to sign in instead.
signup-sign-in = Sign in
signup-title = Create an account
signup-have-account = Already have one?
signup-name = Name
signup-email = Email
signup-password = Password
signup-password-hint = { $min } to { $max } characters.
signup-submit = Create account

## The buyer's orders

orders-title = Your orders
orders-loading = Loading…
orders-empty = No orders yet.
# $date: when the order was placed; $status: one of order-buyer-*, orders-status-*
orders-line = Order { $reference } · { $date } · { $status }
orders-status-pending = Waiting for payment until { $until }
orders-status-refunded = Refunded: { $reason }

## An order's status as its buyer reads it

order-buyer-pending = Waiting for payment
order-buyer-paid = Paid
order-buyer-expired = Expired: not paid in time
order-buyer-cancelled = Cancelled by you
order-buyer-declined = Payment declined
order-buyer-refunded = Refunded

## One order

order-title = Your order
order-loading = Loading…
# Followed by the order's reference: "Order 1F3A9C2E".
order-heading = Order
order-placed = Placed { $date }
order-paid = paid { $date }
order-confirming = Payment received, confirming…
order-status-waiting = Waiting for payment. Your seats are held until { $until }.
order-status-disputed = The payment for this order is disputed with your bank, so its tickets do not admit until the dispute is resolved.
order-status-free = Confirmed: { $count ->
        [one] 1 ticket
       *[other] { $count } tickets
    } issued, free.
order-status-paid = Paid. { $count ->
        [one] 1 ticket
       *[other] { $count } tickets
    } issued.
# $refunded: how many of the tickets; $amount: the money paid back.
order-status-partly-refunded = Paid. { $count ->
        [one] 1 ticket
       *[other] { $count } tickets
    } issued, { $refunded } of them refunded ({ $amount } refunded).
order-status-expired = Expired: no payment arrived while the seats were held, so they went back on sale. Nothing was charged.
order-status-cancelled = Cancelled by you before paying; the seats went back on sale. Nothing was charged.
order-status-declined = Payment declined: your bank did not accept the payment, so the seats went back on sale. Nothing was charged.
# $reason: one of order-refund-*, or the organizer's own words.
order-status-refunded = Refunded. { $reason }
order-total = Total { $total }
order-line-code = Code { $code }: { $amount } off each ticket
order-line-code-only = Code { $code }
order-your-tickets = Your tickets
order-ticket-link = { $title } · { $type } · ticket { $seat }
order-ticket-checked-in = checked in { $at }
order-ticket-refunded = refunded
order-cancel-offer = You can cancel { $count ->
        [one] 1 ticket
       *[other] { $count } tickets
    } until { $until } and get { $refund } back.
order-cancel-offer-fee = You can cancel { $count ->
        [one] 1 ticket
       *[other] { $count } tickets
    } until { $until } and get { $refund } back (the organizer keeps { $fee }).
order-cancel-submit = Cancel my tickets
order-pay = Continue to payment
order-cancel-order = Cancel this order and release the seats

## Why money went back to the buyer

order-refund-event-cancelled = The event was cancelled: { $reason }
order-refund-buyer-cancelled = Cancelled by the buyer.
order-refund-paid-too-late = Your payment arrived after the reservation had expired and the seats were sold to someone else, so it has been refunded in full.
order-refund-amount-mismatch = The amount paid did not match the order, so no tickets were issued and the payment has been refunded in full.
order-refund-refunded-at-stripe = This order was refunded in full, so its tickets no longer admit.
order-refund-partly-refunded-at-stripe = The organizer refunded part of your payment; your tickets still admit.
order-refund-dispute-lost = Your bank gave the payment back to you after a dispute, so the order's tickets no longer admit.

## One ticket

ticket-title = Your ticket
ticket-loading = Loading…
ticket-seat = Ticket { $seat } of { $seats } in this order
ticket-qr-label = QR code of this ticket, to show at the door; its code is { $code }
ticket-refunded = Refunded { $at }: this ticket no longer admits.
ticket-checked-in = Checked in { $at }

## A page that is not there

notfound-title = Page not found
notfound-text = The page you asked for does not exist or has moved.
notfound-browse = Browse events

## A page refused or failed

refusal-forbidden-title = Not for your account
refusal-forbidden-text = You do not have access to this page.
refusal-load-failed = Sorry, this page could not be loaded.

## The queue's holding page

queue-for = Queue for
queue-this-event = this event
queue-sale-opens = Sale opens
queue-title = Queue · Ticket Sales
queue-verify-first-title = Confirm your email address first
queue-verify-first-text = A place in this queue needs an account whose email address is confirmed: open the link we sent you (or ask for a new one on your account page), then come back.
queue-not-open-title = The queue is not open yet
queue-not-open-text = Places in the queue for this sale are taken from { $time }. Everyone who takes one before the sale opens is drawn in a random order, so coming back then costs you nothing.
queue-check-heading = Checking your browser
queue-check-text = Before you take a place, your browser solves a small puzzle: it stops programs from taking places by the thousand. It takes a few seconds; keep this page open.
queue-check-starting = Starting the check…
queue-check-progress = Checked # %
queue-check-broken = Your browser could not run the check. Reload the page to try again.
queue-needs-js = The queue needs JavaScript: it checks that a browser, not a program, takes each place. Turn JavaScript on and reload this page.
queue-title-for = Queue for { $title } · Ticket Sales
queue-in-queue = You are in the queue
queue-place = Your place: { $position } of { $waiting }
queue-waiting = { $count ->
    [one] { $waiting } visitor is waiting.
   *[other] { $waiting } visitors are waiting.
}
queue-estimated-wait = Estimated wait: { $wait }.
queue-before-opening = The sale has not opened yet. When it opens, everyone waiting now is put in a random order: arriving earlier or opening more tabs does not move you forward.
queue-presale = The presale for code holders comes first: those who entered a code for this event are drawn at the opening. Everyone else is drawn when the presale ends, after them. Arriving earlier or opening more tabs does not move you forward.
queue-general-draw = The presale for code holders is on. Your place is in the general sale's draw when it ends: everyone waiting for it then is put in a random order, after the presale.
queue-letting-through = Visitors are let through a few at a time so that everyone can check out.
queue-keep-open = Keep this page open: it updates by itself and takes you to the sale when it is your turn. Your place is kept if you close it.
queue-wait-under-minute = less than a minute
queue-wait-minute = about a minute
queue-wait-minutes = about { $count } minutes
queue-wait-hours = about { $count } hours
queue-wait-days = about { $count } days
queue-sold-out-title = Sold out
queue-sold-out-text = Every ticket has been sold, so the queue has stopped. Seats may come back: { $link } and you will be mailed if they do.
queue-sold-out-link = join the waiting list on the event’s page
queue-unavailable-title = The queue is unavailable
queue-unavailable-text = The queue for this event cannot be reached right now, so nobody is let through. Your place is kept: this page tries again by itself.
queue-not-found-title = Not found
queue-not-found-text = There is no queue for this event.
queue-no-cookies-title = Cookies are needed to queue
queue-no-cookies-text = Your place in the queue is kept in a cookie, and this browser did not keep the one we sent. Allow cookies for this site, then open the event’s page again.
queue-check-too-many-title = Too many failed checks
queue-check-too-many-text = Too many browser checks from your connection did not pass. Try again in { $minutes } min.
queue-address-full-title = This connection has its places
queue-address-full-text = Your internet connection already holds { $count ->
    [one] one place
   *[other] { $count } places
} in this queue, as many as one connection may. Use the place you have: it is kept for you.
plain-back = Back to the events

# The buyers' emails in English (the reference). Merged into ../en.ftl.
# A message's HTML and plain-text parts say the same; $link and $link-end
# wrap a link's words in the HTML part.

## Every message

# $name: the account's name.
mail-hello = Hello { $name },
# A line of the plain-text part: "See the order: https://…", "Total: €50.00".
mail-label-value = { $label }: { $value }
# $support: the shop's support address.
mail-footer = Questions? Write to { $support }; we answer within a working day.
mail-footer-plain = Ticket Sales · help: { $support }
mail-total = Total
mail-code-discount = Code { $code }: { $amount } off each ticket
mail-see-order = See the order
# $reason: the organizer's own words, or one of order-refund-*.
mail-reason-given = The reason given: { $reason }

## An order confirmed: the tickets

mail-confirmed-subject = Your tickets for { $title }
# An order with tickets for more than one event.
mail-confirmed-subject-several = Your tickets (order { $reference })
mail-confirmed-lead = Your order { $reference } is confirmed. Show the QR code of each ticket at the door; each one admits one person, once.
# $type: a ticket type's name ("Standing"); $seat: the ticket's number in the order; $seats: how many.
mail-confirmed-ticket = { $type } · ticket { $seat } of { $seats }
mail-confirmed-open-ticket = Open this ticket
# The QR code image's text for screen readers.
mail-confirmed-qr = QR code of ticket { $seat }
mail-confirmed-order-page = Your order and tickets are also on { $link }your order page{ $link-end }.
# Followed by the order page's address in the plain-text part.
mail-confirmed-your-order = Your order and tickets
mail-confirmed-calendar = The attached calendar file adds the event to your calendar.
# The calendar entry's description; $url: the order page.
mail-calendar-description = Order { $reference }. Your tickets: { $url }

## Money back

mail-refund-subject = Refund for order { $reference }
mail-refund-default-reason = Your order was refunded.
# $amount: the money paid back, already written ("€25.00").
mail-refund-money = { $amount } goes back to the card you paid with; banks usually show it within 5–10 days.
mail-refund-no-longer-admit = The tickets of this order no longer admit.
# Free tickets an organizer cancelled.
mail-refund-cancelled-subject = Tickets cancelled (order { $reference })
mail-refund-free = These free tickets were cancelled.
mail-refund-part = The organizer refunded part of your payment; your tickets still admit.
# Followed by the list of tickets.
mail-refund-tickets = The organizer refunded these tickets, which no longer admit:
mail-refund-ticket = { $title } · { $type } · ticket { $seat }

## An order that ended unpaid

mail-expired-subject = Your reservation { $reference } has expired
mail-expired-lead = The tickets you reserved in order { $reference } were held for you, but no payment arrived in time, so they have gone back on sale. Nothing was charged.
mail-declined-subject = Payment declined for order { $reference }
mail-declined-lead = Your bank declined the payment for order { $reference }, so its tickets have gone back on sale. Nothing was charged.
mail-get-tickets = Get tickets for { $title }

## The waiting list

mail-offer-subject = Tickets for { $title } are held for you
# $until: a date and time at the venue; $total: the price of the held tickets. Followed by their list.
mail-offer-lead = Seats came back for { $title } and you are next on the waiting list. They are held for you until { $until } ({ $total }):
mail-offer-pay = Pay for them now
mail-offer-otherwise = If you do not pay by then, they go to the next person waiting.
mail-skipped-subject = Your place on the waiting list for { $title }
# $reason: why the buyer could not take the seats; $max: how many tickets of the type one buyer may hold.
mail-skipped-lead = Seats of { $type } came back for { $title } and it was your turn, but { $reason ->
        [maximum] you already hold the most { $type } tickets one buyer may ({ $max })
       *[other-order] another order of yours was waiting for payment, and one order at a time can be held
    }. So they were offered to the next person waiting, and you are no longer on the list.
mail-skipped-again = { $link }See the event{ $link-end } to buy what is on sale or join the list again.
# Followed by the event's address in the plain-text part.
mail-skipped-again-label = See the event to buy what is on sale or join the list again

## Accounts

mail-signup-attempt-subject = You already have a Ticket Sales account
mail-signup-attempt-lead = Someone (we hope you) tried to create a Ticket Sales account with this address, which has one already. Nothing was changed.
mail-sign-in = Sign in
mail-forgot-password = Forgot your password?
mail-forgot-password-plain = Forgot your password? { $url }
mail-signup-attempt-ignore = If it was not you, you can ignore this message.

## A link to confirm something (an address, a new password)

# How long a link works, put into mail-link-once.
mail-link-hours = { $hours ->
        [one] one hour
       *[other] { $hours } hours
    }
mail-link-days = { $days ->
        [one] one day
       *[other] { $days } days
    }
mail-link-once = The link works once, for { $lasts }.
# Followed by the link's address.
mail-link-copy = If the button does not work, copy this address into your browser:
mail-verify-subject = Confirm your email address
mail-verify-lead = Welcome to Ticket Sales. Confirm that this address is yours to buy tickets.
mail-verify-button = Confirm my address
mail-verify-after = If you did not sign up, ignore this message.
mail-reset-subject = Reset your password
mail-reset-lead = Someone (we hope you) asked to reset the password of your Ticket Sales account.
mail-reset-button = Choose a new password
mail-reset-after = If you did not ask for this, ignore this message: your password stays as it is. Resetting it signs you out everywhere else.
mail-change-email-subject = Confirm your new email address
mail-change-email-lead = You asked to use this address for your Ticket Sales account.
mail-change-email-button = Use this address
mail-change-email-after = Until you confirm, your account keeps its current address.
# Sent to the old address; $email: the new one.
mail-email-changed-subject = Your account's email address was changed
mail-email-changed-lead = The address of your Ticket Sales account was just changed to { $email }. If you did that, there is nothing to do.
mail-email-changed-button = This was not me: restore my address
mail-email-changed-after = The button puts this address back, signs out everyone using the account and sends you a link to choose a new password.

## The account page

account-title = My account
account-loading = Loading…
# The account's role, in its badge.
account-role-buyer = Buyer
account-role-organizer = Organizer
account-role-admin = Admin
# For someone invited to check tickets in at events' doors.
account-doors-title = Door check-in
account-doors-text = You check tickets in at these events.
account-doors-open = Open the door page
account-email-title = Email address
account-email-confirmed = Your address is confirmed.
# $email: the address the account still uses.
account-email-change-sent = We sent a link to your new address. Your account keeps using { $email } until you open it.
account-email-new = New email address
account-email-password = Your password, to confirm it is you
account-email-submit = Change email
account-password-title = Change password
account-password-text = Other devices are signed out when you change it.
account-password-changed = Password changed.
account-password-current = Current password
account-password-new = New password
account-password-submit = Change password

## Selling tickets (the account page)

account-organizer-title = Sell tickets
# $link: account-organizer-area, as a link.
account-organizer-approved = You are an approved organizer. { $link }
account-organizer-area = Open the organizer area
# $link: account-organizer-admin-link, as a link.
account-organizer-admin = Admins review organizer applications on the { $link }.
account-organizer-admin-link = admin dashboard
# $organization: the name applied with (in bold); $date: when the application was sent, in UTC.
account-application-pending = Your application for { $organization } is waiting for review (sent { $date }).
account-application-rejected = Your application for { $organization } was not approved.
# $reason: the admin's own words.
account-application-reason = Reason: { $reason }
account-application-again = You are welcome to apply again.
account-apply-intro = Organize events? Apply to sell tickets on the shop; an admin reviews every application.
account-apply-org-name = Organization name
account-apply-description = What events do you organize?
account-apply-website = Website (optional)
# Followed by a choice: account-apply-individual or account-apply-company.
account-apply-kind = You are
account-apply-individual = an individual
account-apply-company = a company
account-apply-submit = Apply to become an organizer

## Pages opened from a mailed link, and a forgotten password

email-verify-title = Confirm your email
email-verify-intro = Confirm that this address is yours: tickets and receipts are sent to it.
email-verify-submit = Confirm my address
email-verify-done = Your email address is confirmed. You can buy tickets now.
email-confirm-title = Your new email address
email-confirm-intro = Use this address for your account from now on? Your old address is told, with a way to undo the change.
email-confirm-submit = Use this address
email-confirm-done = Your account now uses its new address. Sign in with it from now on.
email-restore-title = Undo the address change
email-restore-intro = Put this address back on your account? Everyone signed in to it (whoever made the change too) is signed out, and we mail this address a link to choose a new password.
email-restore-submit = Restore my address and sign everyone out
email-restore-done = Your address is back and everyone is signed out. We mailed you a link to choose a new password: open it to sign in again.
email-sign-in = Sign in
email-browse = Browse events
email-checking = Checking your link…
# Under the reason a restore link does not work. $link: email-restore-failed-link, as a link.
email-restore-failed = Address changed without you? { $link } from an address you use, or write to support.
email-restore-failed-link = Reset your password
# Under the reason a link does not work. $link: email-link-failed-link, as a link.
email-link-failed = Signed in? Your { $link } sends a new link.
email-link-failed-link = account page
email-forgot-title = Forgot your password?
email-forgot-intro = Type the address you signed up with. If it has an account, we mail it a link to choose a new password.
email-forgot-email = Email
email-forgot-submit = Send me a link
email-forgot-sent = If an account uses that address, a link to reset its password is on its way. It works once, for one hour.
# $link: email-forgot-ask-again, as a link.
email-forgot-no-mail = No mail after a few minutes? Check your spam folder, or { $link }.
email-forgot-ask-again = ask again
email-reset-title = Choose a new password
email-reset-new-link = Ask for a new link
email-reset-intro = Signing in elsewhere ends once you change it.
email-reset-password = New password
email-reset-submit = Set new password
# Asks a signed-in buyer to confirm their address; $email: the address (in bold).
email-notice-text = Confirm your email address to buy tickets: open the link we sent to { $email }.
email-notice-sent = A new link is on its way.
email-notice-resend = Send the link again

## What a buyer typed or sent that the shop refuses (shown beside the field, or above the form)

input-email-missing = Enter your email address.
input-email-malformed = Enter a valid email address, like name@example.com.
input-password-too-short = Use at least { $min } characters.
input-password-too-long = Use at most { $max } characters.
input-name-missing = Enter your name.
input-name-too-long = Keep your name under { $max } characters.
input-same-email = This is already your address.
input-wrong-current-password = That is not your current password.
input-wrong-credentials = Wrong email or password.
input-already-confirmed = Your address is already confirmed.
input-link-not-valid = This link is not valid. Check that it was copied whole, or ask for a new one.
input-link-expired = This link has expired. Ask for a new one.
input-link-used = This link has already been used.
input-link-for-old-address = This link is for an address your account no longer uses.
input-cart-full = A cart holds at most { $most } different ticket types; check out or remove some first.
input-no-quantity = Choose how many tickets you want.
input-quantity-out-of-range = Choose a quantity between 0 and { $most }.
input-no-longer-on-sale = This ticket is no longer on sale.
# $most: the most tickets one order may hold.
input-waiting-quantity = Choose from 1 to { $most } tickets.
# $title: the ticket type's name.
input-not-sold-out = { $title } is not sold out: you can buy it now.
input-already-waiting = You are already on the waiting list for { $title }.
input-not-waiting = You are not waiting for this ticket.
input-already-paid = This order has just been paid, so it can no longer be cancelled.
input-unreadable = Some of what was sent is not valid (a character or a number out of range); please check it.
input-not-cancellable = These tickets can no longer be cancelled online; please contact the organizer.
input-cancel-amount-changed = Cancelling now gives { $now } back, not the amount you were shown; nothing was cancelled. Look at the new amount and try again.
