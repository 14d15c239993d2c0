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
no-results-prices = Aucun événement ne peut correspondre : le prix minimum dépasse le prix maximum. Inversez-les ou effacez-en un.
no-results-dates = Aucun événement ne peut correspondre : la date « Du » est après la date « Au ». Inversez-les ou effacez-en une.
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
error-suspended = Votre compte organisateur est suspendu par l’administration, ce n’est donc pas possible pour le moment. Les remboursements à vos acheteurs et le contrôle à l’entrée fonctionnent toujours ; écrivez à { $support } pour faire lever la suspension.
error-rate-limited = Trop de tentatives. Réessayez dans { $seconds } secondes.
error-unavailable-shop = La boutique est momentanément indisponible. Veuillez réessayer dans un instant.
error-unavailable-payments = Le prestataire de paiement est momentanément indisponible. Veuillez réessayer dans un instant.
error-unavailable-images = L’enregistrement des images est momentanément indisponible. Veuillez réessayer dans un instant.
error-sessions-unavailable = La connexion et les paniers sont momentanément indisponibles. Veuillez réessayer dans un instant ; si votre panier est alors vide, ajoutez de nouveau vos billets.
error-payment-unavailable = Le prestataire de paiement n’a pas pu être joint. Rien n’a été débité et vos places ont été libérées ; veuillez réessayer.
error-checkout-pending = Votre page de paiement est encore en préparation. Vos places restent réservées ; veuillez réessayer dans un instant.
error-internal = Un problème est survenu de notre côté. Veuillez réessayer.
error-network = Impossible de joindre la boutique. Vérifiez votre connexion et réessayez.
refusal-empty-cart = Votre panier est vide.
refusal-no-longer-exists = Un billet de votre panier n’existe plus ; veuillez le retirer.
refusal-not-on-sale = { $title } n’est plus en vente.
refusal-code-not-accepted = Le code { $code } ne peut pas être utilisé pour cette commande.
refusal-presale-only = { $title } est en prévente : jusqu’à sa fin, seuls les billets couverts par votre code sont vendus.
refusal-code-used-up-by-buyer = Vous avez déjà utilisé le code { $code } pour { $most } billets, le maximum par personne.
refusal-not-admitted = La vente de { $title } passe par une file d’attente : attendez votre tour pour payer.
refusal-sales-paused = La vente de { $title } est suspendue.
refusal-not-open-yet = La vente de { $title } n’a pas encore commencé.
refusal-sale-ended = La vente de { $title } est terminée.
refusal-sold-out = { $title } est complet.
refusal-over-per-order = Au plus { $max } billets par commande pour { $title }.
refusal-only-left = Plus que { $left } pour { $title }.
refusal-buyer-holds-maximum = Vous avez déjà { $have } billets pour { $title }, le maximum qu’un acheteur peut détenir.
refusal-buyer-may-add = Vous avez déjà { $have } billets pour { $title } ; un acheteur peut en détenir { $max }, vous pouvez donc en ajouter { $more }.
refusal-mixed-currencies = Votre panier contient des billets dans différentes devises ; veuillez les acheter dans des commandes séparées.
refusal-over-maximum-charge = Une commande ne peut dépasser { $most } ; veuillez acheter moins de billets à la fois.
refusal-price-changed = Le prix de { $title } vient de changer ; veuillez vérifier votre panier et réessayer.
refusal-try-again = { $title } n’a pas pu être réservé ; veuillez réessayer.
refusal-email-not-verified = Confirmez votre adresse e-mail avant de payer : ouvrez le lien envoyé à { $email } ou demandez-en un nouveau.

# The event page and the cart, in French (vouvoiement). Merged into ../fr.ftl.

## An event's page

