//! Rename detection as git's `diffcore_rename` does it for `git log` with default settings:
//! exact renames first, then unique-basename pairs at a higher bar, then the full similarity
//! matrix (no copies, 50 % similarity, rename limit 1000), with git's span-hash similarity.

/// Git's `MAX_SCORE`: similarity is a fraction of this.
const MAX_SCORE: u64 = 60_000;
/// `diff.renames` default minimum score: 50 %.
const MIN_SCORE: u64 = MAX_SCORE / 2;
/// Basename matches need to be halfway between the minimum score and identical.
const MIN_BASENAME_SCORE: u64 = MIN_SCORE + (MAX_SCORE - MIN_SCORE) / 2;
/// Git's default `diff.renameLimit`: the matrix is skipped above limit² pairs.
pub(crate) const RENAME_LIMIT: usize = 1000;
/// Candidates kept per destination in the matrix (`NUM_CANDIDATE_PER_DST`).
const CANDIDATES_PER_DST: usize = 4;
/// How many identical sources git looks at for one exact destination.
const EXACT_ALTERNATIVES: usize = 100;

/// One side of a possible rename: a deleted file (source) or an added file (destination).
pub(crate) struct Candidate<'a> {
    pub path: &'a [u8],
    pub oid: &'a gix::oid,
    /// The raw git mode (e.g. `0o100644`).
    pub mode: u32,
    /// The content, `None` when it could not be read (such a file only pairs exactly).
    pub data: Option<&'a [u8]>,
    pub binary: bool,
}

fn is_regular(mode: u32) -> bool {
    mode & 0o170000 == 0o100000
}

/// Returns `(source, destination)` index pairs. Both slices must be in git's diff-queue order
/// (sorted by path); the result is sorted by destination.
pub(crate) fn detect(srcs: &[Candidate<'_>], dsts: &[Candidate<'_>]) -> Vec<(usize, usize)> {
    let mut pairs = Vec::new();
    if srcs.is_empty() || dsts.is_empty() {
        return pairs;
    }
    let mut src_used = vec![false; srcs.len()];
    let mut dst_done = vec![false; dsts.len()];
    exact(srcs, dsts, &mut src_used, &mut dst_done, &mut pairs);
    let mut spans: Vec<Option<Spans>> = (0..srcs.len() + dsts.len()).map(|_| None).collect();
    let mut sim = |s: usize, d: usize, min: u64| {
        let (src, dst) = (&srcs[s], &dsts[d]);
        let (Some(sdata), Some(ddata)) = (src.data, dst.data) else {
            return 0;
        };
        if !is_regular(src.mode) || !is_regular(dst.mode) {
            return 0;
        }
        let (ss, ds) = (sdata.len() as u64, ddata.len() as u64);
        let (max, base) = (ss.max(ds), ss.min(ds));
        if max * (MAX_SCORE - min) < (max - base) * MAX_SCORE || ds == 0 {
            return 0;
        }
        let k = srcs.len() + d;
        if spans[s].is_none() {
            spans[s] = Some(Spans::of(sdata, !src.binary));
        }
        if spans[k].is_none() {
            spans[k] = Some(Spans::of(ddata, !dst.binary));
        }
        match (&spans[s], &spans[k]) {
            (Some(sh), Some(dh)) => sh.copied_into(dh) * MAX_SCORE / max,
            _ => 0,
        }
    };
    basenames(
        srcs,
        dsts,
        &mut src_used,
        &mut dst_done,
        &mut pairs,
        &mut sim,
    );

    let left_src: Vec<usize> = (0..srcs.len()).filter(|&s| !src_used[s]).collect();
    let left_dst: Vec<usize> = (0..dsts.len()).filter(|&d| !dst_done[d]).collect();
    if left_src.is_empty()
        || left_dst.is_empty()
        || left_src.len().saturating_mul(left_dst.len()) > RENAME_LIMIT * RENAME_LIMIT
    {
        pairs.sort_unstable_by_key(|&(_, d)| d);
        return pairs;
    }
    let mut matrix = Vec::with_capacity(left_dst.len() * CANDIDATES_PER_DST);
    for &d in &left_dst {
        let mut slots = [Slot::EMPTY; CANDIDATES_PER_DST];
        for &s in &left_src {
            let score = sim(s, d, MIN_SCORE);
            let name_score = u8::from(basename_same(srcs[s].path, dsts[d].path));
            record_if_better(
                &mut slots,
                Slot {
                    dst: Some(d),
                    src: s,
                    score,
                    name_score,
                },
            );
        }
        matrix.extend(slots);
    }
    matrix.sort_by(Slot::order); // stable, like git's STABLE_QSORT
    for slot in matrix {
        let Some(d) = slot.dst else { break };
        if slot.score < MIN_SCORE {
            break;
        }
        if dst_done[d] || src_used[slot.src] {
            continue;
        }
        dst_done[d] = true;
        src_used[slot.src] = true;
        pairs.push((slot.src, d));
    }
    pairs.sort_unstable_by_key(|&(_, d)| d);
    pairs
}

