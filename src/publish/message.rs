//! Message: the commit message, listing the reports written and counting the other files.

use std::collections::BTreeMap;

use super::tree::{Change, ChangeKind};
use crate::output::manifest::Role;

/// `Sparky: 2 reports, 6 other files`, a blank line, the reports one per line, the other files
/// counted by kind, and removals listed.
pub(crate) fn compose(changes: &[Change]) -> String {
    let reports: Vec<&Change> = changes
        .iter()
        .filter(|c| c.file.as_ref().is_some_and(|f| f.role == Role::Report))
        .collect();
    let others = changes.len() - reports.len();
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let subject = match (reports.len(), others) {
        (0, n) => format!("Sparky: update {}", plural(n, "file", "files")),
        (r, 0) => format!("Sparky: {}", plural(r, "report", "reports")),
        (r, n) => format!(
            "Sparky: {}, {}",
            plural(r, "report", "reports"),
            plural(n, "other file", "other files")
        ),
    };
    let mut body = Vec::new();
    if !reports.is_empty() {
        body.push("Reports:".to_string());
        for c in &reports {
            let title = c
                .file
                .as_ref()
                .and_then(|f| f.title.as_deref())
                .unwrap_or("(untitled)");
            let how = match c.kind {
                ChangeKind::Added => "new",
                ChangeKind::Modified => "updated",
                ChangeKind::Deleted => "removed",
            };
            body.push(format!("- {} ({}, {how})", one_line(title), c.path));
        }
    }
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for c in changes.iter().filter(|c| c.kind != ChangeKind::Deleted) {
        match c.file.as_ref().map(|f| f.role) {
            Some(Role::Report) | None => {}
            Some(Role::Index) => *kinds.entry("index pages").or_default() += 1,
            Some(Role::Facts) => *kinds.entry("facts files").or_default() += 1,
            Some(Role::Chart) => *kinds.entry("charts").or_default() += 1,
            Some(Role::Social) => *kinds.entry("social drafts").or_default() += 1,
        }
    }
    if !kinds.is_empty() {
        let list: Vec<String> = kinds.iter().map(|(k, n)| format!("{n} {k}")).collect();
        if !body.is_empty() {
            body.push(String::new());
        }
        body.push(format!("Also written: {}.", list.join(", ")));
    }
    let removed: Vec<&Change> = changes
        .iter()
        .filter(|c| c.kind == ChangeKind::Deleted && c.file.is_none())
        .collect();
    if !removed.is_empty() {
        if !body.is_empty() {
            body.push(String::new());
        }
        body.push("Removed (no longer generated):".to_string());
        body.extend(removed.iter().map(|c| format!("- {}", c.path)));
    }
    format!("{subject}\n\n{}\n", body.join("\n"))
}

/// Titles are single lines already; make sure a stray control character cannot break the message.
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::publish::wanted::FileInfo;

    fn change(path: &str, kind: ChangeKind, role: Option<Role>, title: Option<&str>) -> Change {
        Change {
            path: path.into(),
            kind,
            file: role.map(|role| FileInfo {
                role,
                title: title.map(str::to_string),
            }),
        }
    }

    #[test]
    fn lists_reports_and_counts_the_rest() {
        let m = compose(&[
            change(
                "content/blog/2025/11/week-2025-46.md",
                ChangeKind::Added,
                Some(Role::Report),
                Some("This Week in acme - 2025-W46"),
            ),
            change(
                "content/blog/2025/11/week-2025-46.json",
                ChangeKind::Added,
                Some(Role::Facts),
                None,
            ),
            change(
                "content/blog/index.md",
                ChangeKind::Modified,
                Some(Role::Index),
                None,
            ),
            change(
                "content/blog/2025/11/old.svg",
                ChangeKind::Deleted,
                None,
                None,
            ),
        ]);
        assert_eq!(
            m,
            "Sparky: 1 report, 3 other files\n\n\
             Reports:\n\
             - This Week in acme - 2025-W46 (content/blog/2025/11/week-2025-46.md, new)\n\n\
             Also written: 1 facts files, 1 index pages.\n\n\
             Removed (no longer generated):\n\
             - content/blog/2025/11/old.svg\n"
        );
        let only_index = compose(&[change(
            "content/blog/index.md",
            ChangeKind::Modified,
            Some(Role::Index),
            None,
        )]);
        assert!(
            only_index.starts_with("Sparky: update 1 file\n\n"),
            "{only_index}"
        );
    }
}
