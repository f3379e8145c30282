//! The device activation page at `/activate`, where the user approves or denies a code.

use crate::clock::now_ms;
use crate::device_codes::{normalize_user_code, DecideOutcome};
use crate::http::{Request, Response};
use crate::pages::{activation_page, activation_result_page, error_page};
use crate::seed::user_by_login;
use crate::state::Shared;
use crate::url::Params;

/// Shows the form on GET and applies the decision on POST.
pub fn handle(shared: &Shared, request: &Request) -> Response {
    match request.method.as_str() {
        "GET" | "HEAD" => {
            let params = Params::parse(&request.query);
            let user_code = normalize_user_code(params.get("device-code").unwrap_or(""));
            Response::html(200, activation_page(&user_code))
        }
        "POST" => submit(shared, request),
        _ => Response::text(405, "Method not allowed: use GET or POST on /activate.\n"),
    }
}

fn submit(shared: &Shared, request: &Request) -> Response {
    let form = Params::parse_bytes(&request.body);
    let user_code = normalize_user_code(form.get("user_code").unwrap_or(""));

    let approver = match form.get("decision") {
        Some("approve") => {
            let login = form.get("login").unwrap_or("");
            let Some(user) = user_by_login(login) else {
                let message = format!("No seeded user has the login \"{login}\".");
                return Response::html(400, error_page("Unknown user", &message));
            };
            Some(user.id)
        }
        Some("deny") => None,
        _ => {
            let message = "The form needs decision=approve or decision=deny.";
            return Response::html(400, error_page("Invalid form", message));
        }
    };

    let outcome = shared.lock().devices.decide(&user_code, approver, now_ms());
    let status = match outcome {
        DecideOutcome::Approved | DecideOutcome::Denied => 200,
        DecideOutcome::Unknown => 404,
        DecideOutcome::Expired => 400,
    };
    Response::html(status, activation_result_page(&outcome, &user_code))
}
