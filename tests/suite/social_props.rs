//! Property tests of the social drafts. Random and hostile text (the hostile corpus, arbitrary
//! Unicode, and mixes of mention, hashtag and link syntax, emoji, combining marks and
//! right-to-left scripts) is put in repository, tag and people's names, a commit subject, the
//! organisation's name and a model's text. For every post of every draft: the length, counted
//! here independently in the platform's unit, is within the limit; the report's link is intact
//! in exactly one post; no mention, hashtag or link appears that did not come from the config;
//! no word is cut, dropped or reordered by threading.

use std::sync::OnceLock;

use proptest::prelude::*;
use sparky::facts::OrgFacts;
use sparky::social::{self, Content, Drafts, Platform, Spec, Writer, sanitize};
use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

use crate::support::Sparky;

/// The demo organisation's facts for 2025-W46 (releases, breaking changes, several repos).
fn demo_facts() -> &'static OrgFacts {
    static FACTS: OnceLock<OrgFacts> = OnceLock::new();
    FACTS.get_or_init(|| {
        let dir = tempfile::tempdir().expect("dir");
        Sparky::new(dir.path(), &["build", "--window", "2025-W46"])
            .run()
            .success();
        let path = dir.path().join("content/blog/2025/11/week-2025-46.json");
        let text = std::fs::read_to_string(path).expect("facts file");
        serde_json::from_str(&text).expect("facts parse")
    })
}

/// Text that makes trouble, joined from pieces.
const PIECES: &[&str] = &[
    "@",
    "＠",
    "﹫",
    "#",
    "＃",
    "﹟",
    ".",
    "://",
    "http",
    "https",
    "www",
    "com",
    "co",
    "md",
    "user",
    "_",
    "-",
    "[",
    "]",
    "(",
    ")",
    "`",
    "``",
    "(#12)",
    "(1/2)",
    " ",
    "  ",
    "\n",
    "\r\n",
    "\t",
    "a",
    "Z\u{336}\u{337}\u{338}",
    "👨\u{200d}👩\u{200d}👧",
    "🇩🇪",
    "🏳\u{fe0f}\u{200d}🌈",
    "👍🏽",
    "e\u{301}",
    "עברית",
    "العربية",
    "日本語",
    "한국어",
    "क्ष",
    "\u{202e}",
    "\u{2066}",
    "\u{200b}",
    "\u{200d}",
    "\u{feff}",
    "\u{600}",
    "\u{7}",
    "©",
    "…",
    "\u{2028}",
    "9",
];

fn mix() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..60).prop_map(|v| v.concat())
}

/// Any kind of hostile or random text, up to a few hundred characters.
fn text() -> impl Strategy<Value = String> {
    let corpus = crate::quartz::corpus();
    prop_oneof![
        prop::sample::select(corpus),
        any::<String>(),
        mix(),
        "[a-zA-Z0-9]{50,400}",
        "[@#. a-z]{0,200}",
    ]
}

/// A site URL a valid config can hold: http(s), URL-safe ASCII, at most 200 characters.
fn site_url() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        Just(None),
        Just(Some("https://acme.github.io/docs".to_string())),
        "https://[a-z]{1,30}\\.(dev|org|co)(/[a-z0-9_~-]{1,20}){0,7}/?".prop_map(Some),
    ]
}

struct Model(Content);

impl Writer for Model {
    fn write(&self, _facts: &OrgFacts, _template: Content) -> Content {
        self.0.clone()
    }
}

/// Counts independently of Sparky: X by twitter-text v3 weights after NFC with every URL as
/// 23 (per code point, which never counts emoji below X's 2 per emoji), Bluesky in extended
/// grapheme clusters, Mastodon in scalar values with URLs as 23, LinkedIn in UTF-16 units.
fn independent_count(platform: Platform, text: &str, link: Option<&str>) -> usize {
    let split = |t: &str, measure: &dyn Fn(&str) -> usize| match link {
        Some(l) => {
            let pieces: Vec<&str> = t.split(l).collect();
            pieces.iter().map(|p| measure(p)).sum::<usize>() + 23 * (pieces.len() - 1)
        }
        None => measure(t),
    };
    match platform {
        Platform::X => split(text, &|s: &str| {
            s.nfc()
                .map(|c| match c as u32 {
                    0..=4351 | 8192..=8205 | 8208..=8223 | 8242..=8247 => 1,
                    _ => 2,
                })
                .sum()
        }),
        Platform::Bluesky => text.graphemes(true).count(),
        Platform::Mastodon => split(text, &|s: &str| s.chars().count()),
        Platform::Linkedin => text.encode_utf16().count(),
    }
}

