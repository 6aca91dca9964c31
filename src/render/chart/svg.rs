//! A minimal SVG writer: a fixed element vocabulary (rect, line, text), fixed one-decimal numbers,
//! every string XML-escaped. Nothing here can emit a script, a link or an event attribute.

use super::palette;
use super::text::xml;

/// Shared canvas width of every chart.
pub(crate) const WIDTH: f64 = 720.0;
/// Outer padding.
pub(crate) const PAD: f64 = 12.0;
/// Body text size in pixels (tick and category labels are one smaller).
pub(crate) const FONT: f64 = 12.0;
/// Title text size in pixels (bold).
pub(crate) const TITLE_FONT: f64 = 14.0;

/// Where a text's `x` sits relative to the text.
#[derive(Clone, Copy)]
pub(crate) enum Anchor {
    Start,
    Middle,
    End,
}

/// An SVG document being written.
pub(crate) struct Svg {
    out: String,
}

/// A coordinate with one decimal, never `-0` and never NaN or infinite.
pub(crate) fn num(v: f64) -> String {
    let v = if v.is_finite() {
        (v * 10.0).round() / 10.0
    } else {
        0.0
    };
    let v = if v == 0.0 { 0.0 } else { v };
    let s = format!("{v:.1}");
    match s.strip_suffix(".0") {
        Some(whole) => whole.to_owned(),
        None => s,
    }
}

impl Svg {
    /// Opens a `width`×`height` document whose accessible name is `title` and description `desc`.
    pub(crate) fn new(width: f64, height: f64, title: &str, desc: &str) -> Svg {
        let (w, h) = (num(width), num(height));
        let mut out = String::with_capacity(8 * 1024);
        out.push_str(&format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" \
             viewBox=\"0 0 {w} {h}\" role=\"img\" aria-labelledby=\"chart-title chart-desc\" \
             font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif\" \
             font-size=\"{}\">\n",
            num(FONT)
        ));
        out.push_str(&format!(
            "<title id=\"chart-title\">{}</title>\n<desc id=\"chart-desc\">{}</desc>\n",
            xml(title),
            xml(desc)
        ));
        out.push_str(&format!("<style>{}</style>\n", palette::stylesheet()));
        Svg { out }
    }

    /// A filled rectangle; negative sizes are clamped to zero.
    pub(crate) fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, class: &str, fill: &str) {
        self.out.push_str(&format!(
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" class=\"{}\" fill=\"{}\"/>\n",
            num(x),
            num(y),
            num(w.max(0.0)),
            num(h.max(0.0)),
            xml(class),
            xml(fill)
        ));
    }

    /// A one-pixel, pixel-snapped line in class `class` (`ax` for axes, `gr` for grid lines).
    pub(crate) fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, class: &str) {
        let opacity = if class == "gr" {
            " stroke-opacity=\"0.3\""
        } else {
            ""
        };
        self.out.push_str(&format!(
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" class=\"{}\" stroke=\"{}\"{opacity} shape-rendering=\"crispEdges\"/>\n",
            num(x1),
            num(y1),
            num(x2),
            num(y2),
            xml(class),
            palette::INK
        ));
    }

    /// Text in the ink colour at `size` pixels (`bold` for titles). `content` is escaped here.
    pub(crate) fn text(&mut self, x: f64, y: f64, anchor: Anchor, size: f64, content: &str) {
        let anchor = match anchor {
            Anchor::Start => "",
            Anchor::Middle => " text-anchor=\"middle\"",
            Anchor::End => " text-anchor=\"end\"",
        };
        let (class, size_attr) = if size == TITLE_FONT {
            (
                "fg t",
                format!(" font-size=\"{}\" font-weight=\"600\"", num(size)),
            )
        } else if size == FONT {
            ("fg", String::new())
        } else {
            ("fg", format!(" font-size=\"{}\"", num(size)))
        };
        self.out.push_str(&format!(
            "<text x=\"{}\" y=\"{}\"{anchor}{size_attr} class=\"{class}\" fill=\"{}\">{}</text>\n",
            num(x),
            num(y),
            palette::INK,
            xml(content)
        ));
    }

    /// Closes the document.
    pub(crate) fn finish(mut self) -> String {
        self.out.push_str("</svg>\n");
        self.out
    }
}
