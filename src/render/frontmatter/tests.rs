//! Unit tests of front-matter writing and strict reading, including a seeded round-trip
//! property over random Unicode strings (a small xorshift generator, no extra dependency).

use super::*;
use jiff::civil::date;

fn sample() -> FrontMatter {
    FrontMatter {
        title: "This Week in raibid-labs - 2025-W46".into(),
        description: "Weekly report".into(),
        date: date(2025, 11, 14),
        tags: vec![
            "sparky".into(),
            "Weekly Report".into(),
            "#development".into(),
        ],
        author: "Sparky".into(),
        extra: vec![
            ("sparky_period".into(), FmValue::String("2025-W46".into())),
            ("sparky_commits".into(), FmValue::Int(149)),
            ("sparky_narrative".into(), FmValue::Bool(false)),
            (
                "sparky_repos".into(),
                FmValue::List(vec!["api".into(), "web".into()]),
            ),
        ],
    }
}

#[test]
fn render_writes_the_verified_safe_form() {
    assert_eq!(
        sample().render(),
        "---\n\
         title: \"This Week in raibid-labs - 2025-W46\"\n\
         description: \"Weekly report\"\n\
         date: 2025-11-14\n\
         tags:\n  - \"sparky\"\n  - \"weekly-report\"\n  - \"development\"\n\
         author: \"Sparky\"\n\
         sparky_period: \"2025-W46\"\n\
         sparky_commits: 149\n\
         sparky_narrative: false\n\
         sparky_repos:\n  - \"api\"\n  - \"web\"\n\
         ---\n"
    );
}

#[test]
fn render_quotes_hostile_strings() {
    let fm = FrontMatter {
        title: "Week #47: \"best\" %%x%% [[y]] <img src=x onerror=alert(1)>\n]]>\u{7}".into(),
        tags: vec![],
        extra: vec![],
        ..sample()
    };
    let text = fm.render();
    assert!(text.contains(
        "title: \"Week #47: \\\"best\\\" \\u0025\\u0025x\\u0025\\u0025 \\u005b\\u005by\\u005d\\u005d \u{2039}img src=x onerror=alert(1)\u{203a} \\u005d\\u005d\u{203a}\u{fffd}\"\n"
    ));
    assert!(text.contains("tags: []\n"));
    assert!(!text.contains("%%") && !text.contains("[[") && !text.contains('\t'));
}

#[test]
fn render_drops_invalid_extra_keys_and_validate_reports_them() {
    for key in ["Bad", "with-dash", "", "title", "tags", "sparky_x2"] {
        let fm = FrontMatter {
            extra: vec![(key.into(), FmValue::Bool(true))],
            ..sample()
        };
        assert!(fm.validate().is_err(), "{key:?}");
        assert_eq!(
            fm.render(),
            FrontMatter {
                extra: vec![],
                ..sample()
            }
            .render()
        );
    }
    let twice = FrontMatter {
        extra: vec![
            ("sparky_a".into(), FmValue::Int(1)),
            ("sparky_a".into(), FmValue::Int(2)),
        ],
        ..sample()
    };
    assert!(matches!(
        twice.validate().map_err(|e| e.kind),
        Err(FrontMatterErrorKind::DuplicateKey { .. })
    ));
    assert_eq!(twice.render().matches("sparky_a:").count(), 1);
    for (n, kept) in [
        (9_007_199_254_740_991, true),
        (-9_007_199_254_740_991, true),
        (9_007_199_254_740_992, false),
        (i64::MIN, false),
    ] {
        let fm = FrontMatter {
            extra: vec![("sparky_n".into(), FmValue::Int(n))],
            ..sample()
        };
        assert_eq!(fm.validate().is_ok(), kept, "{n}");
        assert_eq!(
            fm.render().contains(&format!("sparky_n: {n}\n")),
            kept,
            "{n}"
        );
    }
    assert!(sample().validate().is_ok());
}

#[test]
fn parse_reads_back_what_render_writes() {
    let page = format!("{}## Section\n\nbody\n", sample().render());
    let (parsed, body) = parse(&page).expect("parses");
    assert_eq!(body, "## Section\n\nbody\n");
    assert_eq!(parsed.to_front_matter(), Ok(sample().normalized()));
    assert_eq!(parsed.entry("date").map(|e| e.line), Some(4));
}

