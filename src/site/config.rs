//! `site.yaml`: the site's typed configuration, validated once.
//!
//! Every struct denies unknown keys, so a misspelt key is an error that names it instead of a setting
//! that silently does nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use crate::error::Diagnostic;

/// The name of the configuration file at the site root.
pub const CONFIG_FILE: &str = "site.yaml";

/// A text given once per language: `{en: "…", de: "…"}`.
pub type Localized = BTreeMap<String, String>;

/// The whole `site.yaml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Site title per language.
    pub title: Localized,
    /// One-sentence description per language (meta description of the home page).
    pub description: Localized,
    /// Absolute URL the site is published at, e.g. `https://trust.example.com`.
    pub base_url: String,
    /// Language codes in display order, e.g. `[en, de]`.
    pub languages: Vec<String>,
    /// The language of files without a language suffix; defaults to the first of `languages`.
    #[serde(default)]
    pub default_language: Option<String>,
    /// Theme folder name under `themes/`.
    #[serde(default = "default_theme")]
    pub theme: String,
    /// The company the trust center speaks for.
    pub company: Company,
    /// Who to contact about what.
    pub contacts: Contacts,
    /// `/.well-known/security.txt` (RFC 9116).
    pub security_txt: SecurityTxt,
    /// The optional portal that gates confidential documents.
    #[serde(default)]
    pub portal: Option<Portal>,
    /// OpenPGP signing of published documents and security.txt.
    #[serde(default)]
    pub signing: Option<Signing>,
    /// How many pages a section's listing shows per page, unless the section's front matter
    /// says otherwise (`paginate_by`); unset: every section lists all its pages on one page.
    #[serde(default)]
    pub paginate_by: Option<usize>,
    /// The URL segment of a section's further listing pages per language (`/en/news/page/2/`,
    /// `/de/neues/seite/2/`); `page` where a language has none.
    #[serde(default)]
    pub paginate_path: Localized,
    /// Per language, the terms this site does not use and the one it writes instead of each
    /// (`{de: {Werktag: Arbeitstag}}`): `candor check` warns about every use in that language's
    /// pages, data files and UI strings (checked by [`crate::site::terminology`]).
    #[serde(default)]
    pub terminology: BTreeMap<String, BTreeMap<String, String>>,
    /// The questionnaire answer library (`content/_data/answers/`, see
    /// [`crate::site::answers`]).
    #[serde(default)]
    pub answers: Option<AnswersSettings>,
    /// The subprocessor list (`content/_data/subprocessors.yaml`, see
    /// [`crate::site::subprocessors`]).
    #[serde(default)]
    pub subprocessors: Option<SubprocessorSettings>,
}

/// Settings of the subprocessor list.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SubprocessorSettings {
    /// The least number of days between a change's announcement (`date`) and the day it takes
    /// effect (`effective`) (30).
    #[serde(default = "default_notice_days")]
    pub notice_days: u32,
}

fn default_notice_days() -> u32 {
    30
}

impl Config {
    /// The least notice, in days, for a planned change of subprocessors.
    pub fn notice_days(&self) -> u32 {
        self.subprocessors
            .as_ref()
            .map_or_else(default_notice_days, |s| s.notice_days)
    }
}

/// Settings of the answer library.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AnswersSettings {
    /// `candor check` warns about answers last reviewed more than this many months ago (12).
    #[serde(default = "default_review_months")]
    pub review_months: u32,
}

fn default_review_months() -> u32 {
    12
}

/// Where the OpenPGP signing key is. The key file itself is never committed: keep it outside the
/// repository or in the ignored `.candor/` folder.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Signing {
    /// Path of the ASCII-armored secret key, relative to the site root (overridden by the
    /// environment variable `CANDOR_SIGNING_KEY`).
    pub key: PathBuf,
}

