//! Successful lookups, the model, and ids, against enneo-mock on loopback.

mod common;

use common::*;
use enneo::{FlexibleId, Phone};
use serde_json::json;

#[tokio::test]
async fn get_customer_decodes_every_seed_field() {
    let server = mock().await;
    let c = client(&server.base_url())
        .get_customer(83771)
        .await
        .unwrap();

    assert_eq!(c.id, FlexibleId::from(83771));
    assert_eq!(c.email_matches, Some(true));
    assert_eq!(c.business, Some(false));
    assert_eq!(c.company, None);
    assert_eq!(c.firstname.as_deref(), Some("Tom"));
    assert_eq!(c.lastname.as_deref(), Some("Mustermann"));
    assert_eq!(c.address.as_deref(), Some("Hugo-Junkers-Str. 5"));
    assert_eq!(c.phone, Some(Phone::from(49123456789_i64)));
    assert_eq!(c.email.as_deref(), Some("tom@mustermann.de"));
    let tags = c.tags.as_ref().unwrap();
    assert_eq!(
        (
            tags[0].id,
            tags[0].color.as_deref(),
            tags[0].name.as_deref()
        ),
        (Some(2), Some("green"), Some("VIP"))
    );
    assert_eq!(c.additional_data.as_ref().map(|m| m.len()), Some(0));

    let k = &c.contracts.as_ref().unwrap()[0];
    assert_eq!(k.id, Some(FlexibleId::from(746839)));
    assert_eq!(k.order_id, Some(FlexibleId::from(123)));
    assert_eq!(k.tenant, None);
    assert_eq!(k.customer_id, Some(FlexibleId::from("123")));
    assert_eq!(k.signup_date, Some(1661126400));
    assert_eq!(k.status.as_deref(), Some("active"));
    assert_eq!(k.status_code, Some(5000));
    assert_eq!(k.status_code_title.as_deref(), Some("active"));
    assert_eq!(k.energy.as_deref(), Some("electricity"));
    assert_eq!((k.energy_type_id, k.energy_sub_type_id), (Some(1), Some(1)));
    assert_eq!(k.email.as_deref(), Some("johndoe@example.com"));
    assert_eq!(
        (k.firstname.as_deref(), k.lastname.as_deref()),
        (Some("John"), Some("Doe"))
    );
    assert_eq!(
        k.delivery_address.as_deref(),
        Some("Hugo-Junkers-Str. 5, 82031 Grünwald")
    );
    assert_eq!(k.iban.as_deref(), Some("DE89370400440532013000"));
    assert_eq!(k.monthly_deposit, Some(53.0));
    assert_eq!((k.start_date, k.end_date), (Some(1661990400), None));
    assert_eq!(k.consumption, Some(3477.0));
    assert_eq!(k.counter_number.as_deref(), Some("1ESY1160669167"));
    assert_eq!(k.product_id, Some(FlexibleId::from(1)));
    assert_eq!(k.product_name.as_deref(), Some("Flex 24"));
    assert_eq!(k.product_code.as_deref(), Some("flx_24"));
    assert_eq!(
        (k.campaign_id.clone(), k.sales_channel_id.clone()),
        (Some(1.into()), Some(1.into()))
    );
    assert_eq!(k.unpaid_debt, Some(109.21));
    assert_eq!(
        (k.vat_rate, k.base_price, k.working_price),
        (Some(0.09), Some(0.09), Some(0.09))
    );
    assert_eq!(
        k.billing_address.as_deref(),
        Some("Rechnungssstraße 24, 10587 Berlin")
    );
    assert_eq!(k.business, Some(false));
    assert_eq!(k.phone, Some(Phone::from(491721041689_i64)));
    assert_eq!(k.grid_operator_name.as_deref(), Some("E.ON Bayern AG"));
    assert_eq!(
        k.grid_operator_code,
        Some(FlexibleId::from(1000000000000_i64))
    );
    assert_eq!(k.registers.as_ref().map(|r| r.len()), Some(1));
    let erp = &k.erp_urls.as_ref().unwrap()[0];
    assert_eq!(
        (erp.url.as_deref(), erp.logo.as_deref()),
        (
            Some("https://erp-system.com/contract/123"),
            Some("powercloud")
        )
    );
    assert_eq!(k.raw_data, None);
    let ap = &k.agent_preview.as_ref().unwrap()[0];
    assert_eq!(ap.label.as_deref(), Some("Tarif"));
    assert_eq!(ap.value.as_deref(), Some("Flex 24"));
    assert_eq!(
        ap.tooltip.as_deref(),
        Some("AP: 28.5 ct/kWh\nGP: 149.88 €/Jahr")
    );
    assert_eq!(
        ap.url.as_deref(),
        Some("https://erp.example.com/contract/123")
    );
    let tab = k.tab_preview.as_ref().unwrap();
    assert_eq!(
        (tab.color.as_deref(), tab.icon.as_deref()),
        (Some("green"), Some("electricity"))
    );
    assert!(
        c.extra.is_empty() && k.extra.is_empty(),
        "seed has no unknown fields"
    );

    let req = &server.requests()[0];
    assert_eq!(req.path, "/api/mind/customer/byCustomerId/83771");
    assert_eq!(req.header("authorization"), Some("Bearer test-token"));
}

#[tokio::test]
async fn sibling_lookups_hit_their_paths() {
    let server = mock().await;
    let c = client(&server.base_url());
    assert_eq!(
        c.get_customer_by_contract_id(746839).await.unwrap().id,
        FlexibleId::from(746839)
    );
    assert_eq!(
        c.get_customer_by_ticket_id("T-9").await.unwrap().id,
        FlexibleId::from("T-9")
    );
    let paths: Vec<_> = server.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(
        paths,
        [
            "/api/mind/customer/byContractId/746839",
            "/api/mind/customer/byTicketId/T-9"
        ]
    );
}