#[test]
fn parse_accepts_what_a_person_might_leave() {
    let page = "---\r\n\
                # edited by hand\r\n\
                title: My week\r\n\
                date: 2025-11-14\r\n\
                \r\n\
                draft: false\r\n\
                weight: -3\r\n\
                tags: [sparky, \"weekly report\", 2025]\r\n\
                aliases:\r\n\
                - old-name\r\n\
                - \"other\"\r\n\
                published: 2025-11-14T10:00:00Z\r\n\
                empty:\r\n\
                gone: null\r\n\
                ---\r\n\
                body";
    let (parsed, body) = parse(page).expect("parses");
    assert_eq!(body, "body");
    let get = |k: &str| parsed.get(k).cloned();
    assert_eq!(
        get("title"),
        Some(Value::Scalar(Scalar::Str("My week".into())))
    );
    assert_eq!(
        get("date"),
        Some(Value::Scalar(Scalar::Date(date(2025, 11, 14))))
    );
    assert_eq!(get("draft"), Some(Value::Scalar(Scalar::Bool(false))));
    assert_eq!(get("weight"), Some(Value::Scalar(Scalar::Int(-3))));
    assert_eq!(
        get("tags"),
        Some(Value::List(vec![
            Scalar::Str("sparky".into()),
            Scalar::Str("weekly report".into()),
            Scalar::Int(2025)
        ]))
    );
    assert_eq!(
        get("aliases"),
        Some(Value::List(vec![
            Scalar::Str("old-name".into()),
            Scalar::Str("other".into())
        ]))
    );
    assert!(matches!(
        get("published"),
        Some(Value::Scalar(Scalar::Timestamp(_)))
    ));
    assert_eq!(get("empty"), Some(Value::Scalar(Scalar::Null)));
    assert_eq!(get("gone"), Some(Value::Scalar(Scalar::Null)));
    assert_eq!(
        parse("---\n---\n").map(|(p, b)| (p.entries.len(), b)),
        Ok((0, ""))
    );
    assert_eq!(
        parse("---\ntitle: 2025-11-14 weekly\n---\n").map(|(p, _)| p.get("title").cloned()),
        Ok(Some(Value::Scalar(Scalar::Str("2025-11-14 weekly".into()))))
    );
}

/// `(page, line, kind)` for one rejected front matter.
fn rejects(page: &str) -> (usize, FrontMatterErrorKind) {
    match parse(page) {
        Ok(parsed) => panic!("accepted {page:?}: {parsed:?}"),
        Err(e) => (e.line, e.kind),
    }
}