fn is_handle_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '.' | '-')
}

/// No mention, no hashtag but the configured ones, no link but the report's.
fn assert_nothing_stray(text: &str, spec: &Spec) {
    let rest = match &spec.url {
        Some(url) => text.replace(url.as_str(), " "),
        None => text.to_string(),
    };
    let chars: Vec<char> = rest.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        if ['@', '＠', '﹫'].contains(&c) {
            assert!(!next.is_some_and(is_handle_char), "a mention in {text:?}");
        }
        if ['#', '＃', '﹟'].contains(&c) {
            let starts_word = i == 0 || chars[i - 1].is_whitespace();
            let word: String = chars[i + 1..]
                .iter()
                .take_while(|c| !c.is_whitespace())
                .collect();
            let configured = c == '#' && starts_word && spec.hashtags.contains(&word);
            assert!(
                configured || next.is_none_or(|n| n == ']' || n.is_whitespace()),
                "a hashtag not from the config in {text:?}"
            );
        }
        if c == '.' {
            assert!(
                !next.is_some_and(char::is_alphabetic),
                "a domain-like `.` in {text:?}"
            );
        }
    }
    assert!(!rest.contains("://"), "a link not the report's in {text:?}");
    assert!(
        !text.chars().any(sparky::render::escape::is_unsafe_char),
        "a control or bidi character in {text:?}"
    );
}

/// The words every draft must carry, in order: the content's, the link line's, the hashtags.
fn expected_words(d: &Drafts, platform: Platform) -> Vec<String> {
    let bullet = if platform == Platform::Linkedin {
        "•"
    } else {
        "-"
    };
    let mut words: Vec<String> = d
        .content
        .headline
        .split_whitespace()
        .map(str::to_string)
        .collect();
    for h in &d.content.highlights {
        words.push(bullet.to_string());
        words.extend(h.split_whitespace().map(str::to_string));
    }
    if let Some(url) = &d.url {
        words.extend(["Full".to_string(), "report:".to_string(), url.clone()]);
    }
    words.extend(d.hashtags.iter().map(|t| format!("#{t}")));
    words
}

fn check(d: &Drafts, spec: &Spec) {
    assert!(
        !d.notes.iter().any(|n| n.contains("left out")),
        "{:?}",
        d.notes
    );
    assert_eq!(d.drafts.len(), spec.targets.len());
    for draft in &d.drafts {
        let n = draft.posts.len();
        assert!(n >= 1, "{:?} has no post", draft.platform);
        let mut words: Vec<String> = Vec::new();
        for (i, post) in draft.posts.iter().enumerate() {
            let t = &post.text;
            let count = independent_count(draft.platform, t, spec.url.as_deref());
            assert!(
                count <= draft.limit,
                "{:?} post of {count} > {}: {t:?}",
                draft.platform,
                draft.limit
            );
            assert!(
                post.count >= count,
                "Sparky never counts below the platform"
            );
            if draft.platform == Platform::Bluesky {
                assert!(t.len() <= 3000, "over Bluesky's byte limit");
            }
            let body = if n > 1 {
                let marker = format!(" ({}/{n})", i + 1);
                t.strip_suffix(&marker)
                    .unwrap_or_else(|| panic!("post {} lacks {marker:?}: {t:?}", i + 1))
            } else {
                t.as_str()
            };
            words.extend(body.split_whitespace().map(str::to_string));
            assert_nothing_stray(t, spec);
            if let Some(span) = &post.link {
                assert_eq!(&t[span.byte_start..span.byte_end], span.value);
            }
            for span in &post.hashtags {
                assert_eq!(
                    &t[span.byte_start..span.byte_end],
                    format!("#{}", span.value)
                );
            }
        }
        assert_eq!(
            words,
            expected_words(d, draft.platform),
            "words lost or cut"
        );
        if let Some(url) = &spec.url {
            let hits: usize = draft
                .posts
                .iter()
                .map(|p| p.text.matches(url).count())
                .sum();
            let linked = draft.posts.iter().filter(|p| p.link.is_some()).count();
            assert_eq!((hits, linked), (1, 1), "the link once, intact");
        }
    }
    let md = social::export::markdown(d);
    for post in d.drafts.iter().flat_map(|x| &x.posts) {
        assert!(md.contains(&post.text), "the review file shows every post");
    }
    let json: serde_json::Value =
        serde_json::from_slice(&social::export::json(d, "test")).expect("json");
    assert_eq!(json["schema_version"], 1);
}

