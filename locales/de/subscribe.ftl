## Abonnements: Formular, Seiten und Mails des Portals und das Formular der Website. Verwendet von `candor serve`.

subscribe-title = Neuigkeiten abonnieren
subscribe-intro = Wählen Sie, worüber wir Sie informieren sollen. Wir senden zuerst einen Link an Ihre Adresse; bevor Sie ihn bestätigen, erhalten Sie nichts. Jede Mail enthält einen Link, um Ihre Themen zu ändern oder sich abzumelden.
subscribe-email = E-Mail-Adresse
subscribe-topics = Themen
subscribe-topic-subprocessors = Änderungen bei Unterauftragsverarbeitern
subscribe-topic-advisories = Sicherheitshinweise
subscribe-topic-updates = Neuigkeiten des Trust Centers
subscribe-topic-documents = Neue Versionen aller Dokumente
subscribe-topic-document = Neue Versionen von „{ $document }“
subscribe-documents = Oder nur neue Versionen dieser Dokumente
# Steht neben dem Kästchen; ihr SHA-256 wird mit jedem Abonnement als erteilte Einwilligung gespeichert.
subscribe-consent = Ich willige ein, E-Mails zu den gewählten Themen zu erhalten. Ich kann mich jederzeit über den Link in jeder Mail abmelden.
subscribe-submit = Abonnieren
subscribe-error-consent = Kreuzen Sie das Kästchen an, um in diese E-Mails einzuwilligen.
subscribe-error-topics = Wählen Sie mindestens ein Thema.
subscribe-error-topic-unknown = Wählen Sie Themen aus der Liste.
subscribe-sent-title = Bitte prüfen Sie Ihr Postfach
subscribe-sent-body = Wenn { $email } abonniert werden kann, ist eine Mail mit einem Link unterwegs. Öffnen Sie ihn innerhalb von { $hours } Stunden und bestätigen Sie, um das Abonnement zu beginnen.
subscribe-confirm-title = Abonnement bestätigen
subscribe-confirm-body = Bestätigen Sie, dass { $email } die gewählten Neuigkeiten erhalten soll.
subscribe-confirm-button = Abonnement bestätigen
subscribe-confirmed-title = Abonnement bestätigt
subscribe-confirmed-body = Vielen Dank. { $email } erhält jetzt die gewählten Neuigkeiten. Jede Mail enthält einen Link, um Ihre Themen zu ändern oder sich abzumelden.
subscribe-already-title = Bereits bestätigt
subscribe-already-body = Dieses Abonnement wurde bereits bestätigt. Mit dem Link in Ihren Mails können Sie Ihre Themen ändern.
subscribe-preferences-title = Ihr Abonnement
subscribe-preferences-intro = Themen für { $email }:
subscribe-preferences-save = Themen speichern
subscribe-preferences-saved = Ihre Themen sind gespeichert.
subscribe-unsubscribe-title = Abmelden
subscribe-unsubscribe-body = Keine Mails mehr an { $email } senden und die Adresse löschen.
subscribe-unsubscribe-button = Abmelden
subscribe-unsubscribed-title = Sie sind abgemeldet
subscribe-unsubscribed-body = Wir senden keine Neuigkeiten mehr an diese Adresse und haben sie gelöscht.
# Das Formular der Website (Theme-Partial `subscribe.html`).
subscribe-site-title = Auf dem Laufenden bleiben
subscribe-site-intro = Erhalten Sie eine E-Mail, wenn sich etwas ändert.
subscribe-site-continue = Weiter

mail-subscribe-confirm-subject = Bestätigen Sie Ihr Abonnement von { $site }
mail-subscribe-confirm-body =
    Guten Tag,

    Sie (oder jemand mit Ihrer Adresse) möchten diese Neuigkeiten von { $site } erhalten:

    { $topics }

    Öffnen Sie diesen Link innerhalb von { $hours } Stunden und bestätigen Sie:

    { $link }

    Wenn Sie das nicht waren, ignorieren Sie diese Nachricht; wir senden nichts.
mail-subscribe-already-subject = Ihr Abonnement von { $site }
mail-subscribe-already-body =
    Guten Tag,

    jemand wollte diese Adresse für Neuigkeiten von { $site } eintragen. Sie ist bereits
    eingetragen für:

    { $topics }

    Es hat sich nichts geändert. Ihre Themen ändern Sie über den Link unten.
mail-subscribe-welcome-subject = Ihr Abonnement von { $site } ist aktiv
mail-subscribe-welcome-body =
    Guten Tag,

    Ihr Abonnement ist bestätigt. Sie erhalten Mails zu:

    { $topics }
mail-subscribe-footer =
    Themen ändern: { $preferences }
    Abmelden: { $unsubscribe }
