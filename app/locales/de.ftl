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
refusal-code-not-accepted = Der Code { $code } kann für diese Bestellung nicht verwendet werden.
refusal-presale-only = Für { $title } läuft ein Vorverkauf: Bis zu seinem Ende werden nur Tickets verkauft, für die Ihr Code gilt.
refusal-code-used-up-by-buyer = Sie haben den Code { $code } bereits für { $most } Tickets verwendet, so viele wie eine Person darf.
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
event-queue-opens = Plätze in der Warteschlange gibt es ab { $date }. Wer vor dem Verkaufsstart einen Platz nimmt, wird in zufälliger Reihenfolge gezogen.
event-waiting-list = Warteliste
event-waiting-list-joined = Sie stehen auf der Warteliste. Werden Plätze frei, halten wir sie für Sie zurück und benachrichtigen Sie per E-Mail.
event-presale = Vorverkauf für Code-Inhaber bis { $date }: Melden Sie sich an und geben Sie Ihren Code oben ein, bevor Sie sich anstellen, um zuerst ausgelost zu werden. Alle anderen werden danach ausgelost.
event-code-label = Haben Sie einen Code?
event-code-apply = Einlösen
event-code-applied = Code { $code } ist eingelöst.
event-code-percent = { $percent } % Rabatt auf die Tickets, für die er gilt.
event-code-amount = { $amount } Rabatt auf jedes Ticket, für das er gilt.
event-code-unlocks = Er schaltet Tickets frei, die nicht im freien Verkauf sind.
event-code-not-valid = Dieser Code gilt nicht für diese Veranstaltung.
event-code-too-many = Zu viele falsche Codes. Versuchen Sie es in { $minutes } Min. erneut.
event-list-price = Listenpreis { $price }
event-quota-until = Für Code-Inhaber reserviert bis { $date }
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
cart-updated = Warenkorb aktualisiert.
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
cart-line-each-with-code = je { $price } mit Code { $code } (Listenpreis { $list })
cart-code = Code { $code } für { $event }
cart-code-not-valid = Code { $code } für { $event } gilt nicht mehr; entfernen Sie ihn, um zur Kasse zu gehen.
cart-code-too-few = Code { $code } für { $event } gilt nur noch für { $left } Tickets; verringern Sie die Anzahl oder entfernen Sie den Code.
cart-code-remove = Code entfernen
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
order-line-code = Code { $code }: { $amount } Rabatt pro Ticket
order-line-code-only = Code { $code }
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

## Die Warteseite der Warteschlange

