//! Axis arithmetic: 1-2-5 tick steps and compact, exact tick labels.

/// A tick step from the 1-2-5 series (1, 2, 5, 10, 20, ...) and the axis top it implies: the
/// smallest step that covers `max` in at most `intervals` steps. `max == 0` gives `(1, 1)`.
pub(crate) fn nice(max: u128, intervals: u128) -> (u128, u128) {
    if max == 0 {
        return (1, 1);
    }
    let target = max.div_ceil(intervals.max(1));
    let mut magnitude: u128 = 1;
    let step = 'search: loop {
        for m in [1, 2, 5] {
            let step = magnitude.saturating_mul(m);
            if step >= target {
                break 'search step;
            }
        }
        if magnitude > u128::MAX / 10 {
            break target;
        }
        magnitude *= 10;
    };
    (step, max.div_ceil(step).saturating_mul(step))
}

/// `v` with an SI-style suffix (`1.5k`, `200M`, `2G`), exact to three decimals; plain below 1,000.
pub(crate) fn compact(v: u128) -> String {
    const SUFFIXES: [&str; 8] = ["k", "M", "G", "T", "P", "E", "Z", "Y"];
    if v < 1000 {
        return v.to_string();
    }
    let mut base: u128 = 1000;
    let mut suffix = SUFFIXES[0];
    for s in &SUFFIXES[1..] {
        if v / 1000 < base {
            break;
        }
        base *= 1000;
        suffix = s;
    }
    let whole = v / base;
    let frac = (v % base) * 1000 / base;
    if frac == 0 {
        format!("{whole}{suffix}")
    } else {
        let digits = format!("{frac:03}");
        format!("{whole}.{}{suffix}", digits.trim_end_matches('0'))
    }
}

/// `v` with comma thousands separators, for value labels drawn in the chart.
pub(crate) fn grouped(v: u128) -> String {
    let digits = v.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
