//! Object reading tuned for walking history: packed objects are decoded chain by chain, keeping
//! every object of a delta chain in the shared `base_cache` (like git's `delta_base_cache`), so
//! the next version of a tree or file costs one small delta instead of the whole chain. Loose
//! objects and anything not in the repository's own packs are read through gix.

use std::cell::RefCell;
use std::path::Path;
use std::sync::Arc;

use gix::objs::Find;
use gix::odb::pack::{Bundle, data::entry::Header};
use gix::oid;

use super::base_cache::{Buffer, Decoded, SharedCache};

/// Chains longer than this are corrupt (git's own limit for packs it writes is 4095).
const MAX_CHAIN: usize = 10_000;

/// The repository's packs, opened once and shared by all workers.
pub(crate) struct Packs {
    bundles: Vec<Bundle>,
}

impl Packs {
    /// Opens every `objects/pack/*.idx` with its pack. Packs that fail to open are left to gix.
    pub fn open(objects_dir: &Path, hash: gix::hash::Kind) -> Arc<Packs> {
        let mut paths: Vec<_> = std::fs::read_dir(objects_dir.join("pack"))
            .map(|dir| {
                dir.filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|e| e == "idx"))
                    .collect()
            })
            .unwrap_or_default();
        paths.sort();
        let bundles = paths
            .iter()
            .filter_map(|p| match Bundle::at(p, hash) {
                Ok(bundle) => Some(bundle),
                Err(err) => {
                    tracing::debug!("reading pack {} through gix: {err}", p.display());
                    None
                }
            })
            .collect();
        Arc::new(Packs { bundles })
    }

    fn locate(&self, id: &oid) -> Option<(usize, u64)> {
        self.bundles.iter().enumerate().find_map(|(i, b)| {
            let index = b.index.lookup(id)?;
            Some((i, b.index.pack_offset_at_index(index)))
        })
    }
}

/// A per-thread object reader implementing gix's `Find`.
pub(crate) struct Reader {
    packs: Arc<Packs>,
    cache: Arc<SharedCache>,
    fallback: gix::OdbHandle,
    hash: gix::hash::Kind,
    state: RefCell<State>,
}

struct State {
    /// Pack locations already looked up (each object is typically wanted twice: as the new side
    /// of one diff and the old side of another).
    located: gix::hashtable::HashMap<gix::ObjectId, (usize, u64)>,
    inflate: gix::zlib::Inflate,
    delta: Vec<u8>,
}

impl Reader {
    pub fn new(packs: Arc<Packs>, cache: Arc<SharedCache>, repo: &gix::Repository) -> Reader {
        Reader {
            packs,
            cache,
            fallback: repo.objects.clone(),
            hash: repo.object_hash(),
            state: RefCell::new(State {
                located: Default::default(),
                inflate: Default::default(),
                delta: Vec::new(),
            }),
        }
    }

    /// Decodes the object at `offset` of pack `pack`, resolving and caching its delta chain.
    fn decode(&self, pack: usize, offset: u64) -> gix::error::Result<Decoded> {
        let state = &mut *self.state.borrow_mut();
        let file = &self.packs.bundles[pack].pack;
        let mut chain = Vec::new();
        let mut at = offset;
        let mut base = loop {
            if let Some(hit) = self.cache.get((pack, at)) {
                break hit;
            }
            let entry = file.entry(at)?;
            let kind = match entry.header {
                Header::Commit => gix::objs::Kind::Commit,
                Header::Tree => gix::objs::Kind::Tree,
                Header::Blob => gix::objs::Kind::Blob,
                Header::Tag => gix::objs::Kind::Tag,
                Header::OfsDelta { base_distance } => {
                    at = entry
                        .checked_base_pack_offset(base_distance)
                        .ok_or_else(|| corrupt(at))?;
                    chain.push(entry);
                    if chain.len() > MAX_CHAIN {
                        return Err(corrupt(offset));
                    }
                    continue;
                }
                Header::RefDelta { base_id } => {
                    chain.push(entry);
                    match self.packs.locate(&base_id) {
                        Some((p, o)) if p == pack && chain.len() <= MAX_CHAIN => {
                            at = o;
                            continue;
                        }
                        _ => break self.via_gix(&base_id)?,
                    }
                }
            };
            let size = usize::try_from(entry.decompressed_size).map_err(|_| corrupt(at))?;
            let mut buf = self.cache.buffer((pack, at), size);
            let data = unshared(&mut buf);
            data.resize(size, 0);
            file.decompress_entry(&entry, &mut state.inflate, data)?;
            let decoded = (kind, buf);
            self.cache.put((pack, at), decoded.clone());
            break decoded;
        };
        for entry in chain.iter().rev() {
            let size = usize::try_from(entry.decompressed_size)
                .map_err(|_| corrupt(entry.pack_offset()))?;
            state.delta.clear();
            state.delta.resize(size, 0);
            file.decompress_entry(entry, &mut state.inflate, &mut state.delta)?;
            let result_size = delta_sizes(&state.delta).map_or(0, |(_, result, _)| result);
            let mut result = self.cache.buffer((pack, entry.pack_offset()), result_size);
            if !apply_delta(&base.1, &state.delta, unshared(&mut result)) {
                return Err(corrupt(entry.pack_offset()));
            }
            base = (base.0, result);
            self.cache.put((pack, entry.pack_offset()), base.clone());
        }
        Ok(base)
    }

