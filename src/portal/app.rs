//! The running portal ([`Portal`]: store, keys, mailer, settings) and what it knows of the site
//! ([`Catalogue`], made from what a build published), with the settings read from `site.yaml`
//! and the environment.

use crate::site::documents::Access;
use crate::site::i18n::Locales;
pub use crate::site::published::{GatedDocument, Nda, Published};
use crate::site::render::{PORTAL_BODY, PORTAL_TITLE};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use super::{files, keys, mail, store, token};

/// Rate limits (per client IP, kept in the store so they hold across replicas).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Access requests per hour.
    pub requests_per_hour: i64,
    /// Confirmation and grant-link page views and posts per 10 minutes.
    pub links_per_10_minutes: i64,
    /// Downloads per minute.
    pub downloads_per_minute: i64,
    /// Admin API calls per minute.
    pub admin_per_minute: i64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            requests_per_hour: 10,
            links_per_10_minutes: 60,
            downloads_per_minute: 30,
            admin_per_minute: 30,
        }
    }
}

/// Environment variable naming the agreement signing key (PEM, mode 0600).
pub const AGREEMENT_KEY_ENV: &str = "CANDOR_AGREEMENT_KEY";
/// Environment variable naming the agreement signing certificate chain (PEM).
pub const AGREEMENT_CERTIFICATE_ENV: &str = "CANDOR_AGREEMENT_CERTIFICATE";

/// The sample identity of a preview: `.candor/keys/sample-agreement-{key,cert}.pem`, created on
/// first use and labelled as a sample in its name.
fn sample_identity(root: &Path, company: &str) -> anyhow::Result<crate::pdf::pades::Identity> {
    use anyhow::Context as _;
    let dir = root.join(".candor").join("keys");
    let key = dir.join("sample-agreement-key.pem");
    let cert = dir.join("sample-agreement-cert.pem");
    if key.exists() && cert.exists() {
        return crate::pdf::pades::Identity::load(&key, &cert)
            .context("cannot load the sample agreement signing key");
    }
    let generated = crate::pdf::pades::Identity::generate(
        &format!("SAMPLE - not for production - {company}"),
        company,
        365,
    )?;
    crate::pdf::pades::write_private(&key, generated.key_pem.as_bytes())
        .with_context(|| format!("cannot write {}", key.display()))?;
    std::fs::write(&cert, &generated.certificate_pem)
        .with_context(|| format!("cannot write {}", cert.display()))?;
    eprintln!(
        "Agreements are signed with a SAMPLE certificate ({}), for previews only; for production run `candor keygen --certificate`.",
        cert.display()
    );
    Ok(generated.identity)
}

/// Environment variable overriding the admin token hash.
pub const ADMIN_HASH_ENV: &str = "CANDOR_ADMIN_TOKEN_HASH";
/// Environment variable with rate limits for load tests: `requests,links,downloads,admin`.
pub const LIMITS_ENV: &str = "CANDOR_PORTAL_LIMITS";

/// The portal's settings, from `site.yaml` and the environment.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Path the routes are mounted at (`/portal`, or `/prefix/portal`).
    pub mount: String,
    /// Absolute URL of the portal for links in mails (`https://trust.example.com/portal`).
    pub public_url: String,
    /// E-mail domains approved automatically, lower-case.
    pub approve_domains: Vec<String>,
    /// Days a grant lasts.
    pub grant_days: u32,
    /// Downloads per grant.
    pub download_limit: u32,
    /// Minutes a download token lasts.
    pub token_minutes: u32,
    /// Days before unconfirmed/pending requests expire.
    pub request_days: u32,
    /// Hours a confirmation link lasts.
    pub confirm_hours: u32,
    /// argon2id hash of the admin API token.
    pub admin_token_hash: Option<String>,
    /// Trust `X-Forwarded-For`.
    pub behind_proxy: bool,
    /// Send cookies with `Secure` (the public URL is https).
    pub secure_cookies: bool,
    /// Site title per language (mails).
    pub site_titles: HashMap<String, String>,
    /// The privacy contact (mails).
    pub contact: String,
    /// Rate limits.
    pub limits: Limits,
    /// The company (the provider in executed agreements).
    pub company: crate::site::config::Company,
    /// Who receives a copy of every executed agreement.
    pub legal_contact: String,
    /// Days a "Your agreements" link stays valid.
    pub agreements_link_days: u32,
    /// The site's base URL (named in audit checkpoints).
    pub site_url: String,
    /// Hours between audit checkpoints (0: none).
    pub checkpoint_hours: u32,
    /// Where audit checkpoints are written (absolute, or relative to the site root).
    pub checkpoint_dir: PathBuf,
    /// Who receives every audit checkpoint by mail.
    pub checkpoint_mail: Option<String>,
    /// Mail limits.
    pub mail_limits: crate::site::config::MailLimits,
    /// Path the admin console is mounted at (`/admin`, or `/prefix/admin`).
    pub admin_mount: String,
    /// Absolute URL of the console for links in mails.
    pub admin_url: String,
    /// Admins (address, role).
    pub admins: Vec<(String, crate::site::config::AdminRole)>,
    /// Minutes of inactivity that end a console session.
    pub admin_idle_minutes: u32,
    /// Hours after sign-in that end a console session.
    pub admin_absolute_hours: u32,
}

