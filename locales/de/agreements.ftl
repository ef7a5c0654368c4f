## Verträge online abschließen (Dokumente mit `signable: true`). Verwendet von der
## Dokumentseite und von `candor serve`.

doc-conclude-heading = Diesen Vertrag online abschließen
doc-conclude-intro = Schließen Sie diesen Vertrag für Ihr Unternehmen hier ab, ohne Drucken und Scannen: Sie bestätigen Ihre E-Mail-Adresse, geben Unternehmen und unterzeichnende Person an und erhalten die Vertragsausfertigung als digital signiertes PDF.
doc-conclude-button = Diesen Vertrag online abschließen

agreement-start-title = Online abschließen: { $document }
agreement-start-intro = Zuerst bestätigen wir Ihre E-Mail-Adresse: Wir senden Ihnen einen Link, der zum Unterzeichnungsformular führt. Verwenden Sie die Adresse, an die die Vertragsausfertigung gehen soll.
agreement-start-email = Ihre geschäftliche E-Mail-Adresse
agreement-start-button = Link senden

agreement-mail-link-subject = Ihr Link zum Abschluss von „{ $document }“
agreement-mail-link-body =
    Guten Tag,

    Sie (oder jemand mit Ihrer Adresse) möchten „{ $document }“ über { $site } abschließen.
    Öffnen Sie diesen Link innerhalb von { $hours } Stunden, um Ihre Adresse zu bestätigen und fortzufahren:

    { $link }

    Wenn Sie das nicht waren, ignorieren Sie diese Nachricht; es wird nichts abgeschlossen.

agreement-confirm-body = Bestätigen Sie, dass { $email } Ihre Adresse ist, um den Abschluss von „{ $document }“ fortzusetzen.
agreement-used-title = Link bereits verwendet
agreement-used-body = Mit diesem Link wurde bereits ein Vertrag abgeschlossen. Die Vertragsausfertigung wurde per E-Mail versandt; die Nachricht enthält auch den Link zu allen Ihren Verträgen.

agreement-form-title = Abschließen: { $document }
agreement-form-intro = Ihre Adresse { $email } wurde am { $date } bestätigt. Geben Sie Vertragspartei und unterzeichnende Person an, wählen Sie die Sprachfassung, lesen Sie Version { $version } und bestätigen Sie Ihre Zeichnungsberechtigung.
agreement-optional = optional
agreement-form-party = Vertragspartei (Ihr Unternehmen)
agreement-form-signatory = Unterzeichnende Person
agreement-form-company = Name des Unternehmens
agreement-form-address = Postanschrift
agreement-form-registration = Registernummer
agreement-form-privacy-contact = E-Mail-Adresse für Datenschutzfragen
agreement-form-signatory-name = Vollständiger Name
agreement-form-signatory-title = Funktion
agreement-form-signatory-email = E-Mail-Adresse
agreement-form-language = Sprachfassung
agreement-authoritative = { $language } (maßgeblich)
agreement-authoritative-note = Beide Fassungen haben denselben Inhalt; bei Abweichungen ist die { $language ->
        [Deutsch] deutsche Fassung
        [Englisch] englische Fassung
       *[other] Fassung in der Sprache { $language }
    } maßgeblich.
agreement-text-title = Text der Version { $version }
agreement-text-file = { $language } (PDF, SHA-256 { $sha256 })
agreement-form-accept = Ich habe Version { $version } von „{ $document }“ gelesen und bin berechtigt, den Vertrag für das oben genannte Unternehmen zu unterzeichnen. Mit dem Absenden schließt das Unternehmen den Vertrag.
agreement-form-button = Vertrag abschließen

agreement-error-missing = Geben Sie das Feld „{ $field }“ an.
agreement-error-email = Geben Sie im Feld „{ $field }“ eine Adresse wie name@firma.de an.
agreement-error-language = Wählen Sie die Sprachfassung, die Sie unterzeichnen.
agreement-error-accept = Bestätigen Sie, dass Sie den Vertrag gelesen haben und ihn unterzeichnen dürfen.