/// Whether a slug is safe as a URL segment: lower-case ASCII letters, digits and hyphens.
pub fn valid_slug(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// The listing-page segment of a language when `paginate_path` names none.
pub const DEFAULT_PAGINATE_PATH: &str = "page";

impl Config {
    /// The URL segment of the further listing pages of a section in `lang` (`page`, `seite`).
    pub fn paginate_path(&self, lang: &str) -> &str {
        self.paginate_path
            .get(lang)
            .map_or(DEFAULT_PAGINATE_PATH, String::as_str)
    }
}

fn default_theme() -> String {
    "default".to_owned()
}

/// The company behind the trust center.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Company {
    /// Legal name, e.g. `Example Cloud GmbH`.
    pub name: String,
    /// Postal address lines.
    #[serde(default)]
    pub address: Vec<String>,
}

/// Contacts shown in the footer and on the contact page.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Contacts {
    /// E-mail address of the security team.
    pub security: String,
    /// E-mail address for privacy matters.
    pub privacy: String,
    /// The data protection officer, when there is one.
    #[serde(default)]
    pub dpo: Option<Person>,
}

/// A named person with an e-mail address.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// Full name.
    pub name: String,
    /// E-mail address.
    pub email: String,
}

/// Settings for `/.well-known/security.txt`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SecurityTxt {
    /// `Contact:` URIs (`mailto:…`, `https://…`); defaults to the security e-mail address.
    #[serde(default)]
    pub contact: Vec<String>,
    /// `Expires:` date-time (RFC 3339), required by RFC 9116.
    pub expires: DateTime<FixedOffset>,
    /// `Encryption:` URI of the key for reports.
    #[serde(default)]
    pub encryption: Option<String>,
    /// `Acknowledgments:` URI.
    #[serde(default)]
    pub acknowledgments: Option<String>,
    /// `Hiring:` URI.
    #[serde(default)]
    pub hiring: Option<String>,
    /// `Policy:` the disclosure policy page, as an internal link (`@/vulnerability-disclosure.md`) or URL.
    #[serde(default = "default_policy")]
    pub policy: String,
}

fn default_policy() -> String {
    "@/vulnerability-disclosure.md".to_owned()
}

/// Portal settings. The generator only needs to know where the portal is (request links); the
/// rest is read by `candor serve`. Secrets never live here: keys, the database URL and SMTP
/// credentials come from the environment (see README, "Portal").
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Portal {
    /// Public URL of the portal when it runs apart from the site, e.g.
    /// `https://portal.example.com/portal`; by default `<base_url>/portal` (served by
    /// `candor serve` together with the site).
    #[serde(default)]
    pub url: Option<String>,
    /// E-mail domains whose verified requesters are approved automatically (exact match).
    #[serde(default)]
    pub approve_domains: Vec<String>,
    /// Days a grant lasts.
    #[serde(default = "default_grant_days")]
    pub grant_days: u32,
    /// Downloads per grant.
    #[serde(default = "default_download_limit")]
    pub download_limit: u32,
    /// Minutes a download token lasts.
    #[serde(default = "default_token_minutes")]
    pub token_minutes: u32,
    /// Days an unconfirmed or pending request waits before it expires.
    #[serde(default = "default_request_days")]
    pub request_days: u32,
    /// Sender of the portal's mails, e.g. `Example Trust Center <trust@example.com>`; by default
    /// the privacy contact.
    #[serde(default)]
    pub mail_from: Option<String>,
    /// The NDA shown (and accepted) when requesting NDA documents: an `@/` link to a page.
    #[serde(default)]
    pub nda: Option<String>,
    /// argon2id hash (PHC string) of the admin API's bearer token; the API is off without it.
    /// `CANDOR_ADMIN_TOKEN_HASH` overrides it.
    #[serde(default)]
    pub admin_token_hash: Option<String>,
    /// Trust `X-Forwarded-For` / `X-Forwarded-Proto` from a reverse proxy in front.
    #[serde(default)]
    pub behind_proxy: bool,
    /// Concluding agreements online (documents with `signable: true`).
    #[serde(default)]
    pub agreements: Agreements,
    /// The audit log's checkpoints.
    #[serde(default)]
    pub audit: AuditLog,
    /// Outgoing mail limits.
    #[serde(default)]
    pub mail_limits: MailLimits,
    /// Who may sign in to the admin console (`/admin/`), by e-mail address, with a role.
    #[serde(default)]
    pub admins: Vec<Admin>,
    /// The admin console's sessions.
    #[serde(default)]
    pub admin_sessions: AdminSessions,
}

