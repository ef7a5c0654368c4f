//! What every portal route group shares: who is asking ([`Client`]), hostile-text cleaning, the
//! CSRF token and its cookie, rate limits, the standard responses (message pages, the one
//! generic refusal, 404) and the audit row of a refused attempt.

use std::collections::HashMap;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Path, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

use chrono::Utc;

use super::app::{Catalogue, Portal};
use super::audit::{Event, EventKind};
use super::pages;
use super::token;

const CSRF_COOKIE: &str = "candor_csrf";

/// Who is asking: IP (from the connection, or from the proxy when configured) and user agent.
pub struct Client {
    pub(crate) ip: String,
    pub(crate) user_agent: Option<String>,
    cookie: Option<String>,
    cross_site: bool,
    /// The request reached us over HTTPS (directly or, behind a proxy, per X-Forwarded-Proto);
    /// cookies are `Secure` then. A browser on http://localhost would drop them otherwise.
    https: bool,
    /// A HEAD request (axum answers it with the GET handler, without the body): it records
    /// nothing in the audit log and counts no download.
    pub(crate) head: bool,
}

impl FromRequestParts<Arc<Portal>> for Client {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        portal: &Arc<Portal>,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip().to_string());
        let forwarded = portal
            .settings
            .behind_proxy
            .then(|| header_str(&parts.headers, "x-forwarded-for"))
            .flatten()
            .and_then(|v| v.rsplit(',').next().map(|s| s.trim().to_owned()))
            .filter(|ip| ip.parse::<std::net::IpAddr>().is_ok());
        let ip = forwarded.or(peer).unwrap_or_else(|| "unknown".to_owned());
        let user_agent = header_str(&parts.headers, "user-agent").map(|ua| clean(ua, 200));
        let cookie = header_str(&parts.headers, "cookie").and_then(|c| {
            c.split(';')
                .filter_map(|kv| kv.trim().split_once('='))
                .find(|(k, _)| *k == CSRF_COOKIE)
                .map(|(_, v)| v.to_owned())
        });
        let cross_site = header_str(&parts.headers, "sec-fetch-site") == Some("cross-site");
        let host = header_str(&parts.headers, "host").unwrap_or("");
        let loopback =
            host.starts_with("localhost") || host.starts_with("127.") || host.starts_with("[::1]");
        let https = if portal.settings.behind_proxy {
            header_str(&parts.headers, "x-forwarded-proto") == Some("https")
        } else {
            portal.settings.secure_cookies && !loopback
        };
        Ok(Client {
            ip,
            user_agent,
            cookie,
            cross_site,
            https,
            head: parts.method == axum::http::Method::HEAD,
        })
    }
}

impl Client {
    /// Whether the request came over HTTPS (cookies are `Secure` then).
    pub(crate) fn https(&self) -> bool {
        self.https
    }

    /// Whether the browser said the request came from another site (`Sec-Fetch-Site`).
    pub(crate) fn cross_site(&self) -> bool {
        self.cross_site
    }

    /// The network rate limits count this client in: an IPv4 address as it is, an IPv6 address
    /// by its /64 (one subscriber's network: a single host can rotate through 2^64 addresses),
    /// an IPv4-mapped IPv6 address as the IPv4 address.
    pub(crate) fn network(&self) -> String {
        network_of(&self.ip)
    }

    pub(crate) fn event(&self, kind: EventKind) -> Event {
        Event {
            ip: Some(self.ip.clone()),
            user_agent: self.user_agent.clone(),
            ..Event::new(kind)
        }
    }
}

fn network_of(ip: &str) -> String {
    match ip.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
        _ => ip.to_owned(),
    }
}

pub(crate) fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// Text with control and bidi-override characters removed, capped at `max` characters.
pub(crate) fn clean(s: &str, max: usize) -> String {
    s.chars()
        .filter(|c| !forbidden_char(*c))
        .take(max)
        .collect()
}

