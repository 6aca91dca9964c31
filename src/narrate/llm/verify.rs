//! Verification: each claim against the grounding of its section. One claim that is not in the
//! facts rejects the text; the reasons are sent back to the model when Sparky asks again.
//!
//! Rounding rules: a number written plainly must equal a figure; a compact one (`1.2k`) must
//! round to it; a hedged one ("about 1,200", "over 40", "nearly 50") may stand for a figure
//! within one step of its last non-zero digit, on the side the hedge says. A number followed by
//! a unit ("12 commits") must match a figure of that kind. Percentages must be listed ones.

use std::collections::HashSet;

use jiff::ToSpan;
use jiff::civil::Date;

use super::claims::{Claim, What};
use super::grounding::Grounding;
use super::words::{Hedge, Kind};

/// A claim that is not in the facts, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Rejection {
    pub claim: String,
    pub why: String,
}

impl std::fmt::Display for Rejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "\"{}\": {}", self.claim, self.why)
    }
}

/// The claims that are not in the facts (none: the text may be used).
pub(super) fn check(claims: &[Claim], g: &Grounding) -> Vec<Rejection> {
    let mut seen = HashSet::new();
    claims
        .iter()
        .filter_map(|c| {
            why_not(c, g).map(|why| Rejection {
                claim: c.text.clone(),
                why,
            })
        })
        .filter(|r| seen.insert(r.claim.clone()))
        .collect()
}

fn matches(value: f64, step: f64, hedge: Hedge, figure: u64) -> bool {
    let f = figure as f64;
    match hedge {
        Hedge::None | Hedge::About => (f - value).abs() <= step / 2.0 + 1e-9,
        Hedge::Over => f > value && f <= value + step,
        Hedge::Under => f < value && f >= value - step,
    }
}

fn why_not(c: &Claim, g: &Grounding) -> Option<String> {
    let ok = match &c.what {
        What::Number {
            value,
            step,
            hedge,
            kinds,
        } => {
            let allowed = |k: &Kind| match kinds {
                Some(ks) => ks.contains(k),
                None => *k != Kind::Percent,
            };
            if g.figures
                .iter()
                .any(|(f, k)| allowed(k) && matches(*value, *step, *hedge, *f))
            {
                return None;
            }
            return Some(match kinds {
                Some(_) => "no figure of this kind in the facts has this value".into(),
                None => "no figure in the facts has this value".into(),
            });
        }
        What::Percent { value, step, hedge } => g
            .figures
            .iter()
            .any(|(f, k)| *k == Kind::Percent && matches(*value, *step, *hedge, *f)),
        What::Ratio { percent, hedge } => g.changes.iter().any(|c| match hedge {
            Hedge::None | Hedge::About => (c - percent).abs() <= 10,
            Hedge::Over => *c > *percent && *c <= percent + 100,
            Hedge::Under => *c < *percent && *c >= percent - 50,
        }),
        What::Name(tokens) => {
            let known = tokens
                .iter()
                .all(|t| g.name_tokens.contains(t) || g.vocabulary.contains(t));
            let all_names = tokens.iter().all(|t| g.name_tokens.contains(t));
            if !known {
                return Some("not named in the facts".into());
            }
            !(tokens.len() > 1 && all_names) || g.phrases.iter().any(|p| contains(p, tokens))
        }
        What::Identifier(s) => {
            g.identifiers.contains(s) || g.name_tokens.contains(s) || g.vocabulary.contains(s)
        }
        What::Repo(s) => g.repos.contains(s),
        What::PullRequest { number, explicit } => {
            g.pull_requests.contains(number) || (!explicit && g.mentions.contains(number))
        }
        What::Issue(n) => g.mentions.contains(n),
        What::Commit(h) => {
            h.len() >= 7 && g.commits.iter().any(|id| id.starts_with(h.as_str()))
                || g.identifiers.contains(h)
        }
        What::Tag(t) => {
            let bare = t.strip_prefix('v').unwrap_or(t);
            [t.clone(), bare.to_string(), format!("v{bare}")]
                .iter()
                .any(|x| g.tags.contains(x) || g.identifiers.contains(x))
        }
        What::Date(d) => in_range(g, |day| day == *d),
        What::DayMonth { month, day } => in_range(g, |x| x.month() == *month && x.day() == *day),
        What::Month { year, month } => in_range(g, |x| {
            x.month() == *month && year.is_none_or(|y| x.year() == y)
        }),
        What::Year(y) => in_range(g, |x| x.year() == *y),
        What::Week { year, week } => in_range(g, |x| {
            let iso = x.iso_week_date();
            iso.week() == *week && year.is_none_or(|y| iso.year() == y)
        }),
        What::Weekday(w) => g.weekdays.as_ref().is_none_or(|ws| ws.contains(w)),
        What::Time => return Some("the facts hold no times of day".into()),
        What::Markup => return Some("markup is not allowed, only plain sentences".into()),
    };
    if ok {
        return None;
    }
    Some(
        match &c.what {
            What::Percent { .. } => "no percentage in the facts has this value",
            What::Ratio { .. } => "no change of this size in the facts",
            What::Name(_) => "these names never appear together in the facts",
            What::Identifier(_) => "not in the facts",
            What::Repo(_) => "no repository of this name in the facts",
            What::PullRequest { .. } => "no such pull request in the facts",
            What::Issue(_) => "no such issue in the facts",
            What::Commit(_) => "no such commit in the facts",
            What::Tag(_) => "no such tag in the facts",
            _ => "outside the period and the one it is compared with",
        }
        .to_string(),
    )
}

/// Whether `needle` occurs as a contiguous run in `hay`.
fn contains(hay: &[String], needle: &[String]) -> bool {
    needle.len() <= hay.len() && hay.windows(needle.len()).any(|w| w == needle)
}

/// Whether some day of the grounding's range satisfies `f`.
fn in_range(g: &Grounding, f: impl Fn(Date) -> bool) -> bool {
    let (Some(first), Some(last)) = (g.first, g.last) else {
        return false;
    };
    let mut day = first;
    while day <= last {
        if f(day) {
            return true;
        }
        match day.checked_add(1.day()) {
            Ok(next) => day = next,
            Err(_) => return false,
        }
    }
    false
}

#[cfg(test)]
#[path = "verify_tests.rs"]
mod tests;
