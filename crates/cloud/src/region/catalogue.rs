//! The built-in catalogue: Alibaba Cloud's public regions, their zones and Express Connect access
//! points. Region and zone IDs are the real ones; access point IDs follow the real naming scheme
//! (`ap-<region>-<site>-<letter>`), with sites chosen by the emulator.

pub struct Region {
    pub id: &'static str,
    pub name_zh: &'static str,
    pub name_en: &'static str,
    /// Zone letters: zone ids are `<region>-<letter>`.
    pub zones: &'static [&'static str],
    /// Express Connect access point sites (`<site>` of `ap-<region>-<site>-A`).
    pub access_sites: &'static [(&'static str, &'static str)],
}

pub const REGIONS: &[Region] = &[
    Region {
        id: "cn-qingdao",
        name_zh: "华北1（青岛）",
        name_en: "China (Qingdao)",
        zones: &["b", "c"],
        access_sites: &[("lg", "Laoshan")],
    },
    Region {
        id: "cn-beijing",
        name_zh: "华北2（北京）",
        name_en: "China (Beijing)",
        zones: &["a", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"],
        access_sites: &[("ft", "Fengtai"), ("dx", "Daxing"), ("sjq", "Shijingshan")],
    },
    Region {
        id: "cn-zhangjiakou",
        name_zh: "华北3（张家口）",
        name_en: "China (Zhangjiakou)",
        zones: &["a", "b", "c"],
        access_sites: &[("zb", "Zhangbei")],
    },
    Region {
        id: "cn-huhehaote",
        name_zh: "华北5（呼和浩特）",
        name_en: "China (Hohhot)",
        zones: &["a", "b"],
        access_sites: &[("hl", "Helinger")],
    },
    Region {
        id: "cn-wulanchabu",
        name_zh: "华北6（乌兰察布）",
        name_en: "China (Ulanqab)",
        zones: &["a", "b", "c"],
        access_sites: &[("jn", "Jining")],
    },
    Region {
        id: "cn-hangzhou",
        name_zh: "华东1（杭州）",
        name_en: "China (Hangzhou)",
        zones: &["b", "g", "h", "i", "j", "k"],
        access_sites: &[("yh", "Yuhang"), ("xs", "Xiaoshan"), ("bj", "Binjiang")],
    },
    Region {
        id: "cn-shanghai",
        name_zh: "华东2（上海）",
        name_en: "China (Shanghai)",
        zones: &["a", "b", "e", "f", "g", "l", "m", "n"],
        access_sites: &[("nh", "Nanhui"), ("jq", "Jinqiao"), ("pd", "Pudong")],
    },
    Region {
        id: "cn-nanjing",
        name_zh: "华东5（南京-本地地域）",
        name_en: "China (Nanjing - Local Region)",
        zones: &["a"],
        access_sites: &[("jy", "Jiangning")],
    },
    Region {
        id: "cn-fuzhou",
        name_zh: "华东6（福州-本地地域）",
        name_en: "China (Fuzhou - Local Region)",
        zones: &["a"],
        access_sites: &[("ml", "Mawei")],
    },
    Region {
        id: "cn-shenzhen",
        name_zh: "华南1（深圳）",
        name_en: "China (Shenzhen)",
        zones: &["a", "b", "c", "d", "e", "f"],
        access_sites: &[("ns", "Nanshan"), ("ft", "Futian")],
    },
    Region {
        id: "cn-heyuan",
        name_zh: "华南2（河源）",
        name_en: "China (Heyuan)",
        zones: &["a", "b"],
        access_sites: &[("yc", "Yuancheng")],
    },
    Region {
        id: "cn-guangzhou",
        name_zh: "华南3（广州）",
        name_en: "China (Guangzhou)",
        zones: &["a", "b"],
        access_sites: &[("hz", "Haizhu")],
    },
    Region {
        id: "cn-chengdu",
        name_zh: "西南1（成都）",
        name_en: "China (Chengdu)",
        zones: &["a", "b"],
        access_sites: &[("gx", "Gaoxin")],
    },
    Region {
        id: "cn-hongkong",
        name_zh: "中国香港",
        name_en: "China (Hong Kong)",
        zones: &["b", "c", "d"],
        access_sites: &[("kc", "Kwai Chung"), ("ty", "Tsuen Wan")],
    },
    Region {
        id: "ap-northeast-1",
        name_zh: "日本（东京）",
        name_en: "Japan (Tokyo)",
        zones: &["a", "b", "c"],
        access_sites: &[("ot", "Otemachi")],
    },
    Region {
        id: "ap-northeast-2",
        name_zh: "韩国（首尔）",
        name_en: "South Korea (Seoul)",
        zones: &["a"],
        access_sites: &[("gn", "Gangnam")],
    },
    Region {
        id: "ap-southeast-1",
        name_zh: "新加坡",
        name_en: "Singapore",
        zones: &["a", "b", "c"],
        access_sites: &[("eq", "Equinix SG"), ("gs", "Global Switch")],
    },
    Region {
        id: "ap-southeast-3",
        name_zh: "马来西亚（吉隆坡）",
        name_en: "Malaysia (Kuala Lumpur)",
        zones: &["a", "b"],
        access_sites: &[("cy", "Cyberjaya")],
    },
    Region {
        id: "ap-southeast-5",
        name_zh: "印度尼西亚（雅加达）",
        name_en: "Indonesia (Jakarta)",
        zones: &["a", "b", "c"],
        access_sites: &[("cb", "Cibitung")],
    },
    Region {
        id: "ap-southeast-6",
        name_zh: "菲律宾（马尼拉）",
        name_en: "Philippines (Manila)",
        zones: &["a"],
        access_sites: &[("mk", "Makati")],
    },
    Region {
        id: "ap-southeast-7",
        name_zh: "泰国（曼谷）",
        name_en: "Thailand (Bangkok)",
        zones: &["a"],
        access_sites: &[("bn", "Bang Na")],
    },
    Region {
        id: "us-east-1",
        name_zh: "美国（弗吉尼亚）",
        name_en: "US (Virginia)",
        zones: &["a", "b"],
        access_sites: &[("as", "Ashburn")],
    },
    Region {
        id: "us-west-1",
        name_zh: "美国（硅谷）",
        name_en: "US (Silicon Valley)",
        zones: &["a", "b"],
        access_sites: &[("sv", "San Jose")],
    },
    Region {
        id: "eu-west-1",
        name_zh: "英国（伦敦）",
        name_en: "UK (London)",
        zones: &["a", "b"],
        access_sites: &[("sl", "Slough")],
    },
    Region {
        id: "eu-central-1",
        name_zh: "德国（法兰克福）",
        name_en: "Germany (Frankfurt)",
        zones: &["a", "b", "c"],
        access_sites: &[("ff", "Frankfurt")],
    },
    Region {
        id: "me-east-1",
        name_zh: "阿联酋（迪拜）",
        name_en: "UAE (Dubai)",
        zones: &["a"],
        access_sites: &[("db", "Dubai")],
    },
    Region {
        id: "me-central-1",
        name_zh: "沙特（利雅得）",
        name_en: "Saudi Arabia (Riyadh)",
        zones: &["a"],
        access_sites: &[("ry", "Riyadh")],
    },
];

pub fn region(id: &str) -> Option<&'static Region> {
    REGIONS.iter().find(|r| r.id == id)
}

