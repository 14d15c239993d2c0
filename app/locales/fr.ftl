# La boutique en français. La référence est en.ftl : une clé absente ici
# s'affiche en anglais (un test unitaire la signale).

## Toutes les pages

shop-name = Ticket Sales
shop-description = Des billets pour concerts, humour, théâtre et conférences.
skip-to-content = Aller au contenu
nav-events = Événements
nav-cart = Panier
nav-sign-in = Se connecter
nav-sign-up = S’inscrire
nav-organizer = Organisateur
nav-admin = Administration
nav-orders = Commandes
nav-sign-out = Se déconnecter
nav-language = Langue
footer-tagline = Ticket Sales · billetterie libre écrite en Rust

## Le catalogue (page d’accueil)

home-title = Trouvez votre prochaine sortie
home-lead = Concerts, humour, théâtre et conférences. Paiement sécurisé, un billet avec QR code pour chaque place.
home-loading = Chargement des événements…
search-label = Recherche
search-placeholder = Artiste, événement ou lieu
search-filters = Filtres
search-from = Du
search-to = Au
search-min-price = Prix min.
search-max-price = Prix max.
search-available = Disponibles uniquement
search-sort = Trier les événements
sort-date = Les plus proches
sort-price = Prix le plus bas
search-submit = Rechercher
results-count = { $count ->
    [one] { $count } événement
   *[other] { $count } événements
}
results-by-currency = { $count ->
    [one] { $count } événement
   *[other] { $count } événements
}, le moins cher d’abord dans chaque devise ({ $currencies })
results-currency-then = , puis
no-results-prices = Aucun événement ne peut correspondre : le prix minimum dépasse le prix maximum. Inversez-les ou effacez-en un.
no-results-dates = Aucun événement ne peut correspondre : la date « Du » est après la date « Au ». Inversez-les ou effacez-en une.
no-results = Aucun événement ne correspond à votre recherche. Essayez moins de mots ou une période plus large.
pages-label = Pages
page-previous = Précédente
page-next = Suivante
page-of = Page { $page } sur { $pages }

## La carte d’un événement

card-untitled = Événement sans titre
card-by = par { $organizer }
card-on-sale = En vente le { $date }
card-free = Gratuit
card-free-and-paid = Gratuit et payant
card-from = à partir de { $price }
availability-sold-out = Complet
availability-only-left = Plus que { $count }
availability-available = Disponible

## Ce qui ne va pas, en mots simples

error-unauthorized = Veuillez vous connecter pour continuer.
error-forbidden = Vous n’avez pas accès à cette page.
error-not-found = Nous n’avons pas trouvé ce que vous cherchiez.
error-suspended = Votre compte organisateur est suspendu par l’administration, ce n’est donc pas possible pour le moment. Les remboursements à vos acheteurs et le contrôle à l’entrée fonctionnent toujours ; écrivez à { $support } pour faire lever la suspension.
error-rate-limited = Trop de tentatives. Réessayez dans { $seconds } secondes.
error-unavailable-shop = La boutique est momentanément indisponible. Veuillez réessayer dans un instant.
error-unavailable-payments = Le prestataire de paiement est momentanément indisponible. Veuillez réessayer dans un instant.
error-unavailable-images = L’enregistrement des images est momentanément indisponible. Veuillez réessayer dans un instant.
error-sessions-unavailable = La connexion et les paniers sont momentanément indisponibles. Veuillez réessayer dans un instant ; si votre panier est alors vide, ajoutez de nouveau vos billets.
error-payment-unavailable = Le prestataire de paiement n’a pas pu être joint. Rien n’a été débité et vos places ont été libérées ; veuillez réessayer.
error-checkout-pending = Votre page de paiement est encore en préparation. Vos places restent réservées ; veuillez réessayer dans un instant.
error-internal = Un problème est survenu de notre côté. Veuillez réessayer.
error-network = Impossible de joindre la boutique. Vérifiez votre connexion et réessayez.
refusal-empty-cart = Votre panier est vide.
refusal-no-longer-exists = Un billet de votre panier n’existe plus ; veuillez le retirer.
refusal-not-on-sale = { $title } n’est plus en vente.
refusal-not-admitted = La vente de { $title } passe par une file d’attente : attendez votre tour pour payer.
refusal-sales-paused = La vente de { $title } est suspendue.
refusal-not-open-yet = La vente de { $title } n’a pas encore commencé.
refusal-sale-ended = La vente de { $title } est terminée.
refusal-sold-out = { $title } est complet.
refusal-over-per-order = Au plus { $max } billets par commande pour { $title }.
refusal-only-left = Plus que { $left } pour { $title }.
refusal-buyer-holds-maximum = Vous avez déjà { $have } billets pour { $title }, le maximum qu’un acheteur peut détenir.
refusal-buyer-may-add = Vous avez déjà { $have } billets pour { $title } ; un acheteur peut en détenir { $max }, vous pouvez donc en ajouter { $more }.
refusal-mixed-currencies = Votre panier contient des billets dans différentes devises ; veuillez les acheter dans des commandes séparées.
refusal-over-maximum-charge = Une commande ne peut dépasser { $most } ; veuillez acheter moins de billets à la fois.
refusal-price-changed = Le prix de { $title } vient de changer ; veuillez vérifier votre panier et réessayer.
refusal-try-again = { $title } n’a pas pu être réservé ; veuillez réessayer.
refusal-email-not-verified = Confirmez votre adresse e-mail avant de payer : ouvrez le lien envoyé à { $email } ou demandez-en un nouveau.

