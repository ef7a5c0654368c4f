# UI strings of the default theme, English.
# Every key here must exist in every other language (`candor check` lists the missing ones).

language-name = English
anchor-label = Link to this section
skip-link = Skip to content
nav-label = Main
breadcrumb-label = Breadcrumb
language-label = Language
language-current = { $language } (current language)
home = Home
toc-title = On this page
section-pages = In this section
updates-feed = Subscribe to updates (Atom feed)
updates-feed-title = { $site }: { $title }
updated = Last updated { $date }

footer-contacts = Contacts
footer-security = Security team
footer-privacy = Privacy team
footer-dpo = Data protection officer
footer-address = Address
footer-security-txt = security.txt
footer-sitemap = Sitemap

untranslated-title = Not yet available in English
untranslated-body = This page has not been translated into English yet. It is available in:
untranslated-note = The translation will be published here as soon as it is ready.

not-found-title = Page not found
not-found-body = The page you asked for does not exist or has moved.
not-found-home = Go to the trust center home page


redirect-title = This page has moved
redirect-body = This page has moved to { $url }.

features-heading = Security features
features-edition-heading = Availability
features-cloud-only = Example Workspace Cloud only
features-all-editions = Both editions


## Dates: `date-long` receives $day, $month (a name below) and $year.
date-long = { $month } { $day }, { $year }
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December

## Search
search-slug = search
search-title = Search
search-label = Search the trust center
search-button = Search
search-noscript = Search needs JavaScript. You can also browse the sections above or the sitemap.
search-none = No pages match your search.
search-count = { $count ->
    [one] One page found
   *[other] { $count } pages found
}

pager-label = Listing pages
pager-prev = Previous
pager-next = Next
pager-page = Page { $number }
pager-status = Entries { $first } to { $last } of { $total }
section-all-pages = { $count ->
    [one] The one page of this section
   *[other] All { $count } pages of this section
}
