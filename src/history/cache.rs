//! The per-repository commit cache: one postcard file holding a header (magic, format version,
//! Sparky version, semantics fingerprint, and the length and checksum of every chunk) and the
//! commit records in chunks that are encoded and decoded in parallel. Anything that does not
//! match exactly is ignored and rebuilt, never misread.

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
const FORMAT_VERSION: u32 = 1;
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

/// A cached record with its id and parents already parsed.
type Entry = (CommitRecord, ObjectId, Vec<ObjectId>);

/// What was found on disk: records by commit id, taken out as the walk reaches them.
#[derive(Default)]
pub(crate) struct Loaded {
    records: Vec<Option<CommitRecord>>,
    parents: Vec<Vec<ObjectId>>,
    index: HashMap<ObjectId, usize>,
    /// A cache file existed and was accepted.
    pub valid: bool,
}

impl Loaded {
    fn new(entries: Vec<Entry>) -> Loaded {
        let mut loaded = Loaded {
            valid: true,
            ..Loaded::default()
        };
        loaded.index.reserve(entries.len());
        for (i, (record, id, parents)) in entries.into_iter().enumerate() {
            loaded.index.insert(id, i);
            loaded.records.push(Some(record));
            loaded.parents.push(parents);
        }
        loaded
    }

    /// The parents of a cached commit (so the walk need not read it).
    pub fn parents(&self, id: &gix::oid) -> Option<&[ObjectId]> {
        let i = *self.index.get(id)?;
        self.records[i].as_ref().map(|_| self.parents[i].as_slice())
    }

    /// Takes the record of `id` out of the cache.
    pub fn take(&mut self, id: &gix::oid) -> Option<CommitRecord> {
        self.records[*self.index.get(id)?].take()
    }

    /// Records not taken: commits no longer reachable.
    pub fn left(&self) -> usize {
        self.records.iter().flatten().count()
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
        Ok(records) => Loaded::new(records),
        Err(why) => {
            tracing::warn!(
                "ignoring history cache `{}` and rebuilding it: {why}",
                path.display()
            );
            Loaded::default()
        }
    }
}

fn decode(bytes: &[u8]) -> Result<Vec<Entry>, String> {
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
    let chunks: Vec<Vec<Entry>> = parts
        .into_par_iter()
        .map(|(part, hash)| decode_chunk(part, hash))
        .collect::<Result<_, _>>()?;
    Ok(chunks.into_iter().flatten().collect())
}

fn decode_chunk(part: &[u8], hash: u64) -> Result<Vec<Entry>, String> {
    if checksum(part) != hash {
        return Err("truncated or corrupt".to_owned());
    }
    let records: Vec<CommitRecord> =
        postcard::from_bytes(part).map_err(|e| format!("undecodable records: {e}"))?;
    let parse = |hex: &str| ObjectId::from_hex(hex.as_bytes()).map_err(|_| "malformed commit id");
    records
        .into_iter()
        .map(|r| {
            let id = parse(&r.id)?;
            let parents = r
                .parents
                .iter()
                .map(|p| parse(p))
                .collect::<Result<_, _>>()?;
            Ok((r, id, parents))
        })
        .collect::<Result<_, &str>>()
        .map_err(str::to_owned)
}

/// Writes `records` to `path` atomically: a temporary file in the same folder, then a rename.
pub(crate) fn store(path: &Path, records: &[&CommitRecord]) -> Result<(), HistoryError> {
    let fail = |source| HistoryError::CacheWrite {
        path: path.to_owned(),
        source,
    };
    let chunks: Vec<Vec<u8>> = records
        .par_chunks(CHUNK_RECORDS)
        .map(postcard::to_stdvec)
        .collect::<Result<_, _>>()
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