event-loading = Chargement…
event-until-by = Fin : { $end } · organisé par { $organizer }
event-time-zone = Les horaires sont indiqués à l’heure locale du lieu ({ $zone }).
event-queue-admitted = C’est votre tour : choisissez vos billets et passez commande.
event-queue-notice = Pour que chacun ait sa chance, les billets de cet événement sont vendus via une file d’attente : les visiteurs passent à tour de rôle.
event-queue-join = Rejoindre la file d’attente
event-queue-opens = Les places dans la file ouvrent le { $date }. Tous ceux qui en prennent une avant l’ouverture de la vente sont tirés au sort.
event-waiting-list = Liste d’attente
event-waiting-list-joined = Vous êtes sur la liste d’attente. Si des places se libèrent, elles vous sont réservées et nous vous prévenons par e-mail.
event-presale = Prévente pour les détenteurs de code jusqu’au { $date } : connectez-vous et saisissez votre code ci-dessus avant de rejoindre la file pour être tiré au sort en premier. Les autres le sont ensuite.
event-code-label = Vous avez un code ?
event-code-apply = Appliquer
event-code-applied = Le code { $code } est appliqué.
event-code-percent = { $percent } % de réduction sur les billets concernés.
event-code-amount = { $amount } de réduction sur chaque billet concerné.
event-code-unlocks = Il donne accès à des billets hors vente générale.
event-code-not-valid = Ce code n’est pas valable pour cet événement.
event-code-too-many = Trop de codes erronés. Réessayez dans { $minutes } min.
event-list-price = Prix catalogue { $price }
event-quota-until = Réservé aux détenteurs d’un code jusqu’au { $date }
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
cart-updated = Panier mis à jour.
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
cart-line-each-with-code = { $price } l’unité avec le code { $code } (prix catalogue { $list })
cart-code = Code { $code } pour { $event }
cart-code-not-valid = Le code { $code } pour { $event } n’est plus valable ; retirez-le pour commander.
cart-code-too-few = Le code { $code } pour { $event } ne vaut plus que pour { $left } billets ; réduisez la quantité ou retirez le code.
cart-code-remove = Retirer le code
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
order-line-code = Code { $code } : { $amount } de réduction par billet
order-line-code-only = Code { $code }
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

## La page d’attente de la file

