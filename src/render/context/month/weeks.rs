//! A month week by week: a sentence on which weeks were busy and which quiet, then a section per
//! week with commits.

use jiff::civil::Date;

use super::{capitalised, theme_phrases};
use crate::facts::{OrgFacts, RepoTheme, WeekFacts};
use crate::render::context::figures::who;
use crate::render::context::figures::{list, merged_sentence, num, plural};
use crate::render::context::{Detail, SUBJECT_CHARS, WeekView};
use crate::render::escape::{inline, truncate};
use crate::render::paths::month_name;

/// One section per week with commits, and the sentence opening them: the busiest week when
/// several had commits, the quiet weeks when there were any. `links` maps a week label
/// (`2025-W46`) to a wikilink to its report.
pub(in crate::render::context) fn weeks(
    f: &OrgFacts,
    links: &[(String, String)],
    detail: Detail,
) -> (Vec<WeekView>, String) {
    let mut out = Vec::new();
    let (mut active, mut quiet) = (Vec::new(), Vec::new());
    for w in &f.org.weeks {
        let (name, heading) = week_name(w);
        if w.commits == 0 {
            quiet.push(name);
            continue;
        }
        active.push(name);
        let link = links.iter().find(|(l, _)| *l == w.week).map(|(_, s)| s);
        out.push(WeekView {
            heading,
            text: week_paragraph(f, w, link, detail),
        });
    }
    let mut intro = Vec::new();
    let busiest = f.org.weeks.iter().max_by(|a, b| {
        // The earlier week wins a tie.
        a.commits
            .cmp(&b.commits)
            .then(b.first_day.cmp(&a.first_day))
    });
    if let (Some(w), true) = (busiest, active.len() > 1) {
        intro.push(format!(
            "{} was the busiest, with {} of the month's {}.",
            capitalised(&week_name(w).0),
            num(w.commits),
            plural(f.org.commits, "commit", "commits")
        ));
    }
    let verb = if quiet.len() == 1 { "was" } else { "were" };
    match (active.is_empty(), quiet.is_empty()) {
        (_, true) => {}
        (true, false) => intro.push(capitalised(&format!("{} {verb} quiet.", list(&quiet)))),
        (false, false) => intro.push(format!(
            "Commits landed in {}; {} {verb} quiet.",
            list(&active),
            list(&quiet)
        )),
    }
    (out, intro.join(" "))
}

/// "week 47" for a whole week, "1-2 November" for one clipped by the month; and the heading
/// form, "Week 46 (10-16 November)" or "1-2 November (week 44)".
pub(super) fn week_name(w: &WeekFacts) -> (String, String) {
    let number = w
        .week
        .rsplit('W')
        .next()
        .unwrap_or(&w.week)
        .trim_start_matches('0');
    let (Ok(a), Ok(b)) = (w.first_day.parse::<Date>(), w.last_day.parse::<Date>()) else {
        return (format!("week {number}"), format!("Week {number}"));
    };
    let days = format!("{}-{} {}", a.day(), b.day(), month_name(a.month()));
    let (am, bm) = (
        a.weekday().to_monday_one_offset(),
        b.weekday().to_monday_one_offset(),
    );
    if am == 1 && bm == 7 {
        (format!("week {number}"), format!("Week {number} ({days})"))
    } else {
        (days.clone(), format!("{days} (week {number})"))
    }
}

