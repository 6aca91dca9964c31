//! The per-repository commit cache: one postcard file holding a header (magic, format version,
//! Sparky version, semantics fingerprint, and the length and checksum of every chunk) and the
//! commit records in chunks (encoded in parallel, each checked on its own). Anything that does
//! not match exactly is ignored and rebuilt, never misread.

use std::io::Write;
use std::path::Path;

use gix::ObjectId;
use gix::hashtable::HashMap;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::HistoryError;
use super::model::CommitRecord;

const MAGIC: [u8; 8] = *b"SPKYHIST";
/// Bump when the file layout or the record types change.
const FORMAT_VERSION: u32 = 2;
/// Describes what the records mean; a change in extraction semantics invalidates old caches.
const FINGERPRINT: &str = "numstat=first-parent;renames=git-diffcore,score=50%,limit=1000,copies=off;\
                           binary=nul-in-8000,big=512MiB;lines=myers,with-terminators;\
                           message=git-%s-%b,trailers=v1;encoding=utf8|latin1|cp1252|lossy";

/// Records per chunk: chunks are the unit of parallel encoding and decoding.
const CHUNK_RECORDS: usize = 1024;

#[derive(Serialize, Deserialize, PartialEq, Eq)]
struct Header {
    format: u32,
    sparky_version: String,
    fingerprint: String,
    chunks: Vec<Chunk>,
}

/// One postcard-encoded `Vec<CommitRecord>` in the payload.
#[derive(Serialize, Deserialize, PartialEq, Eq)]
struct Chunk {
    len: u64,
    hash: u64,
}

impl Header {
    fn current(chunks: &[Vec<u8>]) -> Header {
        Header {
            format: FORMAT_VERSION,
            sparky_version: env!("CARGO_PKG_VERSION").to_owned(),
            fingerprint: FINGERPRINT.to_owned(),
            chunks: chunks
                .iter()
                .map(|c| Chunk {
                    len: c.len() as u64,
                    hash: checksum(c),
                })
                .collect(),
        }
    }
}

/// In the file, a parent that is not itself cached.
const NOT_CACHED: u32 = u32::MAX;

/// Decoded records with their ids parsed and their parents as positions in `records` (the
/// parents of record `i` are `parents[ends[i - 1]..ends[i]]`, [`NOT_CACHED`] if not cached).
#[derive(Default)]
struct Decoded {
    records: Vec<CommitRecord>,
    ids: Vec<ObjectId>,
    parents: Vec<u32>,
    ends: Vec<usize>,
}

/// A parent of a cached commit: another cached commit, or one to look up by id.
pub(crate) enum Parent {
    Cached(usize),
    Id(ObjectId),
}

/// What was found on disk: records by commit id, marked as the walk reaches them.
#[derive(Default)]
pub(crate) struct Loaded {
    records: Vec<CommitRecord>,
    reached: Vec<bool>,
    parents: Vec<u32>,
    ends: Vec<usize>,
    index: HashMap<ObjectId, usize>,
    /// A cache file existed and was accepted.
    pub valid: bool,
}

impl Loaded {
    fn new(decoded: Decoded) -> Loaded {
        let mut index = HashMap::default();
        index.reserve(decoded.ids.len());
        for (i, id) in decoded.ids.into_iter().enumerate() {
            index.insert(id, i);
        }
        Loaded {
            reached: vec![false; decoded.records.len()],
            records: decoded.records,
            parents: decoded.parents,
            ends: decoded.ends,
            index,
            valid: true,
        }
    }

    /// Where the record of `id` is, if cached.
    pub fn position(&self, id: &gix::oid) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// The id of the record at `pos`.
    pub fn id(&self, pos: usize) -> Option<ObjectId> {
        ObjectId::from_hex(self.records[pos].id.as_bytes()).ok()
    }

