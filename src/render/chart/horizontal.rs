//! Horizontal bars, largest first, with the value at each bar's end, and their alt text.

use super::axes::{self, Frame, MIN_PX, PLOT_TOP, SMALL_FONT};
use super::palette;
use super::scale::grouped;
use super::svg::{Anchor, FONT, PAD, Svg, WIDTH};
use super::text::{clean, fit, width};
use super::{Chart, MAX_HORIZONTAL_ROWS, alt};

/// Height of one row and thickness of its bar.
const ROW: f64 = 22.0;
const BAR: f64 = 14.0;
/// The widest a row's name may be before it is cut.
const NAME_PX: f64 = 200.0;
/// The least height of the image, so a chart with one row or none still has room to breathe.
const MIN_HEIGHT: f64 = 120.0;

/// A row ready to draw: cleaned name and value.
struct Row {
    name: String,
    value: u128,
}

/// Rows sorted largest first, ties by name, then by input order.
fn sorted(rows: &[(String, u64)]) -> Vec<Row> {
    let mut out: Vec<Row> = rows
        .iter()
        .map(|(name, v)| Row {
            name: clean(name),
            value: u128::from(*v),
        })
        .collect();
    out.sort_by(|a, b| b.value.cmp(&a.value).then_with(|| a.name.cmp(&b.name)));
    out
}

fn alt_text(title: &str, rows: &[Row], shown: usize) -> String {
    let t = alt::title(title);
    let total: u128 = rows.iter().map(|r| r.value).sum();
    if total == 0 {
        return format!("{t}: no activity.");
    }
    let entries = if rows.len() == 1 {
        "1 entry".to_owned()
    } else {
        format!("{} entries", rows.len())
    };
    let mut s = format!("{t}: {total} in total from {entries}");
    let items: Vec<String> = rows[..shown]
        .iter()
        .map(|r| {
            format!(
                "{} {}",
                alt::name(&r.name, || "unnamed".to_owned()),
                r.value
            )
        })
        .collect();
    if shown == 0 {
        s.push_str("; none shown.");
        return s;
    }
    if shown > 1 {
        s.push_str("; largest first");
    }
    s.push_str(&format!(": {}", items.join(", ")));
    let rest = &rows[shown..];
    if !rest.is_empty() {
        let rest_total: u128 = rest.iter().map(|r| r.value).sum();
        let more = if rest.len() == 1 {
            "1 more entry".to_owned()
        } else {
            format!("{} more entries", rest.len())
        };
        s.push_str(&format!("; {more} not shown ({rest_total} in total)"));
    }
    s.push('.');
    s
}

pub(super) fn render(title: &str, rows: &[(String, u64)], max_rows: usize) -> Chart {
    let rows = sorted(rows);
    let shown = rows.len().min(max_rows).min(MAX_HORIZONTAL_ROWS);
    let alt = alt_text(title, &rows, shown);
    let total: u128 = rows.iter().map(|r| r.value).sum();
    let rest = &rows[shown..];
    let footer = if rest.is_empty() { 0.0 } else { ROW };
    let height = (PLOT_TOP + ROW * shown as f64 + footer + PAD).max(MIN_HEIGHT);
    let mut svg = Svg::new(WIDTH, height, &alt::title(title), &alt);
    axes::title(&mut svg, title, WIDTH - 2.0 * PAD);
    if total == 0 {
        let frame = Frame {
            left: PAD,
            right: WIDTH - PAD,
            top: PLOT_TOP,
            bottom: height - PAD - 10.0,
        };
        axes::no_activity(&mut svg, frame);
        return Chart {
            svg: svg.finish(),
            alt,
        };
    }

    let names: Vec<String> = rows[..shown]
        .iter()
        .map(|r| {
            fit(
                if r.name.is_empty() {
                    "unnamed"
                } else {
                    &r.name
                },
                NAME_PX,
                FONT,
            )
        })
        .collect();
    let values: Vec<String> = rows[..shown].iter().map(|r| grouped(r.value)).collect();
    let name_w = names.iter().map(|l| width(l, FONT)).fold(0.0, f64::max);
    let value_w = values.iter().map(|l| width(l, FONT)).fold(0.0, f64::max);
    let x0 = PAD + name_w + 8.0;
    let room = WIDTH - PAD - value_w - 6.0 - x0;
    let max = rows.first().map_or(0, |r| r.value).max(1);

    for (j, (row, (name, value))) in rows.iter().zip(names.iter().zip(&values)).enumerate() {
        let mid = PLOT_TOP + ROW * j as f64 + ROW / 2.0;
        let len = room * row.value as f64 / max as f64;
        let len = if row.value > 0 { len.max(MIN_PX) } else { 0.0 };
        svg.text(x0 - 8.0, mid + 4.0, Anchor::End, FONT, name);
        svg.rect(
            x0,
            mid - BAR / 2.0,
            len,
            BAR,
            &palette::series_class(0),
            palette::series_fill(0),
        );
        svg.text(x0 + len + 6.0, mid + 4.0, Anchor::Start, FONT, value);
    }
    if !rest.is_empty() {
        let rest_total: u128 = rest.iter().map(|r| r.value).sum();
        let more = if rest.len() == 1 {
            "1 more".to_owned()
        } else {
            format!("{} more", rest.len())
        };
        let y = PLOT_TOP + ROW * shown as f64 + ROW / 2.0 + 4.0;
        let note = format!("+ {more} ({} in total)", grouped(rest_total));
        svg.text(x0, y, Anchor::Start, SMALL_FONT, &note);
    }
    Chart {
        svg: svg.finish(),
        alt,
    }
}
