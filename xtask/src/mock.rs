//! Starts the mock-twitch server and stops it when the task ends.

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use crate::process::describe;
use crate::Result;

/// How long the mock may take from start to its `listening on` line.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(60);

/// Destination of the mock's output once it listens.
pub enum Output {
    /// Our standard output, for `cargo xtask serve`.
    Terminal,
    /// A log file, so that request logs do not mix with test output.
    Log(PathBuf),
}

/// A running mock-twitch process, killed when dropped.
pub struct MockServer {
    child: Child,
    /// The base address, such as `http://127.0.0.1:40123`, without a trailing slash.
    pub url: String,
    log: Option<PathBuf>,
}

impl MockServer {
    /// Starts `binary --site SITE --port PORT` and waits for its
    /// `mock-twitch listening on http://127.0.0.1:PORT` line. Port 0 picks a free port.
    pub fn start(binary: &Path, site: &Path, port: u16, output: Output) -> Result<Self> {
        let mut command = Command::new(binary);
        command
            .arg("--site")
            .arg(site)
            .arg("--port")
            .arg(port.to_string())
            .stdin(Stdio::null())
            .stdout(Stdio::piped());
        stop_with_parent(&mut command);
        let log = match &output {
            Output::Terminal => None,
            Output::Log(path) => {
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir)?;
                }
                Some(path.clone())
            }
        };
        let log_file = match &log {
            Some(path) => {
                let file = File::create(path)
                    .map_err(|error| format!("cannot create {}: {error}", path.display()))?;
                command.stderr(file.try_clone()?);
                Some(file)
            }
            None => None,
        };
        println!("$ {}", describe(&command));
        let mut child = command
            .spawn()
            .map_err(|error| format!("cannot start `{}`: {error}", describe(&command)))?;

        let stdout = child.stdout.take().expect("stdout is piped");
        let (address_sender, address_receiver) = mpsc::channel();
        thread::spawn(move || relay_output(stdout, log_file, address_sender));

        let url = match address_receiver.recv_timeout(STARTUP_TIMEOUT) {
            Ok(url) => url,
            Err(_) => {
                let status = child.try_wait().ok().flatten();
                let _ = child.kill();
                let _ = child.wait();
                let reason = match status {
                    Some(status) => format!("exited with {status} before it listened"),
                    None => format!("printed no `listening on` line within {STARTUP_TIMEOUT:?}"),
                };
                let mut message = format!("mock-twitch {reason}");
                if let Some(path) = &log {
                    message.push_str(&format!("\n{}", log_tail(path, 30)));
                }
                return Err(message.into());
            }
        };
        Ok(Self { child, url, log })
    }

    /// Waits until the mock exits by itself, as after Ctrl-C.
    pub fn wait(mut self) -> Result<()> {
        let status = self.child.wait()?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("mock-twitch exited with {status}").into())
        }
    }

    /// Prints the end of the mock's log, to explain a failed test.
    pub fn print_log_tail(&self) {
        if let Some(path) = &self.log {
            println!("last lines of {}:", path.display());
            println!("{}", log_tail(path, 40));
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
            println!("mock-twitch stopped");
        }
    }
}

/// Makes Linux send SIGTERM to the mock when the thread that starts it exits, so the mock also
/// stops when xtask is killed by a signal that skips `Drop`. Callers start the mock from the
/// main thread, which lives as long as xtask.
#[cfg(target_os = "linux")]
fn stop_with_parent(command: &mut Command) {
    use std::ffi::{c_int, c_ulong};
    use std::os::unix::process::CommandExt;

    extern "C" {
        fn prctl(option: c_int, ...) -> c_int;
    }
    const PR_SET_PDEATHSIG: c_int = 1;
    const SIGTERM: c_ulong = 15;

    // SAFETY: the closure runs in the child between fork and exec. It only calls prctl, which
    // is async-signal-safe, and touches no memory shared with the parent.
    unsafe {
        command.pre_exec(|| {
            if prctl(PR_SET_PDEATHSIG, SIGTERM) == -1 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

#[cfg(not(target_os = "linux"))]
fn stop_with_parent(_command: &mut Command) {}

/// Copies the mock's standard output to the log file, or to our standard output when there
/// is none, and sends the address from the first `listening on` line.
fn relay_output(stdout: impl Read, mut log: Option<File>, address: mpsc::Sender<String>) {
    let mut address = Some(address);
    for line in BufReader::new(stdout).lines() {
        let Ok(line) = line else { break };
        match &mut log {
            Some(file) => {
                let _ = writeln!(file, "{line}");
            }
            None => println!("{line}"),
        }
        if let Some(url) = listening_url(&line) {
            if let Some(sender) = address.take() {
                if log.is_some() {
                    println!("{line}");
                }
                let _ = sender.send(url.to_owned());
            }
        }
    }
}

/// Extracts `http://127.0.0.1:PORT` from `mock-twitch listening on http://127.0.0.1:PORT`.
pub fn listening_url(line: &str) -> Option<&str> {
    let (_, rest) = line.split_once("listening on ")?;
    let url = rest.split_whitespace().next()?.trim_end_matches('/');
    url.starts_with("http://").then_some(url)
}

fn log_tail(path: &Path, lines: usize) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

#[cfg(test)]
mod tests {
    use super::listening_url;

    #[test]
    fn listening_url_from_mock_line() {
        assert_eq!(
            listening_url("mock-twitch listening on http://127.0.0.1:40123"),
            Some("http://127.0.0.1:40123")
        );
        assert_eq!(
            listening_url("mock-twitch listening on http://127.0.0.1:8080/ (site target/site)"),
            Some("http://127.0.0.1:8080")
        );
    }

    #[test]
    fn listening_url_ignores_other_lines() {
        assert_eq!(listening_url("GET /oauth2/validate 200"), None);
        assert_eq!(listening_url("listening on port 80"), None);
    }
}
