//! Chart tests: well-formed, script-free XML for hostile and random inputs, alt text that states
//! the exact input figures, determinism, palette contrast, legend folding and label truncation.

use super::palette::{self, DARK_BG, LIGHT_BG};
use super::scale::{compact, grouped, nice};
use super::svg::num;
use super::text::{clean, clip, fit, width};
use super::*;

// ---------------------------------------------------------------------------------------------
// Helpers

/// SplitMix64: a tiny seeded generator, so every run sees the same "random" inputs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
    /// Mostly small counts, with zeros, 10^9 and u64::MAX mixed in.
    fn value(&mut self) -> u64 {
        match self.below(20) {
            0..=4 => 0,
            5..=14 => self.below(40),
            15..=16 => self.below(5_000),
            17 => 1_000_000_000,
            18 => self.next(),
            _ => u64::MAX,
        }
    }
    /// A hostile or random label.
    fn label(&mut self) -> String {
        if self.below(3) == 0 {
            return self.pick(HOSTILE).to_string();
        }
        let len = self.below(30) as usize;
        (0..len)
            .map(|_| {
                let c = match self.below(10) {
                    0 => self.below(0x20) as u32,
                    1 => *self.pick(&[0x202e, 0x2066, 0x200f, 0xfeff, 0xfffe, 0xffff, 0x85, 0x7f]),
                    2 => 0x4e00 + self.below(0x100) as u32,
                    3 => 0x1f600 + self.below(0x40) as u32,
                    4 => *self.pick(b"<>&\"']") as u32,
                    _ => 0x20 + self.below(0x5f) as u32,
                };
                char::from_u32(c).unwrap_or('?')
            })
            .collect()
    }
}

const HOSTILE: &[&str] = &[
    "",
    " ",
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "a & b",
    "]]><x/>",
    "<![CDATA[ boom ]]>",
    "O'Brien \"the\" <dev>",
    "\u{202e}evil\u{202c}.exe",
    "\u{2066}iso\u{2069}late",
    "tab\there\nnew\rline",
    "bell\u{7}null\u{0}esc\u{1b}[31m",
    "c1\u{85}\u{9f}",
    "bom\u{feff}non\u{fffe}char\u{ffff}",
    "<svg onload=alert(1)>",
    "javascript:alert(1)",
    "url(https://evil.example/x.png)",
    "@import 'x';",
    "%%comment%% [[link]] #tag ==hl==",
    "عربي اسم",
    "名前のリポジトリ",
    "👩‍💻 dev",
    "e\u{301}\u{301}\u{301}\u{301}",
];

