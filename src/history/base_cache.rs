//! The delta-base cache shared by the object readers of one extraction: recently decoded
//! packed objects by (pack, offset), sharded, two generations per shard. Buffers of evicted
//! objects are recycled by power-of-two size class instead of freed: the heap stops churning
//! and threads do not free each other's memory (which contends on allocator locks).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, TryLockError};

/// A decoded object: its kind and its bytes, shared with the cache.
pub(crate) type Decoded = (gix::objs::Kind, Buffer);

/// Object bytes shared between the cache and its readers.
pub(crate) type Buffer = Arc<Vec<u8>>;

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
    /// Recycled buffers by size class (capacity `1 << (MIN_CLASS + i)`), still in their `Arc`
    /// so that its allocation is recycled too.
    pools: [Vec<Buffer>; CLASSES],
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

/// Buffer size classes: powers of two from 256 bytes to 256 KiB; larger objects get exact
/// buffers that are not recycled.
const MIN_CLASS: u32 = 8;
const CLASSES: usize = 11;

/// The size class for a buffer of `size` bytes, if it is small enough to recycle.
fn class_of(size: usize) -> Option<usize> {
    let class = size
        .max(1)
        .next_power_of_two()
        .trailing_zeros()
        .max(MIN_CLASS)
        - MIN_CLASS;
    (usize::try_from(class).ok()? < CLASSES).then_some(class as usize)
}

impl BaseCache {
    fn new(budget: usize, largest: usize) -> BaseCache {
        BaseCache {
            largest,
            young: OffsetMap::default(),
            old: OffsetMap::default(),
            young_bytes: 0,
            budget,
            pools: Default::default(),
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
        let size = value.1.capacity();
        if size > self.largest {
            return;
        }
        self.young_bytes += size;
        if let Some(replaced) = self.young.insert(key, value) {
            self.young_bytes -= replaced.1.capacity();
        }
        if self.young_bytes > self.budget / 2 {
            // The young generation becomes the old one; the old one is recycled, and its map
            // keeps its capacity for the next young generation.
            std::mem::swap(&mut self.old, &mut self.young);
            self.young_bytes = 0;
            let mut retired = std::mem::take(&mut self.young);
            for (_, (_, data)) in retired.drain() {
                self.recycle(data);
            }
            self.young = retired;
        }
    }

    /// Keeps `buf` for reuse if nobody else holds it, it is of a size class, and the pools have
    /// room (half the budget).
    fn recycle(&mut self, mut buf: Buffer) {
        let cap = buf.capacity();
        if Arc::get_mut(&mut buf).is_some()
            && let Some(class) = class_of(cap).filter(|&c| cap == 1 << (MIN_CLASS as usize + c))
            && self.pool_bytes + cap <= self.budget / 2
        {
            self.pool_bytes += cap;
            self.pools[class].push(buf);
        }
    }

    /// An empty, unshared buffer able to hold `size` bytes without growing, recycled if possible.
    fn buffer(&mut self, size: usize) -> Buffer {
        let Some(class) = class_of(size) else {
            return Arc::new(Vec::with_capacity(size));
        };
        match self.pools[class].pop() {
            Some(mut buf) => {
                self.pool_bytes -= buf.capacity();
                if let Some(bytes) = Arc::get_mut(&mut buf) {
                    bytes.clear();
                }
                buf
            }
            None => Arc::new(Vec::with_capacity(1 << (MIN_CLASS as usize + class))),
        }
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

    /// The shard of `key`, or `None` if another reader holds it: readers never wait for each
    /// other (on a busy machine the holder may be descheduled), they only miss the cache.
    fn shard(&self, key: (usize, u64)) -> Option<MutexGuard<'_, BaseCache>> {
        let mix = (key.1 ^ (key.0 as u64) << 56).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        let index = (mix >> 60) as usize % SHARDS;
        match self.shards[index].try_lock() {
            Ok(guard) => Some(guard),
            Err(TryLockError::Poisoned(poisoned)) => Some(poisoned.into_inner()),
            Err(TryLockError::WouldBlock) => None,
        }
    }

    pub fn get(&self, key: (usize, u64)) -> Option<Decoded> {
        self.shard(key)?.get(key)
    }

    pub fn put(&self, key: (usize, u64), value: Decoded) {
        if let Some(mut shard) = self.shard(key) {
            shard.put(key, value);
        }
    }

    /// An empty, unshared buffer for `size` bytes, preferably a recycled one.
    pub fn buffer(&self, key: (usize, u64), size: usize) -> Buffer {
        match self.shard(key) {
            Some(mut shard) => shard.buffer(size),
            None => Arc::new(Vec::with_capacity(size)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_cache_keeps_two_generations_and_recycles_buffers() {
        let mut cache = BaseCache::new(2048, 300);
        let entry = |n: u8| {
            let mut buf = Vec::with_capacity(256);
            buf.resize(100, n);
            (gix::objs::Kind::Blob, Arc::new(buf))
        };
        for n in 0..5 {
            cache.put((0, u64::from(n)), entry(n));
        }
        // 5 × 256 bytes > 1024: the first five became the old generation.
        let promoted = cache.get((0, 0)).map(|e| e.1[0]);
        assert_eq!(promoted, Some(0), "promoted from the old generation");
        for n in 5..9 {
            cache.put((0, u64::from(n)), entry(n));
        }
        assert!(cache.get((0, 1)).is_none(), "dropped with its generation");
        assert_eq!(
            cache.pools[0].len(),
            4,
            "buffers of dropped entries are recycled"
        );
        let mut buf = cache.buffer(100);
        assert!(Arc::get_mut(&mut buf).is_some_and(|b| b.is_empty()) && buf.capacity() == 256);
        assert_eq!(cache.pools[0].len(), 3);
        cache.put((1, 0), (gix::objs::Kind::Blob, Arc::new(vec![0; 512])));
        assert!(cache.get((1, 0)).is_none(), "too large to keep");
    }

    #[test]
    fn size_classes() {
        assert_eq!(class_of(1), Some(0));
        assert_eq!(class_of(256), Some(0));
        assert_eq!(class_of(257), Some(1));
        assert_eq!(class_of(256 * 1024), Some(10));
        assert_eq!(class_of(256 * 1024 + 1), None);
    }
}