    /// Where `id` is packed, remembered per reader.
    fn locate(&self, id: &oid) -> Option<(usize, u64)> {
        let state = &mut *self.state.borrow_mut();
        if let Some(found) = state.located.get(id) {
            return Some(*found);
        }
        let found = self.packs.locate(id)?;
        state.located.insert(id.to_owned(), found);
        Some(found)
    }

    /// The object `id` (kind and shared bytes), or `None` if the repository does not have it.
    pub fn get(&self, id: &oid) -> gix::error::Result<Option<Decoded>> {
        match self.locate(id) {
            Some((pack, offset)) => self.decode(pack, offset).map(Some),
            None => {
                let mut buf = Vec::new();
                let found = self.fallback.try_find(id, &mut buf)?;
                Ok(found.map(|data| (data.kind, Arc::new(data.data.to_vec()))))
            }
        }
    }

    fn via_gix(&self, id: &oid) -> gix::error::Result<Decoded> {
        use gix::objs::FindExt;
        let mut buf = Vec::new();
        let data = self.fallback.find(id, &mut buf)?;
        Ok((data.kind, Arc::new(data.data.to_vec())))
    }
}

/// The vector inside a buffer fresh from the cache (which hands out unshared buffers; should
/// one ever be shared, it is replaced rather than modified).
fn unshared(buf: &mut Buffer) -> &mut Vec<u8> {
    if Arc::get_mut(buf).is_none() {
        *buf = Arc::new(Vec::with_capacity(buf.capacity()));
    }
    Arc::make_mut(buf)
}

fn corrupt(offset: u64) -> gix::Error {
    let msg = format!("corrupt pack entry at offset {offset}");
    gix::Error::from_error(std::io::Error::new(std::io::ErrorKind::InvalidData, msg))
}

impl Find for Reader {
    fn try_find<'a>(
        &self,
        id: &oid,
        buffer: &'a mut Vec<u8>,
    ) -> gix::error::Result<Option<gix::objs::Data<'a>>> {
        let Some((pack, offset)) = self.locate(id) else {
            return self.fallback.try_find(id, buffer);
        };
        let (kind, data) = self.decode(pack, offset)?;
        buffer.clear();
        buffer.extend_from_slice(&data);
        Ok(Some(gix::objs::Data::new(buffer, kind, self.hash)))
    }
}

/// Applies a git delta (`base size`, `result size`, then copy/insert instructions) to `base`,
/// writing the result to `out`; `false` if the delta is corrupt.
fn apply_delta(base: &[u8], delta: &[u8], out: &mut Vec<u8>) -> bool {
    apply(base, delta, out).is_some()
}

/// A delta's base size, result size and header length.
fn delta_sizes(delta: &[u8]) -> Option<(usize, usize, usize)> {
    fn size(d: &[u8], i: &mut usize) -> Option<usize> {
        let (mut value, mut shift) = (0usize, 0u32);
        loop {
            let byte = *d.get(*i)?;
            *i += 1;
            value |= usize::from(byte & 0x7f).checked_shl(shift)?;
            shift += 7;
            if byte & 0x80 == 0 {
                return Some(value);
            }
        }
    }
    let mut i = 0;
    let base = size(delta, &mut i)?;
    let result = size(delta, &mut i)?;
    Some((base, result, i))
}

fn apply(base: &[u8], delta: &[u8], out: &mut Vec<u8>) -> Option<()> {
    let (base_size, result_size, mut i) = delta_sizes(delta)?;
    if base_size != base.len() {
        return None;
    }
    out.clear();
    out.reserve(result_size);
    while let Some(&cmd) = delta.get(i) {
        i += 1;
        if cmd & 0x80 != 0 {
            let (mut ofs, mut len) = (0usize, 0usize);
            for bit in 0..4 {
                if cmd & (1 << bit) != 0 {
                    ofs |= usize::from(*delta.get(i)?) << (8 * bit);
                    i += 1;
                }
            }
            for bit in 0..3 {
                if cmd & (0x10 << bit) != 0 {
                    len |= usize::from(*delta.get(i)?) << (8 * bit);
                    i += 1;
                }
            }
            if len == 0 {
                len = 0x10000;
            }
            out.extend_from_slice(base.get(ofs..ofs.checked_add(len)?)?);
        } else if cmd != 0 {
            let len = usize::from(cmd);
            out.extend_from_slice(delta.get(i..i + len)?);
            i += len;
        } else {
            return None;
        }
    }
    (out.len() == result_size).then_some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delta_copy_and_insert() {
        let base = b"hello world";
        // base size 11, result size 11: copy "hello " (ofs 0, len 6), insert "there"
        let delta = [11, 11, 0x80 | 0x10, 6, 5, b't', b'h', b'e', b'r', b'e'];
        let mut out = Vec::new();
        assert!(apply_delta(base, &delta, &mut out));
        assert_eq!(out, b"hello there");
        assert!(
            !apply_delta(b"short", &delta, &mut out),
            "base size must match"
        );
        assert!(
            !apply_delta(base, &[11, 3, 0], &mut out),
            "command 0 is invalid"
        );
    }
}
