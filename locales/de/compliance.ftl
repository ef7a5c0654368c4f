# UI-Texte für die Compliance-Übersicht und die Antwortbibliothek für Fragebögen, Deutsch.

## Compliance-Übersicht (compliance.html, Block der Startseite; die Status setzt der Code).
compliance-status-valid = Gültig
compliance-status-expiring = Läuft bald ab
compliance-status-expired = Abgelaufen
compliance-home-title = Zertifizierungen und Testate
compliance-home-all = Alle Zertifizierungen und ihre Nachweise
compliance-scope = Geltungsbereich
compliance-body = Ausgestellt von
compliance-number = Zertifikatsnummer
compliance-issued = Ausgestellt am
compliance-until = bis { $date }
compliance-valid-until = Gültig bis
compliance-days-left = { $days ->
    [one] noch ein Tag
   *[other] noch { $days } Tage
}
compliance-expired-on = Abgelaufen am { $date }
compliance-surveillance = Überwachungsaudits
compliance-evidence = Nachweise
compliance-evidence-certificate = Zertifikat oder Testat
compliance-evidence-report = Prüfbericht
compliance-request = anfordern
compliance-json = Maschinenlesbare Daten für Ihre Werkzeuge:
compliance-none = Noch sind keine Zertifizierungen eingetragen.

## Antwortbibliothek (answers.html; die Beschriftungen in den Antworten setzt der Code).
answers-topics = Themen
answers-frameworks = Rahmenwerke
answers-evidence = Nachweise
answers-reviewed = Zuletzt geprüft
answers-owner = Verantwortlich
answers-on-request = auf Anfrage
answers-long = Details
answers-in-language = Diese Antwort liegt noch nicht in Ihrer Sprache vor; sie wird auf { $language } angezeigt.
answers-topic-path = thema
answers-framework-path = rahmenwerk
answers-export-name = sicherheitsantworten
answers-col-id = ID
answers-col-question = Frage
answers-col-short = Kurze Antwort
answers-col-long = Antwort
answers-col-topics = Themen
answers-col-frameworks = Rahmenwerke und Kontrollen
answers-col-evidence = Nachweise
answers-col-reviewed = Zuletzt geprüft
answers-col-owner = Verantwortlich
answers-col-language = Sprache
answers-col-url = Link
answers-filter-title = Antworten filtern
answers-all = Alle Antworten
answers-exports = Antworten herunterladen
answers-export-label = { $format } ({ $language })
answers-count = { $count ->
    [one] Eine Antwort
   *[other] { $count } Antworten
}
answers-count-filtered = { $count } von { $total } Antworten: { $filter }
answers-page-title = { $filter } – { $title }
