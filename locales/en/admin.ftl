# UI strings of the admin console (src/portal/admin/), English. Used from code: prefix `admin-`.
admin-nav-label = Console
admin-nav-requests = Requests
admin-nav-grants = Grants
admin-tabs-label = Show
admin-signed-in-as = Signed in as { $email } ({ $role })
admin-sign-out = Sign out
admin-role-viewer = viewer
admin-role-approver = approver
admin-role-owner = owner

admin-sign-in-title = Sign in to the console
admin-sign-in-intro = Enter your work e-mail address. If it belongs to an administrator, we send a sign-in link that is valid for 15 minutes.
admin-sign-in-email = Work e-mail
admin-sign-in-send = Send sign-in link
admin-sign-in-sent = If this address belongs to an administrator, a sign-in link is on its way. Open it on this device.
admin-sign-in-invalid = Enter an e-mail address such as jane@example.com.
admin-mail-subject = Sign in to the console of { $site }
admin-mail-body =
    Hello,

    open this link to sign in to the console of { $site } (valid for { $minutes } minutes, once):

    { $link }

    If you did not ask to sign in, ignore this message; nobody can sign in without your second factor.
admin-link-title = Sign in
admin-link-intro = Continue to sign in with this link. You then confirm with your authenticator app.
admin-link-button = Continue
admin-link-invalid-title = This sign-in link cannot be used
admin-link-invalid-body = The link has expired, was used already or is not valid. Ask for a new one on the sign-in page.
admin-enrol-title = Set up your second factor
admin-enrol-intro = Scan this code with an authenticator app (RFC 6238 TOTP, such as the one your organisation uses), then enter the six-digit code it shows.
admin-enrol-qr = QR code for your authenticator app
admin-enrol-manual = Or enter this key by hand:
admin-code-title = Confirm it is you
admin-code-intro = Enter the six-digit code from your authenticator app.
admin-code-label = Six-digit code
admin-code-submit = Confirm
admin-code-wrong-title = The code was not accepted
admin-code-wrong-body = The code is wrong, expired or was used already. Wait for the next code and try again.
admin-code-locked-title = Too many wrong codes
admin-code-locked-body = For your safety this sign-in has ended. Ask for a new sign-in link.
admin-limited-title = Too many attempts
admin-limited-body = Please wait a few minutes before asking for another sign-in link.
admin-signed-out-title = You are signed out
admin-signed-out-body = Your session has ended. Sign in again to continue.
admin-forbidden-title = Not allowed
admin-forbidden-body = Your role does not allow this action. An owner can change roles in the site's configuration.
admin-form-expired-title = This form has expired
admin-form-expired-body = Reload the page and try again.
admin-bad-form-title = The form is incomplete
admin-bad-form-body = Go back, choose an action and try again.

admin-requests-title = Requests
admin-requests-caption = Access requests ({ $count })
admin-requests-none = No requests in this list.
admin-state-pending = Waiting for a decision
admin-state-unverified = E-mail not confirmed
admin-state-approved = Approved
admin-state-rejected = Rejected
admin-state-expired = Expired
admin-state-all = All
admin-state-active = Active
admin-state-revoked = Revoked
admin-select = Select
admin-select-request = Select the request of { $name } for { $document }
admin-select-grant = Select the grant of { $name } for { $document }
admin-col-submitted = Submitted
admin-col-requester = Requester
admin-col-company = Company and e-mail domain
admin-col-document = Document and language
admin-col-nda = NDA version
admin-col-reason = Reason
admin-col-state = State
admin-col-recipient = Recipient
admin-col-granted = Granted
admin-col-until = Valid until
admin-col-downloads = Downloads
admin-decide-legend = Decide the selected requests
admin-decide-days = Access for (days)
admin-decide-approve = Approve selected
admin-decide-reason = Reason for a rejection (sent to the requester; write it in the request's language)
admin-decide-reject = Reject selected
admin-done-approved = The selected requests were approved; the requesters receive their links.
admin-done-rejected = The selected requests were rejected; the requesters were told.
admin-done-revoked = The selected grants were revoked; their links no longer work.
admin-done-partial = Some of the selected items had been decided or changed already; the others were done.
admin-done-none = Nothing was selected.
admin-grants-title = Grants
admin-grants-caption = Grants ({ $count })
admin-grants-none = No grants in this list.
admin-grants-legend = With the selected grants
admin-resend = Mail a fresh link (earlier links stop working)
admin-extend-days = Extend by (days)
admin-extend = Extend
admin-done-extended = The selected grants were extended.
admin-done-resent = The recipients of the selected grants were mailed fresh links; earlier links no longer work.
admin-revoke = Revoke selected
admin-previous = Previous page
admin-next = Next page
admin-page-of = Page { $page } of { $pages }

admin-nav-rules = Approval rules
admin-rules-title = Automatic approval rules
admin-rules-intro = Requests from an e-mail domain in these rules are approved as soon as the requester has confirmed the address, for the documents the rule names. Every replica applies a rule the moment it is saved.
admin-rules-configured = Also approved for every document, by the site's configuration:
admin-rules-none = There are no rules yet.
admin-rules-caption = Rules
admin-rules-domain = E-mail domain
admin-rules-documents = Documents
admin-rules-created = Created
admin-rules-all = All confidential documents
admin-rules-remove = Remove
admin-rules-add = Add a rule
admin-rules-save = Save rule
admin-rules-invalid-title = The rule was not saved
admin-rules-invalid-body = Enter a domain such as customer.example (without @) and choose at least one document.
