//! Word tables for claim extraction: units that give a number its meaning, hedges that allow
//! rounding, number words, month and weekday names, and the ordinary English words that may be
//! capitalised without naming anyone.

use std::collections::HashSet;
use std::sync::OnceLock;

use jiff::civil::Weekday;

/// What a figure counts; a number followed by a unit word must match a figure of that kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Kind {
    Commits,
    Lines,
    Files,
    /// People, bots excluded.
    People,
    /// Everyone who committed, bots included.
    Authors,
    Bots,
    Repos,
    PullRequests,
    Tags,
    Breaking,
    Days,
    Percent,
    /// A number that occurs in commit text (a version, an HTTP status…), not a count.
    Text,
}

use Kind::*;

/// Unit words and phrases (lowercase, longest first where they share a start).
pub(super) const UNITS: &[(&str, &[Kind])] = &[
    ("pull requests", &[PullRequests]),
    ("pull request", &[PullRequests]),
    ("merge requests", &[PullRequests]),
    ("merge request", &[PullRequests]),
    ("merge commits", &[Commits]),
    ("merge commit", &[Commits]),
    ("breaking changes", &[Breaking]),
    ("breaking change", &[Breaking]),
    ("file changes", &[Files]),
    ("file change", &[Files]),
    ("bug fixes", &[Commits]),
    ("commits", &[Commits]),
    ("commit", &[Commits]),
    ("features", &[Commits]),
    ("feature", &[Commits]),
    ("fixes", &[Commits]),
    ("fix", &[Commits]),
    ("bugfixes", &[Commits]),
    ("refactors", &[Commits]),
    ("refactor", &[Commits]),
    ("chores", &[Commits]),
    ("changes", &[Commits, Lines, Files]),
    ("change", &[Commits, Lines, Files]),
    ("lines", &[Lines]),
    ("line", &[Lines]),
    ("files", &[Files]),
    ("file", &[Files]),
    ("people", &[People, Authors]),
    ("person", &[People, Authors]),
    ("persons", &[People, Authors]),
    ("humans", &[People, Authors]),
    ("authors", &[People, Authors]),
    ("author", &[People, Authors]),
    ("contributors", &[People, Authors]),
    ("contributor", &[People, Authors]),
    ("developers", &[People, Authors]),
    ("developer", &[People, Authors]),
    ("engineers", &[People, Authors]),
    ("committers", &[People, Authors]),
    ("newcomers", &[People, Authors]),
    ("maintainers", &[People, Authors]),
    ("bots", &[Bots, Authors]),
    ("bot", &[Bots, Authors]),
    ("repositories", &[Repos]),
    ("repository", &[Repos]),
    ("repos", &[Repos]),
    ("repo", &[Repos]),
    ("projects", &[Repos]),
    ("prs", &[PullRequests]),
    ("pr", &[PullRequests]),
    ("mrs", &[PullRequests]),
    ("tags", &[Tags]),
    ("tag", &[Tags]),
    ("releases", &[Tags]),
    ("release", &[Tags]),
    ("days", &[Days]),
    ("day", &[Days]),
];

/// How a number is hedged: it may then be a rounded figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Hedge {
    /// Exact.
    None,
    /// "about 1,200": the figure rounds to it.
    About,
    /// "over 40": the figure is above it, by less than one rounding step.
    Over,
    /// "nearly 50": the figure is below it, by less than one rounding step.
    Under,
}

/// Hedge words and phrases, matched right before a number (lowercase).
pub(super) const HEDGES: &[(&str, Hedge)] = &[
    ("more than", Hedge::Over),
    ("just over", Hedge::Over),
    ("over", Hedge::Over),
    ("above", Hedge::Over),
    ("upwards of", Hedge::Over),
    ("fewer than", Hedge::Under),
    ("less than", Hedge::Under),
    ("just under", Hedge::Under),
    ("under", Hedge::Under),
    ("below", Hedge::Under),
    ("nearly", Hedge::Under),
    ("almost", Hedge::Under),
    ("close to", Hedge::About),
    ("about", Hedge::About),
    ("around", Hedge::About),
    ("roughly", Hedge::About),
    ("approximately", Hedge::About),
    ("some", Hedge::About),
];

/// Number words (lowercase). "one" is left out: it is mostly a pronoun.
pub(super) const NUMBER_WORDS: &[(&str, u64)] = &[
    ("zero", 0),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("eleven", 11),
    ("twelve", 12),
    ("thirteen", 13),
    ("fourteen", 14),
    ("fifteen", 15),
    ("sixteen", 16),
    ("seventeen", 17),
    ("eighteen", 18),
    ("nineteen", 19),
    ("twenty", 20),
    ("thirty", 30),
    ("forty", 40),
    ("fifty", 50),
    ("sixty", 60),
    ("seventy", 70),
    ("eighty", 80),
    ("ninety", 90),
    ("hundred", 100),
    ("dozen", 12),
];

/// Words that claim a ratio, with the percent change they mean.
pub(super) const RATIO_WORDS: &[(&str, i64)] = &[
    ("doubled", 100),
    ("tripled", 200),
    ("quadrupled", 300),
    ("halved", -50),
    ("twofold", 100),
    ("threefold", 200),
];

pub(super) const MONTHS: &[(&str, i8)] = &[
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sep", 9),
    ("sept", 9),
    ("oct", 10),
    ("nov", 11),
    ("dec", 12),
];

