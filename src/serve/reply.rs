//! Responses: a status, a content type and a body, with the security
//! headers every page carries. Problems become a 400, 404 or 500 with one
//! line saying why, never a panic.

use axum::body::Body;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::params::BadRequest;
use crate::error::Error;

/// Scripts and styles come only from the server's own assets: even markup
/// that slipped through escaping could run nothing.
const CSP: &str =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; \
                   form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

pub(super) const HTML: &str = "text/html; charset=utf-8";
pub(super) const JSON: &str = "application/json";
pub(super) const JSON_LINES: &str = "application/x-ndjson; charset=utf-8";
pub(super) const TEXT: &str = "text/plain; charset=utf-8";

/// A finished response.
#[derive(Clone)]
pub(crate) struct Reply {
    pub status: StatusCode,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    /// `Content-Disposition`, for downloads.
    pub attachment: Option<String>,
}

impl Reply {
    pub(crate) fn ok(content_type: &'static str, body: impl Into<Vec<u8>>) -> Reply {
        Reply { status: StatusCode::OK, content_type, body: body.into(), attachment: None }
    }

    /// A download named `name`.
    pub(crate) fn download(content_type: &'static str, body: Vec<u8>, name: &str) -> Reply {
        Reply {
            attachment: Some(format!("attachment; filename=\"{name}\"")),
            ..Reply::ok(content_type, body)
        }
    }

    pub(crate) fn with_status(mut self, status: StatusCode) -> Reply {
        self.status = status;
        self
    }
}

impl IntoResponse for Reply {
    fn into_response(self) -> Response {
        let mut response = Response::new(Body::from(self.body));
        *response.status_mut() = self.status;
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(self.content_type));
        headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
        headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
        headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
        if let Some(value) = self.attachment.and_then(|v| HeaderValue::from_str(&v).ok()) {
            headers.insert(header::CONTENT_DISPOSITION, value);
        }
        response
    }
}

/// Why a request failed.
#[derive(Debug)]
pub(crate) enum Problem {
    /// The request itself is wrong: 400.
    Bad(String),
    /// No such page, document or file: 404.
    NotFound(String),
    /// Something broke on the server: 500.
    Internal(String),
}

impl Problem {
    pub(crate) fn status(&self) -> StatusCode {
        match self {
            Problem::Bad(_) => StatusCode::BAD_REQUEST,
            Problem::NotFound(_) => StatusCode::NOT_FOUND,
            Problem::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub(crate) fn message(&self) -> &str {
        match self {
            Problem::Bad(m) | Problem::NotFound(m) | Problem::Internal(m) => m,
        }
    }

    /// The problem as a one-line plain-text response (the API's form).
    pub(crate) fn to_text(&self) -> Reply {
        Reply::ok(TEXT, format!("{}\n", self.message())).with_status(self.status())
    }
}

impl From<BadRequest> for Problem {
    fn from(bad: BadRequest) -> Problem {
        Problem::Bad(bad.0)
    }
}

impl From<anyhow::Error> for Problem {
    fn from(err: anyhow::Error) -> Problem {
        // A query that cannot be parsed is the user's to fix.
        if matches!(err.downcast_ref::<Error>(), Some(Error::BadQuery { .. })) {
            return Problem::Bad(format!("{err:#}"));
        }
        Problem::Internal(format!("{err:#}"))
    }
}

impl From<tantivy::TantivyError> for Problem {
    fn from(err: tantivy::TantivyError) -> Problem {
        Problem::Internal(err.to_string())
    }
}