impl Settings {
    /// Settings for `config` (which must have a `portal:` block; defaults otherwise).
    pub fn from_config(config: &crate::site::config::Config) -> Settings {
        let portal = config
            .portal
            .clone()
            .unwrap_or(crate::site::config::Portal {
                url: None,
                approve_domains: Vec::new(),
                grant_days: 30,
                download_limit: 10,
                token_minutes: 5,
                request_days: 14,
                mail_from: None,
                nda: None,
                admin_token_hash: None,
                behind_proxy: false,
                agreements: crate::site::config::Agreements::default(),
                audit: crate::site::config::AuditLog::default(),
                mail_limits: crate::site::config::MailLimits::default(),
                admins: Vec::new(),
                admin_sessions: crate::site::config::AdminSessions::default(),
            });
        let public_url = match &portal.url {
            Some(u) => u.trim_end_matches('/').to_owned(),
            None => format!("{}/portal", config.base_url()),
        };
        let mount = public_url
            .split_once("://")
            .and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].to_owned()))
            .unwrap_or_else(|| "/portal".to_owned());
        let mut limits = Limits::default();
        if let Ok(v) = std::env::var(LIMITS_ENV) {
            let n: Vec<i64> = v.split(',').filter_map(|x| x.trim().parse().ok()).collect();
            if let [r, l, d, a] = n[..] {
                limits = Limits {
                    requests_per_hour: r,
                    links_per_10_minutes: l,
                    downloads_per_minute: d,
                    admin_per_minute: a,
                };
            }
        }
        let admin_mount = sibling(&mount, "admin");
        let admin_url = sibling(&public_url, "admin");
        Settings {
            mount,
            secure_cookies: public_url.starts_with("https://"),
            public_url,
            approve_domains: portal
                .approve_domains
                .iter()
                .map(|d| d.trim().trim_start_matches('@').to_ascii_lowercase())
                .collect(),
            grant_days: portal.grant_days,
            download_limit: portal.download_limit,
            token_minutes: portal.token_minutes.max(1),
            request_days: portal.request_days,
            confirm_hours: 48,
            admin_token_hash: std::env::var(ADMIN_HASH_ENV)
                .ok()
                .filter(|h| !h.is_empty())
                .or(portal.admin_token_hash),
            behind_proxy: portal.behind_proxy,
            site_titles: config
                .title
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            contact: config.contacts.privacy.clone(),
            limits,
            company: config.company.clone(),
            legal_contact: portal
                .agreements
                .legal_contact
                .clone()
                .unwrap_or_else(|| config.contacts.privacy.clone()),
            agreements_link_days: portal.agreements.link_days.max(1),
            site_url: config.base_url().to_owned(),
            checkpoint_hours: portal.audit.checkpoint_hours,
            checkpoint_dir: PathBuf::from(portal.audit.checkpoint_dir()),
            checkpoint_mail: portal.audit.mail_to.clone(),
            mail_limits: portal.mail_limits.clone(),
            admin_mount,
            admin_url,
            admins: portal
                .admins
                .iter()
                .map(|a| (a.email.trim().to_owned(), a.role))
                .collect(),
            admin_idle_minutes: portal.admin_sessions.idle_minutes.max(1),
            admin_absolute_hours: portal.admin_sessions.absolute_hours.max(1),
        }
    }

    /// Whether a verified e-mail address is approved automatically: its domain equals one of
    /// the configured domains exactly (no suffix or substring matches).
    pub fn auto_approves(&self, email: &str) -> Option<&str> {
        let domain = email.rsplit_once('@')?.1.to_ascii_lowercase();
        self.approve_domains
            .iter()
            .find(|d| **d == domain)
            .map(String::as_str)
    }
}