/// One entry of `portal.admins`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Admin {
    /// The address the sign-in link is mailed to.
    pub email: String,
    /// What the admin may do (`viewer` by default).
    #[serde(default)]
    pub role: AdminRole,
}

/// An admin's role; each includes what the ones before it may do.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AdminRole {
    /// Reads requests, grants, downloads, agreements and the audit log.
    #[default]
    Viewer,
    /// Also decides requests, revokes, resends and extends grants, edits approval rules.
    Approver,
    /// Also manages admins' second factors and sessions, settings, and prunes the audit log.
    Owner,
}

impl AdminRole {
    /// The name as written in `site.yaml`.
    pub fn as_str(self) -> &'static str {
        match self {
            AdminRole::Viewer => "viewer",
            AdminRole::Approver => "approver",
            AdminRole::Owner => "owner",
        }
    }
}

/// `portal.admin_sessions`: how long a console session lasts.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AdminSessions {
    /// Minutes without a request after which a session ends.
    #[serde(default = "default_idle_minutes")]
    pub idle_minutes: u32,
    /// Hours after sign-in after which a session ends, however active.
    #[serde(default = "default_absolute_hours")]
    pub absolute_hours: u32,
}

fn default_idle_minutes() -> u32 {
    30
}
fn default_absolute_hours() -> u32 {
    12
}

impl Default for AdminSessions {
    fn default() -> Self {
        AdminSessions {
            idle_minutes: default_idle_minutes(),
            absolute_hours: default_absolute_hours(),
        }
    }
}

/// `portal.audit`: signed checkpoints of the audit log's head.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AuditLog {
    /// Hours between checkpoints (written when the log has grown); 0 writes none.
    #[serde(default = "default_checkpoint_hours")]
    pub checkpoint_hours: u32,
    /// The folder checkpoints are written to, relative to the site root
    /// (`.candor/audit-checkpoints` by default); keep a copy elsewhere too.
    #[serde(default)]
    pub checkpoints: Option<String>,
    /// Who receives every checkpoint by mail (none by default): a copy out of reach of whoever
    /// administers the portal's database.
    #[serde(default)]
    pub mail_to: Option<String>,
}

fn default_checkpoint_hours() -> u32 {
    24
}

impl AuditLog {
    /// The checkpoint folder, relative to the site root: the configured one, or
    /// `.candor/audit-checkpoints`.
    pub fn checkpoint_dir(&self) -> &str {
        self.checkpoints
            .as_deref()
            .unwrap_or(".candor/audit-checkpoints")
    }
}

impl Default for AuditLog {
    fn default() -> Self {
        AuditLog {
            checkpoint_hours: default_checkpoint_hours(),
            checkpoints: None,
            mail_to: None,
        }
    }
}

/// `portal.mail_limits`: how much mail the portal sends, so that its forms cannot be turned into
/// a mail cannon against a victim's address.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MailLimits {
    /// Unconfirmed requests (access and signing) per recipient address per 24 hours; further
    /// requests are answered as if accepted, and no mail is sent.
    #[serde(default = "default_per_address")]
    pub per_address_per_day: u32,
    /// Mails per hour from the whole portal (all replicas); beyond it, confirmation mails are
    /// held back and the log says so once per hour.
    #[serde(default = "default_per_hour")]
    pub per_hour: u32,
}

fn default_per_address() -> u32 {
    3
}
fn default_per_hour() -> u32 {
    500
}

impl Default for MailLimits {
    fn default() -> Self {
        MailLimits {
            per_address_per_day: default_per_address(),
            per_hour: default_per_hour(),
        }
    }
}

