//! `POST /oauth2/revoke`: ends a token at Twitch on logout.

use crate::encoding::encode_pairs;
use crate::http::{join_url, HttpRequest, HttpResponse, Method};
use crate::twitch_error::{common_error, message_of};
use crate::Error;

/// Builds the revoke request. The form body needs no CORS preflight.
pub fn revoke_request(id_base: &str, client_id: &str, token: &str) -> HttpRequest {
    HttpRequest {
        method: Method::Post,
        url: join_url(id_base, "revoke"),
        headers: Vec::new(),
        form_body: Some(encode_pairs([("client_id", client_id), ("token", token)])),
    }
}

/// Parses revoke's response: 200 with no body on success.
///
/// A 400 `Invalid token` means the token was already dead, which is what logout wants, so it
/// counts as success.
pub fn revoke_from_response(response: &HttpResponse) -> Result<(), Error> {
    if response.status == 200 {
        return Ok(());
    }

    let message = message_of(response);
    if response.status == 400 && message.eq_ignore_ascii_case("invalid token") {
        return Ok(());
    }
    if let Some(error) = common_error(response) {
        return Err(error);
    }
    Err(Error::Http {
        status: response.status,
        message,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_is_a_form_post_without_headers() {
        let request = revoke_request("https://id.twitch.tv/oauth2", "cid", "to/k%en");

        assert_eq!(request.url, "https://id.twitch.tv/oauth2/revoke");
        assert_eq!(request.method, Method::Post);
        assert!(request.headers.is_empty());
        assert_eq!(
            request.form_body.as_deref(),
            Some("client_id=cid&token=to%2Fk%25en")
        );
    }

    #[test]
    fn responses_map_to_outcomes() {
        assert_eq!(revoke_from_response(&HttpResponse::new(200, "")), Ok(()));
        assert_eq!(
            revoke_from_response(&HttpResponse::new(
                400,
                r#"{"status":400,"message":"Invalid token"}"#
            )),
            Ok(())
        );
        assert_eq!(
            revoke_from_response(&HttpResponse::new(
                404,
                r#"{"status":404,"message":"client does not exist"}"#
            )),
            Err(Error::Http {
                status: 404,
                message: "client does not exist".to_owned()
            })
        );
        assert_eq!(
            revoke_from_response(&HttpResponse::new(503, "")),
            Err(Error::Server { status: 503 })
        );
    }
}