queue-for = Warteschlange für
queue-this-event = diese Veranstaltung
queue-sale-opens = Verkaufsstart
queue-title = Warteschlange · Ticket Sales
queue-verify-first-title = Bestätigen Sie zuerst Ihre E-Mail-Adresse
queue-verify-first-text = Für einen Platz in dieser Warteschlange braucht Ihr Konto eine bestätigte E-Mail-Adresse: Öffnen Sie den Link, den wir Ihnen geschickt haben (oder fordern Sie auf Ihrer Kontoseite einen neuen an), und kommen Sie dann zurück.
queue-not-open-title = Die Warteschlange ist noch nicht offen
queue-not-open-text = Plätze in der Warteschlange für diesen Verkauf gibt es ab { $time }. Wer vor dem Verkaufsstart einen Platz nimmt, wird in zufälliger Reihenfolge gezogen: Später zu kommen kostet Sie also nichts.
queue-check-heading = Ihr Browser wird geprüft
queue-check-text = Bevor Sie einen Platz nehmen, löst Ihr Browser ein kleines Rätsel: So können Programme keine Plätze zu Tausenden nehmen. Das dauert ein paar Sekunden; lassen Sie diese Seite offen.
queue-check-starting = Die Prüfung beginnt …
queue-check-progress = Geprüft: # %
queue-check-broken = Ihr Browser konnte die Prüfung nicht ausführen. Laden Sie die Seite neu, um es noch einmal zu versuchen.
queue-needs-js = Die Warteschlange braucht JavaScript: Sie prüft, dass ein Browser und kein Programm jeden Platz nimmt. Schalten Sie JavaScript ein und laden Sie diese Seite neu.
queue-title-for = Warteschlange für { $title } · Ticket Sales
queue-in-queue = Sie sind in der Warteschlange
queue-place = Ihr Platz: { $position } von { $waiting }
queue-waiting = { $count ->
    [one] { $waiting } Besucher wartet.
   *[other] { $waiting } Besucher warten.
}
queue-estimated-wait = Geschätzte Wartezeit: { $wait }.
queue-before-opening = Der Verkauf hat noch nicht begonnen. Zum Start werden alle, die jetzt warten, in eine zufällige Reihenfolge gebracht: Früheres Kommen oder mehr Tabs bringen Sie nicht nach vorn.
queue-presale = Zuerst kommt der Vorverkauf für Code-Inhaber: Wer einen Code für diese Veranstaltung eingegeben hat, wird bei der Öffnung ausgelost. Alle anderen werden am Ende des Vorverkaufs ausgelost, nach ihnen. Früher kommen oder mehr Tabs öffnen bringt Sie nicht nach vorn.
queue-general-draw = Der Vorverkauf für Code-Inhaber läuft. Ihr Platz ist in der Auslosung des allgemeinen Verkaufs an seinem Ende: Alle, die dann warten, werden zufällig gereiht, nach dem Vorverkauf.
queue-letting-through = Besucher werden nach und nach eingelassen, damit alle bezahlen können.
queue-keep-open = Lassen Sie diese Seite offen: Sie aktualisiert sich selbst und bringt Sie zum Verkauf, wenn Sie an der Reihe sind. Ihr Platz bleibt erhalten, wenn Sie sie schließen.
queue-wait-under-minute = weniger als eine Minute
queue-wait-minute = etwa eine Minute
queue-wait-minutes = etwa { $count } Minuten
queue-wait-hours = etwa { $count } Stunden
queue-wait-days = etwa { $count } Tage
queue-sold-out-title = Ausverkauft
queue-sold-out-text = Alle Tickets sind verkauft, daher ist die Warteschlange beendet. Plätze können zurückkommen: { $link }, dann erhalten Sie eine E-Mail.
queue-sold-out-link = Tragen Sie sich auf der Seite der Veranstaltung in die Warteliste ein
queue-unavailable-title = Die Warteschlange ist nicht erreichbar
queue-unavailable-text = Die Warteschlange dieser Veranstaltung ist gerade nicht erreichbar, daher wird niemand eingelassen. Ihr Platz bleibt erhalten: Diese Seite versucht es selbst erneut.
queue-not-found-title = Nicht gefunden
queue-not-found-text = Für diese Veranstaltung gibt es keine Warteschlange.
queue-no-cookies-title = Zum Anstehen werden Cookies benötigt
queue-no-cookies-text = Ihr Platz in der Warteschlange wird in einem Cookie gespeichert, und dieser Browser hat unseres nicht behalten. Erlauben Sie Cookies für diese Website und öffnen Sie die Seite der Veranstaltung erneut.
queue-check-too-many-title = Zu viele fehlgeschlagene Prüfungen
queue-check-too-many-text = Zu viele Browserprüfungen von Ihrer Verbindung sind nicht bestanden. Versuchen Sie es in { $minutes } Min. noch einmal.
queue-address-full-title = Diese Verbindung hat ihre Plätze
queue-address-full-text = Ihre Internetverbindung hat bereits { $count ->
    [one] einen Platz
   *[other] { $count } Plätze
} in dieser Warteschlange, so viele, wie eine Verbindung haben darf. Nutzen Sie Ihren Platz: Er bleibt für Sie erhalten.
plain-back = Zurück zu den Veranstaltungen

# Die E-Mails an Käufer auf Deutsch. Referenz ist mail.en.ftl; wird in
# ../de.ftl übernommen. $link und $link-end umschließen im HTML-Teil die
# Wörter eines Links.

## Jede Nachricht

# $name: der Name des Kontos.
mail-hello = Hallo { $name },
# Eine Zeile des Textteils: „Bestellung ansehen: https://…“, „Gesamt: 50,00 €“.
mail-label-value = { $label }: { $value }
# $support: die Support-Adresse des Shops.
mail-footer = Fragen? Schreiben Sie an { $support }; wir antworten innerhalb eines Werktags.
mail-footer-plain = Ticket Sales · Hilfe: { $support }
mail-total = Gesamt
mail-code-discount = Code { $code }: { $amount } Rabatt pro Ticket
mail-see-order = Bestellung ansehen
# $reason: die eigenen Worte des Veranstalters oder eine von order-refund-*.
mail-reason-given = Angegebener Grund: { $reason }

## Eine bestätigte Bestellung: die Tickets

