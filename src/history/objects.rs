//! Object reading tuned for walking history: packed objects are decoded with a delta-base
//! cache that keeps every object of a delta chain (like git's `delta_base_cache`), so the next
//! version of a tree or file costs one small delta instead of the whole chain. Loose objects and
//! anything not in the repository's own packs are read through gix.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use gix::objs::Find;
use gix::odb::pack::{Bundle, data::entry::Header};
use gix::oid;

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

/// A decoded object: its kind and its bytes, shared with the cache.
pub(crate) type Decoded = (gix::objs::Kind, Arc<Vec<u8>>);

/// Recently decoded packed objects by (pack, offset): two generations, the older dropped
/// wholesale when the younger fills half the budget; a hit in the older one is promoted. Buffers
/// of dropped entries are recycled for the next decodes.
struct BaseCache {
    young: OffsetMap,
    old: OffsetMap,
    young_bytes: usize,
    budget: usize,
    /// Objects larger than this are not kept.
    largest: usize,
    pool: Vec<Vec<u8>>,
    pool_bytes: usize,
}

/// Decoded objects by (pack, offset), hashed cheaply (offsets are already well spread).
type OffsetMap = HashMap<(usize, u64), Decoded, std::hash::BuildHasherDefault<OffsetHasher>>;

/// A multiply-rotate hasher for (pack, offset) keys: SipHash's DoS resistance is not needed
/// for offsets read from our own pack files, and it showed up in profiles.
#[derive(Default)]
struct OffsetHasher(u64);

impl std::hash::Hasher for OffsetHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

/// The largest recycled buffer worth keeping (the pool itself holds at most a quarter of the
/// budget).
const POOL_MAX_CAPACITY: usize = 256 * 1024;

impl BaseCache {
    fn new(budget: usize, largest: usize) -> BaseCache {
        BaseCache {
            largest,
            young: OffsetMap::default(),
            old: OffsetMap::default(),
            young_bytes: 0,
            budget,
            pool: Vec::new(),
            pool_bytes: 0,
        }
    }

    fn get(&mut self, key: (usize, u64)) -> Option<Decoded> {
        if let Some(hit) = self.young.get(&key) {
            return Some(hit.clone());
        }
        let hit = self.old.remove(&key)?;
        self.put(key, hit.clone());
        Some(hit)
    }

    fn put(&mut self, key: (usize, u64), value: Decoded) {
        let size = value.1.len();
        if size > self.largest {
            return;
        }
        self.young_bytes += size;
        self.young.insert(key, value);
        if self.young_bytes > self.budget / 2 {
            let retired = std::mem::replace(&mut self.old, std::mem::take(&mut self.young));
            self.young_bytes = 0;
            for (_, (_, data)) in retired {
                if let Ok(buf) = Arc::try_unwrap(data)
                    && buf.capacity() <= POOL_MAX_CAPACITY
                    && self.pool_bytes + buf.capacity() <= self.budget / 4
                {
                    self.pool_bytes += buf.capacity();
                    self.pool.push(buf);
                }
            }
        }
    }

    /// An empty buffer, recycled if possible.
    fn buffer(&mut self) -> Vec<u8> {
        let mut buf = self.pool.pop().unwrap_or_default();
        self.pool_bytes -= buf.capacity();
        buf.clear();
        buf
    }
}

/// The delta-base cache shared by all readers of one extraction, so a chain decoded by one
/// worker serves the others; sharded to keep lock contention low.
pub(crate) struct SharedCache {
    shards: Vec<Mutex<BaseCache>>,
}

const SHARDS: usize = 16;

impl SharedCache {
    /// A cache holding about `budget` bytes of decoded objects.
    pub fn new(budget: usize) -> Arc<SharedCache> {
        let shards = (0..SHARDS).map(|_| Mutex::new(BaseCache::new(budget / SHARDS, budget / 8)));
        Arc::new(SharedCache {
            shards: shards.collect(),
        })
    }

    fn shard(&self, key: (usize, u64)) -> std::sync::MutexGuard<'_, BaseCache> {
        let mix = (key.1 ^ (key.0 as u64) << 56).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        let index = (mix >> 60) as usize % SHARDS;
        self.shards[index].lock().unwrap_or_else(|e| e.into_inner())
    }

    fn get(&self, key: (usize, u64)) -> Option<Decoded> {
        self.shard(key).get(key)
    }

    fn put(&self, key: (usize, u64), value: Decoded) {
        self.shard(key).put(key, value);
    }

    fn buffer(&self, key: (usize, u64)) -> Vec<u8> {
        self.shard(key).buffer()
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
            let mut data = self.cache.buffer((pack, at));
            data.resize(size, 0);
            file.decompress_entry(&entry, &mut state.inflate, &mut data)?;
            let decoded = (kind, Arc::new(data));
            self.cache.put((pack, at), decoded.clone());
            break decoded;
        };
        for entry in chain.iter().rev() {
            let size = usize::try_from(entry.decompressed_size)
                .map_err(|_| corrupt(entry.pack_offset()))?;
            state.delta.clear();
            state.delta.resize(size, 0);
            file.decompress_entry(entry, &mut state.inflate, &mut state.delta)?;
            let mut result = self.cache.buffer((pack, entry.pack_offset()));
            if !apply_delta(&base.1, &state.delta, &mut result) {
                return Err(corrupt(entry.pack_offset()));
            }
            base = (base.0, Arc::new(result));
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

fn apply(base: &[u8], delta: &[u8], out: &mut Vec<u8>) -> Option<()> {
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
    if size(delta, &mut i)? != base.len() {
        return None;
    }
    let result_size = size(delta, &mut i)?;
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

    #[test]
    fn base_cache_keeps_two_generations_and_recycles_buffers() {
        let mut cache = BaseCache::new(800, 100);
        let entry = |n: u8| (gix::objs::Kind::Blob, Arc::new(vec![n; 100]));
        for n in 0..5 {
            cache.put((0, u64::from(n)), entry(n));
        }
        // 500 bytes > 400: the first five became the old generation.
        assert_eq!(
            cache.get((0, 0)).map(|e| e.1[0]),
            Some(0),
            "promoted from the old one"
        );
        for n in 5..10 {
            cache.put((0, u64::from(n)), entry(n));
        }
        assert!(cache.get((0, 1)).is_none(), "dropped with its generation");
        assert!(
            !cache.pool.is_empty(),
            "buffers of dropped entries are recycled"
        );
        assert!(cache.buffer().is_empty());
        cache.put((1, 0), (gix::objs::Kind::Blob, Arc::new(vec![0; 200])));
        assert!(cache.get((1, 0)).is_none(), "too large for the budget");
    }
}
