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
