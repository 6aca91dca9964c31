//! Fitting a report to its length: the richest detail (themes, examples, pull requests per
//! repository) whose rendered page a reader counts within the report's word limit.

use super::context::{self, Detail, PageContext, PageMeta};
use super::templates::{TemplateError, Templates};
use super::words;
use crate::facts::OrgFacts;
use crate::narrate::Narrative;
use crate::window::Window;

/// The detail a report starts from, before fitting.
pub(super) const RICHEST: Detail = DETAILS[0];

/// The longest a report of this kind may be, in words as a reader counts them (the original
/// specification's ranges: daily 200-300, weekly 800-1,200, monthly 2,000-3,000).
fn max_words(window: &Window) -> usize {
    match window {
        Window::Day(_) => 300,
        Window::Week { .. } => 1200,
        _ => 3000,
    }
}

/// The details tried, richest first, until a report fits its length.
const DETAILS: &[Detail] = &[
    Detail {
        themes: 12,
        examples: 5,
        pull_requests: 15,
        people: 10,
        week_themes: 6,
    },
    Detail {
        themes: 10,
        examples: 4,
        pull_requests: 12,
        people: 10,
        week_themes: 6,
    },
    Detail {
        themes: 8,
        examples: 3,
        pull_requests: 10,
        people: 8,
        week_themes: 4,
    },
    Detail {
        themes: 6,
        examples: 3,
        pull_requests: 8,
        people: 8,
        week_themes: 3,
    },
    Detail {
        themes: 5,
        examples: 2,
        pull_requests: 6,
        people: 6,
        week_themes: 3,
    },
    Detail {
        themes: 4,
        examples: 2,
        pull_requests: 5,
        people: 5,
        week_themes: 2,
    },
    Detail {
        themes: 3,
        examples: 1,
        pull_requests: 4,
        people: 4,
        week_themes: 2,
    },
    Detail {
        themes: 2,
        examples: 1,
        pull_requests: 3,
        people: 3,
        week_themes: 1,
    },
    Detail {
        themes: 1,
        examples: 1,
        pull_requests: 2,
        people: 2,
        week_themes: 1,
    },
    Detail {
        themes: 1,
        examples: 0,
        pull_requests: 0,
        people: 1,
        week_themes: 0,
    },
    Detail {
        themes: 0,
        examples: 0,
        pull_requests: 0,
        people: 0,
        week_themes: 0,
    },
];

/// The richest context whose page (rendered with the template `name`) stays within the
/// report's length.
pub(super) fn fitted(
    facts: &OrgFacts,
    meta: PageMeta,
    narrative: Narrative,
    window: &Window,
    name: &str,
    templates: &Templates,
) -> Result<PageContext, TemplateError> {
    let max = max_words(window);
    let (last, richer) = DETAILS.split_last().expect("details");
    for &detail in richer {
        let ctx = context::build(
            facts,
            PageMeta {
                detail,
                ..meta.clone()
            },
            narrative.clone(),
        );
        if words::reader_words(&templates.render(name, &ctx)?) <= max {
            return Ok(ctx);
        }
    }
    Ok(context::build(
        facts,
        PageMeta {
            detail: *last,
            ..meta
        },
        narrative,
    ))
}