fn long_name() -> String {
    "x".repeat(250) + &"é<".repeat(125)
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn series(name: &str, values: &[u64]) -> Series {
    Series {
        name: name.to_owned(),
        values: values.to_vec(),
    }
}

const ELEMENTS: &[&str] = &["svg", "title", "desc", "style", "rect", "line", "text"];

/// Parses `chart.svg` and checks everything a chart must be: well-formed XML in the SVG namespace,
/// only the fixed element vocabulary, no event attributes, links or external references, finite
/// coordinates inside the canvas, and `<desc>` equal to the alt text.
fn check(chart: &Chart) -> roxmltree::Document<'_> {
    let doc = roxmltree::Document::parse(&chart.svg)
        .unwrap_or_else(|e| panic!("not well-formed XML: {e}\n{}", chart.svg));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2000/svg")
    );
    assert_eq!(root.attribute("role"), Some("img"));
    let w: f64 = root
        .attribute("width")
        .and_then(|v| v.parse().ok())
        .expect("width");
    let h: f64 = root
        .attribute("height")
        .and_then(|v| v.parse().ok())
        .expect("height");
    assert_eq!(w, 720.0);
    assert!((120.0..=600.0).contains(&h), "height {h}");

    for node in root.descendants().filter(|n| n.is_element()) {
        let name = node.tag_name().name();
        assert!(ELEMENTS.contains(&name), "unexpected element <{name}>");
        assert!(
            !name.eq_ignore_ascii_case("script") && !name.eq_ignore_ascii_case("foreignObject")
        );
        for attr in node.attributes() {
            let an = attr.name().to_ascii_lowercase();
            assert!(!an.starts_with("on"), "event attribute {an}");
            assert!(!an.contains("href"), "link attribute {an}");
            let v = attr.value().to_ascii_lowercase();
            assert!(
                !v.contains("javascript:") && !v.contains("url("),
                "{an}={v}"
            );
            let limit = match an.as_str() {
                "x" | "x1" | "x2" | "width" => Some(w),
                "y" | "y1" | "y2" | "height" => Some(h),
                _ => None,
            };
            if let Some(limit) = limit.filter(|_| name != "svg") {
                let n: f64 = attr.value().parse().unwrap_or_else(|_| panic!("{an}={v}"));
                assert!(
                    n.is_finite() && (0.0..=limit).contains(&n),
                    "<{name} {an}={n}> off canvas"
                );
            }
        }
        if name == "rect" {
            let at = |a: &str| {
                node.attribute(a)
                    .and_then(|v| v.parse::<f64>().ok())
                    .unwrap_or(0.0)
            };
            assert!(at("x") + at("width") <= w + 0.1 && at("y") + at("height") <= h + 0.1);
        }
        if name == "text" {
            // The estimated extent of every text stays on the canvas.
            let at = |a: &str| node.attribute(a).and_then(|v| v.parse::<f64>().ok());
            let (x, size) = (at("x").unwrap_or(0.0), at("font-size").unwrap_or(12.0));
            let bold = if node.attribute("font-weight").is_some() {
                1.15
            } else {
                1.0
            };
            let tw = width(node.text().unwrap_or(""), size) * bold;
            let (left, right) = match node.attribute("text-anchor") {
                Some("end") => (x - tw, x),
                Some("middle") => (x - tw / 2.0, x + tw / 2.0),
                _ => (x, x + tw),
            };
            assert!(
                left >= -0.1 && right <= w + 0.1,
                "text {:?} spans {left}..{right}",
                node.text()
            );
        }
        if name == "style" {
            let css = node.text().unwrap_or("").to_ascii_lowercase();
            for bad in ["url(", "@import", "expression", "javascript"] {
                assert!(!css.contains(bad), "style contains {bad}");
            }
        }
    }
    let desc = root
        .children()
        .find(|n| n.has_tag_name("desc"))
        .expect("desc");
    assert_eq!(desc.text().unwrap_or(""), chart.alt);
    let title = root
        .children()
        .find(|n| n.has_tag_name("title"))
        .expect("title");
    assert!(!title.text().unwrap_or("").is_empty());
    check_text(&chart.svg);
    check_text(&chart.alt);
    assert!(
        chart.alt.ends_with('.') && chart.alt.chars().count() < 3000,
        "{}",
        chart.alt
    );
    doc
}

/// No control, bidi or non-XML characters (newlines between SVG elements aside).
fn check_text(s: &str) {
    for c in s.chars() {
        let bad = (c.is_control() && c != '\n')
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
            || matches!(c, '\u{feff}' | '\u{fffe}' | '\u{ffff}' | '\u{61c}');
        assert!(!bad, "unwanted char U+{:04X} in {s:?}", c as u32);
    }
}

/// Texts of all `<text>` elements, in document order.
fn texts<'a>(doc: &'a roxmltree::Document<'a>) -> Vec<&'a str> {
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or(""))
        .collect()
}

/// The number right before `marker` in `s` (e.g. "23" in "… 23 in total").
fn number_before(s: &str, marker: &str) -> u128 {
    let head = &s[..s
        .find(marker)
        .unwrap_or_else(|| panic!("{marker:?} not in {s:?}"))];
    let digits: String = head
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect();
    digits
        .chars()
        .rev()
        .collect::<String>()
        .parse()
        .expect("number")
}

// ---------------------------------------------------------------------------------------------
// Well-formedness and safety

