//! Stacked vertical bars with a legend, folding small series into "others", and their alt text.

use super::axes::{self, Frame, HEIGHT, MIN_PX, PLOT_BOTTOM, PLOT_TOP};
use super::palette::{self, OTHERS};
use super::scale::{compact, nice};
use super::svg::{Anchor, FONT, PAD, Svg, WIDTH};
use super::text::{clean, fit, width};
use super::{Chart, MAX_SERIES, Series, alt};

/// The widest a legend name may be before it is cut.
const LEGEND_NAME_PX: f64 = 130.0;
/// Height of one legend row.
const LEGEND_ROW: f64 = 18.0;

/// One drawn layer of the stack: a kept series, or the folded "others".
struct Band {
    /// The cleaned name; for "others", empty.
    name: String,
    values: Vec<u128>,
    total: u128,
    /// Palette slot, or `None` for "others".
    slot: Option<usize>,
}

/// Keeps every series when there are at most [`MAX_SERIES`]; otherwise the largest by total (ties
/// to the earlier) stay in input order and the rest are summed into a last "others" band.
/// Returns the bands and how many series were folded.
fn fold(series: &[Series], n: usize) -> (Vec<Band>, usize) {
    let values = |s: &Series| -> Vec<u128> {
        (0..n)
            .map(|i| u128::from(s.values.get(i).copied().unwrap_or(0)))
            .collect()
    };
    let totals: Vec<u128> = series.iter().map(|s| values(s).iter().sum()).collect();
    let mut keep = vec![true; series.len()];
    if series.len() > MAX_SERIES {
        let mut order: Vec<usize> = (0..series.len()).collect();
        order.sort_by(|&a, &b| totals[b].cmp(&totals[a]).then(a.cmp(&b)));
        for &i in &order[MAX_SERIES - 1..] {
            keep[i] = false;
        }
    }
    let mut bands = Vec::new();
    let mut others = vec![0u128; n];
    let mut folded = 0;
    for (i, s) in series.iter().enumerate() {
        let v = values(s);
        if keep[i] {
            let slot = Some(bands.len());
            bands.push(Band {
                name: clean(&s.name),
                values: v,
                total: totals[i],
                slot,
            });
        } else {
            folded += 1;
            for (o, x) in others.iter_mut().zip(v) {
                *o += x;
            }
        }
    }
    if folded > 0 {
        let total = others.iter().sum();
        bands.push(Band {
            name: String::new(),
            values: others,
            total,
            slot: None,
        });
    }
    (bands, folded)
}

/// How a band is called in the legend.
fn legend_name(band: &Band, folded: usize) -> String {
    match band.slot {
        None => format!("{folded} others"),
        Some(_) if band.name.is_empty() => "unnamed".to_owned(),
        Some(_) => band.name.clone(),
    }
}

/// "api 6, web 3, 2 from 4 other series": non-zero bands, largest first, "others" last.
fn breakdown(bands: &[Band], value: impl Fn(&Band) -> u128, folded: usize) -> String {
    let mut items: Vec<(&Band, u128)> = bands
        .iter()
        .map(|b| (b, value(b)))
        .filter(|(_, v)| *v > 0)
        .collect();
    items.sort_by(|a, b| (a.0.slot.is_none(), b.1).cmp(&(b.0.slot.is_none(), a.1)));
    let parts: Vec<String> = items
        .iter()
        .map(|(b, v)| match b.slot {
            None => format!("{v} from {folded} other series"),
            Some(_) => format!("{} {v}", alt::name(&b.name, || "unnamed".to_owned())),
        })
        .collect();
    parts.join(", ")
}

