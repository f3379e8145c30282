//! Checks for the tools that the tasks run and installs the missing ones.
//!
//! Each check prints one line: the tool, its version, and `present` or `installed`.

use std::path::Path;
use std::process::Command;

use crate::process::{command, find_on_path, is_root, output_of, run};
use crate::{Result, Workspace};

/// Path of Debian's Chromium, which the browser tests and the page tests drive.
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// Debian packages of the browser and its WebDriver server, released together.
const BROWSER_PACKAGES: [&str; 2] = ["chromium", "chromium-driver"];

/// Path of Debian's Firefox ESR, the second browser of the wasm browser tests.
pub const FIREFOX: &str = "/usr/bin/firefox-esr";

/// Debian package that installs [`FIREFOX`].
const FIREFOX_PACKAGE: &str = "firefox-esr";

/// geckodriver release installed with `cargo install`, checked with Debian 12's Firefox ESR 153.
pub const GECKODRIVER_VERSION: &str = "0.37.1";

/// Oldest Node.js major version that playwright-core 1.65 supports (its `engines` field).
const MIN_NODE_MAJOR: u32 = 20;

/// Tools that a task needs beyond the Rust wasm toolchain.
#[derive(Clone, Copy, Default)]
pub struct Needs {
    /// The rustfmt and clippy components of the Rust toolchain.
    pub lint: bool,
    /// Chromium, chromedriver and the node packages of the page tests.
    pub browser: bool,
    /// Firefox ESR and geckodriver.
    pub firefox: bool,
}

/// Checks each tool that a task needs and installs the missing or outdated ones.
pub fn ensure_tools(workspace: &Workspace, needs: Needs) -> Result<()> {
    if needs.lint {
        ensure_lint_components()?;
    }
    ensure_wasm_target()?;
    ensure_wasm_bindgen(workspace)?;
    if needs.browser {
        ensure_browser()?;
        ensure_node_packages(workspace)?;
    }
    if needs.firefox {
        ensure_firefox()?;
        ensure_geckodriver()?;
    }
    Ok(())
}

fn ensure_lint_components() -> Result<()> {
    for (component, subcommand) in [("rustfmt", "fmt"), ("clippy", "clippy")] {
        let version = output_of(&mut command("cargo", [subcommand, "--version"]));
        if let Some(version) = version {
            println!("tool: {}: present", version.trim());
            continue;
        }
        run(&mut command("rustup", ["component", "add", component]))?;
        println!("tool: {component}: installed");
    }
    Ok(())
}

fn ensure_wasm_target() -> Result<()> {
    let target = "wasm32-unknown-unknown";
    let installed = output_of(&mut command("rustup", ["target", "list", "--installed"]))
        .ok_or("`rustup target list --installed` failed; is rustup installed?")?;
    if installed.lines().any(|line| line.trim() == target) {
        println!("tool: rust target {target}: present");
        return Ok(());
    }
    run(&mut command("rustup", ["target", "add", target]))?;
    println!("tool: rust target {target}: installed");
    Ok(())
}

/// Ensures that `wasm-bindgen` and `wasm-bindgen-test-runner` match the `wasm-bindgen` crate
/// version in Cargo.lock, because the CLI rejects a module built by another version.
fn ensure_wasm_bindgen(workspace: &Workspace) -> Result<()> {
    let lock_path = workspace.root.join("Cargo.lock");
    let lock = std::fs::read_to_string(&lock_path)
        .map_err(|error| format!("cannot read {}: {error}", lock_path.display()))?;
    let version = locked_version(&lock, "wasm-bindgen")
        .ok_or("Cargo.lock has no `wasm-bindgen` package; run `cargo generate-lockfile`")?;

    let current = |program: &str| {
        output_of(&mut command(program, ["--version"]))
            .and_then(|text| text.split_whitespace().nth(1).map(str::to_owned))
    };
    let cli_version = current("wasm-bindgen");
    let runner_version = current("wasm-bindgen-test-runner");
    if cli_version.as_deref() == Some(version) && runner_version.as_deref() == Some(version) {
        println!("tool: wasm-bindgen-cli {version}: present");
        return Ok(());
    }

    println!(
        "tool: wasm-bindgen-cli {version} required, found {}; installing (about 2 minutes)",
        cli_version.as_deref().unwrap_or("none")
    );
    // Not --locked, because a crate version pinned in wasm-bindgen-cli's own lock file can be
    // missing from a registry mirror, and then the install fails.
    let exact = format!("={version}");
    run(&mut command(
        "cargo",
        [
            "install",
            "--force",
            "wasm-bindgen-cli",
            "--version",
            &exact,
        ],
    ))?;
    println!("tool: wasm-bindgen-cli {version}: installed");
    Ok(())
}

/// Returns the version of package `name` in a Cargo.lock, taking the first entry if the lock
/// holds several versions.
pub fn locked_version<'a>(lock: &'a str, name: &str) -> Option<&'a str> {
    let name_line = format!("name = \"{name}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == name_line {
            let version_line = lines.next()?.trim();
            return version_line.strip_prefix("version = \"")?.strip_suffix('"');
        }
    }
    None
}