#[test]
fn random_and_hostile_inputs_give_well_formed_safe_svg() {
    let mut rng = Rng(0x5eed_c4a7);
    for round in 0..400 {
        let n = match round % 5 {
            0 => 0,
            1 => 1,
            _ => rng.below(40) as usize,
        };
        let categories: Vec<String> = (0..n).map(|_| rng.label()).collect();
        let count = rng.below(15) as usize;
        let set: Vec<Series> = (0..count)
            .map(|_| {
                let len = rng.below(n as u64 + 3) as usize;
                Series {
                    name: rng.label(),
                    values: (0..len).map(|_| rng.value()).collect(),
                }
            })
            .collect();
        let title = rng.label();
        check(&stacked_bars(&title, &categories, &set));

        let added: Vec<u64> = (0..rng.below(n as u64 + 2)).map(|_| rng.value()).collect();
        let deleted: Vec<u64> = (0..rng.below(n as u64 + 2)).map(|_| rng.value()).collect();
        check(&churn_bars(&title, &categories, &added, &deleted));

        let rows: Vec<(String, u64)> = (0..rng.below(30))
            .map(|_| (rng.label(), rng.value()))
            .collect();
        check(&horizontal_bars(&title, &rows, rng.below(25) as usize));
    }
}

#[test]
fn edge_cases_are_well_formed() {
    let days = strings(&["Mon 10", "Tue 11", "Wed 12"]);
    let big = 1_000_000_000;
    let cases = [
        stacked_bars("", &[], &[]),
        stacked_bars("t", &days, &[]),
        stacked_bars("t", &[], &[series("a", &[1, 2])]),
        stacked_bars("t", &days, &[series("a", &[0, 0, 0])]),
        stacked_bars("t", &days[..1], &[series("a", &[7])]),
        stacked_bars(
            "t",
            &days,
            &[series("a", &[big, big, big]), series("b", &[big, 0, 1])],
        ),
        stacked_bars(
            "t",
            &days,
            &[series("a", &[u64::MAX; 3]), series("b", &[u64::MAX; 3])],
        ),
        churn_bars("", &[], &[], &[]),
        churn_bars("t", &days, &[0, 0, 0], &[0, 0, 0]),
        churn_bars("t", &days, &[5], &[]),
        churn_bars("t", &days, &[], &[5]),
        churn_bars("t", &days, &[big; 3], &[u64::MAX; 3]),
        horizontal_bars("", &[], 10),
        horizontal_bars("t", &[("a".into(), 0)], 10),
        horizontal_bars("t", &[("a".into(), 5)], 0),
        horizontal_bars("t", &[("a".into(), u64::MAX), ("b".into(), 1)], 10),
        horizontal_bars("t", &vec![("a".into(), 1); 500], usize::MAX),
    ];
    for chart in &cases {
        check(chart);
    }
}

#[test]
fn hostile_labels_are_escaped_stripped_and_kept_as_text() {
    let names: Vec<Series> = HOSTILE[2..10].iter().map(|n| series(n, &[1, 2])).collect();
    let chart = stacked_bars(
        "<b>\"Q\" & 'A'</b>\u{202e}",
        &strings(&["]]>", "<i>"]),
        &names,
    );
    let doc = check(&chart);
    let shown = texts(&doc);
    // Every hostile name reaches the reader as literal text, cleaned (or cut with "…").
    for s in &names {
        let cleaned = clean(&s.name);
        assert!(
            shown.iter().any(|t| *t == cleaned
                || (t.ends_with('…') && cleaned.starts_with(t.trim_end_matches('…')))),
            "{cleaned:?} not in {shown:?}"
        );
    }
    assert!(shown.contains(&"<b>\"Q\" & 'A'</b>"));
    assert!(shown.contains(&"]]>") && shown.contains(&"<i>"));
    assert!(
        !chart.svg.contains("<script") && !chart.svg.contains("<img") && !chart.svg.contains("]]>")
    );
    assert!(
        chart.alt.contains("<script>alert(1)</script> 3"),
        "{}",
        chart.alt
    );
}

#[test]
fn clean_strips_controls_and_bidi_and_collapses_space() {
    assert_eq!(clean("  a\tb\n\nc\r\n "), "a b c");
    assert_eq!(clean("\u{202e}gpj.exe\u{202c}"), "gpj.exe");
    assert_eq!(clean("x\u{0}\u{7}\u{1b}\u{7f}\u{85}\u{9f}y"), "xy");
    assert_eq!(
        clean("\u{feff}a\u{fffe}\u{ffff}\u{1fffe}b\u{2066}\u{2069}\u{200e}\u{61c}"),
        "ab"
    );
    assert_eq!(clean("a\u{2028}b"), "a b");
    assert_eq!(clean("名前 👩‍💻"), "名前 👩‍💻");
}