fn alt_text(
    title: &str,
    categories: &[String],
    bands: &[Band],
    columns: &[u128],
    folded: usize,
) -> String {
    let t = alt::title(title);
    let n = categories.len();
    let total: u128 = columns.iter().sum();
    if total == 0 {
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
    let mut s = format!("{t}: {total} in total across {bars}");
    if bands.len() > 1 {
        s.push_str(&format!(" ({})", breakdown(bands, |b| b.total, folded)));
    }
    let max = columns.iter().copied().max().unwrap_or(0);
    let tops: Vec<usize> = (0..n).filter(|&i| columns[i] == max).collect();
    let cat = |i: usize| alt::name(&categories[i], || format!("bar {}", i + 1));
    if n > 1 {
        if let [i] = tops[..] {
            s.push_str(&format!("; highest: {} with {max}", cat(i)));
            if bands.len() > 1 {
                s.push_str(&format!(" ({})", breakdown(bands, |b| b.values[i], folded)));
            }
        } else {
            let names: Vec<String> = tops.iter().map(|&i| cat(i)).collect();
            s.push_str(&format!(
                "; highest: {} with {max} each",
                alt::names(&names, 4)
            ));
        }
    }
    s.push('.');
    s
}

pub(super) fn render(title: &str, categories: &[String], series: &[Series]) -> Chart {
    let n = categories.len();
    let (bands, folded) = fold(series, n);
    let columns: Vec<u128> = (0..n)
        .map(|i| bands.iter().map(|b| b.values[i]).sum())
        .collect();
    let alt = alt_text(title, categories, &bands, &columns, folded);
    let mut svg = Svg::new(WIDTH, HEIGHT, &alt::title(title), &alt);
    axes::title(&mut svg, title, WIDTH - 2.0 * PAD);

    let max = columns.iter().copied().max().unwrap_or(0);
    if max == 0 {
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

    let legend: Vec<String> = bands
        .iter()
        .map(|b| fit(&legend_name(b, folded), LEGEND_NAME_PX, FONT))
        .collect();
    let legend_w = 16.0 + legend.iter().map(|l| width(l, FONT)).fold(0.0, f64::max);
    let legend_x = WIDTH - PAD - legend_w;

    let (step, top) = nice(max, 5);
    let y = |v: u128| PLOT_BOTTOM - (v as f64 / top as f64) * (PLOT_BOTTOM - PLOT_TOP);
    let ticks: Vec<(f64, String)> = (0..=top / step)
        .map(|k| (y(k * step), compact(k * step)))
        .collect();
    let frame = Frame {
        left: PAD + axes::ticks_width(&ticks) + 8.0,
        right: legend_x - 20.0,
        top: PLOT_TOP,
        bottom: PLOT_BOTTOM,
    };
    axes::y_ticks(&mut svg, frame, &ticks);

    for i in 0..n {
        let (x, w) = frame.bar(i, n);
        let mut below = 0u128;
        let mut y0 = y(0);
        for band in &bands {
            let v = band.values[i];
            if v == 0 {
                continue;
            }
            below += v;
            // A non-zero value stays visible: at least one pixel, the next layer starting above it.
            let y1 = y(below).min(y0 - MIN_PX).max(PLOT_TOP);
            // A hairline of background between layers keeps neighbouring colours apart.
            let gap = if y0 < y(0) && y0 - y1 > 2.0 { 1.0 } else { 0.0 };
            let (class, fill) = band_colour(band);
            svg.rect(x, y1, w, y0 - y1 - gap, &class, fill);
            y0 = y1;
        }
    }
    svg.line(frame.left, frame.bottom, frame.right, frame.bottom, "ax");
    axes::x_labels(&mut svg, frame, categories);

    for (j, (band, name)) in bands.iter().zip(&legend).enumerate() {
        let row_y = PLOT_TOP + 2.0 + LEGEND_ROW * j as f64;
        let (class, fill) = band_colour(band);
        svg.rect(legend_x, row_y, 10.0, 10.0, &class, fill);
        svg.text(legend_x + 16.0, row_y + 9.5, Anchor::Start, FONT, name);
    }
    Chart {
        svg: svg.finish(),
        alt,
    }
}

/// Style class and base fill of a band.
fn band_colour(band: &Band) -> (String, &'static str) {
    match band.slot {
        Some(i) => (palette::series_class(i), palette::series_fill(i)),
        None => ("co".to_owned(), OTHERS),
    }
}
