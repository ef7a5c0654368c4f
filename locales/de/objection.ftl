## Widersprüche gegen Änderungen der Unterauftragsverarbeiter: das Formular des Portals, seine Seiten und E-Mails. Verwendet von `candor serve`.

objection-title = Einer Änderung widersprechen: { $name }
objection-intro = Wenn Sie berechtigte datenschutzrechtliche Gründe gegen diese Änderung haben, teilen Sie sie uns hier mit. Wir senden zuerst einen Link an Ihre Adresse; Ihr Widerspruch wird erfasst, sobald Sie ihn bestätigen.
objection-change = Änderung
objection-description = Beschreibung
objection-effective = Wirksam ab
objection-deadline = Widerspruch bis einschließlich
objection-late-note = Die Widerspruchsfrist endete am { $date }. Sie können dennoch widersprechen; Ihr Widerspruch wird als verspätet erfasst.
objection-form-company = Unternehmen
objection-form-name = Ansprechperson
objection-form-email = Geschäftliche E-Mail-Adresse
objection-form-reason = Begründung Ihres Widerspruchs
objection-error-reason = Geben Sie an, warum Sie dieser Änderung widersprechen.
objection-submit = Widerspruch senden
objection-removal-title = Kein Widerspruch nötig
objection-removal-body = { $name } wird aus unseren Unterauftragsverarbeitern entfernt. Einer Entfernung kann nicht widersprochen werden: Sie beendet die Verarbeitung Ihrer Daten durch diesen Dienstleister.
objection-unknown-title = Keine solche Änderung
objection-unknown-body = Unter dieser Adresse gibt es keine angekündigte Änderung unserer Unterauftragsverarbeiter. Der Link ist vielleicht falsch geschrieben, oder die Änderung wurde zurückgezogen. Unsere Liste der Unterauftragsverarbeiter zeigt jede anstehende Änderung, der Sie widersprechen können.
objection-sent-title = Bitte prüfen Sie Ihr Postfach
objection-sent-body = Wenn { $email } E-Mails von uns empfangen kann, ist eine Nachricht mit einem Link unterwegs. Öffnen Sie ihn innerhalb von { $hours } Stunden und bestätigen Sie, um Ihren Widerspruch zu senden.
objection-confirm-title = Widerspruch bestätigen
objection-confirm-body = Bestätigen Sie, dass Sie unter { $email } dieser Änderung widersprechen:
objection-confirm-button = Bestätigen und Widerspruch senden
objection-received-title = Widerspruch eingegangen
objection-received-body = Vielen Dank. Ihr Widerspruch ist unter dem Aktenzeichen { $reference } erfasst. Unser Datenschutzteam antwortet Ihnen an { $email }.
objection-received-late-title = Widerspruch eingegangen (verspätet)
objection-received-late-body = Vielen Dank. Ihr Widerspruch ist unter dem Aktenzeichen { $reference } als verspätet erfasst: Die Widerspruchsfrist endete am { $date }. Unser Datenschutzteam antwortet Ihnen an { $email }.
objection-already-title = Bereits bestätigt
objection-already-body = Dieser Widerspruch wurde bereits bestätigt; sein Aktenzeichen ist { $reference }.

mail-objection-confirm-subject = Bestätigen Sie Ihren Widerspruch gegen die Änderung bei { $name }
mail-objection-confirm-body =
    Guten Tag,

    Sie (oder jemand mit Ihrer Adresse) haben das Formular ausgefüllt, um einer Änderung der
    Unterauftragsverarbeiter bei { $site } zu widersprechen: { $name }.

    Um den Widerspruch zu senden, öffnen Sie diesen Link innerhalb von { $hours } Stunden und bestätigen Sie:

    { $link }

    Wenn Sie das nicht veranlasst haben, ignorieren Sie diese Nachricht; es wird nichts erfasst.
mail-objection-ack-subject = Ihr Widerspruch { $reference } gegen die Änderung bei { $name }
mail-objection-ack-body =
    Guten Tag,

    wir haben am { $date } Ihren Widerspruch gegen diese Änderung der Unterauftragsverarbeiter bei { $site } erhalten:

    { $change }

    Aktenzeichen: { $reference }

    Unser Datenschutzteam prüft ihn und antwortet Ihnen. Fragen: { $contact }
mail-objection-ack-late = Die Widerspruchsfrist endete am { $deadline }; Ihr Widerspruch ist als verspätet erfasst.
mail-objection-team-subject = Widerspruch { $reference }: { $change }
mail-objection-team-body =
    Ein Kunde widerspricht einer Änderung der Unterauftragsverarbeiter.

    Aktenzeichen: { $reference }
    Änderung: { $change } ({ $change_id })
    Wirksam ab: { $effective }
    Widerspruch bis: { $deadline }
    Eingegangen: { $received }
    Verspätet: { $late }

    Unternehmen: { $company }
    Ansprechperson: { $contact }
    E-Mail (bestätigt): { $email }
    Nachweis: { $standing }
    Sprache: { $lang }

    Begründung:
    { $reason }
mail-objection-late-yes = ja (nach Ablauf der Frist eingegangen)
mail-objection-late-no = nein
mail-objection-standing-both = aktive Freigabe { $grant } und bestätigter Abonnent
mail-objection-standing-grant = aktive Freigabe { $grant }
mail-objection-standing-subscriber = bestätigter Abonnent
mail-objection-standing-address = nur bestätigte Adresse (keine aktive Freigabe, kein Abonnement)
