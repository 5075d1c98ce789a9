//! Resource IDs shaped like the real ones (`vpc-bp1...`): a type prefix, 2 characters derived
//! from the region, then 20 random lower-case alphanumerics. Clients treat IDs as opaque.

use rand::distributions::Alphanumeric;
use rand::Rng;

pub fn new_id(prefix: &str, region: &str) -> String {
    let mut rng = rand::thread_rng();
    let tag: String = region_tag(region);
    let tail: String =
        (&mut rng).sample_iter(Alphanumeric).take(20).map(|c| (c as char).to_ascii_lowercase()).collect();
    format!("{prefix}-{tag}{tail}")
}

/// A stable 64-bit hash (FNV-1a) for ids that must be derived, not random.
pub fn stable_hash(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
}

/// Two characters that differ between regions, as the real IDs' leading characters do.
fn region_tag(region: &str) -> String {
    let h = stable_hash(region);
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
