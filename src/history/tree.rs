//! The tree diff of one commit: every blob, symlink and submodule entry that differs between the
//! parent's tree and the commit's tree, like git's `diff-tree -r`. Identical runs of entries at
//! the start and end of two versions of a folder are skipped byte-wise, so a folder with one
//! changed file costs little more than that file.

use std::cmp::Ordering;
use std::sync::Arc;

use gix::bstr::{BString, ByteSlice};
use gix::objs::tree::name_order;
use gix::{ObjectId, oid};

use super::base_cache::Buffer;
use super::lines::{common_prefix, common_suffix};
use super::objects::Reader;

/// A non-tree entry that differs: `(id, canonical mode)` on each side that has it.
pub(crate) struct Change {
    pub path: BString,
    pub old: Option<(ObjectId, u32)>,
    pub new: Option<(ObjectId, u32)>,
}

/// Appends to `out` the changes that turn `lhs` (the empty tree for `None`) into `rhs`.
pub(crate) fn diff(
    objects: &Reader,
    lhs: Option<&oid>,
    rhs: &oid,
    out: &mut Vec<Change>,
) -> Result<(), String> {
    let mut walk = Walk {
        objects,
        path: Vec::new(),
        out,
    };
    walk.level(lhs, Some(rhs))
}

struct Walk<'a> {
    objects: &'a Reader,
    path: Vec<u8>,
    out: &'a mut Vec<Change>,
}

/// One parsed tree entry.
#[derive(Clone, Copy)]
struct Entry<'a> {
    mode: u32,
    name: &'a [u8],
    id: &'a oid,
}

impl Entry<'_> {
    fn is_tree(&self) -> bool {
        self.mode == 0o040000
    }

    fn side(&self) -> Option<(ObjectId, u32)> {
        (!self.is_tree()).then(|| (self.id.to_owned(), self.mode))
    }
}

impl Walk<'_> {
    /// Diffs the trees `lhs` and `rhs` (either may be absent: all added or all deleted).
    fn level(&mut self, lhs: Option<&oid>, rhs: Option<&oid>) -> Result<(), String> {
        let (a, b) = (self.load(lhs)?, self.load(rhs)?);
        let (a, b) = (a.as_slice(), b.as_slice());
        let hash_len = rhs.or(lhs).map_or(20, |id| id.kind().len_in_bytes());
        // Skip the entries both trees start with: whole entries inside the common prefix.
        let common = common_prefix(a, b);
        let mut start = 0;
        while start < common {
            let (_, next) = parse(a, start, hash_len)?;
            if next > common {
                break;
            }
            start = next;
        }
        let suffix = common_suffix(&a[start..], &b[start..]);
        let (mut i, mut j) = (start, start);
        loop {
            let (left_a, left_b) = (a.len() - i, b.len() - j);
            if left_a == left_b && left_a <= suffix {
                return Ok(()); // the rest is identical
            }
            let x = (i < a.len()).then(|| parse(a, i, hash_len)).transpose()?;
            let y = (j < b.len()).then(|| parse(b, j, hash_len)).transpose()?;
            match (x, y) {
                (None, None) => return Ok(()),
                (Some((x, next)), None) => {
                    self.removed(x)?;
                    i = next;
                }
                (None, Some((y, next))) => {
                    self.added(y)?;
                    j = next;
                }
                (Some((x, xn)), Some((y, yn))) => {
                    match name_order(x.name, x.is_tree(), y.name, y.is_tree()) {
                        Ordering::Less => {
                            self.removed(x)?;
                            i = xn;
                        }
                        Ordering::Greater => {
                            self.added(y)?;
                            j = yn;
                        }
                        Ordering::Equal => {
                            self.changed(x, y)?;
                            (i, j) = (xn, yn);
                        }
                    }
                }
            }
        }
    }

    fn removed(&mut self, x: Entry<'_>) -> Result<(), String> {
        self.descend(x.name, |w| match x.is_tree() {
            true => w.level(Some(x.id), None),
            false => w.push(x.side(), None),
        })
    }

    fn added(&mut self, y: Entry<'_>) -> Result<(), String> {
        self.descend(y.name, |w| match y.is_tree() {
            true => w.level(None, Some(y.id)),
            false => w.push(None, y.side()),
        })
    }

    /// Two entries of the same name.
    fn changed(&mut self, x: Entry<'_>, y: Entry<'_>) -> Result<(), String> {
        match (x.is_tree(), y.is_tree()) {
            (true, true) if x.id == y.id => Ok(()),
            (true, true) => self.descend(x.name, |w| w.level(Some(x.id), Some(y.id))),
            (false, false) if x.id == y.id && x.mode == y.mode => Ok(()),
            (false, false) => self.descend(x.name, |w| w.push(x.side(), y.side())),
            _ => {
                self.removed(x)?;
                self.added(y)
            }
        }
    }

    /// Runs `f` with `name` appended to the current path.
    fn descend(
        &mut self,
        name: &[u8],
        f: impl FnOnce(&mut Self) -> Result<(), String>,
    ) -> Result<(), String> {
        let len = self.path.len();
        if len > 0 {
            self.path.push(b'/');
        }
        self.path.extend_from_slice(name);
        let result = f(self);
        self.path.truncate(len);
        result
    }

    fn push(
        &mut self,
        old: Option<(ObjectId, u32)>,
        new: Option<(ObjectId, u32)>,
    ) -> Result<(), String> {
        let path = BString::from(self.path.as_slice());
        self.out.push(Change { path, old, new });
        Ok(())
    }

    fn load(&self, id: Option<&oid>) -> Result<Buffer, String> {
        let Some(id) = id.filter(|id| *id != ObjectId::empty_tree(id.kind())) else {
            return Ok(Arc::default());
        };
        match self.objects.get(id) {
            Ok(Some((gix::objs::Kind::Tree, data))) => Ok(data),
            Ok(Some((kind, _))) => Err(format!("object {id} is a {kind}, not a tree")),
            Ok(None) => Err(format!("tree {id} is missing")),
            Err(err) => Err(format!("cannot read tree {id}: {err}")),
        }
    }
}

