//! Progress: one indicatif line per repository, fed by gix's progress tree.
//!
//! Lines draw to stderr and indicatif hides them when stderr is not a terminal. gix reports
//! progress from several threads and per object, so redraws are throttled.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use gix::progress::{Id, MessageLevel, Step, StepShared, UNKNOWN, Unit};
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Minimum time between two redraws caused by gix counters.
const REDRAW_EVERY: Duration = Duration::from_millis(100);

/// The set of lines shown while mirroring several repositories.
pub(crate) struct Lines {
    multi: Option<MultiProgress>,
}

impl Lines {
    pub(crate) fn new(enabled: bool) -> Self {
        Lines {
            multi: enabled.then(|| MultiProgress::with_draw_target(ProgressDrawTarget::stderr())),
        }
    }

    /// A new line for repository `name`.
    pub(crate) fn add(&self, name: &str) -> Line {
        match &self.multi {
            Some(multi) => Line::visible(multi.add(ProgressBar::new_spinner()), name),
            None => Line::hidden(),
        }
    }
}

/// The progress line of one repository; a no-op when hidden.
#[derive(Clone)]
pub(crate) struct Line {
    bar: Option<ProgressBar>,
}

impl Line {
    pub(crate) fn hidden() -> Self {
        Line { bar: None }
    }

    /// A line drawn directly on stderr, for mirroring a single repository.
    pub(crate) fn standalone(enabled: bool, name: &str) -> Self {
        if !enabled {
            return Line::hidden();
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        Line::visible(bar, name)
    }

    fn visible(bar: ProgressBar, name: &str) -> Self {
        let style = ProgressStyle::with_template("{spinner} {prefix:.bold} {wide_msg}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner());
        bar.set_style(style);
        bar.set_prefix(name.to_string());
        bar.enable_steady_tick(Duration::from_millis(120));
        Line { bar: Some(bar) }
    }

    pub(crate) fn stage(&self, message: &str) {
        if let Some(bar) = &self.bar {
            bar.set_message(message.to_string());
        }
    }

    pub(crate) fn finish(&self, message: &str) {
        if let Some(bar) = &self.bar {
            bar.finish_with_message(message.to_string());
        }
    }

    /// The adapter gix reports into.
    pub(crate) fn gix(&self) -> GixProgress {
        GixProgress {
            bar: self.bar.clone(),
            name: None,
            unit: None,
            max: None,
            step: Arc::new(AtomicUsize::new(0)),
            clock: Arc::new(Clock {
                start: Instant::now(),
                last_ms: AtomicU64::new(0),
            }),
        }
    }
}

struct Clock {
    start: Instant,
    last_ms: AtomicU64,
}

impl Clock {
    /// True at most once per [`REDRAW_EVERY`] across all threads sharing the clock.
    fn due(&self) -> bool {
        let now = u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX);
        let last = self.last_ms.load(Ordering::Relaxed);
        let every = u64::try_from(REDRAW_EVERY.as_millis()).unwrap_or(100);
        now.saturating_sub(last) >= every
            && self
                .last_ms
                .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
    }
}

/// One node of gix's progress tree, drawn as the message of the repository's line.
pub(crate) struct GixProgress {
    bar: Option<ProgressBar>,
    name: Option<String>,
    unit: Option<Unit>,
    max: Option<Step>,
    step: StepShared,
    clock: Arc<Clock>,
}

impl GixProgress {
    fn child(&self, name: String) -> Self {
        GixProgress {
            bar: self.bar.clone(),
            name: Some(name),
            unit: None,
            max: None,
            step: Arc::new(AtomicUsize::new(0)),
            clock: Arc::clone(&self.clock),
        }
    }

    fn draw(&self, force: bool) {
        let Some(bar) = &self.bar else { return };
        if !(force || self.clock.due()) {
            return;
        }
        let step = self.step.load(Ordering::Relaxed);
        let name = self.name.as_deref().unwrap_or("working");
        let value = match (&self.unit, self.max) {
            (Some(unit), max) => unit.display(step, max, None).to_string(),
            (None, Some(max)) => format!("{step}/{max}"),
            (None, None) => step.to_string(),
        };
        bar.set_message(format!("{name} {value}"));
    }
}

impl gix::Count for GixProgress {
    fn set(&self, step: Step) {
        self.step.store(step, Ordering::Relaxed);
        self.draw(false);
    }

    fn step(&self) -> Step {
        self.step.load(Ordering::Relaxed)
    }

    fn inc_by(&self, step: Step) {
        self.step.fetch_add(step, Ordering::Relaxed);
        self.draw(false);
    }

    fn counter(&self) -> StepShared {
        Arc::clone(&self.step)
    }
}

impl gix::Progress for GixProgress {
    fn init(&mut self, max: Option<Step>, unit: Option<Unit>) {
        self.max = max;
        self.unit = unit;
        self.step.store(0, Ordering::Relaxed);
        self.draw(true);
    }

    fn unit(&self) -> Option<Unit> {
        self.unit.clone()
    }

    fn max(&self) -> Option<Step> {
        self.max
    }

    fn set_max(&mut self, max: Option<Step>) -> Option<Step> {
        std::mem::replace(&mut self.max, max)
    }

    fn set_name(&mut self, name: String) {
        self.name = Some(name);
    }

    fn name(&self) -> Option<String> {
        self.name.clone()
    }

    fn id(&self) -> Id {
        UNKNOWN
    }

    fn message(&self, _level: MessageLevel, _message: String) {}
}

impl gix::NestedProgress for GixProgress {
    type SubProgress = GixProgress;

    fn add_child(&mut self, name: impl Into<String>) -> Self::SubProgress {
        self.child(name.into())
    }

    fn add_child_with_id(&mut self, name: impl Into<String>, _id: Id) -> Self::SubProgress {
        self.child(name.into())
    }
}
