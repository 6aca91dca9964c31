//! Fitting a draft to a platform: one post when everything fits, else a thread whose posts end
//! in `(i/n)` markers that are counted in the limit. Posts break between blocks where they
//! can, else between words: never inside a word, the link or a hashtag.

use super::platform::Rules;

/// A paragraph or line of a draft: words separated by single spaces, no line breaks.
#[derive(Debug, Clone)]
pub struct Block {
    pub text: String,
    /// What joins it to the block before it in the same post: `"\n\n"` or `"\n"`.
    pub sep: &'static str,
}

/// The posts of one draft. Every post fits `rules`; a word that could not fit even in a post of
/// its own (impossible for the words Sparky writes, whose length is bounded) is left out and
/// reported in `dropped`.
#[derive(Debug, Clone, Default)]
pub struct Fitted {
    pub posts: Vec<String>,
    pub dropped: Vec<String>,
}

/// Fits `blocks` into posts under `rules`.
pub fn fit(blocks: &[Block], rules: &Rules<'_>) -> Fitted {
    let fits = |t: &str| rules.fits(t);
    let single = pack(blocks, &fits);
    if single.posts.len() <= 1 {
        return single;
    }
    for digits in 1..=4u32 {
        let widest = "9".repeat(digits as usize);
        let reserve = format!(" ({widest}/{widest})");
        // A marker with fewer or as many ASCII digits never counts more than this reserve.
        let packed = pack(blocks, &|t: &str| rules.fits(&format!("{t}{reserve}")));
        let n = packed.posts.len();
        if n < 10usize.pow(digits) {
            let posts = packed
                .posts
                .iter()
                .enumerate()
                .map(|(i, p)| format!("{p} ({}/{n})", i + 1))
                .collect();
            return Fitted {
                posts,
                dropped: packed.dropped,
            };
        }
    }
    // Ten thousand posts: not a draft anyone would post. Sparky's content never gets here.
    Fitted {
        posts: Vec::new(),
        dropped: blocks.iter().map(|b| b.text.clone()).collect(),
    }
}

/// Greedy packing: whole blocks while they fit, a block that fits on its own starts a new post,
/// a block too long for any post is split between words.
fn pack(blocks: &[Block], fits: &dyn Fn(&str) -> bool) -> Fitted {
    let mut out = Fitted::default();
    let mut current = String::new();
    for block in blocks {
        if block.text.is_empty() {
            continue;
        }
        let joined = join(&current, block.sep, &block.text);
        if fits(&joined) {
            current = joined;
            continue;
        }
        if !current.is_empty() && fits(&block.text) {
            out.posts.push(std::mem::take(&mut current));
            current = block.text.clone();
            continue;
        }
        for (i, word) in block.text.split(' ').filter(|w| !w.is_empty()).enumerate() {
            let sep = if i == 0 { block.sep } else { " " };
            let joined = join(&current, sep, word);
            if fits(&joined) {
                current = joined;
            } else if fits(word) {
                out.posts.push(std::mem::take(&mut current));
                current = word.to_string();
            } else {
                out.dropped.push(word.to_string());
            }
        }
    }
    if !current.is_empty() {
        out.posts.push(current);
    }
    out
}

fn join(current: &str, sep: &str, text: &str) -> String {
    if current.is_empty() {
        text.to_string()
    } else {
        format!("{current}{sep}{text}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::social::platform::Platform;

    fn block(text: &str) -> Block {
        Block {
            text: text.into(),
            sep: "\n\n",
        }
    }

    fn rules(limit: usize) -> Rules<'static> {
        Rules {
            platform: Platform::Mastodon,
            limit,
            link: None,
        }
    }

    #[test]
    fn everything_that_fits_is_one_post_without_a_marker() {
        let f = fit(&[block("one two"), block("three")], &rules(50));
        assert_eq!(f.posts, ["one two\n\nthree"]);
    }

    #[test]
    fn a_thread_breaks_between_blocks_and_counts_its_markers() {
        let f = fit(&[block("aaaa bbbb"), block("cccc dddd")], &rules(16));
        assert_eq!(f.posts, ["aaaa bbbb (1/2)", "cccc dddd (2/2)"]);
        assert!(f.posts.iter().all(|p| p.chars().count() <= 16));
    }

    #[test]
    fn a_long_block_breaks_between_words() {
        let words: Vec<String> = (0..40).map(|i| format!("w{i:02}")).collect();
        let f = fit(&[block(&words.join(" "))], &rules(30));
        assert!(f.posts.len() > 5);
        assert!(f.dropped.is_empty());
        let rejoined: Vec<&str> = f
            .posts
            .iter()
            .flat_map(|p| p.split(' '))
            .filter(|w| !w.starts_with('('))
            .collect();
        assert_eq!(rejoined, words, "every word whole, in order");
        assert!(f.posts.iter().all(|p| p.chars().count() <= 30));
        assert!(f.posts[0].ends_with(&format!("(1/{})", f.posts.len())));
    }

    #[test]
    fn a_word_longer_than_a_post_is_reported_not_cut() {
        let f = fit(&[block("ok"), block(&"x".repeat(40))], &rules(20));
        assert_eq!(f.posts, ["ok"]);
        assert_eq!(f.dropped.len(), 1);
    }

    #[test]
    fn ten_posts_get_two_digit_markers() {
        let blocks: Vec<Block> = (0..12).map(|i| block(&format!("block{i:02}"))).collect();
        let f = fit(&blocks, &rules(16));
        assert_eq!(f.posts.len(), 12);
        assert_eq!(f.posts[11], "block11 (12/12)");
        assert!(f.posts.iter().all(|p| p.chars().count() <= 16));
    }
}
