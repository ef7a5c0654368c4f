## Das Portal: vertrauliche Dokumente anfordern. Wird von `candor serve` verwendet.

portal-request-title = Anfrage: { $document }
portal-request-intro = Sagen Sie uns, wer Sie sind und wofür Sie das Dokument benötigen. Zuerst senden wir einen Link an Ihre geschäftliche E-Mail-Adresse, um sie zu bestätigen; nach der Prüfung erhalten Sie den Download-Link per E-Mail.
portal-nda-heading = Vertraulichkeitsvereinbarung
portal-nda-intro = Dieses Dokument stellen wir unter der folgenden Vertraulichkeitsvereinbarung (Version { $version }) zur Verfügung.
portal-nda-accept = Ich nehme diese Vertraulichkeitsvereinbarung im Namen meines Unternehmens an.
portal-send = Anfrage senden
portal-required = Pflichtfeld
portal-errors-heading = Bitte korrigieren Sie Folgendes:
# The page title when the form comes back with problems (screen readers read it first).
portal-error-title = Fehler: { $title }
portal-error-name = Geben Sie Ihren vollständigen Namen an.
portal-error-email = Geben Sie eine gültige geschäftliche E-Mail-Adresse an, z. B. erika.muster@firma.de.
portal-error-company = Geben Sie den Namen Ihres Unternehmens an.
portal-error-reason = Beschreiben Sie kurz, wofür Sie das Dokument benötigen.
portal-error-too-long = „{ $field }“ ist zu lang: höchstens { $max } Zeichen.
portal-error-characters = „{ $field }“ enthält unzulässige Zeichen (Steuer- oder Richtungszeichen).
portal-error-name-characters = „{ $field }“ darf nur Buchstaben, Leerzeichen, Bindestriche, Apostrophe, Punkte und Kommas enthalten.
portal-error-organisation-characters = „{ $field }“ darf nur Buchstaben, Ziffern, Leerzeichen und . , - ' & ( ) + / ! enthalten.
portal-error-nda = Nehmen Sie die Vertraulichkeitsvereinbarung an, um fortzufahren.
portal-error-form = Das Formular ist abgelaufen. Bitte senden Sie es erneut.
portal-sent-title = Bitte prüfen Sie Ihr Postfach
portal-sent-body = Wir haben einen Bestätigungslink an { $email } gesendet. Öffnen Sie ihn innerhalb von { $hours } Stunden, um Ihre Adresse zu bestätigen. Falls nichts ankommt, sehen Sie im Spam-Ordner nach oder stellen Sie die Anfrage erneut.
portal-confirm-title = E-Mail-Adresse bestätigen
portal-confirm-body = Bestätigen Sie, dass Sie „{ $document }“ mit der Adresse { $email } angefordert haben.
portal-confirm-button = Adresse bestätigen
portal-approved-title = Zugang gewährt
portal-approved-body = Ihre Adresse ist bestätigt und der Zugang gewährt. Den Download-Link haben wir an { $email } gesendet.
portal-pending-title = Adresse bestätigt
portal-pending-body = Vielen Dank. Ihre Adresse ist bestätigt; unser Team prüft nun Ihre Anfrage. Wir schreiben Ihnen an { $email }, sobald sie entschieden ist, in der Regel innerhalb von zwei Arbeitstagen.
portal-already-title = Bereits bestätigt
portal-already-body = Diese Anfrage wurde bereits bestätigt. Wir melden uns per E-Mail bei Ihnen.
portal-grant-title = Ihre Dokumente
portal-grant-intro = Zugang für { $name } ({ $company }) bis { $date }. Verbleibende Downloads: { $left }.
portal-grant-note = Jeder Download wird protokolliert; PDF-Dateien werden mit Ihrem Namen, Ihrer E-Mail-Adresse, Ihrem Unternehmen und dem Zeitpunkt des Downloads gekennzeichnet. Bitte geben Sie die Dateien nicht weiter.
portal-grant-version = Version { $version } vom { $date }
portal-download = Herunterladen ({ $language }, { $size })
portal-denied-title = Dieser Link kann nicht verwendet werden
portal-denied-body = Der Link ist ungültig oder abgelaufen, oder der Zugang ist beendet. Sie können das Dokument auf seiner Seite erneut anfordern.
portal-limited-title = Zu viele Anfragen
portal-limited-body = Bitte warten Sie einige Minuten und versuchen Sie es dann erneut.
portal-failed-title = Etwas ist schiefgelaufen
portal-failed-body = Ihre Anfrage konnte nicht bearbeitet werden. Bitte versuchen Sie es später erneut.
portal-not-found-title = Nicht gefunden
portal-not-found-body = Unter dieser Adresse gibt es kein vertrauliches Dokument.
portal-bad-request-title = Diese Anfrage kann nicht bearbeitet werden
portal-bad-request-body = Die Adresse oder die Formulardaten sind ungültig. Gehen Sie zurück und versuchen Sie es erneut, oder öffnen Sie den Link aus Ihrer E-Mail noch einmal.
portal-back = Zurück zum Dokument

mail-confirm-subject = Bestätigen Sie Ihre Anfrage für „{ $document }“
mail-confirm-body =
    Guten Tag,

    Sie (oder jemand mit Ihrer Adresse) haben „{ $document }“ bei { $site } angefordert.
    Bitte bestätigen Sie Ihre E-Mail-Adresse, indem Sie innerhalb von { $hours } Stunden diesen Link öffnen:

    { $link }

    Falls Sie nichts angefordert haben, ignorieren Sie diese Nachricht; es wird nichts weitergegeben.
mail-grant-subject = Ihr Zugang zu „{ $document }“
mail-grant-body =
    Guten Tag,

    Ihre Anfrage für „{ $document }“ wurde genehmigt. Über diesen Link können Sie es herunterladen
    (gültig bis { $date }, höchstens { $limit } Downloads):

    { $link }

    Der Link ist persönlich. Jeder Download wird protokolliert und mit Ihrem Namen gekennzeichnet.
mail-rejected-subject = Ihre Anfrage für „{ $document }“
mail-rejected-body =
    Guten Tag,

    leider können wir „{ $document }“ auf Grundlage Ihrer Anfrage nicht weitergeben.
    Wenn Sie das für einen Irrtum halten, antworten Sie an { $contact }.
mail-rejected-reason = Die angegebene Begründung: { $reason }
portal-form-name = Vollständiger Name
portal-form-email = Geschäftliche E-Mail-Adresse
portal-form-company = Unternehmen
portal-form-reason = Zweck der Anfrage
