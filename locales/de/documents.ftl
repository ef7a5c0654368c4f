# UI-Texte für Dokumente und Unterauftragsverarbeiter, Deutsch.

## Sprachnamen in dieser Sprache (für Dokumentseiten).
language-en = Englisch
language-de = Deutsch
decimal-separator = ,

## Dokumente
doc-category-privacy = Datenschutz
doc-category-security = Sicherheit
doc-category-compliance = Compliance
doc-category-legal = Rechtliches
doc-access-public = Öffentlich
doc-access-gated = Auf Anfrage
doc-access-nda = Auf Anfrage, mit Vertraulichkeitsvereinbarung
doc-access-label = Zugang
doc-current = Aktuelle Fassung
doc-version = Fassung
doc-effective = Gültig ab
doc-language = Sprache
doc-size = Größe
doc-media-type = Dateityp
doc-sha256 = SHA-256
doc-download = { $name } herunterladen
doc-download-label = Herunterladen
doc-latest = Link auf die jeweils aktuelle Fassung
doc-signature = OpenPGP-Signatur
doc-signed-by = Die Dateien sind mit dem OpenPGP-Schlüssel { $fingerprint } signiert.
doc-public-key = Öffentlichen Schlüssel herunterladen
doc-verify-heading = Download prüfen
doc-verify-checksum = Prüfsumme vergleichen mit: sha256sum DATEI
doc-verify-signature = Signatur prüfen mit: gpg --verify DATEI.asc DATEI
doc-history = Versionshistorie
doc-notes = Änderungen
doc-fallback = Dieses Dokument liegt nur auf { $language } vor.
doc-authoritative = Bei Abweichungen zwischen den Sprachfassungen ist die { $code ->
        [de] deutsche Fassung
        [en] englische Fassung
       *[other] Fassung in der Sprache { $language }
    } maßgeblich.
doc-authoritative-short = Maßgebliche Sprache: { $language }
doc-valid-until = Gültig bis { $date }
doc-expired = Abgelaufen am { $date }
doc-confidential = Dieses Dokument ist vertraulich. Seine Dateien werden auf dieser Website nicht veröffentlicht.
doc-request-heading = Dokument anfordern
doc-request-intro = Teilen Sie uns mit, wer Sie sind und wofür Sie das Dokument benötigen. Wir bestätigen zunächst Ihre E-Mail-Adresse; der Zugang wird nach Prüfung freigegeben.
doc-request-nda = Für den Zugang ist im nächsten Schritt die Annahme unserer Vertraulichkeitsvereinbarung erforderlich.
doc-request-by-email = Schreiben Sie dazu an { $email } und nennen Sie Ihren Namen, Ihr Unternehmen und den Zweck Ihrer Anfrage.
form-submit = Zugang anfordern

## Unterauftragsverarbeiter
sub-name = Unterauftragsverarbeiter
sub-purpose = Zweck
sub-location = Ort
sub-transfer = Übermittlungsgrundlage
sub-since = Seit
sub-list = Aktuelle Unterauftragsverarbeiter
sub-changes = Änderungen
sub-feed = Änderungen abonnieren (Atom-Feed)
sub-change-added = Hinzugefügt: { $name }
sub-change-removed = Entfernt: { $name }
sub-change-changed = Geändert: { $name }
sub-feed-title = { $title } – Änderungen
sub-upcoming = Geplante Änderungen
sub-upcoming-intro = Wir kündigen Änderungen mindestens { $days } Tage vor ihrem Wirksamwerden an. Bis zum Vortag können Sie aus berechtigten datenschutzrechtlichen Gründen widersprechen.
sub-announced = Angekündigt am { $date }
sub-change-effective = Wirksam ab { $date }.
sub-change-objection = Sie können bis einschließlich { $date } widersprechen.
sub-object = Dieser Änderung widersprechen
