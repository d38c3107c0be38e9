//! Progress on stderr. In a terminal: a live view, one line per phase (status, elapsed),
//! redrawn in place, coloured unless told not to. Elsewhere (a pipe, a file, `CI` set): plain
//! lines, one per state change, and a heartbeat at most once a minute while nothing changes.
//! Under GitHub Actions: `::group::` around verbose lines, `::warning::` for an approval.

use crate::core::cli::args::Output;
use crate::core::cli::github;
use crate::core::env::AttemptEvent;
use crate::core::progress::{self, format_duration};
use crate::core::resources::rollouts::Rollout;

/// A heartbeat line comes at most this often while nothing changes (line mode).
pub const HEARTBEAT_MS: f64 = 60_000.0;
/// How often the live view is redrawn (spinner, elapsed times).
pub const LIVE_TICK_MS: f64 = 250.0;
/// How often the line mode checks whether a heartbeat is due.
pub const LINE_TICK_MS: f64 = 5_000.0;

const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/// An ANSI colour (or none, when colours are off).
#[derive(Clone, Copy)]
pub enum Paint {
    /// Success.
    Green,
    /// Failure.
    Red,
    /// Attention.
    Yellow,
    /// Under way.
    Cyan,
    /// Secondary.
    Dim,
    /// Emphasis.
    Bold,
}

/// `text` in `paint` when `color`, else as is.
pub fn paint(color: bool, paint: Paint, text: &str) -> String {
    if !color {
        return text.to_owned();
    }
    let code = match paint {
        Paint::Green => "32",
        Paint::Red => "31",
        Paint::Yellow => "33",
        Paint::Cyan => "36",
        Paint::Dim => "2",
        Paint::Bold => "1",
    };
    format!("\x1b[{code}m{text}\x1b[0m")
}

/// The progress display's state.
#[derive(Debug, Default)]
pub struct View {
    out: Output,
    rollout: Option<Rollout>,
    link: Option<String>,
    key: String,
    last_line_ms: f64,
    drawn: usize,
    frame: usize,
    approval_said: bool,
    group_open: bool,
}

impl View {
    /// A view for this output shape.
    pub fn new(out: &Output) -> View {
        View {
            out: out.clone(),
            ..View::default()
        }
    }

    /// How often the host should call [`View::tick`].
    pub fn tick_ms(&self) -> f64 {
        if self.out.live {
            LIVE_TICK_MS
        } else {
            LINE_TICK_MS
        }
    }

    /// A line of its own (above the live view, which is redrawn under it).
    pub fn line(&mut self, text: &str, now_ms: f64) -> String {
        let mut s = self.close_group();
        s.push_str(&self.erase());
        s.push_str(text);
        s.push('\n');
        self.last_line_ms = now_ms;
        s.push_str(&self.block(now_ms));
        s
    }

    /// A new state of the rollout.
    pub fn rollout(&mut self, r: Rollout, link: Option<&str>, now_ms: f64) -> String {
        let mut s = String::new();
        self.link = link.map(str::to_owned);
        let awaiting = r.infra.status.as_str() == "proposed";
        let key = state_key(&r);
        let changed = key != self.key;
        self.key = key;
        let line = format!("{}  {}", r.id, progress::summarize(&r, now_ms, None).text);
        self.rollout = Some(r);
        if !self.out.live && changed {
            s.push_str(&self.line(&line, now_ms));
        }
        if awaiting && !self.approval_said {
            self.approval_said = true;
            let msg = match &self.link {
                Some(l) => format!("the infrastructure change awaits approval in the dashboard: {l} (still waiting)"),
                None => "the infrastructure change awaits approval in the dashboard (still waiting)".into(),
            };
            let text = if self.out.github {
                github::command("warning", &[("title", "Awaiting approval")], &msg)
            } else {
                paint(self.out.color, Paint::Yellow, &format!("! {msg}"))
            };
            s.push_str(&self.line(&text, now_ms));
        }
        if self.out.live {
            s.push_str(&self.redraw(now_ms));
        }
        s
    }

    /// Time passed: redraw the live view, or a heartbeat when one is due.
    pub fn tick(&mut self, now_ms: f64) -> String {
        if self.out.live {
            self.frame = self.frame.wrapping_add(1);
            return self.redraw(now_ms);
        }
        match &self.rollout {
            Some(r) if now_ms - self.last_line_ms >= HEARTBEAT_MS => {
                let text = format!(
                    "{}  still {}",
                    r.id,
                    progress::summarize(r, now_ms, None).text
                );
                self.line(&text, now_ms)
            }
            _ => String::new(),
        }
    }