mail-confirmed-subject = Ihre Tickets für { $title }
# Eine Bestellung mit Tickets für mehrere Veranstaltungen.
mail-confirmed-subject-several = Ihre Tickets (Bestellung { $reference })
mail-confirmed-lead = Ihre Bestellung { $reference } ist bestätigt. Zeigen Sie am Einlass den QR-Code jedes Tickets vor; jedes Ticket gewährt einer Person einmal Einlass.
# $type: Name einer Ticketart („Stehplatz“); $seat: Nummer des Tickets in der Bestellung; $seats: wie viele.
mail-confirmed-ticket = { $type } · Ticket { $seat } von { $seats }
mail-confirmed-open-ticket = Dieses Ticket öffnen
# Text des QR-Code-Bildes für Screenreader.
mail-confirmed-qr = QR-Code von Ticket { $seat }
mail-confirmed-order-page = Ihre Bestellung und Ihre Tickets finden Sie auch auf { $link }Ihrer Bestellseite{ $link-end }.
# Im Textteil gefolgt von der Adresse der Bestellseite.
mail-confirmed-your-order = Ihre Bestellung und Tickets
mail-confirmed-calendar = Mit der angehängten Kalenderdatei tragen Sie die Veranstaltung in Ihren Kalender ein.
# Beschreibung des Kalendereintrags; $url: die Bestellseite.
mail-calendar-description = Bestellung { $reference }. Ihre Tickets: { $url }

## Geld zurück

mail-refund-subject = Erstattung für Bestellung { $reference }
mail-refund-default-reason = Ihre Bestellung wurde erstattet.
# $amount: der erstattete Betrag, bereits geschrieben („25,00 €“).
mail-refund-money = Der Betrag von { $amount } wird auf die Karte zurückgebucht, mit der Sie bezahlt haben; Banken zeigen die Gutschrift meist innerhalb von 5–10 Tagen an.
mail-refund-no-longer-admit = Die Tickets dieser Bestellung gelten nicht mehr für den Einlass.
# Kostenlose Tickets, die ein Veranstalter storniert hat.
mail-refund-cancelled-subject = Tickets storniert (Bestellung { $reference })
mail-refund-free = Diese kostenlosen Tickets wurden storniert.
mail-refund-part = Der Veranstalter hat einen Teil Ihrer Zahlung erstattet; Ihre Tickets gelten weiterhin.
# Gefolgt von der Liste der Tickets.
mail-refund-tickets = Der Veranstalter hat diese Tickets erstattet; sie gelten nicht mehr für den Einlass:
mail-refund-ticket = { $title } · { $type } · Ticket { $seat }

## Eine Bestellung, die unbezahlt endete

mail-expired-subject = Ihre Reservierung { $reference } ist abgelaufen
mail-expired-lead = Die Tickets Ihrer Bestellung { $reference } waren für Sie reserviert, aber es ist keine Zahlung rechtzeitig eingegangen; daher sind sie wieder im Verkauf. Es wurde nichts abgebucht.
mail-declined-subject = Zahlung für Bestellung { $reference } abgelehnt
mail-declined-lead = Ihre Bank hat die Zahlung für Bestellung { $reference } abgelehnt, daher sind die Tickets wieder im Verkauf. Es wurde nichts abgebucht.
mail-get-tickets = Tickets für { $title } kaufen

## Die Warteliste

mail-offer-subject = Tickets für { $title } sind für Sie reserviert
# $until: Datum und Uhrzeit am Veranstaltungsort; $total: der Preis der reservierten Tickets. Gefolgt von ihrer Liste.
mail-offer-lead = Für { $title } sind wieder Plätze frei, und Sie sind auf der Warteliste als Nächstes an der Reihe. Wir halten sie bis { $until } für Sie bereit ({ $total }):
mail-offer-pay = Jetzt bezahlen
mail-offer-otherwise = Wenn Sie bis dahin nicht bezahlen, gehen sie an die nächste Person auf der Warteliste.
mail-skipped-subject = Ihr Platz auf der Warteliste für { $title }
# $reason: warum der Käufer die Plätze nicht nehmen konnte; $max: wie viele Tickets dieser Art ein Käufer haben darf.
mail-skipped-lead = Für { $title } sind Plätze der Kategorie { $type } frei geworden, und Sie waren an der Reihe, aber { $reason ->
        [maximum] Sie haben bereits so viele Tickets der Kategorie { $type }, wie ein Käufer höchstens haben darf ({ $max })
       *[other-order] eine andere Bestellung von Ihnen wartete auf Zahlung, und es kann immer nur eine Bestellung reserviert sein
    }. Deshalb wurden sie der nächsten wartenden Person angeboten, und Sie stehen nicht mehr auf der Liste.
