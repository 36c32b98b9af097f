//! Related briefs: for every brief, the few sharing the most topics, newest first on ties.
//!
//! A pure function of the briefs' topic lists, run once by `assemble`; found through the
//! topics' brief lists (as bitsets) rather than by comparing every pair of briefs.

use super::{Brief, BriefId, Taxonomy, TermId};

/// How many related briefs each brief shows.
const RELATED: usize = 3;

/// For every brief, the briefs sharing the most topics (newest first on ties), found through
/// the topics' brief lists rather than by comparing every pair of briefs.
pub(super) fn related_briefs(briefs: &mut [Brief], taxonomies: &[Taxonomy]) {
    let Some(ti) = taxonomies.iter().position(|t| t.def.name == "topics") else {
        return;
    };
    let topics: Vec<&[BriefId]> = taxonomies[ti]
        .terms
        .iter()
        .map(|t| t.briefs.as_slice())
        .collect();
    let of: Vec<&[TermId]> = briefs.iter().map(|b| b.terms[ti].as_slice()).collect();
    // One bit per brief per topic: 60 topics over 100,000 briefs is 750 KB.
    let bitset_bytes = topics.len() * briefs.len().div_ceil(64) * 8;
    let max_topics = of.iter().map(|t| t.len()).max().unwrap_or(0);
    let lists = if bitset_bytes <= 256 << 20 && max_topics < 1 << 16 {
        related_by_bitsets(&of, &topics)
    } else {
        related_by_counting(&of, &topics)
    };
    for (b, r) in briefs.iter_mut().zip(lists) {
        b.related = r;
    }
}

/// For each brief (`of[i]`: its topics), the RELATED briefs sharing most topics with it, newest
/// (lowest id) first among equals. Each topic is a bitset of briefs; a brief's topic bitsets
/// are added word by word into bit-sliced counters, so one pass over n/64 words finds, in id
/// order, the first briefs with each count (the dense-counter version below touches every
/// brief of every shared topic, quadratic in practice: 4.7 s at 100,000 briefs).
#[allow(clippy::needless_range_loop)] // `w` indexes one word of several topic bitsets
fn related_by_bitsets(of: &[&[TermId]], topics: &[&[BriefId]]) -> Vec<Vec<BriefId>> {
    use rayon::prelude::*;
    let words = of.len().div_ceil(64);
    let sets: Vec<Vec<u64>> = topics
        .par_iter()
        .map(|members| {
            let mut set = vec![0u64; words];
            for b in *members {
                set[b.0 as usize / 64] |= 1 << (b.0 % 64);
            }
            set
        })
        .collect();
    of.par_iter()
        .enumerate()
        .map(|(i, ts)| {
            let k = ts.len();
            if k == 0 {
                return Vec::new();
            }
            // Bits needed to count to k (below 2^16: checked by the caller).
            let bits = (usize::BITS - k.leading_zeros()) as usize;
            // found[c]: the first RELATED ids sharing exactly c topics, ascending.
            let mut found: Vec<Vec<u32>> = vec![Vec::new(); k + 1];
            for w in 0..words {
                let mut planes = [0u64; 16];
                for t in *ts {
                    let mut carry = sets[t.0 as usize][w];
                    for p in planes[..bits].iter_mut() {
                        let sum = *p ^ carry;
                        carry &= *p;
                        *p = sum;
                    }
                }
                if w == i / 64 {
                    for p in planes[..bits].iter_mut() {
                        *p &= !(1 << (i % 64));
                    }
                }
                if planes[..bits].iter().all(|p| *p == 0) {
                    continue;
                }
                for (c, list) in found.iter_mut().enumerate().skip(1).rev() {
                    if list.len() >= RELATED {
                        continue;
                    }
                    let mut m = !0u64;
                    for (bit, p) in planes[..bits].iter().enumerate() {
                        m &= if (c >> bit) & 1 == 1 { *p } else { !*p };
                    }
                    while m != 0 && list.len() < RELATED {
                        list.push((w * 64) as u32 + m.trailing_zeros());
                        m &= m - 1;
                    }
                }
                // Nothing later can beat RELATED briefs sharing every topic.
                if found[k].len() >= RELATED {
                    break;
                }
            }
            found
                .iter()
                .rev()
                .flatten()
                .take(RELATED)
                .map(|&id| BriefId(id))
                .collect()
        })
        .collect()
}

