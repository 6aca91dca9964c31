//! Per-file numstat figures: git's binary test, and lines added/deleted counted on git's
//! default diff (xdiff's Myers with its heuristics, as gitoxide's imara-diff reproduces it) of
//! lines that keep their terminators.

use gix::bstr::ByteSlice;
use gix::diff::blob::{Algorithm, Diff, InternedInput, sources::byte_lines};

use super::model::FileChange;

/// Git's `FIRST_FEW_BYTES`: a NUL byte in this prefix makes a file binary.
const BINARY_PROBE: usize = 8000;
/// Git's default `core.bigFileThreshold`: larger files are treated as binary.
const BIG_FILE: usize = 512 * 1024 * 1024;

/// Whether git's `buffer_is_binary` (plus the big-file threshold) says binary.
pub(crate) fn is_binary(data: &[u8]) -> bool {
    data.len() > BIG_FILE || data[..data.len().min(BINARY_PROBE)].find_byte(0).is_some()
}

/// Lines in `data` as xdiff counts them: a final line without `\n` counts too.
fn count_lines(data: &[u8]) -> u32 {
    let newlines = data.iter().filter(|&&b| b == b'\n').count();
    let unterminated = usize::from(data.last().is_some_and(|&b| b != b'\n'));
    u32::try_from(newlines + unterminated).unwrap_or(u32::MAX)
}

/// One numstat line: binary if either side is, else added/deleted lines.
pub(crate) fn numstat(
    diff: &mut Diff,
    path: String,
    old: &[u8],
    new: &[u8],
    same_blob: bool,
) -> FileChange {
    let binary = is_binary(old) || is_binary(new);
    let (added, deleted) = if binary || same_blob {
        (0, 0)
    } else {
        line_changes(diff, old, new)
    };
    FileChange {
        path,
        old_path: None,
        added,
        deleted,
        binary,
    }
}

/// Lines added and deleted between `old` and `new` as git's default diff counts them, so a
/// missing final newline counts as a change like git counts it.
///
/// When one side is only the other plus lines at one place, every diff agrees and the lines
/// are counted directly. Otherwise the whole files go to the diff, not just the part between
/// the common ends: git decides which lines are too frequent to align (blank lines, braces)
/// by how often they occur in the complete files, and that decides how it aligns the rest.
pub(crate) fn line_changes(diff: &mut Diff, old: &[u8], new: &[u8]) -> (u32, u32) {
    let (old_middle, new_middle) = trim_common_lines(old, new);
    if old_middle.is_empty() || new_middle.is_empty() {
        return (count_lines(new_middle), count_lines(old_middle));
    }
    let input = InternedInput::new(byte_lines(old), byte_lines(new));
    diff.compute_with(
        Algorithm::Myers,
        &input.before,
        &input.after,
        input.interner.num_tokens(),
    );
    (diff.count_additions(), diff.count_removals())
}

/// Strips whole lines that both sides share at the start and at the end.
fn trim_common_lines<'a>(old: &'a [u8], new: &'a [u8]) -> (&'a [u8], &'a [u8]) {
    let common = common_prefix(old, new);
    let prefix = if common == old.len() && common == new.len() {
        common
    } else {
        old[..common].rfind_byte(b'\n').map_or(0, |p| p + 1)
    };
    let (old, new) = (&old[prefix..], &new[prefix..]);
    let common = common_suffix(old, new);
    // The suffix must start a line on both sides: right after a `\n` or at the start.
    let starts_line = |side: &[u8], k: usize| k == side.len() || side[side.len() - k - 1] == b'\n';
    let mut k = common;
    while k > 0 && !(starts_line(old, k) && starts_line(new, k)) {
        k -= 1;
    }
    (&old[..old.len() - k], &new[..new.len() - k])
}

/// Length of the common prefix, compared a block at a time.
pub(crate) fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 32;
    let max = a.len().min(b.len());
    let mut i = 0;
    while i + BLOCK <= max && a[i..i + BLOCK] == b[i..i + BLOCK] {
        i += BLOCK;
    }
    i + a[i..max]
        .iter()
        .zip(&b[i..max])
        .take_while(|(x, y)| x == y)
        .count()
}

/// Length of the common suffix, compared a block at a time.
pub(crate) fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 32;
    let max = a.len().min(b.len());
    let (a, b) = (&a[a.len() - max..], &b[b.len() - max..]);
    let mut k = 0;
    while k + BLOCK <= max && a[max - k - BLOCK..max - k] == b[max - k - BLOCK..max - k] {
        k += BLOCK;
    }
    k + a[..max - k]
        .iter()
        .rev()
        .zip(b[..max - k].iter().rev())
        .take_while(|(x, y)| x == y)
        .count()
}

#[cfg(test)]
mod tests {
    use proptest::collection::vec;
    use proptest::prelude::*;

    use super::*;

    fn counts(old: &str, new: &str) -> (u32, u32) {
        line_changes(&mut Diff::default(), old.as_bytes(), new.as_bytes())
    }

