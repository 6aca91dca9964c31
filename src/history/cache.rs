//! The per-repository commit cache: one postcard file holding a header (magic, format version,
//! Sparky version, semantics fingerprint, and the length and checksum of every chunk) and the
//! commit records in chunks (encoded in parallel, each checked on its own). Anything that does
//! not match exactly is ignored and rebuilt, never misread.

mod bytes;

use std::fs::File;
use std::io::Write;
use std::path::Path;

use gix::ObjectId;
use gix::hashtable::HashMap;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::HistoryError;
use super::model::CommitRecord;
use bytes::{checksum, read_at, read_exact_at};

const MAGIC: [u8; 8] = *b"SPKYHIST";
/// Bump when the file layout or the record types change.
const FORMAT_VERSION: u32 = 4;
/// Describes what the records mean; a change in extraction semantics invalidates old caches.
const FINGERPRINT: &str = "numstat=first-parent;renames=git-diffcore,score=50%,limit=1000,copies=off;\
                           binary=nul-in-8000,big=512MiB;lines=git-xdiff-myers,whole-files,with-terminators;\
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
    /// How many records it holds: readers place every chunk before decoding any.
    records: u64,
}

impl Header {
    /// The header of encoded `chunks`, each with its record count.
    fn current(chunks: &[(Vec<u8>, usize)]) -> Header {
        Header {
            format: FORMAT_VERSION,
            sparky_version: env!("CARGO_PKG_VERSION").to_owned(),
            fingerprint: FINGERPRINT.to_owned(),
            chunks: chunks
                .iter()
                .map(|(c, records)| Chunk {
                    len: c.len() as u64,
                    hash: checksum(c),
                    records: *records as u64,
                })
                .collect(),
        }
    }
}

/// In the file, a parent that is not itself cached.
const NOT_CACHED: u32 = u32::MAX;

