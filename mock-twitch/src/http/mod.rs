//! A minimal HTTP/1.1 server side: request parsing and response writing.

mod request;
mod response;

pub use request::{read_request, ReadError, Request};
pub use response::{reason_phrase, write_response, Reply, Response};