/// What a form field may hold beyond its length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Charset {
    /// A person's name: letters (any script) and their marks, spaces, apostrophes, hyphens,
    /// full stops and commas; no digits, `:`, `/` or `@`, so no URL, address or phone number
    /// can ride in a name into a mail or an agreement.
    PersonName,
    /// A company, job title or registration: also digits and `& ( ) + /`, still no `:` or `@`.
    Organisation,
    /// One line of free text.
    Line,
    /// Free text with line breaks and tabs.
    Lines,
}

impl Charset {
    fn allows(self, c: char) -> bool {
        let name = |c: char| {
            c.is_alphabetic()
                || c == ' '
                || matches!(c, '\'' | '’' | '-' | '‐' | '.' | ',')
                || unicode_mark(c)
        };
        match self {
            Charset::PersonName => name(c),
            Charset::Organisation => {
                name(c) || c.is_numeric() || matches!(c, '&' | '(' | ')' | '+' | '/' | '!')
            }
            Charset::Line => !c.is_control(),
            Charset::Lines => !c.is_control() || matches!(c, '\n' | '\t' | '\r'),
        }
    }
}

/// Combining marks (accents written as separate characters, scripts that need them).
fn unicode_mark(c: char) -> bool {
    crate::pdf::text::is_combining_mark(c)
        // Vowel signs and viramas of Indic scripts and Thai (not their digits).
        || matches!(c, '\u{0900}'..='\u{0dff}' | '\u{0e31}'..='\u{0e4e}' if !c.is_alphabetic() && !c.is_numeric())
        // Joiners (Persian, Indic) and the middle dots between name parts (・ ·).
        || matches!(c, '\u{200c}' | '\u{200d}' | '\u{30fb}' | '\u{00b7}')
}

/// The message for a filled-in form field that is longer than `max` characters, holds a
/// character no field may (direction overrides and the like, [`forbidden_char`]) or one its
/// [`Charset`] does not allow; `None` when it is fine.
pub(crate) fn field_problem(
    cat: &Catalogue,
    lang: &str,
    label: &str,
    value: &str,
    max: usize,
    charset: Charset,
) -> Option<String> {
    if value.chars().count() > max {
        return Some(cat.t(
            lang,
            "portal-error-too-long",
            &[("field", label), ("max", &max.to_string())],
        ));
    }
    let key = if value.chars().any(|c| forbidden_char(c) || c.is_control()) {
        "portal-error-characters"
    } else {
        match charset {
            Charset::PersonName => "portal-error-name-characters",
            Charset::Organisation => "portal-error-organisation-characters",
            Charset::Line | Charset::Lines => "portal-error-characters",
        }
    };
    let domain_in_a_name = charset == Charset::PersonName && looks_like_a_domain(value);
    (domain_in_a_name
        || value
            .chars()
            .any(|c| forbidden_char(c) || !charset.allows(c)))
    .then(|| cat.t(lang, key, &[("field", label)]))
}

/// A full stop followed by two letters (`evil.example`, `www.x`): a host name that a PDF reader
/// or mail client might turn into a link. Initials (`J.R.R. Tolkien`, `Jr.`) are not.
fn looks_like_a_domain(value: &str) -> bool {
    let chars: Vec<char> = value.chars().collect();
    chars
        .windows(3)
        .any(|w| w[0] == '.' && w[1].is_alphabetic() && w[2].is_alphabetic())
}

