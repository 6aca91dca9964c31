//! The claim reader: walks the scanned tokens of an answer and records claims, reading a
//! number with its hedge and unit, a month with its day and year, and capitalised runs as names.

use jiff::civil::Date;

use super::claims::{Claim, What};
use super::scan::{Tok, Token};
use super::words::{self, HEDGES, Hedge, Kind, UNITS};

/// Words that may stand between a number and its unit ("3 merged pull requests").
const NOT_FILLER: &str = "of in to from and or by on at for with across over than per each the a \
     an this that these those its their was were is are be been as";

pub(super) struct Reader<'a> {
    pub t: &'a [Token],
    pub used: Vec<bool>,
    pub out: Vec<Claim>,
}

impl Reader<'_> {
    pub(super) fn word(&self, i: usize) -> Option<String> {
        match self.t.get(i).map(|t| &t.tok) {
            Some(Tok::Word(w)) if !self.used[i] => Some(w.to_lowercase()),
            _ => None,
        }
    }

    pub(super) fn int(&self, i: usize) -> Option<u64> {
        match self.t.get(i).map(|t| &t.tok) {
            Some(Tok::Num {
                value, decimals: 0, ..
            }) if !self.used[i] => Some(*value as u64),
            _ => None,
        }
    }

    pub(super) fn claim(&mut self, from: usize, to: usize, what: What) {
        let text: Vec<&str> = self.t[from..=to].iter().map(|t| t.raw.as_str()).collect();
        for u in &mut self.used[from..=to] {
            *u = true;
        }
        self.out.push(Claim {
            text: text.join(" "),
            what,
        });
    }

    /// The unit after position `i`, skipping up to two filler words; its last token.
    pub(super) fn unit_after(&self, i: usize) -> Option<(&'static [Kind], usize)> {
        for (skipped, j) in (i + 1..).take(3).enumerate() {
            if self.t.get(j - 1).is_some_and(|t| t.stop_after) {
                return None;
            }
            let w = self.word(j)?;
            let two = self.word(j + 1).map(|n| format!("{w} {n}"));
            for (unit, kinds) in UNITS {
                if two.as_deref() == Some(unit) {
                    return Some((kinds, j + 1));
                }
                if w == *unit {
                    return Some((kinds, j));
                }
            }
            if skipped == 2 || NOT_FILLER.split_whitespace().any(|f| f == w) {
                return None;
            }
        }
        None
    }

    pub(super) fn hedge_before(&self, i: usize) -> Hedge {
        if self.t[i].approx {
            return Hedge::About;
        }
        // Read whether or not the words were part of another claim ("About" starting a
        // sentence was read as an ordinary capitalised word).
        let raw = |k: usize| match &self.t[k].tok {
            Tok::Word(w) if !self.t[k].stop_after => Some(w.to_lowercase()),
            _ => None,
        };
        let one = i.checked_sub(1).and_then(raw);
        let two = i.checked_sub(2).and_then(raw);
        for (phrase, hedge) in HEDGES {
            let matched = match phrase.split_once(' ') {
                Some((a, b)) => two.as_deref() == Some(a) && one.as_deref() == Some(b),
                None => one.as_deref() == Some(phrase),
            };
            if matched {
                return *hedge;
            }
        }
        Hedge::None
    }

    /// A number at `i` with `value`, written with `decimals` decimals.
    pub(super) fn number(&mut self, i: usize, value: f64, decimals: u32, mut step: f64) {
        let hedge = self.hedge_before(i);
        let mut end = i;
        let mut value = value;
        match self.word(i + 1).as_deref() {
            Some("thousand") => {
                value *= 1e3;
                step = 1e3 / 10f64.powi(decimals as i32);
                end = i + 1;
            }
            Some("million") => {
                value *= 1e6;
                step = 1e6 / 10f64.powi(decimals as i32);
                end = i + 1;
            }
            _ => {}
        }
        if hedge != Hedge::None && decimals == 0 && step <= 1.0 {
            step = rounding_step(value);
        }
        let next = self.t.get(end + 1).map(|t| &t.tok);
        let percent_word = self.word(end + 1).as_deref() == Some("percent")
            || (self.word(end + 1).as_deref() == Some("per")
                && self.word(end + 2).as_deref() == Some("cent"));
        if next == Some(&Tok::PercentSign) || percent_word {
            let last = end
                + if self.word(end + 1).as_deref() == Some("per") {
                    2
                } else {
                    1
                };
            return self.claim(i, last, What::Percent { value, step, hedge });
        }
        if self.word(end + 1).as_deref() == Some("times")
            && matches!(self.word(end + 2).as_deref(), Some("as" | "more"))
        {
            let percent = ((value - 1.0) * 100.0).round() as i64;
            return self.claim(i, end + 1, What::Ratio { percent, hedge });
        }
        let unit = self.unit_after(end);
        if unit.is_none()
            && hedge == Hedge::None
            && decimals == 0
            && (1900.0..=2100.0).contains(&value)
            && !matches!(self.t[i].tok, Tok::Num { signed: true, .. })
        {
            return self.claim(i, end, What::Year(value as i16));
        }
        let kinds = unit.map(|(k, _)| k);
        let last = unit.map_or(end, |(_, j)| j);
        self.claim(
            i,
            last,
            What::Number {
                value,
                step,
                hedge,
                kinds,
            },
        );
    }

    /// A month name at `i`, with a day before or after it and a year after, when written.
    pub(super) fn month(&mut self, i: usize, month: i8) -> bool {
        let day_at = |r: &Self, k: usize| match r.t.get(k).map(|t| &t.tok) {
            Some(Tok::Ordinal(d)) if !r.used[k] && (1..=31).contains(d) => Some(*d as i8),
            _ => r.int(k).filter(|d| (1..=31).contains(d)).map(|d| d as i8),
        };
        let mut from = i;
        let mut to = i;
        let mut day = None;
        if let Some(d) = i.checked_sub(1).and_then(|k| day_at(self, k)) {
            day = Some(d);
            from = i - 1;
        } else if i >= 2
            && self.word(i - 1).as_deref() == Some("of")
            && let Some(d) = day_at(self, i - 2)
        {
            day = Some(d);
            from = i - 2;
        }
        if day.is_none()
            && !self.t[i].stop_after
            && self.unit_after(i + 1).is_none()
            && let Some(d) = day_at(self, i + 1)
        {
            day = Some(d);
            to = i + 1;
        }
        let year = self
            .int(to + 1)
            .filter(|y| (1900..=2100).contains(y))
            .map(|y| y as i16);
        if year.is_some() {
            to += 1;
        }
        let what = match (day, year) {
            (Some(d), Some(y)) => match Date::new(y, month, d) {
                Ok(date) => What::Date(date),
                Err(_) => What::Month {
                    year: Some(y),
                    month,
                },
            },
            (Some(d), None) => What::DayMonth { month, day: d },
            (None, year) if month != 5 || year.is_some() => What::Month { year, month },
            _ => return false,
        };
        self.claim(from, to, what);
        true
    }

    /// Capitalised words from `i` on, split at punctuation and ordinary words; each remaining
    /// run is a name claim.
    pub(super) fn names(&mut self, i: usize) {
        let mut end = i;
        while end < self.t.len() && capitalised(&self.t[end]) && !self.used[end] {
            let lw = self.t[end].raw.to_lowercase();
            if words::month(&lw).is_some()
                || words::weekday(&lw).is_some()
                || words::number_word(&lw).is_some()
            {
                break;
            }
            end += 1;
            if self.t[end - 1].stop_after {
                break;
            }
        }
        let mut run: Vec<usize> = Vec::new();
        // A lone capitalised word opening a sentence with an English suffix ("Exciting",
        // "Notably") is taken as ordinary English; names are checked when they run on
        // ("Exciting Smith") or stand anywhere else.
        let opens_sentence = i == 0 || self.t[i - 1].sentence_end;
        let lone = end == i + 1;
        for k in i..=end {
            let ordinary = k == end || {
                let lw = self.t[k].raw.to_lowercase();
                words::is_common(&lw)
                    || words::is_built_in(&lw)
                    || (k == i && opens_sentence && lone && words::looks_english(&lw))
            };
            if ordinary {
                if let (Some(&a), Some(&b)) = (run.first(), run.last()) {
                    let tokens = run.iter().map(|&r| self.t[r].raw.to_lowercase()).collect();
                    self.claim(a, b, What::Name(tokens));
                }
                run.clear();
                if k < end {
                    self.used[k] = true;
                }
            } else {
                run.push(k);
            }
        }
    }
}

fn capitalised(t: &Token) -> bool {
    matches!(&t.tok, Tok::Word(w) if w.chars().next().is_some_and(char::is_uppercase))
}

/// The rounding step a hedged whole number shows: 1,200 → 100, 50 → 10, 47 → 1.
fn rounding_step(value: f64) -> f64 {
    let mut step = 1.0;
    let mut v = value.round() as u64;
    while v >= 10 && v.is_multiple_of(10) {
        v /= 10;
        step *= 10.0;
    }
    step
}
