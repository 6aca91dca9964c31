//! The per-repository commit cache: one postcard file holding a header (magic, format version,
//! Sparky version, semantics fingerprint, payload length and checksum) and the commit records.
//! Anything that does not match exactly is ignored and rebuilt, never misread.

use std::io::Write;
use std::path::Path;

use gix::ObjectId;
use gix::hashtable::HashMap;
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

#[derive(Serialize, Deserialize, PartialEq, Eq)]
struct Header {
    format: u32,
    sparky_version: String,
    fingerprint: String,
    payload_len: u64,
    payload_hash: u64,
}

impl Header {
    fn current(payload: &[u8]) -> Header {
        Header {
            format: FORMAT_VERSION,
            sparky_version: env!("CARGO_PKG_VERSION").to_owned(),
            fingerprint: FINGERPRINT.to_owned(),
            payload_len: payload.len() as u64,
            payload_hash: checksum(payload),
        }
    }
}

/// What was found on disk: records by commit id, taken out as the walk reaches them.
#[derive(Default)]
pub(crate) struct Loaded {
    records: Vec<Option<CommitRecord>>,
    index: HashMap<ObjectId, usize>,
    /// A cache file existed and was accepted.
    pub valid: bool,
}

impl Loaded {
    fn new(records: Vec<CommitRecord>) -> Loaded {
        let index = records
            .iter()
            .enumerate()
            .filter_map(|(i, r)| Some((ObjectId::from_hex(r.id.as_bytes()).ok()?, i)))
            .collect();
        Loaded {
            records: records.into_iter().map(Some).collect(),
            index,
            valid: true,
        }
    }

    /// The parents of a cached commit (so the walk need not read it).
    pub fn parents(&self, id: &gix::oid) -> Option<Vec<ObjectId>> {
        let record = self.records[*self.index.get(id)?].as_ref()?;
        record
            .parents
            .iter()
            .map(|p| ObjectId::from_hex(p.as_bytes()).ok())
            .collect()
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

fn decode(bytes: &[u8]) -> Result<Vec<CommitRecord>, String> {
    let rest = bytes
        .strip_prefix(&MAGIC)
        .ok_or("not a sparky history cache")?;
    let (header, payload) =
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
    if header.payload_len != payload.len() as u64 || header.payload_hash != checksum(payload) {
        return Err("truncated or corrupt".to_owned());
    }
    let records: Vec<CommitRecord> =
        postcard::from_bytes(payload).map_err(|e| format!("undecodable records: {e}"))?;
    let well_formed =
        |r: &CommitRecord| r.id.len() == 40 && r.id.bytes().all(|b| b.is_ascii_hexdigit());
    if !records.iter().all(well_formed) {
        return Err("malformed commit ids".to_owned());
    }
    Ok(records)
}

/// Writes `records` to `path` atomically: a temporary file in the same folder, then a rename.
pub(crate) fn store(path: &Path, records: &[&CommitRecord]) -> Result<(), HistoryError> {
    let fail = |source| HistoryError::CacheWrite {
        path: path.to_owned(),
        source,
    };
    let payload = postcard::to_stdvec(records)
        .map_err(|e| fail(std::io::Error::other(format!("cannot encode records: {e}"))))?;
    let header = postcard::to_stdvec(&Header::current(&payload))
        .map_err(|e| fail(std::io::Error::other(format!("cannot encode header: {e}"))))?;
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).map_err(fail)?;
    let mut file = tempfile::NamedTempFile::new_in(dir).map_err(fail)?;
    file.write_all(&MAGIC).map_err(fail)?;
    file.write_all(&header).map_err(fail)?;
    file.write_all(&payload).map_err(fail)?;
    file.as_file().sync_all().map_err(fail)?;
    file.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

/// A 64-bit checksum of the payload (FNV-1a over 8-byte words, then the tail): catches
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