#[test]
fn parse_rejects_what_breaks_or_mangles_quartz() {
    use FrontMatterErrorKind as K;
    let cases: Vec<(&str, usize, K)> = vec![
        ("title: x\n", 1, K::MissingOpening),
        ("\n---\ntitle: x\n---\n", 1, K::MissingOpening),
        ("--- \ntitle: x\n---\n", 1, K::MissingOpening),
        ("---\ntitle: x\n", 2, K::MissingClosing),
        ("---\ntitle: x\n----\n", 3, K::DelimiterLike),
        ("---\ntitle: This Week: W47\n---\n", 2, K::UnquotedColon),
        ("---\ntitle: Week #47 report\n---\n", 2, K::CommentInValue),
        (
            "---\ntitle: @me\n---\n",
            2,
            K::IndicatorStart { indicator: '@' },
        ),
        (
            "---\ntitle: *bold\n---\n",
            2,
            K::IndicatorStart { indicator: '*' },
        ),
        (
            "---\ntitle: | x\n---\n",
            2,
            K::IndicatorStart { indicator: '|' },
        ),
        (
            "---\ntags: [#sparky]\n---\n",
            2,
            K::IndicatorStart { indicator: '#' },
        ),
        ("---\ntags: [a, b\n---\n", 2, K::UnclosedList),
        ("---\ntags: [a, [b]]\n---\n", 2, K::Nested),
        ("---\ntags: [a, , b]\n---\n", 2, K::EmptyListItem),
        ("---\ntitle: 'Sparky's week'\n---\n", 2, K::SingleQuoted),
        (
            "---\ntitle: \"The \"best\" week\"\n---\n",
            2,
            K::TrailingText,
        ),
        (
            "---\ntitle: \"path\\q\"\n---\n",
            2,
            K::BadEscape {
                escape: "\\q".into(),
            },
        ),
        (
            "---\ntitle: \"\\x41\"\n---\n",
            2,
            K::BadEscape {
                escape: "\\x".into(),
            },
        ),
        (
            "---\ntitle: \"\\ud800x\"\n---\n",
            2,
            K::BadEscape {
                escape: "\\ud800".into(),
            },
        ),
        ("---\ntitle: \"open\n---\n", 2, K::UnterminatedString),
        (
            "---\ntitle: \"bell \\u0007\"\n---\n",
            2,
            K::ControlChar {
                code: "U+0007".into(),
            },
        ),
        (
            "---\ntitle: \"two\\nlines\"\n---\n",
            2,
            K::ControlChar {
                code: "U+000A".into(),
            },
        ),
        (
            "---\ntitle: a\u{202e}b\n---\n",
            2,
            K::ControlChar {
                code: "U+202E".into(),
            },
        ),
        (
            "---\ntitle: x\ntitle: y\n---\n",
            3,
            K::DuplicateKey {
                key: "title".into(),
                first_line: 2,
            },
        ),
        ("---\ntitle:\tx\n---\n", 2, K::Tab),
        ("---\ntags:\n\t- a\n---\n", 3, K::Tab),
        ("---\ntitle = \"toml\"\n---\n", 2, K::ExpectedKey),
        ("---\n  title: x\n---\n", 2, K::ExpectedKey),
        (
            "---\ntitle:x\n---\n",
            2,
            K::SpaceAfterColon {
                key: "title".into(),
            },
        ),
        (
            "---\n\"title\": x\n---\n",
            2,
            K::BadKey {
                key: "\"title\"".into(),
            },
        ),
        ("---\n- a\n---\n", 2, K::OrphanListItem),
        ("---\ntags:\n  - a\n    - b\n---\n", 4, K::ListIndent),
        ("---\ntags:\n  -\n---\n", 3, K::EmptyListItem),
        ("---\ntags:\n  - - a\n---\n", 3, K::Nested),
        ("---\nmeta: {a: 1}\n---\n", 2, K::Nested),
        ("---\ntitle: \"%%x\"\n---\n", 2, K::ObsidianComment),
        ("---\ntitle: a [[b]]\n---\n", 2, K::Wikilink),
        (
            "---\nweight: 1.5\n---\n",
            2,
            K::AmbiguousScalar { text: "1.5".into() },
        ),
        (
            "---\nweight: 0x1f\n---\n",
            2,
            K::AmbiguousScalar {
                text: "0x1f".into(),
            },
        ),
        (
            "---\nweight: 1_000\n---\n",
            2,
            K::AmbiguousScalar {
                text: "1_000".into(),
            },
        ),
        (
            "---\nweight: 007\n---\n",
            2,
            K::AmbiguousScalar { text: "007".into() },
        ),
        (
            "---\nweight: .inf\n---\n",
            2,
            K::AmbiguousScalar {
                text: ".inf".into(),
            },
        ),
        (
            "---\nweight: +1\n---\n",
            2,
            K::AmbiguousScalar { text: "+1".into() },
        ),
        (
            "---\nweight: 99999999999999999999\n---\n",
            2,
            K::IntOutOfRange {
                text: "99999999999999999999".into(),
            },
        ),
        (
            "---\nweight: -9007199254740992\n---\n",
            2,
            K::IntOutOfRange {
                text: "-9007199254740992".into(),
            },
        ),
        (
            "---\ndate: 2025-13-40\n---\n",
            2,
            K::InvalidDate {
                text: "2025-13-40".into(),
            },
        ),
        (
            "---\ndate: 2025-11-14Tnoon\n---\n",
            2,
            K::InvalidDate {
                text: "2025-11-14Tnoon".into(),
            },
        ),
    ];
    for (page, line, kind) in cases {
        assert_eq!(rejects(page), (line, kind), "{page:?}");
    }
}

#[test]
fn errors_name_the_line() {
    let err = parse("---\ntitle: x\ntitle: y\n---\n").expect_err("duplicate");
    assert_eq!(
        err.to_string(),
        "front matter line 3: duplicate key `title` (first on line 2); js-yaml fails the build on it"
    );
}

#[test]
fn to_front_matter_checks_types() {
    use FrontMatterErrorKind as K;
    let kind = |page: &str| {
        parse(page)
            .expect("parses")
            .0
            .to_front_matter()
            .map_err(|e| (e.line, e.kind))
    };
    assert_eq!(
        kind("---\ndate: 2025-01-01\n---\n"),
        Err((1, K::MissingKey { key: "title" }))
    );
    assert_eq!(
        kind("---\ntitle: x\n---\n"),
        Err((1, K::MissingKey { key: "date" }))
    );
    assert_eq!(
        kind("---\ntitle: 5\ndate: 2025-01-01\n---\n"),
        Err((
            2,
            K::WrongType {
                key: "title".into(),
                expected: "a string"
            }
        ))
    );
    assert_eq!(
        kind("---\ntitle: x\ndate: soon\n---\n"),
        Err((
            3,
            K::WrongType {
                key: "date".into(),
                expected: "a date (YYYY-MM-DD)"
            }
        ))
    );
    assert_eq!(
        kind("---\ntitle: x\ndate: 2025-01-01\ntags: [a, 1]\n---\n"),
        Err((
            4,
            K::WrongType {
                key: "tags".into(),
                expected: "a list of strings"
            }
        ))
    );
    assert_eq!(
        kind("---\ntitle: x\ndate: 2025-01-01\nenableToc: true\n---\n"),
        Err((
            4,
            K::InvalidExtraKey {
                key: "enableToc".into()
            }
        ))
    );
    let quoted_date = kind("---\ntitle: x\ndate: \"2025-01-02\"\n---\n").map(|fm| fm.date);
    assert_eq!(quoted_date, Ok(date(2025, 1, 2)));
}

