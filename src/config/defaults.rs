//! Built-in defaults: bot patterns, churn exclusions and the commented default `sparky.toml`.

/// The commented default configuration that `sparky init` writes; it parses to
/// [`Config::default()`](super::Config).
pub const DEFAULT_CONFIG: &str = include_str!("default.toml");

/// Case-insensitive substrings of a name or email that mark a bot account
/// (used unless `[identities] default_bots = false`).
pub const DEFAULT_BOT_PATTERNS: &[&str] = &[
    "[bot]",
    "github-actions",
    "dependabot",
    "renovate",
    "greenkeeper",
    "snyk-bot",
    "pre-commit-ci",
    "mergify",
    "allcontributors",
    "imgbot",
    "codecov",
    "semantic-release-bot",
    "github-merge-queue",
    "web-flow",
    "gitlab-bot",
    "weblate",
    "transifex",
    "crowdin-bot",
    "deepsource-autofix",
    "restyled-io",
    "azure-pipelines",
];

/// What marks an AI coding agent's name or email (used unless `[identities] default_agents =
/// false`): a case-insensitive substring, or, written `=name`, a whole name. Agents are counted
/// apart from people and bots and never welcomed as new contributors.
pub const DEFAULT_AGENT_PATTERNS: &[&str] = &[
    // Claude Code: `Claude <noreply@anthropic.com>`, "Claude Opus 4.5", "Claude Code".
    "noreply@anthropic.com",
    "=claude",
    "claude code",
    "claude opus",
    "claude sonnet",
    "claude haiku",
    // Amp.
    "@ampcode.com",
    "=amp",
    "=amp ai",
    // GitHub Copilot (its coding agent and co-author trailer).
    "copilot-swe-agent",
    "+copilot@users.noreply.github.com",
    "=copilot",
    "=github copilot",
    // Devin.
    "devin-ai-integration",
    "=devin",
    "=devin ai",
    // OpenAI Codex.
    "chatgpt-codex-connector",
    "codex@openai.com",
    "=codex",
    "=openai codex",
    // Cursor.
    "cursoragent@cursor.com",
    "=cursor",
    "=cursor agent",
    // Aider: "Name (aider)" and its trailer address.
    "(aider)",
    "noreply@aider.chat",
    "=aider",
    // Jules.
    "google-labs-jules",
    "=jules",
];

/// Globs (globset syntax, `*` stops at `/`) of paths whose line changes are not churn:
/// lock files, vendored or generated folders, minified and built assets
/// (used unless `[churn] default_excludes = false`).
pub const DEFAULT_CHURN_EXCLUDES: &[&str] = &[
    // Lock files.
    "**/package-lock.json",
    "**/npm-shrinkwrap.json",
    "**/yarn.lock",
    "**/pnpm-lock.yaml",
    "**/bun.lockb",
    "**/Cargo.lock",
    "**/poetry.lock",
    "**/Pipfile.lock",
    "**/uv.lock",
    "**/Gemfile.lock",
    "**/composer.lock",
    "**/go.sum",
    "**/flake.lock",
    "**/packages.lock.json",
    "**/Podfile.lock",
    "**/pubspec.lock",
    "**/mix.lock",
    "**/*.lock",
    // Vendored and generated folders.
    "**/node_modules/**",
    "**/vendor/**",
    "**/third_party/**",
    "**/dist/**",
    "**/build/**",
    "**/target/**",
    "**/generated/**",
    "**/__generated__/**",
    "**/__snapshots__/**",
    // Generated sources.
    "**/*.pb.go",
    "**/*_pb2.py",
    "**/*.generated.*",
    // Minified and built assets.
    "**/*.min.js",
    "**/*.min.css",
    "**/*.map",
];