/// Requester-written text for a plain-text mail to the legal team, defanged so that no mail
/// client turns it into a link: `https://evil.example` becomes `https[:]//evil[.]example`, and
/// dots inside anything that looks like a domain become `[.]`.
pub(crate) fn defang(text: &str) -> String {
    text.split_inclusive(char::is_whitespace)
        .map(|word| {
            let bare = word.trim_end();
            // `name.tld…`: something before the first dot, two letters or digits after one.
            let mut labels = bare.split('.');
            let domain = labels.next().is_some_and(|first| !first.is_empty())
                && labels.any(|l| l.chars().take(2).filter(|c| c.is_alphanumeric()).count() == 2);
            let linkish = domain
                || bare.contains("://")
                || bare.to_ascii_lowercase().starts_with("www.")
                || bare.contains('@');
            if linkish {
                word.replace("://", "[:]//")
                    .replace('.', "[.]")
                    .replace('@', "[at]")
            } else {
                word.to_owned()
            }
        })
        .collect()
}

/// Control characters (except tab/newline in long text) and Unicode direction overrides.
pub(crate) fn forbidden_char(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t' && c != '\r')
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

pub(crate) fn html(status: StatusCode, body: String) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}

pub(crate) fn lang_or_default(cat: &Catalogue, lang: &str) -> String {
    if cat.has_language(lang) {
        lang.to_owned()
    } else {
        cat.default_lang.clone()
    }
}

/// A page with a heading and a paragraph: the UI strings `<key>-title` and `<key>-body`.
pub(crate) fn message_page(
    cat: &Catalogue,
    lang: &str,
    status: StatusCode,
    key: &str,
    args: &[(&str, &str)],
) -> Response {
    let title = cat.t(lang, &format!("{key}-title"), &[]);
    let body = pages::message(&title, &cat.t(lang, &format!("{key}-body"), args), None);
    html(status, cat.page(lang, &title, &body))
}

/// The one answer to every refused token, link or download.
pub(crate) fn denied(cat: &Catalogue, lang: &str) -> Response {
    let lang = lang_or_default(cat, lang);
    message_page(cat, &lang, StatusCode::FORBIDDEN, "portal-denied", &[])
}

pub(crate) fn failed(cat: &Catalogue, lang: &str, error: &dyn std::fmt::Display) -> Response {
    // The operator sees what failed; the visitor sees a generic page.
    eprintln!("portal: {error}");
    let lang = lang_or_default(cat, lang);
    message_page(
        cat,
        &lang,
        StatusCode::SERVICE_UNAVAILABLE,
        "portal-failed",
        &[],
    )
}

pub(crate) fn not_found_in(cat: &Catalogue, lang: &str) -> Response {
    let lang = lang_or_default(cat, lang);
    message_page(cat, &lang, StatusCode::NOT_FOUND, "portal-not-found", &[])
}

/// What a rate limit counts (per client IP, in fixed windows kept in the store).
#[derive(Clone, Copy)]
pub(crate) enum Limit {
    /// Access requests, per hour.
    Request,
    /// Confirmation and grant-link views and posts, per 10 minutes.
    Link,
    /// Downloads, per minute.
    Download,
    /// Admin API calls, per minute.
    Admin,
    /// Subscription forms, per hour (as many as access requests).
    Subscribe,
    /// Objection forms, per hour (as many as access requests).
    Objection,
}

impl Limit {
    /// Bucket name, allowed hits and window (seconds).
    fn of(self, limits: &super::app::Limits) -> (&'static str, i64, i64) {
        match self {
            Limit::Request => ("request", limits.requests_per_hour, 3600),
            Limit::Link => ("link", limits.links_per_10_minutes, 600),
            Limit::Download => ("download", limits.downloads_per_minute, 60),
            Limit::Admin => ("admin", limits.admin_per_minute, 60),
            Limit::Subscribe => ("subscribe", limits.requests_per_hour, 3600),
            Limit::Objection => ("objection", limits.requests_per_hour, 3600),
        }
    }
}

/// Counts a hit; `Err` with a 429 (and `Retry-After`) when over the limit.
pub(crate) async fn rate_limit(
    portal: &Portal,
    cat: &Catalogue,
    lang: &str,
    client: &Client,
    limit: Limit,
) -> Result<(), Response> {
    let (route, max, window) = limit.of(&portal.settings.limits);
    let now = Utc::now().timestamp();
    match portal
        .store
        .hit(&format!("{route}:{}", client.network()), window, now)
        .await
    {
        Ok((hits, _)) if hits <= max => Ok(()),
        Ok((_, end)) => Err(limited(cat, lang, end - now)),
        Err(e) => Err(failed(cat, lang, &e)),
    }
}