    /// The parents of the record at `pos`, in order.
    pub fn parents(&self, pos: usize) -> impl DoubleEndedIterator<Item = Parent> + '_ {
        let start = if pos == 0 { 0 } else { self.ends[pos - 1] };
        let record = &self.records[pos];
        self.parents[start..self.ends[pos]]
            .iter()
            .zip(&record.parents)
            .filter_map(|(&at, hex)| match at {
                NOT_CACHED => ObjectId::from_hex(hex.as_bytes()).ok().map(Parent::Id),
                at => Some(Parent::Cached(at as usize)),
            })
    }

    /// Marks the record at `pos` as reachable; `false` if it already was.
    pub fn reach(&mut self, pos: usize) -> bool {
        !std::mem::replace(&mut self.reached[pos], true)
    }

    /// The reachable records (in no particular order) and how many were dropped.
    pub fn into_reached(self) -> (Vec<CommitRecord>, usize) {
        let mut records = self.records;
        let before = records.len();
        let mut reached = self.reached.into_iter();
        records.retain(|_| reached.next().unwrap_or(false));
        let dropped = before - records.len();
        (records, dropped)
    }
}

/// Loads the cache at `path`. A missing file gives an empty cache; an unreadable, foreign,
/// outdated or damaged one is logged at warn level and treated as empty.
pub(crate) fn load(path: &Path) -> Loaded {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Loaded::default(),
        Err(err) => {
            tracing::warn!(
                "ignoring history cache `{}`: cannot read it: {err}",
                path.display()
            );
            return Loaded::default();
        }
    };
    match decode(&bytes) {
        Ok(decoded) => Loaded::new(decoded),
        Err(why) => {
            tracing::warn!(
                "ignoring history cache `{}` and rebuilding it: {why}",
                path.display()
            );
            Loaded::default()
        }
    }
}

fn decode(bytes: &[u8]) -> Result<Decoded, String> {
    let rest = bytes
        .strip_prefix(&MAGIC)
        .ok_or("not a sparky history cache")?;
    let (header, mut payload) =
        postcard::take_from_bytes::<Header>(rest).map_err(|e| format!("unreadable header: {e}"))?;
    if header.format != FORMAT_VERSION
        || header.sparky_version != env!("CARGO_PKG_VERSION")
        || header.fingerprint != FINGERPRINT
    {
        return Err(format!(
            "written by sparky {} (cache format {}), this is sparky {} (format {FORMAT_VERSION}) \
             or the extraction rules changed",
            header.sparky_version,
            header.format,
            env!("CARGO_PKG_VERSION")
        ));
    }
    let mut parts = Vec::with_capacity(header.chunks.len());
    for chunk in &header.chunks {
        let len = usize::try_from(chunk.len).map_err(|_| "truncated or corrupt")?;
        if len > payload.len() {
            return Err("truncated or corrupt".to_owned());
        }
        let (part, rest) = payload.split_at(len);
        parts.push((part, chunk.hash));
        payload = rest;
    }
    if !payload.is_empty() {
        return Err("trailing bytes".to_owned());
    }
    // Sequential on purpose: in a fresh process, worker threads grow their own heaps page by
    // page, which costs more than decoding in parallel saves.
    let mut out = Decoded::default();
    for (part, hash) in parts {
        decode_chunk(part, hash, &mut out)?;
    }
    Ok(out)
}

/// Checks and decodes one chunk, appending to `out`.
fn decode_chunk(part: &[u8], hash: u64, out: &mut Decoded) -> Result<(), String> {
    if checksum(part) != hash {
        return Err("truncated or corrupt".to_owned());
    }
    // A chunk is a postcard `Vec<CommitRecord>` (a length, then the records, decoded one by one
    // straight into `out`), then a `Vec<u32>` of every record's parent positions.
    let undecodable = |e: postcard::Error| format!("undecodable records: {e}");
    let (count, mut rest) = postcard::take_from_bytes::<usize>(part).map_err(undecodable)?;
    out.records.reserve(count.min(rest.len()));
    let first = out.records.len();
    for _ in 0..count {
        let (record, next) =
            postcard::take_from_bytes::<CommitRecord>(rest).map_err(undecodable)?;
        rest = next;
        let id = ObjectId::from_hex(record.id.as_bytes()).map_err(|_| "malformed commit id")?;
        out.ids.push(id);
        out.records.push(record);
    }
    let (positions, rest) = postcard::take_from_bytes::<Vec<u32>>(rest).map_err(undecodable)?;
    if !rest.is_empty() {
        return Err("trailing bytes in a chunk".to_owned());
    }
    let mut positions = positions.into_iter();
    for record in &out.records[first..] {
        for _ in &record.parents {
            out.parents
                .push(positions.next().ok_or("missing parent positions")?);
        }
        out.ends.push(out.parents.len());
    }
    if positions.next().is_some() {
        return Err("extra parent positions".to_owned());
    }
    Ok(())
}