impl Region {
    pub fn zone_ids(&self) -> impl Iterator<Item = String> + '_ {
        self.zones.iter().map(move |z| format!("{}-{z}", self.id))
    }

    pub fn has_zone(&self, zone_id: &str) -> bool {
        zone_id.strip_prefix(self.id).and_then(|rest| rest.strip_prefix('-')).is_some_and(|z| self.zones.contains(&z))
    }

    /// The VPC endpoint of the region, as DescribeRegions reports it.
    pub fn endpoint(&self) -> String {
        const CENTRAL: &[&str] = &[
            "cn-qingdao",
            "cn-beijing",
            "cn-hangzhou",
            "cn-shanghai",
            "cn-shenzhen",
            "cn-hongkong",
            "ap-southeast-1",
            "us-east-1",
            "us-west-1",
        ];
        if CENTRAL.contains(&self.id) {
            "vpc.aliyuncs.com".to_string()
        } else {
            format!("vpc.{}.aliyuncs.com", self.id)
        }
    }
}

/// One Express Connect access point.
pub struct AccessPoint {
    pub id: String,
    pub region: &'static str,
    pub name: String,
    pub location: String,
    pub host_operator: &'static str,
    pub status: &'static str,
}

/// Every access point of a region: per site, point A (recommended) and B (hot).
pub fn access_points(region: &'static Region) -> Vec<AccessPoint> {
    const OPERATORS: [&str; 3] = ["CNIX", "Telecom", "Unicom"];
    let mut out = Vec::new();
    for (i, (site, place)) in region.access_sites.iter().enumerate() {
        for (letter, status) in [("A", "recommended"), ("B", "hot")] {
            out.push(AccessPoint {
                id: format!("ap-{}-{site}-{letter}", region.id),
                region: region.id,
                name: format!("{}-{place}-{letter}", region.name_en),
                location: format!("{place}, {}", region.name_en),
                host_operator: OPERATORS[i % OPERATORS.len()],
                status,
            });
        }
    }
    out
}
