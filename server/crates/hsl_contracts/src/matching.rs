//! The questions the rules ask of contracts: which operation documents this route, and does
//! it declare this status.
//!
//! `undeclared-status` asks [`operation_for`] then [`covers`]: a route with no operation is
//! never reported; a status is undeclared only when no code, no range and no `default` covers
//! it. `declared-status-unsent` asks [`declared_unsent`] with every code the handler sends,
//! when the handler's statuses are complete.

use std::collections::HashMap;

use hsl_facts::Method;

use crate::model::{Contract, DeclaredStatus, Operation, Place, StatusKey};
use crate::path::PathTemplate;

/// Every contract of a project, indexed by method and path template.
#[derive(Clone, Debug, Default)]
pub struct Contracts {
    contracts: Vec<Contract>,
    /// (method, template) → (contract, operation). An operation is indexed under its own path
    /// and under each base path joined to it; the first entry for a key wins.
    index: HashMap<(Method, PathTemplate), (usize, usize)>,
}

impl Contracts {
    /// Indexes contracts in order of precedence: when two operations answer the same route,
    /// the earlier contract's wins, and within one contract a path as written wins over a path
    /// reached through a server's base path.
    pub fn new(contracts: Vec<Contract>) -> Contracts {
        let mut index = HashMap::new();
        for (contract_idx, contract) in contracts.iter().enumerate() {
            for (operation_idx, operation) in contract.operations.iter().enumerate() {
                let key = (operation.method, operation.path.clone());
                index.entry(key).or_insert((contract_idx, operation_idx));
            }
        }
        for (contract_idx, contract) in contracts.iter().enumerate() {
            for (operation_idx, operation) in contract.operations.iter().enumerate() {
                for base in &operation.base_paths {
                    let key = (operation.method, base.join(&operation.path));
                    index.entry(key).or_insert((contract_idx, operation_idx));
                }
            }
        }
        Contracts { contracts, index }
    }

    /// The contracts, in the order they were given.
    pub fn contracts(&self) -> &[Contract] {
        &self.contracts
    }

    /// Whether there is no contract at all, so that rules about contracts can skip a run.
    pub fn is_empty(&self) -> bool {
        self.contracts.is_empty()
    }

    fn find(&self, method: Method, path: &PathTemplate) -> Option<&Operation> {
        let &(contract, operation) = self.index.get(&(method, path.clone()))?;
        self.contracts.get(contract)?.operations.get(operation)
    }
}

/// The operation that documents a route: same method, same template (parameter names
/// ignored), with or without one of the operation's server base paths. The route's path must
/// already include its router prefixes and mount points ([`PathTemplate::join`]).
pub fn operation_for<'c>(
    contracts: &'c Contracts,
    method: Method,
    path: &PathTemplate,
) -> Option<&'c Operation> {
    contracts.find(method, path)
}

/// How an operation's declared responses account for one sent code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Coverage {
    /// The code itself is a response key, declared there.
    Declared(Place),
    /// Its class is (`4XX`), declared there.
    ByRange(Place),
    /// Only `default` takes it, declared there.
    ByDefault(Place),
    /// Nothing does: what `undeclared-status` reports.
    Undeclared,
}

/// Whether the operation declares `code`, looking for the code, then its range, then
/// `default`, as OpenAPI resolves a response.
pub fn covers(operation: &Operation, code: u16) -> Coverage {
    let place_of = |wanted: &dyn Fn(StatusKey) -> bool| {
        operation
            .responses
            .iter()
            .find(|declared| wanted(declared.key))
            .map(|declared| declared.place.clone())
    };
    if let Some(place) = place_of(&|key| key == StatusKey::Code(code)) {
        return Coverage::Declared(place);
    }
    if let Some(place) = place_of(&|key| matches!(key, StatusKey::Range(_)) && key.names(code)) {
        return Coverage::ByRange(place);
    }
    if let Some(place) = place_of(&|key| key == StatusKey::Default) {
        return Coverage::ByDefault(place);
    }
    Coverage::Undeclared
}

/// The declared codes that none of `sent` is: what `declared-status-unsent` reports when the
/// handler's statuses are complete. Ranges and `default` are never in it: they promise what
/// any other code means, not that one will be sent.
pub fn declared_unsent<'o>(operation: &'o Operation, sent: &[u16]) -> Vec<&'o DeclaredStatus> {
    let unsent = |declared: &&DeclaredStatus| match declared.key {
        StatusKey::Code(code) => !sent.contains(&code),
        StatusKey::Range(_) | StatusKey::Default => false,
    };
    operation.responses.iter().filter(unsent).collect()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::model::Position;
    use crate::openapi::read_document;

    const USERS: &str = r"openapi: 3.1.0
