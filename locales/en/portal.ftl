## The portal: requesting confidential documents. Used by `candor serve`.

portal-request-title = Request: { $document }
portal-request-intro = Tell us who you are and why you need this document. We first send a link to your work e-mail address to confirm it; access is then granted after review, and the download link arrives by e-mail.
portal-nda-heading = Non-disclosure agreement
portal-nda-intro = This document is shared under the following non-disclosure agreement (version { $version }).
portal-nda-accept = I accept this non-disclosure agreement on behalf of my company.
portal-send = Send request
portal-required = required
portal-errors-heading = Please correct the following:
# The page title when the form comes back with problems (screen readers read it first).
portal-error-title = Error: { $title }
portal-error-name = Enter your full name.
portal-error-email = Enter a valid work e-mail address, e.g. jane.doe@company.com.
portal-error-company = Enter the name of your company.
portal-error-reason = Tell us briefly why you need the document.
portal-error-too-long = “{ $field }” is too long: at most { $max } characters.
portal-error-characters = “{ $field }” contains characters that are not allowed (control or direction characters).
portal-error-name-characters = “{ $field }” may hold letters, spaces, hyphens, apostrophes, full stops and commas only.
portal-error-organisation-characters = “{ $field }” may hold letters, digits, spaces and . , - ' & ( ) + / ! only.
portal-error-nda = Accept the non-disclosure agreement to continue.
portal-error-form = The form has expired. Please send it again.
portal-sent-title = Check your inbox
portal-sent-body = We have sent a confirmation link to { $email }. Open it within { $hours } hours to confirm your address. If nothing arrives, check your spam folder or request again.
portal-confirm-title = Confirm your e-mail address
portal-confirm-body = Confirm that you requested “{ $document }” with the address { $email }.
portal-confirm-button = Confirm my address
portal-approved-title = Access granted
portal-approved-body = Your address is confirmed and access is granted. We have sent the download link to { $email }.
portal-pending-title = Address confirmed
portal-pending-body = Thank you. Your address is confirmed and our team now reviews your request. We will write to { $email } when it is decided, usually within two business days.
portal-already-title = Already confirmed
portal-already-body = This request was already confirmed. We will write to you by e-mail.
portal-grant-title = Your documents
portal-grant-intro = Access for { $name } ({ $company }) until { $date }. Downloads left: { $left }.
portal-grant-note = Each download is recorded, and PDF files are marked with your name, e-mail address, company and the time of download. Please do not pass the files on.
portal-grant-version = Version { $version } of { $date }
portal-download = Download ({ $language }, { $size })
portal-denied-title = This link cannot be used
portal-denied-body = The link is invalid, has expired or access has ended. You can request the document again from its page.
portal-limited-title = Too many requests
portal-limited-body = Please wait a few minutes and try again.
portal-failed-title = Something went wrong
portal-failed-body = Your request could not be processed. Please try again later.
portal-not-found-title = Not found
portal-not-found-body = There is no confidential document at this address.
portal-bad-request-title = This request cannot be handled
portal-bad-request-body = The address or the form data is not valid. Go back and try again, or open the link from your e-mail once more.
portal-back = Back to the document

mail-confirm-subject = Confirm your request for “{ $document }”
mail-confirm-body =
    Hello,

    you (or someone using your address) requested “{ $document }” from { $site }.
    Please confirm your e-mail address by opening this link within { $hours } hours:

    { $link }

    If you did not request it, ignore this message; nothing will be shared.
mail-grant-subject = Your access to “{ $document }”
mail-grant-body =
    Hello,

    your request for “{ $document }” has been approved. Open this link to download it
    (valid until { $date }, at most { $limit } downloads):

    { $link }

    The link is personal. Each download is recorded and marked with your name.
mail-rejected-subject = Your request for “{ $document }”
mail-rejected-body =
    Hello,

    we are sorry: we cannot share “{ $document }” on the basis of your request.
    If you think this is a mistake, reply to { $contact }.
mail-rejected-reason = The reason given: { $reason }
portal-form-name = Full name
portal-form-email = Work e-mail
portal-form-company = Company
portal-form-reason = Reason for the request
