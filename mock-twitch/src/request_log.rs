//! The log of requests that tests read from `GET /_mock/requests`. It keeps no token
//! values and no query strings.

use std::collections::VecDeque;

use serde::Serialize;

use crate::auth_header::scheme_for_log;
use crate::http::Request;

/// Maximum number of entries kept. The oldest are dropped first.
const MAX_ENTRIES: usize = 10_000;

/// One logged request.
#[derive(Debug, Clone, Serialize)]
pub struct LoggedRequest {
    pub method: String,
    /// Path without the query string.
    pub path: String,
    pub origin: Option<String>,
    /// `OAuth` or `Bearer` as sent, or `null` for no header or another scheme.
    pub auth_scheme: Option<String>,
    pub client_id: Option<String>,
    /// Request header names, lower-case, in the order received.
    pub headers: Vec<String>,
    /// Response status, or `null` while the request runs or when a fault dropped it.
    pub status: Option<u16>,
}

/// Entries in arrival order, each with a sequence number to fill in its status later.
#[derive(Debug, Default)]
pub struct RequestLog {
    entries: VecDeque<(u64, LoggedRequest)>,
    next_sequence: u64,
}

impl RequestLog {
    /// Appends a request and returns its sequence number.
    pub fn record(&mut self, request: &Request) -> u64 {
        let entry = LoggedRequest {
            method: request.method.clone(),
            path: request.path.clone(),
            origin: request.header("origin").map(str::to_string),
            auth_scheme: scheme_for_log(request.header("authorization")),
            client_id: request.header("client-id").map(str::to_string),
            headers: request
                .headers
                .iter()
                .map(|(name, _)| name.clone())
                .collect(),
            status: None,
        };

        let sequence = self.next_sequence;
        self.next_sequence += 1;
        if self.entries.len() == MAX_ENTRIES {
            self.entries.pop_front();
        }
        self.entries.push_back((sequence, entry));
        sequence
    }

    /// Sets the response status of the entry `sequence`, if it is still kept.
    pub fn set_status(&mut self, sequence: u64, status: Option<u16>) {
        if let Some((_, entry)) = self
            .entries
            .iter_mut()
            .rev()
            .find(|(number, _)| *number == sequence)
        {
            entry.status = status;
        }
    }

    /// Removes the entry `sequence`, if it is still kept.
    pub fn remove(&mut self, sequence: u64) {
        self.entries.retain(|(number, _)| *number != sequence);
    }

    /// Returns a copy of all entries in arrival order.
    pub fn entries(&self) -> Vec<LoggedRequest> {
        self.entries
            .iter()
            .map(|(_, entry)| entry.clone())
            .collect()
    }

    /// Returns the number of entries kept.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Removes all entries.
    pub fn clear(&mut self) {
        self.entries.clear();
    }
}