/// The 429 page, with `Retry-After` in seconds.
fn limited(cat: &Catalogue, lang: &str, retry_after: i64) -> Response {
    let lang = lang_or_default(cat, lang);
    let title = cat.t(&lang, "portal-limited-title", &[]);
    let body = pages::message(&title, &cat.t(&lang, "portal-limited-body", &[]), None);
    let mut r = html(
        StatusCode::TOO_MANY_REQUESTS,
        cat.page(&lang, &title, &body),
    );
    if let Ok(v) = HeaderValue::from_str(&retry_after.max(1).to_string()) {
        r.headers_mut().insert(header::RETRY_AFTER, v);
    }
    r
}

/// Whether to mail a confirmation link to an address nobody has proven yet.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum MailGate {
    /// Store the request and send the mail.
    Send,
    /// Answer exactly as if it had been sent, and send nothing: the address has had its share
    /// of unconfirmed requests today (the refusal is audited).
    Quiet,
}

/// The limits on mail to unproven addresses, so that the request forms cannot be turned into
/// a mail cannon: at most `portal.mail_limits.per_address_per_day` unconfirmed requests (access
/// and signing together) per address a day, answered as a success beyond it so that nothing is
/// revealed; and at most `per_hour` confirmation mails an hour from the whole portal (counted
/// in the store, so across replicas), beyond which requests get the 429 page and the log an
/// alert, once an hour.
pub(crate) async fn confirmation_mail_gate(
    portal: &Portal,
    cat: &Catalogue,
    lang: &str,
    client: &Client,
    email: &str,
) -> Result<MailGate, Response> {
    let limits = &portal.settings.mail_limits;
    let now = Utc::now().timestamp();
    let earlier = match portal
        .store
        .unconfirmed_requests_to(email, now - 86_400)
        .await
    {
        Ok(n) => n,
        Err(e) => return Err(failed(cat, lang, &e)),
    };
    if earlier >= i64::from(limits.per_address_per_day) {
        let mut ev = client.event(EventKind::Failed);
        ev.email = Some(email.to_owned());
        ev.detail = Some(format!(
            "no confirmation mail sent: {earlier} unconfirmed requests to this address in 24 hours (limit {})",
            limits.per_address_per_day
        ));
        if let Err(e) = portal.store.audit(&ev).await {
            return Err(failed(cat, lang, &e));
        }
        return Ok(MailGate::Quiet);
    }
    mail_ceiling(portal, cat, lang)
        .await
        .map(|()| MailGate::Send)
}

/// The portal-wide ceiling on mail to unproven addresses (`portal.mail_limits.per_hour`,
/// counted in the store): `Err` with the 429 page beyond it, and one `ALERT` in the log.
pub(crate) async fn mail_ceiling(
    portal: &Portal,
    cat: &Catalogue,
    lang: &str,
) -> Result<(), Response> {
    let limits = &portal.settings.mail_limits;
    let now = Utc::now().timestamp();
    match portal.store.hit("mail:confirmations", 3600, now).await {
        Ok((hits, _)) if hits <= i64::from(limits.per_hour) => Ok(()),
        Ok((hits, end)) => {
            if hits == i64::from(limits.per_hour) + 1 {
                eprintln!(
                    "portal: ALERT: {} confirmation mails in this hour reached portal.mail_limits.per_hour; further requests are refused for {} s",
                    limits.per_hour,
                    end - now
                );
            }
            Err(limited(cat, lang, end - now))
        }
        Err(e) => Err(failed(cat, lang, &e)),
    }
}