/// `portal.agreements`: how executed agreements are signed and who receives them.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Agreements {
    /// The signing key (PEM, mode 0600), relative to the site root; `CANDOR_AGREEMENT_KEY`
    /// overrides it. Without a key, previews sign with a throwaway sample certificate and
    /// `serve --production` refuses to start.
    #[serde(default)]
    pub key: Option<String>,
    /// The certificate chain (PEM, the key's certificate first); `CANDOR_AGREEMENT_CERTIFICATE`
    /// overrides it.
    #[serde(default)]
    pub certificate: Option<String>,
    /// Who receives a copy of every executed agreement (by default the privacy contact).
    #[serde(default)]
    pub legal_contact: Option<String>,
    /// Days the "Your agreements" link in mails stays valid.
    #[serde(default = "default_agreements_link_days")]
    pub link_days: u32,
}

fn default_agreements_link_days() -> u32 {
    30
}

impl Default for Agreements {
    fn default() -> Self {
        Agreements {
            key: None,
            certificate: None,
            legal_contact: None,
            link_days: default_agreements_link_days(),
        }
    }
}

fn default_grant_days() -> u32 {
    30
}
fn default_download_limit() -> u32 {
    10
}
fn default_token_minutes() -> u32 {
    5
}
fn default_request_days() -> u32 {
    14
}

impl Portal {
    /// The portal's URL for links in pages: its configured URL, or `<prefix>/portal`.
    pub fn href(&self, url_prefix: &str) -> String {
        match &self.url {
            Some(u) => u.trim_end_matches('/').to_owned(),
            None => format!("{url_prefix}/portal"),
        }
    }
}

impl Config {
    /// The language of files without a language suffix.
    pub fn default_language(&self) -> &str {
        self.default_language
            .as_deref()
            .unwrap_or_else(|| self.languages.first().map_or("en", String::as_str))
    }

    /// The base URL without a trailing slash.
    pub fn base_url(&self) -> &str {
        self.base_url.trim_end_matches('/')
    }

    /// The path part of the base URL without a trailing slash (`""` for a site at the host's root),
    /// prefixed to every root-relative link.
    pub fn url_prefix(&self) -> &str {
        let rest = self
            .base_url()
            .split_once("://")
            .map_or("", |(_, rest)| rest);
        rest.find('/').map_or("", |i| &rest[i..])
    }

    /// The host of the base URL, used to tell external links from internal ones.
    pub fn host(&self) -> &str {
        let rest = self
            .base_url()
            .split_once("://")
            .map_or("", |(_, rest)| rest);
        rest.split('/').next().unwrap_or("")
    }

    /// Whether `lang` is one of the configured languages.
    pub fn has_language(&self, lang: &str) -> bool {
        self.languages.iter().any(|l| l == lang)
    }
}

/// Reads and validates `<root>/site.yaml`.
pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
    let path = root.join(CONFIG_FILE);
    let display = PathBuf::from(CONFIG_FILE);
    let text = std::fs::read_to_string(&path).map_err(|e| {
        vec![
            Diagnostic::error(
                display.clone(),
                format!("cannot read the configuration: {e}"),
            )
            .with_hint(format!(
                "Run candor in a site folder (one with a {CONFIG_FILE}), or pass --root DIR."
            )),
        ]
    })?;
    parse(&text, &display)
}

/// Parses and validates configuration text; `display` is the path used in messages.
pub fn parse(text: &str, display: &Path) -> Result<Config, Vec<Diagnostic>> {
    let config: Config = serde_yaml::from_str(text).map_err(|e| {
        let mut d = Diagnostic::error(display.to_path_buf(), yaml_message(&e));
        if let Some(loc) = e.location() {
            d = d.at(loc.line(), loc.column());
        }
        vec![d.with_hint(
            "Compare the key with the documented settings in README.md (keys are case-sensitive).",
        )]
    })?;
    let problems = validate(&config, text, display);
    if problems.is_empty() {
        Ok(config)
    } else {
        Err(problems)
    }
}

