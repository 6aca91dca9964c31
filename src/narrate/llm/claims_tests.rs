use super::*;

fn whats(text: &str) -> Vec<What> {
    extract(text).into_iter().map(|c| c.what).collect()
}

fn texts(text: &str) -> Vec<String> {
    extract(text).into_iter().map(|c| c.text).collect()
}

fn num(value: f64, step: f64, hedge: Hedge, kinds: Option<&'static [Kind]>) -> What {
    What::Number {
        value,
        step,
        hedge,
        kinds,
    }
}

#[test]
fn numbers_carry_units_hedges_and_steps() {
    let w = whats(
        "17 commits from 4 people, about 1,200 lines and 1.2k files; nearly 50 merged pull requests.",
    );
    assert_eq!(
        w,
        vec![
            num(17.0, 1.0, Hedge::None, Some(&[Kind::Commits])),
            num(4.0, 1.0, Hedge::None, Some(&[Kind::People, Kind::Authors])),
            num(1200.0, 100.0, Hedge::About, Some(&[Kind::Lines])),
            num(1200.0, 100.0, Hedge::None, Some(&[Kind::Files])),
            num(50.0, 10.0, Hedge::Under, Some(&[Kind::PullRequests])),
        ]
    );
    assert_eq!(
        whats("up 20 % and 3 percent, commits doubled, 2x more"),
        vec![
            What::Percent {
                value: 20.0,
                step: 1.0,
                hedge: Hedge::None
            },
            What::Percent {
                value: 3.0,
                step: 1.0,
                hedge: Hedge::None
            },
            What::Ratio {
                percent: 100,
                hedge: Hedge::None
            },
            What::Ratio {
                percent: 100,
                hedge: Hedge::None
            },
        ]
    );
    assert_eq!(
        whats("Three repositories and twenty-one bots"),
        vec![
            num(3.0, 1.0, Hedge::None, Some(&[Kind::Repos])),
            num(21.0, 1.0, Hedge::None, Some(&[Kind::Bots, Kind::Authors])),
        ]
    );
    assert_eq!(
        whats("over 40 commits, 3 of 5, by 2025"),
        vec![
            num(40.0, 10.0, Hedge::Over, Some(&[Kind::Commits])),
            num(3.0, 1.0, Hedge::None, None),
            num(5.0, 1.0, Hedge::None, None),
            What::Year(2025),
        ]
    );
}

#[test]
fn references_commits_tags_and_identifiers() {
    assert_eq!(
        whats("PR #12, pull request 14, #15, issue #9, 8ee4541, v2.0.0, web-2025.11 and @carol"),
        vec![
            What::PullRequest {
                number: 12,
                explicit: true
            },
            What::PullRequest {
                number: 14,
                explicit: true
            },
            What::PullRequest {
                number: 15,
                explicit: false
            },
            What::Issue(9),
            What::Commit("8ee4541".into()),
            What::Tag("v2.0.0".into()),
            What::Identifier("web-2025.11".into()),
            What::Identifier("carol".into()),
        ]
    );
    assert_eq!(
        whats("the payments repository and the busiest repository, Carol's repository"),
        vec![
            What::Repo("payments".into()),
            What::Name(vec!["carol".into()])
        ],
        "a possessive is a name, not a repository"
    );
}

#[test]
fn dates_in_every_form() {
    let d = |y, m, day| What::Date(jiff::civil::date(y, m, day));
    assert_eq!(
        whats(
            "On Tuesday 11 November 2025, and on November 12th; in October; 2025-11-14; week 46 of 2025; W45; at 10:30"
        ),
        vec![
            What::Weekday(Weekday::Tuesday),
            d(2025, 11, 11),
            What::DayMonth { month: 11, day: 12 },
            What::Month {
                year: None,
                month: 10
            },
            d(2025, 11, 14),
            What::Week {
                year: Some(2025),
                week: 46
            },
            What::Week {
                year: None,
                week: 45
            },
            What::Time,
        ]
    );
    assert_eq!(
        whats("In November 17 commits landed. This week 3 people helped. May brought news."),
        vec![
            What::Month {
                year: None,
                month: 11
            },
            num(17.0, 1.0, Hedge::None, Some(&[Kind::Commits])),
            num(3.0, 1.0, Hedge::None, Some(&[Kind::People, Kind::Authors])),
        ],
        "a number with a unit after a month or `week` is a count, and May alone is no date"
    );
}

#[test]
fn capitalised_words_outside_ordinary_english_are_names() {
    assert_eq!(
        texts("Meanwhile Carol Diaz and Bob Stone shipped; The API work by AWS Lambda fans."),
        vec!["Carol Diaz", "Bob Stone", "AWS Lambda"]
    );
    assert_eq!(
        whats("Alice Martin's refactor"),
        vec![What::Name(vec!["alice".into(), "martin".into()])]
    );
    assert!(whats("This week was busy. Overall, the team landed work.").is_empty());
    assert!(
        whats("Remarkably steady. Impressively, work went on.").is_empty(),
        "a lone sentence opener with an English suffix is ordinary"
    );
    assert_eq!(
        texts("Sarah merged it. Remarkably Smith helped."),
        vec!["Sarah", "Remarkably Smith"]
    );
    assert_eq!(
        texts("work by Fleming"),
        vec!["Fleming"],
        "only sentence openers"
    );
}

#[test]
fn markup_is_a_claim() {
    let w = whats("Great <script>alert(1)</script> week [[x]]");
    assert!(
        w.iter().filter(|w| **w == What::Markup).count() >= 2,
        "{w:?}"
    );
}