/// Ensures Chromium and chromedriver of the same version, because a chromedriver drives only
/// the Chromium major version it was built for. Debian builds both from one source package.
fn ensure_browser() -> Result<()> {
    let versions = browser_versions();
    match &versions {
        (Some(browser), Some(driver)) if browser == driver => {
            println!("tool: chromium {browser}: present");
            println!("tool: chromedriver {driver}: present");
            return Ok(());
        }
        (Some(browser), Some(driver)) => {
            println!("tool: chromium {browser} and chromedriver {driver}: versions differ")
        }
        (browser, driver) => {
            if browser.is_none() {
                println!("tool: chromium: missing");
            }
            if driver.is_none() {
                println!("tool: chromedriver: missing");
            }
        }
    }

    apt_install(&BROWSER_PACKAGES)?;
    match browser_versions() {
        (Some(browser), Some(driver)) if browser == driver => {
            println!("tool: chromium {browser}: installed");
            println!("tool: chromedriver {driver}: installed");
            Ok(())
        }
        (browser, driver) => Err(format!(
            "after apt-get install, chromium is {} and chromedriver is {}; \
             they must be the same version",
            browser.as_deref().unwrap_or("missing"),
            driver.as_deref().unwrap_or("missing")
        )
        .into()),
    }
}

/// Returns the version numbers printed by `chromium --version` and `chromedriver --version`.
fn browser_versions() -> (Option<String>, Option<String>) {
    let version_of = |mut command: Command| {
        output_of(&mut command).and_then(|text| version_token(&text).map(str::to_owned))
    };
    let browser = Path::new(CHROMIUM)
        .exists()
        .then(|| version_of(command(CHROMIUM, ["--version"])))
        .flatten();
    let driver = find_on_path("chromedriver")
        .and_then(|path| version_of(command(path.to_str()?, ["--version"])));
    (browser, driver)
}