queue-for = File d’attente pour
queue-this-event = cet événement
queue-sale-opens = Ouverture de la vente
queue-title = File d’attente · Ticket Sales
queue-verify-first-title = Confirmez d’abord votre adresse e-mail
queue-verify-first-text = Une place dans cette file demande un compte dont l’adresse e-mail est confirmée : ouvrez le lien que nous vous avons envoyé (ou demandez-en un nouveau sur la page de votre compte), puis revenez.
queue-not-open-title = La file n’est pas encore ouverte
queue-not-open-text = Les places dans la file pour cette vente se prennent à partir du { $time }. Tous ceux qui en prennent une avant l’ouverture sont tirés au sort : revenir à ce moment-là ne vous coûte rien.
queue-check-heading = Vérification de votre navigateur
queue-check-text = Avant de prendre une place, votre navigateur résout une petite énigme : elle empêche des programmes de prendre des places par milliers. Cela prend quelques secondes ; gardez cette page ouverte.
queue-check-starting = La vérification commence…
queue-check-progress = Vérifié : # %
queue-check-broken = Votre navigateur n’a pas pu faire la vérification. Rechargez la page pour réessayer.
queue-needs-js = La file d’attente a besoin de JavaScript : elle vérifie que chaque place est prise par un navigateur, pas par un programme. Activez JavaScript et rechargez cette page.
queue-title-for = File d’attente pour { $title } · Ticket Sales
queue-in-queue = Vous êtes dans la file d’attente
queue-place = Votre place : { $position } sur { $waiting }
queue-waiting = { $count ->
    [one] { $waiting } visiteur attend.
   *[other] { $waiting } visiteurs attendent.
}
queue-estimated-wait = Attente estimée : { $wait }.
queue-before-opening = La vente n’a pas encore commencé. À l’ouverture, toutes les personnes qui attendent maintenant sont placées dans un ordre aléatoire : arriver plus tôt ou ouvrir plus d’onglets ne vous fait pas avancer.
queue-presale = La prévente pour les détenteurs de code passe d’abord : ceux qui ont saisi un code pour cet événement sont tirés au sort à l’ouverture. Tous les autres sont tirés au sort à la fin de la prévente, après eux. Arriver plus tôt ou ouvrir plus d’onglets ne vous fait pas avancer.
queue-general-draw = La prévente pour les détenteurs de code est en cours. Votre place est dans le tirage de la vente générale à sa fin : tous ceux qui attendent alors sont placés dans un ordre aléatoire, après la prévente.
queue-letting-through = Les visiteurs entrent quelques-uns à la fois pour que chacun puisse payer.
queue-keep-open = Gardez cette page ouverte : elle se met à jour toute seule et vous mène à la vente quand c’est votre tour. Votre place est conservée si vous la fermez.
queue-wait-under-minute = moins d’une minute
queue-wait-minute = environ une minute
queue-wait-minutes = environ { $count } minutes
queue-wait-hours = environ { $count } heures
queue-wait-days = environ { $count } jours
queue-sold-out-title = Complet
queue-sold-out-text = Tous les billets sont vendus, la file d’attente est donc arrêtée. Des places peuvent revenir : { $link } et vous recevrez un e-mail le cas échéant.
queue-sold-out-link = inscrivez-vous sur la liste d’attente depuis la page de l’événement
queue-unavailable-title = La file d’attente est indisponible
queue-unavailable-text = La file d’attente de cet événement est injoignable pour le moment, personne n’entre donc. Votre place est conservée : cette page réessaie toute seule.
queue-not-found-title = Introuvable
queue-not-found-text = Il n’y a pas de file d’attente pour cet événement.
queue-no-cookies-title = Les cookies sont nécessaires pour faire la queue
queue-no-cookies-text = Votre place dans la file est conservée dans un cookie, et ce navigateur n’a pas gardé celui que nous avons envoyé. Autorisez les cookies pour ce site, puis rouvrez la page de l’événement.
queue-check-too-many-title = Trop de vérifications échouées
queue-check-too-many-text = Trop de vérifications de navigateur venues de votre connexion n’ont pas abouti. Réessayez dans { $minutes } min.
queue-address-full-title = Cette connexion a déjà ses places
queue-address-full-text = Votre connexion Internet occupe déjà { $count ->
    [one] une place
   *[other] { $count } places
} dans cette file, autant qu’une connexion peut en avoir. Utilisez la place que vous avez : elle vous est réservée.
plain-back = Retour aux événements

# Les e-mails aux acheteurs en français. La référence est mail.en.ftl ; à
# fusionner dans ../fr.ftl. $link et $link-end entourent, dans la partie HTML,
# les mots d’un lien.

## Tous les messages

# $name : le nom du compte.
mail-hello = Bonjour { $name },
# Une ligne de la partie texte : « Voir la commande : https://… », « Total : 50,00 € ».
mail-label-value = { $label } : { $value }
# $support : l’adresse d’assistance de la boutique.
mail-footer = Des questions ? Écrivez à { $support } ; nous répondons sous un jour ouvré.
mail-footer-plain = Ticket Sales · aide : { $support }
mail-total = Total
mail-code-discount = Code { $code } : { $amount } de réduction par billet
mail-see-order = Voir la commande
# $reason : les mots de l’organisateur, ou l’un des order-refund-*.
mail-reason-given = Motif indiqué : { $reason }

## Une commande confirmée : les billets