servers: [{url: 'https://api.example.com/v1'}]
paths:
  /users/{userId}:
    get:
      responses:
        '200': {description: a user}
        4XX: {description: your mistake}
        default: {description: anything else}
    delete:
      responses:
        '204': {description: gone}
        '404': {description: no such user}
  /users:
    post:
      responses:
        '201': {description: made}
";

    fn contracts(text: &str) -> Contracts {
        let loaded = read_document(Path::new("api.yaml"), text);
        assert_eq!(loaded.problems, []);
        Contracts::new(loaded.contract.into_iter().collect())
    }

    fn route(path: &str) -> PathTemplate {
        PathTemplate::from_route(path)
    }

    fn at(line: u32, column: u32) -> Place {
        Place::InDocument(Position { line, column })
    }

    #[test]
    fn a_route_finds_its_operation_whatever_its_parameter_names() {
        let contracts = contracts(USERS);
        for spelling in ["/users/:id", "/users/{id}", "/users/<id>"] {
            let operation = operation_for(&contracts, Method::Get, &route(spelling));
            assert_eq!(
                operation.map(|op| op.place.clone()),
                Some(at(5, 5)),
                "{spelling}"
            );
        }
    }

    #[test]
    fn another_method_on_the_same_path_is_another_operation_or_none() {
        let contracts = contracts(USERS);
        let delete = operation_for(&contracts, Method::Delete, &route("/users/:id"));
        assert_eq!(delete.map(|op| op.place.clone()), Some(at(10, 5)));
        assert!(operation_for(&contracts, Method::Put, &route("/users/:id")).is_none());
        assert!(operation_for(&contracts, Method::Get, &route("/users")).is_none());
    }

    #[test]
    fn a_route_matches_with_or_without_the_server_base_path() {
        let contracts = contracts(USERS);
        let prefixed = route("/v1").join(&route("/users"));
        assert!(operation_for(&contracts, Method::Post, &prefixed).is_some());
        assert!(operation_for(&contracts, Method::Post, &route("/users")).is_some());
        assert!(operation_for(&contracts, Method::Post, &route("/v2/users")).is_none());
    }

    #[test]
    fn a_catch_all_route_has_no_operation() {
        let contracts = contracts(USERS);
        assert!(operation_for(&contracts, Method::Get, &route("/users/*")).is_none());
    }

    #[test]
    fn coverage_looks_for_the_code_then_its_range_then_default() {
        let contracts = contracts(USERS);
        let get = operation_for(&contracts, Method::Get, &route("/users/:id")).unwrap();
        assert_eq!(covers(get, 200), Coverage::Declared(at(7, 9)));
        assert_eq!(covers(get, 404), Coverage::ByRange(at(8, 9)));
        assert_eq!(covers(get, 503), Coverage::ByDefault(at(9, 9)));
    }

    #[test]
    fn a_status_nothing_covers_is_undeclared() {
        let contracts = contracts(USERS);
        let delete = operation_for(&contracts, Method::Delete, &route("/users/:id")).unwrap();
        assert_eq!(covers(delete, 204), Coverage::Declared(at(12, 9)));
        assert_eq!(covers(delete, 500), Coverage::Undeclared);
        assert_eq!(covers(delete, 200), Coverage::Undeclared);
    }

    #[test]
    fn declared_codes_nobody_sends_are_listed_but_never_ranges_or_default() {
        let contracts = contracts(USERS);
        let delete = operation_for(&contracts, Method::Delete, &route("/users/:id")).unwrap();
        let unsent: Vec<StatusKey> = declared_unsent(delete, &[204])
            .iter()
            .map(|d| d.key)
            .collect();
        assert_eq!(unsent, [StatusKey::Code(404)]);
        let get = operation_for(&contracts, Method::Get, &route("/users/:id")).unwrap();
        assert_eq!(declared_unsent(get, &[200]), Vec::<&DeclaredStatus>::new());
    }

    #[test]
    fn the_first_contract_wins_when_two_document_the_same_route() {
        let first = read_document(Path::new("a.yaml"), USERS).contract.unwrap();
        let other = "openapi: 3.1.0\npaths:\n  /users:\n    post: {responses: {'202': {}}}\n";
        let second = read_document(Path::new("b.yaml"), other).contract.unwrap();
        let contracts = Contracts::new(vec![second, first]);
        let post = operation_for(&contracts, Method::Post, &route("/users")).unwrap();
        assert_eq!(covers(post, 202), Coverage::Declared(at(4, 24)));
        assert_eq!(contracts.contracts().len(), 2);
    }

    #[test]
    fn no_contract_documents_nothing() {
        let contracts = Contracts::new(Vec::new());
        assert!(contracts.is_empty());
        assert!(operation_for(&contracts, Method::Get, &route("/")).is_none());
    }
}
