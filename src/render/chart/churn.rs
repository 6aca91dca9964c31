//! Diverging bars for churn: lines added above the zero line, deleted below, and their alt text.

use super::axes::{self, Frame, HEIGHT, MIN_PX, PLOT_BOTTOM, PLOT_TOP, TITLE_Y};
use super::palette::{ADDED, DELETED};
use super::scale::{compact, nice};
use super::svg::{Anchor, FONT, PAD, Svg, WIDTH};
use super::text::width;
use super::{Chart, alt};

/// Value `i` of `values`, zero when missing.
fn at(values: &[u64], i: usize) -> u128 {
    u128::from(values.get(i).copied().unwrap_or(0))
}

/// "Wed 12 with 300", or "Wed 12 and Thu 13 with 300 each"; `None` when everything is zero.
fn peak(categories: &[String], values: &[u64]) -> Option<String> {
    let n = categories.len();
    let max = (0..n).map(|i| at(values, i)).max().unwrap_or(0);
    if max == 0 {
        return None;
    }
    let names: Vec<String> = (0..n)
        .filter(|&i| at(values, i) == max)
        .map(|i| alt::name(&categories[i], || format!("bar {}", i + 1)))
        .collect();
    Some(match names.len() {
        1 => format!("{} with {max}", names[0]),
        _ => format!("{} with {max} each", alt::names(&names, 4)),
    })
}

fn alt_text(title: &str, categories: &[String], added: &[u64], deleted: &[u64]) -> String {
    let t = alt::title(title);
    let n = categories.len();
    let sum = |v: &[u64]| (0..n).map(|i| at(v, i)).sum::<u128>();
    let (a, d) = (sum(added), sum(deleted));
    if a == 0 && d == 0 {
        return match n {
            0 => format!("{t}: no activity."),
            1 => format!("{t}: no activity in the 1 bar shown."),
            n => format!("{t}: no activity in any of the {n} bars."),
        };
    }
    let bars = if n == 1 {
        "1 bar".to_owned()
    } else {
        format!("{n} bars")
    };
    let net = if a >= d {
        format!("+{}", a - d)
    } else {
        format!("-{}", d - a)
    };
    let mut s = format!("{t}: {a} lines added and {d} deleted across {bars} (net {net})");
    if n > 1 {
        let most_added = peak(categories, added).unwrap_or_else(|| "none".to_owned());
        let most_deleted = peak(categories, deleted).unwrap_or_else(|| "none".to_owned());
        s.push_str(&format!(
            "; most added: {most_added}; most deleted: {most_deleted}"
        ));
    }
    s.push('.');
    s
}

pub(super) fn render(title: &str, categories: &[String], added: &[u64], deleted: &[u64]) -> Chart {
    let n = categories.len();
    let alt = alt_text(title, categories, added, deleted);
    let mut svg = Svg::new(WIDTH, HEIGHT, &alt::title(title), &alt);

    // Legend in the title row, right-aligned: "■ added  ■ deleted".
    let entries = [("added", "ca", ADDED), ("deleted", "cd", DELETED)];
    let legend_w: f64 = entries
        .iter()
        .map(|(l, _, _)| 16.0 + width(l, FONT) + 12.0)
        .sum();
    axes::title(&mut svg, title, WIDTH - 2.0 * PAD - legend_w - 12.0);

    let max_a = (0..n).map(|i| at(added, i)).max().unwrap_or(0);
    let max_d = (0..n).map(|i| at(deleted, i)).max().unwrap_or(0);
    if max_a == 0 && max_d == 0 {
        let frame = Frame {
            left: PAD,
            right: WIDTH - PAD,
            top: PLOT_TOP,
            bottom: PLOT_BOTTOM,
        };
        axes::no_activity(&mut svg, frame);
        axes::x_labels(&mut svg, frame, categories);
        return Chart {
            svg: svg.finish(),
            alt,
        };
    }
    let mut x = WIDTH - PAD - legend_w + 12.0;
    for (label, class, fill) in entries {
        svg.rect(x, TITLE_Y - 9.5, 10.0, 10.0, class, fill);
        svg.text(x + 16.0, TITLE_Y, Anchor::Start, FONT, label);
        x += 16.0 + width(label, FONT) + 12.0;
    }

    // One step for both directions, so equal lengths mean equal line counts.
    let (step, _) = nice(max_a + max_d, 6);
    let (up, down) = (max_a.div_ceil(step) * step, max_d.div_ceil(step) * step);
    let span = (up + down) as f64;
    let h = PLOT_BOTTOM - PLOT_TOP;
    let zero = PLOT_TOP + h * up as f64 / span;
    let px = |v: u128| h * v as f64 / span;

    let mut ticks: Vec<(f64, String)> = (0..=up / step)
        .rev()
        .map(|k| (zero - px(k * step), compact(k * step)))
        .collect();
    ticks.extend((1..=down / step).map(|k| {
        (
            zero + px(k * step),
            format!("\u{2212}{}", compact(k * step)),
        )
    }));
    let frame = Frame {
        left: PAD + axes::ticks_width(&ticks) + 8.0,
        right: WIDTH - PAD,
        top: PLOT_TOP,
        bottom: PLOT_BOTTOM,
    };
    axes::y_ticks(&mut svg, frame, &ticks);
    for i in 0..n {
        let (x, w) = frame.bar(i, n);
        let (a, d) = (at(added, i), at(deleted, i));
        if a > 0 {
            let h = px(a).max(MIN_PX);
            svg.rect(x, zero - h, w, h, "ca", ADDED);
        }
        if d > 0 {
            svg.rect(x, zero, w, px(d).max(MIN_PX), "cd", DELETED);
        }
    }
    svg.line(frame.left, zero, frame.right, zero, "ax");
    axes::x_labels(&mut svg, frame, categories);
    Chart {
        svg: svg.finish(),
        alt,
    }
}