// ---------------------------------------------------------------------------------------------
// Alt text states the exact input figures

#[test]
fn stacked_alt_states_totals_and_busiest_bar() {
    let days = strings(&[
        "Mon 10", "Tue 11", "Wed 12", "Thu 13", "Fri 14", "Sat 15", "Sun 16",
    ]);
    let set = [
        series("api", &[2, 3, 6, 2, 1, 0, 1]),
        series("web", &[1, 1, 3, 0, 2, 1, 0]),
    ];
    let chart = stacked_bars(
        "Commits per day by repository, 10 to 16 November 2025",
        &days,
        &set,
    );
    check(&chart);
    assert_eq!(
        chart.alt,
        "Commits per day by repository, 10 to 16 November 2025: 23 in total across 7 bars \
         (api 15, web 8); highest: Wed 12 with 9 (api 6, web 3)."
    );
}

#[test]
fn alt_figures_equal_input_sums_and_maxima() {
    let mut rng = Rng(42);
    for _ in 0..200 {
        let n = 1 + rng.below(31) as usize;
        let categories: Vec<String> = (0..n).map(|i| format!("d{i}")).collect();
        let set: Vec<Series> = (0..1 + rng.below(12))
            .map(|k| Series {
                name: format!("r{k}"),
                values: (0..n).map(|_| rng.value()).collect(),
            })
            .collect();
        let chart = stacked_bars("T", &categories, &set);
        let total: u128 = set
            .iter()
            .flat_map(|s| &s.values)
            .map(|&v| u128::from(v))
            .sum();
        if total == 0 {
            assert!(chart.alt.contains("no activity"));
            continue;
        }
        assert_eq!(
            number_before(&chart.alt, " in total"),
            total,
            "{}",
            chart.alt
        );
        if n > 1 {
            let columns = (0..n).map(|i| set.iter().map(|s| u128::from(s.values[i])).sum::<u128>());
            let max = columns.max().unwrap_or(0);
            let at = chart.alt.find("highest: ").expect("highest");
            let rest = &chart.alt[at..];
            let with = rest.find(" with ").expect("with") + 6;
            let digits: String = rest[with..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            assert_eq!(digits.parse::<u128>().ok(), Some(max), "{}", chart.alt);
        }
        if set.len() <= MAX_SERIES && set.len() > 1 {
            for s in &set {
                let t: u128 = s.values.iter().map(|&v| u128::from(v)).sum();
                if t > 0 {
                    assert!(
                        chart.alt.contains(&format!("{} {t}", s.name)),
                        "{}",
                        chart.alt
                    );
                }
            }
        }

        let added: Vec<u64> = (0..n).map(|_| rng.value()).collect();
        let deleted: Vec<u64> = (0..n).map(|_| rng.value()).collect();
        let churn = churn_bars("T", &categories, &added, &deleted);
        let (a, d): (u128, u128) = (
            added.iter().map(|&v| u128::from(v)).sum(),
            deleted.iter().map(|&v| u128::from(v)).sum(),
        );
        if a + d > 0 {
            assert_eq!(
                number_before(&churn.alt, " lines added"),
                a,
                "{}",
                churn.alt
            );
            assert_eq!(number_before(&churn.alt, " deleted"), d, "{}", churn.alt);
        }

        let rows: Vec<(String, u64)> = set.iter().map(|s| (s.name.clone(), s.values[0])).collect();
        let bars = horizontal_bars("T", &rows, 5);
        let sum: u128 = rows.iter().map(|r| u128::from(r.1)).sum();
        if sum > 0 {
            assert_eq!(number_before(&bars.alt, " in total"), sum, "{}", bars.alt);
        }
    }
}

#[test]
fn churn_alt_states_added_deleted_net_and_peaks() {
    let days = strings(&["Mon", "Tue", "Wed"]);
    let chart = churn_bars("Lines changed", &days, &[120, 300, 0], &[40, 10, 200]);
    check(&chart);
    assert_eq!(
        chart.alt,
        "Lines changed: 420 lines added and 250 deleted across 3 bars (net +170); \
         most added: Tue with 300; most deleted: Wed with 200."
    );
    let ties = churn_bars("C", &days, &[5, 5, 1], &[0, 0, 0]);
    assert!(
        ties.alt
            .contains("most added: Mon and Tue with 5 each; most deleted: none."),
        "{}",
        ties.alt
    );
}

#[test]
fn horizontal_alt_lists_shown_rows_and_the_rest() {
    let rows: Vec<(String, u64)> = [
        ("carol", 15),
        ("alice", 30),
        ("bob", 20),
        ("dave", 5),
        ("erin", 5),
    ]
    .map(|(n, v)| (n.to_owned(), v))
    .into();
    let chart = horizontal_bars("Commits per contributor", &rows, 3);
    let doc = check(&chart);
    assert_eq!(
        chart.alt,
        "Commits per contributor: 75 in total from 5 entries; largest first: alice 30, bob 20, \
         carol 15; 2 more entries not shown (10 in total)."
    );
    let shown = texts(&doc);
    assert_eq!(&shown[1..7], ["alice", "30", "bob", "20", "carol", "15"]);
    assert_eq!(shown[7], "+ 2 more (10 in total)");
}

#[test]
fn zero_data_says_no_activity() {
    let days = strings(&["Mon", "Tue"]);
    let charts = [
        stacked_bars("Commits", &days, &[series("api", &[0, 0])]),
        stacked_bars("Commits", &[], &[]),
        churn_bars("Churn", &days, &[0, 0], &[0]),
        horizontal_bars("People", &[("a".into(), 0)], 5),
        horizontal_bars("People", &[], 5),
    ];
    for chart in &charts {
        let doc = check(chart);
        assert!(texts(&doc).contains(&"no activity"), "{}", chart.svg);
        assert!(chart.alt.contains("no activity"), "{}", chart.alt);
        assert!(!chart.svg.contains("<rect"), "zero data draws no bars");
    }
    assert_eq!(charts[0].alt, "Commits: no activity in any of the 2 bars.");
    assert_eq!(charts[1].alt, "Commits: no activity.");
}

// ---------------------------------------------------------------------------------------------
// Determinism, layout, palette

#[test]
fn same_input_same_bytes() {
    let mut rng = Rng(7);
    for _ in 0..50 {
        let n = rng.below(31) as usize;
        let categories: Vec<String> = (0..n).map(|_| rng.label()).collect();
        let set: Vec<Series> = (0..rng.below(13))
            .map(|_| Series {
                name: rng.label(),
                values: (0..n).map(|_| rng.value()).collect(),
            })
            .collect();
        assert_eq!(
            stacked_bars("t", &categories, &set),
            stacked_bars("t", &categories, &set)
        );
        let v: Vec<u64> = (0..n).map(|_| rng.value()).collect();
        assert_eq!(
            churn_bars("t", &categories, &v, &v),
            churn_bars("t", &categories, &v, &v)
        );
        let rows: Vec<(String, u64)> = set.iter().map(|s| (s.name.clone(), 3)).collect();
        assert_eq!(
            horizontal_bars("t", &rows, 8),
            horizontal_bars("t", &rows, 8)
        );
    }
}

#[test]
fn twelve_series_fold_the_smallest_into_others() {
    let days: Vec<String> = (1..=7).map(|d| format!("Day {d}")).collect();
    // Totals 7*k for repo k: repos 1..=5 are the five smallest.
    let set: Vec<Series> = (1..=12)
        .map(|k| series(&format!("repo{k}"), &[k; 7]))
        .collect();
    let chart = stacked_bars("Commits", &days, &set);
    let doc = check(&chart);
    let shown = texts(&doc);
    let legend: Vec<&str> = shown
        .iter()
        .copied()
        .filter(|t| t.starts_with("repo") || t.ends_with("others"))
        .collect();
    assert_eq!(
        legend,
        [
            "repo6", "repo7", "repo8", "repo9", "repo10", "repo11", "repo12", "5 others"
        ]
    );
    let fills: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("rect"))
        .filter_map(|n| n.attribute("class"))
        .collect();
    assert!(
        fills.contains(&"co") && !fills.contains(&"c7"),
        "7 colours and the others grey"
    );
    // 7 days × (7 kept + others) segments, plus 8 legend swatches.
    assert_eq!(fills.len(), 7 * 8 + 8);
    assert_eq!(number_before(&chart.alt, " in total"), 7 * 78);
    assert!(chart.alt.contains("repo12 84, repo11 77, repo10 70, repo9 63, repo8 56, repo7 49, repo6 42, 105 from 5 other series"));
    assert!(
        chart
            .alt
            .contains("highest: Day 1, Day 2, Day 3, Day 4 and 3 more with 78 each"),
        "{}",
        chart.alt
    );

    let eight: Vec<Series> = set[..8].to_vec();
    let doc_chart = stacked_bars("Commits", &days, &eight);
    assert!(
        !doc_chart.svg.contains("others"),
        "eight series all keep their own colour"
    );
}

