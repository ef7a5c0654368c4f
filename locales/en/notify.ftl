# Notices to subscribers (`candor notify`, portal::notify).
mail-notify-subprocessors-subject = { $site }: changes to our subprocessors
mail-notify-subprocessors-intro =
    Hello,

    we are changing the subprocessors that process personal data on our behalf:
mail-notify-documents-subject = { $site }: new version of { $title }
mail-notify-documents-intro =
    Hello,

    a new version of a document you follow has been published:
mail-notify-advisories-subject = { $site }: security advisory { $title }
mail-notify-advisories-subject-many = { $site }: { $count } security advisories
mail-notify-advisories-intro =
    Hello,

    we have published or updated security advisories:
mail-notify-updates-subject = { $site }: { $title }
mail-notify-updates-subject-many = { $site }: { $count } updates
mail-notify-updates-intro =
    Hello,

    there is news from { $site }:
mail-notify-kind-added = New subprocessor: { $name }
mail-notify-kind-removed = Subprocessor removed: { $name }
mail-notify-kind-changed = Change to a subprocessor: { $name }
mail-notify-effective = Takes effect: { $date }
mail-notify-deadline = Objections until: { $date }
mail-notify-object = To object: { $link }
mail-notify-read = Read more: { $link }
