//! The frame shared by the vertical charts: title, value ticks with grid lines, category labels
//! that thin out when crowded, and the "no activity" placeholder.

use super::svg::{Anchor, FONT, PAD, Svg, TITLE_FONT, WIDTH};
use super::text::{clean, fit, width};

/// Height of the vertical charts.
pub(crate) const HEIGHT: f64 = 280.0;
/// Baseline of the title row.
pub(crate) const TITLE_Y: f64 = 22.0;
/// Top of the plotting area (below the title row).
pub(crate) const PLOT_TOP: f64 = 44.0;
/// Bottom of the plotting area (above the category labels).
pub(crate) const PLOT_BOTTOM: f64 = 246.0;
/// The least length of a bar for a non-zero value, so small values never vanish.
pub(crate) const MIN_PX: f64 = 1.0;
/// Size of tick and category labels.
pub(crate) const SMALL_FONT: f64 = 11.0;
/// Bold text runs wider than the estimate for regular text (DejaVu Sans Bold: 1.12 on average).
const BOLD: f64 = 1.15;
/// Least space between two category labels.
const LABEL_GAP: f64 = 8.0;
/// The widest a category label may be before it is cut.
const MAX_CATEGORY_PX: f64 = 90.0;

/// The plotting area, in pixels.
#[derive(Clone, Copy)]
pub(crate) struct Frame {
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
}

impl Frame {
    /// Width of one category's slot when `n` categories share the frame.
    pub(crate) fn slot(&self, n: usize) -> f64 {
        (self.right - self.left) / n.max(1) as f64
    }

    /// Left edge and width of bar `i` of `n`, centred in its slot.
    pub(crate) fn bar(&self, i: usize, n: usize) -> (f64, f64) {
        let slot = self.slot(n);
        let w = (slot * 0.7).clamp(1.0, 44.0).min(slot);
        (self.left + slot * i as f64 + (slot - w) / 2.0, w)
    }
}

/// Draws the chart title at the top left, cut to `max_px`.
pub(crate) fn title(svg: &mut Svg, title: &str, max_px: f64) {
    let t = fit(&clean(title), max_px / BOLD, TITLE_FONT);
    svg.text(PAD, TITLE_Y, Anchor::Start, TITLE_FONT, &t);
}

/// Space the value labels need left of the frame.
pub(crate) fn ticks_width(labels: &[(f64, String)]) -> f64 {
    labels
        .iter()
        .map(|(_, l)| width(l, SMALL_FONT))
        .fold(0.0, f64::max)
}

/// Grid lines and right-aligned value labels at the given heights.
pub(crate) fn y_ticks(svg: &mut Svg, frame: Frame, ticks: &[(f64, String)]) {
    for (y, label) in ticks {
        svg.line(frame.left, *y, frame.right, *y, "gr");
        svg.text(frame.left - 6.0, y + 4.0, Anchor::End, SMALL_FONT, label);
    }
}

/// Category labels under the frame, centred on their bars. When they would collide, only every
/// k-th is drawn (the first always), and any that would still touch its neighbour (near the
/// canvas edges, where labels are pushed inwards) is left out.
pub(crate) fn x_labels(svg: &mut Svg, frame: Frame, categories: &[String]) {
    let n = categories.len();
    let labels: Vec<String> = categories
        .iter()
        .map(|c| fit(&clean(c), MAX_CATEGORY_PX, SMALL_FONT))
        .collect();
    let widest = labels
        .iter()
        .map(|l| width(l, SMALL_FONT))
        .fold(0.0, f64::max);
    let every = (((widest + LABEL_GAP) / frame.slot(n)).ceil() as usize).max(1);
    let mut free_from = f64::MIN;
    for (i, label) in labels.iter().enumerate().step_by(every) {
        let (x, w) = frame.bar(i, n);
        let half = width(label, SMALL_FONT) / 2.0;
        let x = (x + w / 2.0).clamp(PAD / 2.0 + half, WIDTH - PAD / 2.0 - half);
        if x - half < free_from {
            continue;
        }
        free_from = x + half + LABEL_GAP;
        svg.text(x, frame.bottom + 16.0, Anchor::Middle, SMALL_FONT, label);
    }
}

/// The baseline and a centred "no activity" note, for charts with nothing to draw.
pub(crate) fn no_activity(svg: &mut Svg, frame: Frame) {
    svg.line(frame.left, frame.bottom, frame.right, frame.bottom, "ax");
    let y = (frame.top + frame.bottom) / 2.0;
    svg.text(
        (frame.left + frame.right) / 2.0,
        y,
        Anchor::Middle,
        FONT + 1.0,
        "no activity",
    );
}