/// A page holding a form: `body` is made with this client's CSRF token; the page carries the
/// cookie that token belongs to when the client has none yet.
pub(crate) fn form_page(
    portal: &Portal,
    client: &Client,
    cat: &Catalogue,
    lang: &str,
    heading_key: &str,
    body: impl FnOnce(&str) -> String,
) -> Response {
    let (csrf, cookie) = csrf_for(portal, client);
    let body = body(&csrf);
    let heading = cat.t(lang, heading_key, &[]);
    with_cookie(
        html(StatusCode::OK, cat.page(lang, &heading, &body)),
        cookie,
    )
}

/// A file download by token (`GET …/download/{token}`), the download rate limit checked; its
/// pages are in the default language (the token names the rest).
pub(crate) struct FileToken {
    pub(crate) cat: Arc<Catalogue>,
    pub(crate) lang: String,
    pub(crate) tok: String,
    pub(crate) client: Client,
}

impl FromRequestParts<Arc<Portal>> for FileToken {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, portal: &Arc<Portal>) -> Result<Self, Response> {
        let Ok(client) = Client::from_request_parts(parts, portal).await;
        let Path(tok) = Path::<String>::from_request_parts(parts, portal)
            .await
            .map_err(IntoResponse::into_response)?;
        let cat = portal.catalogue();
        let lang = cat.default_lang.clone();
        rate_limit(portal, &cat, &lang, &client, Limit::Download).await?;
        Ok(FileToken {
            cat,
            lang,
            tok,
            client,
        })
    }
}

/// The CSRF token for this client, and the cookie to set when it has none yet.
pub(crate) fn csrf_for(portal: &Portal, client: &Client) -> (String, Option<HeaderValue>) {
    if let Some(c) = client.cookie.as_deref().filter(|c| {
        (16..=64).contains(&c.len())
            && c.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    }) {
        return (token::csrf_token(&portal.keys, c), None);
    }
    let value = token::nonce() + &token::nonce();
    let cookie = format!(
        "{CSRF_COOKIE}={value}; Path={}; HttpOnly; SameSite=Strict{}",
        portal.settings.mount,
        if client.https { "; Secure" } else { "" }
    );
    (
        token::csrf_token(&portal.keys, &value),
        HeaderValue::from_str(&cookie).ok(),
    )
}

pub(crate) fn csrf_ok(portal: &Portal, client: &Client, form: &HashMap<String, String>) -> bool {
    !client.cross_site
        && match (client.cookie.as_deref(), form.get("csrf")) {
            (Some(cookie), Some(t)) => token::csrf_valid(&portal.keys, cookie, t),
            _ => false,
        }
}

pub(crate) fn with_cookie(mut r: Response, cookie: Option<HeaderValue>) -> Response {
    if let Some(c) = cookie {
        r.headers_mut().insert(header::SET_COOKIE, c);
    }
    r
}

/// A page that a mailed link opens (`GET /{lang}/…/{token}`), the link rate limit checked. The
/// language is the default one when the path names none the site has.
pub(crate) struct Link {
    pub(crate) cat: Arc<Catalogue>,
    pub(crate) lang: String,
    pub(crate) tok: String,
    pub(crate) client: Client,
}

impl FromRequestParts<Arc<Portal>> for Link {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, portal: &Arc<Portal>) -> Result<Self, Response> {
        let (cat, lang, tok, client) = link_parts(parts, portal).await?;
        rate_limit(portal, &cat, &lang, &client, Limit::Link).await?;
        Ok(Link {
            cat,
            lang,
            tok,
            client,
        })
    }
}

/// What a link's route names: the catalogue, the language (the default one for a language the
/// site does not have), the token; and who is asking.
async fn link_parts(
    parts: &mut Parts,
    portal: &Arc<Portal>,
) -> Result<(Arc<Catalogue>, String, String, Client), Response> {
    let Ok(client) = Client::from_request_parts(parts, portal).await;
    let Path((lang, tok)) = Path::<(String, String)>::from_request_parts(parts, portal)
        .await
        .map_err(IntoResponse::into_response)?;
    let cat = portal.catalogue();
    let lang = lang_or_default(&cat, &lang);
    Ok((cat, lang, tok, client))
}

