# Der Shop auf Deutsch. Vorlage ist en.ftl: ein Schlüssel, der hier fehlt,
# erscheint auf Englisch (ein Unit-Test listet ihn auf).

## Jede Seite

shop-name = Ticket Sales
shop-description = Tickets für Konzerte, Comedy, Theater und Konferenzen.
skip-to-content = Zum Inhalt springen
nav-events = Veranstaltungen
nav-cart = Warenkorb
nav-sign-in = Anmelden
nav-sign-up = Registrieren
nav-organizer = Veranstalter
nav-admin = Verwaltung
nav-orders = Bestellungen
nav-sign-out = Abmelden
nav-language = Sprache
footer-tagline = Ticket Sales · Open-Source-Ticketverkauf, geschrieben in Rust

## Der Katalog (Startseite)

home-title = Finden Sie Ihren nächsten Abend
home-lead = Konzerte, Comedy, Theater und Konferenzen. Sicher bezahlen, für jeden Platz ein Ticket mit QR-Code.
home-loading = Veranstaltungen werden geladen …
search-label = Suche
search-placeholder = Künstler, Veranstaltung oder Ort
search-filters = Filter
search-from = Von
search-to = Bis
search-min-price = Mindestpreis
search-max-price = Höchstpreis
search-available = Nur verfügbare
search-sort = Veranstaltungen sortieren
sort-date = Früheste zuerst
sort-price = Günstigste zuerst
search-submit = Suchen
results-count = { $count ->
    [one] 1 Veranstaltung
   *[other] { $count } Veranstaltungen
}
results-by-currency = { $count ->
    [one] 1 Veranstaltung
   *[other] { $count } Veranstaltungen
}, in jeder Währung die günstigste zuerst ({ $currencies })
results-currency-then = , dann
no-results-prices = Keine Veranstaltung kann passen: Der Mindestpreis liegt über dem Höchstpreis. Tauschen Sie sie oder leeren Sie ein Feld.
no-results-dates = Keine Veranstaltung kann passen: Das „Von“-Datum liegt nach dem „Bis“-Datum. Tauschen Sie sie oder leeren Sie ein Feld.
no-results = Keine Veranstaltung passt zu Ihrer Suche. Versuchen Sie weniger Wörter oder einen größeren Zeitraum.
pages-label = Seiten
page-previous = Zurück
page-next = Weiter
page-of = Seite { $page } von { $pages }

## Die Karte einer Veranstaltung

card-untitled = Veranstaltung ohne Titel
card-by = von { $organizer }
card-on-sale = Vorverkauf ab { $date }
card-free = Kostenlos
card-free-and-paid = Kostenlos und kostenpflichtig
card-from = ab { $price }
availability-sold-out = Ausverkauft
availability-only-left = Nur noch { $count }
availability-available = Verfügbar

## Was schiefgeht, in einfachen Worten