/// serde_yaml's message, with its trailing " at line X column Y" removed (the position is printed
/// in front, compiler style).
pub fn yaml_message(e: &serde_yaml::Error) -> String {
    let msg = e.to_string();
    match msg.find(" at line ") {
        Some(i) => msg[..i].to_owned(),
        None => msg,
    }
}

/// The 1-based line on which `key:` first appears at the start of a line (after indentation).
pub fn key_line(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            let t = l.trim_start();
            t.strip_prefix(key).is_some_and(|r| r.starts_with(':'))
        })
        .map(|i| i + 1)
}

fn validate(config: &Config, text: &str, display: &Path) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let err = |key: &str, message: String, hint: &str| {
        let mut d = Diagnostic::error(display.to_path_buf(), message).with_hint(hint.to_owned());
        if let Some(line) = key_line(text, key) {
            d = d.at_line(line);
        }
        d
    };

    if config.languages.is_empty() {
        out.push(err(
            "languages",
            "`languages` is empty".into(),
            "List at least one language code, e.g. `languages: [en, de]`.",
        ));
    }
    let mut seen = Vec::new();
    for lang in &config.languages {
        if lang.parse::<unic_langid::LanguageIdentifier>().is_err()
            || !lang.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            out.push(err(
                "languages",
                format!("`{lang}` in `languages` is not a language code"),
                "Use codes like `en`, `de` or `pt-BR`.",
            ));
        }
        if seen.contains(&lang) {
            out.push(err(
                "languages",
                format!("`{lang}` appears twice in `languages`"),
                "List each language once.",
            ));
        }
        seen.push(lang);
    }
    if config
        .answers
        .as_ref()
        .is_some_and(|a| a.review_months == 0)
    {
        out.push(err(
            "review_months",
            "`answers.review_months: 0` would make every answer due for review".into(),
            "Give the number of months after which an answer is reviewed again, e.g. \
             `review_months: 12` (the default).",
        ));
    }
    if config.paginate_by == Some(0) {
        out.push(err(
            "paginate_by",
            "`paginate_by: 0` would put no page on a listing page".into(),
            "Give a number of pages per listing page, e.g. `paginate_by: 20`, or leave the key out \
             to list every page of a section on one page.",
        ));
    }
    for (lang, segment) in &config.paginate_path {
        if !config.has_language(lang) {
            out.push(err(
                "paginate_path",
                format!("`paginate_path` names `{lang}`, which is not one of `languages`"),
                "Use the codes listed under `languages`.",
            ));
        }
        if !valid_slug(segment) {
            out.push(err(
                "paginate_path",
                format!("`paginate_path: {{{lang}: {segment}}}` is not a URL segment"),
                "Use lower-case letters, digits and hyphens, e.g. `seite`.",
            ));
        }
    }
    if let Some(default) = &config.default_language
        && !config.has_language(default)
    {
        out.push(err(
            "default_language",
            format!("`default_language: {default}` is not one of `languages`"),
            "Add it to `languages` or pick one of them.",
        ));
    }
    for (key, map) in [
        ("title", &config.title),
        ("description", &config.description),
    ] {
        for lang in &config.languages {
            if map.get(lang).is_none_or(|v| v.trim().is_empty()) {
                out.push(err(
                    key,
                    format!("`{key}` has no text for language `{lang}`"),
                    &format!("Add `{lang}: …` under `{key}`."),
                ));
            }
        }
        for lang in map.keys() {
            if !config.has_language(lang) {
                out.push(err(
                    key,
                    format!("`{key}.{lang}`: `{lang}` is not one of `languages`"),
                    "Remove it, or add the language to `languages`.",
                ));
            }
        }
    }
    let base = config.base_url.as_str();
    if !(base.starts_with("https://") || base.starts_with("http://")) || config.host().is_empty() {
        out.push(err(
            "base_url",
            format!("`base_url: {base}` is not an absolute http(s) URL"),
            "Write the address the site is published at, e.g. `https://trust.example.com`.",
        ));
    }
    let theme_ok = !config.theme.is_empty()
        && config
            .theme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !theme_ok {
        out.push(err(
            "theme",
            format!("`theme: {}` is not a theme folder name", config.theme),
            "Use the name of a folder under `themes/`, e.g. `default`.",
        ));
    }
    for (key, value) in [
        ("security", &config.contacts.security),
        ("privacy", &config.contacts.privacy),
    ] {
        if !looks_like_email(value) {
            out.push(err(
                key,
                format!("`contacts.{key}: {value}` is not an e-mail address"),
                "Write an address like `security@example.com`.",
            ));
        }
    }
    out
}

