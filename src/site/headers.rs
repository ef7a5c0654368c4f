//! The HTTP security headers of the site: one definition, used by the portal and written to
//! `_headers` (the format Netlify and Cloudflare Pages read) for static hosting.

use crate::site::config::Config;

/// The origin (`scheme://host[:port]`) of an absolute URL.
fn origin(url: &str) -> Option<&str> {
    let (scheme, rest) = url.split_once("://")?;
    let end = rest.find('/').unwrap_or(rest.len());
    Some(&url[..scheme.len() + 3 + end])
}

/// The Content-Security-Policy of every page: nothing from other origins, no inline scripts or
/// styles, no framing; forms may post to the site and to the portal.
pub fn content_security_policy(config: &Config) -> String {
    let mut form_action = String::from("'self'");
    if let Some(portal) = config.portal.as_ref().and_then(|p| p.url.as_deref())
        && let Some(o) = origin(portal)
        && Some(o) != origin(config.base_url())
    {
        form_action.push(' ');
        form_action.push_str(o);
    }
    format!(
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; \
         connect-src 'self'; manifest-src 'self'; form-action {form_action}; base-uri 'none'; \
         frame-ancestors 'none'"
    )
}

/// Every security header as `(name, value)`, for responses over TLS.
pub fn security_headers(config: &Config) -> Vec<(&'static str, String)> {
    vec![
        ("Content-Security-Policy", content_security_policy(config)),
        ("X-Content-Type-Options", "nosniff".to_owned()),
        ("Referrer-Policy", "no-referrer".to_owned()),
        ("X-Frame-Options", "DENY".to_owned()),
        ("Cross-Origin-Opener-Policy", "same-origin".to_owned()),
        (
            "Permissions-Policy",
            "camera=(), microphone=(), geolocation=()".to_owned(),
        ),
        (
            "Strict-Transport-Security",
            "max-age=63072000; includeSubDomains".to_owned(),
        ),
    ]
}

/// `_headers` for static hosts: the security headers on every path.
pub fn headers_file(config: &Config) -> String {
    let mut out = String::from("/*\n");
    for (name, value) in security_headers(config) {
        out.push_str(&format!("  {name}: {value}\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(portal: Option<&str>) -> Config {
        let mut text =
            "title: {en: T}\ndescription: {en: D}\nbase_url: https://trust.example.com\n\
                        languages: [en]\ncompany: {name: X}\n\
                        contacts: {security: s@example.com, privacy: p@example.com}\n\
                        security_txt: {expires: 2030-01-01T00:00:00Z}\n"
                .to_owned();
        if let Some(p) = portal {
            text.push_str(&format!("portal: {{url: \"{p}\"}}\n"));
        }
        crate::site::config::parse(&text, std::path::Path::new("site.yaml")).unwrap()
    }

    #[test]
    fn csp_forbids_inline_code_and_other_origins() {
        let csp = content_security_policy(&config(None));
        assert!(csp.starts_with("default-src 'none';"));
        assert!(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"));
        assert!(csp.contains("frame-ancestors 'none'"));
        assert!(csp.contains("form-action 'self';"));
    }

    #[test]
    fn a_portal_on_another_origin_may_receive_forms() {
        let same = content_security_policy(&config(Some("https://trust.example.com/portal")));
        assert!(same.contains("form-action 'self';"), "{same}");
        let other = content_security_policy(&config(Some("https://portal.example.com:8443/x")));
        assert!(
            other.contains("form-action 'self' https://portal.example.com:8443;"),
            "{other}"
        );
    }
}