/// `path` with its last segment replaced by `name` (`/trust/portal` → `/trust/admin`).
fn sibling(path: &str, name: &str) -> String {
    match path.trim_end_matches('/').rsplit_once('/') {
        Some((parent, _)) => format!("{parent}/{name}"),
        None => format!("/{name}"),
    }
}

/// What the portal knows about the site; replaced after every rebuild in preview mode.
#[derive(Debug)]
pub struct Catalogue {
    /// Site root (file paths are relative to it).
    pub root: PathBuf,
    /// Languages, default first.
    pub languages: Vec<String>,
    /// Default language.
    pub default_lang: String,
    /// The site's URL path prefix (`""` or `/trust`), for links to its pages and files.
    pub url_prefix: String,
    /// Gated and NDA documents by id.
    pub documents: HashMap<String, GatedDocument>,
    /// Documents that can be concluded online (`signable: true`) by id.
    pub signable: HashMap<String, GatedDocument>,
    /// Every document (id, title per language), in the registry's order: what a subscription
    /// to new versions may name.
    pub all_documents: Vec<(String, HashMap<String, String>)>,
    /// Page frame per language (with the title and body markers).
    pub shells: HashMap<String, String>,
    /// The NDA per language.
    pub nda: HashMap<String, Nda>,
    /// UI strings.
    pub locales: Arc<Locales>,
    /// The subprocessor change log (objections).
    pub subprocessor_changes: Vec<crate::site::subprocessors::Change>,
}

impl Catalogue {
    /// The bytes of a document's file, or a message for the operator saying why not.
    pub(crate) async fn read(
        &self,
        file: &crate::site::documents::FileInfo,
    ) -> Result<Vec<u8>, String> {
        tokio::fs::read(self.root.join(&file.source))
            .await
            .map_err(|e| format!("cannot read {}: {e}", file.source.display()))
    }

    /// The catalogue of what a build published.
    pub fn new(published: Published) -> Catalogue {
        let mut documents = HashMap::new();
        let mut signable = HashMap::new();
        for entry in published.documents {
            if entry.doc.signable {
                signable.insert(entry.doc.id.clone(), entry.clone());
            }
            if entry.doc.access != Access::Public {
                documents.insert(entry.doc.id.clone(), entry);
            }
        }
        Catalogue {
            root: published.root,
            languages: published.languages,
            default_lang: published.default_lang,
            url_prefix: published.url_prefix,
            documents,
            signable,
            all_documents: published.all_documents,
            shells: published.shells,
            nda: published.nda,
            locales: published.locales,
            subprocessor_changes: published.subprocessor_changes,
        }
    }

    /// Whether `lang` is one of the site's languages.
    pub fn has_language(&self, lang: &str) -> bool {
        self.languages.iter().any(|l| l == lang)
    }

    /// A UI string (`key` with `args`), falling back to the key itself.
    pub fn t(&self, lang: &str, key: &str, args: &[(&str, &str)]) -> String {
        let args: Vec<(String, crate::site::i18n::Arg)> = args
            .iter()
            .map(|(k, v)| {
                (
                    (*k).to_owned(),
                    crate::site::i18n::Arg::Str((*v).to_owned()),
                )
            })
            .collect();
        self.locales
            .translate(lang, key, &args)
            .unwrap_or_else(|_| key.to_owned())
    }

    /// The version that superseded agreement `a`'s, when the document has a newer current
    /// version (the signed file itself never changes).
    pub fn superseded_by(&self, a: &store::Agreement) -> Option<&str> {
        self.signable
            .get(&a.document_id)
            .and_then(|d| d.doc.current())
            .map(|v| v.version.as_str())
            .filter(|current| *current != a.version)
    }

