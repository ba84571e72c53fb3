//! Looks up customer 83771 against an in-process mock server: no token, no
//! network. Against a real installation, drop the mock and use
//! `enneo::Client::from_env()` with ENNEO_TOKEN and ENNEO_BASE_URL set.

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mock = enneo_mock::MockServer::start(Default::default()).await?;
    let client = enneo::Client::builder()
        .base_url(mock.base_url())
        .token("demo")
        .build()?;

    let customer = client.get_customer(83771).await?;
    println!(
        "{} {} (id {}), {} contract(s)",
        customer.firstname.as_deref().unwrap_or("?"),
        customer.lastname.as_deref().unwrap_or("?"),
        customer.id,
        customer.contracts.as_ref().map_or(0, Vec::len)
    );
    for k in customer.contracts.iter().flatten() {
        println!(
            "  {} · {} · {} · unpaid {:.2} €",
            k.product_name.as_deref().unwrap_or("-"),
            k.status.as_deref().unwrap_or("-"),
            k.energy.as_deref().unwrap_or("-"),
            k.unpaid_debt.unwrap_or_default()
        );
    }
    Ok(())
}
