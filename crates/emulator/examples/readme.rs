use aliyun_openapi_core_rust_sdk::client::rpc::RPClient;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = RPClient::new("testid", "testsecret", "http://127.0.0.1:9760");
    let vpcs = client.version("2016-04-28").get("DescribeVpcs").query([("RegionId", "cn-hangzhou")]).text().await?;
    println!("{vpcs}");
    Ok(())
}