error-unauthorized = Bitte melden Sie sich an, um fortzufahren.
error-forbidden = Sie haben keinen Zugang zu dieser Seite.
error-not-found = Wir konnten nicht finden, wonach Sie gesucht haben.
error-suspended = Ihr Veranstalterkonto wurde von der Verwaltung gesperrt, daher ist das gerade nicht möglich. Erstattungen an Ihre Käufer und Ihr Einlass funktionieren weiterhin; schreiben Sie an { $support }, um die Sperre aufheben zu lassen.
error-rate-limited = Zu viele Versuche. Versuchen Sie es in { $seconds } Sekunden erneut.
error-unavailable-shop = Der Shop ist vorübergehend nicht erreichbar. Bitte versuchen Sie es gleich noch einmal.
error-unavailable-payments = Der Zahlungsdienst ist vorübergehend nicht erreichbar. Bitte versuchen Sie es gleich noch einmal.
error-unavailable-images = Bilder können vorübergehend nicht gespeichert werden. Bitte versuchen Sie es gleich noch einmal.
error-sessions-unavailable = Anmeldung und Warenkörbe sind vorübergehend nicht verfügbar. Bitte versuchen Sie es gleich noch einmal; ist Ihr Warenkorb dann leer, legen Sie Ihre Tickets erneut hinein.
error-payment-unavailable = Der Zahlungsdienst war nicht erreichbar. Es wurde nichts abgebucht und Ihre Plätze wurden freigegeben; bitte versuchen Sie es erneut.
error-checkout-pending = Ihre Zahlungsseite wird noch vorbereitet. Ihre Plätze bleiben reserviert; bitte versuchen Sie es gleich noch einmal.
error-internal = Bei uns ist etwas schiefgegangen. Bitte versuchen Sie es erneut.
error-network = Der Shop ist nicht erreichbar. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.
refusal-empty-cart = Ihr Warenkorb ist leer.
refusal-no-longer-exists = Ein Ticket in Ihrem Warenkorb gibt es nicht mehr; bitte entfernen Sie es.
refusal-not-on-sale = { $title } ist nicht mehr im Verkauf.
refusal-not-admitted = Der Verkauf von { $title } läuft über eine Warteschlange: Warten Sie dort, bis Sie an der Reihe sind.
refusal-sales-paused = Der Verkauf für { $title } ist pausiert.
refusal-not-open-yet = Der Verkauf für { $title } hat noch nicht begonnen.
refusal-sale-ended = Der Verkauf für { $title } ist beendet.
refusal-sold-out = { $title } ist ausverkauft.
refusal-over-per-order = Höchstens { $max } Tickets pro Bestellung für { $title }.
refusal-only-left = Nur noch { $left } für { $title }.
refusal-buyer-holds-maximum = Sie haben bereits { $have } Tickets für { $title }, so viele, wie ein Käufer haben darf.
refusal-buyer-may-add = Sie haben bereits { $have } Tickets für { $title }; ein Käufer darf { $max } haben, Sie können also noch { $more } hinzufügen.
refusal-mixed-currencies = Ihr Warenkorb enthält Tickets in verschiedenen Währungen; bitte kaufen Sie sie in getrennten Bestellungen.
refusal-over-maximum-charge = Eine Bestellung darf höchstens { $most } kosten; bitte kaufen Sie weniger Tickets auf einmal.
refusal-price-changed = Der Preis von { $title } hat sich gerade geändert; bitte prüfen Sie Ihren Warenkorb und versuchen Sie es erneut.
refusal-try-again = { $title } konnte nicht reserviert werden; bitte versuchen Sie es erneut.
refusal-email-not-verified = Bestätigen Sie vor dem Bezahlen Ihre E-Mail-Adresse: Öffnen Sie den Link, den wir an { $email } geschickt haben, oder fordern Sie einen neuen an.

# The event page and the cart, in German ("Sie"). Merged into ../de.ftl.

## An event's page

event-loading = Wird geladen …
event-until-by = Ende: { $end } · Veranstalter: { $organizer }
event-time-zone = Alle Zeiten in Ortszeit des Veranstaltungsorts ({ $zone }).
event-queue-admitted = Sie sind an der Reihe: Wählen Sie Ihre Tickets und gehen Sie zur Kasse.
event-queue-notice = Damit alle eine faire Chance haben, werden die Tickets für diese Veranstaltung über eine Warteschlange verkauft: Wer wartet, kommt der Reihe nach dran.
event-queue-join = In die Warteschlange
event-waiting-list = Warteliste
event-waiting-list-joined = Sie stehen auf der Warteliste. Werden Plätze frei, halten wir sie für Sie zurück und benachrichtigen Sie per E-Mail.
event-waiting-list-quantity = { $type }: Anzahl
event-waiting-list-join = Auf die Warteliste für „{ $type }“
event-picker-limit = Höchstens { $max } pro Bestellung
event-picker-fewer = { $type }: eins weniger
event-picker-more = { $type }: eins mehr
event-picker-total = Gesamt: { $total }
event-add-to-cart = In den Warenkorb
event-added-to-cart = In den Warenkorb gelegt.
event-view-cart = Zum Warenkorb

## Where a sale stands (an event's page)

