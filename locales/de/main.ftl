# UI-Texte des Standard-Themes, Deutsch.
# Jeder Schlüssel muss in jeder Sprache vorhanden sein (`candor check` listet fehlende auf).

language-name = Deutsch
anchor-label = Link zu diesem Abschnitt
skip-link = Zum Inhalt springen
nav-label = Hauptnavigation
breadcrumb-label = Brotkrümelnavigation
language-label = Sprache
language-current = { $language } (aktuelle Sprache)
home = Startseite
toc-title = Auf dieser Seite
section-pages = In diesem Bereich
updates-feed = Neuigkeiten abonnieren (Atom-Feed)
updates-feed-title = { $site }: { $title }
updated = Zuletzt aktualisiert am { $date }

footer-contacts = Kontakt
footer-security = Sicherheitsteam
footer-privacy = Datenschutzteam
footer-dpo = Datenschutzbeauftragte
footer-address = Anschrift
footer-security-txt = security.txt
footer-sitemap = Sitemap

untranslated-title = Noch nicht auf Deutsch verfügbar
untranslated-body = Diese Seite liegt noch nicht in deutscher Sprache vor. Sie ist verfügbar auf:
untranslated-note = Sobald die Übersetzung fertig ist, wird sie hier veröffentlicht.

not-found-title = Seite nicht gefunden
not-found-body = Die angeforderte Seite existiert nicht oder wurde verschoben.
not-found-home = Zur Startseite des Trust Centers


redirect-title = Diese Seite ist umgezogen
redirect-body = Diese Seite finden Sie jetzt unter { $url }.

features-heading = Sicherheitsfunktionen
features-edition-heading = Verfügbarkeit
features-cloud-only = Nur in Example Workspace Cloud
features-all-editions = Beide Varianten


## Datumsangaben: `date-long` erhält $day, $month (ein Name unten) und $year.
date-long = { $day }. { $month } { $year }
month-1 = Januar
month-2 = Februar
month-3 = März
month-4 = April
month-5 = Mai
month-6 = Juni
month-7 = Juli
month-8 = August
month-9 = September
month-10 = Oktober
month-11 = November
month-12 = Dezember

## Suche
search-slug = suche
search-title = Suche
search-label = Trust Center durchsuchen
search-button = Suchen
search-noscript = Die Suche benötigt JavaScript. Sie können auch die Bereiche oben oder die Sitemap durchsuchen.
search-none = Keine Seite passt zu Ihrer Suche.
search-count = { $count ->
    [one] Eine Seite gefunden
   *[other] { $count } Seiten gefunden
}

pager-label = Seiten der Übersicht
pager-prev = Zurück
pager-next = Weiter
pager-page = Seite { $number }
pager-status = Einträge { $first } bis { $last } von { $total }
section-all-pages = { $count ->
    [one] Die eine Seite dieses Bereichs
   *[other] Alle { $count } Seiten dieses Bereichs
}
