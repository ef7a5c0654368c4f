# UI strings for documents and subprocessors, English.

## Language names in this language (used on document pages).
language-en = English
language-de = German
decimal-separator = .

## Documents
doc-category-privacy = Privacy
doc-category-security = Security
doc-category-compliance = Compliance
doc-category-legal = Legal
doc-access-public = Public
doc-access-gated = On request
doc-access-nda = On request, under NDA
doc-access-label = Access
doc-current = Current version
doc-version = Version
doc-effective = Effective date
doc-language = Language
doc-size = Size
doc-media-type = File type
doc-sha256 = SHA-256
doc-download = Download { $name }
doc-download-label = Download
doc-latest = Link to the latest version
doc-signature = OpenPGP signature
doc-signed-by = Files are signed with the OpenPGP key { $fingerprint }.
doc-public-key = Download the public key
doc-verify-heading = Verify your download
doc-verify-checksum = Compare the checksum with: sha256sum FILE
doc-verify-signature = Check the signature with: gpg --verify FILE.asc FILE
doc-history = Version history
doc-notes = Changes
doc-fallback = This document is available in { $language } only.
doc-authoritative = In case of conflict between language versions, the { $language } version prevails.
doc-authoritative-short = Authoritative language: { $language }
doc-valid-until = Valid until { $date }
doc-expired = Expired on { $date }
doc-confidential = This document is confidential. Its files are not published on this site.
doc-request-heading = Request this document
doc-request-intro = Tell us who you are and why you need the document. We confirm your e-mail address first; access is granted after review.
doc-request-nda = Access requires accepting our non-disclosure agreement in the next step.
doc-request-by-email = To request it, write to { $email } with your name, company and the reason for your request.
form-submit = Request access

## Subprocessors
sub-name = Subprocessor
sub-purpose = Purpose
sub-location = Location
sub-transfer = Transfer mechanism
sub-since = Since
sub-list = Current subprocessors
sub-changes = Changes
sub-feed = Subscribe to changes (Atom feed)
sub-change-added = Added: { $name }
sub-change-removed = Removed: { $name }
sub-change-changed = Changed: { $name }
sub-feed-title = { $title } – changes
sub-upcoming = Upcoming changes
sub-upcoming-intro = We announce changes at least { $days } days before they take effect. Until the day before, you may object on reasonable data protection grounds.
sub-announced = Announced on { $date }
sub-change-effective = Effective from { $date }.
sub-change-objection = You may object until { $date }.
sub-object = Object to this change
