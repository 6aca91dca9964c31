//! Sources: which repositories to read, resolved from the config and command line into
//! [`RepoSpec`]s with unique names.
//!
//! `--repo`/`--repos-dir` replace the configured `[[repos]]` and `[sources] repos_dir`; with
//! neither, the repository holding the current folder is read.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::config::{LoadedConfig, is_valid_repo_name};

/// Where a repository lives.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Location {
    /// A repository on this machine (bare or with a work tree), read in place.
    Local(PathBuf),
    /// A URL (`file://`, `https://`, `ssh://`, scp-like): mirrored under the cache folder.
    Url(String),
}

/// One repository to read.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RepoSpec {
    /// Unique name within the organisation (derived from the URL or folder when not configured).
    pub name: String,
    pub location: Location,
    /// The branch to read; `None` means the repository's default branch (its `HEAD`).
    pub branch: Option<String>,
}

/// URL schemes Sparky can mirror from.
pub const URL_SCHEMES: &[&str] = &["https", "http", "ssh", "git", "file"];

/// How deep [`resolve`] looks for repositories below a `repos_dir`.
pub const REPOS_DIR_MAX_DEPTH: usize = 4;

/// Why the sources could not be resolved.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("`{}` is not a git repository", path.display())]
    NotARepository { path: PathBuf, hint: String },

    #[error("unsupported URL `{url}`")]
    UnsupportedUrl { url: String },

    #[error("`{value}` in `{}` is not a URL", config.display())]
    NotAUrl { value: String, config: PathBuf },

    #[error("cannot derive a repository name from `{source_text}`")]
    NoName { source_text: String },

    #[error("two repositories are named `{name}`: `{first}` and `{second}`")]
    DuplicateName {
        name: String,
        first: String,
        second: String,
        hint: String,
    },

    #[error("`{}` is not inside a git repository, and no repositories are configured", cwd.display())]
    NoRepository { cwd: PathBuf },

    #[error("no repositories found in `{}`", dir.display())]
    EmptyReposDir { dir: PathBuf },

    #[error("failed to scan `{}` for repositories", dir.display())]
    Scan {
        dir: PathBuf,
        #[source]
        source: walkdir::Error,
    },
}

impl SourceError {
    /// What the user can do about it.
    pub fn hint(&self) -> Option<&str> {
        match self {
            SourceError::NotARepository { hint, .. } | SourceError::DuplicateName { hint, .. } => {
                Some(hint)
            }
            SourceError::UnsupportedUrl { .. } => Some(
                "use an https://, http://, ssh://, git:// or file:// URL, or git@host:org/repo",
            ),
            SourceError::NotAUrl { .. } => Some("use `path = …` for a repository on this machine"),
            SourceError::NoName { .. } => Some("set `name = …` on its [[repos]] entry"),
            SourceError::NoRepository { .. } => Some(
                "run `sparky init` to write a sparky.toml listing repositories, \
                 or pass `--repo <path or URL>`",
            ),
            SourceError::EmptyReposDir { .. } => Some(
                "a repository is a folder holding `.git`, or a bare repository, \
                 at most 4 levels down",
            ),
            SourceError::Scan { .. } => None,
        }
    }
}

/// A source before naming, with where it came from for error messages.
struct Candidate {
    name: Option<String>,
    location: Location,
    branch: Option<String>,
    /// How the user wrote it: the URL, the path, or the folder found.
    shown: String,
    /// Whether the user can rename it with `name =`.
    configured: bool,
}

impl Candidate {
    /// A source found rather than configured: named after its URL or folder.
    fn found(location: Location, shown: String) -> Self {
        Candidate {
            name: None,
            location,
            branch: None,
            shown,
            configured: false,
        }
    }
}