pub(super) const WEEKDAYS: &[(&str, Weekday)] = &[
    ("monday", Weekday::Monday),
    ("tuesday", Weekday::Tuesday),
    ("wednesday", Weekday::Wednesday),
    ("thursday", Weekday::Thursday),
    ("friday", Weekday::Friday),
    ("saturday", Weekday::Saturday),
    ("sunday", Weekday::Sunday),
];

/// Nouns after which the word before names a repository ("the payments repository").
pub(super) const REPO_NOUNS: &[&str] = &[
    "repository",
    "repositories",
    "repo",
    "repos",
    "project",
    "codebase",
    "service",
    "package",
    "module",
    "library",
    "crate",
];

/// Words before a repository noun that do not name one ("the busiest repository").
const REPO_STOP: &str = "
    a an the this that these those each every any all both either neither one its their our
    your his her same other another whole entire main primary single only own respective
    separate individual remaining active inactive busiest busy quietest quiet largest biggest
    smallest most least more less top new old first second third last next previous third
    particular given three two four five several many few affected related core shared
    organisation organization org team every
";

/// Proper nouns and acronyms any report may use.
const BUILT_IN: &str = "
    sparky git github gitlab codeberg bitbucket quartz iso utc ci cd api apis pr prs mr mrs ui
    ux cli sdk http https json yaml toml sql db id ids url urls readme changelog todo qa ok
    markdown
";

/// Ordinary words that may start a sentence (or be capitalised) without naming anyone. Words
/// that are also common first names (Will, Mark, Grace…) are left out on purpose.
const COMMON: &str = "
    a about above across activity added adding additionally after afterwards again against
    all almost along alongside already also although altogether among amid an and another any
    anyone anything apart are around as at authors average back backed based be because been
    before behind being below beside besides between beyond big bigger biggest both brief
    briefly bringing brought bug bugs build builds busier busiest busy but by calm change
    changes cleanup closing code collectively combined commit commits compared comparison
    completed concluding considerable consistent continued continuing contributing
    contribution contributions contributors could count counts credit current currently
    daily day days despite development did do does done down driven driving during each
    early earlier efforts eight elsewhere end ending even every everyone everything
    everywhere fairly far few fewer file files finally first five fix fixes focus following
    for four from full further furthermore given good great had half hand has have having he
    healthy heavy her here highlights his how however if improvements in including indeed
    inside instead into is it its just key large larger largest last late later lead leading
    least less light lighter like likewise line lines little lots low main mainly maintenance
    major many meanwhile merged merges midweek minor month monthly more moreover most mostly
    much my nearly new newcomers next nine no none nor not notable notably nothing now
    numbers of off on once one only or other others otherwise our out outside over overall
    own part particular people per period plenty plus previous progress quiet quieter
    quietest quite rather recent refactoring release released releases remaining repository
    repositories review rounding same second seven several she shipped shipping short
    similarly since six small smaller so solid some someone something soon special stable
    steady still strong such summary ten than thanks that the their them then there
    thereafter these they third this those though three through throughout thus to today
    together too total totals two under unlike until up upon us various very was we week
    weekend weekly were what when where whereas which while who whole whose why with within
    without work worked working worth year yearly yet you your welcome welcoming congratulations
    kudos great nice impressive good strong notably elsewhere alongside exciting productive
    remarkable significant excellent huge fantastic amazing wonderful interesting ongoing
    looking moving speaking turning shoutout special happy numerous multiple plenty lots
    dependency dependencies maintenance housekeeping tooling infrastructure testing docs
    documentation features feature routes route pipeline deploy deployment routine
";

fn set(text: &'static str) -> HashSet<&'static str> {
    text.split_whitespace().collect()
}

pub(super) fn is_common(word_lower: &str) -> bool {
    static S: OnceLock<HashSet<&'static str>> = OnceLock::new();
    S.get_or_init(|| set(COMMON)).contains(word_lower)
}

pub(super) fn is_built_in(word_lower: &str) -> bool {
    static S: OnceLock<HashSet<&'static str>> = OnceLock::new();
    S.get_or_init(|| set(BUILT_IN)).contains(word_lower)
}

pub(super) fn is_repo_stop(word_lower: &str) -> bool {
    static S: OnceLock<HashSet<&'static str>> = OnceLock::new();
    S.get_or_init(|| set(REPO_STOP)).contains(word_lower)
}

/// Suffixes of English adverbs, adjectives and nouns that names rarely have.
const SUFFIXES: &[&str] = &[
    "ly", "ing", "ed", "tion", "sion", "ment", "ness", "ity", "ful", "ous", "ive", "able", "ible",
    "al", "ic", "less", "est", "ies",
];

/// Whether a word (lowercase, 5 letters or more) ends like an English adverb, adjective or
/// abstract noun.
pub(super) fn looks_english(word_lower: &str) -> bool {
    word_lower.chars().count() >= 5 && SUFFIXES.iter().any(|s| word_lower.ends_with(s))
}

pub(super) fn number_word(word_lower: &str) -> Option<u64> {
    NUMBER_WORDS
        .iter()
        .find(|(w, _)| *w == word_lower)
        .map(|(_, n)| *n)
}

pub(super) fn month(word_lower: &str) -> Option<i8> {
    let w = word_lower.trim_end_matches('.');
    MONTHS.iter().find(|(m, _)| *m == w).map(|(_, n)| *n)
}

pub(super) fn weekday(word_lower: &str) -> Option<Weekday> {
    WEEKDAYS
        .iter()
        .find(|(d, _)| *d == word_lower)
        .map(|(_, d)| *d)
}