#[test]
fn long_labels_are_cut_with_an_ellipsis() {
    let name = long_name();
    let chart = stacked_bars(
        &name,
        &[name.clone(), "b".into()],
        &[series(&name, &[1, 1]), series("b", &[1, 0])],
    );
    let doc = check(&chart);
    let cut: Vec<&str> = texts(&doc)
        .into_iter()
        .filter(|t| t.ends_with('…'))
        .collect();
    assert_eq!(cut.len(), 3, "title, category and legend name are cut");
    for t in &cut {
        assert!(t.chars().count() < 120, "{t}");
        assert!(name.starts_with(t.trim_end_matches('…')));
    }
    assert!(width(cut[0], 14.0) <= 720.0, "title fits the canvas");
    let legend = cut.iter().find(|t| width(t, 12.0) <= 131.0);
    assert!(
        legend.is_some(),
        "legend name cut to the legend column: {cut:?}"
    );
    // The alt text carries at most 40 characters of any name, and 160 of the title.
    assert!(
        chart.alt.chars().count() < 160 + 3 * 40 + 100,
        "{}",
        chart.alt
    );

    let rows = horizontal_bars("t", &[(name.clone(), 3)], 5);
    let doc = check(&rows);
    let label = texts(&doc)[1];
    assert!(
        label.ends_with('…') && width(label, 12.0) <= 200.0,
        "{label}"
    );

    assert_eq!(fit("short", 100.0, 12.0), "short");
    assert_eq!(clip("abcdef", 4), "abc…");
    assert_eq!(clip("ab   cdef", 4), "ab…");
    assert_eq!(clip("abc", 3), "abc");
}

