//! The listening socket, one thread per connection, and keep-alive handling.

use std::io::{self, BufReader};
use std::net::{IpAddr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::Duration;

use crate::http::{read_request, write_response, ReadError, Reply, Response};
use crate::router;
use crate::state::Shared;

/// Time an idle keep-alive connection stays open.
const IDLE_TIMEOUT: Duration = Duration::from_secs(30);

/// Settings of a server.
#[derive(Debug, Clone)]
pub struct Options {
    /// Host name or IP address to listen on. Default `127.0.0.1`.
    pub host: String,
    /// TCP port, where 0 picks a free port. Default 8080.
    pub port: u16,
    /// Directory of static files served at `/` and under `/pages/twitch-wasm-auth/`.
    pub site: Option<PathBuf>,
    /// Extra redirect URIs registered for both clients, matched exactly, besides any URL
    /// on the server's own origin.
    pub redirect_uris: Vec<String>,
    /// Whether to write one line per request to stderr. Default true.
    pub log_requests: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            host: "127.0.0.1".to_string(),
            port: 8080,
            site: None,
            redirect_uris: Vec::new(),
            log_requests: true,
        }
    }
}

/// Entry point that starts servers.
#[derive(Debug)]
pub struct Server;

impl Server {
    /// Binds the socket and starts serving on a background thread.
    ///
    /// Fails with [`io::ErrorKind::AddrInUse`] when the port is taken, and with
    /// [`io::ErrorKind::NotFound`] when the site directory does not exist.
    pub fn start(options: Options) -> io::Result<RunningServer> {
        let site = match &options.site {
            Some(dir) => Some(std::fs::canonicalize(dir).map_err(|error| {
                io::Error::new(
                    error.kind(),
                    format!("site directory {}: {error}", dir.display()),
                )
            })?),
            None => None,
        };

        let listener = TcpListener::bind((options.host.as_str(), options.port))?;
        let address = listener.local_addr()?;
        let origin = origin_for(&options.host, address);
        let shared = Arc::new(Shared::new(
            origin,
            site,
            options.redirect_uris,
            options.log_requests,
        ));
        if let Some(dir) = &shared.site {
            shared.log(&format!("serving static files from {}", dir.display()));
        }

        let accept_shared = Arc::clone(&shared);
        let accept_thread = thread::Builder::new()
            .name("mock-twitch-accept".to_string())
            .spawn(move || accept_connections(listener, accept_shared))?;

        Ok(RunningServer {
            shared,
            address,
            accept_thread: Some(accept_thread),
        })
    }
}

/// A server that runs until it is dropped.
#[derive(Debug)]
pub struct RunningServer {
    shared: Arc<Shared>,
    address: SocketAddr,
    accept_thread: Option<JoinHandle<()>>,
}

impl RunningServer {
    /// Returns the base URL without a trailing slash, such as `http://127.0.0.1:8080`.
    pub fn url(&self) -> &str {
        &self.shared.origin
    }

    /// Returns the bound socket address.
    pub fn local_addr(&self) -> SocketAddr {
        self.address
    }

    /// Blocks until the server stops, which happens only when another thread drops it or
    /// the process ends.
    pub fn wait(mut self) {
        if let Some(thread) = self.accept_thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for RunningServer {
    /// Stops accepting connections. Open connections close after their current request or
    /// when idle.
    fn drop(&mut self) {
        self.shared.stop();

        // Wake the accept loop with a connection of our own.
        let mut wake_address = self.address;
        if wake_address.ip().is_unspecified() {
            let loopback: IpAddr = if wake_address.is_ipv4() {
                [127, 0, 0, 1].into()
            } else {
                [0u16, 0, 0, 0, 0, 0, 0, 1].into()
            };
            wake_address.set_ip(loopback);
        }
        let _ = TcpStream::connect_timeout(&wake_address, Duration::from_secs(1));

        if let Some(thread) = self.accept_thread.take() {
            let _ = thread.join();
        }
    }
}

/// Returns the origin that pages and redirects use. An unspecified address becomes the
/// loopback address, because browsers cannot open `0.0.0.0`.
fn origin_for(host: &str, address: SocketAddr) -> String {
    let port = address.port();
    match host.parse::<IpAddr>() {
        Ok(IpAddr::V4(ip)) if ip.is_unspecified() => format!("http://127.0.0.1:{port}"),
        Ok(IpAddr::V6(ip)) if ip.is_unspecified() => format!("http://[::1]:{port}"),
        Ok(IpAddr::V6(ip)) => format!("http://[{ip}]:{port}"),
        Ok(IpAddr::V4(ip)) => format!("http://{ip}:{port}"),
        Err(_) => format!("http://{host}:{port}"),
    }
}

fn accept_connections(listener: TcpListener, shared: Arc<Shared>) {
    for connection in listener.incoming() {
        if shared.is_stopping() {
            return;
        }
        match connection {
            Ok(stream) => {
                let connection_shared = Arc::clone(&shared);
                let spawned = thread::Builder::new()
                    .name("mock-twitch-connection".to_string())
                    .spawn(move || serve_connection(stream, &connection_shared));
                if let Err(error) = spawned {
                    shared.log(&format!("failed to start a connection thread: {error}"));
                }
            }
            Err(error) => {
                // Errors such as too many open files are usually brief, so wait and go on.
                shared.log(&format!("failed to accept a connection: {error}"));
                thread::sleep(Duration::from_millis(50));
            }
        }
    }
}

fn serve_connection(stream: TcpStream, shared: &Shared) {
    let _ = stream.set_nodelay(true);
    let _ = stream.set_read_timeout(Some(IDLE_TIMEOUT));
    let Ok(read_half) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(read_half);
    let mut writer = stream;
    let mut reused_connection = false;

    while !shared.is_stopping() {
        let request = match read_request(&mut reader, &mut writer) {
            Ok(request) => request,
            Err(ReadError::Closed) | Err(ReadError::Io) => return,
            Err(ReadError::Malformed(reason)) => {
                shared.log(&format!("- - 400 (malformed request: {reason})"));
                let response = Response::text(400, &format!("Bad request: {reason}.\n"));
                let _ = write_response(&mut writer, &response, true, false);
                return;
            }
            Err(ReadError::BodyTooLarge) => {
                shared.log("- - 413 (request body larger than 1 MiB)");
                let response = Response::text(413, "Request body larger than 1 MiB.\n");
                let _ = write_response(&mut writer, &response, true, false);
                return;
            }
        };

        let reply = router::handle(shared, &request, reused_connection);
        reused_connection = true;
        let path = printable(&request.path);
        let response = match reply {
            Reply::Drop => {
                shared.log(&format!("{} {path} dropped (fault)", request.method));
                let _ = writer.shutdown(Shutdown::Both);
                return;
            }
            Reply::Send(response) => response,
        };

        shared.log(&format!("{} {path} {}", request.method, response.status));
        let keep_alive = request.keep_alive();
        let include_body = request.method != "HEAD";
        if write_response(&mut writer, &response, include_body, keep_alive).is_err() || !keep_alive
        {
            return;
        }
    }
}

/// Replaces control characters in a path before it goes to the log.
fn printable(path: &str) -> String {
    path.chars()
        .map(|character| {
            if character.is_control() {
                '?'
            } else {
                character
            }
        })
        .collect()
}
