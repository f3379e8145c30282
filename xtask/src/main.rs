//! Developer tasks for twitch-wasm-auth, run as `cargo xtask COMMAND`.
//!
//! Every command installs the tools it needs (see `install`), so any of them runs in a fresh
//! clone on a machine with rustup, Node.js 20 and, for the browser, root access to apt-get.

mod bench;
mod build;
mod dist;
mod install;
mod mock;
mod process;
mod serve;
mod tally;
mod test;

use std::error::Error;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Error type of every task: a message for the person running the command.
pub type Result<T, E = Box<dyn Error>> = std::result::Result<T, E>;

/// A failure that the task has already explained in its output, so `main` prints nothing more.
#[derive(Debug)]
pub struct Reported;

impl std::fmt::Display for Reported {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("failed; see the output above")
    }
}

impl Error for Reported {}

const USAGE: &str = "\
Usage: cargo xtask COMMAND [OPTIONS]

Commands:
  serve [--port N]        Build the site and serve it with mock-twitch on 127.0.0.1:N
                          (default 8080) until Ctrl-C.
  test [--skip-lint] [--only STEP]
                          Run formatting and lint checks, host tests, the wasm browser tests
                          in Chromium and in Firefox, and the page tests, then print
                          `summary: N passed, M failed`.
                          STEP is one of: fmt, clippy, clippy-wasm, clippy-lean, host,
                          wasm, wasm-firefox, page.
  dist [--out DIR] [--client-id ID]
                          Build the site for GitHub Pages into DIR (default dist).
                          With --client-id, write config.json so the page uses real Twitch.
  bench [--runs N]        Print the bundle sizes and the time from navigation to a validated
                          session over N page loads (default 20) in headless Chromium.
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            if !error.is::<Reported>() {
                eprintln!("error: {error}");
            }
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> Result<()> {
    let Some((command, options)) = args.split_first() else {
        print!("{USAGE}");
        return Err("missing command".into());
    };
    let workspace = Workspace::locate()?;
    let mut options = Options::new(options);
    match command.as_str() {
        "serve" => {
            let port = options.number("--port")?.unwrap_or(8080);
            options.finish()?;
            serve::serve(&workspace, port)
        }
        "test" => {
            let settings = test::Settings {
                skip_lint: options.flag("--skip-lint"),
                only: options.value("--only")?,
            };
            options.finish()?;
            test::test(&workspace, &settings)
        }
        "dist" => {
            let out = options.value("--out")?.unwrap_or_else(|| "dist".to_owned());
            let client_id = options.value("--client-id")?;
            options.finish()?;
            dist::dist(&workspace, Path::new(&out), client_id.as_deref())
        }
        "bench" => {
            let runs = options.number("--runs")?.unwrap_or(20);
            options.finish()?;
            bench::bench(&workspace, runs)
        }
        "help" | "--help" | "-h" => {
            print!("{USAGE}");
            Ok(())
        }
        other => {
            print!("{USAGE}");
            Err(format!("unknown command `{other}`").into())
        }
    }
}

/// Paths of the workspace that the tasks read and write.
pub struct Workspace {
    /// The repository root, which contains the workspace's Cargo.toml.
    pub root: PathBuf,
    /// Cargo's target directory: `CARGO_TARGET_DIR` when set, as cargo itself does, else
    /// `target/` under the root.
    pub target: PathBuf,
}

impl Workspace {
    fn locate() -> Result<Self> {
        // xtask lives one level below the workspace root.
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .ok_or("xtask's manifest directory has no parent")?
            .to_path_buf();
        std::env::set_current_dir(&root)
            .map_err(|error| format!("cannot enter {}: {error}", root.display()))?;
        let target = match std::env::var_os("CARGO_TARGET_DIR") {
            Some(dir) if !dir.is_empty() => root.join(dir),
            _ => root.join("target"),
        };
        Ok(Self { root, target })
    }

    /// Returns the directory of the assembled page: index.html, www/ and the wasm-bindgen
    /// output in pkg/.
    pub fn site(&self) -> PathBuf {
        self.target.join("site")
    }

    /// Returns the directory of xtask's own files, such as the mock server's log.
    pub fn scratch(&self) -> PathBuf {
        self.target.join("xtask")
    }
}

/// Command-line options after the command name, consumed one by one.
struct Options {
    remaining: Vec<String>,
}

impl Options {
    fn new(args: &[String]) -> Self {
        Self {
            remaining: args.to_vec(),
        }
    }

    fn flag(&mut self, name: &str) -> bool {
        let before = self.remaining.len();
        self.remaining.retain(|arg| arg != name);
        self.remaining.len() != before
    }

    /// Removes option `name` and returns its value, given as `NAME VALUE` or `NAME=VALUE`.
    fn value(&mut self, name: &str) -> Result<Option<String>> {
        let prefix = format!("{name}=");
        if let Some(index) = self.remaining.iter().position(|arg| arg == name) {
            if index + 1 >= self.remaining.len() {
                return Err(format!("{name} needs a value").into());
            }
            let value = self.remaining.remove(index + 1);
            self.remaining.remove(index);
            return Ok(Some(value));
        }
        if let Some(index) = self
            .remaining
            .iter()
            .position(|arg| arg.starts_with(&prefix))
        {
            let value = self.remaining.remove(index)[prefix.len()..].to_owned();
            return Ok(Some(value));
        }
        Ok(None)
    }

    fn number<T: std::str::FromStr>(&mut self, name: &str) -> Result<Option<T>> {
        match self.value(name)? {
            None => Ok(None),
            Some(text) => match text.parse() {
                Ok(number) => Ok(Some(number)),
                Err(_) => Err(format!("invalid {name} `{text}`: expected a whole number").into()),
            },
        }
    }

    fn finish(self) -> Result<()> {
        match self.remaining.first() {
            None => Ok(()),
            Some(arg) => Err(format!("unexpected argument `{arg}`; see `cargo xtask help`").into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Options;

    fn options(args: &[&str]) -> Options {
        let args: Vec<String> = args.iter().map(|arg| arg.to_string()).collect();
        Options::new(&args)
    }

    #[test]
    fn options_value_with_space_and_equals() {
        let mut parsed = options(&["--port", "9000", "--out=site"]);
        assert_eq!(parsed.number::<u16>("--port").unwrap(), Some(9000));
        assert_eq!(parsed.value("--out").unwrap().as_deref(), Some("site"));
        assert!(parsed.finish().is_ok());
    }

    #[test]
    fn options_reject_leftovers_and_bad_numbers() {
        let mut parsed = options(&["--port", "http", "--verbose"]);
        assert!(parsed.number::<u16>("--port").is_err());
        assert!(parsed.finish().is_err());
    }

    #[test]
    fn options_value_missing() {
        let mut parsed = options(&["--only"]);
        assert!(parsed.value("--only").is_err());
    }
}