/// Decoded records with their parents as positions in `records` (the parents of record `i`
/// are `parents[ends[i - 1]..ends[i]]`, [`NOT_CACHED`] if not cached).
struct Decoded {
    records: Vec<CommitRecord>,
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
        index.reserve(decoded.records.len());
        for (i, record) in decoded.records.iter().enumerate() {
            index.insert(record.id, i);
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
    pub fn id(&self, pos: usize) -> ObjectId {
        self.records[pos].id
    }

    /// The parents of the record at `pos`, in order.
    pub fn parents(&self, pos: usize) -> impl DoubleEndedIterator<Item = Parent> + '_ {
        let start = if pos == 0 { 0 } else { self.ends[pos - 1] };
        let record = &self.records[pos];
        self.parents[start..self.ends[pos]]
            .iter()
            .zip(&record.parents)
            .map(|(&at, &id)| match at {
                NOT_CACHED => Parent::Id(id),
                at => Parent::Cached(at as usize),
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

/// Bytes read first: the magic and the header (a dozen bytes per chunk) nearly always fit.
const HEAD_BYTES: u64 = 64 * 1024;

/// Loads the cache at `path`. A missing file gives an empty cache; an unreadable, foreign,
/// outdated or damaged one is logged at warn level and treated as empty.
pub(crate) fn load(path: &Path) -> Loaded {
    let decoded = match File::open(path) {
        Ok(file) => read(&file),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Loaded::default(),
        Err(err) => Err(format!("cannot read it: {err}")),
    };
    match decoded {
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

/// A record to be overwritten: the slots records are decoded into start as this.
fn placeholder() -> CommitRecord {
    CommitRecord::new(ObjectId::null(gix::hash::Kind::Sha1))
}

/// Reads and checks the header, then reads, checks and decodes the chunks in parallel, each
/// worker into one buffer it reuses: the file is never held in memory whole.
fn read(file: &File) -> Result<Decoded, String> {
    let len = file
        .metadata()
        .map_err(|e| format!("cannot read it: {e}"))?
        .len();
    let (header, header_len) = match parse_header(&read_at(file, 0, len.min(HEAD_BYTES))?) {
        // A header longer than `HEAD_BYTES` (millions of commits): read it whole.
        Err(_) if len > HEAD_BYTES => parse_header(&read_at(file, 0, len)?)?,
        parsed => parsed?,
    };
    // Where each chunk is, and how many records it holds (at most one per byte, so a damaged
    // count cannot ask for more memory than the file could fill).
    let mut chunks = Vec::with_capacity(header.chunks.len());
    let (mut offset, mut total) = (header_len, 0usize);
    for chunk in &header.chunks {
        if chunk.len > len - offset || chunk.records > chunk.len {
            return Err("truncated or corrupt".to_owned());
        }
        chunks.push((offset, chunk.len, chunk.hash));
        offset += chunk.len;
        total += chunk.records as usize;
    }
    if offset != len {
        return Err("trailing bytes".to_owned());
    }
    // Every record is decoded straight into its place in one vector, chunks in parallel.
    let mut records = Vec::new();
    (0..total)
        .into_par_iter()
        .map(|_| placeholder())
        .collect_into_vec(&mut records);
    let mut slots = Vec::with_capacity(chunks.len());
    let mut rest = records.as_mut_slice();
    for chunk in &header.chunks {
        let (these, others) = rest.split_at_mut(chunk.records as usize);
        slots.push(these);
        rest = others;
    }
    let indexes: Vec<ChunkIndex> = slots
        .into_par_iter()
        .zip(chunks)
        .map_init(Vec::new, |buf, (slots, (offset, len, hash))| {
            buf.resize(len as usize, 0);
            read_exact_at(file, buf, offset).map_err(|e| format!("cannot read it: {e}"))?;
            decode_chunk(buf, hash, slots)
        })
        .collect::<Result<_, String>>()?;
    Ok(Decoded::new(records, indexes))
}

/// The header at the start of `bytes`, and the length of the magic and the header.
fn parse_header(bytes: &[u8]) -> Result<(Header, u64), String> {
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
    Ok((header, (bytes.len() - payload.len()) as u64))
}

/// One chunk's parent positions (record `i`'s parents are `parents[ends[i - 1]..ends[i]]`).
struct ChunkIndex {
    parents: Vec<u32>,
    ends: Vec<usize>,
}

impl Decoded {
    /// The records with the chunks' indexes joined in order, each chunk's parent ranges moved
    /// to follow the last.
    fn new(records: Vec<CommitRecord>, indexes: Vec<ChunkIndex>) -> Decoded {
        let mut out = Decoded {
            ends: Vec::with_capacity(records.len()),
            records,
            parents: Vec::new(),
        };
        for index in indexes {
            let base = out.parents.len();
            out.parents.extend(index.parents);
            out.ends
                .extend(index.ends.into_iter().map(|end| end + base));
        }
        out
    }
}

/// Checks and decodes one chunk into `slots`, which must be exactly as many as its records.
fn decode_chunk(part: &[u8], hash: u64, slots: &mut [CommitRecord]) -> Result<ChunkIndex, String> {
    if checksum(part) != hash {
        return Err("truncated or corrupt".to_owned());
    }
    // A chunk is a postcard `Vec<CommitRecord>` (a length, then the records, decoded one by one
    // straight into their slots), then a `Vec<u32>` of every record's parent positions.
    let undecodable = |e: postcard::Error| format!("undecodable records: {e}");
    let (count, mut rest) = postcard::take_from_bytes::<usize>(part).map_err(undecodable)?;
    if count != slots.len() {
        return Err("record count differs from the header".to_owned());
    }
    let mut index = ChunkIndex {
        parents: Vec::new(),
        ends: Vec::with_capacity(count),
    };
    for slot in slots.iter_mut() {
        let (record, next) =
            postcard::take_from_bytes::<CommitRecord>(rest).map_err(undecodable)?;
        rest = next;
        *slot = record;
    }
    let (positions, rest) = postcard::take_from_bytes::<Vec<u32>>(rest).map_err(undecodable)?;
    if !rest.is_empty() {
        return Err("trailing bytes in a chunk".to_owned());
    }
    let mut positions = positions.into_iter();
    for record in slots.iter() {
        for _ in &record.parents {
            index
                .parents
                .push(positions.next().ok_or("missing parent positions")?);
        }
        index.ends.push(index.parents.len());
    }
    if positions.next().is_some() {
        return Err("extra parent positions".to_owned());
    }
    Ok(index)
}

/// The record positions of every record's parents ([`NOT_CACHED`] for parents not in `records`).
fn parent_positions(records: &[&CommitRecord]) -> Vec<u32> {
    let at: HashMap<ObjectId, u32> = records
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id, i as u32))
        .collect();
    records
        .iter()
        .flat_map(|r| {
            r.parents
                .iter()
                .map(|p| at.get(p).copied().unwrap_or(NOT_CACHED))
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
    let chunks: Vec<(Vec<u8>, usize)> = records
        .par_chunks(CHUNK_RECORDS)
        .zip(position_chunks.par_iter())
        .map(|(chunk, positions)| {
            let mut bytes = postcard::to_stdvec(chunk)?;
            bytes.extend(postcard::to_stdvec(positions)?);
            Ok((bytes, chunk.len()))
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
    for (chunk, _) in &chunks {
        file.write_all(chunk).map_err(fail)?;
    }
    file.as_file().sync_all().map_err(fail)?;
    file.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_bytes(bytes: &[u8]) -> Result<Decoded, String> {
        let mut file = tempfile::tempfile().expect("temp file");
        file.write_all(bytes).expect("write");
        read(&file)
    }

    #[test]
    fn foreign_and_damaged_bytes_are_rejected() {
        assert!(read_bytes(b"").is_err());
        assert!(read_bytes(b"SPKYHIST").is_err());
        assert!(read_bytes(b"something else entirely").is_err());
    }

    /// A chain of `n` commits, newest first, whose oldest has a parent outside the cache.
    fn chain(n: usize) -> Vec<CommitRecord> {
        let id = |i: usize| ObjectId::from_hex(format!("{i:040x}").as_bytes()).expect("hex");
        (0..n)
            .map(|i| CommitRecord {
                id: id(i + 1),
                parents: vec![id(i + 2)],
                subject: format!("commit {i}"),
                ..placeholder()
            })
            .collect()
    }

    fn stored(records: &[CommitRecord]) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("history.bin");
        store(&path, &records.iter().collect::<Vec<_>>()).expect("store");
        (dir, path)
    }

    #[test]
    fn records_come_back_in_order_across_chunks_with_their_parents() {
        let records = chain(2 * CHUNK_RECORDS + 5);
        let (_dir, path) = stored(&records);
        let loaded = load(&path);
        assert!(loaded.valid);
        assert_eq!(loaded.records, records);
        for pos in [0, CHUNK_RECORDS - 1, CHUNK_RECORDS, 2 * CHUNK_RECORDS + 3] {
            assert_eq!(loaded.position(&loaded.id(pos)), Some(pos));
            let parents: Vec<usize> = loaded
                .parents(pos)
                .map(|p| match p {
                    Parent::Cached(at) => at,
                    Parent::Id(id) => panic!("parent {id} of {pos} should be cached"),
                })
                .collect();
            assert_eq!(parents, [pos + 1]);
        }
        let last = records.len() - 1;
        assert!(matches!(
            loaded.parents(last).next(),
            Some(Parent::Id(id)) if id == records[last].parents[0]
        ));
    }

    #[test]
    fn a_header_whose_record_counts_disagree_with_a_chunk_is_rejected() {
        let (_dir, path) = stored(&chain(CHUNK_RECORDS + 1));
        let bytes = std::fs::read(&path).expect("read");
        let (mut header, header_len) = parse_header(&bytes).expect("header");
        let payload = &bytes[header_len as usize..];
        for (first, second) in [(CHUNK_RECORDS - 1, 2), (CHUNK_RECORDS + 1, 0)] {
            header.chunks[0].records = first as u64;
            header.chunks[1].records = second;
            let mut tampered = MAGIC.to_vec();
            tampered.extend(postcard::to_stdvec(&header).expect("encode"));
            tampered.extend(payload);
            assert!(read_bytes(&tampered).is_err(), "{first} + {second}");
        }
        // An absurd count is refused before any memory is set aside for it.
        header.chunks[0].records = u64::MAX;
        let mut tampered = MAGIC.to_vec();
        tampered.extend(postcard::to_stdvec(&header).expect("encode"));
        tampered.extend(payload);
        assert_eq!(
            read_bytes(&tampered).err().as_deref(),
            Some("truncated or corrupt")
        );
    }
}