# The event page and the cart, in French (vouvoiement). Merged into ../fr.ftl.

## An event's page

event-loading = Chargement…
event-until-by = Fin : { $end } · organisé par { $organizer }
event-time-zone = Les horaires sont indiqués à l’heure locale du lieu ({ $zone }).
event-queue-admitted = C’est votre tour : choisissez vos billets et passez commande.
event-queue-notice = Pour que chacun ait sa chance, les billets de cet événement sont vendus via une file d’attente : les visiteurs passent à tour de rôle.
event-queue-join = Rejoindre la file d’attente
event-waiting-list = Liste d’attente
event-waiting-list-joined = Vous êtes sur la liste d’attente. Si des places se libèrent, elles vous sont réservées et nous vous prévenons par e-mail.
event-waiting-list-quantity = { $type } : combien ?
event-waiting-list-join = Rejoindre la liste d’attente pour « { $type } »
event-picker-limit = Jusqu’à { $max } par commande
event-picker-fewer = { $type } : un de moins
event-picker-more = { $type } : un de plus
event-picker-total = Total : { $total }
event-add-to-cart = Ajouter au panier
event-added-to-cart = Ajouté à votre panier.
event-view-cart = Voir le panier

## Where a sale stands (an event's page)

sale-open-until = En vente jusqu’au { $date }
sale-opens-from = En vente à partir du { $date }
sale-ended = Vente terminée
sale-cancelled = Cet événement a été annulé
sale-paused = Les ventes sont suspendues
sale-draft = Brouillon : cette page n’est visible que par vous. Publiez l’événement pour vendre des billets.
sale-on-sale = En vente

## The cart

cart-title = Votre panier
cart-loading = Chargement de votre panier…
cart-empty = Votre panier est vide.
cart-browse = Découvrir les événements
cart-total = Total : { $total }
cart-pending-order = Vous avez une commande en attente de paiement ; ses places vous sont réservées.
cart-continue-payment = Continuer vers le paiement
cart-view-order = Voir la commande
cart-cancel-order = L’annuler et libérer les places
cart-get-free = Obtenir les billets gratuits
cart-check-out = Passer la commande
cart-sign-in-to-check-out = Se connecter pour commander
cart-seats-held = Les places ne vous sont réservées qu’une fois la commande passée.
cart-line-each = { $price } l’unité
cart-line-available = { $count ->
    [one] { $count } disponible
   *[other] { $count } disponibles
}
cart-quantity = Quantité
cart-update = Mettre à jour
cart-remove = Retirer

## Se connecter

signin-title = Se connecter
signin-new-here = Pas encore de compte ?
signin-create-account = Créer un compte
signin-password-reset = Votre mot de passe a été modifié et toutes vos autres sessions ont été fermées. Connectez-vous avec le nouveau.
signin-forgot-password = Mot de passe oublié ?
signin-email = Adresse e-mail
signin-password = Mot de passe
signin-submit = Se connecter

## S’inscrire

signup-sent-title = Consultez vos e-mails
signup-sent-text = Nous avons envoyé un message à l’adresse indiquée. Ouvrez le lien qu’il contient pour confirmer votre adresse, puis connectez-vous.
signup-sent-spam = Toujours rien après quelques minutes ? Vérifiez votre dossier de courrier indésirable. Si un compte existe déjà pour cette adresse, le message vous explique comment vous connecter à la place.
signup-sign-in = Se connecter
signup-title = Créer un compte
signup-have-account = Vous avez déjà un compte ?
signup-name = Nom
signup-email = Adresse e-mail
signup-password = Mot de passe
signup-password-hint = De { $min } à { $max } caractères.
signup-submit = Créer mon compte

## Les commandes de l’acheteur