mail-skipped-again = Auf der { $link }Seite der Veranstaltung{ $link-end } können Sie kaufen, was noch erhältlich ist, oder sich erneut auf die Warteliste setzen.
# Im Textteil gefolgt von der Adresse der Veranstaltung.
mail-skipped-again-label = Auf der Seite der Veranstaltung können Sie kaufen, was noch erhältlich ist, oder sich erneut auf die Warteliste setzen

## Konten

mail-signup-attempt-subject = Sie haben bereits ein Konto bei Ticket Sales
mail-signup-attempt-lead = Jemand (hoffentlich Sie) hat versucht, mit dieser Adresse ein Konto bei Ticket Sales anzulegen, obwohl es dafür bereits eines gibt. Es wurde nichts geändert.
mail-sign-in = Anmelden
mail-forgot-password = Passwort vergessen?
mail-forgot-password-plain = Passwort vergessen? { $url }
mail-signup-attempt-ignore = Wenn Sie das nicht waren, können Sie diese Nachricht ignorieren.

## Ein Link, um etwas zu bestätigen (eine Adresse, ein neues Passwort)

# Wie lange ein Link gilt, eingesetzt in mail-link-once.
mail-link-hours = { $hours ->
        [one] eine Stunde
       *[other] { $hours } Stunden
    }
mail-link-days = { $days ->
        [one] einen Tag
       *[other] { $days } Tage
    }
mail-link-once = Der Link funktioniert einmal und ist { $lasts } lang gültig.
# Gefolgt von der Adresse des Links.
mail-link-copy = Falls die Schaltfläche nicht funktioniert, kopieren Sie diese Adresse in Ihren Browser:
mail-verify-subject = Bestätigen Sie Ihre E-Mail-Adresse
mail-verify-lead = Willkommen bei Ticket Sales. Bestätigen Sie, dass diese Adresse Ihnen gehört, um Tickets kaufen zu können.
mail-verify-button = Meine Adresse bestätigen
mail-verify-after = Wenn Sie sich nicht registriert haben, ignorieren Sie diese Nachricht.
mail-reset-subject = Passwort zurücksetzen
mail-reset-lead = Jemand (hoffentlich Sie) hat angefordert, das Passwort Ihres Kontos bei Ticket Sales zurückzusetzen.
mail-reset-button = Neues Passwort wählen
mail-reset-after = Wenn Sie das nicht angefordert haben, ignorieren Sie diese Nachricht: Ihr Passwort bleibt unverändert. Wenn Sie es zurücksetzen, werden Sie überall sonst abgemeldet.
mail-change-email-subject = Bestätigen Sie Ihre neue E-Mail-Adresse
mail-change-email-lead = Sie möchten diese Adresse für Ihr Konto bei Ticket Sales verwenden.
mail-change-email-button = Diese Adresse verwenden
mail-change-email-after = Bis Sie bestätigen, behält Ihr Konto seine bisherige Adresse.
# An die alte Adresse geschickt; $email: die neue.
mail-email-changed-subject = Die E-Mail-Adresse Ihres Kontos wurde geändert
mail-email-changed-lead = Die Adresse Ihres Kontos bei Ticket Sales wurde soeben in { $email } geändert. Wenn Sie das waren, müssen Sie nichts tun.
mail-email-changed-button = Das war ich nicht: meine Adresse wiederherstellen
mail-email-changed-after = Die Schaltfläche stellt diese Adresse wieder her, meldet alle ab, die das Konto verwenden, und schickt Ihnen einen Link, mit dem Sie ein neues Passwort wählen.

## Die Kontoseite