/// `find_exact_renames`: same blob id (and same mode unless both are regular files); among
/// several identical sources prefer one with the same basename, else the first.
fn exact(
    srcs: &[Candidate<'_>],
    dsts: &[Candidate<'_>],
    src_used: &mut [bool],
    dst_done: &mut [bool],
    pairs: &mut Vec<(usize, usize)>,
) {
    let mut by_oid: gix::hashtable::HashMap<&gix::oid, Vec<usize>> = Default::default();
    for (i, s) in srcs.iter().enumerate() {
        by_oid.entry(s.oid).or_default().push(i);
    }
    for (d, dst) in dsts.iter().enumerate() {
        let Some(list) = by_oid.get(dst.oid) else {
            continue;
        };
        let mut best: Option<(usize, u8)> = None;
        let mut alternatives = EXACT_ALTERNATIVES;
        for &s in list {
            let src = &srcs[s];
            if (!is_regular(src.mode) || !is_regular(dst.mode)) && src.mode != dst.mode {
                continue;
            }
            if src_used[s] {
                continue;
            }
            let score = 1 + u8::from(basename_same(src.path, dst.path));
            if best.is_none_or(|(_, b)| score > b) {
                best = Some((s, score));
                if score == 2 {
                    break;
                }
            }
            alternatives -= 1;
            if alternatives == 0 {
                break;
            }
        }
        if let Some((s, _)) = best {
            src_used[s] = true;
            dst_done[d] = true;
            pairs.push((s, d));
        }
    }
}

/// `find_basename_matches`: a source and a destination whose basename is unique on both sides
/// pair up when they are at least [`MIN_BASENAME_SCORE`] similar.
fn basenames(
    srcs: &[Candidate<'_>],
    dsts: &[Candidate<'_>],
    src_used: &mut [bool],
    dst_done: &mut [bool],
    pairs: &mut Vec<(usize, usize)>,
    sim: &mut impl FnMut(usize, usize, u64) -> u64,
) {
    use std::collections::HashMap;
    fn unique<'a>(
        items: impl Iterator<Item = (usize, &'a [u8])>,
    ) -> HashMap<&'a [u8], Option<usize>> {
        let mut map = HashMap::new();
        for (i, path) in items {
            map.entry(basename(path))
                .and_modify(|v| *v = None)
                .or_insert(Some(i));
        }
        map
    }
    let src_names = unique(
        (0..srcs.len())
            .filter(|&s| !src_used[s])
            .map(|s| (s, srcs[s].path)),
    );
    let dst_names = unique(
        (0..dsts.len())
            .filter(|&d| !dst_done[d])
            .map(|d| (d, dsts[d].path)),
    );
    let remaining: Vec<usize> = (0..srcs.len()).filter(|&s| !src_used[s]).collect();
    for s in remaining {
        let base = basename(srcs[s].path);
        let (Some(Some(_)), Some(&Some(d))) = (src_names.get(base), dst_names.get(base)) else {
            continue;
        };
        if dst_done[d] || sim(s, d, MIN_BASENAME_SCORE) < MIN_BASENAME_SCORE {
            continue;
        }
        src_used[s] = true;
        dst_done[d] = true;
        pairs.push((s, d));
    }
}

fn basename(path: &[u8]) -> &[u8] {
    path.rsplit(|&b| b == b'/').next().unwrap_or(path)
}

/// Git's `basename_same`: the final path components are equal.
fn basename_same(a: &[u8], b: &[u8]) -> bool {
    basename(a) == basename(b)
}

/// One entry of a destination's candidate list in the similarity matrix.
#[derive(Clone, Copy)]
struct Slot {
    dst: Option<usize>,
    src: usize,
    score: u64,
    name_score: u8,
}

impl Slot {
    const EMPTY: Slot = Slot {
        dst: None,
        src: 0,
        score: 0,
        name_score: 0,
    };

    /// Git's `score_compare`: empty slots last, then higher score, then same basename first.
    fn order(a: &Slot, b: &Slot) -> std::cmp::Ordering {
        use std::cmp::Ordering;
        match (a.dst, b.dst) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => Ordering::Greater,
            (Some(_), None) => Ordering::Less,
            _ => b.score.cmp(&a.score).then(b.name_score.cmp(&a.name_score)),
        }
    }
}

/// Git's `record_if_better`: replace the worst slot if `new` is strictly better.
fn record_if_better(slots: &mut [Slot; CANDIDATES_PER_DST], new: Slot) {
    let mut worst = 0;
    for i in 1..slots.len() {
        if Slot::order(&slots[i], &slots[worst]).is_gt() {
            worst = i;
        }
    }
    if Slot::order(&slots[worst], &new).is_gt() {
        slots[worst] = new;
    }
}

/// Git's `hash_chars`: the content cut into spans (at `\n` or every 64 bytes), each span
/// hashed, as a sorted list of (hash, total bytes) pairs.
struct Spans(Vec<(u32, u32)>);

impl Spans {
    fn of(data: &[u8], is_text: bool) -> Spans {
        const HASHBASE: u32 = 107_927;
        let mut out: Vec<(u32, u32)> = Vec::with_capacity(data.len() / 16 + 1);
        let (mut acc1, mut acc2, mut n) = (0u32, 0u32, 0u32);
        let hash = |a1: u32, a2: u32| a1.wrapping_add(a2.wrapping_mul(0x61)) % HASHBASE;
        for (i, &byte) in data.iter().enumerate() {
            if is_text && byte == b'\r' && data.get(i + 1) == Some(&b'\n') {
                continue;
            }
            let c = u32::from(byte);
            let old1 = acc1;
            acc1 = (acc1 << 7) ^ (acc2 >> 25);
            acc2 = (acc2 << 7) ^ (old1 >> 25);
            acc1 = acc1.wrapping_add(c);
            n += 1;
            if n < 64 && byte != b'\n' {
                continue;
            }
            out.push((hash(acc1, acc2), n));
            (acc1, acc2, n) = (0, 0, 0);
        }
        if n > 0 {
            out.push((hash(acc1, acc2), n));
        }
        out.sort_unstable_by_key(|&(h, _)| h);
        out.dedup_by(|next, kept| {
            let same = next.0 == kept.0;
            if same {
                kept.1 += next.1;
            }
            same
        });
        Spans(out)
    }

    /// `diffcore_count_changes`' `src_copied`: bytes of `self` also present in `dst`.
    fn copied_into(&self, dst: &Spans) -> u64 {
        let (s, d) = (&self.0, &dst.0);
        let (mut i, mut j, mut copied) = (0, 0, 0u64);
        while i < s.len() && j < d.len() {
            match s[i].0.cmp(&d[j].0) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    copied += u64::from(s[i].1.min(d[j].1));
                    i += 1;
                    j += 1;
                }
            }
        }
        copied
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn oid(n: u8) -> gix::ObjectId {
        gix::ObjectId::from_bytes_or_panic(&[n; 20])
    }

    fn cand<'a>(path: &'a str, id: &'a gix::ObjectId, data: &'a str) -> Candidate<'a> {
        Candidate {
            path: path.as_bytes(),
            oid: id,
            mode: 0o100644,
            data: Some(data.as_bytes()),
            binary: false,
        }
    }

    #[test]
    fn exact_prefers_same_basename() {
        let id = oid(1);
        let srcs = [
            cand("a/x.txt", &id, "same\n"),
            cand("b/y.txt", &id, "same\n"),
        ];
        let dsts = [
            cand("c/y.txt", &id, "same\n"),
            cand("d/z.txt", &id, "same\n"),
        ];
        assert_eq!(detect(&srcs, &dsts), vec![(1, 0), (0, 1)]);
    }

    #[test]
    fn similarity_threshold_is_half() {
        let (a, b) = (oid(1), oid(2));
        let old = "l1\nl2\nl3\nl4\n";
        let srcs = [cand("old.txt", &a, old)];
        assert_eq!(
            detect(&srcs, &[cand("new.txt", &b, "l1\nl2\nl3\nX\n")]),
            vec![(0, 0)]
        );
        assert!(detect(&srcs, &[cand("new.txt", &b, "l1\nX\nY\nZ\n")]).is_empty());
    }

    #[test]
    fn spans_merge_equal_hashes_and_ignore_cr_in_text() {
        let s = Spans::of(b"a\na\n", true);
        assert_eq!(s.0.len(), 1);
        assert_eq!(s.0[0].1, 4);
        assert_eq!(Spans::of(b"a\r\n", true).0, Spans::of(b"a\n", true).0);
        assert_ne!(Spans::of(b"a\r\n", false).0, Spans::of(b"a\n", false).0);
    }
}