mail-confirmed-subject = Vos billets pour { $title }
# Une commande avec des billets pour plusieurs événements.
mail-confirmed-subject-several = Vos billets (commande { $reference })
mail-confirmed-lead = Votre commande { $reference } est confirmée. Présentez le QR code de chaque billet à l’entrée ; chacun permet à une personne d’entrer, une seule fois.
# $type : le nom d’un type de billet (« Debout ») ; $seat : le numéro du billet dans la commande ; $seats : combien.
mail-confirmed-ticket = { $type } · billet { $seat } sur { $seats }
mail-confirmed-open-ticket = Ouvrir ce billet
# Le texte de l’image du QR code, pour les lecteurs d’écran.
mail-confirmed-qr = QR code du billet { $seat }
mail-confirmed-order-page = Votre commande et vos billets se trouvent aussi sur { $link }la page de votre commande{ $link-end }.
# Suivi, dans la partie texte, de l’adresse de la page de la commande.
mail-confirmed-your-order = Votre commande et vos billets
mail-confirmed-calendar = Le fichier de calendrier joint ajoute l’événement à votre agenda.
# La description de l’entrée de calendrier ; $url : la page de la commande.
mail-calendar-description = Commande { $reference }. Vos billets : { $url }

## Remboursements

mail-refund-subject = Remboursement de la commande { $reference }
mail-refund-default-reason = Votre commande a été remboursée.
# $amount : la somme remboursée, déjà écrite (« 25,00 € »).
mail-refund-money = Le montant de { $amount } est recrédité sur la carte utilisée pour le paiement ; les banques l’affichent généralement sous 5 à 10 jours.
mail-refund-no-longer-admit = Les billets de cette commande ne permettent plus d’entrer.
# Des billets gratuits annulés par un organisateur.
mail-refund-cancelled-subject = Billets annulés (commande { $reference })
mail-refund-free = Ces billets gratuits ont été annulés.
mail-refund-part = L’organisateur vous a remboursé une partie de votre paiement ; vos billets restent valables.
# Suivi de la liste des billets.
mail-refund-tickets = L’organisateur a remboursé ces billets, qui ne permettent plus d’entrer :
mail-refund-ticket = { $title } · { $type } · billet { $seat }

## Une commande restée impayée

mail-expired-subject = Votre réservation { $reference } a expiré
mail-expired-lead = Les billets de votre commande { $reference } vous étaient réservés, mais aucun paiement n’est arrivé à temps ; ils ont donc été remis en vente. Rien n’a été débité.
mail-declined-subject = Paiement refusé pour la commande { $reference }
mail-declined-lead = Votre banque a refusé le paiement de la commande { $reference } ; ses billets ont donc été remis en vente. Rien n’a été débité.
mail-get-tickets = Obtenir des billets pour { $title }

## La liste d’attente

mail-offer-subject = Des billets pour { $title } vous sont réservés
# $until : une date et une heure sur le lieu ; $total : le prix des billets réservés. Suivi de leur liste.
mail-offer-lead = Des places se sont libérées pour { $title } et votre tour est venu sur la liste d’attente. Elles vous sont réservées jusqu’au { $until } ({ $total }) :
mail-offer-pay = Les payer maintenant
mail-offer-otherwise = Si vous ne payez pas d’ici là, elles iront à la personne suivante sur la liste d’attente.
mail-skipped-subject = Votre place sur la liste d’attente pour { $title }
# $reason : pourquoi l’acheteur n’a pas pu prendre les places ; $max : combien de billets de ce type un acheteur peut détenir.
mail-skipped-lead = Des places de la catégorie { $type } se sont libérées pour { $title } et c’était votre tour, mais { $reason ->
        [maximum] vous détenez déjà le nombre maximal de billets de la catégorie { $type } autorisé par acheteur ({ $max })
       *[other-order] une autre de vos commandes attendait d’être payée, et une seule commande à la fois peut être réservée
    }. Elles ont donc été proposées à la personne suivante, et vous ne figurez plus sur la liste.
