//! The footer's credit: the model is named for exactly the sections it wrote.

use crate::narrate::SectionSource;
use crate::render::escape::inline;

/// "the summary and the note on api were written by llama3.2 and checked against the facts
/// (12 claims), the rest is Sparky's template text".
pub(super) fn credit(sections: &[SectionSource], model: &str) -> String {
    let by_model: Vec<&SectionSource> = sections.iter().filter(|s| s.fallback.is_empty()).collect();
    if by_model.is_empty() {
        return String::new();
    }
    let mut parts: Vec<String> = Vec::new();
    for s in &by_model {
        match s.section.as_str() {
            "summary" => parts.push("the summary".into()),
            "highlights" => parts.push("the highlights".into()),
            _ => {}
        }
    }
    let repos: Vec<String> = by_model
        .iter()
        .filter_map(|s| s.section.strip_prefix("repos/"))
        .map(inline)
        .collect();
    match repos.as_slice() {
        [] => {}
        [one] => parts.push(format!("the note on {one}")),
        [init @ .., last] => parts.push(format!("the notes on {} and {last}", init.join(", "))),
    }
    let claims: u64 = by_model.iter().map(|s| s.claims_checked).sum();
    let verb = if parts.len() == 1 && repos.len() <= 1 {
        "was"
    } else {
        "were"
    };
    let list = match parts.as_slice() {
        [init @ .., last] if !init.is_empty() => format!("{} and {last}", init.join(", ")),
        _ => parts.concat(),
    };
    let rest = if by_model.len() < sections.len() {
        ", the rest is Sparky's template text"
    } else {
        ""
    };
    format!(
        "{list} {verb} written by {} and checked against the facts ({claims} claims){rest}",
        inline(model)
    )
}
