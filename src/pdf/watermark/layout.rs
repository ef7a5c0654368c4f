//! Where the stamp goes and how it is drawn: the visible area of a page and how the page is
//! turned ([`PageGeometry`]), and the content stream that draws the diagonal mark and the
//! recipient line upright inside it ([`stamp_content`]).

use std::fmt::Write as _;

use lopdf::{Document, Object, ObjectId};

use super::edit::{OpenState, inherited, number};
use super::glyphs::{self, Glyph, Typeset};
use crate::pdf::text::num;

/// Font size of the stamp line, in points, when it fits the page width.
pub(super) const LINE_FONT_SIZE: f64 = 7.0;
/// Smallest font size of the stamp line; a line that does not fit at this size is shortened.
pub(super) const MIN_LINE_FONT_SIZE: f64 = 4.0;
/// Grey level of the stamp line (0 = black, 1 = white).
pub(super) const LINE_GREY: f64 = 0.35;
/// Grey level of the outline of the diagonal mark.
pub(super) const MARK_GREY: f64 = 0.75;
/// Page size assumed when a page has no usable MediaBox (US Letter, as PDF readers do).
pub(super) const DEFAULT_PAGE_BOX: PageBox = PageBox {
    x0: 0.0,
    y0: 0.0,
    x1: 612.0,
    y1: 792.0,
};

/// A rectangle in default user space, normalised so that `x0 < x1` and `y0 < y1`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct PageBox {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

impl PageBox {
    /// The rectangle in page attribute `key`, if it is present and sensible.
    pub(super) fn read(doc: &Document, page_id: ObjectId, key: &[u8]) -> Option<PageBox> {
        let (_, value) = inherited(doc, page_id, key)?;
        let (_, value) = doc.dereference(value).ok()?;
        let Object::Array(items) = value else {
            return None;
        };
        let [a, b, c, d] = items.as_slice() else {
            return None;
        };
        let [a, b, c, d] = [a, b, c, d].map(|item| number(doc, item));
        PageBox::new(a?, b?, c?, d?)
    }

    /// A normalised box from two corners, if it has an area and sane coordinates.
    pub(super) fn new(a: f64, b: f64, c: f64, d: f64) -> Option<PageBox> {
        // The PDF specification's implementation limits are far below this; larger numbers are
        // garbage, and would make the stamp's arithmetic meaningless.
        const LIMIT: f64 = 1.0e7;
        if [a, b, c, d]
            .iter()
            .any(|v| !v.is_finite() || v.abs() > LIMIT)
        {
            return None;
        }
        let page_box = PageBox {
            x0: a.min(c),
            y0: b.min(d),
            x1: a.max(c),
            y1: b.max(d),
        };
        (page_box.width() >= 1.0 && page_box.height() >= 1.0).then_some(page_box)
    }

    pub(super) fn width(&self) -> f64 {
        self.x1 - self.x0
    }

    pub(super) fn height(&self) -> f64 {
        self.y1 - self.y0
    }

    /// The overlap of two boxes, if they overlap.
    pub(super) fn intersect(&self, other: &PageBox) -> Option<PageBox> {
        let (x0, y0) = (self.x0.max(other.x0), self.y0.max(other.y0));
        let (x1, y1) = (self.x1.min(other.x1), self.y1.min(other.y1));
        // Checked before `new`, which would turn swapped corners into a box.
        if x0 < x1 && y0 < y1 {
            PageBox::new(x0, y0, x1, y1)
        } else {
            None
        }
    }
}

/// Where a page is visible and how it is turned.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct PageGeometry {
    /// The visible part of the page: CropBox clipped to MediaBox.
    visible: PageBox,
    /// Clockwise rotation when displayed: 0, 90, 180 or 270.
    pub(super) rotate: i64,
}