agreement-done-title = Vertrag abgeschlossen
agreement-done-body = { $company } hat Version { $version } von „{ $document }“ abgeschlossen. Die Vertragsausfertigung geht als signiertes PDF an { $email }.

agreement-list-title = Ihre Verträge
agreement-list-intro = Die online mit der Adresse { $email } abgeschlossenen Verträge. Jede Datei ist das signierte Original; eine neuere Version eines Vertrags ändert sie nicht.
agreement-list-empty = Mit dieser Adresse wurden noch keine Verträge abgeschlossen.
agreement-list-document = Vertrag
agreement-list-party = Unternehmen und unterzeichnende Person
agreement-list-signed = Unterzeichnet (UTC)
agreement-list-status = Status
agreement-list-file = Datei
agreement-list-download = { $id } herunterladen (PDF)
agreement-status-current = Aktuelle Version
agreement-status-superseded = Abgelöst durch Version { $version }

agreement-mail-signed-subject = Vertragsausfertigung: „{ $document }“, Version { $version }
agreement-mail-signed-body =
    Guten Tag,

    { $company } hat am { $time } Version { $version } von „{ $document }“ abgeschlossen.
    Die Vertragsausfertigung liegt als digital signiertes PDF bei (Vertrag { $id },
    SHA-256 { $sha256 }). Jeder PDF-Reader zeigt, ob er seit der Signatur unverändert ist.

    Alle mit Ihrer Adresse abgeschlossenen Verträge:

    { $link }

    Geben Sie diesen Link nicht weiter; er zeigt jedem, der ihn öffnet, Ihre Verträge.
agreement-mail-legal-subject = Online abgeschlossen: { $company }, „{ $document }“ { $version }
agreement-mail-legal-body =
    { $company } hat Version { $version } von „{ $document }“ online abgeschlossen.

    Unterzeichnet von: { $name } ({ $title }), { $email }
    Unterzeichnet: { $time }
    Vertrag: { $id }
    SHA-256 des signierten PDF: { $sha256 }

    Das signierte PDF liegt bei. `candor agreements show { $id }` zeigt den vollständigen Datensatz.

agreement-pdf-reason = Vertragsausfertigung: { $document } { $version }, { $company }
agreement-pdf-cover-title = Vertragsausfertigung
agreement-pdf-version = Version
agreement-pdf-between = zwischen
agreement-pdf-and = und
agreement-pdf-provider = Anbieter
agreement-pdf-customer = Kunde
agreement-pdf-registration = Registernummer
agreement-pdf-privacy-contact = Kontakt für Datenschutz
agreement-pdf-agreement-id = Vertrags-ID
agreement-pdf-signed-at = Unterzeichnet am
agreement-pdf-contents = Diese Datei besteht aus diesem Deckblatt, dem Vertrag wie veröffentlicht ({ $pages } Seiten) und einer Ausfertigungsseite. Der Anbieter hat die gesamte Datei digital signiert; ein PDF-Reader zeigt, ob sie seitdem unverändert ist.
agreement-pdf-execution-title = Ausfertigung
agreement-pdf-statement = { $name } hat diesen Vertrag für { $company } angenommen und erklärt, zur Unterzeichnung für das Unternehmen berechtigt zu sein.
agreement-pdf-signatory = Unterzeichnende Person
agreement-pdf-signatory-title = Funktion
agreement-pdf-signatory-email = E-Mail-Adresse
agreement-pdf-company = Unternehmen
agreement-pdf-agreement = Vertrag
agreement-pdf-language = Sprachfassung
agreement-pdf-sha256 = SHA-256 der unterzeichneten Vertragsdatei
agreement-pdf-evidence = Nachweise
agreement-pdf-email-verified = E-Mail-Adresse bestätigt
agreement-pdf-ip = IP-Adresse
agreement-pdf-user-agent = User-Agent
agreement-pdf-request-id = Anfrage-ID
agreement-pdf-signature = Signatur
agreement-pdf-signature-text = { $provider } hat diese Datei beim Absenden des Formulars mit dem unten genannten Zertifikat signiert. Die Signatur umfasst alle Seiten.
agreement-pdf-certificate = Zertifikat
