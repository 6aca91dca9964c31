//! Claim extraction: every statement in a model's text that could be wrong about the facts —
//! numbers (with their unit and hedge), ratios, people's and other proper names, repositories,
//! pull request and issue references, commit ids, tags, dates, and markup.

use jiff::civil::{Date, Weekday};

use super::clean::markup;
use super::scan::{Tok, Token, scan};
use super::words::{self, HEDGES, Hedge, Kind, RATIO_WORDS, REPO_NOUNS, UNITS};

/// One claim: what was written, and what it asserts.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Claim {
    pub text: String,
    pub what: What,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum What {
    /// A count, exact within `step` (`1,234`: 1; `1.2k`: 100; `about 1,200`: 100).
    Number {
        value: f64,
        step: f64,
        hedge: Hedge,
        /// The kinds its unit allows; `None` when no unit follows.
        kinds: Option<&'static [Kind]>,
    },
    Percent {
        value: f64,
        step: f64,
        hedge: Hedge,
    },
    /// A change by this percentage ("doubled": 100; "more than doubled": over 100).
    Ratio {
        percent: i64,
        hedge: Hedge,
    },
    /// Capitalised words that are not ordinary English (lowercase tokens).
    Name(Vec<String>),
    Identifier(String),
    Repo(String),
    PullRequest {
        number: u64,
        explicit: bool,
    },
    Issue(u64),
    Commit(String),
    Tag(String),
    Date(Date),
    DayMonth {
        month: i8,
        day: i8,
    },
    Month {
        year: Option<i16>,
        month: i8,
    },
    Year(i16),
    Week {
        year: Option<i16>,
        week: i8,
    },
    Weekday(Weekday),
    Time,
    Markup,
}

/// Words that may stand between a number and its unit ("3 merged pull requests").
const NOT_FILLER: &str = "of in to from and or by on at for with across over than per each the a \
     an this that these those its their was were is are be been as";

struct Reader<'a> {
    t: &'a [Token],
    used: Vec<bool>,
    out: Vec<Claim>,
}

