import { Client } from 'enneo'
const client = new Client()
export async function f(): Promise<void> {
  const c = await client.getCustomer(1)
  console.log(c.unpaidDebt)
  const pending = client.getCustomer(2)
  console.log(pending.firstname)
}