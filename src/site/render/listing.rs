//! What keeps a page's size independent of its section's size: the side navigation's window
//! over a large section, and the pagination of a section's listing.

use std::ops::Range;

use serde::Serialize;

/// Sections with at most this many pages list them all in the side navigation.
pub const SIDEBAR_ALL_UP_TO: usize = 50;

/// In larger sections the side navigation shows the current page with this many neighbours on
/// each side (more on one side near the ends), and a link to the listing page that holds it.
pub const SIDEBAR_AROUND: usize = 10;

/// The positions (in the section's order) of the pages that the side navigation lists on the
/// page at position `at` of a section of `len` pages (`None`: the section's own page).
pub fn sidebar_window(len: usize, at: Option<usize>) -> Range<usize> {
    if len <= SIDEBAR_ALL_UP_TO {
        return 0..len;
    }
    let width = 2 * SIDEBAR_AROUND + 1;
    let start = at
        .map_or(0, |at| at.saturating_sub(SIDEBAR_AROUND))
        .min(len - width);
    start..start + width
}

/// The listing page (from 1) that shows the page at position `at` when each shows `per_page`.
pub fn listing_number(at: usize, per_page: Option<usize>) -> usize {
    per_page.map_or(1, |n| at / n + 1)
}

/// Which of a section's pages listing page `number` (from 1) shows.
pub fn listing_range(len: usize, per_page: Option<usize>, number: usize) -> Range<usize> {
    match per_page {
        None => 0..len,
        Some(n) => {
            let start = (number.saturating_sub(1) * n).min(len);
            start..(start + n).min(len)
        }
    }
}

/// The pager of a paginated listing, as templates see it (`paginator`).
#[derive(Debug, Serialize)]
pub struct Paginator {
    /// This listing page's number, from 1.
    pub number: usize,
    /// How many listing pages there are.
    pub total: usize,
    /// How many pages the section lists in all.
    pub items: usize,
    /// The position (from 1) of the first and last page listed here.
    pub first_item: usize,
    /// See `first_item`.
    pub last_item: usize,
    /// URL of the previous listing page, if any.
    pub prev: Option<String>,
    /// Permalink of the previous listing page, for `<link rel="prev">`.
    pub prev_permalink: Option<String>,
    /// URL of the next listing page, if any.
    pub next: Option<String>,
    /// Permalink of the next listing page, for `<link rel="next">`.
    pub next_permalink: Option<String>,
    /// The numbered links: the first and last page, the current one with two on each side, and
    /// gaps (`number: None`) between.
    pub pages: Vec<PagerLink>,
}

/// One entry of [`Paginator::pages`].
#[derive(Debug, Serialize)]
pub struct PagerLink {
    /// The listing page's number, or `None` for a gap.
    pub number: Option<usize>,
    /// Its URL (empty for a gap).
    pub url: String,
    /// Whether it is the page being rendered.
    pub current: bool,
}

impl Paginator {
    /// The pager of listing page `number` of `total`, over `items` pages, `per_page` each;
    /// `url(n)` and `permalink(n)` say where listing page `n` is.
    pub fn new(
        number: usize,
        total: usize,
        items: usize,
        per_page: usize,
        url: impl Fn(usize) -> String,
        permalink: impl Fn(usize) -> String,
    ) -> Paginator {
        let shown = pager_numbers(number, total);
        let mut pages = Vec::with_capacity(shown.len() + 2);
        let mut last = 0;
        for n in shown {
            if n > last + 1 {
                pages.push(PagerLink {
                    number: None,
                    url: String::new(),
                    current: false,
                });
            }
            pages.push(PagerLink {
                number: Some(n),
                url: url(n),
                current: n == number,
            });
            last = n;
        }
        let range = listing_range(items, Some(per_page), number);
        Paginator {
            number,
            total,
            items,
            first_item: range.start + 1,
            last_item: range.end,
            prev: (number > 1).then(|| url(number - 1)),
            prev_permalink: (number > 1).then(|| permalink(number - 1)),
            next: (number < total).then(|| url(number + 1)),
            next_permalink: (number < total).then(|| permalink(number + 1)),
            pages,
        }
    }
}

/// The listing pages a pager names on page `number` of `total`: the first, the last, and the
/// current with two on each side.
fn pager_numbers(number: usize, total: usize) -> Vec<usize> {
    let mut out: Vec<usize> = [1, total]
        .into_iter()
        .chain(number.saturating_sub(2).max(1)..=(number + 2).min(total))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_sections_list_every_page_and_large_ones_a_window_of_fixed_size() {
        assert_eq!(sidebar_window(0, None), 0..0);
        assert_eq!(sidebar_window(50, Some(49)), 0..50);
        let width = 2 * SIDEBAR_AROUND + 1;
        for len in [51, 52, 1_000, 10_000] {
            for at in [
                None,
                Some(0),
                Some(1),
                Some(25),
                Some(len / 2),
                Some(len - 1),
            ] {
                let w = sidebar_window(len, at);
                assert_eq!(w.len(), width, "{len} {at:?}");
                assert!(w.end <= len);
                if let Some(at) = at {
                    assert!(w.contains(&at), "{len} {at}: {w:?}");
                }
            }
        }
        assert_eq!(sidebar_window(1_000, Some(500)), 490..511);
        assert_eq!(sidebar_window(1_000, Some(999)), 979..1_000);
    }

    #[test]
    fn listing_pages_split_the_section_in_order() {
        assert_eq!(listing_range(0, Some(10), 1), 0..0);
        assert_eq!(listing_range(10, Some(10), 1), 0..10);
        assert_eq!(listing_range(11, Some(10), 2), 10..11);
        assert_eq!(listing_range(11, None, 1), 0..11);
        assert_eq!(listing_number(9, Some(10)), 1);
        assert_eq!(listing_number(10, Some(10)), 2);
        assert_eq!(listing_number(10, None), 1);
    }

    #[test]
    fn the_pager_names_the_ends_the_neighbourhood_and_gaps() {
        let p = Paginator::new(
            6,
            20,
            200,
            10,
            |n| format!("/s/{n}/"),
            |n| format!("https://x/s/{n}/"),
        );
        let numbers: Vec<Option<usize>> = p.pages.iter().map(|l| l.number).collect();
        assert_eq!(
            numbers,
            [
                Some(1),
                None,
                Some(4),
                Some(5),
                Some(6),
                Some(7),
                Some(8),
                None,
                Some(20)
            ]
        );
        assert!(
            p.pages
                .iter()
                .filter(|l| l.current)
                .all(|l| l.number == Some(6))
        );
        assert_eq!(p.prev.as_deref(), Some("/s/5/"));
        assert_eq!(p.next_permalink.as_deref(), Some("https://x/s/7/"));
        assert_eq!((p.first_item, p.last_item), (51, 60));
        let first = Paginator::new(1, 2, 11, 10, |n| n.to_string(), |n| n.to_string());
        assert_eq!(first.prev, None);
        assert_eq!(first.pages.len(), 2);
        let last = Paginator::new(2, 2, 11, 10, |n| n.to_string(), |n| n.to_string());
        assert_eq!(last.next, None);
        assert_eq!((last.first_item, last.last_item), (11, 11));
    }
}
