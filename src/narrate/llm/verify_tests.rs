use super::*;
use crate::facts::OrgFacts;
use crate::narrate::llm::claims::extract;
use crate::narrate::llm::grounding::{Detail, PageInfo, Scope, build};

fn facts(name: &str) -> OrgFacts {
    let path = format!("{}/fixtures/llm/{name}.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).expect("facts")
}

const PAGE: PageInfo<'static> = PageInfo {
    org_name: "acme (demo)",
    period_human: "week 46 of 2025 (10 November to 16 November 2025)",
};

fn rejected(g: &Grounding, text: &str) -> Vec<String> {
    check(&extract(text), g)
        .into_iter()
        .map(|r| r.claim)
        .collect()
}

#[test]
fn true_statements_pass() {
    let f = facts("week-2025-46");
    let g = build(&f, PAGE, Scope::Page, Detail::FULL);

    for ok in [
        "In week 46 of 2025, 17 commits landed across 3 of 3 repositories from 4 people and 2 bots.",
        "Carol Diaz led with 6 commits, ahead of Alice Martin (4) and Dave Okafor.",
        "Together they added 48 lines in 16 file changes, and 2 pull requests (#140 and #58) were merged.",
        "The api repository tagged v2.0.0 and web tagged web-2025.11; 2 breaking changes landed.",
        "Compared with 2025-W45, that is 17 more commits; the busiest day was Tuesday 11 November with 6 commits.",
        "Commit 8ee4541 from Alice Martin added 30 lines to the router.",
        "About 50 lines changed, on 4 days, with roughly 20 commits.",
        "Ten features landed this week in the acme demo.",
    ] {
        assert_eq!(rejected(&g, ok), Vec::<String>::new(), "{ok}");
    }
}

#[test]
fn invented_claims_fail() {
    let f = facts("week-2025-46");
    let g = build(&f, PAGE, Scope::Page, Detail::FULL);
    let cases: &[(&str, &str)] = &[
        ("The team landed 193 commits.", "193 commits"),
        ("48 commits landed.", "48 commits"),
        ("Commits rose 20 % on last week.", "20 %"),
        ("Activity doubled.", "doubled"),
        ("Bob Smith merged the router work.", "Bob Smith"),
        ("Alice Diaz reviewed it.", "Alice Diaz"),
        ("PR #999 was merged.", "PR #999"),
        ("It fixed issue #140.", "issue #140"),
        ("The payments repository was quiet.", "payments"),
        ("Release v3.1.0 shipped.", "v3.1.0"),
        ("On 2 December the build broke.", "2 December"),
        ("Work peaked in 2024.", "2024"),
        ("Commit deadbee1 reverted it.", "deadbee1"),
        ("Over 30 commits landed.", "30 commits"),
        ("Activity more than tripled.", "tripled"),
        ("Some 1,000 lines changed.", "1000 lines"),
        ("Kubernetes manifests moved to Helm.", "Kubernetes"),
        ("See <b>this</b>.", "See <b>this</b>."),
        ("At 10:30 the deploy finished.", "10:30"),
    ];
    for (text, claim) in cases {
        let r = rejected(&g, text);
        assert!(
            r.iter().any(|c| c.contains(claim)),
            "{text}: expected {claim:?} to be rejected, got {r:?}"
        );
    }
}

#[test]
fn rounding_rules() {
    let f = facts("week-2025-46");
    let g = build(&f, PAGE, Scope::Page, Detail::FULL);
    // 48 lines: "about 50" rounds to it, "nearly 50" is below it, "over 40" above it.
    for ok in [
        "about 50 lines",
        "nearly 50 lines",
        "over 40 lines",
        "almost 20 commits",
    ] {
        assert!(rejected(&g, ok).is_empty(), "{ok}");
    }
    // "about 45" shows a step of 1; "over 50" and "under 40" point the wrong way.
    for bad in [
        "about 45 lines",
        "over 50 lines",
        "under 90 lines",
        "about 100 lines",
    ] {
        assert!(!rejected(&g, bad).is_empty(), "{bad}");
    }
}

