//! `cargo xtask test`: every check that CI runs, in order, stopping at the first failure.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::build::{build_mock, build_site};
use crate::install::{ensure_tools, Needs, CHROMIUM, FIREFOX};
use crate::mock::{MockServer, Output};
use crate::process::{command, find_on_path, run_streaming};
use crate::tally::Tally;
use crate::{Reported, Result, Workspace};

/// Steps that `--only` accepts, in the order they run.
const STEPS: [&str; 8] = [
    "fmt",
    "clippy",
    "clippy-wasm",
    "clippy-lean",
    "host",
    "wasm",
    "wasm-firefox",
    "page",
];

/// Steps that `--skip-lint` leaves out.
const LINT_STEPS: [&str; 4] = ["fmt", "clippy", "clippy-wasm", "clippy-lean"];

/// Time limit of one wasm test binary in the browser, in seconds. The runner's default is 20.
const WASM_TEST_TIMEOUT_SECONDS: &str = "180";

/// WebDriver servers that wasm-bindgen-test-runner 0.2.130 looks for, in its order of
/// preference. It checks every `<NAME>_REMOTE` variable (name in upper case), then every
/// `<NAME>` variable, then each directory on PATH.
const WEBDRIVERS: [&str; 4] = [
    "geckodriver",
    "safaridriver",
    "chromedriver",
    "msedgedriver",
];

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
        .any(|step| ["wasm", "wasm-firefox", "page"].contains(step));
    let needs = Needs {
        lint: selected.iter().any(|step| LINT_STEPS.contains(step)),
        browser: selected.contains(&"wasm") || selected.contains(&"page"),
        firefox: selected.contains(&"wasm-firefox"),
    };
    progress.step("tools", |_| ensure_tools(workspace, needs))?;

    let cargo_steps: [(&'static str, &[&str]); 5] = [
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
        // The module without the optional token doctor must keep building.
        (
            "clippy-lean",
            &[
                "clippy",
                "-p",
                "twitch-wasm-auth",
                "--target",
                "wasm32-unknown-unknown",
                "--lib",
                "--no-default-features",
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
            let mut cargo = wasm_test_command(mock_url);
            select_webdriver(&mut cargo, "chromedriver")?;
            run_wasm_tests(workspace, &mut cargo, tally)
        })?;
    }

    if selected.contains(&"wasm-firefox") {
        progress.step("wasm-firefox", |tally| {
            // geckodriver looks only for a `firefox` on PATH, and Debian's is `firefox-esr`.
            // webdriver.json sets Firefox prefs that turn off background networking, updates,
            // telemetry and captive portal detection. Firefox ESR 153 honours geckodriver's
            // dummy Remote Settings server only with MOZ_DISABLE_NONLOCAL_CONNECTIONS=1, the
            // switch of Mozilla's own test harnesses. Without it, Firefox looks up
            // firefox.settings.services.mozilla.com at start. geckodriver 0.37.1 ignores `env`
            // in webdriver.json on desktop, so the variable is set here and Firefox inherits it.
            let mut cargo = wasm_test_command(mock_url);
            select_webdriver(&mut cargo, "geckodriver")?;
            cargo
                .env("GECKODRIVER_ARGS", format!("--binary {FIREFOX}"))
                .env("MOZ_DISABLE_NONLOCAL_CONNECTIONS", "1");
            run_wasm_tests(workspace, &mut cargo, tally)
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

/// Builds the `cargo test` command of the wasm browser suites.
fn wasm_test_command(mock_url: &str) -> Command {
    // The tests read MOCK_TWITCH_URL at compile time, so a new port rebuilds them.
    // `--nocapture` shows the console, where the fault matrix prints its summary.
    // `--no-fail-fast` runs every suite, so one run reports all failures of a browser.
    let mut cargo = command(
        "cargo",
        [
            "test",
            "-p",
            "twitch-wasm-auth",
            "--target",
            "wasm32-unknown-unknown",
            "--no-fail-fast",
            "--test",
            "*",
            "--",
            "--nocapture",
        ],
    );
    cargo
        .env("MOCK_TWITCH_URL", mock_url)
        .env("WASM_BINDGEN_TEST_TIMEOUT", WASM_TEST_TIMEOUT_SECONDS);
    cargo
}

/// Makes wasm-bindgen-test-runner use `driver`, found on PATH, and no other WebDriver server.
///
/// Without `<NAME>` variables the runner takes whichever driver it finds first on PATH, so
/// a geckodriver in ~/.cargo/bin wins over Debian's chromedriver in /usr/bin. The variables of
/// the other drivers and all `_REMOTE` variables are removed, because the runner prefers them.
fn select_webdriver(cargo: &mut Command, driver: &str) -> Result<()> {
    let path =
        find_on_path(driver).ok_or(format!("`{driver}` not found on PATH after the tools step"))?;
    set_webdriver_env(cargo, driver, &path);
    Ok(())
}

fn set_webdriver_env(cargo: &mut Command, driver: &str, path: &Path) {
    for name in WEBDRIVERS {
        let variable = name.to_uppercase();
        cargo.env_remove(format!("{variable}_REMOTE"));
        if name == driver {
            cargo.env(&variable, path);
        } else {
            cargo.env_remove(&variable);
        }
    }
}

/// Runs the wasm browser suites with `cargo`, unless tests/ has no `.rs` files.
fn run_wasm_tests(workspace: &Workspace, cargo: &mut Command, tally: &mut Tally) -> Result<()> {
    if !has_files(&workspace.root.join("tests"), ".rs") {
        println!("no tests/*.rs files; skipping the wasm browser tests");
        return Ok(());
    }
    run_counted(cargo, tally)
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

#[cfg(test)]
mod tests {
    use std::ffi::OsStr;
    use std::path::Path;

    use super::set_webdriver_env;
    use crate::process::command;

    #[test]
    fn webdriver_env_names_only_chosen_driver() {
        let mut cargo = command("cargo", ["test"]);
        set_webdriver_env(&mut cargo, "geckodriver", Path::new("/opt/geckodriver"));
        let envs: Vec<(&OsStr, Option<&OsStr>)> = cargo.get_envs().collect();
        let value = |name: &str| {
            envs.iter()
                .find(|(key, _)| *key == OsStr::new(name))
                .map(|(_, value)| *value)
        };

        assert_eq!(
            value("GECKODRIVER"),
            Some(Some(OsStr::new("/opt/geckodriver")))
        );
        for removed in [
            "CHROMEDRIVER",
            "SAFARIDRIVER",
            "MSEDGEDRIVER",
            "GECKODRIVER_REMOTE",
            "CHROMEDRIVER_REMOTE",
            "SAFARIDRIVER_REMOTE",
            "MSEDGEDRIVER_REMOTE",
        ] {
            assert_eq!(value(removed), Some(None), "{removed} is removed");
        }
    }
}
