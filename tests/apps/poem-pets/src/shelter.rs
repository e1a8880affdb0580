//! The poem-openapi half of the shop: each endpoint's response enum is its contract, and the
//! service built from `ShelterApi` is nested under `/api` (see `main.rs`), so its routes are
//! `/api/shelter/..`.
use poem::http::StatusCode;
use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use serde_json::Value;

#[derive(ApiResponse)]
pub enum AdoptResponse {
    /// The adoption's URL is a header of the response.
    #[oai(status = 201)]
    Adopted(Json<Value>, #[oai(header = "Location")] String),
    #[oai(status = 404)]
    NoSuchPet,
}

#[derive(ApiResponse)]
pub enum BookVisitResponse {
    #[oai(status = 201)]
 //                ^^^ created-without-location
    Booked(Json<Value>),
    #[oai(status = 409)]
    Full,
}

#[derive(ApiResponse)]
pub enum ShowVisitResponse {
    #[oai(status = 200)]
    Found(Json<Value>),
    #[oai(status_range = "4XX")]
    Refused(StatusCode),
}

pub struct ShelterApi;

#[OpenApi(prefix_path = "/shelter")]
impl ShelterApi {
    #[oai(path = "/pets/:id/adoption", method = "post")]
    async fn adopt(&self, id: Path<u64>) -> poem::Result<AdoptResponse> {
        if id.0 == 0 {
            return Err(poem::Error::from_status(StatusCode::CONFLICT));
 //                                             ^^^^^^^^^^^^^^^^^^^^ undeclared-status
        }
        Ok(AdoptResponse::Adopted(Json(Value::Null), format!("/adoptions/{}", id.0)))
    }

    #[oai(path = "/visits", method = "post")]
    async fn book_visit(&self, visit: Json<Value>) -> BookVisitResponse {
        BookVisitResponse::Booked(visit)
    }

    #[oai(path = "/visits/:id", method = "get")]
    async fn show_visit(&self, id: Path<u64>) -> poem::Result<ShowVisitResponse> {
        if id.0 == 0 {
            // A 4XX: the `status_range` variant declares it.
            return Err(poem::Error::from_status(StatusCode::GONE));
        }
        Ok(ShowVisitResponse::Found(Json(Value::Null)))
    }
}