/// Finds the first dotted version number in a line such as
/// `Chromium 156.0.8078.114 built on Debian GNU/Linux 12 (bookworm)`.
pub fn version_token(text: &str) -> Option<&str> {
    text.split_whitespace()
        .find(|word| word.contains('.') && word.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// Ensures Debian's Firefox ESR. Any installed version is accepted, because geckodriver
/// supports a range of Firefox versions and apt installs the one that Debian ships.
fn ensure_firefox() -> Result<()> {
    if let Some(version) = firefox_version() {
        println!("tool: firefox-esr {version}: present");
        return Ok(());
    }
    println!("tool: firefox-esr: missing");
    apt_install(&[FIREFOX_PACKAGE])?;
    let version = firefox_version().ok_or(format!(
        "after apt-get install {FIREFOX_PACKAGE}, `{FIREFOX} --version` still fails"
    ))?;
    println!("tool: firefox-esr {version}: installed");
    Ok(())
}

/// Returns the version printed by `firefox-esr --version`, such as `153.8.0esr` from
/// `Mozilla Firefox 153.8.0esr`.
fn firefox_version() -> Option<String> {
    if !Path::new(FIREFOX).exists() {
        return None;
    }
    let text = output_of(&mut command(FIREFOX, ["--version"]))?;
    firefox_version_in(&text).map(str::to_owned)
}

fn firefox_version_in(text: &str) -> Option<&str> {
    text.split_whitespace().last()
}

/// Ensures that the `geckodriver` on PATH is [`GECKODRIVER_VERSION`], installing it with
/// `cargo install` into cargo's bin directory otherwise.
fn ensure_geckodriver() -> Result<()> {
    let found = geckodriver_version();
    if found.as_deref() == Some(GECKODRIVER_VERSION) {
        println!("tool: geckodriver {GECKODRIVER_VERSION}: present");
        return Ok(());
    }
    println!(
        "tool: geckodriver {GECKODRIVER_VERSION} required, found {}; installing (about 2 minutes)",
        found.as_deref().unwrap_or("none")
    );

    let exact = format!("={GECKODRIVER_VERSION}");
    let install = |locked: bool| {
        let mut cargo = command(
            "cargo",
            ["install", "--force", "geckodriver", "--version", &exact],
        );
        if locked {
            cargo.arg("--locked");
        }
        run(&mut cargo)
    };
    // `--locked` fails when a version pinned in geckodriver's own lock file is missing from
    // the registry, so the install is repeated with dependencies that cargo resolves itself.
    if let Err(error) = install(true) {
        println!("{error}; installing again without --locked");
        install(false)?;
    }

    match geckodriver_version() {
        Some(version) if version == GECKODRIVER_VERSION => {
            println!("tool: geckodriver {version}: installed");
            Ok(())
        }
        found => Err(format!(
            "after cargo install, the geckodriver on PATH is {}, expected {GECKODRIVER_VERSION}. \
             Put cargo's bin directory (usually ~/.cargo/bin) first on PATH.",
            found.as_deref().unwrap_or("missing")
        )
        .into()),
    }
}

/// Returns the version printed by `geckodriver --version`, whose first line reads
/// `geckodriver 0.37.1`.
fn geckodriver_version() -> Option<String> {
    let text = output_of(&mut command("geckodriver", ["--version"]))?;
    geckodriver_version_in(&text).map(str::to_owned)
}

fn geckodriver_version_in(text: &str) -> Option<&str> {
    text.lines().next()?.split_whitespace().nth(1)
}

/// Installs Debian packages when running as root. Otherwise fails with the command to run.
fn apt_install(packages: &[&str]) -> Result<()> {
    let install = format!(
        "apt-get update && apt-get install -y --no-install-recommends {}",
        packages.join(" ")
    );
    if !is_root() {
        return Err(format!(
            "missing packages {}; run as root: {install}",
            packages.join(", ")
        )
        .into());
    }
    println!("installing {} (about 15 seconds)", packages.join(", "));
    run(command("apt-get", ["update"]).env("DEBIAN_FRONTEND", "noninteractive"))?;
    let mut apt = command("apt-get", ["install", "-y", "--no-install-recommends"]);
    apt.args(packages).env("DEBIAN_FRONTEND", "noninteractive");
    run(&mut apt)
}

/// Ensures Node.js and npm, new enough for playwright-core.
///
/// Debian 12's nodejs package is version 18, older than playwright-core accepts, so a missing
/// or old Node.js is reported rather than installed from apt.
fn ensure_node() -> Result<()> {
    let version = output_of(&mut command("node", ["--version"])).ok_or(format!(
        "`node` not found on PATH; install Node.js {MIN_NODE_MAJOR} or later"
    ))?;
    let version = version.trim();
    let major: u32 = version
        .trim_start_matches('v')
        .split('.')
        .next()
        .and_then(|major| major.parse().ok())
        .ok_or(format!("cannot read the Node.js version from `{version}`"))?;
    if major < MIN_NODE_MAJOR {
        return Err(format!(
            "Node.js {version} is too old; install Node.js {MIN_NODE_MAJOR} or later"
        )
        .into());
    }
    if find_on_path("npm").is_none() {
        return Err("`npm` not found on PATH; install the npm that comes with Node.js".into());
    }
    println!("tool: node {version}: present");
    Ok(())
}

/// Ensures that node_modules contains the playwright-core version pinned in package.json.
/// The browser comes from Debian, because `npx playwright install` would try to download one.
fn ensure_node_packages(workspace: &Workspace) -> Result<()> {
    ensure_node()?;
    let read_version = |expression: &str| {
        output_of(command("node", ["--print", expression]).current_dir(&workspace.root))
            .map(|text| text.trim().to_owned())
    };
    let expected = read_version("require('./package.json').devDependencies['playwright-core']")
        .ok_or("cannot read the playwright-core version from package.json")?;
    let installed = read_version("require('./node_modules/playwright-core/package.json').version");
    if installed.as_deref() == Some(expected.as_str()) {
        println!("tool: playwright-core {expected}: present");
        return Ok(());
    }

    let install = if workspace.root.join("package-lock.json").exists() {
        "ci"
    } else {
        "install"
    };
    run(command("npm", [install, "--no-audit", "--no-fund"]).current_dir(&workspace.root))?;
    println!("tool: playwright-core {expected}: installed");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{firefox_version_in, geckodriver_version_in, locked_version, version_token};

    const LOCK: &str = r#"
[[package]]
name = "wasm-bindgen-futures"
version = "0.4.53"

[[package]]
name = "wasm-bindgen"
version = "0.2.130"
source = "registry+https://github.com/rust-lang/crates.io-index"
"#;

    #[test]
    fn locked_version_exact_name() {
        assert_eq!(locked_version(LOCK, "wasm-bindgen"), Some("0.2.130"));
        assert_eq!(locked_version(LOCK, "wasm-bindgen-futures"), Some("0.4.53"));
        assert_eq!(locked_version(LOCK, "js-sys"), None);
    }

    #[test]
    fn version_token_of_browser_and_driver() {
        let browser = "Chromium 156.0.8078.114 built on Debian GNU/Linux 12 (bookworm)\n";
        let driver = "ChromeDriver 156.0.8078.114 (ea19f9737303a76e07b53c6a1eec43355aca3b1d-refs/branch-heads/8078_108@{#5})\n";
        assert_eq!(version_token(browser), Some("156.0.8078.114"));
        assert_eq!(version_token(driver), Some("156.0.8078.114"));
        assert_eq!(version_token("no version here"), None);
    }

    #[test]
    fn firefox_and_geckodriver_versions() {
        assert_eq!(
            firefox_version_in("Mozilla Firefox 153.8.0esr\n"),
            Some("153.8.0esr")
        );
        let driver = "geckodriver 0.37.1\n\nThe source code of this program is available from\n";
        assert_eq!(geckodriver_version_in(driver), Some("0.37.1"));
        assert_eq!(geckodriver_version_in(""), None);
    }
}