/// A POST from a page that a mailed link opened (`/{lang}/…/{token}`), with the checks every
/// such POST passes first ([`link_post`]): its CSRF token, then the link rate limit. The
/// language is the default one when the path names none the site has.
pub(crate) struct LinkPost {
    pub(crate) cat: Arc<Catalogue>,
    pub(crate) lang: String,
    pub(crate) tok: String,
    pub(crate) client: Client,
    pub(crate) form: HashMap<String, String>,
}

impl FromRequest<Arc<Portal>> for LinkPost {
    type Rejection = Response;

    async fn from_request(req: Request, portal: &Arc<Portal>) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let (cat, lang, tok, client) = link_parts(&mut parts, portal).await?;
        let axum::Form(form) = axum::Form::<HashMap<String, String>>::from_request(
            Request::from_parts(parts, body),
            portal,
        )
        .await
        .map_err(IntoResponse::into_response)?;
        link_post(portal, &cat, &lang, &client, &form).await?;
        Ok(LinkPost {
            cat,
            lang,
            tok,
            client,
            form,
        })
    }
}

/// The checks every POST from a mailed link's page passes first: its CSRF token, then the
/// link rate limit.
pub(crate) async fn link_post(
    portal: &Portal,
    cat: &Catalogue,
    lang: &str,
    client: &Client,
    form: &HashMap<String, String>,
) -> Result<(), Response> {
    checked_post(portal, cat, lang, client, form, Limit::Link).await
}

/// The checks every form POST passes first: its CSRF token, then the rate limit `limit`.
pub(crate) async fn checked_post(
    portal: &Portal,
    cat: &Catalogue,
    lang: &str,
    client: &Client,
    form: &HashMap<String, String>,
    limit: Limit,
) -> Result<(), Response> {
    if !csrf_ok(portal, client, form) {
        return Err(form_expired(cat, lang));
    }
    rate_limit(portal, cat, lang, client, limit).await
}

pub(crate) fn form_expired(cat: &Catalogue, lang: &str) -> Response {
    let title = cat.t(lang, "portal-failed-title", &[]);
    let body = pages::message(&title, &cat.t(lang, "portal-error-form", &[]), None);
    html(StatusCode::FORBIDDEN, cat.page(lang, &title, &body))
}

// ---- request ------------------------------------------------------------------------------

/// A plain `local@domain.tld` address (what SMTP can deliver to), parsed by lettre.
pub(crate) fn valid_email(s: &str) -> bool {
    s.parse::<lettre::Address>().is_ok()
        && !s.contains(['<', '>', ' ', '"', '(', ')', ',', ';'])
        && s.rsplit_once('@').is_some_and(|(_, d)| d.contains('.'))
}

/// Audits what a GET handler saw (a link opened, a file fetched), unless it is a HEAD request:
/// link checkers and mail scanners probe with HEAD, and a probe is not a visit.
pub(crate) async fn audit_view(
    portal: &Portal,
    client: &Client,
    event: &Event,
) -> Result<(), super::store::StoreError> {
    if client.head {
        return Ok(());
    }
    portal.store.audit(event).await.map(|_| ())
}

