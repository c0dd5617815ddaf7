//! Two questions in force that ask for the same fact (`stackmap check` warns).
//!
//! The measure, documented in CONTENT.md §3: each question's text is reduced to a set of
//! normalised tokens (lowercase words of letters and digits, common English function words
//! dropped, as are single letters; a plural `s` cut from words longer than three letters). Two questions in
//! different questionnaires are a pair when
//!
//! - their prompts' token sets have a Jaccard index (shared ÷ all) of at least
//!   [`PROMPT_JACCARD`]: near-identical prompts; or
//! - their ids end in the same word (`channel-buffer`, `mp-buffers`) and the tokens of prompt
//!   and option labels together reach [`SAME_FACT_JACCARD`]: the same fact asked in other words.
//!
//! Questions of one file are not compared: siblings share a pattern by design (`search-overlap`,
//! `promotions-overlap`). A question that resembles another but asks something else says so with
//! `distinct_from = ["questionnaire/question"]`.

use std::collections::BTreeSet;

use crate::model::{Question, Questionnaire};

/// Prompts this alike ask the same thing.
pub const PROMPT_JACCARD: f64 = 0.45;
/// With the same last id word, prompt and option labels this alike ask the same fact.
pub const SAME_FACT_JACCARD: f64 = 0.2;

const STOP: &[&str] = &[
    "a", "all", "an", "and", "any", "are", "as", "at", "be", "been", "but", "by", "can", "did",
    "do", "does", "each", "every", "for", "from", "had", "has", "have", "how", "if", "in", "is",
    "it", "its", "no", "not", "of", "on", "one", "or", "our", "so", "than", "that", "the", "their",
    "them", "there", "they", "this", "to", "was", "we", "were", "what", "when", "which", "who",
    "with", "yes", "you", "your",
];

/// The normalised tokens of a text.
pub fn tokens(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| w.len() > 1)
        .map(str::to_ascii_lowercase)
        .filter(|w| !STOP.contains(&w.as_str()))
        .map(|w| stem(&w).to_string())
        .collect()
}

fn stem(w: &str) -> &str {
    if w.len() > 3 && w.ends_with('s') {
        &w[..w.len() - 1]
    } else {
        w
    }
}

/// Shared ÷ all; 0 for two empty sets.
pub fn jaccard(a: &BTreeSet<String>, b: &BTreeSet<String>) -> f64 {
    let union = a.union(b).count();
    if union == 0 {
        0.0
    } else {
        a.intersection(b).count() as f64 / union as f64
    }
}

struct Text {
    prompt: BTreeSet<String>,
    full: BTreeSet<String>,
    last: String,
}

fn text(q: &Question) -> Text {
    let prompt = tokens(&q.prompt);
    let mut full = prompt.clone();
    for o in &q.options {
        full.extend(tokens(&o.label));
    }
    let last = q.id.rsplit('-').next().unwrap_or(&q.id);
    Text {
        prompt,
        full,
        last: stem(last).to_string(),
    }
}

/// One pair found: the two questions and why they look alike.
pub struct Pair<'c> {
    pub a: (&'c Questionnaire, &'c Question),
    pub b: (&'c Questionnaire, &'c Question),
    pub reason: String,
}

/// Every pair of questions in different questionnaires that ask the same fact, unless one names
/// the other in `distinct_from`. `a` is the one that comes later in the list.
pub fn pairs(questionnaires: &[Questionnaire]) -> Vec<Pair<'_>> {
    let all: Vec<(&Questionnaire, &Question, Text)> = questionnaires
        .iter()
        .flat_map(|qn| qn.questions().map(move |(_, q)| (qn, q, text(q))))
        .collect();
    let mut out = Vec::new();
    for (i, (qa, a, ta)) in all.iter().enumerate() {
        for (qb, b, tb) in &all[..i] {
            if qa.id == qb.id {
                continue;
            }
            let names = |x: &Question, other: &str| x.distinct_from.iter().any(|r| r.id == other);
            if names(a, &format!("{}/{}", qb.id, b.id)) || names(b, &format!("{}/{}", qa.id, a.id))
            {
                continue;
            }
            let jp = jaccard(&ta.prompt, &tb.prompt);
            let reason = if jp >= PROMPT_JACCARD {
                format!("near-identical prompts: token Jaccard {jp:.2}")
            } else if ta.last == tb.last {
                let jf = jaccard(&ta.full, &tb.full);
                if jf < SAME_FACT_JACCARD {
                    continue;
                }
                format!(
                    "ids ending in `{}`, prompts and options alike: token Jaccard {jf:.2}",
                    ta.last
                )
            } else {
                continue;
            };
            out.push(Pair {
                a: (qa, a),
                b: (qb, b),
                reason,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_drop_function_words_and_plurals() {
        let t = tokens("Who watches the Marketplace's cancellation rates?");
        assert_eq!(
            t.into_iter().collect::<Vec<_>>(),
            ["cancellation", "marketplace", "rate", "watche"]
        );
    }

    #[test]
    fn jaccard_is_shared_over_all() {
        let a = tokens("stock buffer channel");
        let b = tokens("stock buffer sku");
        assert!((jaccard(&a, &b) - 0.5).abs() < 1e-9);
        assert_eq!(jaccard(&BTreeSet::new(), &BTreeSet::new()), 0.0);
    }
}
