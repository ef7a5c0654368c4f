# UI-Texte der Verwaltungskonsole (src/portal/admin/), Deutsch. Aus dem Code verwendet: Präfix `admin-`.
admin-nav-label = Konsole
admin-nav-requests = Anfragen
admin-nav-grants = Freigaben
admin-tabs-label = Anzeigen
admin-signed-in-as = Angemeldet als { $email } ({ $role })
admin-sign-out = Abmelden
admin-role-viewer = Lesen
admin-role-approver = Entscheiden
admin-role-owner = Verwalten

admin-sign-in-title = Bei der Konsole anmelden
admin-sign-in-intro = Geben Sie Ihre geschäftliche E-Mail-Adresse ein. Gehört sie zu einer Administratorin oder einem Administrator, senden wir einen Anmeldelink, der 15 Minuten gültig ist.
admin-sign-in-email = Geschäftliche E-Mail-Adresse
admin-sign-in-send = Anmeldelink senden
admin-sign-in-sent = Gehört diese Adresse zu einer Administratorin oder einem Administrator, ist ein Anmeldelink unterwegs. Öffnen Sie ihn auf diesem Gerät.
admin-sign-in-invalid = Geben Sie eine E-Mail-Adresse wie erika@example.com ein.
admin-mail-subject = Anmeldung bei der Konsole von { $site }
admin-mail-body =
    Guten Tag,

    öffnen Sie diesen Link, um sich bei der Konsole von { $site } anzumelden (einmal verwendbar, { $minutes } Minuten gültig):

    { $link }

    Haben Sie keine Anmeldung angefordert, ignorieren Sie diese Nachricht; ohne Ihren zweiten Faktor kann sich niemand anmelden.
admin-link-title = Anmelden
admin-link-intro = Setzen Sie die Anmeldung mit diesem Link fort. Anschließend bestätigen Sie mit Ihrer Authenticator-App.
admin-link-button = Weiter
admin-link-invalid-title = Dieser Anmeldelink ist nicht verwendbar
admin-link-invalid-body = Der Link ist abgelaufen, wurde bereits verwendet oder ist ungültig. Fordern Sie auf der Anmeldeseite einen neuen an.
admin-enrol-title = Zweiten Faktor einrichten
admin-enrol-intro = Scannen Sie diesen Code mit einer Authenticator-App (TOTP nach RFC 6238, etwa der in Ihrer Organisation üblichen) und geben Sie dann den sechsstelligen Code ein, den sie anzeigt.
admin-enrol-qr = QR-Code für Ihre Authenticator-App
admin-enrol-manual = Oder geben Sie diesen Schlüssel von Hand ein:
admin-code-title = Bestätigen Sie Ihre Anmeldung
admin-code-intro = Geben Sie den sechsstelligen Code aus Ihrer Authenticator-App ein.
admin-code-label = Sechsstelliger Code
admin-code-submit = Bestätigen
admin-code-wrong-title = Der Code wurde nicht angenommen
admin-code-wrong-body = Der Code ist falsch, abgelaufen oder wurde bereits verwendet. Warten Sie auf den nächsten Code und versuchen Sie es erneut.
admin-code-locked-title = Zu viele falsche Codes
admin-code-locked-body = Zu Ihrer Sicherheit wurde diese Anmeldung beendet. Fordern Sie einen neuen Anmeldelink an.
admin-limited-title = Zu viele Versuche
admin-limited-body = Bitte warten Sie einige Minuten, bevor Sie einen weiteren Anmeldelink anfordern.
admin-signed-out-title = Sie sind abgemeldet
admin-signed-out-body = Ihre Sitzung ist beendet. Melden Sie sich erneut an, um fortzufahren.
admin-forbidden-title = Nicht erlaubt
admin-forbidden-body = Ihre Rolle erlaubt diese Aktion nicht. Rollen ändert, wer die Konfiguration der Website verwaltet.
admin-form-expired-title = Dieses Formular ist abgelaufen
admin-form-expired-body = Laden Sie die Seite neu und versuchen Sie es erneut.
admin-bad-form-title = Das Formular ist unvollständig
admin-bad-form-body = Gehen Sie zurück, wählen Sie eine Aktion und versuchen Sie es erneut.