/// A deliberately loose check: one `@`, something on both sides, a dot in the domain, no spaces.
pub fn looks_like_email(s: &str) -> bool {
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !s.contains(char::is_whitespace)
                && !domain.contains('@')
        }
        None => false,
    }
}

/// Checks the `portal:` block of site.yaml (`config_text`) against the site: the NDA page exists
/// (`has_page` tells whether a page key, e.g. `documents/nda.md`, is a page in the default
/// language), the allow-listed domains are plain domains, the sender is a valid address.
pub fn check_portal(
    config: &Config,
    config_text: &str,
    has_page: impl Fn(&str) -> bool,
) -> Vec<Diagnostic> {
    let Some(portal) = &config.portal else {
        return Vec::new();
    };
    let file = std::path::PathBuf::from(CONFIG_FILE);
    let err = |key: &str, message: String, hint: &str| {
        let mut d = Diagnostic::error(file.clone(), message).with_hint(hint.to_owned());
        if let Some(line) = key_line(config_text, key) {
            d = d.at_line(line);
        }
        d
    };
    let mut out = Vec::new();
    if let Some(nda) = &portal.nda {
        let key = nda.strip_prefix("@/");
        if key.is_none_or(|k| !has_page(k)) {
            out.push(err(
                "nda",
                format!("`portal.nda: {nda}` does not name a page"),
                "Link the NDA page like other internal links, e.g. `nda: \"@/documents/nda.md\"`.",
            ));
        }
    }
    for d in &portal.approve_domains {
        let plain = !d.is_empty()
            && d.contains('.')
            && d.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
            && !d.starts_with('.')
            && !d.ends_with('.');
        if !plain {
            out.push(err(
                "approve_domains",
                format!("`{d}` in `portal.approve_domains` is not a plain lower-case domain"),
                "Write domains exactly as in e-mail addresses, e.g. `acme.com` (no `@`, `*` or spaces); each matches only itself, not its subdomains.",
            ));
        }
    }
    let mut seen = std::collections::HashSet::new();
    for admin in &portal.admins {
        if admin.email.parse::<lettre::Address>().is_err() || admin.email.contains(['<', '>', ' '])
        {
            out.push(err(
                "admins",
                format!(
                    "`{}` in `portal.admins` is not an e-mail address",
                    admin.email
                ),
                "Write a plain address, e.g. `- email: legal@example.com`.",
            ));
        } else if !seen.insert(admin.email.to_ascii_lowercase()) {
            out.push(err(
                "admins",
                format!("`{}` is listed twice in `portal.admins`", admin.email),
                "List each admin once, with the role they need.",
            ));
        }
    }
    let sessions = &portal.admin_sessions;
    if sessions.idle_minutes == 0
        || sessions.absolute_hours == 0
        || u64::from(sessions.idle_minutes) > u64::from(sessions.absolute_hours) * 60
    {
        out.push(err(
            "admin_sessions",
            format!(
                "`portal.admin_sessions`: {} idle minutes and {} hours in all do not make a session",
                sessions.idle_minutes, sessions.absolute_hours
            ),
            "Both must be above 0 and the idle time at most the absolute time, e.g. `{idle_minutes: 30, absolute_hours: 12}`.",
        ));
    }
    let agreements = &portal.agreements;
    if agreements.key.is_some() != agreements.certificate.is_some() {
        out.push(err(
            "agreements",
            "`portal.agreements` names a key without a certificate, or a certificate without a key".into(),
            "Set both `key` and `certificate` (as `candor keygen --certificate` prints them), or neither.",
        ));
    }
    if let Some(contact) = &agreements.legal_contact
        && contact.parse::<lettre::Address>().is_err()
    {
        out.push(err(
            "legal_contact",
            format!("`portal.agreements.legal_contact: {contact}` is not an e-mail address"),
            "Write a plain address, e.g. `legal@example.com`.",
        ));
    }
    if let Some(to) = &portal.audit.mail_to
        && to.parse::<lettre::Address>().is_err()
    {
        out.push(err(
            "mail_to",
            format!("`portal.audit.mail_to: {to}` is not an e-mail address"),
            "Write a plain address, e.g. `legal@example.com`.",
        ));
    }
    if let Some(from) = &portal.mail_from
        && from.parse::<lettre::message::Mailbox>().is_err()
    {
        out.push(err(
            "mail_from",
            format!("`portal.mail_from: {from}` is not an e-mail address"),
            "Write `Name <address@example.com>` or just the address.",
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = "\
title: {en: T, de: T}
description: {en: D, de: D}
base_url: https://trust.example.com/sub/
languages: [en, de]
company: {name: Example Cloud GmbH}
contacts: {security: security@example.com, privacy: privacy@example.com}
security_txt: {expires: 2030-01-01T00:00:00Z}
";

    fn parse_str(text: &str) -> Result<Config, Vec<Diagnostic>> {
        parse(text, Path::new("site.yaml"))
    }

    #[test]
    fn minimal_config_parses_with_defaults() {
        let c = parse_str(MINIMAL).unwrap();
        assert_eq!(c.default_language(), "en");
        assert_eq!(c.theme, "default");
        assert_eq!(c.base_url(), "https://trust.example.com/sub");
        assert_eq!(c.url_prefix(), "/sub");
        assert_eq!(c.host(), "trust.example.com");
        assert_eq!(c.security_txt.policy, "@/vulnerability-disclosure.md");
    }

    #[test]
    fn unknown_key_is_an_error_naming_key_and_line() {
        let text = MINIMAL.replace("theme_x", "") + "colour: blue\n";
        let errs = parse_str(&text).unwrap_err();
        assert_eq!(errs.len(), 1);
        assert!(
            errs[0].message.contains("unknown field `colour`"),
            "{}",
            errs[0]
        );
        assert_eq!(errs[0].line, Some(8));
    }

    #[test]
    fn wrong_type_names_the_key() {
        let text = MINIMAL.replace("languages: [en, de]", "languages: {en: 1}");
        let errs = parse_str(&text).unwrap_err();
        assert!(errs[0].message.contains("languages"), "{}", errs[0]);
        assert_eq!(errs[0].line, Some(4));
    }

    #[test]
    fn missing_translation_of_title_and_bad_default_language() {
        let text =
            MINIMAL.replace("title: {en: T, de: T}", "title: {en: T}") + "default_language: fr\n";
        let errs = parse_str(&text).unwrap_err();
        let messages: Vec<_> = errs.iter().map(|e| e.message.as_str()).collect();
        assert!(messages.contains(&"`title` has no text for language `de`"));
        assert!(messages.contains(&"`default_language: fr` is not one of `languages`"));
        assert_eq!(
            errs.iter()
                .find(|e| e.message.contains("title"))
                .unwrap()
                .line,
            Some(1)
        );
    }

    #[test]
    fn email_check_rejects_obvious_mistakes() {
        assert!(looks_like_email("a@b.de"));
        for bad in ["", "a", "@b.de", "a@b", "a b@c.de", "a@.de", "a@b@c.de"] {
            assert!(!looks_like_email(bad), "{bad}");
        }
    }
}
