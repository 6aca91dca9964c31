//! The delta-base cache shared by the object readers of one extraction: recently decoded
//! packed objects by (pack, offset), sharded, two generations per shard, buffers recycled.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

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

    pub fn get(&self, key: (usize, u64)) -> Option<Decoded> {
        self.shard(key).get(key)
    }

    pub fn put(&self, key: (usize, u64), value: Decoded) {
        self.shard(key).put(key, value);
    }

    pub fn buffer(&self, key: (usize, u64)) -> Vec<u8> {
        self.shard(key).buffer()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