#[test]
fn thirty_one_days_thin_their_labels_without_overlap() {
    let days: Vec<String> = (1..=31).map(|d| format!("Wed {d}")).collect();
    let values: Vec<u64> = (1..=31).collect();
    for chart in [
        stacked_bars(
            "Month",
            &days,
            &[series("a", &values), series("b", &values)],
        ),
        churn_bars("Month", &days, &values, &values),
    ] {
        let doc = check(&chart);
        let labels: Vec<(f64, &str)> = doc
            .descendants()
            .filter(|n| n.has_tag_name("text") && n.text().is_some_and(|t| t.starts_with("Wed")))
            .map(|n| {
                (
                    n.attribute("x").and_then(|x| x.parse().ok()).unwrap_or(0.0),
                    n.text().unwrap_or(""),
                )
            })
            .collect();
        assert!(
            labels.len() >= 8 && labels.len() < 31,
            "{} labels",
            labels.len()
        );
        assert_eq!(labels[0].1, "Wed 1");
        for pair in labels.windows(2) {
            let gap = pair[1].0 - pair[0].0;
            let need = (width(pair[0].1, 11.0) + width(pair[1].1, 11.0)) / 2.0;
            assert!(gap >= need, "{pair:?} overlap");
        }
        let bars = doc.descendants().filter(|n| n.has_tag_name("rect")).count();
        assert!(bars >= 31 * 2);
    }
}

/// WCAG 2 relative luminance of `#rrggbb`.
fn luminance(hex: &str) -> f64 {
    let channel = |i: usize| {
        let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).expect("hex")) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
}

