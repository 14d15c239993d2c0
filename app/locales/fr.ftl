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
