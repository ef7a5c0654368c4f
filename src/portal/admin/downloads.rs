//! Downloads over time: a bar chart per day drawn on the server as SVG (no script, no
//! third-party library; the tables below it are its text alternative), totals per document and
//! per company, and the same counts as CSV.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{Duration, Utc};

use super::session::Admin;
use super::view::{self, esc};
use crate::portal::app::Portal;
use crate::portal::guards::failed;
use crate::portal::store::console::DownloadCount;

/// The periods offered, in days.
const PERIODS: [i64; 4] = [30, 90, 365, 1095];

#[derive(serde::Deserialize, Default)]
pub(crate) struct PeriodQuery {
    #[serde(default)]
    days: Option<i64>,
}

fn period(q: &PeriodQuery) -> i64 {
    q.days.filter(|d| PERIODS.contains(d)).unwrap_or(90)
}

/// The first day of a period of `days` ending today (UTC), `YYYY-MM-DD`.
fn start(days: i64) -> chrono::NaiveDate {
    (Utc::now() - Duration::days(days - 1)).date_naive()
}

/// The chart: one bar per day from `from` to today, labelled at the first day of each month.
pub(crate) fn chart(
    counts: &[DownloadCount],
    from: chrono::NaiveDate,
    title: &str,
    desc: &str,
) -> String {
    let mut per_day: BTreeMap<String, i64> = BTreeMap::new();
    for c in counts {
        *per_day.entry(c.day.clone()).or_default() += c.downloads;
    }
    let today = Utc::now().date_naive();
    let days: Vec<chrono::NaiveDate> = from.iter_days().take_while(|d| *d <= today).collect();
    let max = per_day.values().copied().max().unwrap_or(0).max(1);
    let (width, height, left, bottom) = (720.0_f64, 220.0_f64, 40.0_f64, 24.0_f64);
    let plot_w = width - left - 8.0;
    let plot_h = height - bottom - 12.0;
    let bar = plot_w / days.len().max(1) as f64;
    let mut svg = format!(
        "<svg class=\"chart\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"chart-title chart-desc\" \
         xmlns=\"http://www.w3.org/2000/svg\"><title id=\"chart-title\">{}</title><desc id=\"chart-desc\">{}</desc>",
        esc(title),
        esc(desc)
    );
    // Axis and the maximum's gridline.
    let _ = write!(
        svg,
        "<line class=\"chart-axis\" x1=\"{left}\" y1=\"{y}\" x2=\"{x2}\" y2=\"{y}\" stroke=\"currentColor\"/>\
         <line class=\"chart-grid\" x1=\"{left}\" y1=\"12\" x2=\"{x2}\" y2=\"12\" stroke=\"currentColor\" stroke-dasharray=\"2 4\"/>\
         <text x=\"{tx}\" y=\"16\" text-anchor=\"end\" fill=\"currentColor\" font-size=\"11\">{max}</text>\
         <text x=\"{tx}\" y=\"{y}\" text-anchor=\"end\" fill=\"currentColor\" font-size=\"11\">0</text>",
        y = 12.0 + plot_h,
        x2 = width - 8.0,
        tx = left - 4.0,
    );
    for (i, d) in days.iter().enumerate() {
        let key = d.format("%Y-%m-%d").to_string();
        let n = per_day.get(&key).copied().unwrap_or(0);
        let x = left + i as f64 * bar;
        if n > 0 {
            let h = plot_h * n as f64 / max as f64;
            let _ = write!(
                svg,
                "<rect class=\"chart-bar\" x=\"{:.2}\" y=\"{:.2}\" width=\"{:.2}\" height=\"{h:.2}\" fill=\"currentColor\"><title>{key}: {n}</title></rect>",
                x + bar * 0.1,
                12.0 + plot_h - h,
                (bar * 0.8).max(0.5),
            );
        }
        if d.format("%d").to_string() == "01" || i == 0 {
            let _ = write!(
                svg,
                "<text x=\"{x:.1}\" y=\"{}\" fill=\"currentColor\" font-size=\"11\">{}</text>",
                height - 6.0,
                d.format("%Y-%m")
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

fn totals(counts: &[DownloadCount], key: impl Fn(&DownloadCount) -> String) -> Vec<(String, i64)> {
    let mut map: BTreeMap<String, i64> = BTreeMap::new();
    for c in counts {
        *map.entry(key(c)).or_default() += c.downloads;
    }
    let mut list: Vec<(String, i64)> = map.into_iter().collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    list
}

/// `GET /{lang}/downloads?days=N`.
pub(crate) async fn downloads_page(
    State(portal): State<Arc<Portal>>,
    admin: Admin,
    Query(q): Query<PeriodQuery>,
) -> Response {
    let days = period(&q);
    let from = start(days);
    let counts = match portal
        .store
        .download_counts(&from.format("%Y-%m-%d").to_string())
        .await
    {
        Ok(c) => c,
        Err(e) => return failed(&admin.cat, &admin.lang, &e),
    };
    let cat = &admin.cat;
    let lang = &admin.lang;
    let mount = esc(&portal.settings.admin_mount);
    let t = |k: &str| esc(&cat.t(lang, k, &[]));
    let title = cat.t(lang, "admin-downloads-title", &[]);
    let total: i64 = counts.iter().map(|c| c.downloads).sum();
    let mut body = format!(
        "<h1>{}</h1><nav class=\"console-tabs\" aria-label=\"{}\"><ul>",
        esc(&title),
        t("admin-downloads-period")
    );
    for p in PERIODS {
        let label = esc(&cat.t(lang, "admin-downloads-days", &[("days", &p.to_string())]));
        if p == days {
            let _ = write!(
                body,
                "<li><a href=\"{mount}/{lang}/downloads?days={p}\" aria-current=\"page\">{label}</a></li>"
            );
        } else {
            let _ = write!(
                body,
                "<li><a href=\"{mount}/{lang}/downloads?days={p}\">{label}</a></li>"
            );
        }
    }
    body.push_str("</ul></nav>");
    let summary = cat.t(
        lang,
        "admin-downloads-summary",
        &[("count", &total.to_string()), ("days", &days.to_string())],
    );
    let _ = write!(
        body,
        "<p>{}</p><figure class=\"chart-figure\">{}</figure><p><a href=\"{mount}/{lang}/downloads.csv?days={days}\" download>{}</a></p>",
        esc(&summary),
        chart(&counts, from, &title, &summary),
        t("admin-downloads-csv")
    );
    for (id, key, rows) in [
        (
            "per-document",
            "admin-downloads-per-document",
            totals(&counts, |c| cat.title_of(&c.document_id, lang)),
        ),
        (
            "per-company",
            "admin-downloads-per-company",
            totals(&counts, |c| {
                if c.company.is_empty() {
                    cat.t(lang, "admin-downloads-unknown", &[])
                } else {
                    c.company.clone()
                }
            }),
        ),
    ] {
        let _ = write!(
            body,
            "<h2 id=\"{id}\">{}</h2><div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-labelledby=\"{id}\"><table class=\"console-table\">\
             <thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
            t(key),
            t(if id == "per-document" {
                "admin-col-document"
            } else {
                "admin-col-company"
            }),
            t("admin-col-downloads")
        );
        for (name, n) in rows {
            let _ = write!(
                body,
                "<tr><th scope=\"row\">{}</th><td>{n}</td></tr>",
                esc(&name)
            );
        }
        body.push_str("</tbody></table></div>");
    }
    view::page(&portal, &admin, "downloads", &title, &body)
}

/// `GET /{lang}/downloads.csv?days=N`: day, document, company, downloads.
pub(crate) async fn downloads_csv(
    State(portal): State<Arc<Portal>>,
    admin: Admin,
    Query(q): Query<PeriodQuery>,
) -> Response {
    let from = start(period(&q));
    let counts = match portal
        .store
        .download_counts(&from.format("%Y-%m-%d").to_string())
        .await
    {
        Ok(c) => c,
        Err(e) => return failed(&admin.cat, &admin.lang, &e),
    };
    let mut csv = String::from("day,document,company,downloads\r\n");
    let cell = |s: &str| {
        // Quoted, and defused where a spreadsheet would run it as a formula.
        let risky = s.starts_with(['=', '+', '-', '@', '\t', '\r']);
        format!(
            "\"{}{}\"",
            if risky { "'" } else { "" },
            s.replace('"', "\"\"")
        )
    };
    for c in &counts {
        let _ = write!(
            csv,
            "{},{},{},{}\r\n",
            c.day,
            cell(&c.document_id),
            cell(&c.company),
            c.downloads
        );
    }
    let mut r = (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8")],
        csv,
    )
        .into_response();
    r.headers_mut().insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"downloads.csv\""),
    );
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chart_has_a_bar_per_day_with_downloads_and_a_text_alternative() {
        let today = Utc::now().date_naive();
        let day = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
        let counts = vec![
            DownloadCount {
                day: day(today),
                document_id: "a".into(),
                company: "X".into(),
                downloads: 4,
            },
            DownloadCount {
                day: day(today),
                document_id: "b".into(),
                company: "Y".into(),
                downloads: 2,
            },
            DownloadCount {
                day: day(today - Duration::days(3)),
                document_id: "a".into(),
                company: "X".into(),
                downloads: 3,
            },
        ];
        let svg = chart(
            &counts,
            today - Duration::days(29),
            "Downloads <x>",
            "9 in 30 days",
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("<title id=\"chart-title\">Downloads &lt;x&gt;</title>"));
        assert_eq!(svg.matches("<rect").count(), 2, "two days with downloads");
        assert!(svg.contains(&format!("{}: 6</title>", day(today))));
        assert!(svg.contains(">6</text>"), "the maximum is labelled");
        assert!(!svg.contains("style="), "no inline styles (CSP)");
    }
}