mail-skipped-again = { $link }Consultez l’événement{ $link-end } pour acheter ce qui est encore en vente ou vous réinscrire sur la liste.
# Suivi, dans la partie texte, de l’adresse de l’événement.
mail-skipped-again-label = Consultez l’événement pour acheter ce qui est encore en vente ou vous réinscrire sur la liste

## Comptes

mail-signup-attempt-subject = Vous avez déjà un compte Ticket Sales
mail-signup-attempt-lead = Quelqu’un (vous, nous l’espérons) a essayé de créer un compte Ticket Sales avec cette adresse, qui en a déjà un. Rien n’a été modifié.
mail-sign-in = Se connecter
mail-forgot-password = Mot de passe oublié ?
mail-forgot-password-plain = Mot de passe oublié ? { $url }
mail-signup-attempt-ignore = Si ce n’était pas vous, vous pouvez ignorer ce message.

## Un lien pour confirmer quelque chose (une adresse, un nouveau mot de passe)

# La durée de validité d’un lien, insérée dans mail-link-once.
mail-link-hours = { $hours ->
        [one] une heure
       *[other] { $hours } heures
    }
mail-link-days = { $days ->
        [one] un jour
       *[other] { $days } jours
    }
mail-link-once = Le lien ne fonctionne qu’une fois, pendant { $lasts }.
# Suivi de l’adresse du lien.
mail-link-copy = Si le bouton ne fonctionne pas, copiez cette adresse dans votre navigateur :
mail-verify-subject = Confirmez votre adresse e-mail
mail-verify-lead = Bienvenue sur Ticket Sales. Confirmez que cette adresse est bien la vôtre pour pouvoir acheter des billets.
mail-verify-button = Confirmer mon adresse
mail-verify-after = Si vous n’avez pas créé de compte, ignorez ce message.
mail-reset-subject = Réinitialisez votre mot de passe
mail-reset-lead = Quelqu’un (vous, nous l’espérons) a demandé la réinitialisation du mot de passe de votre compte Ticket Sales.
mail-reset-button = Choisir un nouveau mot de passe
mail-reset-after = Si vous n’avez rien demandé, ignorez ce message : votre mot de passe reste inchangé. Le réinitialiser vous déconnecte partout ailleurs.
mail-change-email-subject = Confirmez votre nouvelle adresse e-mail
mail-change-email-lead = Vous avez demandé à utiliser cette adresse pour votre compte Ticket Sales.
mail-change-email-button = Utiliser cette adresse
mail-change-email-after = Tant que vous n’avez pas confirmé, votre compte garde son adresse actuelle.
# Envoyé à l’ancienne adresse ; $email : la nouvelle.
mail-email-changed-subject = L’adresse e-mail de votre compte a été modifiée
mail-email-changed-lead = L’adresse de votre compte Ticket Sales vient d’être remplacée par { $email }. Si c’est vous qui l’avez modifiée, vous n’avez rien à faire.
mail-email-changed-button = Ce n’était pas moi : rétablir mon adresse
mail-email-changed-after = Le bouton rétablit cette adresse, déconnecte toutes les personnes qui utilisent le compte et vous envoie un lien pour choisir un nouveau mot de passe.

## La page du compte

account-title = Mon compte
account-loading = Chargement…
# Le rôle du compte, dans son badge.
account-role-buyer = Acheteur
account-role-organizer = Organisateur
account-role-admin = Administrateur
# Pour une personne invitée à contrôler les billets à l’entrée d’événements.
account-doors-title = Contrôle à l’entrée
account-doors-text = Vous contrôlez les billets à l’entrée de ces événements.
account-doors-open = Ouvrir la page de contrôle
account-email-title = Adresse e-mail
account-email-confirmed = Votre adresse est confirmée.
# $email : l’adresse que le compte utilise encore.
account-email-change-sent = Nous avons envoyé un lien à votre nouvelle adresse. Votre compte continue d’utiliser { $email } tant que vous ne l’avez pas ouvert.
account-email-new = Nouvelle adresse e-mail
account-email-password = Votre mot de passe, pour confirmer qu’il s’agit bien de vous
account-email-submit = Modifier l’adresse e-mail
account-password-title = Modifier le mot de passe
account-password-text = Lorsque vous le modifiez, vos autres appareils sont déconnectés.
account-password-changed = Mot de passe modifié.
account-password-current = Mot de passe actuel
account-password-new = Nouveau mot de passe
account-password-submit = Modifier le mot de passe