pub(crate) async fn audit_failure(
    portal: &Portal,
    client: &Client,
    grant: Option<String>,
    why: &str,
) {
    let mut ev = client.event(EventKind::Failed);
    ev.grant_id = grant;
    ev.detail = Some(why.to_owned());
    if let Err(e) = portal.store.audit(&ev).await {
        eprintln!("portal: cannot audit a failed attempt: {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_take_letters_of_any_script_but_no_links_or_digits() {
        for ok in [
            "Jane O’Neill-Smith",
            "Łukasz Żółć",
            "Işıl Çağlar Şahin",
            "Γιώργος Παπαδόπουλος",
            "Дмитрий Иванов",
            "山田太郎",
            "José Martínez Jr.",
            "Nguyễn Văn A",
            "देवनागरी नाम",
            "สมชาย ใจดี",
            "ホセ・ガルシア",
            "مهسا\u{200c}ی",
        ] {
            assert!(ok.chars().all(|c| Charset::PersonName.allows(c)), "{ok}");
        }
        for bad in [
            "IT Security: your account is locked",
            "https://evil.example/unlock",
            "Call +1 555 0100",
            "mallory@evil.example",
            "<script>",
            "\u{0967}\u{0968}\u{0969}",
        ] {
            assert!(!bad.chars().all(|c| Charset::PersonName.allows(c)), "{bad}");
        }
        for ok in [
            "Maersk A/S",
            "GmbH & Co. KG",
            "HRB 12345 (Amtsgericht)",
            "Booking.com",
        ] {
            assert!(ok.chars().all(|c| Charset::Organisation.allows(c)), "{ok}");
        }
        assert!(
            !"Acme: click https://x"
                .chars()
                .all(|c| Charset::Organisation.allows(c))
        );
    }

    #[test]
    fn ipv6_clients_are_limited_by_their_64_and_mapped_ipv4_as_ipv4() {
        assert_eq!(network_of("203.0.113.7"), "203.0.113.7");
        assert_eq!(network_of("2001:db8:1:2:3:4:5:6"), "2001:db8:1:2::/64");
        assert_eq!(
            network_of("2001:db8:1:2:ffff::1"),
            network_of("2001:db8:1:2::abcd"),
            "one /64, one bucket"
        );
        assert_ne!(network_of("2001:db8:1:2::1"), network_of("2001:db8:1:3::1"));
        assert_eq!(network_of("::ffff:198.51.100.4"), "198.51.100.4");
        assert_eq!(network_of("unknown"), "unknown");
    }

    #[test]
    fn names_hold_initials_but_no_host_names() {
        for ok in ["J.R.R. Tolkien", "José Martínez Jr.", "A. B. Smith"] {
            assert!(!looks_like_a_domain(ok), "{ok}");
        }
        for bad in ["www.evil.example", "Jane evil.example", "login.microsoft"] {
            assert!(looks_like_a_domain(bad), "{bad}");
        }
    }

    #[test]
    fn requester_text_in_mails_is_defanged() {
        assert_eq!(
            defang("Unlock now at https://evil.example/unlock today"),
            "Unlock now at https[:]//evil[.]example/unlock today"
        );
        assert_eq!(defang("see www.evil.example"), "see www[.]evil[.]example");
        assert_eq!(
            defang("mail eve@evil.example"),
            "mail eve[at]evil[.]example"
        );
        assert_eq!(defang("Booking.com Ltd."), "Booking[.]com Ltd.");
        assert_eq!(
            defang("We review vendors. Annual audit."),
            "We review vendors. Annual audit."
        );
        assert_eq!(defang("Version 2.1 of the DPA"), "Version 2.1 of the DPA");
    }

    #[test]
    fn hostile_characters_are_removed_or_refused() {
        assert_eq!(clean("Eve\u{202e}gnp.exe\u{0}", 100), "Evegnp.exe");
        assert!(forbidden_char('\u{2066}'));
        assert!(!forbidden_char('ü'));
        assert!(!forbidden_char('\n'));
    }

    #[test]
    fn only_plain_addresses_are_accepted() {
        assert!(valid_email("jane.doe@acme.example"));
        for bad in [
            "jane",
            "jane@localhost",
            "Jane <jane@acme.example>",
            "jane@acme.example, eve@evil.example",
            "jane@@acme.example",
        ] {
            assert!(!valid_email(bad), "{bad}");
        }
    }
}
