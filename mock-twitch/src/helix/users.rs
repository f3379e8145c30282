//! `GET /helix/users`.

use serde::Serialize;

use super::{error, Caller};
use crate::http::{Request, Response};
use crate::seed::{user_by_id, user_by_login, SeedUser};
use crate::state::Shared;
use crate::url::Params;

/// Maximum number of `id` and `login` parameters together.
const MAX_LOOKUPS: usize = 100;

/// A Helix user object, with Twitch's field order.
#[derive(Serialize)]
struct User<'a> {
    id: &'a str,
    login: &'a str,
    display_name: &'a str,
    #[serde(rename = "type")]
    user_type: &'a str,
    broadcaster_type: &'a str,
    description: &'a str,
    profile_image_url: String,
    offline_image_url: &'a str,
    view_count: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<&'a str>,
    created_at: &'a str,
}

#[derive(Serialize)]
struct UsersPage<'a> {
    data: Vec<User<'a>>,
}

/// Returns the users named by repeated `id` and `login` parameters, or the caller's own
/// user when there are none. Unknown ids and logins are left out.
pub fn handle(shared: &Shared, request: &Request, caller: &Caller) -> Response {
    let params = Params::parse(&request.query);
    let ids = params.get_all("id");
    let logins = params.get_all("login");

    if ids.len() > MAX_LOOKUPS {
        return error(
            400,
            "The parameter \"id\" was malformed: the value must be less than or equal to 100",
        );
    }
    if logins.len() > MAX_LOOKUPS {
        return error(
            400,
            "The parameter \"login\" was malformed: the value must be less than or equal to 100",
        );
    }
    if ids.len() + logins.len() > MAX_LOOKUPS {
        return error(
            400,
            "The sum of the \"id\" and \"login\" parameters must be less than or equal to 100",
        );
    }

    let mut found: Vec<&'static SeedUser> = Vec::new();
    if ids.is_empty() && logins.is_empty() {
        found.extend(user_by_id(&caller.user_id));
    }
    let matches = ids
        .iter()
        .filter_map(|id| user_by_id(id))
        .chain(logins.iter().filter_map(|login| user_by_login(login)));
    for user in matches {
        if !found.iter().any(|known| known.id == user.id) {
            found.push(user);
        }
    }

    let data = found
        .into_iter()
        .map(|user| to_helix_user(user, caller, &shared.origin))
        .collect();
    Response::json(200, &UsersPage { data })
}

/// Builds the user object. The e-mail address is included only for the caller's own user
/// and only with the `user:read:email` scope.
fn to_helix_user<'a>(user: &'a SeedUser, caller: &Caller, origin: &str) -> User<'a> {
    let shows_email = user.id == caller.user_id && caller.has_scope("user:read:email");
    User {
        id: user.id,
        login: user.login,
        display_name: user.display_name,
        user_type: "",
        broadcaster_type: user.broadcaster_type,
        description: user.description,
        profile_image_url: format!("{origin}/avatars/{}.svg", user.login),
        offline_image_url: "",
        view_count: 0,
        email: shows_email.then_some(user.email),
        created_at: user.created_at,
    }
}
