use rocket::form::Form;
use rocket::http::Status;
use rocket::response::{status, Redirect};
use rocket::serde::json::{json, Json, Value};

#[derive(FromForm)]
pub struct Note {
    pub text: String,
}

#[get("/notes")]
pub fn list() -> Json<Value> {
    Json(json!({ "notes": [] }))
}

#[post("/notes", data = "<note>")]
pub fn create(note: Form<Note>) -> Result<Redirect, status::BadRequest<&'static str>> {
    if note.text.is_empty() {
        return Err(status::BadRequest("empty note"));
        //         ^^^^^^^^^^^^^^^^^^ undeclared-status
    }
    Ok(Redirect::found(uri!(list)))
 //    ^^^^^^^^^^^^^^^ redirect-changes-method
}

#[put("/notes/<id>", data = "<note>")]
pub fn update(id: u64, note: Form<Note>) -> Redirect {
    Redirect::to(uri!(list)) // 303 See Other: the method becomes GET on purpose
}

#[delete("/notes/<id>")]
pub fn remove(id: u64) -> (Status, Json<Value>) {
    (Status::NoContent, Json(json!({ "deleted": id })))
 //  ^^^^^^^^^^^^^^^^^ body-on-bodiless-status
}

/// A `GET`: a permanent redirect for old links is fine.
#[get("/n/<id>")]
pub fn old(id: u64) -> Redirect {
    Redirect::moved(uri!(list))
}

#[get("/teapot")]
pub fn teapot() -> (Status, &'static str) {
    (Status::new(4188), "short and stout")
 //              ^^^^ invalid-status-code
}