/// Resolves the repositories to read, sorted by name.
///
/// `cli_repos` (paths or URLs) and `cli_repos_dir` replace the configured sources when either
/// is given; relative paths on the command line start from `cwd`, those in the config from
/// its folder. With no source at all, the repository holding `cwd` is read.
pub fn resolve(
    config: Option<&LoadedConfig>,
    cli_repos: &[String],
    cli_repos_dir: Option<&Path>,
    cwd: &Path,
) -> Result<Vec<RepoSpec>, SourceError> {
    let (mut candidates, repos_dir) = if !cli_repos.is_empty() || cli_repos_dir.is_some() {
        let listed = cli_repos
            .iter()
            .map(|v| from_value(v, cwd))
            .collect::<Result<_, _>>()?;
        (listed, cli_repos_dir.map(|d| cwd.join(d)))
    } else if let Some(loaded) = config {
        (from_config(loaded)?, loaded.repos_dir())
    } else {
        (Vec::new(), None)
    };

    if let Some(dir) = &repos_dir {
        let found = scan(dir)?;
        if found.is_empty() && candidates.is_empty() {
            return Err(SourceError::EmptyReposDir { dir: dir.clone() });
        }
        let listed: HashSet<Location> = candidates.iter().map(|c| c.location.clone()).collect();
        for path in found {
            let location = Location::Local(path.clone());
            if listed.contains(&location) {
                tracing::debug!(path = %path.display(), "already listed, not adding it twice");
                continue;
            }
            candidates.push(Candidate::found(location, path.display().to_string()));
        }
    } else if candidates.is_empty() {
        let Some(root) = discover(cwd) else {
            return Err(SourceError::NoRepository {
                cwd: cwd.to_path_buf(),
            });
        };
        let shown = root.display().to_string();
        candidates.push(Candidate::found(Location::Local(canonical(&root)), shown));
    }
    name_all(candidates)
}

/// The `[[repos]]` entries of a loaded config.
fn from_config(loaded: &LoadedConfig) -> Result<Vec<Candidate>, SourceError> {
    let mut candidates = Vec::with_capacity(loaded.config.repos.len());
    for entry in &loaded.config.repos {
        let (location, shown) = match (&entry.url, &entry.path) {
            (Some(url), _) if is_url(url) => (parse_url(url)?, url.clone()),
            (Some(url), _) => {
                let config = loaded.path.clone();
                return Err(SourceError::NotAUrl {
                    value: url.clone(),
                    config,
                });
            }
            (None, Some(path)) => (
                local_repo(&loaded.resolve_path(path))?,
                path.display().to_string(),
            ),
            // `load` rejects an entry with neither; a hand-built config may have one.
            (None, None) => continue,
        };
        candidates.push(Candidate {
            name: entry.name.clone(),
            location,
            branch: entry.branch.clone(),
            shown,
            configured: true,
        });
    }
    Ok(candidates)
}

/// Names every candidate, rejecting duplicates, and sorts by name.
fn name_all(candidates: Vec<Candidate>) -> Result<Vec<RepoSpec>, SourceError> {
    let mut specs: Vec<(RepoSpec, String, bool)> = Vec::with_capacity(candidates.len());
    for c in candidates {
        let name = match c.name {
            Some(name) => name,
            None => {
                let text = match &c.location {
                    Location::Local(p) => p.to_string_lossy().into_owned(),
                    Location::Url(u) => u.clone(),
                };
                derive_name(&text).ok_or(SourceError::NoName {
                    source_text: c.shown.clone(),
                })?
            }
        };
        if let Some((_, first, first_configured)) = specs.iter().find(|(s, ..)| s.name == name) {
            let hint = if *first_configured || c.configured {
                "give one of them another name with `name = \"…\"` in its [[repos]] entry"
                    .to_string()
            } else {
                "list one of them in sparky.toml as a [[repos]] entry with `name = \"…\"`, \
                 or rename one of the folders"
                    .to_string()
            };
            let first = first.clone();
            return Err(SourceError::DuplicateName {
                name,
                first,
                second: c.shown,
                hint,
            });
        }
        let spec = RepoSpec {
            name,
            location: c.location,
            branch: c.branch,
        };
        specs.push((spec, c.shown, c.configured));
    }
    let mut specs: Vec<RepoSpec> = specs.into_iter().map(|(s, ..)| s).collect();
    specs.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(specs)
}

/// A `--repo` value: a URL, or a local repository relative to `cwd`.
fn from_value(value: &str, cwd: &Path) -> Result<Candidate, SourceError> {
    let location = if is_url(value) {
        parse_url(value)?
    } else {
        local_repo(&cwd.join(value))?
    };
    Ok(Candidate::found(location, value.to_string()))
}

