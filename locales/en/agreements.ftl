## Concluding agreements online (documents marked `signable: true`). Used by the document page
## and by `candor serve`.

doc-conclude-heading = Conclude this agreement online
doc-conclude-intro = Sign this agreement for your company here, without printing or scanning: confirm your e-mail address, enter your company and signatory, and you receive the executed agreement as a digitally signed PDF.
doc-conclude-button = Conclude this agreement online

agreement-start-title = Conclude online: { $document }
agreement-start-intro = First we confirm your e-mail address: we send you a link that leads to the signing form. Use the address under which you want to receive the executed agreement.
agreement-start-email = Your work e-mail
agreement-start-button = Send the link

agreement-mail-link-subject = Your link to conclude “{ $document }”
agreement-mail-link-body =
    Hello,

    you (or someone using your address) asked to conclude “{ $document }” on { $site }.
    Open this link within { $hours } hours to confirm your address and continue:

    { $link }

    If you did not ask for it, ignore this message; nothing will be concluded.

agreement-confirm-body = Confirm that { $email } is your address to continue concluding “{ $document }”.
agreement-used-title = Link already used
agreement-used-body = An agreement has already been concluded with this link. The executed agreement was sent by e-mail; the message also links to all your agreements.

agreement-form-title = Conclude: { $document }
agreement-form-intro = Your address { $email } was confirmed on { $date }. Enter the contracting party and the signatory, choose the language version, read version { $version } and confirm that you may sign.
agreement-optional = optional
agreement-form-party = Contracting party (your company)
agreement-form-signatory = Signatory
agreement-form-company = Company name
agreement-form-address = Postal address
agreement-form-registration = Registration number
agreement-form-privacy-contact = E-mail for privacy matters
agreement-form-signatory-name = Full name
agreement-form-signatory-title = Position
agreement-form-signatory-email = E-mail
agreement-form-language = Language version
agreement-authoritative = { $language } (authoritative)
agreement-authoritative-note = Both versions have the same content; if they differ, the { $language } version prevails.
agreement-text-title = Text of version { $version }
agreement-text-file = { $language } (PDF, SHA-256 { $sha256 })
agreement-form-accept = I have read version { $version } of “{ $document }” and I am authorised to sign it on behalf of the company named above. By submitting this form, the company concludes the agreement.
agreement-form-button = Conclude the agreement

agreement-error-missing = Enter the { $field }.
agreement-error-email = Enter the { $field } as an address like name@company.com.
agreement-error-language = Choose the language version to sign.
agreement-error-accept = Confirm that you have read the agreement and may sign it.

agreement-done-title = Agreement concluded
agreement-done-body = { $company } has concluded version { $version } of “{ $document }”. The executed agreement, signed as a PDF, is on its way to { $email }.

agreement-list-title = Your agreements
agreement-list-intro = The agreements concluded online with the address { $email }. Each file is the signed original; a newer version of an agreement does not change it.
agreement-list-empty = No agreements have been concluded with this address yet.
agreement-list-document = Agreement
agreement-list-party = Company and signatory
agreement-list-signed = Signed (UTC)
agreement-list-status = Status
agreement-list-file = File
agreement-list-download = Download { $id } (PDF)
agreement-status-current = Current version
agreement-status-superseded = Superseded by version { $version }

agreement-mail-signed-subject = Executed: “{ $document }”, version { $version }
agreement-mail-signed-body =
    Hello,

    { $company } has concluded version { $version } of “{ $document }” on { $time }.
    The executed agreement is attached as a digitally signed PDF (agreement { $id },
    SHA-256 { $sha256 }). Any PDF reader shows whether it is unmodified since signing.

    All agreements concluded with your address:

    { $link }

    Keep this link private; it shows your agreements to whoever opens it.
agreement-mail-legal-subject = Agreement concluded online: { $company }, “{ $document }” { $version }
agreement-mail-legal-body =
    { $company } has concluded version { $version } of “{ $document }” online.

    Signatory: { $name } ({ $title }), { $email }
    Signed: { $time }
    Agreement: { $id }
    SHA-256 of the signed PDF: { $sha256 }

    The signed PDF is attached. `candor agreements show { $id }` prints the full record.

agreement-pdf-reason = Executed agreement: { $document } { $version }, { $company }
agreement-pdf-cover-title = Executed agreement
agreement-pdf-version = Version
agreement-pdf-between = between
agreement-pdf-and = and
agreement-pdf-provider = provider
agreement-pdf-customer = customer
agreement-pdf-registration = Registration number
agreement-pdf-privacy-contact = Privacy contact
agreement-pdf-agreement-id = Agreement ID
agreement-pdf-signed-at = Signed at
agreement-pdf-contents = This file consists of this cover page, the agreement as published ({ $pages } pages) and an execution page. The provider has signed the whole file digitally; a PDF reader shows whether it is unmodified since.
agreement-pdf-execution-title = Execution
agreement-pdf-statement = { $name } accepted this agreement on behalf of { $company } and declared to be authorised to sign it for the company.
agreement-pdf-signatory = Signatory
agreement-pdf-signatory-title = Position
agreement-pdf-signatory-email = E-mail
agreement-pdf-company = Company
agreement-pdf-agreement = Agreement
agreement-pdf-language = Language version
agreement-pdf-sha256 = SHA-256 of the agreement file signed
agreement-pdf-evidence = Evidence
agreement-pdf-email-verified = E-mail address verified
agreement-pdf-ip = IP address
agreement-pdf-user-agent = User agent
agreement-pdf-request-id = Request ID
agreement-pdf-signature = Signature
agreement-pdf-signature-text = { $provider } signed this file with the certificate below when the customer submitted the form. The signature covers every page.
agreement-pdf-certificate = Certificate