/// The same as [`related_by_bitsets`] with a dense counter per worker: a few increments per
/// brief of each shared topic, then one pass for the top RELATED. Used when bitsets for every
/// topic would take too much memory (very many topics over very many briefs).
fn related_by_counting(of: &[&[TermId]], topics: &[&[BriefId]]) -> Vec<Vec<BriefId>> {
    use rayon::prelude::*;
    let n = topics
        .iter()
        .flat_map(|t| t.iter())
        .map(|b| b.0 as usize + 1)
        .max()
        .unwrap_or(0);
    of.par_iter()
        .enumerate()
        .map_init(
            || (vec![0u16; n], Vec::new()),
            |(counts, touched), (i, ts)| {
                for t in *ts {
                    for other in topics[t.0 as usize] {
                        let o = other.0 as usize;
                        if o != i {
                            if counts[o] == 0 {
                                touched.push(other.0);
                            }
                            counts[o] = counts[o].saturating_add(1);
                        }
                    }
                }
                // Most shared topics first; then newest, i.e. the lowest id.
                let mut best: Vec<(u16, u32)> = Vec::with_capacity(RELATED + 1);
                for &o in touched.iter() {
                    let c = counts[o as usize];
                    counts[o as usize] = 0;
                    let better = |x: &(u16, u32)| c > x.0 || (c == x.0 && o < x.1);
                    if best.len() < RELATED || better(best.last().expect("non-empty")) {
                        let at = best.iter().position(better).unwrap_or(best.len());
                        best.insert(at, (c, o));
                        best.truncate(RELATED);
                    }
                }
                touched.clear();
                best.into_iter().map(|(_, id)| BriefId(id)).collect()
            },
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn topics_of(of: &[Vec<TermId>], t: usize) -> Vec<Vec<BriefId>> {
        let mut topics = vec![Vec::new(); t];
        for (i, ts) in of.iter().enumerate() {
            for x in ts {
                topics[x.0 as usize].push(BriefId(i as u32));
            }
        }
        topics
    }

    proptest! {
        #[test]
        fn related_bitsets_agree_with_counting(
            of in prop::collection::vec(prop::collection::btree_set(0u32..8, 0..5), 0..200)
        ) {
            let of: Vec<Vec<TermId>> =
                of.into_iter().map(|s| s.into_iter().map(TermId).collect()).collect();
            let topics = topics_of(&of, 8);
            let of_refs: Vec<&[TermId]> = of.iter().map(Vec::as_slice).collect();
            let topic_refs: Vec<&[BriefId]> = topics.iter().map(Vec::as_slice).collect();
            prop_assert_eq!(
                related_by_bitsets(&of_refs, &topic_refs),
                related_by_counting(&of_refs, &topic_refs)
            );
        }
    }

    #[test]
    fn related_prefers_more_shared_topics_then_newer() {
        // 0: {a,b,c}; 1: {a}; 2: {a,b}; 3: {a,b,c}; 4: {c}; 5: {b}
        let of: Vec<Vec<TermId>> = [&[0, 1, 2][..], &[0], &[0, 1], &[0, 1, 2], &[2], &[1]]
            .iter()
            .map(|s| s.iter().map(|&t| TermId(t)).collect())
            .collect();
        let topics = topics_of(&of, 3);
        let of_refs: Vec<&[TermId]> = of.iter().map(Vec::as_slice).collect();
        let topic_refs: Vec<&[BriefId]> = topics.iter().map(Vec::as_slice).collect();
        let r = related_by_bitsets(&of_refs, &topic_refs);
        assert_eq!(r[0], vec![BriefId(3), BriefId(2), BriefId(1)]);
        assert_eq!(r[4], vec![BriefId(0), BriefId(3)]);
        assert_eq!(r[1], vec![BriefId(0), BriefId(2), BriefId(3)]);
    }
}