sale-open-until = Vorverkauf bis { $date }
sale-opens-from = Vorverkauf ab { $date }
sale-ended = Vorverkauf beendet
sale-cancelled = Diese Veranstaltung wurde abgesagt
sale-paused = Der Verkauf ist vorübergehend ausgesetzt
sale-draft = Entwurf: Nur Sie können diese Seite sehen. Veröffentlichen Sie die Veranstaltung, um Tickets zu verkaufen.
sale-on-sale = Tickets erhältlich

## The cart

cart-title = Ihr Warenkorb
cart-loading = Warenkorb wird geladen …
cart-empty = Ihr Warenkorb ist leer.
cart-browse = Veranstaltungen entdecken
cart-total = Gesamt: { $total }
cart-pending-order = Sie haben eine Bestellung, die noch auf die Zahlung wartet; die Plätze sind für Sie reserviert.
cart-continue-payment = Weiter zur Zahlung
cart-view-order = Bestellung ansehen
cart-cancel-order = Stornieren und Plätze freigeben
cart-get-free = Kostenlose Tickets sichern
cart-check-out = Zur Kasse
cart-sign-in-to-check-out = Anmelden und zur Kasse
cart-seats-held = Die Plätze werden erst für Sie reserviert, wenn Sie zur Kasse gehen.
cart-line-each = je { $price }
cart-line-available = { $count } verfügbar
cart-quantity = Anzahl
cart-update = Aktualisieren
cart-remove = Entfernen

## Anmelden

signin-title = Anmelden
signin-new-here = Neu hier?
signin-create-account = Konto erstellen
signin-password-reset = Ihr Passwort wurde geändert und alle anderen Sitzungen wurden abgemeldet. Melden Sie sich mit dem neuen Passwort an.
signin-forgot-password = Passwort vergessen?
signin-email = E-Mail-Adresse
signin-password = Passwort
signin-submit = Anmelden

## Registrieren

signup-sent-title = Sehen Sie in Ihr Postfach
signup-sent-text = Wir haben eine Nachricht an die angegebene Adresse geschickt. Öffnen Sie den Link darin, um Ihre Adresse zu bestätigen, und melden Sie sich dann an.
signup-sent-spam = Nach ein paar Minuten noch nichts da? Sehen Sie in Ihrem Spam-Ordner nach. Gibt es für diese Adresse schon ein Konto, steht in der Nachricht, wie Sie sich stattdessen anmelden.
signup-sign-in = Anmelden
signup-title = Konto erstellen
signup-have-account = Sie haben schon ein Konto?
signup-name = Name
signup-email = E-Mail-Adresse
signup-password = Passwort
signup-password-hint = { $min } bis { $max } Zeichen.
signup-submit = Konto erstellen

## Die Bestellungen des Käufers

orders-title = Ihre Bestellungen
orders-loading = Wird geladen …
orders-empty = Noch keine Bestellungen.
# $date: wann die Bestellung aufgegeben wurde; $status: eine von order-buyer-*, orders-status-*
orders-line = Bestellung { $reference } · { $date } · { $status }
orders-status-pending = Zahlung ausstehend bis { $until }
orders-status-refunded = Erstattet: { $reason }

## Der Stand einer Bestellung, wie ihr Käufer ihn liest

order-buyer-pending = Zahlung ausstehend
order-buyer-paid = Bezahlt
order-buyer-expired = Abgelaufen: nicht rechtzeitig bezahlt
order-buyer-cancelled = Von Ihnen storniert
order-buyer-declined = Zahlung abgelehnt
order-buyer-refunded = Erstattet

## Eine Bestellung

order-title = Ihre Bestellung
order-loading = Wird geladen …
# Gefolgt von der Bestellnummer: „Bestellung 1F3A9C2E“.
order-heading = Bestellung
order-placed = Bestellt am { $date }
order-paid = bezahlt am { $date }
order-confirming = Zahlung eingegangen, wird bestätigt …
order-status-waiting = Zahlung ausstehend. Ihre Plätze sind bis { $until } für Sie reserviert.
order-status-disputed = Die Zahlung für diese Bestellung wird von Ihrer Bank angefochten. Ihre Tickets gelten deshalb nicht für den Einlass, bis der Fall geklärt ist.
order-status-free = Bestätigt: { $count ->
        [one] 1 Ticket
       *[other] { $count } Tickets
    } ausgestellt, kostenlos.