/// Strings that have broken or mangled Quartz front matter, or are likely to break a parser.
const HOSTILE: &[&str] = &[
    "",
    " ",
    "This Week: W47",
    "Week #47 report",
    "'Sparky's week'",
    "\"The \"best\" week\"",
    "path\\q",
    "@mention",
    "*bold",
    "[not a list",
    "[#sparky]",
    "---",
    "key: value",
    "%%hidden%% and %%",
    "[[wikilink]] ![[embed]]",
    "<script>alert(1)</script>",
    "]]>",
    "a\u{7}b\u{fffe}c\u{ffff}",
    "rtl \u{202e}txet\u{202c}",
    "\u{feff}bom\u{200b}zw\u{200d}j",
    "line\nbreak\r\nand\rcr\ttab",
    "\u{1f468}\u{200d}\u{1f469}\u{200d}\u{1f467} family",
    "null",
    "true",
    "2025-11-14",
    "123",
    "\\u0025 literal",
    "\u{85}next line\u{2028}ls\u{2029}ps",
    "\u{10ffff}\u{e000}\u{d7ff}",
];

#[test]
fn round_trip_hostile_strings() {
    for s in HOSTILE {
        let fm = FrontMatter {
            title: (*s).into(),
            description: format!("{s} {s}"),
            date: date(2025, 11, 14),
            tags: vec![(*s).into(), "x".into()],
            author: (*s).into(),
            extra: vec![
                ("sparky_s".into(), FmValue::String((*s).into())),
                (
                    "sparky_l".into(),
                    FmValue::List(vec![(*s).into(), String::new()]),
                ),
            ],
        };
        assert_round_trip(&fm);
    }
}

fn assert_round_trip(fm: &FrontMatter) {
    let page = fm.render();
    let parsed = match parse(&page) {
        Ok((parsed, body)) => {
            assert_eq!(body, "");
            parsed
        }
        Err(e) => panic!("{e}\n{page}"),
    };
    let expected = fm.normalized();
    assert_eq!(parsed.to_front_matter().as_ref(), Ok(&expected), "{page}");
    assert_eq!(expected.normalized(), expected, "normalized is idempotent");
    assert_eq!(
        expected.render(),
        page,
        "render of the normalized value is the same text"
    );
}

/// xorshift64*: deterministic, good enough to spread over the code-point space.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// A random character, biased towards the ones that matter to YAML, Markdown and Quartz.
    fn char(&mut self) -> char {
        const SPECIAL: &str = "\"\\'%[]{}#:@*&!|>-<=^$`~,?\n\r\t \u{0}\u{7}\u{1b}\u{7f}\u{85}\u{a0}\u{200b}\u{200d}\u{202e}\u{2066}\u{feff}\u{fffe}\u{ffff}\u{fffd}\u{2028}";
        match self.below(4) {
            0 => SPECIAL
                .chars()
                .nth(self.below(SPECIAL.chars().count() as u64) as usize),
            1 => char::from_u32(0x20 + self.below(0x5f) as u32),
            2 => char::from_u32(self.below(0x800) as u32),
            _ => char::from_u32(self.below(0x11_0000) as u32),
        }
        .unwrap_or('\u{fffd}')
    }

    /// Mostly integers Quartz reads exactly, sometimes any `i64` (which render leaves out).
    fn int(&mut self) -> i64 {
        let any = self.next() as i64;
        match self.below(4) {
            0 => any,
            1 => any % 1000,
            _ => any % (MAX_SAFE_INTEGER as i64 + 1),
        }
    }

    fn string(&mut self) -> String {
        let len = self.below(40);
        (0..len).map(|_| self.char()).collect()
    }
}

#[test]
fn round_trip_random_unicode_strings() {
    let mut rng = Rng(0x5eed_5eed_1234_5678);
    for _ in 0..2_000 {
        let fm = FrontMatter {
            title: rng.string(),
            description: rng.string(),
            date: date(
                1970 + rng.below(130) as i16,
                1 + rng.below(12) as i8,
                1 + rng.below(28) as i8,
            ),
            tags: (0..rng.below(4)).map(|_| rng.string()).collect(),
            author: rng.string(),
            extra: vec![
                ("sparky_hash".into(), FmValue::String(rng.string())),
                ("sparky_n".into(), FmValue::Int(rng.int())),
                ("sparky_b".into(), FmValue::Bool(rng.below(2) == 0)),
                (
                    "sparky_l".into(),
                    FmValue::List((0..rng.below(3)).map(|_| rng.string()).collect()),
                ),
            ],
        };
        assert_round_trip(&fm);
    }
}
