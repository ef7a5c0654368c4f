## Objections to subprocessor changes: the portal's form, its pages and mails. Used by `candor serve`.

objection-title = Object to a change: { $name }
objection-intro = If you have reasonable data protection grounds against this change, tell us here. We send a link to your address first; your objection is recorded once you confirm it.
objection-change = Change
objection-description = Description
objection-effective = Effective from
objection-deadline = Objections until
objection-late-note = The objection period ended on { $date }. You can still object; your objection will be recorded as late.
objection-form-company = Company
objection-form-name = Contact person
objection-form-email = Work e-mail address
objection-form-reason = Reason for your objection
objection-error-reason = Tell us why you object to this change.
objection-submit = Send objection
objection-removal-title = No objection needed
objection-removal-body = { $name } is being removed from our subprocessors. A removal cannot be objected to: it ends the processing of your data by this provider.
objection-unknown-title = No such change
objection-unknown-body = There is no announced change to our subprocessors at this address. The link may be mistyped, or the change was withdrawn. Our list of subprocessors shows every upcoming change you can object to.
objection-sent-title = Check your inbox
objection-sent-body = If { $email } can receive mail from us, a message with a link is on its way. Open it within { $hours } hours and confirm to send your objection.
objection-confirm-title = Confirm your objection
objection-confirm-body = Confirm that you, at { $email }, object to this change:
objection-confirm-button = Confirm and send my objection
objection-received-title = Objection received
objection-received-body = Thank you. Your objection is recorded under the reference { $reference }. Our privacy team will answer you at { $email }.
objection-received-late-title = Objection received (late)
objection-received-late-body = Thank you. Your objection is recorded under the reference { $reference }, as late: the objection period ended on { $date }. Our privacy team will answer you at { $email }.
objection-already-title = Already confirmed
objection-already-body = This objection was already confirmed; its reference is { $reference }.

mail-objection-confirm-subject = Confirm your objection to the change of { $name }
mail-objection-confirm-body =
    Hello,

    you (or someone using your address) filled in the form to object to a change of
    subprocessors at { $site }: { $name }.

    To send the objection, open this link within { $hours } hours and confirm:

    { $link }

    If you did not ask for this, ignore this message; nothing will be recorded.
mail-objection-ack-subject = Your objection { $reference } to the change of { $name }
mail-objection-ack-body =
    Hello,

    we received your objection to this change of subprocessors at { $site } on { $date }:

    { $change }

    Reference: { $reference }

    Our privacy team will review it and answer you. Questions: { $contact }
mail-objection-ack-late = The objection period ended on { $deadline }; your objection is recorded as late.
mail-objection-team-subject = Objection { $reference }: { $change }
mail-objection-team-body =
    A customer objects to a change of subprocessors.

    Reference: { $reference }
    Change: { $change } ({ $change_id })
    Effective from: { $effective }
    Objections until: { $deadline }
    Received: { $received }
    Late: { $late }

    Company: { $company }
    Contact person: { $contact }
    E-mail (confirmed): { $email }
    Evidence: { $standing }
    Language: { $lang }

    Reason:
    { $reason }
mail-objection-late-yes = yes (received after the deadline)
mail-objection-late-no = no
mail-objection-standing-both = active grant { $grant } and confirmed subscriber
mail-objection-standing-grant = active grant { $grant }
mail-objection-standing-subscriber = confirmed subscriber
mail-objection-standing-address = confirmed address only (no active grant, no subscription)
