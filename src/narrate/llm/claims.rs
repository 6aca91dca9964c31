//! Claim extraction: every statement in a model's text that could be wrong about the facts —
//! numbers (with their unit and hedge), ratios, people's and other proper names, repositories,
//! pull request and issue references, commit ids, tags, dates, and markup.

use jiff::civil::{Date, Weekday};

use super::clean::markup;
use super::reader::Reader;
use super::scan::{Tok, scan};
use super::words::{self, Hedge, Kind, RATIO_WORDS, REPO_NOUNS};

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