impl PageGeometry {
    /// The geometry of a page, with defaults for missing or nonsensical attributes.
    pub(super) fn of(doc: &Document, page_id: ObjectId) -> PageGeometry {
        let media = PageBox::read(doc, page_id, b"MediaBox").unwrap_or(DEFAULT_PAGE_BOX);
        let visible = PageBox::read(doc, page_id, b"CropBox")
            .and_then(|crop| crop.intersect(&media))
            .unwrap_or(media);
        let rotate = inherited(doc, page_id, b"Rotate")
            .and_then(|(_, value)| number(doc, value))
            .filter(|degrees| degrees.fract() == 0.0 && degrees.abs() < 1.0e6)
            // The cast is exact: the value is a whole number well inside i64.
            .map(|degrees| (degrees as i64).rem_euclid(360))
            .filter(|degrees| degrees % 90 == 0)
            .unwrap_or(0);
        PageGeometry { visible, rotate }
    }

    /// Width and height of the page as displayed (swapped for a quarter turn).
    pub(super) fn display_size(&self) -> (f64, f64) {
        let (width, height) = (self.visible.width(), self.visible.height());
        if self.rotate % 180 == 0 {
            (width, height)
        } else {
            (height, width)
        }
    }

    /// The `cm` matrix that maps display coordinates (origin at the bottom left of the page as
    /// the reader shows it, x to the right, y up) to default user space.
    pub(super) fn display_matrix(&self) -> [f64; 6] {
        let PageBox { x0, y0, x1, y1 } = self.visible;
        match self.rotate {
            90 => [0.0, 1.0, -1.0, 0.0, x1, y0],
            180 => [-1.0, 0.0, 0.0, -1.0, x1, y1],
            270 => [0.0, -1.0, 1.0, 0.0, x0, y1],
            _ => [1.0, 0.0, 0.0, 1.0, x0, y0],
        }
    }
}

/// The content stream appended to a page: closes what the page left open, restores the state
/// saved before the page's content, and draws the diagonal mark and the stamp line upright in
/// the visible area. `fonts` holds the page's resource name of each font of `typeset.subsets`.
pub(super) fn stamp_content(
    geometry: &PageGeometry,
    open: &OpenState,
    fonts: &[Vec<u8>],
    typeset: &Typeset,
) -> Vec<u8> {
    let mut out = String::from("\n");
    if open.in_text {
        out.push_str("ET\n");
    }
    for _ in 0..open.saved_states {
        out.push_str("Q\n");
    }
    // Restores the state saved by the `q` in front of the page's content.
    out.push_str("Q\nq\n");
    let matrix = geometry.display_matrix().map(num).join(" ");
    let _ = writeln!(out, "{matrix} cm");
    let (width, height) = geometry.display_size();

    // Diagonal mark: outlined, light grey, across the middle of the page.
    let mark_width = glyphs::width(&typeset.mark).max(0.001);
    let diagonal = width.hypot(height);
    let mark_size = (0.55 * diagonal / mark_width).min(0.4 * width.min(height));
    let angle = height.atan2(width);
    let (sin, cos) = angle.sin_cos();
    let half_width = mark_width * mark_size / 2.0;
    let half_cap = typeset.cap_height / 1000.0 * mark_size / 2.0;
    let mark_x = width / 2.0 - (half_width * cos - half_cap * sin);
    let mark_y = height / 2.0 - (half_width * sin + half_cap * cos);
    let _ = writeln!(
        out,
        "q {grey} G {line_width} w 1 J 1 j [] 0 d\nBT 0 Tc 0 Tw 100 Tz 0 Ts 1 Tr {tm} Tm",
        grey = num(MARK_GREY),
        line_width = num((mark_size / 60.0).clamp(0.3, 2.0)),
        tm = [cos, sin, -sin, cos, mark_x, mark_y].map(num).join(" "),
    );
    push_runs(&mut out, &typeset.mark, fonts, mark_size);
    out.push_str("ET Q\n");

    // The recipient line, centred along the bottom edge.
    let margin = (width * 0.05).clamp(1.0, 36.0);
    let available = (width - 2.0 * margin).max(1.0);
    let full_width = glyphs::width(&typeset.line);
    let mut size = LINE_FONT_SIZE;
    let mut shown = typeset.line.clone();
    if full_width * size > available {
        size = (available / full_width).max(MIN_LINE_FONT_SIZE);
        if full_width * size > available {
            // Too long even in the smallest size: shorten, ending in an ellipsis.
            let mut shown_width = full_width;
            let ellipsis = typeset.ellipsis.width / 1000.0;
            while (shown_width + ellipsis) * size > available {
                let Some(last) = shown.pop() else {
                    break;
                };
                shown_width -= last.width / 1000.0;
            }
            shown.push(typeset.ellipsis);
        }
    }
    let x = ((width - glyphs::width(&shown) * size) / 2.0).max(0.0);
    let y = (height * 0.015).clamp(1.0, 12.0);
    let _ = writeln!(
        out,
        "{grey} g\nBT 0 Tc 0 Tw 100 Tz 0 Ts 0 Tr 1 0 0 1 {x} {y} Tm",
        grey = num(LINE_GREY),
        x = num(x),
        y = num(y),
    );
    push_runs(&mut out, &shown, fonts, size);
    out.push_str("ET\nQ\n");
    out.into_bytes()
}