## Vendre des billets (la page du compte)

account-organizer-title = Vendre des billets
# $link : account-organizer-area, sous forme de lien.
account-organizer-approved = Votre compte organisateur est approuvé. { $link }
account-organizer-area = Ouvrir l’espace organisateur
# $link : account-organizer-admin-link, sous forme de lien.
account-organizer-admin = Les administrateurs examinent les candidatures des organisateurs dans le { $link }.
account-organizer-admin-link = tableau de bord d’administration
# $organization : le nom de la candidature (en gras) ; $date : date d’envoi de la candidature, en UTC.
account-application-pending = Votre candidature pour { $organization } attend d’être examinée (envoyée le { $date }).
account-application-rejected = Votre candidature pour { $organization } n’a pas été acceptée.
# $reason : les mots de l’administrateur.
account-application-reason = Motif : { $reason }
account-application-again = N’hésitez pas à déposer une nouvelle candidature.
account-apply-intro = Vous organisez des événements ? Demandez à vendre des billets sur la boutique ; un administrateur examine chaque candidature.
account-apply-org-name = Nom de l’organisation
account-apply-description = Quels événements organisez-vous ?
account-apply-website = Site web (facultatif)
# Suivi d’un choix : account-apply-individual ou account-apply-company.
account-apply-kind = Vous êtes
account-apply-individual = un particulier
account-apply-company = une entreprise
account-apply-submit = Demander à devenir organisateur

## Les pages ouvertes depuis un lien envoyé par e-mail, et un mot de passe oublié

email-verify-title = Confirmez votre adresse e-mail
email-verify-intro = Confirmez que cette adresse est bien la vôtre : les billets et les reçus y sont envoyés.
email-verify-submit = Confirmer mon adresse
email-verify-done = Votre adresse e-mail est confirmée. Vous pouvez maintenant acheter des billets.
email-confirm-title = Votre nouvelle adresse e-mail
email-confirm-intro = Utiliser désormais cette adresse pour votre compte ? Votre ancienne adresse en est informée, avec un moyen d’annuler la modification.
email-confirm-submit = Utiliser cette adresse
email-confirm-done = Votre compte utilise désormais sa nouvelle adresse. Connectez-vous dorénavant avec celle-ci.
email-restore-title = Annuler le changement d’adresse
email-restore-intro = Rétablir cette adresse sur votre compte ? Toutes les personnes qui y sont connectées (y compris celle qui a fait la modification) sont déconnectées, et nous envoyons à cette adresse un lien pour choisir un nouveau mot de passe.
email-restore-submit = Rétablir mon adresse et déconnecter tout le monde
email-restore-done = Votre adresse est rétablie et tout le monde a été déconnecté. Nous vous avons envoyé un lien pour choisir un nouveau mot de passe : ouvrez-le pour vous reconnecter.
email-sign-in = Se connecter
email-browse = Découvrir les événements
email-checking = Vérification de votre lien…
# Sous la raison pour laquelle un lien de rétablissement ne fonctionne pas. $link : email-restore-failed-link, sous forme de lien.
email-restore-failed = Adresse modifiée à votre insu ? { $link } depuis une adresse que vous utilisez, ou écrivez au support.
email-restore-failed-link = Réinitialisez votre mot de passe
# Sous la raison pour laquelle un lien ne fonctionne pas. $link : email-link-failed-link, sous forme de lien.
email-link-failed = Vous êtes connecté ? Votre { $link } vous permet d’en demander un nouveau.
email-link-failed-link = page de compte
email-forgot-title = Mot de passe oublié ?
email-forgot-intro = Saisissez l’adresse avec laquelle vous vous êtes inscrit. Si un compte y est associé, nous y envoyons un lien pour choisir un nouveau mot de passe.
email-forgot-email = Adresse e-mail
email-forgot-submit = M’envoyer un lien
email-forgot-sent = Si un compte utilise cette adresse, un lien pour réinitialiser son mot de passe est en route. Il ne fonctionne qu’une fois, pendant une heure.
# $link : email-forgot-ask-again, sous forme de lien.
email-forgot-no-mail = Toujours pas d’e-mail après quelques minutes ? Vérifiez votre dossier de courrier indésirable ou { $link }.
email-forgot-ask-again = refaites la demande
email-reset-title = Choisissez un nouveau mot de passe
email-reset-new-link = Demander un nouveau lien
email-reset-intro = Dès que vous le modifiez, vos sessions ouvertes ailleurs sont fermées.
email-reset-password = Nouveau mot de passe
email-reset-submit = Enregistrer le nouveau mot de passe
# Demande à un acheteur connecté de confirmer son adresse ; $email : l’adresse (en gras).
email-notice-text = Confirmez votre adresse e-mail pour acheter des billets : ouvrez le lien que nous avons envoyé à { $email }.
email-notice-sent = Un nouveau lien est en route.
email-notice-resend = Renvoyer le lien