    #[test]
    fn missing_final_newline_counts_as_a_change() {
        assert_eq!(counts("a\nb\n", "a\nb"), (1, 1));
        assert_eq!(counts("a\nb", "a\nb\nc\n"), (2, 1));
        assert_eq!(counts("", "a"), (1, 0));
    }

    #[test]
    fn common_ends_are_trimmed_on_line_boundaries() {
        assert_eq!(
            trim_common_lines(b"x\nab\ny\n", b"x\nac\ny\n"),
            (&b"ab\n"[..], &b"ac\n"[..])
        );
        assert_eq!(counts("x\nab\ny\n", "x\nac\ny\n"), (1, 1));
        assert_eq!(counts("a\n", "a\na\n"), (1, 0));
        assert_eq!(counts("a\nb\nc\n", "a\nc\n"), (0, 1));
        assert_eq!(counts("same\n", "same\n"), (0, 0));
    }

    #[test]
    fn binary_probe_looks_at_the_first_8000_bytes() {
        let mut late = vec![b'a'; 9000];
        late[8500] = 0;
        assert!(!is_binary(&late));
        late[7999] = 0;
        assert!(is_binary(&late));
    }

    /// libgit2 carries git's xdiff: for two buffers its counts are git's own.
    fn xdiff_counts(old: &[u8], new: &[u8]) -> (u32, u32) {
        let mut opts = git2::DiffOptions::new();
        opts.force_text(true).context_lines(0);
        let patch = git2::Patch::from_buffers(old, None, new, None, Some(&mut opts))
            .expect("libgit2 diffs two buffers");
        let (_, added, deleted) = patch.line_stats().expect("line stats");
        (added as u32, deleted as u32)
    }

    /// Lines by number: the first dozen are the frequent lines of code, the rest plain.
    fn text(ids: &[u16], final_newline: bool) -> Vec<u8> {
        const COMMON: [&str; 12] = [
            "}",
            "",
            "    }",
            "    return x;",
            "fn f() {",
            "        break;",
            "    } else {",
            "// --",
            "    let y = 1;",
            "#[test]",
            "x",
            "\t",
        ];
        let mut out: Vec<u8> = ids
            .iter()
            .flat_map(|&i| {
                match COMMON.get(usize::from(i)) {
                    Some(line) => format!("{line}\n"),
                    None => format!("line {i}\n"),
                }
                .into_bytes()
            })
            .collect();
        if !final_newline {
            out.pop();
        }
        out
    }

    #[test]
    fn frequent_lines_in_the_common_ends_change_the_alignment() {
        // Many `}` lines before and after the edit make `}` frequent for git, so the `}`
        // among new lines is not aligned with the old one: git counts it deleted and added.
        let ends: Vec<u16> = std::iter::repeat_n(0, 40).collect();
        let old = [&ends[..], &[20, 21, 22, 0, 23, 24, 25, 26], &ends[..]].concat();
        let new = [&ends[..], &[30, 31, 32, 0, 33, 34, 35, 36], &ends[..]].concat();
        let (old, new) = (text(&old, true), text(&new, true));
        assert_eq!(
            line_changes(&mut Diff::default(), &old, &new),
            xdiff_counts(&old, &new)
        );
    }

    /// A line number: mostly frequent lines, like code has.
    fn line() -> impl Strategy<Value = u16> {
        prop_oneof![3 => 0u16..12, 2 => 12u16..400]
    }

    /// `old` with `edits` (position, lines removed, lines inserted) applied in turn.
    fn edited(old: &[u16], edits: Vec<(u16, usize, Vec<u16>)>) -> Vec<u16> {
        let mut new = old.to_vec();
        for (at, removed, inserted) in edits {
            let at = usize::from(at) % (new.len() + 1);
            let end = (at + removed).min(new.len());
            new.splice(at..end, inserted);
        }
        new
    }

    /// Our counts equal xdiff's for the two texts.
    fn same_as_xdiff(old: &[u16], new: &[u16], final_newline: bool) -> Result<(), TestCaseError> {
        let (old, new) = (text(old, true), text(new, final_newline));
        let ours = line_changes(&mut Diff::default(), &old, &new);
        prop_assert_eq!(ours, xdiff_counts(&old, &new));
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 250, ..ProptestConfig::default() })]

        /// Large files with many scattered edits or unrelated ones: edit costs past git's
        /// heuristic thresholds, where its cost limit cuts the search short.
        #[test]
        fn large_counts_equal_xdiffs(
            old in vec(line(), 1000..3000),
            edits in vec((any::<u16>(), 0usize..60, vec(line(), 0..60)), 20..80),
            unrelated in proptest::option::weighted(0.2, vec(line(), 1000..3000)),
        ) {
            let new = unrelated.unwrap_or_else(|| edited(&old, edits));
            same_as_xdiff(&old, &new, true)?;
        }
    }
}
