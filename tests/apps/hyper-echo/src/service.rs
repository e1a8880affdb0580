use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::{header, Method, Request, Response, StatusCode};

pub async fn echo(req: Request<Incoming>) -> Result<Response<Full<Bytes>>, hyper::Error> {
    match (req.method(), req.uri().path()) {
        (&Method::GET, "/") => Ok(Response::new(Full::new(Bytes::from("POST to /echo")))), // 200: the default
        (&Method::GET, "/old") => Ok(Response::builder()
            .status(StatusCode::MOVED_PERMANENTLY) // a GET: fine
            .header(header::LOCATION, "/")
            .body(Full::new(Bytes::new()))
            .unwrap()),
        (&Method::POST, "/login") => Ok(Response::builder()
            .status(StatusCode::FOUND)
 //                 ^^^^^^^^^^^^^^^^^ redirect-changes-method
            .header(header::LOCATION, "/")
            .body(Full::new(Bytes::new()))
            .unwrap()),
        (&Method::DELETE, "/echo") => Ok(Response::builder()
            .status(StatusCode::NO_CONTENT)
 //                 ^^^^^^^^^^^^^^^^^^^^^^ body-on-bodiless-status
 //                 ^^^^^^^^^^^^^^^^^^^^^^ undeclared-status
            .body(Full::new(Bytes::from("deleted")))
            .unwrap()),
        _ => {
            let mut not_found = Response::new(Full::new(Bytes::new())); // not a 200: replaced below
            *not_found.status_mut() = StatusCode::from_u16(4044).unwrap();
 //                                                        ^^^^ invalid-status-code
            Ok(not_found)
        }
    }
}