/// The record positions of every record's parents ([`NOT_CACHED`] for parents not in `records`).
fn parent_positions(records: &[&CommitRecord]) -> Vec<u32> {
    let at: std::collections::HashMap<&str, u32> = records
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i as u32))
        .collect();
    records
        .iter()
        .flat_map(|r| {
            r.parents
                .iter()
                .map(|p| at.get(p.as_str()).copied().unwrap_or(NOT_CACHED))
        })
        .collect()
}

/// Writes `records` to `path` atomically: a temporary file in the same folder, then a rename.
pub(crate) fn store(path: &Path, records: &[&CommitRecord]) -> Result<(), HistoryError> {
    let fail = |source| HistoryError::CacheWrite {
        path: path.to_owned(),
        source,
    };
    let positions = parent_positions(records);
    let mut position_chunks = Vec::new();
    let mut rest = positions.as_slice();
    for chunk in records.chunks(CHUNK_RECORDS) {
        let n = chunk.iter().map(|r| r.parents.len()).sum::<usize>();
        let (these, others) = rest.split_at(n);
        position_chunks.push(these);
        rest = others;
    }
    let chunks: Vec<Vec<u8>> = records
        .par_chunks(CHUNK_RECORDS)
        .zip(position_chunks.par_iter())
        .map(|(chunk, positions)| {
            let mut bytes = postcard::to_stdvec(chunk)?;
            bytes.extend(postcard::to_stdvec(positions)?);
            Ok(bytes)
        })
        .collect::<Result<_, postcard::Error>>()
        .map_err(|e| fail(std::io::Error::other(format!("cannot encode records: {e}"))))?;
    let header = postcard::to_stdvec(&Header::current(&chunks))
        .map_err(|e| fail(std::io::Error::other(format!("cannot encode header: {e}"))))?;
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).map_err(fail)?;
    let mut file = tempfile::NamedTempFile::new_in(dir).map_err(fail)?;
    file.write_all(&MAGIC).map_err(fail)?;
    file.write_all(&header).map_err(fail)?;
    for chunk in &chunks {
        file.write_all(chunk).map_err(fail)?;
    }
    file.as_file().sync_all().map_err(fail)?;
    file.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

/// A 64-bit checksum of a chunk (FNV-1a over 8-byte words, then the tail): catches
/// truncation and bit rot, not tampering.
fn checksum(data: &[u8]) -> u64 {
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut words = data.chunks_exact(8);
    for word in &mut words {
        let mut w = [0u8; 8];
        w.copy_from_slice(word);
        hash = (hash ^ u64::from_le_bytes(w)).wrapping_mul(PRIME);
        hash ^= hash >> 29;
    }
    for &b in words.remainder() {
        hash = (hash ^ u64::from(b)).wrapping_mul(PRIME);
    }
    hash ^ data.len() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksum_sees_single_bit_flips_and_truncation() {
        let data: Vec<u8> = (0..1000u32).map(|i| (i * 7) as u8).collect();
        let base = checksum(&data);
        for i in [0, 7, 8, 500, 999] {
            let mut flipped = data.clone();
            flipped[i] ^= 1;
            assert_ne!(checksum(&flipped), base, "flip at {i}");
        }
        assert_ne!(checksum(&data[..999]), base);
    }

    #[test]
    fn foreign_and_damaged_bytes_are_rejected() {
        assert!(decode(b"").is_err());
        assert!(decode(b"SPKYHIST").is_err());
        assert!(decode(b"something else entirely").is_err());
    }
}
