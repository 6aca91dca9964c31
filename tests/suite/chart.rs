//! Example charts committed under `fixtures/charts/` so reviewers can open them: each is rendered
//! here from a fixed input and must equal the committed file byte for byte (the renderer is
//! deterministic). After an intended change, regenerate with `SPARKY_BLESS_CHARTS=1 cargo test chart`.

use std::path::PathBuf;

use sparky::render::chart::{Chart, Series, churn_bars, horizontal_bars, stacked_bars};

use crate::support::cli::fixtures_dir;

fn week() -> Vec<String> {
    [
        "Mon 10", "Tue 11", "Wed 12", "Thu 13", "Fri 14", "Sat 15", "Sun 16",
    ]
    .map(String::from)
    .into()
}

fn series(name: &str, values: [u64; 7]) -> Series {
    Series {
        name: name.to_owned(),
        values: values.into(),
    }
}

/// The three examples: a week of commits by repository, that week's churn, and contributors.
fn examples() -> Vec<(&'static str, Chart)> {
    let repos = [
        series("api", [4, 6, 9, 3, 5, 0, 1]),
        series("web", [2, 3, 5, 4, 1, 1, 0]),
        series("docs", [1, 0, 2, 1, 3, 0, 0]),
        series("infra", [0, 2, 1, 0, 2, 0, 0]),
        series("mobile", [3, 1, 0, 2, 0, 0, 0]),
    ];
    let people = [
        ("Alice Example", 31),
        ("bob", 18),
        ("Chloé Martin", 12),
        ("dependabot[bot]", 9),
        ("李雷", 6),
        ("Dana O'Brien", 4),
        ("eve", 2),
        ("frank", 1),
        ("grace", 1),
    ]
    .map(|(n, v)| (n.to_owned(), v));
    vec![
        (
            "commits-by-repo",
            stacked_bars(
                "Commits per day by repository, 10 to 16 November 2025",
                &week(),
                &repos,
            ),
        ),
        (
            "churn",
            churn_bars(
                "Lines changed per day, 10 to 16 November 2025",
                &week(),
                &[420, 1310, 860, 95, 640, 12, 0],
                &[130, 2480, 310, 60, 220, 0, 4],
            ),
        ),
        (
            "contributors",
            horizontal_bars(
                "Commits per contributor, 10 to 16 November 2025",
                &people,
                8,
            ),
        ),
    ]
}

fn path(name: &str, ext: &str) -> PathBuf {
    fixtures_dir().join("charts").join(format!("{name}.{ext}"))
}

#[test]
fn example_charts_match_the_committed_fixtures() {
    let bless = std::env::var_os("SPARKY_BLESS_CHARTS").is_some();
    for (name, chart) in examples() {
        let files = [
            (path(name, "svg"), chart.svg),
            (path(name, "alt.txt"), chart.alt + "\n"),
        ];
        for (file, content) in files {
            if bless {
                std::fs::create_dir_all(file.parent().expect("parent"))
                    .expect("create fixtures/charts");
                std::fs::write(&file, &content).expect("write fixture");
                continue;
            }
            let committed = std::fs::read_to_string(&file).unwrap_or_else(|e| {
                panic!(
                    "cannot read {}: {e}\nhint: run `SPARKY_BLESS_CHARTS=1 cargo test chart`",
                    file.display()
                )
            });
            assert!(
                committed == content,
                "{} differs from the renderer's output\nhint: if the change is intended, run \
                 `SPARKY_BLESS_CHARTS=1 cargo test chart` and review the new files",
                file.display()
            );
        }
    }
}
