//! The figures a page may print: everything the facts file holds, and the few figures Sparky's
//! templates derive from it.
//!
//! For a report, the allowed set is:
//! 1. every integer in the facts JSON (by magnitude), and every array's length;
//! 2. every number inside a string value (commit subjects, names, paths, tags and the
//!    generator's version carry their own numbers), read as prose is read: the dates, times,
//!    window labels and URLs that prose skips add nothing (so the days of a month are not all
//!    allowed because `per_day` lists their dates);
//! 3. for every object with `added` and `deleted`: their sum and their difference;
//! 4. for every `authors` list: how many are people (`bot: false`) and how many are bots;
//! 5. for every `pull_requests` object: the distinct numbers across its two lists;
//! 6. across `repos`: the sum of each integer field and of each list's length;
//! 7. per day across `repos` (`per_day[i]`): the sums of `commits`, `added` and `deleted`;
//! 8. the lines left out by the churn exclusions (`lines` minus `lines_excluding_generated`);
//! 9. every number in the alt texts of the charts Sparky draws from these facts (chart code
//!    re-run over the facts file: totals, bar counts, the peak days and their values, folded
//!    "others"), the period in words left out.
//! 10. for every `per_day` list: how many of its days had commits; on a month's page, the day of
//!     the month of each day with commits in `org.per_day` (the busiest day of a week is named);
//! 11. for every week of a month (`org.weeks[]`): its number and the days of the month it starts
//!     and ends on ("Week 46 (10-16 November)").
//!
//! Commit ids are recognised separately: any string of 7 to 40 hexadecimal characters in the
//! facts is an id a page may abbreviate.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::numbers::{Num, mask, tokens};
use crate::facts::OrgFacts;
use crate::window::Window;

/// The allowed figures of one page.
#[derive(Debug, Default)]
pub(super) struct Allowed {
    keys: BTreeSet<String>,
    ids: Vec<String>,
}

impl Allowed {
    /// What a report over these facts may print (see the module documentation).
    pub fn from_facts(value: &Value, typed: Option<&OrgFacts>, window: &Window) -> Allowed {
        let mut a = Allowed::default();
        a.walk(value);
        a.across_repos(value);
        let lines = |k: &str, f: &str| value["org"][k][f].as_u64().unwrap_or(0);
        let all = lines("lines", "added") + lines("lines", "deleted");
        let kept = lines("lines_excluding_generated", "added")
            + lines("lines_excluding_generated", "deleted");
        a.add(all.abs_diff(kept));
        if let Window::Month { .. } = window {
            for day in value["org"]["per_day"].as_array().into_iter().flatten() {
                if day["commits"].as_u64().unwrap_or(0) > 0 {
                    a.add_day_of_month(&day["date"]);
                }
            }
        }
        if let Some(facts) = typed {
            let words = crate::render::page::period_human(window);
            for alt in crate::render::page::chart_alts(facts, window) {
                a.add_prose(&alt, Some(&words));
            }
        }
        a
    }