/// Whether `value` is a URL rather than a local path: it has a scheme (`https://` …), or it
/// is scp-like (`git@host:org/repo.git`: a colon before any slash, and more than a drive
/// letter before the colon), as git decides.
pub fn is_url(value: &str) -> bool {
    if let Some((scheme, _)) = value.split_once("://") {
        return !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    }
    match value.find(':') {
        Some(colon) => colon > 1 && !value[..colon].contains('/') && !value.starts_with('.'),
        None => false,
    }
}

fn parse_url(url: &str) -> Result<Location, SourceError> {
    match url.split_once("://") {
        Some((scheme, _)) if !URL_SCHEMES.contains(&scheme.to_ascii_lowercase().as_str()) => {
            Err(SourceError::UnsupportedUrl {
                url: url.to_string(),
            })
        }
        _ => Ok(Location::Url(url.to_string())),
    }
}

/// `path` as a local repository: it must exist and be a repository's top folder.
fn local_repo(path: &Path) -> Result<Location, SourceError> {
    let not_a_repo = |hint: String| SourceError::NotARepository {
        path: path.to_path_buf(),
        hint,
    };
    if !path.exists() {
        return Err(not_a_repo(
            "no such folder; relative paths on the command line start from \
                               the current folder, those in sparky.toml from its folder"
                .to_string(),
        ));
    }
    let path = canonical(path);
    if is_repository(&path) {
        return Ok(Location::Local(path));
    }
    let hint = match path.parent().and_then(discover) {
        Some(root) => format!(
            "it is inside the repository `{}`; use that folder",
            root.display()
        ),
        None => "use a folder holding `.git`, a bare repository, or a URL".to_string(),
    };
    Err(SourceError::NotARepository { path, hint })
}

fn canonical(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

/// Whether `dir` is a repository: it holds `.git` (a folder, or a file for worktrees and
/// submodules), or it is bare (`HEAD`, `objects/` and `refs/`).
pub fn is_repository(dir: &Path) -> bool {
    dir.join(".git").exists()
        || (dir.join("HEAD").is_file() && dir.join("objects").is_dir() && dir.join("refs").is_dir())
}

/// The repository holding `start`: `start` or its nearest parent that is a repository.
pub fn discover(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| is_repository(dir))
        .map(Path::to_path_buf)
}

/// Every repository below `dir` (or `dir` itself), sorted by path: not descending into a
/// repository once found, not following symlinks, skipping hidden folders.
fn scan(dir: &Path) -> Result<Vec<PathBuf>, SourceError> {
    let scan_error = |source| SourceError::Scan {
        dir: dir.to_path_buf(),
        source,
    };
    let mut found = Vec::new();
    let mut walk = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .max_depth(REPOS_DIR_MAX_DEPTH)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = walk.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) if e.depth() == 0 => return Err(scan_error(e)),
            Err(e) => {
                tracing::warn!("skipping while scanning `{}`: {e}", dir.display());
                continue;
            }
        };
        if !entry.file_type().is_dir() {
            continue;
        }
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        if entry.depth() > 0 && hidden {
            walk.skip_current_dir();
            continue;
        }
        if is_repository(entry.path()) {
            found.push(canonical(entry.path()));
            walk.skip_current_dir();
        }
    }
    found.sort();
    Ok(found)
}

/// The name a path or URL gives a repository: its last segment without `.git`, with anything
/// outside `[A-Za-z0-9._-]` replaced by `-`. `None` if nothing usable is left.
pub fn derive_name(source: &str) -> Option<String> {
    let mut rest = source;
    if let Some((_, after)) = rest.split_once("://") {
        rest = after;
    } else if is_url(rest)
        && let Some((_, after)) = rest.split_once(':')
    {
        rest = after;
    }
    let rest = rest.split(['?', '#']).next().unwrap_or(rest);
    let mut segments = rest
        .split(['/', '\\'])
        .filter(|s| !s.is_empty() && *s != ".");
    let mut segment = segments.next_back()?;
    if segment == ".git" {
        segment = segments.next_back()?;
    }
    let stem = segment.strip_suffix(".git").unwrap_or(segment);
    let name: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '-'
            }
        })
        .collect();
    let name = name.trim_start_matches('.').to_string();
    is_valid_repo_name(&name).then_some(name)
}