    /// One HTTP attempt (shown with `--verbose` only).
    pub fn attempt(&mut self, ev: &AttemptEvent, now_ms: f64) -> String {
        if !self.out.verbose {
            return String::new();
        }
        let mut text = format!("{} {} #{}", ev.method, ev.path, ev.attempt);
        match (ev.status, ev.failure) {
            (Some(st), _) => text.push_str(&format!(" → {st}")),
            (None, Some(f)) => text.push_str(&format!(" → {f}")),
            (None, None) => {}
        }
        text.push_str(&format!(
            " in {} ms",
            ev.duration_ms.max(0.0).round() as u64
        ));
        if let Some(ms) = ev.retry_in_ms {
            text.push_str(&format!(", retry in {} ms", ms.max(0.0).round() as u64));
        }
        let mut s = String::new();
        if self.out.github && !self.group_open {
            self.group_open = true;
            s.push_str(&self.erase());
            s.push_str("::group::HTTP attempts\n");
            s.push_str(&self.block(now_ms));
        }
        let line = paint(self.out.color, Paint::Dim, &format!("  {text}"));
        // Not `line()`: that would close the group.
        s.push_str(&self.erase());
        s.push_str(&line);
        s.push('\n');
        s.push_str(&self.block(now_ms));
        s
    }

    /// The last redraw (final state, no spinner) and the group closed; the view is done.
    pub fn finish(&mut self, now_ms: f64) -> String {
        let mut s = self.close_group();
        if self.out.live {
            s.push_str(&self.redraw(now_ms));
        }
        self.drawn = 0;
        self.out.live = false;
        s
    }

    /// The last rollout state seen.
    pub fn last(&self) -> Option<&Rollout> {
        self.rollout.as_ref()
    }

    fn close_group(&mut self) -> String {
        if !self.group_open {
            return String::new();
        }
        self.group_open = false;
        let mut s = self.erase();
        s.push_str("::endgroup::\n");
        s
    }

    /// Moves up over the live view and clears it.
    fn erase(&mut self) -> String {
        let n = std::mem::take(&mut self.drawn);
        if n == 0 {
            String::new()
        } else {
            format!("\r\x1b[{n}A\x1b[J")
        }
    }

    fn redraw(&mut self, now_ms: f64) -> String {
        let mut s = self.erase();
        s.push_str(&self.block(now_ms));
        s
    }

    /// Draws the live view (nothing outside a terminal); remembers its height.
    fn block(&mut self, now_ms: f64) -> String {
        let Some(r) = self.rollout.as_ref().filter(|_| self.out.live) else {
            return String::new();
        };
        let c = self.out.color;
        let done = progress::is_done(r);
        let spin = SPINNER
            .get(self.frame % SPINNER.len())
            .copied()
            .unwrap_or("*");
        let summary = progress::summarize(r, now_ms, None);
        let mut lines = vec![format!(
            "{} {}",
            paint(c, Paint::Bold, &r.id),
            paint(c, Paint::Dim, &format!("· {}", summary.text))
        )];
        for p in progress::phases(r) {
            let (icon, tint, word) = match (p.status, p.conclusion) {
                ("completed", "success") => ("✓", Paint::Green, "success"),
                ("completed", "canceled") => ("–", Paint::Yellow, "canceled"),
                ("completed", "rejected") => ("✗", Paint::Red, "rejected"),
                ("completed", other) => ("✗", Paint::Red, other),
                ("running", _) if !done => (spin, Paint::Cyan, "running"),
                ("proposed", _) if !done => ("!", Paint::Yellow, "awaiting approval"),
                (status, _) => ("·", Paint::Dim, status),
            };
            let took = match (p.started_ms, p.completed_ms) {
                (Some(a), Some(b)) => format_duration((b - a).max(0.0)),
                (Some(a), None) if !done => format_duration((now_ms - a).max(0.0)),
                _ => String::new(),
            };
            let row = format!("{:<7}{:<10}{:>7}", p.name, word, took);
            let row = match tint {
                Paint::Dim => paint(c, Paint::Dim, &row),
                _ => row,
            };
            lines.push(format!("  {} {row}", paint(c, tint, icon)));
        }
        self.drawn = lines.len();
        let mut s = lines.join("\n");
        s.push('\n');
        s
    }
}

/// What counts as a change: the rollout's and every phase's status and conclusion.
fn state_key(r: &Rollout) -> String {
    let mut k = format!("{}:{}", r.status, r.conclusion);
    for p in progress::phases(r) {
        k.push_str(&format!("|{}:{}", p.status, p.conclusion));
    }
    k
}

#[cfg(test)]
#[path = "view_tests.rs"]
mod tests;
