# Sparky's own recipes. `just` is optional: every recipe is a plain cargo/bash command.

# Facts for the current repository's whole history (the README's main job).
facts *ARGS:
    cargo run -- facts {{ ARGS }}

# The test suite (what CI runs: `bash .ci/run` also installs the Quartz conformance harness).
test:
    cargo test --locked

# Install the Quartz conformance harness the suite runs (node 20+).
conformance-setup:
    npm ci --prefix quartz-integration/conformance

# Lints as CI would want them.
lint:
    cargo fmt --all -- --check
    cargo clippy --all-targets -- -D warnings

# Benchmark `sparky facts` against `git log --numstat` on a generated 20,000-commit repository.
bench COMMITS="20000":
    bash bench/facts.sh {{ COMMITS }}