/// Writes `glyphs` as one `Tf` and one `Tj` of two-byte CIDs (a hex string) per run of glyphs
/// from the same font.
fn push_runs(out: &mut String, glyphs: &[Glyph], fonts: &[Vec<u8>], size: f64) {
    for run in glyphs.chunk_by(|a, b| a.font == b.font) {
        let Some(name) = run.first().and_then(|glyph| fonts.get(glyph.font)) else {
            continue;
        };
        let _ = write!(out, "/{} {} Tf <", String::from_utf8_lossy(name), num(size));
        for glyph in run {
            let _ = write!(out, "{:04X}", glyph.cid);
        }
        out.push_str("> Tj\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    pub(super) fn display_matrix_maps_the_displayed_bottom_left_corner_for_each_rotation() {
        let visible = PageBox::new(10.0, 20.0, 110.0, 220.0).unwrap();
        let corner = |rotate| {
            let [a, b, c, d, e, f] = PageGeometry { visible, rotate }.display_matrix();
            // Display (0, 0) and (1, 0): the origin and the direction text runs in.
            ((e, f), (a + e, b + f), (c, d))
        };
        // Upright: bottom left, text to the right.
        assert_eq!(corner(0), ((10.0, 20.0), (11.0, 20.0), (0.0, 1.0)));
        // Turned clockwise: the displayed bottom edge is the right edge, read upwards.
        assert_eq!(corner(90), ((110.0, 20.0), (110.0, 21.0), (-1.0, 0.0)));
        assert_eq!(corner(180), ((110.0, 220.0), (109.0, 220.0), (0.0, -1.0)));
        assert_eq!(corner(270), ((10.0, 220.0), (10.0, 219.0), (1.0, 0.0)));
        let turned = PageGeometry {
            visible,
            rotate: 90,
        };
        assert_eq!(turned.display_size(), (200.0, 100.0));
    }

    #[test]
    fn page_boxes_reject_nonsense() {
        assert_eq!(PageBox::new(0.0, 0.0, 0.0, 100.0), None);
        assert_eq!(PageBox::new(0.0, 0.0, f64::INFINITY, 100.0), None);
        assert_eq!(PageBox::new(0.0, 0.0, 1.0e30, 100.0), None);
        assert_eq!(
            PageBox::new(595.0, 842.0, 0.0, 0.0),
            Some(PageBox {
                x0: 0.0,
                y0: 0.0,
                x1: 595.0,
                y1: 842.0
            })
        );
        let a = PageBox::new(0.0, 0.0, 100.0, 100.0).unwrap();
        let b = PageBox::new(200.0, 200.0, 300.0, 300.0).unwrap();
        assert_eq!(a.intersect(&b), None);
    }
}
