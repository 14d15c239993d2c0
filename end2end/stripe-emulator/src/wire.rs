//! Stripe's wire format as the API speaks it: form parameters with bracket
//! keys in, error objects out.

use std::collections::{BTreeMap, BTreeSet};

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// A Stripe-style error: `{"error": {"type", "message", "code", "param", "doc_url"}}`.
#[derive(Debug)]
pub(crate) struct ApiError {
    pub(crate) status: StatusCode,
    pub(crate) type_: &'static str,
    pub(crate) message: String,
    pub(crate) code: Option<&'static str>,
    pub(crate) param: Option<String>,
}

impl ApiError {
    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            type_: "invalid_request_error",
            message: message.into(),
            code: None,
            param: None,
        }
    }

    pub(crate) fn code(mut self, code: &'static str) -> Self {
        self.code = Some(code);
        self
    }

    pub(crate) fn param(mut self, param: impl Into<String>) -> Self {
        self.param = Some(param.into());
        self
    }

    pub(crate) fn status(mut self, status: StatusCode) -> Self {
        self.status = status;
        self
    }

    pub(crate) fn missing(param: &str) -> Self {
        Self::invalid(format!("Missing required param: {param}."))
            .code("parameter_missing")
            .param(param)
    }

    pub(crate) fn no_such_session(id: &str) -> Self {
        Self::invalid(format!("No such checkout.session: '{id}'"))
            .code("resource_missing")
            .param("session")
            .status(StatusCode::NOT_FOUND)
    }

    /// A Stripe-side failure (`type: api_error`) with this HTTP status.
    pub(crate) fn server_side(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            type_: "api_error",
            message: message.into(),
            code: None,
            param: None,
        }
    }

    /// The refusal of an API call on a session broken with `/_test/sessions/{id}/break`.
    pub(crate) fn broken_session(id: &str, status: u16) -> Self {
        Self::server_side(
            StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            format!(
                "An unknown error occurred while processing checkout.session '{id}' (emulated with POST /_test/sessions/{id}/break)."
            ),
        )
    }

    pub(crate) fn to_json(&self) -> Value {
        let mut error = json!({ "type": self.type_, "message": self.message });
        if let Some(code) = self.code {
            error["code"] = json!(code);
            error["doc_url"] = json!(format!(
                "https://stripe.com/docs/error-codes/{}",
                code.replace('_', "-")
            ));
        }
        if let Some(param) = &self.param {
            error["param"] = json!(param);
        }
        json!({ "error": error })
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(self.to_json())).into_response()
    }
}

/// Form parameters with Stripe's bracket keys, e.g. `line_items[0][quantity]`.
pub(crate) struct Params(BTreeMap<String, String>);

impl Params {
    pub(crate) fn parse(body: &[u8]) -> Self {
        Self(form_urlencoded::parse(body).into_owned().collect())
    }

    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(String::as_str)
    }

    /// Whether any key starts with `prefix` (`line_items[0][price_data]`).
    pub(crate) fn has_prefix(&self, prefix: &str) -> bool {
        self.0.keys().any(|k| k.starts_with(prefix))
    }

    /// A present, non-empty parameter.
    pub(crate) fn text(&self, key: &str) -> Option<String> {
        self.get(key).filter(|v| !v.is_empty()).map(str::to_string)
    }

    pub(crate) fn int(&self, key: &str) -> Result<Option<i64>, ApiError> {
        match self.get(key) {
            None | Some("") => Ok(None),
            Some(v) => v.trim().parse().map(Some).map_err(|_| {
                ApiError::invalid(format!("Invalid integer: {v}"))
                    .code("parameter_invalid_integer")
                    .param(key)
            }),
        }
    }

    /// The indices `i` of keys `prefix[i]...`.
    pub(crate) fn indices(&self, prefix: &str) -> BTreeSet<usize> {
        let start = format!("{prefix}[");
        self.0
            .keys()
            .filter_map(|k| k.strip_prefix(&start))
            .filter_map(|rest| rest.split(']').next()?.parse().ok())
            .collect()
    }

    /// `prefix[k]=v` as `k → v`.
    pub(crate) fn map(&self, prefix: &str) -> BTreeMap<String, String> {
        let start = format!("{prefix}[");
        self.0
            .iter()
            .filter_map(|(k, v)| {
                Some((
                    k.strip_prefix(&start)?.strip_suffix(']')?.to_string(),
                    v.clone(),
                ))
            })
            .filter(|(k, _)| !k.contains('['))
            .collect()
    }

    /// Sorted, so that the same parameters in any order compare equal.
    pub(crate) fn fingerprint(&self) -> String {
        self.0
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&")
    }
}