#[test]
fn percentages_and_changes_must_be_listed_ones() {
    let mut f = facts("week-2025-46");
    if let Some(t) = f.org.trend.as_mut() {
        t.commits.previous = 8;
        t.commits.delta = 9;
        t.commits.percent = Some(113);
    }
    let g = build(&f, PAGE, Scope::Page, Detail::FULL);
    assert!(rejected(&g, "Commits rose 113 % and more than doubled.").is_empty());
    assert!(rejected(&g, "api made up 24 % of all commits.").is_empty());
    assert!(!rejected(&g, "Commits tripled.").is_empty());
    assert!(!rejected(&g, "Commits rose 112 %.").is_empty());
}

#[test]
fn a_repository_sentence_may_not_use_another_repository_facts() {
    let f = facts("week-2025-46");
    let web = f.repos.iter().find(|r| r.name == "web").expect("web");
    let g = build(&f, PAGE, Scope::Repo(web), Detail::FULL);
    assert!(
        rejected(
            &g,
            "web landed 10 commits from Dave Okafor and others, merging #58."
        )
        .is_empty()
    );
    assert!(
        !rejected(&g, "web merged #140.").is_empty(),
        "#140 is api's"
    );
    assert!(
        !rejected(&g, "web had 4 commits.").is_empty(),
        "4 is api's count"
    );
    assert!(
        !rejected(&g, "web saw 36 lines added.").is_empty(),
        "36 is api's"
    );
    assert!(
        !rejected(&g, "Bob Stone worked on web.").is_empty(),
        "Bob Stone has no web commit"
    );
}

#[test]
fn a_day_names_only_its_own_weekday_and_the_one_before() {
    let f = facts("day-2025-10-29");
    let page = PageInfo {
        org_name: "acme (demo)",
        period_human: "Wednesday 29 October 2025",
    };
    let g = build(&f, page, Scope::Page, Detail::FULL);
    assert!(rejected(&g, "On Wednesday 29 October, work went on.").is_empty());
    assert!(rejected(&g, "Tuesday was quieter.").is_empty());
    assert!(!rejected(&g, "On Friday the build broke.").is_empty());
    assert!(!rejected(&g, "On 30 October the build broke.").is_empty());
}

#[test]
fn less_detail_means_fewer_facts_to_claim() {
    let f = facts("week-2025-46");
    let full = build(&f, PAGE, Scope::Page, Detail::FULL);
    let least = build(&f, PAGE, Scope::Page, Detail(0));
    assert!(least.text.len() < full.text.len());
    assert!(rejected(&full, "Commit 8ee4541 landed.").is_empty());
    assert!(!rejected(&least, "Commit 8ee4541 landed.").is_empty());
}

#[test]
fn prose_a_small_model_writes_passes_when_true() {
    let f = facts("week-2025-46");
    let g = build(&f, PAGE, Scope::Page, Detail::FULL);
    for text in [
        "This week, the acme (demo) team landed 17 commits across all three repositories, with Carol Diaz leading the charge with six commits. Alice Martin and Dave Okafor also made solid contributions, while two bots handled routine maintenance.",
        "It was a busy week for acme: 48 lines were added across 16 file changes, and two pull requests were merged. The api repository shipped v2.0.0, which includes 2 breaking changes, so read the notes before upgrading!",
        "Week 46 saw a burst of activity after a quiet previous week, with 17 commits compared to none the week before. The web team was the busiest, contributing 10 commits, or 59% of the total.",
        "Highlights include the new v2 routes in api and the web-2025.11 release. Tuesday was the busiest day with 6 commits.",
        "Development picked up significantly: Carol Diaz, Alice Martin, Dave Okafor and Bob Stone all pushed changes, and Dependabot kept dependencies fresh.",
        "Exciting times! Dependabot and GitHub Actions helped. The team shipped features at a steady pace, focusing on the router and UI iterations.",
        "Notably, infra received 3 commits that tuned the deploy pipeline.",
    ] {
        let claims = extract(&crate::narrate::llm::clean::tidy(text));
        assert_eq!(check(&claims, &g), Vec::new(), "{text}");
    }
}