    /// The title of document `id` in `lang`, or its id when the site no longer has it.
    pub fn title_of(&self, id: &str, lang: &str) -> String {
        self.documents
            .get(id)
            .map_or_else(|| id.to_owned(), |d| d.title(lang).to_owned())
    }

    /// The day of a Unix time, written out in `lang` ("23 November 2026").
    pub fn date(&self, lang: &str, unix: i64) -> String {
        chrono::DateTime::from_timestamp(unix, 0)
            .map(|d| {
                self.locales
                    .format_date(lang, d.date_naive())
                    .unwrap_or_else(|_| d.date_naive().to_string())
            })
            .unwrap_or_default()
    }

    /// A page: the language's frame with `title` (text) and `body` (HTML) filled in.
    pub fn page(&self, lang: &str, title: &str, body: &str) -> String {
        let title = crate::site::render::xml_escape(title);
        match self
            .shells
            .get(lang)
            .or_else(|| self.shells.get(&self.default_lang))
        {
            Some(shell) => shell
                .replacen(PORTAL_TITLE, &title, 1)
                .replacen(PORTAL_BODY, body, 1),
            None => format!(
                "<!DOCTYPE html><html lang={lang}><meta charset=utf-8><meta name=viewport content=\"width=device-width,initial-scale=1\"><title>{title}</title><main id=main>{body}</main>"
            ),
        }
    }
}

/// The running portal: its store, keys, mailer, settings and the current catalogue.
pub struct Portal {
    /// State.
    pub store: store::Store,
    /// Keys.
    pub keys: keys::Keyring,
    /// Mail.
    pub mailer: mail::Mailer,
    /// Settings.
    pub settings: Settings,
    /// The file area (executed agreements).
    pub files: files::Files,
    /// The identity that signs executed agreements (none: agreements cannot be concluded).
    pub signer: Option<Arc<crate::pdf::pades::Identity>>,
    catalogue: RwLock<Arc<Catalogue>>,
    /// The text of agreement files by SHA-256, extracted once for the signing page.
    texts: std::sync::Mutex<HashMap<String, Arc<Vec<String>>>>,
}

impl Portal {
    /// A portal over the given parts.
    pub fn new(
        store: store::Store,
        keys: keys::Keyring,
        mailer: mail::Mailer,
        settings: Settings,
        catalogue: Catalogue,
    ) -> Portal {
        let files = files::Files::at(&catalogue.root.join(".candor").join("files"));
        Portal {
            store,
            keys,
            mailer,
            settings,
            files,
            signer: None,
            catalogue: RwLock::new(Arc::new(catalogue)),
            texts: std::sync::Mutex::new(HashMap::new()),
        }
    }

