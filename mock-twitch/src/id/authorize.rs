//! The implicit grant: `GET /oauth2/authorize` shows the consent page and
//! `POST /oauth2/authorize` applies the user's choice.

use super::split_scopes;
use crate::clock::now_ms;
use crate::http::{Request, Response};
use crate::pages::{consent_page, error_page, ConsentForm};
use crate::seed::{user_by_login, IMPLICIT_TOKEN_LIFETIME_SECS};
use crate::state::{Client, Shared};
use crate::tokens::Grant;
use crate::url::{encode_component, Params};

/// An authorize request that passed the client, redirect URI and response type checks.
struct Checked<'a> {
    client_id: &'a str,
    client: Client,
    redirect_uri: &'a str,
    state: Option<&'a str>,
    scope: &'a str,
}

/// Shows the consent page, or redirects with an error as Twitch does.
pub fn show_consent(shared: &Shared, request: &Request) -> Response {
    let params = Params::parse(&request.query);
    let checked = match check(shared, &params) {
        Ok(checked) => checked,
        Err(response) => return response,
    };

    let scopes = split_scopes(checked.scope);
    let form = ConsentForm {
        app_name: &checked.client.name,
        client_id: checked.client_id,
        redirect_uri: checked.redirect_uri,
        response_type: "token",
        scope: checked.scope,
        scopes: &scopes,
        state: checked.state,
        force_verify: params.get("force_verify"),
    };
    // NOTE: the page is shown on every request, so `force_verify` changes nothing here,
    // while Twitch skips it for an app the user already authorized.
    Response::html(200, consent_page(&form))
}

/// Applies the consent form: Authorize redirects with a token in the fragment, Cancel with
/// `access_denied` in the query.
pub fn submit_consent(shared: &Shared, request: &Request) -> Response {
    let form = Params::parse_bytes(&request.body);
    let checked = match check(shared, &form) {
        Ok(checked) => checked,
        Err(response) => return response,
    };

    match form.get("decision") {
        Some("cancel") => {
            let error = "error=access_denied&error_description=The+user+denied+you+access";
            Response::redirect(&with_query(checked.redirect_uri, error, checked.state))
        }
        Some("authorize") => authorize(shared, &checked, form.get("login").unwrap_or("")),
        _ => Response::html(
            400,
            error_page(
                "Invalid form",
                "The form needs decision=authorize or decision=cancel.",
            ),
        ),
    }
}

fn authorize(shared: &Shared, checked: &Checked, login: &str) -> Response {
    let Some(user) = user_by_login(login) else {
        let message = format!("No seeded user has the login \"{login}\".");
        return Response::html(400, error_page("Unknown user", &message));
    };

    let scopes = split_scopes(checked.scope);
    let grant = Grant {
        client_id: checked.client_id.to_string(),
        user_id: user.id.to_string(),
        scopes: scopes.clone(),
        scopes_null: false,
        lifetime_secs: IMPLICIT_TOKEN_LIFETIME_SECS,
    };
    let issued = {
        let mut guard = shared.lock();
        let state = &mut *guard;
        state.tokens.issue(grant, false, &mut state.rng, now_ms())
    };

    // Like Twitch, the fragment carries no expires_in: clients learn it from validate.
    let mut fragment = format!(
        "access_token={}&scope={}",
        issued.access_token,
        encode_component(&scopes.join(" "))
    );
    if let Some(state) = checked.state {
        fragment.push_str(&format!("&state={}", encode_component(state)));
    }
    fragment.push_str("&token_type=bearer");
    Response::redirect(&format!("{}#{fragment}", checked.redirect_uri))
}

/// Runs Twitch's checks in its order: an unknown client gets an error page, an
/// unregistered redirect URI a redirect to the first registered one, and any response type
/// other than `token` a redirect with `unsupported_response_type`.
fn check<'a>(shared: &Shared, params: &'a Params) -> Result<Checked<'a>, Response> {
    let client_id = params.get("client_id").unwrap_or("");
    let state = params.get("state");

    let client = shared.lock().clients.get(client_id).cloned();
    let Some(client) = client else {
        let message = format!("invalid client: the client_id \"{client_id}\" is not registered.");
        return Err(Response::html(
            400,
            error_page("Unknown application", &message),
        ));
    };

    let redirect_uri = params.get("redirect_uri").unwrap_or("");
    if !shared.is_registered_redirect_uri(redirect_uri) {
        let error = "error=redirect_mismatch&error_description=Parameter+redirect_uri+does+not+match+registered+URI";
        return Err(Response::redirect(&with_query(
            &shared.first_redirect_uri(),
            error,
            state,
        )));
    }

    // NOTE: `token id_token` with the `openid` scope (OIDC) is rejected too, because the
    // mock cannot sign id tokens.
    if params.get("response_type") != Some("token") {
        let error =
            "error=unsupported_response_type&error_description=Response+type+is+not+supported";
        return Err(Response::redirect(&with_query(redirect_uri, error, state)));
    }

    Ok(Checked {
        client_id,
        client,
        redirect_uri,
        state,
        scope: params.get("scope").unwrap_or(""),
    })
}

/// Appends `pairs` and the encoded `state` to the query of `uri`.
fn with_query(uri: &str, pairs: &str, state: Option<&str>) -> String {
    let separator = if uri.contains('?') { '&' } else { '?' };
    let mut target = format!("{uri}{separator}{pairs}");
    if let Some(state) = state {
        target.push_str(&format!("&state={}", encode_component(state)));
    }
    target
}