fn week_paragraph(f: &OrgFacts, w: &WeekFacts, link: Option<&String>, detail: Detail) -> String {
    let l = w.lines_excluding_generated;
    let repos = plural(w.active_repos, "repository", "repositories");
    // Fewer commits than repositories: history they share, each commit counted once.
    let place = if w.commits < w.active_repos {
        format!(", counted once across the {repos} that have them,")
    } else {
        format!(" in {repos}")
    };
    let mut s = format!(
        "{}{place} from {}, +{} / -{} lines",
        plural(w.commits, "commit", "commits"),
        who(w.people, w.agents, w.bots),
        num(l.added),
        num(l.deleted),
    );
    s.push_str(&days_phrase(f, w));
    let leaders: Vec<String> = w
        .top_people
        .iter()
        .map(|a| format!("{} ({})", inline(&a.name), num(a.commits)))
        .collect();
    if w.top_people.len() > 1 {
        s.push_str(&format!(" Most commits: {}.", list(&leaders)));
    }
    let shown: Vec<&RepoTheme> = w.themes.iter().take(detail.week_themes).collect();
    let themes = theme_phrases(&shown, detail.examples.min(2));
    if !themes.is_empty() {
        s.push_str(&format!(" The main work: {}.", list(&themes)));
    }
    let tags: Vec<String> = w
        .tags
        .iter()
        .map(|r| match r.tags.as_slice() {
            [one] => format!("{} tagged {}", inline(&r.repo), inline(one)),
            [first, .., last] => format!(
                "{} tagged {} releases, from {} to {}",
                inline(&r.repo),
                num(r.tags.len() as u64),
                inline(first),
                inline(last)
            ),
            [] => String::new(),
        })
        .collect();
    if !tags.is_empty() {
        s.push_str(&format!(" Releases: {}.", list(&tags)));
    }
    s.push_str(&merged_sentence(w.merged_pull_requests));
    let breaking: Vec<String> = w
        .breaking_changes
        .iter()
        .map(|b| {
            let subject = inline(&truncate(&b.subject, SUBJECT_CHARS));
            format!("{}'s “{subject}”", inline(&b.repo))
        })
        .collect();
    if !breaking.is_empty() {
        s.push_str(&format!(" Breaking: {}.", list(&breaking)));
    }
    let newcomers: Vec<String> = w
        .first_time_contributors
        .iter()
        .map(|n| inline(n))
        .collect();
    if !newcomers.is_empty() {
        s.push_str(&format!(
            " First commits to the organisation: {}.",
            list(&newcomers)
        ));
    }
    if let Some(link) = link {
        s.push_str(&format!(" The week's own report: {link}."));
    }
    s
}

/// When in the week the commits landed: the busiest day when one stands out, else the days.
fn days_phrase(f: &OrgFacts, w: &WeekFacts) -> String {
    let mut days: Vec<(&crate::facts::DayActivity, Date)> = f
        .org
        .per_day
        .iter()
        .filter(|d| d.date >= w.first_day && d.date <= w.last_day && d.commits > 0)
        .filter_map(|d| Some((d, d.date.parse::<Date>().ok()?)))
        .collect();
    let day = |d: &Date| d.strftime("%A %-d %B").to_string();
    days.sort_by(|a, b| b.0.commits.cmp(&a.0.commits).then(a.1.cmp(&b.1)));
    match days.as_slice() {
        [] => ".".to_string(),
        [(_, one)] => format!(", all on {}.", day(one)),
        [(top, date), (next, _), ..] if top.commits > next.commits => format!(
            ", on {} days; the busiest was {} with {}.",
            num(days.len() as u64),
            day(date),
            plural(top.commits, "commit", "commits")
        ),
        _ if days.len() > 3 => format!(", on {} days.", num(days.len() as u64)),
        _ => {
            let mut dates: Vec<Date> = days.iter().map(|(_, d)| *d).collect();
            dates.sort();
            let named: Vec<String> = dates.iter().map(day).collect();
            format!(", spread over {}.", list(&named))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn week(label: &str, first: &str, last: &str) -> WeekFacts {
        WeekFacts {
            week: label.into(),
            first_day: first.into(),
            last_day: last.into(),
            commits: 0,
            active_repos: 0,
            people: 0,
            agents: 0,
            bots: 0,
            top_people: Vec::new(),
            first_time_contributors: Vec::new(),
            merged_pull_requests: 0,
            lines_excluding_generated: crate::facts::Lines::default(),
            themes: Vec::new(),
            breaking_changes: Vec::new(),
            tags: Vec::new(),
        }
    }

    #[test]
    fn weeks_are_named_by_number_or_by_their_days_when_clipped() {
        let full = week_name(&week("2025-W46", "2025-11-10", "2025-11-16"));
        assert_eq!(full, ("week 46".into(), "Week 46 (10-16 November)".into()));
        let clipped = week_name(&week("2025-W44", "2025-11-01", "2025-11-02"));
        assert_eq!(
            clipped,
            ("1-2 November".into(), "1-2 November (week 44)".into())
        );
        let first = week_name(&week("2026-W01", "2026-01-01", "2026-01-04"));
        assert_eq!(first.0, "1-4 January");
    }
}