admin-requests-title = Anfragen
admin-requests-caption = Zugangsanfragen ({ $count })
admin-requests-none = In dieser Liste sind keine Anfragen.
admin-state-pending = Wartet auf Entscheidung
admin-state-unverified = E-Mail nicht bestätigt
admin-state-approved = Bewilligt
admin-state-rejected = Abgelehnt
admin-state-expired = Abgelaufen
admin-state-all = Alle
admin-state-active = Aktiv
admin-state-revoked = Widerrufen
admin-select = Auswählen
admin-select-request = Anfrage von { $name } für { $document } auswählen
admin-select-grant = Freigabe von { $name } für { $document } auswählen
admin-col-submitted = Eingegangen
admin-col-requester = Anfragende Person
admin-col-company = Unternehmen und E-Mail-Domain
admin-col-document = Dokument und Sprache
admin-col-nda = NDA-Fassung
admin-col-reason = Begründung
admin-col-state = Stand
admin-col-recipient = Empfänger
admin-col-granted = Freigegeben am
admin-col-until = Gültig bis
admin-col-downloads = Downloads
admin-decide-legend = Über die ausgewählten Anfragen entscheiden
admin-decide-days = Zugang für (Tage)
admin-decide-approve = Ausgewählte bewilligen
admin-decide-reason = Begründung einer Ablehnung (geht an die anfragende Person; schreiben Sie sie in der Sprache der Anfrage)
admin-decide-reject = Ausgewählte ablehnen
admin-done-approved = Die ausgewählten Anfragen wurden bewilligt; die Anfragenden erhalten ihre Links.
admin-done-rejected = Die ausgewählten Anfragen wurden abgelehnt; die Anfragenden wurden benachrichtigt.
admin-done-revoked = Die ausgewählten Freigaben wurden widerrufen; ihre Links funktionieren nicht mehr.
admin-done-partial = Einige der ausgewählten Einträge waren bereits entschieden oder geändert; die übrigen wurden erledigt.
admin-done-none = Es war nichts ausgewählt.
admin-grants-title = Freigaben
admin-grants-caption = Freigaben ({ $count })
admin-grants-none = In dieser Liste sind keine Freigaben.
admin-grants-legend = Mit den ausgewählten Freigaben
admin-resend = Neuen Link senden (frühere Links werden ungültig)
admin-extend-days = Verlängern um (Tage)
admin-extend = Verlängern
admin-done-extended = Die ausgewählten Freigaben wurden verlängert.
admin-done-resent = Die Empfänger der ausgewählten Freigaben haben neue Links erhalten; frühere Links funktionieren nicht mehr.
admin-revoke = Ausgewählte widerrufen
admin-previous = Vorherige Seite
admin-next = Nächste Seite
admin-page-of = Seite { $page } von { $pages }

admin-nav-rules = Freigaberegeln
admin-rules-title = Regeln für automatische Freigaben
admin-rules-intro = Anfragen von einer E-Mail-Domain in diesen Regeln werden für die genannten Dokumente bewilligt, sobald die anfragende Person ihre Adresse bestätigt hat. Jede Instanz wendet eine Regel an, sobald sie gespeichert ist.
admin-rules-configured = Laut Konfiguration der Website außerdem für alle Dokumente bewilligt:
admin-rules-none = Es gibt noch keine Regeln.
admin-rules-caption = Regeln
admin-rules-domain = E-Mail-Domain
admin-rules-documents = Dokumente
admin-rules-created = Angelegt
admin-rules-all = Alle vertraulichen Dokumente
admin-rules-remove = Entfernen
admin-rules-add = Regel hinzufügen
admin-rules-save = Regel speichern
admin-rules-invalid-title = Die Regel wurde nicht gespeichert
admin-rules-invalid-body = Geben Sie eine Domain wie kunde.example ein (ohne @) und wählen Sie mindestens ein Dokument.