account-title = Mein Konto
account-loading = Wird geladen …
# Die Rolle des Kontos, in seinem Abzeichen.
account-role-buyer = Käufer
account-role-organizer = Veranstalter
account-role-admin = Administrator
# Für jemanden, der zur Einlasskontrolle bei Veranstaltungen eingeladen ist.
account-doors-title = Einlasskontrolle
account-doors-text = Sie kontrollieren bei diesen Veranstaltungen die Tickets am Einlass.
account-doors-open = Einlassseite öffnen
account-email-title = E-Mail-Adresse
account-email-confirmed = Ihre Adresse ist bestätigt.
# $email: die Adresse, die das Konto weiterhin verwendet.
account-email-change-sent = Wir haben einen Link an Ihre neue Adresse geschickt. Bis Sie ihn öffnen, verwendet Ihr Konto weiterhin { $email }.
account-email-new = Neue E-Mail-Adresse
account-email-password = Ihr Passwort, um zu bestätigen, dass Sie es sind
account-email-submit = E-Mail-Adresse ändern
account-password-title = Passwort ändern
account-password-text = Wenn Sie es ändern, werden Ihre anderen Geräte abgemeldet.
account-password-changed = Passwort geändert.
account-password-current = Aktuelles Passwort
account-password-new = Neues Passwort
account-password-submit = Passwort ändern

## Tickets verkaufen (die Kontoseite)

account-organizer-title = Tickets verkaufen
# $link: account-organizer-area, als Link.
account-organizer-approved = Sie sind als Veranstalter freigeschaltet. { $link }
account-organizer-area = Zum Veranstalterbereich
# $link: account-organizer-admin-link, als Link.
account-organizer-admin = Administratoren prüfen Bewerbungen von Veranstaltern im { $link }.
account-organizer-admin-link = Verwaltungsbereich
# $organization: der Name, mit dem sich jemand beworben hat (fett); $date: wann die Bewerbung gesendet wurde, in UTC.
account-application-pending = Ihre Bewerbung für { $organization } wartet auf Prüfung (gesendet am { $date }).
account-application-rejected = Ihre Bewerbung für { $organization } wurde nicht angenommen.
# $reason: die Worte des Administrators.
account-application-reason = Begründung: { $reason }
account-application-again = Sie können sich gern erneut bewerben.
account-apply-intro = Sie organisieren Veranstaltungen? Bewerben Sie sich, um Tickets im Shop zu verkaufen; jede Bewerbung wird von einem Administrator geprüft.
account-apply-org-name = Name der Organisation
account-apply-description = Welche Veranstaltungen organisieren Sie?
account-apply-website = Website (optional)
# Gefolgt von einer Auswahl: account-apply-individual oder account-apply-company.
account-apply-kind = Sie sind
account-apply-individual = eine Privatperson
account-apply-company = ein Unternehmen
account-apply-submit = Als Veranstalter bewerben

## Seiten, die ein Link aus einer E-Mail öffnet, und ein vergessenes Passwort

email-verify-title = Bestätigen Sie Ihre E-Mail-Adresse
email-verify-intro = Bestätigen Sie, dass diese Adresse Ihnen gehört: Tickets und Belege werden an sie geschickt.
email-verify-submit = Meine Adresse bestätigen
email-verify-done = Ihre E-Mail-Adresse ist bestätigt. Sie können jetzt Tickets kaufen.
email-confirm-title = Ihre neue E-Mail-Adresse
email-confirm-intro = Diese Adresse ab jetzt für Ihr Konto verwenden? Ihre bisherige Adresse wird benachrichtigt und kann die Änderung rückgängig machen.
email-confirm-submit = Diese Adresse verwenden
email-confirm-done = Ihr Konto verwendet jetzt die neue Adresse. Melden Sie sich ab sofort mit ihr an.
email-restore-title = Adressänderung rückgängig machen
email-restore-intro = Diese Adresse wieder für Ihr Konto verwenden? Alle, die damit angemeldet sind (auch wer die Änderung vorgenommen hat), werden abgemeldet, und wir schicken an diese Adresse einen Link, mit dem Sie ein neues Passwort wählen.
email-restore-submit = Meine Adresse wiederherstellen und alle abmelden
email-restore-done = Ihre Adresse ist wiederhergestellt und alle wurden abgemeldet. Wir haben Ihnen einen Link geschickt, mit dem Sie ein neues Passwort wählen: Öffnen Sie ihn, um sich wieder anzumelden.
email-sign-in = Anmelden
email-browse = Veranstaltungen entdecken
email-checking = Ihr Link wird geprüft …
# Unter dem Grund, warum ein Wiederherstellungslink nicht funktioniert. $link: email-restore-failed-link, als Link.
email-restore-failed = Adresse ohne Ihr Wissen geändert? Über eine Adresse, die Sie verwenden, können Sie { $link }, oder Sie schreiben dem Support.
email-restore-failed-link = Ihr Passwort zurücksetzen
# Unter dem Grund, warum ein Link nicht funktioniert. $link: email-link-failed-link, als Link.
email-link-failed = Angemeldet? Auf Ihrer { $link } können Sie einen neuen Link anfordern.
email-link-failed-link = Kontoseite
email-forgot-title = Passwort vergessen?
email-forgot-intro = Geben Sie die Adresse ein, mit der Sie sich registriert haben. Gibt es dazu ein Konto, schicken wir einen Link an sie, mit dem Sie ein neues Passwort wählen.
email-forgot-email = E-Mail-Adresse
email-forgot-submit = Link zusenden
email-forgot-sent = Wenn ein Konto diese Adresse verwendet, ist ein Link zum Zurücksetzen seines Passworts unterwegs. Er funktioniert einmal und ist eine Stunde lang gültig.
# $link: email-forgot-ask-again, als Link.
email-forgot-no-mail = Nach ein paar Minuten noch keine E-Mail? Sehen Sie in Ihrem Spam-Ordner nach oder { $link }.
email-forgot-ask-again = fordern Sie erneut einen Link an
email-reset-title = Neues Passwort wählen
email-reset-new-link = Neuen Link anfordern
email-reset-intro = Sobald Sie es ändern, werden Sie überall sonst abgemeldet.
email-reset-password = Neues Passwort
email-reset-submit = Neues Passwort speichern
# Bittet angemeldete Käufer, ihre Adresse zu bestätigen; $email: die Adresse (fett).
email-notice-text = Bestätigen Sie Ihre E-Mail-Adresse, um Tickets zu kaufen: Öffnen Sie den Link, den wir an { $email } geschickt haben.
email-notice-sent = Ein neuer Link ist unterwegs.
email-notice-resend = Link erneut senden