#[tokio::test]
async fn flexible_id_as_integer_and_string_is_the_same() {
    let server = mock().await;
    let c = client(&server.base_url());
    let a = c.get_customer(83771).await.unwrap();
    let b = c.get_customer("83771").await.unwrap();
    assert_eq!(a.id, b.id);
    let paths: Vec<_> = server.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(paths[0], paths[1]);

    // Same rule inside a payload: "123" and 123 compare equal and keep their form.
    let dir = fixtures_dir(&[(
        "1",
        json!({"id": 1, "contracts": [{"customerId": "123"}, {"customerId": 123}], "phone": "+49017"}),
    )]);
    let server = mock_with(enneo_mock::MockConfig {
        fixtures: Some(dir.path().into()),
        ..Default::default()
    })
    .await;
    let c = client(&server.base_url()).get_customer(1).await.unwrap();
    let k = c.contracts.as_ref().unwrap();
    assert_eq!(k[0].customer_id, k[1].customer_id);
    assert_eq!(c.phone.as_ref().unwrap().to_string(), "+49017");
    let back = serde_json::to_value(&c).unwrap();
    assert_eq!(back["contracts"][0]["customerId"], json!("123"));
    assert_eq!(back["contracts"][1]["customerId"], json!(123));
    assert_eq!(back["phone"], json!("+49017"));
}

#[tokio::test]
async fn unknown_fields_and_enum_values_round_trip() {
    let payload = json!({
        "id": "C-0042",
        "loyaltyTier": {"level": 3, "since": "2020"},
        "tags": [{"id": 1, "name": "x", "priority": "high"}],
        "contracts": [{
            "id": 1, "status": "suspended", "energy": "hydrogen",
            "meterKind": "smart", "tabPreview": {"color": "teal", "icon": "heat", "badge": 2},
            "registers": [{"obis": "1-0:1.8.0", "value": 12.5}],
            "erpUrls": [{"url": "https://x", "logo": "sap", "target": "_blank"}]
        }]
    });
    let dir = fixtures_dir(&[("C-0042", payload.clone())]);
    let server = mock_with(enneo_mock::MockConfig {
        fixtures: Some(dir.path().into()),
        ..Default::default()
    })
    .await;
    let c = client(&server.base_url())
        .get_customer("C-0042")
        .await
        .unwrap();
    let k = &c.contracts.as_ref().unwrap()[0];
    assert_eq!(k.status.as_deref(), Some("suspended"));
    assert_eq!(k.energy.as_deref(), Some("hydrogen"));
    assert_eq!(c.extra["loyaltyTier"], json!({"level": 3, "since": "2020"}));
    assert_eq!(
        serde_json::to_value(&c).unwrap(),
        payload,
        "serializing gives the payload back"
    );
}

#[tokio::test]
async fn bulk_lookup_keeps_order_and_failures() {
    let dir = fixtures_dir(&[("1", json!({"id": 1})), ("3", json!({"id": "3"}))]);
    let server = mock_with(enneo_mock::MockConfig {
        fixtures: Some(dir.path().into()),
        ..Default::default()
    })
    .await;
    let c = client(&server.base_url());
    let results = c.get_customers([1, 2, 3, 4], 3).await;
    assert_eq!(results.len(), 4);
    assert_eq!(results[0].as_ref().unwrap().id, FlexibleId::from(1));
    assert!(results[1].as_ref().unwrap_err().is_not_found());
    assert_eq!(results[2].as_ref().unwrap().id, FlexibleId::from(3));
    assert!(results[3].as_ref().unwrap_err().is_not_found());
}

#[tokio::test]
async fn every_operation_of_the_spec_is_a_method_and_callable_by_name() {
    use enneo::{Operation, RequestOptions};
    let server = mock().await;
    let c = client(&server.base_url());
    // The generated typed methods, with and without per-call options.
    assert_eq!(
        c.get_customer_by_ticket_id(1200).await.unwrap().id,
        1200u64.into()
    );
    let options = RequestOptions::new().header("X-Trace", "t1").unwrap();
    let by_contract = c
        .get_customer_by_contract_id_with("746839", &options)
        .await
        .unwrap();
    assert_eq!(by_contract.id, 746839u64.into());
    // Every operation by its operationId, through the one generic path.
    for op in Operation::ALL {
        let parsed: Operation = op.operation_id().parse().unwrap();
        assert_eq!(parsed, *op);
        let raw = c
            .call_raw(*op, &[Some("42".into())], None, &RequestOptions::default())
            .await
            .unwrap();
        assert_eq!(raw.status, 200);
        let customer: enneo::Customer = raw.decode().unwrap();
        assert_eq!(customer.id, 42u64.into(), "{op}");
    }
    let paths: Vec<String> = server.requests().iter().map(|r| r.path.clone()).collect();
    assert_eq!(
        paths,
        [
            "/api/mind/customer/byTicketId/1200",
            "/api/mind/customer/byContractId/746839",
            "/api/mind/customer/byCustomerId/42",
            "/api/mind/customer/byContractId/42",
            "/api/mind/customer/byTicketId/42",
        ]
    );
    assert_eq!(server.requests()[1].header("x-trace"), Some("t1"));
    // Wrong arguments are refused before sending.
    let err = c
        .call_raw(
            Operation::GetCustomerByCustomerId,
            &[],
            None,
            &RequestOptions::default(),
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("takes 1 argument"), "{err}");
    assert_eq!(server.requests().len(), 5);
}