orders-title = Vos commandes
orders-loading = Chargement…
orders-empty = Aucune commande pour l’instant.
# $date : quand la commande a été passée ; $status : l’un des order-buyer-*, orders-status-*
orders-line = Commande { $reference } · { $date } · { $status }
orders-status-pending = En attente de paiement jusqu’au { $until }
orders-status-refunded = Remboursée : { $reason }

## L’état d’une commande, tel que son acheteur le lit

order-buyer-pending = En attente de paiement
order-buyer-paid = Payée
order-buyer-expired = Expirée : non payée à temps
order-buyer-cancelled = Annulée par vous
order-buyer-declined = Paiement refusé
order-buyer-refunded = Remboursée

## Une commande

order-title = Votre commande
order-loading = Chargement…
# Suivi de la référence de la commande : « Commande 1F3A9C2E ».
order-heading = Commande
order-placed = Passée le { $date }
order-paid = payée le { $date }
order-confirming = Paiement reçu, confirmation en cours…
order-status-waiting = En attente de paiement. Vos places sont réservées jusqu’au { $until }.
order-status-disputed = Le paiement de cette commande est contesté auprès de votre banque ; ses billets ne permettent donc pas d’entrer tant que le litige n’est pas résolu.
order-status-free = Confirmée : { $count ->
        [one] { $count } billet émis
       *[other] { $count } billets émis
    }, gratuitement.
order-status-paid = Payée. { $count ->
        [one] { $count } billet émis
       *[other] { $count } billets émis
    }.
# $refunded : combien de ces billets ; $amount : l’argent rendu.
order-status-partly-refunded = Payée. { $count ->
        [one] { $count } billet émis
       *[other] { $count } billets émis
    }, dont { $refunded ->
        [one] { $refunded } remboursé
       *[other] { $refunded } remboursés
    } (montant remboursé : { $amount }).
order-status-expired = Expirée : aucun paiement n’est arrivé pendant que les places étaient réservées, elles ont donc été remises en vente. Rien n’a été débité.
order-status-cancelled = Annulée par vous avant le paiement ; les places ont été remises en vente. Rien n’a été débité.
order-status-declined = Paiement refusé : votre banque n’a pas accepté le paiement, les places ont donc été remises en vente. Rien n’a été débité.
# $reason : l’un des order-refund-*, ou les propres mots de l’organisateur.
order-status-refunded = Remboursée. { $reason }
order-total = Total : { $total }
order-your-tickets = Vos billets
order-ticket-link = { $title } · { $type } · billet { $seat }
order-ticket-checked-in = entrée validée le { $at }
order-ticket-refunded = remboursé
order-cancel-offer = Vous pouvez annuler { $count ->
        [one] { $count } billet
       *[other] { $count } billets
    } jusqu’au { $until } et récupérer { $refund }.
order-cancel-offer-fee = Vous pouvez annuler { $count ->
        [one] { $count } billet
       *[other] { $count } billets
    } jusqu’au { $until } et récupérer { $refund } (l’organisateur conserve { $fee }).
order-cancel-submit = Annuler mes billets
order-pay = Passer au paiement
order-cancel-order = Annuler cette commande et libérer les places

## Pourquoi l’acheteur a été remboursé

order-refund-event-cancelled = L’événement a été annulé : { $reason }
order-refund-buyer-cancelled = Annulée par l’acheteur.
order-refund-paid-too-late = Votre paiement est arrivé après l’expiration de la réservation et les places ont été vendues à quelqu’un d’autre ; il vous a donc été intégralement remboursé.
order-refund-amount-mismatch = Le montant payé ne correspondait pas à la commande ; aucun billet n’a donc été émis et le paiement a été intégralement remboursé.
order-refund-refunded-at-stripe = Cette commande a été intégralement remboursée ; ses billets ne permettent plus d’entrer.
order-refund-partly-refunded-at-stripe = L’organisateur a remboursé une partie de votre paiement ; vos billets restent valables.
order-refund-dispute-lost = Votre banque vous a restitué le paiement à la suite d’une contestation ; les billets de la commande ne permettent donc plus d’entrer.

## Un billet

ticket-title = Votre billet
ticket-loading = Chargement…
ticket-seat = Billet { $seat } sur { $seats } de cette commande
ticket-qr-label = QR code de ce billet, à présenter à l’entrée ; son code est { $code }
ticket-refunded = Remboursé le { $at } : ce billet ne permet plus d’entrer.
ticket-checked-in = Entrée validée le { $at }

## Une page qui n’existe pas

notfound-title = Page introuvable
notfound-text = La page demandée n’existe pas ou a été déplacée.
notfound-browse = Voir les événements

## Une page refusée ou qui n’a pas pu être chargée

refusal-forbidden-title = Pas pour votre compte
refusal-forbidden-text = Vous n’avez pas accès à cette page.
refusal-load-failed = Désolé, cette page n’a pas pu être chargée.