impl Reader<'_> {
    fn word(&self, i: usize) -> Option<String> {
        match self.t.get(i).map(|t| &t.tok) {
            Some(Tok::Word(w)) if !self.used[i] => Some(w.to_lowercase()),
            _ => None,
        }
    }

    fn int(&self, i: usize) -> Option<u64> {
        match self.t.get(i).map(|t| &t.tok) {
            Some(Tok::Num {
                value, decimals: 0, ..
            }) if !self.used[i] => Some(*value as u64),
            _ => None,
        }
    }

    fn claim(&mut self, from: usize, to: usize, what: What) {
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
    fn unit_after(&self, i: usize) -> Option<(&'static [Kind], usize)> {
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

    fn hedge_before(&self, i: usize) -> Hedge {
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
    fn number(&mut self, i: usize, value: f64, decimals: u32, mut step: f64) {
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
    fn month(&mut self, i: usize, month: i8) -> bool {
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
    fn names(&mut self, i: usize) {
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
        for k in i..=end {
            let ordinary = k == end || {
                let lw = self.t[k].raw.to_lowercase();
                words::is_common(&lw) || words::is_built_in(&lw)
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

/// Every claim in a tidied answer, markup first.
pub(super) fn extract(text: &str) -> Vec<Claim> {
    let mut out: Vec<Claim> = markup(text)
        .into_iter()
        .map(|m| Claim {
            text: m,
            what: What::Markup,
        })
        .collect();
    let tokens = scan(text);
    let mut r = Reader {
        t: &tokens,
        used: vec![false; tokens.len()],
        out: Vec::new(),
    };
    for i in 0..tokens.len() {
        if r.used[i] {
            continue;
        }
        // A day before a month name belongs to the date the month starts.
        let month_next = |k: usize| {
            matches!(&tokens.get(k).map(|t| &t.tok), Some(Tok::Word(w))
                if w.starts_with(char::is_uppercase) && words::month(&w.to_lowercase()).is_some())
        };
        let day_like = matches!(
            tokens[i].tok,
            Tok::Num { decimals: 0, .. } | Tok::Ordinal(_)
        );
        if day_like
            && !tokens[i].stop_after
            && (month_next(i + 1) || (r.word(i + 1).as_deref() == Some("of") && month_next(i + 2)))
        {
            continue;
        }
        let repo_next = !tokens[i].stop_after
            && r.word(i + 1)
                .is_some_and(|w| REPO_NOUNS.contains(&w.as_str()));
        match &tokens[i].tok {
            Tok::Word(w) => word(&mut r, i, w, repo_next),
            Tok::Num {
                value, decimals, ..
            } => r.number(i, *value, *decimals, 10f64.powi(-(*decimals as i32))),
            Tok::Compact { value, step } => r.number(i, *value, 0, *step),
            Tok::Ordinal(n) => r.number(i, *n as f64, 0, 1.0),
            Tok::PercentSign => {}
            Tok::Times(x) => {
                let percent = ((x - 1.0) * 100.0).round() as i64;
                let hedge = r.hedge_before(i);
                r.claim(i, i, What::Ratio { percent, hedge });
            }
            Tok::Hash(n) => r.claim(
                i,
                i,
                What::PullRequest {
                    number: *n,
                    explicit: false,
                },
            ),
            Tok::Handle(h) => r.claim(i, i, What::Identifier(h.clone())),
            Tok::IsoDate(d) => r.claim(i, i, What::Date(*d)),
            Tok::IsoWeek(y, w) => r.claim(
                i,
                i,
                What::Week {
                    year: Some(*y),
                    week: *w,
                },
            ),
            Tok::WeekLabel(w) => r.claim(
                i,
                i,
                What::Week {
                    year: None,
                    week: *w,
                },
            ),
            Tok::YearMonth(y, m) => r.claim(
                i,
                i,
                What::Month {
                    year: Some(*y),
                    month: *m,
                },
            ),
            Tok::Time => r.claim(i, i, What::Time),
            Tok::Version(v) if !repo_next => r.claim(i, i, What::Tag(v.clone())),
            Tok::Hex(h) if !repo_next => r.claim(i, i, What::Commit(h.clone())),
            Tok::Version(v) | Tok::Hex(v) | Tok::Ident(v) => {
                let what = if repo_next {
                    What::Repo(v.clone())
                } else {
                    What::Identifier(v.clone())
                };
                r.claim(i, i, what);
            }
        }
    }
    out.append(&mut r.out);
    out
}

/// Claims starting at the word at `i`.
fn word(r: &mut Reader<'_>, i: usize, w: &str, repo_next: bool) {
    let lw = w.to_lowercase();
    let reference = |r: &Reader<'_>, k: usize| match r.t.get(k).map(|t| &t.tok) {
        Some(Tok::Hash(n)) if !r.used[k] => Some(*n),
        _ => r.int(k),
    };
    let pr_words = matches!(lw.as_str(), "pr" | "prs" | "mr" | "mrs")
        || (matches!(lw.as_str(), "pull" | "merge")
            && r.word(i + 1).is_some_and(|n| n.starts_with("request")));
    if pr_words {
        let k = if matches!(lw.as_str(), "pull" | "merge") {
            i + 2
        } else {
            i + 1
        };
        if let Some(n) = reference(r, k) {
            let what = What::PullRequest {
                number: n,
                explicit: true,
            };
            return r.claim(i, k, what);
        }
    }
    if matches!(lw.as_str(), "issue" | "issues" | "ticket" | "bug")
        && let Some(n) = reference(r, i + 1)
    {
        return r.claim(i, i + 1, What::Issue(n));
    }
    if lw == "week"
        && !r.t[i].stop_after
        && r.unit_after(i + 1).is_none()
        && let Some(n) = r.int(i + 1).filter(|n| (1..=53).contains(n))
    {
        let year = (r.word(i + 2).as_deref() == Some("of"))
            .then(|| r.int(i + 3).filter(|y| (1900..=2100).contains(y)))
            .flatten();
        let to = if year.is_some() { i + 3 } else { i + 1 };
        let what = What::Week {
            year: year.map(|y| y as i16),
            week: n as i8,
        };
        return r.claim(i, to, what);
    }
    let upper = w.chars().next().is_some_and(char::is_uppercase);
    if upper
        && let Some(m) = words::month(&lw)
        && r.month(i, m)
    {
        return;
    }
    if upper && let Some(d) = words::weekday(&lw) {
        return r.claim(i, i, What::Weekday(d));
    }
    if let Some(n) = words::number_word(&lw) {
        return r.number(i, n as f64, 0, 1.0);
    }
    if let Some((_, p)) = RATIO_WORDS.iter().find(|(rw, _)| *rw == lw) {
        let hedge = r.hedge_before(i);
        return r.claim(i, i, What::Ratio { percent: *p, hedge });
    }
    if matches!(lw.as_str(), "twice" | "double") && r.word(i + 1).as_deref() == Some("as") {
        let hedge = r.hedge_before(i);
        return r.claim(
            i,
            i,
            What::Ratio {
                percent: 100,
                hedge,
            },
        );
    }
    if repo_next && !words::is_repo_stop(&lw) && !words::is_common(&lw) {
        return r.claim(i, i, What::Repo(lw));
    }
    if upper {
        r.names(i);
    }
}

#[cfg(test)]
#[path = "claims_tests.rs"]
mod tests;
