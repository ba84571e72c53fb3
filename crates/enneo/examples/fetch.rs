//! Looks up the given ids with a client configured from the environment
//! (`ENNEO_BASE_URL`, `ENNEO_TOKEN`) and prints one line per id.
//!
//! ```sh
//! ENNEO_BASE_URL=https://acme.enneo.ai/api/mind ENNEO_TOKEN=... \
//!     cargo run -p enneo --example fetch -- contract 746839 746840
//! ```
//! The first argument is `customer`, `contract` or `ticket`; the exit status
//! is non-zero when any lookup failed.

use enneo::{Operation, RequestOptions};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let mut args = std::env::args().skip(1);
    let lookup = match args.next().as_deref() {
        Some("customer") => Operation::GetCustomerByCustomerId,
        Some("contract") => Operation::GetCustomerByContractId,
        Some("ticket") => Operation::GetCustomerByTicketId,
        _ => {
            eprintln!("usage: fetch customer|contract|ticket ID...");
            return std::process::ExitCode::from(2);
        }
    };
    let client = match enneo::Client::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("fetch: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    let mut failed = false;
    for id in args {
        match client
            .fetch(lookup, id.clone().into(), &RequestOptions::default())
            .await
        {
            Ok(f) => println!("{id}\tok\t{}", f.customer.id),
            Err(e) => {
                failed = true;
                println!("{id}\terror\t{e}");
            }
        }
    }
    if failed {
        std::process::ExitCode::FAILURE
    } else {
        std::process::ExitCode::SUCCESS
    }
}