order-status-paid = Bezahlt. { $count ->
        [one] 1 Ticket
       *[other] { $count } Tickets
    } ausgestellt.
# $refunded: wie viele der Tickets; $amount: das zurückgezahlte Geld.
order-status-partly-refunded = Bezahlt. { $count ->
        [one] 1 Ticket
       *[other] { $count } Tickets
    } ausgestellt, davon { $refunded } erstattet (erstatteter Betrag: { $amount }).
order-status-expired = Abgelaufen: Während die Plätze reserviert waren, ist keine Zahlung eingegangen, daher sind sie wieder im Verkauf. Es wurde nichts abgebucht.
order-status-cancelled = Von Ihnen vor dem Bezahlen storniert; die Plätze sind wieder im Verkauf. Es wurde nichts abgebucht.
order-status-declined = Zahlung abgelehnt: Ihre Bank hat die Zahlung nicht angenommen, daher sind die Plätze wieder im Verkauf. Es wurde nichts abgebucht.
# $reason: eine von order-refund-* oder die eigenen Worte des Veranstalters.
order-status-refunded = Erstattet. { $reason }
order-total = Gesamt: { $total }
order-your-tickets = Ihre Tickets
order-ticket-link = { $title } · { $type } · Ticket { $seat }
order-ticket-checked-in = eingecheckt am { $at }
order-ticket-refunded = erstattet
order-cancel-offer = Sie können { $count ->
        [one] 1 Ticket
       *[other] { $count } Tickets
    } bis { $until } stornieren und erhalten { $refund } zurück.
order-cancel-offer-fee = Sie können { $count ->
        [one] 1 Ticket
       *[other] { $count } Tickets
    } bis { $until } stornieren und erhalten { $refund } zurück (der Veranstalter behält { $fee } ein).
order-cancel-submit = Meine Tickets stornieren
order-pay = Weiter zur Zahlung
order-cancel-order = Bestellung stornieren und Plätze freigeben

## Warum der Käufer Geld zurückbekam

order-refund-event-cancelled = Die Veranstaltung wurde abgesagt: { $reason }
order-refund-buyer-cancelled = Vom Käufer storniert.
order-refund-paid-too-late = Ihre Zahlung ist erst eingegangen, nachdem die Reservierung abgelaufen war und die Plätze an jemand anderen verkauft wurden. Sie wurde daher vollständig erstattet.
order-refund-amount-mismatch = Der gezahlte Betrag passte nicht zur Bestellung. Daher wurden keine Tickets ausgestellt und die Zahlung wurde vollständig erstattet.
order-refund-refunded-at-stripe = Diese Bestellung wurde vollständig erstattet; ihre Tickets gelten nicht mehr für den Einlass.
order-refund-partly-refunded-at-stripe = Der Veranstalter hat einen Teil Ihrer Zahlung erstattet; Ihre Tickets gelten weiterhin.
order-refund-dispute-lost = Ihre Bank hat Ihnen die Zahlung nach einer Anfechtung zurückgebucht. Die Tickets der Bestellung gelten daher nicht mehr für den Einlass.

## Ein Ticket

ticket-title = Ihr Ticket
ticket-loading = Wird geladen …
ticket-seat = Ticket { $seat } von { $seats } dieser Bestellung
ticket-qr-label = QR-Code dieses Tickets zum Vorzeigen am Einlass; sein Code lautet { $code }
ticket-refunded = Erstattet am { $at }: Dieses Ticket gilt nicht mehr für den Einlass.
ticket-checked-in = Eingecheckt am { $at }

## Eine Seite, die es nicht gibt

notfound-title = Seite nicht gefunden
notfound-text = Die angeforderte Seite gibt es nicht oder sie wurde verschoben.
notfound-browse = Veranstaltungen ansehen

## Eine verweigerte oder fehlgeschlagene Seite

refusal-forbidden-title = Nicht für Ihr Konto
refusal-forbidden-text = Sie haben keinen Zugang zu dieser Seite.
refusal-load-failed = Diese Seite konnte leider nicht geladen werden.