## What a buyer typed or sent that the shop refuses (shown beside the field, or above the form)

input-email-missing = Geben Sie Ihre E-Mail-Adresse ein.
input-email-malformed = Geben Sie eine gültige E-Mail-Adresse ein, etwa name@example.com.
input-password-too-short = Verwenden Sie mindestens { $min } Zeichen.
input-password-too-long = Verwenden Sie höchstens { $max } Zeichen.
input-name-missing = Geben Sie Ihren Namen ein.
input-name-too-long = Ihr Name darf höchstens { $max } Zeichen lang sein.
input-same-email = Das ist bereits Ihre Adresse.
input-wrong-current-password = Das ist nicht Ihr aktuelles Passwort.
input-wrong-credentials = E-Mail-Adresse oder Passwort ist falsch.
input-already-confirmed = Ihre Adresse ist bereits bestätigt.
input-link-not-valid = Dieser Link ist ungültig. Prüfen Sie, ob er vollständig kopiert wurde, oder fordern Sie einen neuen an.
input-link-expired = Dieser Link ist abgelaufen. Fordern Sie einen neuen an.
input-link-used = Dieser Link wurde bereits verwendet.
input-link-for-old-address = Dieser Link gilt für eine Adresse, die Ihr Konto nicht mehr verwendet.
input-cart-full = Ein Warenkorb fasst höchstens { $most } verschiedene Ticketarten; gehen Sie zur Kasse oder entfernen Sie zuerst einige.
input-no-quantity = Wählen Sie, wie viele Tickets Sie möchten.
input-quantity-out-of-range = Wählen Sie eine Anzahl zwischen 0 und { $most }.
input-no-longer-on-sale = Dieses Ticket wird nicht mehr verkauft.
# $most: die meisten Tickets, die eine Bestellung enthalten darf.
input-waiting-quantity = Wählen Sie 1 bis { $most } Tickets.
# $title: der Name der Ticketart.
input-not-sold-out = { $title } ist nicht ausverkauft: Sie können es jetzt kaufen.
input-already-waiting = Sie stehen bereits auf der Warteliste für { $title }.
input-not-waiting = Sie warten nicht auf dieses Ticket.
input-already-paid = Diese Bestellung wurde gerade bezahlt und kann daher nicht mehr storniert werden.
input-unreadable = Etwas vom Gesendeten ist ungültig (ein Zeichen oder eine Zahl außerhalb des zulässigen Bereichs); bitte prüfen Sie es.
input-not-cancellable = Diese Tickets können nicht mehr online storniert werden; bitte wenden Sie sich an den Veranstalter.
input-cancel-amount-changed = Eine Stornierung erstattet jetzt { $now }, nicht den Betrag, der Ihnen angezeigt wurde; es wurde nichts storniert. Sehen Sie sich den neuen Betrag an und versuchen Sie es erneut.
