# Benachrichtigungen an Abonnenten (`candor notify`, portal::notify).
mail-notify-subprocessors-subject = { $site }: Änderungen bei unseren Unterauftragsverarbeitern
mail-notify-subprocessors-intro =
    Guten Tag,

    wir ändern die Unterauftragsverarbeiter, die in unserem Auftrag personenbezogene Daten verarbeiten:
mail-notify-documents-subject = { $site }: neue Version von { $title }
mail-notify-documents-intro =
    Guten Tag,

    von einem Dokument, dem Sie folgen, ist eine neue Version erschienen:
mail-notify-advisories-subject = { $site }: Sicherheitshinweis { $title }
mail-notify-advisories-subject-many = { $site }: { $count } Sicherheitshinweise
mail-notify-advisories-intro =
    Guten Tag,

    wir haben Sicherheitshinweise veröffentlicht oder aktualisiert:
mail-notify-updates-subject = { $site }: { $title }
mail-notify-updates-subject-many = { $site }: { $count } Neuigkeiten
mail-notify-updates-intro =
    Guten Tag,

    es gibt Neuigkeiten von { $site }:
mail-notify-kind-added = Neuer Unterauftragsverarbeiter: { $name }
mail-notify-kind-removed = Unterauftragsverarbeiter entfällt: { $name }
mail-notify-kind-changed = Änderung bei einem Unterauftragsverarbeiter: { $name }
mail-notify-effective = Wirksam ab: { $date }
mail-notify-deadline = Widerspruch möglich bis: { $date }
mail-notify-object = Widersprechen: { $link }
mail-notify-read = Mehr dazu: { $link }
