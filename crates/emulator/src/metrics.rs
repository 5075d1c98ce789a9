//! `GET /_emulator/metrics`: Prometheus (OpenMetrics text) counters of answered API calls by
//! product, action and Code, their latency, and the number of stored records by kind.

use prometheus_client::encoding::text::encode;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct CallLabels {
    product: String,
    action: String,
    code: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ActionLabels {
    product: String,
    action: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct KindLabels {
    kind: String,
}

fn latency_histogram() -> Histogram {
    // 0.1 ms to about 3.3 s.
    Histogram::new(exponential_buckets(0.0001, 2.0, 16))
}

pub struct Metrics {
    registry: Registry,
    calls: Family<CallLabels, Counter>,
    latency: Family<ActionLabels, Histogram, fn() -> Histogram>,
    resources: Family<KindLabels, Gauge>,
}

impl Default for Metrics {
    fn default() -> Self {
        let calls = Family::<CallLabels, Counter>::default();
        let latency = Family::<ActionLabels, Histogram, fn() -> Histogram>::new_with_constructor(latency_histogram);
        let resources = Family::<KindLabels, Gauge>::default();
        let mut registry = Registry::with_prefix("alicloud_emulator");
        registry.register(
            "api_calls",
            "API calls answered, by product, action and Code (200 for success)",
            calls.clone(),
        );
        registry.register("api_call_duration_seconds", "Time to answer an API call", latency.clone());
        registry.register("resources", "Stored records, by kind", resources.clone());
        Self { registry, calls, latency, resources }
    }
}

impl Metrics {
    /// Counts one answered call.
    pub fn observe(&self, product: &str, action: &str, code: &str, seconds: f64) {
        let (product, action) = (product.to_string(), action.to_string());
        self.calls
            .get_or_create(&CallLabels { product: product.clone(), action: action.clone(), code: code.into() })
            .inc();
        self.latency.get_or_create(&ActionLabels { product, action }).observe(seconds);
    }

    /// The text exposition, with the record counts as they are now.
    pub fn render(&self, counts: &std::collections::BTreeMap<String, usize>) -> Result<String, std::fmt::Error> {
        self.resources.clear();
        for (kind, n) in counts {
            self.resources.get_or_create(&KindLabels { kind: kind.clone() }).set(i64::try_from(*n).unwrap_or(i64::MAX));
        }
        let mut out = String::new();
        encode(&mut out, &self.registry)?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_calls_latency_and_resources() {
        let m = Metrics::default();
        m.observe("Vpc", "CreateVpc", "200", 0.002);
        m.observe("Vpc", "CreateVpc", "QuotaExceeded.Vpc", 0.001);
        let text = m.render(&[("vpc".to_string(), 3)].into_iter().collect()).unwrap();
        assert!(
            text.contains(r#"alicloud_emulator_api_calls_total{product="Vpc",action="CreateVpc",code="200"} 1"#),
            "{text}"
        );
        assert!(text.contains(r#"code="QuotaExceeded.Vpc"} 1"#), "{text}");
        assert!(
            text.contains(r#"alicloud_emulator_api_call_duration_seconds_count{product="Vpc",action="CreateVpc"} 2"#),
            "{text}"
        );
        assert!(text.contains(r#"alicloud_emulator_resources{kind="vpc"} 3"#), "{text}");
    }
}
