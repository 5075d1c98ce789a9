//! Resource IDs shaped like the real ones: a type prefix, then 2 characters derived from the
//! region and 20 random lower-case alphanumerics (`vpc-bp1...`-like, 24 characters after the dash
//! in total... close enough for clients, which treat IDs as opaque).

use rand::distributions::Alphanumeric;
use rand::Rng;

pub fn new_id(prefix: &str, region: &str) -> String {
    let mut rng = rand::thread_rng();
    let tag: String = region_tag(region);
    let tail: String =
        (&mut rng).sample_iter(Alphanumeric).take(20).map(|c| (c as char).to_ascii_lowercase()).collect();
    format!("{prefix}-{tag}{tail}")
}

/// Two characters that differ between regions, as the real IDs' leading characters do.
fn region_tag(region: &str) -> String {
    let h = region.bytes().fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
    let alphabet = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let a = alphabet[(h % 26) as usize] as char;
    let b = alphabet[((h / 26) % 36) as usize] as char;
    format!("{a}{b}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn ids_are_unique_and_prefixed() {
        let a = super::new_id("vpc", "cn-hangzhou");
        let b = super::new_id("vpc", "cn-hangzhou");
        assert!(a.starts_with("vpc-") && a.len() == 26);
        assert_ne!(a, b);
        assert_eq!(a[4..6], b[4..6]);
    }
}
