//! `cargo xtask test`: every check that CI runs, in order, stopping at the first failure.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::build::{build_mock, build_site};
use crate::install::{ensure_tools, Needs, CHROMIUM};
use crate::mock::{MockServer, Output};
use crate::process::{command, run_streaming};
use crate::tally::Tally;
use crate::{Reported, Result, Workspace};

/// Steps that `--only` accepts, in the order they run.
const STEPS: [&str; 6] = ["fmt", "clippy", "clippy-wasm", "host", "wasm", "page"];

/// Steps that `--skip-lint` leaves out.
const LINT_STEPS: [&str; 3] = ["fmt", "clippy", "clippy-wasm"];

/// Time limit of one wasm test binary in the browser, in seconds. The runner's default is 20.
const WASM_TEST_TIMEOUT_SECONDS: &str = "180";

pub struct Settings {
    pub skip_lint: bool,
    pub only: Option<String>,
}

/// Runs the selected steps, prints their timings and ends with `summary: N passed, M failed`.
pub fn test(workspace: &Workspace, settings: &Settings) -> Result<()> {
    if let Some(only) = &settings.only {
        if !STEPS.contains(&only.as_str()) {
            return Err(format!(
                "unknown step `{only}`; expected one of: {}",
                STEPS.join(", ")
            )
            .into());
        }
    }
    let selected: Vec<&str> = STEPS
        .into_iter()
        .filter(|step| match &settings.only {
            Some(only) => only == step,
            None => !(settings.skip_lint && LINT_STEPS.contains(step)),
        })
        .collect();

    let mut progress = Progress::default();
    let outcome = run_steps(workspace, &selected, &mut progress);

    println!();
    println!("step times:");
    for (step, time) in &progress.times {
        println!("  {step:<12} {:>7.1} s", time.as_secs_f64());
    }
    if let Err(error) = &outcome {
        println!("step `{}` failed: {error}", progress.current);
    }
    println!(
        "summary: {} passed, {} failed",
        progress.tally.passed, progress.tally.failed
    );
    match outcome {
        Ok(()) => Ok(()),
        Err(_) => Err(Box::new(Reported)),
    }
}

/// What has run so far: the test counts, each finished step's time and the current step.
#[derive(Default)]
struct Progress {
    tally: Tally,
    times: Vec<(&'static str, Duration)>,
    current: &'static str,
}

impl Progress {
    /// Runs one step, names it in the output and records its time.
    fn step(
        &mut self,
        name: &'static str,
        body: impl FnOnce(&mut Tally) -> Result<()>,
    ) -> Result<()> {
        println!("\n==> {name}");
        self.current = name;
        let start = Instant::now();
        let result = body(&mut self.tally);
        self.times.push((name, start.elapsed()));
        result
    }
}

fn run_steps(workspace: &Workspace, selected: &[&str], progress: &mut Progress) -> Result<()> {
    let needs_mock = selected
        .iter()
        .any(|step| *step == "wasm" || *step == "page");
    let needs = Needs {
        lint: selected.iter().any(|step| LINT_STEPS.contains(step)),
        browser: needs_mock,
    };
    progress.step("tools", |_| ensure_tools(workspace, needs))?;

    let cargo_steps: [(&'static str, &[&str]); 4] = [
        ("fmt", &["fmt", "--all", "--check"]),
        (
            "clippy",
            &[
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ],
        ),
        (
            "clippy-wasm",
            &[
                "clippy",
                "-p",
                "twitch-wasm-auth",
                "--target",
                "wasm32-unknown-unknown",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ],
        ),
        // `--nocapture` lets the hostile-input corpus print its summary line.
        ("host", &["test", "--workspace", "--", "--nocapture"]),
    ];
    for (name, args) in cargo_steps {
        if selected.contains(&name) {
            progress.step(name, |tally| {
                run_counted(&mut command("cargo", args), tally)
            })?;
        }
    }

    if !needs_mock {
        return Ok(());
    }
    let mut binary = None;
    progress.step("site", |_| {
        build_site(workspace)?;
        binary = Some(build_mock(workspace, false)?);
        Ok(())
    })?;
    let binary = binary.expect("the site step sets the mock binary");
    let mut started = None;
    progress.step("mock", |_| {
        let log = workspace.scratch().join("mock-twitch.log");
        started = Some(MockServer::start(
            &binary,
            &workspace.site(),
            0,
            Output::Log(log),
        )?);
        Ok(())
    })?;
    // Dropping `mock` at the end of this function stops the server, on success or failure.
    let mock = started.expect("the mock step starts the server");

    let result = run_browser_steps(workspace, selected, &mock.url, progress);
    if result.is_err() {
        mock.print_log_tail();
    }
    result
}

fn run_browser_steps(
    workspace: &Workspace,
    selected: &[&str],
    mock_url: &str,
    progress: &mut Progress,
) -> Result<()> {
    if selected.contains(&"wasm") {
        progress.step("wasm", |tally| {
            if !has_files(&workspace.root.join("tests"), ".rs") {
                println!("no tests/*.rs files; skipping the wasm browser tests");
                return Ok(());
            }
            // The tests read MOCK_TWITCH_URL at compile time, so a new port rebuilds them.
            // `--nocapture` shows the console, where the fault matrix prints its summary.
            let mut cargo = command(
                "cargo",
                [
                    "test",
                    "-p",
                    "twitch-wasm-auth",
                    "--target",
                    "wasm32-unknown-unknown",
                    "--test",
                    "*",
                    "--",
                    "--nocapture",
                ],
            );
            cargo
                .env("MOCK_TWITCH_URL", mock_url)
                .env("WASM_BINDGEN_TEST_TIMEOUT", WASM_TEST_TIMEOUT_SECONDS);
            run_counted(&mut cargo, tally)
        })?;
    }

    if selected.contains(&"page") {
        progress.step("page", |tally| {
            // One file at a time, because all files share one mock and reset its state. TAP
            // output ends with the `# pass N` and `# fail N` lines that the tally reads.
            let mut node = command(
                "node",
                [
                    "--test",
                    "--test-concurrency=1",
                    "--test-reporter=tap",
                    "tests/page/",
                ],
            );
            node.env("MOCK_TWITCH_URL", mock_url)
                .env("CHROMIUM", CHROMIUM);
            run_counted(&mut node, tally)
        })?;
    }
    Ok(())
}

/// Runs a test command with live output, adds its counts to `tally` and fails on a non-zero
/// exit status.
fn run_counted(command: &mut std::process::Command, tally: &mut Tally) -> Result<()> {
    let success = run_streaming(command, |line| tally.observe(line))?;
    if success {
        Ok(())
    } else {
        Err(format!(
            "`{}` exited with a failure status",
            crate::process::describe(command)
        )
        .into())
    }
}

fn has_files(dir: &Path, extension: &str) -> bool {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|entry| entry.ok())
                .any(|entry| entry.file_name().to_string_lossy().ends_with(extension))
        })
        .unwrap_or(false)
}
