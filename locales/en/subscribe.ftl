## Subscriptions: the portal's form, its pages and mails, and the site's form. Used by `candor serve`.

subscribe-title = Subscribe to updates
subscribe-intro = Choose what you want to hear about. We send a link to your address first; nothing is sent until you confirm it. Every mail has a link to change your topics or to unsubscribe.
subscribe-email = E-mail address
subscribe-topics = Topics
subscribe-topic-subprocessors = Subprocessor changes
subscribe-topic-advisories = Security advisories
subscribe-topic-updates = Trust center updates
subscribe-topic-documents = New versions of all documents
subscribe-topic-document = New versions of “{ $document }”
subscribe-documents = Or only new versions of these documents
# Shown next to the checkbox; its SHA-256 is stored with each subscription as the consent given.
subscribe-consent = I agree to receive e-mail about the topics I chose. I can unsubscribe at any time with the link in every mail.
subscribe-submit = Subscribe
subscribe-error-consent = Tick the box to agree to receive these e-mails.
subscribe-error-topics = Choose at least one topic.
subscribe-error-topic-unknown = Choose topics from the list.
subscribe-sent-title = Check your inbox
subscribe-sent-body = If { $email } can be subscribed, a mail with a link is on its way. Open it within { $hours } hours and confirm to start your subscription.
subscribe-confirm-title = Confirm your subscription
subscribe-confirm-body = Confirm that { $email } should receive the updates you chose.
subscribe-confirm-button = Confirm my subscription
subscribe-confirmed-title = Subscription confirmed
subscribe-confirmed-body = Thank you. { $email } now receives the updates you chose. Every mail has a link to change your topics or to unsubscribe.
subscribe-already-title = Already confirmed
subscribe-already-body = This subscription was already confirmed. Use the link in your mails to change your topics.
subscribe-preferences-title = Your subscription
subscribe-preferences-intro = Topics for { $email }:
subscribe-preferences-save = Save my topics
subscribe-preferences-saved = Your topics are saved.
subscribe-unsubscribe-title = Unsubscribe
subscribe-unsubscribe-body = Stop all mail to { $email } and delete the address.
subscribe-unsubscribe-button = Unsubscribe
subscribe-unsubscribed-title = You are unsubscribed
subscribe-unsubscribed-body = We send no more updates to this address and have deleted it.
# The site's form (theme partial `subscribe.html`).
subscribe-site-title = Stay informed
subscribe-site-intro = Get an e-mail when something changes.
subscribe-site-continue = Continue

mail-subscribe-confirm-subject = Confirm your subscription to { $site }
mail-subscribe-confirm-body =
    Hello,

    you (or someone using your address) asked to receive these updates from { $site }:

    { $topics }

    To start, open this link within { $hours } hours and confirm:

    { $link }

    If you did not ask for this, ignore this message; nothing will be sent.
mail-subscribe-already-subject = Your subscription to { $site }
mail-subscribe-already-body =
    Hello,

    someone asked to subscribe this address to updates from { $site }. It is already
    subscribed to:

    { $topics }

    Nothing has changed. To change your topics, use the link below.
mail-subscribe-welcome-subject = You are subscribed to { $site }
mail-subscribe-welcome-body =
    Hello,

    your subscription is confirmed. You will receive mail about:

    { $topics }
mail-subscribe-footer =
    Change your topics: { $preferences }
    Unsubscribe: { $unsubscribe }
