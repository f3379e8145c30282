//! Routes a request: control API, request log, preflights, faults, then the endpoints.

use std::thread;
use std::time::Duration;

use crate::http::{Reply, Request, Response};
use crate::state::Shared;
use crate::{activate, control, cors, faults, helix, id, site};

/// Returns the reply to one request. `reused_connection` is true when an earlier request
/// came on the same connection.
pub fn handle(shared: &Shared, request: &Request, reused_connection: bool) -> Reply {
    // The control API is neither logged for tests nor faulted.
    if request.path == "/_mock" || request.path.starts_with("/_mock/") {
        return Reply::Send(control::handle(shared, request));
    }

    let sequence = shared.lock().log.record(request);
    let reply = handle_with_faults(shared, request, reused_connection);
    let status = match &reply {
        Reply::Send(response) => Some(response.status),
        // A browser silently resends a request that a reused connection dropped. Only the
        // drop on a new connection is a fetch the page made, so the log keeps only that one.
        // `Faults::take` counts drops by the same rule.
        Reply::Drop if reused_connection => {
            shared.lock().log.remove(sequence);
            return reply;
        }
        Reply::Drop => None,
    };
    shared.lock().log.set_status(sequence, status);
    reply
}

fn handle_with_faults(shared: &Shared, request: &Request, reused_connection: bool) -> Reply {
    // Preflights bypass faults, so a fault always hits the real request.
    if request.method == "OPTIONS" {
        let response =
            cors::preflight(&request.path).unwrap_or_else(|| Response::text(404, "Not found\n"));
        return Reply::Send(response);
    }

    let fault = shared.lock().faults.take(&request.path, reused_connection);
    if let Some(fault) = fault {
        if fault.delay_ms > 0 {
            thread::sleep(Duration::from_millis(fault.delay_ms));
        }
        if let Some(reply) = faults::reply(fault.kind, &request.path) {
            return reply;
        }
    }

    Reply::Send(route(shared, request))
}

fn route(shared: &Shared, request: &Request) -> Response {
    let path = request.path.as_str();
    if path.starts_with("/oauth2/") {
        id::handle(shared, request)
    } else if path == "/helix" || path.starts_with("/helix/") {
        helix::handle(shared, request)
    } else if path == "/activate" {
        activate::handle(shared, request)
    } else if path.starts_with("/avatars/") {
        site::avatar(request)
    } else {
        site::handle(shared, request)
    }
}
