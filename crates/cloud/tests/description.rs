//! The behaviour agrees with the API description: every implemented action is described, and
//! every documented error the code can return is spelled as the description has it.

use acs_api::Api;

#[test]
fn implemented_actions_are_described() {
    let api = Api::builtin();
    for (product, action) in acs_cloud::implemented() {
        let spec = api.product(product).unwrap_or_else(|| panic!("no product {product}"));
        assert!(spec.action(action).is_some(), "{product}.{action} is implemented but not described");
    }
}

#[test]
fn error_definitions_match_the_description() {
    let api = Api::builtin();
    let rows: Vec<_> = api.products.iter().flat_map(|p| p.actions.iter()).flat_map(|a| a.errors.iter()).collect();
    for (def, documented) in acs_cloud::errors::all() {
        let same = rows.iter().any(|r| r.code == def.code && r.message == def.message && r.status == def.status);
        if documented {
            assert!(same, "{} ({}) {:?} is not in the API description", def.code, def.status, def.message);
        } else {
            assert!(!same, "{} is documented: mark it so", def.code);
        }
    }
}
