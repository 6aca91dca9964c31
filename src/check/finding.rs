//! Findings: one problem in one page, at one line, of one kind; printed as
//! `path:line: kind: message` or as JSON.

use serde::Serialize;

/// What a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// The front matter does not parse as Quartz would read it, or lacks title, date or tags.
    FrontMatter,
    /// `sparky_period` is not a window, or the date is not its last day.
    Period,
    /// The facts file is missing, unreadable or of another period.
    Facts,
    /// The description's figures differ from the facts.
    Description,
    /// The tags differ from the kind of report and its active repositories.
    Tags,
    /// The page no longer matches its `sparky_hash`: a person edited it.
    Edited,
    /// A level-1 heading in the body.
    H1,
    /// A wikilink whose target does not exist.
    Wikilink,
    /// A relative Markdown link or image whose file does not exist.
    Link,
    /// Markup Sparky never writes: raw HTML, `[[`, `%%`, `==`, `$`, `#tag`, a callout.
    Markup,
    /// A number in the prose that the facts do not contain.
    Number,
    /// An index page's entry disagrees with the page it lists.
    Index,
    /// A page Sparky did not write sits at the path of one of its reports.
    Foreign,
}

impl Kind {
    pub fn as_str(&self) -> &'static str {
        match self {
            Kind::FrontMatter => "front-matter",
            Kind::Period => "period",
            Kind::Facts => "facts",
            Kind::Description => "description",
            Kind::Tags => "tags",
            Kind::Edited => "edited",
            Kind::H1 => "h1",
            Kind::Wikilink => "wikilink",
            Kind::Link => "link",
            Kind::Markup => "markup",
            Kind::Number => "number",
            Kind::Index => "index",
            Kind::Foreign => "foreign",
        }
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a finding fails the check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The page, relative to the content folder, with `/` separators.
    pub file: String,
    /// 1-based line in the page.
    pub line: usize,
    pub kind: Kind,
    pub severity: Severity,
    pub message: String,
}

impl Finding {
    /// `path:line: kind: message`, with `path` the page as the user names it.
    pub fn to_line(&self, path: &str) -> String {
        format!("{path}:{}: {}: {}", self.line, self.kind, self.message)
    }

    /// The order findings are reported in: file, line, kind, message.
    pub fn sort(findings: &mut [Finding]) {
        findings.sort_by(|a, b| {
            (&a.file, a.line, a.kind.as_str(), &a.message).cmp(&(
                &b.file,
                b.line,
                b.kind.as_str(),
                &b.message,
            ))
        });
    }
}

/// Collects the findings of one page.
pub(super) struct Sink {
    file: String,
    pub findings: Vec<Finding>,
}

impl Sink {
    pub fn new(file: &str) -> Sink {
        Sink {
            file: file.to_string(),
            findings: Vec::new(),
        }
    }

    pub fn error(&mut self, line: usize, kind: Kind, message: impl Into<String>) {
        self.push(line, kind, Severity::Error, message.into());
    }

    pub fn warning(&mut self, line: usize, kind: Kind, message: impl Into<String>) {
        self.push(line, kind, Severity::Warning, message.into());
    }

    fn push(&mut self, line: usize, kind: Kind, severity: Severity, message: String) {
        self.findings.push(Finding {
            file: self.file.clone(),
            line,
            kind,
            severity,
            message,
        });
    }
}