## What a buyer typed or sent that the shop refuses (shown beside the field, or above the form)

input-email-missing = Saisissez votre adresse e-mail.
input-email-malformed = Saisissez une adresse e-mail valide, comme nom@exemple.com.
input-password-too-short = Utilisez au moins { $min } caractères.
input-password-too-long = Utilisez au plus { $max } caractères.
input-name-missing = Saisissez votre nom.
input-name-too-long = Votre nom doit faire au plus { $max } caractères.
input-same-email = C’est déjà votre adresse.
input-wrong-current-password = Ce n’est pas votre mot de passe actuel.
input-wrong-credentials = Adresse e-mail ou mot de passe incorrect.
input-already-confirmed = Votre adresse est déjà confirmée.
input-link-not-valid = Ce lien n’est pas valide. Vérifiez qu’il a été copié en entier, ou demandez-en un nouveau.
input-link-expired = Ce lien a expiré. Demandez-en un nouveau.
input-link-used = Ce lien a déjà été utilisé.
input-link-for-old-address = Ce lien concerne une adresse que votre compte n’utilise plus.
input-cart-full = Un panier contient au plus { $most } types de billets différents ; passez à la caisse ou retirez-en d’abord quelques-uns.
input-no-quantity = Choisissez combien de billets vous voulez.
input-quantity-out-of-range = Choisissez une quantité entre 0 et { $most }.
input-no-longer-on-sale = Ce billet n’est plus en vente.
# $most : le nombre maximal de billets par commande.
input-waiting-quantity = Choisissez de 1 à { $most } billets.
# $title : le nom du type de billet.
input-not-sold-out = { $title } n’est pas complet : vous pouvez l’acheter maintenant.
input-already-waiting = Vous êtes déjà sur la liste d’attente pour { $title }.
input-not-waiting = Vous n’attendez pas ce billet.
input-already-paid = Cette commande vient d’être payée ; elle ne peut donc plus être annulée.
input-unreadable = Une partie de ce qui a été envoyé n’est pas valide (un caractère ou un nombre hors limites) ; veuillez vérifier.
input-not-cancellable = Ces billets ne peuvent plus être annulés en ligne ; veuillez contacter l’organisateur.
input-cancel-amount-changed = Une annulation rembourse maintenant { $now }, et non le montant qui vous a été affiché ; rien n’a été annulé. Regardez le nouveau montant et réessayez.