#[allow(clippy::too_many_arguments)]
fn case(
    names: Vec<String>,
    subject: String,
    org: String,
    url: Option<String>,
    tags: Vec<String>,
    mastodon: usize,
    window: &str,
    model: Option<(String, Vec<String>)>,
) {
    let mut facts = demo_facts().clone();
    let mut names = names.into_iter().cycle();
    let mut next = || names.next().unwrap_or_default();
    for repo in &mut facts.repos {
        repo.name = next();
        repo.tags = vec![next(), next()];
        for c in &mut repo.notable_commits {
            c.subject = subject.clone();
        }
    }
    facts.org.first_time_contributors = (0..4).map(|_| next()).collect();
    let hashtags: Vec<String> = tags
        .iter()
        .filter_map(|t| sanitize::hashtag(t).ok())
        .collect();
    let window: sparky::window::Window = window.parse().expect("window");
    let page = sparky::render::paths::page_stem("blog", &window).expect("stem");
    let spec = Spec {
        window,
        partial: mastodon.is_multiple_of(2),
        org_name: org,
        url: url.map(|u| social::page_url(&u, &page)),
        page,
        hashtags,
        targets: social::platform::ALL
            .iter()
            .map(|&p| (p, p.limit(mastodon)))
            .collect(),
    };
    let drafts = match model {
        Some((headline, highlights)) => {
            let model = Model(Content {
                headline,
                highlights,
                source: "model".into(),
            });
            social::drafts_with(&facts, &spec, &model)
        }
        None => social::drafts(&facts, &spec),
    };
    check(&drafts, &spec);
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 400,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn template_drafts_hold_for_hostile_names(
        names in prop::collection::vec(text(), 1..8),
        subject in text(),
        org in text(),
        url in site_url(),
        tags in prop::collection::vec(
            prop_oneof![Just("buildinpublic".to_string()), Just("Rust lang".to_string()),
                        Just("日本語".to_string()), "[a-z_]{1,50}", text()], 0..10),
        mastodon in 200usize..1200,
        window in prop::sample::select(vec!["2025-W46", "2025-11-14", "2025-11", "2020-W53"]),
    ) {
        case(names, subject, org, url, tags, mastodon, window, None);
    }

    #[test]
    fn model_text_is_held_to_the_same_rules(
        headline in text(),
        highlights in prop::collection::vec(text(), 0..6),
        url in site_url(),
        mastodon in 200usize..600,
    ) {
        let names = vec!["api".to_string()];
        let tags = vec!["sparky".to_string()];
        let model = Some((headline, highlights));
        case(names, "feat: x".into(), "acme".into(), url, tags, mastodon, "2025-W46", model);
    }
}

#[test]
fn every_corpus_string_in_every_field_holds() {
    for s in crate::quartz::corpus() {
        let url = Some("https://acme.github.io/docs".to_string());
        let tags = vec!["sparky".to_string(), "build in public".to_string()];
        let model = Some((s.clone(), vec![s.clone(); 3]));
        case(
            vec![s.clone()],
            s.clone(),
            s.clone(),
            url.clone(),
            tags.clone(),
            200,
            "2025-W46",
            None,
        );
        case(
            vec![s.clone()],
            s.clone(),
            s.clone(),
            url,
            tags,
            500,
            "2025-11-14",
            model,
        );
    }
}

#[test]
fn long_runs_of_hostile_text_become_threads_not_cuts() {
    let long = "@everyone #spam evil.example/x ".repeat(40);
    let model = Some((long.clone(), vec![long.clone(), long.clone(), long]));
    let url = Some("https://acme.github.io/docs".to_string());
    case(
        vec!["api".into()],
        "x".into(),
        "acme".into(),
        url,
        vec![],
        200,
        "2025-W46",
        model,
    );
}
