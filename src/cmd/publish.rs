//! `sparky publish`: commit the files Sparky wrote into the docs clone and push them. A dry run
//! prints the commit on stdout; the summary line goes to stderr.

use std::path::Path;

use crate::cli::{PublishArgs, SourceArgs};
use crate::exit::Exit;
use crate::mirror::Secret;
use crate::output;
use crate::publish::{self, LocalState, PublishRequest};
use crate::settings::{Fallback, PeriodOverrides, Settings};

pub fn run(args: &PublishArgs, cwd: &Path, ui: super::Ui) -> anyhow::Result<Exit> {
    let started = std::time::Instant::now();
    let source = SourceArgs {
        config: args.config.clone(),
        cache_dir: args.cache_dir.clone(),
        ..SourceArgs::default()
    };
    // The same folders `sparky build` resolves (the demo's too, without a config).
    let mut settings =
        Settings::resolve_with(&source, &PeriodOverrides::default(), cwd, Fallback::Demo)?;
    if let Some(out) = &args.out {
        settings.content_dir = cwd.join(out);
    }
    let manifest_path = output::manifest::locate(
        &settings.cache_dir,
        &settings.base_dir,
        &settings.content_dir,
    );
    // One writer at a time: a build writing this content folder finishes before it is published.
    let _content_lock = super::lock_content(&manifest_path, &settings.content_dir, ui)?;
    let p = &settings.publish;
    let token = std::env::var(&p.token_env)
        .ok()
        .filter(|t| !t.is_empty())
        .map(Secret::new);
    let req = PublishRequest {
        repo_dir: settings.base_dir.join(&p.repo),
        content_dir: settings.content_dir.clone(),
        manifest_path,
        extra_roots: vec![(
            settings.social_dir.clone(),
            output::manifest::path_for(
                &settings.cache_dir,
                &settings.base_dir,
                &settings.social_dir,
            ),
        )],
        remote: p.remote.clone(),
        branch: p.branch.clone(),
        author_name: p.author_name.clone(),
        author_email: p.author_email.clone(),
        token,
        max_retries: p.max_retries,
        dry_run: args.dry_run,
    };
    let outcome = publish::publish(&req)?;

    for (path, why) in &outcome.left_out {
        eprintln!("left out {path}: {why}");
    }
    let target = format!("{}/{}", outcome.remote, outcome.branch);
    let elapsed = started.elapsed().as_secs_f64();
    if outcome.owned == 0 && outcome.commit.is_none() {
        ui.summary(format_args!(
            "nothing to publish: Sparky has written no files into {} yet (run `sparky build` first)",
            settings.content_dir.display()
        ));
        return Ok(Exit::Success);
    }
    let Some(commit) = &outcome.commit else {
        ui.summary(format_args!(
            "nothing to publish: {target} already has every file Sparky owns ({} left out) in {elapsed:.1}s",
            outcome.left_out.len()
        ));
        return Ok(exit_for(&outcome.left_out));
    };
    let reports = commit.changes.iter().filter(|c| c.is_report()).count();
    match &commit.id {
        None => {
            println!(
                "would commit on {} (parent {}) and push to {target} ({})",
                outcome.branch,
                commit.parent.as_deref().unwrap_or("none: first commit"),
                outcome.url
            );
            println!("Author: {}\n", commit.author);
            for line in commit.message.lines() {
                if line.is_empty() {
                    println!();
                } else {
                    println!("    {line}");
                }
            }
            println!();
            for c in &commit.changes {
                println!("{} {}", c.kind.letter(), c.path);
            }
            ui.summary(format_args!(
                "would publish {} files ({reports} reports) to {target}; nothing was committed or pushed",
                commit.changes.len()
            ));
        }
        Some(id) => {
            if let LocalState::Behind { reason } = &outcome.local {
                eprintln!(
                    "warning: the clone's `{}` was left as it was ({reason}); `git pull` to catch up",
                    outcome.branch
                );
            }
            let retries = outcome.attempts.saturating_sub(1);
            ui.summary(format_args!(
                "published {} files ({reports} reports) to {target} as {} in {elapsed:.1}s{}",
                commit.changes.len(),
                &id[..10],
                match retries {
                    0 => String::new(),
                    1 => " (1 retry: someone pushed first)".to_string(),
                    n => format!(" ({n} retries: someone pushed first)"),
                }
            ));
        }
    }
    Ok(exit_for(&outcome.left_out))
}

/// Files left out make a partial publish: the rest is published, those are listed.
fn exit_for(left_out: &[(String, &'static str)]) -> Exit {
    if left_out.is_empty() {
        Exit::Success
    } else {
        Exit::Partial
    }
}
