//! Named value formats the API description refers to (`"format": "name"` ...). Each is a rule the
//! seed states in prose for many parameters; one implementation serves them all.

use std::net::Ipv4Addr;

use ipnet::Ipv4Net;

/// Whether `s` satisfies the named format. Unknown format names accept everything (the
/// description test rejects unknown names, so this never hides a typo).
pub fn check_format(format: &str, s: &str) -> bool {
    match format {
        "name" => is_name(s),
        "description" => is_description(s),
        "cidr" => parse_cidr(s).is_some(),
        "ipv4" => s.parse::<Ipv4Addr>().is_ok(),
        "client_token" => is_client_token(s),
        "ipv4_list" => !s.is_empty() && s.split(',').all(|a| a.trim().parse::<Ipv4Addr>().is_ok()),
        "port" => parse_port(s).is_some(),
        _ => true,
    }
}

pub const FORMATS: &[&str] = &["name", "description", "cidr", "ipv4", "client_token", "ipv4_list", "port"];

fn starts_with_url(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// Starts with a letter (Chinese characters count as letters), then letters, digits, `.`, `_`
/// and `-`; not `http://` or `https://`. Lengths are separate facts of each parameter
/// (`min_len`/`max_len`: 2-128 for most names, 1-128 for CreateVSwitch).
pub fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(char::is_alphabetic)
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-'))
        && !starts_with_url(s)
}

/// Starts with a letter and not with `http://` or `https://` (lengths, 2-256, are in the
/// description).
pub fn is_description(s: &str) -> bool {
    s.chars().next().is_some_and(char::is_alphabetic) && !starts_with_url(s)
}

/// At most 64 ASCII characters.
pub fn is_client_token(s: &str) -> bool {
    s.len() <= 64 && s.is_ascii()
}

/// An IPv4 CIDR block in canonical form (`10.0.0.0/8`; host bits must be zero).
pub fn parse_cidr(s: &str) -> Option<Ipv4Net> {
    let net: Ipv4Net = s.trim().parse().ok()?;
    (net.trunc() == net).then_some(net)
}

/// A port of a NAT rule: a number 1-65535, a range `first/last` of them (first <= last), or
/// `any` (any case) as `(0, 0)`, which stands for every port.
pub fn parse_port(s: &str) -> Option<(u16, u16)> {
    let s = s.trim();
    if s.eq_ignore_ascii_case("any") {
        return Some((0, 0));
    }
    let one = |p: &str| p.trim().parse::<u16>().ok().filter(|n| *n >= 1);
    match s.split_once('/') {
        Some((a, b)) => Some((one(a)?, one(b)?)).filter(|(a, b)| a <= b),
        None => one(s).map(|n| (n, n)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(is_name("vpc-1_a.b"));
        assert!(is_name("专有网络"));
        assert!(!is_name("1vpc"));
        assert!(!is_name("a b"));
        assert!(!is_name("https://x"));
    }

    #[test]
    fn descriptions_and_tokens() {
        assert!(is_description("This is my first Vpc."));
        assert!(!is_description("1st"));
        assert!(!is_description("http://example"));
        assert!(is_client_token(&"a".repeat(64)));
        assert!(!is_client_token(&"a".repeat(65)));
        assert!(!is_client_token("tök"));
    }

    #[test]
    fn cidrs() {
        assert!(parse_cidr("10.0.0.0/8").is_some());
        assert!(parse_cidr("10.0.0.1/8").is_none());
        assert!(parse_cidr("10.0.0.0").is_none());
        assert!(parse_cidr("300.0.0.0/8").is_none());
    }

    #[test]
    fn ports_and_address_lists() {
        assert_eq!(parse_port("80"), Some((80, 80)));
        assert_eq!(parse_port("1024/2048"), Some((1024, 2048)));
        assert_eq!(parse_port("Any"), Some((0, 0)));
        for bad in ["0", "65536", "20/10", "a", "", "1/"] {
            assert_eq!(parse_port(bad), None, "{bad}");
        }
        assert!(check_format("ipv4_list", "192.0.2.1,192.0.2.2"));
        assert!(!check_format("ipv4_list", "192.0.2.1,"));
        assert!(!check_format("ipv4_list", ""));
    }
}
