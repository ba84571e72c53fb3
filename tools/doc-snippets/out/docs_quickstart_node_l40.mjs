import { Client } from 'enneo';
const client = new Client({ maxRetries: 3, timeout: 10_000 });
const customer = await client.getCustomer(83771);
const results = await client.getCustomers([83771, 83772, ''], { concurrency: 8 });
for (const r of results)
    console.log(r.ok ? r.customer.id : `${r.error.code}: ${r.error.message}`);
console.log(customer.tags?.map((t) => t.name));
