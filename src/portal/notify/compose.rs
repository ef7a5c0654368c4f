//! The mail of a notice for one subscriber, in the subscriber's language: what changes, when it
//! takes effect, the objection deadline and the objection form's link (subprocessor changes that
//! can still be objected to), the page's link, and the subscriber's own preferences and
//! unsubscribe links.

use chrono::NaiveDate;

use serde::{Deserialize, Serialize};

use crate::portal::app::Portal;
use crate::portal::store::subscriptions::Subscriber;
use crate::site::announce::Item;

/// What a notice's mail says: stored as the notice's payload.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Payload {
    /// Topic.
    pub topic: String,
    /// The document, for a document's new version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
    /// The items the mail lists.
    pub items: Vec<Item>,
}

/// A composed mail.
#[derive(Debug, Clone)]
pub struct Mail {
    /// Subject (one line).
    pub subject: String,
    /// Plain-text body.
    pub body: String,
    /// The one-click unsubscribe URL (RFC 8058).
    pub unsubscribe: String,
}

/// One line of content: control characters (line breaks from the site's files) become spaces.
fn line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn date(portal: &Portal, lang: &str, d: NaiveDate) -> String {
    portal
        .catalogue()
        .locales
        .format_date(lang, d)
        .unwrap_or_else(|_| d.to_string())
}

/// The subject of `payload`'s mail in `lang`.
pub fn subject(portal: &Portal, payload: &Payload, lang: &str) -> String {
    let cat = portal.catalogue();
    let site = portal.site_title(lang);
    let topic = &payload.topic;
    let title = |i: usize| {
        payload
            .items
            .get(i)
            .and_then(|it| it.titles.get(lang).or_else(|| it.titles.values().next()))
            .map(|t| line(t))
            .unwrap_or_default()
    };
    let count = payload.items.len().to_string();
    let key = if payload.items.len() == 1 || topic == "documents" || topic == "subprocessors" {
        format!("mail-notify-{topic}-subject")
    } else {
        format!("mail-notify-{topic}-subject-many")
    };
    line(&cat.t(
        lang,
        &key,
        &[("site", site), ("title", &title(0)), ("count", &count)],
    ))
}

/// The mail of `payload` for subscriber `s`, written on `today`.
pub fn compose(portal: &Portal, payload: &Payload, s: &Subscriber, today: NaiveDate) -> Mail {
    let cat = portal.catalogue();
    let lang = s.lang.as_str();
    let (preferences, unsubscribe) = crate::portal::subscribe::manage_links(portal, s);
    let site = portal.site_title(lang);
    let mut body = cat.t(
        lang,
        &format!("mail-notify-{}-intro", payload.topic),
        &[("site", site)],
    );
    body.push('\n');
    for item in &payload.items {
        let pick = |m: &std::collections::BTreeMap<String, String>| {
            m.get(lang)
                .or_else(|| m.get(&cat.default_lang))
                .or_else(|| m.values().next())
                .map(|t| line(t))
                .unwrap_or_default()
        };
        let title = pick(&item.titles);
        let heading = match crate::site::announce::change_kind(&item.key) {
            Some(kind) if payload.topic == "subprocessors" => cat.t(
                lang,
                &format!("mail-notify-kind-{kind}"),
                &[("name", &title)],
            ),
            _ => title,
        };
        body.push_str(&format!("\n* {heading}\n"));
        let detail = pick(&item.details);
        if !detail.is_empty() {
            body.push_str(&format!("  {detail}\n"));
        }
        if let Some(effective) = item.effective {
            body.push_str(&format!(
                "  {}\n",
                cat.t(
                    lang,
                    "mail-notify-effective",
                    &[("date", &date(portal, lang, effective))]
                )
            ));
        }
        if let Some(deadline) = item.objection_deadline {
            body.push_str(&format!(
                "  {}\n",
                cat.t(
                    lang,
                    "mail-notify-deadline",
                    &[("date", &date(portal, lang, deadline))]
                )
            ));
            if deadline >= today {
                let link = format!(
                    "{}/{lang}/objection/{}",
                    portal.settings.public_url, item.key
                );
                body.push_str(&format!(
                    "  {}\n",
                    cat.t(lang, "mail-notify-object", &[("link", &link)])
                ));
            }
        }
        let url = item
            .urls
            .get(lang)
            .or_else(|| item.urls.get(&cat.default_lang))
            .cloned()
            .unwrap_or_default();
        if !url.is_empty() {
            body.push_str(&format!(
                "  {}\n",
                cat.t(lang, "mail-notify-read", &[("link", &url)])
            ));
        }
    }
    body.push('\n');
    body.push_str(&cat.t(
        lang,
        "mail-subscribe-footer",
        &[
            ("preferences", preferences.as_str()),
            ("unsubscribe", unsubscribe.as_str()),
        ],
    ));
    Mail {
        subject: subject(portal, payload, lang),
        body,
        unsubscribe,
    }
}
