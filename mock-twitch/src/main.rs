//! Command line entry point: parses options, starts the server and prints its address.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use mock_twitch::{Options, Server};

const USAGE: &str = "\
usage: mock-twitch [--host HOST] [--port PORT] [--site DIR] [--redirect-uri URL]...

A local stand-in for id.twitch.tv and the Helix API.

options:
  --host HOST          address to listen on (default 127.0.0.1)
  --port PORT          TCP port to listen on; 0 picks a free port (default 8080)
  --site DIR           serve the static files in DIR at / and at /pages/twitch-wasm-auth/
  --redirect-uri URL   register URL as a redirect URI of both clients; repeatable
  -h, --help           print this help

On start the server prints `mock-twitch listening on http://HOST:PORT` to stdout, then one
line per request to stderr.";

enum Command {
    Run(Options),
    Help,
}

fn main() -> ExitCode {
    let options = match parse_args(std::env::args().skip(1)) {
        Ok(Command::Run(options)) => options,
        Ok(Command::Help) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("mock-twitch: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };

    let host = options.host.clone();
    let port = options.port;
    let server = match Server::start(options) {
        Ok(server) => server,
        Err(error) if error.kind() == io::ErrorKind::AddrInUse => {
            eprintln!(
                "mock-twitch: port {port} on {host} is already in use; pass --port 0 to pick a free port, or choose another port"
            );
            return ExitCode::from(1);
        }
        Err(error) => {
            eprintln!("mock-twitch: failed to start on {host} port {port}: {error}");
            return ExitCode::from(1);
        }
    };

    // Tools wait for this exact line, so flush it at once.
    let mut stdout = io::stdout();
    let _ = writeln!(stdout, "mock-twitch listening on {}", server.url());
    let _ = stdout.flush();

    server.wait();
    ExitCode::SUCCESS
}

/// Parses the arguments after the program name. Accepts `--name value` and `--name=value`.
fn parse_args(args: impl Iterator<Item = String>) -> Result<Command, String> {
    let mut options = Options::default();
    let mut args = args.peekable();

    while let Some(arg) = args.next() {
        if arg == "-h" || arg == "--help" {
            return Ok(Command::Help);
        }
        let (name, inline_value) = match arg.split_once('=') {
            Some((name, value)) if name.starts_with("--") => {
                (name.to_string(), Some(value.to_string()))
            }
            _ => (arg.clone(), None),
        };
        if !matches!(
            name.as_str(),
            "--host" | "--port" | "--site" | "--redirect-uri"
        ) {
            return Err(format!("unknown argument {arg:?}"));
        }
        let Some(value) = inline_value.or_else(|| args.next()) else {
            return Err(format!("{name} needs a value"));
        };

        match name.as_str() {
            "--host" => options.host = value,
            "--port" => {
                options.port = value.parse().map_err(|_| {
                    format!("invalid --port {value:?}: expected a number from 0 to 65535")
                })?;
            }
            "--site" => options.site = Some(PathBuf::from(value)),
            _ => options.redirect_uris.push(value),
        }
    }
    Ok(Command::Run(options))
}
