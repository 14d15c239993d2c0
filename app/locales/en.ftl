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