/// Parses the entry at `pos` (`<octal mode> <name>\0<id>`), returning it and where the next starts.
fn parse(data: &[u8], pos: usize, hash_len: usize) -> Result<(Entry<'_>, usize), String> {
    let malformed = || format!("malformed tree entry at byte {pos}");
    let rest = &data[pos..];
    // The mode: octal digits up to a space (at most 7 of them).
    let mut mode = 0u32;
    let mut space = 0;
    loop {
        match rest.get(space) {
            Some(b' ') if space > 0 => break,
            Some(&digit @ b'0'..=b'7') if space < 7 => mode = mode * 8 + u32::from(digit - b'0'),
            _ => return Err(malformed()),
        }
        space += 1;
    }
    let name_start = space + 1;
    let nul = rest[name_start..].find_byte(0).ok_or_else(malformed)? + name_start;
    let id = rest
        .get(nul + 1..nul + 1 + hash_len)
        .ok_or_else(malformed)?;
    let id = oid::try_from_bytes(id).map_err(|_| malformed())?;
    let entry = Entry {
        mode: canonical(mode),
        name: &rest[name_start..nul],
        id,
    };
    Ok((entry, pos + nul + 1 + hash_len))
}

/// Git's `canon_mode`: regular files are 644 or 755, anything unknown is a submodule.
fn canonical(mode: u32) -> u32 {
    match mode & 0o170000 {
        0o100000 if mode & 0o100 != 0 => 0o100755,
        0o100000 => 0o100644,
        0o120000 => 0o120000,
        0o040000 => 0o040000,
        _ => 0o160000,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_parse_and_modes_are_canonical() {
        let mut tree = b"100664 a.txt\0".to_vec();
        tree.extend([1u8; 20]);
        tree.extend(b"40000 dir\0");
        tree.extend([2u8; 20]);
        let (first, next) = parse(&tree, 0, 20).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((first.mode, first.name), (0o100644, &b"a.txt"[..]));
        let (second, end) = parse(&tree, next, 20).unwrap_or_else(|e| panic!("{e}"));
        assert!(second.is_tree() && end == tree.len());
        assert!(
            parse(&tree[..tree.len() - 1], next, 20).is_err(),
            "truncated id"
        );
        assert!(parse(b"10x644 a\0", 0, 20).is_err(), "not octal");
        assert_eq!(canonical(0o100775), 0o100755);
        assert_eq!(canonical(0o160000), 0o160000);
    }
}
