//! The public image catalogue (DescribeImages) and the ImageId check of RunInstances /
//! CreateInstance (InvalidImageId.NotFound). A small, realistic list of Alibaba Cloud public
//! images, the same in every region.
//!
//! Short ids used by older tests of this repository and of other branches (`img`, `i`,
//! `aliyun_3_x64`, `aliyun_3_x64_20G_alibase`) are accepted as aliases of Alibaba Cloud Linux 3; DescribeImages lists them
//! only when asked for by ImageId.

use acs_api::{ApiError, ErrorDef};
use acs_store::View;
use serde_json::{json, Value};

use crate::context::Call;
use crate::dispatch::{body, Actions, Body, Handler};
use crate::paging::Page;

pub const IMAGE_NOT_FOUND: ErrorDef =
    ErrorDef::new(404, "InvalidImageId.NotFound", "The specified ImageId does not exist.");

pub const ERRORS: &[ErrorDef] = &[IMAGE_NOT_FOUND];

pub(crate) const ACTIONS: Actions = &[("DescribeImages", Handler::Read(describe_images))];

/// One public image.
pub struct Image {
    /// The id, which public images also have as their name.
    pub id: &'static str,
    pub os_name: &'static str,
    pub os_name_en: &'static str,
    /// linux | windows
    pub os_type: &'static str,
    pub platform: &'static str,
    pub family: &'static str,
    /// GiB
    pub size: i64,
    pub created: &'static str,
}

pub const IMAGES: &[Image] = &[
    Image {
        id: "aliyun_3_x64_20G_alibase_20240819.vhd",
        os_name: "Alibaba Cloud Linux  3.2104 LTS 64位",
        os_name_en: "Alibaba Cloud Linux  3.2104 LTS 64 bit",
        os_type: "linux",
        platform: "Aliyun",
        family: "acs:alibaba_cloud_linux_3_2104_lts_x64",
        size: 20,
        created: "2024-08-19T08:02:53Z",
    },
    Image {
        id: "aliyun_2_1903_x64_20G_alibase_20240628.vhd",
        os_name: "Alibaba Cloud Linux  2.1903 LTS 64位",
        os_name_en: "Alibaba Cloud Linux  2.1903 LTS 64 bit",
        os_type: "linux",
        platform: "Aliyun",
        family: "acs:alibaba_cloud_linux_2_1903_x64",
        size: 20,
        created: "2024-06-28T06:11:42Z",
    },
    Image {
        id: "ubuntu_22_04_x64_20G_alibase_20240710.vhd",
        os_name: "Ubuntu  22.04 64位",
        os_name_en: "Ubuntu  22.04 64 bit",
        os_type: "linux",
        platform: "Ubuntu",
        family: "acs:ubuntu_22_04_x64",
        size: 20,
        created: "2024-07-10T09:27:31Z",
    },
    Image {
        id: "ubuntu_20_04_x64_20G_alibase_20240508.vhd",
        os_name: "Ubuntu  20.04 64位",
        os_name_en: "Ubuntu  20.04 64 bit",
        os_type: "linux",
        platform: "Ubuntu",
        family: "acs:ubuntu_20_04_x64",
        size: 20,
        created: "2024-05-08T03:40:17Z",
    },
    Image {
        id: "centos_7_9_x64_20G_alibase_20240628.vhd",
        os_name: "CentOS  7.9 64位",
        os_name_en: "CentOS  7.9 64 bit",
        os_type: "linux",
        platform: "CentOS",
        family: "acs:centos_7_9_x64",
        size: 20,
        created: "2024-06-28T02:15:09Z",
    },
    Image {
        id: "debian_12_6_x64_20G_alibase_20240717.vhd",
        os_name: "Debian  12.6 64位",
        os_name_en: "Debian  12.6 64 bit",
        os_type: "linux",
        platform: "Debian",
        family: "acs:debian_12_x64",
        size: 20,
        created: "2024-07-17T07:55:20Z",
    },
    Image {
        id: "win2022_21H2_x64_dtc_zh-cn_40G_alibase_20240716.vhd",
        os_name: "Windows Server  2022 数据中心版 64位中文版",
        os_name_en: "Windows Server  2022 DataCenter Edition 64bit Chinese Edition",
        os_type: "windows",
        platform: "Windows Server 2022",
        family: "acs:windows_server_2022_dtc_zh-cn",
        size: 40,
        created: "2024-07-16T10:30:00Z",
    },
];

/// Aliases accepted for the first image (see the module comment).
const ALIASES: &[&str] = &["img", "i", "aliyun_3_x64", "aliyun_3_x64_20G_alibase"];

/// The image of an ImageId, or InvalidImageId.NotFound.
pub fn check(id: &str) -> Result<&'static Image, ApiError> {
    if ALIASES.contains(&id) {
        return Ok(&IMAGES[0]);
    }
    IMAGES.iter().find(|i| i.id == id).ok_or_else(|| IMAGE_NOT_FOUND.into())
}

fn describe_images(call: &Call<'_>, _: &View<'_>) -> Result<Body, ApiError> {
    let scope = call.scope()?;
    let page = Page::from_params(call.params);
    let ids: Vec<String> =
        call.str("ImageId").map(|s| s.split(',').map(|x| x.trim().to_string()).collect()).unwrap_or_default();
    let owner = call.str("ImageOwnerAlias");
    let matches = |i: &Image| {
        (ids.is_empty() || ids.iter().any(|x| x == i.id))
            && call.str("ImageName").is_none_or(|n| n == i.id)
            && call.str("OSType").is_none_or(|t| t.eq_ignore_ascii_case(i.os_type))
            && call.str("ImageFamily").is_none_or(|f| f == i.family)
            && call.str("Architecture").is_none_or(|a| a == "x86_64")
            && owner.is_none_or(|o| o == "system")
            && call.str("Status").is_none_or(|s| s.split(',').any(|s| s == "Available"))
    };
    let mut found: Vec<(&str, &Image)> = IMAGES.iter().filter(|i| matches(i)).map(|i| (i.id, i)).collect();
    for alias in ALIASES {
        if ids.iter().any(|x| x == alias) && owner.is_none_or(|o| o == "system") {
            found.push((alias, &IMAGES[0]));
        }
    }
    let total = found.len();
    let items: Vec<Value> =
        found.into_iter().skip(page.offset()).take(page.size).map(|(id, i)| render(id, i)).collect();
    let mut out = body(json!({ "RegionId": scope.region, "Images": { "Image": items } }));
    page.annotate(&mut out, total);
    Ok(out)
}

fn render(id: &str, i: &Image) -> Value {
    json!({
        "ImageId": id,
        "ImageName": id,
        "ImageFamily": i.family,
        "ImageVersion": "",
        "ImageOwnerAlias": "system",
        "ImageOwnerId": 0,
        "Description": "",
        "OSName": i.os_name,
        "OSNameEn": i.os_name_en,
        "OSType": i.os_type,
        "Platform": i.platform,
        "Architecture": "x86_64",
        "Size": i.size,
        "Status": "Available",
        "Progress": "100%",
        "Usage": "instance",
        "IsPublic": true,
        "IsCopied": false,
        "IsSelfShared": "",
        "IsSubscribed": false,
        "IsSupportCloudinit": true,
        "IsSupportIoOptimized": true,
        "LoginAsNonRootSupported": i.os_type == "linux",
        "BootMode": "BIOS",
        "CreationTime": i.created,
        "ProductCode": "",
        "ResourceGroupId": "",
        "DiskDeviceMappings": { "DiskDeviceMapping": [] },
        "Tags": { "Tag": [] },
    })
}
