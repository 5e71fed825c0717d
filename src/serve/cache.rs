//! Answers already given, kept until the index changes: a newsroom asks
//! the same searches again and again (paging back, a facet clicked and
//! clicked off, a shared link opened by a whole desk), and a search costs a
//! few milliseconds of CPU that 32 waiting clients on two cores multiply
//! into a queue. A cached answer is the same bytes the search would give:
//! the key is the route and its raw query string, and every entry belongs
//! to one snapshot of the index (its segments and their deletes), so the
//! first request after a commit searches again.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::Mutex;

use tantivy::index::SegmentId;
use tantivy::{Opstamp, Searcher};

use super::reply::Reply;

/// Most answers kept.
const MAX_ENTRIES: usize = 1024;
/// Most bytes of answers kept, and the largest answer kept (exports of a
/// thousand hits are larger and are made again each time).
const MAX_BYTES: usize = 64 << 20;
const MAX_ENTRY_BYTES: usize = 1 << 20;

/// The index content a searcher sees: its segments and their deletes.
type Snapshot = BTreeMap<SegmentId, Option<Opstamp>>;

type Key = (&'static str, String);

/// Answers by route and query string, for one snapshot of the index.
#[derive(Default)]
pub(crate) struct ReplyCache {
    inner: Mutex<Entries>,
}

#[derive(Default)]
struct Entries {
    snapshot: Snapshot,
    replies: HashMap<Key, Reply>,
    /// Keys oldest first: the first ones go when the cache is full.
    order: VecDeque<Key>,
    bytes: usize,
}

impl ReplyCache {
    /// The answer to `route?query` on what `searcher` sees, made by `make`
    /// unless it was made before. Only successful answers are kept.
    pub(crate) fn get_or_make(
        &self,
        searcher: &Searcher,
        route: &'static str,
        query: &str,
        make: impl FnOnce() -> Reply,
    ) -> Reply {
        let snapshot = searcher.generation().segments();
        let key = (route, query.to_string());
        if let Ok(mut entries) = self.inner.lock() {
            if entries.snapshot != *snapshot {
                entries.clear(snapshot.clone());
            } else if let Some(reply) = entries.replies.get(&key) {
                return reply.clone();
            }
        }
        // Made without the lock: other requests go on meanwhile.
        let reply = make();
        if reply.status.is_success() && reply.body.len() <= MAX_ENTRY_BYTES {
            if let Ok(mut entries) = self.inner.lock() {
                if entries.snapshot == *snapshot {
                    entries.insert(key, reply.clone());
                }
            }
        }
        reply
    }
}

impl Entries {
    fn clear(&mut self, snapshot: Snapshot) {
        *self = Entries { snapshot, ..Entries::default() };
    }

    fn insert(&mut self, key: Key, reply: Reply) {
        self.bytes += reply.body.len();
        if let Some(old) = self.replies.insert(key.clone(), reply) {
            self.bytes -= old.body.len();
        } else {
            self.order.push_back(key);
        }
        while self.replies.len() > MAX_ENTRIES || self.bytes > MAX_BYTES {
            let Some(oldest) = self.order.pop_front() else { break };
            if let Some(old) = self.replies.remove(&oldest) {
                self.bytes -= old.body.len();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(bytes: usize) -> Reply {
        Reply::ok(super::super::reply::TEXT, vec![b'x'; bytes])
    }

    #[test]
    fn the_oldest_answers_go_first_when_the_cache_is_full() {
        let mut entries = Entries::default();
        for i in 0..MAX_ENTRIES + 2 {
            entries.insert(("/api/search", format!("q={i}")), reply(10));
        }
        assert_eq!(entries.replies.len(), MAX_ENTRIES);
        assert!(!entries.replies.contains_key(&("/api/search", "q=0".to_string())));
        assert!(!entries.replies.contains_key(&("/api/search", "q=1".to_string())));
        assert!(entries.replies.contains_key(&("/api/search", "q=2".to_string())));
        assert_eq!(entries.bytes, MAX_ENTRIES * 10);
    }

    #[test]
    fn the_byte_budget_bounds_the_cache_and_a_replaced_answer_is_counted_once() {
        let mut entries = Entries::default();
        let big = MAX_ENTRY_BYTES;
        for i in 0..(MAX_BYTES / big) + 3 {
            entries.insert(("/", format!("q={i}")), reply(big));
        }
        assert!(entries.bytes <= MAX_BYTES);
        assert_eq!(entries.bytes, entries.replies.len() * big);
        let key = ("/doc", "path=a".to_string());
        entries.insert(key.clone(), reply(5));
        entries.insert(key.clone(), reply(7));
        assert_eq!(entries.replies[&key].body.len(), 7);
        assert_eq!(entries.order.iter().filter(|k| **k == key).count(), 1);
        assert_eq!(entries.bytes, entries.replies.values().map(|r| r.body.len()).sum::<usize>());
    }
}
