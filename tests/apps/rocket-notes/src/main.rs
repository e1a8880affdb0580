#[macro_use]
extern crate rocket;

mod notes;

#[launch]
fn rocket() -> _ {
    rocket::build().mount(
        "/",
        routes![notes::list, notes::create, notes::update, notes::remove, notes::old],
    )
}