/// WCAG 2 contrast ratio between two `#rrggbb` colours.
fn contrast(a: &str, b: &str) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

#[test]
fn every_colour_has_three_to_one_contrast_on_both_themes() {
    assert!((contrast("#000000", "#ffffff") - 21.0).abs() < 1e-9);
    assert!((contrast("#767676", "#ffffff") - 4.54).abs() < 0.01);
    let mut colours: Vec<&str> = palette::SERIES.to_vec();
    colours.extend(palette::SERIES_DARK);
    colours.extend([
        palette::OTHERS,
        palette::OTHERS_DARK,
        palette::ADDED,
        palette::ADDED_DARK,
        palette::DELETED,
        palette::DELETED_DARK,
        palette::INK,
        palette::INK_LIGHT,
        palette::INK_DARK,
    ]);
    for c in colours {
        for bg in [LIGHT_BG, DARK_BG] {
            let ratio = contrast(c, bg);
            assert!(ratio >= 3.0, "{c} on {bg}: {ratio:.2}");
        }
    }
    // The base ink is balanced: it reads about equally well on both themes.
    assert!(contrast(palette::INK, LIGHT_BG) >= 4.0 && contrast(palette::INK, DARK_BG) >= 4.0);
    // And every colour the stylesheet mentions is one of those checked.
    let css = palette::stylesheet();
    assert!(css.contains("@media (prefers-color-scheme: dark)"));
    for (i, _) in css.match_indices('#') {
        let hex = &css[i..i + 7];
        assert!(
            contrast(hex, LIGHT_BG) >= 3.0 && contrast(hex, DARK_BG) >= 3.0,
            "{hex}"
        );
    }
}

#[test]
fn no_background_is_painted() {
    let chart = stacked_bars("t", &strings(&["a"]), &[series("s", &[1])]);
    let doc = check(&chart);
    for rect in doc.descendants().filter(|n| n.has_tag_name("rect")) {
        let w: f64 = rect
            .attribute("width")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0.0);
        assert!(
            w < 100.0,
            "a canvas-wide rectangle would hide the page background"
        );
    }
    assert!(!chart.svg.contains("background"));
}

// ---------------------------------------------------------------------------------------------
// Axis arithmetic and number formatting

#[test]
fn ticks_follow_one_two_five() {
    assert_eq!(nice(0, 5), (1, 1));
    assert_eq!(nice(1, 5), (1, 1));
    assert_eq!(nice(3, 5), (1, 3));
    assert_eq!(nice(7, 5), (2, 8));
    assert_eq!(nice(9, 5), (2, 10));
    assert_eq!(nice(23, 5), (5, 25));
    assert_eq!(nice(1_000_000_000, 5), (200_000_000, 1_000_000_000));
    let mut rng = Rng(99);
    for _ in 0..2000 {
        let max = u128::from(rng.value()) * u128::from(rng.below(20) + 1);
        let (step, top) = nice(max, 5);
        let mut m = step;
        while m % 10 == 0 {
            m /= 10;
        }
        assert!(matches!(m, 1 | 2 | 5), "step {step}");
        assert!(
            top >= max && top % step == 0 && top / step <= 5,
            "{max}: {step} {top}"
        );
    }
}

#[test]
fn numbers_format_exactly() {
    assert_eq!(compact(0), "0");
    assert_eq!(compact(999), "999");
    assert_eq!(compact(1000), "1k");
    assert_eq!(compact(1500), "1.5k");
    assert_eq!(compact(25_000), "25k");
    assert_eq!(compact(1_200_000), "1.2M");
    assert_eq!(compact(1_000_000_000), "1G");
    assert_eq!(compact(20_000_000_000_000_000_000), "20E");
    assert_eq!(grouped(0), "0");
    assert_eq!(grouped(1234567), "1,234,567");
    assert_eq!(grouped(100), "100");
    assert_eq!(num(-0.01), "0");
    assert_eq!(num(f64::NAN), "0");
    assert_eq!(num(12.0), "12");
    assert_eq!(num(1.25), "1.3");
    assert_eq!(num(100.04), "100");
}