    /// The current catalogue.
    pub fn catalogue(&self) -> Arc<Catalogue> {
        match self.catalogue.read() {
            Ok(c) => Arc::clone(&c),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Replaces the catalogue (after a rebuild).
    pub fn set_catalogue(&self, catalogue: Catalogue) {
        if let Ok(mut slot) = self.catalogue.write() {
            *slot = Arc::new(catalogue);
        }
    }

    /// Opens the portal of the site at `root` (already generated): the store from
    /// `CANDOR_DATABASE_URL` or the embedded SQLite file, the keys from `CANDOR_PORTAL_KEYS` or
    /// `.candor/keys/`, mail over SMTP (`CANDOR_SMTP_URL`) or into `.candor/outbox/`.
    pub async fn open(
        root: &Path,
        config: &crate::site::config::Config,
        catalogue: Catalogue,
    ) -> anyhow::Result<Portal> {
        use anyhow::Context as _;
        let settings = Settings::from_config(config);
        let (keys, _) = keys::load_or_create(root).context("cannot load the portal's keys")?;
        let store = store::Store::open_default(root, keys.audit_keys())
            .await
            .context("cannot open the portal's store")?;
        let from = config
            .portal
            .as_ref()
            .and_then(|p| p.mail_from.clone())
            .unwrap_or_else(|| config.contacts.privacy.clone());
        let mailer = mail::Mailer::from_env(root, &from).context("cannot set up mail")?;
        let mut portal = Portal::new(store, keys, mailer, settings, catalogue);
        portal.files = files::Files::open_default(root).context("cannot open the file area")?;
        Ok(portal)
    }

    /// Loads the identity that signs executed agreements: the key and certificate named by
    /// `CANDOR_AGREEMENT_KEY`/`CANDOR_AGREEMENT_CERTIFICATE` or `portal.agreements` in site.yaml.
    /// Without them, a preview (`production` false) signs with a sample certificate kept in
    /// `.candor/keys/` (created on first start, labelled as a sample); production refuses to
    /// start when the site has signable documents.
    pub fn load_signer(
        &mut self,
        root: &Path,
        config: &crate::site::config::Config,
        production: bool,
    ) -> anyhow::Result<()> {
        use anyhow::Context as _;
        let agreements = config
            .portal
            .as_ref()
            .map(|p| p.agreements.clone())
            .unwrap_or_default();
        let named = |env: &str, configured: &Option<String>| {
            std::env::var_os(env)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
                .or_else(|| configured.as_ref().map(|p| root.join(p)))
        };
        let key = named(AGREEMENT_KEY_ENV, &agreements.key);
        let certificate = named(AGREEMENT_CERTIFICATE_ENV, &agreements.certificate);
        let identity = match (key, certificate) {
            (Some(key), Some(certificate)) => crate::pdf::pades::Identity::load(&key, &certificate)
                .context("cannot load the agreement signing key")?,
            (Some(_), None) | (None, Some(_)) => anyhow::bail!(
                "portal.agreements needs both `key` and `certificate` (or {AGREEMENT_KEY_ENV} and {AGREEMENT_CERTIFICATE_ENV})"
            ),
            (None, None) if self.catalogue().signable.is_empty() => return Ok(()),
            (None, None) if production => anyhow::bail!(
                "the site has documents marked `signable: true`, but no key signs the executed agreements: \
                 run `candor keygen --certificate` and set portal.agreements.key and .certificate in site.yaml \
                 (or {AGREEMENT_KEY_ENV} and {AGREEMENT_CERTIFICATE_ENV})"
            ),
            (None, None) => sample_identity(root, &config.company.name)?,
        };
        if let Some(end) = identity.not_after()
            && end < chrono::Utc::now()
        {
            eprintln!(
                "warning: the agreement signing certificate expired on {}; PDF readers will show new signatures as invalid",
                end.date_naive()
            );
        }
        self.signer = Some(Arc::new(identity));
        Ok(())
    }

    /// The text of an agreement file, page by page (empty when it cannot be extracted).
    pub fn agreement_text(&self, path: &Path, sha256: &str) -> Arc<Vec<String>> {
        if let Some(t) = self.texts.lock().ok().and_then(|m| m.get(sha256).cloned()) {
            return t;
        }
        let pages = std::fs::read(path)
            .ok()
            .and_then(|b| lopdf::Document::load_mem(&b).ok())
            .map(|doc| {
                let numbers: Vec<u32> = doc.get_pages().keys().copied().collect();
                numbers
                    .iter()
                    .filter_map(|n| doc.extract_text(&[*n]).ok())
                    .map(|t| t.trim().to_owned())
                    .filter(|t| !t.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        let pages = Arc::new(pages);
        if let Ok(mut m) = self.texts.lock() {
            m.insert(sha256.to_owned(), Arc::clone(&pages));
        }
        pages
    }

    /// A link to mail: `<public URL>/<path>/<token>`, the token for `purpose` naming `id` and
    /// expiring at `exp` (Unix seconds).
    pub(crate) fn mailed_link(
        &self,
        purpose: keys::Purpose,
        id: &str,
        exp: i64,
        path: &str,
    ) -> String {
        let claims = token::LinkClaims {
            id: id.to_owned(),
            exp,
            n: token::nonce(),
        };
        format!(
            "{}/{path}/{}",
            self.settings.public_url,
            token::sign(&self.keys, purpose, &claims)
        )
    }

    /// A link to mail for proving an address: [`Self::mailed_link`], valid for the configured
    /// `confirm_hours`.
    pub(crate) fn confirmation_link(&self, purpose: keys::Purpose, id: &str, path: &str) -> String {
        let exp = chrono::Utc::now().timestamp() + i64::from(self.settings.confirm_hours) * 3600;
        self.mailed_link(purpose, id, exp, path)
    }

    /// The site's title in `lang` (empty when the site has none), for mails.
    pub(crate) fn site_title(&self, lang: &str) -> &str {
        self.settings
            .site_titles
            .get(lang)
            .map_or("", String::as_str)
    }

    /// The signed grant link for `grant` (valid as long as the grant). A grant whose link was
    /// renewed (resent from the console) opens only with links that carry its `nonce`.
    pub fn grant_link(&self, grant: &store::Grant, nonce: Option<&str>) -> String {
        let claims = token::LinkClaims {
            id: grant.id.clone(),
            exp: grant.expires_at,
            n: nonce.map_or_else(token::nonce, str::to_owned),
        };
        format!(
            "{}/{}/grant/{}",
            self.settings.public_url,
            grant.lang,
            token::sign(&self.keys, keys::Purpose::Grant, &claims)
        )
    }

    /// Mails the grant link to the requester (with the grant's renewed link `nonce`, when an
    /// admin resends it).
    pub async fn notify_approved(
        &self,
        grant: &store::Grant,
        nonce: Option<&str>,
    ) -> Result<(), mail::MailError> {
        let cat = self.catalogue();
        let lang = grant.lang.as_str();
        let title = cat.title_of(&grant.document_id, lang);
        let date = cat.date(lang, grant.expires_at);
        let link = self.grant_link(grant, nonce);
        let limit = grant.max_downloads.to_string();
        let args = [
            ("document", title.as_str()),
            ("date", date.as_str()),
            ("limit", limit.as_str()),
            ("link", link.as_str()),
        ];
        self.mailer
            .send(
                &grant.email,
                &cat.t(lang, "mail-grant-subject", &args),
                &cat.t(lang, "mail-grant-body", &args),
            )
            .await
    }

    /// Tells the requester, in the request's language, that the request was rejected, with the
    /// reason an admin gave.
    pub async fn notify_rejected(
        &self,
        request: &store::Request,
        reason: Option<&str>,
    ) -> Result<(), mail::MailError> {
        let cat = self.catalogue();
        let lang = request.lang.as_str();
        let title = cat.title_of(&request.document_id, lang);
        let args = [
            ("document", title.as_str()),
            ("contact", self.settings.contact.as_str()),
            ("reason", reason.unwrap_or_default()),
        ];
        let mut body = cat.t(lang, "mail-rejected-body", &args);
        if reason.is_some_and(|r| !r.trim().is_empty()) {
            body.push_str("\n\n");
            body.push_str(&cat.t(lang, "mail-rejected-reason", &args));
        }
        self.mailer
            .send(
                &request.email,
                &cat.t(lang, "mail-rejected-subject", &args),
                &body,
            )
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(domains: &[&str]) -> Settings {
        let mut s = Settings::from_config(
            &serde_yaml::from_str(
                "title: {en: T}\ndescription: {en: D}\nbase_url: https://trust.example.com\nlanguages: [en]\n\
                 company: {name: C, address: [A]}\ncontacts: {security: s@example.com, privacy: p@example.com, dpo: {name: D, email: d@example.com}}\n\
                 security_txt: {contact: [mailto:s@example.com], expires: 2027-01-01T00:00:00Z}\nportal: {}\n",
            )
            .unwrap(),
        );
        s.approve_domains = domains.iter().map(|d| (*d).to_owned()).collect();
        s
    }

    #[test]
    fn only_exact_domains_are_approved_automatically() {
        let s = settings(&["acme.com"]);
        assert_eq!(s.auto_approves("jane@acme.com"), Some("acme.com"));
        assert_eq!(s.auto_approves("Jane@ACME.com"), Some("acme.com"));
        for evil in [
            "eve@acme.com.evil.io",
            "eve@evilacme.com",
            "eve@sub.acme.com",
            "acme.com@evil.io",
            "eve@evil.io?acme.com",
            "eve",
        ] {
            assert_eq!(s.auto_approves(evil), None, "{evil}");
        }
    }

    #[test]
    fn the_portal_is_mounted_under_the_sites_path() {
        let s = settings(&[]);
        assert_eq!(s.mount, "/portal");
        assert_eq!(s.public_url, "https://trust.example.com/portal");
        assert!(s.secure_cookies);
    }
}
