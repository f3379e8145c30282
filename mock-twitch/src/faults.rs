//! Faults that tests queue for a path, and the responses they produce.

use crate::clock::now_ms;
use crate::cors::allow_any_origin;
use crate::http::{Reply, Response};
use crate::{helix, id};

/// Kinds of fault, named in the control API as the strings of [`FaultKind::parse`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultKind {
    /// `"401"`: the endpoint's own 401 body.
    Unauthorized,
    /// `"429"`: a Helix-shaped 429 with `Ratelimit-*` headers.
    TooManyRequests,
    /// `"500"`: a Helix-shaped 500 with CORS headers.
    InternalError,
    /// `"503-no-cors"`: 503 with an HTML body and no CORS headers, which a browser reports
    /// as a network error.
    UnavailableWithoutCors,
    /// `"drop"`: close the connection without a response.
    Drop,
    /// `"delay"`: wait `delay_ms`, then respond normally.
    Delay,
    /// `"not-json"`: 200 with an HTML body.
    NotJson,
    /// `"empty"`: 200 with an empty body.
    Empty,
}

impl FaultKind {
    /// Parses the control API name of a fault kind.
    pub fn parse(name: &str) -> Option<Self> {
        let kind = match name {
            "401" => Self::Unauthorized,
            "429" => Self::TooManyRequests,
            "500" => Self::InternalError,
            "503-no-cors" => Self::UnavailableWithoutCors,
            "drop" => Self::Drop,
            "delay" => Self::Delay,
            "not-json" => Self::NotJson,
            "empty" => Self::Empty,
            _ => return None,
        };
        Some(kind)
    }
}

/// One fault taken from the queue.
#[derive(Debug, Clone, Copy)]
pub struct Fault {
    pub kind: FaultKind,
    /// Wait in milliseconds before the response, for every kind.
    pub delay_ms: u64,
}

#[derive(Debug)]
struct QueuedFault {
    path: String,
    fault: Fault,
    remaining: u32,
}

/// Faults waiting for their path, in the order they were queued.
#[derive(Debug, Default)]
pub struct FaultQueue {
    entries: Vec<QueuedFault>,
}

impl FaultQueue {
    /// Queues `count` faults for requests whose path equals `path`.
    pub fn push(&mut self, path: &str, fault: Fault, count: u32) {
        self.entries.push(QueuedFault {
            path: path.to_string(),
            fault,
            remaining: count,
        });
    }

    /// Takes the next fault queued for `path`.
    ///
    /// A drop fault on a reused keep-alive connection is returned without being counted.
    /// Browsers resend a request that a reused connection closed without a response, on a
    /// new connection, so only the drop on the new connection reaches the page as a network
    /// error. Counting that one makes `count` drops mean `count` failed fetches.
    pub fn take(&mut self, path: &str, reused_connection: bool) -> Option<Fault> {
        let index = self.entries.iter().position(|entry| entry.path == path)?;
        let entry = &mut self.entries[index];
        let fault = entry.fault;
        if fault.kind == FaultKind::Drop && reused_connection {
            return Some(fault);
        }

        entry.remaining -= 1;
        if entry.remaining == 0 {
            self.entries.remove(index);
        }
        Some(fault)
    }

    /// Returns the number of faults still queued over all paths.
    pub fn pending(&self) -> u64 {
        self.entries
            .iter()
            .map(|entry| u64::from(entry.remaining))
            .sum()
    }

    /// Removes all queued faults.
    pub fn clear(&mut self) {
        self.entries.clear();
    }
}

/// Returns the reply that replaces the normal one, or `None` for [`FaultKind::Delay`],
/// whose request is then handled normally.
pub fn reply(kind: FaultKind, path: &str) -> Option<Reply> {
    let is_helix = path == "/helix" || path.starts_with("/helix/");

    let response = match kind {
        FaultKind::Delay => return None,
        FaultKind::Drop => return Some(Reply::Drop),
        FaultKind::Unauthorized if is_helix => helix::error(401, helix::INVALID_TOKEN),
        FaultKind::Unauthorized => id::error(401, id::INVALID_ACCESS_TOKEN),
        FaultKind::TooManyRequests => helix::error(429, "Too Many Requests")
            .with_header("Ratelimit-Limit", "800")
            .with_header("Ratelimit-Remaining", "0")
            // One second ahead, so that native clients that honour the header retry quickly.
            .with_header("Ratelimit-Reset", &(now_ms() / 1000 + 1).to_string()),
        FaultKind::InternalError => helix::error(500, ""),
        FaultKind::UnavailableWithoutCors => {
            let body = "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>";
            return Some(Reply::Send(Response::new(503).with_body("text/html", body)));
        }
        FaultKind::NotJson => {
            Response::new(200).with_body("text/html", "<html><body>Bad gateway</body></html>")
        }
        FaultKind::Empty => Response::new(200).with_header("Content-Type", "application/json"),
    };
    Some(Reply::Send(allow_any_origin(response)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fault(kind: FaultKind) -> Fault {
        Fault { kind, delay_ms: 0 }
    }

    fn next_kind(queue: &mut FaultQueue, path: &str, reused: bool) -> Option<FaultKind> {
        queue.take(path, reused).map(|fault| fault.kind)
    }

    #[test]
    fn queue_counts_down_per_path() {
        let mut queue = FaultQueue::default();
        queue.push("/a", fault(FaultKind::Drop), 2);
        queue.push("/b", fault(FaultKind::Empty), 1);
        assert_eq!(queue.pending(), 3);

        assert_eq!(next_kind(&mut queue, "/a", false), Some(FaultKind::Drop));
        assert_eq!(next_kind(&mut queue, "/a", false), Some(FaultKind::Drop));
        assert_eq!(next_kind(&mut queue, "/a", false), None);
        assert_eq!(next_kind(&mut queue, "/b", true), Some(FaultKind::Empty));
        assert_eq!(queue.pending(), 0);
    }

    #[test]
    fn drop_on_reused_connection_is_not_counted() {
        let mut queue = FaultQueue::default();
        queue.push("/a", fault(FaultKind::Drop), 1);

        assert_eq!(next_kind(&mut queue, "/a", true), Some(FaultKind::Drop));
        assert_eq!(queue.pending(), 1);
        assert_eq!(next_kind(&mut queue, "/a", false), Some(FaultKind::Drop));
        assert_eq!(queue.pending(), 0);
    }
}