    /// What an index page may print: how many reports it lists, and the numbers in the titles,
    /// descriptions and paths of the pages it lists.
    pub fn for_index<'a>(count: usize, texts: impl Iterator<Item = &'a str>) -> Allowed {
        let mut a = Allowed::default();
        a.add(count as u64);
        for t in texts {
            a.add_text(t);
        }
        a
    }

    /// Whether `n` is an allowed figure. A number cut by `…` is allowed when an allowed figure
    /// starts with its digits.
    pub fn contains(&self, n: &Num) -> bool {
        self.keys.contains(&n.key)
            || (n.truncated && self.keys.iter().any(|k| k.starts_with(&n.key)))
    }

    /// Whether `word` abbreviates a commit id of the facts.
    pub fn is_commit_id(&self, word: &str) -> bool {
        let word = word.to_ascii_lowercase();
        self.ids.iter().any(|id| id.starts_with(&word))
    }

    fn add(&mut self, n: u64) {
        self.keys.insert(n.to_string());
    }

    /// The day of the month of a `YYYY-MM-DD` string.
    fn add_day_of_month(&mut self, date: &Value) {
        let day = date
            .as_str()
            .and_then(|d| d.rsplit('-').next()?.parse().ok());
        if let Some(day) = day {
            self.add(day);
        }
    }

    /// The numbers of a string as prose is read: dates, times, window labels, URLs and
    /// `period_words` are not figures there, so they add none here either.
    fn add_prose(&mut self, s: &str, period_words: Option<&str>) {
        let no_ids = |_: &str| false;
        for n in tokens(&mask(s, period_words, &no_ids)) {
            self.keys.insert(n.key);
        }
    }

    fn add_text(&mut self, s: &str) {
        self.add_prose(s, None);
        let hex = s.len() >= 7 && s.len() <= 40 && s.bytes().all(|b| b.is_ascii_hexdigit());
        if hex {
            self.ids.push(s.to_ascii_lowercase());
        }
    }

    fn walk(&mut self, v: &Value) {
        match v {
            Value::Number(n) => match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => self.add(u),
                (None, Some(i)) => self.add(i.unsigned_abs()),
                _ => self.add_text(&n.to_string()),
            },
            Value::String(s) => self.add_text(s),
            Value::Array(items) => {
                self.add(items.len() as u64);
                items.iter().for_each(|i| self.walk(i));
            }
            Value::Object(map) => {
                if let (Some(a), Some(d)) = (map.get("added"), map.get("deleted"))
                    && let (Some(a), Some(d)) = (a.as_u64(), d.as_u64())
                {
                    self.add(a + d);
                    self.add(a.abs_diff(d));
                }
                if let Some(Value::Array(authors)) = map.get("authors") {
                    let bots = authors.iter().filter(|a| a["bot"] == true).count();
                    let agents = authors.iter().filter(|a| a["agent"] == true).count();
                    self.add(bots as u64);
                    self.add(agents as u64);
                    self.add((authors.len() - bots - agents) as u64);
                }
                if let (Some(Value::String(week)), Some(first), Some(last)) =
                    (map.get("week"), map.get("first_day"), map.get("last_day"))
                {
                    if let Some(n) = week.rsplit('W').next().and_then(|n| n.parse().ok()) {
                        self.add(n);
                    }
                    self.add_day_of_month(first);
                    self.add_day_of_month(last);
                }
                if let Some(Value::Array(days)) = map.get("per_day") {
                    let active = days.iter().filter(|d| d["commits"].as_u64() > Some(0));
                    self.add(active.count() as u64);
                }
                if let Some(prs) = map.get("pull_requests").filter(|p| p.is_object()) {
                    let distinct: BTreeSet<u64> = ["merge_commits", "squash_refs"]
                        .iter()
                        .filter_map(|k| prs[k].as_array())
                        .flatten()
                        .filter_map(Value::as_u64)
                        .collect();
                    self.add(distinct.len() as u64);
                }
                map.values().for_each(|i| self.walk(i));
            }
            Value::Bool(_) | Value::Null => {}
        }
    }

    /// Sums over `repos`: each integer field, each list's length, and each day's activity.
    fn across_repos(&mut self, v: &Value) {
        let Some(repos) = v["repos"].as_array() else {
            return;
        };
        let mut sums: BTreeMap<&str, u64> = BTreeMap::new();
        let mut days: BTreeMap<(usize, &str), u64> = BTreeMap::new();
        for repo in repos.iter().filter_map(Value::as_object) {
            for (k, field) in repo {
                let n = match field {
                    Value::Array(items) => items.len() as u64,
                    other => other.as_u64().unwrap_or(0),
                };
                *sums.entry(k).or_default() += n;
            }
            for (i, day) in repo
                .get("per_day")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                for f in ["commits", "added", "deleted"] {
                    *days.entry((i, f)).or_default() += day[f].as_u64().unwrap_or(0);
                }
            }
        }
        let day_count = days.keys().map(|(i, _)| i + 1).max().unwrap_or(0);
        for i in 0..day_count {
            let get = |f| days.get(&(i, f)).copied().unwrap_or(0);
            let (a, d) = (get("added"), get("deleted"));
            for n in [get("commits"), a, d, a + d, a.abs_diff(d)] {
                self.add(n);
            }
        }
        for n in sums.into_values() {
            self.add(n);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allowed(json: &str) -> Allowed {
        let v: Value = serde_json::from_str(json).expect("json");
        Allowed::from_facts(&v, None, &Window::All)
    }

    fn has(a: &Allowed, text: &str) -> bool {
        a.contains(&tokens(text)[0])
    }

    #[test]
    fn facts_values_lengths_strings_and_derived_sums() {
        let a = allowed(
            r#"{"repos": [
                {"commits": 4, "tags": ["v1.2"], "subject": "fix issue 917",
                 "lines": {"added": 30, "deleted": 8},
                 "authors": [{"bot": false}, {"bot": false}, {"bot": true}],
                 "pull_requests": {"merge_commits": [5, 6], "squash_refs": [6, 9]},
                 "per_day": [{"commits": 1, "added": 2, "deleted": 0}]},
                {"commits": 7, "tags": [], "id": "0869eeb7aa",
                 "per_day": [{"commits": 5, "added": 40, "deleted": 1}]}],
              "org": {"lines": {"added": 100, "deleted": 0},
                      "lines_excluding_generated": {"added": 90, "deleted": 0}}}"#,
        );
        for ok in [
            "4", "7", "2", "917", "1", "38", "22", "3", "11", "6", "42", "41", "43", "10",
        ] {
            assert!(has(&a, ok), "{ok} should be allowed");
        }
        assert!(!has(&a, "19"));
        assert!(!has(&a, "123"));
        assert!(has(&a, "91…"), "a truncated 917");
        assert!(a.is_commit_id("0869EEB"));
        assert!(!a.is_commit_id("0869eec"));
    }

    #[test]
    fn dates_and_labels_in_strings_are_not_figures() {
        let a = allowed(
            r#"{"window": {"label": "2025-W46", "start": "2025-11-10T00:00:00+00:00"},
                "per_day": [{"date": "2025-11-14"}], "subject": "ship on 2025-11-27, take 3"}"#,
        );
        for no in ["14", "27", "46", "10", "2025"] {
            assert!(!has(&a, no), "{no} must not be allowed");
        }
        assert!(has(&a, "3"));
    }

    #[test]
    fn a_month_may_name_its_weeks_and_its_active_days() {
        let v: Value = serde_json::from_str(
            r#"{"org": {"per_day": [{"date": "2025-11-09", "commits": 0},
                                     {"date": "2025-11-04", "commits": 2},
                                     {"date": "2025-11-05", "commits": 1}],
                        "weeks": [{"week": "2025-W44", "first_day": "2025-11-01",
                                   "last_day": "2025-11-02"}]}}"#,
        )
        .expect("json");
        let month = Allowed::from_facts(&v, None, &"2025-11".parse().expect("window"));
        for ok in ["44", "1", "2", "4", "5"] {
            assert!(has(&month, ok), "{ok} should be allowed");
        }
        assert!(!has(&month, "9"), "a day without commits");
        let week = Allowed::from_facts(&v, None, &"2025-W45".parse().expect("window"));
        assert!(!has(&week, "5"), "only a month names its days");
    }

    #[test]
    fn index_pages_allow_counts_and_listed_figures() {
        let a = Allowed::for_index(12, ["17 commits by 4 people", "blog/2025/11/x"].into_iter());
        for ok in ["12", "17", "4", "2025", "11"] {
            assert!(has(&a, ok), "{ok}");
        }
        assert!(!has(&a, "13"));
    }
}
